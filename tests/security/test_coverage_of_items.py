"""Every promise of SECURITY.md is proved by at least one named test."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ITEMS = [
    *(f"A{n}" for n in range(1, 9)),
    *(f"B{n}" for n in range(9, 13)),
    *(f"C{n}" for n in range(13, 16)),
    *(f"D{n}" for n in range(16, 21)),
    *(f"E{n}" for n in range(21, 24)),
    *(f"F{n}" for n in range(24, 29)),
]
TESTS = Path(__file__).resolve().parent.parent


def named_items() -> set[str]:
    """Item ids (A1, F26, ...) named in the docstring of some test."""
    found: set[str] = set()
    for path in TESTS.rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and (
                node.name.startswith("test_")
            ):
                docstring = ast.get_docstring(node) or ""
                found.update(re.findall(r"\b[A-F]\d{1,2}\b", docstring))
    return found


def test_every_security_item_has_a_test_naming_it() -> None:
    missing = [item for item in ITEMS if item not in named_items()]
    assert missing == []
