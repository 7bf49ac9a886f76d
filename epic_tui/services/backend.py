"""Everything behind the screens, opened once from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from epic_tui.clock import Clock, utc_now
from epic_tui.services import database
from epic_tui.services.audit import AuditService
from epic_tui.services.auth import AuthService
from epic_tui.services.catalog import Catalog
from epic_tui.services.clients import ClientService
from epic_tui.services.contracts import ContractService
from epic_tui.services.database import SessionFactory
from epic_tui.services.employees import EmployeeService
from epic_tui.services.errors import DatabaseError
from epic_tui.services.events import EventService
from epic_tui.services.passwords import PasswordHasher
from epic_tui.services.token_store import TokenStore
from epic_tui.settings import Settings


@dataclass
class Backend:
    """The services one running app or command works with."""

    settings: Settings
    engine: Engine
    sessions: SessionFactory
    auth: AuthService
    employees: EmployeeService
    catalog: Catalog
    clock: Clock
    clients: ClientService
    contracts: ContractService
    events: EventService
    audit: AuditService

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()


def open_backend(
    settings: Settings,
    *,
    clock: Clock = utc_now,
    hasher: PasswordHasher | None = None,
) -> Backend:
    """Connect to the configured database and wire the services.

    The embedded SQLite database is brought up to date by itself; a shared
    database must be upgraded on purpose with ``epic-tui db upgrade``.

    Raises:
        DatabaseError: the database is unreachable or its schema is behind.
    """
    engine = database.create_database_engine(settings.database_url)
    try:
        _ensure_schema(engine)
    except Exception:
        engine.dispose()
        raise
    sessions = database.create_session_factory(engine)
    hasher = hasher or PasswordHasher()
    auth = AuthService(
        sessions,
        secret_key=settings.secret_key,
        store=TokenStore(settings.token_file),
        token_ttl=settings.token_ttl,
        clock=clock,
        hasher=hasher,
    )
    return Backend(
        settings=settings,
        engine=engine,
        sessions=sessions,
        auth=auth,
        employees=EmployeeService(sessions, hasher=hasher, clock=clock),
        catalog=Catalog(
            sessions, clock=clock, full_text=engine.dialect.name == "sqlite"
        ),
        clock=clock,
        clients=ClientService(sessions, clock=clock),
        contracts=ContractService(sessions, clock=clock),
        events=EventService(sessions, clock=clock),
        audit=AuditService(sessions, clock=clock),
    )


def _ensure_schema(engine: Engine) -> None:
    if database.is_up_to_date(engine):
        return
    if database.is_embedded(engine):
        database.upgrade(engine)
        return
    raise DatabaseError(
        "the database schema is not up to date; run: epic-tui db upgrade"
    )
