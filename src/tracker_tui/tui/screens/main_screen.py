"""The main screen: shows, the highlighted show, and its notes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header

from tracker_tui.tui.widgets import NotesPane, ShowPane, ShowsPane


class MainScreen(Screen[None]):
    """Three panes: at narrow widths the show and notes panes stack on the right."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]  # noqa: RUF012 (Textual API)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield ShowsPane(id="shows")
            with Vertical(id="detail"):
                yield ShowPane(id="show")
                yield NotesPane(id="notes")
        yield Footer(compact=True, show_command_palette=False)
