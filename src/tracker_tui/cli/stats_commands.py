"""`tracker stats`: the numbers of `watching/stats.py` as short text sections, or JSON."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence

from tracker_tui.cli.context import EXIT_OK, Context, UsageError, print_json
from tracker_tui.cli.text import table
from tracker_tui.domain import clock
from tracker_tui.domain.catalog.dates import MIN_YEAR
from tracker_tui.domain.watching.episodes import status_label
from tracker_tui.domain.watching.stats import TOP_SHOWS, Stats, Streak, compute_stats

BLOCKS = "▁▂▃▄▅▆▇█"
MONTH_INITIALS = "JFMAMJJASOND"


def cmd_stats(args: argparse.Namespace, ctx: Context) -> int:
    """Totals, streaks, a year by week and month, ratings, completion and stalled shows."""
    now = clock.now()
    this_year = now.astimezone().year
    year: int | None = args.year
    if year is not None and not MIN_YEAR <= year <= this_year:
        later = "in the future" if year > this_year else f"before {MIN_YEAR}"
        raise UsageError(f"--year {year} is {later}: give a year from {MIN_YEAR} to {this_year}")
    stats = compute_stats(ctx.catalog.shows, ctx.progress, now, year, args.stalled_weeks)
    if args.json:
        print_json(stats.to_json())
    else:
        print(stats_text(stats))
    return EXIT_OK


def plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def sparkline(counts: Sequence[int]) -> str:
    """One block per count, scaled to the largest; zero is a space, any other count at
    least the lowest block, so a quiet week still shows."""
    top = max(counts, default=0)
    if top == 0:
        return " " * len(counts)
    steps = len(BLOCKS) - 1
    return "".join(BLOCKS[round(steps * count / top)] if count else " " for count in counts)


def stats_text(stats: Stats) -> str:
    if not stats.has_viewings:
        return "No viewings yet: mark an episode with `tracker watch SHOW s1e1`."
    sections = [
        _totals(stats),
        _year(stats),
        _streaks(stats),
        _top_shows(stats),
        _ratings(stats),
        _completion(stats),
        _stalled(stats),
    ]
    return "\n\n".join(section for section in sections if section)


def _totals(stats: Stats) -> str:
    statuses = ", ".join(
        f"{status_label(status)} {count:,}" for status, count in stats.per_status.items() if count
    )
    kinds = ", ".join(f"{kind} {count:,}" for kind, count in stats.per_kind.items())
    rows = [
        ["viewings", f"{stats.viewings:,} ({plural(stats.rewatches, 'rewatch', 'rewatches')})"],
        ["episodes", f"{stats.episodes:,} watched at least once"],
        ["shows", f"{len(stats.per_show):,} with a viewing"],
        ["by status", f"{statuses} (shows)"],
        ["by kind", f"{kinds} (viewings)"],
    ]
    return "\n".join(["Totals (all time)", *table(rows, "  ")])


def _year(stats: Stats) -> str:
    year = stats.year
    if not stats.year_has_data:
        lines = [f"{year.year}: no viewings with a known time in this year."]
    else:
        days = sum(1 for count in year.days if count)
        busiest = max(range(12), key=lambda month: year.months[month])
        month_name = dt.date(year.year, busiest + 1, 1).strftime("%b")
        lines = [
            f"{year.year}: {plural(year.total, 'viewing', 'viewings')} on "
            f"{plural(days, 'day', 'days')} (local time)",
            f"  weeks   {sparkline(year.weeks)}",
            f"  months  {sparkline(year.months)}  most in {month_name}: {year.months[busiest]:,}",
            f"          {MONTH_INITIALS}",
        ]
    note = stats.unknown_time_note()
    if note is not None:
        lines.append(f"  ({note})")
    return "\n".join(line.rstrip() for line in lines)


def _streak_cell(streak: Streak) -> list[str]:
    if not streak.days or streak.first is None or streak.last is None:
        return ["0 days", ""]
    span = str(streak.first) if streak.first == streak.last else f"{streak.first} to {streak.last}"
    return [plural(streak.days, "day", "days"), span]


def _streaks(stats: Stats) -> str:
    rows = [
        ["current", *_streak_cell(stats.current_streak)],
        ["longest", *_streak_cell(stats.longest_streak)],
    ]
    return "\n".join(["Streaks (days with a viewing)", *table(rows, "  ")])


def _top_shows(stats: Stats) -> str:
    rows = [
        [f"{count.viewings:,}", f"{count.episodes:,}", count.title] for count in stats.top_shows
    ]
    heading = "Top shows"
    if len(stats.per_show) > TOP_SHOWS:
        heading += f" ({TOP_SHOWS} of {len(stats.per_show):,})"
    return "\n".join([heading, *table([["VIEWINGS", "EPISODES", "TITLE"], *rows], "  ")])


def _ratings(stats: Stats) -> str:
    ratings = stats.ratings
    if not any(ratings.together):
        return "Ratings: none yet (`tracker rate SHOW 8`)."
    rows = [
        ["RATING", *(str(n) for n in range(1, 11))],
        ["shows", *(str(n) for n in ratings.shows)],
        ["seasons", *(str(n) for n in ratings.seasons)],
        ["episodes", *(str(n) for n in ratings.episodes)],
    ]
    return "\n".join(["Ratings", *table(rows, "  ")])


def _completion(stats: Stats) -> str:
    started = stats.completion
    finished = [item for item in started if item.finished]
    unfinished = [item for item in started if item not in finished]
    lines = [
        f"Completion: {plural(len(started), 'show', 'shows')} started, "
        f"{len(finished):,} watched through"
    ]
    rows = []
    for item in unfinished[:TOP_SHOWS]:
        if item.known is None:
            counted = f"{item.watched:,}/?"
            note = "not in the catalog"
        else:
            if not item.total_known:  # a lower bound: no percent of it is true
                counted = f"{item.watched:,}/{item.known:,}+"
            else:
                percent = "" if item.percent is None else f" {item.percent}%"  # none known
                counted = f"{item.watched:,}/{item.known:,}{percent}"
            note = "" if item.complete_count else "some episode counts unknown"
        rows.append([counted, item.title + (f" ({note})" if note else "")])
    lines += table(rows, "  ")
    if len(unfinished) > TOP_SHOWS:
        lines.append(f"  ... and {len(unfinished) - TOP_SHOWS:,} more (--json lists them all)")
    return "\n".join(lines)


def _stalled(stats: Stats) -> str:
    weeks = stats.stalled_weeks
    if not stats.stalled:
        return f"Stalled: none (no watching show unwatched for more than {weeks} weeks)."
    rows = [
        [str(item.last_viewing.astimezone().date()), f"{item.weeks:,} weeks", item.title]
        for item in stats.stalled
    ]
    heading = f"Stalled (watching, nothing watched for more than {weeks} weeks)"
    return "\n".join([heading, *table([["LAST", "SINCE", "TITLE"], *rows], "  ")])
