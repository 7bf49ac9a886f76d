"""One field of a form: its label, its input, and the message beside it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label

from epic_tui.widgets.field_error import FieldError


class FieldRow(Vertical):
    """A labelled input with room for the rule it breaks.

    The row's id is the input's id followed by ``-row``, and its message's
    id the input's id followed by ``-error``, so a form finds both from
    the name of a field.
    """

    def __init__(self, label: str, control: Widget, *, classes: str = "") -> None:
        """Wrap ``control``, which must have an id, under ``label``."""
        if control.id is None:
            raise ValueError("a form field needs an id")
        super().__init__(id=f"{control.id}-row", classes=f"field-row {classes}")
        self._label = label
        self._control = control

    @property
    def control(self) -> Widget:
        """The input of this field."""
        return self._control

    def compose(self) -> ComposeResult:
        yield Label(self._label, classes="field-label", markup=False)
        yield self._control
        yield FieldError(id=f"{self._control.id}-error")

    def show_error(self, message: str) -> None:
        """Show the rule the value breaks, or nothing when ``message`` is empty."""
        self.query_one(FieldError).show(message)
        self.set_class(bool(message), "-invalid")
