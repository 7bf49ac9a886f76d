"""Field rules shared by every path that saves a record."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

from epic_tui.models import fold_email

FORBIDDEN_IN_LINE = frozenset({"Cc", "Cs", "Zl", "Zp"})
"""Unicode categories refused in one-line text: control characters, lone
surrogates, line and paragraph separators. Format characters such as the
zero-width joiner of family emoji are kept."""

DEFAULT_PHONE_REGION = "FR"
"""Numbers typed without a country code are read as French ones."""

_EMAIL = re.compile(
    r"^[^@\s\"'<>(),;:\\\[\]]+@"
    r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}$"
)


def clean_email(raw: str) -> str:
    """Return the folded email, or raise ValueError with a readable reason."""
    email = fold_email(raw)
    if not email:
        raise ValueError("An email is required.")
    if len(email) > 254 or has_control_characters(email) or not _EMAIL.match(email):
        raise ValueError("This is not a valid email address.")
    return email


def clean_phone(raw: str, *, required: bool = False) -> str:
    """Return the number in international format, or "" when none is given."""
    text = raw.strip()
    if not text:
        if required:
            raise ValueError("A phone number is required.")
        return ""
    try:
        number = phonenumbers.parse(text, DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise ValueError("This is not a phone number.") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("This phone number does not exist.")
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )


def clean_name(raw: str, *, what: str = "A name", limit: int = 120) -> str:
    """Return the trimmed name, keeping any Unicode the user typed."""
    name = " ".join(raw.split())
    if not name:
        raise ValueError(f"{what} is required.")
    if len(name) > limit:
        raise ValueError(f"{what} is at most {limit} characters.")
    if has_control_characters(name):
        raise ValueError(f"{what} cannot contain control characters.")
    return name


def has_control_characters(text: str) -> bool:
    """True when ``text`` holds a character no one-line field may keep."""
    return any(unicodedata.category(char) in FORBIDDEN_IN_LINE for char in text)
