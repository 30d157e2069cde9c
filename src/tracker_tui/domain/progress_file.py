"""Reading a progress file fast: checked in one pass by msgspec, made into records per show.

A heavy user's file holds 50,000 records. msgspec checks every field of it in C
(types, numbers from 1, times with a time zone) in about 20 ms; each show's
records are then built the first time that show is looked at, so the app's first
screen builds only the shows it draws. A file msgspec refuses goes to the careful
reader in `progress`, which names the bad field (or accepts what msgspec is
stricter about, such as a time with a space instead of a T).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from typing import Annotated, Any

import msgspec

from tracker_tui.domain.progress import (
    FORMAT_VERSION,
    EpisodeKey,
    EpisodeRecord,
    Progress,
    ProgressFormatError,
    from_json,
)

_Aware = Annotated[dt.datetime, msgspec.Meta(tz=True)]
_Number = Annotated[int, msgspec.Meta(ge=1)]


class _Record(msgspec.Struct):
    watched: bool
    changed_at: _Aware
    watch_count: Annotated[int, msgspec.Meta(ge=0)] = 0
    watched_at: _Aware | None = None


class _File(msgspec.Struct):
    version: int
    shows: dict[str, dict[_Number, dict[_Number, _Record]]]


_DECODER = msgspec.json.Decoder(_File)


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is dt.UTC else value.astimezone(dt.UTC)


class _DecodedShow(Mapping[EpisodeKey, EpisodeRecord]):
    """One show's checked records, made into keys and records on first use."""

    __slots__ = ("_records", "_seasons", "_show")

    def __init__(self, show: str, seasons: dict[int, dict[int, _Record]]) -> None:
        self._show = show
        self._seasons = seasons
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


def read_progress(raw: bytes) -> Progress:
    """A progress file's bytes as Progress; ProgressFormatError names what is wrong."""
    try:
        decoded = _DECODER.decode(raw)
    except (msgspec.ValidationError, msgspec.DecodeError):
        decoded = None
    if decoded is not None and decoded.version == FORMAT_VERSION:
        shows: dict[str, Mapping[EpisodeKey, EpisodeRecord]] = {
            show: _DecodedShow(show, seasons) for show, seasons in decoded.shows.items()
        }
        return Progress.grouped(shows)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProgressFormatError(f"not JSON ({error})") from error
    return from_json(data)
