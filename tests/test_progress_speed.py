"""A big progress file costs what a command touches: a command on one show builds only that
show's episodes, bytes known to pass the whole-file check are not checked again, and a
save formats only the shows that changed, even the first after a start."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker_tui.domain.progress import check_memo, fast_reader
from tracker_tui.domain.progress import format as format_module
from tracker_tui.domain.progress.format import dumps_progress, read_progress
from tracker_tui.domain.progress.loading import ProgressFile
from tracker_tui.domain.progress.model import EpisodeStates
from tracker_tui.domain.progress.records import (
    EpisodeKey,
    EpisodeState,
    Progress,
    ShowState,
    mark_unwatched,
    mark_watched,
    set_rating,
    set_status,
)
from tracker_tui.domain.progress.store import ProgressStore

from .conftest import FIXED_NOW, RunCli
from .test_progress_properties import SHOWS, Operation, apply, keys, operations

AOUAD = "all-of-us-are-dead"
CSV_EXPORT = Path(__file__).parent / "fixtures" / "exchange" / "csv" / "tracker.csv"
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


# --- The whole-file check, remembered for the very bytes checked -----------------


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The fast reader's whole-file checks made, each with its answer."""
    made: list[bool] = []
    looks_whole = fast_reader._looks_whole

    def counting(raw: bytes, decoded: fast_reader._File) -> bool:
        made.append(looks_whole(raw, decoded))
        return made[-1]

    monkeypatch.setattr(fast_reader, "_looks_whole", counting)
    return made


def read(path: Path) -> Progress:
    result = ProgressFile(path).load()
    assert result.notice is None, result.notice
    return result.progress


def test_a_file_checked_once_is_not_checked_again(big_file: Path, checks: list[bool]) -> None:
    first = read(big_file)
    assert checks == [True]
    assert check_memo.memo_path().is_file()
    assert read(big_file) == first
    assert checks == [True]


def test_the_same_bytes_written_again_need_no_check(big_file: Path, checks: list[bool]) -> None:
    # The memo holds the bytes' checksum, not the file's stamp: the same bytes under a new
    # stamp (a sync tool writing the file back) read as before.
    read(big_file)
    os.utime(big_file, ns=(1, 1))
    data = big_file.read_bytes()
    big_file.unlink()
    big_file.write_bytes(data)
    read(big_file)
    assert checks == [True]


def test_a_same_size_edit_that_repeats_a_key_goes_to_the_careful_reader(
    big_file: Path, checks: list[bool], fixed_clock: dt.datetime
) -> None:
    read(big_file)
    data = big_file.read_bytes()
    # "imported-show-11" spelled as "imported-show-10": the same size, a key repeated.
    edited = data.replace(b'"imported-show-11"', b'"imported-show-10"')
    assert len(edited) == len(data) and edited != data
    big_file.write_bytes(edited)
    progress = read(big_file)
    assert checks == [True, False]
    # The careful reader keeps both objects' episodes; msgspec would have kept one.
    assert progress == read_progress(edited)
    assert progress.viewings(EpisodeKey("imported-show-10", 1, 1))
    assert len(progress.show_state("imported-show-10").episodes) == 5
    assert "imported-show-11" not in progress.shows
    assert progress.rating("imported-show-10") in {1, 2}


@pytest.mark.parametrize(
    "memo",
    [
        b"{not json",
        b'{"format": 1}',
        b"[1, 2]",
        b"\xff\xfe",
        pytest.param(  # nested too deep for msgspec, which raises RecursionError
            b'{"format": 1, "code": ' + b"[" * 100_000 + b"]" * 100_000 + b', "files": []}',
            id="nested-too-deep",
        ),
    ],
)
def test_a_damaged_or_foreign_memo_is_ignored(
    big_file: Path, checks: list[bool], memo: bytes
) -> None:
    check_memo.memo_path().parent.mkdir(parents=True, exist_ok=True)
    check_memo.memo_path().write_bytes(memo)
    read(big_file)
    assert checks == [True]
    read(big_file)  # and replaced by a good one
    assert checks == [True]


def test_a_memo_time_without_a_zone_is_ignored(big_file: Path, checks: list[bool]) -> None:
    # A damaged memo of this very code: its `latest` lost its zone. Compared with the
    # reader's limit, an aware time, it would raise TypeError on every read.
    store = ProgressStore(big_file)
    store.save(mark_watched(store.load().progress, [EpisodeKey(AOUAD, 1, 2)], FIXED_NOW))
    memo = json.loads(check_memo.memo_path().read_bytes())
    assert memo["files"][0]["canonical"] and memo["files"][0]["latest"].endswith("Z")
    memo["files"][0]["latest"] = memo["files"][0]["latest"].removesuffix("Z")
    check_memo.memo_path().write_text(json.dumps(memo))
    expected = read_progress(big_file.read_bytes())
    checks.clear()
    assert ProgressStore(big_file).load().progress == expected
    assert checks == [True]  # the memo was ignored: the file checked again


def test_a_memo_made_by_other_code_is_ignored(big_file: Path, checks: list[bool]) -> None:
    read(big_file)
    memo = json.loads(check_memo.memo_path().read_bytes())
    memo["code"][0] = "0.0.1"  # another msgspec
    check_memo.memo_path().write_text(json.dumps(memo))
    read(big_file)
    assert checks == [True, True]


def test_a_fifo_at_the_memo_path_is_not_read(big_file: Path, checks: list[bool]) -> None:
    check_memo.memo_path().parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(check_memo.memo_path())
    read(big_file)  # would hang if the FIFO were opened for reading
    assert checks == [True]


def test_an_unwritable_cache_folder_is_no_error(
    big_file: Path, checks: list[bool], tracker_home: Path
) -> None:
    (tracker_home / "cache").write_text("a file where the cache folder goes\n")
    progress = read(big_file)
    assert read(big_file) == progress
    assert checks == [True, True]
    store = ProgressStore(big_file)
    store.load()
    store.save(mark_watched(progress, [EpisodeKey(AOUAD, 1, 2)], dt.datetime.now(dt.UTC)))


def test_reading_writes_only_in_the_cache_folder(
    big_file: Path, run_cli: RunCli, tracker_home: Path
) -> None:
    before = sorted(path for path in tracker_home.rglob("*") if "cache" not in path.parts)
    for command in (("history",), ("next", "--json"), ("viewings", AOUAD, "s1e1")):
        assert run_cli(*command).code == 0
    assert check_memo.memo_path().is_file()
    after = sorted(path for path in tracker_home.rglob("*") if "cache" not in path.parts)
    assert after == before


# --- The first save formats only what changed ----------------------------------------


@pytest.fixture
def formatted(monkeypatch: pytest.MonkeyPatch) -> BuildCounts:
    """How many times the writer formatted each show, by show id."""
    counts: BuildCounts = Counter()
    show_block = format_module._show_block

    def counting(show: str, state: ShowState) -> str:
        counts[show] += 1
        return show_block(show, state)

    monkeypatch.setattr(format_module, "_show_block", counting)
    return counts


@pytest.mark.parametrize(
    "command",
    [
        ("watch", AOUAD, "next"),
        ("watch", AOUAD, "s1e1", "--again"),
        ("unwatch", AOUAD, "s1e1"),
        ("rate", AOUAD, "8"),
        ("status", AOUAD, "on-hold"),
    ],
)
def test_a_save_on_one_show_builds_and_formats_only_that_show(
    big_file: Path,
    run_cli: RunCli,
    built: BuildCounts,
    formatted: BuildCounts,
    command: tuple[str, ...],
) -> None:
    assert run_cli("watch", AOUAD, "s1e2").code == 0  # our writer's file, from now on
    built.clear()
    formatted.clear()
    result = run_cli(*command)
    assert result.code == 0, result.err
    assert set(built) <= {AOUAD}
    assert dict(formatted) == {AOUAD: 1}
    data = big_file.read_bytes()
    assert data == dumps_progress(read_progress(data)).encode("utf-8")


def test_a_hand_edited_file_is_formatted_whole_on_the_first_save(
    big_file: Path, run_cli: RunCli, formatted: BuildCounts
) -> None:
    assert run_cli("watch", AOUAD, "s1e2").code == 0
    edited = json.dumps(json.loads(big_file.read_bytes()), indent=4) + "\n"
    big_file.write_text(edited)
    formatted.clear()
    assert run_cli("watch", AOUAD, "s1e3").code == 0
    assert len(formatted) == len(OTHER_SHOWS) + 1
    data = big_file.read_bytes()
    assert data == dumps_progress(read_progress(data)).encode("utf-8")


def test_a_time_taken_as_now_is_formatted_again(
    big_file: Path, formatted: BuildCounts, fixed_clock: dt.datetime
) -> None:
    store = ProgressStore(big_file)
    future = fixed_clock + dt.timedelta(days=3)
    store.save(mark_watched(store.load().progress, [EpisodeKey("imported-show-3", 2, 1)], future))
    formatted.clear()
    again = ProgressStore(big_file)
    saved = again.save(set_rating(again.load().progress, AOUAD, 5, fixed_clock))
    assert saved.viewings(EpisodeKey("imported-show-3", 2, 1))[0].logged_at == fixed_clock
    assert len(formatted) == len(OTHER_SHOWS) + 1  # the memo's latest time is too far ahead
    assert big_file.read_bytes() == dumps_progress(saved).encode("utf-8")


empty_episodes = st.lists(st.tuples(st.sampled_from(SHOWS), st.integers(1, 3)), max_size=2)
changes = st.sampled_from(["none", "watch", "unwatch", "rate", "status"])


@settings(max_examples=60, deadline=None)  # each example fsyncs files
@given(operations, empty_episodes, st.booleans(), changes, keys, st.booleans())
def test_a_save_after_a_read_writes_what_a_full_format_writes(
    tmp_path_factory: pytest.TempPathFactory,
    ops: list[Operation],
    empty: list[tuple[str, int]],
    far_future: bool,
    change: str,
    key: EpisodeKey,
    edit_by_hand: bool,
) -> None:
    # Whatever the file held and however it was written (by a store, with an episode a
    # reader drops, with a time a reader takes as now, then edited by hand), a fresh store's
    # first save writes exactly what formatting every show afresh writes.
    now = FIXED_NOW
    progress = apply(ops)
    if far_future:
        progress = mark_watched(progress, [key._replace(episode=99)], now + dt.timedelta(days=2))
    for show, episode in empty:
        state = progress.show_state(show)
        episodes = {**state.episodes, EpisodeKey(show, 9, episode): EpisodeState()}
        progress = progress.with_shows({show: state.replace(episodes=episodes)})
    path: Path = tmp_path_factory.mktemp("store") / "progress.json"
    ProgressStore(path).save(progress)
    if edit_by_hand:
        path.write_text(json.dumps(json.loads(path.read_bytes()), indent=1))
    known = check_memo.lookup(path.resolve(), path.read_bytes())
    written_by_us = known is not None and known.canonical
    assert written_by_us is not (bool(empty) or edit_by_hand)
    store = ProgressStore(path)
    read_back = store.load().progress
    assert read_back == read_progress(path.read_bytes())  # the outline read, built, as a whole one
    if change == "watch":
        read_back = mark_watched(read_back, [key], now)
    elif change == "unwatch":
        read_back = mark_unwatched(read_back, [key], now)
    elif change == "rate":
        read_back = set_rating(read_back, key.show, 7, now)
    elif change == "status":
        read_back = set_status(read_back, key.show, "dropped", now)
    with mock.patch.object(
        format_module, "_show_block", wraps=format_module._show_block
    ) as show_block:
        saved = store.save(read_back)
    if written_by_us and not far_future:
        assert show_block.call_count <= 1  # the show changed, if any
    assert path.read_bytes() == dumps_progress(saved).encode("utf-8")
    assert ProgressStore(path).load().progress == saved
    # The digest the save worked out from its kept sums is the one the bytes give whole.
    assert check_memo.lookup(path.resolve(), path.read_bytes()) is not None


def test_an_import_formats_only_the_shows_it_merges_into(
    big_file: Path, run_cli: RunCli, formatted: BuildCounts
) -> None:
    # The import writes its delta to a journal with the store's writer first: that must not
    # cost the text read from the file, or its save formats every show.
    assert run_cli("watch", AOUAD, "s1e2").code == 0  # our writer's file, from now on
    formatted.clear()
    result = run_cli("import", "--from", "csv", str(CSV_EXPORT))
    assert result.code == 0, result.err
    assert formatted, "the import added nothing"
    assert not set(formatted) & set(OTHER_SHOWS)
    data = big_file.read_bytes()
    assert data == dumps_progress(read_progress(data)).encode("utf-8")
