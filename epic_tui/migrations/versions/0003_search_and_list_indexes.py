"""Full-text search and the indexes the lists filter and sort on.

SQLite gets FTS5 tables with the trigram tokenizer, kept in step with
``clients`` and ``events`` by triggers; PostgreSQL gets pg_trgm GIN
indexes, which serve the same case-insensitive substring search.
Keyset pagination orders by (column, id): SQLite indexes carry the rowid
already, PostgreSQL gets composite indexes.

Note for later migrations: Alembic's batch mode recreates SQLite tables,
which drops their triggers; a batch migration of ``clients`` or
``events`` must create the search triggers again.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 13:15:00
"""

from collections.abc import Sequence

from alembic import op

# The search DDL is shared with the seeding, which suspends the triggers
# for bulk loads; a later change of it comes with a migration of its own.
from epic_tui.services import search

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCHED = search.SEARCHED
KEYSET = {
    "clients": ("full_name", "company_name", "email", "last_contact", "created_at"),
    "contracts": ("total_amount", "amount_due", "created_at"),
    "events": ("name", "start_at", "end_at", "location", "attendees"),
}


def upgrade() -> None:
    # The dashboards' waiting work: one support person's or nobody's
    # upcoming events, and a salesperson's unsigned contracts.
    op.create_index(
        "ix_events_support_contact_start",
        "events",
        ["support_contact_id", "start_at", "id"],
    )
    op.create_index(
        "ix_contracts_signed_created", "contracts", ["signed", "created_at", "id"]
    )
    if op.get_bind().dialect.name == "sqlite":
        for table in SEARCHED:
            for statement in search.search_table_statements(table):
                op.execute(statement)
    elif op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table, columns in SEARCHED.items():
            for column in columns:
                op.execute(
                    f"CREATE INDEX ix_{table}_{column}_trgm ON {table} "
                    f"USING gin ({column} gin_trgm_ops)"
                )
        for table, columns in KEYSET.items():
            for column in columns:
                op.create_index(f"ix_{table}_{column}_id", table, [column, "id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in SEARCHED:
            for statement in search.drop_trigger_statements(table):
                op.execute(statement)
            op.execute(f"DROP TABLE IF EXISTS {table}_search")
    elif op.get_bind().dialect.name == "postgresql":
        for table, columns in KEYSET.items():
            for column in columns:
                op.drop_index(f"ix_{table}_{column}_id", table)
        for table, columns in SEARCHED.items():
            for column in columns:
                op.execute(f"DROP INDEX IF EXISTS ix_{table}_{column}_trgm")
    op.drop_index("ix_contracts_signed_created", "contracts")
    op.drop_index("ix_events_support_contact_start", "events")
