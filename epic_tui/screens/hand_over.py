"""Deactivating an employee, and handing their work to a colleague."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Button, Select, Static

from epic_tui.screens.record_form import RecordForm, selected
from epic_tui.services.dto import EmployeeDetail, EmployeeInfo
from epic_tui.widgets.field_row import FieldRow

if TYPE_CHECKING:
    from epic_tui.services.backend import Backend
    from epic_tui.services.dto import SignedIn


@dataclass(frozen=True)
class HandOverChoice:
    """An employee and the colleagues who could take over their work."""

    employee: EmployeeDetail
    colleagues: list[EmployeeInfo]


class DeactivateEmployeeDialog(RecordForm[HandOverChoice, EmployeeDetail]):
    """Asks before deactivating an employee, and to whom their work goes.

    A deactivated employee cannot log in any more. Their clients or events
    may go to an active colleague of the same department, chosen here.
    Dismissed with the deactivated employee, or None when cancelled.
    """

    DIALOG_CLASSES = "dialog action-dialog"
    SAVE_LABEL = "Deactivate"
    AUTO_FOCUS = "#hand-over-to"

    def __init__(self, employee_id: int) -> None:
        """Deactivate employee ``employee_id`` once the user confirms."""
        super().__init__(employee_id)

    def heading(self) -> str | Text:
        return f"Deactivate employee #{self.record_id}?"

    def compose_fields(self) -> ComposeResult:
        yield Static("Loading…", id="employee-summary", classes="form-note")
        yield FieldRow(
            "Hand their clients and events over to",
            Select[int]([], id="hand-over-to", prompt="Nobody: keep them as they are"),
        )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#save", Button).variant = "error"

    def load(self, backend: Backend, actor: SignedIn) -> HandOverChoice:
        assert self.record_id is not None
        employee = backend.employees.get(actor, self.record_id)
        colleagues = [
            colleague
            for colleague in backend.employees.colleagues(actor, employee.department)
            if colleague.id != employee.id and colleague.active
        ]
        return HandOverChoice(employee, colleagues)

    def fill(self, loaded: HandOverChoice) -> None:
        employee = loaded.employee
        self.query_one("#employee-summary", Static).update(
            Text.assemble(
                (employee.full_name, "bold"),
                f" ({employee.department.value}, {employee.email})",
                " will no longer be able to log in.",
            )
        )
        self.query_one("#hand-over-to", Select).set_options(
            (Text(colleague.full_name), colleague.id) for colleague in loaded.colleagues
        )

    def collect(self) -> int | None:
        value = selected(self.query_one("#hand-over-to", Select))
        return int(value) if value is not None else None

    def save(
        self, backend: Backend, actor: SignedIn, values: int | None
    ) -> EmployeeDetail:
        assert self.loaded is not None
        employee = self.loaded.employee
        return backend.employees.deactivate(
            actor, employee.id, employee.version, hand_over_to=values
        )

    def saved_message(self, result: EmployeeDetail) -> str:
        return f"{result.full_name} is deactivated."
