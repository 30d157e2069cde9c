"""A big progress file costs what a command touches: a command on one show builds only that
show's episodes."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tracker_tui.domain.progress import fast_reader
from tracker_tui.domain.progress.format import dumps_progress
from tracker_tui.domain.progress.model import EpisodeStates
from tracker_tui.domain.progress.records import EpisodeKey, Progress, mark_watched, set_rating

from .conftest import RunCli

AOUAD = "all-of-us-are-dead"
OTHER_SHOWS = [f"imported-show-{number}" for number in range(40)]


def many_shows(now: dt.datetime) -> Progress:
    """Forty shows the catalog does not know (as after an import), and All of Us Are Dead."""
    progress = Progress.empty()
    for number, show in enumerate(OTHER_SHOWS):
        keys = [EpisodeKey(show, 1, episode) for episode in range(1, 6)]
        progress = mark_watched(progress, keys, now - dt.timedelta(days=number + 1))
        progress = set_rating(progress, show, number % 10 + 1, now)
    return mark_watched(progress, [EpisodeKey(AOUAD, 1, 1)], now - dt.timedelta(days=1))


BuildCounts = Counter[str]


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> BuildCounts:
    """How many times each show's episodes were built from the file, by show id."""
    counts: BuildCounts = Counter()
    builder = fast_reader._episodes_builder

    def counting(show: str, *args: object) -> Callable[[], EpisodeStates]:
        build = builder(show, *args)  # type: ignore[arg-type]

        def counted() -> EpisodeStates:
            counts[show] += 1
            return build()

        return counted

    monkeypatch.setattr(fast_reader, "_episodes_builder", counting)
    return counts


@pytest.fixture
def big_file(tracker_home: Path, fixed_clock: dt.datetime) -> Path:
    path = tracker_home / "progress.json"
    path.write_text(dumps_progress(many_shows(fixed_clock)), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ("watch", AOUAD, "s1e1"),  # already watched: nothing to save
        ("viewings", AOUAD, "s1e1"),
        ("unwatch", AOUAD, "s1e2"),  # not watched: nothing to save
        ("history", "--show", AOUAD),
    ],
)
def test_a_command_on_one_show_builds_only_that_show(
    big_file: Path, run_cli: RunCli, built: BuildCounts, command: tuple[str, ...]
) -> None:
    before = big_file.read_bytes()
    result = run_cli(*command)
    assert result.code == 0, result.err
    assert big_file.read_bytes() == before
    assert set(built) <= {AOUAD}
    assert all(count == 1 for count in built.values())
