"""`tracker import` and `tracker export`: other trackers' exports in, your progress out.

`--from tracker` (the default) and `--format tracker` are the progress file itself
(`progress_commands`); every other format goes through a reader or writer module in
`domain/exchange/`, loaded by name, so a command loads only the one it uses.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from tracker_tui.cli import progress_commands
from tracker_tui.cli.context import (
    EXIT_OK,
    CommandFailedError,
    Context,
    UsageError,
    print_json,
    warn,
)
from tracker_tui.domain import clock
from tracker_tui.domain.exchange.batch import FORMATS, ImportBatch, ImportFormatError
from tracker_tui.domain.paths import user_shows_dir

IMPORT_FORMATS = (*FORMATS, "auto")
EXPORT_FORMATS = ("tracker", "trakt", "mal", "csv")
SKIPPED_SHOWN = 20
"""Skipped records listed in the text summary; `--json` lists them all."""


class ProgressBar:
    """`\\r[#####.....] 45% what` on stderr, only when stderr is a terminal; cleared at the end."""

    WIDTH = 30

    def __init__(self, what: str, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.what = what
        self.shown = False
        self.active = self.stream.isatty()
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.active or total <= 0:
            return
        percent = min(100, done * 100 // total)
        if percent == self.last:
            return
        self.last = percent
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {percent:3d}% {self.what}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * (self.WIDTH + 8 + len(self.what)) + "\r")
            self.stream.flush()
            self.shown = False


def _module(name: str, missing: str) -> Any:
    """A reader or writer module by name; a usage error if this build has none (an import
    failing inside the module is a bug, and stays one)."""
    full = f"tracker_tui.domain.exchange.{name}"
    try:
        return importlib.import_module(full)
    except ModuleNotFoundError as error:
        if error.name != full:
            raise
        raise UsageError(missing) from error


def _reader(fmt: str) -> Callable[[Any], ImportBatch]:
    module = _module(f"{fmt}_reader", f"this tracker cannot read {fmt} exports yet")
    read: Callable[[Any], ImportBatch] = module.read
    return read


def _detect(source: Any, fmt: str) -> str:
    """The format to read: `auto` detected (and said), an explicit one checked when the
    detector is there."""
    try:
        detect = _module("detect", "--from auto is not available yet: name the format")
    except UsageError:
        if fmt == "auto":
            raise
        return fmt
    if fmt == "auto":
        found, what = detect.detect(source)
        print(f"Detected {what}", file=sys.stderr)
        return str(found)
    detect.check_matches(fmt, source)
    return fmt


def _read_batch(path: Path, fmt: str) -> ImportBatch:
    from tracker_tui.domain.exchange.source import open_source

    with open_source(path) as source:
        fmt = _detect(source, fmt)
        if fmt == "tracker":
            raise UsageError(f"{path} is a tracker progress file: use --from tracker")
        return _reader(fmt)(source)


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    """Import another tracker's export (or merge a progress file, `--from tracker`)."""
    fmt = args.source_format
    if fmt == "tracker":
        if args.dry_run or args.json:
            raise UsageError("--dry-run and --json are for other trackers' exports")
        ctx.recover_interrupted_import()
        return progress_commands.cmd_import(args, ctx)
    if args.replace:
        raise UsageError("--replace is only for --from tracker (a progress file)")
    from tracker_tui.domain.catalog.loader import load_catalog
    from tracker_tui.domain.exchange.apply import ImportApplyError, apply_import
    from tracker_tui.domain.exchange.plan import plan_import

    if not args.dry_run:
        ctx.recover_interrupted_import()
    try:
        batch = _read_batch(args.file, fmt)
    except ImportFormatError as error:
        raise CommandFailedError(str(error)) from error
    catalog = load_catalog(save_cache=not args.dry_run)
    for problem in catalog.problems:
        warn(f"{problem} (skipped)")
    folder = user_shows_dir()
    taken = {path.stem for path in folder.glob("*.toml")} if folder.is_dir() else set()
    progress = ctx.progress
    shows = {show.id: show for show in catalog.shows}
    plan = plan_import(batch, shows, progress, clock.now(), taken)
    if not args.dry_run and not plan.is_empty():
        bar = ProgressBar("importing")
        try:
            apply_import(plan, ctx.store, on_progress=bar)
        except ImportApplyError as error:
            raise CommandFailedError(str(error)) from error
        finally:
            bar.clear()
        for notice in ctx.store.take_notices():
            warn(notice)
    if args.json:
        print_json({**plan.summary(), "dry_run": args.dry_run})
    else:
        print(import_report(plan.summary(), args.file, args.dry_run))
    return EXIT_OK


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def import_report(summary: dict[str, Any], path: Path, dry_run: bool) -> str:
    """The summary as text: shows, viewings, marks, what was skipped and why, the notes."""
    lines = [f"{'Would import' if dry_run else 'Imported'} {summary['format']} export {path}"]
    by = ", ".join(f"{count} by {how}" for how, count in sorted(summary["matched_by"].items()))
    lines.append(
        f"Shows: {len(summary['shows_created'])} created, "
        f"{len(summary['shows_matched'])} matched"
        + (f" ({by})" if by else "")
        + f", {len(summary['ambiguous'])} ambiguous"
    )
    for item in summary["ambiguous"]:
        year = item["year"] if item["year"] is not None else "no year"
        lines.append(
            f"  ambiguous: {item['title']} ({year}) matches {', '.join(item['candidates'])}"
        )
    lines.append(
        f"Viewings: {summary['viewings_added']} added, "
        f"{summary['viewings_already_there']} already there"
    )
    lines.append(
        f"Ratings: {summary['ratings']}, statuses: {summary['statuses']}, "
        f"archived: {summary['archived']}"
    )
    skipped = summary["skipped"]
    if skipped:
        lines.append(f"Skipped {_plural(len(skipped), 'record')}:")
        lines += [
            f"  {item['file']}, {item['where']}: {item['reason']}"
            for item in skipped[:SKIPPED_SHOWN]
        ]
        if len(skipped) > SKIPPED_SHOWN:
            lines.append(f"  and {len(skipped) - SKIPPED_SHOWN} more (--json lists all)")
    lines += [f"Note: {note}" for note in summary["notes"]]
    changes = [summary[name] for name in ("viewings_added", "ratings", "statuses", "archived")]
    if dry_run:
        lines.append("Dry run: nothing was written.")
    elif not summary["shows_created"] and not any(changes):
        lines.append("Nothing changed: all of it was already there.")
    return "\n".join(lines)


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    """Write your progress in tracker's format, or another tracker's (`--format`)."""
    if args.format == "tracker":
        return progress_commands.cmd_export(args, ctx)
    module = _module(
        f"{args.format}_writer", f"this tracker cannot write {args.format} exports yet"
    )
    shows = {show.id: show for show in ctx.catalog.shows}
    result = module.write(shows, ctx.progress)
    text = result.data.decode("utf-8")
    to_stdout = args.file is None or str(args.file) == "-"
    if to_stdout:
        progress_commands.write_stdout(text)
        streamed = True
    else:
        try:
            streamed = progress_commands.export_to(args.file, text)
        except OSError as error:
            raise CommandFailedError(
                f"cannot write {args.file}: {error.strerror or error}"
            ) from error
    report = sys.stderr if streamed else sys.stdout
    where = "" if to_stdout else f" to {args.file}"
    print(f"Exported {result.summary}{where} ({args.format})", file=report)
    for item in result.left_out:
        print(f"  left out: {item}", file=report)
    return EXIT_OK


__all__ = ["cmd_export", "cmd_import", "import_report"]
