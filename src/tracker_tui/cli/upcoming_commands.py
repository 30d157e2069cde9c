"""Commands for releases still to come: upcoming (a table or JSON) and calendar (ICS)."""

from __future__ import annotations

import argparse
import sys

from tracker_tui.cli.context import EXIT_OK, CommandFailedError, Context, print_json
from tracker_tui.cli.progress_commands import export_to, write_stdout
from tracker_tui.cli.text import table
from tracker_tui.domain import clock
from tracker_tui.domain.catalog.calendar_feed import calendar_feed
from tracker_tui.domain.catalog.upcoming import Release, upcoming

NOTHING_UPCOMING = (
    "No upcoming releases known: none of your shows has a scheduled season or a future "
    "air date (add air dates to a show of yours with `tracker edit SHOW`)."
)


def release_json(release: Release) -> dict[str, object]:
    return {
        "show": release.show_id,
        "title": release.show_title,
        "season": release.season,
        "episode": release.episode,
        "what": release.what,
        "date": {"date": release.date.iso(), "precision": release.date.precision.value},
        "possibly_out_of_date": release.possibly_out_of_date,
        "disputed": release.disputed,
        "yours": release.yours,
        "sources": list(release.sources),
    }


def _flags(release: Release) -> str:
    flags = [
        *(["possibly out of date"] if release.possibly_out_of_date else []),
        *(["disputed"] if release.disputed else []),
    ]
    return f"({', '.join(flags)})" if flags else ""


def cmd_upcoming(args: argparse.Namespace, ctx: Context) -> int:
    """Every scheduled season and future air date, soonest first, at its real precision."""
    releases = upcoming(ctx.catalog.entries, clock.today(), ctx.catalog.sources)
    if args.json:
        print_json([release_json(release) for release in releases])
        return EXIT_OK
    if not releases:
        print(NOTHING_UPCOMING)
        return EXIT_OK
    rows = [["DATE", "SHOW", "WHAT", "SOURCE", ""]]
    rows += [[r.date.iso(), r.show_title, r.what, r.source_label, _flags(r)] for r in releases]
    print("\n".join(table(rows)))
    return EXIT_OK


def _left_out_line(count: int) -> str | None:
    if count == 0:
        return None
    if count == 1:
        return "1 release known only to the month or year was left out"
    return f"{count} releases known only to the month or year were left out"


def cmd_calendar(args: argparse.Namespace, ctx: Context) -> int:
    """Write upcoming releases as an iCalendar file: day-precise ones as all-day events.

    To stdout the calendar is all that stdout gets; the summary goes to stderr.
    """
    feed = calendar_feed(
        upcoming(ctx.catalog.entries, clock.today(), ctx.catalog.sources), clock.now()
    )
    if args.file is None or str(args.file) == "-":
        write_stdout(feed.text)
        streamed = True
    else:
        try:
            streamed = export_to(args.file, feed.text, example="upcoming.ics")
        except OSError as error:
            raise CommandFailedError(
                f"cannot write {args.file}: {error.strerror or error}"
            ) from error
    report = sys.stderr if streamed else sys.stdout
    events = "1 release" if feed.events == 1 else f"{feed.events} releases"
    where = "" if args.file is None or str(args.file) == "-" else f" to {args.file}"
    print(f"Wrote {events} with a known day{where}", file=report)
    left_out = _left_out_line(feed.left_out)
    if left_out:
        print(f"{left_out} (`tracker upcoming` lists them)", file=report)
    return EXIT_OK
