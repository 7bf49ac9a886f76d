"""Measures on a pseudo-terminal: start-up and memory of real processes.

Every process is new, in a sandbox of its own, and timed from just before
its fork until the expected text is on its screen. The floors and the app
are measured in turns, round after round, so that a slow moment of a
shared machine costs both alike.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from accounts import BenchAccounts
from bench_data import EPIC_TUI
from isolation import Sandbox
from pty_timer import PtyProgram, time_until

Timings = dict[str, float]
"""Seconds until each awaited moment of one run, by measure name."""

FLOOR_APP = Path(__file__).with_name("floor_app.py")
LOGIN_TEXT = "Log in to continue"
"""What the login screen and the floor app both say."""
ROWS_TEXT = r"Page 1 · \d+ rows?"
"""The status line of a dashboard table once it shows rows."""
WAITING_TEXT = r"Page 1 · \d+ rows?(?: of [\d,]+)? · by starts, ascending"
"""The manager's waiting work, upcoming events without support, with rows."""
CLIENTS_TEXT = r"Page 1 · \d+ rows?(?: of [\d,]+)? · by client, ascending"
"""The first tab of the dashboard, the clients, with rows."""
EVENTS_PAGE_TEXT = r"Page {number} · \d+ rows?(?: of [\d,]+)? · by starts, descending"
"""The status line of the events tab (the waiting work sorts ascending)."""


@dataclass
class StartBench:
    """The start-up and memory measures on one bench database."""

    database_url: str
    accounts: BenchAccounts
    scratch: Path

    def _sandbox(self, database_url: str | None = None) -> Sandbox:
        return Sandbox.create(self.scratch, database_url or self.database_url)

    def floor(self, name: str, *flags: str) -> Timings:
        """F_tx (no flag) or F_tx+ (``--with-imports``), one run."""
        argv = [sys.executable, str(FLOOR_APP), *flags]
        return {name: time_until(argv, self._sandbox().environ(), LOGIN_TEXT)}

    def start_to_login(self) -> Timings:
        """``epic-tui`` without a token, until the login form shows."""
        environ = self._sandbox().environ()
        return {"app_start_login": time_until([str(EPIC_TUI)], environ, LOGIN_TEXT)}

    def start_to_dashboard(self) -> Timings:
        """``epic-tui`` with a valid token.txt, until the dashboard shows rows.

        The dashboard is complete once both its lists have rows: the
        waiting work and the open tab. When the first of them showed is
        kept too.
        """
        sandbox = self._signed_in_sandbox(self.database_url)
        with PtyProgram([str(EPIC_TUI)], sandbox.environ()) as program:
            first = program.wait_for(ROWS_TEXT)
            # Both may be there already; then this is the moment it is seen.
            program.wait_for(WAITING_TEXT)
            complete = program.wait_for(CLIENTS_TEXT)
        return {"app_start_dashboard": complete, "app_start_first_rows": first}

    def _signed_in_sandbox(self, database_url: str) -> Sandbox:
        """A sandbox whose token.txt holds a manager's fresh session."""
        sandbox = self._sandbox(database_url)
        self.accounts.log_in(sandbox.settings(), self.accounts.manager)
        return sandbox

    def rounds(self, repeat: int) -> dict[str, list[float]]:
        """Each start-up measure ``repeat`` times, in turns, after a warm-up."""
        runs: list[Callable[[], Timings]] = [
            partial(self.floor, "F_tx"),
            partial(self.floor, "F_tx+", "--with-imports"),
            self.start_to_login,
            self.start_to_dashboard,
        ]
        samples: dict[str, list[float]] = defaultdict(list)
        # The first round compiles bytecode and fills the page cache.
        for number in range(repeat + 1):
            for run in runs:
                for name, seconds in run().items():
                    if number:
                        samples[name].append(seconds)
        return samples

    def browsing_memory(self, database_url: str, pages: int = 20) -> float:
        """Resident megabytes of ``epic-tui`` after paging the events 20 times."""
        sandbox = self._signed_in_sandbox(database_url)
        with PtyProgram([str(EPIC_TUI)], sandbox.environ()) as program:
            program.wait_for(ROWS_TEXT)
            mark = program.mark()
            program.send("3")
            program.wait_for(EVENTS_PAGE_TEXT.format(number=1), since=mark)
            for number in range(2, pages + 2):
                mark = program.mark()
                program.send("n")
                program.wait_for(EVENTS_PAGE_TEXT.format(number=number), since=mark)
            return program.resident_mb()
