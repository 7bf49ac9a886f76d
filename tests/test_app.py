"""The real app driven through Textual's Pilot, as an employee would."""

from __future__ import annotations

from collections.abc import Callable

from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from epic_tui.app import EpicApp
from epic_tui.models import Department
from epic_tui.screens.dashboard import DashboardScreen
from epic_tui.screens.first_run import FirstRunScreen
from epic_tui.screens.login import LoginScreen
from epic_tui.services.backend import Backend
from epic_tui.services.dto import EmployeeInfo
from epic_tui.settings import Settings
from epic_tui.widgets.field_error import FieldError
from tests.conftest import PASSWORD, ManualClock, add_employee

AppFactory = Callable[[], EpicApp]


async def settle(pilot: Pilot[None]) -> None:
    """Wait until background work is done and its results are on screen."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def log_in(pilot: Pilot[None], email: str, password: str) -> None:
    """Fill in the login form and press Enter in the password field."""
    await settle(pilot)
    pilot.app.screen.query_one("#email", Input).value = email
    password_input = pilot.app.screen.query_one("#password", Input)
    password_input.value = password
    password_input.focus()
    await pilot.press("enter")
    await settle(pilot)


async def test_login_form_is_driven_by_the_keyboard(
    make_app: AppFactory, manager: EmployeeInfo
) -> None:
    """The email field has focus, Tab moves to the password, Enter submits."""
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert app.focused is app.screen.query_one("#email")
        await pilot.press(*manager.email, "tab", *PASSWORD, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


def fill(app: EpicApp, **values: str) -> None:
    """Put text in the inputs named by id, focusing the last one."""
    for name, value in values.items():
        field = app.screen.query_one(f"#{name}", Input)
        field.value = value
        field.focus()


def screen_text(app: EpicApp) -> str:
    """Everything the visible widgets say, for plain assertions."""
    return " ".join(
        str(widget.render()) for widget in app.screen.query("Static, Label")
    )


async def test_first_run_offers_to_create_the_first_manager(
    make_app: AppFactory, backend: Backend
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        fill(app, full_name="Grace Hopper", email="grace@epic.example")
        fill(app, password=PASSWORD, confirm=PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "Grace Hopper" in screen_text(app)
        assert "Management" in screen_text(app)


async def test_first_run_refuses_a_weak_password_beside_the_field(
    make_app: AppFactory, backend: Backend
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        fill(app, full_name="Grace Hopper", email="grace@epic.example")
        fill(app, password="short", confirm="short")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        error = app.screen.query_one("#password-error", FieldError)
        assert "at least 12 characters" in str(error.render())
        assert not backend.employees.any_exist()


async def test_wrong_password_shows_an_error_beside_the_form(
    make_app: AppFactory, manager: EmployeeInfo
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await log_in(pilot, manager.email, "not the right password")
        assert isinstance(app.screen, LoginScreen)
        error = app.screen.query_one("#login-error", FieldError)
        assert "Incorrect email or password." in str(error.render())
        # The password is cleared for the next try; the email stays.
        assert app.screen.query_one("#password", Input).value == ""
        assert app.screen.query_one("#email", Input).value == manager.email


async def test_right_password_opens_the_dashboard_with_real_rows(
    make_app: AppFactory, backend: Backend, manager: EmployeeInfo
) -> None:
    add_employee(backend, Department.SALES, full_name="Paul Vendeur")
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await log_in(pilot, manager.email, PASSWORD)
        assert isinstance(app.screen, DashboardScreen)
        text = screen_text(app)
        assert "Ada Lovelace" in text
        assert "Management" in text
        assert "59:59 left" in text or "1:00:00 left" in text
        app.screen.action_show_tab("employees")
        await settle(pilot)
        table = app.screen.query_one("#employees-table DataTable", DataTable)
        names = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert names == {"Ada Lovelace", "Paul Vendeur"}


async def test_enter_in_the_email_field_moves_on_to_the_password(
    make_app: AppFactory, manager: EmployeeInfo
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.click("#email")
        await pilot.press(*manager.email, "enter")
        assert app.focused is app.screen.query_one("#password")


async def test_a_saved_token_skips_the_login_form_after_a_restart(
    make_app: AppFactory, manager: EmployeeInfo
) -> None:
    first = make_app()
    async with first.run_test(size=(120, 50)) as pilot:
        await log_in(pilot, manager.email, PASSWORD)
        assert isinstance(first.screen, DashboardScreen)
    second = make_app()
    async with second.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert isinstance(second.screen, DashboardScreen)
        assert "Ada Lovelace" in screen_text(second)


async def test_an_expired_token_lands_on_the_login_screen_with_a_message(
    make_app: AppFactory, backend: Backend, manager: EmployeeInfo, clock: ManualClock
) -> None:
    backend.auth.login(manager.email, PASSWORD)
    clock.advance(hours=2)
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "session expired" in screen_text(app).lower()


async def test_a_tampered_token_lands_on_a_plain_login_screen(
    make_app: AppFactory, backend: Backend, manager: EmployeeInfo, settings: Settings
) -> None:
    token = (
        backend.auth.login(manager.email, PASSWORD) and settings.token_file.read_text()
    )
    header, payload, signature = token.split(".")
    settings.token_file.write_text(f"{header}.{payload}.{signature[::-1]}")
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "expired" not in screen_text(app).lower()


async def test_expiry_on_the_dashboard_returns_to_the_login_screen(
    make_app: AppFactory, manager: EmployeeInfo, clock: ManualClock
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await log_in(pilot, manager.email, PASSWORD)
        assert isinstance(app.screen, DashboardScreen)
        # The machine sleeps through the expiry; the wall clock jumps.
        clock.advance(hours=1, seconds=1)
        await pilot.pause(1.3)
        assert isinstance(app.screen, LoginScreen)
        assert "session expired" in screen_text(app).lower()


async def test_expiry_with_a_dialog_open_closes_it_and_shows_the_login(
    make_app: AppFactory, manager: EmployeeInfo, clock: ManualClock
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await log_in(pilot, manager.email, PASSWORD)
        app.action_command_palette()
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        clock.advance(hours=2)
        await pilot.pause(1.3)
        assert isinstance(app.screen, LoginScreen)
        assert len(app.screen_stack) == 2


async def test_any_key_after_expiry_goes_to_the_login_screen_at_once(
    make_app: AppFactory, manager: EmployeeInfo, clock: ManualClock
) -> None:
    """The check runs before every action, not only on the timer."""
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await log_in(pilot, manager.email, PASSWORD)
        clock.advance(hours=2)
        await pilot.press("2")
        assert isinstance(app.screen, LoginScreen)


async def test_logout_button_empties_token_file_and_revokes_the_token(
    make_app: AppFactory,
    backend: Backend,
    manager: EmployeeInfo,
    settings: Settings,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await log_in(pilot, manager.email, PASSWORD)
        saved_copy = settings.token_file.read_text()
        await pilot.click("#logout")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "logged out" in screen_text(app).lower()
    assert settings.token_file.read_text() == ""
    # A copy of the token put back in place no longer logs anyone in.
    settings.token_file.write_text(saved_copy)
    again = make_app()
    async with again.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, LoginScreen)


async def test_logout_key_and_palette_command(
    make_app: AppFactory, manager: EmployeeInfo, settings: Settings
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await log_in(pilot, manager.email, PASSWORD)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await log_in(pilot, manager.email, PASSWORD)
        assert isinstance(app.screen, DashboardScreen)
        app.action_command_palette()
        await pilot.pause()
        await pilot.press(*"Log out")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
    assert settings.token_file.read_text() == ""


async def test_deactivated_employee_is_sent_back_to_login(
    make_app: AppFactory, backend: Backend, manager: EmployeeInfo
) -> None:
    from sqlalchemy import update

    from epic_tui.models import Employee

    backend.auth.login(manager.email, PASSWORD)
    with backend.sessions.begin() as session:
        session.execute(
            update(Employee).where(Employee.id == manager.id).values(active=False)
        )
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
