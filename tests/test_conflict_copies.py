"""Sync tools' conflict copies of the progress file: found by name, merged by the next save,
then filed in backups/ (issue 13, item 5)."""

from __future__ import annotations

import datetime as dt
import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tracker_tui.domain import files
from tracker_tui.domain.progress import conflicts
from tracker_tui.domain.progress.conflicts import find_conflict_copies
from tracker_tui.domain.progress.format import dumps_progress, read_progress
from tracker_tui.domain.progress.records import EpisodeKey, Progress, mark_watched
from tracker_tui.domain.progress.store import ProgressSaveError, ProgressStore
from tracker_tui.tui import make_app

from .conftest import RunCli
from .pilot_helpers import notified, settle

AOUD = "all-of-us-are-dead"
PAST = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
SYNCTHING = "progress.sync-conflict-20260301-101010-ABCDEF7.json"

REAL_NAMES = [
    pytest.param(SYNCTHING, id="syncthing"),
    pytest.param("progress.sync-conflict-20260301-101010.json", id="syncthing-old"),
    pytest.param("progress (conflicted copy 2026-03-01 101010).json", id="nextcloud"),
    pytest.param("progress (conflicted copy anna 2026-03-01 101010).json", id="nextcloud-user"),
    pytest.param("progress_conflict-20260301-101010.json", id="owncloud-legacy"),
    pytest.param("progress (Anna's MacBook's conflicted copy 2026-03-01).json", id="dropbox"),
    pytest.param("progress (conflicted copy 2026-03-01 (1)).json", id="dropbox-numbered"),
]
NOT_COPIES = [
    "~syncthing~progress.json.tmp",
    ".syncthing.progress.json.tmp",
    ".syncthing.progress.sync-conflict-20260301-101010-ABCDEF7.json.tmp",
    "progress.json.bak",
    "progress.v1-backup.json",
    "progress.json.corrupt-20260301T101010000000Z",
    "progress (1).json",
    "settings (conflicted copy 2026-03-01 101010).json",
    "progress.sync-conflict-20260301-101010-ABCDEF7.json.tmp",
    "progress.sync-conflict-2026031-101010.json",
]


def aoud(episode: int) -> EpisodeKey:
    return EpisodeKey(AOUD, 1, episode)


def watched(*episodes: int) -> Progress:
    return mark_watched(Progress.empty(), [aoud(n) for n in episodes], PAST)


def write(path: Path, progress: Progress) -> Path:
    path.write_text(dumps_progress(progress), encoding="utf-8")
    return path


def on_disk(path: Path) -> Progress:
    return read_progress(path.read_bytes())


def viewings(progress: Progress) -> int:
    return sum(len(progress.viewings(key)) for key in progress.watched_keys())


@pytest.fixture
def store(tracker_home: Path) -> ProgressStore:
    store = ProgressStore(tracker_home / "progress.json")
    write(store.path, watched(1))
    return store


@pytest.mark.parametrize("name", REAL_NAMES)
def test_each_tools_copy_is_merged_and_filed_in_backups(
    store: ProgressStore, tracker_home: Path, name: str
) -> None:
    copy = write(tracker_home / name, watched(2))
    assert find_conflict_copies(store.path) == [copy]
    saved = store.save(watched(3))
    assert (
        set(on_disk(store.path).watched_keys())
        == {aoud(1), aoud(2), aoud(3)}
        == set(saved.watched_keys())
    )
    assert not copy.exists()
    assert set(on_disk(tracker_home / "backups" / name).watched_keys()) == {aoud(2)}
    [notice] = store.take_notices()
    assert "merged a sync conflict copy" in notice and name in notice


def test_only_the_tools_names_match(store: ProgressStore, tracker_home: Path) -> None:
    for name in NOT_COPIES:
        write(tracker_home / name, watched(5))
    (tracker_home / "progress.sync-conflict-20260301-111111.json").mkdir()
    assert find_conflict_copies(store.path) == []
    store.save(watched(1))
    assert sorted(p.name for p in tracker_home.iterdir() if p.name in NOT_COPIES) == sorted(
        NOT_COPIES
    )
    assert store.take_notices() == []


def test_patterns_follow_another_progress_files_name(tmp_path: Path) -> None:
    path = tmp_path / "my.tracker+1.json"
    names = [
        "my.tracker+1.sync-conflict-20260301-101010-ABCDEF7.json",
        "my.tracker+1 (conflicted copy 2026-03-01 101010).json",
        "progress.sync-conflict-20260301-101010-ABCDEF7.json",  # another file's copy
        "myXtracker+1.sync-conflict-20260301-101010.json",  # the dot is a dot, not any letter
    ]
    for name in names:
        (tmp_path / name).write_text("{}")
    assert sorted(p.name for p in find_conflict_copies(path)) == sorted(names[:2])
    bare = tmp_path / "history"
    (tmp_path / "history.sync-conflict-20260301-101010.json").write_text("{}")
    (tmp_path / "history_conflict-20260301-101010").write_text("{}")
    assert [p.name for p in find_conflict_copies(bare)] == ["history_conflict-20260301-101010"]


def test_copies_come_oldest_first_by_the_time_in_their_names(tmp_path: Path) -> None:
    names = [
        "progress (conflicted copy 2026-03-03 090000).json",
        "progress.sync-conflict-20260302-090000-ABCDEF7.json",
        "progress (Anna's conflicted copy 2026-03-01).json",
    ]
    for name in names:
        (tmp_path / name).write_text("{}")
    found = [p.name for p in find_conflict_copies(tmp_path / "progress.json")]
    assert found == list(reversed(names))


def test_two_copies_at_once_are_both_merged(store: ProgressStore, tracker_home: Path) -> None:
    write(tracker_home / SYNCTHING, watched(2))
    write(tracker_home / "progress (conflicted copy 2026-03-01 101010).json", watched(3))
    store.save(Progress.empty())
    assert set(on_disk(store.path).watched_keys()) == {aoud(1), aoud(2), aoud(3)}
    assert sorted(p.name for p in (tracker_home / "backups").iterdir()) == sorted(
        [SYNCTHING, "progress (conflicted copy 2026-03-01 101010).json"]
    )
    assert "2 sync conflict copies" in store.take_notices()[0]


def test_a_failed_move_keeps_the_copy_and_merging_again_adds_nothing(
    store: ProgressStore, tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = write(tracker_home / SYNCTHING, watched(2))
    seen_on_disk: list[Progress] = []

    def refuse(source: Path, target: Path) -> None:
        seen_on_disk.append(on_disk(store.path))  # the merged file is in place before a move
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(conflicts, "_move_no_replace", refuse)
    store.save(Progress.empty())
    assert set(seen_on_disk[0].watched_keys()) == {aoud(1), aoud(2)}
    assert copy.exists()
    [notice] = store.take_notices()
    assert "cannot move it" in notice and "I/O error" in notice
    store.save(Progress.empty())
    assert store.take_notices() == []  # said once per run
    monkeypatch.undo()
    after_restart = ProgressStore(store.path)
    after_restart.save(Progress.empty())
    assert not copy.exists()
    assert viewings(on_disk(store.path)) == 2  # merged three times, each viewing kept once


def test_an_invalid_copy_is_left_and_reported_once(
    store: ProgressStore, tracker_home: Path
) -> None:
    broken = tracker_home / "progress (conflicted copy 2026-03-01 101010).json"
    broken.write_text('{"version": 2, "shows": ')
    newer = tracker_home / SYNCTHING
    newer.write_text('{"version": 99, "shows": {}}')
    store.save(watched(2))
    notices = store.take_notices()
    assert len(notices) == 2
    assert any(str(broken) in n and "not a progress file tracker reads" in n for n in notices)
    assert any(str(newer) in n and "newer tracker" in n for n in notices)
    store.save(watched(3))
    assert store.take_notices() == []
    assert broken.exists() and newer.exists()
    assert set(on_disk(store.path).watched_keys()) == {aoud(1), aoud(2), aoud(3)}


def test_a_taken_name_in_backups_gets_a_number(store: ProgressStore, tracker_home: Path) -> None:
    backups = tracker_home / "backups"
    backups.mkdir()
    (backups / SYNCTHING).write_text("an earlier copy")
    (backups / "progress.sync-conflict-20260301-101010-ABCDEF7-2.json").write_text("another")
    write(tracker_home / SYNCTHING, watched(2))
    store.save(Progress.empty())
    assert (backups / SYNCTHING).read_text() == "an earlier copy"
    filed = backups / "progress.sync-conflict-20260301-101010-ABCDEF7-3.json"
    assert set(on_disk(filed).watched_keys()) == {aoud(2)}


def test_a_symlinked_copy_is_not_followed(store: ProgressStore, tracker_home: Path) -> None:
    elsewhere = write(tracker_home.parent / "elsewhere.json", watched(2))
    link = tracker_home / SYNCTHING
    link.symlink_to(elsewhere)
    store.save(Progress.empty())
    assert link.is_symlink() and elsewhere.exists()
    assert set(on_disk(store.path).watched_keys()) == {aoud(1)}


def test_backups_that_cannot_be_written_are_reported_not_raised(
    store: ProgressStore, tracker_home: Path
) -> None:
    (tracker_home / "backups").write_text("a file where the folder would be")
    copy = write(tracker_home / SYNCTHING, watched(2))
    store.save(Progress.empty())
    assert copy.exists()
    assert set(on_disk(store.path).watched_keys()) == {aoud(1), aoud(2)}
    assert "cannot move it" in store.take_notices()[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_a_read_only_folder_fails_the_save_with_a_message(
    store: ProgressStore, tracker_home: Path
) -> None:
    copy = write(tracker_home / SYNCTHING, watched(2))
    tracker_home.chmod(0o555)
    try:
        with pytest.raises(ProgressSaveError, match="cannot save"):
            store.save(Progress.empty())
    finally:
        tracker_home.chmod(0o755)
    assert copy.exists()


def test_a_read_only_folder_in_the_cli_is_a_message_not_a_traceback(
    store: ProgressStore,
    tracker_home: Path,
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Root ignores permissions, so the refusal comes from the temp file's creation."""
    copy = write(tracker_home / SYNCTHING, watched(2))

    def read_only(path: Path) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(files, "create_temp_file", read_only)
    result = run_cli("watch", "All of Us Are Dead", "s1e3")
    assert result.code == 1
    assert "Permission denied" in result.err and "Traceback" not in result.err
    assert copy.exists()


def test_the_cli_says_so_once_on_stderr(
    store: ProgressStore, tracker_home: Path, run_cli: RunCli
) -> None:
    write(tracker_home / SYNCTHING, watched(2))
    result = run_cli("watch", "All of Us Are Dead", "s1e3")
    assert result.code == 0
    assert result.err.count("merged a sync conflict copy") == 1
    assert SYNCTHING in result.err and str(tracker_home / "backups") in result.err
    assert set(on_disk(store.path).watched_keys()) == {aoud(1), aoud(2), aoud(3)}


def test_a_command_that_only_reads_changes_nothing_but_warns(
    store: ProgressStore, tracker_home: Path, run_cli: RunCli
) -> None:
    copy = write(tracker_home / SYNCTHING, watched(2))
    (tracker_home / "progress_conflict-20260301-101010.json").write_text("not json")
    before = {p.name: p.read_bytes() for p in tracker_home.iterdir()}
    result = run_cli("next", "--json")
    assert result.code == 0
    assert "1 sync conflict copy not merged yet" in result.err
    assert "progress_conflict-20260301-101010.json looks like" in result.err
    after = {p.name: p.read_bytes() for p in tracker_home.iterdir() if p.name != "cache"}
    assert after == before  # the catalog's cache is the only thing made
    assert copy.exists()


async def test_the_app_merges_copies_at_start_and_says_so(
    store: ProgressStore, tracker_home: Path
) -> None:
    write(tracker_home / SYNCTHING, watched(2))
    notices: list[str] = []
    app = make_app()
    async with app.run_test(size=(100, 30), message_hook=notified(notices)) as pilot:
        await settle(app, pilot, pauses=2)
        assert app.session.progress.is_watched(aoud(2))
    assert [n for n in notices if "merged a sync conflict copy" in n] != []
    assert not (tracker_home / SYNCTHING).exists()
    assert set(on_disk(store.path).watched_keys()) == {aoud(1), aoud(2)}


@pytest.mark.parametrize("refusal", ["no renameat2", "another file system"])
def test_the_move_never_replaces_without_renameat2_or_across_file_systems(
    store: ProgressStore, tracker_home: Path, monkeypatch: pytest.MonkeyPatch, refusal: str
) -> None:
    backups = tracker_home / "backups"
    real_renameat2: Callable[[Path, Path, int], bool] = files.renameat2

    def renameat2(source: Path, target: Path, flags: int) -> bool:
        if target.parent != backups:
            return real_renameat2(source, target, flags)
        if refusal == "no renameat2":
            return False
        raise OSError(errno.EXDEV, "Invalid cross-device link", str(target))

    monkeypatch.setattr(files, "renameat2", renameat2)
    backups.mkdir()
    (backups / SYNCTHING).write_text("an earlier copy")
    copy = write(tracker_home / SYNCTHING, watched(2))
    store.save(Progress.empty())
    assert not copy.exists()
    assert (backups / SYNCTHING).read_text() == "an earlier copy"
    filed = backups / "progress.sync-conflict-20260301-101010-ABCDEF7-2.json"
    assert set(on_disk(filed).watched_keys()) == {aoud(2)}
    assert [p.name for p in backups.iterdir() if p.name.endswith(".tmp")] == []


def test_at_start_an_invalid_copy_alone_rewrites_nothing(
    store: ProgressStore, tracker_home: Path
) -> None:
    (tracker_home / SYNCTHING).write_text("not json")
    before = files.file_stamp(store.path)
    assert store.merge_conflict_copies() is None
    assert files.file_stamp(store.path) == before
    [notice] = store.take_notices()
    assert "left where it is" in notice
    assert store.merge_conflict_copies() is None
    assert store.take_notices() == []


def test_pruning_old_backups_never_removes_a_filed_copy(tracker_home: Path) -> None:
    """A file named progress-1.json has copies whose names start like backups' names."""
    store = ProgressStore(tracker_home / "progress-1.json")
    write(store.path, watched(1))
    backups = tracker_home / "backups"
    backups.mkdir()
    for day in range(1, 11):
        (backups / f"progress-202611{day:02d}T000000000000Z.json").write_text("{}")
    copy = write(tracker_home / "progress-1.sync-conflict-20260301-101010.json", watched(2))
    store.save(Progress.empty())
    store.replace(watched(3))
    assert (backups / copy.name).exists()
    assert len(list(backups.glob("progress-2026*Z.json"))) == 10
