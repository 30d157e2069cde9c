"""The main screen at 80x24, 120x40 and 200x50 (issue 15): fresh, mid-season, a show of
many seasons, and a user's show with episode titles and air dates.

Regenerate after an intended change with `--snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tracker_tui.cli.main import main
from tracker_tui.tui import TrackerApp, make_app

from .test_layout import long_runner
from .test_snapshots import SnapCompare, stable_home, watch

__all__ = ["stable_home"]  # the fixture, used by every test here

SIZES = [
    pytest.param((80, 24), id="80x24"),
    pytest.param((120, 40), id="120x40"),
    pytest.param((200, 50), id="200x50"),
]

USER_SHOW = """\
id = "harbor-lights"
title = "Harbor Lights"
kind = "series"
year = 2021

[[seasons]]
number = 1
episode_count = 8
episodes = [
    { number = 1, title = "The Keeper", air_date = "2021-03-01" },
    { number = 2, title = "Fog Signal", air_date = "2021-03-08" },
    { number = 3, title = "A Light Left Burning Through the Night", air_date = "2021-03-15" },
    { number = 4, title = "Low Tide", air_date = "2021-03-22" },
    { number = 5, title = "The Wreck", air_date = "2021-03-29" },
    { number = 6, title = "Lanterns", air_date = "2021-04-05" },
    { number = 7, title = "Breakwater", air_date = "2021-04-12" },
    { number = 8, title = "Homeward", air_date = "2021-04-19" },
]
"""


def cli(*args: str) -> None:
    """Run a `tracker` command as the user would, in this process."""
    try:
        code = main(list(args))
    except SystemExit as exit:
        code = int(exit.code or 0)
    assert code == 0, args


def go_to(show_id: str) -> Any:
    """A `run_before` that makes `show_id` current and focuses the show pane."""

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, TrackerApp)
        app.main_screen.show_id = show_id
        await pilot.pause()
        await pilot.press("tab")

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_layout_fresh(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_layout_mid_season(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    watch("all of us", "s1e1-4")
    assert snap_compare(make_app(), press=["tab"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_layout_many_seasons(
    snap_compare: SnapCompare, stable_home: Path, size: tuple[int, int]
) -> None:
    long_runner(stable_home)
    assert snap_compare(make_app(), terminal_size=size, run_before=go_to("long-runner"))


@pytest.mark.parametrize("size", SIZES)
def test_layout_user_show_with_titles_and_dates(
    snap_compare: SnapCompare, stable_home: Path, size: tuple[int, int]
) -> None:
    shows = stable_home / "shows"
    shows.mkdir(exist_ok=True)
    (shows / "harbor-lights.toml").write_text(USER_SHOW)
    watch("harbor", "s1e1-3")
    cli("watch", "harbor", "s1e2", "--again")
    cli("rate", "harbor", "s1e3", "9")
    assert snap_compare(make_app(), terminal_size=size, run_before=go_to("harbor-lights"))
