"""Full-text search through SQLite's FTS5 trigram tables.

The tables (``clients_search``, ``events_search``) are created and kept
in step by the migrations' triggers. A trigram index answers substring
searches of three characters or more; shorter text falls back to LIKE.
The text goes in as one quoted FTS5 phrase, bound as a parameter, so
quotes, ``%``, ``_`` and backslashes are plain characters.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Select, bindparam, literal_column, select, table, text
from sqlalchemy.orm import Session

MIN_INDEXED_LENGTH = 3
"""Trigrams need three characters; shorter searches use LIKE."""


def phrase(text: str, column: str | None = None) -> str:
    """``text`` as one literal FTS5 phrase, optionally for one column."""
    quoted = '"' + text.replace('"', '""') + '"'
    return f"{column} : {quoted}" if column else quoted


def matching_ids(
    search_table: str, text: str, column: str | None = None
) -> Select[tuple[int]]:
    """The ids of the rows whose indexed columns contain ``text``."""
    match = literal_column(search_table).op("MATCH")(
        bindparam(None, phrase(text, column), unique=True)
    )
    return select(literal_column("rowid")).select_from(table(search_table)).where(match)


SEARCHED = {
    "clients": ("full_name", "email", "company_name"),
    "events": ("name", "location"),
}
"""The tables with an FTS5 search table, and the columns it indexes."""


def search_table_statements(table: str) -> list[str]:
    """SQL creating the FTS5 table of ``table``, filled from its rows."""
    search = f"{table}_search"
    names = ", ".join(SEARCHED[table])
    return [
        f"CREATE VIRTUAL TABLE {search} USING fts5({names}, "
        f"content='{table}', content_rowid='id', tokenize='trigram')",
        *trigger_statements(table),
        rebuild_statement(table),
    ]


def trigger_statements(table: str) -> list[str]:
    """SQL creating the triggers that keep the search table in step."""
    search = f"{table}_search"
    columns = SEARCHED[table]
    names = ", ".join(columns)
    new_values = ", ".join(f"new.{column}" for column in columns)
    old_values = ", ".join(f"old.{column}" for column in columns)
    forget_old = (
        f"INSERT INTO {search}({search}, rowid, {names}) "
        f"VALUES ('delete', old.id, {old_values});"
    )
    learn_new = f"INSERT INTO {search}(rowid, {names}) VALUES (new.id, {new_values});"
    return [
        f"CREATE TRIGGER {search}_insert AFTER INSERT ON {table} BEGIN {learn_new} END",
        f"CREATE TRIGGER {search}_delete AFTER DELETE ON {table} "
        f"BEGIN {forget_old} END",
        f"CREATE TRIGGER {search}_update AFTER UPDATE OF {names} ON {table} "
        f"BEGIN {forget_old} {learn_new} END",
    ]


def drop_trigger_statements(table: str) -> list[str]:
    """SQL dropping the triggers of ``table``'s search table."""
    return [
        f"DROP TRIGGER IF EXISTS {table}_search_{action}"
        for action in ("insert", "delete", "update")
    ]


def rebuild_statement(table: str) -> str:
    """SQL indexing every row of ``table`` again, in one pass."""
    return f"INSERT INTO {table}_search({table}_search) VALUES ('rebuild')"


@contextmanager
def indexed_once_at_the_end(session: Session) -> Iterator[None]:
    """Load many rows without indexing them one by one, on SQLite.

    The triggers are dropped for the load and created again after one
    rebuild of each search table, all in the caller's transaction, so a
    failed load leaves the triggers as they were.
    """
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    for name in SEARCHED:
        for statement in drop_trigger_statements(name):
            session.execute(text(statement))
    yield
    for name in SEARCHED:
        session.execute(text(rebuild_statement(name)))
        for statement in trigger_statements(name):
            session.execute(text(statement))
