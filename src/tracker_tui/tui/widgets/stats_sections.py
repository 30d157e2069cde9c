"""The stats screen's sections as rich Text: totals, months, streaks, top shows, ratings,
completion and stalled shows, each a heading and a few aligned lines (never markup:
titles are data)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.text import Text

from tracker_tui.domain.watching.episodes import status_label
from tracker_tui.domain.watching.stats import TOP_SHOWS, Stats, Streak
from tracker_tui.tui.widgets.bars import progress_bar

BAR_WIDTH = 20


def plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def heading(title: str) -> Text:
    return Text(title + "\n", style="bold")


def bar(count: int, top: int, width: int = BAR_WIDTH) -> Text:
    """A bar as long as `count`'s share of `top`; any count at least one cell."""
    cells = max(1, round(width * count / top)) if count and top else 0
    return Text("█" * cells, style="bold") + Text("·" * (width - cells), style="dim")


def rows(lines: Sequence[tuple[str, Text | str]], width: int = 0) -> Text:
    """Label and value lines, the labels padded to one width."""
    pad = max([width, *(len(label) for label, _ in lines)])
    text = Text()
    for label, value in lines:
        text.append(label.ljust(pad + 2), style="dim")
        text.append_text(value if isinstance(value, Text) else Text(value))
        text.append("\n")
    return text


def totals(stats: Stats) -> Text:
    statuses = ", ".join(
        f"{status_label(status)} {count:,}" for status, count in stats.per_status.items() if count
    )
    kinds = ", ".join(f"{kind} {count:,}" for kind, count in stats.per_kind.items())
    rewatches = plural(stats.rewatches, "rewatch", "rewatches")
    text = heading("Totals (all time)")
    text.append_text(
        rows(
            [
                ("viewings", f"{stats.viewings:,} ({rewatches})"),
                ("episodes", f"{stats.episodes:,} watched at least once"),
                ("shows", f"{len(stats.per_show):,} with a viewing"),
                ("by list", f"{statuses or 'none'} (shows)"),
                ("by kind", f"{kinds or 'none'} (viewings)"),
            ]
        )
    )
    return text


def months(stats: Stats) -> Text:
    year = stats.year
    top = max(year.months, default=0)
    text = heading(f"Months of {year.year}")
    for month, count in enumerate(year.months, 1):
        text.append(dt.date(year.year, month, 1).strftime("%b") + " ", style="dim")
        text.append_text(bar(count, top))
        text.append(f" {count:,}\n")
    return text


def _streak(streak: Streak) -> str:
    if not streak.days or streak.first is None or streak.last is None:
        return "none"
    span = str(streak.first) if streak.first == streak.last else f"{streak.first} to {streak.last}"
    return f"{plural(streak.days, 'day', 'days')}, {span}"


def streaks(stats: Stats) -> Text:
    text = heading("Streaks (days in a row with a viewing)")
    current, longest = _streak(stats.current_streak), _streak(stats.longest_streak)
    text.append_text(rows([("current", current), ("longest", longest)]))
    return text


def top_shows(stats: Stats) -> Text:
    shown = stats.top_shows
    title = "Top shows"
    if len(stats.per_show) > TOP_SHOWS:
        title += f" ({TOP_SHOWS} of {len(stats.per_show):,})"
    text = heading(title + ": viewings, episodes")
    width = max((len(f"{count.viewings:,}") for count in shown), default=1)
    for count in shown:
        text.append(f"{count.viewings:>{width},}  {count.episodes:>5,}  ", style="dim")
        text.append(count.title + "\n")
    return text


def ratings(stats: Stats, rate_key: str = "r") -> Text:
    together = stats.ratings.together
    if not any(together):
        return heading("Ratings") + Text(
            f"none yet: {rate_key} rates an episode, or a show in the shows list\n"
        )
    top = max(together)
    text = heading("Ratings (shows, seasons and episodes)")
    for rating in range(10, 0, -1):
        count = together[rating - 1]
        text.append(f"{rating:>2} ", style="dim")
        text.append_text(bar(count, top))
        text.append(f" {count:,}\n")
    return text


def completion(stats: Stats) -> Text:
    started = stats.completion
    finished = [item for item in started if item.finished]
    unfinished = [item for item in started if not item.finished]
    text = heading(
        f"Completion: {plural(len(started), 'show', 'shows')} started, "
        f"{len(finished):,} watched through"
    )
    for item in unfinished[:TOP_SHOWS]:
        if item.known is None or item.percent is None:  # not in the catalog; none known
            text.append_text(progress_bar(0, 0, 10))
            known = "?" if item.known is None else f"{item.known:,}"
            text.append(f" {item.watched:,}/{known}  ", style="dim")
        elif not item.total_known:  # a lower bound: an open-ended bar, no percent
            text.append_text(progress_bar(item.watched, item.known, 10, open_ended=True))
            text.append(f" {item.watched:,}/{item.known:,}+  ", style="dim")
        else:
            text.append_text(progress_bar(item.watched, item.known, 10))
            text.append(f" {item.percent:>3}%  ", style="dim")
        text.append(item.title + ("" if item.complete_count else " (counts unknown)") + "\n")
    if len(unfinished) > TOP_SHOWS:
        more = len(unfinished) - TOP_SHOWS
        text.append(f"… and {more:,} more (tracker stats --json)\n", style="dim")
    return text


def stalled(stats: Stats) -> Text:
    weeks = stats.stalled_weeks
    if not stats.stalled:
        return heading("Stalled") + Text(
            f"none: every show you are watching had a viewing in the last {weeks} weeks\n"
        )
    text = heading(f"Stalled: watching, nothing watched for over {weeks} weeks")
    for item in stats.stalled[:TOP_SHOWS]:
        last = item.last_viewing.astimezone().date()
        text.append(f"{last}  {item.weeks:>3,} weeks  ", style="dim")
        text.append(item.title + "\n")
    if len(stats.stalled) > TOP_SHOWS:
        text.append(f"… and {len(stats.stalled) - TOP_SHOWS:,} more\n", style="dim")
    return text
