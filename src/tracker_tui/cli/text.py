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
