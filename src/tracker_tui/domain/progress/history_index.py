"""Every viewing and unwatch, newest first, kept up to date show by show.

`Progress.history()` walks every show and sorts every entry: half a second for a heavy
user's 57,000 entries, again after each change. A change copies only the shows it
touches (the others stay the very same objects), so an index kept between calls takes
out the touched shows' entries and puts their new ones in place, in the order
`Progress.history()` gives. It keeps each show's counts the same way, so the screen's
totals cost no pass over every entry either.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
from typing import NamedTuple

from tracker_tui.domain.progress.records import EpisodeKey, HistoryEntry, Progress, ShowState

REBUILD_SHARE = 4
"""When more than one show in this many changed, sorting anew is quicker."""

FEW_ENTRIES = 200
"""Up to this many entries of changed shows are taken out one by one (each a bisection
and a move of the list in C); more, and one pass over the list is quicker."""


def history_order(entry: HistoryEntry) -> tuple[dt.datetime, EpisodeKey, str, str]:
    """The order `Progress.history()` sorts entries in (reversed: newest first)."""
    return entry.at, entry.key, entry.event, entry.viewing_id or ""


class HistoryRead(NamedTuple):
    """The history of one progress, newest first, with its totals."""

    entries: list[HistoryEntry]
    """Shared between callers with the same progress: don't change it."""
    watched: int
    """How many entries are viewings (the rest are unmarks)."""
    show_ids: set[str]
    """The shows with an entry."""


def _tally(entries: list[HistoryEntry]) -> dict[str, tuple[int, int]]:
    """Per show: how many viewings, and how many entries in all."""
    tally: dict[str, tuple[int, int]] = {}
    for entry in entries:
        watched, count = tally.get(entry.key.show, (0, 0))
        tally[entry.key.show] = (watched + (entry.event == "watched"), count + 1)
    return tally


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
        self._tally: dict[str, tuple[int, int]] = {}
        """Each show's viewings and entries in the list."""
        self._read: HistoryRead | None = None

    def history(self, progress: Progress) -> list[HistoryEntry]:
        """`progress.history()`, working out again only the shows changed since the last
        call. The list is shared between callers with the same progress: don't change it."""
        return self.read(progress).entries

    def read(self, progress: Progress) -> HistoryRead:
        """The history of `progress` and its totals, as `history` works them out."""
        with self._lock:  # the list, the totals and the states change together
            return self._history(progress)

    def _history(self, progress: Progress) -> HistoryRead:
        if progress is self._progress and self._read is not None:
            return self._read
        shows = progress.shows
        changed = {show for show, state in shows.items() if self._states.get(show) is not state}
        changed |= self._states.keys() - shows.keys()
        if self._progress is None or len(changed) * REBUILD_SHARE > len(shows):
            self._oldest_first = progress.history()[::-1]
            self._tally = _tally(self._oldest_first)
        else:
            self._replace(progress, changed)
        self._progress = progress
        self._states = dict(shows)
        self._newest_first = self._oldest_first[::-1]
        tally = self._tally.values()
        self._read = HistoryRead(
            self._newest_first,
            sum(watched for watched, _ in tally),
            {show for show, (_, count) in self._tally.items() if count},
        )
        return self._read

    def _replace(self, progress: Progress, changed: set[str]) -> None:
        kept = self._without(changed)
        for show in sorted(changed):
            entries = progress.history(show) if show in progress.shows else []
            for entry in entries:
                bisect.insort(kept, entry, key=history_order)
            self._tally.pop(show, None)
            self._tally.update(_tally(entries))
        self._oldest_first = kept

    def _without(self, changed: set[str]) -> list[HistoryEntry]:
        """The list without the changed shows' entries. A mark changes a show of a few
        entries: each is found by bisection and taken out (a pass over 60,000 entries
        took 40 ms); a show of many, or an entry not where it should be, takes the pass."""
        old = self._progress
        gone = [] if old is None else [e for show in changed for e in old.history(show)]
        if len(gone) > FEW_ENTRIES:
            return [entry for entry in self._oldest_first if entry.key.show not in changed]
        kept = list(self._oldest_first)
        for entry in gone:
            at = bisect.bisect_left(kept, history_order(entry), key=history_order)
            if at == len(kept) or kept[at] != entry:
                return [entry for entry in self._oldest_first if entry.key.show not in changed]
            del kept[at]
        return kept
