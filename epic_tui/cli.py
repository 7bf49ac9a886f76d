"""The ``epic-tui`` command: the app, and administrative subcommands.

Heavy libraries are imported inside the commands that need them, so
starting the interface costs no more than Textual itself.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

from epic_tui.logging_setup import configure_logging
from epic_tui.observability import init_sentry, report_error
from epic_tui.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from epic_tui.services.backend import Backend

log = logging.getLogger(__name__)

Command = Callable[[argparse.Namespace, Settings], int]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``epic-tui`` and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="epic-tui", description="Epic Events CRM in the terminal."
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use the separate demo database, filled with generated data",
    )
    commands = parser.add_subparsers(dest="command", metavar="command")

    db = commands.add_parser("db", help="manage the database schema")
    db_commands = db.add_subparsers(dest="db_command", metavar="action", required=True)
    db_commands.add_parser("upgrade", help="bring the schema up to date")

    seed = commands.add_parser("seed", help="fill the database with generated data")
    seed.add_argument("--employees-per-department", type=_count, default=3)
    seed.add_argument("--clients", type=_count, default=200)
    seed.add_argument("--contracts", type=_count, default=300)
    seed.add_argument("--events", type=_count, default=500)
    seed.add_argument("--random-seed", type=int, default=None)

    employee = commands.add_parser("employee", help="manage employee accounts")
    employee_commands = employee.add_subparsers(
        dest="employee_command", metavar="action", required=True
    )
    create = employee_commands.add_parser("create", help="create an account")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True, help="full name")
    create.add_argument(
        "--department", required=True, choices=["sales", "support", "management"]
    )
    create.add_argument("--phone", default="")
    create.add_argument(
        "--password-stdin",
        action="store_true",
        required=True,
        help="read the password from the first line of standard input",
    )

    commands.add_parser("whoami", help="who token.txt logs in, if anyone")
    commands.add_parser("logout", help="end the saved session")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    arguments = build_parser().parse_args(argv)
    try:
        settings = load_settings(demo=arguments.demo)
    except SettingsError as error:
        return _fail(str(error))
    configure_logging(settings.log_file)
    init_sentry(settings.sentry_dsn)
    command = _command(arguments)
    from epic_tui.services.errors import EpicError

    try:
        return command(arguments, settings)
    except EpicError as error:
        return _fail(error.message)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        log.exception("unexpected error in %s", arguments.command or "the app")
        report_error(error)
        return _fail(
            f"unexpected error ({type(error).__name__}); "
            f"details are in {settings.log_file}"
        )


def _command(arguments: argparse.Namespace) -> Command:
    if arguments.command == "db":
        return _db_upgrade
    if arguments.command == "seed":
        return _seed
    if arguments.command == "employee":
        return _employee_create
    if arguments.command == "whoami":
        return _whoami
    if arguments.command == "logout":
        return _logout
    return _run_app


def _run_app(_arguments: argparse.Namespace, settings: Settings) -> int:
    from epic_tui.app import create_app

    app = create_app(settings)
    app.run()
    return app.return_code or 0


def _db_upgrade(_arguments: argparse.Namespace, settings: Settings) -> int:
    from epic_tui.services import database

    engine = database.create_database_engine(settings.database_url)
    try:
        changed = database.upgrade(engine)
        revision = database.current_revision(engine)
    finally:
        engine.dispose()
    state = "upgraded to" if changed else "already at"
    print(f"Database schema {state} revision {revision}.")
    return 0


def _seed(arguments: argparse.Namespace, settings: Settings) -> int:
    from epic_tui.services.seeding import SeedSizes, seed

    sizes = SeedSizes(
        employees_per_department=arguments.employees_per_department,
        clients=arguments.clients,
        contracts=arguments.contracts,
        events=arguments.events,
    )
    with _backend(settings) as backend:
        try:
            report = seed(
                backend.sessions,
                sizes,
                hasher=backend.auth.hasher,
                now=backend.clock(),
                random_seed=arguments.random_seed,
            )
        except ValueError as error:
            return _fail(str(error))
    print(
        f"Seeded {report.employees} employees, {report.clients} clients, "
        f"{report.contracts} contracts and {report.events} events."
    )
    return 0


def _employee_create(arguments: argparse.Namespace, settings: Settings) -> int:
    from epic_tui.services.employees import NewEmployee

    password = _read_password(sys.stdin)
    with _backend(settings) as backend:
        employee = backend.employees.create(
            NewEmployee(
                email=arguments.email,
                full_name=arguments.name,
                department=arguments.department,
                phone=arguments.phone,
                password=password,
            )
        )
    print(
        f"Created employee {employee.id}: {employee.full_name} <{employee.email}>, "
        f"{employee.department.value}."
    )
    return 0


def _whoami(_arguments: argparse.Namespace, settings: Settings) -> int:
    from epic_tui.formatting import local_time
    from epic_tui.services.errors import NotLoggedIn, SessionExpired

    with _backend(settings) as backend:
        try:
            signed_in = backend.auth.get_user()
        except SessionExpired as expired:
            print(expired.message)
            return 1
        except NotLoggedIn:
            print("Not logged in.")
            return 1
    employee = signed_in.employee
    print(
        f"{employee.full_name} <{employee.email}>, {employee.department.value}; "
        f"session ends {local_time(signed_in.expires_at)}."
    )
    return 0


def _logout(_arguments: argparse.Namespace, settings: Settings) -> int:
    with _backend(settings) as backend:
        backend.auth.logout()
    print("Logged out.")
    return 0


@contextmanager
def _backend(settings: Settings) -> Iterator[Backend]:
    """Open the backend for one command and close it afterwards."""
    from epic_tui.services.backend import open_backend

    backend = open_backend(settings)
    try:
        yield backend
    finally:
        backend.close()


def _read_password(stream: TextIO) -> str:
    """The first line of ``stream``, without its line ending."""
    from epic_tui.services.errors import ValidationError

    line = stream.readline()
    password = line.removesuffix("\n").removesuffix("\r")
    if not password:
        raise ValidationError({"password": "No password was given on standard input."})
    return password


def _count(text: str) -> int:
    """An argparse type: a whole number, zero or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be zero or more, not {value}")
    return value


def _fail(message: str) -> int:
    print(f"epic-tui: error: {message}", file=sys.stderr)
    return 1
