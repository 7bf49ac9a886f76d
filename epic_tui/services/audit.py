"""The history of a record, for management: who changed what, and when."""

from __future__ import annotations

from sqlalchemy import select

from epic_tui.clock import Clock, utc_now
from epic_tui.models import AuditEntry, Employee
from epic_tui.services.acting import begin_action, checked_id
from epic_tui.services.changes import ENTITIES, parse_changes
from epic_tui.services.database import SessionFactory
from epic_tui.services.dto import HistoryEntry, SignedIn
from epic_tui.services.errors import ValidationError
from epic_tui.services.permissions import Operation


class AuditService:
    """Reads the audit log written by every change."""

    def __init__(self, sessions: SessionFactory, *, clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    def history(
        self, actor: SignedIn, entity: str, entity_id: int
    ) -> list[HistoryEntry]:
        """The changes of one record, oldest first.

        Args:
            actor: someone in management.
            entity: "employee", "client", "contract" or "event".
            entity_id: the record's id.

        Raises:
            PermissionDenied: the actor is not in management.
            ValidationError: under ``entity``, an unknown kind of record.
        """
        with begin_action(self._sessions, self._clock, actor) as work:
            work.require(Operation.VIEW_HISTORY)
            if entity not in ENTITIES:
                kinds = ", ".join(sorted(ENTITIES))
                raise ValidationError({"entity": f"History is kept for: {kinds}."})
            record_id = checked_id(entity_id, "This record")
            rows = work.session.execute(
                select(AuditEntry, Employee.full_name)
                .outerjoin(Employee, AuditEntry.actor_id == Employee.id)
                .where(AuditEntry.entity == entity, AuditEntry.entity_id == record_id)
                .order_by(AuditEntry.id)
            ).all()
            return [
                HistoryEntry(
                    at=entry.at,
                    actor=actor_name,
                    action=entry.action,
                    changes=parse_changes(entry.changes),
                )
                for entry, actor_name in rows
            ]
