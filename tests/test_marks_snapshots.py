"""Snapshot tests of the marks on the library: the status filter, and a show with
ratings and rewatches (80x24, the narrow layout, where room is tightest)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from textual.pilot import Pilot

from tracker_tui.tui import make_app

from .test_snapshots import SnapCompare, stable_home, watch

__all__ = ["stable_home"]  # the autouse fixture: a relative TRACKER_HOME here too

SIZE = (80, 24)


def test_status_filter(snap_compare: SnapCompare) -> None:
    """All of Us is being watched: `f` twice lists "plan to watch", Kaiju Girl alone; the
    border names the list and the key for the next one."""
    watch("all of us", "s1e1")
    assert snap_compare(make_app(), press=["f", "f"], terminal_size=SIZE)


def test_status_filter_empty(snap_compare: SnapCompare) -> None:
    """`f` three times: nothing is on hold, and the pane says what to press."""
    assert snap_compare(make_app(), press=["f", "f", "f"], terminal_size=SIZE)


async def rate_and_rewatch(pilot: Pilot[Any]) -> None:
    """The show rated 9, season 1 rated 8, E1 watched three times and rated 10, E2 once;
    the notifications cleared so the panes show."""
    await pilot.pause()  # the shows pane has the focus
    await pilot.press("r", "9", "tab", "plus", "plus", "plus", "r", "0", "R", "8", "j", "space")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


def test_ratings_and_rewatches(snap_compare: SnapCompare) -> None:
    """Ratings in the shows pane, the season header and the episode row; the rewatch
    count beside the episode."""
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=rate_and_rewatch)


def test_status_picker(snap_compare: SnapCompare) -> None:
    """`l`: the lists, and what automatic means for the show now."""
    assert snap_compare(make_app(), press=["l"], terminal_size=SIZE)


def test_rating_modal(snap_compare: SnapCompare) -> None:
    """`r` on the first show: the question and its keys."""
    assert snap_compare(make_app(), run_before=open_rating, terminal_size=SIZE)


async def open_rating(pilot: Pilot[Any]) -> None:
    await pilot.pause()  # the shows pane has the focus
    await pilot.press("r")


def test_viewings_list(snap_compare: SnapCompare, monkeypatch: pytest.MonkeyPatch) -> None:
    """`v` on an episode watched twice: each viewing at its local time (UTC here)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    assert snap_compare(make_app(), run_before=open_viewings, terminal_size=SIZE)
    monkeypatch.undo()
    time.tzset()


async def open_viewings(pilot: Pilot[Any]) -> None:
    await pilot.pause()  # the shows pane has the focus
    await pilot.press("tab", "space", "plus")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.press("v")
