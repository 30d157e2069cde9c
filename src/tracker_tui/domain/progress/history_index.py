"""Every viewing and unwatch, newest first, kept up to date show by show.

`Progress.history()` walks every show and sorts every entry: half a second for a heavy
user's 57,000 entries, again after each change. A change copies only the shows it
touches (the others stay the very same objects), so an index kept between calls takes
out the touched shows' entries and puts their new ones in place, in the order
`Progress.history()` gives.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading

from tracker_tui.domain.progress.records import EpisodeKey, HistoryEntry, Progress, ShowState

REBUILD_SHARE = 4
"""When more than one show in this many changed, sorting anew is quicker."""


def history_order(entry: HistoryEntry) -> tuple[dt.datetime, EpisodeKey, str, str]:
    """The order `Progress.history()` sorts entries in (reversed: newest first)."""
    return entry.at, entry.key, entry.event, entry.viewing_id or ""


class HistoryIndex:
    """The history of the last progress asked about, by show. Safe to ask from several
    threads: a cancelled worker's thread runs on, so two reads can overlap."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._progress: Progress | None = None
        self._states: dict[str, ShowState] = {}
        """The show states the entries were read from."""
        self._oldest_first: list[HistoryEntry] = []
        self._newest_first: list[HistoryEntry] = []

    def history(self, progress: Progress) -> list[HistoryEntry]:
        """`progress.history()`, working out again only the shows changed since the last
        call. The list is shared between callers with the same progress: don't change it."""
        with self._lock:  # the list, the progress and the states change together
            return self._history(progress)

    def _history(self, progress: Progress) -> list[HistoryEntry]:
        if progress is self._progress:
            return self._newest_first
        shows = progress.shows
        changed = {show for show, state in shows.items() if self._states.get(show) is not state}
        changed |= self._states.keys() - shows.keys()
        if self._progress is None or len(changed) * REBUILD_SHARE > len(shows):
            self._oldest_first = progress.history()[::-1]
        else:
            self._replace(progress, changed)
        self._progress = progress
        self._states = dict(shows)
        self._newest_first = self._oldest_first[::-1]
        return self._newest_first

    def _replace(self, progress: Progress, changed: set[str]) -> None:
        kept = [entry for entry in self._oldest_first if entry.key.show not in changed]
        for show in sorted(changed):
            for entry in progress.history(show) if show in progress.shows else ():
                bisect.insort(kept, entry, key=history_order)
        self._oldest_first = kept
