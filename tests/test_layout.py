"""The main screen's layout (issue 15): episodes first, rows that scan, numbered citations,
keys always reachable, the save state in view, and a terminal too small said plainly."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from textual import events
from textual.content import Content
from textual.widgets import Input, Static

from tracker_tui.domain.files import Stamp
from tracker_tui.domain.progress.records import EpisodeKey, Progress, mark_watched
from tracker_tui.domain.progress.store import ProgressSaveError, ProgressStore
from tracker_tui.tui import app as app_module
from tracker_tui.tui import make_app
from tracker_tui.tui.screens.help_screen import HelpScreen
from tracker_tui.tui.widgets import NotesPane, ShowPane, ShowsPane
from tracker_tui.tui.widgets.key_bar import KeyBar
from tracker_tui.tui.widgets.notes_pane import NoteList

from .conftest import FIXED_NOW
from .pilot_helpers import settle
from .test_trust_app import wait_until

AOUD = "all-of-us-are-dead"
KAIJU = "kaiju-girl-caramelise"


def ep(number: int, season: int = 1) -> EpisodeKey:
    return EpisodeKey(AOUD, season, number)


def plain(title: str | None) -> str:
    """A border's title as it reads: Textual hands it over as markup."""
    return Content.from_markup(title or "").plain


def rows(pane: ShowPane) -> list[str]:
    return [str(option.prompt) for option in pane.options]


async def test_the_borders_say_the_status_and_kind_and_the_episodes_come_first() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = app.query_one(ShowPane)
        assert plain(pane.border_title) == "All of Us Are Dead · plan to watch"
        assert plain(pane.border_subtitle) == "series · Netflix · South Korea"
        first = rows(pane)[0]
        assert first.startswith("Season 1 · released")
        # The next episode is in view on opening, with the season above it.
        assert pane.highlighted_key(AOUD) == ep(1)
        assert pane.scroll_y == 0
        # People are counted, after the episodes.
        text = rows(pane)
        people = next(i for i, row in enumerate(text) if row.startswith("People ("))
        last_episode = max(i for i, option in enumerate(pane.options) if option.id)
        assert people > last_episode
        await pilot.press("tab", "space")
        await settle(app, pilot)
        assert plain(pane.border_title) == "All of Us Are Dead · watching"


async def test_episode_numbers_are_right_aligned_in_a_column() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = app.query_one(ShowPane)
        episode_rows = {option.id: str(option.prompt) for option in pane.options if option.id}
        assert episode_rows["ep-1-9"].startswith("○  E9")
        assert episode_rows["ep-1-10"].startswith("○ E10")
        # Rendered, E9 and E10 end in the same column.
        lines = [strip.text for strip in (pane.render_line(y) for y in range(pane.size.height))]
        ends = {line.rstrip().split()[-1]: line.index(line.rstrip().split()[-1]) for line in lines}
        if "E9" in ends and "E10" in ends:
            assert ends["E9"] + 2 == ends["E10"] + 3


async def test_a_watched_episode_shows_the_day_in_its_own_column(tracker_home: Path) -> None:
    watched_at = dt.datetime(2026, 11, 20, 20, tzinfo=dt.UTC)
    ProgressStore(tracker_home / "progress.json").save(
        mark_watched(Progress.empty(), [ep(1), ep(10)], FIXED_NOW, watched_at=watched_at)
    )
    for width, expected in ((80, "2026-11-20"), (140, "watched 2026-11-20")):
        app = make_app()
        async with app.run_test(size=(width, 30)) as pilot:
            await pilot.pause()
            pane = app.query_one(ShowPane)
            prompt = {o.id: str(o.prompt) for o in pane.options if o.id}
            assert prompt["ep-1-1"] == f"✓  E1  {expected}"
            assert prompt["ep-1-10"] == f"✓ E10  {expected}"


async def test_notes_cite_numbers_listed_once_at_the_foot() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        notes = app.query_one(NoteList)
        prompts = [str(option.prompt) for option in notes.options]
        assert "Sources" in prompts
        listed = prompts[prompts.index("Sources") + 1 :]
        assert listed and all(row.startswith("[") for row in listed)
        numbered = [row for row in prompts if row.endswith("]") and "\n" in row]
        assert numbered, "each note ends with the numbers of its sources"
        assert not any("\n— " in row for row in prompts), "no titles repeated under notes"
        assert str(app.query_one(NotesPane).border_subtitle) == "enter opens the source"


@pytest.mark.parametrize("focus_presses", [0, 1, 2], ids=["shows", "show", "notes"])
async def test_help_quit_and_the_palette_key_fit_the_key_bar_at_80(focus_presses: int) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*["tab"] * focus_presses)
        await pilot.pause(0.2)
        line = str(app.screen.query_one(KeyBar).render())
        assert len(line) <= 80
        for said in ("? Help", "q Quit", "^p palette"):
            assert said in line, (said, line)
        assert line.rstrip().endswith("^p palette")


async def test_while_typing_a_filter_the_key_bar_says_what_enter_and_escape_do() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await pilot.pause(0.2)
        entries = app.screen.query_one(KeyBar).entries()
        assert [(shown, said) for _key, shown, said, _enabled in entries[:2]] == [
            ("⏎", "Keep"),
            ("esc", "Clear"),
        ]
        await pilot.press("k", "a", "escape")
        await pilot.pause()
        assert app.query_one(ShowsPane).visible_ids()[0] == AOUD  # cleared: every show


async def test_a_click_on_a_key_in_the_key_bar_presses_it() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = str(app.screen.query_one(KeyBar).render())
        await pilot.click(KeyBar, offset=(line.index("? Help") + 2, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_the_key_bar_keeps_the_palette_key_when_the_terminal_is_narrow() -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        line = str(app.screen.query_one(KeyBar).render())
        assert len(line) == 60 and line.endswith("▏^p palette")
        assert "…" in line


async def test_a_terminal_too_small_asks_for_more_room_and_keys_change_nothing(
    tracker_home: Path,
) -> None:
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        message = app.screen.query_one("#too-small", Static)
        assert message.display and "Make the terminal larger" in str(message.render())
        assert not app.screen.query_one("#panes").display
        await pilot.press("space", "w", "right_square_bracket")
        await settle(app, pilot)
        assert not (tracker_home / "progress.json").exists()
        assert app.main_screen.show_id == AOUD
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not message.display
        await pilot.press("tab", "space")
        await settle(app, pilot)
        assert app.session.progress.is_watched(ep(1))


async def test_the_header_says_while_a_change_is_unsaved_and_why(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = ProgressStore.save_stamped
    failing = [True]

    def save(self: ProgressStore, progress: Progress) -> tuple[Progress, Stamp | None]:
        if failing[0]:
            raise ProgressSaveError("cannot save progress.json: No space left on device")
        return original(self, progress)

    monkeypatch.setattr(ProgressStore, "save_stamped", save)
    monkeypatch.setattr(app_module, "SAVE_RETRY_SECONDS", 0.3)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.sub_title == ""
        await pilot.press("tab", "space")
        await settle(app, pilot)
        assert app.sub_title == "unsaved: cannot save progress.json: No space left on device"
        failing[0] = False
        assert await wait_until(pilot, lambda: not app.unsaved, seconds=8)
        await pilot.pause()
        assert app.sub_title == ""


async def test_the_header_says_when_a_save_is_slow(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = ProgressStore.save_stamped

    def slow(self: ProgressStore, progress: Progress) -> tuple[Progress, Stamp | None]:
        time.sleep(1.0)  # long past SAVING_SHOWN_AFTER, even on a loaded machine
        return original(self, progress)

    monkeypatch.setattr(ProgressStore, "save_stamped", slow)
    monkeypatch.setattr(app_module, "SAVING_SHOWN_AFTER", 0.05)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "space")
        assert await wait_until(pilot, lambda: app.sub_title == "saving…")
        await settle(app, pilot)
        await pilot.pause()
        assert app.sub_title == ""


async def test_the_header_says_when_another_program_changed_progress(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        other = ProgressStore(tracker_home / "progress.json")
        other.save(mark_watched(Progress.empty(), [ep(3)], FIXED_NOW))
        assert await wait_until(pilot, lambda: app.session.progress.is_watched(ep(3)))
        assert app.sub_title.startswith("synced from another program at ")
        await pilot.press("tab", "space")  # the user's own change: the note has done its job
        await settle(app, pilot)
        assert app.sub_title == ""


async def test_the_shows_pane_fits_its_longest_title(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert app.query_one(ShowsPane).outer_size.width == 31  # the bundled titles are short
    shows = tracker_home / "shows"
    shows.mkdir(exist_ok=True)
    (shows / "long.toml").write_text(
        'id = "long"\ntitle = "An Extraordinarily Long Show Title"\nkind = "series"\n'
    )
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert (
            app.query_one(ShowsPane).outer_size.width
            == len("An Extraordinarily Long Show Title") + 6
        )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.query_one(ShowsPane).outer_size.width == 36  # 45% of 80 at most


def long_runner(home: Path, seasons: int = 22) -> None:
    """A user show of `seasons` seasons of 10 episodes, the first six and S7E1-3 watched."""
    shows = home / "shows"
    shows.mkdir(exist_ok=True)
    text = 'id = "long-runner"\ntitle = "Long Runner"\nkind = "series"\n'
    text += "".join(
        f"\n[[seasons]]\nnumber = {n}\nepisode_count = 10\n" for n in range(1, seasons + 1)
    )
    (shows / "long-runner.toml").write_text(text)
    keys = [EpisodeKey("long-runner", s, e) for s in range(1, 7) for e in range(1, 11)]
    keys += [EpisodeKey("long-runner", 7, e) for e in (1, 2, 3)]
    ProgressStore(home / "progress.json").save(mark_watched(Progress.empty(), keys, FIXED_NOW))


async def test_a_show_of_many_seasons_folds_all_but_the_one_being_watched(
    tracker_home: Path,
) -> None:
    long_runner(tracker_home)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.main_screen.show_id = "long-runner"
        await pilot.pause()
        pane = app.query_one(ShowPane)
        ids = [option.id for option in pane.options if option.id]
        assert [i for i in ids if i.startswith("fold-")] == [
            f"fold-{n}" for n in range(1, 23) if n != 7
        ]
        assert [i for i in ids if i.startswith("ep-")] == [f"ep-7-{n}" for n in range(1, 11)]
        assert pane.highlighted_key("long-runner") == EpisodeKey("long-runner", 7, 4)
        assert str(pane.get_option("fold-6").prompt).startswith("▸ Season 6 ·")
        # Up past the season's first episode rests on the folded season above; enter
        # unfolds it, the cursor on its first episode; marking keeps it unfolded.
        await pilot.press("tab", "k", "k", "k", "k", "enter")
        await pilot.pause()
        assert pane.highlighted_key("long-runner") == EpisodeKey("long-runner", 6, 1)
        await pilot.press("space")
        await settle(app, pilot)
        assert not app.session.progress.is_watched(EpisodeKey("long-runner", 6, 1))
        assert pane.highlighted_key("long-runner") == EpisodeKey("long-runner", 6, 1)
        # Jumping to an episode of a folded season unfolds it.
        pane.highlight_episode(EpisodeKey("long-runner", 20, 5))
        await pilot.pause()
        assert pane.highlighted_key("long-runner") == EpisodeKey("long-runner", 20, 5)


async def test_a_show_of_fewer_seasons_never_folds(tracker_home: Path) -> None:
    long_runner(tracker_home, seasons=19)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.main_screen.show_id = "long-runner"
        await pilot.pause()
        ids = [option.id for option in app.query_one(ShowPane).options if option.id]
        assert not [i for i in ids if i.startswith("fold-")]
        assert len([i for i in ids if i.startswith("ep-")]) == 190


async def test_a_terminal_too_small_offers_the_panes_actions_in_no_palette(
    tracker_home: Path,
) -> None:
    """The palette runs its commands without asking check_action: while the panes are
    hidden it must not offer what would change them unseen (mark watched, next show)."""
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert app.main_screen.too_small
        callbacks = {command.callback for command in app.get_system_commands(app.screen)}
        assert app.action_toggle_watched not in callbacks
        assert app.action_next_show not in callbacks
        assert app.action_help in callbacks and app.action_quit in callbacks
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        callbacks = {command.callback for command in app.get_system_commands(app.screen)}
        assert app.action_toggle_watched in callbacks


async def test_a_show_with_no_seasons_says_how_to_add_one(tracker_home: Path) -> None:
    shows = tracker_home / "shows"
    shows.mkdir(exist_ok=True)
    (shows / "empty.toml").write_text('id = "empty"\ntitle = "Empty"\nkind = "series"\n')
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.main_screen.show_id = "empty"
        await pilot.pause()
        assert rows(app.query_one(ShowPane))[0] == "No seasons yet: e adds one."


async def test_the_palette_has_one_quit_and_one_help() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles.count("Quit") == 1
        assert "Keys" not in titles  # Textual's key panel: our help lists every key
        assert sum("every key" in title for title in titles) == 1, titles


async def test_letters_typed_at_once_after_slash_go_into_the_filter() -> None:
    """A paste, or tmux's send-keys, delivers "/kai" in one read: the letters after the
    slash must filter, not run the list's keys (k moved up, a opened the add form)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key, character in (("slash", "/"), ("k", "k"), ("a", "a"), ("i", "i")):
            app.post_message(events.Key(key, character))  # all queued before any is handled
        await pilot.pause()
        assert app.screen is app.main_screen
        assert app.query_one(ShowsPane).filter_input.value == "kai"


async def test_a_slash_in_the_filter_is_typed_and_other_screens_keep_theirs() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", "a", "slash", "b")
        assert app.query_one(ShowsPane).filter_input.value == "a/b"
        await pilot.press("escape", "I")  # the import screen: its path field takes "/"
        await pilot.pause()
        await pilot.press("slash", "t")
        await pilot.pause()
        assert app.screen is not app.main_screen
        assert app.query_one(ShowsPane).filter_input.value == ""
        assert "/t" in str(app.screen.query_one(Input).value)
