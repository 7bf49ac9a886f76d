"""Plain records handed from services to screens; no live ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from epic_tui.models import Department, Employee


@dataclass(frozen=True)
class EmployeeInfo:
    """An employee as the rest of the app sees them: never the hash."""

    id: int
    full_name: str
    email: str
    phone: str
    department: Department
    active: bool

    @classmethod
    def of(cls, employee: Employee) -> EmployeeInfo:
        """Copy the visible fields of an ORM employee."""
        return cls(
            id=employee.id,
            full_name=employee.full_name,
            email=employee.email,
            phone=employee.phone,
            department=employee.department,
            active=employee.active,
        )


@dataclass(frozen=True)
class SignedIn:
    """A verified session: who is logged in and until when."""

    employee: EmployeeInfo
    expires_at: datetime
    must_change_password: bool = False
