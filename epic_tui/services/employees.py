"""Employees: the first manager, accounts, and their life at the company.

Operators create accounts from the command line (:meth:`create`, with no
logged-in actor); management creates, changes and deactivates them from
the app, and hands the clients or events of someone who leaves a
department to a colleague of that department.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, func, or_, select, update
from sqlalchemy.orm import Session

from epic_tui.clock import Clock, utc_now
from epic_tui.models import Client, Contract, Department, Employee, Event
from epic_tui.observability import report_event
from epic_tui.services import fields as parse
from epic_tui.services.acting import (
    Work,
    begin_action,
    checked_id,
    load,
    revoke_sessions,
    save_changes,
    save_if_changed,
    unit_of_work,
)
from epic_tui.services.changes import (
    Changes,
    add_audit_entries,
    add_audit_entry,
    changes_between,
)
from epic_tui.services.database import SessionFactory
from epic_tui.services.dto import EmployeeDetail, EmployeeInfo, SignedIn
from epic_tui.services.errors import (
    EpicError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from epic_tui.services.fields import FieldErrors
from epic_tui.services.passwords import PasswordHasher, check_password_policy
from epic_tui.services.permissions import Operation
from epic_tui.services.validation import clean_name

log = logging.getLogger(__name__)

THIS_EMPLOYEE = "This employee"


def _email_taken() -> ValidationError:
    return ValidationError({"email": "This email is already in use."})


@dataclass(frozen=True)
class NewEmployee:
    """What a person types to create an account."""

    email: str
    full_name: str
    department: Department | str
    password: str
    phone: str = ""


@dataclass(frozen=True)
class HandOver:
    """How many records went from one employee to a colleague."""

    clients: int = 0
    contracts: int = 0
    events: int = 0


class FirstRunOver(EpicError):
    """Someone already created the first account."""

    def __init__(self) -> None:
        super().__init__("The first account already exists; please log in.")


class EmployeeService:
    """Creates, changes and deactivates employee accounts."""

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
        return self._create_without_actor(new_manager, first_run=True)

    def create(self, new: NewEmployee) -> EmployeeInfo:
        """Create an employee account for an operator (no one logged in).

        Raises:
            ValidationError: a field breaks a rule or the email is taken.
        """
        return self._create_without_actor(new, first_run=False)

    def create_by(self, actor: SignedIn, new: NewEmployee) -> EmployeeDetail:
        """Create an employee account on behalf of a manager.

        Raises:
            PermissionDenied: the actor is not in management.
            ValidationError: a field breaks a rule or the email is taken.
        """
        # Refuse before spending the time a hash takes.
        with begin_action(self._sessions, self._clock, actor) as work:
            work.require(Operation.CREATE_EMPLOYEE)
        values = _new_employee_values(new)
        password_hash = self._hasher.hash(new.password)
        with begin_action(
            self._sessions, self._clock, actor, conflict=_email_taken()
        ) as work:
            work.require(Operation.CREATE_EMPLOYEE)
            employee = _insert(
                work.session,
                values,
                password_hash,
                at=work.now,
                actor_id=work.actor_id,
            )
            detail = EmployeeDetail.of(employee)
        _report_created(detail, work.actor_id)
        return detail

    def update(
        self,
        actor: SignedIn,
        employee_id: int,
        expected_version: int,
        full_name: str,
        email: str,
        phone: str,
        department: Department | str,
        *,
        hand_over_to: int | str | None = None,
    ) -> EmployeeDetail:
        """Change an employee's profile or department.

        A change of department ends the employee's open sessions. An
        employee who is still the sales contact of clients, or the support
        contact of events, changes department only with ``hand_over_to``:
        a colleague of the department they leave, who takes those over.

        Raises:
            PermissionDenied: the actor is not in management.
            ValidationError: a field breaks a rule, the email is taken, or
                records would be left to someone outside their department.
            StaleRecord: someone saved the employee since the form loaded it.
        """
        record_id = checked_id(employee_id, THIS_EMPLOYEE)
        with begin_action(
            self._sessions, self._clock, actor, conflict=_email_taken()
        ) as work:
            work.require(Operation.UPDATE_EMPLOYEE)
            employee = load(work.session, Employee, record_id, THIS_EMPLOYEE)
            old_department = employee.department
            errors = FieldErrors()
            values = _profile_values(errors, full_name, email, phone, department)
            _check_email_free(work.session, values["email"], record_id, errors)
            colleague = self._department_change(
                work, employee, values["department"], hand_over_to, errors
            )
            errors.raise_if_any()
            changes = save_if_changed(
                work, employee, expected_version, values, THIS_EMPLOYEE
            )
            if changes:
                work.audit("update", "employee", record_id, changes)
            if "department" in changes:
                revoke_sessions(work.session, record_id, work.now)
            if colleague is not None:
                _hand_over(work, record_id, old_department, colleague.id)
            detail = _employee_detail(work.session, record_id)
        if changes:
            log.info("employee %d updated by employee %d", record_id, work.actor_id)
            report_event(
                "employee changed", employee_id=record_id, actor_id=work.actor_id
            )
        return detail

    def deactivate(
        self,
        actor: SignedIn,
        employee_id: int,
        expected_version: int,
        hand_over_to: int | str | None = None,
    ) -> EmployeeDetail:
        """Deactivate an employee, ending their sessions for good.

        Args:
            actor: someone in management, not the employee themselves.
            employee_id: who leaves.
            expected_version: the version the form loaded.
            hand_over_to: an active colleague of the same department who
                takes over their clients (and those clients' contracts) or
                their events; None leaves those records where they are.

        Raises:
            PermissionDenied: not in management, or deactivating oneself.
            ValidationError: already deactivated, or a bad colleague.
            StaleRecord: someone saved the employee since the form loaded it.
        """
        record_id = checked_id(employee_id, THIS_EMPLOYEE)
        with begin_action(self._sessions, self._clock, actor) as work:
            work.require(Operation.DEACTIVATE_EMPLOYEE)
            employee = load(work.session, Employee, record_id, THIS_EMPLOYEE)
            if record_id == work.actor_id:
                raise PermissionDenied(
                    "You cannot deactivate your own account; ask another manager."
                )
            if not employee.active:
                raise ValidationError(
                    {"active": "This employee is already deactivated."}
                )
            errors = FieldErrors()
            colleague = _colleague(
                work.session, employee, employee.department, hand_over_to, errors
            )
            errors.raise_if_any()
            values: dict[str, object] = {"active": False}
            changes = save_if_changed(
                work, employee, expected_version, values, THIS_EMPLOYEE
            )
            work.audit("deactivate", "employee", record_id, changes)
            revoke_sessions(work.session, record_id, work.now)
            if colleague is not None:
                _hand_over(work, record_id, employee.department, colleague.id)
            detail = _employee_detail(work.session, record_id)
        log.info("employee %d deactivated by employee %d", record_id, work.actor_id)
        report_event(
            "employee deactivated", employee_id=record_id, actor_id=work.actor_id
        )
        return detail

    def reset_password(
        self, actor: SignedIn, employee_id: int, new_password: str
    ) -> None:
        """Give an employee a new password they must change at next login.

        Their open sessions end. A manager changes their own password the
        usual way, with their current one, not through a reset.

        Raises:
            PermissionDenied: not in management, or resetting oneself.
            ValidationError: under ``new_password``, the policy says no.
        """
        record_id = checked_id(employee_id, THIS_EMPLOYEE)
        with begin_action(self._sessions, self._clock, actor) as work:
            employee = self._reset_target(work, record_id)
            email, full_name = employee.email, employee.full_name
        password = _checked_new_password(new_password, email, full_name)
        # Hash outside the transaction: it takes a noticeable moment.
        password_hash = self._hasher.hash(password)
        with begin_action(self._sessions, self._clock, actor) as work:
            employee = self._reset_target(work, record_id)
            changes = changes_between(
                {"must_change_password": employee.must_change_password},
                {"must_change_password": True},
            )
            values: dict[str, object] = {
                "password_hash": password_hash,
                "must_change_password": True,
            }
            save_changes(work, employee, employee.version, values, THIS_EMPLOYEE)
            revoke_sessions(work.session, record_id, work.now)
            work.audit("reset_password", "employee", record_id, changes)
        log.info(
            "password of employee %d reset by employee %d", record_id, work.actor_id
        )
        report_event("password reset", employee_id=record_id, actor_id=work.actor_id)

    def get(self, actor: SignedIn, employee_id: int) -> EmployeeDetail:
        """One employee, with the version an edit form needs.

        Raises:
            NotFound: no such employee.
        """
        record_id = checked_id(employee_id, THIS_EMPLOYEE)
        with begin_action(self._sessions, self._clock, actor) as work:
            return _employee_detail(work.session, record_id)

    def colleagues(
        self, actor: SignedIn, department: Department | str
    ) -> list[EmployeeInfo]:
        """The active employees of a department, by name, for pickers.

        Raises:
            ValidationError: under ``department``, an unknown department.
        """
        errors = FieldErrors()
        wanted = errors.take("department", lambda: _department(department), None)
        errors.raise_if_any()
        with begin_action(self._sessions, self._clock, actor) as work:
            employees = work.session.scalars(
                select(Employee)
                .where(Employee.department == wanted, Employee.active.is_(True))
                .order_by(Employee.full_name, Employee.id)
            ).all()
            return [EmployeeInfo.of(employee) for employee in employees]

    def _create_without_actor(
        self, new: NewEmployee, *, first_run: bool
    ) -> EmployeeInfo:
        values = _new_employee_values(new)
        # Hash outside the transaction: it takes a noticeable moment.
        password_hash = self._hasher.hash(new.password)
        with unit_of_work(self._sessions, conflict=_email_taken()) as session:
            if first_run and session.scalar(select(exists().where(Employee.id > 0))):
                raise FirstRunOver()
            employee = _insert(
                session, values, password_hash, at=self._clock(), actor_id=None
            )
            info = EmployeeInfo.of(employee)
        _report_created(info, None)
        return info

    @staticmethod
    def _department_change(
        work: Work,
        employee: Employee,
        new_department: object,
        hand_over_to: object,
        errors: FieldErrors,
    ) -> Employee | None:
        """Check a change of department; return who takes the records over."""
        if new_department is None or new_department is employee.department:
            if hand_over_to is not None:
                errors.add(
                    "hand_over_to",
                    "A hand-over goes with a change of department or a deactivation.",
                )
            return None
        if employee.id == work.actor_id:
            errors.add(
                "department",
                "You cannot change your own department; ask another manager.",
            )
            return None
        colleague = _colleague(
            work.session, employee, employee.department, hand_over_to, errors
        )
        owned = _owned_records(work.session, employee.id, employee.department)
        if owned and colleague is None and "hand_over_to" not in errors.errors:
            errors.add(
                "department",
                f"This employee still looks after {owned} record(s) of the "
                f"{employee.department.value} department; choose a colleague "
                "to hand them over to first.",
            )
        return colleague

    @staticmethod
    def _reset_target(work: Work, employee_id: int) -> Employee:
        work.require(Operation.RESET_PASSWORD)
        employee = load(work.session, Employee, employee_id, THIS_EMPLOYEE)
        if employee_id == work.actor_id:
            raise PermissionDenied(
                "Change your own password from your account, "
                "with your current password."
            )
        return employee


def _new_employee_values(new: NewEmployee) -> dict[str, object]:
    """Check every field of a new account at once.

    Raises:
        ValidationError: with a message for each field that is wrong.
    """
    errors = FieldErrors()
    values = _profile_values(
        errors, new.full_name, new.email, new.phone, new.department
    )
    try:
        password = parse.text_of(new.password, "A password")
        check_password_policy(
            password,
            email=str(values["email"]),
            full_name=str(values["full_name"]),
        )
    except ValueError as error:
        errors.add("password", str(error))
    except ValidationError as error:
        for field, message in error.errors.items():
            errors.add(field, message)
    errors.raise_if_any()
    return values


def _profile_values(
    errors: FieldErrors,
    full_name: object,
    email: object,
    phone: object,
    department: object,
) -> dict[str, object]:
    """The profile fields of an employee, each checked, errors collected."""
    return {
        "full_name": errors.take(
            "full_name",
            lambda: clean_name(
                parse.text_of(full_name, "A full name"), what="A full name"
            ),
            "",
        ),
        "email": errors.take("email", lambda: parse.email_address(email), ""),
        "phone": errors.take("phone", lambda: parse.phone_number(phone), ""),
        "department": errors.take("department", lambda: _department(department), None),
    }


def _department(value: object) -> Department:
    try:
        return Department(value if isinstance(value, str) else "")
    except ValueError:
        names = ", ".join(member.value for member in Department)
        raise ValueError(f"The department is one of: {names}.") from None


def _checked_new_password(raw: object, email: str, full_name: str) -> str:
    """The new password, if the policy accepts it for this employee.

    Raises:
        ValidationError: under ``new_password``.
    """
    if not isinstance(raw, str):
        raise ValidationError({"new_password": "A password must be text."})
    check_password_policy(raw, email=email, full_name=full_name, field="new_password")
    return raw


def _check_email_free(
    session: Session, email: object, employee_id: int, errors: FieldErrors
) -> None:
    """Refuse an email another employee has, compared in folded form."""
    if not email or "email" in errors.errors:
        return
    taken = session.scalar(
        select(exists().where(Employee.email == email, Employee.id != employee_id))
    )
    if taken:
        errors.add("email", "This email is already in use.")


def _insert(
    session: Session,
    values: dict[str, object],
    password_hash: str,
    *,
    at: datetime,
    actor_id: int | None,
) -> Employee:
    """Add the employee and its audit entry; the email must be free."""
    if session.scalar(select(exists().where(Employee.email == values["email"]))):
        raise _email_taken()
    employee = Employee(
        **values,
        password_hash=password_hash,
        active=True,
        must_change_password=False,
        created_at=at,
        updated_at=at,
        version=1,
    )
    session.add(employee)
    session.flush()
    add_audit_entry(
        session,
        at=at,
        actor_id=actor_id,
        action="create",
        entity="employee",
        entity_id=employee.id,
        changes=changes_between({}, {**values, "active": True}),
    )
    return employee


def _report_created(info: EmployeeInfo, actor_id: int | None) -> None:
    log.info(
        "employee created: id %d, department %s, by %s",
        info.id,
        info.department.value,
        f"employee {actor_id}" if actor_id is not None else "an operator",
    )
    report_event(
        "employee created",
        employee_id=info.id,
        department=info.department.value,
    )


def _employee_detail(session: Session, employee_id: int) -> EmployeeDetail:
    employee = session.scalars(
        select(Employee)
        .where(Employee.id == employee_id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if employee is None:
        raise NotFound(f"{THIS_EMPLOYEE} does not exist.")
    return EmployeeDetail.of(employee)


def _colleague(
    session: Session,
    employee: Employee,
    department: Department,
    raw: object,
    errors: FieldErrors,
) -> Employee | None:
    """The active colleague of ``department`` who takes the records over."""
    if raw is None:
        return None
    colleague_id = errors.take(
        "hand_over_to", lambda: parse.record_id(raw, what="colleague"), None
    )
    if colleague_id is None:
        return None
    colleague = session.get(Employee, colleague_id)
    message = None
    if colleague is None:
        message = f"No employee has the number {colleague_id}."
    elif colleague.id == employee.id:
        message = "Choose a colleague other than the employee handing over."
    elif not colleague.active:
        message = "This colleague is deactivated."
    elif colleague.department is not department:
        message = f"Choose a colleague of the same department ({department.value})."
    if message is not None:
        errors.add("hand_over_to", message)
        return None
    return colleague


def _owned_records(session: Session, employee_id: int, department: Department) -> int:
    """How many records an employee looks after in their department."""
    if department is Department.SALES:
        query = select(func.count(Client.id)).where(
            Client.sales_contact_id == employee_id
        )
    elif department is Department.SUPPORT:
        query = select(func.count(Event.id)).where(
            Event.support_contact_id == employee_id
        )
    else:
        return 0
    return session.scalar(query) or 0


def _hand_over(
    work: Work, employee_id: int, department: Department, colleague_id: int
) -> HandOver:
    """Move an employee's clients and contracts, or events, to a colleague.

    Every moved record gets a new version, so a form opened on it before
    is told to reload, and a ``hand_over`` line in its history.
    """
    if department is Department.SALES:
        moved = _hand_over_clients(work, employee_id, colleague_id)
    elif department is Department.SUPPORT:
        moved = _hand_over_events(work, employee_id, colleague_id)
    else:
        moved = HandOver()
    summary: Changes = {"handed_over_to": ("", str(colleague_id))}
    for name, count in vars(moved).items():
        if count:
            summary[name] = (str(count), "0")
    work.audit("hand_over", "employee", employee_id, summary)
    log.info(
        "employee %d handed over %d clients, %d contracts, %d events to employee %d",
        employee_id,
        moved.clients,
        moved.contracts,
        moved.events,
        colleague_id,
    )
    return moved


def _hand_over_clients(work: Work, employee_id: int, colleague_id: int) -> HandOver:
    session = work.session
    # The contracts first: they are found through the clients' old owner.
    contracts = or_(
        Contract.sales_contact_id == employee_id,
        Contract.client_id.in_(
            select(Client.id).where(Client.sales_contact_id == employee_id)
        ),
    )
    contract_ids = session.scalars(select(Contract.id).where(contracts)).all()
    client_ids = session.scalars(
        select(Client.id).where(Client.sales_contact_id == employee_id)
    ).all()
    _move(work, Contract, contracts, {"sales_contact_id": colleague_id})
    _move(
        work,
        Client,
        Client.sales_contact_id == employee_id,
        {"sales_contact_id": colleague_id},
    )
    change = {"sales_contact_id": (str(employee_id), str(colleague_id))}
    for entity, ids in (("client", client_ids), ("contract", contract_ids)):
        add_audit_entries(
            session,
            at=work.now,
            actor_id=work.actor_id,
            action="hand_over",
            entity=entity,
            entity_ids=ids,
            changes=change,
        )
    return HandOver(clients=len(client_ids), contracts=len(contract_ids))


def _hand_over_events(work: Work, employee_id: int, colleague_id: int) -> HandOver:
    assigned = Event.support_contact_id == employee_id
    event_ids = work.session.scalars(select(Event.id).where(assigned)).all()
    _move(work, Event, assigned, {"support_contact_id": colleague_id})
    add_audit_entries(
        work.session,
        at=work.now,
        actor_id=work.actor_id,
        action="hand_over",
        entity="event",
        entity_ids=event_ids,
        changes={"support_contact_id": (str(employee_id), str(colleague_id))},
    )
    return HandOver(events=len(event_ids))


def _move(
    work: Work, model: Any, where: ColumnElement[bool], values: dict[str, object]
) -> None:
    """Give records a new owner, a new version and a new updated instant."""
    work.session.execute(
        update(model)
        .where(where)
        .values(**values, version=model.version + 1, updated_at=work.now)
        .execution_options(synchronize_session=False)
    )
