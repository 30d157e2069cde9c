"""Property tests: progress survives the file round trip, and merging is order-free."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker_tui.domain.progress.format import (
    ProgressWriter,
    dumps_progress,
    from_json,
    read_progress,
    to_json,
)
from tracker_tui.domain.progress.records import (
    EpisodeKey,
    EpisodeRecord,
    Progress,
    mark_unwatched,
    mark_watched,
    newer,
)
from tracker_tui.domain.progress.store import ProgressStore

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

keys = st.builds(
    EpisodeKey,
    show=st.sampled_from(["all-of-us-are-dead", "kaiju-girl-caramelise", 'ünïcode "show"']),
    season=st.integers(1, 3),
    episode=st.integers(1, 12),
)
# Whole microseconds only: the file stores times to the microsecond.
times = st.integers(0, 10**9).map(lambda us: START + dt.timedelta(microseconds=us))
# A step marks, unmarks, or replaces everything with just the chosen episodes'
# records (`tracker import --replace`), which sets the epoch merges respect.
kinds = st.sampled_from(["watch", "watch", "unwatch", "unwatch", "replace"])
operations = st.lists(st.tuples(kinds, st.lists(keys, min_size=1, max_size=4), times), max_size=25)
Operation = tuple[str, list[EpisodeKey], dt.datetime]


def step(progress: Progress, operation: Operation) -> Progress:
    kind, chosen, when = operation
    if kind == "watch":
        return mark_watched(progress, chosen, when)
    if kind == "unwatch":
        return mark_unwatched(progress, chosen, when)
    kept = {key: record for key, record in progress.records.items() if key in chosen}
    return Progress(kept).as_replacement(when)


def apply(operations_list: list[Operation]) -> Progress:
    progress = Progress.empty()
    for operation in operations_list:
        progress = step(progress, operation)
    return progress


@given(operations)
def test_json_round_trip(ops: list[Operation]) -> None:
    progress = apply(ops)
    assert from_json(json.loads(dumps_progress(progress))) == progress
    assert json.loads(dumps_progress(progress)) == to_json(progress)


@settings(max_examples=50, deadline=None)  # each example fsyncs a file
@given(operations)
def test_load_of_save_is_identity(
    tmp_path_factory: pytest.TempPathFactory, ops: list[Operation]
) -> None:
    folder: Path = tmp_path_factory.mktemp("store")
    store = ProgressStore(folder / "progress.json")
    progress = apply(ops)
    store.save(progress)
    assert store.load().progress == progress


@given(operations, operations)
def test_merge_is_commutative(a: list[Operation], b: list[Operation]) -> None:
    x, y = apply(a), apply(b)
    assert x.merge(y) == y.merge(x)


@given(operations, operations, operations)
def test_merge_is_associative(a: list[Operation], b: list[Operation], c: list[Operation]) -> None:
    x, y, z = apply(a), apply(b), apply(c)
    assert x.merge(y).merge(z) == x.merge(y.merge(z))


@given(operations, operations)
def test_merge_is_idempotent(a: list[Operation], b: list[Operation]) -> None:
    x, y = apply(a), apply(b)
    assert x.merge(x) == x
    assert x.merge(y).merge(y) == x.merge(y)


@given(operations, operations)
def test_merge_follows_the_law_of_epochs(a: list[Operation], b: list[Operation]) -> None:
    # The later epoch wins; from the other side only records changed after it count;
    # then per episode the newer record.
    x, y = apply(a), apply(b)
    merged = x.merge(y)
    epochs = [side.epoch for side in (x, y) if side.epoch is not None]
    epoch = max(epochs, default=None)
    assert merged.epoch == epoch
    expected: dict[EpisodeKey, EpisodeRecord] = {}
    for side in (x, y):
        for key, record in side.records.items():
            if side.epoch != epoch and epoch is not None and record.changed_at <= epoch:
                continue
            expected[key] = newer(expected[key], record) if key in expected else record
    assert dict(merged.records) == expected


@given(operations, keys, times)
def test_a_replace_is_not_undone_by_a_copy_from_before_it(
    ops: list[Operation], key: EpisodeKey, when: dt.datetime
) -> None:
    stale = mark_watched(apply(ops), [key], when)
    watched = stale.get(key)
    assert watched is not None
    replaced = Progress.empty().as_replacement(watched.changed_at + dt.timedelta(seconds=1))
    assert not stale.merge(replaced).is_watched(key)
    assert not replaced.merge(stale).is_watched(key)


@given(operations, keys, times)
def test_a_newer_unmark_survives_any_merge(
    ops: list[Operation], key: EpisodeKey, when: dt.datetime
) -> None:
    stale = mark_watched(apply(ops), [key], when)
    later = when + dt.timedelta(seconds=1)
    current = mark_unwatched(stale, [key], later)
    assert not current.merge(stale).is_watched(key)
    assert not stale.merge(current).is_watched(key)


@given(st.integers(1, 5))
def test_watching_again_counts_a_rewatch(times_watched: int) -> None:
    key = EpisodeKey("s", 1, 1)
    progress = Progress.empty()
    for n in range(times_watched):
        progress = mark_watched(progress, [key], START + dt.timedelta(minutes=n))
    record = progress.get(key)
    assert record is not None and record.watch_count == times_watched


@given(operations, keys, times)
def test_a_change_wins_over_what_it_replaces_even_on_a_frozen_clock(
    ops: list[Operation], key: EpisodeKey, when: dt.datetime
) -> None:
    before = mark_watched(apply(ops), [key], when)
    after = mark_unwatched(before, [key], when)  # same instant: the clock did not move
    assert not after.merge(before).is_watched(key)
    assert not before.merge(after).is_watched(key)
    again = mark_watched(after, [key], when - dt.timedelta(hours=1))  # clock stepped back
    assert again.merge(after).is_watched(key)


@given(operations)
def test_a_reused_writer_writes_what_a_fresh_one_does(
    ops: list[Operation],
) -> None:
    # The writer reuses the text of shows whose records did not change; after every
    # step its output must be exactly what formatting everything afresh gives.
    writer = ProgressWriter()
    progress = Progress.empty()
    for operation in ops:
        progress = step(progress, operation)
        assert writer.dumps(progress) == dumps_progress(progress)


@settings(max_examples=50, deadline=None)  # each example fsyncs files
@given(operations, operations)
def test_a_save_merges_what_another_store_wrote_since(
    tmp_path_factory: pytest.TempPathFactory,
    mine: list[Operation],
    theirs: list[Operation],
) -> None:
    # A store skips re-reading a file it wrote itself; it must still notice another's write.
    folder: Path = tmp_path_factory.mktemp("store")
    me, other = ProgressStore(folder / "progress.json"), ProgressStore(folder / "progress.json")
    me.save(Progress.empty())
    other.save(apply(theirs))
    assert me.save(apply(mine)) == apply(theirs).merge(apply(mine))
    assert other.load().progress == apply(theirs).merge(apply(mine))


@given(operations)
def test_the_fast_reader_reads_what_the_careful_one_does(
    ops: list[Operation],
) -> None:
    text = dumps_progress(apply(ops))
    assert read_progress(text.encode()) == from_json(json.loads(text)) == apply(ops)


def test_times_msgspec_refuses_still_read_carefully() -> None:
    # An offset instead of Z, and a space instead of T: valid ISO 8601 for the careful reader.
    record = '{"watched": true, "watched_at": "2026-01-01 03:00:00+03:00", "watch_count": 1, '
    record += '"changed_at": "2026-01-01T03:00:00+03:00"}'
    text = f'{{"version": 1, "shows": {{"a": {{"1": {{"2": {record}}}}}}}}}'
    progress = read_progress(text.encode())
    assert progress.get(EpisodeKey("a", 1, 2)) == from_json(json.loads(text)).get(
        EpisodeKey("a", 1, 2)
    )
    episode = progress.get(EpisodeKey("a", 1, 2))
    assert episode is not None and episode.changed_at == START
