"""Plain records handed from services to screens; no live ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from epic_tui.models import Department, Employee


@dataclass(frozen=True)
class EmployeeInfo:
    """An employee as the rest of the app sees them: never the hash."""

    id: int
    full_name: str
    email: str
    phone: str
    department: Department
    active: bool

    @classmethod
    def of(cls, employee: Employee) -> EmployeeInfo:
        """Copy the visible fields of an ORM employee."""
        return cls(
            id=employee.id,
            full_name=employee.full_name,
            email=employee.email,
            phone=employee.phone,
            department=employee.department,
            active=employee.active,
        )


@dataclass(frozen=True)
class SignedIn:
    """A verified session: who is logged in and until when."""

    employee: EmployeeInfo
    expires_at: datetime
    must_change_password: bool = False
    token_id: str | None = field(default=None, repr=False)
    """The session's token id; every action checks it is still open."""


@dataclass(frozen=True)
class EmployeeDetail(EmployeeInfo):
    """An employee as a management form edits them, with their version."""

    must_change_password: bool
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def of(cls, employee: Employee) -> EmployeeDetail:
        """Copy the visible fields of an ORM employee, and its version."""
        return cls(
            id=employee.id,
            full_name=employee.full_name,
            email=employee.email,
            phone=employee.phone,
            department=employee.department,
            active=employee.active,
            must_change_password=employee.must_change_password,
            created_at=employee.created_at,
            updated_at=employee.updated_at,
            version=employee.version,
        )


@dataclass(frozen=True)
class ClientInput:
    """What a person types in the client form, as typed.

    ``last_contact`` is an ISO date (``YYYY-MM-DD``); empty means today
    when the client is created and "unchanged" when it is updated.
    """

    full_name: str
    email: str
    phone: str = ""
    company_name: str = ""
    last_contact: str = ""


@dataclass(frozen=True)
class ClientDetail:
    """One client, with the name of their sales contact."""

    id: int
    full_name: str
    email: str
    phone: str
    company_name: str
    last_contact: date
    created_at: datetime
    updated_at: datetime
    sales_contact_id: int
    sales_contact: str
    version: int


@dataclass(frozen=True)
class ContractInput:
    """What a person types in the contract form, as typed.

    Amounts are plain decimals with a dot and at most two decimals
    (``1250.00``); spaces between digit groups are allowed
    (``1 250.00``). An empty ``amount_due`` means the whole total.
    """

    client_id: int | str
    total_amount: str
    amount_due: str = ""


@dataclass(frozen=True)
class ContractDetail:
    """One contract, with the names of its client, sales contact and signer."""

    id: int
    client_id: int
    client: str
    sales_contact_id: int
    sales_contact: str
    total_amount: Decimal
    amount_due: Decimal
    signed: bool
    signed_at: datetime | None
    signed_by: str | None
    created_at: datetime
    updated_at: datetime
    version: int

    @property
    def fully_paid(self) -> bool:
        """True once nothing is left to pay."""
        return self.amount_due == 0


@dataclass(frozen=True)
class EventInput:
    """What a person types in the event form, as typed.

    ``start`` and ``end`` are ``YYYY-MM-DD HH:MM`` in the user's local
    time zone, or ISO 8601 with an offset. When the on-site contact is
    left wholly empty, it is the client.
    """

    contract_id: int | str
    name: str
    start: str
    end: str
    location: str = ""
    attendees: str = "0"
    notes: str = ""
    onsite_contact_name: str = ""
    onsite_contact_email: str = ""
    onsite_contact_phone: str = ""


@dataclass(frozen=True)
class EventDetail:
    """One event, with the names of its client and support contact."""

    id: int
    name: str
    contract_id: int
    client_id: int
    client: str
    start_at: datetime
    end_at: datetime
    support_contact_id: int | None
    support_contact: str | None
    location: str
    attendees: int
    notes: str
    onsite_contact_name: str
    onsite_contact_email: str
    onsite_contact_phone: str
    created_at: datetime
    updated_at: datetime
    version: int


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a record's history: who changed what, and when.

    ``changes`` maps each field that changed to its (before, after) text.
    """

    at: datetime
    actor: str | None
    action: str
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
