"""A few months of generated watching for the stats screen's tests and snapshots: three
shows of the user's own and a bundled one, viewings from August to the fixed "now"
(2026-11-21), rewatches, ratings, a hand-set status, a stalled show and an imported
viewing with no known time."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from tracker_tui.cli.main import main
from tracker_tui.domain.progress.records import (
    EpisodeKey,
    EpisodeState,
    Progress,
    Viewing,
    mark_watched,
    set_rating,
    set_status,
)
from tracker_tui.domain.progress.store import ProgressStore, default_progress_path

from .conftest import FIXED_NOW

AOUD = "all-of-us-are-dead"
OWN_SHOWS = (
    ("Night Harbor", "series", "10,10"),
    ("Ember Orbit", "anime", "24"),
    ("Paper Garden", "miniseries", "6"),
)


def add_show(title: str, kind: str, seasons: str) -> None:
    try:
        code = main(["add", title, "--kind", kind, "--seasons", seasons])
    except SystemExit as exit:
        code = int(exit.code or 0)
    assert code == 0


def watching_history() -> Progress:
    """Deterministic: the same viewings every run, all before FIXED_NOW."""
    rng = random.Random(14)
    progress = Progress.empty()
    # All of Us Are Dead: five episodes in February, then nothing: stalled.
    for episode in range(1, 6):
        when = dt.datetime(2026, 2, 2 + 3 * episode, 21, tzinfo=dt.UTC)
        progress = mark_watched(progress, [EpisodeKey(AOUD, 1, episode)], when, when)
    plan = [("night-harbor", 1, 10), ("night-harbor", 2, 10), ("ember-orbit", 1, 24)]
    keys = [EpisodeKey(show, season, n) for show, season, top in plan for n in range(1, top + 1)]
    day = dt.datetime(2026, 8, 3, 20, tzinfo=dt.UTC)
    for key in keys:
        day += dt.timedelta(days=rng.choice((1, 1, 2, 3, 5)))
        if day >= FIXED_NOW:
            break
        progress = mark_watched(progress, [key], day, day)
        if rng.random() < 0.3:  # watched again the same evening: a rewatch
            later = day + dt.timedelta(hours=1)
            progress = mark_watched(progress, [key], later, later)
    # Paper Garden, all six in one weekend, then the first again.
    for episode in range(1, 7):
        when = dt.datetime(2026, 10, 17 + episode // 4, 14 + episode, tzinfo=dt.UTC)
        progress = mark_watched(progress, [EpisodeKey("paper-garden", 1, episode)], when, when)
    progress = mark_watched(progress, [EpisodeKey("paper-garden", 1, 1)], FIXED_NOW)
    for show, rating in (("night-harbor", 8), ("paper-garden", 10), ("ember-orbit", 7)):
        progress = set_rating(progress, show, rating, FIXED_NOW)
    progress = set_rating(progress, "ember-orbit", 9, FIXED_NOW, 1, 3)
    progress = set_status(progress, "night-harbor", "on-hold", FIXED_NOW)
    return with_unknown_time(progress, EpisodeKey(AOUD, 1, 6))


def with_unknown_time(progress: Progress, key: EpisodeKey) -> Progress:
    """A viewing whose time is not known, as an import of a MyAnimeList list leaves it."""
    state = progress.episode_state(key) or EpisodeState()
    viewing = Viewing("imported-no-time", None, dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    return progress.with_episodes(
        {key: state._replace(viewings={**state.viewings, viewing.id: viewing})}
    )


def fill_home(home: Path) -> Progress:
    """Write the shows and the history into the data folder `home` (TRACKER_HOME)."""
    for title, kind, seasons in OWN_SHOWS:
        add_show(title, kind, seasons)
    progress = watching_history()
    ProgressStore(default_progress_path(home)).save(progress)
    return progress
