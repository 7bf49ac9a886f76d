"""The lists behind the dashboard: search, filters, sorting and paging."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from epic_tui.models import Department
from epic_tui.services.backend import Backend
from epic_tui.services.catalog import SPECS, PageRequest, filters_offered
from epic_tui.services.dto import SignedIn
from epic_tui.services.errors import (
    PermissionDenied,
    SessionExpired,
    ValidationError,
)
from tests.conftest import ManualClock
from tests.factories_ui import Records

TRICKY_NAME = '100% "Fun" _party_ \\ co'


@pytest.fixture
def records(backend: Backend, clock: ManualClock) -> Records:
    return Records(backend, clock.now)


@pytest.fixture
def sales_id(records: Records) -> int:
    return records.employee(Department.SALES, "Sam Seller")


@pytest.fixture
def sales(records: Records, sales_id: int) -> SignedIn:
    return records.session_of(sales_id)


@pytest.fixture
def support(records: Records) -> SignedIn:
    return records.session_of(records.employee(Department.SUPPORT, "Sue Porter"))


@pytest.fixture
def manager(records: Records) -> SignedIn:
    return records.session_of(records.employee(Department.MANAGEMENT, "Mia Boss"))


def names(
    backend: Backend, actor: SignedIn, list_name: str, **request: Any
) -> list[str]:
    page = backend.catalog.page(actor, list_name, PageRequest(size=200, **request))
    key = "name" if list_name == "events" else "full_name"
    if list_name == "contracts":
        key = "client"
    return [getattr(row, key) for row in page.rows]


@pytest.mark.parametrize(
    "text", ["100%", '"Fun"', "_party_", "\\", '% "', "_ \\ c", '"FUN"', 'fun" _p']
)
def test_search_matches_quotes_percent_underscore_backslash_literally(
    backend: Backend, records: Records, sales: SignedIn, sales_id: int, text: str
) -> None:
    """F25: each piece of a tricky name finds it, and only it, case aside."""
    records.client(sales_id, TRICKY_NAME)
    records.client(sales_id, "1000 Fun parties")
    records.client(sales_id, "Plain Client")
    assert names(backend, sales, "clients", search=text) == [TRICKY_NAME]


@pytest.mark.parametrize("text", ["%", "_", "%%", "\\%", "'", "' OR 1=1 --"])
def test_wildcards_alone_match_only_rows_that_contain_them(
    backend: Backend, records: Records, sales: SignedIn, sales_id: int, text: str
) -> None:
    """F25: ``%`` or ``_`` alone, or SQL, is text to find, not a pattern."""
    records.client(sales_id, "Plain Client")
    records.client(sales_id, "Another Client")
    assert names(backend, sales, "clients", search=text) == []


def test_search_looks_in_client_name_email_and_company(
    backend: Backend, records: Records, sales: SignedIn, sales_id: int
) -> None:
    records.client(sales_id, "Alice", email="alice@zeta.example")
    records.client(sales_id, "Bob", company_name="Zeta Events")
    records.client(sales_id, "Zeta Jones")
    records.client(sales_id, "Carol")
    assert sorted(names(backend, sales, "clients", search="zeta")) == [
        "Alice",
        "Bob",
        "Zeta Jones",
    ]


def test_search_of_contracts_and_events_uses_the_client_name(
    backend: Backend, records: Records, sales: SignedIn, sales_id: int
) -> None:
    wanted = records.client(sales_id, "Wanted [Corp]")
    other = records.client(sales_id, "Other")
    records.event(records.contract(wanted, signed=True), "Gala", location="Lyon")
    records.event(records.contract(other, signed=True), "Wanted party")
    records.event(records.contract(other, signed=True), "Dinner", location="Wanted")
    assert names(backend, sales, "contracts", search="wanted [") == ["Wanted [Corp]"]
    assert sorted(names(backend, sales, "events", search="WANTED")) == [
        "Dinner",
        "Gala",
        "Wanted party",
    ]
    assert names(backend, sales, "events", search="lyon") == ["Gala"]


def test_search_of_employees_uses_name_and_email(
    backend: Backend, records: Records, manager: SignedIn
) -> None:
    records.employee(Department.SUPPORT, "Ola Nordmann", email="ola@x.example")
    records.employee(Department.SUPPORT, "Kari", email="kari.nordmann@x.example")
    assert sorted(names(backend, manager, "employees", search="nordmann")) == [
        "Kari",
        "Ola Nordmann",
    ]


def test_search_and_filters_combine(
    backend: Backend, records: Records, sales: SignedIn, sales_id: int
) -> None:
    colleague = records.employee(Department.SALES, "Other Seller")
    records.client(sales_id, "Mine Alpha")
    records.client(colleague, "Theirs Alpha")
    found = names(
        backend, sales, "clients", search="alpha", filters=frozenset({"mine"})
    )
    assert found == ["Mine Alpha"]
    assert backend.catalog.count(sales, "clients", {"mine"}, "alpha") == 1
    assert backend.catalog.count(sales, "clients", (), "alpha") == 2


def test_too_long_a_search_is_refused(backend: Backend, sales: SignedIn) -> None:
    with pytest.raises(ValidationError) as raised:
        backend.catalog.page(sales, "clients", PageRequest(search="x" * 101))
    assert "search" in raised.value.errors


def test_contract_filters_unsigned_and_not_fully_paid(
    backend: Backend, records: Records, sales: SignedIn, sales_id: int
) -> None:
    client = records.client(sales_id, "Client")
    unsigned = records.contract(client, total="100.00", due="100.00")
    signed_unpaid = records.contract(client, total="100.00", due="40.00", signed=True)
    records.contract(client, total="100.00", due="0.00", signed=True)

    def ids(*filters: str) -> list[int]:
        request = PageRequest(filters=frozenset(filters))
        return [
            row.id for row in backend.catalog.page(sales, "contracts", request).rows
        ]

    assert ids("unsigned") == [unsigned]
    assert ids("unpaid") == [unsigned, signed_unpaid]
    assert ids("unsigned", "unpaid") == [unsigned]
    # The count shown beside the list agrees with the rows it pages.
    assert backend.catalog.count(sales, "contracts", {"unpaid"}) == 2
    assert backend.catalog.count(sales, "contracts", {"unsigned", "unpaid"}) == 1
    assert backend.catalog.count(sales, "contracts") == 3


def test_my_clients_and_my_events(
    backend: Backend, records: Records, sales: SignedIn, sales_id: int
) -> None:
    colleague = records.employee(Department.SALES, "Other Seller")
    support_id = records.employee(Department.SUPPORT, "Sue Porter")
    support = records.session_of(support_id)
    mine = records.client(sales_id, "Mine")
    records.client(colleague, "Theirs")
    contract = records.contract(mine, signed=True)
    records.event(contract, "Supported", support_contact_id=support_id)
    records.event(contract, "Unsupported")
    assert names(backend, sales, "clients", filters=frozenset({"mine"})) == ["Mine"]
    assert names(backend, support, "events", filters=frozenset({"mine"})) == [
        "Supported"
    ]


def test_upcoming_and_unassigned_events(
    backend: Backend,
    records: Records,
    manager: SignedIn,
    sales_id: int,
    clock: ManualClock,
) -> None:
    support_id = records.employee(Department.SUPPORT, "Sue Porter")
    contract = records.contract(records.client(sales_id, "Client"), signed=True)
    records.event(contract, "Past", start=clock.now - timedelta(days=3))
    records.event(contract, "Next, unassigned")
    records.event(contract, "Next, supported", support_contact_id=support_id)
    upcoming = frozenset({"upcoming"})
    assert sorted(names(backend, manager, "events", filters=upcoming)) == [
        "Next, supported",
        "Next, unassigned",
    ]
    both = frozenset({"upcoming", "unassigned"})
    assert names(backend, manager, "events", filters=both) == ["Next, unassigned"]


def test_reserved_filters_are_refused_to_other_departments(
    backend: Backend, sales: SignedIn, support: SignedIn
) -> None:
    with pytest.raises(PermissionDenied):
        backend.catalog.page(
            sales, "events", PageRequest(filters=frozenset({"unassigned"}))
        )
    with pytest.raises(PermissionDenied):
        backend.catalog.page(
            support, "contracts", PageRequest(filters=frozenset({"unsigned"}))
        )


def test_each_department_is_offered_its_own_filters(
    sales: SignedIn, support: SignedIn, manager: SignedIn
) -> None:
    assert filters_offered(sales, "clients") == {"mine": "My clients"}
    assert set(filters_offered(sales, "contracts")) == {"mine", "unsigned", "unpaid"}
    assert set(filters_offered(sales, "events")) == {"upcoming"}
    assert set(filters_offered(support, "events")) == {"mine", "upcoming"}
    assert filters_offered(support, "contracts") == {}
    assert set(filters_offered(manager, "events")) == {"upcoming", "unassigned"}
    assert filters_offered(manager, "clients") == {}


def test_unknown_sort_filter_or_list_is_a_validation_error(
    backend: Backend, sales: SignedIn
) -> None:
    with pytest.raises(ValidationError) as raised:
        backend.catalog.page(sales, "clients", PageRequest(sort="password_hash"))
    assert "sort" in raised.value.errors
    with pytest.raises(ValidationError) as raised:
        backend.catalog.page(
            sales, "clients", PageRequest(filters=frozenset({"everything"}))
        )
    assert "filter" in raised.value.errors
    with pytest.raises(ValidationError):
        backend.catalog.page(sales, "secrets", PageRequest())


def test_an_expired_session_reads_nothing(
    backend: Backend, sales: SignedIn, clock: ManualClock
) -> None:
    clock.advance(hours=2)
    with pytest.raises(SessionExpired):
        backend.catalog.page(sales, "clients", PageRequest())


@pytest.fixture
def many_records(records: Records, sales_id: int, clock: ManualClock) -> None:
    """Rows with repeated and missing values, so ties and NULLs are paged."""
    other = records.employee(Department.SALES, "Zoe Seller")
    supporters = [
        records.employee(Department.SUPPORT, name) for name in ("Ann", "Bea", "Cy")
    ]
    for index in range(23):
        client = records.client(
            (sales_id, other)[index % 2],
            f"Client {index % 5}",
            email=f"c{index}@client.example",
            company_name=f"Company {index % 3}",
            phone=f"+33 6 00 00 00 {index % 4:02d}",
        )
        contract = records.contract(
            client,
            total=f"{100 + index % 4}.00",
            due=f"{index % 3}.00",
            signed=index % 2 == 0,
            created_at=clock.now - timedelta(days=index % 6),
        )
        records.event(
            contract,
            f"Event {index % 4}",
            start=clock.now + timedelta(days=index % 7),
            support_contact_id=(None, *supporters)[index % 4],
            location=f"Room {index % 3}",
            attendees=index % 5,
        )


SORTABLE = [
    (list_name, column.key)
    for list_name, spec in SPECS.items()
    for column in spec.columns
    if column.sortable
]


def test_every_column_of_the_records_own_table_is_sortable() -> None:
    joined = {"client", "sales_contact", "support_contact"}
    for spec in SPECS.values():
        for column in spec.columns:
            assert column.sortable == (column.key in spec.sorts), (spec.name, column)
            if column.key not in joined:
                assert column.sortable, (spec.name, column)
    # The clients' sales contact stays cheap to sort by: a small join.
    assert "sales_contact" in SPECS["clients"].sorts


def test_sorting_by_a_column_that_cannot_be_sorted_is_refused(
    backend: Backend, manager: SignedIn
) -> None:
    with pytest.raises(ValidationError):
        backend.catalog.page(manager, "events", PageRequest(sort="support_contact"))


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize(("list_name", "sort"), SORTABLE)
def test_sorting_by_any_column_pages_through_every_row_once_in_order(
    backend: Backend,
    manager: SignedIn,
    many_records: None,
    list_name: str,
    sort: str,
    descending: bool,
) -> None:
    everything = backend.catalog.page(manager, list_name, PageRequest(size=200)).rows
    seen: list[Any] = []
    request = PageRequest(sort=sort, descending=descending, size=4)
    while True:
        page = backend.catalog.page(manager, list_name, request)
        seen.extend(page.rows)
        if page.next_after is None:
            break
        request = PageRequest(
            sort=sort, descending=descending, size=4, after=page.next_after
        )
    assert sorted(row.id for row in seen) == sorted(row.id for row in everything)
    assert len({row.id for row in seen}) == len(seen)

    def key(row: Any) -> Any:
        value = getattr(row, sort)
        return ("" if value is None else value, row.id)

    assert [key(row) for row in seen] == sorted(
        (key(row) for row in seen), reverse=descending
    )


def test_a_query_nobody_waits_for_stops_and_leaves_the_connection_usable(
    backend: Backend,
    records: Records,
    sales: SignedIn,
    sales_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A superseded search is interrupted on SQLite, the connection intact."""
    from epic_tui.services import catalog

    if backend.engine.dialect.name != "sqlite":
        pytest.skip("interrupting uses SQLite's progress handler")
    records.client(sales_id, "Kevin Casey")
    monkeypatch.setattr(catalog, "PROGRESS_STEPS", 1)
    request = PageRequest(search="kevin")
    with pytest.raises(catalog.QueryCancelled):
        backend.catalog.page(sales, "clients", request, cancelled=lambda: True)
    with pytest.raises(catalog.QueryCancelled):
        backend.catalog.count(sales, "clients", search="k", cancelled=lambda: True)
    wanted = backend.catalog.page(sales, "clients", request, cancelled=lambda: False)
    assert [row.full_name for row in wanted.rows] == ["Kevin Casey"]
    for _ in range(3):
        assert len(backend.catalog.page(sales, "clients", request).rows) == 1
