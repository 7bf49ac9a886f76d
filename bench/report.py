"""The bench's output: one line per measure, then each target of PERF.md.

Measures print as they are taken, ``name value unit``. Targets print at
the end, as a ratio to the floors of the same run or as a limit, each
followed by ``ok`` or ``FAIL`` (or ``n/a`` when a figure is missing).
"""

from __future__ import annotations

import math
import statistics
import sys
from collections.abc import Sequence
from typing import TextIO


def median_ms(samples: Sequence[float]) -> float:
    """The median of samples in seconds, in milliseconds."""
    return statistics.median(samples) * 1000


def p95_ms(samples: Sequence[float]) -> float:
    """The 95th percentile (nearest rank) of samples in seconds, in ms."""
    ordered = sorted(samples)
    rank = math.ceil(0.95 * len(ordered))
    return ordered[max(rank, 1) - 1] * 1000


def _number(value: float) -> str:
    """Three significant digits or so, without noise."""
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


class Report:
    """Collects and prints the measures and the verdicts on them."""

    def __init__(self, out: TextIO = sys.stdout) -> None:
        self._out = out
        self._values: dict[str, float] = {}
        self._notes: list[str] = []
        self.verdicts: dict[str, int] = {"ok": 0, "FAIL": 0, "n/a": 0}
        """How many targets passed, failed or could not be judged."""

    def _print(self, line: str) -> None:
        print(line, file=self._out, flush=True)

    # Measures.

    def add(self, name: str, value: float, unit: str) -> None:
        """Record and print one measure."""
        self._values[name] = value
        self._print(f"{name} {_number(value)} {unit}")

    def missing(self, name: str, word: str, why: str) -> None:
        """Print a measure that has no value (``n/a``, ``reused``), and why."""
        self._print(f"{name} {word}")
        self.note(f"{name}: {why}")

    def note(self, text: str) -> None:
        """Keep a remark for the notes printed before the targets."""
        self._notes.append(text)

    def value(self, name: str) -> float | None:
        """A measure taken this run, or None."""
        return self._values.get(name)

    # Targets.

    def section(self, title: str) -> None:
        """Print the notes kept so far, then a heading."""
        if self._notes:
            self._print("")
            for text in self._notes:
                self._print(f"# {text}")
            self._notes.clear()
        self._print("")
        self._print(f"# {title}")

    def ratio(
        self, name: str, floor_label: str, floor: float | None, limit: float
    ) -> None:
        """Judge ``name / floor <= limit`` and print it."""
        value = self.value(name)
        label = f"ratio {name}/{floor_label}"
        if value is None or floor is None or floor <= 0:
            self._verdict(f"{label} n/a (target <= {limit:g})", "n/a")
            return
        ratio = value / floor
        verdict = "ok" if ratio <= limit else "FAIL"
        self._verdict(f"{label} {ratio:.2f} (target <= {limit:g}) {verdict}", verdict)

    def limit(
        self, name: str, value: float | None, limit: float, unit: str, why: str = ""
    ) -> None:
        """Judge ``value <= limit`` (an absolute target) and print it."""
        detail = f"target <= {_number(limit)} {unit}" + (f"; {why}" if why else "")
        if value is None:
            self._verdict(f"limit {name} n/a ({detail})", "n/a")
            return
        verdict = "ok" if value <= limit else "FAIL"
        self._verdict(
            f"limit {name} {_number(value)} {unit} ({detail}) {verdict}", verdict
        )

    def _verdict(self, line: str, verdict: str) -> None:
        self.verdicts[verdict] += 1
        self._print(line)

    def summary(self, title: str) -> None:
        """Print how many targets passed and failed since the last summary."""
        counts = ", ".join(f"{count} {word}" for word, count in self.verdicts.items())
        self._print(f"# {title}: {counts}")
        self.verdicts = dict.fromkeys(self.verdicts, 0)
