"""Big builds after start run with the cycle collector paused and freeze what they
built: otherwise each full collection walks it again, and the app stops for each (six
pauses of 40-160 ms after an imported library's start, one of 130 ms after a mark)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tracker_tui.domain import clock, collection
from tracker_tui.domain.collection import no_collection_pauses
from tracker_tui.domain.progress.records import EpisodeKey
from tracker_tui.tui import app as app_module
from tracker_tui.tui import make_app
from tracker_tui.tui.screens import history_screen

from .test_history_screen import SIZE, open_history, write_history


def test_the_collector_is_off_in_the_block_and_as_it_was_after() -> None:
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    with no_collection_pauses():
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
    gc.disable()
    try:
        with no_collection_pauses():
            pass
        assert not gc.isenabled()  # left off, as the caller had it
    finally:
        gc.enable()


def test_freezing_keeps_what_was_built_out_of_later_collections() -> None:
    frozen = gc.get_freeze_count()  # a catalog loaded earlier in the run froze its own
    with no_collection_pauses(freeze=True):
        built = [[n] for n in range(1_000)]
    assert gc.get_freeze_count() >= frozen + len(built)
    gc.unfreeze()  # the rest of the test run is not this test's to freeze


def test_an_error_in_the_block_turns_the_collector_back_on() -> None:
    with pytest.raises(RuntimeError), no_collection_pauses():
        raise RuntimeError("a build that fails")
    assert gc.isenabled()


Calls = list[bool]


def recording(calls: Calls) -> Any:
    @contextlib.contextmanager
    def paused(*, freeze: bool = False) -> Iterator[None]:
        calls.append(freeze)
        with collection.no_collection_pauses():  # not frozen: the test run goes on
            yield

    return paused


async def test_the_stats_counted_ahead_and_the_history_read_are_built_so(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_history(tracker_home)
    stats: Calls = []
    history: Calls = []
    monkeypatch.setattr(app_module, "no_collection_pauses", recording(stats))
    monkeypatch.setattr(history_screen, "no_collection_pauses", recording(history))
    monkeypatch.setattr(history_screen.HistoryScreen, "first_read_done", False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.count_stats_ahead()
        await app.workers.wait_for_complete()
        assert stats == [True]
        await open_history(app, pilot)
        assert history == [True]
        await pilot.press("escape")
        app.session.toggle(EpisodeKey("all-of-us-are-dead", 1, 9), clock.now())
        app.main_screen.progress = app.session.progress
        await open_history(app, pilot)
        assert history == [True, False]  # only the first read freezes
