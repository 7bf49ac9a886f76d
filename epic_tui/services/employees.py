"""Employees: the first manager, and accounts created by operators."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from epic_tui.clock import Clock, utc_now
from epic_tui.models import Department, Employee
from epic_tui.services.database import SessionFactory
from epic_tui.services.dto import EmployeeInfo
from epic_tui.services.errors import EpicError, ValidationError
from epic_tui.services.passwords import PasswordHasher, check_password_policy
from epic_tui.services.validation import clean_email, clean_name, clean_phone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewEmployee:
    """What a person types to create an account."""

    email: str
    full_name: str
    department: Department | str
    password: str
    phone: str = ""


class FirstRunOver(EpicError):
    """Someone already created the first account."""

    def __init__(self) -> None:
        super().__init__("The first account already exists; please log in.")


class EmployeeService:
    """Creates employee accounts with validated fields and hashed passwords."""

    def __init__(
        self,
        sessions: SessionFactory,
        *,
        hasher: PasswordHasher,
        clock: Clock = utc_now,
    ) -> None:
        self._sessions = sessions
        self._hasher = hasher
        self._clock = clock

    def any_exist(self) -> bool:
        """True once at least one employee exists."""
        with self._sessions() as session:
            return bool(session.scalar(select(exists().where(Employee.id > 0))))

    def count(self) -> int:
        """The number of employees, active or not."""
        with self._sessions() as session:
            return session.scalar(select(func.count(Employee.id))) or 0

    def create_first_manager(self, new: NewEmployee) -> EmployeeInfo:
        """Create the first management account, only while none exists.

        Raises:
            ValidationError: a field breaks a rule.
            FirstRunOver: an employee exists already.
        """
        new_manager = NewEmployee(
            email=new.email,
            full_name=new.full_name,
            department=Department.MANAGEMENT,
            password=new.password,
            phone=new.phone,
        )
        return self._create(new_manager, first_run=True)

    def create(self, new: NewEmployee) -> EmployeeInfo:
        """Create an employee account.

        Raises:
            ValidationError: a field breaks a rule or the email is taken.
        """
        return self._create(new, first_run=False)

    def _create(self, new: NewEmployee, *, first_run: bool) -> EmployeeInfo:
        fields = _validated(new)
        # Hash outside the transaction: it takes a noticeable moment.
        password_hash = self._hasher.hash(new.password)
        now = self._clock()
        try:
            with self._sessions.begin() as session:
                if first_run and session.scalar(
                    select(exists().where(Employee.id > 0))
                ):
                    raise FirstRunOver()
                taken = session.scalar(
                    select(exists().where(Employee.email == fields["email"]))
                )
                if taken:
                    raise ValidationError({"email": "This email is already in use."})
                employee = Employee(
                    **fields,
                    password_hash=password_hash,
                    active=True,
                    must_change_password=False,
                    created_at=now,
                    updated_at=now,
                    version=1,
                )
                session.add(employee)
                session.flush()
                info = EmployeeInfo.of(employee)
        except IntegrityError:
            # Another writer took the same email between check and insert.
            raise ValidationError({"email": "This email is already in use."}) from None
        log.info(
            "employee created: id %d, department %s", info.id, info.department.value
        )
        return info


def _validated(new: NewEmployee) -> dict[str, object]:
    """Check every field at once so the form can show every message."""
    errors: dict[str, str] = {}
    fields: dict[str, object] = {}
    for name, clean in (
        ("email", lambda: clean_email(new.email)),
        ("full_name", lambda: clean_name(new.full_name, what="A full name")),
        ("phone", lambda: clean_phone(new.phone)),
        ("department", lambda: _department(new.department)),
    ):
        try:
            fields[name] = clean()
        except ValueError as error:
            errors[name] = str(error)
    try:
        check_password_policy(new.password, email=new.email, full_name=new.full_name)
    except ValidationError as error:
        errors.update(error.errors)
    if errors:
        raise ValidationError(errors)
    return fields


def _department(value: Department | str) -> Department:
    try:
        return Department(value)
    except ValueError:
        names = ", ".join(member.value for member in Department)
        raise ValueError(f"The department is one of: {names}.") from None
