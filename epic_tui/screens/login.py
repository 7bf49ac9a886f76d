"""The login form: email, password, Enter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static
from textual.worker import Worker, WorkerState

from epic_tui.messages import LoggedIn
from epic_tui.widgets.field_error import FieldError
from epic_tui.widgets.password_input import PasswordInput
from epic_tui.widgets.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from epic_tui.app import EpicApp
    from epic_tui.services.startup import DemoCredentials


class LoginScreen(ReportsWorkerErrors, Screen[None]):
    """Asks for email and password; Tab moves, Enter submits."""

    app: EpicApp
    AUTO_FOCUS = "#email"
    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit")]

    def __init__(self, notice: str = "") -> None:
        super().__init__()
        self._notice = notice

    def compose(self) -> ComposeResult:
        with Vertical(id="login-form", classes="panel"):
            yield Static("Epic Events", classes="panel-title")
            yield Static("Log in to continue", classes="panel-subtitle")
            yield Static(self._notice, id="login-notice", classes="notice")
            yield Label("Email", classes="field-label")
            yield Input(placeholder="name@company.com", id="email")
            yield Label("Password", classes="field-label")
            yield PasswordInput(id="password")
            yield FieldError(id="login-error")
            yield Button("Log in", id="login", variant="primary")
        yield Vertical(id="demo-accounts", classes="panel -hidden")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#login-notice").display = bool(self._notice)
        if self.app.startup is not None:
            self.show_demo_accounts(self.app.startup.demo_accounts)

    def show_demo_accounts(self, accounts: Sequence[DemoCredentials]) -> None:
        """List the demo logins beside the form, demo mode only."""
        box = self.query_one("#demo-accounts", Vertical)
        if not accounts or box.children:
            return
        box.mount(Static("Demo accounts", classes="panel-title"))
        for account in accounts:
            box.mount(
                Static(
                    Text.assemble(
                        (account.department.capitalize(), "bold"),
                        f"\n  {account.email}\n  {account.password}",
                    ),
                    classes="demo-account",
                )
            )
        box.remove_class("-hidden")

    @on(Input.Submitted, "#email")
    def _email_entered(self) -> None:
        password = self.query_one("#password", PasswordInput)
        if password.value:
            self._submit()
        else:
            password.focus()

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#login")
    def _submit(self) -> None:
        email = self.query_one("#email", Input).value
        password = self.query_one("#password", PasswordInput).value
        if not email.strip() or not password:
            self._show_error("Enter your email and your password.")
            return
        self._show_error("")
        self._set_busy(True)
        self._log_in(email, password)

    @work(thread=True, exclusive=True, group="login", exit_on_error=False)
    def _log_in(self, email: str, password: str) -> None:
        # Verifying an argon2 hash takes a moment: never on the UI thread.
        from epic_tui.services.errors import EpicError

        try:
            backend = self.app.wait_for_backend()
            signed_in = backend.auth.login(email, password)
        except EpicError as error:
            self.app.call_from_thread(self._failed, error.message)
            return
        self.app.post_message(LoggedIn(signed_in))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Let the user try again if the check failed unexpectedly."""
        if event.worker.group == "login" and event.state is WorkerState.ERROR:
            self._failed("The login could not be checked; please try again.")

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self._show_error(message)
        password = self.query_one("#password", PasswordInput)
        password.clear()
        password.focus()

    def _show_error(self, message: str) -> None:
        self.query_one("#login-error", FieldError).show(message)

    def _set_busy(self, busy: bool) -> None:
        button = self.query_one("#login", Button)
        button.disabled = busy
        button.label = "Checking…" if busy else "Log in"
