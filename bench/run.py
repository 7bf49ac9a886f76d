"""Measure epic-tui against the floors and targets of PERF.md.

    python bench/run.py [--events N] [--clients N] [--contracts N]
                        [--repeat K] [--small N] [--data-dir PATH] [--quick]

Builds (or reuses) a database of the asked size, measures the floors and
the app's figures in one run, on a pseudo-terminal and in-process, prints
one line per measure (``name value unit``), then each target of PERF.md
with ``ok`` or ``FAIL``. A benchmark, not a test: failing targets still
exit 0; only a bench that could not measure exits 1.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path
from typing import Any, TypeVar

from accounts import BenchAccounts
from app_measures import AppBench, Samples
from bench_data import BenchDatabase, Sizes, ensure_database, search_terms
from floors import sql_samples, ui_samples, verify_samples
from isolation import Sandbox
from report import Report, median_ms, p95_ms
from start_measures import StartBench

Result = TypeVar("Result")

DATA_DIR = Path(__file__).with_name("data")
QUICK_EVENTS = 20_000
QUICK_REPEAT = 3
SQL_REPEAT = 20
"""F_sql takes at least this many samples: one is well under a millisecond."""
FRAME_MS = 1000 / 60
"""One frame at Textual's default 60 frames a second."""
SEED_SECONDS_PER_MILLION = 180.0
MEMORY_LIMIT_MB = 150.0
MEMORY_FLATNESS = 1.15
"""How much more memory the big database may take than the small one."""


@dataclass(frozen=True)
class Options:
    """What the bench was asked to do."""

    sizes: Sizes
    small: Sizes
    repeat: int
    data_dir: Path


def parse_options(argv: Sequence[str] | None = None) -> Options:
    """Read the command line; sizes not given follow PERF.md's proportions."""
    parser = argparse.ArgumentParser(
        prog="bench/run.py", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--events", type=_positive, default=None)
    parser.add_argument("--clients", type=_positive, default=None)
    parser.add_argument("--contracts", type=_positive, default=None)
    parser.add_argument("--repeat", type=_positive, default=None)
    parser.add_argument("--small", type=_positive, default=10_000)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a smoke run: --events {QUICK_EVENTS} --repeat {QUICK_REPEAT}",
    )
    arguments = parser.parse_args(argv)
    events = arguments.events or (QUICK_EVENTS if arguments.quick else 1_000_000)
    usual = Sizes.for_events(events)
    sizes = Sizes(
        events,
        arguments.clients or usual.clients,
        arguments.contracts or usual.contracts,
    )
    repeat = arguments.repeat or (QUICK_REPEAT if arguments.quick else 5)
    return Options(
        sizes, Sizes.for_events(arguments.small), repeat, arguments.data_dir.resolve()
    )


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def in_fresh_process(function: Callable[..., Result], *arguments: Any) -> Result:
    """Call ``function`` in a new interpreter and return what it returns.

    Each group of in-process measures gets a process of its own, as the
    app does: caches and garbage left by earlier apps would slow it down.
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *arguments).result()


def progress(text: str) -> None:
    """Tell the person waiting what is going on (on stderr)."""
    print(f"[bench] {text}", file=sys.stderr, flush=True)


class Bench:
    """One run: databases, accounts, then every measure and target."""

    def __init__(self, options: Options, scratch: Path, report: Report) -> None:
        self.options = options
        self.scratch = scratch
        self.report = report
        self.accounts = BenchAccounts.draw()
        self.failed: list[str] = []
        self.unavailable: dict[str, str] = {}
        """Why a measure the app does not offer was not taken, by name."""
        self.big: BenchDatabase
        self.small: BenchDatabase
        self.search_terms: tuple[str, ...] = ()

    def run(self) -> None:
        """Measure everything, print the targets."""
        self.prepare()
        self.attempt("start-up on a pty", self.measure_starts)
        self.attempt("memory on a pty", self.measure_memory)
        self.attempt("in-process floors", self.measure_floors)
        self.attempt("login", self.measure_login)
        self.attempt("browsing the events", self.measure_browsing)
        self.attempt("creating clients", self.measure_create)
        print_targets(self.report, self.options, self.big)

    def attempt(self, what: str, measure: Callable[[], None]) -> None:
        """Run one group of measures; a failure is reported, the rest goes on."""
        progress(f"measuring {what}")
        try:
            measure()
        except Exception:
            traceback.print_exc()
            self.failed.append(what)
            self.report.note(f"{what} could not be measured; see stderr")

    # Set-up.

    def prepare(self) -> None:
        """Build or reuse the databases, then add this run's accounts."""
        self.big = self._database(self.options.sizes)
        self.small = self._database(self.options.small)
        self._report_seeding(self.big)
        self.search_terms = search_terms(self.big.path)
        # The bench process gets a sandbox of its own, on the big database.
        Sandbox.create(self.scratch, self.big.url).enter()
        for database in {self.big.path: self.big, self.small.path: self.small}.values():
            sandbox = Sandbox.create(self.scratch, database.url)
            self.accounts.create_in(sandbox.settings())

    def _database(self, sizes: Sizes) -> BenchDatabase:
        progress(f"database {sizes.file_name()}: reusing or building")
        database = ensure_database(self.options.data_dir, sizes, self.scratch)
        state = "built" if database.built_now else "reused"
        progress(f"database {database.path.name} {state}")
        return database

    def _report_seeding(self, database: BenchDatabase) -> None:
        if database.built_now:
            self.report.add("seed_seconds", database.seed_seconds, "s")
            rate = database.sizes.rows / database.seed_seconds
            self.report.add("seed_rate", rate, "rows/s")
        else:
            self.report.missing(
                "seed_seconds",
                "reused",
                f"{database.path.name} was complete; it took "
                f"{database.seed_seconds:.1f} s to seed when it was built",
            )

    # Measures.

    def _starts(self) -> StartBench:
        return StartBench(self.big.url, self.accounts, self.scratch)

    def measure_starts(self) -> None:
        """F_tx, F_tx+, start to login and start to dashboard, on a pty."""
        samples = self._starts().rounds(self.options.repeat)
        for name in (
            "F_tx",
            "F_tx+",
            "app_start_login",
            "app_start_dashboard",
            "app_start_first_rows",
        ):
            self.report.add(name, median_ms(samples[name]), "ms")
        self.report.note(
            "app_start_dashboard: until both the waiting work and the open tab "
            "show rows; app_start_first_rows: until the first of them does"
        )

    def measure_memory(self) -> None:
        """Resident memory while browsing, at the small and the big size."""
        starts = self._starts()
        for database in (self.small, self.big):
            megabytes = starts.browsing_memory(database.url)
            name = f"rss_browsing_{database.sizes.events}"
            self.report.add(name, megabytes, "MB")
        self.report.note(
            "rss_browsing_N: VmRSS of epic-tui on a pty, logged in as a manager, "
            "after 20 pages of the events tab, on the database of N events"
        )

    def measure_floors(self) -> None:
        """F_ui, F_verify and F_sql."""
        repeat = self.options.repeat
        ui = in_fresh_process(ui_samples, repeat)
        self.report.add("F_ui", median_ms(ui), "ms")
        verify = in_fresh_process(verify_samples, repeat)
        self.report.add("F_verify", median_ms(verify), "ms")
        sql = in_fresh_process(sql_samples, self.big.url, max(repeat, SQL_REPEAT))
        self.report.add("F_sql", median_ms(sql), "ms")
        self.report.note(
            f"F_sql: median of {len(sql)} runs, as one is well under a millisecond"
        )

    def _app(self) -> AppBench:
        from epic_tui.settings import load_settings

        return AppBench(
            settings=load_settings(),
            accounts=self.accounts,
            repeat=self.options.repeat,
            scratch=self.scratch,
            search_terms=self.search_terms,
        )

    def measure_login(self) -> None:
        """Enter on the login form until the dashboard shows rows."""
        samples = in_fresh_process(self._app().login)
        self._add_medians(samples, ("login_round_trip",))
        freeze = max(samples["ui_freeze_during_verify"]) * 1000
        self.report.add("ui_freeze_during_verify", freeze, "ms")
        self.report.note(
            "login_round_trip: Enter until both the waiting work and the open "
            "tab are painted with rows"
        )
        each = ", ".join(
            f"{seconds * 1000:.1f}" for seconds in samples["ui_freeze_during_verify"]
        )
        self.report.note(
            "ui_freeze_during_verify: the longest the event loop stood still "
            f"from Enter until the login worker reported, worst of all logins "
            f"(each, ms: {each})"
        )

    def measure_browsing(self) -> None:
        """Next page, sorts, filters and search on the events tab."""
        samples, unavailable = in_fresh_process(self._app().browse_events)
        self.unavailable.update(unavailable)
        self._add_medians(
            samples,
            (
                "next_page",
                "sort_change",
                "indexed_filter",
                "sort_change_joined",
                "filter_unassigned",
                "indexed_filter_by_name",
            ),
        )
        self._add_search(samples)
        self.report.note(
            "sort_change: header clicks on event columns with their own index; "
            "sort_change_joined: on Client and Support contact (joined tables)"
        )
        self.report.note(
            "indexed_filter: the Upcoming filter (start_at >= now) on the tab's "
            "order (by starts, descending); filter_unassigned: Without support "
            "(support_contact_id IS NULL); indexed_filter_by_name: Upcoming "
            "while the events are sorted by name"
        )

    def _add_search(self, samples: Samples) -> None:
        if "search" not in samples:
            why = self.unavailable.get("search", "not measured")
            self.report.missing("search", "n/a", why)
            return
        from epic_tui.widgets.paged_table import SEARCH_DELAY

        self.report.add("search", p95_ms(samples["search"]), "ms")
        self.report.note(
            f"search: p95 of {len(samples['search'])} searches of the events, "
            "last keystroke to page painted, the table's debounce of "
            f"{SEARCH_DELAY * 1000:.0f} ms subtracted; texts searched in turn: "
            + ", ".join(repr(term) for term in self.search_terms)
        )
        each = zip(cycle(self.search_terms), samples["search"], strict=False)
        self.report.note(
            "search, each: "
            + ", ".join(f"{term!r} {seconds * 1000:.0f} ms" for term, seconds in each)
        )

    def measure_create(self) -> None:
        """A client saved from the form until its record is on screen."""
        samples = in_fresh_process(self._app().create_clients)
        self._add_medians(samples, ("create",))

    def _add_medians(self, samples: Samples, names: Sequence[str]) -> None:
        for name in names:
            if samples.get(name):
                self.report.add(name, median_ms(samples[name]), "ms")
            else:
                why = self.unavailable.get(name, "not measured")
                self.report.missing(name, "n/a", why)


def print_targets(report: Report, options: Options, big: BenchDatabase) -> None:
    """Each target of PERF.md's table, judged on this run's figures."""
    value = report.value
    ui = value("F_ui")
    verify = value("F_verify")
    report.section("targets (PERF.md), as ratios to this run's floors")
    report.ratio("app_start_login", "F_tx", value("F_tx"), 1.5)
    report.ratio("app_start_dashboard", "F_tx+", value("F_tx+"), 2)
    login_budget = None if ui is None or verify is None else verify + 1.5 * ui
    report.ratio("login_round_trip", "(F_verify+1.5*F_ui)", login_budget, 1)
    for name in ("next_page", "sort_change", "indexed_filter"):
        report.ratio(name, "F_ui", ui, 1.7)
    report.ratio("search", "F_ui", ui, 2)
    report.ratio("create", "F_ui", ui, 2)
    _memory_targets(report, options)
    _seeding_target(report, big)
    report.limit(
        "ui_freeze_during_verify",
        value("ui_freeze_during_verify"),
        FRAME_MS,
        "ms",
        "one frame",
    )
    report.summary("PERF.md targets")

    report.section("beyond PERF.md's table: first rows, other sorts and filters")
    report.ratio("app_start_first_rows", "F_tx+", value("F_tx+"), 2)
    for name in ("sort_change_joined", "filter_unassigned", "indexed_filter_by_name"):
        report.ratio(name, "F_ui", ui, 1.7)
    report.summary("other targets")


def _memory_targets(report: Report, options: Options) -> None:
    big = f"rss_browsing_{options.sizes.events}"
    small = f"rss_browsing_{options.small.events}"
    for name in dict.fromkeys((small, big)):
        report.limit(name, report.value(name), MEMORY_LIMIT_MB, "MB")
    report.ratio(big, small, report.value(small), MEMORY_FLATNESS)


def _seeding_target(report: Report, big: BenchDatabase) -> None:
    events = big.sizes.events
    limit = SEED_SECONDS_PER_MILLION * events / 1_000_000
    why = f"3 min per 1,000,000 events, {events:,} here"
    if not big.built_now:
        why += "; seeded before this run, time recorded then"
    report.limit("seed_seconds", big.seed_seconds, limit, "s", why)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the bench; 0 once every measure was taken, whatever the verdicts."""
    options = parse_options(argv)
    report = Report()
    with tempfile.TemporaryDirectory(prefix="epic-bench-") as scratch:
        bench = Bench(options, Path(scratch), report)
        bench.run()
    if bench.failed:
        progress(f"could not measure: {', '.join(bench.failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
