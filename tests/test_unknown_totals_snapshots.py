"""Snapshot of a show whose episode count is unknown (80x24): its row in the shows list
reads `3/3+` under an open-ended bar, and its season header's bar is open-ended too."""

from __future__ import annotations

from tracker_tui.cli.main import main
from tracker_tui.tui import make_app

from .test_snapshots import SnapCompare, stable_home

__all__ = ["stable_home"]  # the autouse fixture: a relative TRACKER_HOME here too


def run(*args: str) -> None:
    try:
        code = main(list(args))
    except SystemExit as exit:
        code = int(exit.code or 0)
    assert code == 0, args


def test_a_show_of_unknown_count_does_not_look_watched_through(
    snap_compare: SnapCompare,
) -> None:
    """Open Ended: one season, status and count unknown, its three known episodes
    watched. Highlighted: `████████┄┄ 3/3+` in the list, `████┄ 3/?` on its season."""
    run("add", "Open Ended", "--seasons", "?")
    run("watch", "open-ended", "s1e1-3", "--force")
    assert snap_compare(make_app(), press=["down", "down"], terminal_size=(80, 24))
