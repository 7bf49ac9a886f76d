"""SECURITY.md section A: the token."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import timedelta

import jwt
import pytest
from sqlalchemy import update

from epic_tui.models import Department, Employee
from epic_tui.services.auth import AuthService
from epic_tui.services.backend import Backend
from epic_tui.services.dto import EmployeeInfo
from epic_tui.services.errors import NotLoggedIn, SessionExpired
from epic_tui.settings import Settings
from tests.conftest import PASSWORD, ManualClock


def claims_for(employee: EmployeeInfo, clock: ManualClock, **changes: object) -> dict:
    """A payload like the ones the app issues, with some claims changed."""
    now = int(clock().timestamp())
    payload: dict[str, object] = {
        "sub": str(employee.id),
        "email": employee.email,
        "iat": now,
        "exp": now + 3600,
        "iss": "epic-tui",
        "aud": "epic-tui",
        "jti": secrets.token_urlsafe(16),
    }
    payload.update(changes)
    return {name: value for name, value in payload.items() if value is not None}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made(header: dict, payload: dict, key: bytes | None) -> str:
    """A JWT assembled by hand, signed with HMAC-SHA256 when a key is given."""
    signing_input = (
        f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    )
    if key is None:
        return signing_input + "."
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def store(settings: Settings, token: str) -> None:
    settings.token_file.parent.mkdir(parents=True, exist_ok=True)
    settings.token_file.write_text(token)


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(
            lambda payload, key: hand_made(
                {"alg": "none", "typ": "JWT"}, payload, None
            ),
            id="alg-none",
        ),
        pytest.param(
            lambda payload, key: jwt.encode(payload, key, algorithm="HS384"),
            id="HS384-right-key",
        ),
        pytest.param(
            lambda payload, key: jwt.encode(payload, key, algorithm="HS512"),
            id="HS512-right-key",
        ),
        pytest.param(
            lambda payload, key: hand_made(
                {"alg": "RS256", "typ": "JWT"}, payload, key
            ),
            id="RS256-header-key-confusion",
        ),
        pytest.param(
            lambda payload, key: jwt.encode(payload, secrets.token_bytes(32), "HS256"),
            id="wrong-key",
        ),
    ],
)
def test_only_hs256_with_our_key_is_accepted(
    backend: Backend,
    manager: EmployeeInfo,
    clock: ManualClock,
    settings: Settings,
    make_token,
) -> None:
    """A1: other algorithms, no algorithm and foreign keys are all refused."""
    store(settings, make_token(claims_for(manager, clock), settings.secret_key))
    with pytest.raises(NotLoggedIn) as refused:
        backend.auth.get_user()
    assert not isinstance(refused.value, SessionExpired)


def test_genuine_hs256_token_is_accepted(
    backend: Backend, manager: EmployeeInfo, clock: ManualClock, settings: Settings
) -> None:
    """A1: the control case, so the refusals above mean something."""
    backend.auth.login(manager.email, PASSWORD)
    assert backend.auth.get_user().employee.id == manager.id


def test_forged_expired_token_is_not_reported_as_expired(
    backend: Backend, manager: EmployeeInfo, clock: ManualClock, settings: Settings
) -> None:
    """A2: exp is not read before the signature is checked."""
    past = int((clock() - timedelta(hours=5)).timestamp())
    forged = jwt.encode(
        claims_for(manager, clock, exp=past, iat=past - 60), b"k" * 32, "HS256"
    )
    store(settings, forged)
    with pytest.raises(NotLoggedIn) as refused:
        backend.auth.get_user()
    assert not isinstance(refused.value, SessionExpired)


def test_short_signing_key_is_refused_by_pyjwt(
    backend: Backend, manager: EmployeeInfo
) -> None:
    """A3: PyJWT's minimum key length is enforced, not just warned about."""
    weak = AuthService(
        backend.sessions, secret_key=b"sixteen-byte-key", store=backend.auth._store
    )
    with pytest.raises(jwt.InvalidKeyError):
        weak.generate_token(manager.id, manager.email)


@pytest.mark.parametrize("claim", ["exp", "iat", "sub", "iss", "aud", "jti"])
def test_token_missing_a_required_claim_is_refused(
    backend: Backend,
    manager: EmployeeInfo,
    clock: ManualClock,
    settings: Settings,
    claim: str,
) -> None:
    """A4: every one of exp, iat, sub, iss, aud and jti is required."""
    payload = claims_for(manager, clock, **{claim: None})
    store(settings, jwt.encode(payload, settings.secret_key, "HS256"))
    with pytest.raises(NotLoggedIn):
        backend.auth.get_user()


@pytest.mark.parametrize(
    "changes",
    [
        {"iss": "someone-else"},
        {"aud": "another-app"},
        {"sub": 1},
        {"exp": "tomorrow"},
        {"sub": "not-a-number"},
    ],
    ids=["issuer", "audience", "numeric-sub", "text-exp", "text-sub"],
)
def test_token_with_wrong_claim_values_is_refused(
    backend: Backend,
    manager: EmployeeInfo,
    clock: ManualClock,
    settings: Settings,
    changes: dict,
) -> None:
    """A4: issuer, audience and claim types are checked."""
    store(
        settings, jwt.encode(claims_for(manager, clock, **changes), settings.secret_key)
    )
    with pytest.raises(NotLoggedIn):
        backend.auth.get_user()


def test_issued_token_has_string_sub_and_integer_times_from_the_utc_clock(
    backend: Backend, manager: EmployeeInfo, clock: ManualClock
) -> None:
    """A4: sub is str(id); iat and exp are integers of the aware clock."""
    token = backend.auth.generate_token(manager.id, manager.email)
    payload = jwt.decode(token, options={"verify_signature": False})
    assert payload["sub"] == str(manager.id)
    assert payload["iat"] == int(clock().timestamp())
    assert payload["exp"] == int(clock().timestamp()) + 3600
    assert set(payload) >= {"exp", "iat", "sub", "iss", "aud", "jti"}


def test_small_clock_skew_is_tolerated_but_a_token_from_the_future_is_not(
    backend: Backend, manager: EmployeeInfo, clock: ManualClock, settings: Settings
) -> None:
    """A5: 30 s of leeway; beyond it a future token means 'log in again'."""
    backend.auth.login(manager.email, PASSWORD)
    clock.advance(seconds=-20)
    assert backend.auth.get_user().employee.id == manager.id
    clock.advance(seconds=-100)
    with pytest.raises(NotLoggedIn) as refused:
        backend.auth.get_user()
    assert not isinstance(refused.value, SessionExpired)


def test_department_comes_from_the_database_not_the_token(
    backend: Backend, manager: EmployeeInfo
) -> None:
    """A6: a department change takes effect at the next check."""
    backend.auth.login(manager.email, PASSWORD)
    with backend.sessions.begin() as session:
        session.execute(
            update(Employee)
            .where(Employee.id == manager.id)
            .values(department=Department.SUPPORT)
        )
    assert backend.auth.get_user().employee.department is Department.SUPPORT


@pytest.mark.parametrize(
    "change",
    [{"active": False}, {"email": "renamed@epic.example"}],
    ids=["deactivated", "email-changed"],
)
def test_session_ends_when_the_employee_is_deactivated_or_changed(
    backend: Backend, manager: EmployeeInfo, change: dict
) -> None:
    """A6: a deactivated or changed employee is no longer logged in."""
    backend.auth.login(manager.email, PASSWORD)
    with backend.sessions.begin() as session:
        session.execute(
            update(Employee).where(Employee.id == manager.id).values(**change)
        )
    with pytest.raises(NotLoggedIn):
        backend.auth.get_user()


def test_token_of_an_unknown_employee_is_refused(
    backend: Backend, manager: EmployeeInfo, clock: ManualClock, settings: Settings
) -> None:
    """A6: a validly signed token naming nobody logs nobody in."""
    payload = claims_for(manager, clock, sub="999")
    store(settings, jwt.encode(payload, settings.secret_key, "HS256"))
    with pytest.raises(NotLoggedIn):
        backend.auth.get_user()


def test_each_login_issues_a_new_token_id(
    backend: Backend, manager: EmployeeInfo, settings: Settings
) -> None:
    """A7: a new random jti at every login."""
    ids = set()
    for _ in range(3):
        backend.auth.login(manager.email, PASSWORD)
        ids.add(backend.auth.verify_token().token_id)
    assert len(ids) == 3


def test_logout_kills_every_copy_of_the_token(
    backend: Backend, manager: EmployeeInfo, settings: Settings
) -> None:
    """A7: token.txt is emptied and a saved copy is revoked in the database."""
    backend.auth.login(manager.email, PASSWORD)
    saved_copy = settings.token_file.read_text()
    backend.auth.logout()
    assert settings.token_file.read_text() == ""
    store(settings, saved_copy)
    with pytest.raises(NotLoggedIn):
        backend.auth.get_user()


def test_expired_token_says_session_expired(
    backend: Backend, manager: EmployeeInfo, clock: ManualClock
) -> None:
    """A8: a genuine token past its expiry is reported as such."""
    backend.auth.login(manager.email, PASSWORD)
    clock.advance(hours=1, minutes=1)
    with pytest.raises(SessionExpired, match="expired"):
        backend.auth.get_user()


def test_garbage_token_is_a_plain_login(backend: Backend, settings: Settings) -> None:
    """A8: an invalid token is 'please log in', without saying expired."""
    store(settings, "not.a.token")
    with pytest.raises(NotLoggedIn) as refused:
        backend.auth.get_user()
    assert "expired" not in refused.value.message


def test_programming_error_is_not_disguised_as_an_invalid_token(
    backend: Backend, manager: EmployeeInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A8: exceptions are caught narrowly; a bug surfaces as a bug."""
    backend.auth.login(manager.email, PASSWORD)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("epic_tui.services.auth._claims_of", broken)
    with pytest.raises(ZeroDivisionError):
        backend.auth.get_user()
