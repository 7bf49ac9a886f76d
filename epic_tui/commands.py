"""The CRM's commands in the command palette, offered only where allowed.

Each command names what it does ("Sign contract") and runs an action of
the screen the palette was opened on. A command is offered when the
employee's department may do it at all and when that screen, in its
``check_action``, says it can be done now: the dashboard acts on the row
under its cursor, a detail screen on the record it shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from textual.actions import parse
from textual.command import DiscoveryHit, Hit, Hits, Provider

from epic_tui.services.permissions import Operation, may_ever

if TYPE_CHECKING:
    from epic_tui.services.dto import SignedIn


@dataclass(frozen=True)
class CrmCommand:
    """One palette command: what it is called and which action it runs.

    Attributes:
        name: What the palette shows, and what is typed to find it.
        help: One line on what the command does.
        action: The action run on the screen, e.g. ``sign_contract`` or
            ``toggle_filter('contracts', 'unsigned')``.
        operation: The permission the command needs at all; the screen
            then checks it against the record concerned.
    """

    name: str
    help: str
    action: str
    operation: Operation | None = None


COMMANDS: tuple[CrmCommand, ...] = (
    CrmCommand(
        "New client",
        "Create a client; you become their sales contact",
        "new_client",
        Operation.CREATE_CLIENT,
    ),
    CrmCommand(
        "New contract",
        "Draft a contract for a client (the selected one, if any)",
        "new_contract",
        Operation.CREATE_CONTRACT,
    ),
    CrmCommand(
        "New event",
        "Open an event on a signed contract of one of your clients",
        "new_event",
        Operation.CREATE_EVENT,
    ),
    CrmCommand(
        "New employee",
        "Create an employee account with a first password",
        "new_employee",
        Operation.CREATE_EMPLOYEE,
    ),
    CrmCommand("Edit", "Change the selected record", "edit_record"),
    CrmCommand(
        "Sign contract",
        "Sign the selected contract, after a confirmation",
        "sign_contract",
        Operation.SIGN_CONTRACT,
    ),
    CrmCommand(
        "Record payment",
        "Record what the client paid on the selected contract",
        "record_payment",
        Operation.RECORD_PAYMENT,
    ),
    CrmCommand(
        "Assign support",
        "Choose who in support runs the selected event",
        "assign_support",
        Operation.ASSIGN_SUPPORT,
    ),
    CrmCommand(
        "Deactivate employee",
        "Stop the selected employee from logging in; hand over their work",
        "deactivate_employee",
        Operation.DEACTIVATE_EMPLOYEE,
    ),
    CrmCommand(
        "Reset password",
        "Set a new password for the selected employee",
        "reset_password",
        Operation.RESET_PASSWORD,
    ),
    CrmCommand(
        "Show history",
        "Who changed the selected record, when, and how",
        "show_history",
        Operation.VIEW_HISTORY,
    ),
    CrmCommand("Open client", "Show the client of this record", "open_client"),
    CrmCommand("Open contract", "Show the contract of this event", "open_contract"),
    CrmCommand("Search", "Search the list on screen", "focus_search"),
    CrmCommand("Show clients", "Switch to the list of clients", "show_tab('clients')"),
    CrmCommand(
        "Show contracts", "Switch to the list of contracts", "show_tab('contracts')"
    ),
    CrmCommand("Show events", "Switch to the list of events", "show_tab('events')"),
    CrmCommand(
        "Show employees", "Switch to the list of employees", "show_tab('employees')"
    ),
)


@runtime_checkable
class OffersFilters(Protocol):
    """A screen whose filters, depending on the employee, are commands too."""

    def filter_commands(self) -> Iterable[CrmCommand]:
        """The filter toggles this employee is offered, as commands."""
        ...


class CrmCommands(Provider):
    """Offers the CRM's commands that the logged-in employee may run here."""

    def available(self) -> list[CrmCommand]:
        """The commands to offer on the palette's screen, in order."""
        session = self.app.session  # type: ignore[attr-defined]
        if session is None:
            return []
        screen = self.screen
        commands = list(COMMANDS)
        if isinstance(screen, OffersFilters):
            commands.extend(screen.filter_commands())
        return [command for command in commands if self._offers(session, command)]

    async def discover(self) -> Hits:
        """Every available command, for the palette before anything is typed."""
        for command in self.available():
            yield DiscoveryHit(command.name, self._runner(command), help=command.help)

    async def search(self, query: str) -> Hits:
        """The available commands whose name matches what is typed."""
        matcher = self.matcher(query)
        for command in self.available():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.name),
                    self._runner(command),
                    text=command.name,
                    help=command.help,
                )

    def _offers(self, session: SignedIn, command: CrmCommand) -> bool:
        if command.operation is not None and not may_ever(session, command.operation):
            return False
        _namespace, name, parameters = parse(command.action)
        if not hasattr(self.screen, f"action_{name}"):
            return False
        return self.screen.check_action(name, parameters) is True

    def _runner(self, command: CrmCommand) -> Any:
        async def run() -> None:
            # Through the App, which checks the session's expiry first.
            await self.app.run_action(command.action, self.screen)

        return run
