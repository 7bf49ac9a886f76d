"""The administrative subcommands, driven in-process as an operator would.

Each command prints a short message, exits non-zero with one line on bad
input, and never echoes a password.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from epic_tui import cli
from epic_tui.services import database
from epic_tui.services.backend import open_backend
from epic_tui.settings import load_settings

GOOD_PASSWORD = "Pastèque-volante 42 ✨"
"""A password the policy accepts, with spaces, accents and an emoji."""

EMAIL = " Zoë@Example.COM "
FOLDED_EMAIL = "zoë@example.com"
NAME = "Zoë Martin"


@dataclass(frozen=True)
class Outcome:
    """What one run of the command printed and returned."""

    code: int
    out: str
    err: str

    @property
    def printed(self) -> str:
        return self.out + self.err


Run = Callable[..., Outcome]


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
def run(
    environment: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> Run:
    """Run ``epic-tui`` with the given arguments and standard input.

    The schema is brought up to date first, as an operator does once for a
    shared database, unless the test is about a fresh database.
    """
    if request.node.get_closest_marker("fresh_database") is None:
        engine = database.create_database_engine(environment["EPIC_DATABASE_URL"])
        database.upgrade(engine)
        engine.dispose()

    def run_command(*argv: str, stdin: str = "") -> Outcome:
        capsys.readouterr()
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        try:
            code = cli.main(list(argv))
        except SystemExit as exit_:
            # argparse exits by itself on a usage error.
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run_command


def _employee_count() -> int:
    backend = open_backend(load_settings())
    try:
        return backend.employees.count()
    finally:
        backend.close()


def _create_args(**overrides: str) -> list[str]:
    options = {
        "--email": EMAIL,
        "--name": NAME,
        "--department": "sales",
        **overrides,
    }
    args = ["employee", "create"]
    for option, value in options.items():
        args += [option, value]
    return [*args, "--password-stdin"]


def _assert_one_line_error(outcome: Outcome) -> str:
    """A non-zero exit with a single readable line and no traceback."""
    assert outcome.code != 0
    assert "Traceback" not in outcome.printed
    lines = outcome.err.splitlines()
    assert len(lines) == 1, outcome.err
    assert lines[0].startswith("epic-tui: error: ")
    return lines[0]


def _log_text(environment: dict[str, str]) -> str:
    for handler in logging.getLogger("epic_tui").handlers:
        handler.flush()
    state = Path(environment["XDG_STATE_HOME"])
    return "".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in state.rglob("*.log")
    )


# -- db upgrade ----------------------------------------------------------------


@pytest.mark.fresh_database
def test_db_upgrade_migrates_a_fresh_database_then_reports_it_current(
    run: Run,
) -> None:
    """The first upgrade runs the migrations; the second has nothing to do."""
    first = run("db", "upgrade")

    assert first.code == 0
    assert "upgraded to revision" in first.out

    second = run("db", "upgrade")

    assert second.code == 0
    assert "already at revision" in second.out
    revision = re.search(r"revision (\S+?)\.?$", first.out.strip())
    assert revision is not None
    assert revision.group(1) in second.out


@pytest.fixture
def unreachable_database(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A database URL SQLite cannot open: the "file" is a folder."""
    folder = tmp_path / "not-a-database"
    folder.mkdir()
    monkeypatch.setenv("EPIC_DATABASE_URL", f"sqlite:///{folder}")


@pytest.mark.fresh_database
@pytest.mark.usefixtures("unreachable_database")
def test_commands_on_an_unreachable_database_say_they_cannot_connect(
    run: Run,
) -> None:
    """An operator is told the database cannot be reached, in one line."""
    outcome = run("whoami")

    line = _assert_one_line_error(outcome)
    assert "cannot connect to the database" in line


@pytest.mark.fresh_database
@pytest.mark.usefixtures("unreachable_database")
def test_db_upgrade_on_an_unreachable_database_says_it_cannot_connect(
    run: Run,
) -> None:
    """The first command an operator runs on a new server explains itself."""
    outcome = run("db", "upgrade")

    line = _assert_one_line_error(outcome)
    assert "unexpected error" not in line
    assert "cannot connect to the database" in line


# -- employee create -----------------------------------------------------------


def test_employee_create_saves_the_folded_email_and_never_echoes_the_password(
    run: Run, environment: dict[str, str]
) -> None:
    """E22, D20: the account is created under its trimmed, case-folded email."""
    outcome = run(*_create_args(), stdin=GOOD_PASSWORD + "\n")

    assert outcome.code == 0, outcome.err
    assert FOLDED_EMAIL in outcome.out
    assert NAME in outcome.out
    assert GOOD_PASSWORD not in outcome.printed
    assert GOOD_PASSWORD not in _log_text(environment)
    assert _employee_count() == 1


def test_created_employee_can_log_in_with_the_password_from_stdin(
    run: Run,
) -> None:
    """The password is the first line of stdin, without its line ending."""
    run(*_create_args(), stdin=GOOD_PASSWORD + "\r\nsecond line\n")

    backend = open_backend(load_settings())
    try:
        signed_in = backend.auth.login(FOLDED_EMAIL.upper(), GOOD_PASSWORD)
    finally:
        backend.close()

    assert signed_in.employee.email == FOLDED_EMAIL


def test_employee_create_refuses_an_email_in_use_whatever_its_case(
    run: Run,
) -> None:
    """E22: the same email typed in other case is refused in one line."""
    assert run(*_create_args(), stdin=GOOD_PASSWORD).code == 0

    outcome = run(
        *_create_args(**{"--email": "ZOË@example.com", "--name": "Other Zoë"}),
        stdin=GOOD_PASSWORD,
    )

    line = _assert_one_line_error(outcome)
    assert "email" in line.lower()
    assert "in use" in line
    assert GOOD_PASSWORD not in outcome.printed
    assert _employee_count() == 1


def test_employee_create_with_an_unknown_department_is_a_usage_error(
    run: Run,
) -> None:
    """argparse refuses a department that does not exist, with exit code 2."""
    outcome = run(*_create_args(**{"--department": "marketing"}), stdin=GOOD_PASSWORD)

    assert outcome.code == 2
    assert "marketing" in outcome.err
    assert "Traceback" not in outcome.printed
    assert _employee_count() == 0


@pytest.mark.parametrize(
    ("overrides", "stdin", "field_word"),
    [
        pytest.param({"--email": "not-an-email"}, GOOD_PASSWORD, "email", id="email"),
        pytest.param({"--phone": "12"}, GOOD_PASSWORD, "phone", id="phone"),
        pytest.param({}, "short\n", "characters", id="short-password"),
        pytest.param({}, "", "password", id="empty-stdin"),
        pytest.param({}, "\n", "password", id="blank-first-line"),
        pytest.param({"--name": "   "}, GOOD_PASSWORD, "name", id="blank-name"),
    ],
)
def test_employee_create_refuses_bad_input_in_one_line_and_saves_nothing(
    run: Run, overrides: dict[str, str], stdin: str, field_word: str
) -> None:
    """Bad input gives one readable line, no traceback and no account."""
    outcome = run(*_create_args(**overrides), stdin=stdin)

    line = _assert_one_line_error(outcome)
    assert field_word in line.lower()
    assert outcome.out == ""
    if stdin.strip():
        assert stdin.strip() not in outcome.printed
    assert _employee_count() == 0


def test_employee_create_refuses_a_password_made_of_the_email(run: Run) -> None:
    """D17: the employee's own email is too obvious a password."""
    outcome = run(
        *_create_args(**{"--email": "camille.durand@epic.example"}),
        stdin="camille.durand@epic.example",
    )

    line = _assert_one_line_error(outcome)
    assert "guess" in line
    assert _employee_count() == 0


# -- whoami and logout ---------------------------------------------------------


@pytest.fixture
def employee(run: Run) -> str:
    """A salesperson created through the command line; returns the email."""
    outcome = run(*_create_args(), stdin=GOOD_PASSWORD)
    assert outcome.code == 0, outcome.err
    return FOLDED_EMAIL


def _login(
    email: str, password: str = GOOD_PASSWORD, *, clock_offset: timedelta | None = None
) -> None:
    """Log in through the service, on a wall clock moved by ``clock_offset``."""
    offset = clock_offset or timedelta(0)
    backend = open_backend(load_settings(), clock=lambda: datetime.now(UTC) + offset)
    try:
        backend.auth.login(email, password)
    finally:
        backend.close()


def test_whoami_without_a_token_is_not_logged_in(run: Run) -> None:
    """Nobody has logged in: exit 1 and a plain message."""
    outcome = run("whoami")

    assert outcome.code == 1
    assert "Not logged in." in outcome.out
    assert "Traceback" not in outcome.printed


def test_whoami_names_who_the_token_logs_in(run: Run, employee: str) -> None:
    """After a login, whoami shows the name, email and department."""
    _login(employee)

    outcome = run("whoami")

    assert outcome.code == 0, outcome.printed
    assert NAME in outcome.out
    assert employee in outcome.out
    assert "sales" in outcome.out


def test_whoami_never_prints_the_token(
    run: Run, employee: str, environment: dict[str, str]
) -> None:
    """D20: the token stays in its file."""
    _login(employee)
    token = Path(environment["EPIC_TOKEN_FILE"]).read_text().strip()

    outcome = run("whoami")

    assert token not in outcome.printed
    assert token not in _log_text(environment)


def test_whoami_with_garbage_in_the_token_file_is_not_logged_in(
    run: Run, environment: dict[str, str]
) -> None:
    """B12: a token file holding nonsense reads as logged out, no crash."""
    token_file = Path(environment["EPIC_TOKEN_FILE"])
    token_file.parent.mkdir(parents=True, exist_ok=True)
    token_file.write_bytes(b"\xff\xfenot.a.token\x00")

    outcome = run("whoami")

    assert outcome.code == 1
    assert "Not logged in." in outcome.out
    assert "Traceback" not in outcome.printed


def test_whoami_with_an_expired_token_says_the_session_expired(
    run: Run, employee: str
) -> None:
    """A8: a token whose hour is over says "expired", not a crash."""
    _login(employee, clock_offset=-timedelta(hours=2))

    outcome = run("whoami")

    assert outcome.code == 1
    assert "expired" in outcome.out
    assert "Traceback" not in outcome.printed


def test_whoami_with_a_token_from_the_future_is_not_logged_in(
    run: Run, employee: str
) -> None:
    """A5: a token issued beyond the leeway ahead means "log in again"."""
    _login(employee, clock_offset=timedelta(minutes=10))

    outcome = run("whoami")

    assert outcome.code == 1
    assert "Not logged in." in outcome.out
    assert "Traceback" not in outcome.printed


def test_logout_empties_the_token_file_and_ends_the_session(
    run: Run, employee: str, environment: dict[str, str]
) -> None:
    """A7: after logout whoami is back to "Not logged in."."""
    _login(employee)
    token_file = Path(environment["EPIC_TOKEN_FILE"])

    outcome = run("logout")

    assert outcome.code == 0
    assert "Logged out." in outcome.out
    assert token_file.read_text() == ""
    after = run("whoami")
    assert after.code == 1
    assert "Not logged in." in after.out


def test_saved_copy_of_the_token_is_dead_after_logout(
    run: Run, employee: str, environment: dict[str, str]
) -> None:
    """A7: a copy of token.txt written back after logout logs nobody in."""
    _login(employee)
    token_file = Path(environment["EPIC_TOKEN_FILE"])
    saved_copy = token_file.read_text()
    assert run("whoami").code == 0

    run("logout")
    token_file.write_text(saved_copy)

    outcome = run("whoami")
    assert outcome.code == 1
    assert "Not logged in." in outcome.out


def test_logout_when_not_logged_in_is_harmless(run: Run) -> None:
    """Logging out twice, or never having logged in, is not an error."""
    outcome = run("logout")

    assert outcome.code == 0
    assert "Logged out." in outcome.out


# -- seed ----------------------------------------------------------------------


def test_seed_adds_the_requested_rows_and_prints_the_counts(run: Run) -> None:
    """An operator sees how many rows of each kind were added."""
    outcome = run(
        "seed",
        "--clients",
        "5",
        "--contracts",
        "5",
        "--events",
        "3",
        "--employees-per-department",
        "1",
        "--random-seed",
        "7",
    )

    assert outcome.code == 0, outcome.printed
    assert "3 employees" in outcome.out
    assert "5 clients" in outcome.out
    assert "5 contracts" in outcome.out
    assert "3 events" in outcome.out
    assert _employee_count() == 3


def test_seed_with_a_negative_count_is_a_usage_error(run: Run) -> None:
    """argparse refuses a negative size with exit code 2."""
    outcome = run("seed", "--clients", "-1")

    assert outcome.code == 2
    assert "Traceback" not in outcome.printed
    assert _employee_count() == 0


def test_seed_that_cannot_be_satisfied_says_why_in_one_line(run: Run) -> None:
    """Clients with no salesperson to look after them are refused plainly."""
    outcome = run(
        "seed",
        "--employees-per-department",
        "0",
        "--clients",
        "2",
        "--contracts",
        "0",
        "--events",
        "0",
    )

    line = _assert_one_line_error(outcome)
    assert "sales" in line
