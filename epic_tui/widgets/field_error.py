"""The message shown beside a form field that breaks a rule."""

from __future__ import annotations

from textual.widgets import Static


class FieldError(Static):
    """Takes no room until there is something to say."""

    DEFAULT_CLASSES = "field-error"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.display = False

    def show(self, message: str) -> None:
        """Show ``message``, or hide the widget when it is empty."""
        self.update(message)
        self.display = bool(message)
