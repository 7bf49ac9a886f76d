"""The source of the current time, injectable so tests can move it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]
"""A function returning the current instant as an aware UTC datetime."""


def utc_now() -> datetime:
    """Return the current wall-clock instant in UTC."""
    return datetime.now(UTC)
