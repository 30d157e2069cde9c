"""A user's editing session over their progress: toggles, mark-up-to and undo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.progress.records import (
    Change,
    EpisodeKey,
    EpisodeRecord,
    Progress,
    mark_unwatched,
    mark_watched,
    undo_change,
)
from tracker_tui.domain.watching.episodes import seasons_in_order


@dataclass
class WatchSession:
    """Holds progress in memory and remembers each change so it can be undone."""

    progress: Progress
    undo_stack: list[Change] = field(default_factory=list)

    def _apply(self, changed: Progress, keys: list[EpisodeKey]) -> None:
        """Take `changed` as the progress, remembering each key's record before and after."""
        change: dict[EpisodeKey, tuple[EpisodeRecord | None, EpisodeRecord]] = {}
        for key in keys:
            after = changed.get(key)
            assert after is not None  # every key was just marked
            change[key] = (self.progress.get(key), after)
        self.undo_stack.append(change)
        self.progress = changed

    def toggle(self, key: EpisodeKey, now: dt.datetime) -> None:
        """Flip one episode between watched and not, as one change to undo."""
        change = mark_unwatched if self.progress.is_watched(key) else mark_watched
        self._apply(change(self.progress, [key], now), [key])

    def mark_up_to(self, show: Show, target: EpisodeKey, now: dt.datetime) -> list[EpisodeKey]:
        """Mark every unwatched episode before and including `target` watched."""
        keys = unwatched_up_to(show, self.progress, target)
        if keys:
            self._apply(mark_watched(self.progress, keys, now), keys)
        return keys

    def undo(self, now: dt.datetime) -> list[EpisodeKey]:
        """Undo the last change against the progress as it is now, other programs' changes
        included; return the episodes it touched (empty if nothing to undo)."""
        if not self.undo_stack:
            return []
        change = self.undo_stack.pop()
        self.progress = undo_change(self.progress, change, now)
        return sorted(change)

    def absorb(self, other: Progress) -> None:
        """Take in changes made elsewhere (another program, a finished save)."""
        self.progress = self.progress.merge(other)


def episodes_in_order(show: Show, progress: Progress) -> list[EpisodeKey]:
    """Every episode a watch-through of the show runs over, in watching order."""
    return [
        EpisodeKey(show.id, season.number, n)
        for season, episodes in seasons_in_order(show, progress)
        for n in episodes.in_watching_order
    ]


def unwatched_up_to(show: Show, progress: Progress, target: EpisodeKey) -> list[EpisodeKey]:
    """What `w` on `target` marks: every unwatched episode up to it, in watching order, and
    `target` itself even in a season not yet listed in order (so the app can ask first)."""
    keys = [
        key
        for key in episodes_in_order(show, progress)
        if (key.season, key.episode) <= (target.season, target.episode)
        and not progress.is_watched(key)
    ]
    if target not in keys and not progress.is_watched(target):
        keys.append(target)
    return keys
