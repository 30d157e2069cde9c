"""Reading a progress file fast: checked in one pass by msgspec, made into records per show.

A heavy user's file holds 50,000 records. msgspec checks every field of it in C
(types, numbers from 1, times with a time zone) in about 20 ms; each show's
records are then built the first time that show is looked at, so the app's first
screen builds only the shows it draws. A file msgspec refuses, or may have read
wrong, goes to the careful reader in `progress`, which names the bad field (or
accepts what msgspec is stricter about, such as a time with a space instead of a T).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any

import msgspec

from tracker_tui.domain import clock
from tracker_tui.domain.progress import (
    FORMAT_VERSION,
    LARGEST_NUMBER,
    SKEW_ALLOWED,
    EpisodeKey,
    EpisodeRecord,
    Progress,
    ProgressFormatError,
    far_future_keys,
    from_json,
    json_object,
    taken_as_now,
)

_Aware = Annotated[dt.datetime, msgspec.Meta(tz=True)]
_Number = Annotated[int, msgspec.Meta(ge=1, le=LARGEST_NUMBER)]


class _Record(msgspec.Struct):
    watched: bool
    changed_at: _Aware
    watch_count: Annotated[int, msgspec.Meta(ge=0, le=LARGEST_NUMBER)] = 0
    watched_at: _Aware | None = None


class _File(msgspec.Struct):
    version: int
    shows: dict[str, dict[_Number, dict[_Number, _Record]]]
    epoch: _Aware | None = None


_DECODER = msgspec.json.Decoder(_File)

# A time in year 1 or 9999 may not convert to UTC (an offset takes it past the end of
# the calendar); the careful reader says which one. Elsewhere the conversion is safe.
_EDGE_YEARS = (b'"0001-', b'"9999-')
_RECORD_FIELD = b'"changed_at"'  # once in every record


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is dt.UTC else value.astimezone(dt.UTC)


class _DecodedShow(Mapping[EpisodeKey, EpisodeRecord]):
    """One show's checked records, made into keys and records on first use."""

    __slots__ = ("_now", "_records", "_seasons", "_show")

    def __init__(
        self, show: str, seasons: dict[int, dict[int, _Record]], now: dt.datetime | None
    ) -> None:
        self._show = show
        self._seasons = seasons
        self._now = now
        self._records: dict[EpisodeKey, EpisodeRecord] | None = None

    def _built(self) -> dict[EpisodeKey, EpisodeRecord]:
        records = self._records
        if records is None:
            # Two threads may both build it; each gets an equal dict, and either may stay.
            records = {
                EpisodeKey(self._show, season, episode): EpisodeRecord(
                    raw.watched,
                    _utc(raw.changed_at),
                    raw.watch_count,
                    _utc(raw.watched_at) if raw.watched_at is not None else None,
                )
                for season, episodes in self._seasons.items()
                for episode, raw in episodes.items()
            }
            if self._now is not None:  # taken_as_now, without a call per record
                limit = self._now + SKEW_ALLOWED
                for key, record in records.items():
                    if record.changed_at > limit:
                        records[key] = record._replace(changed_at=self._now)
            self._records = records
        return records

    def __getitem__(self, key: EpisodeKey) -> EpisodeRecord:
        return self._built()[key]

    def get(self, key: EpisodeKey, default: Any = None) -> Any:
        return self._built().get(key, default)

    def __iter__(self) -> Iterator[EpisodeKey]:
        return iter(self._built())

    def __len__(self) -> int:
        return len(self._built())


def read_progress(raw: bytes, *, clamp_future: bool = True) -> Progress:
    """A progress file's bytes as Progress; ProgressFormatError names what is wrong.

    A change stamped more than a day after clock.now() is taken as made now, so a
    clock set wrong cannot freeze an episode (`clamp_future=False` reads the file as
    written, for `tracker validate`).
    """
    now = clock.now() if clamp_future else None
    decoded = _decoded(raw)
    if decoded is None:
        return from_json(_careful_json(raw), now)
    shows: dict[str, Mapping[EpisodeKey, EpisodeRecord]] = {
        show: _DecodedShow(show, seasons, now) for show, seasons in decoded.shows.items()
    }
    epoch = taken_as_now(_utc(decoded.epoch), now) if decoded.epoch is not None else None
    return Progress.grouped(shows, epoch)


def _decoded(raw: bytes) -> _File | None:
    """The file as msgspec reads it, or None when the careful reader must look."""
    if any(edge in raw for edge in _EDGE_YEARS):
        return None
    try:
        decoded = _DECODER.decode(raw)
    except (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return None
    if decoded.version != FORMAT_VERSION:
        return None
    # msgspec keeps only the last of repeated keys, which may hold the older record:
    # fewer records than the file spells out means some were dropped.
    records = sum(
        len(episodes) for seasons in decoded.shows.values() for episodes in seasons.values()
    )
    return decoded if records == raw.count(_RECORD_FIELD) else None


def _careful_json(raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProgressFormatError(
            f"not UTF-8 text: byte {raw[error.start]:#04x} at offset {error.start}"
        ) from error
    try:
        return json.loads(text, object_pairs_hook=json_object)
    except json.JSONDecodeError as error:
        raise ProgressFormatError(f"not JSON ({error})") from error
    except RecursionError as error:
        raise ProgressFormatError("not a progress file: nested too deeply") from error
    except ValueError as error:  # an integer literal of thousands of digits
        raise ProgressFormatError(f"a number in it is too long ({error})") from error


def future_dated_keys(path: Path, now: dt.datetime) -> list[EpisodeKey]:
    """Episodes the progress file at `path` stamps more than a day after `now`, as written;
    none when it is missing, not a regular file, or unreadable (load reports that)."""
    if not path.is_file():
        return []
    try:
        return far_future_keys(read_progress(path.read_bytes(), clamp_future=False), now)
    except (OSError, ProgressFormatError):
        return []
