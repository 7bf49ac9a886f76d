"""Messages that carry the results of background work to the screens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from epic_tui.services.dto import SignedIn
    from epic_tui.services.startup import Startup


@dataclass
class BackendOpened(Message):
    """The database is ready and the saved session, if any, was checked."""

    startup: Startup


@dataclass
class BackendFailed(Message):
    """The app cannot start: the database or settings are unusable."""

    message: str


@dataclass
class LoggedIn(Message):
    """Someone logged in (or created the first account and logged in)."""

    signed_in: SignedIn


@dataclass
class SessionEnded(Message):
    """The session is over, by expiry, revocation or logout."""

    notice: str
