"""The upcoming releases screen (`c`): every show's release dates in the domain's order,
each at its precision with a countdown to a known day; enter or a click goes to the
show; an empty list says how to add a date. Snapshots: empty and full, narrow and wide."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tracker_tui.cli.main import main
from tracker_tui.domain.catalog.dates import PartialDate
from tracker_tui.domain.catalog.upcoming import Release, countdown
from tracker_tui.domain.progress.records import EpisodeKey
from tracker_tui.tui import TrackerApp, make_app
from tracker_tui.tui.screens.main_screen import MainScreen
from tracker_tui.tui.screens.upcoming_screen import (
    UpcomingScreen,
    release_cells,
    release_detail,
)
from tracker_tui.tui.widgets import ShowPane
from tracker_tui.tui.widgets.key_bar import KeyBar
from tracker_tui.tui.widgets.lists import VimOptionList

from .conftest import FIXED_NOW, LocalZone
from .test_snapshots import SIZES, SnapCompare, stable_home
from .test_upcoming import (
    KAIJU,
    KAIJU_SOURCE_TITLE,
    write_overlay,
    write_user_show,
)

__all__ = ["stable_home"]  # the autouse fixture: a relative TRACKER_HOME here too

SIZE = (100, 30)
TODAY = FIXED_NOW.date()  # 2026-11-21
LDS = "Love, Death; Robots \\ More"

# In the order tracker upcoming lists them: a coarse date after every finer one it spans.
FULL_LIST = [
    ("October 2026", "⚠ out of date?", LDS, "S1 premiere", "your note"),
    ("2026-11-21", "today", LDS, "S1E2", "your note"),
    ("2026-12-05", "in 14 days", "Kaiju Girl Caramelise", "S1E2", "your note"),
    ("2026-12-05", "in 14 days", LDS, "S1E3", "your note"),
    ("December 2026", "", "Kaiju Girl Caramelise", "S1E3", "your note"),
    ("2026", "", "Kaiju Girl Caramelise", "S1 premiere", KAIJU_SOURCE_TITLE),
    ("2027-01-08", "in 6 weeks", LDS, "S2 premiere", "your note"),
    ("2027", "", LDS, "S1E4", "your note"),
]


@pytest.fixture
def full(tracker_home: Path) -> Path:
    """The bundled catalog, a show of the user's with dates to the day, month and year,
    and the user's own air dates for a bundled show."""
    write_user_show(tracker_home)
    write_overlay(tracker_home)
    return tracker_home


@pytest.fixture
def empty(tracker_home: Path) -> Path:
    """A show of the user's with the bundled id replaces Kaiju: nothing scheduled."""
    write_user_show(tracker_home, f'id = "{KAIJU}"\ntitle = "Mine"\nkind = "anime"\n', name=KAIJU)
    return tracker_home


@pytest.fixture
def far_east(local_zone: LocalZone) -> None:
    """A time zone where FIXED_NOW (12:00 UTC) is already the next day."""
    local_zone("Pacific/Kiritimati")  # UTC+14


def upcoming_screen(app: TrackerApp) -> UpcomingScreen:
    assert isinstance(app.screen, UpcomingScreen)
    return app.screen


async def open_upcoming(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.press("c")
    await pilot.pause()


def listed(app: TrackerApp) -> list[tuple[str, str, str, str, str]]:
    screen = upcoming_screen(app)
    return [release_cells(release, screen.today) for release in screen.releases]


def detail(app: TrackerApp) -> str:
    return str(app.screen.query_one("#upcoming-detail", Static).content)


# --- the countdown ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "said"),
    [
        ("2026-11-21", "today"),
        ("2026-11-22", "tomorrow"),
        ("2026-11-24", "in 3 days"),
        ("2026-12-22", "in 31 days"),
        ("2026-12-23", "in 4 weeks"),
        ("2027-02-12", "in 11 weeks"),
        ("2027-02-13", "in 3 months"),
        ("2028-12-01", "in 2 years"),
        ("2026-11-20", "yesterday"),
        ("2026-11-11", "10 days ago"),
        ("2026-11", ""),
        ("2026", ""),
    ],
)
def test_a_countdown_is_for_a_known_day_only(date: str, said: str) -> None:
    assert countdown(PartialDate.parse(date), TODAY) == said


def test_a_disputed_overdue_release_says_both_in_its_row_and_its_words() -> None:
    release = Release(
        "x",
        "X",
        2,
        None,
        PartialDate.parse("2026-11-01"),
        possibly_out_of_date=True,
        disputed=True,
        sources=("a.txt",),
        yours=False,
        source_titles=("A Title",),
    )
    assert release_cells(release, TODAY) == (
        "2026-11-01",
        "⚠ out of date?",
        "X",
        "S2 premiere ⚠",
        "A Title",
    )
    assert str(release_detail(release, TODAY)) == (
        "X, season 2 premiere: 2026-11-01 (20 days ago). Possibly out of date: the date has "
        "passed and no later report says it came out. Disputed: the sources disagree about "
        "it. Source: A Title."
    )


# --- the list --------------------------------------------------------------------------


async def test_c_lists_every_release_in_order_at_its_precision(full: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_upcoming(pilot)
        assert listed(app) == FULL_LIST
        # The highlighted (first) release in words: its precision, its mark, its source.
        assert detail(app) == (
            f"{LDS}, season 1 premiere: October 2026, known only to the month. Possibly out "
            "of date: the date has passed and no later report says it came out. Source: "
            "your note."
        )
        await pilot.press("down", "down", "down", "down", "down")
        assert detail(app) == (
            "Kaiju Girl Caramelise, season 1 premiere: 2026, known only to the year. "
            f"Source: {KAIJU_SOURCE_TITLE}."
        )
        await pilot.press("k")
        assert detail(app).startswith("Kaiju Girl Caramelise, S1E3: December 2026,")


async def test_today_is_the_users_day(full: Path, far_east: None) -> None:
    """At 02:00 on the 22nd in the user's zone, the 21st has passed and the 5th of
    December is 13 days away, whatever the day is in UTC."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_upcoming(pilot)
        rows = listed(app)
        assert ("2026-11-21", "today", LDS, "S1E2", "your note") not in rows
        assert ("2026-12-05", "in 13 days", LDS, "S1E3", "your note") in rows


async def test_the_palette_offers_upcoming_releases() -> None:
    app = make_app()
    async with app.run_test(size=SIZE):
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
    (title,) = [title for title in commands if title.startswith("Upcoming releases")]
    assert commands[title] == "key: c"


# --- going to a release ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "episode"),
    [
        pytest.param(3, EpisodeKey("lds", 1, 3), id="an episode"),
        pytest.param(6, EpisodeKey("lds", 2, 1), id="a season premiere: its first episode"),
    ],
)
async def test_enter_goes_to_the_show_at_the_release(
    full: Path, row: int, episode: EpisodeKey
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_upcoming(pilot)
        await pilot.press(*["down"] * row, "enter")
        await pilot.pause()
        screen = app.main_screen
        assert app.screen is screen
        assert screen.show_id == "lds"
        assert screen.shows_pane.highlighted_id == "lds"
        assert screen.show_pane.highlighted_key("lds") == episode
        assert isinstance(app.focused, ShowPane)


async def test_a_click_goes_to_a_season_premiere_at_its_first_episode(full: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_upcoming(pilot)
        await pilot.click("#upcoming-list", offset=(5, 5))  # the sixth row: Kaiju S1
        await pilot.pause()
        assert app.screen is app.main_screen
        assert app.main_screen.show_id == KAIJU
        assert app.main_screen.show_pane.highlighted_key(KAIJU) == EpisodeKey(KAIJU, 1, 1)


async def test_going_to_a_show_a_filter_hides_lists_it(full: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"all of", "enter")
        shows_pane = app.main_screen.shows_pane
        assert shows_pane.visible_ids() == ["all-of-us-are-dead"]
        await pilot.press("c", "down", "enter")  # LDS S1E2
        await pilot.pause()
        assert "lds" in shows_pane.visible_ids()
        assert shows_pane.highlighted_id == app.main_screen.show_id == "lds"
        assert shows_pane.query_one("#show-filter", Input).value == ""


async def test_going_to_an_archived_show_lists_the_archived(full: Path) -> None:
    assert main(["archive", "lds"]) == 0
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_upcoming(pilot)
        await pilot.press("enter")  # LDS S1, an archived show's schedule is still listed
        await pilot.pause()
        shows_pane = app.main_screen.shows_pane
        assert shows_pane.status_filter == "archived"
        assert shows_pane.highlighted_id == app.main_screen.show_id == "lds"
        await pilot.pause()
        assert app.main_screen.show_id == "lds"  # no stale highlight message moved it


# --- nothing scheduled, and closing ----------------------------------------------------


async def test_nothing_scheduled_says_how_to_add_a_date(empty: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_upcoming(pilot)
        text = str(app.screen.query_one("#upcoming-empty", Static).content)
        assert text.startswith("Nothing scheduled: no show has a future release date.")
        assert "Add one to your own show with e (edit)" in text
        assert "s2e1 | Title | 2027-03-14" in text
        assert not app.screen.query_one(VimOptionList).display
        await pilot.press("enter")  # nothing to go to: the screen stays
        assert isinstance(app.screen, UpcomingScreen)


@pytest.mark.parametrize("key", ["escape", "c"])
async def test_a_key_closes_it(full: Path, key: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_upcoming(pilot)
        upcoming_screen(app)
        show_before = app.main_screen.show_id
        await pilot.press(key)
        assert isinstance(app.screen, MainScreen)
        assert app.main_screen.show_id == show_before


async def test_a_click_on_the_footer_closes_it(empty: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_upcoming(pilot)
        bar = app.screen.query_one(KeyBar)
        await pilot.click(bar, offset=(str(bar.render()).index("esc Close"), 0))
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


# --- snapshots -------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_upcoming_full(snap_compare: SnapCompare, full: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), run_before=open_upcoming, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_upcoming_empty(snap_compare: SnapCompare, empty: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), run_before=open_upcoming, terminal_size=size)
