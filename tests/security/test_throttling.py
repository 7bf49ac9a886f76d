"""SECURITY.md E23: failed logins are counted and lock the email."""

from __future__ import annotations

import logging

import pytest

from epic_tui.services.backend import Backend, open_backend
from epic_tui.services.dto import EmployeeInfo
from epic_tui.services.errors import AccountLocked, InvalidCredentials
from epic_tui.services.passwords import PasswordHasher
from epic_tui.settings import Settings
from tests.conftest import PASSWORD, ManualClock

WRONG = "certainly not the password"


def fail(backend: Backend, email: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(InvalidCredentials):
            backend.auth.login(email, WRONG)


def test_five_failures_lock_the_email_even_for_the_right_password(
    backend: Backend, manager: EmployeeInfo
) -> None:
    """E23: after 5 in a row the right password is refused too."""
    fail(backend, manager.email, 5)
    with pytest.raises(AccountLocked, match="Wait 15 minutes"):
        backend.auth.login(manager.email, PASSWORD)


def test_the_lock_ends_after_fifteen_minutes(
    backend: Backend, manager: EmployeeInfo, clock: ManualClock
) -> None:
    """E23: the lock is for a while, not for ever."""
    fail(backend, manager.email, 5)
    clock.advance(minutes=14)
    with pytest.raises(AccountLocked, match="1 minute"):
        backend.auth.login(manager.email, PASSWORD)
    clock.advance(minutes=1, seconds=1)
    assert backend.auth.login(manager.email, PASSWORD).employee.id == manager.id


def test_success_resets_the_count(backend: Backend, manager: EmployeeInfo) -> None:
    """E23: only failures in a row count."""
    fail(backend, manager.email, 4)
    backend.auth.login(manager.email, PASSWORD)
    fail(backend, manager.email, 4)
    assert backend.auth.login(manager.email, PASSWORD).employee.id == manager.id


def test_the_lock_survives_a_restart_of_the_app(
    backend: Backend,
    manager: EmployeeInfo,
    settings: Settings,
    clock: ManualClock,
    hasher: PasswordHasher,
) -> None:
    """E23: the count lives in the database, not in memory."""
    fail(backend, manager.email, 5)
    backend.close()
    restarted = open_backend(settings, clock=clock, hasher=hasher)
    try:
        with pytest.raises(AccountLocked):
            restarted.auth.login(manager.email, PASSWORD)
    finally:
        restarted.close()


def test_an_unknown_email_locks_the_same_way(
    backend: Backend, manager: EmployeeInfo
) -> None:
    """E23 and E21: the lock does not reveal whether the email exists."""
    fail(backend, "nobody@epic.example", 5)
    with pytest.raises(AccountLocked) as unknown:
        backend.auth.login("nobody@epic.example", PASSWORD)
    fail(backend, manager.email, 5)
    with pytest.raises(AccountLocked) as known:
        backend.auth.login(manager.email, PASSWORD)
    assert unknown.value.message == known.value.message


def test_the_count_is_per_folded_email(backend: Backend, manager: EmployeeInfo) -> None:
    """E22 and E23: changing the case of the email does not dodge the lock."""
    fail(backend, manager.email.upper(), 3)
    fail(backend, f"  {manager.email} ", 2)
    with pytest.raises(AccountLocked):
        backend.auth.login(manager.email, PASSWORD)


def test_failures_and_locks_are_logged_without_the_password(
    backend: Backend, manager: EmployeeInfo, caplog: pytest.LogCaptureFixture
) -> None:
    """E23 and D20: one line per failure and per lock, no secret in them."""
    logging.getLogger("epic_tui").propagate = True
    with caplog.at_level(logging.INFO, logger="epic_tui"):
        fail(backend, manager.email, 5)
    messages = [record.getMessage() for record in caplog.records]
    assert sum("failed login" in message for message in messages) == 5
    assert any("locked" in message for message in messages)
    assert not any(WRONG in message for message in messages)
