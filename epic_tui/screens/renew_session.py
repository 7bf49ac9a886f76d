"""The warning before a session expires, with a way to renew it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from epic_tui.formatting import time_left
from epic_tui.widgets.field_error import FieldError
from epic_tui.widgets.password_input import PasswordInput
from epic_tui.widgets.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from epic_tui.app import EpicApp
    from epic_tui.services.dto import SignedIn


class RenewSessionScreen(ReportsWorkerErrors, ModalScreen[bool]):
    """Asks for the password again; dismisses with True once renewed."""

    app: EpicApp
    AUTO_FOCUS = "#renew-password"
    BINDINGS = [Binding("escape", "dismiss(False)", "Not now")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Your session is about to expire", classes="panel-title")
            yield Static("", id="renew-countdown", classes="notice")
            yield Label(
                "Type your password to stay logged in for another session.",
                classes="field-label",
            )
            yield PasswordInput(id="renew-password")
            yield FieldError(id="renew-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Stay logged in", id="renew", variant="primary")
                yield Button("Not now", id="not-now")

    def on_mount(self) -> None:
        self._show_countdown()
        self.set_interval(1.0, self._show_countdown)

    def _show_countdown(self) -> None:
        session = self.app.session
        if session is not None:
            remaining = session.expires_at - self.app.clock()
            self.query_one("#renew-countdown", Static).update(
                f"It ends in {time_left(remaining)}; unsaved work will be lost."
            )

    @on(Button.Pressed, "#not-now")
    def _not_now(self) -> None:
        self.dismiss(False)

    @on(Input.Submitted)
    @on(Button.Pressed, "#renew")
    def _submit(self) -> None:
        session = self.app.session
        password = self.query_one("#renew-password", Input).value
        if session is None or not password:
            return
        self.query_one("#renew", Button).disabled = True
        self._renew(session, password)

    @work(thread=True, exclusive=True, group="renew", exit_on_error=False)
    def _renew(self, session: SignedIn, password: str) -> None:
        from epic_tui.services.errors import InvalidCredentials, NotLoggedIn

        try:
            renewed = self.app.backend.auth.renew(session, password)
        except InvalidCredentials:
            self.app.call_from_thread(self._refused)
        except NotLoggedIn as error:
            self.app.call_from_thread(self.app.end_session, error.message)
        else:
            self.app.call_from_thread(self._renewed, renewed)

    def _refused(self) -> None:
        self.query_one("#renew-error", FieldError).show("This password is not right.")
        self.query_one("#renew", Button).disabled = False
        field = self.query_one("#renew-password", Input)
        field.clear()
        field.focus()

    def _renewed(self, renewed: SignedIn) -> None:
        self.app.update_session(renewed)
        self.notify("Session renewed.")
        self.dismiss(True)
