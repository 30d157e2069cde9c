"""Pilot tests for the library keys: `a` adds a show, `e` edits one (a form, or its file
in $EDITOR), `delete` removes one and `u` brings it back; the show folders are watched."""

from __future__ import annotations

import asyncio
import contextlib
import os
import stat
import time
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static, TextArea

from tracker_tui.domain.catalog.authoring import (
    SeasonDraft,
    ShowDraft,
    add_show,
    draft_of,
    draft_problems,
)
from tracker_tui.domain.catalog.loader import load_catalog
from tracker_tui.tui import TrackerApp, make_app
from tracker_tui.tui.screens.confirm_screen import ConfirmScreen
from tracker_tui.tui.screens.file_problems_screen import FileProblemsScreen
from tracker_tui.tui.screens.help_screen import HelpScreen
from tracker_tui.tui.screens.main_screen import MainScreen
from tracker_tui.tui.screens.show_form_screen import ShowFormScreen

from .pilot_helpers import notified, settle

SIZE = (100, 34)
AOUD = "all-of-us-are-dead"
KAIJU = "kaiju-girl-caramelise"


def form(app: TrackerApp) -> ShowFormScreen:
    assert isinstance(app.screen, ShowFormScreen)
    return app.screen


def problem_text(node: Widget | Screen[object], selector: str) -> str:
    widget = node.query_one(selector, Static)
    return str(widget.content) if widget.display else ""


def message_for(draft: ShowDraft, field: str) -> str:
    """What the domain says about `field` of `draft` (the form shows just that)."""
    return next(problem.message for problem in draft_problems(draft) if problem.field == field)


def user_show(title: str, *counts: int | None) -> str:
    """Add a user show as another program would; its id."""
    seasons = tuple(SeasonDraft(n, count) for n, count in enumerate(counts, start=1))
    path = add_show(ShowDraft(title, seasons=seasons), taken=[AOUD, KAIJU])
    return path.stem


async def open_show(app: TrackerApp, pilot: Pilot[None], show_id: str) -> None:
    app.main_screen.show_id = show_id
    await pilot.pause()


# --- add --------------------------------------------------------------------------------


async def test_a_opens_the_form_and_a_saved_show_appears_highlighted(tracker_home: Path) -> None:
    notices: list[str] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notified(notices, with_title=True)) as pilot:
        await pilot.press("a")
        screen = form(app)
        assert app.focused is screen.query_one("#title", Input)
        await pilot.press(*"Severance", "tab", "tab", "tab")  # title, kind, year, season 1
        await pilot.press("tab", *"9")  # season 1's count
        await pilot.press("ctrl+n", *"10")  # season 2, its count focused
        await pilot.press("ctrl+s")
        await settle(app, pilot, pauses=2)
        assert not isinstance(app.screen, ShowFormScreen)
        files = list((tracker_home / "shows").glob("*.toml"))
        assert len(files) == 1
        show = load_catalog().get(files[0].stem)
        assert show is not None and show.title == "Severance"
        assert [(s.number, s.episode_count) for s in show.seasons] == [(1, 9), (2, 10)]
        assert app.show_id == show.id
        assert app.main_screen.shows_pane.highlighted_id == show.id
        assert any("Added “Severance”" in notice for notice in notices)


def type_burst(app: TrackerApp, text: str) -> None:
    """Queue `text` as one terminal read does: every key posted before the app handles
    the first (Pilot's `press` waits after each key, so it cannot lose one this way)."""
    names = {"\t": "tab", "\r": "enter"}
    for character in text:
        app.post_message(events.Key(names.get(character, character), character))


async def test_a_burst_of_keys_moves_on_with_tab_and_enter_and_loses_none() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        screen = form(app)
        type_burst(app, "Severance\t\t2022")  # title, kind, year
        await pilot.pause()
        assert screen.query_one("#title", Input).value == "Severance"
        assert screen.query_one("#year", Input).value == "2022"
        type_burst(app, "\r2\r9")  # enter moves on too: season 1's number, then its count
        await pilot.pause()
        row = screen.season_rows[0]
        assert (row.number_text, row.count_text) == ("2", "9")  # focus selects the "1"
        assert screen.query_one("#year", Input).value == "2022"


async def test_a_count_typed_right_after_ctrl_n_lands_in_the_new_row() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        screen = form(app)
        type_burst(app, "Severance\t\t2022\t\t9")  # title, kind, year, season 1's count
        app.post_message(events.Key("ctrl+n", None))
        type_burst(app, "10")
        app.post_message(events.Key("ctrl+n", None))
        type_burst(app, "8")
        await pilot.pause()
        await pilot.pause()
        counts = [(row.number_text, row.count_text) for row in screen.season_rows]
        assert counts == [("1", "9"), ("2", "10"), ("3", "8")]


async def test_enter_keeps_its_own_meaning_outside_the_one_line_fields(
    tracker_home: Path,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", *"Severance", "tab", "enter")  # the kind's menu opens
        screen = form(app)
        assert screen.query_one("#kind", Select).expanded
        await pilot.press("escape")
        episodes = screen.query_one("#episodes", TextArea)
        episodes.focus()
        await pilot.press(*"s1e1", "enter", *"s1e2")  # a new line, not the next field
        assert episodes.text == "s1e1\ns1e2"
        screen.query_one("#save", Button).focus()
        await pilot.press("enter")  # the button is pressed
        await settle(app, pilot, pauses=2)
        assert not isinstance(app.screen, ShowFormScreen)
        assert len(list((tracker_home / "shows").glob("*.toml"))) == 1


async def test_episode_lines_give_titles_and_dates(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", *"Pluribus")
        screen = form(app)
        screen.query_one(".season-count", Input).value = "9"
        screen.query_one("#episodes", TextArea).text = "s1e1 | We Is Us | 2025-11-07\ns1e2 |"
        await pilot.pause()
        draft = screen.read_form().draft
        season = draft.seasons[0]
        assert (season.number, season.episode_count) == (1, 9)
        assert [(e.number, e.title, e.air_date) for e in season.episodes] == [
            (1, "We Is Us", "2025-11-07"),
            (2, None, None),
        ]


async def test_problems_appear_under_their_fields_as_the_user_types() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        screen = form(app)
        assert problem_text(screen, "#title-problem") == ""  # nothing typed, nothing said
        await pilot.press("x", "backspace")  # an empty title, typed
        empty = ShowDraft("", seasons=(SeasonDraft(1),))
        assert problem_text(screen, "#title-problem") == message_for(empty, "title")
        row = screen.season_rows[0]
        row.query_one(".season-count", Input).value = "0"
        await pilot.pause()
        zero = ShowDraft("", seasons=(SeasonDraft(1, 0),))
        assert message_for(zero, "seasons[0].episode_count") in problem_text(row, ".problem")
        await pilot.press("ctrl+n")
        await pilot.pause()
        second = screen.season_rows[1]
        second.query_one(".season-number", Input).value = "1"
        await pilot.pause()
        twice = ShowDraft("", seasons=(SeasonDraft(1, 0), SeasonDraft(1)))
        assert message_for(twice, "seasons[1].number") in problem_text(second, ".problem")
        screen.query_one("#episodes", TextArea).text = "first | oops"
        await pilot.pause()
        assert problem_text(screen, "#episodes-problem").startswith("line 1:")
        await pilot.press("ctrl+s")  # refused: the form stays open
        await pilot.pause()
        assert app.screen is screen


async def test_rows_are_added_and_removed_by_key_and_button() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "ctrl+n", "ctrl+n")
        screen = form(app)
        assert [row.number_text for row in screen.season_rows] == ["1", "2", "3"]
        await pilot.press("ctrl+r")  # the row with the cursor: season 3's count is focused
        await pilot.pause()
        assert [row.number_text for row in screen.season_rows] == ["1", "2"]
        await pilot.click(".remove-season")  # the first row's button
        await pilot.pause()
        assert [row.number_text for row in screen.season_rows] == ["2"]
        await pilot.click("#add-season")
        await pilot.pause()
        assert [row.number_text for row in screen.season_rows] == ["2", "3"]


async def test_escape_cancels_and_asks_only_with_edits(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("a", *"Dark", "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        assert form(app).query_one("#title", Input).value == "Dark"
        await pilot.press("escape", "y")
        await settle(app, pilot, pauses=2)
        assert isinstance(app.screen, MainScreen)
        assert not (tracker_home / "shows").exists()


async def test_a_failed_save_reopens_the_form_with_the_draft(
    tracker_home: Path,
) -> None:
    (tracker_home / "shows").write_text("a file where the folder should be")
    notices: list[str] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notified(notices, with_title=True)) as pilot:
        await pilot.press("a", *"Dark", "ctrl+s")
        await settle(app, pilot, pauses=2)
        assert any(notice.startswith("Could not save the show") for notice in notices)
        assert form(app).query_one("#title", Input).value == "Dark"


# --- edit -------------------------------------------------------------------------------


async def test_e_opens_the_form_prefilled_and_saves_the_edit(tracker_home: Path) -> None:
    show_id = user_show("Slow Horses", 6, None)
    notices: list[str] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notified(notices, with_title=True)) as pilot:
        await open_show(app, pilot, show_id)
        show = app.current_show
        assert show is not None
        await pilot.press("e")
        screen = form(app)
        assert screen.read_form().draft == draft_of(show)
        assert screen.query_one("#title", Input).value == "Slow Horses"
        screen.season_rows[1].query_one(".season-count", Input).value = "6"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot, pauses=2)
        edited = load_catalog().get(show_id)
        assert edited is not None
        assert [season.episode_count for season in edited.seasons] == [6, 6]
        assert app.show_id == show_id
        assert any("Saved “Slow Horses”" in notice for notice in notices)


async def test_editing_a_bundled_show_writes_your_facts_apart(tracker_home: Path) -> None:
    notices: list[str] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notified(notices, with_title=True)) as pilot:
        await open_show(app, pilot, KAIJU)
        await pilot.press("e")
        screen = form(app)
        note = screen.query_one(".form-note", Static)
        assert "the cited data, title and kind stay as they are" in str(note.content)
        assert screen.query_one("#title", Input).disabled
        screen.season_rows[0].query_one(".season-count", Input).value = "12"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot, pauses=2)
        show = app.catalog.get(KAIJU)
        assert show is not None and show.yours is not None
        assert [season.episode_count for season in show.yours.seasons] == [12]
        assert any("the cited data is untouched" in notice for notice in notices)
        assert app.show_id == KAIJU


def fake_editor(tmp_path: Path, *fixes: str) -> Path:
    """A $EDITOR that writes its Nth text into the file it is given on its Nth run."""
    runs = tmp_path / "runs"
    texts = [tmp_path / f"text{n}" for n in range(len(fixes))]
    for path, text in zip(texts, fixes, strict=True):
        path.write_text(text)
    script = tmp_path / "editor.sh"
    script.write_text(
        "#!/bin/sh\n"
        f'echo run >> "{runs}"\n'
        f'n=$(wc -l < "{runs}")\n'
        f'cat "{tmp_path}/text$((n - 1))" > "$1"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


async def test_edit_file_round_trip_keeps_the_text_and_offers_to_edit_again(
    tracker_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The headless test driver cannot suspend (Textual raises SuspendNotSupported), so
    the test replaces the public `App.suspend` with a context that does nothing; the
    editor still runs as a real process on a real file."""
    show_id = user_show("Andor", 12)
    path = tracker_home / "shows" / f"{show_id}.toml"
    good = path.read_text().replace('title = "Andor"', 'title = "Andor (2022)"')
    broken = "title = \n"
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(fake_editor(tmp_path, broken, good)))
    notices: list[str] = []
    app = make_app()
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
    async with app.run_test(size=SIZE, message_hook=notified(notices, with_title=True)) as pilot:
        await open_show(app, pilot, show_id)
        await pilot.press("e", "ctrl+o")
        await settle(app, pilot, pauses=2)
        assert isinstance(app.screen, FileProblemsScreen)
        assert path.read_text() == broken  # the user's text is kept as written
        await asyncio.sleep(1.2)  # a poll of the folders comes and goes: no second report
        assert not any(n.startswith("Problem in a show file") for n in notices)
        await pilot.press("e")  # edit again: the editor fixes it this time
        await settle(app, pilot, pauses=2)
        assert not isinstance(app.screen, FileProblemsScreen)
        assert path.read_text() == good
        show = app.catalog.get(show_id)
        assert show is not None and show.title == "Andor (2022)"


async def test_keep_as_is_keeps_the_broken_file_and_reports_it(
    tracker_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    show_id = user_show("Andor", 12)
    path = tracker_home / "shows" / f"{show_id}.toml"
    monkeypatch.setenv("VISUAL", str(fake_editor(tmp_path, "title = \n")))
    notices: list[str] = []
    app = make_app()
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
    async with app.run_test(size=SIZE, message_hook=notified(notices, with_title=True)) as pilot:
        await open_show(app, pilot, show_id)
        await pilot.press("e", "ctrl+o")
        await settle(app, pilot, pauses=2)
        assert isinstance(app.screen, FileProblemsScreen)
        await pilot.press("k")
        await settle(app, pilot, pauses=2)
        assert path.read_text() == "title = \n"
        assert any(n.startswith("Problem in a show file") for n in notices)


async def test_no_editor_names_the_file(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    show_id = user_show("Andor", 12)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    notices: list[str] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notified(notices, with_title=True)) as pilot:
        await open_show(app, pilot, show_id)
        await pilot.press("e", "ctrl+o")
        await pilot.pause()
        expected = str(tracker_home / "shows" / f"{show_id}.toml")
        assert any(n.startswith("No editor set") and expected in n for n in notices)


async def test_a_terminal_that_cannot_suspend_names_the_file(
    tracker_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    show_id = user_show("Andor", 12)
    monkeypatch.setenv("VISUAL", str(fake_editor(tmp_path, "x")))
    notices: list[str] = []
    app = make_app()  # the headless driver cannot suspend
    async with app.run_test(size=SIZE, message_hook=notified(notices, with_title=True)) as pilot:
        await open_show(app, pilot, show_id)
        await pilot.press("e", "ctrl+o")
        await pilot.pause()
        assert any("cannot hand over to an editor" in n for n in notices)
        assert not (tmp_path / "runs").exists()


# --- remove and undo ---------------------------------------------------------------------


async def test_delete_removes_a_user_show_after_asking_and_u_brings_it_back(
    tracker_home: Path,
) -> None:
    show_id = user_show("Andor", 12)
    path = tracker_home / "shows" / f"{show_id}.toml"
    original = path.read_bytes()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_show(app, pilot, show_id)
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert path.exists()
        await pilot.press("delete", "y")
        await settle(app, pilot, pauses=2)
        assert not path.exists()
        assert app.catalog.get(show_id) is None
        assert show_id not in app.main_screen.shows_pane.visible_ids()
        await pilot.press("u")
        await settle(app, pilot, pauses=2)
        assert path.read_bytes() == original
        assert app.show_id == show_id
        assert app.main_screen.shows_pane.highlighted_id == show_id


async def test_undo_after_a_removal_and_an_episode_undoes_the_newest_first(
    tracker_home: Path,
) -> None:
    show_id = user_show("Andor", 12)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_show(app, pilot, show_id)
        await pilot.press("delete", "y")
        await settle(app, pilot, pauses=2)
        await open_show(app, pilot, AOUD)
        await pilot.press("space")  # from the shows pane: AOUD's next episode
        await settle(app, pilot, pauses=2)
        assert app.session.progress.watched_keys()
        await pilot.press("u")
        await settle(app, pilot, pauses=2)
        assert not list(app.session.progress.watched_keys())
        assert app.catalog.get(show_id) is None
        await pilot.press("u")
        await settle(app, pilot, pauses=2)
        assert app.catalog.get(show_id) is not None


async def test_a_bundled_show_is_not_removed() -> None:
    notices: list[str] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notified(notices, with_title=True)) as pilot:
        await pilot.press("delete")
        assert isinstance(app.screen, MainScreen)
        assert any("bundled shows can be archived, not removed" in n for n in notices)


# --- other programs ----------------------------------------------------------------------


async def test_a_show_added_by_another_program_appears_within_2_seconds() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_show(app, pilot, KAIJU)
        show_id = await asyncio.to_thread(user_show, "Andor", 12)  # `tracker add` elsewhere
        started = time.monotonic()
        while show_id not in app.main_screen.shows_pane.visible_ids():
            assert time.monotonic() - started < 2.0, "not shown within 2 s"
            await asyncio.sleep(0.05)
        assert app.show_id == KAIJU
        assert app.main_screen.shows_pane.highlighted_id == KAIJU


async def test_a_file_touched_but_unchanged_redraws_nothing(tracker_home: Path) -> None:
    show_id = user_show("Andor", 12)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        show_list = app.main_screen.shows_pane.show_list
        before, made, catalog = show_list.row_ids, show_list.rows_made, app.catalog
        path = tracker_home / "shows" / f"{show_id}.toml"
        path.write_bytes(path.read_bytes())  # rewritten as it was
        await asyncio.sleep(1.5)
        await settle(app, pilot, pauses=2)
        assert app.catalog is catalog
        assert show_list.row_ids == before
        assert show_list.rows_made == made


async def test_a_show_file_made_invalid_elsewhere_is_reported(tracker_home: Path) -> None:
    show_id = user_show("Andor", 12)
    notices: list[str] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notified(notices, with_title=True)) as pilot:
        await pilot.pause()
        path = tracker_home / "shows" / f"{show_id}.toml"
        path.write_text("title = \n")
        os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
        started = time.monotonic()
        while not any(n.startswith("Problem in a show file") for n in notices):
            assert time.monotonic() - started < 2.5, "not reported"
            await asyncio.sleep(0.05)
        assert any(str(path) in n for n in notices)


# --- help and empty states ---------------------------------------------------------------


async def test_help_names_the_data_folder_and_how_to_add(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one(Static).content)
        assert str(tracker_home) in text
        assert "add a show" in text and "tracker add TITLE" in text


async def test_an_empty_list_says_how_to_add_a_show() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = app.main_screen.shows_pane
        pane.replace_shows([], None)
        await pilot.pause()
        empty = pane.query_one("#shows-empty", Static)
        assert "a adds a show (or run tracker add TITLE)" in str(empty.content)
