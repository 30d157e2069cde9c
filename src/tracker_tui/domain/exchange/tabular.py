"""What the CSV and XML readers share: columns found by header name, and the values every
export writes its own way (times with or without a zone, scores, numbers, titles).

Columns are matched by name (case ignored, spaces trimmed, a BOM dropped), never by
position, so an export with its columns reordered or new ones added still reads.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from tracker_tui.domain.catalog.dates import MAX_YEAR, MIN_YEAR
from tracker_tui.domain.catalog.models import MAX_EPISODE_NUMBER, MAX_SEASON_NUMBER
from tracker_tui.domain.exchange.batch import SPECIALS, ImportBatch, ImportFormatError
from tracker_tui.domain.exchange.source import ImportSource, Member, iter_lines

"""The reason a season 0 or episode 0 record is skipped, the same in every reader."""

NO_ZONE_NOTE = "times without a zone were taken as UTC"
DATE_ONLY_NOTE = (
    "viewings dated by day only were kept at 12:00 UTC that day, "
    "so they show on that day from UTC-11 to UTC+11"
)

_TIME = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[T ](?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?)"
    r"\s*(?P<zone>Z|z|UTC|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)
_NUMBER = re.compile(r"[+]?[0-9]{1,9}")
_SCORE = re.compile(r"[+]?[0-9]{1,3}(?:\.[0-9]{1,6})?")
_TITLE_YEAR = re.compile(r"(?P<title>.*\S)\s+\((?P<year>[0-9]{4})\)")


class BadValueError(ValueError):
    """One value of a record cannot be read; the message is the skip's reason."""


def column_name(header: str) -> str:
    """A header cell as matched: trimmed, lower case, a BOM and quotes dropped."""
    return header.replace("\ufeff", "").strip().strip('"').strip().lower()


@dataclass(frozen=True)
class Row:
    """One CSV record, its values read by column name."""

    line: int
    """The line the record starts on (1 is the header)."""
    cells: Sequence[str]
    columns: Mapping[str, int]

    def get(self, name: str) -> str:
        """The value under NAME, trimmed; "" when the column is absent or the row short."""
        index = self.columns.get(name)
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index].strip()

    def first(self, *names: str) -> str:
        """The first non-empty value among these columns (variants of one column)."""
        for name in names:
            value = self.get(name)
            if value:
                return value
        return ""

    @property
    def where(self) -> str:
        return f"line {self.line}"


class CsvTable:
    """A CSV member read row by row (streamed), columns found by header name."""

    def __init__(
        self,
        member: Member,
        required: Sequence[str | tuple[str, ...]],
        what: str,
    ) -> None:
        """REQUIRED names each column that must be there; a tuple lists the names one
        column goes by (the first found is used). WHAT names the format in messages."""
        self.member = member
        self.required = required
        self.what = what

    def rows(self, batch: ImportBatch) -> Iterator[Row]:
        """Every record but the header; a record the csv module cannot read is skipped
        in BATCH with its line, and reading goes on."""
        lines = iter_lines(self.member)
        reader = csv.reader(lines, strict=False)
        try:
            header = next(reader, None)
            while header is not None and not any(cell.strip() for cell in header):
                header = next(reader, None)  # blank lines before the header
        except UnicodeDecodeError as error:
            raise ImportFormatError(_not_utf8(self.member, 1)) from error
        except csv.Error as error:
            raise ImportFormatError(
                f"{self.member.display} is not a readable CSV file: {error}"
            ) from error
        if header is None:
            raise ImportFormatError(f"{self.member.display} is empty: no header line")
        columns: dict[str, int] = {}
        for index, cell in enumerate(header):
            columns.setdefault(column_name(cell), index)
        missing = []
        for wanted in self.required:
            names = (wanted,) if isinstance(wanted, str) else wanted
            if not any(name in columns for name in names):
                missing.append(" or ".join(names))
        if missing:
            found = ", ".join(column_name(cell) for cell in header) or "nothing"
            raise ImportFormatError(
                f"{self.member.display} is not a {self.what} file: it has no "
                f"{', '.join(repr(m) for m in missing)} column "
                f"(its header is: {_shorten(found)})"
            )
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as error:
                raise ImportFormatError(_not_utf8(self.member, start)) from error
            except csv.Error as error:
                batch.skip(self.member.display, f"line {start}", f"not a readable record: {error}")
                start = reader.line_num + 1
                continue
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue  # a blank line
            yield Row(line, cells, columns)


def _not_utf8(member: Member, line: int) -> str:
    return (
        f"{member.display} is not UTF-8 text (near line {line}): save the export again as UTF-8 CSV"
    )


def _shorten(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(value: str, limit: int = 60) -> str:
    """A value as a message quotes it, cut short."""
    return repr(_shorten(value, limit))


def parse_time(value: str, batch: ImportBatch) -> dt.datetime:
    """An export's time as an aware UTC datetime.

    `YYYY-MM-DD HH:MM:SS` (or with `T`, fractions, `Z` or an offset). Without a zone it is
    taken as UTC; a date alone is that day at 12:00 UTC; either adds its note to BATCH
    once. Anything else raises BadValueError quoting the value.
    """
    match = _TIME.fullmatch(value.strip())
    if match is None:
        raise BadValueError(f"unreadable time {quoted(value)} (expected YYYY-MM-DD HH:MM:SS)")
    date_text, time_text, zone = match["date"], match["time"], match["zone"]
    try:
        day = dt.date.fromisoformat(date_text)
        if time_text is None:
            note(batch, DATE_ONLY_NOTE)
            return dt.datetime.combine(day, dt.time(12), dt.UTC)
        hours, minutes, *rest = time_text.split(":")
        seconds, _, fraction = (rest[0] if rest else "0").partition(".")
        micro = int((fraction + "000000")[:6])
        moment = dt.datetime.combine(day, dt.time(int(hours), int(minutes), int(seconds), micro))
        if zone is None:
            note(batch, NO_ZONE_NOTE)
            return moment.replace(tzinfo=dt.UTC)
        return moment.replace(tzinfo=_zone(zone)).astimezone(dt.UTC)
    except (ValueError, OverflowError) as error:
        raise BadValueError(f"unreadable time {quoted(value)}: {error}") from error


def _zone(text: str) -> dt.tzinfo:
    if text.upper() in ("Z", "UTC"):
        return dt.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or "0")
    if hours > 23 or minutes > 59:
        raise ValueError(f"offset {text} is out of range")
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def note(batch: ImportBatch, text: str) -> None:
    """Add a note to the batch, once."""
    if text not in batch.notes:
        batch.notes.append(text)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`1 viewing`, `2 viewings`, `1,234 viewings` (NOUNS when not NOUN + s)."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


def parse_number(value: str, what: str, limit: int) -> int:
    """A whole number from 0 to LIMIT in ASCII digits; else BadValueError naming WHAT."""
    text = value.strip()
    if text.endswith(".0"):  # spreadsheets write 3 as 3.0
        text = text[:-2]
    if not _NUMBER.fullmatch(text):
        raise BadValueError(f"{what} {quoted(value)} is not a whole number")
    number = int(text)
    if number > limit:
        raise BadValueError(f"{what} {number} is over {limit:,}")
    return number


def parse_episode(season_text: str, episode_text: str) -> tuple[int, int]:
    """Season and episode numbers, both from 1; a special (0) raises BadValueError(SPECIALS)."""
    season = parse_number(season_text, "season", MAX_SEASON_NUMBER)
    episode = parse_number(episode_text, "episode", MAX_EPISODE_NUMBER)
    if season == 0 or episode == 0:
        raise BadValueError(SPECIALS)
    return season, episode


def parse_year(value: str) -> int | None:
    """A year from MIN_YEAR to MAX_YEAR, or None for an empty value."""
    if not value.strip():
        return None
    year = parse_number(value, "year", MAX_YEAR)
    if year < MIN_YEAR:
        raise BadValueError(f"year {year} is before {MIN_YEAR}")
    return year


def parse_score(value: str, scale: int = 10) -> int | None:
    """A score out of SCALE as a rating 1-10: scaled, rounded half up (7.5 is 8); 0 or
    empty is no rating. Anything else raises BadValueError."""
    text = value.strip()
    if not text:
        return None
    if not _SCORE.fullmatch(text):
        raise BadValueError(f"score {quoted(value)} is not a number from 0 to {scale}")
    try:
        score = Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern allows only numbers
        raise BadValueError(f"score {quoted(value)} is not a number") from error
    if score > scale:
        raise BadValueError(f"score {text} is over {scale}")
    rating = int((score * 10 / scale).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return rating or None


def split_title_year(title: str) -> tuple[str, int | None]:
    """`Bodyguard (2018)` -> ("Bodyguard", 2018): exports tell same-named shows apart so;
    any other parentheses (`The Office (US)`) stay in the title."""
    match = _TITLE_YEAR.fullmatch(title.strip())
    if match is None:
        return title.strip(), None
    year = int(match["year"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return title.strip(), None
    return match["title"], year


def title_key(title: str, year: int | None) -> str:
    """A show's key in a batch when the export gives it no id."""
    return f"title:{title}|{year if year is not None else '?'}"


def export_files(source: ImportSource, pattern: str, what: str) -> list[Member]:
    """The files to read: the one file given, or in a folder or zip those whose name
    matches PATTERN (`*yamtrack*.csv`); ImportFormatError when there is none."""
    if len(source.members) == 1:
        return list(source.members)
    found = source.find(pattern)
    if not found:
        raise ImportFormatError(
            f"{source.path} holds no {what} file ({pattern}): give tracker the file itself"
        )
    return found
