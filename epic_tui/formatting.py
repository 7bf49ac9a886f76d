"""How values read on screen: money, local times, flags, durations."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from decimal import Decimal

EMPTY = "—"


def cell(value: object) -> str:
    """Render one table cell as text."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return str(value.value).capitalize()
    return str(value)


def money(amount: Decimal) -> str:
    """An amount with thousands separators and two places."""
    return f"{amount:,.2f}"


def local_time(instant: datetime) -> str:
    """An instant in the user's local time zone, to the minute."""
    return instant.astimezone().strftime("%Y-%m-%d %H:%M")


def time_left(remaining: timedelta) -> str:
    """A countdown such as ``59:12`` or ``1:02:03``."""
    seconds = max(0, int(remaining.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes:02d}:{seconds:02d}"
