"""The CRM through its real screens: each department does its part of the job."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.command import Command, CommandList, CommandPalette
from textual.widgets import DataTable, Input, Select, TextArea

from epic_tui.app import EpicApp
from epic_tui.models import Department
from epic_tui.screens.assign_support import AssignSupportDialog
from epic_tui.screens.client_detail import ClientDetailScreen
from epic_tui.screens.client_form import ClientForm
from epic_tui.screens.contract_detail import ContractDetailScreen
from epic_tui.screens.contract_form import ContractForm
from epic_tui.screens.dashboard import DashboardScreen
from epic_tui.screens.employee_detail import EmployeeDetailScreen
from epic_tui.screens.event_detail import EventDetailScreen
from epic_tui.screens.event_form import EventForm
from epic_tui.screens.hand_over import DeactivateEmployeeDialog
from epic_tui.screens.history import HistoryScreen
from epic_tui.screens.login import LoginScreen
from epic_tui.screens.reset_password import ResetPasswordDialog
from epic_tui.screens.sign_contract import SignContractDialog
from epic_tui.services.backend import Backend
from epic_tui.services.dto import ClientInput, ContractInput, EmployeeInfo, SignedIn
from epic_tui.services.errors import PermissionDenied
from epic_tui.widgets.field_error import FieldError
from tests.conftest import PASSWORD, ManualClock, add_employee
from tests.factories_ui import Records
from tests.test_app import log_in, settle

AppFactory = Callable[[], EpicApp]


@pytest.fixture
def staff(backend: Backend) -> dict[Department, EmployeeInfo]:
    """One employee per department, who can log in."""
    return {
        Department.SALES: add_employee(
            backend, Department.SALES, email="sam@epic.example", full_name="Sam Seller"
        ),
        Department.MANAGEMENT: add_employee(
            backend,
            Department.MANAGEMENT,
            email="mia@epic.example",
            full_name="Mia Boss",
        ),
        Department.SUPPORT: add_employee(
            backend,
            Department.SUPPORT,
            email="sue@epic.example",
            full_name="Sue Porter",
        ),
    }


@pytest.fixture
def records(backend: Backend, clock: ManualClock) -> Records:
    return Records(backend, clock.now)


def text_of(app: EpicApp) -> str:
    """What the current screen says: its labels, statics and table cells."""
    parts = [str(widget.render()) for widget in app.screen.query("Static, Label")]
    for table in app.screen.query(DataTable):
        for row in range(table.row_count):
            parts.extend(str(value) for value in table.get_row_at(row))
    return " ".join(parts)


def set_values(app: EpicApp, **values: str) -> None:
    """Type into the form's inputs, named by id with dashes as underscores."""
    for name, value in values.items():
        field = app.screen.query_one(f"#{name.replace('_', '-')}", Input)
        field.value = value


def field_error(app: EpicApp, field: str) -> str:
    """The message shown beside a field of the open form."""
    return str(app.screen.query_one(f"#{field}-error", FieldError).render())


def table_rows(app: EpicApp, table_id: str) -> list[list[str]]:
    """The cells of a dashboard table, as text."""
    table = app.screen.query_one(f"#{table_id} DataTable", DataTable)
    return [
        [str(value) for value in table.get_row_at(row)]
        for row in range(table.row_count)
    ]


async def palette(pilot: Any, command: str) -> list[str]:
    """Open the palette, type ``command``; return the names it offers."""
    pilot.app.action_command_palette()
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    pilot.app.screen.query_one(Input).value = command
    await pilot.pause(0.2)
    await settle(pilot)
    commands = pilot.app.screen.query_one(CommandList)
    return [
        str(option.hit.text)
        for option in commands.options
        if isinstance(option, Command)
    ]


async def run_command(pilot: Any, command: str) -> None:
    """Run the palette command named exactly ``command``."""
    offered = await palette(pilot, command)
    assert command in offered, offered
    await pilot.press("enter")
    await settle(pilot)


async def log_out(pilot: Any) -> None:
    await pilot.press("ctrl+l")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LoginScreen)


async def test_each_department_does_its_part_from_client_to_event(
    make_app: AppFactory,
    backend: Backend,
    staff: dict[Department, EmployeeInfo],
) -> None:
    """Sales, management and support take one client from first contact to event."""
    sales = staff[Department.SALES]
    manager = staff[Department.MANAGEMENT]
    support = staff[Department.SUPPORT]
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        # Sales creates a client, with the key shown in the footer.
        await log_in(pilot, sales.email, PASSWORD)
        await pilot.press("a")
        assert isinstance(app.screen, ClientForm)
        set_values(
            app,
            full_name="Kevin [Casey]",
            email="kevin@startup.example",
            phone="+33 6 12 34 56 78",
            company_name="Cool Startup LLC",
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientDetailScreen)
        client_id = app.screen.record_id
        assert "Kevin [Casey]" in text_of(app)
        assert "Sam Seller" in text_of(app)
        await pilot.press("escape")
        await settle(pilot)
        assert table_rows(app, "clients-table")[0][:3] == [
            "1",
            "Kevin [Casey]",
            "Cool Startup LLC",
        ]
        await log_out(pilot)

        # Management drafts a contract for it, from the palette.
        await log_in(pilot, manager.email, PASSWORD)
        await run_command(pilot, "New contract")
        assert isinstance(app.screen, ContractForm)
        set_values(app, client_id=str(client_id), total_amount="12000.00")
        await pilot.pause(0.4)
        await settle(pilot)
        assert "Kevin [Casey]" in text_of(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContractDetailScreen)
        contract_id = app.screen.record_id
        assert "Not signed yet" in text_of(app)
        await log_out(pilot)

        # Sales finds it in their waiting work, signs it and opens an event.
        await log_in(pilot, sales.email, PASSWORD)
        waiting = table_rows(app, "waiting-table")
        assert [str(contract_id), "Kevin [Casey]"] == waiting[0][:2]
        await pilot.press("s")
        assert isinstance(app.screen, SignContractDialog)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert table_rows(app, "waiting-table")[0][5] == "yes"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContractDetailScreen)
        assert "Signed by Sam Seller" in text_of(app)
        await pilot.press("a")
        assert isinstance(app.screen, EventForm)
        set_values(
            app,
            name="Launch party",
            start="2026-07-01 18:00",
            end="2026-07-01 23:30",
            location="Lyon",
            attendees="75",
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        # The contract lists its new event, which opens with Enter.
        assert isinstance(app.screen, ContractDetailScreen)
        assert "Launch party" in text_of(app)
        app.screen.query_one("#linked-table").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EventDetailScreen)
        event_id = app.screen.record_id
        assert "No support yet" in text_of(app)
        assert "Lyon" in text_of(app)
        await log_out(pilot)

        # Management assigns support from the list of events without support.
        await log_in(pilot, manager.email, PASSWORD)
        assert table_rows(app, "waiting-table")[0][:2] == [
            str(event_id),
            "Launch party",
        ]
        await pilot.press("g")
        assert isinstance(app.screen, AssignSupportDialog)
        await settle(pilot)
        app.screen.query_one("#support-contact-id", Select).value = support.id
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert table_rows(app, "waiting-table") == []
        await pilot.press("3")
        await settle(pilot)
        assert table_rows(app, "events-table")[0][5] == "Sue Porter"
        await log_out(pilot)

        # Support sees it among their upcoming events and updates it.
        await log_in(pilot, support.email, PASSWORD)
        assert table_rows(app, "waiting-table")[0][:2] == [
            str(event_id),
            "Launch party",
        ]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EventDetailScreen)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EventForm)
        set_values(app, attendees="80")
        app.screen.query_one("#notes", TextArea).text = "Vegetarian menu for a third."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EventDetailScreen)
        assert "80" in text_of(app)
        assert "Vegetarian menu for a third." in text_of(app)

    event = backend.events.get(_session(backend, support), event_id)
    assert event.attendees == 80
    assert event.support_contact_id == support.id


def _session(backend: Backend, employee: EmployeeInfo) -> SignedIn:
    return backend.auth.login(employee.email, PASSWORD)


async def test_a_bad_value_shows_its_message_beside_the_field_and_saves_nothing(
    make_app: AppFactory,
    backend: Backend,
    staff: dict[Department, EmployeeInfo],
) -> None:
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await log_in(pilot, staff[Department.SALES].email, PASSWORD)
        await pilot.press("a")
        set_values(app, full_name="Kevin Casey", email="not an email")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientForm)
        assert "not a valid email" in field_error(app, "email")
        assert field_error(app, "full-name") == ""
        assert app.focused is app.screen.query_one("#email")
    assert table_count(backend, staff) == 0


def table_count(backend: Backend, staff: dict[Department, EmployeeInfo]) -> int:
    manager = _session(backend, staff[Department.MANAGEMENT])
    return backend.catalog.count(manager, "clients")


async def test_escape_closes_the_form_without_saving(
    make_app: AppFactory,
    backend: Backend,
    staff: dict[Department, EmployeeInfo],
) -> None:
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await log_in(pilot, staff[Department.SALES].email, PASSWORD)
        await pilot.press("a")
        set_values(app, full_name="Kevin Casey", email="kevin@startup.example")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    assert table_count(backend, staff) == 0


async def test_sales_is_not_offered_new_contract_and_its_key_does_nothing(
    make_app: AppFactory,
    backend: Backend,
    staff: dict[Department, EmployeeInfo],
    records: Records,
) -> None:
    """F24: the screen does not offer it, and the service refuses it anyway."""
    sales = records.session_of(staff[Department.SALES].id)
    with pytest.raises(PermissionDenied):
        backend.contracts.create(sales, ContractInput(client_id=1, total_amount="10"))
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await log_in(pilot, staff[Department.SALES].email, PASSWORD)
        offered = await palette(pilot, "New")
        assert "New client" in offered
        assert "New contract" not in offered
        assert "New employee" not in offered
        await pilot.press("escape")
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        footer_keys = {
            binding.binding.description
            for binding in app.screen.active_bindings.values()
        }
        assert "New contract" not in footer_keys


async def test_palette_follows_the_department_and_the_selected_row(
    make_app: AppFactory,
    staff: dict[Department, EmployeeInfo],
    records: Records,
) -> None:
    sales = staff[Department.SALES]
    client = records.client(sales.id, "Kevin Casey")
    records.contract(client, signed=False)
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await log_in(pilot, staff[Department.SUPPORT].email, PASSWORD)
        offered = await palette(pilot, "")
        assert "New client" not in offered
        assert "Sign contract" not in offered
        assert "Filter events: my events" in offered
        assert "Filter events: without support" not in offered
        await pilot.press("escape")
        await log_out(pilot)

        await log_in(pilot, sales.email, PASSWORD)
        # The waiting list has the focus: its contract can be signed.
        assert "Sign contract" in await palette(pilot, "Sign")
        await pilot.press("escape")
        offered = await palette(pilot, "Filter")
        assert "Filter contracts: unsigned" in offered
        assert "Filter events: without support" not in offered


async def test_filter_toggle_and_search_narrow_the_list(
    make_app: AppFactory,
    staff: dict[Department, EmployeeInfo],
    records: Records,
) -> None:
    sales = staff[Department.SALES]
    colleague = records.employee(Department.SALES, "Other Seller")
    records.client(sales.id, "Mine 100% sure")
    records.client(colleague, "Theirs 100% sure")
    records.client(sales.id, "Mine plain")
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await log_in(pilot, sales.email, PASSWORD)
        assert len(table_rows(app, "clients-table")) == 3
        await run_command(pilot, "Filter clients: my clients")
        assert [row[1] for row in table_rows(app, "clients-table")] == [
            "Mine 100% sure",
            "Mine plain",
        ]
        await pilot.press("slash")
        await pilot.press(*"100%")
        await pilot.pause(0.4)
        await settle(pilot)
        assert [row[1] for row in table_rows(app, "clients-table")] == [
            "Mine 100% sure"
        ]


async def test_a_save_after_someone_elses_offers_to_reload(
    make_app: AppFactory,
    backend: Backend,
    staff: dict[Department, EmployeeInfo],
    records: Records,
) -> None:
    """F27: the second save is refused with a clear message and a way out."""
    sales = staff[Department.SALES]
    client_id = records.client(sales.id, "Kevin Casey", email="kevin@startup.example")
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await log_in(pilot, sales.email, PASSWORD)
        app.screen.query_one("#clients-table DataTable").focus()
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ClientForm)

        # A colleague's save lands while the form is open.
        backend.clients.update(
            _session(backend, sales),
            client_id,
            1,
            ClientInput(full_name="Kevin Casey", email="kevin@new.example"),
        )
        set_values(app, company_name="Cool Startup LLC")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientForm)
        assert "changed by someone else" in str(
            app.screen.query_one("#form-error").render()
        )
        reload = app.screen.query_one("#reload")
        assert reload.display and app.focused is reload
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#email", Input).value == "kevin@new.example"
        set_values(app, company_name="Cool Startup LLC")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    client = backend.clients.get(_session(backend, sales), client_id)
    assert (client.email, client.company_name) == (
        "kevin@new.example",
        "Cool Startup LLC",
    )


async def test_expiry_with_a_form_open_closes_it_and_saves_nothing(
    make_app: AppFactory,
    backend: Backend,
    staff: dict[Department, EmployeeInfo],
    clock: ManualClock,
) -> None:
    """C13: the form goes unsaved and the login screen shows within seconds."""
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await log_in(pilot, staff[Department.SALES].email, PASSWORD)
        await pilot.press("a")
        set_values(app, full_name="Kevin Casey", email="kevin@startup.example")
        clock.advance(hours=1, seconds=1)
        await pilot.pause(1.3)
        assert isinstance(app.screen, LoginScreen)
        assert len(app.screen_stack) == 2
        # A late Ctrl+S reaches nothing that could save.
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert table_count(backend, staff) == 0


async def test_the_table_of_contracts_says_fully_paid(
    make_app: AppFactory,
    staff: dict[Department, EmployeeInfo],
    records: Records,
) -> None:
    sales = staff[Department.SALES]
    client = records.client(sales.id, "Kevin Casey")
    contract_id = records.contract(client, total="500.00", due="200.00", signed=True)
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await log_in(pilot, sales.email, PASSWORD)
        await pilot.press("m")
        await settle(pilot)
        amount = app.screen.query_one("#amount", Input)
        assert "at most 200.00" in amount.placeholder
        amount.value = "250"
        await pilot.press("enter")
        await settle(pilot)
        assert "more than the amount due" in field_error(app, "amount")
        amount.value = "200"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("2")
        await settle(pilot)
        row = table_rows(app, "contracts-table")[0]
        assert row[0] == str(contract_id)
        assert row[4] == "Fully paid"


async def test_management_deactivates_a_salesperson_and_hands_over_their_clients(
    make_app: AppFactory,
    backend: Backend,
    staff: dict[Department, EmployeeInfo],
    records: Records,
) -> None:
    leaving = records.employee(Department.SALES, "Leaving Seller")
    records.client(leaving, "Their Client")
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await log_in(pilot, staff[Department.MANAGEMENT].email, PASSWORD)
        await pilot.press("4")
        await settle(pilot)
        table = app.screen.query_one("#employees-table DataTable", DataTable)
        names = [row[1] for row in table_rows(app, "employees-table")]
        table.move_cursor(row=names.index("Leaving Seller"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EmployeeDetailScreen)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DeactivateEmployeeDialog)
        assert "will no longer be able to log in" in text_of(app)
        choices = app.screen.query_one("#hand-over-to", Select)
        choices.value = staff[Department.SALES].id
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EmployeeDetailScreen)
        assert "Deactivated" in text_of(app)
        # A deactivated employee can no longer be deactivated or reset.
        assert app.screen.check_action("deactivate_employee", ()) is False

        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert "deactivate" in text_of(app)
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.press("1")
        await settle(pilot)
        assert table_rows(app, "clients-table")[0][6] == "Sam Seller"


async def test_reset_password_asks_for_the_same_password_twice(
    make_app: AppFactory,
    backend: Backend,
    staff: dict[Department, EmployeeInfo],
) -> None:
    sales = staff[Department.SALES]
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await log_in(pilot, staff[Department.MANAGEMENT].email, PASSWORD)
        app.push_screen(ResetPasswordDialog(sales.id))
        await settle(pilot)
        set_values(app, new_password="a long new password 1", confirm_password="x")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "differ" in field_error(app, "confirm-password")
        set_values(
            app,
            new_password="a long new password 1",
            confirm_password="a long new password 1",
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    signed_in = backend.auth.login(sales.email, "a long new password 1")
    assert signed_in.must_change_password


async def test_support_cannot_edit_an_event_that_is_not_theirs(
    make_app: AppFactory,
    staff: dict[Department, EmployeeInfo],
    records: Records,
) -> None:
    contract = records.contract(
        records.client(staff[Department.SALES].id, "Client"), signed=True
    )
    event_id = records.event(contract, "Someone else's gala")
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await log_in(pilot, staff[Department.SUPPORT].email, PASSWORD)
        app.push_screen(EventDetailScreen(event_id))
        await settle(pilot)
        assert "Someone else's gala" in text_of(app)
        assert not app.screen.query_one("#do-edit-record").display
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EventDetailScreen)
        assert "Edit" not in await palette(pilot, "Edit")
