"""Settings: where the app keeps its files, and how it refuses bad values.

An operator notices settings in two ways: where files appear on disk, and
the one-line message that stops start-up when a variable is wrong.
"""

from __future__ import annotations

import logging
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from epic_tui import cli
from epic_tui.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def _restore_app_logger() -> Iterator[None]:
    """Undo the log file the CLI configures, so later tests see their logs."""
    logger = logging.getLogger("epic_tui")
    handlers, level, propagate = list(logger.handlers), logger.level, logger.propagate
    yield
    for handler in list(logger.handlers):
        if handler not in handlers:
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(level)
    logger.propagate = propagate


@pytest.fixture
def defaults(
    environment: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """No file or database configured; the working directory elsewhere."""
    monkeypatch.delenv("EPIC_DATABASE_URL")
    monkeypatch.delenv("EPIC_TOKEN_FILE")
    working = tmp_path / "working-directory"
    working.mkdir()
    monkeypatch.chdir(working)
    return working


def _key_file(environment: dict[str, str]) -> Path:
    return Path(environment["XDG_CONFIG_HOME"]) / "epic-tui" / "secret.key"


# -- where files go ------------------------------------------------------------


def test_default_files_live_in_the_per_user_folders(
    defaults: Path, environment: dict[str, str]
) -> None:
    """B9: the database, token and log go to XDG folders, never the cwd."""
    settings = load_settings()

    data = Path(environment["XDG_DATA_HOME"]) / "epic-tui"
    state = Path(environment["XDG_STATE_HOME"]) / "epic-tui"
    assert settings.database_url == f"sqlite:///{data / 'epic.db'}"
    assert settings.token_file == state / "token.txt"
    assert settings.data_dir == data
    assert settings.log_file.is_relative_to(state)
    for path in (settings.token_file, settings.data_dir, settings.log_file):
        assert path.is_absolute()
        assert not path.is_relative_to(defaults)
    assert list(defaults.iterdir()) == []


def test_default_token_lifetime_is_one_hour(environment: dict[str, str]) -> None:
    """Without EPIC_TOKEN_TTL a session lasts the documented 3600 seconds."""
    assert load_settings().token_ttl.total_seconds() == 3600


def test_demo_uses_its_own_database_and_token_file(
    environment: dict[str, str],
) -> None:
    """--demo never touches the real database or the real session."""
    normal = load_settings()
    demo = load_settings(demo=True)

    assert demo.demo and not normal.demo
    assert demo.database_url != normal.database_url
    assert demo.token_file != normal.token_file
    assert demo.database_url != environment["EPIC_DATABASE_URL"]
    assert str(demo.token_file) != environment["EPIC_TOKEN_FILE"]


def test_demo_files_differ_from_the_default_ones_too(defaults: Path) -> None:
    """With nothing configured, demo and normal still use different files."""
    normal = load_settings()
    demo = load_settings(demo=True)

    assert demo.database_url != normal.database_url
    assert demo.token_file != normal.token_file


# -- bad values ----------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "0", "-5", "99999999", "1.5"])
def test_bad_token_lifetime_stops_with_one_line_naming_it(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """A malformed or out-of-range EPIC_TOKEN_TTL is refused by name."""
    monkeypatch.setenv("EPIC_TOKEN_TTL", value)

    with pytest.raises(SettingsError) as caught:
        load_settings()

    message = str(caught.value)
    assert "EPIC_TOKEN_TTL" in message
    assert "\n" not in message


def test_token_lifetime_within_bounds_is_used(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sane EPIC_TOKEN_TTL, spaces around it, sets the session length."""
    monkeypatch.setenv("EPIC_TOKEN_TTL", " 900 ")

    assert load_settings().token_ttl.total_seconds() == 900


def test_short_secret_key_is_refused_without_echoing_it(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A3: a key under 32 bytes stops start-up; the message hides the key."""
    short_key = "s3cr3t-but-far-too-short"
    monkeypatch.setenv("EPIC_SECRET_KEY", short_key)

    with pytest.raises(SettingsError) as caught:
        load_settings()

    message = str(caught.value)
    assert "EPIC_SECRET_KEY" in message
    assert short_key not in message
    assert "\n" not in message


def test_secret_key_of_32_bytes_is_accepted(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A3: exactly the minimum length is enough."""
    monkeypatch.setenv("EPIC_SECRET_KEY", "k" * 32)

    assert load_settings().secret_key == b"k" * 32


def test_secret_key_is_never_shown_in_the_settings_repr(
    environment: dict[str, str],
) -> None:
    """D20: printing the settings does not print the signing key."""
    settings = load_settings()

    assert environment["EPIC_SECRET_KEY"] not in repr(settings)


def test_missing_key_is_generated_once_privately(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A3: with no EPIC_SECRET_KEY a private key file appears and is reused."""
    monkeypatch.delenv("EPIC_SECRET_KEY")
    key_file = _key_file(environment)
    assert not key_file.exists()

    first = load_settings().secret_key

    assert key_file.is_file()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_bytes().strip()) >= 32
    assert len(first) >= 32
    content = key_file.read_bytes()

    second = load_settings().secret_key

    assert second == first
    assert key_file.read_bytes() == content
    assert [path.name for path in key_file.parent.iterdir()] == ["secret.key"]


def test_two_installations_get_different_generated_keys(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A3: the generated key is random, not a constant in the code."""
    monkeypatch.delenv("EPIC_SECRET_KEY")
    key_file = _key_file(environment)

    first = load_settings().secret_key
    key_file.unlink()
    second = load_settings().secret_key

    assert first != second


def test_instances_starting_together_share_one_generated_key(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A3: first launches at the same moment all start, with the same key.

    The race is timing-dependent, so it is tried on many fresh folders.
    """
    monkeypatch.delenv("EPIC_SECRET_KEY")
    outcomes: list[bytes | SettingsError] = []

    def start(barrier: threading.Barrier) -> None:
        barrier.wait()
        try:
            outcomes.append(load_settings().secret_key)
        except SettingsError as error:
            outcomes.append(error)

    for trial in range(50):
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / f"config-{trial}"))
        barrier = threading.Barrier(8)
        outcomes.clear()
        threads = [threading.Thread(target=start, args=(barrier,)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)

        errors = [str(item) for item in outcomes if isinstance(item, SettingsError)]
        assert errors == []
        assert len(set(outcomes)) == 1
        key_folder = tmp_path / f"config-{trial}" / "epic-tui"
        assert [path.name for path in key_folder.iterdir()] == ["secret.key"]


def test_too_short_key_file_is_refused(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A3: a truncated key file stops start-up instead of signing weakly."""
    monkeypatch.delenv("EPIC_SECRET_KEY")
    key_file = _key_file(environment)
    key_file.parent.mkdir(parents=True)
    key_file.write_bytes(b"tiny")
    key_file.chmod(0o600)

    with pytest.raises(SettingsError) as caught:
        load_settings()

    assert "\n" not in str(caught.value)
    assert "tiny" not in str(caught.value)


@pytest.mark.parametrize("value", ["token.txt", "state/token.txt", "./token.txt"])
def test_relative_token_file_is_refused(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """B9: a relative EPIC_TOKEN_FILE would land in the working directory."""
    monkeypatch.setenv("EPIC_TOKEN_FILE", value)

    with pytest.raises(SettingsError) as caught:
        load_settings()

    assert "EPIC_TOKEN_FILE" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_absolute_token_file_is_used(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """B9: EPIC_TOKEN_FILE overrides the default place."""
    chosen = tmp_path / "elsewhere" / "session.txt"
    monkeypatch.setenv("EPIC_TOKEN_FILE", str(chosen))

    assert load_settings().token_file == chosen


@pytest.mark.parametrize("value", ["epic.db", "/var/lib/epic.db", "sqlite:/x.db"])
def test_database_setting_that_is_not_a_url_is_refused(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """A path where a URL belongs is refused with a one-line hint."""
    monkeypatch.setenv("EPIC_DATABASE_URL", value)

    with pytest.raises(SettingsError) as caught:
        load_settings()

    assert "EPIC_DATABASE_URL" in str(caught.value)
    assert "\n" not in str(caught.value)


# -- through the command line ----------------------------------------------------


def test_cli_reports_a_bad_setting_in_one_line_without_traceback(
    environment: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A bad EPIC_TOKEN_TTL makes any command exit non-zero with one line."""
    monkeypatch.setenv("EPIC_TOKEN_TTL", "abc")

    code = cli.main(["whoami"])

    captured = capsys.readouterr()
    assert code != 0
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("epic-tui: error: ")
    assert "EPIC_TOKEN_TTL" in lines[0]
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_cli_reports_a_short_key_without_echoing_it(
    environment: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A3, D20: the refused key never reaches the terminal."""
    short_key = "s3cr3t-but-far-too-short"
    monkeypatch.setenv("EPIC_SECRET_KEY", short_key)

    code = cli.main(["whoami"])

    captured = capsys.readouterr()
    assert code != 0
    assert len(captured.err.splitlines()) == 1
    assert short_key not in captured.err + captured.out
