"""A user's editing session over their progress: toggles, mark-up-to, rewatches, removals,
statuses, ratings, archiving, and undo of each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.progress.records import (
    Change,
    EpisodeKey,
    MarkPlace,
    Progress,
    change_between,
    mark_unwatched,
    mark_watched,
    remove_viewing,
    set_archived,
    set_rating,
    set_status,
    undo_change_renaming,
)
from tracker_tui.domain.watching.episodes import seasons_in_order


@dataclass
class WatchSession:
    """Holds progress in memory and remembers each change so it can be undone."""

    progress: Progress
    undo_stack: list[Change] = field(default_factory=list)

    def _apply(
        self, changed: Progress, keys: Iterable[EpisodeKey] = (), marks: Iterable[MarkPlace] = ()
    ) -> None:
        """Take `changed` as the progress, remembering what it changed at these episodes and
        marks so undo can take it back; a change that changed nothing is not remembered."""
        change = change_between(self.progress, changed, keys, marks)
        if change:
            self.undo_stack.append(change)
        self.progress = changed

    def toggle(self, key: EpisodeKey, now: dt.datetime) -> None:
        """Flip one episode between watched and not, as one change to undo."""
        change = mark_unwatched if self.progress.is_watched(key) else mark_watched
        self._apply(change(self.progress, [key], now), [key])

    def watch_again(self, key: EpisodeKey, now: dt.datetime) -> None:
        """Log another viewing of one episode (a rewatch, never an unmark)."""
        self._apply(mark_watched(self.progress, [key], now), [key])

    def remove_viewing(self, key: EpisodeKey, viewing_id: str, now: dt.datetime) -> None:
        """Take one viewing of an episode away; the others stay."""
        self._apply(remove_viewing(self.progress, key, viewing_id, now), [key])

    def set_status(self, show_id: str, status: str | None, now: dt.datetime) -> None:
        """Set a show's list status by hand (None: derived again); ValueError if unknown."""
        place = MarkPlace(show_id, "status")
        self._apply(set_status(self.progress, show_id, status, now), marks=[place])

    def set_archived(self, show_id: str, archived: bool, now: dt.datetime) -> None:
        """Archive a show or bring it back."""
        place = MarkPlace(show_id, "archived")
        self._apply(set_archived(self.progress, show_id, archived, now), marks=[place])

    def set_rating(
        self,
        show_id: str,
        rating: int | None,
        now: dt.datetime,
        season: int | None = None,
        episode: int | None = None,
    ) -> None:
        """Rate a show, season or episode 1-10 (None clears it); ValueError if out of range."""
        changed = set_rating(self.progress, show_id, rating, now, season, episode)
        self._apply(changed, marks=[MarkPlace(show_id, "rating", season, episode)])

    def mark_up_to(self, show: Show, target: EpisodeKey, now: dt.datetime) -> list[EpisodeKey]:
        """Mark every unwatched episode before and including `target` watched."""
        keys = unwatched_up_to(show, self.progress, target)
        if keys:
            self._apply(mark_watched(self.progress, keys, now), keys)
        return keys

    def undo(self, now: dt.datetime) -> list[EpisodeKey]:
        """Undo the last change against the progress as it is now, other programs' changes
        included; return the episodes it touched (empty if nothing to undo, or if it
        changed only marks)."""
        if not self.undo_stack:
            return []
        change = self.undo_stack.pop()
        self.progress, renamed = undo_change_renaming(self.progress, change, now)
        # Viewings given back have new ids: earlier changes still to undo must name those.
        self.undo_stack = [earlier.renamed(renamed) for earlier in self.undo_stack]
        return change.episodes()

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
