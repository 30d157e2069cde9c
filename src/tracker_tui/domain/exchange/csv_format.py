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
