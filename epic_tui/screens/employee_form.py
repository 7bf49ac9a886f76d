"""The employee form: management creates an account or changes one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Input, Select

from epic_tui.models import Department
from epic_tui.screens.record_form import RecordForm, selected
from epic_tui.services.dto import EmployeeDetail, EmployeeInfo
from epic_tui.services.employees import NewEmployee
from epic_tui.services.errors import ValidationError
from epic_tui.widgets.field_row import FieldRow
from epic_tui.widgets.password_input import PasswordInput

if TYPE_CHECKING:
    from epic_tui.services.backend import Backend
    from epic_tui.services.dto import SignedIn

DEPARTMENTS = [(member.value.capitalize(), member) for member in Department]


@dataclass(frozen=True)
class EmployeeChange:
    """The fields of an existing employee, as typed."""

    full_name: str
    email: str
    phone: str
    department: Department | str
    hand_over_to: int | None


@dataclass(frozen=True)
class EmployeeToEdit:
    """An employee, and the colleagues who could take over their work."""

    employee: EmployeeDetail
    colleagues: list[EmployeeInfo]


class EmployeeForm(RecordForm[EmployeeToEdit, EmployeeDetail]):
    """Creates an employee with a first password, or changes one.

    An employee who moves to another department hands their clients or
    events over to a colleague of the department they leave. Dismissed
    with the saved employee, or None when cancelled.
    """

    AUTO_FOCUS = "#full-name"

    def heading(self) -> str | Text:
        if self.record_id is None:
            return "New employee"
        return f"Employee #{self.record_id}"

    def compose_fields(self) -> ComposeResult:
        with Grid(classes="form-grid"):
            yield FieldRow("Full name", Input(id="full-name"))
            yield FieldRow("Email", Input(id="email", placeholder="name@company.com"))
            yield FieldRow(
                "Phone (optional)", Input(id="phone", placeholder="+33 6 12 34 56 78")
            )
            yield FieldRow(
                "Department",
                Select(DEPARTMENTS, id="department", prompt="Choose a department"),
            )
            if self.record_id is None:
                yield FieldRow(
                    "First password (12 characters or more)",
                    PasswordInput(id="password"),
                )
                yield FieldRow(
                    "Password again",
                    PasswordInput(id="confirm-password", placeholder="Password again"),
                )
            else:
                yield FieldRow(
                    "When the department changes, hand their work over to",
                    Select[int]([], id="hand-over-to", prompt="Nobody"),
                    classes="wide",
                )

    def load(self, backend: Backend, actor: SignedIn) -> EmployeeToEdit:
        assert self.record_id is not None
        employee = backend.employees.get(actor, self.record_id)
        colleagues = [
            colleague
            for colleague in backend.employees.colleagues(actor, employee.department)
            if colleague.id != employee.id
        ]
        return EmployeeToEdit(employee, colleagues)

    def fill(self, loaded: EmployeeToEdit) -> None:
        employee = loaded.employee
        self.set_value("full-name", employee.full_name)
        self.set_value("email", employee.email)
        self.set_value("phone", employee.phone)
        self.query_one("#department", Select).value = employee.department
        self.query_one("#hand-over-to", Select).set_options(
            (Text(colleague.full_name), colleague.id) for colleague in loaded.colleagues
        )

    def collect(self) -> NewEmployee | EmployeeChange:
        department = selected(self.query_one("#department", Select))
        if self.record_id is not None:
            return EmployeeChange(
                full_name=self.value_of("full-name"),
                email=self.value_of("email"),
                phone=self.value_of("phone"),
                department=department or "",
                hand_over_to=selected(self.query_one("#hand-over-to", Select)),
            )
        password = self.value_of("password")
        if password != self.value_of("confirm-password"):
            raise ValidationError({"confirm_password": "The two passwords differ."})
        return NewEmployee(
            email=self.value_of("email"),
            full_name=self.value_of("full-name"),
            department=department or "",
            password=password,
            phone=self.value_of("phone"),
        )

    def save(
        self, backend: Backend, actor: SignedIn, values: NewEmployee | EmployeeChange
    ) -> EmployeeDetail:
        if isinstance(values, NewEmployee):
            return backend.employees.create_by(actor, values)
        assert self.loaded is not None
        employee = self.loaded.employee
        return backend.employees.update(
            actor,
            employee.id,
            employee.version,
            full_name=values.full_name,
            email=values.email,
            phone=values.phone,
            department=values.department,
            hand_over_to=values.hand_over_to,
        )

    def saved_message(self, result: EmployeeDetail) -> str:
        return f"Employee {result.full_name} is saved."
