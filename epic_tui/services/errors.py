"""The one hierarchy of domain errors; every message is for a person."""

from __future__ import annotations

from collections.abc import Mapping


class EpicError(Exception):
    """Base of every error the app expects and explains to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DatabaseError(EpicError):
    """The database cannot be reached or brought up to date."""


class AuthenticationError(EpicError):
    """Base of the reasons someone is not, or no longer, logged in."""


class InvalidCredentials(AuthenticationError):
    """Email and password do not match an active employee."""

    def __init__(self) -> None:
        super().__init__("Incorrect email or password.")


class AccountLocked(AuthenticationError):
    """Too many failed logins for this email; wait before trying again."""


class NotLoggedIn(AuthenticationError):
    """There is no usable session: no token, or one that is not valid."""

    def __init__(self, message: str = "Please log in.") -> None:
        super().__init__(message)


class SessionExpired(NotLoggedIn):
    """The session's token has reached its expiry."""

    def __init__(self) -> None:
        super().__init__("Your session expired. Please log in again.")


class PermissionDenied(EpicError):
    """The logged-in employee may not do this."""


class NotFound(EpicError):
    """The record asked for does not exist."""


class StaleRecord(EpicError):
    """Someone else saved the record after it was loaded here."""

    def __init__(self, what: str = "This record") -> None:
        super().__init__(
            f"{what} was changed by someone else since you opened it. "
            "Reload it to see their changes, then edit again."
        )


class ValidationError(EpicError):
    """Input that breaks a rule; ``errors`` maps field names to messages."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(self.errors.values()))
