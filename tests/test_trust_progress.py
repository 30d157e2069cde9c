"""Issue 9: undo against the current state, replace epochs, odd progress files, clock skew."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker_tui.domain.catalog.loader import load_catalog
from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.progress.format import (
    NewerFormatError,
    ProgressFormatError,
    dumps_progress,
    from_json,
    read_progress,
)
from tracker_tui.domain.progress.records import (
    EpisodeKey,
    EpisodeRecord,
    Progress,
    mark_unwatched,
    mark_watched,
    stamp_after,
)
from tracker_tui.domain.progress.store import ProgressStore
from tracker_tui.domain.watching.session import WatchSession

from .conftest import FIXED_NOW, RunCli

AOUD = "all-of-us-are-dead"
MINUTE = dt.timedelta(minutes=1)
T0, T1, T2, T3 = (FIXED_NOW - 10 * MINUTE + n * MINUTE for n in range(4))


def ep(episode: int, season: int = 1) -> EpisodeKey:
    return EpisodeKey(AOUD, season, episode)


def aoud() -> Show:
    show = load_catalog().get(AOUD)
    assert show is not None
    return show


def record_of(progress: Progress, key: EpisodeKey) -> EpisodeRecord:
    record = progress.get(key)
    assert record is not None
    return record


# --- item 3: undo is a change against the current state ----------------------------


def test_undo_keeps_a_rewatch_another_program_logged_since() -> None:
    session = WatchSession(Progress.empty())
    session.toggle(ep(1), T1)
    session.absorb(mark_watched(session.progress, [ep(1)], T2))  # `tracker watch` again
    session.undo(T3)
    record = record_of(session.progress, ep(1))
    assert (record.watched, record.watch_count, record.watched_at) == (True, 1, T2)


def test_undo_of_an_unwatch_gives_back_its_viewings_and_keeps_newer_ones() -> None:
    twice = mark_watched(mark_watched(Progress.empty(), [ep(1)], T0), [ep(1)], T0 + MINUTE / 2)
    session = WatchSession(twice)
    session.toggle(ep(1), T1)  # unwatch: two viewings gone
    session.absorb(mark_watched(session.progress, [ep(1)], T2))  # watched again elsewhere
    session.undo(T3)
    record = record_of(session.progress, ep(1))
    assert (record.watched, record.watch_count, record.watched_at) == (True, 3, T2)


def test_undo_of_a_watch_another_program_already_unwatched_changes_nothing() -> None:
    session = WatchSession(Progress.empty())
    session.toggle(ep(1), T1)
    session.absorb(mark_unwatched(session.progress, [ep(1)], T2))
    before = session.progress
    assert session.undo(T3) == [ep(1)]
    assert session.progress == before


def test_undo_of_mark_up_to_keeps_a_rewatch_logged_since() -> None:
    session = WatchSession(Progress.empty())
    session.mark_up_to(aoud(), ep(3), T1)
    session.absorb(mark_watched(session.progress, [ep(2)], T2))
    session.undo(T3)
    assert set(session.progress.watched_keys()) == {ep(2)}
    assert record_of(session.progress, ep(2)).watch_count == 1


# --- item 6: undoing `w` leaves no noise -----------------------------------------------


def test_undoing_mark_up_to_leaves_no_trace_of_episodes_never_watched() -> None:
    start = mark_watched(Progress.empty(), [ep(2)], T0)
    session = WatchSession(start)
    assert session.mark_up_to(aoud(), ep(4), T1) == [ep(1), ep(3), ep(4)]
    saved_before_undo = session.progress
    session.undo(T2)
    for n in (1, 3, 4):
        assert not session.progress.viewings(ep(n))
        assert not [entry for entry in session.progress.history() if entry.key == ep(n)]
    assert session.progress.get(ep(2)) == start.get(ep(2))
    # An older copy (the file saved before the undo) never brings a watch back.
    for merged in (saved_before_undo.merge(session.progress), session.progress.merge(start)):
        assert set(merged.watched_keys()) == {ep(2)}


def test_an_unwatch_keeps_the_viewings_it_replaced_so_history_can_tell() -> None:
    unwatched = mark_unwatched(mark_watched(Progress.empty(), [ep(1)], T0), [ep(1)], T1)
    record = record_of(unwatched, ep(1))
    # Version 2: the count is of viewings left; the unmark is in history, with its time.
    assert (record.watched, record.watch_count, record.watched_at) == (False, 0, None)
    assert [(e.event, e.at) for e in unwatched.history()] == [("unmarked", T1)]
    assert len(unwatched.episode_state(ep(1)).viewings) == 1  # type: ignore[union-attr]
    again = record_of(mark_watched(unwatched, [ep(1)], T2), ep(1))
    assert (again.watched, again.watch_count, again.watched_at) == (True, 1, T2)


def _state(record: EpisodeRecord | None) -> tuple[bool, int, dt.datetime | None] | None:
    if record is None or not record.watched:
        return None
    return (record.watched, record.watch_count, record.watched_at)


session_steps = st.lists(st.tuples(st.booleans(), st.integers(1, 12)), min_size=1, max_size=8)
starts = st.lists(st.tuples(st.booleans(), st.integers(1, 12)), max_size=10)


@settings(max_examples=100)
@given(starts, session_steps)
def test_undoing_every_change_restores_exactly_the_state_before(
    start: list[tuple[bool, int]], steps: list[tuple[bool, int]]
) -> None:
    progress = Progress.empty()
    for n, (watch, episode) in enumerate(start):
        change = mark_watched if watch else mark_unwatched
        progress = change(progress, [ep(episode)], T0 + n * dt.timedelta(seconds=1))
    session = WatchSession(progress)
    show = aoud()
    for up_to, episode in steps:
        if up_to:
            session.mark_up_to(show, ep(episode), T1)
        else:
            session.toggle(ep(episode), T1)
    while session.undo(T2):
        pass
    every = [ep(n) for n in range(1, 13)]
    assert [_state(session.progress.get(k)) for k in every] == [
        _state(progress.get(k)) for k in every
    ]


# --- item 3: a replace is something a running app respects ------------------------------


def test_a_replace_wins_over_state_from_before_it_in_either_order() -> None:
    mine = mark_watched(Progress.empty(), [ep(1), ep(2)], T1)
    replaced = mark_watched(Progress.empty(), [ep(3)], T0).as_replacement(T2)
    assert (
        replaced.epoch == T2
        and replaced.records == mark_watched(Progress.empty(), [ep(3)], T0).records
    )
    for merged in (mine.merge(replaced), replaced.merge(mine)):
        assert merged.epoch == T2
        assert set(merged.watched_keys()) == {ep(3)}
    later = mark_watched(mine, [ep(4)], T3)  # changed after the replace: kept
    assert set(later.merge(replaced).watched_keys()) == {ep(3), ep(4)}
    assert later.merge(replaced) == replaced.merge(later)


def test_a_change_to_a_replaced_progress_is_stamped_after_the_replace() -> None:
    replaced = Progress.empty().as_replacement(T2)
    changed = mark_watched(replaced, [ep(1)], T1)  # the clock stepped back
    assert record_of(changed, ep(1)).changed_at > T2
    assert changed.merge(replaced).is_watched(ep(1))


def test_a_running_app_respects_tracker_import_replace(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    app_store = ProgressStore(path)
    session = WatchSession(app_store.load().progress)
    session.toggle(ep(1), T1)
    session.absorb(app_store.save(session.progress))
    ProgressStore(path).replace(mark_watched(Progress.empty(), [ep(3)], T0))  # at FIXED_NOW
    assert json.loads(path.read_text())["epoch"] == "2026-11-21T12:00:00.000000Z"
    # The app has not noticed yet: its next save must not bring back what was replaced.
    session.absorb(app_store.save(session.progress))
    assert set(session.progress.watched_keys()) == {ep(3)}
    session.toggle(ep(2), FIXED_NOW + MINUTE)
    assert set(app_store.save(session.progress).watched_keys()) == {ep(2), ep(3)}
    assert set(ProgressStore(path).load().progress.watched_keys()) == {ep(2), ep(3)}


def test_the_epoch_survives_the_file_both_readers_and_the_writer() -> None:
    progress = mark_watched(Progress.empty(), [ep(1)], T0).as_replacement(T2)
    text = dumps_progress(progress)
    assert json.loads(text)["epoch"] == "2026-11-21T11:52:00.000000Z"
    assert read_progress(text.encode()).epoch == T2
    assert from_json(json.loads(text)).epoch == T2
    assert read_progress(text.encode()) == progress
    assert progress != Progress(progress.records)  # the epoch is part of the state
    assert '"epoch"' not in dumps_progress(Progress(progress.records))  # never replaced


# --- item 7: odd files give one clear message ----------------------------------------------


def _file(
    record: str = '{"watched": true, "watched_at": null, "watch_count": 1, '
    '"changed_at": "2026-01-01T00:00:00.000000Z"}',
    show: str = f'"{AOUD}"',
    season: str = '"1"',
    episode: str = '"1"',
    version: str = "1",
) -> bytes:
    return (
        f'{{"version": {version}, "shows": {{{show}: {{{season}: {{{episode}: {record}}}}}}}}}'
    ).encode()


def _timed(changed_at: str) -> str:
    return (
        f'{{"watched": true, "watched_at": null, "watch_count": 1, "changed_at": "{changed_at}"}}'
    )


ODD_FILES = {
    "deep array": (b'{"version": 1, "shows": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "deep"),
    "deep object": (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "deep"),
    "invalid UTF-8 in a key": (_file().replace(b"of-us", b"of-\xff"), "UTF-8"),
    "superscript two as a season": (_file(season='"²"'), "not a positive number"),
    "Arabic-Indic digit as an episode": (_file(episode='"٣"'), "not a positive number"),
    "a season number too long for int()": (_file(season='"' + "1" * 5000 + '"'), "number"),
    "a watch count too long for int()": (
        _file(record='{"watched": true, "watch_count": ' + "1" * 5000 + "}"),
        "number",
    ),
    "a lone surrogate in an id": (_file(show='"\\ud800"'), "surrogate"),
    "a field twice in a record": (
        _file(
            record=_timed("2026-01-01T00:00:00Z")[:-1] + ', "changed_at": "2026-01-02T00:00:00Z"}'
        ),
        "twice",
    ),
}


@pytest.mark.parametrize("name", list(ODD_FILES))
def test_an_odd_progress_file_gives_one_clear_message(name: str) -> None:
    raw, match = ODD_FILES[name]
    with pytest.raises(ProgressFormatError, match=match):
        read_progress(raw)


@pytest.mark.parametrize("name", list(ODD_FILES))
def test_importing_an_odd_file_fails_with_a_message_not_a_traceback(
    name: str, tmp_path: Path, run_cli: RunCli
) -> None:
    odd = tmp_path / "odd.json"
    odd.write_bytes(ODD_FILES[name][0])
    result = run_cli("import", str(odd))
    assert result.code == 1
    assert str(odd) in result.err and "Traceback" not in result.err


def test_a_file_from_a_newer_tracker_says_so() -> None:
    with pytest.raises(NewerFormatError) as raised:
        read_progress(_file(version="3", record='{"anything": "new"}'))
    assert str(raised.value) == (
        "written by a newer tracker (version 3); this tracker reads versions up to 2: "
        "upgrade tracker"
    )


def test_a_duplicated_episode_keeps_the_newer_record_wherever_it_is() -> None:
    newer, older = _timed("2026-01-02T00:00:00Z"), _timed("2026-01-01T00:00:00Z")
    older = older.replace("true", "false")
    for first, second in ((newer, older), (older, newer)):
        raw = _file(record=first)[:-4] + b', "1": ' + second.encode() + b"}}}}"
        record = record_of(read_progress(raw), ep(1))
        assert record.watched and record.changed_at == dt.datetime(2026, 1, 2, tzinfo=dt.UTC)


def test_a_duplicated_show_block_keeps_both_blocks_records() -> None:
    block = '"1": {"1": ' + _timed("2026-01-01T00:00:00Z") + "}"
    other = '"2": {"5": ' + _timed("2026-01-01T00:00:00Z") + "}"
    raw = f'{{"version": 1, "shows": {{"{AOUD}": {{{block}}}, "{AOUD}": {{{other}}}}}}}'
    assert set(read_progress(raw.encode()).watched_keys()) == {ep(1), ep(5, 2)}


def test_a_time_an_offset_takes_past_the_calendar_is_taken_as_its_end() -> None:
    # 0000-12-31T23:00Z and 10000-01-01T00:59:59Z do not exist in Python: no overflow,
    # the first or last instant instead (and the far future is taken as now).
    start, end = dt.datetime.min.replace(tzinfo=dt.UTC), dt.datetime.max.replace(tzinfo=dt.UTC)
    first = _file(record=_timed("0001-01-01T00:00:00+01:00"))
    last = _file(record=_timed("9999-12-31T23:59:59-01:00"))
    for changed_at, raw in ((start, first), (FIXED_NOW, last)):
        assert record_of(read_progress(raw), ep(1)).changed_at == changed_at
        assert record_of(from_json(json.loads(raw), FIXED_NOW), ep(1)).changed_at == changed_at
    assert record_of(read_progress(last, clamp_future=False), ep(1)).changed_at == end


def test_a_change_at_the_end_of_time_neither_freezes_an_episode_nor_crashes() -> None:
    progress = read_progress(_file(record=_timed("9999-12-31T23:59:59.999999Z")))
    assert record_of(progress, ep(1)).changed_at == FIXED_NOW
    unwatched = mark_unwatched(progress, [ep(1)], FIXED_NOW + MINUTE)
    assert not unwatched.merge(progress).is_watched(ep(1))
    end = dt.datetime.max.replace(tzinfo=dt.UTC)
    assert stamp_after(FIXED_NOW, end) == end


# --- item 22: clock skew ------------------------------------------------------------------

FAR = "2027-01-01T00:00:00.000000Z"
NEAR = "2026-11-22T11:00:00.000000Z"  # 23 hours ahead: a skewed clock, but allowed


def _skewed_file() -> bytes:
    return (
        f'{{"version": 1, "epoch": "{FAR}", "shows": {{"{AOUD}": {{"1": {{'
        f'"1": {_timed(FAR)}, "2": {_timed(NEAR)}, "3": {_timed("2026-01-01T00:00:00Z")}'
        "}}}}"
    ).encode()


def test_a_record_stamped_far_in_the_future_is_taken_as_changed_now() -> None:
    careful = from_json(json.loads(_skewed_file()), FIXED_NOW)
    for progress in (read_progress(_skewed_file()), careful):
        assert record_of(progress, ep(1)).changed_at == FIXED_NOW
        assert record_of(progress, ep(2)).changed_at == dt.datetime(2026, 11, 22, 11, tzinfo=dt.UTC)
        assert progress.epoch == FIXED_NOW
        unwatched = mark_unwatched(progress, [ep(1)], FIXED_NOW + MINUTE)
        assert not progress.merge(unwatched).is_watched(ep(1))


def test_far_future_keys_lists_what_the_file_says() -> None:
    from tracker_tui.domain.progress.records import far_future_keys

    as_written = read_progress(_skewed_file(), clamp_future=False)
    assert record_of(as_written, ep(1)).changed_at == dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    assert far_future_keys(as_written, FIXED_NOW) == [ep(1)]
    assert far_future_keys(read_progress(_skewed_file()), FIXED_NOW) == []


def test_validate_lists_records_stamped_far_in_the_future(
    tracker_home: Path, run_cli: RunCli
) -> None:
    (tracker_home / "progress.json").write_bytes(_skewed_file())
    result = run_cli("validate")
    assert re.search(rf"future-dated .*{AOUD} S1E1 ", result.out), result.out
    assert "S1E2" not in result.out
    assert (tracker_home / "progress.json").read_bytes() == _skewed_file()  # read-only


# --- fuzz: files from the real grammar, mutated -------------------------------------------

_EXTREME_TIMES = [
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "9999-12-31T23:59:59.999999Z",
    "2100-01-01T00:00:00Z",
    "0000-01-01T00:00:00Z",
    "2026-13-01T00:00:00Z",
]
_ODD_NUMBERS = ["²", "٣", "0", "-1", "1" * 30, "1e3", "01", " 1", "1" * 5000]
_TIME = re.compile(r'"[0-9]{4}-[0-9]{2}-[0-9]{2}T[^"]*"')
_KEY_NUMBER = re.compile(r'"([0-9]+)": \{')


@st.composite
def mutated_files(draw: st.DrawFn) -> tuple[str, bytes, Progress]:
    keys = st.builds(
        EpisodeKey, st.sampled_from([AOUD, "kaiju"]), st.integers(1, 3), st.integers(1, 9)
    )
    progress = Progress.empty()
    for watch, chosen, minutes in draw(
        st.lists(
            st.tuples(st.booleans(), st.lists(keys, max_size=3), st.integers(0, 10**6)), max_size=8
        )
    ):
        change = mark_watched if watch else mark_unwatched
        progress = change(progress, chosen, T0 - minutes * MINUTE)
    if draw(st.booleans()):
        progress = progress.as_replacement(T1)
    text = dumps_progress(progress)
    kind = draw(
        st.sampled_from(["none", "time", "number", "duplicate", "truncate", "bytes", "version"])
    )
    if kind == "time" and (times := list(_TIME.finditer(text))):
        spot = draw(st.sampled_from(times))
        text = (
            f'{text[: spot.start()]}"{draw(st.sampled_from(_EXTREME_TIMES))}"{text[spot.end() :]}'
        )
    elif kind == "number" and (numbers := list(_KEY_NUMBER.finditer(text))):
        spot = draw(st.sampled_from(numbers))
        text = text[: spot.start(1)] + draw(st.sampled_from(_ODD_NUMBERS)) + text[spot.end(1) :]
    elif kind == "duplicate":
        lines = text.split("\n")
        episode_lines = [
            n for n, line in enumerate(lines) if '"logged_at"' in line or '"changed_at"' in line
        ]
        if episode_lines:
            n = draw(st.sampled_from(episode_lines))
            line = lines[n] if lines[n].endswith(",") else lines[n] + ","
            lines.insert(n, line)
            text = "\n".join(lines)
    elif kind == "version":
        text = text.replace('"version": 2', f'"version": {draw(st.integers(-2, 5))}', 1)
    raw = text.encode()
    if kind == "truncate":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif kind == "bytes":
        at = draw(st.integers(0, len(raw)))
        raw = (
            raw[:at] + draw(st.sampled_from([b"\xff", b"\\ud800", b"[" * 5000, b"\x00"])) + raw[at:]
        )
    return kind, raw, progress


@settings(max_examples=100)
@given(mutated_files())
def test_any_mutated_file_is_read_or_refused_with_a_message(
    case: tuple[str, bytes, Progress],
) -> None:
    kind, raw, original = case
    try:
        progress = read_progress(raw)
    except ProgressFormatError as error:
        assert str(error)
        return
    if kind in ("none", "duplicate"):
        assert progress == original  # nothing lost
    limit = FIXED_NOW + dt.timedelta(days=1)
    assert all(record.changed_at <= limit for record in progress.records.values())
    text = dumps_progress(progress)
    text.encode("utf-8")
    assert read_progress(text.encode()) == progress
    mark_watched(progress, list(progress.records), FIXED_NOW)
    mark_unwatched(progress, list(progress.records), FIXED_NOW)
