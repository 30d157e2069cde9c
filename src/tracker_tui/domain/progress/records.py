"""Watch progress as data: every viewing kept, hand-set marks (status, ratings, archive),
their merge (commutative, associative, idempotent), and the changes a user makes.

The parts (`Viewing`, `Mark`, `EpisodeState`, `ShowState`) live in `model.py`; import
them from here.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from tracker_tui.domain.progress.model import (
    EpisodeKey,
    EpisodeRecord,
    EpisodeState,
    Mark,
    ShowRecords,
    ShowState,
    Viewing,
    upgrade_records,
)

__all__ = [
    "SKEW_ALLOWED",
    "STATUSES",
    "Change",
    "EpisodeKey",
    "EpisodeRecord",
    "EpisodeState",
    "HistoryEntry",
    "Mark",
    "MarkPlace",
    "Progress",
    "ShowRecords",
    "ShowState",
    "Viewing",
    "change_between",
    "far_future_keys",
    "in_utc",
    "mark_unwatched",
    "mark_watched",
    "new_viewing_id",
    "remove_viewing",
    "set_archived",
    "set_rating",
    "set_status",
    "stamp_after",
    "taken_as_now",
    "undo_change",
    "undo_change_renaming",
]

SKEW_ALLOWED = dt.timedelta(days=1)
"""A change stamped further ahead of the reader's clock than this is taken as made now."""

STATUSES = ("watching", "completed", "on-hold", "dropped", "plan-to-watch")
"""The list statuses a user may set by hand (None: derived from progress)."""

RATINGS = range(1, 11)

_NO_SHOW = ShowState()
_NO_RECORDS: ShowRecords = {}


class HistoryEntry(NamedTuple):
    """One line of history: a viewing, or an unmark that took viewings away."""

    key: EpisodeKey
    event: str
    """"watched" or "unmarked"."""
    at: dt.datetime
    """When watched (or logged, when that is not known: see `time_known`), or unmarked."""
    viewing_id: str | None = None
    time_known: bool = True


class Progress:
    """Every show's state. Immutable: changes return a new Progress.

    A change copies only the shows it touches; every other show's state is the very
    same object in the old and new Progress. That keeps a change cheap for a heavy
    user, and lets the writer reuse the JSON of shows that did not change.

    `epoch` is the time of the last `tracker import --replace` (None: never). What a
    copy from before it holds survives a merge only if logged or changed after it, so
    an app holding older state learns of the replace and does not undo it.
    """

    __slots__ = ("_flat", "_shows", "epoch")

    def __init__(
        self, records: Mapping[EpisodeKey, EpisodeRecord], epoch: dt.datetime | None = None
    ) -> None:
        """Progress from version 1 style records, upgraded to viewings (see `upgrade_record`)."""
        by_show: dict[str, list[tuple[EpisodeKey, EpisodeRecord]]] = {}
        for key, record in records.items():
            by_show.setdefault(key.show, []).append((key, record))
        self._shows: Mapping[str, ShowState] = {
            show: ShowState(upgrade_records(pairs)) for show, pairs in by_show.items()
        }
        self._flat: ShowRecords | None = None
        self.epoch = epoch

    @classmethod
    def of_shows(cls, shows: Mapping[str, ShowState], epoch: dt.datetime | None = None) -> Progress:
        """Progress holding these very show states (no copy); empty ones are left out."""
        progress = cls.__new__(cls)
        progress._shows = shows
        progress._flat = None
        progress.epoch = epoch
        return progress

    @classmethod
    def empty(cls) -> Progress:
        return cls({})

    # --- The derived view: one record per episode ---

    @property
    def records(self) -> ShowRecords:
        """Every episode's derived record in one mapping (built on first use)."""
        if self._flat is None:
            flat: dict[EpisodeKey, EpisodeRecord] = {}
            for state in self._shows.values():
                flat.update(state.records())
            self._flat = flat
        return self._flat

    def show_records(self, show: str) -> ShowRecords:
        """One show's records; the same mapping object until that show changes."""
        state = self._shows.get(show)
        return _NO_RECORDS if state is None else state.records()

    def get(self, key: EpisodeKey) -> EpisodeRecord | None:
        return self.show_records(key.show).get(key)

    def is_watched(self, key: EpisodeKey) -> bool:
        record = self.show_records(key.show).get(key)
        return record is not None and record.watched

    def watched_keys(self, show: str | None = None) -> Iterator[EpisodeKey]:
        shows = self._shows if show is None else [show]
        for show_id in shows:
            for key, record in self.show_records(show_id).items():
                if record.watched:
                    yield key

    def show_ids(self) -> set[str]:
        """Shows with any episode record (watched or unmarked), not only marks."""
        return {show for show, state in self._shows.items() if state.records()}

    # --- The full state ---

    @property
    def shows(self) -> Mapping[str, ShowState]:
        """Every show's state by id (the writer's input)."""
        return self._shows

    def show_state(self, show: str) -> ShowState:
        """One show's state; the same object until that show changes."""
        return self._shows.get(show, _NO_SHOW)

    def episode_state(self, key: EpisodeKey) -> EpisodeState | None:
        return self.show_state(key.show).episodes.get(key)

    def viewings(self, key: EpisodeKey) -> list[Viewing]:
        """The episode's live viewings, oldest first (unknown times first)."""
        state = self.episode_state(key)
        return [] if state is None else state.live()

    def history(self, show: str | None = None) -> list[HistoryEntry]:
        """Every live viewing and every unmark that took a viewing away, newest first."""
        shows = self._shows.items() if show is None else [(show, self.show_state(show))]
        entries = []
        for _, state in shows:
            for key, episode in state.episodes.items():
                for viewing in episode.viewings.values():
                    if episode.is_live(viewing):
                        known = viewing.watched_at is not None
                        at = viewing.watched_at or viewing.logged_at
                        entries.append(HistoryEntry(key, "watched", at, viewing.id, known))
                cleared_at = episode.cleared_at
                if cleared_at is not None and any(
                    v.logged_at <= cleared_at and v.id not in episode.removed
                    for v in episode.viewings.values()
                ):
                    entries.append(HistoryEntry(key, "unmarked", cleared_at))
        entries.sort(key=lambda e: (e.at, e.key, e.event, e.viewing_id or ""), reverse=True)
        return entries

    def status(self, show: str) -> str | None:
        """The status set by hand; None: derived from progress."""
        mark = self.show_state(show).status
        return mark.value if mark is not None and isinstance(mark.value, str) else None

    def is_archived(self, show: str) -> bool:
        mark = self.show_state(show).archived
        return mark is not None and mark.value is True

    def rating(
        self, show: str, season: int | None = None, episode: int | None = None
    ) -> int | None:
        """The show's rating, a season's, or an episode's (which needs its season)."""
        state = self.show_state(show)
        if episode is not None:
            if season is None:
                raise ValueError("an episode's rating needs its season")
            episode_state = state.episodes.get(EpisodeKey(show, season, episode))
            mark = episode_state.rating if episode_state is not None else None
        elif season is not None:
            mark = state.seasons.get(season)
        else:
            mark = state.rating
        value = mark.value if mark is not None else None
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def marked_show_ids(self) -> set[str]:
        """Shows with any mark set by hand (status, archive flag, a rating)."""
        return {show for show, state in self._shows.items() if state.has_marks()}

    # --- Merging ---

    def as_replacement(self, now: dt.datetime) -> Progress:
        """The same state as a replace made `now`: merged with older state, it wins."""
        return Progress.of_shows(self._shows, now)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Progress):
            return NotImplemented
        if self.epoch != other.epoch:
            return False
        mine, theirs = self._shows, other._shows
        return all(
            (a := mine.get(show, _NO_SHOW)) is (b := theirs.get(show, _NO_SHOW)) or a == b
            for show in mine.keys() | theirs.keys()
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        epoch = f", epoch={self.epoch!r}" if self.epoch else ""
        if len(self._shows) > 3:  # a heavy user's 50,000 episodes would take a second
            return f"<Progress: {len(self._shows)} shows{epoch}>"
        return f"Progress.of_shows({dict(self._shows)!r}{epoch})"

    def with_shows(self, changes: Mapping[str, ShowState]) -> Progress:
        """These shows' states replaced; every other show's stays the same object."""
        shows = dict(self._shows)
        for show, state in changes.items():
            if state.is_empty():
                shows.pop(show, None)
            else:
                shows[show] = state
        return Progress.of_shows(shows, self.epoch)

    def with_episodes(self, changes: Mapping[EpisodeKey, EpisodeState]) -> Progress:
        """These episodes' states replaced (an empty one removed); other shows stay as they are."""
        by_show: dict[str, dict[EpisodeKey, EpisodeState]] = {}
        for key, state in changes.items():
            episodes = by_show.get(key.show)
            if episodes is None:  # first change to this show: copy its episodes
                episodes = by_show[key.show] = dict(self.show_state(key.show).episodes)
            if state.is_empty():
                episodes.pop(key, None)
            else:
                episodes[key] = state
        return self.with_shows(
            {
                show: self.show_state(show).replace(episodes=episodes)
                for show, episodes in by_show.items()
            }
        )

    def merge(self, other: Progress) -> Progress:
        """Viewings and removals as sets, the later unmark, each mark newest first:
        commutative, associative, idempotent.

        The result has the later epoch; a side with an earlier one brings only what it
        logged or changed after that replace.
        """
        base, incoming = (other, self) if _is_later(other.epoch, self.epoch) else (self, other)
        cutoff = base.epoch if incoming.epoch != base.epoch else None
        changes: dict[str, ShowState] = {}
        for show, theirs in incoming._shows.items():
            mine = base._shows.get(show)
            if theirs is mine:
                continue  # the same state: nothing to merge
            if cutoff is not None:
                theirs = theirs.after(cutoff)
                if theirs.is_empty():
                    continue
            merged = theirs if mine is None else mine.merge(theirs)
            if merged is not mine:
                changes[show] = merged
        return base.with_shows(changes) if changes else base


def _is_later(epoch: dt.datetime | None, than: dt.datetime | None) -> bool:
    return epoch is not None and (than is None or epoch > than)


def far_future_keys(progress: Progress, now: dt.datetime) -> list[EpisodeKey]:
    """Episodes holding a time more than a day after `now`: a clock set wrong wrote them."""
    limit = now + SKEW_ALLOWED
    return sorted(
        {
            key
            for state in progress.shows.values()
            for key, moment in state.times()
            if key is not None and moment > limit
        }
    )


# --- Changes ---------------------------------------------------------------------

_TICK = dt.timedelta(microseconds=1)
_END_OF_TIME = dt.datetime.max.replace(tzinfo=dt.UTC)


def stamp_after(now: dt.datetime, *floors: dt.datetime | None) -> dt.datetime:
    """A change always wins over what it replaces, and survives the last replace, even if
    the clock stood still or stepped back: it is stamped at least a microsecond after
    every floor given (the replaced state's times, the epoch). At the end of time it
    stays there rather than overflow."""
    floor = max((moment for moment in floors if moment is not None), default=None)
    if floor is not None and now <= floor:
        return floor + _TICK if floor < _END_OF_TIME else _END_OF_TIME
    return now


def new_viewing_id() -> str:
    # What secrets.token_hex(8) returns, without importing secrets (and hmac) at start.
    return os.urandom(8).hex()


def _latest_time(state: EpisodeState | None) -> dt.datetime | None:
    if state is None:
        return None
    times = [v.logged_at for v in state.viewings.values()]
    if state.cleared_at is not None:
        times.append(state.cleared_at)
    return max(times, default=None)


def _with_viewings(state: EpisodeState | None, viewings: Iterable[Viewing]) -> EpisodeState:
    state = state or EpisodeState()
    return state._replace(viewings={**state.viewings, **{v.id: v for v in viewings}})


def mark_watched(
    progress: Progress,
    keys: Iterable[EpisodeKey],
    now: dt.datetime,
    watched_at: dt.datetime | None = None,
) -> Progress:
    """Log one new viewing of each episode; watching a watched one again is a rewatch.
    `watched_at` defaults to the time it is logged."""
    changes: dict[EpisodeKey, EpisodeState] = {}
    for key in keys:
        state = changes.get(key) or progress.episode_state(key)
        logged_at = stamp_after(now, _latest_time(state), progress.epoch)
        viewing = Viewing(new_viewing_id(), watched_at or logged_at, logged_at)
        changes[key] = _with_viewings(state, [viewing])
    return progress.with_episodes(changes)


def mark_unwatched(progress: Progress, keys: Iterable[EpisodeKey], now: dt.datetime) -> Progress:
    """Unmark episodes: an unmark after every viewing logged so far, kept with its time so no
    merge with an older copy brings them back."""
    changes: dict[EpisodeKey, EpisodeState] = {}
    for key in keys:
        state = progress.episode_state(key)
        if state is None or not state.live():
            continue
        cleared_at = stamp_after(now, _latest_time(state), progress.epoch)
        changes[key] = state._replace(cleared_at=cleared_at)
    return progress.with_episodes(changes)


def remove_viewing(
    progress: Progress, key: EpisodeKey, viewing_id: str, now: dt.datetime
) -> Progress:
    """Take one viewing away (a tombstone by id, so no merge brings it back); the others
    stay. `now` is unused: a removal needs no time. A viewing not live (removed, or
    unmarked since) is left as it is."""
    del now
    state = progress.episode_state(key)
    viewing = state.viewings.get(viewing_id) if state is not None else None
    if state is None or viewing is None or not state.is_live(viewing):
        return progress
    return progress.with_episodes({key: state._replace(removed=state.removed | {viewing_id})})


class MarkPlace(NamedTuple):
    """Which mark: a show's "status", "archived" or "rating", or a season's or episode's
    "rating"."""

    show: str
    kind: str
    season: int | None = None
    episode: int | None = None


def get_mark(progress: Progress, place: MarkPlace) -> Mark | None:
    state = progress.show_state(place.show)
    if place.kind == "status":
        return state.status
    if place.kind == "archived":
        return state.archived
    if place.episode is not None:
        assert place.season is not None
        episode = state.episodes.get(EpisodeKey(place.show, place.season, place.episode))
        return episode.rating if episode is not None else None
    if place.season is not None:
        return state.seasons.get(place.season)
    return state.rating


def put_mark(progress: Progress, place: MarkPlace, value: object, now: dt.datetime) -> Progress:
    """Set one mark, stamped after the one it replaces and the last replace."""
    before = get_mark(progress, place)
    mark = Mark(
        value,  # type: ignore[arg-type]
        stamp_after(now, before.changed_at if before else None, progress.epoch),
    )
    state = progress.show_state(place.show)
    if place.episode is not None:
        assert place.season is not None
        key = EpisodeKey(place.show, place.season, place.episode)
        episode = state.episodes.get(key) or EpisodeState()
        return progress.with_episodes({key: episode._replace(rating=mark)})
    if place.kind == "rating" and place.season is not None:
        changed = state.replace(seasons={**state.seasons, place.season: mark})
    else:
        changed = state.replace(**{place.kind: mark})
    return progress.with_shows({place.show: changed})


def set_status(progress: Progress, show: str, status: str | None, now: dt.datetime) -> Progress:
    """Set a show's list status by hand; None sets it back to derived from progress."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}: choose one of {', '.join(STATUSES)}")
    return put_mark(progress, MarkPlace(show, "status"), status, now)


def set_archived(progress: Progress, show: str, archived: bool, now: dt.datetime) -> Progress:
    """Archive a show (hidden from the lists) or bring it back."""
    return put_mark(progress, MarkPlace(show, "archived"), archived, now)


def set_rating(
    progress: Progress,
    show: str,
    rating: int | None,
    now: dt.datetime,
    season: int | None = None,
    episode: int | None = None,
) -> Progress:
    """Rate a show, a season or an episode 1 to 10; None clears the rating."""
    if episode is not None and season is None:
        raise ValueError("an episode's rating needs its season")
    if rating is not None and (
        isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS
    ):
        raise ValueError(f"a rating is a whole number from 1 to 10, not {rating!r}")
    return put_mark(progress, MarkPlace(show, "rating", season, episode), rating, now)


# --- Undo ------------------------------------------------------------------------


class Change(NamedTuple):
    """One change by the user, as undo needs it."""

    added: tuple[tuple[EpisodeKey, str], ...] = ()
    """Viewings it logged, by episode and id."""
    taken: tuple[tuple[EpisodeKey, Viewing], ...] = ()
    """Viewings it took away (by an unmark or a removal)."""
    marks: tuple[tuple[MarkPlace, Mark | None, Mark | None], ...] = ()
    """Marks it set: where, before, after."""

    def episodes(self) -> list[EpisodeKey]:
        """The episodes it touched, sorted."""
        keys = {key for key, _ in self.added} | {key for key, _ in self.taken}
        keys |= {
            EpisodeKey(place.show, place.season, place.episode)
            for place, _, _ in self.marks
            if place.season is not None and place.episode is not None
        }
        return sorted(keys)

    def __bool__(self) -> bool:
        return bool(self.added or self.taken or self.marks)

    def renamed(self, ids: Mapping[str, str]) -> Change:
        """The same change, naming viewings an undo gave back by their new ids."""
        if not ids:
            return self
        return self._replace(
            added=tuple((key, ids.get(i, i)) for key, i in self.added),
            taken=tuple(
                (key, v._replace(id=ids[v.id]) if v.id in ids else v) for key, v in self.taken
            ),
        )


def change_between(
    before: Progress,
    after: Progress,
    keys: Iterable[EpisodeKey] = (),
    marks: Iterable[MarkPlace] = (),
) -> Change:
    """What turned `before` into `after` at these episodes and marks."""
    added: list[tuple[EpisodeKey, str]] = []
    taken: list[tuple[EpisodeKey, Viewing]] = []
    for key in dict.fromkeys(keys):
        old = before.episode_state(key) or EpisodeState()
        new = after.episode_state(key) or EpisodeState()
        added += [(key, i) for i in new.viewings if i not in old.viewings]
        taken += [(key, v) for v in old.live() if v.id in new.viewings and not new.is_live(v)]
    changed = []
    for place in dict.fromkeys(marks):
        old_mark, new_mark = get_mark(before, place), get_mark(after, place)
        if old_mark != new_mark:
            changed.append((place, old_mark, new_mark))
    return Change(tuple(added), tuple(taken), tuple(changed))


def undo_change(progress: Progress, change: Change, now: dt.datetime) -> Progress:
    """Take a change back as a new change to the current state, so what other programs did
    since stays: a viewing it logged is removed; viewings it took away come back (as new
    viewings, with their times, logged now); a mark it set goes back to what it was,
    unless changed since."""
    return undo_change_renaming(progress, change, now)[0]


def undo_change_renaming(
    progress: Progress, change: Change, now: dt.datetime
) -> tuple[Progress, dict[str, str]]:
    """`undo_change`, plus the new id of each viewing it gave back, by its old id: earlier
    changes still to undo name the old one (see `Change.renamed`)."""
    for key, viewing_id in change.added:
        progress = remove_viewing(progress, key, viewing_id, now)
    restored: dict[EpisodeKey, list[Viewing]] = {}
    for key, viewing in change.taken:
        restored.setdefault(key, []).append(viewing)
    changes: dict[EpisodeKey, EpisodeState] = {}
    renamed: dict[str, str] = {}
    for key, viewings in restored.items():
        state = progress.episode_state(key)
        logged_at = stamp_after(now, _latest_time(state), progress.epoch)
        again = [Viewing(new_viewing_id(), v.watched_at, logged_at) for v in viewings]
        renamed.update((old.id, new.id) for old, new in zip(viewings, again, strict=True))
        changes[key] = _with_viewings(state, again)
    progress = progress.with_episodes(changes)
    for place, before, after in change.marks:
        # By value, not time: an undo of a later change to the same mark restamps it.
        if _value(get_mark(progress, place)) == _value(after):  # else theirs stays
            progress = put_mark(progress, place, _value(before), now)
    return progress, renamed


def _value(mark: Mark | None) -> object:
    return None if mark is None else mark.value


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
