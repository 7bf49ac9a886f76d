"""A manager sets a new password for an employee who lost theirs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from epic_tui.screens.record_form import RecordForm
from epic_tui.services.dto import EmployeeDetail
from epic_tui.services.errors import ValidationError
from epic_tui.widgets.field_row import FieldRow
from epic_tui.widgets.password_input import PasswordInput

if TYPE_CHECKING:
    from epic_tui.services.backend import Backend
    from epic_tui.services.dto import SignedIn


class ResetPasswordDialog(RecordForm[EmployeeDetail, bool]):
    """Sets a new password, typed twice, for another employee.

    Dismissed with True once the password is reset, or None when cancelled.
    """

    DIALOG_CLASSES = "dialog action-dialog"
    SAVE_LABEL = "Reset password"
    AUTO_FOCUS = "#new-password"

    def __init__(self, employee_id: int) -> None:
        """Reset the password of employee ``employee_id``."""
        super().__init__(employee_id)

    def heading(self) -> str | Text:
        return f"Reset the password of employee #{self.record_id}"

    def compose_fields(self) -> ComposeResult:
        yield Static("Loading…", id="employee-summary", classes="form-note")
        yield FieldRow(
            "New password (12 characters or more)",
            PasswordInput(id="new-password", placeholder="New password"),
        )
        yield FieldRow(
            "New password again",
            PasswordInput(id="confirm-password", placeholder="New password again"),
        )

    def load(self, backend: Backend, actor: SignedIn) -> EmployeeDetail:
        assert self.record_id is not None
        return backend.employees.get(actor, self.record_id)

    def fill(self, loaded: EmployeeDetail) -> None:
        self.query_one("#employee-summary", Static).update(
            Text.assemble(
                "For ",
                (loaded.full_name, "bold"),
                f" ({loaded.email}). Give it to them in person; "
                "they choose their own at the next login.",
            )
        )

    def collect(self) -> str:
        password = self.value_of("new-password")
        if password != self.value_of("confirm-password"):
            raise ValidationError({"confirm_password": "The two passwords differ."})
        return password

    def save(self, backend: Backend, actor: SignedIn, values: str) -> bool:
        assert self.loaded is not None
        backend.employees.reset_password(actor, self.loaded.id, values)
        return True

    def saved_message(self, result: bool) -> str:
        assert self.loaded is not None
        return f"The password of {self.loaded.full_name} is reset."
