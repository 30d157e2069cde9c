"""Run every benchmark on the bundled data and three heavy libraries; print and save the table.

Usage: python benchmarks/run.py [--runs N] [--quick] [--only bundled|synthetic|imported|rich]
                               [--since EPOCH]   (or `make bench`)

The heavy libraries are generated into a temporary folder each run: a synthetic one
(heavy_library.py), an imported one (the last of the timed `tracker import`s of a
generated Trakt export, import_time.py) and a rich one (rich_library.py). Progress goes
to stderr, the Markdown table to stdout and to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import compileall
import dataclasses
import datetime as dt
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import cli_times
import first_paint
import heavy_library
import import_time
import machine
import report
import rich_library
from commands import BARE_APP, BENCHMARKS, child_env, run_json_script, tracker
from summary import Summary, pairwise_ratios

import tracker_tui
from tracker_tui.domain.progress.records import (
    STATUSES,
    EpisodeKey,
    Progress,
    mark_watched,
    set_status,
)
from tracker_tui.domain.progress.store import ProgressStore, default_progress_path

RESULTS = BENCHMARKS / "RESULTS.md"
MIN_RUNS = 7
STATUS_EVERY = 5
"""The imported library: one show in this many gets a status after the import."""
MIB = 1024 * 1024


@dataclass(frozen=True)
class Plan:
    """How many times each figure is measured."""

    runs: int
    """Pairs of app starts, runs of each command, and saves."""
    warmup_pairs: int = 1
    """Before the first data set's pairs only: later ones find Python's, Textual's and
    tracker's files in the disk cache, and their commands have read the library."""
    key_samples: int = 9
    slow_key_samples: int = 7
    """The stats and history screens after a change: each counts or reads everything."""
    key_warmups: int = 1
    import_runs: int = 3
    """Each import takes seconds, and its spread is small next to the 10 s target."""
    quick: bool = False
    libraries: tuple[str, ...] = report.LIBRARIES
    """The data sets to measure (`--only`); RESULTS.md is written only with all of them."""
    since: float | None = None
    """When `make bench` started (seconds since the epoch), to report its whole time."""

    def describe(self) -> str:
        return (
            f"first paint and memory: {self.runs} pairs of starts (tracker, bare app, "
            f"alternately), after {self.warmup_pairs} warm-up pair for the first data set; "
            f"commands: {self.runs} runs after the first; keys: {self.key_samples} presses "
            f"each ({self.slow_key_samples} for the screens after a change) after "
            f"{self.key_warmups} not counted, all in one app per data set; saves: "
            f"{self.runs} after 1 not counted"
        )


class ProgressLog:
    """Progress lines on stderr, stamped with the time since the start."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.library = ""

    def __call__(self, message: str) -> None:
        elapsed = time.perf_counter() - self.started
        where = f"{self.library}: " if self.library else ""
        print(f"[{elapsed:6.1f}s] {where}{message}", file=sys.stderr, flush=True)


@dataclass
class LibraryResults:
    figures: dict[str, Summary] = field(default_factory=dict)
    killed: int = 0
    """App runs that ignored `q` for the grace time and were killed."""
    failures: list[str] = field(default_factory=list)
    """Groups of figures that could not be measured, with the reason."""


def make_bundled_home(home: Path) -> Path:
    """Only the two bundled shows, with three episodes watched, as `tracker watch` would save
    them. Written by the tracker's store rather than its CLI, so that the commands' first run
    is the first tracker run in the folder, as in the heavy library."""
    home.mkdir()
    watched = [EpisodeKey("all-of-us-are-dead", 1, episode) for episode in (1, 2, 3)]
    progress = mark_watched(Progress.empty(), watched, dt.datetime.now(dt.UTC))
    ProgressStore(default_progress_path(home)).save(progress)
    return home


def make_synthetic_home(home: Path) -> Path:
    heavy_library.generate(home)
    return home


def make_rich_home(home: Path) -> Path:
    rich_library.generate(home)
    return home


def add_statuses(home: Path) -> int:
    """Give one imported show in STATUS_EVERY a status, through the tracker's own store,
    as a user sorting an imported library would (Trakt's export has none to import).
    Returns how many."""
    store = ProgressStore(default_progress_path(home))
    progress = store.load().progress
    now = dt.datetime.now(dt.UTC)
    shows = sorted(progress.show_ids())[::STATUS_EVERY]
    for index, show in enumerate(shows):
        progress = set_status(progress, show, STATUSES[index % len(STATUSES)], now)
    store.save(progress)
    return len(shows)


def milliseconds(seconds: list[float]) -> list[float]:
    return [value * 1000 for value in seconds]


def measure_commands(home: Path, plan: Plan, say: ProgressLog, into: LibraryResults) -> None:
    for command in ("next", "shows"):
        say(f"tracker {command} --json")
        times = cli_times.time_command(tracker(command, "--json"), child_env(home), plan.runs)
        into.figures[command] = Summary.of(milliseconds(times.warm))
        into.figures[f"{command}.first"] = Summary.of(milliseconds([times.first]))


def measure_starts(home: Path, plan: Plan, say: ProgressLog, into: LibraryResults) -> None:
    pairs = first_paint.alternate(
        tracker(), BARE_APP, child_env(home), plan.runs, plan.warmup_pairs, progress=say
    )
    paint_tracker = milliseconds([run.first_paint_seconds for run in pairs.tracker])
    paint_bare = milliseconds([run.first_paint_seconds for run in pairs.bare])
    rss_tracker = [run.peak_rss_bytes / MIB for run in pairs.tracker]
    rss_bare = [run.peak_rss_bytes / MIB for run in pairs.bare]
    into.figures.update(
        {
            "first_paint.tracker": Summary.of(paint_tracker),
            "first_paint.bare": Summary.of(paint_bare),
            "first_paint.ratio": Summary.of(pairwise_ratios(paint_tracker, paint_bare)),
            "rss.tracker": Summary.of(rss_tracker),
            "rss.bare": Summary.of(rss_bare),
            "rss.ratio": Summary.of(pairwise_ratios(rss_tracker, rss_bare)),
        }
    )
    into.killed = sum(not run.quit_by_itself for run in [*pairs.tracker, *pairs.bare])


def measure_keys(home: Path, plan: Plan, say: ProgressLog, into: LibraryResults) -> None:
    say("key latency (in-process, pilot)")
    latency = run_json_script(
        "key_latency.py",
        home,
        f"--samples={plan.key_samples}",
        f"--slow-samples={plan.slow_key_samples}",
        f"--warmups={plan.key_warmups}",
    )
    for key, samples in latency.items():
        into.figures[f"key.{key}"] = Summary.of(samples["effect_ms"])
        into.figures[f"settled.{key}"] = Summary.of(samples["settled_ms"])
        if "first_ms" in samples:
            into.figures[f"first.{key}"] = Summary.of(samples["first_ms"])


def measure_saves(home: Path, plan: Plan, say: ProgressLog, into: LibraryResults) -> None:
    say("progress saves (in-process)")
    saves = run_json_script("save_time.py", home, f"--runs={plan.runs}")
    into.figures["save"] = Summary.of(saves["save_ms"])


# In this order: the commands' first run is then the first in the data folder, and the
# saves, which change progress.json, come last.
GROUPS = (
    ("commands", measure_commands),
    ("first paint and memory", measure_starts),
    ("key latency", measure_keys),
    ("saves", measure_saves),
)


def measure_library(home: Path, plan: Plan, say: ProgressLog) -> LibraryResults:
    """Every figure for one data folder. A group that fails is reported, not fatal, so one
    broken measurement still leaves the others to compare."""
    results = LibraryResults()
    for name, measure in GROUPS:
        try:
            measure(home, plan, say, results)
        except Exception as error:
            say(f"{name} failed: {error}")
            results.failures.append(f"{name}: {str(error).splitlines()[0]}")
    return results


def header(plan: Plan, filesystem: str, wall_time: str) -> list[tuple[str, str]]:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return [
        ("Date", now + (" (--quick: too few runs to compare)" if plan.quick else "")),
        ("Machine", f"{machine.cores()} cores, {machine.platform_name()}"),
        ("Python", machine.python_version()),
        (
            "Packages",
            f"textual {machine.package_version('textual')}, "
            f"tracker-tui {machine.package_version('tracker-tui')}, "
            f"pyte {machine.package_version('pyte')}",
        ),
        ("tracker-tui commit", machine.tracker_commit()),
        ("Runs", plan.describe()),
        ("Data folders", f"temporary, on {filesystem}"),
        *data_sets(plan),
        ("Wall time", wall_time),
    ]


def data_sets(plan: Plan) -> list[tuple[str, str]]:
    """What each heavy library the plan measures is, and the import's runs, for the header."""
    described = {
        report.SYNTHETIC: heavy_library.SUMMARY,
        report.IMPORTED: f"{import_time.SUMMARY} (the last of the timed imports), then one "
        f"show in {STATUS_EVERY} given a status",
        report.RICH: rich_library.SUMMARY,
    }
    lines = [
        (report.COLUMNS[name], text) for name, text in described.items() if name in plan.libraries
    ]
    if report.IMPORTED in plan.libraries:
        runs = f"{plan.import_runs} times (each into a new folder)"
        lines.append(("Import", f"{import_time.SUMMARY}, {runs}"))
    return lines


def parse_plan(argv: list[str] | None) -> Plan:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=MIN_RUNS, help=f"runs per figure (at least {MIN_RUNS})"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="few runs, for working on the benchmark; RESULTS.md is left alone",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=[name.split()[0] for name in report.LIBRARIES],
        help="measure only this data set (repeatable); RESULTS.md is left alone",
    )
    parser.add_argument(
        "--since",
        type=float,
        default=None,
        help="when the whole run began, in seconds since the epoch (make bench: before "
        "installing), for the total wall time",
    )
    args = parser.parse_args(argv)
    libraries = tuple(
        name for name in report.LIBRARIES if args.only is None or name.split()[0] in args.only
    )
    if args.quick:
        return Plan(
            runs=3,
            key_samples=4,
            slow_key_samples=2,
            key_warmups=1,
            import_runs=2,
            quick=True,
            libraries=libraries,
            since=args.since,
        )
    if args.runs < MIN_RUNS:
        parser.error(f"--runs must be at least {MIN_RUNS} (use --quick for a fast check)")
    return Plan(runs=args.runs, libraries=libraries, since=args.since)


def compile_tracker() -> None:
    """Byte-compile tracker's own modules first, as installing a wheel does.

    An editable install has no bytecode until a run writes it, and none is ever written
    where PYTHONDONTWRITEBYTECODE is set: every start would then compile every module from
    source, measuring the compiler rather than tracker (~20 ms a start here). Python still
    reads bytecode that exists, so compiling once makes every run what a user's is.
    """
    compileall.compile_dir(Path(tracker_tui.__file__).parent, quiet=1)


def make_homes(temp: Path, plan: Plan, say: ProgressLog) -> tuple[dict[str, Path], str]:
    """The data folders the plan measures, and the import's table: the imported library
    is the last timed import's folder, so the export is generated and imported only here."""
    homes: dict[str, Path] = {}
    imports = "`tracker import` not measured: the imported library was left out (--only)"
    if report.BUNDLED in plan.libraries:
        homes[report.BUNDLED] = make_bundled_home(temp / "bundled")
    if report.SYNTHETIC in plan.libraries:
        say(f"making the synthetic library: {heavy_library.SUMMARY}")
        homes[report.SYNTHETIC] = make_synthetic_home(temp / "synthetic")
    if report.IMPORTED in plan.libraries:
        say(f"tracker import, {plan.import_runs} times: {import_time.SUMMARY}")
        try:
            imported = temp / "imported"
            seconds, mib = import_time.measure(temp / "imports", plan.import_runs, imported)
            times = zip(seconds, mib, strict=True)
            say("tracker import: " + ", ".join(f"{s:.1f} s, {m:.0f} MiB" for s, m in times))
            statuses = add_statuses(imported)
            say(f"imported library: {statuses} shows given a status")
            homes[report.IMPORTED] = imported
            imports = report.import_table(Summary.of(seconds), Summary.of(mib))
        except Exception as error:
            say(f"tracker import failed: {error}")
            imports = f"`tracker import` not measured: {str(error).splitlines()[0]}"
    if report.RICH in plan.libraries:
        say(f"making the rich library: {rich_library.SUMMARY}")
        homes[report.RICH] = make_rich_home(temp / "rich")
    return homes, imports


def wall_time(plan: Plan, started: float) -> str:
    """The runner's own time, and with `--since` the whole `make bench`'s."""
    took = f"{_minutes(time.perf_counter() - started)} for run.py"
    if plan.since is not None:
        took += (
            f", {_minutes(time.time() - plan.since)} for the whole `make bench` (install included)"
        )
    return took


def _minutes(seconds: float) -> str:
    return f"{int(seconds // 60)} min {seconds % 60:.0f} s"


def main(argv: list[str] | None = None) -> None:
    plan = parse_plan(argv)
    say = ProgressLog()
    compile_tracker()
    results: dict[str, LibraryResults] = {}
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as folder:
        temp = Path(folder)
        homes, imports = make_homes(temp, plan, say)
        filesystem = machine.filesystem_of(temp)
        for library, home in homes.items():
            say.library = library
            warmups = plan.warmup_pairs if not results else 0
            results[library] = measure_library(
                home, dataclasses.replace(plan, warmup_pairs=warmups), say
            )
        say.library = ""
    keys = list(
        dict.fromkeys(
            name.removeprefix("key.")
            for result in results.values()
            for name in result.figures
            if name.startswith("key.")
        )
    )
    notes = [
        f"{library}: {result.killed} app runs did not quit on `q` within "
        f"{first_paint.QUIT_GRACE_SECONDS:g} s and were killed (their memory still counts)"
        for library, result in results.items()
        if result.killed
    ]
    notes += [
        f"{library}: not measured: {failure}"
        for library, result in results.items()
        for failure in result.failures
    ]
    took = wall_time(plan, say.started)
    markdown = report.document(
        header(plan, filesystem, took),
        report.table({library: result.figures for library, result in results.items()}, keys)
        + "\n\n"
        + imports,
        notes,
    )
    print(markdown)
    if plan.quick or plan.libraries != report.LIBRARIES:
        say(f"--quick or --only: {RESULTS.name} not written")
    else:
        RESULTS.write_text(markdown, encoding="utf-8")
        say(f"wrote {RESULTS}")
    say(f"total wall time: {took}")
    if any(result.failures for result in results.values()) or results.keys() != set(plan.libraries):
        sys.exit(1)


if __name__ == "__main__":
    main()
