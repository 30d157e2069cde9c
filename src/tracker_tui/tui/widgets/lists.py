"""An OptionList that also moves with j and k."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList


class VimOptionList(OptionList):
    """Every list in the app: up/down, and j/k for those who prefer them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "j", "cursor_down", "Down", show=False, tooltip="Move down the list.", id="list.down"
        ),
        Binding("k", "cursor_up", "Up", show=False, tooltip="Move up the list.", id="list.up"),
    ]
