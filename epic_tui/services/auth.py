"""Authentication: passwords in, a signed token out, and back again.

The token is a JWT signed with HS256. Its claims are never read before
the signature is verified, and the employee it names is loaded from the
database on every check: a department, a deactivation or a logout
elsewhere takes effect at once.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from sqlalchemy import ColumnElement, select, update

from epic_tui.clock import Clock, utc_now
from epic_tui.models import AuthSession, Employee, fold_email
from epic_tui.services.database import SessionFactory
from epic_tui.services.dto import EmployeeInfo, SignedIn
from epic_tui.services.errors import (
    AccountLocked,
    InvalidCredentials,
    NotLoggedIn,
    SessionExpired,
    ValidationError,
)
from epic_tui.services.passwords import PasswordHasher, check_password_policy
from epic_tui.services.throttle import LoginThrottler
from epic_tui.services.token_store import TokenStore

log = logging.getLogger(__name__)

ALGORITHM = "HS256"
ISSUER = "epic-tui"
AUDIENCE = "epic-tui"
LEEWAY = timedelta(seconds=30)
"""Clock skew tolerated on ``exp`` and ``iat``; RFC 8725 advises little."""
REQUIRED_CLAIMS = ["exp", "iat", "sub", "iss", "aud", "jti"]
DEFAULT_TTL = timedelta(hours=1)
MAX_EMAIL_LENGTH = 254


@dataclass(frozen=True)
class _Credentials:
    """What a login needs to know of an employee, read in one query."""

    id: int
    email: str
    password_hash: str
    active: bool


@dataclass(frozen=True)
class TokenClaims:
    """What a verified token says."""

    employee_id: int
    email: str
    token_id: str
    issued_at: datetime
    expires_at: datetime


class AuthService:
    """Logs employees in and out and tells who is logged in."""

    def __init__(
        self,
        sessions: SessionFactory,
        *,
        secret_key: bytes,
        store: TokenStore,
        token_ttl: timedelta = DEFAULT_TTL,
        clock: Clock = utc_now,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._sessions = sessions
        self._key = secret_key
        self._store = store
        self._ttl = token_ttl
        self._clock = clock
        self.hasher = hasher or PasswordHasher()
        self.throttler = LoginThrottler(sessions)
        # The key is checked by PyJWT itself too: a short one raises.
        self._jwt = jwt.PyJWT(options={"enforce_minimum_key_length": True})
        self._token: str | None = None

    def generate_token(
        self, employee_id: int, email: str, expires_delta: timedelta | None = None
    ) -> str:
        """Sign a new token, record it, store it in token.txt, return it."""
        now = self._clock().astimezone(UTC).replace(microsecond=0)
        expires_at = now + (expires_delta or self._ttl)
        token_id = secrets.token_urlsafe(24)
        payload = {
            "sub": str(employee_id),
            "email": email,
            "iat": int(now.timestamp()),
            "exp": int(expires_at.timestamp()),
            "iss": ISSUER,
            "aud": AUDIENCE,
            "jti": token_id,
        }
        token = self._jwt.encode(payload, self._key, algorithm=ALGORITHM)
        with self._sessions.begin() as session:
            session.add(
                AuthSession(
                    jti=token_id,
                    employee_id=employee_id,
                    issued_at=now,
                    expires_at=expires_at,
                )
            )
        self._store.write(token)
        self._token = token
        return token

    def verify_token(self, token: str | None = None) -> TokenClaims:
        """Verify the given or stored token and return its claims.

        Raises:
            SessionExpired: the token was genuine but its time is up.
            NotLoggedIn: there is no token, or it is not one of ours.
        """
        return self._decode(token, check_expiry=True)

    def get_user(self) -> SignedIn:
        """Return the session of the employee the stored token names.

        Raises:
            SessionExpired: the token's time is up.
            NotLoggedIn: no valid token, or its employee or session is gone.
        """
        claims = self.verify_token()
        with self._sessions() as session:
            employee = session.get(Employee, claims.employee_id)
            record = session.get(AuthSession, claims.token_id)
            if (
                employee is None
                or not employee.active
                or employee.email != claims.email
                or record is None
                or record.employee_id != employee.id
                or record.revoked_at is not None
            ):
                log.info("token refused: session %s is not valid", claims.token_id[:8])
                self._token = None
                raise NotLoggedIn()
            return SignedIn(
                employee=EmployeeInfo.of(employee),
                expires_at=claims.expires_at,
                must_change_password=employee.must_change_password,
                token_id=claims.token_id,
            )

    def login(self, email: str, password: str) -> SignedIn:
        """Check the credentials and open a new session.

        Raises:
            AccountLocked: too many failures in a row for this email.
            InvalidCredentials: whatever was wrong, said the same way.
        """
        folded = fold_email(email)
        now = self._clock()
        if not folded.isprintable() or len(folded) > MAX_EMAIL_LENGTH:
            # No employee has such an email; do not even ask the database.
            self.hasher.burn(password)
            raise InvalidCredentials()
        try:
            self.throttler.check(folded, now)
        except AccountLocked:
            # Locked or not, known or not: the same work, the same wait.
            self.hasher.burn(password)
            log.info("login refused: email locked")
            raise
        employee = self._credentials_of(folded)
        if employee is None:
            # Cost the same time as a real check, so timing tells nothing.
            self.hasher.burn(password)
            matches, new_hash = False, None
        else:
            matches, new_hash = self.hasher.verify(password, employee.password_hash)
        if employee is None or not matches or not employee.active:
            who = f"employee {employee.id}" if employee else "unknown email"
            log.info("failed login: %s", who)
            self.throttler.record_failure(folded, now)
            raise InvalidCredentials()
        self.throttler.reset(folded)
        if new_hash is not None:
            self._store_hash(employee.id, new_hash)
            log.info("password hash upgraded: employee %d", employee.id)
        self.generate_token(employee.id, employee.email)
        log.info("login: employee %d", employee.id)
        return self.get_user()

    def renew(self, signed_in: SignedIn, password: str) -> SignedIn:
        """Issue a fresh token for the same employee after re-entering the password.

        The old token is revoked, so only the renewed session lives on.

        Raises:
            SessionExpired: the session ended before the renewal.
            InvalidCredentials: the password is wrong.
        """
        self.ensure_not_expired(signed_in)
        old = self.verify_token()
        employee = self._confirm_password(signed_in, password)
        self._revoke(AuthSession.jti == old.token_id)
        self.generate_token(employee.id, employee.email)
        log.info("session renewed: employee %d", employee.id)
        return self.get_user()

    def change_password(
        self, signed_in: SignedIn, current_password: str, new_password: str
    ) -> SignedIn:
        """Change one's own password; every other session of it ends.

        Raises:
            InvalidCredentials: the current password is wrong.
            ValidationError: the new password breaks the policy.
        """
        self.ensure_not_expired(signed_in)
        current = self.verify_token()
        employee = self._confirm_password(signed_in, current_password)
        if new_password == current_password:
            raise ValidationError(
                {"new_password": "Choose a password different from the current one."}
            )
        check_password_policy(
            new_password,
            email=signed_in.employee.email,
            full_name=signed_in.employee.full_name,
            field="new_password",
        )
        new_hash = self.hasher.hash(new_password)
        with self._sessions.begin() as session:
            session.execute(
                update(Employee)
                .where(Employee.id == employee.id)
                .values(
                    password_hash=new_hash,
                    must_change_password=False,
                    updated_at=self._clock(),
                    version=Employee.version + 1,
                )
            )
        self._revoke(
            AuthSession.employee_id == employee.id,
            AuthSession.jti != current.token_id,
        )
        log.info("password changed: employee %d", employee.id)
        return self.get_user()

    def logout(self) -> None:
        """Forget the token, empty token.txt and revoke the token for good."""
        try:
            claims = self._decode(None, check_expiry=False)
        except NotLoggedIn:
            claims = None
        if claims is not None:
            self._revoke(AuthSession.jti == claims.token_id)
            log.info("logout: employee %d", claims.employee_id)
        self._token = None
        self._store.clear()

    def ensure_not_expired(self, signed_in: SignedIn) -> None:
        """Refuse to act for a session whose time is up.

        Raises:
            SessionExpired: the wall clock has passed the token's expiry.
        """
        if self._clock() >= signed_in.expires_at:
            raise SessionExpired()

    def _credentials_of(self, folded_email: str) -> _Credentials | None:
        with self._sessions() as session:
            row = session.execute(
                select(
                    Employee.id, Employee.email, Employee.password_hash, Employee.active
                ).where(Employee.email == folded_email)
            ).one_or_none()
        return None if row is None else _Credentials(*row)

    def _confirm_password(self, signed_in: SignedIn, password: str) -> _Credentials:
        """The logged-in employee's credentials, once the password matches."""
        employee = self._credentials_of(signed_in.employee.email)
        if (
            employee is None
            or not employee.active
            or not self.hasher.verify(password, employee.password_hash)[0]
        ):
            log.info("password confirmation failed: employee %d", signed_in.employee.id)
            raise InvalidCredentials()
        return employee

    def _store_hash(self, employee_id: int, password_hash: str) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(Employee)
                .where(Employee.id == employee_id)
                .values(password_hash=password_hash)
            )

    def _revoke(self, *conditions: ColumnElement[bool]) -> None:
        """Mark the matching, still open sessions as revoked now."""
        with self._sessions.begin() as session:
            session.execute(
                update(AuthSession)
                .where(*conditions, AuthSession.revoked_at.is_(None))
                .values(revoked_at=self._clock())
            )

    def _decode(self, token: str | None, *, check_expiry: bool) -> TokenClaims:
        raw = token if token is not None else (self._token or self._store.read())
        if not raw:
            raise NotLoggedIn()
        try:
            payload = self._jwt.decode(
                raw,
                self._key,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                # Times are checked below against the injected clock.
                options={
                    "require": REQUIRED_CLAIMS,
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
        except jwt.InvalidTokenError as error:
            log.info("token refused: %s", type(error).__name__)
            raise NotLoggedIn() from None
        claims = _claims_of(payload)
        now = self._clock()
        not_before = payload.get("nbf", payload["iat"])
        if type(not_before) is not int or not_before > (now + LEEWAY).timestamp():
            log.info("token refused: not valid yet")
            raise NotLoggedIn()
        if check_expiry and claims.expires_at <= now - LEEWAY:
            raise SessionExpired()
        return claims


def _claims_of(payload: dict[str, Any]) -> TokenClaims:
    """Turn a verified payload into claims, refusing malformed values."""
    subject, email = payload.get("sub"), payload.get("email")
    issued, expires, token_id = payload["iat"], payload["exp"], payload["jti"]
    if not (
        isinstance(subject, str)
        and subject.isdigit()
        and isinstance(email, str)
        and isinstance(token_id, str)
        and type(issued) is int
        and type(expires) is int
    ):
        log.info("token refused: malformed claims")
        raise NotLoggedIn()
    try:
        issued_at = datetime.fromtimestamp(issued, UTC)
        expires_at = datetime.fromtimestamp(expires, UTC)
    except (OverflowError, OSError, ValueError):
        raise NotLoggedIn() from None
    return TokenClaims(
        employee_id=int(subject),
        email=email,
        token_id=token_id,
        issued_at=issued_at,
        expires_at=expires_at,
    )
