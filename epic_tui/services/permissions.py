"""Who may do what: the one policy of SPEC §4, asked by every service.

Every operation that changes a record, and the few lists reserved to one
department, are named in :class:`Operation`. :data:`POLICY` says, for each
of them, which departments may do it and on which records: any record, or
only those they own (a salesperson's own clients, a support person's own
events). Reading clients, contracts and events is open to everyone who is
logged in, so it is not an operation here.

The services pass the actor as reloaded from the database and the
ownership as read from the database, never as a screen remembers them.
Whatever goes wrong while deciding, the answer is no.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from epic_tui.models import Department
from epic_tui.services.dto import SignedIn
from epic_tui.services.errors import PermissionDenied

log = logging.getLogger(__name__)


class Operation(enum.StrEnum):
    """Everything a department may be allowed, or refused, to do."""

    CREATE_EMPLOYEE = "create_employee"
    UPDATE_EMPLOYEE = "update_employee"
    DEACTIVATE_EMPLOYEE = "deactivate_employee"
    RESET_PASSWORD = "reset_password"
    CREATE_CLIENT = "create_client"
    UPDATE_CLIENT = "update_client"
    CREATE_CONTRACT = "create_contract"
    UPDATE_CONTRACT = "update_contract"
    SIGN_CONTRACT = "sign_contract"
    RECORD_PAYMENT = "record_payment"
    CREATE_EVENT = "create_event"
    UPDATE_EVENT = "update_event"
    ASSIGN_SUPPORT = "assign_support"
    VIEW_HISTORY = "view_history"
    LIST_UNASSIGNED_EVENTS = "list_unassigned_events"
    LIST_UNSIGNED_OR_UNPAID = "list_unsigned_or_unpaid"


class Scope(enum.StrEnum):
    """On which records a department may do an operation."""

    ANY = "any record"
    OWN_CLIENTS = "the records of their own clients"
    """The record's sales contact is the actor."""
    ASSIGNED_EVENTS = "the events assigned to them"
    """The record's support contact is the actor."""


@dataclass(frozen=True)
class Ownership:
    """Who owns the record an operation is about, as the database says.

    For a client, its sales contact; for a contract, its client's sales
    contact; for an event, its support contact, and for creating an event,
    the sales contact of the contract's client.
    """

    sales_contact_id: int | None = None
    support_contact_id: int | None = None


_MANAGEMENT = Department.MANAGEMENT
_SALES = Department.SALES
_SUPPORT = Department.SUPPORT

POLICY: Final[Mapping[Operation, Mapping[Department, Scope]]] = MappingProxyType(
    {
        # Management runs the staff.
        Operation.CREATE_EMPLOYEE: {_MANAGEMENT: Scope.ANY},
        Operation.UPDATE_EMPLOYEE: {_MANAGEMENT: Scope.ANY},
        Operation.DEACTIVATE_EMPLOYEE: {_MANAGEMENT: Scope.ANY},
        Operation.RESET_PASSWORD: {_MANAGEMENT: Scope.ANY},
        # Sales bring in clients and look after their own.
        Operation.CREATE_CLIENT: {_SALES: Scope.ANY},
        Operation.UPDATE_CLIENT: {_SALES: Scope.OWN_CLIENTS},
        # Management drafts contracts; both may amend, sign and collect.
        Operation.CREATE_CONTRACT: {_MANAGEMENT: Scope.ANY},
        Operation.UPDATE_CONTRACT: {_MANAGEMENT: Scope.ANY, _SALES: Scope.OWN_CLIENTS},
        Operation.SIGN_CONTRACT: {_MANAGEMENT: Scope.ANY, _SALES: Scope.OWN_CLIENTS},
        Operation.RECORD_PAYMENT: {_MANAGEMENT: Scope.ANY, _SALES: Scope.OWN_CLIENTS},
        # Sales open events; support runs the ones assigned to them.
        Operation.CREATE_EVENT: {_SALES: Scope.OWN_CLIENTS},
        Operation.UPDATE_EVENT: {_SUPPORT: Scope.ASSIGNED_EVENTS},
        Operation.ASSIGN_SUPPORT: {_MANAGEMENT: Scope.ANY},
        # Views reserved to one department.
        Operation.VIEW_HISTORY: {_MANAGEMENT: Scope.ANY},
        Operation.LIST_UNASSIGNED_EVENTS: {_MANAGEMENT: Scope.ANY},
        Operation.LIST_UNSIGNED_OR_UNPAID: {_SALES: Scope.ANY},
    }
)
"""Operation -> department -> scope; a department absent is refused."""

_WHAT: Final[Mapping[Operation, str]] = MappingProxyType(
    {
        Operation.CREATE_EMPLOYEE: "create employees",
        Operation.UPDATE_EMPLOYEE: "change employees",
        Operation.DEACTIVATE_EMPLOYEE: "deactivate employees",
        Operation.RESET_PASSWORD: "reset passwords",
        Operation.CREATE_CLIENT: "create clients",
        Operation.UPDATE_CLIENT: "change clients",
        Operation.CREATE_CONTRACT: "create contracts",
        Operation.UPDATE_CONTRACT: "change contracts",
        Operation.SIGN_CONTRACT: "sign contracts",
        Operation.RECORD_PAYMENT: "record payments",
        Operation.CREATE_EVENT: "create events",
        Operation.UPDATE_EVENT: "change events",
        Operation.ASSIGN_SUPPORT: "assign support contacts",
        Operation.VIEW_HISTORY: "see the history of changes",
        Operation.LIST_UNASSIGNED_EVENTS: "list events without support",
        Operation.LIST_UNSIGNED_OR_UNPAID: "list unsigned or unpaid contracts",
    }
)


def is_allowed(
    actor: SignedIn, operation: Operation, record: Ownership | None = None
) -> bool:
    """Tell whether ``actor`` may do ``operation`` on ``record``.

    Args:
        actor: the session, with the employee as the database has them.
        operation: what the actor wants to do.
        record: who owns the record; required by operations that are
            allowed only on one's own records.

    Returns:
        True only when the policy allows it. A deactivated actor, a
        missing ownership and any error while checking all give False.
    """
    try:
        return _allows(actor, Operation(operation), record)
    except Exception as error:
        log.warning(
            "permission check failed (%s): %s denied", type(error).__name__, operation
        )
        return False


def may_ever(actor: SignedIn, operation: Operation) -> bool:
    """Tell whether ``actor`` may do ``operation`` on at least some record.

    Screens use it to offer an action at all; services use it to refuse
    an actor before looking at the record.
    """
    try:
        return (
            actor.employee.active is True
            and _scope(actor, Operation(operation)) is not None
        )
    except Exception:
        return False


def require(
    actor: SignedIn, operation: Operation, record: Ownership | None = None
) -> None:
    """Refuse ``operation`` unless :func:`is_allowed` says yes.

    Raises:
        PermissionDenied: with a message that says what is allowed.
    """
    if not is_allowed(actor, operation, record):
        log.info("permission denied: %s for employee %s", operation, _actor_id(actor))
        raise PermissionDenied(refusal(actor, operation))


def refusal(actor: SignedIn, operation: Operation) -> str:
    """The sentence that explains why ``operation`` is refused to ``actor``."""
    try:
        what = _WHAT[Operation(operation)]
        if actor.employee.active is not True:
            return "Your account is deactivated."
        scope = _scope(actor, Operation(operation))
        if scope is None:
            department = Department(actor.employee.department).value
            return f"The {department} department may not {what}."
        if scope is Scope.ANY:
            return "You are not allowed to do this."
        if scope is Scope.OWN_CLIENTS:
            return (
                "This is not one of your clients: "
                f"you may {what} only for your own clients."
            )
        return (
            "This event is not assigned to you: "
            f"you may {what} only for the events assigned to you."
        )
    except Exception:
        return "You are not allowed to do this."


def _allows(actor: SignedIn, operation: Operation, record: Ownership | None) -> bool:
    if actor.employee.active is not True:
        return False
    scope = _scope(actor, operation)
    if scope is None:
        return False
    if scope is Scope.ANY:
        return True
    if record is None:
        return False
    if scope is Scope.OWN_CLIENTS:
        return _same_employee(record.sales_contact_id, actor.employee.id)
    return _same_employee(record.support_contact_id, actor.employee.id)


def _scope(actor: SignedIn, operation: Operation) -> Scope | None:
    department = Department(actor.employee.department)
    return POLICY[operation].get(department)


def _same_employee(owner_id: object, actor_id: object) -> bool:
    """Compare ids strictly: True, "3" or 3.0 never pass for employee 3."""
    return type(owner_id) is int and type(actor_id) is int and owner_id == actor_id


def _actor_id(actor: SignedIn) -> object:
    try:
        return actor.employee.id
    except Exception:
        return "?"
