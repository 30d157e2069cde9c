"""After the editor: the problems of the show file just edited, and a choice to edit it
again or keep it as it is. Either way the user's text stays in the file."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tracker_tui.tui.screens.confirm_screen import answer_keys


class FileProblemsScreen(ModalScreen[bool]):
    """Dismisses with True to edit the file again, False to keep it as it is."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "e",
            "answer(True)",
            "Edit again",
            tooltip="Open the file in the editor again.",
            id="file_problems.edit_again",
        ),
        Binding(
            "k,escape",
            "answer(False)",
            "Keep as is",
            tooltip="Keep the file as it is; the app lists its problems until it is fixed.",
            id="file_problems.keep",
        ),
    ]

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__()
        self.path = path
        self.problems = problems

    def compose(self) -> ComposeResult:
        with Vertical(id="file-problems-body"):
            yield Static(Text(f"{self.path} has problems:", style="bold"))
            with VerticalScroll(id="file-problems-list"):
                yield Static(Text("\n".join(f"• {problem}" for problem in self.problems)))
            yield Static(Text("Your text is kept in the file as you left it."))
            yield Static(Text(answer_keys(self), style="bold"))

    def action_answer(self, edit_again: bool) -> None:
        self.dismiss(edit_again)
