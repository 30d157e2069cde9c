"""Problems found while loading files: what went wrong, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


def visible(text: str) -> str:
    """Text from a file or a file name, with anything unprintable escaped (`\\x1b`, `\\u202e`).

    A key or a file name is the user's text, printed in a message: it must not
    move the cursor, clear the screen or reverse the rest of the line.
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, phrased for the user."""

    file: str
    field: str | None
    message: str

    def __str__(self) -> str:
        if self.field:
            return f"{visible(self.file)}: {visible(self.field)}: {visible(self.message)}"
        return f"{visible(self.file)}: {visible(self.message)}"
