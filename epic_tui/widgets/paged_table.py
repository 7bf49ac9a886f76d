"""A table that shows one page of a list at a time, fetched in a thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from epic_tui.formatting import cell
from epic_tui.services.catalog import Column, Page, PageRequest
from epic_tui.services.errors import EpicError

PageFetcher = Callable[[PageRequest], Page[Any]]


class PagedTable(Vertical):
    """Rows of one list, a page at a time, with next/previous and sorting.

    The widget knows nothing of the database: it is given a function that
    fetches a page, and calls it in a thread worker so the screen never
    waits on SQL.
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

    def __init__(
        self,
        columns: tuple[Column, ...],
        fetch: PageFetcher,
        request: PageRequest | None = None,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._columns = columns
        self._fetch_page = fetch
        self._request = request or PageRequest()
        # Cursors of the pages shown so far; the last one is on screen.
        self._cursors: list[tuple[Any, int] | None] = [None]
        self._next_after: tuple[Any, int] | None = None
        self.rows: tuple[Any, ...] = ()

    def compose(self) -> ComposeResult:
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
        for column in self._columns:
            label = column.label + (" ↕" if column.sortable else "")
            table.add_column(label, key=column.key)
        yield table
        yield Static("Loading…", classes="page-status")

    def on_mount(self) -> None:
        self.reload()

    @property
    def request(self) -> PageRequest:
        """The request of the page on screen."""
        return replace(self._request, after=self._cursors[-1])

    def reload(self, request: PageRequest | None = None) -> None:
        """Show the first page again, optionally with a new sort or filter."""
        if request is not None:
            self._request = request
        self._cursors = [None]
        self._load()

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
            self.notify(f"Cannot sort by {column.label}.", timeout=2)
            return
        descending = self._request.sort == key and not self._request.descending
        self.reload(replace(self._request, sort=key, descending=descending))

    def _load(self) -> None:
        self.query_one(".page-status", Static).update("Loading…")
        self._fetch(self.request)

    @work(thread=True, exclusive=True, group="page", exit_on_error=False)
    def _fetch(self, request: PageRequest) -> None:
        try:
            page = self._fetch_page(request)
        except EpicError as error:
            self.post_message(self.LoadFailed(self, error))
            return
        self.app.call_from_thread(self._show, page)

    def _show(self, page: Page[Any]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for row in page.rows:
            table.add_row(
                *(Text(cell(getattr(row, column.key))) for column in self._columns),
                key=str(row.id),
            )
        self.rows = page.rows
        self._next_after = page.next_after
        self.query_one(".page-status", Static).update(self._status(page))
        self.post_message(self.PageShown(self, page))

    def _status(self, page: Page[Any]) -> str:
        number = len(self._cursors)
        if not page.rows:
            return "No rows." if number == 1 else f"Page {number}: no more rows."
        more = "  n: next page" if page.next_after else ""
        back = "  p: previous page" if number > 1 else ""
        sort = self._request.sort.replace("_", " ")
        order = "descending" if self._request.descending else "ascending"
        return f"Page {number} · {len(page.rows)} rows · by {sort}, {order}{more}{back}"
