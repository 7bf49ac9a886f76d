"""The database schema: employees, clients, contracts, events, sessions.

Money is kept exact and instants in UTC on every backend, SQLite included
(SQLite has neither a decimal type nor time zones).
"""

from __future__ import annotations

import enum
import unicodedata
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

CENTS = Decimal("0.01")


def fold_email(email: str) -> str:
    """Return the canonical form of an email: trimmed, NFKC, case-folded."""
    return unicodedata.normalize("NFKC", email.strip()).casefold()


class Department(enum.StrEnum):
    """The three departments of Epic Events."""

    SALES = "sales"
    SUPPORT = "support"
    MANAGEMENT = "management"


class Money(TypeDecorator[Decimal]):
    """A Decimal amount with two places, never a float.

    PostgreSQL stores it as NUMERIC(12, 2). SQLite would turn NUMERIC into
    a float, so there it is stored as whole cents in an integer column.
    """

    impl = Numeric(12, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(12, 2, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        amount = Decimal(value).quantize(CENTS)
        if dialect.name == "sqlite":
            return int(amount * 100)
        return amount

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / 100).quantize(CENTS)
        return Decimal(value).quantize(CENTS)


class UTCDateTime(TypeDecorator[datetime]):
    """An instant that is always aware and in UTC once loaded.

    Naive datetimes are refused on the way in: they are the bug of a
    forgotten time zone, not a value to guess about.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError("instants must be aware datetimes")
        instant = value.astimezone(UTC)
        # SQLite keeps text; store it naive so every row compares alike.
        return instant.replace(tzinfo=None) if dialect.name == "sqlite" else instant

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        instant: datetime = value
        if instant.tzinfo is None:
            return instant.replace(tzinfo=UTC)
        return instant.astimezone(UTC)


NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names for migrations."""

    metadata = MetaData(naming_convention=NAMING)


def _department_type() -> Enum:
    return Enum(
        Department,
        name="department",
        native_enum=False,
        values_callable=lambda members: [member.value for member in members],
        length=16,
        create_constraint=True,
    )


class Employee(Base):
    """Someone who works at Epic Events and may log in."""

    __tablename__ = "employees"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    phone: Mapped[str] = mapped_column(String(32), default="")
    department: Mapped[Department] = mapped_column(_department_type(), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)


class Client(Base):
    """A customer of Epic Events, looked after by one salesperson."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120), index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    phone: Mapped[str] = mapped_column(String(32), default="")
    company_name: Mapped[str] = mapped_column(String(120), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    last_contact: Mapped[date] = mapped_column(Date, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sales_contact_id: Mapped[int] = mapped_column(
        ForeignKey("employees.id"), index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    sales_contact: Mapped[Employee] = relationship(lazy="raise")


class Contract(Base):
    """What a client agreed to pay for, signed or not yet."""

    __tablename__ = "contracts"
    __table_args__ = (
        CheckConstraint(
            "amount_due >= 0 AND amount_due <= total_amount", name="amount_due_range"
        ),
        Index("ix_contracts_signed_id", "signed", "id"),
        Index("ix_contracts_signed_created", "signed", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    sales_contact_id: Mapped[int] = mapped_column(
        ForeignKey("employees.id"), index=True
    )
    total_amount: Mapped[Decimal] = mapped_column(Money(), index=True)
    amount_due: Mapped[Decimal] = mapped_column(Money(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    client: Mapped[Client] = relationship(lazy="raise")


class Event(Base):
    """An occasion organised under a signed contract."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("end_at > start_at", name="ends_after_start"),
        CheckConstraint("attendees >= 0", name="attendees_not_negative"),
        Index(
            "ix_events_support_contact_start", "support_contact_id", "start_at", "id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    support_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("employees.id"), index=True
    )
    location: Mapped[str] = mapped_column(String(255), index=True, default="")
    attendees: Mapped[int] = mapped_column(Integer, index=True, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    onsite_contact_name: Mapped[str] = mapped_column(String(120), default="")
    onsite_contact_email: Mapped[str] = mapped_column(String(254), default="")
    onsite_contact_phone: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)


class AuthSession(Base):
    """One issued token, so that logout can make it dead for good."""

    __tablename__ = "auth_sessions"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginThrottle(Base):
    """Consecutive failed logins for one (folded) email, known or not."""

    __tablename__ = "login_throttles"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditEntry(Base):
    """One change to a record: who, when, what, and each field before/after.

    ``changes`` is JSON text: ``{"field": [before, after], ...}``.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_record", "entity", "entity_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(Integer)
    changes: Mapped[str] = mapped_column(Text, default="{}")
