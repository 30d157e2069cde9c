"""Snapshot of the import screen's preview at 80x24: what a MyAnimeList list would create,
add and skip, before anything is written."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tracker_tui.tui import make_app

from .conftest import REPO
from .test_snapshots import SnapCompare, stable_home

__all__ = ["stable_home"]  # the autouse fixture: a relative TRACKER_HOME here too

MAL = REPO / "tests" / "fixtures" / "exchange" / "mal" / "animelist.xml"


async def preview_mal_list(pilot: Pilot[Any]) -> None:
    await pilot.pause()  # the shows pane has the focus
    await pilot.press("I")
    await pilot.pause()
    # A relative path (the test's folder is the working directory): no temp path on screen.
    pilot.app.screen.query_one("#import-path", Input).value = "animelist.xml"
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_import_preview(snap_compare: SnapCompare, tracker_home: Path) -> None:
    shutil.copy(MAL, tracker_home.parent / "animelist.xml")
    assert snap_compare(make_app(), run_before=preview_mal_list, terminal_size=(80, 24))
