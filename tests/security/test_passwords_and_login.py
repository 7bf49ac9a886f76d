"""SECURITY.md sections D and E: passwords and logging in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from passlib.hash import argon2
from sqlalchemy import select, update
from textual.widgets import Input

from epic_tui.app import EpicApp
from epic_tui.models import Department, Employee
from epic_tui.services.backend import Backend
from epic_tui.services.dto import EmployeeInfo
from epic_tui.services.errors import InvalidCredentials, ValidationError
from epic_tui.services.passwords import PasswordHasher
from epic_tui.settings import Settings
from tests.conftest import PASSWORD, add_employee


def stored_hash(backend: Backend, employee_id: int) -> str:
    with backend.sessions() as session:
        return session.get_one(Employee, employee_id).password_hash


def test_default_hashes_are_argon2id_above_the_owasp_minimum() -> None:
    """D16: argon2id, at least 19 MiB, 2 iterations, 1 lane."""
    hashed = PasswordHasher().hash(PASSWORD)
    info = argon2.from_string(hashed)
    assert hashed.startswith("$argon2id$")
    assert info.memory_cost >= 19456
    assert info.rounds >= 2
    assert info.parallelism >= 1


def test_outdated_hash_is_upgraded_at_the_next_login(
    backend: Backend, manager: EmployeeInfo
) -> None:
    """D16: verify_and_update replaces a hash made with weaker parameters."""
    weak = argon2.using(type="ID", memory_cost=8192, rounds=1, parallelism=1)
    with backend.sessions.begin() as session:
        session.execute(
            update(Employee)
            .where(Employee.id == manager.id)
            .values(password_hash=weak.hash(PASSWORD))
        )
    backend.auth.login(manager.email, PASSWORD)
    upgraded = argon2.from_string(stored_hash(backend, manager.id))
    assert upgraded.memory_cost >= 19456
    assert upgraded.rounds >= 2
    # And the upgraded hash still opens the door.
    backend.auth.login(manager.email, PASSWORD)


@pytest.mark.parametrize(
    "password",
    [
        "🎉 party time at the venue 🎉",
        "   spaces   around   ",
        "".join(chr(ord("a") + i % 26) for i in range(128)),
        "日本語の長いパスワードですよね",
    ],
    ids=["emoji", "spaces", "max-length", "japanese"],
)
def test_any_characters_are_accepted_and_nothing_is_truncated(
    backend: Backend, password: str
) -> None:
    """D17: emoji, spaces, any script; the whole password counts."""
    employee = add_employee(backend, Department.SUPPORT, password=password)
    assert backend.auth.login(employee.email, password).employee.id == employee.id
    with pytest.raises(InvalidCredentials):
        backend.auth.login(employee.email, password[:-1])


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short pass", "at least 12"),
        ("x" * 129, "at most 128"),
        ("EpicEvents2026!", "too easy"),
        ("password1234", "too easy"),
        ("camille.durand@epic.example", "too easy"),
    ],
)
def test_weak_passwords_are_refused_when_set(
    backend: Backend, password: str, reason: str
) -> None:
    """D17: length limits and obvious passwords, including one's own email."""
    with pytest.raises(ValidationError) as refused:
        add_employee(backend, email="camille.durand@epic.example", password=password)
    assert reason in refused.value.errors["password"]
    assert not backend.employees.any_exist()


async def test_password_field_masks_allows_paste_and_refuses_copy(
    make_app: Callable[[], EpicApp], manager: EmployeeInfo
) -> None:
    """D18: masked, pasteable, never copied or cut to the clipboard."""
    from textual import events

    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        field = app.screen.query_one("#password", Input)
        assert field.password is True
        field.focus()
        field.post_message(events.Paste("pasted secret"))
        await pilot.pause()
        assert field.value == "pasted secret"
        app.copy_to_clipboard("before")
        await pilot.press("ctrl+shift+a", "ctrl+c")
        await pilot.press("ctrl+shift+a", "ctrl+x")
        await pilot.pause()
        assert app.clipboard == "before"
        assert field.value == "pasted secret"
        # What is on the screen is bullets, never the password itself.
        assert "pasted" not in app.export_screenshot()


def test_a_new_database_has_no_account_at_all(backend: Backend) -> None:
    """D19: no default account; common default logins do not work."""
    assert not backend.employees.any_exist()
    for email, password in [("admin", "admin"), ("admin@epic-events.com", "admin")]:
        with pytest.raises(InvalidCredentials):
            backend.auth.login(email, password)


async def test_a_crash_prints_no_secret_and_logs_the_traceback(
    backend: Backend,
    make_app: Callable[[], EpicApp],
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """D20: the crash report shows no local variable: no password, no key."""
    app = make_app()
    secret_password = "hunter2-but-much-longer"

    def explode() -> None:
        password = secret_password  # a local a default traceback would print
        raise RuntimeError(f"boom ({len(password)})")

    with pytest.raises(RuntimeError):
        async with app.run_test(size=(120, 50)) as pilot:
            app.call_later(explode)
            await pilot.pause()
    shown = capsys.readouterr().err
    assert "unexpected error" in shown
    assert secret_password not in shown
    assert settings.secret_key.decode() not in shown
    log_text = settings.log_file.read_text()
    assert "RuntimeError: boom" in log_text
    assert secret_password not in log_text


def test_unknown_email_and_wrong_password_look_the_same(
    backend: Backend, manager: EmployeeInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """E21: same message, and the unknown email costs a hash verification too."""
    verifications: list[str] = []
    real_burn = backend.auth.hasher.burn

    def counting_burn(password: str) -> None:
        verifications.append(password)
        real_burn(password)

    monkeypatch.setattr(backend.auth.hasher, "burn", counting_burn)
    with pytest.raises(InvalidCredentials) as unknown:
        backend.auth.login("nobody@epic.example", PASSWORD)
    with pytest.raises(InvalidCredentials) as wrong:
        backend.auth.login(manager.email, "not the password at all")
    assert unknown.value.message == wrong.value.message
    assert verifications == [PASSWORD]


def test_emails_are_trimmed_and_case_folded_at_login_and_at_save(
    backend: Backend,
) -> None:
    """E22: stored folded, found folded, unique folded, beyond ASCII too."""
    employee = add_employee(backend, email="  Zoë.MÜLLER@Epic.Example ")
    assert employee.email == "zoë.müller@epic.example"
    assert (
        backend.auth.login(" ZOË.müller@EPIC.example", PASSWORD).employee.id
        == employee.id
    )
    with pytest.raises(ValidationError) as duplicate:
        add_employee(backend, email="zoë.MÜLLER@epic.example")
    assert "already in use" in duplicate.value.errors["email"]
    with backend.sessions() as session:
        assert session.scalars(select(Employee.email)).all() == [
            "zoë.müller@epic.example"
        ]


def test_deactivated_employee_cannot_log_in(
    backend: Backend, manager: EmployeeInfo
) -> None:
    """A6 and SPEC §3: an inactive account is refused like a wrong password."""
    with backend.sessions.begin() as session:
        session.execute(
            update(Employee).where(Employee.id == manager.id).values(active=False)
        )
    with pytest.raises(InvalidCredentials):
        backend.auth.login(manager.email, PASSWORD)
