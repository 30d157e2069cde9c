"""Text rules shared by every loader: control characters and whitespace folding."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and the C1 block: anything that could
# move the cursor, change colours or start an escape sequence in a terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WHITESPACE = re.compile(r"\s+")


def first_control_character(text: str) -> str | None:
    """Return the first terminal control character in `text`, or None."""
    match = _CONTROL.search(text)
    return match.group() if match else None


def strip_control_characters(text: str) -> str:
    """Remove terminal control characters, keeping tabs and newlines."""
    return _CONTROL.sub("", text)


def fold_whitespace(text: str) -> str:
    """Collapse every run of whitespace to one space, so quotes survive re-wrapping."""
    return _WHITESPACE.sub(" ", text).strip()
