"""Progress file version 2 (issue 12, item 8): marks, viewings, history, the careful
reader's messages, the version 1 backup, and undo of each new session action."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker_tui.domain.progress.format import (
    ProgressFormatError,
    dumps_progress,
    read_progress,
    read_progress_version,
)
from tracker_tui.domain.progress.records import (
    STATUSES,
    EpisodeKey,
    EpisodeRecord,
    Progress,
    mark_unwatched,
    mark_watched,
    set_archived,
    set_rating,
    set_status,
)
from tracker_tui.domain.progress.store import ProgressStore
from tracker_tui.domain.watching.session import WatchSession

from .conftest import FIXED_NOW, RunCli

AOUD = "all-of-us-are-dead"
MINUTE = dt.timedelta(minutes=1)
T0, T1, T2, T3 = (FIXED_NOW - 10 * MINUTE + n * MINUTE for n in range(4))


def ep(episode: int, season: int = 1) -> EpisodeKey:
    return EpisodeKey(AOUD, season, episode)


# --- The model ----------------------------------------------------------------------


def test_viewings_are_oldest_first_with_unknown_times_first() -> None:
    progress = mark_watched(Progress.empty(), [ep(1)], T2)
    progress = mark_watched(progress, [ep(1)], T3, watched_at=T0)
    progress = Progress({ep(1): EpisodeRecord(True, T1, 2, T1)}).merge(progress)
    assert [v.watched_at for v in progress.viewings(ep(1))] == [None, T0, T1, T2]
    record = progress.get(ep(1))
    assert record == EpisodeRecord(True, T3, 4, T2)  # the latest viewing's time; the last log


def test_history_lists_every_viewing_and_each_unmark_newest_first() -> None:
    progress = Progress({ep(1): EpisodeRecord(True, T0, 2, T0)})  # one viewing of unknown time
    progress = mark_watched(progress, [ep(2)], T1)
    progress = mark_unwatched(progress, [ep(2)], T2)
    progress = mark_watched(progress, [ep(2)], T3)
    entries = [(e.key, e.event, e.at, e.time_known) for e in progress.history()]
    assert entries == [
        (ep(2), "watched", T3, True),
        (ep(2), "unmarked", T2, True),
        (ep(1), "watched", T0, True),
        (ep(1), "watched", T0, False),  # unknown: at is when it was logged
    ]
    assert progress.history("another-show") == []


def test_marks_are_read_back_and_validated() -> None:
    progress = set_status(Progress.empty(), AOUD, "on-hold", T0)
    progress = set_archived(progress, AOUD, True, T0)
    progress = set_rating(progress, AOUD, 8, T0)
    progress = set_rating(progress, AOUD, 7, T0, season=1)
    progress = set_rating(progress, AOUD, 9, T0, season=1, episode=3)
    assert progress.status(AOUD) == "on-hold" and progress.is_archived(AOUD)
    assert (progress.rating(AOUD), progress.rating(AOUD, 1), progress.rating(AOUD, 1, 3)) == (
        8,
        7,
        9,
    )
    assert progress.marked_show_ids() == {AOUD}
    assert progress.show_ids() == set()  # marks are not progress: `next` skips the show
    assert progress.get(ep(3)) is None
    assert read_progress(dumps_progress(progress).encode()) == progress
    cleared = set_status(set_archived(progress, AOUD, False, T1), AOUD, None, T1)
    assert cleared.status(AOUD) is None and not cleared.is_archived(AOUD)
    with pytest.raises(ValueError, match="watching, completed, on-hold, dropped, plan-to-watch"):
        set_status(progress, AOUD, "paused", T1)
    for bad in (0, 11, True):
        with pytest.raises(ValueError, match="from 1 to 10"):
            set_rating(progress, AOUD, bad, T1)
    with pytest.raises(ValueError, match="needs its season"):
        set_rating(progress, AOUD, 5, T1, episode=3)
    assert STATUSES == ("watching", "completed", "on-hold", "dropped", "plan-to-watch")


# --- The careful reader names the bad field ------------------------------------------------

VIEWING = '{"id": "a1", "watched_at": null, "logged_at": "2026-01-01T00:00:00Z"}'
MARK = '{"value": 8, "changed_at": "2026-01-01T00:00:00Z"}'


def _file(episode: str = f'{{"viewings": [{VIEWING}]}}', show_extra: str = "") -> bytes:
    return (
        f'{{"version": 2, "shows": {{"x": {{{show_extra}"seasons": {{"1": {{"episodes": '
        f'{{"3": {episode}}}}}}}}}}}}}'
    ).encode()


BAD_FILES = {
    "a bad logged_at": (
        _file('{"viewings": [{"id": "a1", "watched_at": null, "logged_at": "yesterday"}]}'),
        "shows.x.seasons.1.episodes.3.viewings[0].logged_at: 'yesterday' is not an ISO 8601",
    ),
    "a time without a zone": (
        _file(
            '{"viewings": [{"id": "a1", "watched_at": "2026-01-01T00:00:00", '
            '"logged_at": "2026-01-01T00:00:00Z"}]}'
        ),
        "shows.x.seasons.1.episodes.3.viewings[0].watched_at: '2026-01-01T00:00:00' has no time",
    ),
    "watched_at missing": (
        _file('{"viewings": [{"id": "a1", "logged_at": "2026-01-01T00:00:00Z"}]}'),
        "viewings[0].watched_at: missing (null when not known)",
    ),
    "an id with a space": (
        _file(f'{{"viewings": [{VIEWING.replace("a1", "a 1")}]}}'),
        "viewings[0].id: expected an id of 1 to 64 letters, digits, - or _",
    ),
    "viewings not a list": (_file('{"viewings": {}}'), "episodes.3.viewings: expected a list"),
    "an unknown field": (
        _file('{"viewings": [], "seen": true}'),
        "shows.x.seasons.1.episodes.3: unknown field 'seen'",
    ),
    "a rating of 11": (
        _file(f'{{"viewings": [], "rating": {MARK.replace("8", "11")}}}'),
        "episodes.3.rating.value: expected a whole number from 1 to 10, or null",
    ),
    "an unknown status": (
        _file(show_extra='"status": {"value": "paused", "changed_at": "2026-01-01T00:00:00Z"}, '),
        "shows.x.status.value: expected null or one of watching, completed",
    ),
    "archived as text": (
        _file(show_extra='"archived": {"value": "yes", "changed_at": "2026-01-01T00:00:00Z"}, '),
        "shows.x.archived.value: expected true, false or null",
    ),
    "a removed id that is a number": (
        _file('{"viewings": [], "removed": [7]}'),
        "episodes.3.removed[0]: expected an id",
    ),
    "a season that is no number": (
        _file().replace(b'"1": {"episodes"', b'"one": {"episodes"'),
        "shows.x.seasons: 'one' is not a positive number",
    ),
    "a field twice": (
        _file(
            '{"viewings": [], "cleared_at": "2026-01-01T00:00:00Z", '
            '"cleared_at": "2026-01-02T00:00:00Z"}'
        ),
        "episodes.3: 'cleared_at' appears twice",
    ),
    "a version 1 watch count too large to be viewings": (
        b'{"version": 1, "shows": {"x": {"1": {"1": {"watched": true, "watch_count": 99999, '
        b'"changed_at": "2026-01-01T00:00:00Z"}}}}}',
        "shows.x.1.1.watch_count: expected a whole number from 0 to 10000",
    ),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_the_careful_reader_names_the_bad_field(name: str) -> None:
    raw, message = BAD_FILES[name]
    with pytest.raises(ProgressFormatError) as raised:
        read_progress(raw)
    assert message in str(raised.value)


def test_a_hand_written_file_without_optional_fields_reads() -> None:
    progress = read_progress(b'{"version": 2, "shows": {"x": {"seasons": {"1": {}}}}}')
    assert progress == Progress.empty()
    progress, version = read_progress_version(_file())
    assert version == 2 and progress.is_watched(EpisodeKey("x", 1, 3))


# --- The store: the version 1 file is kept on the first save -------------------------------

VERSION1 = (
    b'{"version": 1, "shows": {"all-of-us-are-dead": {"1": {"1": {"watched": true, '
    b'"watched_at": "2026-01-01T00:00:00Z", "watch_count": 2, '
    b'"changed_at": "2026-01-01T00:00:00Z"}}}}}'
)


def test_the_first_save_over_a_version1_file_keeps_it_once(tracker_home: Path) -> None:
    path = tracker_home / "progress.json"
    path.write_bytes(VERSION1)
    store = ProgressStore(path)
    loaded = store.load().progress
    assert loaded.get(ep(1)) == EpisodeRecord(
        True, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), 2, dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    saved = store.save(mark_watched(loaded, [ep(2)], T0))
    backup = tracker_home / "progress.v1-backup.json"
    assert backup.read_bytes() == VERSION1
    [notice] = store.take_notices()
    assert str(backup) in notice and "version 2" in notice
    assert json.loads(path.read_bytes())["version"] == 2
    assert read_progress(path.read_bytes()) == saved
    assert saved.get(ep(1)) == loaded.get(ep(1))  # nothing lost
    store.save(mark_watched(saved, [ep(3)], T1))
    assert store.take_notices() == []  # said once; the file is version 2 now
    assert sorted(p.name for p in tracker_home.glob("progress.v1-backup*")) == [backup.name]


def test_a_second_upgrade_never_overwrites_an_earlier_backup(tracker_home: Path) -> None:
    path = tracker_home / "progress.json"
    (tracker_home / "progress.v1-backup.json").write_bytes(b"an earlier backup")
    path.write_bytes(VERSION1)
    store = ProgressStore(path)
    store.save(store.load().progress)
    assert (tracker_home / "progress.v1-backup.json").read_bytes() == b"an earlier backup"
    assert (tracker_home / "progress.v1-backup-2.json").read_bytes() == VERSION1


def test_no_backup_when_the_file_is_already_version2(tracker_home: Path) -> None:
    path = tracker_home / "progress.json"
    store = ProgressStore(path)
    store.save(mark_watched(Progress.empty(), [ep(1)], T0))
    other = ProgressStore(path)
    other.save(mark_watched(other.load().progress, [ep(2)], T1))
    assert list(tracker_home.glob("progress.v1-backup*")) == []
    assert other.take_notices() == []


def test_export_writes_version2_and_import_reads_version1(
    tracker_home: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    old = tmp_path / "old.json"
    old.write_bytes(VERSION1)
    result = run_cli("import", str(old))
    assert result.code == 0, result.err
    exported = json.loads(run_cli("export").out)
    assert exported["version"] == 2
    viewings = exported["shows"][AOUD]["seasons"]["1"]["episodes"]["1"]["viewings"]
    assert [v["watched_at"] for v in viewings] == [None, "2026-01-01T00:00:00.000000Z"]


# --- Undo of each new session action -----------------------------------------------------------


def test_undo_of_watch_again_takes_back_only_that_viewing() -> None:
    session = WatchSession(mark_watched(Progress.empty(), [ep(1)], T0))
    first = session.progress.viewings(ep(1))
    session.watch_again(ep(1), T1)
    assert len(session.progress.viewings(ep(1))) == 2
    assert session.undo(T2) == [ep(1)]
    assert session.progress.viewings(ep(1)) == first


def test_undo_of_a_removed_viewing_gives_it_back_with_its_time() -> None:
    start = mark_watched(mark_watched(Progress.empty(), [ep(1)], T0), [ep(1)], T1)
    session = WatchSession(start)
    removed = session.progress.viewings(ep(1))[0]
    session.remove_viewing(ep(1), removed.id, T2)
    assert [v.watched_at for v in session.progress.viewings(ep(1))] == [T1]
    session.undo(T3)
    assert [v.watched_at for v in session.progress.viewings(ep(1))] == [T0, T1]
    # A copy from before the removal merges without doubling anything: the removed
    # original stays removed, and the copy given back stands for it.
    assert len(session.progress.merge(start).viewings(ep(1))) == 2


def test_undo_of_each_mark_sets_back_what_was_there() -> None:
    session = WatchSession(set_status(Progress.empty(), AOUD, "watching", T0))
    session.set_status(AOUD, "on-hold", T1)
    session.set_archived(AOUD, True, T1)
    session.set_rating(AOUD, 8, T1)
    session.set_rating(AOUD, 6, T1, season=1)
    session.set_rating(AOUD, 9, T1, season=1, episode=2)
    assert session.undo(T2) == [ep(2)]
    assert session.progress.rating(AOUD, 1, 2) is None
    for _ in range(4):
        session.undo(T2)
    progress = session.progress
    assert (progress.status(AOUD), progress.is_archived(AOUD)) == ("watching", False)
    assert (progress.rating(AOUD), progress.rating(AOUD, 1)) == (None, None)
    assert session.undo(T2) == [] and not session.undo_stack


def test_undo_of_a_mark_changed_since_elsewhere_keeps_theirs() -> None:
    session = WatchSession(Progress.empty())
    session.set_status(AOUD, "on-hold", T1)
    session.absorb(set_status(session.progress, AOUD, "dropped", T2))  # another program
    session.undo(T3)
    assert session.progress.status(AOUD) == "dropped"


def test_an_invalid_mark_is_refused_and_not_remembered() -> None:
    session = WatchSession(Progress.empty())
    with pytest.raises(ValueError):
        session.set_rating(AOUD, 12, T1)
    with pytest.raises(ValueError):
        session.set_status(AOUD, "lost", T1)
    assert session.undo_stack == [] and session.progress == Progress.empty()


def test_the_readme_example_is_a_version2_file_as_described() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Progress file") :]
    example = section[section.index("```json\n") + 8 : section.index("```\n", 8)]
    progress, version = read_progress_version(example.encode(), clamp_future=False)
    assert version == 2
    assert (progress.status(AOUD), progress.rating(AOUD), progress.rating(AOUD, 1)) == (
        "on-hold",
        8,
        7,
    )
    first, second = progress.get(ep(1)), progress.get(ep(2))
    assert first is not None and (first.watched, first.watch_count) == (True, 2)
    assert second is not None and not second.watched


def test_the_fast_reader_decodes_the_version_the_writer_writes() -> None:
    from tracker_tui.domain.progress import fast_reader, format

    assert fast_reader.VERSION == format.FORMAT_VERSION


session_actions = st.lists(
    st.tuples(
        st.sampled_from(["toggle", "again", "remove", "status", "archive", "rate"]),
        st.integers(1, 4),
        st.integers(0, 10),
    ),
    min_size=1,
    max_size=10,
)


def _glance(progress: Progress) -> object:
    """What a user sees: each episode's watched state, count and date, and every mark."""
    episodes = {
        key: (r.watched, r.watch_count, r.watched_at)
        for key, r in progress.records.items()
        if r.watched
    }
    marks = (
        progress.status(AOUD),
        progress.is_archived(AOUD),
        progress.rating(AOUD),
        progress.rating(AOUD, 1),
        [progress.rating(AOUD, 1, n) for n in range(1, 5)],
    )
    return episodes, marks


@settings(max_examples=100, deadline=None)
@given(session_actions, session_actions)
def test_undoing_every_action_restores_what_a_user_saw(
    before: list[tuple[str, int, int]], actions: list[tuple[str, int, int]]
) -> None:
    def run(session: WatchSession, steps: list[tuple[str, int, int]], at: dt.datetime) -> None:
        for kind, episode, n in steps:
            if kind == "toggle":
                session.toggle(ep(episode), at)
            elif kind == "again":
                session.watch_again(ep(episode), at)
            elif kind == "remove" and (viewings := session.progress.viewings(ep(episode))):
                session.remove_viewing(ep(episode), viewings[n % len(viewings)].id, at)
            elif kind == "status":
                session.set_status(AOUD, None if n >= len(STATUSES) else STATUSES[n], at)
            elif kind == "archive":
                session.set_archived(AOUD, n % 2 == 0, at)
            elif kind == "rate":
                season, number = (1, episode) if n % 2 else (None, None)
                session.set_rating(AOUD, n or None, at, season, number)

    setup = WatchSession(Progress.empty())
    run(setup, before, T0)
    session = WatchSession(setup.progress)
    run(session, actions, T1)
    while session.undo_stack:
        session.undo(T2)
    assert _glance(session.progress) == _glance(setup.progress)
