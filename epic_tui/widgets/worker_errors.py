"""Unexpected failures of background work, reported instead of lost."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from epic_tui.app import EpicApp


class ReportsWorkerErrors:
    """Mixin for screens and widgets that run thread workers.

    Textual does not bubble a worker's state changes, so a worker that
    fails with an error nobody expected would otherwise fail silently.
    Expected errors (``EpicError``) are handled inside the workers.
    """

    app: EpicApp

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Hand an unexpected failure to the App, which logs and shows it."""
        if event.state is WorkerState.ERROR:
            self.app.report_worker_error(event.worker)
