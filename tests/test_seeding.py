"""Seeding: generated data that holds together, and the demo accounts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import phonenumbers
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from epic_tui.models import Client, Contract, Department, Employee, Event, fold_email
from epic_tui.services.database import (
    create_database_engine,
    create_session_factory,
    upgrade,
)
from epic_tui.services.passwords import (
    Argon2Parameters,
    PasswordHasher,
    check_password_policy,
)
from epic_tui.services.seeding import (
    DemoAccount,
    SeedReport,
    SeedSizes,
    seed,
    seed_demo,
)

NOW = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)
SMALL = SeedSizes(employees_per_department=2, clients=20, contracts=40, events=80)

Sessions = sessionmaker[Session]
Record = TypeVar("Record", Employee, Client, Contract, Event)


@contextmanager
def _database(path: Path) -> Iterator[Sessions]:
    engine = create_database_engine(f"sqlite:///{path}")
    upgrade(engine)
    yield create_session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def hasher() -> PasswordHasher:
    return PasswordHasher(Argon2Parameters.owasp_minimum())


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[Sessions]:
    with _database(tmp_path / "seed.db") as sessions:
        yield sessions


@pytest.fixture(scope="module")
def seeded(
    tmp_path_factory: pytest.TempPathFactory, hasher: PasswordHasher
) -> Iterator[tuple[Sessions, SeedReport]]:
    """A database seeded once at the default sizes, shared by read-only tests."""
    with _database(tmp_path_factory.mktemp("default") / "seed.db") as sessions:
        report = seed(sessions, SeedSizes(), hasher=hasher, now=NOW, random_seed=7)
        yield sessions, report


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory, hasher: PasswordHasher
) -> Iterator[tuple[Sessions, list[DemoAccount]]]:
    """A demo database, filled once."""
    with _database(tmp_path_factory.mktemp("demo") / "demo.db") as sessions:
        accounts = seed_demo(sessions, hasher=hasher, now=NOW, random_seed=3)
        yield sessions, accounts


def _count(sessions: Sessions, model: type[Record]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _all(sessions: Sessions, model: type[Record]) -> list[Record]:
    with sessions() as session:
        return list(session.scalars(select(model)))


# -- the default seed -------------------------------------------------------------


def test_default_sizes_fill_every_table(seeded: tuple[Sessions, SeedReport]) -> None:
    sessions, report = seeded

    assert report == SeedReport(employees=9, clients=200, contracts=300, events=500)
    assert _count(sessions, Employee) == 9
    assert _count(sessions, Client) == 200
    assert _count(sessions, Contract) == 300
    assert _count(sessions, Event) == 500


def test_each_department_gets_its_share_of_active_employees(
    seeded: tuple[Sessions, SeedReport],
) -> None:
    sessions, _ = seeded
    employees = _all(sessions, Employee)

    for department in Department:
        staff = [e for e in employees if e.department == department]
        assert len(staff) == 3
    assert all(employee.active for employee in employees)
    assert all(not employee.must_change_password for employee in employees)


def test_every_event_is_under_a_signed_contract(
    seeded: tuple[Sessions, SeedReport],
) -> None:
    sessions, _ = seeded
    with sessions() as session:
        unsigned = session.scalar(
            select(func.count())
            .select_from(Event)
            .join(Contract, Event.contract_id == Contract.id)
            .where(Contract.signed.is_(False))
        )

    assert unsigned == 0


def test_contacts_belong_to_the_right_department(
    seeded: tuple[Sessions, SeedReport],
) -> None:
    sessions, _ = seeded
    departments = {e.id: e.department for e in _all(sessions, Employee)}
    clients = {client.id: client for client in _all(sessions, Client)}

    for client in clients.values():
        assert departments[client.sales_contact_id] == Department.SALES
    for contract in _all(sessions, Contract):
        sales_contact_id = clients[contract.client_id].sales_contact_id
        assert contract.sales_contact_id == sales_contact_id
        if contract.signed:
            assert contract.signed_by_id == sales_contact_id
    for event in _all(sessions, Event):
        if event.support_contact_id is not None:
            assert departments[event.support_contact_id] == Department.SUPPORT


def test_amounts_are_exact_and_due_never_exceeds_the_total(
    seeded: tuple[Sessions, SeedReport],
) -> None:
    sessions, _ = seeded

    for contract in _all(sessions, Contract):
        assert isinstance(contract.total_amount, Decimal)
        assert isinstance(contract.amount_due, Decimal)
        assert contract.total_amount.as_tuple().exponent == -2
        assert Decimal("500.00") <= contract.total_amount <= Decimal("80000.00")
        assert Decimal(0) <= contract.amount_due <= contract.total_amount


def test_unsigned_contracts_are_unpaid_and_signed_ones_dated(
    seeded: tuple[Sessions, SeedReport],
) -> None:
    sessions, _ = seeded

    for contract in _all(sessions, Contract):
        if contract.signed:
            assert contract.signed_at is not None
            assert contract.created_at < contract.signed_at <= NOW
        else:
            assert contract.amount_due == contract.total_amount
            assert contract.signed_at is None
            assert contract.signed_by_id is None


def test_the_data_mixes_every_kind_of_record(
    seeded: tuple[Sessions, SeedReport],
) -> None:
    sessions, _ = seeded
    contracts = _all(sessions, Contract)
    events = _all(sessions, Event)

    assert {contract.signed for contract in contracts} == {True, False}
    assert any(contract.amount_due == 0 for contract in contracts)
    assert any(
        0 < contract.amount_due < contract.total_amount for contract in contracts
    )
    assert any(contract.amount_due == contract.total_amount for contract in contracts)
    assert any(event.start_at < NOW for event in events)
    assert any(event.start_at > NOW for event in events)
    assert any(event.support_contact_id is None for event in events)
    assert any(event.support_contact_id is not None for event in events)
    assert any(event.onsite_contact_name for event in events)
    assert any(event.notes == "" for event in events)
    assert any(event.notes for event in events)


def test_events_last_a_few_hours_to_three_days(
    seeded: tuple[Sessions, SeedReport],
) -> None:
    sessions, _ = seeded

    for event in _all(sessions, Event):
        assert event.start_at.tzinfo is not None
        length = event.end_at - event.start_at
        assert timedelta(hours=2) <= length <= timedelta(days=3)
        assert 0 <= event.attendees <= 500
        assert event.location


def test_history_happens_before_now(seeded: tuple[Sessions, SeedReport]) -> None:
    sessions, _ = seeded

    for client in _all(sessions, Client):
        assert NOW - timedelta(days=3 * 365) <= client.created_at <= NOW
        assert client.created_at.date() <= client.last_contact <= NOW.date()
        assert client.created_at <= client.updated_at <= NOW
    for employee in _all(sessions, Employee):
        assert employee.created_at <= employee.updated_at <= NOW


def test_emails_are_unique_after_folding(seeded: tuple[Sessions, SeedReport]) -> None:
    sessions, _ = seeded

    staff = [fold_email(employee.email) for employee in _all(sessions, Employee)]
    clients = [fold_email(client.email) for client in _all(sessions, Client)]

    for emails in (staff, clients):
        assert len(set(emails)) == len(emails)
        assert all(email.count("@") == 1 for email in emails)


def test_phone_numbers_are_real_international_numbers(
    seeded: tuple[Sessions, SeedReport],
) -> None:
    sessions, _ = seeded
    phones = [row.phone for row in _all(sessions, Employee)]
    phones += [row.phone for row in _all(sessions, Client)]
    phones += [row.onsite_contact_phone for row in _all(sessions, Event)]

    for phone in phones:
        assert phone.startswith("+")
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone)), phone


def test_seeded_employees_cannot_log_in_without_a_password(
    seeded: tuple[Sessions, SeedReport], hasher: PasswordHasher
) -> None:
    sessions, _ = seeded
    hashes = {employee.password_hash for employee in _all(sessions, Employee)}

    assert len(hashes) == 1
    assert hasher.verify("", hashes.pop()) == (False, None)


# -- sizes, repeats and refusals ----------------------------------------------------


def test_a_given_password_lets_every_seeded_employee_log_in(
    sessions: Sessions, hasher: PasswordHasher
) -> None:
    sizes = SeedSizes(employees_per_department=1, clients=0, contracts=0, events=0)

    seed(sessions, sizes, hasher=hasher, now=NOW, password="Banquet-hall-2026")

    for employee in _all(sessions, Employee):
        matches, _ = hasher.verify("Banquet-hall-2026", employee.password_hash)
        assert matches


def test_seeding_twice_appends_rows(sessions: Sessions, hasher: PasswordHasher) -> None:
    seed(sessions, SMALL, hasher=hasher, now=NOW, random_seed=1)
    seed(sessions, SMALL, hasher=hasher, now=NOW, random_seed=1)

    assert _count(sessions, Employee) == 12
    assert _count(sessions, Client) == 40
    assert _count(sessions, Contract) == 80
    assert _count(sessions, Event) == 160
    emails = [fold_email(e.email) for e in _all(sessions, Employee)]
    assert len(set(emails)) == len(emails)


def test_a_second_seed_can_reuse_the_people_already_there(
    sessions: Sessions, hasher: PasswordHasher
) -> None:
    seed(sessions, SMALL, hasher=hasher, now=NOW, random_seed=1)
    more_events = SeedSizes(employees_per_department=0, clients=0, contracts=0)

    report = seed(sessions, more_events, hasher=hasher, now=NOW)

    assert report == SeedReport(employees=0, clients=0, contracts=0, events=500)
    assert _count(sessions, Event) == SMALL.events + 500


def test_the_same_random_seed_gives_the_same_data(
    tmp_path: Path, hasher: PasswordHasher
) -> None:
    names = []
    for folder in ("first", "second"):
        with _database(tmp_path / folder / "seed.db") as sessions:
            seed(sessions, SMALL, hasher=hasher, now=NOW, random_seed=42)
            names.append([event.name for event in _all(sessions, Event)])

    assert names[0] == names[1]


@pytest.mark.parametrize(
    "size", ["employees_per_department", "clients", "contracts", "events"]
)
def test_negative_sizes_are_refused(size: str) -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        SeedSizes(**{**asdict(SeedSizes()), size: -1})


def test_clients_without_any_salesperson_are_refused(
    sessions: Sessions, hasher: PasswordHasher
) -> None:
    sizes = SeedSizes(employees_per_department=0, clients=5, contracts=0, events=0)

    with pytest.raises(ValueError, match="no active sales employee"):
        seed(sessions, sizes, hasher=hasher, now=NOW)


def test_events_without_any_signed_contract_are_refused(
    sessions: Sessions, hasher: PasswordHasher
) -> None:
    sizes = SeedSizes(clients=5, contracts=0, events=5)

    with pytest.raises(ValueError, match="no signed contract"):
        seed(sessions, sizes, hasher=hasher, now=NOW)
    assert _count(sessions, Employee) == 0


def test_a_single_contract_is_signed_when_events_need_it(
    sessions: Sessions, hasher: PasswordHasher
) -> None:
    sizes = SeedSizes(employees_per_department=1, clients=1, contracts=1, events=3)

    seed(sessions, sizes, hasher=hasher, now=NOW, random_seed=0)

    assert [contract.signed for contract in _all(sessions, Contract)] == [True]
    assert _count(sessions, Event) == 3


def test_a_naive_now_is_refused(sessions: Sessions, hasher: PasswordHasher) -> None:
    with pytest.raises(ValueError, match="aware"):
        seed(sessions, SMALL, hasher=hasher, now=datetime(2026, 6, 15, 9, 30))


# -- the demo ------------------------------------------------------------------------


def test_demo_has_one_account_per_department(
    demo: tuple[Sessions, list[DemoAccount]],
) -> None:
    _, accounts = demo

    assert [account.department for account in accounts] == list(Department)
    assert len({account.email for account in accounts}) == 3
    for account in accounts:
        check_password_policy(account.password, email=account.email)
        assert account.password not in repr(account)


def test_demo_passwords_verify_against_their_stored_hash(
    demo: tuple[Sessions, list[DemoAccount]], hasher: PasswordHasher
) -> None:
    sessions, accounts = demo
    with sessions() as session:
        for account in accounts:
            employee = session.scalars(
                select(Employee).where(Employee.email == account.email)
            ).one()
            matches, _ = hasher.verify(account.password, employee.password_hash)
            assert matches
            assert employee.department == account.department
            assert employee.active


def test_demo_salesperson_has_contracts_to_chase(
    demo: tuple[Sessions, list[DemoAccount]],
) -> None:
    sessions, accounts = demo
    with sessions() as session:
        sales_id = session.scalar(
            select(Employee.id).where(Employee.email == accounts[0].email)
        )
        contracts = list(
            session.scalars(
                select(Contract).where(Contract.sales_contact_id == sales_id)
            )
        )

    assert any(not contract.signed for contract in contracts)
    assert any(contract.signed and contract.amount_due > 0 for contract in contracts)


def test_demo_support_and_manager_have_upcoming_events(
    demo: tuple[Sessions, list[DemoAccount]],
) -> None:
    sessions, accounts = demo
    with sessions() as session:
        support_id = session.scalar(
            select(Employee.id).where(Employee.email == accounts[1].email)
        )
        events = list(session.scalars(select(Event).where(Event.start_at > NOW)))

    assert any(event.support_contact_id == support_id for event in events)
    assert any(event.support_contact_id is None for event in events)


def test_demo_is_filled_with_believable_data(
    demo: tuple[Sessions, list[DemoAccount]],
) -> None:
    sessions, _ = demo

    assert _count(sessions, Employee) == 3 + 9
    assert _count(sessions, Client) >= 200
    assert _count(sessions, Event) >= 500


def test_demo_cannot_be_seeded_twice(
    demo: tuple[Sessions, list[DemoAccount]], hasher: PasswordHasher
) -> None:
    sessions, _ = demo

    with pytest.raises(ValueError, match="already exist"):
        seed_demo(sessions, hasher=hasher, now=NOW)
