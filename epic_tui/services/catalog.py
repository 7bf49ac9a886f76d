"""Read access to clients, contracts, events and employees, page by page.

Every list is fetched from SQL one page at a time with keyset pagination
on (sort column, id) row values, so the hundredth page costs what the
first one does and no table is ever held whole in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, func, literal, or_, select, tuple_
from sqlalchemy.orm import aliased

from epic_tui.clock import Clock, utc_now
from epic_tui.models import Client, Contract, Department, Employee, Event
from epic_tui.services.database import SessionFactory
from epic_tui.services.dto import SignedIn
from epic_tui.services.errors import SessionExpired, ValidationError

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class ClientRow:
    """A client as listed."""

    id: int
    full_name: str
    company_name: str
    email: str
    phone: str
    last_contact: date
    sales_contact: str
    sales_contact_id: int
    created_at: datetime
    version: int


@dataclass(frozen=True)
class ContractRow:
    """A contract as listed."""

    id: int
    client: str
    client_id: int
    sales_contact: str
    sales_contact_id: int
    total_amount: Decimal
    amount_due: Decimal
    signed: bool
    created_at: datetime
    version: int

    @property
    def fully_paid(self) -> bool:
        """True once nothing is left to pay."""
        return self.amount_due == 0


@dataclass(frozen=True)
class EventRow:
    """An event as listed."""

    id: int
    name: str
    contract_id: int
    client: str
    start_at: datetime
    end_at: datetime
    support_contact: str | None
    support_contact_id: int | None
    location: str
    attendees: int
    version: int


@dataclass(frozen=True)
class EmployeeRow:
    """An employee as listed."""

    id: int
    full_name: str
    email: str
    phone: str
    department: Department
    active: bool
    version: int


Row = TypeVar("Row")


@dataclass(frozen=True)
class Column:
    """One column of a list: its key on the row, its title, sortable or not."""

    key: str
    label: str
    sortable: bool = False


@dataclass(frozen=True)
class PageRequest:
    """Which page of a list to fetch.

    ``after`` is the cursor of the last row of the previous page, as
    returned in ``Page.next_after``; None asks for the first page.
    """

    sort: str = "id"
    descending: bool = False
    filters: frozenset[str] = frozenset()
    after: tuple[Any, int] | None = None
    size: int = PAGE_SIZE


@dataclass(frozen=True)
class Page(Generic[Row]):
    """One page of rows and the cursor that continues after it."""

    rows: tuple[Row, ...]
    next_after: tuple[Any, int] | None


Filter = Callable[[SignedIn, datetime], ColumnElement[bool]]


@dataclass(frozen=True)
class ListSpec(Generic[Row]):
    """How one kind of record is listed: query, columns, sorts and filters."""

    name: str
    columns: tuple[Column, ...]
    query: Callable[[], Select[Any]]
    id_column: Any
    sorts: dict[str, Any]
    filters: dict[str, Filter]
    make_row: Callable[[Any], Row]


_sales = aliased(Employee, name="sales_contact")
_support = aliased(Employee, name="support_contact")
_event_client = aliased(Client, name="event_client")


def _client_query() -> Select[Any]:
    return select(Client, _sales.full_name).join(
        _sales, Client.sales_contact_id == _sales.id
    )


def _client_row(result: Any) -> ClientRow:
    client, sales_name = result
    return ClientRow(
        id=client.id,
        full_name=client.full_name,
        company_name=client.company_name,
        email=client.email,
        phone=client.phone,
        last_contact=client.last_contact,
        sales_contact=sales_name,
        sales_contact_id=client.sales_contact_id,
        created_at=client.created_at,
        version=client.version,
    )


def _contract_query() -> Select[Any]:
    return (
        select(Contract, Client.full_name, _sales.full_name)
        .join(Client, Contract.client_id == Client.id)
        .join(_sales, Contract.sales_contact_id == _sales.id)
    )


def _contract_row(result: Any) -> ContractRow:
    contract, client_name, sales_name = result
    return ContractRow(
        id=contract.id,
        client=client_name,
        client_id=contract.client_id,
        sales_contact=sales_name,
        sales_contact_id=contract.sales_contact_id,
        total_amount=contract.total_amount,
        amount_due=contract.amount_due,
        signed=contract.signed,
        created_at=contract.created_at,
        version=contract.version,
    )


def _event_query() -> Select[Any]:
    return (
        select(Event, _event_client.full_name, _support.full_name)
        .join(Contract, Event.contract_id == Contract.id)
        .join(_event_client, Contract.client_id == _event_client.id)
        .outerjoin(_support, Event.support_contact_id == _support.id)
    )


def _event_row(result: Any) -> EventRow:
    event, client_name, support_name = result
    return EventRow(
        id=event.id,
        name=event.name,
        contract_id=event.contract_id,
        client=client_name,
        start_at=event.start_at,
        end_at=event.end_at,
        support_contact=support_name,
        support_contact_id=event.support_contact_id,
        location=event.location,
        attendees=event.attendees,
        version=event.version,
    )


def _employee_row(employee: Employee) -> EmployeeRow:
    return EmployeeRow(
        id=employee.id,
        full_name=employee.full_name,
        email=employee.email,
        phone=employee.phone,
        department=employee.department,
        active=employee.active,
        version=employee.version,
    )


CLIENTS: ListSpec[ClientRow] = ListSpec(
    name="clients",
    columns=(
        Column("id", "#", sortable=True),
        Column("full_name", "Client", sortable=True),
        Column("company_name", "Company", sortable=True),
        Column("email", "Email", sortable=True),
        Column("phone", "Phone"),
        Column("last_contact", "Last contact", sortable=True),
        Column("sales_contact", "Sales contact"),
    ),
    query=_client_query,
    id_column=Client.id,
    sorts={
        "id": Client.id,
        "full_name": Client.full_name,
        "company_name": Client.company_name,
        "email": Client.email,
        "last_contact": Client.last_contact,
        "created_at": Client.created_at,
    },
    filters={
        "mine": lambda actor, _now: Client.sales_contact_id == actor.employee.id,
    },
    make_row=_client_row,
)

CONTRACTS: ListSpec[ContractRow] = ListSpec(
    name="contracts",
    columns=(
        Column("id", "#", sortable=True),
        Column("client", "Client"),
        Column("sales_contact", "Sales contact"),
        Column("total_amount", "Total", sortable=True),
        Column("amount_due", "Amount due", sortable=True),
        Column("signed", "Signed"),
        Column("created_at", "Created", sortable=True),
    ),
    query=_contract_query,
    id_column=Contract.id,
    sorts={
        "id": Contract.id,
        "total_amount": Contract.total_amount,
        "amount_due": Contract.amount_due,
        "created_at": Contract.created_at,
    },
    filters={
        "mine": lambda actor, _now: Contract.sales_contact_id == actor.employee.id,
        "unsigned": lambda _actor, _now: Contract.signed.is_(False),
        "unpaid": lambda _actor, _now: Contract.amount_due > 0,
        "needs_attention": lambda _actor, _now: or_(
            Contract.signed.is_(False), Contract.amount_due > 0
        ),
    },
    make_row=_contract_row,
)

EVENTS: ListSpec[EventRow] = ListSpec(
    name="events",
    columns=(
        Column("id", "#", sortable=True),
        Column("name", "Event", sortable=True),
        Column("client", "Client"),
        Column("start_at", "Starts", sortable=True),
        Column("end_at", "Ends", sortable=True),
        Column("support_contact", "Support contact"),
        Column("location", "Location", sortable=True),
        Column("attendees", "Attendees", sortable=True),
    ),
    query=_event_query,
    id_column=Event.id,
    sorts={
        "id": Event.id,
        "name": Event.name,
        "start_at": Event.start_at,
        "end_at": Event.end_at,
        "location": Event.location,
        "attendees": Event.attendees,
    },
    filters={
        "mine": lambda actor, _now: Event.support_contact_id == actor.employee.id,
        "upcoming": lambda _actor, now: Event.start_at >= now,
        "unassigned": lambda _actor, _now: Event.support_contact_id.is_(None),
    },
    make_row=_event_row,
)

EMPLOYEES: ListSpec[EmployeeRow] = ListSpec(
    name="employees",
    columns=(
        Column("id", "#", sortable=True),
        Column("full_name", "Name", sortable=True),
        Column("email", "Email", sortable=True),
        Column("phone", "Phone"),
        Column("department", "Department", sortable=True),
        Column("active", "Active"),
    ),
    query=lambda: select(Employee),
    id_column=Employee.id,
    sorts={
        "id": Employee.id,
        "full_name": Employee.full_name,
        "email": Employee.email,
        "department": Employee.department,
    },
    filters={
        "active": lambda _actor, _now: Employee.active.is_(True),
    },
    make_row=lambda result: _employee_row(result[0]),
)

SPECS: dict[str, ListSpec[Any]] = {
    spec.name: spec for spec in (CLIENTS, CONTRACTS, EVENTS, EMPLOYEES)
}


@dataclass(frozen=True)
class WaitingWork:
    """The list on a dashboard that shows what waits for this person."""

    title: str
    list_name: str
    request: PageRequest


def waiting_work_for(department: Department) -> WaitingWork:
    """What each department is expected to act on first."""
    if department is Department.SALES:
        return WaitingWork(
            "My contracts to sign or to be paid",
            "contracts",
            PageRequest(filters=frozenset({"mine", "needs_attention"})),
        )
    if department is Department.SUPPORT:
        return WaitingWork(
            "My upcoming events",
            "events",
            PageRequest(sort="start_at", filters=frozenset({"mine", "upcoming"})),
        )
    return WaitingWork(
        "Upcoming events without support",
        "events",
        PageRequest(sort="start_at", filters=frozenset({"unassigned", "upcoming"})),
    )


class Catalog:
    """Pages through the company's records for a logged-in employee."""

    def __init__(self, sessions: SessionFactory, *, clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    def page(self, actor: SignedIn, list_name: str, request: PageRequest) -> Page[Any]:
        """Fetch one page of the list named ``list_name``.

        Raises:
            SessionExpired: the actor's session has run out.
            ValidationError: an unknown list, sort or filter was asked for.
        """
        now = self._require(actor)
        spec = _spec(list_name)
        sort_column = _sort_column(spec, request.sort)
        size = max(1, min(request.size, MAX_PAGE_SIZE))
        query = spec.query().where(*self._conditions(spec, request.filters, actor, now))
        key = tuple_(sort_column, spec.id_column)
        if request.after is not None:
            sort_value, last_id = request.after
            cursor = tuple_(
                literal(sort_value, sort_column.type),
                literal(last_id, spec.id_column.type),
            )
            query = query.where(key < cursor if request.descending else key > cursor)
        ordering = (
            (sort_column.desc(), spec.id_column.desc())
            if request.descending
            else (sort_column.asc(), spec.id_column.asc())
        )
        query = query.order_by(*ordering).limit(size + 1)
        with self._sessions() as session:
            results = session.execute(query).all()
            rows = tuple(spec.make_row(result) for result in results[:size])
            more = len(results) > size
            last = results[size - 1] if more else None
            next_after = (
                (_sort_value(last, sort_column), _row_id(last)) if last else None
            )
        return Page(rows=rows, next_after=next_after)

    def count(
        self, actor: SignedIn, list_name: str, filters: Iterable[str] = ()
    ) -> int:
        """Count the rows a list would show; may be slow, run it aside."""
        now = self._require(actor)
        spec = _spec(list_name)
        conditions = self._conditions(spec, frozenset(filters), actor, now)
        query = select(func.count()).select_from(
            spec.query().where(*conditions).subquery()
        )
        with self._sessions() as session:
            return session.scalar(query) or 0

    def _require(self, actor: SignedIn) -> datetime:
        now = self._clock()
        if now >= actor.expires_at:
            raise SessionExpired()
        return now

    @staticmethod
    def _conditions(
        spec: ListSpec[Any], names: frozenset[str], actor: SignedIn, now: datetime
    ) -> Sequence[ColumnElement[bool]]:
        unknown = names - spec.filters.keys()
        if unknown:
            raise ValidationError({"filter": f"Unknown filter: {sorted(unknown)[0]}"})
        return [spec.filters[name](actor, now) for name in sorted(names)]


def _spec(list_name: str) -> ListSpec[Any]:
    try:
        return SPECS[list_name]
    except KeyError:
        raise ValidationError({"list": f"Unknown list: {list_name}"}) from None


def _sort_column(spec: ListSpec[Any], sort: str) -> Any:
    try:
        return spec.sorts[sort]
    except KeyError:
        raise ValidationError({"sort": f"Cannot sort {spec.name} by {sort}"}) from None


def _record(result: Any) -> Any:
    return result[0]


def _sort_value(result: Any, sort_column: Any) -> Any:
    return getattr(_record(result), sort_column.key)


def _row_id(result: Any) -> int:
    return int(_record(result).id)
