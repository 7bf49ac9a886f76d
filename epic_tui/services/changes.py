"""The audit log's side of a change: what changed, as text, in one row.

Every create, update, signature, payment, assignment, deactivation,
hand-over and password reset writes an :class:`AuditEntry` in the same
transaction as the change itself, so the log never tells of a change that
was rolled back, nor misses one that was saved. ``changes`` keeps only the
fields that changed, each as ``[before, after]`` text. A password never
appears there, not even hashed.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Final

from sqlalchemy import insert
from sqlalchemy.orm import Session

from epic_tui.models import AuditEntry

Changes = dict[str, tuple[str, str]]
"""Field name -> (before, after), as text."""

ACTIONS: Final = frozenset(
    {
        "create",
        "update",
        "sign",
        "payment",
        "assign_support",
        "deactivate",
        "hand_over",
        "reset_password",
    }
)
ENTITIES: Final = frozenset({"employee", "client", "contract", "event"})


def as_text(value: object) -> str:
    """Write a field's value the way the history shows it.

    Money keeps its two places, instants are ISO 8601 in UTC, dates ISO,
    flags ``true``/``false`` and nothing at all an empty string.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def changes_between(
    before: Mapping[str, object], after: Mapping[str, object]
) -> Changes:
    """Return the fields of ``after`` whose text differs from ``before``.

    A field missing from ``before`` counts as empty, which is what a
    creation records: every field that has a value, from nothing.
    """
    changes: Changes = {}
    for name, value in after.items():
        old, new = as_text(before.get(name)), as_text(value)
        if old != new:
            changes[name] = (old, new)
    return changes


def _entry_values(
    *,
    at: datetime,
    actor_id: int | None,
    action: str,
    entity: str,
    entity_id: int,
    changes: Mapping[str, tuple[str, str]],
) -> dict[str, object]:
    if action not in ACTIONS or entity not in ENTITIES:
        raise ValueError(f"unknown audit action {action!r} on {entity!r}")
    return {
        "at": at,
        "actor_id": actor_id,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "changes": json.dumps(
            {name: list(pair) for name, pair in changes.items()},
            ensure_ascii=False,
            sort_keys=True,
        ),
    }


def add_audit_entry(
    session: Session,
    *,
    at: datetime,
    actor_id: int | None,
    action: str,
    entity: str,
    entity_id: int,
    changes: Mapping[str, tuple[str, str]],
) -> None:
    """Write one audit row in the caller's transaction."""
    session.execute(
        insert(AuditEntry),
        [
            _entry_values(
                at=at,
                actor_id=actor_id,
                action=action,
                entity=entity,
                entity_id=entity_id,
                changes=changes,
            )
        ],
    )


def add_audit_entries(
    session: Session,
    *,
    at: datetime,
    actor_id: int | None,
    action: str,
    entity: str,
    entity_ids: Iterable[int],
    changes: Mapping[str, tuple[str, str]],
) -> None:
    """Write the same change for many records, in one statement."""
    rows = [
        _entry_values(
            at=at,
            actor_id=actor_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            changes=changes,
        )
        for entity_id in entity_ids
    ]
    if rows:
        session.execute(insert(AuditEntry), rows)


def parse_changes(raw: str) -> Changes:
    """Read ``AuditEntry.changes`` back; a damaged value reads as nothing."""
    try:
        loaded = json.loads(raw)
    except (TypeError, ValueError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    changes: Changes = {}
    for name, pair in loaded.items():
        if isinstance(pair, list) and len(pair) == 2:
            changes[str(name)] = (as_text(pair[0]), as_text(pair[1]))
    return changes
