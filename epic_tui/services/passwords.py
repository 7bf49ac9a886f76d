"""Password hashing (argon2id through passlib) and the password policy."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cached_property

from passlib.context import CryptContext

from epic_tui.services.errors import ValidationError

MIN_LENGTH = 12
MAX_LENGTH = 128
MAX_CHECKED_LENGTH = 512
"""Typed passwords longer than this are refused unhashed (passlib caps bytes)."""

# Words nobody at Epic Events may use as a whole password.
_OBVIOUS = {
    "epicevents",
    "epic",
    "password",
    "motdepasse",
    "azertyuiop",
    "qwertyuiop",
    "letmein",
    "welcome",
    "admin",
    "changeme",
}
_COMMON = {
    "123456789012",
    "1234567890123",
    "password1234",
    "password123!",
    "qwerty123456",
    "qwertyuiop12",
    "iloveyou1234",
    "aaaaaaaaaaaa",
    "000000000000",
    "111111111111",
    "abcdefghijkl",
    "abc123456789",
    "welcome12345",
    "letmein12345",
    "passwordpassword",
}


@dataclass(frozen=True)
class Argon2Parameters:
    """Cost parameters of argon2id; the defaults are argon2-cffi's."""

    memory_kib: int = 65536
    time_cost: int = 3
    parallelism: int = 4

    @classmethod
    def owasp_minimum(cls) -> Argon2Parameters:
        """The least OWASP accepts (19 MiB, 2 passes, 1 lane); fast for tests."""
        return cls(memory_kib=19456, time_cost=2, parallelism=1)


class PasswordHasher:
    """Hashes and verifies passwords, upgrading outdated hashes on login."""

    def __init__(self, parameters: Argon2Parameters | None = None) -> None:
        params = parameters or Argon2Parameters()
        self._context = CryptContext(
            schemes=["argon2"],
            argon2__type="ID",
            argon2__memory_cost=params.memory_kib,
            argon2__rounds=params.time_cost,
            argon2__parallelism=params.parallelism,
        )

    def hash(self, password: str) -> str:
        """Return a new salted hash of ``password``."""
        hashed: str = self._context.hash(password)
        return hashed

    def verify(self, password: str, stored_hash: str) -> tuple[bool, str | None]:
        """Check ``password``; return (matches, replacement hash or None)."""
        if len(password) > MAX_CHECKED_LENGTH:
            # Longer than any password that can be set: it cannot match.
            self.burn(password)
            return False, None
        try:
            matches, new_hash = self._context.verify_and_update(password, stored_hash)
        except ValueError:
            # A malformed stored hash never matches anything.
            return False, None
        return bool(matches), new_hash

    def burn(self, password: str) -> None:
        """Spend the time of one verification, for unknown emails."""
        self._context.verify(password[:MAX_CHECKED_LENGTH], self._dummy_hash)

    @cached_property
    def _dummy_hash(self) -> str:
        return self.hash("not the password of anyone at all")


def check_password_policy(
    password: str, *, email: str = "", full_name: str = "", field: str = "password"
) -> None:
    """Refuse a new password that is too short, too long or too obvious.

    Any character is allowed, spaces and emoji included, and nothing is
    truncated: length counts characters as the user typed them.

    Raises:
        ValidationError: with one message under ``field``.
    """
    length = len(password)
    if length < MIN_LENGTH:
        raise ValidationError(
            {field: f"Use at least {MIN_LENGTH} characters ({length} typed)."}
        )
    if length > MAX_LENGTH:
        raise ValidationError({field: f"Use at most {MAX_LENGTH} characters."})
    own = (email, email.split("@", 1)[0], full_name)
    if _too_obvious(password, own):
        raise ValidationError(
            {field: "This password is too easy to guess; choose another."}
        )


def _squeeze(text: str) -> str:
    """Fold case and width, and drop separators people add to look clever."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(char for char in folded if char.isalnum())


def _too_obvious(password: str, own_words: tuple[str, ...]) -> bool:
    """True for common passwords and a few decorations of obvious words."""
    squeezed = _squeeze(password)
    if squeezed in _COMMON or len(set(squeezed)) <= 3:
        return True
    if squeezed.rstrip("0123456789") in _OBVIOUS:
        return True
    # The company's name or the employee's own name or email, with up to
    # five characters of decoration, is the first thing an attacker tries.
    for word in ("epicevents", *map(_squeeze, own_words)):
        if len(word) >= 4 and word in squeezed and len(squeezed) - len(word) <= 5:
            return True
    return False
