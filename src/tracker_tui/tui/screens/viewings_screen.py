"""An episode's viewings, each with its time; one can be removed (undo brings it back)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.widgets.option_list import Option

from tracker_tui.domain.progress.records import Viewing
from tracker_tui.tui.keys import key_hint
from tracker_tui.tui.widgets.lists import VimOptionList


def viewing_time(viewing: Viewing) -> str:
    """When the viewing was, in the user's local time, or that nobody knows."""
    if viewing.watched_at is None:
        return "time unknown"
    return viewing.watched_at.astimezone().strftime("%Y-%m-%d %H:%M")


class ViewingsScreen(ModalScreen[str | None]):
    """Lists the viewings oldest first; dismisses with the id of the viewing to remove,
    or None when closed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "x,delete",
            "remove",
            "Remove",
            tooltip="Remove the highlighted viewing (u undoes it).",
            id="viewings.remove",
        ),
        Binding(
            "escape", "dismiss(None)", "Close", tooltip="Close the viewings.", id="viewings.close"
        ),
    ]

    def __init__(self, what: str, viewings: Sequence[Viewing]) -> None:
        super().__init__()
        self.what = what
        """The episode, as the title names it ("All of Us S1E3")."""
        self.viewings = list(viewings)
        """The episode's viewings, oldest first."""

    def compose(self) -> ComposeResult:
        count = len(self.viewings)
        remove = key_hint(self, "viewings.remove", "x")
        close = key_hint(self, "viewings.close", "escape")
        options = [
            Option(Text(f"{number}. {viewing_time(viewing)}"), id=viewing.id)
            for number, viewing in enumerate(self.viewings, 1)
        ]
        with Vertical(id="viewings-body"):
            yield Static(Text(f"{self.what}: watched {count} time{'s' * (count != 1)}"))
            yield VimOptionList(*options, id="viewings-list")
            yield Static(
                Text(f"{remove}: remove the highlighted one   {close}: close", style="bold")
            )

    def on_mount(self) -> None:
        viewings_list = self.query_one(VimOptionList)
        viewings_list.highlighted = len(self.viewings) - 1 if self.viewings else None
        viewings_list.focus()

    def action_remove(self) -> None:
        """Hand the highlighted viewing to the app, which removes it (undoable)."""
        option = self.query_one(VimOptionList).highlighted_option
        if option is not None and option.id is not None:
            self.dismiss(option.id)
