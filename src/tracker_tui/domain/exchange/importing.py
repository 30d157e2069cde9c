"""An import from a path, as the command line and the app both run it: open the export,
detect or check its format, read it, plan it against the library, and say what it holds.

Reader modules are loaded by name (`<format>_reader`), so an import loads only the one
it reads.
"""

from __future__ import annotations

import importlib
import lzma
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

from tracker_tui.domain import clock
from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.exchange.batch import ImportBatch, ImportFormatError
from tracker_tui.domain.exchange.plan import ImportPlan, plan_import
from tracker_tui.domain.paths import user_shows_dir
from tracker_tui.domain.progress.records import Progress

SKIPPED_SHOWN = 20
"""Skipped records listed in a text summary; the JSON lists them all."""


class ProgressFileGivenError(ImportFormatError):
    """The path is tracker's own progress file: it merges with `--from tracker`."""


_UNREADABLE = (UnicodeDecodeError, RecursionError, LookupError, OverflowError, lzma.LZMAError)
"""What a reader can meet in a damaged or hostile file beyond what it checks record by
record: each stops the import with the file named, never a traceback."""


def _unreadable_reason(error: BaseException) -> str:
    if isinstance(error, UnicodeDecodeError):
        return f"it is not UTF-8 text (byte {error.start} of a member)"
    if isinstance(error, RecursionError):
        return "it nests deeper than any export does"
    if isinstance(error, LookupError):
        return f"it declares a text encoding tracker does not know ({error})"
    if isinstance(error, lzma.LZMAError):
        return f"a compressed member is damaged ({error})"
    return f"a value is out of range ({error})"


def _reader(fmt: str) -> Callable[[Any], ImportBatch]:
    module = importlib.import_module(f"tracker_tui.domain.exchange.{fmt}_reader")
    read: Callable[[Any], ImportBatch] = module.read
    return read


def read_export(path: Path, fmt: str) -> tuple[ImportBatch, str | None]:
    """Read the export at `path` as `fmt` (or `auto`): the batch, and what detection saw
    ("a Trakt export: watched-history.json and 3 ratings files") when it ran.

    Raises ImportFormatError naming the file when the export is unusable, or is plainly
    another format than `fmt` (the message names the right one).
    """
    from tracker_tui.domain.exchange import detect
    from tracker_tui.domain.exchange.source import open_source

    detected: str | None = None
    with open_source(path) as source:
        if fmt == "auto":
            fmt, detected = detect.detect(source)
        else:
            detect.check_matches(fmt, source)
        if fmt == "tracker":
            raise ProgressFileGivenError(f"{path} is a tracker progress file: use --from tracker")
        try:
            return _reader(fmt)(source), detected
        except _UNREADABLE as error:
            raise ImportFormatError(
                f"{path} cannot be read as a {fmt} export: {_unreadable_reason(error)}; "
                "nothing was imported"
            ) from error


def user_show_names(home: Path | None = None) -> set[str]:
    """The ids the show files in shows/ take, broken ones included: a new show avoids them."""
    folder = user_shows_dir(home)
    return {path.stem for path in folder.glob("*.toml")} if folder.is_dir() else set()


def plan_for_library(
    batch: ImportBatch,
    shows: Mapping[str, Show],
    progress: Progress,
    taken: Collection[str] | None = None,
) -> ImportPlan:
    """The plan against the library as it is now, writing nothing."""
    names = user_show_names() if taken is None else taken
    return plan_import(batch, shows, progress, clock.now(), names)


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def _within(file: str, export: Path) -> str:
    """A member named from the export given (`history/watched-history.json`), not from the
    file system's root: the summary's first line already names the export."""
    root = str(export)
    if file == root:
        return export.name
    if file.startswith(root) and file[len(root)] in "/:":
        return file[len(root) + 1 :]
    return file


def report_text(
    summary: dict[str, Any], path: Path, dry_run: bool, more: str = "(--json lists all)"
) -> str:
    """The summary as text: shows, viewings, marks, what was skipped and why, the notes."""
    lines = [f"{'Would import' if dry_run else 'Imported'} {summary['format']} export {path}"]
    by = ", ".join(f"{count} by {how}" for how, count in sorted(summary["matched_by"].items()))
    lines.append(
        f"Shows: {len(summary['shows_created']):,} created, "
        f"{len(summary['shows_matched']):,} matched"
        + (f" ({by})" if by else "")
        + f", {len(summary['ambiguous'])} ambiguous"
    )
    for item in summary["ambiguous"]:
        year = item["year"] if item["year"] is not None else "no year"
        lines.append(
            f"  ambiguous: {item['title']} ({year}) matches {', '.join(item['candidates'])}"
        )
    lines.append(
        f"Viewings: {summary['viewings_added']:,} added, "
        f"{summary['viewings_already_there']:,} already there"
    )
    lines.append(
        f"Ratings: {summary['ratings']:,}, statuses: {summary['statuses']:,}, "
        f"archived: {summary['archived']:,}"
    )
    skipped = summary["skipped"]
    if skipped:
        lines.append(f"Skipped {_plural(len(skipped), 'record')}:")
        lines += [
            f"  {_within(item['file'], path)}, {item['where']}: {item['reason']}"
            for item in skipped[:SKIPPED_SHOWN]
        ]
        if len(skipped) > SKIPPED_SHOWN:
            lines.append(f"  and {len(skipped) - SKIPPED_SHOWN:,} more {more}".rstrip())
    lines += [f"Note: {note}" for note in summary["notes"]]
    changes = [summary[name] for name in ("viewings_added", "ratings", "statuses", "archived")]
    if dry_run:
        lines.append("Dry run: nothing was written.")
    elif not summary["shows_created"] and not any(changes):
        lines.append("Nothing changed: all of it was already there.")
    return "\n".join(lines)
