"""Fixtures that isolate every test from the machine it runs on.

Data, config and state folders point into ``tmp_path``; the clock and the
signing key are injected; passwords are hashed with the cheapest argon2id
parameters OWASP accepts, so tests stay fast without weakening the code.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from epic_tui.app import EpicApp, create_app
from epic_tui.models import Department
from epic_tui.services import database
from epic_tui.services.backend import Backend, open_backend
from epic_tui.services.dto import EmployeeInfo
from epic_tui.services.employees import NewEmployee
from epic_tui.services.passwords import Argon2Parameters, PasswordHasher
from epic_tui.settings import Settings, load_settings

PASSWORD = "correct horse battery staple"
"""The password every test employee gets unless a test says otherwise."""


@dataclass
class ManualClock:
    """A wall clock that only moves when a test moves it."""

    now: datetime = field(default_factory=lambda: datetime(2026, 6, 1, 9, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock forward, as a sleeping laptop would."""
        self.now += timedelta(**delta)


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for one test.

    SQLite by default; with ``EPIC_TEST_POSTGRES_URL`` set (as ``.ci/run``
    does) a new PostgreSQL database on that server, dropped afterwards.
    """
    server = os.environ.get("EPIC_TEST_POSTGRES_URL")
    if not server:
        yield f"sqlite:///{tmp_path / 'epic.db'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"epic_test_{secrets.token_hex(6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> dict[str, str]:
    """Point every per-user folder and setting into the test's own folder."""
    values = {
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "EPIC_SECRET_KEY": secrets.token_hex(32),
        "EPIC_DATABASE_URL": database_url,
        "EPIC_TOKEN_FILE": str(tmp_path / "state" / "epic-tui" / "token.txt"),
    }
    for name in ("EPIC_TOKEN_TTL", "EPIC_RENEW_WARNING", "SENTRY_DSN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


@pytest.fixture
def settings(environment: dict[str, str]) -> Settings:
    """Settings read from the isolated environment."""
    return load_settings()


@pytest.fixture
def clock() -> ManualClock:
    """The injected wall clock."""
    return ManualClock()


@pytest.fixture
def hasher() -> PasswordHasher:
    """A real argon2id hasher at the OWASP minimum cost."""
    return PasswordHasher(Argon2Parameters.owasp_minimum())


@pytest.fixture
def backend(
    settings: Settings, clock: ManualClock, hasher: PasswordHasher
) -> Iterator[Backend]:
    """The services on a fresh database, migrated as an operator would."""
    engine = database.create_database_engine(settings.database_url)
    database.upgrade(engine)
    engine.dispose()
    opened = open_backend(settings, clock=clock, hasher=hasher)
    yield opened
    opened.close()


def add_employee(
    backend: Backend,
    department: Department = Department.SALES,
    *,
    email: str | None = None,
    full_name: str = "Camille Durand",
    password: str = PASSWORD,
) -> EmployeeInfo:
    """Create an employee the way an operator would."""
    return backend.employees.create(
        NewEmployee(
            email=email or f"{department.value}.{secrets.token_hex(3)}@epic.example",
            full_name=full_name,
            department=department,
            password=password,
        )
    )


@pytest.fixture
def manager(backend: Backend) -> EmployeeInfo:
    """An active management employee with the standard password."""
    return add_employee(
        backend,
        Department.MANAGEMENT,
        email="manager@epic.example",
        full_name="Ada Lovelace",
    )


@pytest.fixture
def make_app(
    settings: Settings, clock: ManualClock, hasher: PasswordHasher
) -> Callable[[], EpicApp]:
    """Build the real app, as the console script does, on the test's data."""

    def build() -> EpicApp:
        return create_app(settings, clock=clock, hasher=hasher)

    return build
