"""Failed-login counting per email, kept in the database.

Every email is counted, whether or not an employee has it, so a lock
tells an attacker nothing about who works here. Because the count lives
in the database it survives restarts and is shared by every instance.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from epic_tui.models import LoginThrottle
from epic_tui.services.database import SessionFactory
from epic_tui.services.errors import AccountLocked

log = logging.getLogger(__name__)

MAX_FAILURES = 5
"""Failures in a row after which an email is locked."""
LOCK_DURATION = timedelta(minutes=15)


class LoginThrottler:
    """Locks an email for a while after too many failures in a row."""

    def __init__(
        self,
        sessions: SessionFactory,
        *,
        max_failures: int = MAX_FAILURES,
        lock_duration: timedelta = LOCK_DURATION,
    ) -> None:
        self._sessions = sessions
        self.max_failures = max_failures
        self.lock_duration = lock_duration

    def check(self, email: str, now: datetime) -> None:
        """Refuse to even look at the password while the email is locked.

        Raises:
            AccountLocked: with how long to wait, for any email alike.
        """
        with self._sessions() as session:
            locked_until = session.scalar(
                select(LoginThrottle.locked_until).where(LoginThrottle.email == email)
            )
        if locked_until is not None and now < locked_until:
            minutes = math.ceil((locked_until - now).total_seconds() / 60)
            raise AccountLocked(
                "Too many failed attempts. Wait "
                f"{minutes} minute{'s' if minutes != 1 else ''} and try again."
            )

    def record_failure(self, email: str, now: datetime) -> bool:
        """Count one failure; return True when it locks the email."""
        for _attempt in range(2):
            try:
                return self._count_failure(email, now)
            except IntegrityError:
                # Another instance inserted the first failure at the same
                # moment; the retry increments their row instead.
                continue
        return False

    def reset(self, email: str) -> None:
        """Forget the failures of an email after a successful login."""
        with self._sessions.begin() as session:
            session.execute(delete(LoginThrottle).where(LoginThrottle.email == email))

    def _count_failure(self, email: str, now: datetime) -> bool:
        with self._sessions.begin() as session:
            row = session.get(LoginThrottle, email)
            if row is None:
                session.add(LoginThrottle(email=email, failures=1, last_failure_at=now))
                session.flush()
                failures = 1
            else:
                if row.locked_until is not None and row.locked_until <= now:
                    # A lock that has run out starts a fresh count.
                    row.failures, row.locked_until = 0, None
                    session.flush()
                # Incremented in SQL, so concurrent failures are each counted.
                session.execute(
                    update(LoginThrottle)
                    .where(LoginThrottle.email == email)
                    .values(failures=LoginThrottle.failures + 1, last_failure_at=now)
                )
                session.refresh(row)
                failures = row.failures
            locks = failures >= self.max_failures
            if locks:
                session.execute(
                    update(LoginThrottle)
                    .where(LoginThrottle.email == email)
                    .values(locked_until=now + self.lock_duration)
                )
        if locks:
            log.warning("login locked after %d failures", failures)
        return locks
