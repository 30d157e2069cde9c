"""`tracker import` and `tracker export`: other trackers' exports in, your progress out.

`--from tracker` (the default) and `--format tracker` are the progress file itself
(`progress_commands`); every other format goes through a reader or writer module in
`domain/exchange/`, loaded by name, so a command loads only the one it uses.
"""

from __future__ import annotations

import argparse
import importlib
import sys
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
from tracker_tui.domain.collection import no_collection_pauses
from tracker_tui.domain.exchange.batch import ImportFormatError


class ProgressBar:
    """`\r[#####.....] 45% what` on stderr, only when stderr is a terminal; cleared at the end.

    A step whose length is not known ahead (reading, planning) shows its name alone."""

    WIDTH = 30

    def __init__(self, what: str, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.what = what
        self.active = self.stream.isatty()
        self.last = -1
        self.shown = 0
        """How many columns the line on screen takes (0: none shown)."""

    def _show(self, line: str) -> None:
        self.clear()
        self.stream.write(f"\r{line}")
        self.stream.flush()
        self.shown = len(line)

    def __call__(self, done: int, total: int) -> None:
        if not self.active or total <= 0:
            return
        percent = min(100, done * 100 // total)
        if percent == self.last:
            return
        self.last = percent
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self._show(f"[{bar}] {percent:3d}% {self.what}")

    def stage(self, what: str) -> None:
        if self.active:
            self._show(f"{what}…")

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * self.shown + "\r")
            self.stream.flush()
            self.shown = 0


def _module(name: str, missing: str) -> Any:
    """A writer module by name; a usage error if this build has none (an import failing
    inside the module is a bug, and stays one)."""
    full = f"tracker_tui.domain.exchange.{name}"
    try:
        return importlib.import_module(full)
    except ModuleNotFoundError as error:
        if error.name != full:
            raise
        raise UsageError(missing) from error


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
    if not args.dry_run:
        ctx.recover_interrupted_import()
    # An import builds millions of objects that live until it ends (the collector's
    # passes over them took a fifth of a 100,000-viewing import): collect when it ends.
    with no_collection_pauses():
        return _import_export(args, ctx, fmt)


def _import_export(args: argparse.Namespace, ctx: Context, fmt: str) -> int:
    """Read, plan, and unless it is a dry run, apply; then the summary."""
    from tracker_tui.domain.catalog.loader import load_catalog
    from tracker_tui.domain.exchange.apply import ImportApplyError, apply_import
    from tracker_tui.domain.exchange.importing import (
        ProgressFileGivenError,
        plan_for_library,
        read_export,
        report_text,
    )

    bar = ProgressBar("importing")
    bar.stage(f"reading {args.file}")
    try:
        batch, detected = read_export(args.file, fmt)
    except ProgressFileGivenError as error:
        raise UsageError(str(error)) from error
    except ImportFormatError as error:
        raise CommandFailedError(str(error)) from error
    finally:
        bar.clear()
    if detected is not None:
        print(f"Detected {detected}", file=sys.stderr)
    catalog = load_catalog(save_cache=not args.dry_run)
    for problem in catalog.problems:
        warn(f"{problem} (skipped)")
    shows = {show.id: show for show in catalog.shows}
    bar.stage("working out what changes")
    plan = plan_for_library(batch, shows, ctx.progress)
    del batch  # the plan holds all it needs: writing the files takes memory of its own
    bar.clear()
    if not args.dry_run and not plan.is_empty():
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
        print(report_text(plan.summary(), args.file, args.dry_run))
    return EXIT_OK


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


__all__ = ["cmd_export", "cmd_import"]
