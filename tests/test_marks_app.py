"""Pilot tests: list statuses and the status filter, ratings, rewatches and an episode's
viewings, the archive; each saved to the progress file and read back from it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from tracker_tui.domain.progress.records import EpisodeKey, EpisodeRecord, Progress
from tracker_tui.domain.progress.store import ProgressStore
from tracker_tui.tui import TrackerApp, make_app
from tracker_tui.tui.screens.rating_screen import RatingScreen
from tracker_tui.tui.screens.status_screen import StatusScreen
from tracker_tui.tui.screens.viewings_screen import ViewingsScreen
from tracker_tui.tui.widgets import ShowPane, ShowsPane

from .conftest import LocalZone
from .pilot_helpers import notified, settle

AOUD = "all-of-us-are-dead"
KAIJU = "kaiju-girl-caramelise"
SIZE = (100, 30)


def ep(number: int, season: int = 1, show: str = AOUD) -> EpisodeKey:
    return EpisodeKey(show, season, number)


def reloaded(home: Path) -> Progress:
    """What the progress file holds, read as a new app would."""
    return ProgressStore(home / "progress.json").load().progress


def row_text(app: TrackerApp, show_id: str) -> str:
    """The shows pane's row of a show, as plain text."""
    show_list = app.query_one(ShowsPane).show_list
    return show_list.row_text(show_id).plain


def episode_row(app: TrackerApp, key: EpisodeKey) -> str:
    pane = app.query_one(ShowPane)
    return str(pane.get_option(f"ep-{key.season}-{key.episode}").prompt)


def season_rows(app: TrackerApp, season: int) -> str:
    """The season's header and the lines under it, up to its first episode."""
    pane = app.query_one(ShowPane)
    start = pane.get_option_index(f"season-{season}")
    end = pane.get_option_index(f"ep-{season}-1")
    return "\n".join(str(pane.get_option_at_index(i).prompt) for i in range(start, end))


async def choose_status(app: TrackerApp, pilot: Pilot[None], status: str) -> None:
    """`l`, then the status's row, then enter."""
    await pilot.press("l")
    screen = app.screen
    assert isinstance(screen, StatusScreen)
    options = screen.query_one(OptionList)
    options.highlighted = options.get_option_index(status)
    await pilot.press("enter")
    await settle(app, pilot)


@pytest.fixture
def local_time_paris(local_zone: LocalZone) -> None:
    """Local time one hour ahead of UTC in November, so a viewing's local time differs
    from its stored UTC time."""
    local_zone("Europe/Paris")


# --- list statuses and the status filter ------------------------------------------------


async def test_l_puts_a_show_on_a_list_and_back_to_automatic(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert "plan to watch" in row_text(app, AOUD)  # nothing watched: derived
        await choose_status(app, pilot, "on-hold")
        assert app.session.progress.status(AOUD) == "on-hold"
        assert "on hold" in row_text(app, AOUD)
        assert reloaded(tracker_home).status(AOUD) == "on-hold"
        await choose_status(app, pilot, "automatic")
        assert reloaded(tracker_home).status(AOUD) is None
        assert "plan to watch" in row_text(app, AOUD)


async def test_escape_leaves_the_status_as_it_is(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l", "j", "escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, StatusScreen)
        assert app.session.progress.status(AOUD) is None
        assert not (tracker_home / "progress.json").exists()


async def test_a_status_set_by_hand_is_undone_by_u(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await choose_status(app, pilot, "dropped")
        await pilot.press("u")
        await settle(app, pilot)
        assert reloaded(tracker_home).status(AOUD) is None


async def test_f_cycles_the_status_filter_and_names_it(tracker_home: Path) -> None:
    app = make_app()
    notices: list[str] = []
    async with app.run_test(size=SIZE, message_hook=notified(notices)) as pilot:
        shows = app.query_one(ShowsPane)
        await pilot.press("tab", "space", "shift+tab")  # All of Us: watching
        await settle(app, pilot)
        assert shows.visible_ids() == [AOUD, KAIJU]
        expected = {
            "watching": [AOUD],
            "plan-to-watch": [KAIJU],
            "on-hold": [],
            "dropped": [],
            "completed": [],
            "archived": [],
            "all": [AOUD, KAIJU],
        }
        for status, ids in expected.items():
            await pilot.press("f")
            assert shows.status_filter == status
            assert shows.visible_ids() == ids, status
            title = str(shows.border_title)
            if status == "all":
                assert title == "Shows"
            else:
                assert title == f"Shows · {status.replace('-', ' ')}"
            if not ids:
                empty = str(shows.query_one("#shows-empty", Static).content)
                assert "f shows" in empty and empty.startswith("No show is"), empty
        await pilot.press("f")
        assert app.show_id == AOUD  # the listed show became current


async def test_a_status_filter_follows_a_status_change(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        shows = app.query_one(ShowsPane)
        await pilot.press("f", "f")  # plan to watch: both
        assert shows.visible_ids() == [AOUD, KAIJU]
        await choose_status(app, pilot, "on-hold")
        assert shows.visible_ids() == [KAIJU]
        assert app.show_id == KAIJU
        await pilot.press("f")
        assert shows.visible_ids() == [AOUD]


# --- ratings --------------------------------------------------------------------------


async def test_r_rates_the_show_from_the_shows_pane(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, RatingScreen)
        await pilot.press("8")
        await settle(app, pilot)
        assert "★8" in row_text(app, AOUD)
        assert reloaded(tracker_home).rating(AOUD) == 8
        await pilot.press("r", "0")  # 0 is 10
        await settle(app, pilot)
        assert reloaded(tracker_home).rating(AOUD) == 10
        await pilot.press("r", "backspace")
        await settle(app, pilot)
        assert reloaded(tracker_home).rating(AOUD) is None
        assert "★" not in row_text(app, AOUD)


async def test_r_rates_the_episode_and_shift_r_its_season(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "j", "r", "7")  # E2
        await settle(app, pilot)
        assert "★7" in episode_row(app, ep(2))
        await pilot.press("R", "9")
        await settle(app, pilot)
        assert "your rating ★9" in season_rows(app, 1)
        progress = reloaded(tracker_home)
        assert progress.rating(AOUD, 1, 2) == 7
        assert progress.rating(AOUD, 1) == 9
        assert progress.rating(AOUD) is None
        await pilot.press("r", "delete")
        await settle(app, pilot)
        assert reloaded(tracker_home).rating(AOUD, 1, 2) is None
        assert "★" not in episode_row(app, ep(2))


async def test_escape_closes_the_rating_without_a_change(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, RatingScreen)
        assert app.session.progress.rating(AOUD) is None


# --- rewatches and viewings ----------------------------------------------------------------


async def test_plus_logs_another_viewing_never_a_toggle(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "plus", "plus", "plus")
        await settle(app, pilot)
        assert app.session.progress.is_watched(ep(1))
        assert "×3" in episode_row(app, ep(1))
        assert len(reloaded(tracker_home).viewings(ep(1))) == 3
        await pilot.press("u")
        await settle(app, pilot)
        assert len(reloaded(tracker_home).viewings(ep(1))) == 2
        assert "×2" in episode_row(app, ep(1))


async def test_plus_from_the_shows_pane_says_where_to_go(tracker_home: Path) -> None:
    app = make_app()
    notices: list[str] = []
    async with app.run_test(size=SIZE, message_hook=notified(notices)) as pilot:
        await pilot.press("plus")
        await settle(app, pilot)
        assert notices == ["Highlight an episode in the show pane first."]
        assert not (tracker_home / "progress.json").exists()


@pytest.mark.usefixtures("local_time_paris")
async def test_v_lists_viewings_in_local_time_and_x_removes_one(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "space", "plus")
        await settle(app, pilot)
        _first, second = app.session.progress.viewings(ep(1))
        await pilot.press("v")
        screen = app.screen
        assert isinstance(screen, ViewingsScreen)
        rows = [str(option.prompt) for option in screen.query_one(OptionList).options]
        assert rows == ["1. 2026-11-21 13:00", "2. 2026-11-21 13:00"]  # 12:00 UTC
        await pilot.press("k", "x")  # the first viewing
        await settle(app, pilot)
        assert not isinstance(app.screen, ViewingsScreen)
        left = reloaded(tracker_home).viewings(ep(1))
        assert [viewing.id for viewing in left] == [second.id]
        await pilot.press("u")
        await settle(app, pilot)
        assert len(reloaded(tracker_home).viewings(ep(1))) == 2


@pytest.mark.usefixtures("local_time_paris")
async def test_viewings_upgraded_from_version_1_say_their_time_is_unknown(
    tracker_home: Path,
) -> None:
    """A version 1 record watched three times kept only the latest time: the two earlier
    viewings have none, and the list says so (and the row still counts all three)."""
    at = dt.datetime(2026, 11, 20, 21, 30, tzinfo=dt.UTC)
    ProgressStore(tracker_home / "progress.json").save(
        Progress({ep(1): EpisodeRecord(True, at, watch_count=3, watched_at=at)})
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        assert "×3" in episode_row(app, ep(1))
        await pilot.press("k", "v")  # the cursor starts on the first unwatched, E2
        screen = app.screen
        assert isinstance(screen, ViewingsScreen)
        rows = [str(option.prompt) for option in screen.query_one(OptionList).options]
        assert rows == ["1. time unknown", "2. time unknown", "3. 2026-11-20 22:30"]


async def test_v_on_an_unwatched_episode_says_so(tracker_home: Path) -> None:
    app = make_app()
    notices: list[str] = []
    async with app.run_test(size=SIZE, message_hook=notified(notices)) as pilot:
        await pilot.press("tab", "v")
        await pilot.pause()
        assert not isinstance(app.screen, ViewingsScreen)
        assert notices == ["All of Us Are Dead S1E1 has no viewings yet."]


# --- the archive ------------------------------------------------------------------------


async def test_shift_a_archives_hides_and_the_archived_filter_lists_it(
    tracker_home: Path,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        shows = app.query_one(ShowsPane)
        await pilot.press("A")
        await settle(app, pilot)
        assert reloaded(tracker_home).is_archived(AOUD)
        assert shows.visible_ids() == [KAIJU]
        assert app.show_id == KAIJU
        await pilot.press(*["f"] * 6)
        assert shows.status_filter == "archived"
        assert shows.visible_ids() == [AOUD]
        assert str(shows.border_title) == "Shows · archived"
        await pilot.press("A")  # back from the archive
        await settle(app, pilot)
        assert not reloaded(tracker_home).is_archived(AOUD)
        assert shows.visible_ids() == []
        await pilot.press("f")
        assert shows.visible_ids() == [AOUD, KAIJU]


async def test_every_show_archived_says_how_to_see_them_and_add_one(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("A", "A")
        await settle(app, pilot)
        shows = app.query_one(ShowsPane)
        assert shows.visible_ids() == []
        empty = str(shows.query_one("#shows-empty", Static).content)
        assert "Every show is archived (2)" in empty
        assert "Press f until “archived”" in empty
        assert "tracker add TITLE" in empty
        await pilot.press("u")
        await settle(app, pilot)
        assert shows.visible_ids() == [KAIJU]


async def test_marks_survive_a_restart(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await choose_status(app, pilot, "completed")
        await pilot.press("r", "6", "tab", "plus", "plus")
        await settle(app, pilot)
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "completed" in row_text(again, AOUD)
        assert "★6" in row_text(again, AOUD)
        assert "×2" in episode_row(again, ep(1))


async def test_a_remapped_key_works_and_hints_follow_it(tracker_home: Path) -> None:
    (tracker_home / "settings.json").write_text('{"keymap": {"status_filter": "F"}}')
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        shows = app.query_one(ShowsPane)
        await pilot.press("F")
        assert shows.status_filter == "watching"
        assert str(shows.border_subtitle) == "F next list"
