"""What happens between launching the app and its first real screen."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from epic_tui.clock import Clock, utc_now
from epic_tui.models import Department
from epic_tui.services.backend import Backend, open_backend
from epic_tui.services.dto import SignedIn
from epic_tui.services.errors import NotLoggedIn, SessionExpired
from epic_tui.services.passwords import PasswordHasher
from epic_tui.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DemoCredentials:
    """A demo account's login, shown on the demo login screen."""

    department: str
    email: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class Startup:
    """The state the app starts in."""

    backend: Backend
    signed_in: SignedIn | None
    """The session restored from token.txt, when it is still valid."""
    first_run: bool
    """No employee exists yet: offer to create the first manager."""
    notice: str = ""
    """Why the saved session could not be used, if it matters to the user."""
    demo_accounts: tuple[DemoCredentials, ...] = ()


def start(
    settings: Settings, *, clock: Clock = utc_now, hasher: PasswordHasher | None = None
) -> Startup:
    """Open the backend, seed the demo, and restore a saved session."""
    backend = open_backend(settings, clock=clock, hasher=hasher)
    demo_accounts: tuple[DemoCredentials, ...] = ()
    if settings.demo:
        demo_accounts = prepare_demo(backend)
    if not backend.employees.any_exist():
        return Startup(backend, None, first_run=True, demo_accounts=demo_accounts)
    signed_in, notice = None, ""
    try:
        signed_in = backend.auth.get_user()
    except SessionExpired as expired:
        notice = expired.message
    except NotLoggedIn:
        pass
    return Startup(
        backend,
        signed_in,
        first_run=False,
        notice=notice,
        demo_accounts=demo_accounts,
    )


def prepare_demo(backend: Backend) -> tuple[DemoCredentials, ...]:
    """Fill the demo database on first use; return its accounts' logins."""
    from epic_tui.services.seeding import seed_demo

    credentials_file = backend.settings.demo_credentials_file
    if backend.employees.any_exist():
        return load_demo_credentials(credentials_file)
    accounts = seed_demo(
        backend.sessions, hasher=backend.auth.hasher, now=backend.clock()
    )
    credentials = tuple(
        DemoCredentials(
            department=Department(account.department).value,
            email=account.email,
            password=account.password,
        )
        for account in accounts
    )
    _write_private_json(credentials_file, [asdict(item) for item in credentials])
    log.info("demo database seeded with %d accounts", len(credentials))
    return credentials


def load_demo_credentials(path: Path) -> tuple[DemoCredentials, ...]:
    """Read the demo logins back; a damaged file just shows none."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        return tuple(DemoCredentials(**entry) for entry in entries)
    except (OSError, ValueError, TypeError) as error:
        log.warning("demo credentials unreadable: %s", type(error).__name__)
        return ()


def _write_private_json(path: Path, content: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        json.dump(content, stream, indent=2)
