"""One unit of work for one action of one logged-in employee.

Every service method runs its action inside :func:`begin_action`, which

1. refuses a session whose time is up,
2. opens one transaction (``sessions.begin()``), so that nothing is saved
   half-way whatever fails,
3. reloads the actor from the database in that transaction, so that a
   deactivation or a change of department counts at once, whatever the
   screen still remembers,

and hands the action a :class:`Work`: the session, the reloaded actor and
the instant of the action, with the permission check and the audit entry
at hand.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from epic_tui.clock import Clock
from epic_tui.models import AuthSession, Employee
from epic_tui.services.changes import Changes, add_audit_entry, changes_between
from epic_tui.services.database import SessionFactory
from epic_tui.services.dto import EmployeeInfo, SignedIn
from epic_tui.services.errors import (
    DatabaseError,
    EpicError,
    NotFound,
    NotLoggedIn,
    PermissionDenied,
    SessionExpired,
    StaleRecord,
)
from epic_tui.services.fields import MAX_ID
from epic_tui.services.permissions import Operation, Ownership, may_ever, require

log = logging.getLogger(__name__)

Record = TypeVar("Record")


@dataclass(frozen=True)
class Work:
    """What one action works with: its session, its actor, its instant."""

    session: Session
    actor: SignedIn
    """The actor as the database has them now, not as they logged in."""
    now: datetime

    @property
    def actor_id(self) -> int:
        """The id of the employee doing the action."""
        return self.actor.employee.id

    @property
    def today(self) -> date:
        """Today's date in the user's local time zone."""
        return self.now.astimezone().date()

    def require(self, operation: Operation, record: Ownership | None = None) -> None:
        """Refuse the action unless the policy allows it to this actor.

        Raises:
            PermissionDenied: the policy says no.
        """
        require(self.actor, operation, record)

    def require_department(self, operation: Operation) -> None:
        """Refuse at once an actor whose department may never do this.

        Raises:
            PermissionDenied: no record at all would be allowed.
        """
        if not may_ever(self.actor, operation):
            require(self.actor, operation)

    def audit(
        self,
        action: str,
        entity: str,
        entity_id: int,
        changes: Mapping[str, tuple[str, str]],
    ) -> None:
        """Record the change in the audit log, in this transaction."""
        add_audit_entry(
            self.session,
            at=self.now,
            actor_id=self.actor_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            changes=changes,
        )


@contextmanager
def unit_of_work(
    sessions: SessionFactory, *, conflict: EpicError | None = None
) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on error.

    Errors of the database itself become an error a person can read; the
    domain errors raised in the block pass through unchanged.

    Args:
        sessions: where the session comes from.
        conflict: what to raise when the database refuses the change as
            breaking a constraint, typically a unique email taken by a
            concurrent writer between the check and the write.

    Raises:
        DatabaseError: the database refused or could not take the change.
    """
    try:
        with sessions.begin() as session:
            yield session
    except IntegrityError as error:
        log.warning("write refused by the database: %s", type(error.orig).__name__)
        if conflict is not None:
            raise conflict from None
        raise DatabaseError(
            "The database refused this change; nothing was saved."
        ) from None
    except OperationalError as error:
        log.warning("database unavailable: %s", type(error.orig).__name__)
        raise DatabaseError(
            "The database is busy or unreachable; nothing was saved. Try again."
        ) from None


@contextmanager
def begin_action(
    sessions: SessionFactory,
    clock: Clock,
    actor: SignedIn,
    *,
    conflict: EpicError | None = None,
) -> Iterator[Work]:
    """Open the unit of work of one action by ``actor``.

    Raises:
        SessionExpired: the actor's session has run out.
        PermissionDenied: the actor is unknown or deactivated.
    """
    now = clock()
    if now >= actor.expires_at:
        raise SessionExpired()
    with unit_of_work(sessions, conflict=conflict) as session:
        yield Work(session=session, actor=reload_actor(session, actor), now=now)


def reload_actor(session: Session, actor: SignedIn) -> SignedIn:
    """Return the session with the employee as the database has them now.

    Raises:
        PermissionDenied: the employee no longer exists or is deactivated.
    """
    employee_id = actor.employee.id
    employee = (
        session.get(Employee, employee_id)
        if type(employee_id) is int and 1 <= employee_id <= MAX_ID
        else None
    )
    if employee is None or not employee.active:
        log.info("action refused: employee %s is not active", employee_id)
        raise PermissionDenied("Your account is deactivated.")
    if actor.token_id is not None:
        # A logout elsewhere, a password or department change ends the
        # session at once, not only at the app's next check.
        record = session.get(AuthSession, actor.token_id)
        if record is None or record.revoked_at is not None:
            log.info("action refused: session of employee %d ended", employee_id)
            raise NotLoggedIn("Your session was ended. Please log in again.")
    return SignedIn(
        employee=EmployeeInfo.of(employee),
        expires_at=actor.expires_at,
        must_change_password=employee.must_change_password,
        token_id=actor.token_id,
    )


def checked_id(raw: object, what: str) -> int:
    """Return ``raw`` as a record id, or say the record does not exist.

    Raises:
        NotFound: ``raw`` cannot be the id of any record.
    """
    if type(raw) is not int or not 1 <= raw <= MAX_ID:
        raise NotFound(f"{what} does not exist.")
    return raw


def load(session: Session, model: type[Record], record_id: int, what: str) -> Record:
    """Load one record of this transaction by its id.

    Raises:
        NotFound: no such record.
    """
    record = session.get(model, record_id)
    if record is None:
        raise NotFound(f"{what} does not exist.")
    return record


def ensure_version(record: Any, expected_version: object, what: str) -> None:
    """Refuse to change a record that was saved since the form loaded it.

    Raises:
        StaleRecord: the stored version is not the one the form showed.
    """
    if type(expected_version) is not int or record.version != expected_version:
        raise StaleRecord(what)


def save_changes(
    work: Work,
    record: Any,
    expected_version: int,
    values: Mapping[str, object],
    what: str,
) -> None:
    """Write ``values`` to ``record`` if nobody saved it in the meantime.

    The UPDATE names the version the form loaded, so that of two people
    saving the same record, the second one changes no row and is told.

    Raises:
        StaleRecord: the record's version moved on.
    """
    model = type(record)
    result = work.session.execute(
        update(model)
        .where(model.id == record.id, model.version == expected_version)
        .values(**values, version=model.version + 1, updated_at=work.now)
        .execution_options(synchronize_session="fetch")
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        raise StaleRecord(what)


def save_if_changed(
    work: Work,
    record: Any,
    expected_version: object,
    values: Mapping[str, object],
    what: str,
) -> Changes:
    """Save the fields of ``values`` that differ; return what changed.

    The version is checked even when nothing changed, so that a form
    saved over someone else's change always hears of it.

    Raises:
        StaleRecord: someone saved the record since the form loaded it.
    """
    ensure_version(record, expected_version, what)
    before = {name: getattr(record, name) for name in values}
    changes = changes_between(before, values)
    if changes:
        save_changes(work, record, record.version, values, what)
    return changes


def revoke_sessions(session: Session, employee_id: int, now: datetime) -> int:
    """End every open session of an employee; return how many there were."""
    result = session.execute(
        update(AuthSession)
        .where(
            AuthSession.employee_id == employee_id,
            AuthSession.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(cast(CursorResult[Any], result).rowcount or 0)
