"""The base of the screens that show one record and what can be done to it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Footer, Label, Static

from epic_tui.commands import CrmCommands
from epic_tui.formatting import cell
from epic_tui.screens.permitted import current_actor, may
from epic_tui.services.errors import EpicError, NotFound, NotLoggedIn
from epic_tui.services.permissions import Operation
from epic_tui.widgets.record_cells import record_cell
from epic_tui.widgets.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from epic_tui.app import EpicApp
    from epic_tui.services.backend import Backend
    from epic_tui.services.dto import SignedIn

Record = TypeVar("Record")
"""The detail DTO the screen shows."""

Field = tuple[str, object]
"""A label and the value shown beside it."""
LinkedColumn = tuple[str, str]
"""The key of a linked row's attribute, and the column's title."""


class RecordDetailScreen(ReportsWorkerErrors, Screen[None], Generic[Record]):
    """One record: its fields, its linked records, and the allowed actions.

    Subclasses say how to load the record, which fields to show, which
    records are linked to it, and, in ``allows``, which of their actions
    this employee may do on it. Buttons, keys in the footer and palette
    commands all follow ``check_action``, so nothing is offered that the
    services would refuse.
    """

    app: EpicApp
    COMMANDS = {CrmCommands}
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+l", "app.logout", "Log out"),
        Binding("h", "show_history", "History", show=False),
    ]
    ENTITY: ClassVar[str] = ""
    """The record's kind, as the audit log names it."""
    ACTIONS: ClassVar[tuple[tuple[str, str], ...]] = ()
    """The actions offered as buttons: action name and button label."""
    LINKED_TITLE: ClassVar[str] = ""
    """The title of the linked records' table; empty for none."""
    LINKED_COLUMNS: ClassVar[tuple[LinkedColumn, ...]] = ()

    def __init__(self, record_id: int) -> None:
        """Show the record ``record_id``."""
        super().__init__()
        self.record_id = record_id
        self.record: Record | None = None
        """The record, once loaded."""
        self.linked: Sequence[Any] = ()
        """The linked records, once loaded."""

    # What subclasses provide.

    def load(self, backend: Backend, actor: SignedIn) -> tuple[Record, Sequence[Any]]:
        """Fetch the record and its linked records; runs in a worker thread."""
        raise NotImplementedError

    def title_of(self, record: Record) -> Text:
        """The heading of the screen."""
        raise NotImplementedError

    def fields_of(self, record: Record) -> Sequence[Field]:
        """The fields shown, in order."""
        raise NotImplementedError

    def allows(self, action: str, record: Record) -> bool:
        """True when this employee may do ``action`` on ``record`` now."""
        return False

    def open_linked(self, row: Any) -> None:
        """Open a record of the linked table."""

    # The screen.

    def compose(self) -> ComposeResult:
        with Vertical(classes="record-detail"):
            yield Static(f"#{self.record_id}", id="detail-title", classes="panel-title")
            yield Grid(id="detail-fields")
            with Horizontal(id="detail-actions"):
                for action, label in self.ACTIONS:
                    yield Button(
                        label,
                        id=f"do-{action.replace('_', '-')}",
                        action=f"screen.{action}",
                        compact=True,
                        classes="-hidden",
                    )
            if self.LINKED_TITLE:
                yield Static(self.LINKED_TITLE, classes="section-title")
                yield DataTable(
                    id="linked-table", cursor_type="row", zebra_stripes=True
                )
        yield Footer()

    def on_mount(self) -> None:
        if self.LINKED_TITLE:
            table = self.query_one("#linked-table", DataTable)
            for key, label in self.LINKED_COLUMNS:
                table.add_column(label, key=key)
        self.reload()

    def reload(self) -> None:
        """Fetch the record again, after a change or on request."""
        self._load()

    def after_dialog(self, result: object) -> None:
        """Show the record again when a dialog saved something."""
        if result is not None:
            self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer the record's actions only where this employee may do them."""
        names = {name for name, _label in self.ACTIONS} | {"show_history"}
        if action not in names:
            return True
        return self.record is not None and self._permits(action, self.record)

    def action_back(self) -> None:
        """Go back to where the record was opened from."""
        self.dismiss(None)

    def action_show_history(self) -> None:
        """Show who changed this record, and how."""
        from epic_tui.screens.history import HistoryScreen

        if self.record is not None:
            title = self.title_of(self.record).plain
            self.app.push_screen(HistoryScreen(self.ENTITY, self.record_id, title))

    def _permits(self, action: str, record: Record) -> bool:
        if action == "show_history":
            return may(self.app, Operation.VIEW_HISTORY)
        return self.allows(action, record)

    @on(DataTable.RowSelected, "#linked-table")
    def _linked_chosen(self, event: DataTable.RowSelected) -> None:
        index = event.cursor_row
        if 0 <= index < len(self.linked):
            self.open_linked(self.linked[index])

    @work(thread=True, exclusive=True, group="load-record", exit_on_error=False)
    def _load(self) -> None:
        try:
            record, linked = self.load(self.app.backend, current_actor(self.app))
        except NotLoggedIn as error:
            self.app.call_from_thread(self.app.end_session, error.message)
        except NotFound as error:
            self.app.call_from_thread(self._gone, error.message)
        except EpicError as error:
            self.app.call_from_thread(self._failed, error.message)
        else:
            self.app.call_from_thread(self._show, record, linked)

    def _show(self, record: Record, linked: Sequence[Any]) -> None:
        if not self.is_attached:
            return
        self.record = record
        self.linked = linked
        self.query_one("#detail-title", Static).update(self.title_of(record))

        # Label and value side by side, two fields a line.
        grid = self.query_one("#detail-fields", Grid)
        grid.remove_children()
        widgets: list[Widget] = []
        for label, value in self.fields_of(record):
            widgets.append(Label(label, classes="detail-label", markup=False))
            shown = value if isinstance(value, Text) else Text(cell(value))
            widgets.append(Static(shown, classes="detail-value"))
        grid.mount_all(widgets)

        if self.LINKED_TITLE:
            self._show_linked(linked)
        for name, _label in self.ACTIONS:
            button = self.query_one(f"#do-{name.replace('_', '-')}", Button)
            button.set_class(not self._permits(name, record), "-hidden")
        self.refresh_bindings()

    def _show_linked(self, linked: Sequence[Any]) -> None:
        table = self.query_one("#linked-table", DataTable)
        table.clear()
        for row in linked:
            table.add_row(
                *(record_cell(row, key) for key, _label in self.LINKED_COLUMNS),
                key=str(row.id),
            )

    def _gone(self, message: str) -> None:
        if self.is_attached:
            self.notify(message, title="Not found", severity="error", markup=False)
            self.dismiss(None)

    def _failed(self, message: str) -> None:
        if self.is_attached:
            self.notify(message, title="Cannot load", severity="error", markup=False)


def open_record(app: EpicApp, kind: str, record_id: int) -> None:
    """Show the detail screen of a record of ``kind``, by its id.

    When the screen just below shows that very record (a client opened
    from its own contract), going back to it is better than stacking.

    Args:
        app: the running app.
        kind: "clients", "contracts", "events" or "employees".
        record_id: the record's id.
    """
    from epic_tui.screens.client_detail import ClientDetailScreen
    from epic_tui.screens.contract_detail import ContractDetailScreen
    from epic_tui.screens.employee_detail import EmployeeDetailScreen
    from epic_tui.screens.event_detail import EventDetailScreen

    screens: dict[str, type[RecordDetailScreen[Any]]] = {
        "clients": ClientDetailScreen,
        "contracts": ContractDetailScreen,
        "events": EventDetailScreen,
        "employees": EmployeeDetailScreen,
    }
    screen_type = screens[kind]
    stack = app.screen_stack
    if len(stack) >= 2:
        below = stack[-2]
        if isinstance(below, screen_type) and below.record_id == record_id:
            app.pop_screen()
            return
    app.push_screen(screen_type(record_id))
