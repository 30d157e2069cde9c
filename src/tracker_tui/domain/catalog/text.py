"""Text rules shared by every loader: control, invisible and direction characters, whitespace."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and the C1 block: anything that could
# move the cursor, change colours or start an escape sequence in a terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WHITESPACE = re.compile(r"\s+")

# Characters that change the direction of the text around them (embeddings,
# overrides, isolates): `abc\u202edef` reads as `abcfed` in a terminal that honours it.
_DIRECTION = re.compile("[\u202a-\u202e\u2066-\u2069]")

# Direction controls plus characters that print as nothing (zero-width spaces and
# joiners, direction marks, word joiner, byte order mark), so two names that look
# the same are the same.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def first_control_character(text: str) -> str | None:
    """Return the first terminal control character in `text`, or None."""
    match = _CONTROL.search(text)
    return match.group() if match else None


def first_direction_character(text: str) -> str | None:
    """Return the first character that reorders the text after it, or None."""
    match = _DIRECTION.search(text)
    return match.group() if match else None


def first_invisible_character(text: str) -> str | None:
    """Return the first character that prints as nothing or reorders text, or None."""
    match = _INVISIBLE.search(text)
    return match.group() if match else None


def strip_control_characters(text: str) -> str:
    """Remove terminal control characters, keeping tabs and newlines."""
    return _CONTROL.sub("", text)


def fold_whitespace(text: str) -> str:
    """Collapse every run of whitespace to one space, so quotes survive re-wrapping."""
    return _WHITESPACE.sub(" ", text).strip()
