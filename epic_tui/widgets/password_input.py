"""An input for passwords: masked, pasteable, never copied out."""

from __future__ import annotations

from textual.widgets import Input


class PasswordInput(Input):
    """A masked Input whose content never reaches the clipboard.

    Pasting into it works as in any input; copy and cut do nothing, so a
    password cannot leak into the clipboard history.
    """

    ALLOW_SELECT = False

    def __init__(self, *, placeholder: str = "Password", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, password=True, id=id)

    def action_copy(self) -> None:
        """Refuse to copy a password."""
        self.notify("Passwords cannot be copied.", severity="warning")

    def action_cut(self) -> None:
        """Refuse to cut a password."""
        self.notify("Passwords cannot be cut.", severity="warning")
