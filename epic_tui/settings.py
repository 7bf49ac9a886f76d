"""Settings read from the environment, with per-user folders as defaults.

Nothing here imports SQLAlchemy, PyJWT or Textual: settings are loaded
before the first screen is drawn and must stay cheap.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import platformdirs

APP_NAME = "epic-tui"
MIN_KEY_BYTES = 32
GENERATED_KEY_BYTES = 64
DEFAULT_TOKEN_TTL = 3600
DEFAULT_RENEW_WARNING = 300
MAX_TOKEN_TTL = 7 * 24 * 3600


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one readable line."""


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to know about where it runs."""

    database_url: str
    """SQLAlchemy URL of the database."""

    token_file: Path
    """Where the session token is kept between launches."""

    secret_key: bytes = field(repr=False)
    """The HS256 signing key; never printed."""

    token_ttl: timedelta
    """How long a freshly issued token lives."""

    renew_warning: timedelta
    """How long before expiry the user is warned."""

    data_dir: Path
    """Folder for the embedded databases and demo credentials."""

    log_file: Path
    """The application log."""

    demo: bool = False
    """True when running on the separate demo database."""

    sentry_dsn: str | None = field(default=None, repr=False)
    """Sentry DSN; None leaves Sentry out entirely."""

    @property
    def demo_credentials_file(self) -> Path:
        """Where the demo accounts' generated passwords are kept."""
        return self.data_dir / "demo-credentials.json"


def load_settings(
    environ: Mapping[str, str] | None = None, *, demo: bool = False
) -> Settings:
    """Build settings from ``environ`` (default: the process environment).

    Raises:
        SettingsError: a value is malformed; its message names the variable.
    """
    env = os.environ if environ is None else environ
    data_dir = Path(platformdirs.user_data_dir(APP_NAME))
    state_dir = Path(platformdirs.user_state_dir(APP_NAME))
    config_dir = Path(platformdirs.user_config_dir(APP_NAME))
    log_dir = Path(platformdirs.user_log_dir(APP_NAME))

    if demo:
        # The demo never touches the real database or the real session.
        database_url = f"sqlite:///{data_dir / 'demo.db'}"
        token_file = state_dir / "demo" / "token.txt"
    else:
        database_url = env.get("EPIC_DATABASE_URL", "").strip() or (
            f"sqlite:///{data_dir / 'epic.db'}"
        )
        token_file = _path_setting(env, "EPIC_TOKEN_FILE", state_dir / "token.txt")
    if "://" not in database_url:
        raise SettingsError(
            "EPIC_DATABASE_URL must be an SQLAlchemy URL such as "
            "sqlite:///path/to/epic.db or postgresql+psycopg://user@host/db"
        )

    return Settings(
        database_url=database_url,
        token_file=token_file,
        secret_key=_secret_key(env, config_dir / "secret.key"),
        token_ttl=timedelta(
            seconds=_seconds_setting(env, "EPIC_TOKEN_TTL", DEFAULT_TOKEN_TTL)
        ),
        renew_warning=timedelta(
            seconds=_seconds_setting(
                env, "EPIC_RENEW_WARNING", DEFAULT_RENEW_WARNING, minimum=0
            )
        ),
        data_dir=data_dir,
        log_file=log_dir / "epic-tui.log",
        demo=demo,
        sentry_dsn=env.get("SENTRY_DSN", "").strip() or None,
    )


def _path_setting(env: Mapping[str, str], name: str, default: Path) -> Path:
    """Read an optional path; relative paths are refused as ambiguous."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    path = Path(raw).expanduser()
    if not path.is_absolute():
        raise SettingsError(f"{name} must be an absolute path, not {raw!r}")
    return path


def _seconds_setting(
    env: Mapping[str, str], name: str, default: int, *, minimum: int = 1
) -> int:
    """Read a whole number of seconds within sane bounds."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(
            f"{name} must be a whole number of seconds, not {raw!r}"
        ) from None
    if not minimum <= value <= MAX_TOKEN_TTL:
        raise SettingsError(
            f"{name} must be between {minimum} and {MAX_TOKEN_TTL} seconds"
        )
    return value


def _secret_key(env: Mapping[str, str], key_file: Path) -> bytes:
    """Return the signing key from the environment or the per-user key file.

    A missing key file is created once with 64 random bytes, readable by
    the owner only. A key shorter than 32 bytes is refused wherever it
    comes from.
    """
    configured = env.get("EPIC_SECRET_KEY")
    if configured is not None:
        key = configured.strip().encode()
        if len(key) < MIN_KEY_BYTES:
            raise SettingsError(
                f"EPIC_SECRET_KEY must be at least {MIN_KEY_BYTES} bytes long; "
                "generate one with: python -c 'import secrets; "
                "print(secrets.token_hex(32))'"
            )
        return key
    try:
        if not key_file.exists():
            _create_key_file(key_file)
        key = key_file.read_bytes().strip()
    except OSError as error:
        raise SettingsError(
            f"cannot read or create the key file {key_file}: {error.strerror}"
        ) from None
    if len(key) < MIN_KEY_BYTES:
        raise SettingsError(
            f"the key file {key_file} holds fewer than {MIN_KEY_BYTES} bytes; "
            "delete it to have a new key generated"
        )
    return key


def _create_key_file(key_file: Path) -> None:
    """Write a new random key with mode 0600 in a folder of mode 0700.

    The key is written to a private temporary file first and then linked
    into place, so a second instance starting at the same moment sees
    either no key file or a complete one, and both end up with one key.
    """
    key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=key_file.parent, prefix=".key-")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(secrets.token_hex(GENERATED_KEY_BYTES).encode())
            stream.flush()
            os.fsync(stream.fileno())
        os.link(temporary, key_file)
    except FileExistsError:
        # Another instance created it a moment ago; use theirs.
        pass
    finally:
        os.unlink(temporary)
