"""Commands that read or change progress: watch, unwatch, next, history, export, import."""

from __future__ import annotations

import argparse
import sys

from tracker_tui.cli.context import (
    EXIT_OK,
    CommandFailedError,
    Context,
    UsageError,
    print_json,
)
from tracker_tui.cli.human import table
from tracker_tui.domain import clock
from tracker_tui.domain.episodes import EpisodeSpecError, parse_spec
from tracker_tui.domain.progress import (
    EpisodeKey,
    Progress,
    ProgressFormatError,
    format_time,
    mark_unwatched,
    mark_watched,
)
from tracker_tui.domain.progress_file import read_progress
from tracker_tui.domain.store import ProgressSaveError, atomic_write, dumps_progress
from tracker_tui.domain.watching import next_unwatched, resolve_spec


def _keys(args: argparse.Namespace, ctx: Context) -> tuple[str, list[EpisodeKey]]:
    show = ctx.show(args.show)
    keys: list[EpisodeKey] = []
    try:
        for text in args.episodes:
            for key in resolve_spec(show, parse_spec(text), ctx.progress):
                if key not in keys:
                    keys.append(key)
    except EpisodeSpecError as error:
        raise UsageError(str(error)) from error
    return show.title, keys


def _save(ctx: Context, progress: Progress) -> None:
    try:
        ctx.store.save(progress)
    except ProgressSaveError as error:
        raise CommandFailedError(f"{error}; nothing was changed") from error


def _codes(keys: list[EpisodeKey]) -> str:
    return ", ".join(key.code() for key in keys)


def cmd_watch(args: argparse.Namespace, ctx: Context) -> int:
    title, keys = _keys(args, ctx)
    before = ctx.progress
    after = mark_watched(before, keys, clock.now())
    _save(ctx, after)
    rewatched = [key for key in keys if before.is_watched(key)]
    print(f"Watched {title} {_codes(keys)}")
    for key in rewatched:
        record = after.get(key)
        count = record.watch_count if record else 0
        print(f"  {key.code()} rewatched: seen {count} times")
    return EXIT_OK


def cmd_unwatch(args: argparse.Namespace, ctx: Context) -> int:
    title, keys = _keys(args, ctx)
    changed = [key for key in keys if ctx.progress.is_watched(key)]
    if not changed:
        print(f"Nothing to unwatch: {title} {_codes(keys)} not marked watched")
        return EXIT_OK
    _save(ctx, mark_unwatched(ctx.progress, changed, clock.now()))
    print(f"Unwatched {title} {_codes(changed)}")
    return EXIT_OK


def cmd_next(args: argparse.Namespace, ctx: Context) -> int:
    progress = ctx.progress
    started = progress.show_ids()
    rows = []
    for show in ctx.catalog.shows:
        if show.id not in started:
            continue
        key = next_unwatched(show, progress)
        if key is not None:
            rows.append(
                {
                    "show": show.id,
                    "title": show.title,
                    "season": key.season,
                    "episode": key.episode,
                    "code": key.code(),
                }
            )
    if args.json:
        print_json(rows)
    elif rows:
        print("\n".join(table([[str(r["code"]), str(r["title"]), str(r["show"])] for r in rows])))
    else:
        print("Nothing up next: mark an episode with `tracker watch SHOW s1e1`.")
    return EXIT_OK


def cmd_history(args: argparse.Namespace, ctx: Context) -> int:
    titles = {show.id: show.title for show in ctx.catalog.shows}
    records = ctx.progress.records
    events = sorted(records, key=lambda key: (records[key].changed_at, key), reverse=True)
    rows = [
        {
            "show": key.show,
            "title": titles.get(key.show, key.show),
            "season": key.season,
            "episode": key.episode,
            "code": key.code(),
            "event": "watched" if records[key].watched else "unwatched",
            "at": format_time(records[key].changed_at),
            "watch_count": records[key].watch_count,
        }
        for key in events
    ]
    if args.json:
        print_json(rows)
    elif rows:
        lines = []
        for key in events:
            record = records[key]
            event = "watched" if record.watched else "unwatched"
            if record.watch_count > 1:
                event += f" (seen {record.watch_count} times)"
            lines.append(
                [format_time(record.changed_at), event, key.code(), titles.get(key.show, key.show)]
            )
        print("\n".join(table(lines)))
    else:
        print("No history yet.")
    return EXIT_OK


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    text = dumps_progress(ctx.progress)
    if args.file is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        atomic_write(args.file, text)
    except OSError as error:
        raise CommandFailedError(f"cannot write {args.file}: {error.strerror or error}") from error
    print(f"Exported {len(ctx.progress.records)} episode records to {args.file}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    try:
        incoming = read_progress(args.file.read_bytes())
    except OSError as error:
        raise CommandFailedError(f"cannot read {args.file}: {error.strerror or error}") from error
    except ProgressFormatError as error:
        raise CommandFailedError(f"{args.file}: {error}") from error
    try:
        if args.replace:
            backup = ctx.store.replace(incoming)
            kept = f"; the old file is kept as {backup}" if backup else ""
            print(f"Replaced progress with {len(incoming.records)} records{kept}")
        else:
            merged = ctx.store.save(ctx.progress.merge(incoming))
            print(f"Merged {len(incoming.records)} records; {len(merged.records)} in total")
    except ProgressSaveError as error:
        raise CommandFailedError(f"{error}; nothing was changed") from error
    return EXIT_OK


__all__ = [
    "cmd_export",
    "cmd_history",
    "cmd_import",
    "cmd_next",
    "cmd_unwatch",
    "cmd_watch",
]
