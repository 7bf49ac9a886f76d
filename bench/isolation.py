"""Private folders, keys and settings for every app the bench starts.

Nothing the bench runs may read or write the real user's data, state,
config or session: each app process gets folders of its own under the
bench's temporary folder, a fresh signing key and its own token.txt.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from epic_tui.settings import Settings

XDG_FOLDERS = ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")
"""The per-user folders platformdirs reads on Linux."""

_CLEARED = ("EPIC_TOKEN_TTL", "EPIC_RENEW_WARNING", "SENTRY_DSN")
"""Settings of the caller that must not leak into a measured app."""

_numbers = count(1)


@dataclass(frozen=True)
class Sandbox:
    """The folders, key and database one app process works with."""

    root: Path
    """The sandbox's own folder; everything else lives under it."""

    database_url: str
    """The bench database the app opens."""

    secret_key: str
    """The token signing key, ``secrets.token_hex(32)``."""

    @classmethod
    def create(cls, parent: Path, database_url: str) -> Sandbox:
        """A new, empty sandbox under ``parent``."""
        root = parent / f"sandbox-{next(_numbers):03d}"
        for name in XDG_FOLDERS:
            (root / name.lower()).mkdir(mode=0o700, parents=True)
        return cls(root, database_url, secrets.token_hex(32))

    @property
    def token_file(self) -> Path:
        """Where this sandbox's app keeps its session token."""
        return self.root / "xdg_state_home" / "epic-tui" / "token.txt"

    def environ(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """The environment of an app process run in this sandbox."""
        environ = dict(os.environ if base is None else base)
        for name in _CLEARED:
            environ.pop(name, None)
        environ.update({name: str(self.root / name.lower()) for name in XDG_FOLDERS})
        environ.update(
            EPIC_DATABASE_URL=self.database_url,
            EPIC_SECRET_KEY=self.secret_key,
            EPIC_TOKEN_FILE=str(self.token_file),
        )
        return environ

    def settings(self) -> Settings:
        """The app's settings for this sandbox, read as the app reads them.

        The per-user folders come from the process environment, so the
        bench process points its own XDG folders at a sandbox first (see
        `enter`).
        """
        from epic_tui.settings import load_settings

        return load_settings(self.environ())

    def enter(self) -> None:
        """Make this sandbox the bench process's own environment."""
        os.environ.update(self.environ())
