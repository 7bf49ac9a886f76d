"""Believable generated data for a new database and for the demo.

`seed` adds employees of every department, clients, contracts and events
that look like a few years of Epic Events' work; `seed_demo` first adds
one account per department, with passwords the demo login screen shows.

Faker is slow per call, so a few thousand of its values are drawn once
into pools, and rows combine them with a seeded random generator. Rows go
in by Core bulk inserts in batches, inside one transaction: a million
events take a couple of minutes, and a failure leaves nothing behind.
"""

from __future__ import annotations

import enum
import logging
import random
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import islice
from typing import Any

from faker import Faker
from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from epic_tui.models import (
    Base,
    Client,
    Contract,
    Department,
    Employee,
    Event,
    fold_email,
)
from epic_tui.services.errors import ValidationError
from epic_tui.services.passwords import PasswordHasher, check_password_policy
from epic_tui.services.search import indexed_once_at_the_end

log = logging.getLogger(__name__)

Row = dict[str, Any]
"""One row for a Core insert: column names to values."""

BATCH_SIZE = 10_000
"""Rows per INSERT: big enough to be fast, small enough to stay lean."""

POOL_SIZE = 2_000
"""The most Faker values drawn per kind and per locale."""

STAFF_DOMAIN = "epic-events.example"
DEMO_DOMAIN = "demo.epic-events.example"

_LOCALES = ("fr_FR", "en_US")
_LOCALE_WEIGHTS = (7, 3)

_DAY = timedelta(days=1)
_YEAR = timedelta(days=365)

_UPCOMING_SHARE = 0.35
"""Share of events that start after `now`."""

_UNASSIGNED_SHARE = {True: 0.40, False: 0.15}
"""Share of events without support, for upcoming (True) and past ones."""

_ONSITE_IS_CLIENT_SHARE = 0.8
"""Share of events whose on-site contact is the client in person."""

_EVENT_KINDS = (
    "Annual gala",
    "Product launch",
    "Team off-site",
    "Board meeting",
    "Summer party",
    "Wedding reception",
    "Customer conference",
    "Sales kick-off",
    "Charity dinner",
    "Year-end party",
    "Workshop",
    "Trade show",
    "Birthday party",
    "Awards night",
    "Press day",
    "Seminar",
)

_EVENT_NOTES = (
    "Vegetarian menu for a third of the guests.",
    "Client wants a live band after dinner.",
    "Parking needed for two coaches.",
    "Wheelchair access to the main room.",
    "Projector and two microphones on stage.",
    "Guests arrive by shuttle from the station.",
    "Open bar until midnight, then coffee.",
    "Photographer booked for the first two hours.",
    "Keynote speaker needs a green room.",
    "Badges to print the day before.",
    "Cloakroom staffed all evening.",
    "Outdoor set-up; tent on standby if it rains.",
    "Children's corner with two entertainers.",
    "Simultaneous translation, French and English.",
    "Gift bags handed out at the exit.",
)

_PASSPHRASE_WORDS = (
    "amber", "anchor", "apricot", "autumn", "banjo", "basil", "birch",
    "breeze", "cactus", "candle", "canyon", "cedar", "cherry", "cobalt",
    "comet", "copper", "coral", "cricket", "dahlia", "delta", "ember",
    "falcon", "fern", "fjord", "garnet", "ginger", "glacier", "harbor",
    "hazel", "heron", "indigo", "island", "jasmine", "juniper", "kayak",
    "lagoon", "lantern", "lemon", "lilac", "maple", "meadow", "meteor",
    "mosaic", "nectar", "nutmeg", "oasis", "olive", "orbit", "otter",
    "pebble", "pepper", "plume", "quartz", "raven", "ripple", "saffron",
    "sierra", "spruce", "tango", "thistle", "tulip", "velvet", "willow",
    "zephyr",
)  # fmt: skip


# What callers pass and get back.


@dataclass(frozen=True)
class SeedSizes:
    """How many rows one run of `seed` adds.

    Attributes:
        employees_per_department: New employees in each of sales, support
            and management.
        clients: New clients, each looked after by a salesperson.
        contracts: New contracts, each for a client.
        events: New events, each under a signed contract.
    """

    employees_per_department: int = 3
    clients: int = 200
    contracts: int = 300
    events: int = 500

    def __post_init__(self) -> None:
        for size in fields(self):
            value = getattr(self, size.name)
            label = size.name.replace("_", " ")
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(
                    f"The number of {label} must be a whole number, not {value!r}."
                )
            if value < 0:
                raise ValueError(
                    f"The number of {label} cannot be negative ({value} given)."
                )


@dataclass(frozen=True)
class SeedReport:
    """How many rows one run of `seed` added, per table."""

    employees: int
    clients: int
    contracts: int
    events: int


@dataclass(frozen=True)
class DemoAccount:
    """A demo login, with its password in clear for the demo login screen."""

    department: Department
    email: str
    password: str = field(repr=False)


_DEMO_LOGINS = (
    (Department.SALES, "sales"),
    (Department.SUPPORT, "support"),
    (Department.MANAGEMENT, "manager"),
)


def seed(
    sessions: sessionmaker[Session],
    sizes: SeedSizes,
    *,
    hasher: PasswordHasher,
    now: datetime,
    random_seed: int | None = None,
    password: str | None = None,
) -> SeedReport:
    """Add generated employees, clients, contracts and events.

    Seeding appends: ids continue after the largest of each table, and new
    rows may point at the active employees, clients and signed contracts
    already there. Everything goes in one transaction.

    Args:
        sessions: Where to write.
        sizes: How many rows of each kind to add.
        hasher: Hashes the one password every new employee shares.
        now: The present instant (aware); history is generated before it
            and upcoming events after it.
        random_seed: The same seed on the same database gives the same rows.
        password: The password of every new employee; None gives them an
            unusable random one, so nobody can log in as them.

    Returns:
        How many rows were added to each table.

    Raises:
        ValueError: When `now` is naive, or when a client would have no
            salesperson, a contract no client or an event no signed contract.
        ValidationError: When `password` breaks the password policy.
    """
    _require_aware(now)
    if password is not None:
        check_password_policy(password)
    rng = random.Random(random_seed)
    password_hash = ""
    if sizes.employees_per_department:
        password_hash = hasher.hash(password or secrets.token_urlsafe(32))
    with sessions.begin() as session, indexed_once_at_the_end(session):
        seeder = _Seeder.load(session, rng, now)
        seeder.check_feasible(sizes)
        seeder.draw_pools(_pool_size(sizes))
        report = seeder.add_everything(sizes, password_hash)
        _advance_id_sequences(session)
    log.info(
        "seeded %d employees, %d clients, %d contracts, %d events",
        report.employees,
        report.clients,
        report.contracts,
        report.events,
    )
    return report


def seed_demo(
    sessions: sessionmaker[Session],
    *,
    hasher: PasswordHasher,
    now: datetime,
    random_seed: int | None = None,
) -> list[DemoAccount]:
    """Fill the demo database: one account per department, then data.

    On top of the default sizes, the demo salesperson gets clients with
    unsigned and unpaid contracts, the demo support employee upcoming
    events, and some upcoming events have no support yet: each demo
    dashboard has work waiting.

    Args:
        sessions: The demo database.
        hasher: Hashes the demo passwords.
        now: The present instant (aware).
        random_seed: Makes the data, not the passwords, reproducible.

    Returns:
        The demo accounts, sales first, with their passwords in clear.

    Raises:
        ValueError: When `now` is naive or the demo accounts already exist.
    """
    _require_aware(now)
    accounts = [
        DemoAccount(department, f"{login}@{DEMO_DOMAIN}", _demo_password())
        for department, login in _DEMO_LOGINS
    ]
    demo_hashes = [hasher.hash(account.password) for account in accounts]
    shared_hash = hasher.hash(secrets.token_urlsafe(32))
    sizes = SeedSizes()
    rng = random.Random(random_seed)
    with sessions.begin() as session:
        seeder = _Seeder.load(session, rng, now)
        seeder.check_emails_free(account.email for account in accounts)
        seeder.draw_pools(_pool_size(sizes))
        sales_id, support_id, _ = seeder.add_accounts(accounts, demo_hashes)
        seeder.add_everything(sizes, shared_hash)
        seeder.add_showcase(sales_id, support_id)
    log.info("seeded the demo database with %d accounts", len(accounts))
    return accounts


# Small helpers.


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None:
        raise ValueError("The present instant must be an aware datetime.")


def _pool_size(sizes: SeedSizes) -> int:
    """Enough Faker values for variety, without drawing thousands for a few rows."""
    return min(POOL_SIZE, 50 + sizes.clients + sizes.events // 10)


def _demo_password() -> str:
    """A random passphrase, easy to type from the demo login screen."""
    while True:
        words = [secrets.choice(_PASSPHRASE_WORDS) for _ in range(4)]
        password = "-".join([*words, f"{secrets.randbelow(100):02d}"])
        try:
            check_password_policy(password)
        except ValidationError:
            continue
        return password


def _slug(text: str, separator: str = "-") -> str:
    """Lower-case ASCII words of `text`, for the parts of an email."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore")
    # "S.A.R.L." gives "sarl" and "D'Angelo" gives "dangelo".
    squeezed = re.sub(r"[.']", "", ascii_text.decode().lower())
    words = re.findall(r"[a-z0-9]+", squeezed)
    return separator.join(words) or "contact"


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A random instant from `start` to `end`, to the second; `start` if empty."""
    span = int((end - start).total_seconds())
    if span <= 0:
        return start
    return start + timedelta(seconds=rng.randrange(span + 1))


def _on_business_hours(rng: random.Random, day: datetime) -> datetime:
    """An instant on the day of `day`, on a quarter hour when events begin."""
    return day.replace(
        hour=rng.randrange(7, 20),
        minute=rng.choice((0, 15, 30, 45)),
        second=0,
        microsecond=0,
    )


def _event_length(rng: random.Random) -> timedelta:
    """A few hours mostly, sometimes a full day, rarely up to three days."""
    kind = rng.random()
    if kind < 0.7:
        minutes = rng.randrange(2 * 60, 8 * 60 + 1, 15)
    elif kind < 0.9:
        minutes = rng.randrange(8 * 60, 24 * 60 + 1, 15)
    else:
        minutes = rng.randrange(24 * 60, 72 * 60 + 1, 15)
    return timedelta(minutes=minutes)


def _french_mobile(rng: random.Random) -> str:
    """A French mobile number, as phonenumbers formats it internationally."""
    prefix = rng.choice(("60", "61", "62", "64", "65", "66", "67", "68", "75"))
    digits = f"{prefix}{rng.randrange(10**7):07d}"
    pairs = " ".join(digits[index : index + 2] for index in range(1, 9, 2))
    return f"+33 {digits[0]} {pairs}"


def _american_number(rng: random.Random) -> str:
    """A North American number in a real area code, formatted like phonenumbers."""
    area = rng.choice(("212", "415", "312", "617", "202", "305", "512", "206"))
    return f"+1 {area}-{rng.randrange(200, 1000)}-{rng.randrange(10_000):04d}"


_PHONES: dict[str, Callable[[random.Random], str]] = {
    "fr_FR": _french_mobile,
    "en_US": _american_number,
}


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _advance_id_sequences(session: Session) -> None:
    """Move PostgreSQL's id sequences past the ids the seeding chose itself.

    Rows were inserted with explicit ids; without this, the next record
    created in the app would be given an id that is already taken.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in ("employees", "clients", "contracts", "events"):
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
            )
        )


def _insert(session: Session, table: Table, rows: Iterable[Row]) -> int:
    """Write `rows` in batches of Core executemany; return how many."""
    count = 0
    for batch in _batches(rows, BATCH_SIZE):
        session.execute(insert(table), batch)
        count += len(batch)
    return count


def _money(cents: int) -> Decimal:
    """An exact amount with two places, from whole cents."""
    return Decimal(cents).scaleb(-2)


def _table(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


# Pools of Faker values.


@dataclass(frozen=True)
class _LocalePool:
    """Names, companies and places of one locale, drawn once from Faker."""

    first_names: Sequence[str]
    last_names: Sequence[str]
    companies: Sequence[tuple[str, str]]
    """Company names with the email domain made from each."""
    locations: Sequence[str]
    phone: Callable[[random.Random], str]

    @classmethod
    def draw(cls, locale: str, size: int, rng: random.Random) -> _LocalePool:
        """Draw `size` values of each kind from a Faker seeded by `rng`."""
        fake = Faker(locale)
        fake.seed_instance(rng.getrandbits(64))
        companies = [fake.company()[:120] for _ in range(size)]
        return cls(
            first_names=[fake.first_name() for _ in range(size)],
            last_names=[fake.last_name() for _ in range(size)],
            companies=[(name, f"{_slug(name)}.example") for name in companies],
            locations=[_civil_address(fake) for _ in range(size)],
            phone=_PHONES[locale],
        )


_MILITARY_POST = re.compile(r"\b[ADF]PO\b")


def _civil_address(fake: Faker) -> str:
    """One line of address, skipping the military post Faker mixes in."""
    while True:
        address = fake.address().replace("\n", ", ")[:255]
        if not _MILITARY_POST.search(address):
            return address


@dataclass(frozen=True, slots=True)
class _ClientFacts:
    """What contracts and events need to know of a client."""

    id: int
    sales_contact_id: int
    created_at: datetime
    full_name: str
    email: str
    phone: str
    company_name: str


@dataclass(frozen=True, slots=True)
class _SignedContract:
    """What an event needs to know of the contract it is under."""

    id: int
    signed_at: datetime
    client: _ClientFacts


class _Stage(enum.Enum):
    """How far a contract has gone: signature, then payments."""

    UNSIGNED = enum.auto()
    SIGNED_UNPAID = enum.auto()
    PARTLY_PAID = enum.auto()
    FULLY_PAID = enum.auto()


# About 70% signed; about a third of all contracts each fully paid, partly
# paid, and not paid at all (unsigned ones included).
_STAGES = tuple(_Stage)
_STAGE_WEIGHTS = (30, 4, 33, 33)


# The seeder.


class _Seeder:
    """Builds rows that fit the database as it is, and inserts them.

    It remembers the active employees, clients and signed contracts, old
    and new, so that every new row points at one of them.
    """

    def __init__(self, session: Session, rng: random.Random, now: datetime) -> None:
        self.session = session
        self.rng = rng
        self.now = now
        self.pools: list[_LocalePool] = []
        self.staff: dict[Department, list[int]] = {dept: [] for dept in Department}
        self.clients: list[_ClientFacts] = []
        self.signed: list[_SignedContract] = []
        self.taken_emails: set[str] = set()
        self.next_ids: dict[str, int] = {}

    @classmethod
    def load(cls, session: Session, rng: random.Random, now: datetime) -> _Seeder:
        """Read what new rows may point at, and where ids continue."""
        # Whole seconds read better, and keep every instant before `now`.
        seeder = cls(session, rng, now.replace(microsecond=0))
        for model in (Employee, Client, Contract, Event):
            last_id = session.scalar(select(func.max(model.id)))
            seeder.next_ids[model.__tablename__] = (last_id or 0) + 1
        seeder._load_employees()
        seeder._load_clients()
        seeder._load_signed_contracts()
        return seeder

    def _load_employees(self) -> None:
        query = select(
            Employee.id, Employee.department, Employee.email, Employee.active
        )
        for employee_id, department, email, active in self.session.execute(query):
            self.taken_emails.add(fold_email(email))
            if active:
                self.staff[Department(department)].append(employee_id)

    def _load_clients(self) -> None:
        query = select(
            Client.id,
            Client.sales_contact_id,
            Client.created_at,
            Client.full_name,
            Client.email,
            Client.phone,
            Client.company_name,
        ).order_by(Client.id)
        for row in self.session.execute(query):
            self.clients.append(_ClientFacts(**row._mapping))
            self.taken_emails.add(fold_email(row.email))

    def _load_signed_contracts(self) -> None:
        by_id = {client.id: client for client in self.clients}
        query = (
            select(Contract.id, Contract.client_id, Contract.signed_at)
            .where(Contract.signed.is_(True))
            .order_by(Contract.id)
        )
        for contract_id, client_id, signed_at in self.session.execute(query):
            client = by_id[client_id]
            self.signed.append(
                _SignedContract(contract_id, signed_at or client.created_at, client)
            )

    # Checks and set-up.

    def check_feasible(self, sizes: SeedSizes) -> None:
        """Refuse sizes that would leave a row with nothing to point at."""
        new_staff = sizes.employees_per_department > 0
        if sizes.clients and not (self.staff[Department.SALES] or new_staff):
            raise ValueError(
                "Cannot seed clients: there is no active sales employee to look "
                "after them. Seed employees too, or create a salesperson first."
            )
        if sizes.contracts and not (self.clients or sizes.clients):
            raise ValueError(
                "Cannot seed contracts: there is no client to sign them. "
                "Seed clients too."
            )
        if sizes.events and not (self.signed or sizes.contracts):
            raise ValueError(
                "Cannot seed events: there is no signed contract to hold them. "
                "Seed contracts too."
            )

    def check_emails_free(self, emails: Iterable[str]) -> None:
        """Refuse to create accounts whose emails already exist."""
        taken = [email for email in emails if fold_email(email) in self.taken_emails]
        if taken:
            raise ValueError(
                f"The demo accounts already exist ({', '.join(taken)}); "
                "the demo database is already filled."
            )

    def draw_pools(self, size: int) -> None:
        """Draw Faker values of every locale, in proportion to its weight."""
        total = sum(_LOCALE_WEIGHTS)
        self.pools = [
            _LocalePool.draw(locale, max(10, size * weight // total), self.rng)
            for locale, weight in zip(_LOCALES, _LOCALE_WEIGHTS, strict=True)
        ]

    def add_everything(self, sizes: SeedSizes, password_hash: str) -> SeedReport:
        """Add employees, then clients, contracts and events that use them."""
        employees = _insert(
            self.session,
            _table(Employee),
            (
                self.employee_row(department, password_hash)
                for department in Department
                for _ in range(sizes.employees_per_department)
            ),
        )
        clients = _insert(
            self.session, _table(Client), self.random_clients(sizes.clients)
        )
        contracts = _insert(
            self.session,
            _table(Contract),
            self.random_contracts(sizes.contracts, need_signed=sizes.events > 0),
        )
        events = _insert(self.session, _table(Event), self.random_events(sizes.events))
        return SeedReport(employees, clients, contracts, events)

    def add_accounts(
        self, accounts: Sequence[DemoAccount], password_hashes: Sequence[str]
    ) -> list[int]:
        """Add the demo accounts; return their ids in the same order."""
        rows = [
            self.employee_row(account.department, password_hash, email=account.email)
            for account, password_hash in zip(accounts, password_hashes, strict=True)
        ]
        _insert(self.session, _table(Employee), rows)
        return [row["id"] for row in rows]

    def add_showcase(self, sales_id: int, support_id: int) -> None:
        """Give the demo accounts work that waits for them on their dashboards."""
        first_client = len(self.clients)
        clients = [self.client_row(sales_id) for _ in range(8)]
        _insert(self.session, _table(Client), clients)
        showcase_clients = self.clients[first_client:]

        # Unsigned and unpaid contracts for the demo salesperson to chase.
        stages = [
            *[_Stage.UNSIGNED] * 3,
            *[_Stage.SIGNED_UNPAID] * 2,
            *[_Stage.PARTLY_PAID] * 3,
            *[_Stage.FULLY_PAID] * 2,
        ]
        first_signed = len(self.signed)
        contracts = [
            self.contract_row(showcase_clients[index % len(showcase_clients)], stage)
            for index, stage in enumerate(stages)
        ]
        _insert(self.session, _table(Contract), contracts)
        signed = self.signed[first_signed:]

        # Upcoming and past events for the demo support employee, and
        # upcoming events nobody supports yet, for the manager.
        plans = [
            *[(True, support_id)] * 6,
            *[(False, support_id)] * 3,
            *[(True, None)] * 4,
        ]
        events = [
            self.event_row(signed[index % len(signed)], upcoming, support)
            for index, (upcoming, support) in enumerate(plans)
        ]
        _insert(self.session, _table(Event), events)

    # Random choices of what each row is.

    def random_clients(self, count: int) -> Iterator[Row]:
        """Clients of random salespeople."""
        for _ in range(count):
            yield self.client_row(self.rng.choice(self.staff[Department.SALES]))

    def random_contracts(self, count: int, *, need_signed: bool) -> Iterator[Row]:
        """Contracts of random clients, at random stages.

        With `need_signed`, the first contract is signed when no other is,
        so that events have one to go under.
        """
        force_signed = need_signed and not self.signed
        for index in range(count):
            if force_signed and index == 0:
                stage = _Stage.PARTLY_PAID
            else:
                stage = self.rng.choices(_STAGES, _STAGE_WEIGHTS)[0]
            yield self.contract_row(self.rng.choice(self.clients), stage)

    def random_events(self, count: int) -> Iterator[Row]:
        """Events under random signed contracts, past or upcoming."""
        support_staff = self.staff[Department.SUPPORT]
        for _ in range(count):
            upcoming = self.rng.random() < _UPCOMING_SHARE
            support_contact_id = None
            if support_staff and self.rng.random() >= _UNASSIGNED_SHARE[upcoming]:
                support_contact_id = self.rng.choice(support_staff)
            contract = self.rng.choice(self.signed)
            yield self.event_row(contract, upcoming, support_contact_id)

    # Rows.

    def take_id(self, table: str) -> int:
        """The next free id of `table`."""
        new_id = self.next_ids[table]
        self.next_ids[table] = new_id + 1
        return new_id

    def pick_pool(self) -> _LocalePool:
        return self.rng.choices(self.pools, _LOCALE_WEIGHTS)[0]

    def unique_email(self, local_part: str, domain: str) -> str:
        """`local_part@domain`, numbered when someone already has it."""
        email, number = f"{local_part}@{domain}", 1
        while fold_email(email) in self.taken_emails:
            number += 1
            email = f"{local_part}{number}@{domain}"
        self.taken_emails.add(fold_email(email))
        return email

    def person(self, pool: _LocalePool) -> tuple[str, str]:
        """A full name, and the local part of an email made from it."""
        first = self.rng.choice(pool.first_names)
        last = self.rng.choice(pool.last_names)
        return f"{first} {last}", f"{_slug(first)}.{_slug(last)}"

    def employee_row(
        self, department: Department, password_hash: str, *, email: str = ""
    ) -> Row:
        """An active employee, hired three to eight years ago."""
        pool = self.pick_pool()
        full_name, local_part = self.person(pool)
        if email:
            self.taken_emails.add(fold_email(email))
        else:
            email = self.unique_email(local_part, STAFF_DOMAIN)
        employee_id = self.take_id(Employee.__tablename__)
        self.staff[department].append(employee_id)
        created_at = _between(self.rng, self.now - 8 * _YEAR, self.now - 3 * _YEAR)
        return {
            "id": employee_id,
            "full_name": full_name,
            "email": email,
            "phone": pool.phone(self.rng),
            "department": department,
            "password_hash": password_hash,
            "active": True,
            "must_change_password": False,
            "created_at": created_at,
            "updated_at": _between(self.rng, created_at, self.now),
            "version": 1,
        }

    def client_row(self, sales_contact_id: int) -> Row:
        """A client met in the last three years, and remembered for contracts."""
        pool = self.pick_pool()
        full_name, local_part = self.person(pool)
        company_name, domain = self.rng.choice(pool.companies)
        created_at = _between(self.rng, self.now - 3 * _YEAR, self.now - 3 * _DAY)
        last_contact_at = _between(self.rng, created_at, self.now)
        client = _ClientFacts(
            id=self.take_id(Client.__tablename__),
            sales_contact_id=sales_contact_id,
            created_at=created_at,
            full_name=full_name,
            email=self.unique_email(local_part, domain),
            phone=pool.phone(self.rng),
            company_name=company_name,
        )
        self.clients.append(client)
        return {
            "id": client.id,
            "full_name": client.full_name,
            "email": client.email,
            "phone": client.phone,
            "company_name": client.company_name,
            "created_at": created_at,
            "last_contact": last_contact_at.date(),
            # Setting the last contact is the latest change of the record.
            "updated_at": last_contact_at,
            "sales_contact_id": sales_contact_id,
            "version": 1,
        }

    def contract_row(self, client: _ClientFacts, stage: _Stage) -> Row:
        """A contract of `client` at `stage`; signed ones are remembered."""
        rng = self.rng
        contract_id = self.take_id(Contract.__tablename__)
        created_at = _between(rng, client.created_at, self.now - 2 * _DAY)
        # From 500.00 to 80,000.00, in steps of 5.00 like a real quote.
        total_cents = rng.randrange(100, 16_001) * 500
        row: Row = {
            "id": contract_id,
            "client_id": client.id,
            "sales_contact_id": client.sales_contact_id,
            "total_amount": _money(total_cents),
            "amount_due": _money(total_cents),
            "created_at": created_at,
            "updated_at": created_at,
            "signed": False,
            "signed_at": None,
            "signed_by_id": None,
            "version": 1,
        }
        if stage is _Stage.UNSIGNED:
            return row

        # Signed within weeks of the quote, then paid in part or in full.
        latest = min(created_at + 45 * _DAY, self.now)
        signed_at = _between(rng, created_at + timedelta(hours=1), latest)
        due_cents = total_cents
        if stage is _Stage.PARTLY_PAID:
            due_cents = total_cents - round(total_cents * rng.uniform(0.2, 0.8))
        elif stage is _Stage.FULLY_PAID:
            due_cents = 0
        paid_at = signed_at
        if due_cents < total_cents:
            paid_at = _between(rng, signed_at, self.now)
        row.update(
            signed=True,
            signed_at=signed_at,
            signed_by_id=client.sales_contact_id,
            amount_due=_money(due_cents),
            updated_at=paid_at,
        )
        self.signed.append(_SignedContract(contract_id, signed_at, client))
        return row

    def event_row(
        self,
        contract: _SignedContract,
        upcoming: bool,
        support_contact_id: int | None,
    ) -> Row:
        """An event under `contract`, in the coming year or since signature."""
        rng, now, client = self.rng, self.now, contract.client
        if upcoming:
            day = _between(rng, now + _DAY, now + _YEAR)
        else:
            day = _between(rng, contract.signed_at + _DAY, now - _DAY)
        start_at = _on_business_hours(rng, day)
        created_at = _between(rng, contract.signed_at, min(start_at, now))
        kind = rng.choice(_EVENT_KINDS)
        onsite_name, onsite_email, onsite_phone = self.onsite_contact(client)
        return {
            "id": self.take_id(Event.__tablename__),
            "name": f"{kind} {start_at.year} ({client.company_name})"[:160],
            "contract_id": contract.id,
            "start_at": start_at,
            "end_at": start_at + _event_length(rng),
            "support_contact_id": support_contact_id,
            "location": rng.choice(self.pick_pool().locations),
            "attendees": int(rng.triangular(0, 500, 60)),
            "notes": rng.choice(_EVENT_NOTES) if rng.random() < 0.6 else "",
            "onsite_contact_name": onsite_name,
            "onsite_contact_email": onsite_email,
            "onsite_contact_phone": onsite_phone,
            "created_at": created_at,
            "updated_at": _between(rng, created_at, now),
            "version": 1,
        }

    def onsite_contact(self, client: _ClientFacts) -> tuple[str, str, str]:
        """The client in person mostly, else a colleague of theirs."""
        if self.rng.random() < _ONSITE_IS_CLIENT_SHARE:
            return client.full_name, client.email, client.phone
        pool = self.pick_pool()
        full_name, local_part = self.person(pool)
        domain = client.email.partition("@")[2] or "example.com"
        return full_name, f"{local_part}@{domain}", pool.phone(self.rng)
