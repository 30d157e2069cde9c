"""The `?` help screen: every key and what it does."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: list[tuple[str, str]] = [
    ("tab / shift+tab", "next / previous pane"),
    ("up / down, j / k", "move"),
    ("[ / ]", "previous / next show, from any pane"),
    ("space", "toggle watched on the highlighted episode"),
    ("w", "mark all episodes up to the highlighted one"),
    ("", "(from the shows list: the show's next episode)"),
    ("u", "undo the last change"),
    ("n", "jump to the next unwatched episode"),
    ("enter", "on a note: open its source (escape closes)"),
    ("s", "reveal / hide spoilers, in notes and sources"),
    ("/", "filter shows by typing (enter keeps, escape clears)"),
    ("ctrl+p", "command palette: every action, and themes"),
    ("?", "this help"),
    ("q / ctrl+q", "quit once every change is saved"),
]


class HelpScreen(ModalScreen[None]):
    """A list of keys; any of escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        width = max(len(key) for key, _ in KEYS)
        text = Text()
        text.append("Keys\n\n", style="bold")
        for key, what in KEYS:
            text.append(key.ljust(width + 2), style="bold")
            text.append(f"{what}\n")
        text.append("\nEvery action is also in the command palette (ctrl+p).", style="dim")
        with VerticalScroll(id="help-body"):
            yield Static(text)
