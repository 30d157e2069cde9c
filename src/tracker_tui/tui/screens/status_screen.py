"""Put a show on a list: watching, completed, on hold, dropped, plan to watch, or
automatic (derived from progress)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tracker_tui.domain.progress.records import STATUSES
from tracker_tui.domain.watching.episodes import status_label
from tracker_tui.tui.widgets.lists import VimOptionList

AUTOMATIC = "automatic"
"""The option that hands the status back to progress."""


@dataclass(frozen=True)
class StatusAnswer:
    """What the user chose: a status (records.STATUSES), or None for automatic."""

    status: str | None


class StatusScreen(ModalScreen[StatusAnswer | None]):
    """A list of statuses; enter picks one, escape cancels (dismisses with None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "dismiss(None)", "Cancel", tooltip="Keep the status.", id="status.cancel"
        ),
    ]

    def __init__(self, title: str, chosen: str | None, derived: str) -> None:
        super().__init__()
        self.show_title = title
        """The show's title, for the question."""
        self.chosen = chosen
        """The status the user set by hand, None if automatic."""
        self.derived = derived
        """The status progress implies: what automatic means for this show now."""

    def compose(self) -> ComposeResult:
        options = [Option(status_label(status), id=status) for status in STATUSES]
        options.append(Option(f"automatic (now {status_label(self.derived)})", id=AUTOMATIC))
        with Vertical(id="status-body"):
            yield Static(Text(f"Put {self.show_title} on a list:"))
            yield VimOptionList(*options, id="status-list")

    def on_mount(self) -> None:
        status_list = self.query_one(VimOptionList)
        status_list.highlighted = status_list.get_option_index(self.chosen or AUTOMATIC)
        status_list.focus()

    @on(OptionList.OptionSelected, "#status-list")
    def choose_status(self, event: OptionList.OptionSelected) -> None:
        """Enter or a click picks the status; the app saves it."""
        chosen = event.option.id
        self.dismiss(StatusAnswer(None if chosen == AUTOMATIC else chosen))
