"""`tracker next` and `tracker shows`: answered from the show summary (cache/summary.json)
while it is valid, else from the catalog and progress, keeping the summary for next time.

Both print only what the summary holds, so the answer is the same either way; while the
summary is valid they import neither the catalog's nor the progress file's readers."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt

from tracker_tui.cli.context import EXIT_OK, Context, UsageError, print_json, warn
from tracker_tui.cli.text import LOWER_BOUND_NOTE, table, watched_cell
from tracker_tui.domain import clock
from tracker_tui.domain.paths import cache_dir, data_dir
from tracker_tui.domain.progress.records import STATUSES
from tracker_tui.domain.watching.summary import (
    ShowSummary,
    read_summary,
    summary_key,
    write_summary,
)

ARCHIVED = "archived"


def library_summary(ctx: Context, *, progress_first: bool) -> list[ShowSummary]:
    """Every show's summary, warning of the catalog's problems as loading it would.

    Worked out again when any input changed; then the catalog and progress are read in
    the order the command always read them (`progress_first`), so warnings keep their
    order. What was worked out is kept only when nothing changed meanwhile and reading
    progress warned of nothing; for as long as the clock leaves its meaning alone."""
    with contextlib.suppress(OSError):
        # Made before the key is taken: making it changes the data folder, which the key
        # holds (as it would be a first run's, and the summary not kept).
        cache_dir().mkdir(parents=True, exist_ok=True)
    key = summary_key(data_dir(), ctx.progress_path, clock.today().isoformat())
    kept = read_summary(cache_dir(), key, clock.now())
    if kept is not None:
        if ctx.warn_catalog_problems:
            for problem in kept.problems:
                warn(f"{problem} (skipped)")
        return kept.shows
    from tracker_tui.domain.watching.summary_build import build_summary

    if progress_first:
        progress, catalog = ctx.progress, ctx.catalog
    else:
        catalog, progress = ctx.catalog, ctx.progress
    shows = build_summary(catalog, progress, clock.today())
    until = _progress_steady_until(ctx)
    if not ctx.progress_warned and key.settled() and until is not None:
        after = summary_key(data_dir(), ctx.progress_path, clock.today().isoformat())
        if after.text == key.text:  # nothing changed while it was read
            problems = [str(problem) for problem in catalog.problems]
            write_summary(cache_dir(), key, until, shows, problems)
    return shows


def _progress_steady_until(ctx: Context) -> dt.datetime | None:
    """Until when the progress file means what it meant when read (see time_reach);
    None: it cannot be told, so keep nothing."""
    from tracker_tui.domain.progress.time_reach import FOREVER, steady_until

    try:
        raw = ctx.progress_path.read_bytes()
    except FileNotFoundError:
        return FOREVER
    except OSError:
        return None
    now = clock.now()
    until = steady_until(raw, now)
    return until if until is not None and until > now else None


def cmd_next(args: argparse.Namespace, ctx: Context) -> int:
    rows = [
        {
            "show": show.id,
            "title": show.title,
            "season": show.next_season,
            "episode": show.next_episode,
            "code": show.next_code,
        }
        for show in library_summary(ctx, progress_first=True)
        if show.started and show.next_code is not None
    ]
    if args.json:
        print_json(rows)
    elif rows:
        print("\n".join(table([[str(r["code"]), str(r["title"]), str(r["show"])] for r in rows])))
    else:
        print("Nothing up next: mark an episode with `tracker watch SHOW s1e1`.")
    return EXIT_OK


def _listed(args: argparse.Namespace, shows: list[ShowSummary]) -> tuple[list[ShowSummary], int]:
    """The shows `--status` asks for, and how many archived ones are left out."""
    wanted = None if args.status is None else args.status.strip().casefold().replace(" ", "-")
    if wanted is not None and wanted not in (*STATUSES, ARCHIVED):
        choices = ", ".join((*STATUSES, ARCHIVED))
        raise UsageError(f"{args.status!r} is not a status; use one of: {choices}")
    archived = [show for show in shows if show.archived]
    if wanted == ARCHIVED:
        return archived, 0
    kept = [show for show in shows if not show.archived]
    if wanted is not None:
        kept = [show for show in kept if show.list_status == wanted]
    return kept, len(archived)


def show_json(show: ShowSummary) -> dict[str, object]:
    """A show in `tracker shows --json` (README: `tracker shows --json`)."""
    return {
        "id": show.id,
        "title": show.title,
        "kind": show.kind,
        "year": show.year,
        "status": show.status_line,
        "progress": {
            "watched": show.watched,
            "known": show.known,
            "percent": show.percent,
            "total_known": show.total_known,
            "status": show.watch_status,
            "next": show.next_code,
            "list_status": show.list_status,
            "list_status_set_by_you": show.status_by_hand,
            "rating": show.rating,
            "archived": show.archived,
        },
    }


def shows_text(shows: list[ShowSummary]) -> str:
    rows = [["ID", "TITLE", "KIND", "WATCHED", "STATUS", "NEXT", "RATING", "RELEASES"]]
    rows += [
        [
            show.id,
            show.title,
            show.kind,
            watched_cell(show.watched, show.known, show.percent, show.total_known),
            show.list_status_label + ("*" if show.status_by_hand else ""),
            show.next_code or "-",
            f"{show.rating}/10" if show.rating is not None else "-",
            show.status_line,
        ]
        for show in shows
    ]
    lines = table(rows)
    if any(show.known and not show.total_known for show in shows):
        lines.append(LOWER_BOUND_NOTE)
    if any(show.status_by_hand for show in shows):
        lines.append("* status set by you (`tracker status SHOW auto` goes back to automatic)")
    return "\n".join(lines)


def cmd_shows(args: argparse.Namespace, ctx: Context) -> int:
    shows, archived = _listed(args, library_summary(ctx, progress_first=False))
    if args.json:
        print_json([show_json(show) for show in shows])
        return EXIT_OK
    if shows:
        print(shows_text(shows))
    elif args.status is not None:
        print(f"No shows with status {args.status}: `tracker shows` lists them all.")
    else:
        print("No shows in your lists: add one with `tracker add TITLE`.")
    if archived:
        hidden = "1 archived show" if archived == 1 else f"{archived} archived shows"
        print(f"({hidden} not listed: `tracker shows --status archived` lists them)")
    return EXIT_OK


__all__ = ["cmd_next", "cmd_shows", "library_summary"]
