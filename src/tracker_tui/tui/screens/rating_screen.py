"""Rate a show, a season or an episode: a digit rates, backspace clears."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tracker_tui.tui.keys import key_hint

RATINGS = range(1, 11)


@dataclass(frozen=True)
class RatingAnswer:
    """What the user chose: a rating 1–10, or None to clear the rating."""

    rating: int | None


class RatingScreen(ModalScreen[RatingAnswer | None]):
    """Dismisses with the rating chosen, a clear, or None when cancelled.

    One key per rating, so a rating takes one key press: 1–9, and 0 for 10 (the digit
    row's order); backspace or delete clears; escape cancels.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(
                str(rating % 10),
                f"rate({rating})",
                str(rating),
                show=False,
                tooltip=f"Rate it {rating}.",
                id=f"rating.{rating}",
            )
            for rating in RATINGS
        ),
        Binding(
            "backspace,delete",
            "rate(None)",
            "Clear",
            tooltip="Clear the rating.",
            id="rating.clear",
        ),
        Binding(
            "escape", "dismiss(None)", "Cancel", tooltip="Keep it as it is.", id="rating.cancel"
        ),
    ]

    def __init__(self, what: str, current: int | None) -> None:
        super().__init__()
        self.what = what
        """What is rated, as the question names it ("All of Us", "All of Us season 1")."""
        self.current = current
        """Its rating now, if any."""

    def compose(self) -> ComposeResult:
        now = f"now {self.current}/10" if self.current is not None else "not rated yet"
        first, ninth, tenth = (key_hint(self, f"rating.{n}", str(n % 10)) for n in (1, 9, 10))
        clear = key_hint(self, "rating.clear", "backspace")
        cancel = key_hint(self, "rating.cancel", "escape")
        with Vertical(id="rating-body"):
            yield Static(Text(f"Rate {self.what} ({now})"))
            yield Static(
                Text(
                    f"{first}–{ninth}: rate   {tenth}: 10   {clear}: clear   {cancel}: cancel",
                    style="bold",
                )
            )

    def action_rate(self, rating: int | None) -> None:
        """A digit rates, backspace clears: the app saves it."""
        self.dismiss(RatingAnswer(rating))
