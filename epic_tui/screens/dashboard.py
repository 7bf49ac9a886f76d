"""The dashboard: who is logged in, what waits for them, and the records."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Static, TabbedContent, TabPane

from epic_tui.formatting import time_left
from epic_tui.models import Department
from epic_tui.services.catalog import SPECS, Page, PageRequest, waiting_work_for
from epic_tui.services.errors import NotLoggedIn
from epic_tui.widgets.paged_table import PagedTable

if TYPE_CHECKING:
    from epic_tui.app import EpicApp
    from epic_tui.services.dto import SignedIn

TABS = (
    ("clients", "Clients", PageRequest(sort="full_name")),
    ("contracts", "Contracts", PageRequest(sort="created_at", descending=True)),
    ("events", "Events", PageRequest(sort="start_at", descending=True)),
    ("employees", "Employees", PageRequest(sort="full_name")),
)


class DashboardScreen(Screen[None]):
    """The home of a logged-in employee, shaped by their department."""

    app: EpicApp
    BINDINGS = [
        Binding("ctrl+l", "app.logout", "Log out", id="logout"),
        Binding("1", "show_tab('clients')", "Clients", show=False),
        Binding("2", "show_tab('contracts')", "Contracts", show=False),
        Binding("3", "show_tab('events')", "Events", show=False),
        Binding("4", "show_tab('employees')", "Employees", show=False),
        Binding("w", "focus_waiting", "Waiting work", show=False),
    ]

    def __init__(self, signed_in: SignedIn) -> None:
        super().__init__()
        self.signed_in = signed_in

    def compose(self) -> ComposeResult:
        employee = self.signed_in.employee
        waiting = waiting_work_for(employee.department)
        with Horizontal(id="session-bar"):
            yield Static(
                Text.assemble(
                    (employee.full_name, "bold"),
                    f"  ·  {employee.department.value.capitalize()}",
                ),
                id="who",
            )
            yield Static("", id="time-left")
            yield Button("Log out", id="logout", variant="error", compact=True)
        with Vertical(id="waiting"):
            yield Static(waiting.title, id="waiting-title", classes="section-title")
            yield PagedTable(
                SPECS[waiting.list_name].columns,
                partial(self._fetch, waiting.list_name),
                replace(waiting.request, size=8),
                id="waiting-table",
            )
        with TabbedContent(id="records"):
            for name, title, request in TABS:
                if (
                    name == "employees"
                    and employee.department is not Department.MANAGEMENT
                ):
                    continue
                with TabPane(title, id=f"tab-{name}"):
                    yield PagedTable(
                        SPECS[name].columns,
                        partial(self._fetch, name),
                        request,
                        id=f"{name}-table",
                    )
        yield Footer()

    def on_mount(self) -> None:
        self._refresh_time_left()
        self.set_interval(1.0, self._refresh_time_left)

    def _fetch(self, list_name: str, request: PageRequest) -> Page[Any]:
        return self.app.backend.catalog.page(self.signed_in, list_name, request)

    def _refresh_time_left(self) -> None:
        remaining = self.signed_in.expires_at - self.app.clock()
        self.query_one("#time-left", Static).update(
            f"Session: {time_left(remaining)} left"
        )

    @on(Button.Pressed, "#logout")
    def _logout_pressed(self) -> None:
        self.app.action_logout()

    @on(PagedTable.LoadFailed)
    def _load_failed(self, event: PagedTable.LoadFailed) -> None:
        if isinstance(event.error, NotLoggedIn):
            self.app.end_session(event.error.message)
        else:
            self.notify(event.error.message, title="Could not load", severity="error")

    @on(PagedTable.PageShown, "#waiting-table")
    def _waiting_shown(self, event: PagedTable.PageShown) -> None:
        count = len(event.page.rows)
        more = "+" if event.page.next_after else ""
        title = waiting_work_for(self.signed_in.employee.department).title
        self.query_one("#waiting-title", Static).update(f"{title} ({count}{more})")

    def action_show_tab(self, name: str) -> None:
        """Switch to the tab of one kind of record."""
        tabs = self.query_one(TabbedContent)
        if tabs.query(f"#tab-{name}"):
            tabs.active = f"tab-{name}"

    def action_focus_waiting(self) -> None:
        """Move the cursor to the list of waiting work."""
        self.query_one("#waiting-table DataTable").focus()
