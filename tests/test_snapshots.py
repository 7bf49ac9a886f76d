"""Snapshots of the key screens, on fixed data, a fixed clock and a fixed size.

Regenerate after a deliberate change of the screens with
``pytest --snapshot-update tests/test_snapshots.py``, and look at the
report before committing the new SVGs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from epic_tui.app import EpicApp
from epic_tui.models import Department
from epic_tui.services.backend import Backend
from epic_tui.services.dto import EmployeeInfo
from tests.conftest import PASSWORD, ManualClock, add_employee
from tests.factories_ui import Records

SIZE = (140, 45)
AppFactory = Callable[[], EpicApp]
SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local times read the same on every machine: the snapshots are in UTC."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def company(backend: Backend, clock: ManualClock) -> dict[Department, EmployeeInfo]:
    """A small company with work waiting for each department."""
    records = Records(backend, clock.now)
    staff = {
        Department.SALES: add_employee(
            backend, Department.SALES, email="sam@epic.example", full_name="Sam Seller"
        ),
        Department.SUPPORT: add_employee(
            backend,
            Department.SUPPORT,
            email="sue@epic.example",
            full_name="Sue Porter",
        ),
        Department.MANAGEMENT: add_employee(
            backend,
            Department.MANAGEMENT,
            email="mia@epic.example",
            full_name="Mia Boss",
        ),
    }
    sales = staff[Department.SALES].id
    support = staff[Department.SUPPORT].id
    colleague = records.employee(Department.SALES, "Léa Martin")
    kevin = records.client(
        sales, "Kevin Casey", company_name="Cool Startup LLC", phone="+33 6 12 34 56 78"
    )
    ada = records.client(sales, "Ada [Byron] & Co", company_name="100% Analytical")
    records.client(colleague, "Zoé Dupont", company_name="Dupont Fêtes")
    records.contract(kevin, total="12000.00", due="12000.00")
    gala = records.contract(kevin, total="8000.00", due="2500.00", signed=True)
    paid = records.contract(ada, total="1500.00", due="0.00", signed=True)
    records.event(
        gala,
        "Launch party",
        start=clock.now + timedelta(days=30, hours=9),
        location="Lyon",
        attendees=75,
        support_contact_id=support,
    )
    records.event(
        gala,
        "Board dinner",
        start=clock.now + timedelta(days=12, hours=10),
        location="Paris",
        attendees=12,
    )
    records.event(
        paid,
        "Summer party",
        start=clock.now - timedelta(days=20),
        location="Marseille",
        attendees=140,
        support_contact_id=support,
    )
    return staff


async def settled(pilot: Pilot[None]) -> None:
    """Wait until every page, count and lookup is on screen."""
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    # DataTable measures its columns when idle, which no state announces:
    # give it that moment, or a busy machine photographs narrow columns.
    await pilot.pause(0.2)


def logged_in_app(
    make_app: AppFactory, backend: Backend, employee: EmployeeInfo
) -> EpicApp:
    """The app, started with a saved session of ``employee``."""
    backend.auth.login(employee.email, PASSWORD)
    return make_app()


@pytest.mark.parametrize("department", list(Department), ids=str)
def test_dashboard_of_each_department(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    backend: Backend,
    company: dict[Department, EmployeeInfo],
    department: Department,
) -> None:
    app = logged_in_app(make_app, backend, company[department])
    assert snap_compare(app, terminal_size=SIZE, run_before=settled)


def test_client_form_shows_each_message_beside_its_field(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    backend: Backend,
    company: dict[Department, EmployeeInfo],
) -> None:
    app = logged_in_app(make_app, backend, company[Department.SALES])

    async def submit_bad_values(pilot: Pilot[None]) -> None:
        await settled(pilot)
        await pilot.press("a")
        await settled(pilot)
        screen = pilot.app.screen
        screen.query_one("#email", Input).value = "kevin at startup"
        screen.query_one("#phone", Input).value = "12"
        screen.query_one("#last-contact", Input).value = "2026-13-40"
        await pilot.press("ctrl+s")
        await settled(pilot)
        # A blinking cursor would make the picture differ from run to run.
        for field in screen.query(Input):
            field.cursor_blink = False

    assert snap_compare(app, terminal_size=SIZE, run_before=submit_bad_values)
