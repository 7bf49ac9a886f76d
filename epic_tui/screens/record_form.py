"""The base of every dialog that saves something through a service."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Select, Static, TextArea

from epic_tui.screens.permitted import current_actor
from epic_tui.services.errors import (
    EpicError,
    NotLoggedIn,
    PermissionDenied,
    StaleRecord,
    ValidationError,
)
from epic_tui.widgets.field_error import FieldError
from epic_tui.widgets.field_row import FieldRow
from epic_tui.widgets.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from epic_tui.app import EpicApp
    from epic_tui.services.backend import Backend
    from epic_tui.services.dto import SignedIn

Loaded = TypeVar("Loaded")
"""What the dialog loads before it can be filled in (a record, choices)."""
Result = TypeVar("Result")
"""What a successful save returns, and the dialog is dismissed with."""


class RecordForm(
    ReportsWorkerErrors, ModalScreen[Result | None], Generic[Loaded, Result]
):
    """A dialog that loads, edits and saves one thing through the services.

    Subclasses compose their fields and say how to load, read and save;
    this class runs loading and saving in thread workers and turns every
    expected error into something the user sees: messages beside the
    fields, the reason of a refusal, and a Reload button when someone else
    saved the record first. Escape cancels, Enter or Ctrl+S saves; the
    dialog is dismissed with the saved result, or None when cancelled.
    """

    app: EpicApp
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+l", "app.logout", "Log out", show=False),
    ]
    SAVE_LABEL: ClassVar[str] = "Save"
    """What the save button says."""
    DIALOG_CLASSES: ClassVar[str] = "dialog record-form"
    """The classes of the dialog's frame; ``record-form`` makes it wide."""

    def __init__(self, record_id: int | None = None) -> None:
        """Prepare the dialog; ``record_id`` names the record to load first."""
        super().__init__()
        self.record_id = record_id
        self.loaded: Loaded | None = None
        """What the last load returned, once it has."""
        self._busy = False

    # What subclasses provide.

    def compose_fields(self) -> ComposeResult:
        """The dialog's fields; FieldRows whose input ids name the fields."""
        yield from ()

    def heading(self) -> str | Text:
        """The title shown at the top of the dialog."""
        return ""

    def load(self, backend: Backend, actor: SignedIn) -> Loaded:
        """Fetch what the dialog shows; runs in a worker thread."""
        raise NotImplementedError

    def fill(self, loaded: Loaded) -> None:
        """Show what was loaded in the fields; runs on the UI thread."""

    def collect(self) -> Any:
        """Read the fields into what ``save`` takes; runs on the UI thread.

        Raises:
            ValidationError: a field cannot even be read (not a number).
        """
        return None

    def save(self, backend: Backend, actor: SignedIn, values: Any) -> Result:
        """Save ``values`` through the services; runs in a worker thread."""
        raise NotImplementedError

    def saved_message(self, result: Result) -> str:
        """The toast that confirms the save; empty for none."""
        return ""

    # The dialog.

    def compose(self) -> ComposeResult:
        with Vertical(classes=self.DIALOG_CLASSES):
            yield Static(self.heading(), classes="panel-title", id="form-title")
            with VerticalScroll(classes="form-fields"):
                yield from self.compose_fields()
            yield FieldError(id="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Reload", id="reload", classes="-hidden")
                yield Button(self.SAVE_LABEL, id="save", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        if self.record_id is not None:
            self._start_loading()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Saving waits for loading; nothing is cancelled halfway through a save."""
        if action in ("save", "cancel") and self._busy:
            return None
        return True

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)

    # Buttons and Enter go through the App's actions, which first check
    # that the session has not expired.

    @on(Button.Pressed, "#cancel")
    async def _cancel_pressed(self) -> None:
        await self.app.run_action("cancel", self)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    async def _save_pressed(self, event: Button.Pressed | Input.Submitted) -> None:
        event.stop()
        await self.app.run_action("save", self)

    @on(Button.Pressed, "#reload")
    def _reload_pressed(self) -> None:
        self.show_message("")
        self.query_one("#reload").add_class("-hidden")
        self._start_loading()

    def action_save(self) -> None:
        """Check what can be checked here, then save in the background."""
        try:
            values = self.collect()
        except ValidationError as error:
            self.show_errors(error.errors)
            return
        self.show_errors({})
        self._set_busy(True)
        self._save(values)

    # Loading.

    def _start_loading(self) -> None:
        self._set_busy(True)
        self._load()

    @work(thread=True, exclusive=True, group="load-record", exit_on_error=False)
    def _load(self) -> None:
        try:
            loaded = self.load(self.app.backend, current_actor(self.app))
        except NotLoggedIn as error:
            self._on_ui(self.app.end_session, error.message)
        except EpicError as error:
            self._on_ui(self._load_failed, error.message)
        else:
            self._on_ui(self._loaded, loaded)

    def _loaded(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.fill(loaded)
        self._set_busy(False)
        # The first field may have been disabled while loading.
        if self.AUTO_FOCUS:
            self.query_one(self.AUTO_FOCUS).focus()

    def _load_failed(self, message: str) -> None:
        self.notify(message, title="Cannot open", severity="error", markup=False)
        self.dismiss(None)

    # Saving.

    @work(thread=True, exclusive=True, group="save-record", exit_on_error=False)
    def _save(self, values: Any) -> None:
        try:
            result = self.save(self.app.backend, current_actor(self.app), values)
        except ValidationError as error:
            self._on_ui(self._refused_values, error.errors)
        except StaleRecord as error:
            self._on_ui(self._stale, error.message)
        except PermissionDenied as error:
            self._on_ui(self._not_allowed, error.message)
        except NotLoggedIn as error:
            self._on_ui(self.app.end_session, error.message)
        except EpicError as error:
            self._on_ui(self._failed, error.message)
        else:
            self._on_ui(self._saved, result)

    def _saved(self, result: Result) -> None:
        message = self.saved_message(result)
        if message:
            self.notify(message, title="Saved", markup=False)
        self.dismiss(result)

    def _refused_values(self, errors: dict[str, str]) -> None:
        self._set_busy(False)
        self.show_errors(errors)

    def _stale(self, message: str) -> None:
        self._set_busy(False)
        self.show_message(message)
        reload = self.query_one("#reload", Button)
        reload.remove_class("-hidden")
        reload.focus()

    def _not_allowed(self, message: str) -> None:
        self.notify(message, title="Not allowed", severity="error", markup=False)
        self.dismiss(None)

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self.show_message(message)

    # Showing results.

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Show each message beside its field; the rest below the fields."""
        general = []
        shown = set()
        for name, message in errors.items():
            row = self._row_of(name)
            if row is None:
                general.append(message)
            else:
                row.show_error(message)
                shown.add(row)
        for row in self.query(FieldRow):
            if row not in shown:
                row.show_error("")
        self.show_message(" ".join(general))
        if shown:
            first = next(row for row in self.query(FieldRow) if row in shown)
            first.control.focus()

    def value_of(self, field_id: str) -> str:
        """The text typed in the field ``field_id`` (an Input or a TextArea)."""
        control = self.query_one(f"#{field_id}")
        if isinstance(control, TextArea):
            return control.text
        assert isinstance(control, Input)
        return control.value

    def set_value(self, field_id: str, text: str) -> None:
        """Put ``text`` in the field ``field_id`` (an Input or a TextArea)."""
        control = self.query_one(f"#{field_id}")
        if isinstance(control, TextArea):
            control.text = text
            control.move_cursor(control.document.end)
        else:
            assert isinstance(control, Input)
            control.value = text

    def show_message(self, message: str) -> None:
        """Show a message that belongs to no single field."""
        self.query_one("#form-error", FieldError).show(message)

    def _row_of(self, name: str) -> FieldRow | None:
        """The row of the field a service calls ``name`` (``client_id``)."""
        rows = self.query(f"#{name.replace('_', '-')}-row")
        row = rows.first() if rows else None
        return row if isinstance(row, FieldRow) else None

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.query_one("#save", Button).disabled = busy
        self.refresh_bindings()

    def _on_ui(self, callback: Callable[..., object], *args: Any) -> None:
        """Run ``callback`` on the UI thread, unless the dialog is gone.

        A dialog closed by the session's expiry while its worker ran must
        not be filled in or dismissed a second time.
        """
        self.app.call_from_thread(self._if_open, callback, *args)

    def _if_open(self, callback: Callable[..., object], *args: Any) -> None:
        if self.is_attached or callback == self.app.end_session:
            callback(*args)


def selected(select: Select[Any]) -> Any | None:
    """The value of a Select, or None when nothing is selected."""
    return None if select.is_blank() else select.value
