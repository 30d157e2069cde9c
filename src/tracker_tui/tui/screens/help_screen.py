"""The `?` help screen: every key of the main screen and what it does, built from the
bindings (as remapped in settings.json), so the keys are written down only there."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static

from tracker_tui.tui.keys import KeyRef, TextualKey, key_label, ref_keys

PALETTE = TextualKey(App, "command_palette")

GROUPS = ("moving", "progress", "reading", "library", "app")
"""The help's groups, in the order it lists them."""


@dataclass(frozen=True)
class HelpLine:
    """One line of help: the keys of some bindings, and what they do."""

    group: str
    keys: tuple[tuple[KeyRef, ...], ...]
    """Runs of bindings: keys within a run are joined by " / ", runs by ", "."""
    text: tuple[str, ...]
    """The words; a second line goes under the first, with no key."""


HELP_LINES: tuple[HelpLine, ...] = (
    HelpLine(
        "moving",
        ((TextualKey(Screen, "app.focus_next"), TextualKey(Screen, "app.focus_previous")),),
        ("next / previous pane",),
    ),
    HelpLine(
        "moving",
        (
            (TextualKey(OptionList, "cursor_up"), TextualKey(OptionList, "cursor_down")),
            ("list.down", "list.up"),
        ),
        ("move",),
    ),
    HelpLine("moving", (("previous_show", "next_show"),), ("previous / next show, from any pane",)),
    HelpLine("progress", (("toggle_watched",),), ("toggle watched on the highlighted episode",)),
    HelpLine(
        "progress",
        (("watch_up_to",),),
        (
            "mark all episodes up to the highlighted one",
            "(from the shows list: the show's next episode)",
        ),
    ),
    HelpLine("progress", (("undo",),), ("undo the last change",)),
    HelpLine("progress", (("next_unwatched",),), ("jump to the next unwatched episode",)),
    HelpLine("progress", (("watch_again",),), ("log another viewing (a rewatch)",)),
    HelpLine("progress", (("viewings",),), ("the episode's viewings: x removes one",)),
    HelpLine("progress", (("history",),), ("history by day: enter goes to the episode",)),
    HelpLine(
        "library",
        (("rate",), ("rate_season",)),
        (
            "rate the episode (shows list: the show), its season",
            "(1-9, 0 is 10, backspace clears)",
        ),
    ),
    HelpLine("library", (("set_status",),), ("put the show on a list, or back to automatic",)),
    HelpLine("library", (("status_filter",),), ("list all shows, each list, the archived ones",)),
    HelpLine("library", (("archive",),), ("archive the show, or bring it back",)),
    HelpLine("reading", (("notes.open_source",),), ("on a note: open its source (escape closes)",)),
    HelpLine("reading", (("toggle_spoilers",),), ("reveal / hide spoilers, in notes and sources",)),
    HelpLine("reading", (("filter_shows",),), ("filter shows by typing",)),
    HelpLine(
        "reading",
        (("filter.keep",), ("filter.clear",)),
        ("while typing a filter: keep it, clear it",),
    ),
    HelpLine("reading", (("upcoming",),), ("coming up: release dates of every show",)),
    HelpLine(
        "library",
        (("add_show",),),
        ("add a show (or tracker add TITLE in a terminal)",),
    ),
    HelpLine(
        "library",
        (("edit_show",),),
        ("edit the show: a form, or its file in $EDITOR",),
    ),
    HelpLine(
        "library",
        (("remove_show",),),
        ("remove a show you added (undo brings it back)",),
    ),
    HelpLine(
        "library",
        (("stats",),),
        ("stats: a year's heatmap, totals, streaks, ratings", "([ and ] change the year)"),
    ),
    HelpLine(
        "app",
        ((PALETTE,),),
        ("command palette: every action, and themes",),
    ),
    HelpLine("app", (("help",),), ("this help",)),
    HelpLine("app", (("quit", "quit_alt"),), ("quit once every change is saved",)),
)


def help_rows(keys_by_id: Mapping[str, list[str]]) -> list[tuple[str, str]]:
    """(keys, words) per line of help, group by group, with each binding's current keys."""
    rows: list[tuple[str, str]] = []
    for group in GROUPS:
        for line in (line for line in HELP_LINES if line.group == group):
            keys = ", ".join(
                " / ".join(key_label(key) for ref in run for key in ref_keys(ref, keys_by_id))
                for run in line.keys
            )
            rows.append((keys, line.text[0]))
            rows.extend(("", more) for more in line.text[1:])
    return rows


class HelpScreen(ModalScreen[None]):
    """A list of keys; any of escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,question_mark,q", "dismiss", "Close", tooltip="Close the help.", id="help.close"
        ),
    ]

    def __init__(self, keys_by_id: Mapping[str, list[str]], data_folder: Path) -> None:
        super().__init__()
        self.keys_by_id = keys_by_id
        """Each binding id's keys, after the user's keymap."""
        self.data_folder = data_folder
        """Where the user's files are, named in full so they can be found."""

    def compose(self) -> ComposeResult:
        rows = help_rows(self.keys_by_id)
        width = max(len(keys) for keys, _ in rows)
        text = Text()
        text.append("Keys\n\n", style="bold")
        for keys, what in rows:
            text.append(keys.ljust(width + 2), style="bold")
            text.append(f"{what}\n")
        palette = " / ".join(key_label(key) for key in ref_keys(PALETTE, self.keys_by_id))
        text.append(f"\nEvery action is also in the command palette ({palette}).", style="dim")
        text.append("\n\nYour data folder: ", style="bold")
        text.append(str(self.data_folder))
        text.append(
            f"\nShows you add are files in {self.data_folder / 'shows'}; a change there by "
            "any program shows up here within 2 seconds.",
            style="dim",
        )
        with VerticalScroll(id="help-body"):
            yield Static(text)
