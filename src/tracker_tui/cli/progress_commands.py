"""Commands that read or change progress: watch, unwatch, history, export, import."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path

from tracker_tui.cli.context import (
    EXIT_OK,
    CommandFailedError,
    Context,
    UsageError,
    print_json,
)
from tracker_tui.cli.text import episode_codes, table
from tracker_tui.domain import clock
from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.files import atomic_write
from tracker_tui.domain.progress.format import (
    ProgressFormatError,
    dumps_progress,
    format_time,
    read_progress,
)
from tracker_tui.domain.progress.records import EpisodeKey, Progress, mark_unwatched, mark_watched
from tracker_tui.domain.watching.episode_specs import EpisodeSpecError, parse_spec
from tracker_tui.domain.watching.episodes import resolve_spec, tracking_warning


def _keys(args: argparse.Namespace, ctx: Context) -> tuple[Show, list[EpisodeKey]]:
    show = ctx.show(args.show)
    keys: dict[EpisodeKey, None] = {}  # in the order typed, each once, found in O(1)
    try:
        for text in args.episodes:
            keys.update(dict.fromkeys(resolve_spec(show, parse_spec(text), ctx.progress)))
    except EpisodeSpecError as error:
        raise UsageError(str(error)) from error
    return show, list(keys)


def cmd_watch(args: argparse.Namespace, ctx: Context) -> int:
    """Mark episodes watched and save; one unreleased or far past the last known needs
    --force. One already watched is left as it is, unless --again logs another viewing."""
    show, keys = _keys(args, ctx)
    before = ctx.progress
    warning = tracking_warning(show, keys, before)
    if warning and not args.force:
        # A typo like s1e1000000 would otherwise become this show's "next" for good.
        raise UsageError(f"{warning}; to mark it anyway, add --force")
    # Running the same command twice must not invent a rewatch: that takes --again.
    already = [] if args.again else [key for key in keys if before.is_watched(key)]
    marked = [key for key in keys if key not in already]
    if already:
        print(
            f"Already watched: {show.title} {episode_codes(already)} (--again logs another viewing)"
        )
    if not marked:
        return EXIT_OK
    after = ctx.save(mark_watched(before, marked, clock.now()))
    print(f"Watched {show.title} {episode_codes(marked)}")
    for key in marked:
        count = len(after.viewings(key))
        if count > 1:
            print(f"  {key.code()} rewatched: seen {count} times")
    return EXIT_OK


def cmd_unwatch(args: argparse.Namespace, ctx: Context) -> int:
    """Unmark the named episodes that are watched and save; saves nothing when none is."""
    show, keys = _keys(args, ctx)
    title = show.title
    changed = [key for key in keys if ctx.progress.is_watched(key)]
    if not changed:
        print(f"Nothing to unwatch: {title} {episode_codes(keys)} not marked watched")
        return EXIT_OK
    ctx.save(mark_unwatched(ctx.progress, changed, clock.now()))
    print(f"Unwatched {title} {episode_codes(changed)}")
    return EXIT_OK


_NO_REAL_LOG_TIME = dt.datetime(1971, 1, 1, tzinfo=dt.UTC)
"""Imports stamp what they cannot date at the Unix epoch: no time worth showing."""


def _period(text: str, option: str) -> tuple[dt.date, dt.date]:
    """The local days `YYYY`, `YYYY-MM` or `YYYY-MM-DD` spans, first and last."""
    try:
        parts = [int(part) for part in text.split("-")]
        if len(parts) == 1 and len(text) == 4:
            return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
        if len(parts) == 2:
            first = dt.date(parts[0], parts[1], 1)
            following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, following - dt.timedelta(days=1)
        if len(parts) == 3:
            day = dt.date(*parts)
            return day, day
    except ValueError:
        pass
    raise UsageError(f"{option}: {text!r} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY")


def _local_day(at: dt.datetime) -> dt.date:
    return at.astimezone().date()


def _history_time(row: Mapping[str, object], at: dt.datetime) -> str:
    """Local time for people; where the time is not known, the time it was logged if any."""
    if row["time_known"]:
        return at.astimezone().strftime("%Y-%m-%d %H:%M")
    if at < _NO_REAL_LOG_TIME:
        return "time unknown"
    return f"time unknown (logged {at.astimezone():%Y-%m-%d %H:%M})"


def cmd_history(args: argparse.Namespace, ctx: Context) -> int:
    """Every viewing and every unmark, newest first; `--show`, `--since` and `--until`
    (local days, inclusive) narrow it. People get local times, JSON UTC."""
    since = _period(args.since, "--since")[0] if args.since else None
    until = _period(args.until, "--until")[1] if args.until else None
    if since is not None and until is not None and since > until:
        raise UsageError(f"--since {args.since} is after --until {args.until}: swap them")
    show = ctx.show(args.show).id if args.show else None
    titles = {show.id: show.title for show in ctx.catalog.shows}
    entries = ctx.progress.history(show)
    undated = 0
    if since is not None or until is not None:
        undated = sum(1 for entry in entries if not entry.time_known)
        entries = [
            entry
            for entry in entries
            if entry.time_known
            and (since is None or _local_day(entry.at) >= since)
            and (until is None or _local_day(entry.at) <= until)
        ]
    rows = [
        {
            "show": entry.key.show,
            "title": titles.get(entry.key.show, entry.key.show),
            "season": entry.key.season,
            "episode": entry.key.episode,
            "code": entry.key.code(),
            "event": "watched" if entry.event == "watched" else "unwatched",
            "at": format_time(entry.at),
            "time_known": entry.time_known,
            "viewing": entry.viewing_id,
        }
        for entry in entries
    ]
    if args.json:
        print_json(rows)
        return EXIT_OK
    if rows:
        lines = [
            [
                _history_time(row, entry.at),
                str(row["event"]),
                str(row["code"]),
                str(row["title"]),
            ]
            for row, entry in zip(rows, entries, strict=True)
        ]
        print("\n".join(table(lines)))
    elif since is not None or until is not None or show is not None:
        span = " ".join(
            part
            for part in (
                f"from {since.isoformat()}" if since else "",
                f"to {until.isoformat()}" if until else "",
                f"of {titles.get(show, show)}" if show else "",
            )
            if part
        )
        print(f"No viewings {span}.")
    else:
        print("No history yet: mark an episode with `tracker watch SHOW s1e1`.")
    if undated:
        views = "1 viewing" if undated == 1 else f"{undated} viewings"
        verb = "is" if undated == 1 else "are"
        print(f"{views} of unknown time {verb} left out by --since/--until")
    return EXIT_OK


def write_stdout(text: str) -> None:
    """The file's exact UTF-8 bytes, whatever encoding stdout was given."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8"))


def export_to(path: Path, text: str, example: str = "progress.json") -> bool:
    """Write `text` to `path`; True when it went to a stream (a pipe, a device).

    A regular file is replaced atomically; a symlink is written through, next to
    its target, so the link (into a synced folder, say) stays. A FIFO or device
    cannot be replaced, so it is opened and written; opening a FIFO waits for a
    reader, as `echo > fifo` does: the user named it, so that wait is theirs
    (Ctrl-C ends it). A missing folder is not created: a typo should not make one.
    """
    try:
        mode: int | None = path.stat().st_mode  # follows a symlink to what it names
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise CommandFailedError(f"{path} is a folder: name a file in it, like {path / example}")
    if mode is not None and not stat.S_ISREG(mode):
        with path.open("w", encoding="utf-8") as stream:
            stream.write(text)
        return True
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    if not target.parent.is_dir():
        raise CommandFailedError(f"cannot write {path}: folder {target.parent} does not exist")
    atomic_write(target, text)
    return False


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    """Write the progress file's JSON to stdout, or to a file (replaced atomically) or a
    stream; progress itself is not changed."""
    text = dumps_progress(ctx.progress)
    if args.file is None or str(args.file) == "-":
        write_stdout(text)
        return EXIT_OK
    try:
        streamed = export_to(args.file, text)
    except OSError as error:
        raise CommandFailedError(f"cannot write {args.file}: {error.strerror or error}") from error
    # To a stream (/dev/stdout, a pipe) the report goes to stderr, so it cannot mix in.
    print(
        f"Exported {len(ctx.progress.records)} episode records to {args.file}",
        file=sys.stderr if streamed else sys.stdout,
    )
    return EXIT_OK


def _import_report(file: Path, incoming: Progress, before: Progress, after: Progress) -> str:
    """What an import changed, so "merged" never hides that your newer records won."""
    added = updated = same = yours_newer = 0
    for key, record in incoming.records.items():
        mine, merged = before.get(key), after.get(key)
        if merged == mine:
            if record == mine:
                same += 1
            else:
                yours_newer += 1
        elif mine is None:
            added += 1
        else:
            updated += 1
    kept = [f"{same} already the same"] if same else []
    kept += [f"yours is newer for {yours_newer}"] if yours_newer else []
    if not added and not updated:
        if not kept:
            return f"Nothing changed: {file} has no records"
        count = len(incoming.records)
        records = "1 record" if count == 1 else f"{count} records"
        return f"Nothing changed: {file} has {records}; {', '.join(kept)}"
    unchanged = f"unchanged {same + yours_newer}" + (f" ({', '.join(kept)})" if kept else "")
    return f"Merged {file}: added {added}, updated {updated}, {unchanged}"


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    """Merge a progress file into yours and save (newer records win), or with --replace
    make it yours, keeping the old file as a backup."""
    try:
        incoming = read_progress(args.file.read_bytes())
    except OSError as error:
        raise CommandFailedError(f"cannot read {args.file}: {error.strerror or error}") from error
    except ProgressFormatError as error:
        raise CommandFailedError(f"{args.file}: {error}") from error
    if args.replace:
        from tracker_tui.domain.progress.store import ProgressSaveError

        try:
            backup = ctx.store.replace(incoming)
        except ProgressSaveError as error:
            raise CommandFailedError(f"{error}; nothing was changed") from error
        kept = f"; the old file is kept as {backup}" if backup else ""
        print(f"Replaced progress with {len(incoming.records)} records{kept}")
        return EXIT_OK
    before = ctx.progress
    # A plain union: the file's records taken as of your last replace, so neither side's
    # replace epoch drops the other's records (an export made after a replace has one).
    after = before.merge(Progress.of_shows(incoming.shows, before.epoch))
    report = _import_report(args.file, incoming, before, after)
    if after is before:  # nothing new: the file is left as it is
        print(report)
        return EXIT_OK
    saved = ctx.save(after)
    print(f"{report}; {len(saved.records)} records in total")
    return EXIT_OK


__all__ = [
    "cmd_export",
    "cmd_history",
    "cmd_import",
    "cmd_unwatch",
    "cmd_watch",
]
