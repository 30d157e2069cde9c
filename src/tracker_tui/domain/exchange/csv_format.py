"""tracker's own CSV: one viewing per row, the columns both its reader and writer use."""

from __future__ import annotations

from tracker_tui.domain.exchange.batch import ID_NAMES

COLUMNS = (
    "show_id",
    "title",
    "year",
    "kind",
    "season",
    "episode",
    "watched_at",
    "rating",
    *ID_NAMES,
)
"""In this order when written; read by name, in any order."""
REQUIRED = ("show_id", "title", "season", "episode", "watched_at")
UNKNOWN_TIME = ""
"""`watched_at` of a viewing whose time is not known."""

FORMULA_STARTS = ("=", "+", "-", "@")
"""A cell starting so is a formula to a spreadsheet: a title like `=HYPERLINK(...)` from
an imported export would run when the CSV is opened."""


def guarded(text: str) -> str:
    """TEXT as written: a leading `'` (which spreadsheets hide) before a formula start,
    and before any `'`s already in front of one, so `unguarded` gives TEXT back."""
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def unguarded(text: str) -> str:
    """A cell as `guarded` wrote it, back to the text."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text
