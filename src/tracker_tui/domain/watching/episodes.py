"""What a user's progress means for a show's episodes: which are offered, next up, the
show's watch status, and progress the catalog has no place for."""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property, partial

from tracker_tui.domain.catalog.models import ReleaseState, Season, Show
from tracker_tui.domain.progress.records import EpisodeKey, Progress
from tracker_tui.domain.watching.episode_specs import EpisodeSpec, EpisodeSpecError

Marks = tuple[Set[int], Set[int]]
"""Of one season: the episodes the user has a record for, and those watched."""


class SeasonEpisodes:
    """One season's episodes as the panes, the commands and the session all see them.

    Each answer is worked out on first use, and the user's records are read only for an
    answer that needs them: a released season with a known count needs none, so `next`
    over a library of 1,000 shows never scans their records.
    """

    def __init__(self, show: Show, season: Season, marks: Callable[[], Marks]) -> None:
        self._season = season
        self._marks = marks
        self._count = show.tracked_count(season)
        yours = show.your_season(season.number)
        self._your_named = () if yours is None else tuple(e.number for e in yours.episodes)

    @cached_property
    def open_for_tracking(self) -> bool:
        """Released, or the user has already watched episodes of it as they air. A season
        whose status nobody reported (a show the user added) is theirs to track."""
        state = self._season.current_status.state
        released = state in (ReleaseState.RELEASED, ReleaseState.UNKNOWN)
        return released or bool(self._marks()[1])

    @property
    def watched(self) -> Set[int]:
        """The season's watched episode numbers (read from the user's records)."""
        return self._marks()[1]

    @property
    def count(self) -> int | None:
        """The episode count tracking uses: the user's own where they gave one (for a
        bundled show, from its overlay), else the cited one; None: unknown."""
        return self._count

    @cached_property
    def known(self) -> tuple[int, ...]:
        """Episodes known to exist: 1 to the episode count; without a count, those the
        catalog lists and those the user has watched."""
        count = self._count
        if count is not None:
            return tuple(range(1, count + 1))
        return tuple(sorted(self._named() | self._marks()[1]))

    @cached_property
    def upcoming(self) -> int | None:
        """Without an episode count, the episode after the last known one: offered so the
        user can keep up as it airs ("next to air"), or before release ("not released
        yet"). None when the count is known."""
        if self._count is not None:
            return None
        return max(self.known, default=0) + 1

    @cached_property
    def listed(self) -> tuple[int, ...]:
        """What `tracker show` lists: the episodes the catalog names and any the user has a
        record for (watched or not), up to a known count."""
        count = self._count
        recorded = self._marks()[0]
        kept = recorded if count is None else {n for n in recorded if n <= count}
        return tuple(sorted(self._named() | kept))

    @property
    def offered(self) -> tuple[int, ...]:
        """The show pane's rows: every known episode, then the upcoming one."""
        return self.known if self.upcoming is None else (*self.known, self.upcoming)

    @property
    def counted(self) -> tuple[int, ...]:
        """What progress counts (bars, `watched/known`): the known episodes, once the season
        has an episode count or is open for tracking."""
        return self.known if self.upcoming is None or self.open_for_tracking else ()

    @property
    def in_watching_order(self) -> tuple[int, ...]:
        """What watching through the show runs over (next, mark-up-to): the counted
        episodes, then the upcoming one of a season open for tracking."""
        if self.upcoming is None or not self.open_for_tracking:
            return self.counted
        return (*self.counted, self.upcoming)

    def _named(self) -> set[int]:
        return {episode.number for episode in self._season.episodes} | set(self._your_named)


def season_episodes(show: Show, season: Season, progress: Progress) -> SeasonEpisodes:
    """The one rule for which episodes of a season are offered, counted and upcoming."""
    return seasons_in_order(show, progress, only=season.number)[0][1]


def seasons_in_order(
    show: Show, progress: Progress, *, only: int | None = None
) -> list[tuple[Season, SeasonEpisodes]]:
    """Every season by number (or the one numbered `only`) with its episodes. The show's
    records are read at most once, and only if an answer needs them."""
    every_season = cache(partial(_marks_by_season, show, progress))

    def marks_of(number: int) -> Marks:
        return every_season().get(number, _NO_MARKS)

    return [
        (season, SeasonEpisodes(show, season, partial(marks_of, season.number)))
        for season in sorted(show.seasons, key=lambda season: season.number)
        if only is None or season.number == only
    ]


_NO_MARKS: Marks = (frozenset(), frozenset())


def _marks_by_season(show: Show, progress: Progress) -> dict[int, Marks]:
    marks: dict[int, tuple[set[int], set[int]]] = {}
    for key, record in progress.show_records(show.id).items():
        season = marks.get(key.season)
        if season is None:  # not setdefault: that would make two sets per episode
            season = marks[key.season] = (set(), set())
        season[0].add(key.episode)
        if record.watched:
            season[1].add(key.episode)
    return dict(marks)


def _first_unwatched(show: Show, seasons: list[tuple[Season, SeasonEpisodes]]) -> EpisodeKey | None:
    for season, episodes in seasons:
        if not episodes.open_for_tracking:
            continue
        watched = episodes.watched
        for number in episodes.in_watching_order:
            if number not in watched:
                return EpisodeKey(show.id, season.number, number)
    return None


def next_unwatched(show: Show, progress: Progress) -> EpisodeKey | None:
    """The first unwatched episode of a season open for tracking, in season order."""
    return _first_unwatched(show, seasons_in_order(show, progress))


def resolve_spec(show: Show, spec: EpisodeSpec, progress: Progress) -> list[EpisodeKey]:
    """The episodes a spec names, checked against the catalog."""
    if spec.is_next:
        key = next_unwatched(show, progress)
        if key is None:
            raise EpisodeSpecError(f"{show.title} has no unwatched released episode")
        return [key]
    assert spec.season is not None
    season = show.season(spec.season)
    if season is None:
        known = ", ".join(f"s{s.number}" for s in show.seasons) or "none"
        raise EpisodeSpecError(f"{show.title} has no season {spec.season} (seasons: {known})")
    count = show.tracked_count(season)
    if spec.whole_season:
        if count is None:
            raise EpisodeSpecError(
                f"season {season.number} of {show.title} has no known episode count; "
                f"name the episodes, like s{season.number}e1-3"
            )
        first, last = 1, count
    else:
        assert spec.first is not None and spec.last is not None
        first, last = spec.first, spec.last
        if count is not None and last > count:
            raise EpisodeSpecError(
                f"season {season.number} of {show.title} has {count} episodes; "
                f"there is no episode {last}"
            )
    return [EpisodeKey(show.id, season.number, n) for n in range(first, last + 1)]


def tracking_warning(show: Show, keys: Sequence[EpisodeKey], progress: Progress) -> str | None:
    """Why marking these episodes needs the user's say-so, or None when it is plainly fine.

    A typo such as s1e1000000 in a season with no known count, or an episode of a
    season not yet released, would otherwise become the user's "next" for good.
    """
    seasons: dict[int, tuple[Season, SeasonEpisodes] | None] = {}
    doubtful: list[str] = []
    for key in keys:
        if key.season not in seasons:
            season = show.season(key.season)
            seasons[key.season] = (
                None if season is None else (season, season_episodes(show, season, progress))
            )
        found = seasons[key.season]
        if found is None:
            continue
        season, episodes = found
        if not episodes.open_for_tracking:
            state = season.current_status.state.label
            return f"{show.title} season {season.number} is not released yet ({state})"
        if episodes.upcoming is None or key.episode <= episodes.upcoming:
            continue
        last = episodes.upcoming - 1
        if last:
            doubtful.append(f"{key.code()} is far past the last known episode (E{last})")
        else:
            doubtful.append(
                f"{key.code()} is far past the first episode: "
                f"no episode of season {key.season} is known yet"
            )
    if not doubtful:
        return None
    more = f" (and {len(doubtful) - 1} more)" if len(doubtful) > 1 else ""
    return f"{show.title} {doubtful[0]}{more}"


class WatchStatus(StrEnum):
    NOT_STARTED = "not started"
    WATCHING = "watching"
    COMPLETED = "completed"
    UP_TO_DATE = "up to date"


@dataclass(frozen=True)
class ShowProgress:
    """A show's progress in numbers, for tables and progress bars."""

    watched: int
    known: int
    status: WatchStatus
    next_episode: EpisodeKey | None
    total_known: bool
    """False when a season open for tracking has no episode count: `known` is then only
    the episodes known so far, a lower bound, and no percent of it is the truth (show it
    as `21/21+`). A season not released yet counts nothing, so leaves it True."""

    @property
    def percent(self) -> int:
        """Of the known episodes; of a lower bound when `total_known` is False."""
        return round(100 * self.watched / self.known) if self.known else 0


def show_progress(show: Show, progress: Progress) -> ShowProgress:
    seasons = seasons_in_order(show, progress)
    watched = known = 0
    total_known = True
    for _, episodes in seasons:
        counted = episodes.counted
        known += len(counted)
        if episodes.count is None and episodes.open_for_tracking:
            total_known = False
        if counted:
            watched_here = episodes.watched
            watched += sum(number in watched_here for number in counted)
    next_episode = _first_unwatched(show, seasons)
    if watched == 0:
        status = WatchStatus.NOT_STARTED
    elif next_episode is not None:
        status = WatchStatus.WATCHING
    elif all(
        season.current_status.state in (ReleaseState.RELEASED, ReleaseState.UNKNOWN)
        and show.tracked_count(season) is not None
        for season in show.seasons
    ):
        status = WatchStatus.COMPLETED
    else:
        status = WatchStatus.UP_TO_DATE
    return ShowProgress(watched, known, status, next_episode, total_known)


def orphaned_keys(shows: list[Show], progress: Progress) -> list[EpisodeKey]:
    """Progress the catalog has no place for: kept on disk, reported, never dropped."""
    by_id = {show.id: show for show in shows}
    return [key for key in sorted(progress.records) if not _has_place(by_id.get(key.show), key)]


def show_orphans(show: Show, progress: Progress) -> list[EpisodeKey]:
    """This show's progress for seasons or episodes the catalog does not have."""
    return [key for key in sorted(progress.show_records(show.id)) if not _has_place(show, key)]


def _has_place(show: Show | None, key: EpisodeKey) -> bool:
    season = None if show is None else show.season(key.season)
    if season is None:
        return False
    count = show.tracked_count(season) if show is not None else None
    return count is None or key.episode <= count


DERIVED_LIST_STATUS: dict[WatchStatus, str] = {
    WatchStatus.NOT_STARTED: "plan-to-watch",
    WatchStatus.WATCHING: "watching",
    WatchStatus.UP_TO_DATE: "watching",
    WatchStatus.COMPLETED: "completed",
}
"""The list status progress implies when the user has not set one: nothing watched is
"plan to watch", caught up with a show still airing is still "watching"."""


def derived_list_status(show: Show, progress: Progress, summary: ShowProgress | None = None) -> str:
    """The list status the show's progress implies, whatever the user set by hand."""
    summary = summary if summary is not None else show_progress(show, progress)
    return DERIVED_LIST_STATUS[summary.status]


def list_status(
    show: Show, progress: Progress, summary: ShowProgress | None = None
) -> tuple[str, bool]:
    """The show's list status (one of records.STATUSES) and whether the user set it by
    hand: a hand-set status wins until set back to automatic, else it is derived from
    progress. Pass the show's `summary` if already worked out, to save a second count."""
    chosen = progress.status(show.id)
    if chosen is not None:
        return chosen, True
    return derived_list_status(show, progress, summary), False


def status_label(status: str) -> str:
    """How a list status reads to a person: "on-hold" is "on hold"."""
    return status.replace("-", " ")
