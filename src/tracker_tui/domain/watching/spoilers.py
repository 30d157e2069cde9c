"""Spoilers: how far the user has watched decides which notes they may see."""

from __future__ import annotations

from dataclasses import dataclass

from tracker_tui.domain.catalog.models import Note, Show, SpoilerScope
from tracker_tui.domain.progress.records import EpisodeKey, Progress


def furthest_watched(show: Show, progress: Progress) -> tuple[int, int] | None:
    keys = [(key.season, key.episode) for key in progress.watched_keys(show.id)]
    return max(keys, default=None)


def spoiler_reached(show: Show, scope: SpoilerScope, progress: Progress) -> bool:
    """Has the user watched far enough to see a note with this scope?"""
    furthest = furthest_watched(show, progress)
    if furthest is None:
        return False
    if scope.episode is not None:
        return furthest >= (scope.season, scope.episode)
    if furthest[0] > scope.season:
        return True
    season = show.season(scope.season)
    if season is None or season.episode_count is None:
        return False
    return all(
        progress.is_watched(EpisodeKey(show.id, scope.season, n))
        for n in range(1, season.episode_count + 1)
    )


@dataclass(frozen=True)
class VisibleNotes:
    shown: list[Note]
    hidden: list[Note]
    furthest: tuple[int, int] | None

    def hidden_summary(self) -> str:
        """`3 hidden: spoilers past S1E4`, where S1E4 is as far as the user has watched."""
        if not self.hidden:
            return ""
        if self.furthest is None:
            return f"{len(self.hidden)} hidden: spoilers, and nothing watched yet"
        season, episode = self.furthest
        return f"{len(self.hidden)} hidden: spoilers past S{season}E{episode}"


def visible_notes(show: Show, progress: Progress, *, spoilers: bool = False) -> VisibleNotes:
    furthest = furthest_watched(show, progress)
    if spoilers:
        return VisibleNotes(list(show.notes), [], furthest)
    shown, hidden = [], []
    for note in show.notes:
        if note.spoiler is None or spoiler_reached(show, note.spoiler, progress):
            shown.append(note)
        else:
            hidden.append(note)
    return VisibleNotes(shown, hidden, furthest)
