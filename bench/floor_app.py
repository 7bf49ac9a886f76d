"""The floor of start-up: a bare Textual app with a two-field login form.

Run as ``python bench/floor_app.py`` for F_tx, and with ``--with-imports``
for F_tx+, which first imports what the CRM's services need (SQLAlchemy,
PyJWT and passlib), as an app that loads everything up front would.
"""

from __future__ import annotations

import sys

# The libraries go in before Textual, as they would in an app that imports
# its services at the top.
if __name__ == "__main__" and "--with-imports" in sys.argv:
    import jwt  # noqa: F401
    import passlib.context  # noqa: F401
    import sqlalchemy  # noqa: F401

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, Static

SUBTITLE = "Log in to continue"
"""The text the bench waits for; the CRM's login screen says it too."""


class FloorApp(App[None]):
    """Two inputs and a button, centred, and nothing else."""

    CSS = """
    Screen { align: center middle; }
    #login-form { width: 60; height: auto; border: round $primary; padding: 1 2; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="login-form"):
            yield Static("Epic Events")
            yield Static(SUBTITLE)
            yield Label("Email")
            yield Input(placeholder="name@company.com", id="email")
            yield Label("Password")
            yield Input(password=True, id="password")
            yield Button("Log in", id="login", variant="primary")


if __name__ == "__main__":
    FloorApp().run()
