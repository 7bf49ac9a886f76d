"""A field for the number of a record, which says what that record is."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from epic_tui.widgets.field_row import FieldRow
from epic_tui.widgets.worker_errors import ReportsWorkerErrors

Describe = Callable[[str], Text]
"""Says what the typed number names; called in a worker thread."""

LOOKUP_DELAY = 0.3
"""Seconds of calm after typing before the record is looked up."""


class RecordLookup(ReportsWorkerErrors, FieldRow):  # type: ignore[misc]
    """An input for a record's number, with the record's name below it.

    A client among a hundred thousand is chosen by its number, as shown in
    the lists; the line below the input names the client as soon as the
    typing stops, so a wrong number is seen before saving.
    """

    def __init__(
        self, label: str, control: Input, describe: Describe, *, classes: str = ""
    ) -> None:
        """Wrap ``control``; ``describe`` turns its text into a description."""
        super().__init__(label, control, classes=classes)
        self._describe = describe
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static("", classes="lookup", markup=False)

    def on_mount(self) -> None:
        self._look_up()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(LOOKUP_DELAY, self._look_up)

    def _look_up(self) -> None:
        text = self.query_one(Input).value
        if not text.strip():
            self._show(Text(""))
            return
        self._fetch(text)

    @work(thread=True, exclusive=True, group="lookup", exit_on_error=False)
    def _fetch(self, text: str) -> None:
        description = self._describe(text)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, description)

    def _show(self, description: Text) -> None:
        if self.is_attached:
            self.query_one(".lookup", Static).update(description)
