"""What the parser checks as it reads the command line: number types, hints, defaults and
choices. Kept apart from the command modules, so building the parser imports none of them
(a command's module is imported only when that command runs)."""

from __future__ import annotations

import argparse
import importlib
import re
from collections.abc import Iterator, Sequence
from typing import overload

SEASONS_HINT = "episode counts by season, comma-separated, ? for unknown: 10,10,8 or 12,?"
EPISODES_HINT = "a season's episode count: S2=12, or S2=? for unknown (repeatable)"
AUTOMATIC = "auto"
"""`tracker status SHOW auto`: no hand-set status, the one progress gives."""
EXPORT_FORMATS = ("tracker", "trakt", "mal", "csv")
MAX_STALLED_WEEKS = 520
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def year_number(text: str) -> int:
    """`--year`: ASCII digits only (int() would read `٢٠٢٦` too)."""
    if not re.fullmatch(r"[0-9]{1,4}", text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a year: use four digits, like 2024")
    return int(text)


def stalled_weeks_number(text: str) -> int:
    """`--stalled-weeks`: a whole number of weeks, ASCII digits, 1 to 520 (ten years)."""
    if not re.fullmatch(r"[0-9]{1,3}", text.strip()) or not 1 <= int(text) <= MAX_STALLED_WEEKS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of weeks: use 1 to {MAX_STALLED_WEEKS}, like 4"
        )
    return int(text)


def port_number(text: str) -> int:
    """`--port`: ASCII digits, 1 to 65535 (0 would pick a port nobody is told)."""
    if not re.fullmatch(r"[0-9]{1,5}", text.strip()) or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: use a number from 1 to 65535")
    return int(text)


class ChoicesLater(Sequence[str]):
    """A domain module's tuple of choices, imported the first time argparse looks at it
    (an option given, or help printed): the choices keep one definition, in their module,
    and a command that never uses them never imports it.

    Give the option a metavar (argparse lists the choices as the metavar otherwise, as
    soon as the option is added) and name them in the help with `%(choices)s`."""

    def __init__(self, module: str, name: str, *extra: str) -> None:
        self.module = module
        self.name = name
        self.extra = extra
        self.loaded: tuple[str, ...] | None = None

    def values(self) -> tuple[str, ...]:
        if self.loaded is None:
            found: tuple[str, ...] = getattr(importlib.import_module(self.module), self.name)
            self.loaded = (*found, *self.extra)
        return self.loaded

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self.values()[index]

    def __len__(self) -> int:
        return len(self.values())

    def __iter__(self) -> Iterator[str]:
        return iter(self.values())

    def __contains__(self, value: object) -> bool:
        return value in self.values()


KINDS = ChoicesLater("tracker_tui.domain.catalog.drafts", "KINDS")
"""`tracker add --kind`: the show format's kinds."""
IMPORT_FORMATS = ChoicesLater("tracker_tui.domain.exchange.batch", "FORMATS", "auto")
"""`tracker import --from`: every format a reader reads, and `auto` (detect it)."""
