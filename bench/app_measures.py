"""The app's own figures, in-process on the bench database.

Each figure runs the real app from `create_app` under ``run_test`` at
160 x 48 and times one thing a person does, from the key or click to the
screen painted with its result. Waits end on state (a table showed a new
page, a screen is on top), never on a fixed sleep.
"""

from __future__ import annotations

import asyncio
import gc
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from accounts import BenchAccounts
from driving import (
    SIZE,
    FreezeProbe,
    Watcher,
    repaint,
    send_click,
    send_key,
    send_text,
    settle,
)
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input, TabbedContent

from epic_tui.app import EpicApp, create_app
from epic_tui.screens.dashboard import DashboardScreen
from epic_tui.screens.login import LoginScreen
from epic_tui.services.catalog import SPECS, Column
from epic_tui.settings import Settings
from epic_tui.widgets import paged_table
from epic_tui.widgets.paged_table import PagedTable

Samples = dict[str, list[float]]
"""Seconds of each repetition, by measure name."""

EVENTS_TABLE = "events-table"
INDEXED_SORTS = ("name", "start_at", "end_at", "location", "attendees", "id")
"""Event columns with an index of their own."""
JOINED_SORTS = ("client", "support_contact")
"""Event columns that come from a joined table."""


@dataclass
class AppBench:
    """Runs the in-process measures of the app for one bench database."""

    settings: Settings
    """The settings of the bench's own sandbox, on the bench database."""

    accounts: BenchAccounts
    repeat: int
    scratch: Path
    """Where each run of the app gets a token file of its own."""

    search_terms: Sequence[str] = ()

    def _fresh_settings(self) -> Settings:
        """The bench settings with a token file no app has used yet."""
        folder = Path(tempfile.mkdtemp(prefix="app-run-", dir=self.scratch))
        return replace(self.settings, token_file=folder / "token.txt")

    def _signed_in_settings(self, email: str) -> Settings:
        """Fresh settings whose token.txt holds a session of ``email``."""
        settings = self._fresh_settings()
        self.accounts.log_in(settings, email)
        return settings

    # Logging in.

    def login(self) -> Samples:
        """Enter on the login form until the dashboard is painted with rows.

        Also the longest the event loop stood still while the password was
        checked, from Enter until the login worker reported back.
        """
        return asyncio.run(self._login())

    async def _login(self) -> Samples:
        samples: Samples = defaultdict(list)
        for _ in range(self.repeat):
            for name, seconds in (await self._login_once()).items():
                samples[name].append(seconds)
        return samples

    async def _login_once(self) -> dict[str, float]:
        async with _running(self._fresh_settings()) as (app, pilot, watcher):
            await watcher.until(
                lambda: app.startup is not None and isinstance(app.screen, LoginScreen)
            )
            await settle(pilot)
            app.screen.query_one("#email", Input).value = self.accounts.manager
            password = app.screen.query_one("#password", Input)
            password.value = self.accounts.password
            password.focus()
            await repaint(pilot)

            probe = FreezeProbe()
            probe.start()
            started = time.perf_counter()
            send_key(app, "enter")
            await watcher.until(lambda: _dashboard_shown(app, watcher))
            await repaint(pilot)
            round_trip = time.perf_counter() - started
            await probe.stop()
            logged_in = watcher.dispatched.get("LoggedIn", time.perf_counter())
            await settle(pilot)
        return {
            "login_round_trip": round_trip,
            "ui_freeze_during_verify": probe.longest_gap(started, logged_in),
        }

    # Browsing the events.

    def browse_events(self) -> tuple[Samples, dict[str, str]]:
        """Page, sort, filter and search the events tab of a manager.

        Returns:
            The samples, and why a measure the table does not offer was not
            taken, by name.
        """
        return asyncio.run(self._browse_events())

    async def _browse_events(self) -> tuple[Samples, dict[str, str]]:
        settings = self._signed_in_settings(self.accounts.manager)
        async with _running(settings) as (app, pilot, watcher):
            await watcher.until(lambda: _dashboard_shown(app, watcher))
            await settle(pilot)
            shown = watcher.pages[EVENTS_TABLE]
            send_key(app, "3")
            await watcher.page_after(EVENTS_TABLE, shown)
            await settle(pilot)
            # The table measures its columns when idle, and nothing tells
            # when that is done: header clicks need the measured widths.
            await pilot.pause(0.3)
            table = app.screen.query_one(f"#{EVENTS_TABLE}", PagedTable)
            browser = _TableBrowser(pilot, watcher, table, self.repeat)
            samples = await self._browse(browser)
        return samples, browser.unavailable

    async def _browse(self, browser: _TableBrowser) -> Samples:
        """Every measure on the events table, each from a known sort."""
        samples: Samples = {"next_page": await browser.next_pages()}
        samples.update(await browser.sorts(INDEXED_SORTS, "sort_change"))
        samples.update(await browser.sorts(JOINED_SORTS, "sort_change_joined"))

        # Filters and search start from the tab's own order, newest first.
        await browser.sort_by("start_at", descending=True)
        samples.update(await browser.filter("upcoming", "indexed_filter"))
        samples.update(await browser.filter("unassigned", "filter_unassigned"))
        samples.update(await browser.searches(self.search_terms))

        # The same filter while another indexed column orders the rows.
        await browser.sort_by("name", descending=False)
        samples.update(await browser.filter("upcoming", "indexed_filter_by_name"))
        return samples

    # Creating a client.

    def create_clients(self) -> Samples:
        """Save a new client from the form until its record is on screen."""
        return asyncio.run(self._create_clients())

    async def _create_clients(self) -> Samples:
        from epic_tui.screens.client_detail import ClientDetailScreen
        from epic_tui.screens.client_form import ClientForm

        settings = self._signed_in_settings(self.accounts.salesperson)
        samples: list[float] = []
        async with _running(settings) as (app, pilot, watcher):
            await watcher.until(lambda: _dashboard_shown(app, watcher))
            await settle(pilot)
            for number in range(self.repeat):
                send_key(app, "a")
                await watcher.until(lambda: isinstance(app.screen, ClientForm))
                await settle(pilot)
                _fill_client_form(app, number)
                await repaint(pilot)

                started = time.perf_counter()
                send_key(app, "ctrl+s")
                await watcher.until(
                    lambda: (
                        isinstance(app.screen, ClientDetailScreen)
                        and app.screen.record is not None
                    )
                )
                await repaint(pilot)
                samples.append(time.perf_counter() - started)

                await settle(pilot)
                send_key(app, "escape")
                await watcher.until(lambda: isinstance(app.screen, DashboardScreen))
                await settle(pilot)
        return {"create": samples}


class _TableBrowser:
    """Times what a person does to one paged table on screen."""

    def __init__(
        self, pilot: Pilot[Any], watcher: Watcher, table: PagedTable, repeat: int
    ) -> None:
        self.pilot = pilot
        self.app = pilot.app
        self.watcher = watcher
        self.table = table
        self.repeat = repeat
        self.unavailable: dict[str, str] = {}
        """Why a measure could not be taken, by name."""
        self.columns = SPECS[(table.id or "").removesuffix("-table")].columns

    async def _timed(self, act: Callable[[], None]) -> float:
        """Seconds from ``act`` until the table's next page is painted."""
        table_id = self.table.id or ""
        shown = self.watcher.pages[table_id]
        started = time.perf_counter()
        act()
        await self.watcher.page_after(table_id, shown)
        await repaint(self.pilot)
        elapsed = time.perf_counter() - started
        await settle(self.pilot)
        return elapsed

    async def next_pages(self) -> list[float]:
        """Press n on the table, page after page."""
        self.table.data_table.focus()
        await settle(self.pilot)
        return [
            await self._timed(partial(send_key, self.app, "n"))
            for _ in range(self.repeat)
        ]

    async def sorts(self, keys: Sequence[str], name: str) -> Samples:
        """Click the headers of ``keys`` in turn; each click sorts anew."""
        offered = _sortable(self.table.data_table, keys, self.columns)
        if not offered:
            self.unavailable[name] = "the table offers no sort by " + ", ".join(keys)
            return {}
        samples = []
        for number in range(self.repeat):
            key = offered[number % len(offered)]
            x, y = _header_offsets(self.table.data_table)[key]
            samples.append(
                await self._timed(
                    partial(send_click, self.app, self.table.data_table, (x, y))
                )
            )
            if self.table.request.sort != key:
                raise RuntimeError(f"a click on the {key} header did not sort by it")
        return {name: samples}

    async def sort_by(self, key: str, *, descending: bool) -> None:
        """Click the header of ``key`` until the rows sort so (not timed)."""
        for _ in range(3):
            request = self.table.request
            if request.sort == key and request.descending == descending:
                return
            x, y = _header_offsets(self.table.data_table)[key]
            await self._timed(
                partial(send_click, self.app, self.table.data_table, (x, y))
            )
        raise RuntimeError(f"clicks on the {key} header did not sort by it")

    async def filter(self, filter_name: str, name: str) -> Samples:
        """Tick a filter of the table (timed), then untick it (not timed)."""
        toggles = [box for box in self.table.query(Checkbox) if box.name == filter_name]
        if not toggles:
            self.unavailable[name] = f"the table offers no {filter_name} filter"
            return {}
        toggle = toggles[0]
        samples = []
        for _ in range(self.repeat):
            click = partial(_click_toggle, self.app, toggle)
            samples.append(await self._timed(click))
            await self._timed(click)
        return {name: samples}

    async def searches(self, terms: Sequence[str]) -> Samples:
        """Type search texts; time the last key until the page is painted.

        The table waits ``SEARCH_DELAY`` seconds of calm after a key before
        it queries; that wait is the table's design, not its cost, and is
        subtracted from each sample.
        """
        boxes = self.table.query(".table-search")
        delay = getattr(paged_table, "SEARCH_DELAY", None)
        if not boxes or not terms or delay is None:
            self.unavailable["search"] = "the table has no search box (yet)"
            return {}
        box = boxes.first(Input)
        samples = []
        for number in range(self.repeat):
            term = terms[number % len(terms)]
            # The box keeps the focus after a search; only go there once.
            if self.app.focused is not box:
                send_key(self.app, "slash")
                await self.watcher.until(lambda: self.app.focused is box)
            send_text(self.app, term[:-1])
            await self.pilot._wait_for_screen()
            samples.append(
                await self._timed(partial(send_key, self.app, term[-1])) - delay
            )
            if self.table.request.search != term:
                raise RuntimeError(f"typing {term!r} did not search for it")
            await self._timed(partial(setattr, box, "value", ""))
        return {"search": samples}


@asynccontextmanager
async def _running(
    settings: Settings,
) -> AsyncIterator[tuple[EpicApp, Pilot[None], Watcher]]:
    """Run the real app on ``settings``, its messages seen by a Watcher."""
    # A new process has no garbage of earlier apps for the collector to sift.
    gc.collect()
    watcher = Watcher(PagedTable.PageShown)
    app = create_app(settings)
    async with app.run_test(size=SIZE, message_hook=watcher.hook) as pilot:
        yield app, pilot, watcher


def _dashboard_shown(app: App[Any], watcher: Watcher) -> bool:
    """True once the dashboard shows its waiting work and its open tab."""
    screen = app.screen
    if not isinstance(screen, DashboardScreen):
        return False
    tabs = screen.query(TabbedContent)
    if not tabs or not tabs.first().active:
        return False
    open_table = tabs.first().active.removeprefix("tab-") + "-table"
    return watcher.pages["waiting-table"] > 0 and watcher.pages[open_table] > 0


def _header_offsets(table: DataTable[Any]) -> dict[str, tuple[int, int]]:
    """Where to click, within the table, the header of each visible column."""
    offsets = {}
    region = table.content_region
    left = region.x - table.region.x
    top = region.y - table.region.y
    for column in table.ordered_columns:
        width = column.get_render_width(table)
        middle = left + width // 2
        if middle < region.width:
            offsets[str(column.key.value)] = (middle, top)
        left += width
    return offsets


def _sortable(
    table: DataTable[Any], keys: Sequence[str], columns: Sequence[Column]
) -> list[str]:
    """Those of ``keys`` whose header is on screen and sorts the list."""
    sortable = {column.key for column in columns if column.sortable}
    visible = _header_offsets(table)
    return [key for key in keys if key in sortable and key in visible]


def _click_toggle(app: App[Any], widget: Checkbox) -> None:
    """Click a checkbox on its box, as a person ticks it."""
    send_click(app, widget, (2, widget.region.height // 2))


def _fill_client_form(app: App[Any], number: int) -> None:
    """Type a new client in the open client form (set at once, not timed)."""
    stamp = f"{time.time_ns() % 10**9}{number}"
    values = {
        "full-name": f"Bench Client {stamp}",
        "email": f"bench.client.{stamp}@client.example",
        "phone": "+33 6 12 34 56 78",
        "company-name": "Bench Events SARL",
    }
    for field_id, value in values.items():
        app.screen.query_one(f"#{field_id}", Input).value = value
