"""How the cells of record lists read: plain text, never markup."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from epic_tui.formatting import cell

FULLY_PAID = "Fully paid"
NO_SUPPORT = "No support yet"


def record_cell(row: Any, key: str) -> Text:
    """The cell of one row (a list row or a detail) under the column ``key``.

    User text becomes a ``Text`` as it is, so a name with square brackets
    is shown as typed and never read as markup.
    """
    if key == "amount_due" and getattr(row, "fully_paid", False):
        return Text(FULLY_PAID, style="bold")
    if key == "support_contact" and not getattr(row, key):
        return Text(NO_SUPPORT, style="italic")
    return Text(cell(getattr(row, key)))
