"""The history of one record: who changed which field, when, from what."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Footer, Static

from epic_tui.formatting import EMPTY, local_time
from epic_tui.screens.permitted import current_actor
from epic_tui.services.errors import EpicError, NotLoggedIn
from epic_tui.widgets.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from epic_tui.app import EpicApp
    from epic_tui.services.dto import HistoryEntry

COLUMNS = ("When", "Who", "What", "Field", "Before", "After")


def readable(value: str) -> str:
    """A value of the audit log as the rest of the app shows it.

    Instants are kept in UTC (ISO 8601) there; here they read in local time.
    """
    if not value:
        return EMPTY
    if "T" in value:
        try:
            instant = datetime.fromisoformat(value)
        except ValueError:
            return value
        if instant.tzinfo is not None:
            return local_time(instant)
    return value


class HistoryScreen(ReportsWorkerErrors, ModalScreen[None]):
    """Every change of one employee, client, contract or event, oldest first."""

    app: EpicApp
    BINDINGS = [Binding("escape", "close", "Close")]
    AUTO_FOCUS = "#history-table"

    def __init__(self, entity: str, entity_id: int, title: str) -> None:
        """Show the history of ``entity`` number ``entity_id``.

        Args:
            entity: "employee", "client", "contract" or "event".
            entity_id: the record's id.
            title: what the record is called, for the dialog's title.
        """
        super().__init__()
        self._entity = entity
        self._entity_id = entity_id
        self._title = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog history"):
            yield Static(
                Text.assemble("History of ", (self._title, "bold")),
                classes="panel-title",
            )
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
            yield Static("Loading…", id="history-status", classes="page-status")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close", id="close", action="screen.close")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*COLUMNS)
        self._load()

    def action_close(self) -> None:
        """Go back to the record."""
        self.dismiss(None)

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def _load(self) -> None:
        try:
            entries = self.app.backend.audit.history(
                current_actor(self.app), self._entity, self._entity_id
            )
        except NotLoggedIn as error:
            self.app.call_from_thread(self.app.end_session, error.message)
        except EpicError as error:
            self.app.call_from_thread(self._failed, error.message)
        else:
            self.app.call_from_thread(self._show, entries)

    def _show(self, entries: list[HistoryEntry]) -> None:
        if not self.is_attached:
            return
        table = self.query_one(DataTable)
        for entry in entries:
            changes = sorted(entry.changes.items()) or [("", ("", ""))]
            for field, (before, after) in changes:
                table.add_row(
                    Text(local_time(entry.at)),
                    Text(entry.actor or EMPTY),
                    Text(entry.action.replace("_", " ")),
                    Text(field.replace("_", " ") or EMPTY),
                    Text(readable(before)),
                    Text(readable(after)),
                )
        count = len(entries)
        status = (
            f"{count} change{'s' if count != 1 else ''}" if count else "No changes."
        )
        self.query_one("#history-status", Static).update(status)

    def _failed(self, message: str) -> None:
        if self.is_attached:
            self.notify(
                message, title="Cannot show history", severity="error", markup=False
            )
            self.dismiss(None)
