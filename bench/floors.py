"""The in-process floors: what Textual, argon2 and SQLite cost at best.

F_ui is the time a bare DataTable takes to show a fresh page of 100 rows,
F_verify one argon2id verification with the app's parameters, F_sql the
first page of 50 events by an index. The app's figures are ratios to them.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable

from driving import SIZE, repaint
from sqlalchemy import select
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from epic_tui.models import Event
from epic_tui.services.database import create_database_engine
from epic_tui.services.passwords import PasswordHasher

ROWS = 100
COLUMNS = ("#", "Event", "Client", "Starts", "Ends", "Support", "Location", "Guests")


def _samples(repeat: int, once: Callable[[], object]) -> list[float]:
    """Seconds of ``repeat`` calls of ``once``, after one call to warm up."""
    once()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        once()
        samples.append(time.perf_counter() - started)
    return samples


class TableFloorApp(App[None]):
    """A screen with one DataTable of eight columns."""

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*COLUMNS)


def _page_of_rows(number: int) -> list[tuple[str, ...]]:
    """100 rows that look like a page of events, different for each page."""
    return [
        (
            str(number * ROWS + index),
            f"Annual gala {2020 + index % 6} (Dupont et Fils {number})",
            f"Camille Durand {index}",
            f"2026-{1 + index % 12:02d}-{1 + index % 28:02d} 18:30",
            f"2026-{1 + index % 12:02d}-{1 + index % 28:02d} 23:45",
            "Sue Porter" if index % 3 else "—",
            f"{index} rue de la Paix, Paris",
            str(index * 7 % 500),
        )
        for index in range(ROWS)
    ]


async def _ui_samples(repeat: int) -> list[float]:
    app = TableFloorApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(DataTable)
        await pilot.pause()
        samples = []
        # The first page warms up styles and caches, as the app's first does.
        for number in range(repeat + 1):
            rows = _page_of_rows(number)
            started = time.perf_counter()
            table.clear()
            table.add_rows(rows)
            await repaint(pilot)
            samples.append(time.perf_counter() - started)
        return samples[1:]


def ui_samples(repeat: int) -> list[float]:
    """F_ui: clear a DataTable, add 100 rows of 8 columns, repaint 160x48."""
    return asyncio.run(_ui_samples(repeat))


def verify_samples(repeat: int) -> list[float]:
    """F_verify: one argon2id verification with the app's default parameters."""
    hasher = PasswordHasher()
    password = secrets.token_urlsafe(24)
    stored = hasher.hash(password)
    return _samples(repeat, lambda: hasher.verify(password, stored))


def sql_samples(database_url: str, repeat: int) -> list[float]:
    """F_sql: the first 50 events by start, with raw SQLAlchemy Core."""
    engine = create_database_engine(database_url)
    events = Event.__table__
    query = select(events).order_by(events.c.start_at, events.c.id).limit(50)
    try:
        with engine.connect() as connection:
            return _samples(repeat, lambda: connection.execute(query).all())
    finally:
        engine.dispose()
