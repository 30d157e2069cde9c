"""What a user's progress means for a show's episodes: which are offered, next up, the
show's watch status, and progress the catalog has no place for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from tracker_tui.domain.catalog.models import ReleaseState, Season, Show
from tracker_tui.domain.progress.records import EpisodeKey, Progress
from tracker_tui.domain.watching.episode_specs import EpisodeSpec, EpisodeSpecError


def marked_numbers(progress: Progress, show_id: str, season: int) -> set[int]:
    """Episodes of a season the user has any record for (watched or once watched)."""
    return {key.episode for key in progress.show_records(show_id) if key.season == season}


def is_airing(season: Season, progress: Progress, show_id: str) -> bool:
    """Released, or the user has already marked episodes of it as they air."""
    return season.current_status.state is ReleaseState.RELEASED or any(
        progress.is_watched(EpisodeKey(show_id, season.number, n))
        for n in marked_numbers(progress, show_id, season.number)
    )


def known_episodes(season: Season, progress: Progress, show_id: str) -> set[int]:
    """Episodes known to exist: those the catalog lists and those the user has watched."""
    return {episode.number for episode in season.episodes} | {
        n
        for n in marked_numbers(progress, show_id, season.number)
        if progress.is_watched(EpisodeKey(show_id, season.number, n))
    }


def episode_numbers(season: Season, progress: Progress, show_id: str) -> list[int]:
    """The episodes to offer: all of a known count; else those known plus the next one."""
    if season.episode_count is not None:
        return list(range(1, season.episode_count + 1))
    known = known_episodes(season, progress, show_id)
    if is_airing(season, progress, show_id):
        known.add(max(known, default=0) + 1)
    return sorted(known)


def listed_episodes(show: Show, season: Season, progress: Progress) -> list[int]:
    """Episodes worth listing: those the catalog names plus any the user has a record for."""
    numbers = {episode.number for episode in season.episodes}
    numbers |= {
        n
        for n in marked_numbers(progress, show.id, season.number)
        if season.episode_count is None or n <= season.episode_count
    }
    return sorted(numbers)


def next_unwatched(show: Show, progress: Progress) -> EpisodeKey | None:
    """The first unwatched episode of an airing season, in season order."""
    for season in sorted(show.seasons, key=lambda season: season.number):
        if not is_airing(season, progress, show.id):
            continue
        for number in episode_numbers(season, progress, show.id):
            key = EpisodeKey(show.id, season.number, number)
            if not progress.is_watched(key):
                return key
    return None


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
    if spec.whole_season:
        if season.episode_count is None:
            raise EpisodeSpecError(
                f"season {season.number} of {show.title} has no known episode count; "
                f"name the episodes, like s{season.number}e1-3"
            )
        first, last = 1, season.episode_count
    else:
        assert spec.first is not None and spec.last is not None
        first, last = spec.first, spec.last
        if season.episode_count is not None and last > season.episode_count:
            raise EpisodeSpecError(
                f"season {season.number} of {show.title} has {season.episode_count} episodes; "
                f"there is no episode {last}"
            )
    return [EpisodeKey(show.id, season.number, n) for n in range(first, last + 1)]


def tracking_warning(show: Show, keys: Sequence[EpisodeKey], progress: Progress) -> str | None:
    """Why marking these episodes needs the user's say-so, or None when it is plainly fine.

    A typo such as s1e1000000 in a season with no known count, or an episode of a
    season not yet released, would otherwise become the user's "next" for good.
    """
    seasons = {season.number: season for season in show.seasons}
    last_known: dict[int, int] = {}
    doubtful: list[str] = []
    for key in keys:
        season = seasons.get(key.season)
        if season is None:
            continue
        if not is_airing(season, progress, show.id):
            state = season.current_status.state.label
            return f"{show.title} season {season.number} is not released yet ({state})"
        if season.episode_count is not None:
            continue
        if season.number not in last_known:
            known = known_episodes(season, progress, show.id)
            last_known[season.number] = max(known, default=0)
        last = last_known[season.number]
        if key.episode > last + 1:
            if last:
                doubtful.append(f"{key.code()} is far past the last known episode (E{last})")
            else:
                doubtful.append(
                    f"{key.code()} is far past the first episode: "
                    f"no episode of season {season.number} is known yet"
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

    @property
    def percent(self) -> int:
        return round(100 * self.watched / self.known) if self.known else 0


def show_progress(show: Show, progress: Progress) -> ShowProgress:
    watched = known = 0
    for season in show.seasons:
        if not is_airing(season, progress, show.id) and season.episode_count is None:
            continue
        numbers = episode_numbers(season, progress, show.id)
        if season.episode_count is None:
            numbers = numbers[:-1]  # the offered "next" row is not yet a known episode
        known += len(numbers)
        watched += sum(progress.is_watched(EpisodeKey(show.id, season.number, n)) for n in numbers)
    next_episode = next_unwatched(show, progress)
    if watched == 0:
        status = WatchStatus.NOT_STARTED
    elif next_episode is not None:
        status = WatchStatus.WATCHING
    elif all(
        season.current_status.state is ReleaseState.RELEASED and season.episode_count is not None
        for season in show.seasons
    ):
        status = WatchStatus.COMPLETED
    else:
        status = WatchStatus.UP_TO_DATE
    return ShowProgress(watched, known, status, next_episode)


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
    return season.episode_count is None or key.episode <= season.episode_count
