"""Watch progress as data: per-episode records, their merge, and the file's JSON shape."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

FORMAT_VERSION = 1


class ProgressFormatError(ValueError):
    """The progress data is not a version-1 progress file."""


class NewerFormatError(ProgressFormatError):
    """The file was written by a newer tracker: leave it exactly as it is."""


# The key and the record are named tuples, not dataclasses: a heavy user's file
# holds 50,000 of each, and a tuple is built several times faster.
class EpisodeKey(NamedTuple):
    """An episode by stable ids, so catalog updates never orphan progress."""

    show: str
    season: int
    episode: int

    def code(self) -> str:
        return f"S{self.season}E{self.episode}"


class EpisodeRecord(NamedTuple):
    """The latest change to one episode. An unmark is kept too, with its time."""

    watched: bool
    changed_at: dt.datetime
    watch_count: int = 0
    watched_at: dt.datetime | None = None

    def precedence(self) -> tuple[dt.datetime, bool, int, dt.datetime]:
        """Newer change wins; the rest only breaks exact ties, so merging is order-free."""
        return (self.changed_at, self.watched, self.watch_count, self.watched_at or _EPOCH)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def newer(a: EpisodeRecord, b: EpisodeRecord) -> EpisodeRecord:
    return a if a.precedence() >= b.precedence() else b


ShowRecords = Mapping[EpisodeKey, EpisodeRecord]
_NONE: ShowRecords = {}


class Progress:
    """Every episode's latest record, grouped by show. Immutable: changes return a new Progress.

    A change copies only the shows it touches; every other show's records are the
    very same mapping in the old and new Progress. That keeps a change cheap for a
    heavy user, and lets the writer reuse the JSON of shows that did not change.
    """

    __slots__ = ("_by_show", "_flat")

    def __init__(self, records: ShowRecords) -> None:
        by_show: dict[str, dict[EpisodeKey, EpisodeRecord]] = {}
        for key, record in records.items():
            by_show.setdefault(key.show, {})[key] = record
        self._by_show: Mapping[str, ShowRecords] = by_show
        self._flat: ShowRecords | None = None

    @classmethod
    def grouped(cls, by_show: Mapping[str, ShowRecords]) -> Progress:
        progress = cls.__new__(cls)
        progress._by_show = by_show
        progress._flat = None
        return progress

    @classmethod
    def empty(cls) -> Progress:
        return cls({})

    @property
    def records(self) -> ShowRecords:
        """Every record in one mapping (built on first use)."""
        if self._flat is None:
            flat: dict[EpisodeKey, EpisodeRecord] = {}
            for records in self._by_show.values():
                flat.update(records)
            self._flat = flat
        return self._flat

    def show_records(self, show: str) -> ShowRecords:
        """One show's records; the same mapping object until that show changes."""
        return self._by_show.get(show, _NONE)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Progress):
            return NotImplemented
        mine, theirs = self._by_show, other._by_show
        return all(
            (a := mine.get(show, _NONE)) is (b := theirs.get(show, _NONE)) or dict(a) == dict(b)
            for show in mine.keys() | theirs.keys()
        )

    def __hash__(self) -> int:
        return hash(frozenset(self.records.items()))

    def __repr__(self) -> str:
        if len(self.records) > 20:  # a heavy user's 50,000 records would take a second
            return f"<Progress: {len(self.records)} records in {len(self._by_show)} shows>"
        return f"Progress({dict(self.records)!r})"

    def get(self, key: EpisodeKey) -> EpisodeRecord | None:
        return self._by_show.get(key.show, _NONE).get(key)

    def is_watched(self, key: EpisodeKey) -> bool:
        record = self._by_show.get(key.show, _NONE).get(key)
        return record is not None and record.watched

    def watched_keys(self, show: str | None = None) -> Iterator[EpisodeKey]:
        groups = self._by_show.values() if show is None else [self.show_records(show)]
        for records in groups:
            for key, record in records.items():
                if record.watched:
                    yield key

    def show_ids(self) -> set[str]:
        return set(self._by_show)

    def with_records(self, changes: ShowRecords) -> Progress:
        by_show = dict(self._by_show)
        for key, record in changes.items():
            records = by_show.get(key.show, _NONE)
            if records is self._by_show.get(key.show):  # first change to it: copy it
                records = dict(records)
                by_show[key.show] = records
            elif records is _NONE:
                records = by_show[key.show] = {}
            assert isinstance(records, dict)
            records[key] = record
        return Progress.grouped(by_show)

    def merge(self, other: Progress) -> Progress:
        """Per episode, the newer change wins: commutative, associative, idempotent."""
        changes: dict[EpisodeKey, EpisodeRecord] = {}
        for show, theirs in other._by_show.items():
            mine = self._by_show.get(show, _NONE)
            if theirs is mine:
                continue  # the same mapping: nothing to merge
            for key, record in theirs.items():
                current = mine.get(key)
                if current is None or newer(current, record) is not current:
                    changes[key] = record
        return self.with_records(changes) if changes else self


_TICK = dt.timedelta(microseconds=1)


def stamp_after(now: dt.datetime, before: EpisodeRecord | None) -> dt.datetime:
    """A change always wins over the record it replaces, even if the clock stood still or
    stepped back: it is stamped at least a microsecond after it."""
    if before is not None and now <= before.changed_at:
        return before.changed_at + _TICK
    return now


def mark_watched(progress: Progress, keys: Iterable[EpisodeKey], now: dt.datetime) -> Progress:
    """Record a viewing of each episode; watching one again counts a rewatch."""
    changes = {}
    for key in keys:
        before = progress.get(key)
        count = before.watch_count if before and before.watched else 0
        when = stamp_after(now, before)
        changes[key] = EpisodeRecord(True, when, count + 1, when)
    return progress.with_records(changes)


def mark_unwatched(progress: Progress, keys: Iterable[EpisodeKey], now: dt.datetime) -> Progress:
    """Unmark episodes. The unmark is kept with its time, so no merge brings them back."""
    changes = {
        key: EpisodeRecord(False, stamp_after(now, record))
        for key in keys
        if (record := progress.get(key)) is not None and record.watched
    }
    return progress.with_records(changes)


def restore(
    progress: Progress, before: Mapping[EpisodeKey, EpisodeRecord | None], now: dt.datetime
) -> Progress:
    """Put episodes back as they were (undo), stamped now so the restore wins every merge."""
    changes = {}
    for key, record in before.items():
        when = stamp_after(now, progress.get(key))
        if record is None or not record.watched:
            changes[key] = EpisodeRecord(False, when)
        else:
            changes[key] = record._replace(changed_at=when)
    return progress.with_records(changes)


# --- JSON ---------------------------------------------------------------------


def format_time(value: dt.datetime) -> str:
    """UTC ISO 8601 with a Z, as the file and JSON output write times."""
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _parse_time(value: Any, where: str) -> dt.datetime:
    if not isinstance(value, str):
        raise ProgressFormatError(f"{where}: expected a UTC ISO 8601 time")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise ProgressFormatError(f"{where}: {value!r} is not an ISO 8601 time") from error
    if parsed.tzinfo is None:
        raise ProgressFormatError(f"{where}: {value!r} has no time zone")
    return parsed.astimezone(dt.UTC)


def record_json(record: EpisodeRecord) -> dict[str, Any]:
    return {
        "watched": record.watched,
        "watched_at": format_time(record.watched_at) if record.watched_at else None,
        "watch_count": record.watch_count,
        "changed_at": format_time(record.changed_at),
    }


def to_json(progress: Progress) -> dict[str, Any]:
    """The file's shape: version, then show id -> season -> episode -> record."""
    shows: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
    for key in sorted(progress.records):
        season = shows.setdefault(key.show, {}).setdefault(str(key.season), {})
        season[str(key.episode)] = record_json(progress.records[key])
    return {"version": FORMAT_VERSION, "shows": shows}


def _positive(text: str, where: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ProgressFormatError(f"{where}: {text!r} is not a positive number")
    return int(text)


def from_json(data: Any) -> Progress:
    """Read the file's shape; raise ProgressFormatError naming the first bad field."""
    if not isinstance(data, dict):
        raise ProgressFormatError("the top level is not a JSON object")
    version = data.get("version")
    if version != FORMAT_VERSION:
        raise ProgressFormatError(
            f"version is {version!r}; this tracker reads version {FORMAT_VERSION}"
        )
    shows = data.get("shows")
    if not isinstance(shows, dict):
        raise ProgressFormatError("shows: expected an object of show ids")
    records: dict[EpisodeKey, EpisodeRecord] = {}
    for show_id, seasons in shows.items():
        if not isinstance(seasons, dict):
            raise ProgressFormatError(f"shows.{show_id}: expected an object of seasons")
        for season_text, episodes in seasons.items():
            where = f"shows.{show_id}.{season_text}"
            season = _positive(season_text, where)
            if not isinstance(episodes, dict):
                raise ProgressFormatError(f"{where}: expected an object of episodes")
            for episode_text, raw in episodes.items():
                here = f"{where}.{episode_text}"
                episode = _positive(episode_text, here)
                records[EpisodeKey(show_id, season, episode)] = _record(raw, here)
    return Progress(records)


def _record(raw: Any, where: str) -> EpisodeRecord:
    if not isinstance(raw, dict):
        raise ProgressFormatError(f"{where}: expected an episode record object")
    watched = raw.get("watched")
    count = raw.get("watch_count", 0)
    if not isinstance(watched, bool):
        raise ProgressFormatError(f"{where}.watched: expected true or false")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise ProgressFormatError(f"{where}.watch_count: expected a whole number >= 0")
    watched_at = raw.get("watched_at")
    return EpisodeRecord(
        watched=watched,
        changed_at=_parse_time(raw.get("changed_at"), f"{where}.changed_at"),
        watch_count=count,
        watched_at=_parse_time(watched_at, f"{where}.watched_at") if watched_at else None,
    )
