"""Plain text that many commands print: aligned tables and lists of episodes. Apart from
human.py (a show's cited facts, notes and sources), so `tracker next` or `tracker stats`
does not import what only `tracker show` prints."""

from __future__ import annotations

from tracker_tui.domain.progress.records import EpisodeKey


def table(rows: list[list[str]], indent: str = "") -> list[str]:
    """Left-aligned columns sized to their widest cell."""
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        indent
        + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def episode_codes(keys: list[EpisodeKey]) -> str:
    """`S1E1, S1E2`: episodes as the commands name them."""
    return ", ".join(key.code() for key in keys)


LOWER_BOUND_NOTE = "+ at least this many episodes: a season's episode count is unknown"
"""Under a table with a `3/3+` cell: what the + means."""


def watched_cell(watched: int, known: int, percent: int, total_known: bool) -> str:
    """`3/12 25%`; `3/3+` when the total is only a lower bound (a season open for tracking
    has no episode count), never a percent of it; `-` when no episode is known."""
    if not known:
        return "-"
    if not total_known:
        return f"{watched}/{known}+"
    return f"{watched}/{known} {percent}%"
