"""The history screen (`h`): every viewing and unwatch by local day, newest first; the
filter, going to an episode, removing a viewing (saved, undone with u); its snapshots."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tracker_tui.domain.progress.model import EpisodeState, Viewing
from tracker_tui.domain.progress.records import (
    EpisodeKey,
    HistoryEntry,
    Progress,
    mark_unwatched,
    mark_watched,
)
from tracker_tui.domain.progress.store import ProgressStore
from tracker_tui.tui import TrackerApp, make_app
from tracker_tui.tui.screens import history_screen
from tracker_tui.tui.screens.history_screen import HistoryScreen
from tracker_tui.tui.widgets.history_list import (
    HistoryList,
    day_heading,
    entry_time,
    history_lines,
)

from .conftest import LocalZone
from .pilot_helpers import notified, settle
from .test_snapshots import SnapCompare, stable_home

__all__ = ["stable_home"]  # the autouse fixture: a relative TRACKER_HOME here too

AOUD = "all-of-us-are-dead"
KAIJU = "kaiju-girl-caramelise"
GONE = "a-show-since-removed"
SIZE = (100, 30)
SIZES = [(80, 24), (120, 40)]


def ep(number: int, season: int = 1, show: str = AOUD) -> EpisodeKey:
    return EpisodeKey(show, season, number)


def utc(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def local_time_paris(local_zone: LocalZone) -> None:
    """Paris is an hour ahead of UTC in November: 23:30 UTC on the 20th is the 21st there."""
    local_zone("Europe/Paris")


def write_history(home: Path) -> Progress:
    """A few days of watching, an unwatch, an import of unknown time, and a show that is
    no longer in the catalog."""
    progress = Progress.empty()
    for key, at in [
        (ep(3), utc(19, 10)),
        (ep(1, show=GONE), utc(18, 9)),
        (ep(1), utc(20, 20, 14)),
        (ep(1, show=KAIJU), utc(20, 23, 30)),
        (ep(2), utc(21, 8)),
    ]:
        progress = mark_watched(progress, [key], at, watched_at=at)
    progress = mark_unwatched(progress, [ep(3)], utc(19, 11))
    imported = Viewing("imported1", None, dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    progress = progress.with_episodes({ep(2, show=KAIJU): EpisodeState({"imported1": imported})})
    return ProgressStore(home / "progress.json").save(progress)


def reloaded(home: Path) -> Progress:
    return ProgressStore(home / "progress.json").load().progress


async def open_history(app: TrackerApp, pilot: Pilot[Any]) -> HistoryList:
    await pilot.press("h")
    await settle(app, pilot)
    assert isinstance(app.screen, HistoryScreen)
    return app.screen.query_one(HistoryList)


def listed(history: HistoryList) -> list[str]:
    """Each line as headings and (time show code event) rows."""
    return [
        line
        if isinstance(line, str)
        else f"{entry_time(line).strip()} {line.key.show} {line.key.code()} {line.event}"
        for line in history.lines
    ]


def highlight(history: HistoryList, key: EpisodeKey) -> None:
    history.cursor = next(
        index
        for index, line in enumerate(history.lines)
        if isinstance(line, HistoryEntry) and line.key == key and line.event == "watched"
    )


async def test_h_lists_every_viewing_by_local_day_newest_first(tracker_home: Path) -> None:
    write_history(tracker_home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        history = await open_history(app, pilot)
        assert listed(history) == [
            "Saturday 21 November 2026",
            f"09:00 {AOUD} S1E2 watched",
            f"00:30 {KAIJU} S1E1 watched",
            "Friday 20 November 2026",
            f"21:14 {AOUD} S1E1 watched",
            "Thursday 19 November 2026",
            f"12:00 {AOUD} S1E3 unmarked",  # the viewing it took away is not listed
            "Wednesday 18 November 2026",
            f"10:00 {GONE} S1E1 watched",
            "Time unknown",
            f"– {KAIJU} S1E2 watched",
        ]
        assert history.highlighted_entry == history.lines[1]  # the newest
        title = str(app.screen.query_one("#history-title", Static).content)
        assert "5 viewings, 1 unwatched" in title


async def test_opening_it_again_with_nothing_changed_needs_no_reading(
    tracker_home: Path,
) -> None:
    write_history(tracker_home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_history(app, pilot)
        await pilot.press("escape", "h")
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.entries is not None  # at once, with no thread
        assert len(app.screen.query_one(HistoryList).lines) == 11


async def test_opening_it_again_lists_every_show_from_the_newest(tracker_home: Path) -> None:
    """The app keeps the screen; what a filter or `c` left is gone when it opens again."""
    write_history(tracker_home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.main_screen.show_id = KAIJU
        history = await open_history(app, pilot)
        await pilot.press("slash", *"kaiju", "enter", "enter")  # keep it, go to an episode
        await settle(app, pilot)
        assert app.screen is app.main_screen
        again = await open_history(app, pilot)
        assert again is history
        assert len(listed(history)) == 11
        assert history.highlighted_entry == history.lines[1]
        assert history.has_focus
        field = app.screen.query_one("#history-filter", Input)
        assert (field.value, field.display) == ("", False)
        title = str(app.screen.query_one("#history-title", Static).content)
        assert "/kaiju" not in title
        await pilot.press("c", "escape", "escape")  # clear `c`, then close
        await settle(app, pilot)
        await open_history(app, pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.only_show is None
        assert len(listed(history)) == 11


async def test_a_change_made_while_it_is_closed_is_read_when_it_opens(
    tracker_home: Path,
) -> None:
    """Not before: a mark on the main screen costs no read of the whole history."""
    write_history(tracker_home)
    reads: list[HistoryScreen.Loaded] = []

    def hook(message: Message) -> None:
        if isinstance(message, HistoryScreen.Loaded) and message not in reads:  # it bubbles
            reads.append(message)

    app = make_app()
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        history = await open_history(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        app.main_screen.show_id = KAIJU
        await pilot.press("tab", "space")  # marks Kaiju Girl's first unwatched episode
        await settle(app, pilot)
        assert len(reads) == 1  # the first opening's only
        await open_history(app, pilot)
        assert len(reads) == 2
        assert reads[-1].progress is app.main_screen.progress
        assert listed(history)[1] == f"13:00 {KAIJU} S1E3 watched"  # "today" is the 21st
        assert len(listed(history)) == 12


def test_a_day_heading_names_the_day_as_strftime_does() -> None:
    """By table, with the names strftime gives (Python's C locale), leap days included."""
    first = dt.date(2023, 12, 25)
    for offset in range(800):
        day = first + dt.timedelta(days=offset)
        assert day_heading(day) == f"{day:%A} {day.day} {day:%B %Y}"


def test_days_are_local_days_across_a_change_of_summer_time() -> None:
    """Paris leaves summer time on 25 October 2026: midnight there is 22:00 UTC on the
    24th, and 23:00 UTC on the 25th."""
    times = [
        dt.datetime(2026, 10, 25, 23, 30, tzinfo=dt.UTC),  # 00:30 on the 26th
        dt.datetime(2026, 10, 25, 22, 59, tzinfo=dt.UTC),  # 23:59 on the 25th
        dt.datetime(2026, 10, 24, 22, 0, tzinfo=dt.UTC),  # midnight: the 25th
        dt.datetime(2026, 10, 24, 21, 59, tzinfo=dt.UTC),  # 23:59 on the 24th
    ]
    entries = [HistoryEntry(ep(1), "watched", at, str(n)) for n, at in enumerate(times)]
    lines = history_lines(entries)
    assert [line if isinstance(line, str) else entry_time(line) for line in lines] == [
        "Monday 26 October 2026",
        "00:30",
        "Sunday 25 October 2026",
        "23:59",
        "00:00",
        "Saturday 24 October 2026",
        "23:59",
    ]


def test_a_day_whose_midnight_does_not_exist_starts_when_the_clock_jumps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Santiago starts summer time at midnight on 6 September 2026: 00:00 there never
    happens, the day starts at 01:00 (-03), 04:00 UTC. A viewing at 23:30 on the 5th
    (03:30 UTC) is the 5th's, not the 6th's."""
    monkeypatch.setenv("TZ", "America/Santiago")
    time.tzset()
    times = [
        dt.datetime(2026, 9, 6, 14, 0, tzinfo=dt.UTC),  # 11:00 on the 6th
        dt.datetime(2026, 9, 6, 3, 30, tzinfo=dt.UTC),  # 23:30 on the 5th
    ]
    entries = [HistoryEntry(ep(1), "watched", at, str(n)) for n, at in enumerate(times)]
    lines = history_lines(entries)  # the autouse fixture calls tzset() again after
    assert [line if isinstance(line, str) else entry_time(line) for line in lines] == [
        "Sunday 6 September 2026",
        "11:00",
        "Saturday 5 September 2026",
        "23:30",
    ]


async def test_the_cursor_skips_day_headings(tracker_home: Path) -> None:
    write_history(tracker_home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        history = await open_history(app, pilot)
        await pilot.press("down", "down")
        assert history.cursor == 4  # past "Friday 20 November 2026"
        await pilot.press("end")
        assert history.cursor == len(history.lines) - 1
        await pilot.press("k", "home")
        assert history.cursor == 1


async def test_typing_a_filter_lists_matching_shows_and_escape_clears_it(
    tracker_home: Path,
) -> None:
    write_history(tracker_home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        history = await open_history(app, pilot)
        await pilot.press("slash", *"kaiju")
        shows = {line.key.show for line in history.lines if isinstance(line, HistoryEntry)}
        assert shows == {KAIJU}
        assert "/kaiju: 2" in str(app.screen.query_one("#history-title", Static).content)
        await pilot.press("enter", "escape")  # keep it, then clear it
        assert len(listed(history)) == 11
        await pilot.press("slash", *"nothing like it")
        assert not history.display
        empty = str(app.screen.query_one("#history-empty", Static).content)
        assert "No viewings of a show matching “nothing like it”" in empty
        await pilot.press("escape", "escape")
        assert not isinstance(app.screen, HistoryScreen)


async def test_keys_read_together_with_the_slash_go_to_the_filter(tracker_home: Path) -> None:
    """As tmux or a paste sends them: in one read, before `/` has moved the focus."""
    write_history(tracker_home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_history(app, pilot)
        for key, character in [("slash", "/"), ("c", "c"), ("a", "a"), ("l", "l")]:
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.press("slash", "x")  # in the filter, / is typed
        assert app.screen.query_one("#history-filter", Input).value == "cal/x"
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.only_show is None  # c was typed, not pressed


async def test_a_long_history_is_filtered_once_typing_pauses(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history_screen, "LONG_HISTORY", 3)
    write_history(tracker_home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        history = await open_history(app, pilot)
        await pilot.press("slash", *"kaiju")
        assert len(history.lines) == 11  # not yet
        await pilot.pause(history_screen.TYPING_PAUSE_SECONDS * 2)
        shows = {line.key.show for line in history.lines if isinstance(line, HistoryEntry)}
        assert shows == {KAIJU}


async def test_c_lists_the_current_show_only(tracker_home: Path) -> None:
    write_history(tracker_home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.main_screen.show_id = KAIJU
        history = await open_history(app, pilot)
        await pilot.press("c")
        assert [line for line in listed(history) if KAIJU not in line] == [
            "Saturday 21 November 2026",
            "Time unknown",
        ]
        await pilot.press("c")
        assert len(listed(history)) == 11


async def test_slash_after_c_lists_every_show_and_escape_then_closes(tracker_home: Path) -> None:
    """`/` ends `c`'s one show: the list and its title follow at once, so an empty filter
    kept with enter shows every show, and escape closes (it has nothing to clear)."""
    write_history(tracker_home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.main_screen.show_id = KAIJU
        history = await open_history(app, pilot)
        await pilot.press("c", "slash")
        assert len(listed(history)) == 11
        title = app.screen.query_one("#history-title", Static)
        assert "only" not in str(title.render())
        await pilot.press("enter", "escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, HistoryScreen)


async def test_enter_goes_to_the_episode_even_when_the_shows_filter_hid_it(
    tracker_home: Path,
) -> None:
    write_history(tracker_home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"all of us", "enter")  # the shows pane lists AOUD only
        assert KAIJU not in app.main_screen.shows_pane.visible_ids()
        history = await open_history(app, pilot)
        highlight(history, ep(1, show=KAIJU))
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.main_screen
        assert app.show_id == KAIJU
        assert app.main_screen.shows_pane.highlighted_id == KAIJU
        show_pane = app.main_screen.show_pane
        assert show_pane.has_focus
        assert show_pane.highlighted_key(KAIJU) == ep(1, show=KAIJU)


async def test_going_to_a_show_another_list_hides_lists_every_show(tracker_home: Path) -> None:
    write_history(tracker_home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        shows_pane = app.main_screen.shows_pane
        shows_pane.status_filter = "completed"  # neither show is
        history = await open_history(app, pilot)
        highlight(history, ep(1, show=KAIJU))
        await pilot.press("enter")
        await pilot.pause()
        assert shows_pane.status_filter == "all"
        assert shows_pane.highlighted_id == KAIJU
        assert app.main_screen.show_pane.highlighted_key(KAIJU) == ep(1, show=KAIJU)


async def test_a_click_highlights_and_a_second_click_goes_to_the_episode(
    tracker_home: Path,
) -> None:
    write_history(tracker_home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        history = await open_history(app, pilot)
        row = history.lines.index(history.lines[4])  # AOUD S1E1, on Friday
        offset = (10, row)
        assert await pilot.click(HistoryList, offset=offset)
        assert history.cursor == row
        assert app.screen is not app.main_screen
        assert await pilot.click(HistoryList, offset=offset)
        await pilot.pause()
        assert app.screen is app.main_screen
        assert app.main_screen.show_pane.highlighted_key(AOUD) == ep(1)


async def test_a_show_no_longer_in_the_catalog_is_said_so(tracker_home: Path) -> None:
    write_history(tracker_home)
    app = make_app()
    notices: list[str] = []
    async with app.run_test(size=SIZE, message_hook=notified(notices)) as pilot:
        history = await open_history(app, pilot)
        highlight(history, ep(1, show=GONE))
        await pilot.press("enter")
        await pilot.pause()
        assert notices == [f"{GONE} S1E1: that show is no longer in your library."]
        assert app.show_id == AOUD


async def test_x_removes_a_viewing_saved_and_u_brings_it_back(tracker_home: Path) -> None:
    write_history(tracker_home)
    app = make_app()
    notices: list[str] = []
    async with app.run_test(size=SIZE, message_hook=notified(notices)) as pilot:
        history = await open_history(app, pilot)
        highlight(history, ep(1))  # Friday's only viewing
        await pilot.press("x")
        await settle(app, pilot, pauses=2)
        assert not reloaded(tracker_home).viewings(ep(1))
        assert "Friday 20 November 2026" not in listed(history)
        assert history.cursor == 4  # near where it was: the next entry, Thursday's
        assert notices[-1] == "All of Us Are Dead S1E1: a viewing removed (u undoes)"
        await pilot.press("u")
        await settle(app, pilot, pauses=2)
        assert len(reloaded(tracker_home).viewings(ep(1))) == 1
        assert "Friday 20 November 2026" in listed(history)
        assert isinstance(app.screen, HistoryScreen)


async def test_an_unwatch_cannot_be_removed(tracker_home: Path) -> None:
    write_history(tracker_home)
    app = make_app()
    notices: list[str] = []
    async with app.run_test(size=SIZE, message_hook=notified(notices)) as pilot:
        history = await open_history(app, pilot)
        history.cursor = 6  # Thursday's unwatch of S1E3
        before = reloaded(tracker_home)
        await pilot.press("delete")
        await settle(app, pilot)
        assert "An unwatch is not a viewing" in notices[-1]
        assert reloaded(tracker_home) == before


async def test_no_viewings_says_what_to_do_first(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        history = await open_history(app, pilot)
        assert not history.display
        empty = str(app.screen.query_one("#history-empty", Static).content)
        assert empty == (
            "No viewings yet: mark an episode watched with space on the main screen, "
            "or import your history with I."
        )
        await pilot.press("escape")
        assert app.screen is app.main_screen


# --- snapshots ---------------------------------------------------------------------------


async def open_history_screen(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.press("h")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_history_snapshot(
    snap_compare: SnapCompare, tracker_home: Path, size: tuple[int, int]
) -> None:
    write_history(tracker_home)
    assert snap_compare(make_app(), run_before=open_history_screen, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_empty_history_snapshot(
    snap_compare: SnapCompare, tracker_home: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), run_before=open_history_screen, terminal_size=size)
