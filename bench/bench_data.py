"""The bench databases: built once per size with the real commands, then reused.

A database is built by ``epic-tui db upgrade`` and ``epic-tui seed``, as an
operator would, and a marker file written after the seed finished says it
is complete. A database without its marker is half-built: it is deleted
and built again.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from isolation import Sandbox

import epic_tui

EMPLOYEES_PER_DEPARTMENT = 3
"""Seeded employees of each department, as ``epic-tui seed`` makes by default."""

DEPARTMENTS = 3
"""Sales, support and management."""

RANDOM_SEED = 20240601
"""The same rows at every build of a size."""

EPIC_TUI = Path(sys.executable).with_name("epic-tui")
"""The console script of the venv the bench runs in."""

MIGRATIONS = Path(epic_tui.__file__).parent / "migrations" / "versions"
"""The schema migration scripts of the app under test."""


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind a bench database holds."""

    events: int
    clients: int
    contracts: int

    @classmethod
    def for_events(cls, events: int) -> Sizes:
        """The proportions of PERF.md: a tenth as many clients, a fifth contracts."""
        return cls(events, max(1, events // 10), max(1, events // 5))

    @property
    def rows(self) -> int:
        """Every seeded row, employees included."""
        staff = EMPLOYEES_PER_DEPARTMENT * DEPARTMENTS
        return self.events + self.clients + self.contracts + staff

    def file_name(self) -> str:
        """``epic-<events>.db``, with the other sizes when they are not the usual."""
        if self == Sizes.for_events(self.events):
            return f"epic-{self.events}.db"
        return f"epic-{self.events}-{self.clients}c-{self.contracts}k.db"


@dataclass(frozen=True)
class BenchDatabase:
    """A complete bench database and how long its seeding took."""

    path: Path
    sizes: Sizes
    seed_seconds: float
    """Seconds ``epic-tui seed`` took, this run or when it was built."""
    built_now: bool
    """False when a complete database of this size was reused."""

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the database."""
        return f"sqlite:///{self.path}"


def ensure_database(data_dir: Path, sizes: Sizes, scratch: Path) -> BenchDatabase:
    """Reuse the complete database of ``sizes``, or build it now.

    Args:
        data_dir: Where bench databases are kept between runs.
        sizes: The rows wanted.
        scratch: A temporary folder for the seeding commands' sandbox.
    """
    path = data_dir / sizes.file_name()
    recorded = _read_marker(path, sizes)
    if recorded is not None:
        return BenchDatabase(path, sizes, recorded, built_now=False)
    data_dir.mkdir(parents=True, exist_ok=True)
    _remove(path)
    seconds = _build(path, sizes, scratch)
    _write_marker(path, sizes, seconds)
    return BenchDatabase(path, sizes, seconds, built_now=True)


def schema_fingerprint() -> str:
    """A digest of the migration scripts the database was built with.

    Seeding speed and query plans both depend on the schema (indexes,
    search triggers), so a database built under other migrations is not
    reused: it is built again.
    """
    digest = hashlib.sha256()
    for script in sorted(MIGRATIONS.glob("*.py")):
        digest.update(script.name.encode())
        digest.update(script.read_bytes())
    return digest.hexdigest()[:16]


def _marker(path: Path) -> Path:
    return path.with_name(path.name + ".complete")


def _read_marker(path: Path, sizes: Sizes) -> float | None:
    """The recorded seeding time when ``path`` is complete, else None."""
    try:
        marker = json.loads(_marker(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not path.exists()
        or marker.get("sizes") != asdict(sizes)
        or marker.get("schema") != schema_fingerprint()
    ):
        return None
    return float(marker["seed_seconds"])


def _write_marker(path: Path, sizes: Sizes, seconds: float) -> None:
    marker = {
        "sizes": asdict(sizes),
        "schema": schema_fingerprint(),
        "seed_seconds": round(seconds, 2),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    partial = _marker(path).with_suffix(".partial")
    partial.write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    partial.replace(_marker(path))


def _remove(path: Path) -> None:
    """Delete a half-built database, its WAL files and its marker."""
    for suffix in ("", "-wal", "-shm", "-journal", ".complete"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _build(path: Path, sizes: Sizes, scratch: Path) -> float:
    """Migrate and seed a new database; return the seconds the seed took."""
    sandbox = Sandbox.create(scratch, f"sqlite:///{path}")
    _epic_tui(sandbox, "db", "upgrade")
    started = time.perf_counter()
    _epic_tui(
        sandbox,
        "seed",
        "--employees-per-department",
        str(EMPLOYEES_PER_DEPARTMENT),
        "--clients",
        str(sizes.clients),
        "--contracts",
        str(sizes.contracts),
        "--events",
        str(sizes.events),
        "--random-seed",
        str(RANDOM_SEED),
    )
    seconds = time.perf_counter() - started
    # Fold the WAL into the file, so every run starts from the same state.
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return seconds


def _epic_tui(sandbox: Sandbox, *arguments: str) -> None:
    """Run one administrative command; raise with its message if it fails."""
    done = subprocess.run(
        [str(EPIC_TUI), *arguments],
        env=sandbox.environ(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"epic-tui {' '.join(arguments)} failed: {done.stderr.strip()}"
        )


def search_terms(path: Path) -> tuple[str, ...]:
    """Search texts taken from the data: common, rarer, rare and absent.

    Each has ASCII letters and spaces only, so that it can be typed key by
    key: a kind of event, a word of a location, a client's full name, a
    company's name, and a text found nowhere.
    """
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        location = _middle_value(connection, "events", "location", typable=False)
        client = _middle_value(connection, "clients", "full_name")
        company = _middle_value(connection, "clients", "company_name")
    words = [word for word in location.split() if _TYPABLE.fullmatch(word)]
    word = max(words, key=len, default="")
    found = ("gala", word, client, company)
    return (*(term for term in found if len(term) >= 3), "zqxw")


_TYPABLE = re.compile(r"[A-Za-z ]+")


def _middle_value(
    connection: sqlite3.Connection, table: str, column: str, *, typable: bool = True
) -> str:
    """A value of ``column`` from the middle of ``table``.

    With ``typable``, the first from there made of ASCII letters and spaces.
    """
    # The table and column names are the bench's own, never typed by anyone.
    only_letters = f"AND {column} NOT GLOB '*[^A-Za-z ]*' " if typable else ""
    row = connection.execute(
        f"SELECT {column} FROM {table} "
        f"WHERE id >= (SELECT max(id) / 2 FROM {table}) "
        f"{only_letters}ORDER BY id LIMIT 1"
    ).fetchone()
    return str(row[0]).strip() if row else ""
