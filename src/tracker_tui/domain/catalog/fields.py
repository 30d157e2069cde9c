"""The show format's field types: what a text, a name or a number in a show file may hold.

Each rule is written once, on the type of the field in `models`. `Rules` is read
by pydantic when `schema` checks a file, and ignored by msgspec when the cache
is read back; this module imports neither, so a warm start stays light.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from tracker_tui.domain.catalog.dates import (
    MAX_YEAR,
    MIN_YEAR,
    MonthDay,
    PartialDate,
    coerce_month_day,
    coerce_partial_date,
)
from tracker_tui.domain.catalog.text import (
    first_control_character,
    first_direction_character,
    first_invisible_character,
)


@dataclass(frozen=True, slots=True)
class Rules:
    """What a field's value must be: `before` reads it, then the bounds, then `after` checks it.

    An annotated-types "grouped metadata" (it has `__is_annotated_types_grouped_metadata__`
    and iterates), which pydantic unpacks into its own validators only when it builds
    the schema, so pydantic is imported then and not before.
    """

    ge: int | None = None
    le: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    before: Callable[[Any], Any] | None = None
    """Turns what TOML gives (a string, a date, a number) into the field's type."""
    after: Callable[[Any], Any] | None = None
    """Refuses a value of the right type with a ValueError that says why."""

    __is_annotated_types_grouped_metadata__ = True

    def __iter__(self) -> Iterator[object]:
        from pydantic import AfterValidator, BeforeValidator, Field

        if self.before is not None:
            yield BeforeValidator(self.before)
        bounds = (self.ge, self.le, self.min_length, self.max_length, self.pattern)
        if any(bound is not None for bound in bounds):
            yield Field(
                ge=self.ge,
                le=self.le,
                min_length=self.min_length,
                max_length=self.max_length,
                pattern=self.pattern,
            )
        if self.after is not None:
            yield AfterValidator(self.after)


def _described(char: str) -> str:
    """`U+202E (RIGHT-TO-LEFT OVERRIDE)`: the code point, and its name where it has one."""
    import unicodedata  # only a bad file's message needs the name table (about 0.2 MiB)

    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} ({name})" if name else f"U+{ord(char):04X}"


def _reject_terminal_controls(text: str) -> None:
    bad = first_control_character(text)
    if bad is not None:
        raise ValueError(f"contains the terminal control character U+{ord(bad):04X}; remove it")


def _reject_control_characters(text: str) -> str:
    _reject_terminal_controls(text)
    bad = first_direction_character(text)
    if bad is not None:
        raise ValueError(f"contains the direction character {_described(bad)}; remove it")
    return text


def _reject_invisible_characters(text: str) -> str:
    _reject_terminal_controls(text)
    bad = first_invisible_character(text)
    if bad is not None:
        raise ValueError(f"contains the invisible character {_described(bad)}; remove it")
    return text


def name_problem(text: str) -> str | None:
    """Why `text` cannot be a title or name (the `Name` rule, for forms), or None."""
    try:
        _reject_invisible_characters(text)
    except ValueError as error:
        return str(error)
    return None


Text = Annotated[str, Rules(after=_reject_control_characters)]
"""Any text shown to the user: no terminal control characters, nothing that reorders it."""

NonEmptyText = Annotated[Text, Rules(min_length=1)]

Name = Annotated[str, Rules(after=_reject_invisible_characters)]
"""A title or name a user reads and types: also nothing invisible, so look-alikes differ."""

NonEmptyName = Annotated[Name, Rules(min_length=1)]

Slug = Annotated[str, Rules(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
"""A stable id: lower-case words joined by hyphens. Progress files key on it."""

ExternalIdName = Annotated[str, Rules(pattern=r"^[a-z][a-z0-9_]*$", max_length=20)]
"""Where an external id comes from: `trakt`, `tmdb`, `tvdb`, `imdb`, `mal`..."""

ExternalId = Annotated[str, Rules(pattern=r"^[^\s]+$", max_length=100)]
"""An id on another site, as text (`"1390"`, `"tt0944947"`): no spaces."""

Date = Annotated[PartialDate, Rules(before=coerce_partial_date)]
"""A date at the precision a source gives: a TOML date, a year number or a string."""

YearlessDay = Annotated[MonthDay, Rules(before=coerce_month_day)]
"""A day given without its year (`01-28`), stored as the source gives it."""

Year = Annotated[int, Rules(ge=MIN_YEAR, le=MAX_YEAR)]
"""A year a show began, as a number: within the years `PartialDate` accepts."""
