"""SECURITY.md C13 to C15 and session renewal, through the real app."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Input

from epic_tui.app import EpicApp
from epic_tui.screens.change_password import ChangePasswordScreen
from epic_tui.screens.dashboard import DashboardScreen
from epic_tui.screens.login import LoginScreen
from epic_tui.screens.renew_session import RenewSessionScreen
from epic_tui.services.backend import Backend, open_backend
from epic_tui.services.dto import EmployeeInfo
from epic_tui.services.errors import InvalidCredentials, NotLoggedIn, ValidationError
from epic_tui.services.passwords import PasswordHasher
from epic_tui.settings import Settings
from tests.conftest import PASSWORD, ManualClock
from tests.test_app import log_in, screen_text, settle

AppFactory = Callable[[], EpicApp]
NEW_PASSWORD = "a brand new passphrase 42"


async def test_warning_before_expiry_and_renewal_keeps_the_screen(
    make_app: AppFactory, manager: EmployeeInfo, clock: ManualClock, settings: Settings
) -> None:
    """Renewal: warned 5 minutes before; the password issues a new token."""
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await log_in(pilot, manager.email, PASSWORD)
        dashboard = app.screen
        old_token = settings.token_file.read_text()
        clock.advance(minutes=55, seconds=30)
        await pilot.pause(1.3)
        assert isinstance(app.screen, RenewSessionScreen)
        field = app.screen.query_one("#renew-password", Input)
        field.value = PASSWORD
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dashboard
        assert app.session is not None
        assert app.session.expires_at == clock() + settings.token_ttl
        assert settings.token_file.read_text() != old_token
        # The old token is dead; the new one carries on past the old expiry.
        clock.advance(minutes=10)
        await pilot.pause(1.3)
        assert app.screen is dashboard


async def test_a_wrong_password_does_not_renew(
    make_app: AppFactory, manager: EmployeeInfo, clock: ManualClock
) -> None:
    """Renewal: a wrong password is refused beside the field."""
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await log_in(pilot, manager.email, PASSWORD)
        clock.advance(minutes=56)
        await pilot.pause(1.3)
        field = app.screen.query_one("#renew-password", Input)
        field.value = "wrong wrong wrong"
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RenewSessionScreen)
        assert "not right" in screen_text(app)


async def test_ignoring_the_warning_leads_to_the_normal_expiry(
    make_app: AppFactory, manager: EmployeeInfo, clock: ManualClock
) -> None:
    """C13: the warning dialog is closed and the login screen shown at expiry."""
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await log_in(pilot, manager.email, PASSWORD)
        clock.advance(minutes=56)
        await pilot.pause(1.3)
        assert isinstance(app.screen, RenewSessionScreen)
        clock.advance(minutes=5)
        await pilot.pause(1.3)
        assert isinstance(app.screen, LoginScreen)
        assert "session expired" in screen_text(app).lower()


async def test_logout_is_in_the_palette_of_every_signed_in_screen(
    make_app: AppFactory, manager: EmployeeInfo
) -> None:
    """C15: Log out is reachable from the dashboard and from dialogs."""
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await log_in(pilot, manager.email, PASSWORD)
        app.action_change_password()
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Log out" in titles
        assert isinstance(app.screen, ChangePasswordScreen)


async def test_a_forced_change_after_reset_cannot_be_escaped(
    make_app: AppFactory, backend: Backend, manager: EmployeeInfo
) -> None:
    """D17: a manager's reset makes the employee choose a new password."""
    from sqlalchemy import update

    from epic_tui.models import Employee

    with backend.sessions.begin() as session:
        session.execute(
            update(Employee)
            .where(Employee.id == manager.id)
            .values(must_change_password=True)
        )
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await log_in(pilot, manager.email, PASSWORD)
        assert isinstance(app.screen, ChangePasswordScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ChangePasswordScreen)
        app.screen.query_one("#current_password", Input).value = PASSWORD
        app.screen.query_one("#new_password", Input).value = NEW_PASSWORD
        confirm = app.screen.query_one("#confirm_password", Input)
        confirm.value = NEW_PASSWORD
        confirm.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    assert backend.auth.login(manager.email, NEW_PASSWORD).must_change_password is False


def test_change_password_asks_for_the_current_one(
    backend: Backend, manager: EmployeeInfo
) -> None:
    """D17: the current password is required to change it."""
    signed_in = backend.auth.login(manager.email, PASSWORD)
    with pytest.raises(InvalidCredentials):
        backend.auth.change_password(signed_in, "not the current one", NEW_PASSWORD)
    with pytest.raises(ValidationError) as weak:
        backend.auth.change_password(signed_in, PASSWORD, "tooshort")
    assert "new_password" in weak.value.errors
    # Nothing changed: the old password still works.
    backend.auth.login(manager.email, PASSWORD)


def test_change_password_ends_every_other_session(
    backend: Backend,
    manager: EmployeeInfo,
    settings: Settings,
    clock: ManualClock,
    hasher: PasswordHasher,
) -> None:
    """A6: other sessions of the employee end; this one carries on."""
    backend.auth.login(manager.email, PASSWORD)
    other_device = settings.token_file.read_text()
    signed_in = backend.auth.login(manager.email, PASSWORD)
    backend.auth.change_password(signed_in, PASSWORD, NEW_PASSWORD)
    assert backend.auth.get_user().employee.id == manager.id
    # The other device launches with its own token.txt.
    settings.token_file.write_text(other_device)
    elsewhere = open_backend(settings, clock=clock, hasher=hasher)
    try:
        with pytest.raises(NotLoggedIn):
            elsewhere.auth.get_user()
    finally:
        elsewhere.close()


async def test_an_unexpected_error_in_a_worker_is_shown_and_logged(
    make_app: AppFactory,
    backend: Backend,
    manager: EmployeeInfo,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """D20: a failure in the background is a readable message, not a hang."""
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)

        def broken_login(email: str, password: str) -> None:
            raise RuntimeError("database went away")

        monkeypatch.setattr(app.backend.auth, "login", broken_login)
        await log_in(pilot, manager.email, PASSWORD)
        assert isinstance(app.screen, LoginScreen)
        assert "could not be checked" in screen_text(app)
        assert not app.screen.query_one("#login").disabled
    log_text = settings.log_file.read_text()
    assert "RuntimeError: database went away" in log_text
    assert PASSWORD not in log_text


async def test_results_of_thread_workers_reach_the_screen_on_the_app_thread(
    make_app: AppFactory,
    backend: Backend,
    manager: EmployeeInfo,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """C14: widgets are only touched from the app's own thread."""
    import threading

    from epic_tui.widgets.paged_table import PagedTable

    threads: list[str] = []

    def spy(method_name: str, owner: type) -> None:
        original = getattr(owner, method_name)

        def recording(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            threads.append(threading.current_thread().name)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(owner, method_name, recording)

    spy("_failed", LoginScreen)
    spy("_show", PagedTable)
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await log_in(pilot, manager.email, "wrong password here")
        await log_in(pilot, manager.email, PASSWORD)
        assert isinstance(app.screen, DashboardScreen)
    assert threads, "the spied methods never ran"
    assert set(threads) == {threading.main_thread().name}
