"""A show's list status (watching, completed, on hold, dropped, plan to watch): the user's
choice when they made one, else what their progress says."""

from __future__ import annotations

from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.progress.records import STATUSES, Progress
from tracker_tui.domain.watching.episodes import WatchStatus, show_progress

AUTOMATIC = "auto"
"""What `tracker status SHOW auto` and the app's "automatic" choose: no hand-set status."""

_FROM_PROGRESS = {
    WatchStatus.NOT_STARTED: "plan-to-watch",
    WatchStatus.WATCHING: "watching",
    # Everything out is watched but more may come: still on the list being watched.
    WatchStatus.UP_TO_DATE: "watching",
    WatchStatus.COMPLETED: "completed",
}


def list_status(show: Show, progress: Progress) -> tuple[str, bool]:
    """(status, set by hand): one of STATUSES."""
    chosen = progress.status(show.id)
    if chosen is not None:
        return chosen, True
    return _FROM_PROGRESS[show_progress(show, progress).status], False


def status_label(status: str) -> str:
    """ "on-hold" as people write it: "on hold"."""
    return status.replace("-", " ")


__all__ = ["AUTOMATIC", "STATUSES", "list_status", "status_label"]
