"""First run: create the first management account instead of a login."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from epic_tui.messages import LoggedIn
from epic_tui.widgets.field_error import FieldError
from epic_tui.widgets.password_input import PasswordInput
from epic_tui.widgets.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from epic_tui.app import EpicApp

FIELDS = ("full_name", "email", "phone", "password")


class FirstRunScreen(ReportsWorkerErrors, Screen[None]):
    """Creates the first manager, who then lands on the dashboard."""

    app: EpicApp
    AUTO_FOCUS = "#full_name"
    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit")]

    def compose(self) -> ComposeResult:
        with Vertical(id="first-run-form", classes="panel"):
            yield Static("Welcome to Epic Events", classes="panel-title")
            yield Static(
                "No account exists yet. Create the first management account; "
                "it can then create everyone else's.",
                classes="panel-subtitle",
            )
            yield Label("Full name", classes="field-label")
            yield Input(id="full_name")
            yield FieldError(id="full_name-error")
            yield Label("Email", classes="field-label")
            yield Input(placeholder="name@company.com", id="email")
            yield FieldError(id="email-error")
            yield Label("Phone (optional)", classes="field-label")
            yield Input(id="phone")
            yield FieldError(id="phone-error")
            yield Label("Password (12 characters or more)", classes="field-label")
            yield PasswordInput(id="password")
            yield FieldError(id="password-error")
            yield Label("Password again", classes="field-label")
            yield PasswordInput(placeholder="Password again", id="confirm")
            yield FieldError(id="confirm-error")
            yield Button("Create account", id="create", variant="primary")
        yield Footer()

    @on(Input.Submitted)
    @on(Button.Pressed, "#create")
    def _submit(self) -> None:
        values = {name: self.query_one(f"#{name}", Input).value for name in FIELDS}
        confirm = self.query_one("#confirm", Input).value
        self._show_errors({})
        if confirm != values["password"]:
            self._show_errors({"confirm": "The two passwords differ."})
            return
        self.query_one("#create", Button).disabled = True
        self._create(values)

    @work(thread=True, exclusive=True, group="first-run", exit_on_error=False)
    def _create(self, values: dict[str, str]) -> None:
        from epic_tui.services.employees import NewEmployee
        from epic_tui.services.errors import EpicError, ValidationError

        backend = self.app.wait_for_backend()
        try:
            backend.employees.create_first_manager(
                NewEmployee(department="management", **values)
            )
            signed_in = backend.auth.login(values["email"], values["password"])
        except ValidationError as error:
            self.app.call_from_thread(self._show_errors, error.errors)
            return
        except EpicError as error:
            self.app.call_from_thread(self._show_errors, {"confirm": error.message})
            return
        self.app.post_message(LoggedIn(signed_in))

    def _show_errors(self, errors: dict[str, str]) -> None:
        for name in (*FIELDS, "confirm"):
            self.query_one(f"#{name}-error", FieldError).show(errors.get(name, ""))
        self.query_one("#create", Button).disabled = False
        if errors:
            first = next(name for name in (*FIELDS, "confirm") if name in errors)
            self.query_one(f"#{first}", Input).focus()
