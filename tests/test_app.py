"""Pilot tests: every binding of the app, and what it leaves in the progress file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.content import Content
from textual.message import Message

from tracker_tui.domain.progress.format import from_json
from tracker_tui.domain.progress.records import EpisodeKey
from tracker_tui.domain.progress.store import ProgressSaveError, ProgressStore
from tracker_tui.tui import make_app
from tracker_tui.tui.screens.confirm_screen import ConfirmScreen
from tracker_tui.tui.screens.help_screen import HelpScreen
from tracker_tui.tui.screens.source_screen import SourceScreen
from tracker_tui.tui.widgets import NotesPane, ShowPane, ShowsPane

from .conftest import RunCli
from .pilot_helpers import notified, settle

AOUD = "all-of-us-are-dead"
KAIJU = "kaiju-girl-caramelise"


def ep(number: int, season: int = 1, show: str = AOUD) -> EpisodeKey:
    return EpisodeKey(show, season, number)


def on_disk(home: Path) -> set[EpisodeKey]:
    path = home / "progress.json"
    if not path.exists():
        return set()
    return set(from_json(json.loads(path.read_text())).watched_keys())


async def test_start_state_focuses_shows_with_first_show_selected() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.focused is app.query_one(ShowsPane).show_list
        assert app.show_id == AOUD  # first by title
        assert app.query_one(ShowPane).highlighted_key(AOUD) == ep(1)


async def test_tab_and_shift_tab_move_between_panes() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab")
        assert app.focused is app.query_one(ShowPane)
        await pilot.press("tab")
        # The press moved the focus; mypy still holds `app.focused` narrowed to the ShowPane.
        assert app.focused is app.query_one(NotesPane).note_list  # type: ignore[comparison-overlap]
        await pilot.press("shift+tab")
        assert app.focused is app.query_one(ShowPane)


async def test_brackets_change_show_from_any_pane() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "right_square_bracket")
        assert app.show_id == KAIJU
        assert Content.from_markup(app.query_one(ShowPane).border_title or "").plain.startswith(
            "Kaiju Girl Caramelise · "
        )
        await pilot.press("right_square_bracket")
        assert app.show_id == AOUD
        await pilot.press("left_square_bracket")
        assert app.show_id == KAIJU


async def test_up_down_and_j_k_move() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab")
        pane = app.query_one(ShowPane)
        await pilot.press("j", "j", "down")
        assert pane.highlighted_key(AOUD) == ep(4)
        await pilot.press("k", "up")
        assert pane.highlighted_key(AOUD) == ep(2)
        await pilot.press("shift+tab", "j")
        assert app.show_id == KAIJU


async def test_space_w_and_u_change_the_file(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "space")
        await settle(app, pilot)
        assert on_disk(tracker_home) == {ep(1)}
        await pilot.press("j", "j", "j", "j", "w")  # highlight E5, mark up to it
        await settle(app, pilot)
        assert on_disk(tracker_home) == {ep(n) for n in range(1, 6)}
        await pilot.press("u")
        await settle(app, pilot)
        assert on_disk(tracker_home) == {ep(1)}
        await pilot.press("u")
        await settle(app, pilot)
        assert on_disk(tracker_home) == set()
        await pilot.press("u")  # nothing left to undo
        await settle(app, pilot)
        assert on_disk(tracker_home) == set()


async def test_space_toggles_back_off(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "space", "space")
        await settle(app, pilot)
        assert on_disk(tracker_home) == set()
        record = app.session.progress.get(ep(1))
        assert record is not None and not record.watched


async def test_n_jumps_to_the_next_unwatched_episode() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "j", "j", "w")
        await pilot.press("shift+tab", "n")
        assert app.focused is app.query_one(ShowPane)
        assert app.query_one(ShowPane).highlighted_key(AOUD) == ep(4)


async def test_enter_opens_the_source_and_escape_closes_it() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "tab", "enter")
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        assert screen.note.id == "premise"
        assert screen.query(".quoted"), "the quoted passage is marked"
        sources = len(screen.note.sources)
        body = screen.query_one("#source-body")
        for step in range(1, sources + 1):
            await pilot.press("right")
            await pilot.pause()
            assert screen.index == step % sources  # every source reached, then wraps
            quoted = screen.query(".quoted").first()
            assert body.region.contains_region(quoted.region), "the quote is in view"
            # Scrolled to the top of the view, or as far as the text goes (folded
            # spoilers can leave too little below the quote to scroll it to the top).
            assert quoted.region.y <= body.region.y + 2 or body.scroll_y == body.max_scroll_y
        await pilot.press("escape")
        assert not isinstance(app.screen, SourceScreen)


async def test_s_reveals_and_hides_spoilers() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        notes = app.query_one(NotesPane)

        def shown() -> list[str]:
            return [option.id for option in notes.note_list.options if option.id]

        hidden_before = shown()
        assert "ending" not in hidden_before
        await pilot.press("s")
        assert "ending" in shown()
        await pilot.press("s")
        assert shown() == hidden_before


async def test_marking_episodes_reveals_spoilers_live() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        notes = app.query_one(NotesPane)
        assert "rooftop-showdown" not in [o.id for o in notes.note_list.options]
        await pilot.press("tab", "j", "j", "j", "j", "w")
        assert "rooftop-showdown" in [o.id for o in notes.note_list.options]


async def test_slash_filters_shows() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", "k", "a", "i")
        shows = app.query_one(ShowsPane)
        assert shows.visible_ids() == [KAIJU]
        assert app.show_id == KAIJU
        await pilot.press("enter")
        assert app.focused is shows.show_list
        await pilot.press("slash", "z", "z")
        assert shows.visible_ids() == []
        assert shows.query_one("#shows-empty").display
        await pilot.press("escape")
        assert shows.visible_ids() == [AOUD, KAIJU]
        assert app.focused is shows.show_list


async def test_question_mark_opens_help() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_q_quits() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_command_palette_offers_every_action() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)):
        titles = {command.title for command in app.get_system_commands(app.screen)}
    for title in (
        "Go to the previous show, from any pane",
        "Go to the next show, from any pane",
        "Toggle watched on the highlighted episode",
        "Mark every episode up to the highlighted one watched",
        "Undo the last change",
        "Jump to the next unwatched episode of this show",
        "Reveal or hide notes past your progress",
        "Filter shows by typing",
        "Show every key",
        "Quit",
    ):
        assert title in titles


async def test_a_change_by_another_process_shows_up(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        env = {**os.environ, "TRACKER_HOME": str(tracker_home)}
        subprocess.run(
            [sys.executable, "-m", "tracker_tui", "watch", AOUD, "s1e1-3"], env=env, check=True
        )
        for _ in range(30):
            await pilot.pause(0.1)
            if app.session.progress.is_watched(ep(3)):
                break
        assert app.session.progress.is_watched(ep(3))
        await settle(app, pilot)
        assert "3/12" in app.query_one(ShowsPane).show_list.row_text(AOUD).plain


async def test_failed_save_is_reported_kept_and_quit_asks(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(self: ProgressStore, progress: object) -> None:
        raise ProgressSaveError("cannot save progress.json: No space left on device")

    monkeypatch.setattr(ProgressStore, "save_stamped", fail)
    app = make_app()
    notices: list[str] = []
    async with app.run_test(size=(100, 30), message_hook=notified(notices)) as pilot:
        await pilot.press("tab", "space")
        await settle(app, pilot)
        assert app.session.progress.is_watched(ep(1)), "the change is kept in memory"
        assert app.unsaved
        messages = notices
        assert any("No space left on device" in message for message in messages)
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert not isinstance(app.screen, ConfirmScreen)
        monkeypatch.undo()
        app.save_progress()
        await settle(app, pilot)
        assert not app.unsaved
        assert on_disk(tracker_home) == {ep(1)}
        await pilot.press("q")
    assert app.return_code == 0


async def test_start_up_problems_are_notified(tracker_home: Path) -> None:
    (tracker_home / "shows").mkdir()
    (tracker_home / "shows" / "broken.toml").write_text("id = ")
    (tracker_home / "progress.json").write_text("not json")
    app = make_app()
    notices: list[str] = []
    async with app.run_test(size=(100, 30), message_hook=notified(notices)) as pilot:
        await pilot.pause()
        messages = " ".join(notices)
        assert "broken.toml" in messages
        assert "progress.json.corrupt-" in messages
        assert app.show_id == AOUD


HOSTILE = """
id = "hostile"
title = "[bold]Bold[/bold] [@click=app.quit]click[/] {long}"
kind = "series"

[[seasons]]
number = 1
episode_count = 2
episodes = [{{ number = 1, title = "[red]x[/red]" }}]

[[seasons.status]]
state = "released"
detail = "Out"
on = "2024"
{many_seasons}
"""


async def test_hostile_show_text_is_shown_literally(tracker_home: Path) -> None:
    seasons = "".join(
        f'\n[[seasons]]\nnumber = {n}\n[[seasons.status]]\nstate = "announced"\ndetail = "A"\n'
        for n in range(2, 501)
    )
    (tracker_home / "shows").mkdir()
    (tracker_home / "shows" / "hostile.toml").write_text(
        HOSTILE.format(long="x" * 10_000, many_seasons=seasons)
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", "b", "o", "l", "d", "enter")
        assert app.show_id == "hostile"
        await pilot.press("tab")
        prompts = [str(o.prompt) for o in app.query_one(ShowPane).options]
        assert any("[red]x[/red]" in prompt for prompt in prompts)
        show_list = app.query_one(ShowsPane).show_list
        listed = show_list.row_text(show_list.row_ids[0]).plain
        assert listed.startswith("[bold]Bold[/bold] [@click=app.quit]click[/]")
        await pilot.click(ShowsPane)
        await pilot.pause()
        assert app.is_running


async def test_clicks_choose_shows_toggle_episodes_and_open_notes(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        shows = app.query_one(ShowsPane).show_list
        await pilot.click(shows, offset=(3, 4))  # the second show's title line
        assert app.show_id == KAIJU
        await pilot.click(shows, offset=(3, 1))
        assert app.show_id == AOUD
        pane = app.query_one(ShowPane)
        # Rows above the episodes wrap, so an option's index is not its line: scroll E1 to
        # the pane's first line, under the border.
        pane.highlighted = next(i for i, o in enumerate(pane.options) if o.id == "ep-1-1")
        pane.scroll_to_highlight(top=True)
        await pilot.pause()
        await pilot.click(pane, offset=(5, 1))
        await settle(app, pilot)
        assert on_disk(tracker_home) == {ep(1)}
        await pilot.click(app.query_one(NotesPane).note_list, offset=(3, 1))
        assert isinstance(app.screen, SourceScreen)


async def test_the_theme_choice_is_remembered(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert json.loads((tracker_home / "settings.json").read_text()) == {"theme": "nord"}
    again = make_app()
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_show_pane_starts_on_the_first_unwatched_episode(run_cli: RunCli) -> None:
    run_cli("watch", "all of us", "s1e1-3")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.query_one(ShowPane).highlighted_key(AOUD) == ep(4)


async def test_ctrl_p_runs_an_action_from_the_command_palette() -> None:
    from textual.command import CommandPalette

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"go to the next show")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.show_id == KAIJU


async def test_a_change_redraws_only_its_own_row(tracker_home: Path) -> None:
    # With 200 shows, a list rebuilt on every key would make 200 rows per key.
    shows = tracker_home / "shows"
    shows.mkdir()
    for n in range(200):
        (shows / f"s{n:03d}.toml").write_text(
            f'id = "s{n:03d}"\ntitle = "Zz {n:03d}"\nkind = "series"\n'
            "[[seasons]]\nnumber = 1\nepisode_count = 3\n"
            '[[seasons.status]]\nstate = "released"\ndetail = "Out"\n'
        )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        show_list = app.query_one(ShowsPane).show_list
        # Only rows that were drawn are made: the screen holds a handful.
        assert show_list.rows_made < 20
        await pilot.press("tab")
        await settle(app, pilot)
        made, drawn = show_list.rows_made, show_list.rows_drawn
        await pilot.press("space")
        await settle(app, pilot)
        assert show_list.rows_made == made + 1  # the changed show's row, no other
        assert show_list.rows_drawn == drawn + 1
        assert "1/12" in show_list.row_text(AOUD).plain
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.show_id == KAIJU
        assert show_list.highlighted == 1
        assert show_list.rows_made == made + 1  # moving the highlight makes no row


async def test_the_highlight_follows_the_current_show_however_it_is_set() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shows = app.query_one(ShowsPane)
        app.main_screen.show_id = KAIJU
        await pilot.pause()
        assert shows.highlighted_id == KAIJU
        assert Content.from_markup(app.query_one(ShowPane).border_title or "").plain.startswith(
            "Kaiju Girl Caramelise · "
        )
        app.main_screen.show_id = AOUD
        await pilot.pause()
        assert shows.highlighted_id == AOUD
        assert app.show_id == AOUD


async def test_moving_in_the_shows_pane_posts_show_highlighted_with_its_control() -> None:
    posted: list[ShowsPane.ShowHighlighted] = []

    def hook(message: Message) -> None:
        # The hook sees a message at every node it bubbles through: count it once.
        if isinstance(message, ShowsPane.ShowHighlighted) and message not in posted:
            posted.append(message)

    app = make_app()
    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        await pilot.pause()
        posted.clear()
        await pilot.press("j")
        await pilot.pause()
        assert [message.show_id for message in posted] == [KAIJU]
        assert posted[0].control is app.query_one(ShowsPane)
        assert app.show_id == KAIJU


async def test_the_screen_shows_the_sessions_progress_after_each_change() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "space")
        assert app.main_screen.progress is app.session.progress
        assert app.query_one(ShowsPane).progress is app.session.progress
        await pilot.press("u")
        assert app.main_screen.progress is app.session.progress
        assert not app.main_screen.progress.is_watched(ep(1))
