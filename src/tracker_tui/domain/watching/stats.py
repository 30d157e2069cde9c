"""Numbers about a user's watching: a year's heatmap, totals, streaks, ratings, stalled shows.

`compute_stats` walks every live viewing once and returns a frozen `Stats`, which both
`tracker stats` and the app's stats screen draw (`Stats.to_json()` is the command's JSON).
Days are the user's local dates (`datetime.astimezone()`); a viewing whose time is not
known (an import) counts in the totals but has no day, so it is on no heatmap or streak.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.progress.model import ShowState
from tracker_tui.domain.progress.reading import format_time
from tracker_tui.domain.progress.records import RATINGS, STATUSES, Mark, Progress, Viewing
from tracker_tui.domain.watching.episodes import (
    DERIVED_LIST_STATUS,
    WatchStatus,
    list_status,
    show_progress,
)

UNKNOWN_KIND = "unknown"
"""The kind of a show that progress names but the catalog does not have."""

_EPOCH_DAY = dt.date(1970, 1, 1)

TOP_SHOWS = 10
"""How many shows `Stats.top_shows` holds."""

QUICK_SHOWS = 50
"""`StatsTally.quick_stats` counts at most this many changed shows in the caller's thread
(a few milliseconds); more (an import, a first count) are for a worker thread."""


@dataclass(frozen=True)
class YearActivity:
    """One year's viewings by local day, week and month, for a heatmap and charts.

    `days[i]` is day `first_day + i` (January 1st first). Weeks run Monday to Sunday, as
    a heatmap's columns: week 0 is the one holding January 1st, so `weeks` has 53 or 54
    entries and its first and last weeks may be partly in other years (only this year's
    days are counted in them). `months[0]` is January.
    """

    year: int
    first_day: dt.date
    days: tuple[int, ...]
    weeks: tuple[int, ...]
    months: tuple[int, ...]

    @property
    def total(self) -> int:
        """Viewings with a known time on a local day of this year."""
        return sum(self.days)

    def week_of(self, day: dt.date) -> int:
        """The index in `weeks` (a heatmap's column) of a day of this year."""
        return ((day - self.first_day).days + self.first_day.weekday()) // 7


@dataclass(frozen=True)
class Streak:
    """Consecutive local days with at least one viewing; `days` 0: none (dates None)."""

    days: int
    first: dt.date | None = None
    last: dt.date | None = None


@dataclass(frozen=True)
class ShowCount:
    """One show's viewings (rewatches each counted) and distinct episodes watched."""

    show: str
    title: str
    viewings: int
    episodes: int


@dataclass(frozen=True)
class Completion:
    """A started show: episodes watched of those tracking counts (`show_progress`).

    `known` is None for a show the catalog does not have; `complete_count` is False when
    some season's episode count is unknown, so `known` is only the episodes known so far.
    """

    show: str
    title: str
    watched: int
    known: int | None
    complete_count: bool
    total_known: bool = True
    """False: a season open for tracking has no count (`ShowProgress.total_known`), so
    `known` is a lower bound and no percent of it is printed. `complete_count` is False
    then too, and also for a season of unknown count not yet released."""

    @property
    def percent(self) -> int | None:
        return round(100 * self.watched / self.known) if self.known else None

    @property
    def finished(self) -> bool:
        """Every episode watched, as far as anyone can tell: with a season's count unknown
        (imports leave them so) the show may go on, so it is never called finished; nor
        is a show that knows no episode at all (its viewings have no place in it)."""
        return self.complete_count and bool(self.known) and self.watched >= (self.known or 0)


@dataclass(frozen=True)
class StalledShow:
    """A show listed as watching whose latest viewing is older than the cut-off."""

    show: str
    title: str
    last_viewing: dt.datetime
    """The latest viewing's time (its logged time, if no viewing's time is known)."""
    weeks: int
    """Whole weeks since then."""


@dataclass(frozen=True)
class Ratings:
    """How many shows, seasons and episodes got each rating; index 0 is rating 1."""

    shows: tuple[int, ...]
    seasons: tuple[int, ...]
    episodes: tuple[int, ...]

    @property
    def together(self) -> tuple[int, ...]:
        return tuple(map(sum, zip(self.shows, self.seasons, self.episodes, strict=True)))


@dataclass(frozen=True)
class Stats:
    """Everything `compute_stats` works out. Totals are of all time; `year` is one year."""

    today: dt.date
    """The local date the stats were computed on (for `current_streak`)."""
    viewings: int
    """Every live viewing, rewatches each counted, times known or not."""
    episodes: int
    """Distinct episodes with at least one live viewing."""
    unknown_time: int
    """Viewings whose time is not known: counted above, on no heatmap or streak."""
    other_years: int
    """Viewings with a known time outside `year.year`."""
    first_watched: dt.date | None
    """The first local day with a viewing of known time (None: no such viewing), where a
    screen's years start."""
    last_watched: dt.date | None
    """The latest such day."""
    year: YearActivity
    per_status: Mapping[str, int]
    """Shows per list status (every status of `records.STATUSES`, archived shows left out)."""
    viewings_per_status: Mapping[str, int]
    """Viewings of the shows in each list status (archived shows' under "archived")."""
    per_kind: Mapping[str, int]
    """Viewings per show kind (`UNKNOWN_KIND` for shows not in the catalog)."""
    per_show: tuple[ShowCount, ...]
    """Every show with a viewing, most viewings first (then by title)."""
    ratings: Ratings
    current_streak: Streak
    """The run of days ending today, or yesterday if nothing was watched today yet."""
    longest_streak: Streak
    """The longest run (the latest of equal ones)."""
    completion: tuple[Completion, ...]
    """Every started show (one with a viewing), by title."""
    stalled: tuple[StalledShow, ...]
    """Watching shows not watched for more than `stalled_weeks`, longest stalled first."""
    stalled_weeks: int

    @property
    def rewatches(self) -> int:
        """Viewings beyond an episode's first."""
        return self.viewings - self.episodes

    @property
    def has_viewings(self) -> bool:
        """False: nothing watched yet, and the screen should say how to start."""
        return self.viewings > 0

    @property
    def year_has_data(self) -> bool:
        return self.year.total > 0

    @property
    def top_shows(self) -> tuple[ShowCount, ...]:
        return self.per_show[:TOP_SHOWS]

    def unknown_time_note(self) -> str | None:
        """What to say under a heatmap that leaves viewings out; None when none are."""
        if not self.unknown_time:
            return None
        if self.unknown_time == 1:
            return "1 viewing with no known time is not on the heatmap"
        return f"{self.unknown_time:,} viewings with no known time are not on the heatmap"

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape of `tracker stats --json` (README, `tracker help json`)."""
        year = self.year
        return {
            "today": self.today.isoformat(),
            "totals": {
                "viewings": self.viewings,
                "episodes": self.episodes,
                "rewatches": self.rewatches,
                "unknown_time": self.unknown_time,
                "per_status": dict(self.per_status),
                "viewings_per_status": dict(self.viewings_per_status),
                "per_kind": dict(self.per_kind),
            },
            "year": {
                "year": year.year,
                "viewings": year.total,
                "other_years": self.other_years,
                "first_day": year.first_day.isoformat(),
                "days": list(year.days),
                "weeks": list(year.weeks),
                "months": list(year.months),
            },
            "streaks": {
                "current": _streak_json(self.current_streak),
                "longest": _streak_json(self.longest_streak),
            },
            "shows": [
                {
                    "show": count.show,
                    "title": count.title,
                    "viewings": count.viewings,
                    "episodes": count.episodes,
                }
                for count in self.per_show
            ],
            "ratings": {
                "shows": list(self.ratings.shows),
                "seasons": list(self.ratings.seasons),
                "episodes": list(self.ratings.episodes),
            },
            "completion": [
                {
                    "show": item.show,
                    "title": item.title,
                    "watched": item.watched,
                    "known": item.known,
                    "complete_count": item.complete_count,
                    "total_known": item.total_known,
                    "percent": item.percent,
                }
                for item in self.completion
            ],
            "stalled_weeks": self.stalled_weeks,
            "stalled": [
                {
                    "show": item.show,
                    "title": item.title,
                    "last_viewing": format_time(item.last_viewing),
                    "weeks": item.weeks,
                }
                for item in self.stalled
            ],
        }


def _streak_json(streak: Streak) -> dict[str, Any]:
    return {
        "days": streak.days,
        "first": streak.first.isoformat() if streak.first else None,
        "last": streak.last.isoformat() if streak.last else None,
    }


def compute_stats(
    shows: Iterable[Show],
    progress: Progress,
    now: dt.datetime,
    year: int | None = None,
    stalled_weeks: int = 4,
) -> Stats:
    """The stats of `progress` at `now` (aware), for `year` (default: now's local year),
    counted from scratch (`tracker stats`; the app keeps a `StatsTally` instead)."""
    return StatsTally().stats(shows, progress, now, year, stalled_weeks)


class StatsTally:
    """Stats kept counted across changes, for an app that shows them again and again.

    Each show's part (its viewings' times, ratings, completion, list status) is kept with
    the very show state and catalog show it was counted from; a change to progress makes
    new states only for the shows it touches (records.py), so `update` counts those
    alone, and moves their viewings between the local days it keeps: a mark is one
    show's count and one day's, not 50,000 viewings again. `stats` then puts the numbers
    together, a pass over the shows and the watched days. Threads may share a tally (the
    app counts ahead in one, the stats screen in another): one counts at a time.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._shows: dict[str, _ShowCounts] = {}
        self._days: dict[int, int] = {}
        """Live viewings of known time per local day (days since 1970-01-01), none 0."""
        self._zone: object = None
        """The local time zone `_days` were counted in (None: not counted yet)."""
        self._stalled: dict[str, StalledShow] = {}
        """Each show last found stalled, by id (see `_stalled_show`)."""

    def update(
        self,
        shows: Iterable[Show],
        progress: Progress,
        *,
        keep_going: Callable[[], bool] | None = None,
    ) -> None:
        """Count what changed since the last update. `keep_going`, for counting ahead in
        the background: asked after each show, once other threads had their turn (a key
        must not wait for the count); False stops there, the rest left for the next count
        (an app quitting must not wait for it either)."""
        by_show = {show.id: show for show in shows}
        with self._lock:
            self._update(by_show, progress, keep_going)

    def stats(
        self,
        shows: Iterable[Show],
        progress: Progress,
        now: dt.datetime,
        year: int | None = None,
        stalled_weeks: int = 4,
    ) -> Stats:
        """The stats of `progress` at `now` (aware), for `year` (default: now's local year)."""
        by_show = {show.id: show for show in shows}
        with self._lock:
            self._update(by_show, progress)
            return self._assemble(by_show, now, year, stalled_weeks)

    def quick_stats(
        self,
        shows: Iterable[Show],
        progress: Progress,
        now: dt.datetime,
        year: int | None = None,
        stalled_weeks: int = 4,
    ) -> Stats | None:
        """`stats` at once if little is left to count (at most `QUICK_SHOWS` shows changed
        since the last count) and no other thread is counting; None: count in a thread."""
        by_show = {show.id: show for show in shows}
        if not self._lock.acquire(blocking=False):
            return None
        try:
            if self._changed_shows(by_show, progress) > QUICK_SHOWS:
                return None
            self._update(by_show, progress)
            return self._assemble(by_show, now, year, stalled_weeks)
        finally:
            self._lock.release()

    def _changed_shows(self, by_show: Mapping[str, Show], progress: Progress) -> int:
        """How many shows `_update` would count (every one, in another time zone)."""
        states = progress.shows
        if _local_zone() != self._zone:
            return len(states)
        counted = self._shows
        changed = len(counted.keys() - states.keys())
        for show_id, state in states.items():
            old = counted.get(show_id)
            if old is None or old.state is not state or old.show is not by_show.get(show_id):
                changed += 1
        return changed

    def _update(
        self,
        by_show: Mapping[str, Show],
        progress: Progress,
        keep_going: Callable[[], bool] | None = None,
    ) -> None:
        """Each show counted again if its state or catalog show is another; its days
        moved, or every day counted again in another zone. Stopped by `keep_going`, what
        is kept is still whole: the shows counted so far and their days (or no days yet)."""
        zone = _local_zone()
        recount_days = zone != self._zone
        states = progress.shows
        for show_id, state in states.items():
            show = by_show.get(show_id)
            old = self._shows.get(show_id)
            if old is not None and old.state is state and old.show is show:
                continue
            counts = _count_show(show_id, state, show, progress)
            self._shows[show_id] = counts
            if not recount_days and (old is None or old.stamps != counts.stamps):
                if old is not None:
                    self._move_days(old.stamps, -1)
                self._move_days(counts.stamps, 1)
            if keep_going is not None:
                time.sleep(0)  # gives up the GIL: a key waits a show, not a switch interval
                if not keep_going():
                    return
        for show_id in self._shows.keys() - states.keys():
            gone = self._shows.pop(show_id)
            if not recount_days:
                self._move_days(gone.stamps, -1)
        if recount_days:
            stamps = [stamp for counts in self._shows.values() for stamp in counts.stamps]
            self._days = dict(_local_days(stamps))
            self._zone = zone

    def _stalled_show(self, count: ShowCount, latest: dt.datetime, now: dt.datetime) -> StalledShow:
        """The show as stalled since `latest`: the one made last time if it still holds (a
        heavy library has hundreds, and making them was a third of putting stats together)."""
        weeks = (now - latest).days // 7
        item = self._stalled.get(count.show)
        wanted = (latest, weeks, count.title)
        if item is None or (item.last_viewing, item.weeks, item.title) != wanted:
            item = self._stalled[count.show] = StalledShow(count.show, count.title, latest, weeks)
        return item

    def _move_days(self, stamps: tuple[float, ...], sign: int) -> None:
        """Add (sign 1) or take away (-1) these viewing times' local days."""
        days = self._days
        for day, on_day in _local_days(list(stamps)).items():
            left = days.get(day, 0) + sign * on_day
            if left:
                days[day] = left
            else:
                del days[day]

    def _assemble(
        self,
        by_show: Mapping[str, Show],
        now: dt.datetime,
        year: int | None,
        stalled_weeks: int,
    ) -> Stats:
        """The counted shows and days as `Stats`: a pass over shows and days, not viewings."""
        today = now.astimezone().date()
        year = today.year if year is None else year
        per_status = dict.fromkeys(STATUSES, 0)
        viewings_per_status = dict.fromkeys((*STATUSES, "archived"), 0)
        per_kind: Counter[str] = Counter()
        ratings = ([0] * len(RATINGS), [0] * len(RATINGS), [0] * len(RATINGS))
        started: list[_ShowCounts] = []
        counted = self._shows
        viewings = episodes = unknown_time = 0
        for counts in counted.values():
            if counts.has_ratings:
                for tally, values in zip(ratings, counts.ratings, strict=True):
                    for value in values:
                        tally[value - RATINGS[0]] += 1
            if not counts.archived:
                per_status[counts.status] = per_status.get(counts.status, 0) + 1
            if counts.completion is None:
                continue
            viewings += counts.viewings
            episodes += counts.episodes
            unknown_time += counts.unknown_time
            started.append(counts)
            status = "archived" if counts.archived else counts.status
            viewings_per_status[status] = viewings_per_status.get(status, 0) + counts.viewings
            per_kind[counts.kind] += counts.viewings
        # A catalog show with no state is not started, and its status is the derived one.
        unstarted = sum(1 for show_id in by_show if show_id not in counted)
        if unstarted:
            status = _unstarted_status(None)[0]
            per_status[status] = per_status.get(status, 0) + unstarted
        started.sort(key=attrgetter("rank"))

        cutoff = now - dt.timedelta(weeks=stalled_weeks)
        stalled = [
            (latest, counts.rank[1], place, counts.count)
            for place, counts in enumerate(started)
            if counts.status == "watching"
            and not counts.archived
            and (latest := counts.latest) is not None
            and latest < cutoff
        ]
        stalled.sort()  # by time, then title, then as in `per_show`

        watched_days = self._days
        activity, in_year = _year_activity(watched_days, year)
        current, longest = _streaks(set(watched_days), (today - _EPOCH_DAY).days)
        return Stats(
            today=today,
            viewings=viewings,
            episodes=episodes,
            unknown_time=unknown_time,
            other_years=viewings - unknown_time - in_year,
            first_watched=_as_date(min(watched_days)) if watched_days else None,
            last_watched=_as_date(max(watched_days)) if watched_days else None,
            year=activity,
            per_status=per_status,
            viewings_per_status=viewings_per_status,
            per_kind=dict(sorted(per_kind.items(), key=lambda item: (-item[1], item[0]))),
            per_show=tuple(counts.count for counts in started),
            ratings=Ratings(*map(tuple, ratings)),
            current_streak=current,
            longest_streak=longest,
            completion=tuple(
                counts.completion
                for counts in sorted(started, key=attrgetter("title_order"))
                if counts.completion is not None
            ),
            stalled=tuple(
                self._stalled_show(count, latest, now) for latest, _, _, count in stalled
            ),
            stalled_weeks=stalled_weeks,
        )


def _local_zone() -> object:
    """What names the process's local time zone (it changes with TZ and `time.tzset()`)."""
    return (os.environ.get("TZ"), time.tzname, time.timezone, time.altzone)


def _year_activity(watched_days: Mapping[int, int], year: int) -> tuple[YearActivity, int]:
    """A year's days, weeks and months from the viewings per local day, and its total."""
    first_day = dt.date(year, 1, 1)
    first_number = (first_day - _EPOCH_DAY).days
    length = (dt.date(year + 1, 1, 1) - first_day).days
    days = [watched_days.get(first_number + index, 0) for index in range(length)]
    weeks = [0] * (((length - 1 + first_day.weekday()) // 7) + 1)
    months = [0] * 12
    for index, on_day in enumerate(days):
        if on_day:
            weeks[(index + first_day.weekday()) // 7] += on_day
            months[(first_day + dt.timedelta(days=index)).month - 1] += on_day
    activity = YearActivity(year, first_day, tuple(days), tuple(weeks), tuple(months))
    return activity, sum(days)


_REAL_LOG_TIMES = dt.datetime(1971, 1, 1, tzinfo=dt.UTC)
"""An import logs what it cannot date at the Unix epoch: no time to call a show stalled by.
A show whose viewings are all like that is never stalled."""


@dataclass(frozen=True)
class _ShowCounts:
    """What one show's state adds to the stats, whatever the year or the zone, with the
    very state and catalog show it was counted from."""

    state: ShowState
    show: Show | None
    viewings: int
    episodes: int
    unknown_time: int
    stamps: tuple[float, ...]
    """The live viewings' times where known, as POSIX timestamps, in order."""
    latest: dt.datetime | None
    """The latest viewing: its time, or when logged if no time is known (not at the epoch)."""
    ratings: tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]
    """The show's rating, its seasons', its episodes' (valid ones only)."""
    status: str
    """Its list status (`records.STATUSES`)."""
    archived: bool
    kind: str
    """Its kind (`UNKNOWN_KIND` if the catalog does not have it)."""
    count: ShowCount
    completion: Completion | None
    """None: not started (no live viewing), so in no per-show list."""
    has_ratings: bool
    rank: tuple[int, str, str]
    """Where it stands in `Stats.per_show`: most viewings first, then by title."""
    title_order: tuple[str, str]
    """Where it stands in `Stats.completion`: by title."""


def _count_show(
    show_id: str, state: ShowState, show: Show | None, progress: Progress
) -> _ShowCounts:
    """One pass over the show's episodes and viewings; its status and completion once."""
    episode_ratings: list[int] = []
    viewings = episodes = unknown_time = 0
    known: list[dt.datetime] = []
    latest: dt.datetime | None = None  # a viewing with no known time: when logged
    for episode in state.episodes.values():
        if episode.rating is not None:
            episode_ratings += _valid_rating(episode.rating)
        live: Collection[Viewing] = episode.viewings.values()
        if episode.removed or episode.cleared_at is not None:
            live = [viewing for viewing in live if episode.is_live(viewing)]
        if not live:
            continue
        viewings += len(live)
        episodes += 1
        for viewing in live:
            watched_at = viewing.watched_at
            if watched_at is not None:
                known.append(watched_at)
            else:
                unknown_time += 1
                logged = viewing.logged_at
                if logged >= _REAL_LOG_TIMES and (latest is None or logged > latest):
                    latest = logged
    if known:
        latest_known = max(known)
        if latest is None or latest_known > latest:
            latest = latest_known
    ratings = (
        _valid_rating(state.rating),
        tuple(rating for mark in state.seasons.values() for rating in _valid_rating(mark)),
        tuple(episode_ratings),
    )
    title = show.title if show is not None else show_id
    # A show with no records is not started: no need to count its episodes.
    summary = show_progress(show, progress) if show is not None and state.records() else None
    if show is not None:
        status = (
            list_status(show, progress, summary)[0]
            if summary is not None
            else _unstarted_status(progress.status(show_id))[0]
        )
    else:
        chosen = progress.status(show_id)
        status = chosen if chosen is not None else "watching" if viewings else "plan-to-watch"
    completion = None
    if viewings:
        if show is None or summary is None:
            completion = Completion(show_id, title, episodes, None, False, total_known=False)
        else:
            complete = all(show.tracked_count(season) is not None for season in show.seasons)
            completion = Completion(
                show_id, title, summary.watched, summary.known, complete, summary.total_known
            )
    return _ShowCounts(
        state=state,
        show=show,
        viewings=viewings,
        episodes=episodes,
        unknown_time=unknown_time,
        stamps=tuple(sorted(map(dt.datetime.timestamp, known))),
        latest=latest,
        ratings=ratings,
        status=status,
        archived=progress.is_archived(show_id),
        kind=str(show.kind) if show is not None else UNKNOWN_KIND,
        count=ShowCount(show_id, title, viewings, episodes),
        completion=completion,
        has_ratings=any(ratings),
        rank=(-viewings, title.casefold(), show_id),
        title_order=(title.casefold(), show_id),
    )


def _valid_rating(mark: Mark | None) -> tuple[int, ...]:
    value = mark.value if mark is not None else None
    if isinstance(value, int) and not isinstance(value, bool) and value in RATINGS:
        return (value,)
    return ()


def _unstarted_status(chosen: str | None) -> tuple[str, bool]:
    """The list status of a show with no records: the user's, else the not-started one."""
    if chosen is not None:
        return chosen, True
    return DERIVED_LIST_STATUS[WatchStatus.NOT_STARTED], False


def _local_days(stamps: list[float]) -> Counter[int]:
    """How many of `stamps` (POSIX times; sorted here, in place) fall on each local day
    (days since 1970-01-01).

    Sorted, the times fall into runs of one local day each, and a run ends at the next
    local midnight, found by bisection: the zone is asked twice per day with a viewing,
    not once per viewing (astimezone() per time was a third of the stats' cost for
    50,000 viewings). A run whose last time is not on its first time's day (a clock
    going back over midnight) is taken one time at a time."""
    stamps.sort()  # runs already sorted show by show: quick
    counts: Counter[int] = Counter()
    start, end = 0, len(stamps)
    while start < end:
        day = dt.datetime.fromtimestamp(stamps[start]).date()
        stop = end
        if day < dt.date.max:
            midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time()).timestamp()
            stop = bisect.bisect_left(stamps, midnight, start + 1)
        if stop - start > 1 and dt.datetime.fromtimestamp(stamps[stop - 1]).date() != day:
            stop = start + 1
        counts[(day - _EPOCH_DAY).days] += stop - start
        start = stop
    return counts


def _as_date(day: int) -> dt.date:
    return _EPOCH_DAY + dt.timedelta(days=day)


def _streaks(watched_days: set[int], today: int) -> tuple[Streak, Streak]:
    """The current run (ending today or yesterday) and the longest run of watched days,
    days counted since 1970-01-01."""
    longest = Streak(0)
    for day in sorted(watched_days):
        if day - 1 in watched_days:
            continue  # not the first day of a run
        last = day
        while last + 1 in watched_days:
            last += 1
        if last - day + 1 >= longest.days:
            longest = Streak(last - day + 1, _as_date(day), _as_date(last))
    end = today if today in watched_days else today - 1
    if end not in watched_days:
        return Streak(0), longest
    first = end
    while first - 1 in watched_days:
        first -= 1
    return Streak(end - first + 1, _as_date(first), _as_date(end)), longest
