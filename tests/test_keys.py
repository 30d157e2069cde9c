"""Keys in one place: bindings carry ids and tooltips; help, palette and README follow
them; settings.json remaps them, and says clearly what it cannot use."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import Static

from tracker_tui.domain.settings import load_settings, save_theme
from tracker_tui.domain.watching.source_spoilers import fold_label
from tracker_tui.tui import TrackerApp, make_app
from tracker_tui.tui.keys import (
    TextualKey,
    effective_keys,
    key_label,
    own_bindings,
    scope_classes,
    textual_keys,
)
from tracker_tui.tui.screens.help_screen import HELP_LINES, HelpScreen, help_rows
from tracker_tui.tui.widgets.key_bar import KeyBar

from .conftest import REPO

SIZE = (100, 30)


def write_settings(home: Path, settings: object) -> Path:
    path = home / "settings.json"
    path.write_text(json.dumps(settings) if not isinstance(settings, str) else settings)
    return path


def notices_into(notices: list[str]) -> Callable[[Message], None]:
    """A message hook keeping each notification's title and text."""

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            notices.append(f"{message.notification.title}: {message.notification.message}")

    return hook


def all_bindings() -> dict[str, list[str]]:
    """Each id's default keys, as help and the README write them."""
    classes = scope_classes(TrackerApp.key_scopes())
    return {
        binding_id: [key_label(binding.key) for binding in bindings]
        for binding_id, bindings in own_bindings(classes).items()
    }


def help_text(app: TrackerApp) -> str:
    assert isinstance(app.screen, HelpScreen)
    return str(app.screen.query_one(Static).content)


# --- the bindings ----------------------------------------------------------------------


def test_every_binding_of_ours_has_an_id_and_a_tooltip() -> None:
    for cls in scope_classes(TrackerApp.key_scopes()):
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
            assert binding.id, f"{cls.__name__}: {binding.key} has no id"
            assert binding.tooltip.endswith("."), f"{binding.id}: a short sentence"


def test_every_class_with_bindings_is_in_a_scope() -> None:
    """A new pane's keys must be in a scope, or the keymap's checks and the README
    test would not see them."""
    import importlib
    import inspect
    import pkgutil

    import tracker_tui.tui

    covered = scope_classes(TrackerApp.key_scopes())
    for module_info in pkgutil.walk_packages(tracker_tui.tui.__path__, "tracker_tui.tui."):
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and cls.__dict__.get("BINDINGS"):
                assert cls in covered, f"{cls.__name__} is in no scope of TrackerApp.key_scopes"


def test_an_id_belongs_to_one_action() -> None:
    classes = scope_classes(TrackerApp.key_scopes())
    for binding_id, bindings in own_bindings(classes).items():
        assert len({binding.action for binding in bindings}) == 1, binding_id


def test_the_help_is_built_from_the_bindings_and_reads_as_before() -> None:
    rows = help_rows(effective_keys(TrackerApp.key_scopes(), {}))
    assert rows[:3] == [
        ("tab / shift+tab", "next / previous pane"),
        ("up / down, j / k", "move"),
        ("[ / ]", "previous / next show, from any pane"),
    ]
    assert ("q / ctrl+q", "quit once every change is saved") in rows
    assert ("ctrl+p", "command palette: every action, and themes") in rows


# --- the README ------------------------------------------------------------------------


def readme_key_rows() -> list[tuple[list[str], str]]:
    """(keys, id) of each row of the README's key tables; id "" for Textual's keys."""
    rows: list[tuple[list[str], str]] = []
    in_table = False
    for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines():
        if line == "| Key | Id | Does |":
            in_table = True
            continue
        if not line.startswith("|"):
            in_table = False
        if in_table and not line.startswith("| ---"):
            key_cell, id_cell, _does = line.strip("|").split("|")
            rows.append((re.findall(r"`([^`]+)`", key_cell), id_cell.strip("` ")))
    return rows


def test_the_readme_lists_every_key_as_the_bindings_have_it() -> None:
    rows = readme_key_rows()
    ours = {binding_id: keys for keys, binding_id in rows if binding_id}
    assert len(ours) == len([row for row in rows if row[1]]), "an id listed twice"
    assert ours == all_bindings()
    textual = sorted(key for keys, binding_id in rows if not binding_id for key in keys)
    refs = [ref for line in HELP_LINES for run in line.keys for ref in run]
    expected = [key_label(k) for r in refs if isinstance(r, TextualKey) for k in textual_keys(r)]
    assert textual == sorted(expected)


def test_the_readme_example_keymap_is_one_the_app_takes(tracker_home: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("### Remapping keys", 1)[1].split("```json\n", 1)[1].split("```")[0]
    path = write_settings(tracker_home, example)
    settings = load_settings(path)
    assert settings.problems == ()
    assert set(settings.keymap) <= set(all_bindings())


# --- the palette -----------------------------------------------------------------------


async def test_the_palette_has_one_quit_one_help_and_the_keys_of_the_bindings() -> None:
    app = make_app()
    async with app.run_test(size=SIZE):
        commands = list(app.get_system_commands(app.screen))
    assert [c.title for c in commands].count("Quit") == 1
    assert [c.callback for c in commands].count(app.action_help) == 1
    helps = {c.title: c.help for c in commands}
    assert helps["Show every key"] == "key: ?"
    assert helps["Quit"].endswith("(key: q, ctrl+q)")
    assert helps["Toggle watched on the highlighted episode"] == "key: space"


# --- the keymap ------------------------------------------------------------------------


async def test_a_keymap_moves_a_key_and_the_help_and_footer_follow(tracker_home: Path) -> None:
    write_settings(tracker_home, {"keymap": {"toggle_spoilers": "x", "help": "f1"}})
    notices: list[str] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notices_into(notices)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        assert app.reveal_spoilers is False
        await pilot.press("x")
        assert app.reveal_spoilers is True
        footer = str(app.screen.query_one(KeyBar).render())
        assert "x Spoilers" in footer and "f1 Help" in footer
        assert "s Spoilers" not in footer and "? Help" not in footer
        await pilot.press("question_mark")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = help_text(app)
        assert re.search(r"^x +reveal / hide spoilers", text, re.MULTILINE)
        assert re.search(r"^f1 +this help$", text, re.MULTILINE)
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert commands["Reveal or hide notes past your progress"] == "key: x"
    assert notices == []


async def test_two_keys_can_swap(tracker_home: Path) -> None:
    write_settings(tracker_home, {"keymap": {"toggle_spoilers": "n", "next_unwatched": "s"}})
    notices: list[str] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notices_into(notices)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        assert app.reveal_spoilers is True
    assert notices == []


async def test_a_character_key_and_several_keys_work(tracker_home: Path) -> None:
    write_settings(tracker_home, {"keymap": {"toggle_spoilers": "!, ctrl+x"}})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("exclamation_mark")
        assert app.reveal_spoilers is True
        await pilot.press("ctrl+x")
        assert app.reveal_spoilers is False
        assert app.binding_keys()["toggle_spoilers"] == ["exclamation_mark", "ctrl+x"]


BAD_KEYMAPS = [
    pytest.param(
        "{not json",
        ["settings.json is not valid JSON (line 1, column 2", "fix it or remove it"],
        id="not-json",
    ),
    pytest.param(
        ["undo"],
        ["settings.json must hold a JSON object, such as", '"keymap": {'],
        id="not-an-object",
    ),
    pytest.param(
        {"keymap": ["undo", "z"]},
        ['settings.json: "keymap" must be an object of binding ids and keys'],
        id="keymap-not-an-object",
    ),
    pytest.param(
        {"keymap": {"toggle_wached": "x"}},
        ['settings.json: keymap "toggle_wached" is no key binding id (did you mean '],
        id="unknown-id",
    ),
    pytest.param(
        {"keymap": {"undo": 3}},
        ['settings.json: keymap "undo" must be a string of keys, such as "x"', "not 3"],
        id="not-a-string",
    ),
    pytest.param(
        {"keymap": {"undo": " "}},
        ['settings.json: keymap "undo" has an empty key', "or remove the entry"],
        id="empty",
    ),
    pytest.param(
        {"keymap": {"undo": "z,,y"}},
        ['settings.json: keymap "undo" has an empty key ("z,,y")'],
        id="empty-between-commas",
    ),
    pytest.param(
        {"keymap": {"undo": "spacebar"}},
        ['settings.json: keymap "undo": "spacebar" is not a key name', '"space"'],
        id="no-such-key",
    ),
    pytest.param(
        {"keymap": {"undo": "Ctrl+z"}},
        ['keymap "undo": "Ctrl+z" "Ctrl" is not a modifier'],
        id="bad-modifier",
    ),
    pytest.param(
        {"keymap": {"undo": "n"}},
        ['settings.json: keymap "undo": "n" is already the key of next_unwatched', "remap that"],
        id="clash",
    ),
    pytest.param(
        {"keymap": {"undo": "down"}},
        ['keymap "undo": "down" is already the key of Textual\'s Down'],
        id="clash-with-textual",
    ),
]


@pytest.mark.parametrize(("settings", "expected"), BAD_KEYMAPS)
async def test_a_bad_keymap_says_what_and_how_to_fix_it(
    tracker_home: Path, settings: object, expected: list[str]
) -> None:
    path = write_settings(tracker_home, settings)
    before = path.read_bytes()
    notices: list[str] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notices_into(notices)) as pilot:
        await pilot.pause()
        assert app.is_running
        await pilot.press("u")  # the default key still works
        await pilot.pause()
    problems = [n for n in notices if n.startswith("Problem in settings.json")]
    assert len(problems) == 1, notices
    for part in expected:
        assert part in problems[0]
    assert str(path) in problems[0]
    assert path.read_bytes() == before


async def test_good_entries_apply_beside_a_bad_one(tracker_home: Path) -> None:
    write_settings(tracker_home, {"keymap": {"toggle_spoilers": "x", "nope": "y"}})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x")
        assert app.reveal_spoilers is True


async def test_a_remapped_answer_shows_in_the_question(tracker_home: Path) -> None:
    from tracker_tui.tui.screens.confirm_screen import ConfirmScreen

    write_settings(tracker_home, {"keymap": {"confirm.yes": "j"}})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(ConfirmScreen("Sure?"))
        await pilot.pause()
        answers = str(app.screen.query(Static).last().content)
        assert answers == "j: yes   n: no"


# --- the theme keeps the keymap --------------------------------------------------------


async def test_saving_the_theme_keeps_the_keymap(tracker_home: Path) -> None:
    path = write_settings(tracker_home, {"keymap": {"undo": "z"}, "later": [1]})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
    assert json.loads(path.read_text()) == {"keymap": {"undo": "z"}, "later": [1], "theme": "nord"}


async def test_a_theme_is_not_saved_over_a_broken_file(tracker_home: Path) -> None:
    path = write_settings(tracker_home, '{"keymap": {"undo": "z"}')
    notices: list[str] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notices_into(notices)) as pilot:
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
    assert path.read_text() == '{"keymap": {"undo": "z"}'
    assert any("Cannot save the theme" in n and "fix it or remove it" in n for n in notices)


def test_settings_without_a_file_are_the_defaults(tracker_home: Path) -> None:
    settings = load_settings(tracker_home / "settings.json")
    assert (settings.theme, settings.keymap, settings.problems) == (None, {}, ())


def test_a_fifo_as_settings_never_hangs(tracker_home: Path) -> None:
    import os

    path = tracker_home / "settings.json"
    os.mkfifo(path)
    settings = load_settings(path)
    assert "FIFO" in settings.problems[0]


def test_saving_the_theme_through_a_symlinked_settings_file_keeps_the_link(
    tracker_home: Path,
) -> None:
    """A settings.json linked from a dotfiles folder stays a link: the theme is written
    into the file it points at, never over the link."""
    dotfiles = tracker_home / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "tracker-settings.json"
    target.write_text('{"keymap": {"undo": "z"}}')
    link = tracker_home / "settings.json"
    link.symlink_to(target)
    save_theme("nord", link)
    assert link.is_symlink()
    assert json.loads(target.read_text()) == {"keymap": {"undo": "z"}, "theme": "nord"}


async def test_hints_on_screen_name_the_remapped_keys(tracker_home: Path) -> None:
    """A hint that names a key ("s reveals", "esc clears") names the user's key instead."""
    write_settings(
        tracker_home, {"keymap": {"toggle_spoilers": "z", "shows.clear_filter": "ctrl+x"}}
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        show_pane = app.main_screen.show_pane
        rows = [str(show_pane.get_option_at_index(i).prompt) for i in range(show_pane.option_count)]
        hints = [row for row in rows if "reveals)" in row]
        assert hints, "the bundled show has a disputed claim past no progress"
        assert all(": z reveals)" in hint for hint in hints), hints
        await pilot.press("slash", "a", "l", "l", "enter")
        await pilot.pause()
        assert str(app.main_screen.shows_pane.border_subtitle) == "ctrl+x clears"


def test_a_fold_names_the_key_that_reveals_it() -> None:
    assert fold_label((1, 4), "r") == "▸ spoiler past S1E4 hidden (press r to reveal)"
    assert fold_label(None) == "▸ spoiler hidden: nothing watched yet (press s to reveal)"
