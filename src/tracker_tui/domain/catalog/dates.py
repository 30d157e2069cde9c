"""Dates known only to the year, the month or the day, or without their year, as the
sources give them."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# Wide enough for the oldest work a show adapts, narrow enough to catch a typo
# such as 0000 or 9999, and always inside what datetime.date can hold.
MIN_YEAR = 1000
MAX_YEAR = 2200

# ASCII digits only: `\d` would accept `٢٠٢٦`, which int() then quietly reads as 2026.
DATE_PATTERN = re.compile(r"^(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?$")


class Precision(StrEnum):
    """How much of a date the sources actually give."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A date at its real precision: `2026`, `2022-01` or `2022-01-28`."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        # Every way in (text, TOML date, year number, the cache) passes here, so no
        # date outside the range reaches code that builds a datetime.date from it.
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(f"has year {self.year}: use a year from {MIN_YEAR} to {MAX_YEAR}")
        if self.day is not None:
            dt.date(self.year, self.month or 0, self.day)  # raises ValueError for 2022-02-30
        elif self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"has month {self.month}: use 01 to 12")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; raise ValueError otherwise."""
        match = DATE_PATTERN.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(match["year"])
        month = int(match["month"]) if match["month"] else None
        day = int(match["day"]) if match["day"] else None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r} has month {month}: use 01 to 12")
        if month is not None and day is not None:
            dt.date(year, month, day)  # raises ValueError for 2022-02-30
        return cls(year, month, day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def iso(self) -> str:
        """The machine form, as written in show files and JSON output."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def human(self) -> str:
        """The reading form: `2026`, `January 2022` or `2022-01-28`."""
        if self.month is not None and self.day is None:
            return f"{calendar.month_name[self.month]} {self.year}"
        return self.iso()

    def last_day(self) -> dt.date:
        """The last calendar day this date could mean, for 'has this passed?' checks."""
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, self.month, self.day)

    def __str__(self) -> str:
        return self.iso()


def coerce_partial_date(value: Any) -> PartialDate:
    """Read a date as TOML gives it: a date, a year number or a string."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool):
        return PartialDate.parse(f"{value:04d}")
    if isinstance(value, str):
        return PartialDate.parse(value)
    raise ValueError("expected a date such as 2026, 2022-01 or 2022-01-28")


_MONTH_DAY = re.compile(r"^(?P<month>[0-9]{2})-(?P<day>[0-9]{2})$")


@dataclass(frozen=True, slots=True)
class MonthDay:
    """A day a source gives without its year ("January 28"), kept at that precision."""

    month: int
    day: int

    def __post_init__(self) -> None:
        # As for PartialDate: the cache's days come this way too, unparsed.
        dt.date(2000, self.month, self.day)  # a leap year, so 02-29 passes and 02-30 raises

    @classmethod
    def parse(cls, text: str) -> MonthDay:
        """Parse `MM-DD`; raise ValueError for anything else or a day no month has."""
        match = _MONTH_DAY.match(text.strip())
        if match is None:
            raise ValueError(f"{text!r} is not a month and day: use MM-DD, such as 01-28")
        month, day = int(match["month"]), int(match["day"])
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r} has month {month}: use 01 to 12")
        return cls(month, day)

    def iso(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"

    def human(self) -> str:
        """`28 January`."""
        return f"{self.day} {calendar.month_name[self.month]}"


def coerce_month_day(value: Any) -> MonthDay:
    """Read a day without its year as TOML gives it: `01-28`."""
    if isinstance(value, MonthDay):
        return value
    if isinstance(value, str):
        return MonthDay.parse(value)
    raise ValueError("expected a month and day without a year, such as 01-28")
