"""Text progress bars built from plain Text, never markup."""

from __future__ import annotations

from rich.text import Text

OPEN_END = "┄"
"""The tail of a bar whose total is unknown: more may come, of no known length."""


def progress_bar(watched: int, known: int, width: int = 12, *, open_ended: bool = False) -> Text:
    """`████░░░░ ` style bar; an empty, dim bar when nothing is known yet. `open_ended`:
    `known` is only a lower bound, so the bar never looks full: the known episodes fill
    all but its last fifth, which is a dashed tail (`████████┄┄`)."""
    if known <= 0:
        return Text("░" * width, style="dim")
    tail = max(1, width // 5) if open_ended else 0
    filled = round((width - tail) * watched / known)
    bar = Text("█" * filled, style="bold")
    bar.append("░" * (width - tail - filled), style="dim")
    bar.append(OPEN_END * tail, style="dim")
    return bar
