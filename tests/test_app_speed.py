"""The app's structure for speed: a mark redraws its rows in place, drawing exactly what a
full redraw draws, and a warm start loads neither pydantic, filelock nor the importers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.content import Content
from textual.pilot import Pilot

from tracker_tui.domain import clock
from tracker_tui.domain.catalog.loader import matches_part
from tracker_tui.domain.progress.records import EpisodeKey
from tracker_tui.tui import TrackerApp, make_app
from tracker_tui.tui.widgets import ShowPane, ShowsPane
from tracker_tui.tui.widgets.show_pane import EpisodeRow, MeasuredRow

from .pilot_helpers import settle

SIZE = (100, 30)
AOUD = "all-of-us-are-dead"

Drawn = list[tuple[str | None, bool, str, Text | None]]


def drawn(pane: ShowPane) -> tuple[object, object, Drawn]:
    """What the pane shows: its borders' titles and each row (id, disabled, text, and
    the styled text where the row is one)."""
    rows = []
    width = pane.scrollable_content_region.width
    for option in pane.options:
        prompt = option.prompt
        if isinstance(prompt, MeasuredRow):
            styled: object = prompt.renderable
        elif isinstance(prompt, EpisodeRow):
            styled = prompt.text_at(width)
        else:
            styled = prompt
        rows.append(
            (option.id, option.disabled, str(prompt), styled if isinstance(styled, Text) else None)
        )
    return pane.border_title, pane.border_subtitle, rows


async def redrawn_in_full(pane: ShowPane, pilot: Pilot[None]) -> tuple[object, object, Drawn]:
    """What a full redraw of the same show and progress shows."""
    pane.mutate_reactive(ShowPane.show_id)
    await pilot.pause()
    return drawn(pane)


async def open_show_pane(app: TrackerApp, pilot: Pilot[None]) -> ShowPane:
    """The show pane focused, its first episode watched (the first viewing of a season
    adds its "watched" column, which redraws the pane) and the cursor on the second."""
    await pilot.press("tab")
    await pilot.pause()
    pane = app.query_one(ShowPane)
    assert pane.has_focus
    await pilot.press("space")
    await settle(app, pilot)
    await pilot.press("j")
    assert pane.highlighted_key(app.show_id or "") == EpisodeKey(AOUD, 1, 2)
    return pane


def highlighted(app: TrackerApp, pane: ShowPane) -> EpisodeKey:
    key = pane.highlighted_key(app.show_id or "")
    assert key is not None
    return key


async def test_space_redraws_only_its_row_and_season_header() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_show_pane(app, pilot)
        key = highlighted(app, pane)
        options, redraws = list(pane.options), pane.full_redraws
        header_before = str(pane.get_option(f"season-{key.season}").prompt)
        await pilot.press("space")
        await settle(app, pilot)
        assert app.session.progress.is_watched(key)
        # The very same options: none was made anew, no full redraw.
        assert pane.full_redraws == redraws
        assert all(a is b for a, b in zip(options, pane.options, strict=True))
        assert str(pane.get_option(f"ep-{key.season}-{key.episode}").prompt).startswith("✓")
        assert str(pane.get_option(f"season-{key.season}").prompt) != header_before
        assert pane.highlighted_key(key.show) == key
        in_place = drawn(pane)
        assert in_place == await redrawn_in_full(pane, pilot)


async def test_a_mark_draws_again_only_the_rows_it_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Textual's list forgets every row's strips when one row is replaced; the rows keep
    their own, so the other episode rows on screen are not laid out by Rich again."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_show_pane(app, pilot)
        key = highlighted(app, pane)
        width = pane.scrollable_content_region.width
        others = {
            id(option.prompt.content_at(width))
            for option in pane.options
            if isinstance(option.prompt, EpisodeRow) and option.id != f"ep-1-{key.episode}"
        }
        assert others
        drawn_contents: list[int] = []
        render_strips = Content.render_strips

        def counted(self: Content, *args: Any, **kwargs: Any) -> Any:
            drawn_contents.append(id(self))
            return render_strips(self, *args, **kwargs)

        monkeypatch.setattr(Content, "render_strips", counted)
        await pilot.press("space")
        await settle(app, pilot)
        assert app.session.progress.is_watched(key)
        assert drawn_contents, "the marked row was drawn"
        assert not others & set(drawn_contents)


async def test_watch_up_to_and_undo_redraw_in_place() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_show_pane(app, pilot)
        for _ in range(2):
            await pilot.press("j")
        key = highlighted(app, pane)
        redraws = pane.full_redraws
        await pilot.press("w")
        await settle(app, pilot)
        assert all(
            app.session.progress.is_watched(EpisodeKey(key.show, key.season, n))
            for n in range(1, key.episode + 1)
        )
        assert pane.full_redraws == redraws
        in_place = drawn(pane)
        assert in_place == await redrawn_in_full(pane, pilot)
        redraws = pane.full_redraws
        await pilot.press("u")
        await settle(app, pilot)
        assert not app.session.progress.is_watched(key)
        assert pane.full_redraws == redraws
        in_place = drawn(pane)
        assert in_place == await redrawn_in_full(pane, pilot)


async def test_a_mark_that_adds_a_column_redraws_its_season_in_place() -> None:
    """A second viewing adds the season's rewatch column to every row of the season: its
    rows are drawn again in place, as a full redraw would draw them."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_show_pane(app, pilot)
        await pilot.press("k")  # back to the episode just marked
        redraws = pane.full_redraws
        await pilot.press("plus")
        await settle(app, pilot)
        assert pane.full_redraws == redraws
        assert "×2" in str(pane.get_option("ep-1-1").prompt)
        in_place = drawn(pane)
        assert in_place == await redrawn_in_full(pane, pilot)


async def test_the_first_and_last_viewing_of_a_season_redraw_in_place() -> None:
    """The first viewing of a season adds its "watched" column, unmarking the last one
    takes it away: the season's rows change, the pane is not built again, and a mark
    after that still finds the columns it was drawn with."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        await pilot.pause()
        pane = app.query_one(ShowPane)
        redraws = pane.full_redraws
        for expected_tick in ("✓", "○", "✓"):
            await pilot.press("space")
            await settle(app, pilot)
            assert str(pane.get_option("ep-1-1").prompt).lstrip().startswith(expected_tick)
            in_place = drawn(pane)
            assert pane.full_redraws == redraws
            assert in_place == await redrawn_in_full(pane, pilot)
            redraws = pane.full_redraws


async def test_a_change_to_another_show_leaves_the_pane_alone() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_show_pane(app, pilot)
        options, redraws = list(pane.options), pane.full_redraws
        app.session.set_rating("kaiju-girl-caramelise", 8, clock.now())
        app.main_screen.progress = app.session.progress
        await pilot.pause()
        assert pane.full_redraws == redraws
        assert all(a is b for a, b in zip(options, pane.options, strict=True))


WARM_START = """
import asyncio, sys
from tracker_tui.tui import make_app

async def main():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
    names = tuple(sys.argv[1:])
    print(",".join(sorted(m for m in sys.modules if m.startswith(names))))

asyncio.run(main())
"""
PROBED_AT_START = ("pydantic", "pydantic_core", "filelock", "tracker_tui.domain.exchange")


def test_a_warm_start_loads_no_checker_lock_or_importer(tracker_home: Path) -> None:
    """The first screen needs none of them: pydantic checks changed show files (the
    catalog cache is warm after the first start), filelock and the importers wait for
    the first save and import."""
    env = {**os.environ, "TRACKER_HOME": str(tracker_home)}
    (tracker_home / "settings.json").write_text('{"keymap": {"help": "f1"}}', encoding="utf-8")

    def start() -> str:
        result = subprocess.run(
            [sys.executable, "-c", WARM_START, *PROBED_AT_START],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert "pydantic" in start()  # the first start fills the cache: the probe sees it
    assert start() == ""


def test_a_start_loads_only_the_screens_it_shows(tracker_home: Path) -> None:
    """Screens a key opens (help, a note's source, history, stats...) are imported when
    first opened: each costs milliseconds of every start otherwise. (A keymap in
    settings.json is checked against every screen's keys, so it loads them all.)"""
    screens = "tracker_tui.tui.screens."
    result = subprocess.run(
        [sys.executable, "-c", WARM_START, screens],
        capture_output=True,
        text=True,
        env={**os.environ, "TRACKER_HOME": str(tracker_home)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded = {name.removeprefix(screens) for name in result.stdout.strip().split(",")}
    assert loaded == {"confirm_screen", "main_screen"}


def test_an_episode_row_knows_its_height_without_laying_it_out() -> None:
    """The height worked out from the title's length is the laid-out row's height."""
    mark, number = Text("  ✓", style="bold"), Text(" E3")
    trailing = [(Text("2026-11-28", style="dim"), 10, False), (Text("×2"), 4, True)]
    for title in (None, Text(""), Text("Episode 3"), Text("A title long enough to wrap " * 3)):
        for width in (30, 46, 63, 80):
            row = EpisodeRow([mark, number], title, trailing, "said")
            cheap = row.get_height({}, width)
            assert cheap == Content.from_rich_text(row.text_at(width)).get_height({}, width)
            assert row.get_height({}, width) == cheap  # and once laid out


async def test_rows_follow_the_pane_s_width_as_a_full_redraw_draws_them() -> None:
    """A resize lays the rows out at the new width (made again only when the pane turns
    wide or narrow), exactly as a full redraw at that width does."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_show_pane(app, pilot)
        pane = app.query_one(ShowPane)
        for columns in (90, 140, 200, 100):
            await pilot.resize_terminal(columns, 30)
            await pilot.pause()
            in_place = drawn(pane)
            assert in_place == await redrawn_in_full(pane, pilot)


async def test_the_filter_narrows_what_it_matched_and_lists_the_rows_it_made() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        shows = app.query_one(ShowsPane)
        listed, made = shows.visible_ids(), shows.show_list.rows_made

        def matching(typed: str) -> list[str]:
            return [show.id for show in app.catalog.shows if matches_part(show, typed)]

        await pilot.press("slash", "k", "a", "i", "j")
        assert shows.visible_ids() == matching("kaij") == ["kaiju-girl-caramelise"]
        await pilot.press("backspace", "backspace", "backspace")
        await pilot.pause()
        assert shows.visible_ids() == matching("k")
        await pilot.press("escape")
        await pilot.pause()
        assert shows.visible_ids() == listed
        assert shows.show_list.rows_made == made  # every row was made: none made again
