"""Property-based tests: whatever is typed or stored, a clear outcome.

Any content of token.txt means "logged in" or "log in again"; any text in
a form field ends in a save or in a readable message, never in another
exception.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from epic_tui.services.backend import Backend
from epic_tui.services.dto import EmployeeInfo
from epic_tui.services.employees import NewEmployee
from epic_tui.services.errors import (
    AccountLocked,
    EpicError,
    InvalidCredentials,
    NotLoggedIn,
)
from epic_tui.services.validation import (
    clean_email,
    clean_name,
    clean_phone,
    has_control_characters,
)
from epic_tui.settings import Settings

# Fixtures are set up once per test, not per example: each example leaves
# the database as valid as it found it, which is what is being tested.
examples = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

any_text = st.text(max_size=300)


@examples
@given(content=st.binary(max_size=6000))
def test_any_token_file_content_means_logged_out(
    backend: Backend, settings: Settings, content: bytes
) -> None:
    """B12: bytes of any kind in token.txt are 'please log in'."""
    settings.token_file.parent.mkdir(parents=True, exist_ok=True)
    settings.token_file.write_bytes(content)
    backend.auth._token = None
    with pytest.raises(NotLoggedIn):
        backend.auth.get_user()


@examples
@given(token=st.from_regex(r"\A[A-Za-z0-9_\-]{0,60}(\.[A-Za-z0-9_\-=]{0,80}){0,4}\Z"))
def test_any_token_shaped_text_means_logged_out(
    backend: Backend, settings: Settings, token: str
) -> None:
    """A8 and B12: near-JWT strings are refused as a plain login."""
    settings.token_file.parent.mkdir(parents=True, exist_ok=True)
    settings.token_file.write_text(token)
    backend.auth._token = None
    with pytest.raises(NotLoggedIn):
        backend.auth.get_user()


@examples
@given(email=any_text, password=any_text)
@example(email="nul\x00byte@epic.example", password="\x00")
@example(email="x" * 5000 + "@epic.example", password="y" * 5000)
def test_any_login_input_is_refused_readably(
    backend: Backend, manager: EmployeeInfo, email: str, password: str
) -> None:
    """E21 and D17: the login form never fails with anything unreadable."""
    try:
        backend.auth.login(email, password)
    except (InvalidCredentials, AccountLocked) as error:
        assert error.message in {
            "Incorrect email or password.",
            "Too many failed attempts. Wait 15 minutes and try again.",
        }


@examples
@given(
    email=any_text,
    full_name=any_text,
    phone=any_text,
    department=any_text,
    password=any_text,
)
def test_any_new_employee_input_saves_or_explains(
    backend: Backend,
    email: str,
    full_name: str,
    phone: str,
    department: str,
    password: str,
) -> None:
    """The employee form: every field's text is a save or a message."""
    before = backend.employees.count()
    try:
        backend.employees.create(
            NewEmployee(
                email=email,
                full_name=full_name,
                department=department,
                password=password,
                phone=phone,
            )
        )
    except EpicError as error:
        assert error.message
        assert backend.employees.count() == before
    else:
        assert backend.employees.count() == before + 1


@examples
@given(text=any_text)
def test_field_cleaners_accept_or_explain(text: str) -> None:
    """Each shared field rule returns a clean value or a ValueError message."""
    for clean in (clean_email, clean_phone, clean_name):
        try:
            value = clean(text)
        except ValueError as error:
            assert str(error)
        else:
            assert value == value.strip()
            assert not has_control_characters(value)
