"""Text progress bars built from plain Text, never markup."""

from __future__ import annotations

from rich.text import Text


def progress_bar(watched: int, known: int, width: int = 12) -> Text:
    """`████░░░░ ` style bar; an empty, dim bar when nothing is known yet."""
    if known <= 0:
        return Text("░" * width, style="dim")
    filled = round(width * watched / known)
    bar = Text("█" * filled, style="bold")
    bar.append("░" * (width - filled), style="dim")
    return bar
