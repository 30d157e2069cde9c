"""A yes/no question, answered with y or n."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tracker_tui.tui.keys import key_label


def answer_keys(screen: Screen[bool]) -> str:
    """The first key of each shown binding of `screen` and its description, in declared
    order, as remapped: "y: yes   n: no"."""
    shown: dict[str, str] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.show:
            shown.setdefault(binding.action, f"{key_label(key)}: {binding.description.lower()}")
    order = [binding.action for binding in Binding.make_bindings(screen.BINDINGS)]
    return "   ".join(shown[action] for action in sorted(shown, key=order.index))


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True for y, False for n or escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", tooltip="Answer yes.", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", tooltip="Answer no.", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-body"):
            yield Static(Text(self.question))
            yield Static(Text(self.answers(), style="bold"))

    def answers(self) -> str:
        """The first key of each answer, as remapped: "y: yes   n: no" by default."""
        return answer_keys(self)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
