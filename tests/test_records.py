"""Clients, contracts and events: the rules every save enforces.

Each bad value must come back as a ValidationError naming the field the
form shows it beside, with nothing saved; good values must round-trip;
two people saving the same record must not overwrite each other; and
every change must leave a line in the history.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from epic_tui.models import Contract, Department, Event
from epic_tui.services import fields
from epic_tui.services.backend import Backend
from epic_tui.services.dto import ContractInput, EventInput
from epic_tui.services.errors import (
    NotFound,
    PermissionDenied,
    StaleRecord,
    ValidationError,
)
from tests.conftest import PASSWORD, ManualClock, add_employee
from tests.factories import (
    World,
    build_world,
    client_input,
    count_rows,
    event_input,
    make_client,
    make_contract,
    signed_in,
    snapshot,
)


@pytest.fixture
def world(backend: Backend, clock: ManualClock) -> World:
    """A small company with records owned by known people."""
    return build_world(backend, clock)


@pytest.fixture
def paris(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run the test as a user whose machine is set to Paris time."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


# Clients ------------------------------------------------------------------

BAD_CLIENT_FIELDS = [
    ("full_name", ""),
    ("full_name", "   "),
    ("full_name", "x" * 121),
    ("full_name", "Kevin\x00Casey"),
    ("full_name", "Kevin\nCasey"),
    ("full_name", "Kevin\ud800Casey"),
    ("email", ""),
    ("email", "not-an-email"),
    ("email", "kevin@localhost"),
    ("email", "kevin\ud800@startup.example"),
    ("email", "kevin@startup\n.example"),
    ("phone", "12"),
    ("phone", "call me maybe"),
    ("company_name", "x" * 121),
    ("company_name", "Tab\tCompany"),
    ("last_contact", "31/05/2026"),
    ("last_contact", "2026-02-30"),
    ("last_contact", "2026-06-02"),
]


@pytest.mark.parametrize(("field", "value"), BAD_CLIENT_FIELDS)
def test_a_bad_client_field_is_refused_beside_that_field(
    world: World, field: str, value: str
) -> None:
    backend, client = world.backend, world.own_client
    before = snapshot(backend)
    with pytest.raises(ValidationError) as refused:
        backend.clients.create(world.sales, client_input(**{field: value}))
    assert list(refused.value.errors) == [field]
    assert refused.value.errors[field]
    with pytest.raises(ValidationError) as refused:
        backend.clients.update(
            world.sales, client.id, client.version, client_input(**{field: value})
        )
    assert list(refused.value.errors) == [field]
    assert snapshot(backend) == before


def test_every_bad_client_field_is_told_at_once(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        world.backend.clients.create(
            world.sales,
            client_input(full_name="", email="nope", phone="12", last_contact="x"),
        )
    assert set(refused.value.errors) == {"full_name", "email", "phone", "last_contact"}


def test_a_client_keeps_any_unicode_and_gets_its_sales_contact(world: World) -> None:
    client = world.backend.clients.create(
        world.sales,
        client_input(
            full_name="  Zoë 李小龍 👩‍👩‍👧 O'Brien  ",
            email=" Zoë@Exemple.FR ",
            phone="06 12 34 56 78",
            company_name="Ça & Là « SARL »",
        ),
    )
    assert client.full_name == "Zoë 李小龍 👩‍👩‍👧 O'Brien"
    assert client.email == "zoë@exemple.fr"
    assert client.phone == "+33 6 12 34 56 78"
    assert client.company_name == "Ça & Là « SARL »"
    assert client.last_contact == date(2026, 6, 1)
    assert client.sales_contact_id == world.sales.employee.id
    assert client.sales_contact == "Sales"
    assert client.version == 1
    assert world.backend.clients.get(world.support, client.id) == client


def test_client_emails_need_not_be_unique(world: World) -> None:
    again = world.backend.clients.create(
        world.other_sales, client_input(email=world.own_client.email.upper())
    )
    assert again.email == world.own_client.email


def test_a_client_update_round_trips_and_keeps_an_empty_last_contact(
    world: World,
) -> None:
    client = world.own_client
    updated = world.backend.clients.update(
        world.sales,
        client.id,
        client.version,
        client_input(
            full_name="Kevin Casey Jr", email=client.email, last_contact="2026-05-20"
        ),
    )
    assert (updated.full_name, updated.last_contact) == (
        "Kevin Casey Jr",
        date(2026, 5, 20),
    )
    assert updated.version == client.version + 1
    again = world.backend.clients.update(
        world.sales,
        client.id,
        updated.version,
        client_input(full_name="Kevin Casey Jr", email=client.email),
    )
    assert again.last_contact == date(2026, 5, 20)
    assert again.version == updated.version  # Nothing changed, nothing saved.


def test_the_second_of_two_saves_is_refused_and_the_first_kept(world: World) -> None:
    backend, client = world.backend, world.own_client
    first = backend.clients.get(world.sales, client.id)
    second = backend.clients.get(world.sales, client.id)
    backend.clients.update(
        world.sales,
        first.id,
        first.version,
        client_input(full_name="First Writer", email=client.email),
    )
    with pytest.raises(StaleRecord, match="changed by someone else"):
        backend.clients.update(
            world.sales,
            second.id,
            second.version,
            client_input(full_name="Second Writer", email=client.email),
        )
    assert backend.clients.get(world.sales, client.id).full_name == "First Writer"


def test_an_unknown_client_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        world.backend.clients.get(world.sales, 999_999)
    with pytest.raises(NotFound):
        world.backend.clients.get(world.sales, "1")  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        world.backend.clients.contracts_of(world.sales, 2**40)


# Contracts ----------------------------------------------------------------

BAD_AMOUNTS = [
    "",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e3",
    "-0.01",
    "12,5",
    "1,234.50",
    "0.001",
    "10000000000.00",
    "9" * 400,
    "ten",
    "+5",
    "١٢",
    "$100",
]


@pytest.mark.parametrize("total", BAD_AMOUNTS)
def test_a_bad_amount_is_refused_by_the_parser(total: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        fields.money(total)


@pytest.mark.parametrize("total", ["NaN", "inf", "1e3", "-0.01", "12,5", "0.001"])
def test_a_bad_total_amount_is_refused(world: World, total: str) -> None:
    before = snapshot(world.backend)
    with pytest.raises(ValidationError) as refused:
        world.backend.contracts.create(
            world.manager, ContractInput(world.own_client.id, total)
        )
    assert list(refused.value.errors) == ["total_amount"]
    assert snapshot(world.backend) == before


def test_amounts_say_how_to_write_them(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        world.backend.contracts.create(
            world.manager, ContractInput(world.own_client.id, "1e3")
        )
    assert refused.value.errors["total_amount"] == (
        "Use digits with up to two decimals, e.g. 1250.00."
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1234.5", Decimal("1234.50")),
        ("1 234.50", Decimal("1234.50")),
        ("1234", Decimal("1234.00")),
        (" 0.10 ", Decimal("0.10")),
        ("9999999999.99", Decimal("9999999999.99")),
    ],
)
def test_good_amounts_are_stored_exactly(
    world: World, typed: str, stored: Decimal
) -> None:
    contract = world.backend.contracts.create(
        world.manager, ContractInput(str(world.own_client.id), typed)
    )
    assert contract.total_amount == stored
    assert contract.amount_due == stored
    fetched = world.backend.contracts.get(world.sales, contract.id)
    assert fetched.total_amount == stored
    assert str(fetched.total_amount) == str(stored)


@pytest.mark.parametrize("due", ["-1", "1000.01", "1.234", "abc"])
def test_a_bad_amount_due_is_refused(world: World, due: str) -> None:
    before = count_rows(world.backend, Contract)
    with pytest.raises(ValidationError) as refused:
        world.backend.contracts.create(
            world.manager, ContractInput(world.own_client.id, "1000.00", due)
        )
    assert list(refused.value.errors) == ["amount_due"]
    assert count_rows(world.backend, Contract) == before


@pytest.mark.parametrize("client_id", ["", "abc", "999999", 0, -3, True, None, "1.5"])
def test_a_contract_needs_an_existing_client(world: World, client_id: object) -> None:
    before = count_rows(world.backend, Contract)
    with pytest.raises(ValidationError) as refused:
        world.backend.contracts.create(
            world.manager,
            ContractInput(client_id, "10.00"),  # type: ignore[arg-type]
        )
    assert list(refused.value.errors) == ["client_id"]
    assert count_rows(world.backend, Contract) == before


def test_a_new_contract_takes_its_clients_sales_contact(world: World) -> None:
    contract = world.backend.contracts.create(
        world.manager, ContractInput(world.other_client.id, "300.00", "120.00")
    )
    assert contract.sales_contact_id == world.other_sales.employee.id
    assert contract.sales_contact == "Other Sales"
    assert contract.client == "Other Client"
    assert (contract.total_amount, contract.amount_due) == (
        Decimal("300.00"),
        Decimal("120.00"),
    )
    assert not contract.signed
    assert not contract.fully_paid


def test_a_contract_update_round_trips(world: World) -> None:
    contract = world.own_unsigned
    updated = world.backend.contracts.update(
        world.sales,
        contract.id,
        contract.version,
        ContractInput(contract.client_id, "2500.00", "2000.00"),
    )
    assert (updated.total_amount, updated.amount_due) == (
        Decimal("2500.00"),
        Decimal("2000.00"),
    )
    assert updated.version == contract.version + 1


def test_a_contract_never_moves_to_another_client(world: World) -> None:
    contract = world.own_unsigned
    before = snapshot(world.backend)
    with pytest.raises(ValidationError) as refused:
        world.backend.contracts.update(
            world.manager,
            contract.id,
            contract.version,
            ContractInput(world.other_client.id, "1000.00"),
        )
    assert list(refused.value.errors) == ["client_id"]
    assert snapshot(world.backend) == before


def test_signing_records_who_and_when(world: World) -> None:
    contract = world.own_unsigned
    world.clock.advance(hours=1, minutes=30)
    sales = signed_in(world.sales.employee, world.clock)  # A fresh login.
    signed = world.backend.contracts.sign(sales, contract.id, contract.version)
    assert signed.signed
    assert signed.signed_at == datetime(2026, 6, 1, 10, 30, tzinfo=UTC)
    assert signed.signed_by == "Sales"
    assert signed.version == contract.version + 1
    manager = signed_in(world.manager.employee, world.clock)
    history = world.backend.audit.history(manager, "contract", contract.id)
    assert history[-1].action == "sign"
    assert history[-1].actor == "Sales"
    assert history[-1].changes == {
        "signed": ("false", "true"),
        "signed_at": ("", "2026-06-01T10:30:00+00:00"),
        "signed_by_id": ("", str(world.sales.employee.id)),
    }


def test_a_signed_contract_cannot_be_signed_again(world: World) -> None:
    contract = world.own_contract
    before = snapshot(world.backend)
    with pytest.raises(ValidationError) as refused:
        world.backend.contracts.sign(world.manager, contract.id, contract.version)
    assert list(refused.value.errors) == ["signed"]
    assert snapshot(world.backend) == before


def test_signing_a_stale_contract_is_refused(world: World) -> None:
    contract = world.own_unsigned
    world.backend.contracts.update(
        world.manager,
        contract.id,
        contract.version,
        ContractInput(contract.client_id, "1200.00"),
    )
    with pytest.raises(StaleRecord, match="This contract"):
        world.backend.contracts.sign(world.sales, contract.id, contract.version)
    assert not world.backend.contracts.get(world.sales, contract.id).signed


def test_payments_lower_the_amount_due_until_fully_paid(world: World) -> None:
    contract = world.own_contract
    paid = world.backend.contracts.record_payment(
        world.sales, contract.id, contract.version, "250.50"
    )
    assert paid.amount_due == Decimal("749.50")
    assert not paid.fully_paid
    done = world.backend.contracts.record_payment(
        world.sales, paid.id, paid.version, "749.50"
    )
    assert done.amount_due == Decimal("0.00")
    assert done.fully_paid
    history = world.backend.audit.history(world.manager, "contract", contract.id)
    assert [entry.changes for entry in history if entry.action == "payment"] == [
        {"amount_due": ("1000.00", "749.50")},
        {"amount_due": ("749.50", "0.00")},
    ]


@pytest.mark.parametrize("amount", ["0", "0.00", "-5", "abc", "1000.01", "1.001", ""])
def test_a_bad_payment_is_refused(world: World, amount: str) -> None:
    contract = world.own_contract
    before = snapshot(world.backend)
    with pytest.raises(ValidationError) as refused:
        world.backend.contracts.record_payment(
            world.sales, contract.id, contract.version, amount
        )
    assert list(refused.value.errors) == ["amount"]
    assert snapshot(world.backend) == before


def test_an_overpayment_says_what_is_due(world: World) -> None:
    contract = world.own_contract
    with pytest.raises(ValidationError, match=r"amount due \(1000.00\)"):
        world.backend.contracts.record_payment(
            world.sales, contract.id, contract.version, "1500"
        )


# Events -------------------------------------------------------------------


def test_an_event_on_an_unsigned_contract_is_refused(world: World) -> None:
    before = count_rows(world.backend, Event)
    with pytest.raises(ValidationError) as refused:
        world.backend.events.create(world.sales, event_input(world.own_unsigned.id))
    assert list(refused.value.errors) == ["contract_id"]
    assert "signed" in refused.value.errors["contract_id"]
    assert count_rows(world.backend, Event) == before


def test_an_event_on_someone_elses_contract_is_refused(world: World) -> None:
    before = snapshot(world.backend)
    with pytest.raises(PermissionDenied):
        world.backend.events.create(world.sales, event_input(world.other_contract.id))
    assert snapshot(world.backend) == before


BAD_EVENT_FIELDS = [
    ("contract_id", ""),
    ("contract_id", "12345"),
    ("contract_id", "first"),
    ("name", ""),
    ("name", "x" * 161),
    ("name", "Gala\x1b[31m"),
    ("start", ""),
    ("start", "tomorrow"),
    ("start", "01/07/2026 18:00"),
    ("start", "2026-13-01 18:00"),
    ("start", "2026-07-01"),
    ("start", "0001-01-01 00:00"),
    ("end", "2026-07-01 17:59"),
    ("end", "2026-07-01 18:00"),
    ("end", "2026-07-01 25:00"),
    ("location", "x" * 256),
    ("location", "Line one\nLine two"),
    ("attendees", "-1"),
    ("attendees", "1.5"),
    ("attendees", "100001"),
    ("attendees", "lots"),
    ("attendees", "1e3"),
    ("notes", "bell\x07"),
    ("notes", "x" * 5001),
    ("onsite_contact_email", "not-an-email"),
    ("onsite_contact_phone", "12"),
    ("onsite_contact_name", "x" * 121),
]


@pytest.mark.parametrize(("field", "value"), BAD_EVENT_FIELDS)
def test_a_bad_event_field_is_refused_beside_that_field(
    world: World, field: str, value: str
) -> None:
    backend, event = world.backend, world.own_event
    fields = {"onsite_contact_name": "Lou Martin", field: value}
    contract_id = fields.pop("contract_id", world.own_contract.id)
    before = snapshot(backend)
    with pytest.raises(ValidationError) as refused:
        backend.events.create(world.sales, event_input(contract_id, **fields))
    assert list(refused.value.errors) == [field]
    if field != "contract_id":
        with pytest.raises(ValidationError) as refused:
            backend.events.update(
                world.support,
                event.id,
                event.version,
                event_input(event.contract_id, **fields),
            )
        assert list(refused.value.errors) == [field]
    assert snapshot(backend) == before


def test_the_onsite_contact_defaults_to_the_client(world: World) -> None:
    event = world.backend.events.create(world.sales, event_input(world.own_contract.id))
    client = world.own_client
    assert (
        event.onsite_contact_name,
        event.onsite_contact_email,
        event.onsite_contact_phone,
    ) == (client.full_name, client.email, client.phone)
    assert event.client == client.full_name
    assert event.client_id == client.id
    assert event.support_contact_id is None
    assert event.support_contact is None


def test_a_typed_onsite_contact_is_kept(world: World) -> None:
    event = world.backend.events.create(
        world.sales,
        event_input(
            world.own_contract.id,
            onsite_contact_name="Lou Martin",
            onsite_contact_email="Lou@Venue.example",
        ),
    )
    assert (event.onsite_contact_name, event.onsite_contact_email) == (
        "Lou Martin",
        "lou@venue.example",
    )
    assert event.onsite_contact_phone == ""


def test_an_onsite_contact_without_a_name_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        world.backend.events.create(
            world.sales,
            event_input(
                world.own_contract.id, onsite_contact_email="lou@venue.example"
            ),
        )
    assert list(refused.value.errors) == ["onsite_contact_name"]


def test_notes_keep_their_lines(world: World) -> None:
    event = world.backend.events.create(
        world.sales,
        event_input(world.own_contract.id, notes="Bring:\r\n- a DJ\n\t- cake 🎂"),
    )
    assert event.notes == "Bring:\n- a DJ\n\t- cake 🎂"
    assert event.attendees == 75


def test_local_times_are_stored_in_utc(world: World, paris: None) -> None:
    summer = world.backend.events.create(
        world.sales,
        event_input(
            world.own_contract.id, start="2026-07-01 18:00", end="2026-07-02 01:30"
        ),
    )
    assert summer.start_at == datetime(2026, 7, 1, 16, 0, tzinfo=UTC)
    assert summer.end_at == datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    winter = world.backend.events.create(
        world.sales,
        event_input(
            world.own_contract.id, start="2026-12-31 20:00", end="2027-01-01 02:00"
        ),
    )
    assert winter.start_at == datetime(2026, 12, 31, 19, 0, tzinfo=UTC)
    explicit = world.backend.events.create(
        world.sales,
        event_input(
            world.own_contract.id,
            start="2026-07-01T18:00:00+00:00",
            end="2026-07-01T20:00Z",
        ),
    )
    assert explicit.start_at == datetime(2026, 7, 1, 18, 0, tzinfo=UTC)
    assert explicit.end_at == datetime(2026, 7, 1, 20, 0, tzinfo=UTC)


def test_a_local_time_the_clocks_skip_is_refused(world: World, paris: None) -> None:
    with pytest.raises(ValidationError) as refused:
        world.backend.events.create(
            world.sales,
            event_input(
                world.own_contract.id, start="2026-03-29 02:30", end="2026-03-29 05:00"
            ),
        )
    assert list(refused.value.errors) == ["start"]
    assert "clocks change" in refused.value.errors["start"]


def test_support_updates_their_event(world: World) -> None:
    event = world.own_event
    updated = world.backend.events.update(
        world.support,
        event.id,
        event.version,
        event_input(
            event.contract_id,
            name="Annual gala, take two",
            attendees="120",
            location="Salle des fêtes",
        ),
    )
    assert (updated.name, updated.attendees, updated.location) == (
        "Annual gala, take two",
        120,
        "Salle des fêtes",
    )
    assert updated.support_contact_id == world.support.employee.id
    history = world.backend.audit.history(world.manager, "event", event.id)
    assert history[-1].action == "update"
    assert history[-1].changes == {
        "name": ("Annual gala", "Annual gala, take two"),
        "attendees": ("75", "120"),
        "location": (
            "53 rue du Château, 41120 Candé-sur-Beuvron",
            "Salle des fêtes",
        ),
    }


def test_an_event_never_moves_to_another_contract(world: World) -> None:
    event = world.own_event
    before = snapshot(world.backend)
    with pytest.raises(ValidationError) as refused:
        world.backend.events.update(
            world.support,
            event.id,
            event.version,
            event_input(world.other_contract.id),
        )
    assert list(refused.value.errors) == ["contract_id"]
    assert snapshot(world.backend) == before


def test_updating_a_stale_event_is_refused(world: World) -> None:
    event = world.own_event
    world.backend.events.update(
        world.support,
        event.id,
        event.version,
        event_input(event.contract_id, name="New"),
    )
    with pytest.raises(StaleRecord, match="This event"):
        world.backend.events.update(
            world.support,
            event.id,
            event.version,
            event_input(event.contract_id, name="Old"),
        )
    assert world.backend.events.get(world.support, event.id).name == "New"


def test_management_assigns_and_removes_the_support_contact(world: World) -> None:
    event = world.own_event
    moved = world.backend.events.assign_support(
        world.manager, event.id, event.version, world.other_support.employee.id
    )
    assert moved.support_contact_id == world.other_support.employee.id
    assert moved.support_contact == "Other Support"
    cleared = world.backend.events.assign_support(
        world.manager, moved.id, moved.version, None
    )
    assert cleared.support_contact_id is None
    history = world.backend.audit.history(world.manager, "event", event.id)
    assert [entry.changes for entry in history if entry.action == "assign_support"][
        -2:
    ] == [
        {
            "support_contact_id": (
                str(world.support.employee.id),
                str(moved.support_contact_id),
            )
        },
        {"support_contact_id": (str(moved.support_contact_id), "")},
    ]


def test_the_support_contact_must_be_an_active_support_employee(world: World) -> None:
    backend, event = world.backend, world.own_event
    backend.employees.deactivate(world.manager, world.other_support.employee.id, 1)
    for candidate in (
        world.sales.employee.id,
        world.manager.employee.id,
        world.other_support.employee.id,
        999_999,
        "x",
    ):
        before = snapshot(backend)
        with pytest.raises(ValidationError) as refused:
            backend.events.assign_support(
                world.manager,
                event.id,
                event.version,
                candidate,  # type: ignore[arg-type]
            )
        assert list(refused.value.errors) == ["support_contact_id"]
        assert snapshot(backend) == before


# History and logs ---------------------------------------------------------


def test_history_shows_only_the_fields_that_changed(world: World) -> None:
    client = world.own_client
    world.backend.clients.update(
        world.sales,
        client.id,
        client.version,
        client_input(full_name="Own Client", email=client.email, phone=""),
    )
    history = world.backend.audit.history(world.manager, "client", client.id)
    assert [entry.action for entry in history] == ["create", "update"]
    created, updated = history
    assert created.actor == "Sales"
    assert created.changes["full_name"] == ("", "Own Client")
    assert created.changes["sales_contact_id"] == ("", str(world.sales.employee.id))
    assert updated.changes == {"phone": ("+33 6 12 34 56 78", "")}
    assert updated.at == world.clock.now


@pytest.mark.parametrize("actor_name", ["sales", "support"])
def test_history_is_for_management_only(world: World, actor_name: str) -> None:
    actor = getattr(world, actor_name)
    with pytest.raises(PermissionDenied):
        world.backend.audit.history(actor, "client", world.own_client.id)


def test_history_of_an_unknown_kind_of_record_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        world.backend.audit.history(world.manager, "password", 1)
    assert list(refused.value.errors) == ["entity"]


def test_changes_are_logged_with_ids_only(
    world: World, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The app's log file setup stops propagation; let caplog hear it here.
    monkeypatch.setattr(logging.getLogger("epic_tui"), "propagate", True)
    caplog.set_level(logging.INFO, logger="epic_tui")
    contract = world.own_unsigned
    world.backend.contracts.sign(world.sales, contract.id, contract.version)
    client = make_client(
        world.backend, world.sales, email="secret.person@client.example"
    )
    make_contract(world.backend, world.manager, client)
    lines = [record.getMessage() for record in caplog.records]
    sales_id = world.sales.employee.id
    assert f"contract {contract.id} signed by employee {sales_id}" in lines
    assert f"client {client.id} created by employee {sales_id}" in lines
    assert not any("secret.person" in line or "Kevin" in line for line in lines)


def test_a_record_changed_by_two_steps_is_saved_whole_or_not_at_all(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the update but before the audit entry saves nothing."""
    from epic_tui.services import acting

    def failing_audit(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(acting, "add_audit_entry", failing_audit)
    client = world.own_client
    before = snapshot(world.backend)
    with pytest.raises(RuntimeError):
        world.backend.clients.update(
            world.sales,
            client.id,
            client.version,
            client_input(full_name="Half Saved", email=client.email),
        )
    assert snapshot(world.backend) == before


def test_the_inputs_have_their_documented_defaults() -> None:
    data = EventInput(contract_id=1, name="x", start="s", end="e")
    assert (data.attendees, data.location, data.notes) == ("0", "", "")
    assert ContractInput(client_id=1, total_amount="1").amount_due == ""


def test_an_action_after_logout_elsewhere_is_refused(
    backend: Backend, clock: ManualClock
) -> None:
    """A7: a session ended elsewhere cannot act, even before the app notices."""
    from epic_tui.services.errors import NotLoggedIn
    from epic_tui.services.records import ClientInput

    salesperson = add_employee(backend, Department.SALES, full_name="Sam Seller")
    signed_in = backend.auth.login(salesperson.email, PASSWORD)
    backend.auth.logout()
    with pytest.raises(NotLoggedIn):
        backend.clients.create(
            signed_in, ClientInput(full_name="Late Client", email="late@client.example")
        )
