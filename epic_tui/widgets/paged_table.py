"""A table that shows one page of a list at a time, fetched in a thread."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Checkbox, DataTable, Input, Static
from textual.worker import get_current_worker

from epic_tui.services.catalog import MAX_SEARCH_LENGTH, Column, Page, PageRequest
from epic_tui.services.errors import EpicError
from epic_tui.widgets.record_cells import record_cell
from epic_tui.widgets.worker_errors import ReportsWorkerErrors

PageFetcher = Callable[[PageRequest], Page[Any]]
"""Fetches one page; called in a worker thread."""
RowCounter = Callable[[PageRequest], int]
"""Counts the rows of a request, page aside; called in a worker thread."""

SEARCH_DELAY = 0.25
"""Seconds of calm after the last keystroke before a search runs."""


class PagedTable(ReportsWorkerErrors, Vertical):  # type: ignore[misc]
    """Rows of one list, a page at a time, with paging, sorting and search.

    The widget knows nothing of the database: it is given a function that
    fetches a page, and calls it in a thread worker so the screen never
    waits on SQL. Optionally it shows a search box and filter toggles
    above the rows, and a count of every matching row, fetched after the
    page so that counting never delays it.
    """

    BINDINGS = [
        Binding("n", "next_page", "Next page"),
        Binding("p", "previous_page", "Previous page"),
    ]

    @dataclass
    class PageShown(Message):
        """A page finished loading and is on screen."""

        table: PagedTable
        page: Page[Any]

        @property
        def control(self) -> PagedTable:
            """The table that showed the page, for ``@on`` selectors."""
            return self.table

    @dataclass
    class LoadFailed(Message):
        """Fetching a page failed with an error the user should see."""

        table: PagedTable
        error: EpicError

        @property
        def control(self) -> PagedTable:
            """The table that failed, for ``@on`` selectors."""
            return self.table

    @dataclass
    class RowOpened(Message):
        """Enter was pressed on a row: the user wants to see that record."""

        table: PagedTable
        row: Any

        @property
        def control(self) -> PagedTable:
            """The table of the row, for ``@on`` selectors."""
            return self.table

    def __init__(
        self,
        columns: tuple[Column, ...],
        fetch: PageFetcher,
        request: PageRequest | None = None,
        *,
        count: RowCounter | None = None,
        search_placeholder: str | None = None,
        filters: Mapping[str, str] | None = None,
        load_on_mount: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Build the table.

        Args:
            columns: The columns shown, in order.
            fetch: Fetches one page of rows.
            request: The first request: sort, fixed filters, page size.
            count: Counts every matching row; None shows no count.
            search_placeholder: Shows a search box saying this, when given.
            filters: Filter toggles to show, by filter name, with labels.
            load_on_mount: Fetch the first page at once; False waits for
                ``reload``, for a table that is not shown yet.
            id: The widget's id.
            classes: The widget's CSS classes.
        """
        super().__init__(id=id, classes=classes)
        self._columns = columns
        self._fetch_page = fetch
        self._count_rows = count
        self._request = request or PageRequest()
        self._search_placeholder = search_placeholder
        self._filters = dict(filters or {})
        # Cursors of the pages shown so far; the last one is on screen.
        self._cursors: list[tuple[Any, int] | None] = [None]
        self._next_after: tuple[Any, int] | None = None
        self._generation = 0
        self._search_timer: Timer | None = None
        self._counted: tuple[frozenset[str], str] | None = None
        self._total: int | None = None
        self._keep_cursor_on: str | None = None
        self._headers_for: tuple[str, bool] | None = None
        self.rows: tuple[Any, ...] = ()
        """The rows on screen, in order, as the service returned them."""
        self.loaded = False
        """True once a first page is on screen."""
        self._load_on_mount = load_on_mount

    def compose(self) -> ComposeResult:
        if self._search_placeholder is not None or self._filters:
            with Horizontal(classes="table-toolbar"):
                if self._search_placeholder is not None:
                    yield Input(
                        placeholder=self._search_placeholder,
                        max_length=MAX_SEARCH_LENGTH,
                        classes="table-search",
                        compact=True,
                    )
                for name, label in self._filters.items():
                    yield Checkbox(
                        label,
                        value=name in self._request.filters,
                        name=name,
                        classes="table-filter",
                        compact=True,
                    )
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Static("Loading…", classes="page-status", markup=False)

    def on_mount(self) -> None:
        if self._load_on_mount:
            self.reload()

    @property
    def request(self) -> PageRequest:
        """The request of the page on screen."""
        return replace(self._request, after=self._cursors[-1])

    @property
    def selected_row(self) -> Any | None:
        """The row under the cursor, or None when the page is empty."""
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @property
    def data_table(self) -> DataTable[Text]:
        """The DataTable that shows the rows."""
        return self.query_one(DataTable)

    def reload(self, request: PageRequest | None = None) -> None:
        """Show the first page again, optionally with a new sort or filter."""
        if request is not None:
            self._request = request
        self._cursors = [None]
        self._load()

    def refresh_page(self) -> None:
        """Fetch the page on screen again, keeping the cursor on its row."""
        selected = self.selected_row
        self._keep_cursor_on = str(selected.id) if selected is not None else None
        self._counted = None
        self._load()

    def toggle_filter(self, name: str) -> None:
        """Turn one of the offered filters on or off."""
        for toggle in self.query(Checkbox):
            if toggle.name == name:
                toggle.toggle()

    def focus_search(self) -> None:
        """Put the cursor in the search box, if this table has one."""
        for search in self.query(".table-search"):
            search.focus()

    def action_next_page(self) -> None:
        """Show the page after this one, if there is one."""
        if self._next_after is None:
            self.notify("This is the last page.", timeout=2)
            return
        self._cursors.append(self._next_after)
        self._load()

    def action_previous_page(self) -> None:
        """Show the page before this one, if there is one."""
        if len(self._cursors) == 1:
            self.notify("This is the first page.", timeout=2)
            return
        self._cursors.pop()
        self._load()

    @on(DataTable.HeaderSelected)
    def _sort_by_header(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        key = str(event.column_key.value)
        column = next(column for column in self._columns if column.key == key)
        if not column.sortable:
            self.notify(f"Cannot sort by {column.label}.", timeout=2, markup=False)
            return
        descending = self._request.sort == key and not self._request.descending
        self.reload(replace(self._request, sort=key, descending=descending))

    @on(DataTable.RowSelected)
    def _open_row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.selected_row
        if row is not None:
            self.post_message(self.RowOpened(self, row))

    @on(Input.Changed, ".table-search")
    def _search_typed(self) -> None:
        # Each keystroke restarts the wait: only calm typing queries.
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self._apply_search)

    @on(Input.Submitted, ".table-search")
    def _search_submitted(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._apply_search()
        self.data_table.focus()

    def _apply_search(self) -> None:
        text = self.query_one(".table-search", Input).value
        if text != self._request.search:
            self.reload(replace(self._request, search=text))

    @on(Checkbox.Changed, ".table-filter")
    def _filter_toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        name = event.checkbox.name or ""
        filters = self._request.filters
        filters = filters | {name} if event.value else filters - {name}
        self.reload(replace(self._request, filters=filters))

    def _load(self) -> None:
        # Each load supersedes the ones before: late results are dropped.
        self._generation += 1
        self.query_one(".page-status", Static).update("Loading…")
        self._fetch(self.request, self._generation)

    @work(thread=True, exclusive=True, group="page", exit_on_error=False)
    def _fetch(self, request: PageRequest, generation: int) -> None:
        worker = get_current_worker()
        try:
            page = self._fetch_page(request)
        except EpicError as error:
            # A superseded fetch may stop early; nobody waits for it.
            if not worker.is_cancelled:
                self.post_message(self.LoadFailed(self, error))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, page, generation)

    def _show(self, page: Page[Any], generation: int) -> None:
        if generation != self._generation or not self.is_attached:
            return
        table = self.data_table
        # The headers change with the sort only; paging keeps the widths.
        sort = (self._request.sort, self._request.descending)
        table.clear(columns=sort != self._headers_for)
        if sort != self._headers_for:
            self._headers_for = sort
            for column in self._columns:
                table.add_column(self._header(column), key=column.key)
        for row in page.rows:
            table.add_row(
                *(record_cell(row, column.key) for column in self._columns),
                key=str(row.id),
            )
        self.rows = page.rows
        self.loaded = True
        self._next_after = page.next_after
        self._restore_cursor()
        self._show_status()
        self._count_if_needed(page)
        self.post_message(self.PageShown(self, page))

    def _header(self, column: Column) -> Text:
        if column.key != self._request.sort:
            return Text(column.label)
        arrow = " ▼" if self._request.descending else " ▲"
        return Text.assemble(column.label, (arrow, "bold"))

    def _restore_cursor(self) -> None:
        key, self._keep_cursor_on = self._keep_cursor_on, None
        if key is None:
            return
        for index, row in enumerate(self.rows):
            if str(row.id) == key:
                self.data_table.move_cursor(row=index)
                return

    def _count_if_needed(self, page: Page[Any]) -> None:
        # The count runs once per filter and search, after the first page.
        if self._count_rows is None:
            return
        counted = (self._request.filters, self._request.search)
        if counted == self._counted:
            return
        self._counted = counted
        self._total = None
        if len(self._cursors) == 1 and page.next_after is None:
            self._total = len(page.rows)
            self._show_status()
            return
        self._count(replace(self._request, after=None), counted)

    @work(thread=True, exclusive=True, group="count", exit_on_error=False)
    def _count(self, request: PageRequest, counted: tuple[frozenset[str], str]) -> None:
        assert self._count_rows is not None
        try:
            total = self._count_rows(request)
        except EpicError:
            # The page itself reports errors; a count is only a nicety.
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._counted_rows, total, counted)

    def _counted_rows(self, total: int, counted: tuple[frozenset[str], str]) -> None:
        if counted == self._counted and self.is_attached:
            self._total = total
            self._show_status()

    def _show_status(self) -> None:
        self.query_one(".page-status", Static).update(self._status())

    def _status(self) -> str:
        number = len(self._cursors)
        if not self.rows:
            return "No rows." if number == 1 else f"Page {number}: no more rows."
        count = len(self.rows)
        parts = [f"Page {number}", f"{count} row{'' if count == 1 else 's'}"]
        if self._total is not None:
            parts[-1] += f" of {self._total:,}"
        label = next(
            (
                column.label
                for column in self._columns
                if column.key == self._request.sort
            ),
            self._request.sort.replace("_", " "),
        )
        order = "descending" if self._request.descending else "ascending"
        parts.append(f"by {label.lower() if label != '#' else 'number'}, {order}")
        return " · ".join(parts)
