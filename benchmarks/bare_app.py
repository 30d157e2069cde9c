"""The reference app: the least a Textual app with the tracker's kind of screen costs.

Header, a two-item list, a line of text and a footer, as in Textual's own
examples. The benchmark compares the tracker against this app run the same way.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Label, ListItem, ListView, Static

FIRST_ITEM = "First item"
SECOND_ITEM = "Second item"


class BareApp(App[None]):
    """Nothing but stock widgets and a quit key."""

    TITLE = "bare"

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield ListView(ListItem(Label(FIRST_ITEM)), ListItem(Label(SECOND_ITEM)))
        yield Static("A bare Textual app for the benchmark to compare against.")
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
