"""Snapshot tests: what the app looks like in its main states, narrow and wide.

Each state is captured at 80x24 (the narrow, stacked layout) and at 120x40
(the three-column layout). The SVGs live in tests/__snapshots__/; after an
intended change to the look, review and regenerate them with
`pytest tests/test_snapshots.py --snapshot-update`.

The tests are plain functions, not coroutines: `snap_compare` runs the app
in its own event loop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path, PurePath
from typing import Any, Protocol

import pytest
from textual.app import App
from textual.pilot import Pilot

from tracker_tui.cli.main import main
from tracker_tui.tui import make_app

SIZES = [
    pytest.param((80, 24), id="80x24"),
    pytest.param((120, 40), id="120x40"),
]


class SnapCompare(Protocol):
    """The `snap_compare` fixture of pytest-textual-snapshot, which annotates it too narrowly."""

    def __call__(
        self,
        app: str | PurePath | App[Any],
        press: Iterable[str] = (),
        terminal_size: tuple[int, int] = (80, 24),
        run_before: Callable[[Pilot[Any]], Awaitable[None] | None] | None = None,
    ) -> bool: ...


@pytest.fixture(autouse=True)
def stable_home(tracker_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Name TRACKER_HOME by a relative path, so no temp path reaches the screen.

    Start-up problems name the file they are about; with the absolute temp
    path the notification would differ from run to run.
    """
    monkeypatch.chdir(tracker_home.parent)
    monkeypatch.setenv("TRACKER_HOME", tracker_home.name)
    return tracker_home


def watch(show: str, episodes: str) -> None:
    """Record progress the way a user would: `tracker watch SHOW EPISODES`."""
    try:
        code = main(["watch", show, episodes])
    except SystemExit as exit:
        code = int(exit.code or 0)
    assert code == 0


async def settle(pilot: Pilot[None]) -> None:
    """Let start-up finish (and its notifications appear) before the keys."""
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_start_screen(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """A fresh home: nothing watched, the first show highlighted."""
    assert snap_compare(make_app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_show_mid_season(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """S1E1-4 watched; the show pane focused, its cursor on the first unwatched, E5."""
    watch("all of us", "s1e1-4")
    assert snap_compare(make_app(), press=["tab"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """`?` lists every key."""
    assert snap_compare(make_app(), press=["question_mark"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_source_viewer(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """Enter on the first note opens its source with the quote highlighted."""
    assert snap_compare(make_app(), press=["tab", "tab", "enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_spoilers_hidden(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """Notes past S1E4 are hidden and the notes pane says how many."""
    watch("all of us", "s1e1-4")
    assert snap_compare(make_app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_spoilers_revealed(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """`s` reveals the hidden notes and the pane says how to hide them."""
    watch("all of us", "s1e1-4")
    assert snap_compare(make_app(), press=["s"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_filter_without_match(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """`/` then "zzz": no show matches and the pane says so."""
    assert snap_compare(make_app(), press=["slash", "z", "z", "z"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_startup_problem(
    snap_compare: SnapCompare, stable_home: Path, size: tuple[int, int]
) -> None:
    """A broken user show file: the app starts and a warning names the file."""
    shows = stable_home / "shows"
    shows.mkdir()
    (shows / "broken.toml").write_text("id = ", encoding="utf-8")
    assert snap_compare(make_app(), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_filter_kept(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """`/kai` then enter: the input hides, the border names the filter and how to clear it."""
    assert snap_compare(make_app(), press=["slash", "k", "a", "i", "enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_unreleased_episode_asks(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """Space on Season 2's E1 (in production) asks before marking it."""
    keys = ["tab", *["j"] * 12, "space"]
    assert snap_compare(make_app(), press=keys, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_show_pane_foot(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """`end` in the show pane: disputes with spoiler claims held back, and the sources
    their numbers stand for."""
    assert snap_compare(make_app(), press=["tab", "end"], terminal_size=size)


def test_add_form(snap_compare: SnapCompare) -> None:
    """`a`: the add form at 80x24, a title typed and season 1's count 0 with its problem
    under the row."""
    press = ["a", *"Severance", "tab", "tab", "tab", "tab", "0"]
    assert snap_compare(make_app(), press=press, terminal_size=(80, 24))


def test_edit_form(snap_compare: SnapCompare) -> None:
    """`e` on a bundled show: the form filled in, title and kind fixed, and a note that
    your facts are kept apart from the cited data."""
    assert snap_compare(make_app(), press=["right_square_bracket", "e"], terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES)
def test_show_with_your_own_facts(
    snap_compare: SnapCompare, stable_home: Path, size: tuple[int, int]
) -> None:
    """Kaiju Girl Caramelise with the user's overlay: their count, year, episode titles and
    air dates beside the cited facts, each marked "(your note)"."""
    (stable_home / "yours").mkdir()
    (stable_home / "yours" / "kaiju-girl-caramelise.toml").write_text(
        "year = 2026\n\n[[seasons]]\nnumber = 1\nepisode_count = 12\nepisodes = [\n"
        '  { number = 1, title = "The Girl Who Became a Kaiju", air_date = "2026-01-10" },\n'
        '  { number = 2, air_date = "2026-01-17" },\n]\n'
    )
    assert snap_compare(make_app(), press=["down", "tab"], terminal_size=size)
