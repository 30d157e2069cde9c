"""The progress file's format, in one place: its version, the fast reader, the careful
reader that names a bad field, and the writer.


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
import re
from collections import Counter
from collections.abc import ItemsView, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, TypeGuard

import msgspec

from tracker_tui.domain import clock
from tracker_tui.domain.progress.records import (
    SKEW_ALLOWED,
    EpisodeKey,
    EpisodeRecord,
    Progress,
    ShowRecords,
    far_future_keys,
    in_utc,
    newer,
    taken_as_now,
)

FORMAT_VERSION = 1
LARGEST_NUMBER = 10**18 - 1
"""Bound on every number in the file: within a 64-bit integer, so both readers agree."""


class ProgressFormatError(ValueError):
    """The progress data is not a version-1 progress file."""


class NewerFormatError(ProgressFormatError):
    """The file was written by a newer tracker: leave it exactly as it is."""


def format_time(value: dt.datetime) -> str:
    """UTC ISO 8601 with a Z, as the file and JSON output write times."""
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def newer_format_message(version: int) -> str:
    return (
        f"written by a newer tracker (version {version}); "
        f"this tracker reads version {FORMAT_VERSION}: upgrade tracker"
    )


def _parse_time(value: Any, where: str) -> dt.datetime:
    if not isinstance(value, str):
        raise ProgressFormatError(f"{where}: expected a UTC ISO 8601 time")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise ProgressFormatError(f"{where}: {value!r} is not an ISO 8601 time") from error
    if parsed.tzinfo is None:
        raise ProgressFormatError(f"{where}: {value!r} has no time zone")
    return in_utc(parsed)


def record_json(record: EpisodeRecord) -> dict[str, Any]:
    return {
        "watched": record.watched,
        "watched_at": format_time(record.watched_at) if record.watched_at else None,
        "watch_count": record.watch_count,
        "changed_at": format_time(record.changed_at),
    }


def to_json(progress: Progress) -> dict[str, Any]:
    """The file's shape: version, the last replace's epoch if any, then show id -> season ->
    episode -> record."""
    shows: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
    for key in sorted(progress.records):
        season = shows.setdefault(key.show, {}).setdefault(str(key.season), {})
        season[str(key.episode)] = record_json(progress.records[key])
    head: dict[str, Any] = {"version": FORMAT_VERSION}
    if progress.epoch is not None:
        head["epoch"] = format_time(progress.epoch)
    return head | {"shows": shows}


class RepeatedKeys(list[tuple[str, Any]]):
    """A JSON object that repeats a key, as every (key, value) pair in order: json keeps
    only the last, and that may be an older record."""


def json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any] | RepeatedKeys:
    """`object_pairs_hook` for json.loads: keeps every pair of an object that repeats a key."""
    unique = dict(pairs)
    return unique if len(unique) == len(pairs) else RepeatedKeys(pairs)


def _entries(value: dict[str, Any] | RepeatedKeys) -> Iterable[tuple[str, Any]]:
    return value if isinstance(value, RepeatedKeys) else value.items()


def _repeated(pairs: RepeatedKeys) -> str:
    return next(key for key, n in Counter(key for key, _ in pairs).items() if n > 1)


_NUMBER = re.compile(r"[0-9]{1,18}")  # ASCII digits only: "²".isdigit() is True


def _positive(text: str, where: str) -> int:
    if _NUMBER.fullmatch(text) is None or int(text) < 1:
        shown = text if len(text) <= 20 else text[:20] + "..."
        raise ProgressFormatError(f"{where}: {shown!r} is not a positive number (ASCII digits)")
    return int(text)


def _show_id(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ProgressFormatError(
            f"shows: the show id {text!r} holds a lone surrogate (\\ud800-\\udfff), "
            "which is not text: correct or remove that id"
        ) from error
    return text


def _object(value: Any) -> TypeGuard[dict[str, Any] | RepeatedKeys]:
    return isinstance(value, (dict, RepeatedKeys))


def from_json(data: Any, now: dt.datetime | None = None) -> Progress:
    """Read the file's shape; raise ProgressFormatError naming the first bad field.

    An episode the file lists twice keeps its newer record. With `now`, a change
    stamped more than a day after it is taken as made `now` (see `taken_as_now`).
    """
    if isinstance(data, RepeatedKeys):
        raise ProgressFormatError(f"the top level has {_repeated(data)!r} twice")
    if not isinstance(data, dict):
        raise ProgressFormatError("the top level is not a JSON object")
    version = data.get("version")
    if type(version) is int and version > FORMAT_VERSION:
        raise NewerFormatError(newer_format_message(version))
    if type(version) is not int or version != FORMAT_VERSION:
        raise ProgressFormatError(
            f"version is {version!r}; this tracker reads version {FORMAT_VERSION}"
        )
    raw_epoch = data.get("epoch")
    epoch = None if raw_epoch is None else taken_as_now(_parse_time(raw_epoch, "epoch"), now)
    shows = data.get("shows")
    if not _object(shows):
        raise ProgressFormatError("shows: expected an object of show ids")
    records: dict[EpisodeKey, EpisodeRecord] = {}
    for show_id, seasons in _entries(shows):
        show = _show_id(show_id)
        if not _object(seasons):
            raise ProgressFormatError(f"shows.{show}: expected an object of seasons")
        for season_text, episodes in _entries(seasons):
            season = _positive(season_text, f"shows.{show}")
            where = f"shows.{show}.{season}"
            if not _object(episodes):
                raise ProgressFormatError(f"{where}: expected an object of episodes")
            for episode_text, raw in _entries(episodes):
                key = EpisodeKey(show, season, _positive(episode_text, where))
                record = _record(raw, f"{where}.{key.episode}", now)
                kept = records.get(key)
                records[key] = record if kept is None else newer(kept, record)
    return Progress(records, epoch)


def _record(raw: Any, where: str, now: dt.datetime | None) -> EpisodeRecord:
    if isinstance(raw, RepeatedKeys):
        raise ProgressFormatError(f"{where}: {_repeated(raw)!r} appears twice in one record")
    if not isinstance(raw, dict):
        raise ProgressFormatError(f"{where}: expected an episode record object")
    watched = raw.get("watched")
    count = raw.get("watch_count", 0)
    if not isinstance(watched, bool):
        raise ProgressFormatError(f"{where}.watched: expected true or false")
    if type(count) is not int or not 0 <= count <= LARGEST_NUMBER:
        raise ProgressFormatError(f"{where}.watch_count: expected a whole number >= 0")
    watched_at = raw.get("watched_at")
    changed_at = _parse_time(raw.get("changed_at"), f"{where}.changed_at")
    return EpisodeRecord(
        watched=watched,
        changed_at=taken_as_now(changed_at, now),
        watch_count=count,
        watched_at=_parse_time(watched_at, f"{where}.watched_at") if watched_at else None,
    )


# --- The fast reader -----------------------------------------------------------

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

_RECORD_FIELD = b'"changed_at"'  # once in every record


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is dt.UTC else in_utc(value)


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

    def items(self) -> ItemsView[EpisodeKey, EpisodeRecord]:
        # The dict's own view: Mapping's would look every key up again, in Python.
        return self._built().items()

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


# --- The writer ------------------------------------------------------------------


class ProgressWriter:
    """Writes progress as pretty JSON, one episode per line: readable, diffable, and fast.

    Each show's block of text is kept with the records it was made from; a show
    whose records are the same mapping as last time (see `Progress`) is not
    formatted again, so saving one change in 50,000 episodes formats one show.
    """

    def __init__(self) -> None:
        self._blocks: dict[str, tuple[ShowRecords, str]] = {}

    def dumps(self, progress: Progress) -> str:
        blocks: dict[str, tuple[ShowRecords, str]] = {}
        for show in sorted(progress.show_ids()):
            records = progress.show_records(show)
            if not records:
                continue
            kept = self._blocks.get(show)
            blocks[show] = kept if kept and kept[0] is records else (records, _show_block(records))
        self._blocks = blocks
        body = ",\n".join(text for _, text in blocks.values())
        shows = f"{body}\n" if body else ""
        epoch = f'  "epoch": "{format_time(progress.epoch)}",\n' if progress.epoch else ""
        return f'{{\n  "version": {FORMAT_VERSION},\n{epoch}  "shows": {{\n{shows}  }}\n}}\n'


def _show_block(records: ShowRecords) -> str:
    seasons: dict[int, list[str]] = {}
    for key in sorted(records):
        seasons.setdefault(key.season, []).append(_record_line(key.episode, records[key]))
    season_blocks = [
        f'      "{season}": {{\n' + ",\n".join(lines) + "\n      }"
        for season, lines in seasons.items()
    ]
    show = json.dumps(next(iter(records)).show, ensure_ascii=False)
    return f"    {show}: {{\n" + ",\n".join(season_blocks) + "\n    }"


def _record_line(episode: int, record: EpisodeRecord) -> str:
    # Field for field what json.dumps(record_json(record)) gives, at a fraction of the cost.
    watched = "true" if record.watched else "false"
    watched_at = f'"{format_time(record.watched_at)}"' if record.watched_at else "null"
    return (
        f'        "{episode}": {{"watched": {watched}, "watched_at": {watched_at}, '
        f'"watch_count": {record.watch_count}, "changed_at": "{format_time(record.changed_at)}"}}'
    )


def dumps_progress(progress: Progress) -> str:
    """The progress file's text for `progress`."""
    return ProgressWriter().dumps(progress)
