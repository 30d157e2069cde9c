"""The progress store under issue 9's faults: stamps, special files, other writers, backups."""

from __future__ import annotations

from pathlib import Path

from tracker_tui.domain.progress import EpisodeKey, Progress, mark_watched
from tracker_tui.domain.stamps import file_stamp
from tracker_tui.domain.store import ProgressStore

from .conftest import FIXED_NOW

AOUD = "all-of-us-are-dead"


def aoud(episode: int, season: int = 1) -> EpisodeKey:
    return EpisodeKey(AOUD, season, episode)


# --- Stamps for the app ------------------------------------------------------------


def test_save_stamped_returns_the_stamp_of_its_own_write(tmp_path: Path) -> None:
    """The app compares this stamp with later polls to tell its write from another's."""
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    merged, stamp = store.save_stamped(mark_watched(Progress.empty(), [aoud(1)], FIXED_NOW))
    assert merged.is_watched(aoud(1))
    assert stamp is not None and stamp == file_stamp(path) == store.stamp()
    ProgressStore(path).save(mark_watched(Progress.empty(), [aoud(2)], FIXED_NOW))
    assert store.stamp() != stamp


def test_stamp_of_a_missing_file_is_none(tmp_path: Path) -> None:
    assert ProgressStore(tmp_path / "progress.json").stamp() is None
