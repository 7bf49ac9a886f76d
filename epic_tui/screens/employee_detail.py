"""One employee, as management sees them, and what management may do."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding

from epic_tui.screens.permitted import may_change, may_manage
from epic_tui.screens.record_detail import Field, RecordDetailScreen
from epic_tui.services.dto import EmployeeDetail
from epic_tui.services.permissions import Operation

if TYPE_CHECKING:
    from epic_tui.services.backend import Backend
    from epic_tui.services.dto import SignedIn


class EmployeeDetailScreen(RecordDetailScreen[EmployeeDetail]):
    """An employee's account: change, deactivate, reset the password."""

    BINDINGS = [
        Binding("e", "edit_record", "Edit"),
        Binding("d", "deactivate_employee", "Deactivate"),
        Binding("r", "reset_password", "Reset password"),
    ]
    ENTITY = "employee"
    ACTIONS = (
        ("edit_record", "Edit"),
        ("reset_password", "Reset password"),
        ("deactivate_employee", "Deactivate"),
        ("show_history", "History"),
    )

    def load(
        self, backend: Backend, actor: SignedIn
    ) -> tuple[EmployeeDetail, Sequence[Any]]:
        return backend.employees.get(actor, self.record_id), ()

    def title_of(self, record: EmployeeDetail) -> Text:
        return Text.assemble(f"Employee #{record.id} · ", (record.full_name, "bold"))

    def fields_of(self, record: EmployeeDetail) -> Sequence[Field]:
        return (
            ("Full name", record.full_name),
            ("Department", record.department),
            ("Email", record.email),
            ("Phone", record.phone),
            ("Account", Text("Active" if record.active else "Deactivated")),
            ("Password", Text("To change" if record.must_change_password else "Set")),
            ("Created", record.created_at),
            ("Updated", record.updated_at),
        )

    def allows(self, action: str, record: EmployeeDetail) -> bool:
        if action == "edit_record":
            return may_change(self.app, "employees", record)
        if action == "deactivate_employee":
            return may_manage(self.app, Operation.DEACTIVATE_EMPLOYEE, record)
        if action == "reset_password":
            return may_manage(self.app, Operation.RESET_PASSWORD, record)
        return False

    def action_edit_record(self) -> None:
        """Change the employee's name, email, phone or department."""
        from epic_tui.screens.employee_form import EmployeeForm

        self.app.push_screen(EmployeeForm(self.record_id), self.after_dialog)

    def action_deactivate_employee(self) -> None:
        """Deactivate the employee, after a confirmation."""
        from epic_tui.screens.hand_over import DeactivateEmployeeDialog

        self.app.push_screen(
            DeactivateEmployeeDialog(self.record_id), self.after_dialog
        )

    def action_reset_password(self) -> None:
        """Set a new password for the employee."""
        from epic_tui.screens.reset_password import ResetPasswordDialog

        self.app.push_screen(ResetPasswordDialog(self.record_id), self.after_dialog)
