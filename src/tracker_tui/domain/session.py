"""A user's editing session over their progress: toggles, mark-up-to and undo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tracker_tui.domain.models import Show
from tracker_tui.domain.progress import (
    EpisodeKey,
    EpisodeRecord,
    Progress,
    mark_unwatched,
    mark_watched,
    restore,
)
from tracker_tui.domain.watching import episode_numbers, is_airing

Snapshot = dict[EpisodeKey, EpisodeRecord | None]


@dataclass
class WatchSession:
    """Holds progress in memory and remembers each change so it can be undone."""

    progress: Progress
    undo_stack: list[Snapshot] = field(default_factory=list)

    def _remember(self, keys: list[EpisodeKey]) -> None:
        self.undo_stack.append({key: self.progress.get(key) for key in keys})

    def toggle(self, key: EpisodeKey, now: dt.datetime) -> bool:
        """Flip one episode; return True if it is now watched."""
        self._remember([key])
        if self.progress.is_watched(key):
            self.progress = mark_unwatched(self.progress, [key], now)
            return False
        self.progress = mark_watched(self.progress, [key], now)
        return True

    def mark_up_to(self, show: Show, target: EpisodeKey, now: dt.datetime) -> list[EpisodeKey]:
        """Mark every unwatched episode before and including `target` watched."""
        keys = [
            key
            for key in episodes_in_order(show, self.progress)
            if (key.season, key.episode) <= (target.season, target.episode)
            and not self.progress.is_watched(key)
        ]
        if target not in keys and not self.progress.is_watched(target):
            keys.append(target)
        if keys:
            self._remember(keys)
            self.progress = mark_watched(self.progress, keys, now)
        return keys

    def undo(self, now: dt.datetime) -> list[EpisodeKey]:
        """Undo the last change; return the episodes it touched (empty if nothing to undo)."""
        if not self.undo_stack:
            return []
        before = self.undo_stack.pop()
        self.progress = restore(self.progress, before, now)
        return sorted(before)

    def absorb(self, other: Progress) -> None:
        """Take in changes made elsewhere (another program, a finished save)."""
        self.progress = self.progress.merge(other)


def episodes_in_order(show: Show, progress: Progress) -> list[EpisodeKey]:
    """Every episode of the show's airing seasons, in watching order."""
    keys = []
    for season in sorted(show.seasons, key=lambda season: season.number):
        if season.episode_count is None and not is_airing(season, progress, show.id):
            continue
        keys += [
            EpisodeKey(show.id, season.number, n)
            for n in episode_numbers(season, progress, show.id)
        ]
    return keys
