"""What the JSON readers (Trakt, Simkl) share: times, ids, specials, and saying where a
file that cannot be decoded went wrong."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping

import msgspec

from tracker_tui.domain.catalog.dates import MAX_YEAR, MIN_YEAR
from tracker_tui.domain.exchange.batch import ID_NAMES, ImportBatch, number_problem
from tracker_tui.domain.exchange.source import Member

ZONELESS_NOTE = "times without a zone were taken as UTC"
DATE_ONLY_NOTE = (
    "watch dates without a time were kept as that day at 12:00 UTC, so they show on "
    "the right day anywhere from UTC-11 to UTC+11"
)

_ISO_START = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:$|[T ][0-9]{2}:[0-9]{2})")
_ID = re.compile(r"[^\s]{1,100}")
"""An id as a show file keeps it (catalog.fields.ExternalId)."""
_BYTE = re.compile(r"\(byte ([0-9]+)\)")
_RAW_LIST = msgspec.json.Decoder(list[msgspec.Raw])


class BadValueError(ValueError):
    """A record's field cannot be used; the message is the skip's reason."""


def parse_time(text: str, batch: ImportBatch) -> dt.datetime:
    """An aware UTC time from an ISO 8601 text. A time without a zone is taken as UTC and
    a bare date as that day at 12:00 UTC; each says so once in the batch's notes.

    Raises BadValueError (quoting the text) when it is not a time.
    """
    if not _ISO_START.match(text) or len(text) > 40:
        raise BadValueError(f"not a time: {text!r}")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise BadValueError(f"not a time: {text!r}") from None
    if len(text) == 10:
        note(batch, DATE_ONLY_NOTE)
        return moment.replace(hour=12, tzinfo=dt.UTC)
    if moment.tzinfo is None:
        note(batch, ZONELESS_NOTE)
        return moment.replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is before the first UTC moment
        raise BadValueError(f"not a time tracker can keep: {text!r}") from None


def note(batch: ImportBatch, text: str) -> None:
    if text not in batch.notes:
        batch.notes.append(text)


def check_numbers(season: int, episode: int | None = None) -> None:
    """Raises BadValueError for a special (0) or a number no show file holds."""
    problem = number_problem(season, episode)
    if problem is not None:
        raise BadValueError(problem)


def kept_ids(ids: Mapping[str, object]) -> dict[str, str]:
    """The ids tracker keeps (ID_NAMES), as strings; empty, null and odd values dropped."""
    kept: dict[str, str] = {}
    for name in ID_NAMES:
        value = ids.get(name)
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int | str):
            text = str(value).strip()
            if _ID.fullmatch(text):
                kept[name] = text
    return kept


def year_value(year: int | None) -> int | None:
    """The show's year, or None for one no show file could hold (`0`, `99999`)."""
    return year if year is not None and MIN_YEAR <= year <= MAX_YEAR else None


def show_key(site: str, site_id: str | None, title: str, year: int | None) -> str:
    """`<site>:<id>` when the export has the show's id, else `title:<title>|<year or ?>`."""
    if site_id:
        return f"{site}:{site_id}"
    return f"title:{title}|{year if year is not None else '?'}"


def where_undecodable(error: msgspec.DecodeError, data: bytes) -> str:
    """What is wrong and where: `line 3, column 17: JSON is malformed: invalid character`,
    `line 9, column 2: the file stops early (cut short?)`, or msgspec's word on a file of
    the wrong shape (`Expected `array`, got `object``)."""
    return _Position().describe(error, data, 0)


class _Position:
    """Line and column (1-based, in bytes) of the first byte not yet consumed."""

    def __init__(self) -> None:
        self.line = 1
        self.column = 1

    def advance(self, data: bytes) -> None:
        newlines = data.count(b"\n")
        if newlines:
            self.line += newlines
            self.column = len(data) - data.rfind(b"\n")
        else:
            self.column += len(data)

    def at(self, data: bytes, offset: int) -> str:
        offset = max(0, min(offset, len(data)))
        newlines = data.count(b"\n", 0, offset)
        column = offset - data.rfind(b"\n", 0, offset) if newlines else self.column + offset
        return f"line {self.line + newlines}, column {column}"

    def describe(self, error: msgspec.DecodeError, data: bytes, shift: int) -> str:
        """The error of decoding `shift` bytes of our own followed by `data`."""
        message = str(error)
        found = _BYTE.search(message)
        if found is not None:
            offset = int(found.group(1)) - shift
            if "trailing characters" in message:
                offset -= 1  # msgspec points just past the first stray byte
            return f"{self.at(data, offset)}: {message.split(' (byte')[0]}"
        if "truncated" in message:
            return f"{self.at(data, len(data))}: the file stops early (cut short?)"
        return message


class UndecodableError(Exception):
    """A JSON file that cannot be read as a whole; the message says what and where."""


STREAM_CHUNK = 1 << 22
"""A history is decoded 4 MiB at a time."""
_TOP_CUT = re.compile(rb"\}\s*,")
_MAX_TRIES = 64
_BOM = b"\xef\xbb\xbf"


def iter_array(member: Member, chunk: int = STREAM_CHUNK) -> Iterator[list[msgspec.Raw]]:
    """The elements of a file holding one JSON array, a few MiB at a time, each still
    undecoded: a 200 MB history never sits in memory whole.

    A piece is cut after a `}` followed by a comma, and only where the piece decodes as
    the start of the array; inside an element or a string its brackets or quotes would
    not close, so a cut is always between two elements.
    Raises UndecodableError naming the line and column of what is wrong.
    """
    position = _Position()
    with member.open() as stream:
        pending = stream.read(chunk)
        start = len(_BOM) if pending.startswith(_BOM) else 0
        start += len(pending[start:]) - len(pending[start:].lstrip())
        if not pending[start:]:
            raise UndecodableError("line 1, column 1: the file is empty")
        if pending[start : start + 1] != b"[":
            raise UndecodableError(f"{position.at(pending, start)}: not a JSON array `[...]`")
        position.advance(pending[: start + 1])
        pending = pending[start + 1 :]
        prefix = b"["
        """`[null` once a piece was cut: the rest starts with the comma after it."""
        while True:
            more = stream.read(chunk)
            if not more:
                break
            pending += more
            cut = _cut(pending, prefix)
            if cut is None:
                continue
            end, items = cut
            yield items
            position.advance(pending[:end])
            pending = pending[end:]
            prefix = b"[null"
        try:
            items = _RAW_LIST.decode(prefix + pending)
        except msgspec.DecodeError as error:
            raise UndecodableError(position.describe(error, pending, len(prefix))) from None
        yield items if prefix == b"[" else items[1:]


def _cut(pending: bytes, prefix: bytes) -> tuple[int, list[msgspec.Raw]] | None:
    """The last place in `pending` that ends a run of whole elements, and those elements."""
    end = len(pending)
    for _ in range(_MAX_TRIES):
        end = pending.rfind(b"}", 0, end)
        if end < 0:
            return None
        if _TOP_CUT.match(pending, end) is None:
            continue
        try:
            items = _RAW_LIST.decode(prefix + pending[: end + 1] + b"]")
        except msgspec.DecodeError:
            continue
        return end + 1, items if prefix == b"[" else items[1:]
    return None


def rating_value(value: float | None) -> int | None:
    """A 1-10 rating; None for 0 or none. Raises BadValueError for anything else."""
    if value is None or value == 0:
        return None
    if isinstance(value, bool) or value != int(value) or not 1 <= value <= 10:
        raise BadValueError(f"rating {value!r} is not a whole number from 1 to 10")
    return int(value)
