"""Read access to clients, contracts, events and employees, page by page.

Every list is fetched from SQL one page at a time with keyset pagination
on (sort key, id) row values, so the hundredth page costs what the first
one does and no table is ever held whole in memory. Filters and the
free-text search are applied in SQL too, with bound parameters only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeAlias, TypeVar

from sqlalchemy import (
    ColumnElement,
    Select,
    func,
    literal,
    or_,
    select,
    tuple_,
    union,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, aliased

from epic_tui.clock import Clock, utc_now
from epic_tui.models import Client, Contract, Department, Employee, Event
from epic_tui.services.database import SessionFactory
from epic_tui.services.dto import SignedIn
from epic_tui.services.errors import (
    EpicError,
    PermissionDenied,
    SessionExpired,
    ValidationError,
)
from epic_tui.services.permissions import Operation, is_allowed
from epic_tui.services.search import MIN_INDEXED_LENGTH, matching_ids

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_SEARCH_LENGTH = 100
FEW_MATCHES = 2000
"""Up to this many full-text matches a list is drawn from the matches."""
"""The longest search text accepted; longer text is refused, not cut."""

LIKE_ESCAPE = "\\"
"""The escape character of LIKE patterns built from search text."""

PROGRESS_STEPS = 20_000
"""SQLite steps between two checks that a query's answer is still wanted."""

Cancelled = Callable[[], bool]
"""Answers, while a query runs, whether its result is no longer wanted."""


class QueryCancelled(EpicError):
    """A query stopped because nobody wants its answer any more."""

    def __init__(self) -> None:
        super().__init__("The list was asked for again before it was ready.")


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

Query: TypeAlias = "Select[*tuple[Any, ...]]"
"""A SELECT of any columns."""


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
    ``search`` is plain text matched anywhere in the list's searchable
    columns, without regard to case; an empty text matches every row.
    """

    sort: str = "id"
    descending: bool = False
    filters: frozenset[str] = frozenset()
    after: tuple[Any, int] | None = None
    size: int = PAGE_SIZE
    search: str = ""


@dataclass(frozen=True)
class Page(Generic[Row]):
    """One page of rows and the cursor that continues after it."""

    rows: tuple[Row, ...]
    next_after: tuple[Any, int] | None


Condition = Callable[[SignedIn, datetime], ColumnElement[bool]]

EVERY_DEPARTMENT = frozenset(Department)


@dataclass(frozen=True)
class ListFilter:
    """One way to narrow a list, and whose dashboards offer it.

    Attributes:
        label: What the toggle on the dashboard says.
        condition: The SQL condition, given the actor and the present.
        operation: The permission the filter needs, if any; a request
            for it without that permission is refused.
        offered_to: The departments whose dashboards show the toggle;
            "my clients" means something only to a salesperson.
    """

    label: str
    condition: Condition
    operation: Operation | None = None
    offered_to: frozenset[Department] = EVERY_DEPARTMENT


@dataclass(frozen=True)
class ListSpec(Generic[Row]):
    """How one kind of record is listed: query, columns, sorts and filters.

    Every shown column is sortable; ``sorts`` maps its key to the SQL
    expression ordered on. ``searched`` are the columns the search text
    is looked for in.
    """

    name: str
    columns: tuple[Column, ...]
    query: Callable[[], Query]
    id_column: Any
    sorts: dict[str, Any]
    filters: dict[str, ListFilter]
    searched: tuple[Any, ...]
    make_row: Callable[[Sequence[Any]], Row]
    indexed_search: Callable[[str, bool], ColumnElement[bool]] | None = None
    """The same search through a full-text index, where SQLite has one.

    Its second argument says whether the text matches few rows: a list
    may then be drawn from the matches rather than scanned in order."""
    match_probe: Callable[[str], Query] | None = None
    """Counts the full-text matches, up to ``FEW_MATCHES + 1``."""


_sales = aliased(Employee, name="sales_contact")
_support = aliased(Employee, name="support_contact")
_event_client = aliased(Client, name="event_client")


def _capped_count(ids: Query) -> Any:
    """How many rows ``ids`` has, counting no further than one past few."""
    capped = ids.limit(FEW_MATCHES + 1).subquery()
    return select(func.count()).select_from(capped).scalar_subquery()


def _event_search(text: str, few: bool) -> ColumnElement[bool]:
    """Events whose name or location, or whose client's name, holds ``text``.

    With few matches the events are drawn from one union of the matching
    ids, which SQLite reads from the indexes; with many, the list's own
    order finds a page of them sooner, so each match set is probed.
    """
    by_event = matching_ids("events_search", text)
    by_client = matching_ids("clients_search", text, "full_name")
    if few:
        of_clients = (
            select(Event.id)
            .join(Contract, Event.contract_id == Contract.id)
            .where(Contract.client_id.in_(by_client))
        )
        return Event.id.in_(union(by_event, of_clients))
    return or_(Event.id.in_(by_event), _event_client.id.in_(by_client))


def _client_query() -> Query:
    return select(Client, _sales.full_name).join(
        _sales, Client.sales_contact_id == _sales.id
    )


def _client_row(result: Sequence[Any]) -> ClientRow:
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


def _contract_query() -> Query:
    return (
        select(Contract, Client.full_name, _sales.full_name)
        .join(Client, Contract.client_id == Client.id)
        .join(_sales, Contract.sales_contact_id == _sales.id)
    )


def _contract_row(result: Sequence[Any]) -> ContractRow:
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


def _event_query() -> Query:
    return (
        select(Event, _event_client.full_name, _support.full_name)
        .join(Contract, Event.contract_id == Contract.id)
        .join(_event_client, Contract.client_id == _event_client.id)
        .outerjoin(_support, Event.support_contact_id == _support.id)
    )


def _event_row(result: Sequence[Any]) -> EventRow:
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


def _employee_row(result: Sequence[Any]) -> EmployeeRow:
    (employee,) = result
    return EmployeeRow(
        id=employee.id,
        full_name=employee.full_name,
        email=employee.email,
        phone=employee.phone,
        department=employee.department,
        active=employee.active,
        version=employee.version,
    )


def _columns(
    *columns: tuple[str, str], unsorted: frozenset[str] = frozenset()
) -> tuple[Column, ...]:
    return tuple(
        Column(key, label, sortable=key not in unsorted) for key, label in columns
    )


# Names joined from another table sort only where the join stays cheap at
# full size: ordering a million events or 200,000 contracts by a name held
# in another table takes seconds, as no index spans both tables.
_JOINED_NAMES = frozenset({"client", "sales_contact", "support_contact"})


SALES_ONLY = frozenset({Department.SALES})
SUPPORT_ONLY = frozenset({Department.SUPPORT})
MANAGEMENT_ONLY = frozenset({Department.MANAGEMENT})
NOBODY: frozenset[Department] = frozenset()

CLIENTS: ListSpec[ClientRow] = ListSpec(
    name="clients",
    columns=_columns(
        ("id", "#"),
        ("full_name", "Client"),
        ("company_name", "Company"),
        ("email", "Email"),
        ("phone", "Phone"),
        ("last_contact", "Last contact"),
        ("sales_contact", "Sales contact"),
    ),
    query=_client_query,
    id_column=Client.id,
    sorts={
        "id": Client.id,
        "full_name": Client.full_name,
        "company_name": Client.company_name,
        "email": Client.email,
        "phone": Client.phone,
        "last_contact": Client.last_contact,
        "sales_contact": _sales.full_name,
        "created_at": Client.created_at,
    },
    filters={
        "mine": ListFilter(
            "My clients",
            lambda actor, _now: Client.sales_contact_id == actor.employee.id,
            offered_to=SALES_ONLY,
        ),
    },
    searched=(Client.full_name, Client.email, Client.company_name),
    indexed_search=lambda text, _few: Client.id.in_(
        matching_ids("clients_search", text)
    ),
    make_row=_client_row,
)

_UNSIGNED_OR_UNPAID = Operation.LIST_UNSIGNED_OR_UNPAID

CONTRACTS: ListSpec[ContractRow] = ListSpec(
    name="contracts",
    columns=_columns(
        ("id", "#"),
        ("client", "Client"),
        ("sales_contact", "Sales contact"),
        ("total_amount", "Total"),
        ("amount_due", "Amount due"),
        ("signed", "Signed"),
        ("created_at", "Created"),
        unsorted=_JOINED_NAMES,
    ),
    query=_contract_query,
    id_column=Contract.id,
    sorts={
        "id": Contract.id,
        "total_amount": Contract.total_amount,
        "amount_due": Contract.amount_due,
        "signed": Contract.signed,
        "created_at": Contract.created_at,
    },
    filters={
        "mine": ListFilter(
            "My contracts",
            lambda actor, _now: Contract.sales_contact_id == actor.employee.id,
            offered_to=SALES_ONLY,
        ),
        "unsigned": ListFilter(
            "Unsigned",
            lambda _actor, _now: Contract.signed.is_(False),
            operation=_UNSIGNED_OR_UNPAID,
        ),
        "unpaid": ListFilter(
            "Not fully paid",
            lambda _actor, _now: Contract.amount_due > 0,
            operation=_UNSIGNED_OR_UNPAID,
        ),
        "needs_attention": ListFilter(
            "Unsigned or not fully paid",
            lambda _actor, _now: or_(
                Contract.signed.is_(False), Contract.amount_due > 0
            ),
            operation=_UNSIGNED_OR_UNPAID,
            offered_to=NOBODY,
        ),
    },
    searched=(Client.full_name,),
    indexed_search=lambda text, _few: Contract.client_id.in_(
        matching_ids("clients_search", text, "full_name")
    ),
    make_row=_contract_row,
)

EVENTS: ListSpec[EventRow] = ListSpec(
    name="events",
    columns=_columns(
        ("id", "#"),
        ("name", "Event"),
        ("client", "Client"),
        ("start_at", "Starts"),
        ("end_at", "Ends"),
        ("support_contact", "Support contact"),
        ("location", "Location"),
        ("attendees", "Attendees"),
        unsorted=_JOINED_NAMES,
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
        "mine": ListFilter(
            "My events",
            lambda actor, _now: Event.support_contact_id == actor.employee.id,
            offered_to=SUPPORT_ONLY,
        ),
        "upcoming": ListFilter("Upcoming", lambda _actor, now: Event.start_at >= now),
        "unassigned": ListFilter(
            "Without support",
            lambda _actor, _now: Event.support_contact_id.is_(None),
            operation=Operation.LIST_UNASSIGNED_EVENTS,
        ),
    },
    searched=(Event.name, Event.location, _event_client.full_name),
    indexed_search=lambda text, few: _event_search(text, few),
    match_probe=lambda text: select(
        _capped_count(matching_ids("events_search", text))
        + _capped_count(matching_ids("clients_search", text, "full_name"))
    ),
    make_row=_event_row,
)

EMPLOYEES: ListSpec[EmployeeRow] = ListSpec(
    name="employees",
    columns=_columns(
        ("id", "#"),
        ("full_name", "Name"),
        ("email", "Email"),
        ("phone", "Phone"),
        ("department", "Department"),
        ("active", "Active"),
    ),
    query=lambda: select(Employee),
    id_column=Employee.id,
    sorts={
        "id": Employee.id,
        "full_name": Employee.full_name,
        "email": Employee.email,
        "phone": Employee.phone,
        "department": Employee.department,
        "active": Employee.active,
    },
    filters={
        "active": ListFilter(
            "Active only",
            lambda _actor, _now: Employee.active.is_(True),
            offered_to=MANAGEMENT_ONLY,
        ),
    },
    searched=(Employee.full_name, Employee.email),
    make_row=_employee_row,
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


def filters_offered(actor: SignedIn, list_name: str) -> dict[str, str]:
    """The filters this employee's dashboard offers on a list, with labels.

    A filter is offered where it means something to the department and
    where the employee holds the permission it needs.
    """
    department = actor.employee.department
    return {
        name: spec_filter.label
        for name, spec_filter in _spec(list_name).filters.items()
        if department in spec_filter.offered_to and _may_use(actor, spec_filter)
    }


def like_pattern(text: str) -> str:
    """A LIKE pattern that finds ``text`` anywhere, every character literal.

    The escape character itself, ``%`` and ``_`` are escaped, so quotes,
    percent signs, underscores and backslashes match only themselves.
    """
    escaped = (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return f"%{escaped}%"


class Catalog:
    """Pages through the company's records for a logged-in employee."""

    def __init__(
        self,
        sessions: SessionFactory,
        *,
        clock: Clock = utc_now,
        full_text: bool = False,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        # SQLite answers long searches from its FTS5 tables; PostgreSQL's
        # pg_trgm indexes serve ILIKE itself, so it needs no other query.
        self._full_text = full_text

    def page(
        self,
        actor: SignedIn,
        list_name: str,
        request: PageRequest,
        *,
        cancelled: Cancelled | None = None,
    ) -> Page[Any]:
        """Fetch one page of the list named ``list_name``.

        Args:
            actor: who is looking.
            list_name: "clients", "contracts", "events" or "employees".
            request: sort, filters, search text, cursor and size.
            cancelled: tells, while the query runs, whether its answer is
                still wanted; a search superseded by the next keystroke
                then stops instead of scanning on.

        Raises:
            SessionExpired: the actor's session has run out.
            ValidationError: an unknown list, sort or filter was asked for,
                or the search text is too long.
            PermissionDenied: a filter needs a permission the actor lacks.
            QueryCancelled: ``cancelled`` said so before the query ended.
        """
        now = self._require(actor)
        spec = _spec(list_name)
        sort_key = _sort_key(spec, request.sort)
        size = max(1, min(request.size, MAX_PAGE_SIZE))
        conditions = _conditions(
            spec,
            request.filters,
            request.search,
            actor,
            now,
            self._full_text,
            self._few_matches(spec, request.search),
        )

        # The sort key is selected alongside the row: it becomes the cursor.
        query = spec.query().add_columns(sort_key).where(*conditions)
        key = tuple_(sort_key, spec.id_column)
        if request.after is not None:
            sort_value, last_id = request.after
            cursor = tuple_(
                literal(sort_value, sort_key.type),
                literal(last_id, spec.id_column.type),
            )
            query = query.where(key < cursor if request.descending else key > cursor)
        ordering = (
            (sort_key.desc(), spec.id_column.desc())
            if request.descending
            else (sort_key.asc(), spec.id_column.asc())
        )
        query = query.order_by(*ordering).limit(size + 1)

        with self._sessions() as session:
            results = _all(session, query, cancelled)
            rows = tuple(spec.make_row(tuple(result)[:-1]) for result in results[:size])
        next_after = None
        if len(results) > size:
            last = results[size - 1]
            next_after = (last[-1], int(last[0].id))
        return Page(rows=rows, next_after=next_after)

    def count(
        self,
        actor: SignedIn,
        list_name: str,
        filters: Iterable[str] = (),
        search: str = "",
        *,
        cancelled: Cancelled | None = None,
    ) -> int:
        """Count the rows a list would show; may be slow, run it aside.

        Raises:
            SessionExpired: the actor's session has run out.
            ValidationError: an unknown list or filter, or too long a search.
            PermissionDenied: a filter needs a permission the actor lacks.
            QueryCancelled: ``cancelled`` said so before the count ended.
        """
        now = self._require(actor)
        spec = _spec(list_name)
        conditions = _conditions(
            spec,
            frozenset(filters),
            search,
            actor,
            now,
            self._full_text,
            self._few_matches(spec, search),
        )
        if search:
            # The search may look into joined tables: count the whole query.
            query = select(func.count()).select_from(
                spec.query().where(*conditions).subquery()
            )
        else:
            # Filters are on the listed table, and its joins never drop a
            # row (their keys are required), so its own index does the count.
            query = select(func.count(spec.id_column)).where(*conditions)
        with self._sessions() as session:
            return int(_all(session, query, cancelled)[0][0] or 0)

    def _few_matches(self, spec: ListSpec[Any], search: str) -> bool:
        """Whether the full-text index holds few matches of ``search``."""
        if not (
            self._full_text
            and spec.match_probe is not None
            and MIN_INDEXED_LENGTH <= len(search) <= MAX_SEARCH_LENGTH
        ):
            return False
        with self._sessions() as session:
            return (session.scalar(spec.match_probe(search)) or 0) <= FEW_MATCHES

    def _require(self, actor: SignedIn) -> datetime:
        now = self._clock()
        if now >= actor.expires_at:
            raise SessionExpired()
        return now


def _all(session: Session, query: Query, cancelled: Cancelled | None) -> Sequence[Any]:
    """Run ``query`` to the end, unless ``cancelled`` says to stop.

    SQLite checks the progress handler every few thousand steps of the
    query; a true answer aborts it. Other databases run the query whole.
    """
    if cancelled is None:
        return session.execute(query).all()
    driver = session.connection().connection.dbapi_connection
    set_handler = getattr(driver, "set_progress_handler", None)
    if set_handler is not None:
        set_handler(lambda: 1 if cancelled() else 0, PROGRESS_STEPS)
    try:
        return session.execute(query).all()
    except OperationalError:
        if cancelled():
            raise QueryCancelled() from None
        raise
    finally:
        if set_handler is not None:
            set_handler(None, 0)


def _conditions(
    spec: ListSpec[Any],
    names: frozenset[str],
    search: str,
    actor: SignedIn,
    now: datetime,
    full_text: bool = False,
    few_matches: bool = False,
) -> list[ColumnElement[bool]]:
    """The WHERE conditions of the filters and the search text."""
    unknown = names - spec.filters.keys()
    if unknown:
        raise ValidationError({"filter": f"Unknown filter: {sorted(unknown)[0]}"})
    conditions = []
    for name in sorted(names):
        spec_filter = spec.filters[name]
        if not _may_use(actor, spec_filter):
            raise PermissionDenied(f"You may not list {spec_filter.label.lower()}.")
        conditions.append(spec_filter.condition(actor, now))
    if search:
        conditions.append(_search_condition(spec, search, full_text, few_matches))
    return conditions


def _search_condition(
    spec: ListSpec[Any], search: str, full_text: bool, few_matches: bool
) -> ColumnElement[bool]:
    if len(search) > MAX_SEARCH_LENGTH:
        raise ValidationError(
            {"search": f"Search for at most {MAX_SEARCH_LENGTH} characters."}
        )
    if full_text and spec.indexed_search and len(search) >= MIN_INDEXED_LENGTH:
        return spec.indexed_search(search, few_matches)
    pattern = like_pattern(search)
    return or_(*(column.ilike(pattern, escape=LIKE_ESCAPE) for column in spec.searched))


def _may_use(actor: SignedIn, spec_filter: ListFilter) -> bool:
    return spec_filter.operation is None or is_allowed(actor, spec_filter.operation)


def _spec(list_name: str) -> ListSpec[Any]:
    try:
        return SPECS[list_name]
    except KeyError:
        raise ValidationError({"list": f"Unknown list: {list_name}"}) from None


def _sort_key(spec: ListSpec[Any], sort: str) -> Any:
    try:
        column = spec.sorts[sort]
    except KeyError:
        raise ValidationError({"sort": f"Cannot sort {spec.name} by {sort}"}) from None
    return column.label("sort_key")
