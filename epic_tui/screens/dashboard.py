"""The dashboard: who is logged in, what waits for them, and the records."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from epic_tui.commands import CrmCommand, CrmCommands
from epic_tui.formatting import time_left
from epic_tui.models import Department
from epic_tui.screens.permitted import (
    current_actor,
    may,
    may_assign_support,
    may_at_all,
    may_change,
    may_manage,
    may_record_payment,
    may_sign,
)
from epic_tui.screens.record_detail import open_record
from epic_tui.services.catalog import (
    SPECS,
    Page,
    PageRequest,
    filters_offered,
    waiting_work_for,
)
from epic_tui.services.errors import NotLoggedIn
from epic_tui.services.permissions import Operation
from epic_tui.widgets.paged_table import PagedTable

if TYPE_CHECKING:
    from textual.screen import ModalScreen

    from epic_tui.app import EpicApp
    from epic_tui.services.dto import SignedIn


@dataclass(frozen=True)
class RecordTab:
    """One tab of records: which list, its first request, what search finds."""

    name: str
    title: str
    request: PageRequest
    search_placeholder: str
    creates: Operation
    """What creating a record of this kind needs."""


TABS = (
    RecordTab(
        "clients",
        "Clients",
        PageRequest(sort="full_name"),
        "Search clients by name, email or company…",
        Operation.CREATE_CLIENT,
    ),
    RecordTab(
        "contracts",
        "Contracts",
        PageRequest(sort="created_at", descending=True),
        "Search contracts by client name…",
        Operation.CREATE_CONTRACT,
    ),
    RecordTab(
        "events",
        "Events",
        PageRequest(sort="start_at", descending=True),
        "Search events by name, location or client…",
        Operation.CREATE_EVENT,
    ),
    RecordTab(
        "employees",
        "Employees",
        PageRequest(sort="full_name"),
        "Search employees by name or email…",
        Operation.CREATE_EMPLOYEE,
    ),
)
TABS_BY_NAME = {tab.name: tab for tab in TABS}

SINGULAR = {
    "clients": "client",
    "contracts": "contract",
    "events": "event",
    "employees": "employee",
}


class DashboardScreen(Screen[None]):
    """The home of a logged-in employee, shaped by their department.

    Keys and palette commands act on the row under the cursor of the list
    in use: the list of waiting work when it has the focus, otherwise the
    open tab. Each is offered only when the employee may do it on that row.
    """

    app: EpicApp
    COMMANDS = {CrmCommands}
    AUTO_FOCUS = "#waiting-table DataTable"
    BINDINGS = [
        Binding("ctrl+l", "app.logout", "Log out", id="logout"),
        Binding("a", "new_on_tab('clients')", "New client"),
        Binding("a", "new_on_tab('contracts')", "New contract"),
        Binding("a", "new_on_tab('events')", "New event"),
        Binding("a", "new_on_tab('employees')", "New employee"),
        Binding("e", "edit_record", "Edit"),
        Binding("slash", "focus_search", "Search"),
        Binding("s", "sign_contract", "Sign contract", show=False),
        Binding("m", "record_payment", "Record payment", show=False),
        Binding("g", "assign_support", "Assign support", show=False),
        Binding("h", "show_history", "History", show=False),
        Binding("1", "show_tab('clients')", "Clients", show=False),
        Binding("2", "show_tab('contracts')", "Contracts", show=False),
        Binding("3", "show_tab('events')", "Events", show=False),
        Binding("4", "show_tab('employees')", "Employees", show=False),
        Binding("w", "focus_waiting", "Waiting work", show=False),
    ]

    def __init__(self, signed_in: SignedIn) -> None:
        super().__init__()
        self.signed_in = signed_in
        self._waiting = waiting_work_for(signed_in.employee.department)
        self._resumed_before = False
        self._open_tab: str | None = f"tab-{TABS[0].name}"

    def compose(self) -> ComposeResult:
        employee = self.signed_in.employee
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
            yield Static(
                self._waiting.title, id="waiting-title", classes="section-title"
            )
            yield PagedTable(
                SPECS[self._waiting.list_name].columns,
                partial(self._fetch, self._waiting.list_name),
                replace(self._waiting.request, size=8),
                id="waiting-table",
            )
        with TabbedContent(id="records"):
            for position, tab in enumerate(self._tabs()):
                with TabPane(tab.title, id=f"tab-{tab.name}"):
                    # Only the open tab fetches at once; the others wait
                    # until they are first shown, so the start is quicker.
                    yield PagedTable(
                        SPECS[tab.name].columns,
                        partial(self._fetch, tab.name),
                        tab.request,
                        count=partial(self._count, tab.name),
                        search_placeholder=tab.search_placeholder,
                        filters=filters_offered(self.signed_in, tab.name),
                        load_on_mount=position == 0,
                        id=f"{tab.name}-table",
                    )
        yield Footer()

    def on_mount(self) -> None:
        self._refresh_time_left()
        self.set_interval(1.0, self._refresh_time_left)

    def on_screen_resume(self) -> None:
        # A dialog or a detail screen may have changed what the lists show;
        # the first time, the lists are loading already.
        if self._resumed_before:
            self._refresh_lists()
        self._resumed_before = True

    # Fetching, in the tables' worker threads.

    # A query whose worker was superseded (the next keystroke of a search)
    # stops early instead of scanning on for nobody.

    def _fetch(self, list_name: str, request: PageRequest) -> Page[Any]:
        worker = get_current_worker()
        return self.app.backend.catalog.page(
            current_actor(self.app),
            list_name,
            request,
            cancelled=lambda: worker.is_cancelled,
        )

    def _count(self, list_name: str, request: PageRequest) -> int:
        worker = get_current_worker()
        return self.app.backend.catalog.count(
            current_actor(self.app),
            list_name,
            request.filters,
            request.search,
            cancelled=lambda: worker.is_cancelled,
        )

    # What is shown.

    def _tabs(self) -> Iterable[RecordTab]:
        management = self.signed_in.employee.department is Department.MANAGEMENT
        return (tab for tab in TABS if tab.name != "employees" or management)

    def _refresh_time_left(self) -> None:
        session = self.app.session or self.signed_in
        remaining = session.expires_at - self.app.clock()
        self.query_one("#time-left", Static).update(
            f"Session: {time_left(remaining)} left"
        )

    def _refresh_lists(self) -> None:
        self.query_one("#waiting-table", PagedTable).refresh_page()
        table = self._tab_table()
        if table is not None:
            table.refresh_page()

    @on(Button.Pressed, "#logout")
    def _logout_pressed(self) -> None:
        self.app.action_logout()

    @on(PagedTable.LoadFailed)
    def _load_failed(self, event: PagedTable.LoadFailed) -> None:
        if isinstance(event.error, NotLoggedIn):
            self.app.end_session(event.error.message)
        else:
            self.notify(
                event.error.message,
                title="Could not load",
                severity="error",
                markup=False,
            )

    @on(PagedTable.PageShown, "#waiting-table")
    def _waiting_shown(self, event: PagedTable.PageShown) -> None:
        count = len(event.page.rows)
        more = "+" if event.page.next_after else ""
        self.query_one("#waiting-title", Static).update(
            f"{self._waiting.title} ({count}{more})"
        )

    @on(PagedTable.PageShown)
    @on(DataTable.RowHighlighted)
    def _selection_changed(self) -> None:
        # The keys in the footer follow the row under the cursor.
        self.refresh_bindings()

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        # Another tab may have seen changes since it was last shown, or is
        # shown for the first time; the first tab is loading already.
        if event.pane.id != self._open_tab:
            self._open_tab = event.pane.id
            table = self._tab_table()
            if table is not None and table.loaded:
                table.refresh_page()
            elif table is not None:
                table.reload()
        self.refresh_bindings()

    @on(PagedTable.RowOpened)
    def _row_opened(self, event: PagedTable.RowOpened) -> None:
        kind = self._list_of(event.table)
        if kind is not None:
            open_record(self.app, kind, event.row.id)

    # Which list, which row.

    def _active_tab(self) -> str:
        active = self.query_one(TabbedContent).active
        return active.removeprefix("tab-")

    def _tab_table(self) -> PagedTable | None:
        tables = self.query(f"#{self._active_tab()}-table")
        table = tables.first() if tables else None
        return table if isinstance(table, PagedTable) else None

    def _current_table(self) -> PagedTable | None:
        """The list in use: waiting work when it has the focus, else the tab."""
        waiting = self.query_one("#waiting-table", PagedTable)
        focused = self.focused
        if focused is not None and waiting in focused.ancestors_with_self:
            return waiting
        return self._tab_table()

    def _list_of(self, table: PagedTable) -> str | None:
        if table.id == "waiting-table":
            return self._waiting.list_name
        return (table.id or "").removesuffix("-table") or None

    def _selected(self, kind: str | None = None) -> tuple[str, Any] | None:
        """The kind and row under the cursor of the list in use, if any.

        With ``kind``, only a row of that kind counts.
        """
        table = self._current_table()
        if table is None:
            return None
        table_kind = self._list_of(table)
        row = table.selected_row
        if row is None or table_kind is None or kind not in (None, table_kind):
            return None
        return table_kind, row

    # What this employee may do on what is selected.

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only what this employee may do, on the row selected now."""
        rules: dict[str, Callable[..., bool]] = {
            "new_on_tab": self._may_create_on_tab,
            "new_client": lambda: may_at_all(self.app, Operation.CREATE_CLIENT),
            "new_contract": lambda: may_at_all(self.app, Operation.CREATE_CONTRACT),
            "new_event": lambda: may_at_all(self.app, Operation.CREATE_EVENT),
            "new_employee": lambda: may_at_all(self.app, Operation.CREATE_EMPLOYEE),
            "edit_record": self._may_edit,
            "sign_contract": self._may_sign,
            "record_payment": self._may_record_payment,
            "assign_support": self._may_assign_support,
            "show_history": self._may_see_history,
            "deactivate_employee": partial(
                self._may_manage, Operation.DEACTIVATE_EMPLOYEE
            ),
            "reset_password": partial(self._may_manage, Operation.RESET_PASSWORD),
            "toggle_filter": self._offers_filter,
            "show_tab": self._has_tab,
        }
        rule = rules.get(action)
        if rule is None:
            return True
        return rule(*parameters)

    def _may_create_on_tab(self, kind: str) -> bool:
        return self._active_tab() == kind and may_at_all(
            self.app, TABS_BY_NAME[kind].creates
        )

    def _may_edit(self) -> bool:
        selected = self._selected()
        return selected is not None and may_change(self.app, *selected)

    def _may_sign(self) -> bool:
        selected = self._selected("contracts")
        return selected is not None and may_sign(self.app, selected[1])

    def _may_record_payment(self) -> bool:
        selected = self._selected("contracts")
        return selected is not None and may_record_payment(self.app, selected[1])

    def _may_assign_support(self) -> bool:
        selected = self._selected("events")
        return selected is not None and may_assign_support(self.app, selected[1])

    def _may_see_history(self) -> bool:
        return self._selected() is not None and may(self.app, Operation.VIEW_HISTORY)

    def _may_manage(self, operation: Operation) -> bool:
        selected = self._selected("employees")
        return selected is not None and may_manage(self.app, operation, selected[1])

    def _offers_filter(self, kind: str, name: str) -> bool:
        return self._has_tab(kind) and name in filters_offered(self.signed_in, kind)

    def _has_tab(self, kind: str) -> bool:
        return any(tab.name == kind for tab in self._tabs())

    def filter_commands(self) -> Iterable[CrmCommand]:
        """The filters this employee is offered, as palette commands."""
        for tab in self._tabs():
            table = self.query_one(f"#{tab.name}-table", PagedTable)
            for name, label in filters_offered(self.signed_in, tab.name).items():
                active = name in table.request.filters
                yield CrmCommand(
                    f"Filter {tab.title.lower()}: {label.lower()}",
                    "On now: run it again to show every row"
                    if active
                    else f"Show only these {tab.title.lower()}",
                    f"toggle_filter({tab.name!r}, {name!r})",
                )

    # Actions.

    def action_show_tab(self, name: str) -> None:
        """Switch to the tab of one kind of record."""
        if self._has_tab(name):
            self.query_one(TabbedContent).active = f"tab-{name}"
            table = self._tab_table()
            if table is not None:
                table.data_table.focus()

    def action_focus_waiting(self) -> None:
        """Move the cursor to the list of waiting work."""
        self.query_one("#waiting-table", PagedTable).data_table.focus()

    def action_focus_search(self) -> None:
        """Put the cursor in the search box of the open tab."""
        table = self._tab_table()
        if table is not None:
            table.focus_search()

    def action_toggle_filter(self, kind: str, name: str) -> None:
        """Turn a filter of one tab on or off, and show that tab."""
        self.action_show_tab(kind)
        self.query_one(f"#{kind}-table", PagedTable).toggle_filter(name)

    def action_new_on_tab(self, kind: str) -> None:
        """Create a record of the kind the open tab lists."""
        getattr(self, f"action_new_{SINGULAR[kind]}")()

    def action_new_client(self) -> None:
        """Create a client, who becomes the salesperson's own."""
        from epic_tui.screens.client_form import ClientForm

        self._open_form(ClientForm(), "clients")

    def action_new_contract(self) -> None:
        """Draft a contract for the selected client, or for one chosen by number."""
        from epic_tui.screens.contract_form import ContractForm

        selected = self._selected("clients")
        client_id = selected[1].id if selected else None
        self._open_form(ContractForm(client_id=client_id), "contracts")

    def action_new_event(self) -> None:
        """Open an event on the selected contract, or on one chosen by number."""
        from epic_tui.screens.event_form import EventForm

        selected = self._selected("contracts")
        contract_id = selected[1].id if selected and selected[1].signed else None
        self._open_form(EventForm(contract_id=contract_id), "events")

    def action_new_employee(self) -> None:
        """Create an employee account."""
        from epic_tui.screens.employee_form import EmployeeForm

        self._open_form(EmployeeForm(), "employees")

    def action_edit_record(self) -> None:
        """Change the selected record."""
        from epic_tui.screens.client_form import ClientForm
        from epic_tui.screens.contract_form import ContractForm
        from epic_tui.screens.employee_form import EmployeeForm
        from epic_tui.screens.event_form import EventForm

        forms: dict[str, Callable[[int], ModalScreen[Any]]] = {
            "clients": ClientForm,
            "contracts": ContractForm,
            "events": EventForm,
            "employees": EmployeeForm,
        }
        selected = self._selected()
        if selected is not None:
            kind, row = selected
            self.app.push_screen(forms[kind](row.id))

    def action_sign_contract(self) -> None:
        """Sign the selected contract, after a confirmation."""
        from epic_tui.screens.sign_contract import SignContractDialog

        self._act_on("contracts", SignContractDialog)

    def action_record_payment(self) -> None:
        """Record a payment on the selected contract."""
        from epic_tui.screens.payment import RecordPaymentDialog

        self._act_on("contracts", RecordPaymentDialog)

    def action_assign_support(self) -> None:
        """Choose the support contact of the selected event."""
        from epic_tui.screens.assign_support import AssignSupportDialog

        self._act_on("events", AssignSupportDialog)

    def action_deactivate_employee(self) -> None:
        """Deactivate the selected employee, after a confirmation."""
        from epic_tui.screens.hand_over import DeactivateEmployeeDialog

        self._act_on("employees", DeactivateEmployeeDialog)

    def action_reset_password(self) -> None:
        """Set a new password for the selected employee."""
        from epic_tui.screens.reset_password import ResetPasswordDialog

        self._act_on("employees", ResetPasswordDialog)

    def action_show_history(self) -> None:
        """Show who changed the selected record, and how."""
        from epic_tui.screens.history import HistoryScreen

        selected = self._selected()
        if selected is not None:
            kind, row = selected
            title = f"{SINGULAR[kind]} #{row.id}"
            self.app.push_screen(HistoryScreen(SINGULAR[kind], row.id, title))

    def _act_on(self, kind: str, dialog: Callable[[int], ModalScreen[Any]]) -> None:
        selected = self._selected(kind)
        if selected is not None:
            self.app.push_screen(dialog(selected[1].id))

    def _open_form(self, form: ModalScreen[Any], kind: str) -> None:
        """Open a creation form; show the new record once it is saved."""

        def created(record: Any) -> None:
            if record is not None:
                open_record(self.app, kind, record.id)

        self.app.push_screen(form, created)
