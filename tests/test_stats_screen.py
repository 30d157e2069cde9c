"""The stats screen (`t`): opening and closing it by key and mouse, moving between years,
the heatmap's levels without colour, the unknown-time note, the empty state; snapshots
of it empty and full, narrow and wide."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from tracker_tui.domain.progress.records import EpisodeKey, Progress, mark_watched
from tracker_tui.domain.progress.store import ProgressStore, default_progress_path
from tracker_tui.tui import TrackerApp, make_app
from tracker_tui.tui.keys import effective_keys
from tracker_tui.tui.screens.help_screen import help_rows
from tracker_tui.tui.screens.stats_screen import StatsScreen
from tracker_tui.tui.widgets.heatmap import LEVEL_GLYPHS, HeatMap, day_level

from .conftest import LocalZone
from .pilot_helpers import notified
from .stats_helpers import fill_home, watching_history
from .test_snapshots import SIZES, SnapCompare, stable_home

__all__ = ["stable_home"]  # the autouse fixture: a relative TRACKER_HOME here too

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def utc(local_zone: LocalZone) -> None:
    """Local days are UTC days here, whatever the machine's zone."""
    local_zone("UTC")


async def open_stats(pilot: Pilot[Any]) -> StatsScreen:
    await pilot.pause()
    await pilot.press("t")
    await counted(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StatsScreen)
    return screen


async def counted(pilot: Pilot[Any]) -> None:
    """Let the screen's count (a thread) land and be drawn."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def press_t(pilot: Pilot[Any]) -> None:
    await open_stats(pilot)


def text_of(screen: StatsScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


def test_levels_rise_with_the_count_and_any_viewing_shows() -> None:
    assert [day_level(count, 8) for count in range(9)] == [0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert day_level(1, 1000) == 1
    assert day_level(0, 0) == 0


async def test_t_opens_the_empty_state_and_escape_closes_it() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot)
        assert text_of(screen, "#stats-message") == (
            "No viewings yet: mark an episode watched with space, or import your history with I."
        )
        assert not screen.query_one("#stats-grid").display
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)


async def test_the_stats_of_a_few_months(tracker_home: Path) -> None:
    fill_home(tracker_home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot)
        assert screen.stats is not None and screen.year == 2026
        assert text_of(screen, "#stats-title").startswith("2026  69 viewings on 50 days")
        # The imported viewing with no time: in the totals, not on the heatmap, and said.
        assert screen.stats.viewings == 70
        assert text_of(screen, "#stats-note") == (
            "(1 viewing with no known time is not on the heatmap)"
        )
        assert "Night Harbor" in text_of(screen, "#stats-top")
        assert "All of Us Are Dead" in text_of(screen, "#stats-stalled")
        assert "10 ████" in text_of(screen, "#stats-ratings")
        # t again closes it, as it opened it.
        await pilot.press("t")
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)


async def test_the_years_run_from_the_first_viewing_to_this_year(tracker_home: Path) -> None:
    fill_home(tracker_home)
    store = ProgressStore(default_progress_path(tracker_home))
    when = dt.datetime(2024, 5, 4, 20, tzinfo=dt.UTC)
    store.save(mark_watched(watching_history(), [EpisodeKey("ember-orbit", 1, 1)], when, when))
    notices: list[str] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notified(notices)) as pilot:
        screen = await open_stats(pilot)
        await pilot.press("left_square_bracket")
        await counted(pilot)
        assert screen.year == 2025
        assert text_of(screen, "#stats-message") == "No viewings in 2025."
        assert screen.query_one("#stats-year").display  # an empty year's heatmap still drawn
        await pilot.press("left")
        await counted(pilot)
        assert screen.year == 2024
        assert text_of(screen, "#stats-title").startswith("2024  1 viewing on 1 day")
        await pilot.press("left_square_bracket")
        await counted(pilot)
        assert screen.year == 2024
        assert notices[-1] == "No viewings before 2024."
        for _ in range(3):
            await pilot.press("right_square_bracket")
            await counted(pilot)
        assert screen.year == 2026  # never into the future
        assert notices[-1] == "2026 is this year."


async def test_a_year_before_the_latest_viewings_says_where_they_are(tracker_home: Path) -> None:
    store = ProgressStore(default_progress_path(tracker_home))
    when = dt.datetime(2024, 5, 4, 20, tzinfo=dt.UTC)
    store.save(mark_watched(Progress.empty(), [EpisodeKey("x", 1, 1)], when, when))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot)
        assert text_of(screen, "#stats-message") == (
            "No viewings in 2026: the latest are in 2024 ([ goes back)."
        )


async def test_without_colour_the_levels_are_glyphs(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_home(tracker_home)
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.no_color
        screen = await open_stats(pilot)
        heatmap = screen.query_one(HeatMap).render().plain
        for glyph in LEVEL_GLYPHS:
            assert glyph * 2 in heatmap, glyph  # two cells a day at 120 columns
        assert "less ·· ░░ ▒▒ ▓▓ ██  more" in heatmap
        assert "Jan" in heatmap.splitlines()[0]
        screenshot = app.export_screenshot()
        assert all(glyph in screenshot for glyph in LEVEL_GLYPHS)


async def test_the_mouse_changes_the_year_and_closes(tracker_home: Path) -> None:
    fill_home(tracker_home)
    notices: list[str] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notified(notices)) as pilot:
        screen = await open_stats(pilot)
        keys = screen.query_one("#stats-keys", Static)
        line = str(keys.render())
        assert line == "[ year before   ] year after   escape close"
        assert await pilot.click(keys, offset=(line.index("year before"), 0))
        await counted(pilot)
        assert screen.year == 2026  # nothing before 2026 here: it stays, and says so
        assert notices[-1] == "No viewings before 2026."
        assert await pilot.click(keys, offset=(line.index("close"), 0))
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)


def test_the_help_lists_it() -> None:
    rows = help_rows(effective_keys(TrackerApp.key_scopes(), {}))
    assert ("t", "stats: a year's heatmap, totals, streaks, ratings") in rows


# --- snapshots ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_stats_snapshot_empty(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), run_before=press_t, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_stats_snapshot_full(
    snap_compare: SnapCompare, stable_home: Path, size: tuple[int, int]
) -> None:
    fill_home(stable_home)
    assert snap_compare(make_app(), run_before=press_t, terminal_size=size)


async def test_pointing_at_a_day_says_its_count(tracker_home: Path) -> None:
    fill_home(tracker_home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot)
        heatmap = screen.query_one(HeatMap)
        # 2026-01-01 is a Thursday: week 0's row 4 (Mon is row 1, under the months).
        assert heatmap.day_at(4, 4) == dt.date(2026, 1, 1)
        assert heatmap.day_at(4, 1) is None  # Monday 2025-12-29: another year
        assert heatmap.day_at(2, 4) is None  # the weekday's name
        october_3 = dt.date(2026, 10, 3)  # a Saturday: row 6
        assert heatmap.activity is not None
        assert heatmap.activity.days[(october_3 - heatmap.activity.first_day).days] == 2
        await pilot.hover(heatmap, offset=(4 + heatmap.activity.week_of(october_3), 6))
        await pilot.pause()
        assert heatmap.tooltip == "Sat 03 Oct 2026: 2 viewings"


def too_much(*args: object, **kwargs: object) -> None:
    """`StatsTally.quick_stats` finding too much to count at once: the screen counts."""


async def test_a_failed_count_is_said_not_fatal(monkeypatch: pytest.MonkeyPatch) -> None:
    import tracker_tui.domain.watching.stats as stats_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(stats_module.StatsTally, "stats", broken)
    monkeypatch.setattr(stats_module.StatsTally, "quick_stats", too_much)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot)
        assert text_of(screen, "#stats-title") == "The stats could not be counted: boom"
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, StatsScreen)


async def test_a_show_whose_viewings_the_catalog_has_no_place_for(tracker_home: Path) -> None:
    """Kaiju Girl Caramelise has one season, scheduled, its count unknown: a viewing of
    S2E1 (an import, or a season since taken out of the file) leaves it started with no
    episode known. Its completion has no percentage: the screen must still draw."""
    store = ProgressStore(default_progress_path(tracker_home))
    when = dt.datetime(2026, 11, 20, 20, tzinfo=dt.UTC)
    key = EpisodeKey("kaiju-girl-caramelise", 2, 1)
    store.save(mark_watched(Progress.empty(), [key], when, when))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot)
        assert screen.is_attached and app.return_code is None
        completion = text_of(screen, "#stats-completion")
        assert "Kaiju Girl Caramelise" in completion
        assert "0/0  Kaiju Girl Caramelise (counts unknown)" in completion
        assert "None" not in completion


async def test_a_year_key_while_counting_says_nothing_false(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the first count lands the screen does not know the first year: `[` must not
    say "No viewings before 2026." of a history that starts in 2024."""
    import threading

    import tracker_tui.domain.watching.stats as stats_module

    fill_home(tracker_home)
    store = ProgressStore(default_progress_path(tracker_home))
    when = dt.datetime(2024, 5, 4, 20, tzinfo=dt.UTC)
    store.save(mark_watched(watching_history(), [EpisodeKey("ember-orbit", 1, 1)], when, when))
    release = threading.Event()
    compute = stats_module.StatsTally.stats

    def slow(*args: Any, **kwargs: Any) -> stats_module.Stats:
        release.wait(5)
        return compute(*args, **kwargs)

    monkeypatch.setattr(stats_module.StatsTally, "stats", slow)
    monkeypatch.setattr(stats_module.StatsTally, "quick_stats", too_much)
    notices: list[str] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notified(notices)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen) and screen.stats is None
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert not any(notice.startswith("No viewings before") for notice in notices)
        release.set()
        await counted(pilot)
        await pilot.press("left_square_bracket")
        await counted(pilot)
        assert screen.year == 2025


async def test_the_screen_is_kept_and_counts_again_only_after_a_change(
    stable_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`t` again shows the same screen, counted once while nothing changed; a mark made
    meanwhile is counted on the next open, which starts again on this year."""
    fill_home(stable_home)
    import tracker_tui.domain.watching.stats as stats_module

    counts: list[int] = []
    for name in ("stats", "quick_stats"):
        original = getattr(stats_module.StatsTally, name)

        def counting(*args: Any, original: Any = original, **kwargs: Any) -> Any:
            counts.append(1)
            return original(*args, **kwargs)

        monkeypatch.setattr(stats_module.StatsTally, name, counting)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        first = await open_stats(pilot)
        total = first.stats.viewings if first.stats else -1
        await pilot.press("left_square_bracket")  # the year before
        await counted(pilot)
        await pilot.press("escape")
        counts.clear()
        second = await open_stats(pilot)
        assert second is first and counts == []  # nothing changed: nothing counted
        assert second.year == second.this_year
        await pilot.press("escape", "tab", "space")  # a viewing added or taken away
        await pilot.pause()
        third = await open_stats(pilot)
        assert third is first and counts, "a change is counted again"
        assert third.stats is not None and abs(third.stats.viewings - total) == 1


async def test_after_a_mark_t_counts_at_once_and_draws_only_what_changed(
    stable_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mark leaves little to count: `t` counts in its handler (no thread, so the first
    frame has the numbers), and parts the mark did not move are not drawn again."""
    import tracker_tui.domain.watching.stats as stats_module

    fill_home(stable_home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot)
        before = screen.stats
        ratings = screen.query_one("#stats-ratings", Static).content
        await pilot.press("escape", "tab", "space")  # a viewing added or taken away
        await pilot.pause()

        def no_thread(*args: object, **kwargs: object) -> None:
            raise AssertionError("counted in a thread")

        monkeypatch.setattr(stats_module.StatsTally, "stats", no_thread)
        await pilot.press("t")
        assert app.screen is screen and screen.stats is not None and before is not None
        assert abs(screen.stats.viewings - before.viewings) == 1
        assert screen.query_one("#stats-ratings", Static).content is ratings


async def test_the_stats_are_counted_ahead_after_start(
    stable_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second after start the app counts the stats in the background: the first `t`
    then finds nothing left to count, even when any change would be too much at once."""
    import tracker_tui.domain.watching.stats as stats_module
    import tracker_tui.tui.app as app_module

    fill_home(stable_home)
    monkeypatch.setattr(app_module, "STATS_AHEAD_SECONDS", 0.01)
    monkeypatch.setattr(stats_module, "QUICK_SHOWS", 0)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        await app.workers.wait_for_complete()
        assert app.stats_tally is not None
        counts: list[int] = []
        original = stats_module.StatsTally.stats

        def counting(*args: Any, **kwargs: Any) -> Any:
            counts.append(1)
            return original(*args, **kwargs)

        monkeypatch.setattr(stats_module.StatsTally, "stats", counting)
        screen = await open_stats(pilot)
        assert screen.stats is not None and screen.stats.viewings > 0
        assert counts == []  # drawn from the count made ahead, in the key's handler
