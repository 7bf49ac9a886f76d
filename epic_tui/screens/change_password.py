"""Change one's own password: the current one first, then the new one twice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from epic_tui.widgets.field_error import FieldError
from epic_tui.widgets.password_input import PasswordInput
from epic_tui.widgets.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from epic_tui.app import EpicApp
    from epic_tui.services.dto import SignedIn

FIELDS = ("current_password", "new_password", "confirm_password")


class ChangePasswordScreen(ReportsWorkerErrors, ModalScreen[bool]):
    """Dismisses with True once the password is changed.

    After a manager's reset the change is required: the dialog then
    cannot be cancelled, only completed or left by logging out.
    """

    app: EpicApp
    AUTO_FOCUS = "#current_password"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, *, required: bool = False) -> None:
        super().__init__()
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Change password", classes="panel-title")
            if self.required:
                yield Static(
                    "Your password was reset by a manager. "
                    "Choose a new one to continue.",
                    classes="notice",
                )
            yield Label("Current password", classes="field-label")
            yield PasswordInput(id="current_password", placeholder="Current password")
            yield FieldError(id="current_password-error")
            yield Label("New password (12 characters or more)", classes="field-label")
            yield PasswordInput(id="new_password", placeholder="New password")
            yield FieldError(id="new_password-error")
            yield Label("New password again", classes="field-label")
            yield PasswordInput(id="confirm_password", placeholder="New password again")
            yield FieldError(id="confirm_password-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Change password", id="change", variant="primary")
                if self.required:
                    yield Button("Log out", id="logout")
                else:
                    yield Button("Cancel", id="cancel")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A required change cannot be escaped."""
        if action == "cancel":
            return not self.required
        return True

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(False)

    @on(Button.Pressed, "#logout")
    def _log_out(self) -> None:
        self.app.action_logout()

    @on(Input.Submitted)
    @on(Button.Pressed, "#change")
    def _submit(self) -> None:
        values = {name: self.query_one(f"#{name}", Input).value for name in FIELDS}
        if values["new_password"] != values["confirm_password"]:
            self._show_errors({"confirm_password": "The two new passwords differ."})
            return
        self._show_errors({})
        self.query_one("#change", Button).disabled = True
        session = self.app.session
        if session is not None:
            self._change(session, values["current_password"], values["new_password"])

    @work(thread=True, exclusive=True, group="change-password", exit_on_error=False)
    def _change(self, session: SignedIn, current: str, new: str) -> None:
        from epic_tui.services.errors import (
            InvalidCredentials,
            NotLoggedIn,
            ValidationError,
        )

        try:
            signed_in = self.app.backend.auth.change_password(session, current, new)
        except InvalidCredentials:
            errors = {"current_password": "This is not your current password."}
            self.app.call_from_thread(self._show_errors, errors)
        except ValidationError as error:
            self.app.call_from_thread(self._show_errors, error.errors)
        except NotLoggedIn as error:
            self.app.call_from_thread(self.app.end_session, error.message)
        else:
            self.app.call_from_thread(self._changed, signed_in)

    def _changed(self, signed_in: SignedIn) -> None:
        self.app.update_session(signed_in)
        self.notify("Your password is changed; your other sessions are closed.")
        self.dismiss(True)

    def _show_errors(self, errors: dict[str, str]) -> None:
        for name in FIELDS:
            self.query_one(f"#{name}-error", FieldError).show(errors.get(name, ""))
        self.query_one("#change", Button).disabled = False
        for name in FIELDS:
            if name in errors:
                field = self.query_one(f"#{name}", Input)
                field.clear()
                field.focus()
                break
