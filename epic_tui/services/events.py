"""Events: opened by sales on signed contracts, run by their support contact."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from epic_tui.clock import Clock, utc_now
from epic_tui.models import Client, Contract, Department, Employee, Event
from epic_tui.services import fields as parse
from epic_tui.services.acting import (
    Work,
    begin_action,
    checked_id,
    load,
    save_if_changed,
)
from epic_tui.services.changes import changes_between
from epic_tui.services.database import SessionFactory
from epic_tui.services.details import event_detail
from epic_tui.services.dto import EventDetail, EventInput, SignedIn
from epic_tui.services.errors import ValidationError
from epic_tui.services.fields import MAX_ATTENDEES, FieldErrors
from epic_tui.services.permissions import Operation, Ownership

log = logging.getLogger(__name__)

THIS_EVENT = "This event"
_ONSITE_FIELDS = ("onsite_contact_name", "onsite_contact_email", "onsite_contact_phone")


class EventService:
    """Creates, changes and staffs events."""

    def __init__(self, sessions: SessionFactory, *, clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    def create(self, actor: SignedIn, data: EventInput) -> EventDetail:
        """Create an event on a signed contract of one of the actor's clients.

        Raises:
            PermissionDenied: not in sales, or not the client's sales contact.
            ValidationError: a field breaks a rule, or the contract is not
                signed; nothing is saved.
        """
        with begin_action(self._sessions, self._clock, actor) as work:
            work.require_department(Operation.CREATE_EVENT)
            errors = FieldErrors()
            contract, client = _contract_of_form(work, data.contract_id, errors)
            values = _event_values(data, errors, client)
            errors.raise_if_any()
            values["contract_id"] = contract.id if contract else None
            event = Event(
                **values,
                support_contact_id=None,
                created_at=work.now,
                updated_at=work.now,
                version=1,
            )
            work.session.add(event)
            work.session.flush()
            work.audit("create", "event", event.id, changes_between({}, values))
            detail = event_detail(work.session, event.id)
        log.info("event %d created by employee %d", detail.id, work.actor_id)
        return detail

    def update(
        self,
        actor: SignedIn,
        event_id: int,
        expected_version: int,
        data: EventInput,
    ) -> EventDetail:
        """Change an event assigned to the actor; its contract stays the same.

        Raises:
            PermissionDenied: the event is not assigned to the actor.
            ValidationError: a field breaks a rule; nothing is saved.
            StaleRecord: someone saved the event since the form loaded it.
        """
        record_id = checked_id(event_id, THIS_EVENT)
        with begin_action(self._sessions, self._clock, actor) as work:
            work.require_department(Operation.UPDATE_EVENT)
            event = load(work.session, Event, record_id, THIS_EVENT)
            work.require(
                Operation.UPDATE_EVENT,
                Ownership(support_contact_id=event.support_contact_id),
            )
            errors = FieldErrors()
            _keep_contract(data.contract_id, event.contract_id, errors)
            client = _client_of_contract(work.session, event.contract_id)
            values = _event_values(data, errors, client)
            errors.raise_if_any()
            changes = save_if_changed(work, event, expected_version, values, THIS_EVENT)
            if changes:
                work.audit("update", "event", record_id, changes)
            detail = event_detail(work.session, record_id)
        if changes:
            log.info("event %d updated by employee %d", record_id, work.actor_id)
        return detail

    def assign_support(
        self,
        actor: SignedIn,
        event_id: int,
        expected_version: int,
        support_contact_id: int | None,
    ) -> EventDetail:
        """Make an active support employee the event's support contact.

        Args:
            actor: someone in management.
            event_id: the event to staff.
            expected_version: the version the form loaded.
            support_contact_id: the employee, or None to leave it unassigned.

        Raises:
            PermissionDenied: the actor is not in management.
            ValidationError: the employee is not an active support employee.
            StaleRecord: someone saved the event since the form loaded it.
        """
        record_id = checked_id(event_id, THIS_EVENT)
        with begin_action(self._sessions, self._clock, actor) as work:
            work.require_department(Operation.ASSIGN_SUPPORT)
            event = load(work.session, Event, record_id, THIS_EVENT)
            work.require(
                Operation.ASSIGN_SUPPORT,
                Ownership(support_contact_id=event.support_contact_id),
            )
            new_id = _support_contact(work.session, support_contact_id)
            values: dict[str, object] = {"support_contact_id": new_id}
            changes = save_if_changed(work, event, expected_version, values, THIS_EVENT)
            if changes:
                work.audit("assign_support", "event", record_id, changes)
            detail = event_detail(work.session, record_id)
        if changes:
            log.info(
                "event %d: support contact %s assigned by employee %d",
                record_id,
                new_id,
                work.actor_id,
            )
        return detail

    def get(self, actor: SignedIn, event_id: int) -> EventDetail:
        """One event, as anyone logged in may see it.

        Raises:
            NotFound: no such event.
        """
        record_id = checked_id(event_id, THIS_EVENT)
        with begin_action(self._sessions, self._clock, actor) as work:
            return event_detail(work.session, record_id)


def _contract_of_form(
    work: Work, raw: object, errors: FieldErrors
) -> tuple[Contract | None, Client | None]:
    """The contract a new event goes under: the actor's client's, signed."""
    contract_id = errors.take(
        "contract_id", lambda: parse.record_id(raw, what="contract"), None
    )
    if contract_id is None:
        return None, None
    contract = work.session.get(Contract, contract_id)
    if contract is None:
        errors.add("contract_id", f"No contract has the number {contract_id}.")
        return None, None
    client = _client_of_contract(work.session, contract_id)
    work.require(
        Operation.CREATE_EVENT, Ownership(sales_contact_id=client.sales_contact_id)
    )
    if not contract.signed:
        errors.add(
            "contract_id",
            "This contract is not signed yet; events go only on signed contracts.",
        )
    return contract, client


def _client_of_contract(session: Session, contract_id: int) -> Client:
    contract = load(session, Contract, contract_id, "Its contract")
    return load(session, Client, contract.client_id, "Its client")


def _keep_contract(raw: object, contract_id: int, errors: FieldErrors) -> None:
    """Refuse to move an event to another contract."""
    if isinstance(raw, str) and not raw.strip():
        return
    typed = errors.take(
        "contract_id", lambda: parse.record_id(raw, what="contract"), contract_id
    )
    if typed != contract_id:
        errors.add("contract_id", "An event stays with its contract.")


def _event_values(
    data: EventInput, errors: FieldErrors, client: Client | None
) -> dict[str, object]:
    """Check every field of the event form at once."""
    values: dict[str, object] = {
        "name": errors.take(
            "name",
            lambda: parse.single_line(
                data.name, what="An event name", limit=160, required=True
            ),
            "",
        ),
        "location": errors.take(
            "location",
            lambda: parse.single_line(data.location, what="A location", limit=255),
            "",
        ),
        "attendees": errors.take(
            "attendees",
            lambda: parse.whole_number(
                data.attendees, what="The number of attendees", maximum=MAX_ATTENDEES
            ),
            0,
        ),
        "notes": errors.take("notes", lambda: parse.notes_text(data.notes), ""),
    }
    start = errors.take(
        "start", lambda: parse.local_instant(data.start, what="The start"), None
    )
    end = errors.take(
        "end", lambda: parse.local_instant(data.end, what="The end"), None
    )
    if start is not None and end is not None and end <= start:
        errors.add("end", "The event must end after it starts.")
    values.update(start_at=start, end_at=end)
    values.update(_onsite_contact(data, errors, client))
    return values


def _onsite_contact(
    data: EventInput, errors: FieldErrors, client: Client | None
) -> dict[str, object]:
    """The on-site contact typed, or the client when all three are empty."""
    typed = [getattr(data, name) for name in _ONSITE_FIELDS]
    if all(isinstance(value, str) and not value.strip() for value in typed):
        if client is None:
            return dict.fromkeys(_ONSITE_FIELDS, "")
        return {
            "onsite_contact_name": client.full_name,
            "onsite_contact_email": client.email,
            "onsite_contact_phone": client.phone,
        }
    name = errors.take(
        "onsite_contact_name",
        lambda: parse.single_line(
            data.onsite_contact_name, what="The on-site contact's name", limit=120
        ),
        "",
    )
    if not name:
        errors.add(
            "onsite_contact_name",
            "Give the on-site contact's name, "
            "or leave the on-site fields empty to use the client.",
        )
    return {
        "onsite_contact_name": name,
        "onsite_contact_email": errors.take(
            "onsite_contact_email",
            lambda: parse.optional_email(
                data.onsite_contact_email, what="The on-site contact's email"
            ),
            "",
        ),
        "onsite_contact_phone": errors.take(
            "onsite_contact_phone",
            lambda: parse.phone_number(
                data.onsite_contact_phone, what="The on-site contact's phone"
            ),
            "",
        ),
    }


def _support_contact(session: Session, raw: object) -> int | None:
    """The new support contact: nobody, or an active support employee.

    Raises:
        ValidationError: under ``support_contact_id``.
    """
    if raw is None:
        return None
    errors = FieldErrors()
    employee_id = errors.take(
        "support_contact_id",
        lambda: parse.record_id(raw, what="support contact"),
        0,
    )
    errors.raise_if_any()
    employee = session.get(Employee, employee_id)
    message = None
    if employee is None:
        message = f"No employee has the number {employee_id}."
    elif not employee.active:
        message = "This employee is deactivated."
    elif employee.department is not Department.SUPPORT:
        message = "A support contact must be in the support department."
    if message:
        raise ValidationError({"support_contact_id": message})
    return employee_id
