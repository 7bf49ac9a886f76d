"""Engines, sessions and schema migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from epic_tui.services.errors import DatabaseError

SessionFactory = sessionmaker[Session]

SCHEMA_HEAD = "0003"
"""The newest migration; a test checks it against Alembic's own head."""
VERSION_TABLE = "alembic_version"


def create_database_engine(url: str) -> Engine:
    """Create an engine for ``url``, tuned for an interactive app.

    SQLite gets its folder created, foreign keys enforced, WAL and
    ``synchronous=NORMAL`` (a single-row commit is several times faster).
    """
    try:
        parsed = make_url(url)
    except Exception:
        raise DatabaseError(f"not a database URL: {url!r}") from None
    options: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            folder = Path(database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise DatabaseError(
                    f"cannot create the database folder {folder}: {error.strerror}"
                ) from None
        options["connect_args"] = {"check_same_thread": False, "timeout": 15}
    else:
        options["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **options)
    except Exception as error:
        raise DatabaseError(f"cannot use database {parsed!r}: {error}") from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_session_factory(engine: Engine) -> SessionFactory:
    """Sessions that keep loaded values after commit, for returning DTOs."""
    return sessionmaker(engine, expire_on_commit=False)


def _alembic_config(engine: Engine | None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "epic_tui:migrations")
    config.attributes["engine"] = engine
    return config


def head_revision() -> str | None:
    """The newest revision the code knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(None)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database.

    Read with one plain query rather than through Alembic, which would
    cost every start-up the import of Alembic.

    Raises:
        DatabaseError: the database cannot be reached.
    """
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(VERSION_TABLE):
                return None
            return connection.execute(
                text(f"SELECT version_num FROM {VERSION_TABLE}")
            ).scalar_one_or_none()
    except SQLAlchemyError as error:
        raise DatabaseError(
            f"cannot connect to the database: {first_line(error)}"
        ) from None


def is_up_to_date(engine: Engine) -> bool:
    """True when the database is at the revision this code was written for."""
    return current_revision(engine) == SCHEMA_HEAD


def first_line(error: BaseException) -> str:
    """The first line of an error's message, for one-line reports."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def upgrade(engine: Engine) -> bool:
    """Bring the schema to the newest revision; True when anything ran."""
    from alembic import command

    if is_up_to_date(engine):
        return False
    try:
        command.upgrade(_alembic_config(engine), "head")
    except Exception as error:
        raise DatabaseError(f"the schema upgrade failed: {error}") from error
    return True


def is_embedded(engine: Engine) -> bool:
    """True for the SQLite file the app may upgrade by itself."""
    return engine.dialect.name == "sqlite"
