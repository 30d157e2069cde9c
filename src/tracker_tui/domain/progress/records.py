"""Watch progress as data: per-episode records and their merge (commutative, associative,
idempotent), with the changes a user makes to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

SKEW_ALLOWED = dt.timedelta(days=1)
"""A change stamped further ahead of the reader's clock than this is taken as made now."""


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
    """The latest change to one episode. An unmark is kept too, with its time.

    An unmark keeps the count and time of the viewings it took away, so it can be
    told from a record that was never watched: an undone first watch leaves one
    (not watched, no count, no time) that wins merges but is no part of history.
    """

    watched: bool
    changed_at: dt.datetime
    watch_count: int = 0
    watched_at: dt.datetime | None = None

    def was_ever_watched(self) -> bool:
        """False for a first watch undone: `tracker history` leaves such records out.

        An unmark written before unmarks kept their viewings looks the same.
        """
        return self.watched or self.watch_count > 0 or self.watched_at is not None

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

    `epoch` is the time of the last `tracker import --replace` (None: never). A
    record from before it survives a merge only from the side that has that epoch,
    so an app holding older state learns of the replace and does not undo it.
    """

    __slots__ = ("_by_show", "_flat", "epoch")

    def __init__(self, records: ShowRecords, epoch: dt.datetime | None = None) -> None:
        by_show: dict[str, dict[EpisodeKey, EpisodeRecord]] = {}
        for key, record in records.items():
            by_show.setdefault(key.show, {})[key] = record
        self._by_show: Mapping[str, ShowRecords] = by_show
        self._flat: ShowRecords | None = None
        self.epoch = epoch

    @classmethod
    def grouped(
        cls, by_show: Mapping[str, ShowRecords], epoch: dt.datetime | None = None
    ) -> Progress:
        progress = cls.__new__(cls)
        progress._by_show = by_show
        progress._flat = None
        progress.epoch = epoch
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

    def as_replacement(self, now: dt.datetime) -> Progress:
        """The same records as a replace made `now`: merged with older state, they win."""
        return Progress.grouped(self._by_show, now)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Progress):
            return NotImplemented
        if self.epoch != other.epoch:
            return False
        mine, theirs = self._by_show, other._by_show
        return all(
            (a := mine.get(show, _NONE)) is (b := theirs.get(show, _NONE)) or dict(a) == dict(b)
            for show in mine.keys() | theirs.keys()
        )

    def __repr__(self) -> str:
        epoch = f", epoch={self.epoch!r}" if self.epoch else ""
        if len(self.records) > 20:  # a heavy user's 50,000 records would take a second
            return f"<Progress: {len(self.records)} records in {len(self._by_show)} shows{epoch}>"
        return f"Progress({dict(self.records)!r}{epoch})"

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
        return Progress.grouped(by_show, self.epoch)

    def merge(self, other: Progress) -> Progress:
        """Per episode, the newer change wins: commutative, associative, idempotent.

        The result has the later epoch; a side with an earlier one brings only
        records changed after that replace.
        """
        base, incoming = (other, self) if _is_later(other.epoch, self.epoch) else (self, other)
        cutoff = base.epoch if incoming.epoch != base.epoch else None
        changes: dict[EpisodeKey, EpisodeRecord] = {}
        for show, theirs in incoming._by_show.items():
            mine = base._by_show.get(show, _NONE)
            if theirs is mine:
                continue  # the same mapping: nothing to merge
            for key, record in theirs.items():
                if cutoff is not None and record.changed_at <= cutoff:
                    continue  # replaced since
                current = mine.get(key)
                if current is None or newer(current, record) is not current:
                    changes[key] = record
        return base.with_records(changes) if changes else base


def _is_later(epoch: dt.datetime | None, than: dt.datetime | None) -> bool:
    return epoch is not None and (than is None or epoch > than)


def far_future_keys(progress: Progress, now: dt.datetime) -> list[EpisodeKey]:
    """Episodes changed more than a day after `now`: a clock set wrong wrote them."""
    limit = now + SKEW_ALLOWED
    return sorted(key for key, record in progress.records.items() if record.changed_at > limit)


_TICK = dt.timedelta(microseconds=1)
_END_OF_TIME = dt.datetime.max.replace(tzinfo=dt.UTC)


def stamp_after(
    now: dt.datetime, before: EpisodeRecord | None, epoch: dt.datetime | None = None
) -> dt.datetime:
    """A change always wins over the record it replaces, and survives the last replace, even
    if the clock stood still or stepped back: it is stamped at least a microsecond after
    both. At the end of time it stays there rather than overflow."""
    floor = max(
        (moment for moment in (before.changed_at if before else None, epoch) if moment),
        default=None,
    )
    if floor is not None and now <= floor:
        return floor + _TICK if floor < _END_OF_TIME else _END_OF_TIME
    return now


def mark_watched(progress: Progress, keys: Iterable[EpisodeKey], now: dt.datetime) -> Progress:
    """Record a viewing of each episode; watching one again counts a rewatch."""
    changes = {}
    for key in keys:
        before = progress.get(key)
        count = before.watch_count if before and before.watched else 0
        when = stamp_after(now, before, progress.epoch)
        changes[key] = EpisodeRecord(True, when, count + 1, when)
    return progress.with_records(changes)


def mark_unwatched(progress: Progress, keys: Iterable[EpisodeKey], now: dt.datetime) -> Progress:
    """Unmark episodes. The unmark is kept with its time, so no merge brings them back, and
    with the viewings it took away, so history and undo know what was there."""
    changes = {
        key: record._replace(watched=False, changed_at=stamp_after(now, record, progress.epoch))
        for key in keys
        if (record := progress.get(key)) is not None and record.watched
    }
    return progress.with_records(changes)


Change = Mapping[EpisodeKey, tuple[EpisodeRecord | None, EpisodeRecord]]
"""One change by the user: each episode's record (before, after)."""


def undo_change(progress: Progress, change: Change, now: dt.datetime) -> Progress:
    """Take a change back as a new change to the current state, so what other programs did
    since stays: an undone watch removes that one viewing, an undone unmark gives back the
    viewings it took away. Stamped now, so the undo wins every merge."""
    changes = {}
    for key, (before, after) in change.items():
        current = progress.get(key)
        undone = (
            _without_viewing(current, before, after)
            if after.watched
            else _with_viewings(current, before)
        )
        if undone is not None:
            changes[key] = undone._replace(changed_at=stamp_after(now, current, progress.epoch))
    return progress.with_records(changes)


def _without_viewing(
    current: EpisodeRecord | None, before: EpisodeRecord | None, after: EpisodeRecord
) -> EpisodeRecord | None:
    if current is None or not current.watched:
        return None  # unmarked since: nothing of the watch is left to take back
    had = before.watch_count if before is not None and before.watched else 0
    left = current.watch_count - (after.watch_count - had)
    if left > 0:  # viewings logged since, or before, stay
        watched_at = current.watched_at
        if watched_at == after.watched_at and before is not None and before.watched:
            watched_at = before.watched_at
        return EpisodeRecord(True, current.changed_at, left, watched_at)
    if before is None:
        return EpisodeRecord(False, current.changed_at)  # never watched, as before
    return EpisodeRecord(False, current.changed_at, before.watch_count, before.watched_at)


def _with_viewings(
    current: EpisodeRecord | None, before: EpisodeRecord | None
) -> EpisodeRecord | None:
    if before is None or not before.watched:
        return None  # the unmark changed nothing
    if current is None or not current.watched:
        return before
    latest = max(
        (when for when in (current.watched_at, before.watched_at) if when is not None),
        default=None,
    )
    return EpisodeRecord(True, current.changed_at, current.watch_count + before.watch_count, latest)


def taken_as_now(value: dt.datetime, now: dt.datetime | None) -> dt.datetime:
    """A time more than a day after `now` (None: no limit) was written by a clock set
    wrong; taken as `now` it neither freezes an episode nor wins every merge."""
    return now if now is not None and value > now + SKEW_ALLOWED else value


_START_OF_TIME = dt.datetime.min.replace(tzinfo=dt.UTC)


def in_utc(value: dt.datetime) -> dt.datetime:
    """`value` in UTC. A time its offset takes past either end of the calendar (only in
    year 1 or 9999) is taken as that end: no clock writes one, and the far future is
    then taken as now like any other far-future time (see `taken_as_now`)."""
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        return _END_OF_TIME if value.year == dt.MAXYEAR else _START_OF_TIME
