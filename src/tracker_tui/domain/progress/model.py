"""The parts progress is made of: viewings, marks, one episode's and one show's state, each
with its merge (commutative, associative, idempotent), and the version 1 upgrade rule.

`records.py` builds `Progress` from these and re-exports them; import them from there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import NamedTuple

_START_OF_TIME = dt.datetime.min.replace(tzinfo=dt.UTC)
_TICK = dt.timedelta(microseconds=1)


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
    """One episode as a glance sees it, derived from its viewings (see `EpisodeState.record`):
    watched (any viewing left), how many, the latest's time, and the latest change."""

    watched: bool
    changed_at: dt.datetime
    watch_count: int = 0
    watched_at: dt.datetime | None = None


class Viewing(NamedTuple):
    """One time an episode was watched. Viewings merge as a set, by `id`."""

    id: str
    """Stable and unique: 8 random bytes in hex for a new one, a hash for an upgraded one."""
    watched_at: dt.datetime | None
    """When it was watched; None when not known (an upgraded rewatch, an import)."""
    logged_at: dt.datetime
    """When it was recorded: an unmark at or after this time takes it away."""

    def order(self) -> tuple[bool, dt.datetime, dt.datetime, str]:
        """Oldest first, viewings of unknown time before all others; a total order."""
        watched_at = self.watched_at
        return (watched_at is not None, watched_at or _START_OF_TIME, self.logged_at, self.id)


MarkValue = int | str | bool | None


class Mark(NamedTuple):
    """A value set by hand (a status, a rating, the archive flag) and when; None: unset."""

    value: MarkValue
    changed_at: dt.datetime

    def precedence(self) -> tuple[dt.datetime, str, str]:
        """Newer wins; an exact tie goes to the greater typed value, so merging is order-free."""
        return (self.changed_at, type(self.value).__name__, repr(self.value))


def newer_mark(a: Mark | None, b: Mark | None) -> Mark | None:
    if a is None or a == b:
        return b
    if b is None:
        return a
    return a if a.precedence() >= b.precedence() else b


def _later(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    if a is None:
        return b
    return a if b is None or a >= b else b


_NO_VIEWINGS: Mapping[str, Viewing] = {}
_NO_IDS: frozenset[str] = frozenset()


class EpisodeState(NamedTuple):
    """Everything kept for one episode. A viewing is live while its id is not in `removed`
    and it was logged after `cleared_at`."""

    viewings: Mapping[str, Viewing] = _NO_VIEWINGS
    """Every viewing ever logged, by id (removed and cleared ones too: they stay to merge)."""
    removed: frozenset[str] = _NO_IDS
    """Ids of viewings taken away one by one."""
    cleared_at: dt.datetime | None = None
    """The latest unmark: every viewing logged at or before it is gone."""
    rating: Mark | None = None

    def is_live(self, viewing: Viewing) -> bool:
        cleared_at = self.cleared_at
        return viewing.id not in self.removed and (
            cleared_at is None or viewing.logged_at > cleared_at
        )

    def live(self) -> list[Viewing]:
        """The viewings left, oldest first (unknown times first)."""
        return sorted((v for v in self.viewings.values() if self.is_live(v)), key=Viewing.order)

    def record(self) -> EpisodeRecord | None:
        """The derived record; None for an episode with no viewing and no unmark (a rating)."""
        viewings = self.viewings
        if not self.removed and self.cleared_at is None and len(viewings) == 1:
            (only,) = viewings.values()  # the common case, kept quick
            return EpisodeRecord(True, only.logged_at, 1, only.watched_at)
        if not viewings and self.cleared_at is None:
            return None
        changed_at = self.cleared_at
        latest: Viewing | None = None
        count = 0
        for viewing in viewings.values():
            changed_at = _later(changed_at, viewing.logged_at)
            if self.is_live(viewing):
                count += 1
                if latest is None or viewing.order() > latest.order():
                    latest = viewing
        assert changed_at is not None  # some viewing or an unmark
        watched_at = latest.watched_at if latest is not None else None
        return EpisodeRecord(count > 0, changed_at, count, watched_at)

    def is_empty(self) -> bool:
        return (
            not self.viewings
            and not self.removed
            and self.cleared_at is None
            and (self.rating is None)
        )

    def merge(self, other: EpisodeState) -> EpisodeState:
        """Viewings and removals as sets, the later unmark, the newer rating."""
        if other is self or other == self:
            return self
        viewings = self.viewings
        if other.viewings is not viewings:
            union = dict(viewings)
            for viewing_id, viewing in other.viewings.items():
                mine = union.get(viewing_id)
                if mine is None or (mine != viewing and viewing.order() > mine.order()):
                    union[viewing_id] = viewing
            viewings = union
        return EpisodeState(
            viewings,
            self.removed | other.removed,
            _later(self.cleared_at, other.cleared_at),
            newer_mark(self.rating, other.rating),
        )

    def after(self, cutoff: dt.datetime) -> EpisodeState:
        """What survives a replace at `cutoff` from a copy made before it: what was logged or
        changed after it. Removals stay (they only ever take away what they name)."""
        viewings = {i: v for i, v in self.viewings.items() if v.logged_at > cutoff}
        return EpisodeState(
            viewings,
            self.removed,
            self.cleared_at if self.cleared_at is not None and self.cleared_at > cutoff else None,
            self.rating if self.rating is not None and self.rating.changed_at > cutoff else None,
        )

    def times(self) -> Iterator[dt.datetime]:
        """Every time that orders a merge (for the far-future check): when viewings were
        logged, the unmark, the rating. When a viewing was watched orders nothing."""
        for viewing in self.viewings.values():
            yield viewing.logged_at
        if self.cleared_at is not None:
            yield self.cleared_at
        if self.rating is not None:
            yield self.rating.changed_at


EpisodeStates = Mapping[EpisodeKey, EpisodeState]
ShowRecords = Mapping[EpisodeKey, EpisodeRecord]
_NO_EPISODES: EpisodeStates = {}
_NO_SEASON_MARKS: Mapping[int, Mark] = {}


class ShowState:
    """One show's episodes and marks. Immutable: a change makes a new one, and every
    untouched show stays the very same object, so the writer reuses its text.

    The fast reader gives each show's episodes as a function that builds them on first
    use (see `lazy`): the app's first screen then builds only the shows it draws.
    """

    __slots__ = ("_build", "_episodes", "_records", "archived", "rating", "seasons", "status")

    def __init__(
        self,
        episodes: EpisodeStates = _NO_EPISODES,
        *,
        status: Mark | None = None,
        archived: Mark | None = None,
        rating: Mark | None = None,
        seasons: Mapping[int, Mark] = _NO_SEASON_MARKS,
    ) -> None:
        self._build: tuple[Callable[[], EpisodeStates], Callable[[], ShowRecords]] | None = None
        self._episodes: EpisodeStates | None = episodes
        self._records: ShowRecords | None = None
        self.status = status
        """Hand-set list status ("watching", ...); None or a None value: derived."""
        self.archived = archived
        self.rating = rating
        self.seasons = seasons
        """Season ratings by season number."""

    @classmethod
    def lazy(
        cls,
        build_episodes: Callable[[], EpisodeStates],
        build_records: Callable[[], ShowRecords],
        *,
        status: Mark | None = None,
        archived: Mark | None = None,
        rating: Mark | None = None,
        seasons: Mapping[int, Mark] = _NO_SEASON_MARKS,
    ) -> ShowState:
        """A show whose episodes are made on first use, and its records too, apart (they
        must be what `records()` would derive): a glance at a show needs only its records,
        and those are quicker to make from the file than every viewing."""
        state = cls(status=status, archived=archived, rating=rating, seasons=seasons)
        state._episodes = None
        state._build = (build_episodes, build_records)
        return state

    @property
    def episodes(self) -> EpisodeStates:
        episodes = self._episodes
        if episodes is None:
            assert self._build is not None
            # Two threads may both build it; each gets an equal mapping, and either may stay.
            episodes = self._episodes = self._build[0]()
        return episodes

    def records(self) -> ShowRecords:
        """Each episode's derived record: the same mapping object for the life of this state."""
        records = self._records
        if records is None:
            if self._build is not None:
                records = self._build[1]()
            else:
                records = {}
                for key, state in self.episodes.items():
                    record = state.record()
                    if record is not None:
                        records[key] = record
            self._records = records
        return records

    def marks(self) -> tuple[Mark | None, Mark | None, Mark | None, Mapping[int, Mark]]:
        return (self.status, self.archived, self.rating, self.seasons)

    def has_marks(self) -> bool:
        """Any mark set (and not set back): the show's, a season's or an episode's."""
        marks = (self.status, self.archived, self.rating, *self.seasons.values())
        return any(mark is not None and mark.value is not None for mark in marks) or any(
            state.rating is not None and state.rating.value is not None
            for state in self.episodes.values()
        )

    def is_empty(self) -> bool:
        return not self.episodes and self.marks() == (None, None, None, {})

    def replace(self, **changes: object) -> ShowState:
        """A copy with some marks changed; the episodes mapping is shared."""
        fields: dict[str, object] = {
            "status": self.status,
            "archived": self.archived,
            "rating": self.rating,
            "seasons": self.seasons,
        }
        fields.update(changes)
        episodes = fields.pop("episodes", None)
        copy = ShowState(
            self.episodes if episodes is None else episodes,  # type: ignore[arg-type]
            **fields,  # type: ignore[arg-type]
        )
        return copy

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ShowState):
            return NotImplemented
        if other is self:
            return True
        if self.marks() != other.marks():
            return False
        mine, theirs = self.episodes, other.episodes
        return mine is theirs or dict(mine) == dict(theirs)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        marks = ", ".join(
            f"{name}={mark!r}"
            for name, mark in zip(
                ("status", "archived", "rating", "seasons"), self.marks(), strict=True
            )
            if mark
        )
        return f"ShowState({dict(self.episodes)!r}{', ' if marks else ''}{marks})"

    def merge(self, other: ShowState) -> ShowState:
        """Episodes state by state, each mark newest first."""
        if other is self:
            return self
        episodes: dict[EpisodeKey, EpisodeState] | EpisodeStates = self.episodes
        theirs = other.episodes
        if theirs is not episodes:
            merged = dict(episodes)
            for key, state in theirs.items():
                mine = merged.get(key)
                merged[key] = state if mine is None else mine.merge(state)
            episodes = merged
        seasons = dict(self.seasons)
        for season, mark in other.seasons.items():
            kept = newer_mark(seasons.get(season), mark)
            assert kept is not None
            seasons[season] = kept
        result = ShowState(
            episodes,
            status=newer_mark(self.status, other.status),
            archived=newer_mark(self.archived, other.archived),
            rating=newer_mark(self.rating, other.rating),
            seasons=seasons,
        )
        return self if result == self else result

    def after(self, cutoff: dt.datetime) -> ShowState:
        """What survives a replace at `cutoff` from a copy made before it."""

        def kept(mark: Mark | None) -> Mark | None:
            return mark if mark is not None and mark.changed_at > cutoff else None

        episodes = {}
        for key, state in self.episodes.items():
            survived = state.after(cutoff)
            if not survived.is_empty():
                episodes[key] = survived
        seasons = {n: mark for n, mark in self.seasons.items() if kept(mark)}
        return ShowState(
            episodes,
            status=kept(self.status),
            archived=kept(self.archived),
            rating=kept(self.rating),
            seasons=seasons,
        )

    def times(self) -> Iterator[tuple[EpisodeKey | None, dt.datetime]]:
        """Every time it holds, with its episode (None: a show or season mark)."""
        for mark in (self.status, self.archived, self.rating, *self.seasons.values()):
            if mark is not None:
                yield None, mark.changed_at
        for key, state in self.episodes.items():
            for moment in state.times():
                yield key, moment


# --- Version 1 -------------------------------------------------------------------


def upgraded_viewing_id(
    key: EpisodeKey, index: int, watched_at: dt.datetime | None, changed_at: dt.datetime
) -> str:
    """A viewing id from everything a version 1 record says: two machines upgrading the
    same file get the same ids, so merging their copies does not double a viewing."""
    text = "\x1f".join(
        (
            key.show,
            str(key.season),
            str(key.episode),
            str(index),
            watched_at.isoformat() if watched_at else "",
            changed_at.isoformat(),
        )
    )
    import hashlib  # only a version 1 file needs it: kept off the start path (OpenSSL)

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def upgrade_record(key: EpisodeKey, record: EpisodeRecord) -> EpisodeState:
    """A version 1 record as viewings, losing nothing: `watch_count` viewings, the latest at
    `watched_at` and the others at unknown times. A watched record's viewings are logged at
    its `changed_at`; an unmark's just before it, with the unmark at `changed_at`."""
    changed_at = record.changed_at
    watched_at = record.watched_at
    count = record.watch_count
    if record.watched or watched_at is not None:
        count = max(count, 1)
    if record.watched:
        logged_at = changed_at
    else:
        logged_at = changed_at - _TICK if changed_at > _START_OF_TIME else changed_at
    viewings = {}
    for index in range(count):
        viewing_id = upgraded_viewing_id(key, index, watched_at, changed_at)
        when = watched_at if index == count - 1 else None
        viewings[viewing_id] = Viewing(viewing_id, when, logged_at)
    return EpisodeState(viewings, cleared_at=None if record.watched else changed_at)


def upgrade_records(records: Iterable[tuple[EpisodeKey, EpisodeRecord]]) -> EpisodeStates:
    states: dict[EpisodeKey, EpisodeState] = {}
    for key, record in records:
        state = upgrade_record(key, record)
        kept = states.get(key)
        states[key] = state if kept is None else kept.merge(state)
    return states
