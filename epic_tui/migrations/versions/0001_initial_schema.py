"""Initial schema: employees, clients, contracts, events, token sessions.

Revision ID: 0001
Revises:
Create Date: 2026-12-03 11:55:25.148470
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import epic_tui.models

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "employees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column(
            "department",
            sa.Enum(
                "sales",
                "support",
                "management",
                name="department",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at", epic_tui.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", epic_tui.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employees")),
        sa.UniqueConstraint("email", name=op.f("uq_employees_email")),
    )
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_employees_department"), ["department"], unique=False
        )

    op.create_table(
        "auth_sessions",
        sa.Column("jti", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column(
            "issued_at", epic_tui.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "expires_at", epic_tui.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "revoked_at", epic_tui.models.UTCDateTime(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_auth_sessions_employee_id_employees"),
        ),
        sa.PrimaryKeyConstraint("jti", name=op.f("pk_auth_sessions")),
    )
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_auth_sessions_employee_id"), ["employee_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_auth_sessions_expires_at"), ["expires_at"], unique=False
        )

    op.create_table(
        "clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("company_name", sa.String(length=120), nullable=False),
        sa.Column(
            "created_at", epic_tui.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("last_contact", sa.Date(), nullable=False),
        sa.Column(
            "updated_at", epic_tui.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("sales_contact_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sales_contact_id"],
            ["employees.id"],
            name=op.f("fk_clients_sales_contact_id_employees"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clients")),
    )
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_clients_company_name"), ["company_name"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_clients_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_clients_email"), ["email"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_clients_full_name"), ["full_name"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_clients_last_contact"), ["last_contact"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_clients_sales_contact_id"),
            ["sales_contact_id"],
            unique=False,
        )

    op.create_table(
        "contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("sales_contact_id", sa.Integer(), nullable=False),
        sa.Column(
            "total_amount", epic_tui.models.Money(precision=12, scale=2), nullable=False
        ),
        sa.Column(
            "amount_due", epic_tui.models.Money(precision=12, scale=2), nullable=False
        ),
        sa.Column(
            "created_at", epic_tui.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", epic_tui.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("signed", sa.Boolean(), nullable=False),
        sa.Column(
            "signed_at", epic_tui.models.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("signed_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "amount_due >= 0 AND amount_due <= total_amount",
            name=op.f("ck_contracts_amount_due_range"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_contracts_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["sales_contact_id"],
            ["employees.id"],
            name=op.f("fk_contracts_sales_contact_id_employees"),
        ),
        sa.ForeignKeyConstraint(
            ["signed_by_id"],
            ["employees.id"],
            name=op.f("fk_contracts_signed_by_id_employees"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts")),
    )
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contracts_amount_due"), ["amount_due"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contracts_client_id"), ["client_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contracts_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contracts_sales_contact_id"),
            ["sales_contact_id"],
            unique=False,
        )
        batch_op.create_index("ix_contracts_signed_id", ["signed", "id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_contracts_total_amount"), ["total_amount"], unique=False
        )

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column(
            "start_at", epic_tui.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("end_at", epic_tui.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("support_contact_id", sa.Integer(), nullable=True),
        sa.Column("location", sa.String(length=255), nullable=False),
        sa.Column("attendees", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("onsite_contact_name", sa.String(length=120), nullable=False),
        sa.Column("onsite_contact_email", sa.String(length=254), nullable=False),
        sa.Column("onsite_contact_phone", sa.String(length=32), nullable=False),
        sa.Column(
            "created_at", epic_tui.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", epic_tui.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "attendees >= 0", name=op.f("ck_events_attendees_not_negative")
        ),
        sa.CheckConstraint(
            "end_at > start_at", name=op.f("ck_events_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_events_contract_id_contracts"),
        ),
        sa.ForeignKeyConstraint(
            ["support_contact_id"],
            ["employees.id"],
            name=op.f("fk_events_support_contact_id_employees"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_events_attendees"), ["attendees"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_events_contract_id"), ["contract_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_events_end_at"), ["end_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_events_location"), ["location"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_events_name"), ["name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_events_start_at"), ["start_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_events_support_contact_id"),
            ["support_contact_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_support_contact_id"))
        batch_op.drop_index(batch_op.f("ix_events_start_at"))
        batch_op.drop_index(batch_op.f("ix_events_name"))
        batch_op.drop_index(batch_op.f("ix_events_location"))
        batch_op.drop_index(batch_op.f("ix_events_end_at"))
        batch_op.drop_index(batch_op.f("ix_events_contract_id"))
        batch_op.drop_index(batch_op.f("ix_events_attendees"))

    op.drop_table("events")
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contracts_total_amount"))
        batch_op.drop_index("ix_contracts_signed_id")
        batch_op.drop_index(batch_op.f("ix_contracts_sales_contact_id"))
        batch_op.drop_index(batch_op.f("ix_contracts_created_at"))
        batch_op.drop_index(batch_op.f("ix_contracts_client_id"))
        batch_op.drop_index(batch_op.f("ix_contracts_amount_due"))

    op.drop_table("contracts")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clients_sales_contact_id"))
        batch_op.drop_index(batch_op.f("ix_clients_last_contact"))
        batch_op.drop_index(batch_op.f("ix_clients_full_name"))
        batch_op.drop_index(batch_op.f("ix_clients_email"))
        batch_op.drop_index(batch_op.f("ix_clients_created_at"))
        batch_op.drop_index(batch_op.f("ix_clients_company_name"))

    op.drop_table("clients")
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auth_sessions_expires_at"))
        batch_op.drop_index(batch_op.f("ix_auth_sessions_employee_id"))

    op.drop_table("auth_sessions")
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_employees_department"))

    op.drop_table("employees")
