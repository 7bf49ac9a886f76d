"""What the logged-in employee may do, asked the way every screen asks it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from epic_tui.services.errors import NotLoggedIn
from epic_tui.services.permissions import Operation, Ownership, is_allowed, may_ever

if TYPE_CHECKING:
    from epic_tui.app import EpicApp
    from epic_tui.services.dto import SignedIn


def current_actor(app: EpicApp) -> SignedIn:
    """The session the app acts for.

    Raises:
        NotLoggedIn: nobody is logged in any more (logout or expiry).
    """
    session = app.session
    if session is None:
        raise NotLoggedIn()
    return session


def may(app: EpicApp, operation: Operation, record: Ownership | None = None) -> bool:
    """True when the logged-in employee may do ``operation`` on ``record``.

    Screens ask this to decide what they offer; the services decide again
    whatever the screen shows.
    """
    session = app.session
    return session is not None and is_allowed(session, operation, record)


def may_at_all(app: EpicApp, operation: Operation) -> bool:
    """True when the employee may do ``operation`` on at least some record.

    This decides whether an action is offered before a record is chosen:
    a salesperson may create events, on their own clients' contracts.
    """
    session = app.session
    return session is not None and may_ever(session, operation)


# The questions the screens ask about one record, a list row or a detail
# alike: both carry the owners' ids and the record's state.

UPDATES = {
    "clients": Operation.UPDATE_CLIENT,
    "contracts": Operation.UPDATE_CONTRACT,
    "events": Operation.UPDATE_EVENT,
    "employees": Operation.UPDATE_EMPLOYEE,
}


def ownership_of(kind: str, record: Any) -> Ownership | None:
    """Who owns ``record``, a client, contract or event; None for employees."""
    if kind in ("clients", "contracts"):
        return Ownership(sales_contact_id=record.sales_contact_id)
    if kind == "events":
        return Ownership(support_contact_id=record.support_contact_id)
    return None


def may_change(app: EpicApp, kind: str, record: Any) -> bool:
    """True when the employee may edit this record of ``kind``."""
    return may(app, UPDATES[kind], ownership_of(kind, record))


def may_sign(app: EpicApp, contract: Any) -> bool:
    """True for an unsigned contract the employee may sign."""
    owner = ownership_of("contracts", contract)
    return not contract.signed and may(app, Operation.SIGN_CONTRACT, owner)


def may_record_payment(app: EpicApp, contract: Any) -> bool:
    """True for a contract with money due, whose payments the employee takes."""
    owner = ownership_of("contracts", contract)
    return not contract.fully_paid and may(app, Operation.RECORD_PAYMENT, owner)


def may_open_event(app: EpicApp, contract: Any) -> bool:
    """True for a signed contract on which the employee may open events."""
    owner = ownership_of("contracts", contract)
    return contract.signed and may(app, Operation.CREATE_EVENT, owner)


def may_draft_contract(app: EpicApp, client: Any) -> bool:
    """True when the employee may draft a contract for this client."""
    owner = ownership_of("clients", client)
    return may(app, Operation.CREATE_CONTRACT, owner)


def may_assign_support(app: EpicApp, event: Any) -> bool:
    """True when the employee may choose this event's support contact."""
    owner = ownership_of("events", event)
    return may(app, Operation.ASSIGN_SUPPORT, owner)


def may_manage(app: EpicApp, operation: Operation, employee: Any) -> bool:
    """True when the employee may deactivate or reset another, active one."""
    session = app.session
    myself = session is not None and session.employee.id == employee.id
    return employee.active and not myself and may(app, operation)
