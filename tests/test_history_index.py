"""The history index gives what `Progress.history()` gives, after any run of changes."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from tracker_tui.domain.progress import history_index
from tracker_tui.domain.progress.history_index import HistoryIndex, HistoryRead
from tracker_tui.domain.progress.records import EpisodeKey, Progress, mark_watched
from tracker_tui.domain.watching.session import WatchSession

SHOWS = [f"show-{n}" for n in range(12)]


def assert_totals_recounted(read: HistoryRead) -> None:
    """The totals kept show by show are what counting every entry gives."""
    assert read.watched == sum(entry.event == "watched" for entry in read.entries)
    assert read.show_ids == {entry.key.show for entry in read.entries}


@pytest.mark.parametrize("few_entries", [history_index.FEW_ENTRIES, 0])
def test_the_index_follows_every_change_as_a_full_history_would(
    few_entries: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both ways of taking a changed show's entries out: one by one, and one pass."""
    monkeypatch.setattr(history_index, "FEW_ENTRIES", few_entries)
    rng = random.Random(16)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    session = WatchSession(Progress.empty())
    for n, show in enumerate(SHOWS):  # every show has some history to keep
        session.toggle(EpisodeKey(show, 1, 1), start + dt.timedelta(minutes=n))
    index = HistoryIndex()
    assert index.history(session.progress) == session.progress.history()
    for step in range(150):
        now = start + dt.timedelta(hours=1, minutes=step // 3)  # some share a time
        key = EpisodeKey(rng.choice(SHOWS[:6]), rng.randint(1, 2), rng.randint(1, 4))
        action = rng.random()
        if action < 0.5:
            session.toggle(key, now)
        elif action < 0.7:
            session.watch_again(key, now)
        elif action < 0.8 and (viewings := session.progress.viewings(key)):
            session.remove_viewing(key, rng.choice(viewings).id, now)
        elif session.undo_stack:
            session.undo(now)
        progress = session.progress
        assert index.history(progress) == progress.history(), step
        assert index.history(progress) is index.history(progress)  # kept while the same
        assert_totals_recounted(index.read(progress))
    # Another progress altogether (another program's file): read in full, and right.
    other = WatchSession(Progress.empty())
    other.toggle(EpisodeKey("elsewhere", 1, 1), start)
    assert index.history(other.progress) == other.progress.history()
    assert_totals_recounted(index.read(other.progress))


def test_overlapping_reads_from_threads_leave_the_index_whole() -> None:
    """A cancelled worker's thread runs on, so two reads can overlap: the index must end
    as one read left it, not a mix of two."""
    import threading

    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    versions = [Progress.empty()]
    for n in range(1, 40):
        key = EpisodeKey(f"show-{n % 7}", 1, n)
        versions.append(mark_watched(versions[-1], [key], now + dt.timedelta(minutes=n)))
    index = HistoryIndex()

    def read(order: list[Progress]) -> None:
        for progress in order:
            index.history(progress)

    threads = [threading.Thread(target=read, args=(versions[i::3] * 5,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for progress in versions:
        assert index.history(progress) == progress.history()


def test_a_show_whose_last_entry_goes_leaves_the_totals() -> None:
    # A changed show with no entry left adds nothing to the recount: its old counts must go.
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    session = WatchSession(Progress.empty())
    for n, show in enumerate(SHOWS):
        session.toggle(EpisodeKey(show, 1, 1), start + dt.timedelta(minutes=n))
    index = HistoryIndex()
    assert index.read(session.progress).watched == len(SHOWS)
    key = EpisodeKey(SHOWS[0], 1, 1)
    session.remove_viewing(key, session.progress.viewings(key)[0].id, start + dt.timedelta(1))
    assert session.progress.history(SHOWS[0]) == []
    read = index.read(session.progress)
    assert read.entries == session.progress.history()
    assert_totals_recounted(read)
    assert read.watched == len(SHOWS) - 1 and SHOWS[0] not in read.show_ids
