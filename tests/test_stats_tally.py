"""`StatsTally`: stats kept counted across changes equal the same stats counted from scratch."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker_tui.domain.catalog.loader import load_catalog
from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.progress.records import EpisodeKey, Progress, ShowState, mark_watched
from tracker_tui.domain.watching.session import WatchSession
from tracker_tui.domain.watching.stats import QUICK_SHOWS, StatsTally, compute_stats

from .conftest import FIXED_NOW

UTC = dt.UTC
AOUD = "all-of-us-are-dead"  # bundled: season 1 has 12 episodes
OWN = "my-show"  # a show only progress knows
START = dt.datetime(2025, 12, 20, 9, tzinfo=UTC)
Zone = Callable[[str], None]


@pytest.fixture(autouse=True)
def zone(local_zone: Zone) -> Zone:
    """Local days are the zone's: every test starts in a known one."""
    local_zone("Europe/Paris")
    return local_zone


_SHOWS: list[Show] = []


def shows() -> list[Show]:
    """The bundled catalog, loaded once: the tally keeps a show by the very object."""
    if not _SHOWS:
        _SHOWS.extend(load_catalog().shows)
    return _SHOWS


# One step of an editing session: what, on which show's episode, how many hours later.
Step = tuple[str, str, int, int]
steps = st.lists(
    st.tuples(
        st.sampled_from(
            ["toggle", "toggle", "again", "undo", "remove", "rate", "status", "archive"]
        ),
        st.sampled_from([AOUD, OWN]),
        st.integers(1, 4),
        st.integers(0, 80),
    ),
    max_size=25,
)


def apply(session: WatchSession, step: Step, now: dt.datetime) -> None:
    """Run one step as the app's keys would."""
    what, show, episode, _ = step
    key = EpisodeKey(show, 1, episode)
    if what == "toggle":
        session.toggle(key, now)
    elif what == "again":
        session.watch_again(key, now)
    elif what == "undo":
        session.undo(now)
    elif what == "remove":
        viewings = session.progress.viewings(key)
        if viewings:
            session.remove_viewing(key, viewings[-1].id, now)
    elif what == "rate":
        session.set_rating(show, episode * 2 if episode < 4 else None, now)
    elif what == "status":
        session.set_status(show, [None, "on-hold", "dropped", "watching"][episode - 1], now)
    else:
        session.set_archived(show, episode % 2 == 0, now)


@settings(max_examples=80, deadline=None)
@given(steps, st.sampled_from([None, 2025, 2026]))
def test_counted_as_it_changes_equals_counted_from_scratch(
    session_steps: list[Step], year: int | None
) -> None:
    """Marks, unmarks, rewatches, removals, undos and marks in any order: after each one
    the tally's stats are what a fresh count finds (stalled shows, streaks and days
    around midnight included)."""
    tally = StatsTally()
    session = WatchSession(Progress.empty())
    now = START
    for step in session_steps:
        now += dt.timedelta(hours=step[3])
        apply(session, step, now)
        at = now + dt.timedelta(weeks=3)  # some shows stalled, some not
        expected = compute_stats(shows(), session.progress, at, year)
        assert tally.stats(shows(), session.progress, at, year) == expected
        quick = tally.quick_stats(shows(), session.progress, at, year)
        assert quick == expected


def test_another_time_zone_counts_the_days_again(zone: Zone) -> None:
    """The tally's days are local days: in another zone they are counted again."""
    session = WatchSession(Progress.empty())
    for hour in range(0, 48, 5):
        session.toggle(EpisodeKey(AOUD, 1, hour // 5 + 1), START + dt.timedelta(hours=hour))
    tally = StatsTally()
    paris = tally.stats(shows(), session.progress, FIXED_NOW, 2025)
    zone("Pacific/Auckland")
    auckland = tally.stats(shows(), session.progress, FIXED_NOW, 2025)
    assert auckland == compute_stats(shows(), session.progress, FIXED_NOW, 2025)
    assert auckland.year.days != paris.year.days


def test_quick_stats_leave_a_big_change_to_a_thread() -> None:
    """More than `QUICK_SHOWS` shows changed (a first count, an import): None, nothing
    counted; the tally counted, a mark is quick."""
    when = START
    keys = [EpisodeKey(f"show-{n}", 1, 1) for n in range(QUICK_SHOWS + 1)]
    progress = mark_watched(Progress.empty(), keys, when, when)
    tally = StatsTally()
    assert tally.quick_stats(shows(), progress, FIXED_NOW) is None
    tally.update(shows(), progress, keep_going=lambda: True)
    progress = mark_watched(progress, [EpisodeKey(AOUD, 1, 1)], when, when)
    quick = tally.quick_stats(shows(), progress, FIXED_NOW)
    assert quick == compute_stats(shows(), progress, FIXED_NOW)
    assert quick is not None and quick.viewings == QUICK_SHOWS + 2


class SlowShows(dict[str, ShowState]):
    """Show states that make whoever counts them wait (under the tally's lock)."""

    def __init__(self, states: Mapping[str, ShowState]) -> None:
        super().__init__(states)
        self.counting, self.release = threading.Event(), threading.Event()

    def items(self) -> Any:
        self.counting.set()
        self.release.wait(5)
        return super().items()


def test_quick_stats_do_not_wait_for_another_thread() -> None:
    """While a thread counts (the app counting ahead), the key's handler does not wait:
    None, and the screen counts in its own thread."""
    tally = StatsTally()
    progress = mark_watched(Progress.empty(), [EpisodeKey(AOUD, 1, 1)], START, START)
    slow = SlowShows(progress.shows)
    worker = threading.Thread(target=tally.update, args=(shows(), Progress.of_shows(slow)))
    worker.start()
    try:
        assert slow.counting.wait(5)
        assert tally.quick_stats(shows(), progress, FIXED_NOW) is None
    finally:
        slow.release.set()
        worker.join(5)
    assert tally.quick_stats(shows(), progress, FIXED_NOW) == compute_stats(
        shows(), progress, FIXED_NOW
    )


def test_a_show_gone_from_progress_is_counted_out() -> None:
    """A replace (`tracker import --replace`) can leave a show out of progress altogether."""
    keys = [EpisodeKey(AOUD, 1, 1), EpisodeKey(OWN, 1, 1)]
    both = mark_watched(Progress.empty(), keys, START, START)
    one = Progress.of_shows({AOUD: both.show_state(AOUD)})
    tally = StatsTally()
    assert tally.stats(shows(), both, FIXED_NOW, 2025).viewings == 2
    assert tally.stats(shows(), one, FIXED_NOW, 2025) == compute_stats(
        shows(), one, FIXED_NOW, 2025
    )


@pytest.mark.parametrize("counted_before", [False, True])
def test_a_count_stopped_halfway_leaves_the_tally_whole(counted_before: bool) -> None:
    """Counting ahead stops when the app quits (`keep_going`); what it kept counts on."""
    keys = [EpisodeKey(f"show-{n}", 1, 1) for n in range(5)] + [EpisodeKey(AOUD, 1, 2)]
    first = mark_watched(Progress.empty(), keys[:2], START, START)
    progress = mark_watched(first, keys, START + dt.timedelta(days=1), START)
    tally = StatsTally()
    if counted_before:
        tally.update(shows(), first)
    asked: list[int] = []

    def twice() -> bool:
        asked.append(1)
        return len(asked) < 2

    tally.update(shows(), progress, keep_going=twice)
    assert len(asked) == 2  # stopped after two shows
    assert tally.stats(shows(), progress, FIXED_NOW, 2025) == compute_stats(
        shows(), progress, FIXED_NOW, 2025
    )
