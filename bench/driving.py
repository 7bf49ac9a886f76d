"""Driving a Textual app in-process and knowing when its screen is painted.

Pilot's own ``press``, ``click`` and ``pause`` wait for the process to be
idle, at least 20 ms a step and for as long as any thread keeps the CPU
busy (a row count in a worker, say). That is right for tests and wrong
for a stopwatch. Here keys and clicks are posted the way the terminal
driver posts them, waits end on state the app reaches, and "painted"
means: every pending message handled, then the screen's compositor
rendered, which is where ``Pilot.pause`` itself ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App
from textual.message import Message
from textual.pilot import Pilot
from textual.widget import Widget
from textual.worker import Worker, WorkerCancelled, WorkerFailed

SIZE = (160, 48)
"""The terminal size of every in-process run."""

WAIT_TIMEOUT = 120.0
"""Seconds any wait for the app may take before the bench gives up."""

_RECHECK = 0.05
"""Seconds between checks of a state no message announced."""

_KEY_CHARACTERS = {
    "space": " ",
    "slash": "/",
    "enter": "\r",
    "escape": "\x1b",
    "ctrl+s": "\x13",
}


class Watcher:
    """Sees every message the app dispatches, to wake waits on its state.

    Pass `hook` as ``run_test(message_hook=...)``. Pages shown are counted
    per table id, so "the events table showed a new page" is a number to
    compare; other states are predicates checked after each message.
    """

    def __init__(self, page_shown: type[Message] | None = None) -> None:
        self._page_shown = page_shown
        self._last_page: dict[str, Message] = {}
        self._wakers: list[asyncio.Event] = []
        self.pages: Counter[str] = Counter()
        """How many pages each table (by id) has shown."""
        self.dispatched: dict[str, float] = {}
        """When a message of each class name was last dispatched."""

    def hook(self, message: Message) -> None:
        """Called by Textual for each message a message pump dispatches."""
        self.dispatched[type(message).__name__] = time.perf_counter()
        if self._page_shown is not None and isinstance(message, self._page_shown):
            self._count_page(message)
        for waker in self._wakers:
            waker.set()
        self._wakers.clear()

    def _count_page(self, message: Message) -> None:
        # A bubbling message reaches the hook once per ancestor; count once.
        table: Widget = message.table  # type: ignore[attr-defined]
        table_id = table.id or ""
        if self._last_page.get(table_id) is not message:
            self._last_page[table_id] = message
            self.pages[table_id] += 1

    async def until(
        self, predicate: Callable[[], bool], timeout: float = WAIT_TIMEOUT
    ) -> None:
        """Return once ``predicate`` holds; it is checked after each message.

        Raises:
            TimeoutError: it did not hold within ``timeout`` seconds.
        """
        deadline = time.perf_counter() + timeout
        while not predicate():
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError("the app did not reach the awaited state")
            waker = asyncio.Event()
            self._wakers.append(waker)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waker.wait(), min(_RECHECK, remaining))

    async def page_after(self, table_id: str, shown: int) -> None:
        """Return once table ``table_id`` has shown more than ``shown`` pages."""
        await self.until(lambda: self.pages[table_id] > shown)


async def repaint(pilot: Pilot[Any]) -> None:
    """Handle every pending message, then render the screen now."""
    await pilot._wait_for_screen()
    pilot.app.screen._on_timer_update()


async def settle(pilot: Pilot[Any]) -> None:
    """Let background work finish and its results reach the screen.

    Finishing work may start more (a count after a page), hence the rounds.
    """
    for _ in range(3):
        running = [worker for worker in pilot.app.workers if not worker.is_finished]
        await asyncio.gather(*(_finished(worker) for worker in running))
        await pilot.pause()


async def _finished(worker: Worker[Any]) -> None:
    """Wait for ``worker`` to end, however it ends."""
    with contextlib.suppress(WorkerCancelled, WorkerFailed):
        await worker.wait()


def send_key(app: App[Any], key: str) -> None:
    """Post one key to the app, as the terminal driver would."""
    event = events.Key(key, _KEY_CHARACTERS.get(key))
    event.set_sender(app)
    app.post_message(event)


def send_text(app: App[Any], text: str) -> None:
    """Post the keys that type ``text`` (letters and spaces)."""
    for character in text:
        send_key(app, "space" if character == " " else character)


def send_click(app: App[Any], widget: Widget, offset: tuple[int, int]) -> None:
    """Post a mouse press and release at ``offset`` within ``widget``.

    The app turns the pair into a Click, as it does for a real mouse.
    """
    x, y = widget.region.offset + offset
    for kind in (events.MouseDown, events.MouseUp):
        event = kind(
            widget=None,
            x=x,
            y=y,
            delta_x=0,
            delta_y=0,
            button=1,
            shift=False,
            meta=False,
            ctrl=False,
            screen_x=x,
            screen_y=y,
        )
        event.set_sender(app)
        app.post_message(event)


class FreezeProbe:
    """Measures the longest time the event loop went without running.

    A task wakes every millisecond; a gap between two wake-ups is a time
    during which the UI could neither paint nor take a key.
    """

    def __init__(self) -> None:
        self._wake_ups: list[float] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start waking up."""
        self._wake_ups = [time.perf_counter()]
        self._task = asyncio.create_task(self._tick())

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(0.001)
            self._wake_ups.append(time.perf_counter())

    async def stop(self) -> None:
        """Stop waking up."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def longest_gap(self, start: float, end: float) -> float:
        """The longest gap, in seconds, within the interval from start to end."""
        longest = 0.0
        for before, after in zip(self._wake_ups, self._wake_ups[1:], strict=False):
            overlap = min(after, end) - max(before, start)
            longest = max(longest, overlap)
        return longest
