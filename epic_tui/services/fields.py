"""Turning what a person typed into values, with a message per bad field.

Forms hand the services raw strings. Each parser here returns a clean
value or raises ValueError with a sentence for the person; a
:class:`FieldErrors` gathers those sentences under the field names, so
one ValidationError can tell every problem of a form at once.

Amounts: digits with a dot and at most two decimals (``1250.00``,
``1250.5``, ``1250``); spaces between digit groups are allowed
(``1 250.00``), commas are not, because ``12,5`` could mean twelve and a
half or one thousand two hundred and fifty. Exponents, signs, ``NaN`` and
infinities are refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TypeVar

from epic_tui.models import CENTS
from epic_tui.services.errors import ValidationError
from epic_tui.services.validation import (
    clean_email,
    clean_phone,
    has_control_characters,
)

T = TypeVar("T")

MAX_ID = 2**31 - 1
"""The largest id an INTEGER primary key holds on every supported database."""
MAX_AMOUNT = Decimal("9999999999.99")
"""What NUMERIC(12, 2) holds."""
MAX_ATTENDEES = 100_000
MAX_NOTES = 5_000
AMOUNT_HINT = "Use digits with up to two decimals, e.g. 1250.00."
DATETIME_HINT = "Use YYYY-MM-DD HH:MM, e.g. 2026-06-01 18:30."
DATE_HINT = "Use YYYY-MM-DD, e.g. 2026-05-31."

_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]{1,2})?")
_GROUP_SPACES = re.compile(r"(?<=[0-9])[ \u00a0\u202f](?=[0-9]{3}(?:[^0-9]|$))")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}"
    r"(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
)
_ALLOWED_IN_NOTES = {"\n", "\t"}


class FieldErrors:
    """Collects one message per field, to raise them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def take(self, field: str, parse: Callable[[], T], fallback: T) -> T:
        """Return what ``parse`` gives, or note its message and ``fallback``.

        The fallback is never saved: :meth:`raise_if_any` stops the action
        first. It only keeps the types of the caller simple.
        """
        try:
            return parse()
        except ValueError as error:
            self.add(field, str(error))
            return fallback

    def add(self, field: str, message: str) -> None:
        """Note a problem with ``field``; the first one per field is kept."""
        self.errors.setdefault(field, message)

    def raise_if_any(self) -> None:
        """Stop the action when any field is wrong.

        Raises:
            ValidationError: with every message collected.
        """
        if self.errors:
            raise ValidationError(self.errors)


def text_of(raw: object, what: str) -> str:
    """Return ``raw`` when it is text; anything else is a person's mistake."""
    if not isinstance(raw, str):
        raise ValueError(f"{what} must be text.")
    return raw


def single_line(raw: object, *, what: str, limit: int, required: bool = False) -> str:
    """Return a trimmed one-line text, any Unicode but no control characters.

    Args:
        raw: what was typed.
        what: the field as the message names it, e.g. "A full name".
        limit: the size of the column it goes to.
        required: refuse an empty value.
    """
    value = text_of(raw, what).strip()
    if required and not value:
        raise ValueError(f"{what} is required.")
    if has_control_characters(value):
        raise ValueError(f"{what} cannot contain control characters or line breaks.")
    if len(value) > limit:
        raise ValueError(f"{what} is at most {limit} characters ({len(value)} typed).")
    return value


def notes_text(raw: object, *, limit: int = MAX_NOTES) -> str:
    """Return free text that may span lines; other control characters go."""
    value = text_of(raw, "Notes").replace("\r\n", "\n").replace("\r", "\n").strip()
    for char in value:
        if char not in _ALLOWED_IN_NOTES and unicodedata.category(char) in {
            "Cc",
            "Cs",
        }:
            raise ValueError("Notes cannot contain control characters.")
    if len(value) > limit:
        raise ValueError(f"Notes are at most {limit} characters ({len(value)} typed).")
    return value


def email_address(raw: object, *, what: str = "An email") -> str:
    """Return a folded, well-formed email; any text first, as typed."""
    value = single_line(raw, what=what, limit=254, required=True)
    return clean_email(value)


def optional_email(raw: object, *, what: str = "An email") -> str:
    """Like :func:`email_address`, but an empty value is allowed."""
    if isinstance(raw, str) and not raw.strip():
        return ""
    return email_address(raw, what=what)


def phone_number(raw: object, *, what: str = "A phone number") -> str:
    """Return the number in international format, or "" when none is given."""
    value = single_line(raw, what=what, limit=64)
    number = clean_phone(value)
    if len(number) > 32:
        raise ValueError(f"{what} is too long.")
    return number


def money(raw: object, *, what: str = "The amount") -> Decimal:
    """Return an exact amount of money with two places.

    Raises:
        ValueError: for anything but a plain, non-negative decimal with at
            most two decimals and at most 9999999999.99.
    """
    value = _GROUP_SPACES.sub("", text_of(raw, what).strip())
    if not value:
        raise ValueError(f"{what} is required.")
    if value.startswith("-"):
        raise ValueError(f"{what} cannot be negative.")
    if "," in value:
        raise ValueError("Use a dot, not a comma, for decimals, e.g. 1250.00.")
    if re.fullmatch(r"[0-9]+\.[0-9]{3,}", value):
        raise ValueError("Use at most two decimals, e.g. 1250.00.")
    if not _AMOUNT.fullmatch(value):
        raise ValueError(AMOUNT_HINT)
    # Count the digits first: a huge number would overflow Decimal's context.
    whole_digits = value.partition(".")[0].lstrip("0")
    result = Decimal(value).quantize(CENTS) if len(whole_digits) <= 10 else None
    if result is None or result > MAX_AMOUNT:
        raise ValueError(f"{what} is at most {MAX_AMOUNT}.")
    return result


def whole_number(raw: object, *, what: str, maximum: int) -> int:
    """Return a whole number from 0 to ``maximum``; empty means 0."""
    value = text_of(raw, what).strip()
    if not value:
        return 0
    message = f"{what} is a whole number from 0 to {maximum}."
    if not re.fullmatch(r"[0-9]{1,9}", value):
        raise ValueError(message)
    number = int(value)
    if number > maximum:
        raise ValueError(message)
    return number


def record_id(raw: object, *, what: str) -> int:
    """Return the id of a record chosen in a form (a number, or its text).

    Args:
        raw: an int, or the digits a person typed (``"12"`` or ``"#12"``).
        what: the kind of record, e.g. "client".
    """
    if isinstance(raw, bool):
        raise ValueError(f"Choose a {what}.")
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, str):
        digits = raw.strip().removeprefix("#")
        if not digits:
            raise ValueError(f"A {what} is required.")
        if not re.fullmatch(r"[0-9]{1,10}", digits):
            raise ValueError(f"This is not a {what} number.")
        number = int(digits)
    else:
        raise ValueError(f"Choose a {what}.")
    if not 1 <= number <= MAX_ID:
        raise ValueError(f"No {what} has the number {number}.")
    return number


def calendar_date(raw: object, *, what: str, latest: date) -> date:
    """Return a date typed as ``YYYY-MM-DD``, not after ``latest``."""
    value = text_of(raw, what).strip()
    if not _DATE.fullmatch(value):
        raise ValueError(DATE_HINT)
    try:
        result = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"This date does not exist. {DATE_HINT}") from None
    if result.year < 1900:
        raise ValueError(f"{what} cannot be before 1900.")
    if result > latest:
        raise ValueError(f"{what} cannot be in the future.")
    return result


def local_instant(raw: object, *, what: str) -> datetime:
    """Return the UTC instant of a time typed in the user's local time zone.

    ``2026-06-01 18:30`` is read in the machine's local time zone (``TZ``);
    ISO 8601 with an offset or ``Z`` is taken as it says. A local time
    that the clocks skip in spring does not exist and is refused.
    """
    value = text_of(raw, what).strip()
    if not value:
        raise ValueError(f"{what} is required.")
    if _DATETIME.fullmatch(value) is None:
        raise ValueError(DATETIME_HINT)
    if not 1900 <= int(value[:4]) <= 9998:
        raise ValueError(f"{what} must be between the years 1900 and 9998.")
    try:
        typed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"This date or time does not exist. {DATETIME_HINT}") from None
    if typed.tzinfo is not None:
        return typed.astimezone(UTC)
    try:
        instant = typed.astimezone(UTC)
        back = instant.astimezone().replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        raise ValueError(DATETIME_HINT) from None
    if back != typed:
        raise ValueError(
            "This time does not exist in your time zone (the clocks change then)."
        )
    return instant
