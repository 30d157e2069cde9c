"""What the JSON readers (Trakt, Simkl) share: times, ids, specials, and saying where a
file that cannot be decoded went wrong."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

import msgspec

from tracker_tui.domain.exchange.batch import ID_NAMES, ImportBatch

SPECIALS = "specials (season 0) are not tracked: tracker's seasons and episodes start at 1"
ZONELESS_NOTE = "times without a zone were taken as UTC"
DATE_ONLY_NOTE = (
    "watch dates without a time were kept as that day at 12:00 UTC, so they show on "
    "the right day anywhere from UTC-11 to UTC+11"
)
MAX_NUMBER = 10_000
"""Season and episode numbers above this are not real ones (the show format's bound)."""

_ISO_START = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:$|[T ][0-9]{2}:[0-9]{2})")
_ID = re.compile(r"[^\s]{1,100}")
"""An id as a show file keeps it (catalog.fields.ExternalId)."""
_BYTE = re.compile(r"\(byte ([0-9]+)\)")


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
    return moment.astimezone(dt.UTC)


def note(batch: ImportBatch, text: str) -> None:
    if text not in batch.notes:
        batch.notes.append(text)


def check_numbers(season: int, episode: int | None = None) -> None:
    """Raises BadValueError for a special (0) or a number out of bounds."""
    if season == 0 or episode == 0:
        raise BadValueError(SPECIALS)
    for name, number in (("season", season), ("episode", episode)):
        if number is not None and not 0 < number <= MAX_NUMBER:
            raise BadValueError(f"{name} {number} is not a number from 1 to {MAX_NUMBER:,}")


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


def show_key(site: str, site_id: str | None, title: str, year: int | None) -> str:
    """`<site>:<id>` when the export has the show's id, else `title:<title>|<year or ?>`."""
    if site_id:
        return f"{site}:{site_id}"
    return f"title:{title}|{year if year is not None else '?'}"


def where_undecodable(error: msgspec.DecodeError, data: bytes) -> str:
    """What is wrong and where: `line 3, column 17: JSON is malformed: invalid character`,
    `line 9, column 2: the file stops early (cut short?)`, or msgspec's word on a file of
    the wrong shape (`Expected `array`, got `object``)."""
    message = str(error)
    found = _BYTE.search(message)
    if found is None:
        if "truncated" in message:
            return f"{_place(data, len(data))}: the file stops early (cut short?)"
        return message
    return f"{_place(data, int(found.group(1)))}: {message.split(' (byte')[0]}"


def _place(data: bytes, position: int) -> str:
    position = min(position, len(data))
    line = data.count(b"\n", 0, position) + 1
    column = position - (data.rfind(b"\n", 0, position) + 1) + 1
    return f"line {line}, column {column}"


def rating_value(value: float | None) -> int | None:
    """A 1-10 rating; None for 0 or none. Raises BadValueError for anything else."""
    if value is None or value == 0:
        return None
    if isinstance(value, bool) or value != int(value) or not 1 <= value <= 10:
        raise BadValueError(f"rating {value!r} is not a whole number from 1 to 10")
    return int(value)
