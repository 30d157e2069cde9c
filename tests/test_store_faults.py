"""The progress file under faults: concurrent writers, SIGKILL, full disk, bad files.

These tests use real processes and real files. A fault is faked only where the
operating system cannot produce it on demand (a full disk, or a read-only folder
when running as root).
"""

from __future__ import annotations

import datetime as dt
import errno
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import NoReturn

import pytest

from tracker_tui.domain import clock, files
from tracker_tui.domain.progress.format import dumps_progress, from_json
from tracker_tui.domain.progress.records import EpisodeKey, EpisodeRecord, Progress, mark_watched
from tracker_tui.domain.progress.store import ProgressSaveError, ProgressStore

from .conftest import FIXED_NOW, RunCli

AOUD = "all-of-us-are-dead"
BIG_SHOW_TOML = """
id = "big-show"
title = "Big Show"
kind = "series"

[[seasons]]
number = 1
episode_count = 100

[[seasons.status]]
state = "released"
detail = "Out"
on = "2024"
"""
CHILD_TIMEOUT = 30
PAST = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # a fixed change time, so states are predictable


def aoud(episode: int, season: int = 1) -> EpisodeKey:
    return EpisodeKey(AOUD, season, episode)


def read_progress(path: Path) -> Progress:
    """Parse the file strictly, the way a fresh tracker would."""
    return from_json(json.loads(path.read_text(encoding="utf-8")))


def temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".progress.json.*.tmp"))


def child_env(home: Path) -> dict[str, str]:
    return {**os.environ, "TRACKER_HOME": str(home)}


def tracker(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `tracker ARGS...` as its own process, as a second terminal would."""
    result = subprocess.run(
        [sys.executable, "-m", "tracker_tui", *args],
        env=child_env(home),
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


# --- 1. Concurrent writers -----------------------------------------------------

CLI_WORKER = """
import contextlib, io, sys, time
from pathlib import Path
from tracker_tui.cli.main import main

ready, go = Path(sys.argv[1]), Path(sys.argv[2])
numbers = range(int(sys.argv[3]), int(sys.argv[4]) + 1)
ready.touch()
while not go.exists():
    time.sleep(0.001)
for n in numbers:
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["watch", "big-show", f"s1e{n}"])
    if code != 0:
        sys.exit(f"watch s1e{n} exited {code}")
"""

STORE_WORKER = """
import datetime as dt, sys, time
from pathlib import Path
from tracker_tui.domain.progress.records import EpisodeKey, Progress, mark_watched
from tracker_tui.domain.progress.store import ProgressStore

path, ready, go = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
numbers = range(int(sys.argv[4]), int(sys.argv[5]) + 1)
store = ProgressStore(path)
mine = Progress.empty()  # never reloaded: every save carries only this process's marks
ready.touch()
while not go.exists():
    time.sleep(0.001)
for n in numbers:
    mine = mark_watched(mine, [EpisodeKey("big-show", 1, n)], dt.datetime.now(dt.UTC))
    store.save(mine)
"""


def run_together(tmp_path: Path, home: Path, script: str, jobs: list[list[str]]) -> None:
    """Start one process per job, release them at the same instant, and wait for all."""
    go = tmp_path / "go"
    readies = [tmp_path / f"ready-{i}" for i in range(len(jobs))]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, *args[:-2], str(ready), str(go), *args[-2:]],
            env=child_env(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args, ready in zip(jobs, readies, strict=True)
    ]
    try:
        deadline = time.monotonic() + CHILD_TIMEOUT
        while not all(ready.exists() for ready in readies):
            assert time.monotonic() < deadline, "workers never got ready"
            assert all(proc.poll() is None for proc in procs), "a worker died early"
            time.sleep(0.005)
        go.touch()
        for proc in procs:
            _, err = proc.communicate(timeout=CHILD_TIMEOUT)
            assert proc.returncode == 0, err
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def assert_all_hundred_watched(home: Path) -> None:
    progress = read_progress(home / "progress.json")
    assert sorted(progress.watched_keys("big-show")) == [
        EpisodeKey("big-show", 1, n) for n in range(1, 101)
    ]
    assert temp_files(home) == []
    assert list(home.glob("progress.json.corrupt-*")) == []


def test_two_cli_processes_marking_at_once_lose_nothing(tmp_path: Path, tracker_home: Path) -> None:
    """Each `watch` loads, then saves: without the lock and merge one would undo the other."""
    (tracker_home / "shows").mkdir()
    (tracker_home / "shows" / "big-show.toml").write_text(BIG_SHOW_TOML)
    run_together(tmp_path, tracker_home, CLI_WORKER, [["1", "50"], ["51", "100"]])
    assert_all_hundred_watched(tracker_home)


def test_two_stale_stores_saving_at_once_lose_nothing(tmp_path: Path, tracker_home: Path) -> None:
    """Each process only ever holds its own marks, so every save must merge with the disk."""
    path = str(tracker_home / "progress.json")
    run_together(tmp_path, tracker_home, STORE_WORKER, [[path, "1", "50"], [path, "51", "100"]])
    assert_all_hundred_watched(tracker_home)


# --- 2. SIGKILL mid-save ---------------------------------------------------------

CRASH_STEP = 10


def first_k_watched(k: int) -> Progress:
    record = EpisodeRecord(True, PAST, 1, PAST)
    return Progress({EpisodeKey("big-show", 1, n): record for n in range(1, k + 1)})


def crash_worker(path: Path, report: int) -> NoReturn:
    """The forked child: saves ever longer states until it is killed; says "ready" once it
    has read the file, and why if it stops by itself (a lock timeout, a torn file...)."""
    try:
        store = ProgressStore(path)
        k = len(store.load().progress.records)
        os.write(report, b"ready\n")
        while True:
            k += CRASH_STEP
            store.save(first_k_watched(k))
    except BaseException:
        os.write(report, traceback.format_exc().encode())
    finally:
        os._exit(1)


def read_all(fd: int) -> str:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks).decode(errors="replace")


def test_sigkill_mid_save_leaves_an_old_or_new_file(tracker_home: Path) -> None:
    """A crash at any instant leaves a whole state the writer saved, never a torn one.

    Each writer is a real process killed with a real SIGKILL, forked from this one rather
    than started afresh: the same code, without a new interpreter's import time for
    each of the 60 crashes."""
    path = tracker_home / "progress.json"
    rng = random.Random(20261121)
    last_k = 0
    for iteration in range(60):
        report, child_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(report)
            crash_worker(path, child_end)
        os.close(child_end)
        reaped = False
        try:
            with os.fdopen(report, "rb", buffering=0) as reader:
                ready = reader.readline()
                if ready != b"ready\n":
                    pytest.fail(f"iteration {iteration}: {ready.decode()}{read_all(report)}")
                time.sleep(rng.uniform(0, 0.05))
                os.kill(pid, signal.SIGKILL)
                _, status = os.waitpid(pid, 0)
                reaped = True
                err = read_all(report)
        finally:
            if not reaped:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        # A child that stopped by itself hit an error (a lock timeout, a torn file...).
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, err
        if not path.exists():
            assert last_k == 0, f"iteration {iteration}: the file vanished"
            continue
        progress = read_progress(path)
        k = len(progress.records)
        assert k % CRASH_STEP == 0 and progress == first_k_watched(k), f"iteration {iteration}"
        assert k >= last_k, f"iteration {iteration}: went back from {last_k} to {k}"
        last_k = k
    assert last_k > 0, "no child ever completed a save"
    assert list(tracker_home.glob("progress.json.corrupt-*")) == []


# --- 3. Full disk ----------------------------------------------------------------


def fill_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Half the bytes land in the temp file, then the disk is full."""

    def full_disk(fd: int, data: bytes) -> None:
        os.write(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "write_all", full_disk)


def test_full_disk_save_raises_and_keeps_the_old_file(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The partly written temp file must never be renamed over the good one."""
    path = tracker_home / "progress.json"
    store = ProgressStore(path)
    store.save(mark_watched(Progress.empty(), [aoud(1)], FIXED_NOW))
    before = path.read_bytes()
    fill_disk(monkeypatch)
    with pytest.raises(ProgressSaveError, match="No space left on device"):
        store.save(mark_watched(read_progress(path), [aoud(2)], FIXED_NOW))
    assert path.read_bytes() == before
    assert temp_files(tracker_home) == []


def test_full_disk_cli_fails_cleanly(
    tmp_path: Path, tracker_home: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    """The user gets exit 1 and the OS's reason, not a traceback, and keeps their file."""
    path = tracker_home / "progress.json"
    assert run_cli("watch", "all of us", "s1e1").code == 0
    before = path.read_bytes()
    fill_disk(monkeypatch)
    result = run_cli("watch", "all of us", "s1e2")
    assert result.code == 1
    assert "No space left on device" in result.err and "nothing was changed" in result.err
    assert "Traceback" not in result.err + result.out
    assert path.read_bytes() == before
    assert temp_files(tracker_home) == []

    exported = tmp_path / "export.json"
    result = run_cli("export", str(exported))
    assert result.code == 1 and "No space left on device" in result.err
    assert not exported.exists() and list(tmp_path.glob(".export.json.*.tmp")) == []


# --- 4. Read-only folder ---------------------------------------------------------


def test_read_only_folder_faked_cli_fails_cleanly(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    """Temp file creation refused: works as root, where chmod cannot stop writes."""
    path = tracker_home / "progress.json"
    assert run_cli("watch", "all of us", "s1e1").code == 0
    before = path.read_bytes()

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files, "create_temp_file", denied)
    result = run_cli("watch", "all of us", "s1e2")
    assert result.code == 1
    assert "Permission denied" in result.err and "Traceback" not in result.err
    assert path.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder_for_real_cli_fails_cleanly(tracker_home: Path, run_cli: RunCli) -> None:
    """The same through the real OS: the folder is chmod 0o555 after a first save."""
    path = tracker_home / "progress.json"
    assert run_cli("watch", "all of us", "s1e1").code == 0
    before = path.read_bytes()
    tracker_home.chmod(0o555)
    try:
        result = run_cli("watch", "all of us", "s1e2")
        assert result.code == 1
        assert "Permission denied" in result.err and "Traceback" not in result.err
        assert path.read_bytes() == before
        assert temp_files(tracker_home) == []
    finally:
        tracker_home.chmod(0o755)


# --- 5. Corrupt files ------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b'{"version": 1, "shows": []}',
        b"",
        b'\xff\xfe{"version": 1}',
    ],
    ids=["not-json", "wrong-shape", "empty", "not-utf8"],
)
def test_corrupt_file_is_moved_aside_untouched(
    tracker_home: Path, run_cli: RunCli, content: bytes
) -> None:
    """An unreadable file is never overwritten: a read leaves it, a save keeps it byte for byte.

    (A newer tracker's file is never moved: see test_trust_store.py.)
    """
    path = tracker_home / "progress.json"
    path.write_bytes(content)
    result = run_cli("shows")
    assert result.code == 0
    assert f"{path} is unreadable" in result.err and "left as it is" in result.err
    assert path.read_bytes() == content
    assert list(tracker_home.glob("progress.json.corrupt-*")) == []

    assert run_cli("watch", AOUD, "s1e1").code == 0
    [aside] = tracker_home.glob("progress.json.corrupt-*")
    fresh = read_progress(path)
    assert list(fresh.records) == [aoud(1)] and fresh.is_watched(aoud(1))
    assert aside.read_bytes() == content


def test_corrupt_file_that_cannot_be_moved_aside_is_not_overwritten(
    tracker_home: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the bad file cannot be renamed aside, no save may write over it."""
    path = tracker_home / "progress.json"
    path.write_bytes(b"not json")

    def refuse(self: ProgressStore, why: str) -> str:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(ProgressStore, "_move_aside", refuse)
    result = run_cli("watch", AOUD, "s1e1")
    assert "could not be moved aside" in result.err
    assert result.code == 1
    assert "Traceback" not in result.err
    assert path.read_bytes() == b"not json"


# --- 6. Orphaned progress --------------------------------------------------------


def test_orphaned_progress_is_kept_and_reported(tracker_home: Path, run_cli: RunCli) -> None:
    """Records the catalog has no place for survive saves and are shown, never dropped."""
    path = tracker_home / "progress.json"
    old = EpisodeRecord(True, PAST, 2, PAST)
    gone, s1e40 = EpisodeKey("gone-show", 1, 3), aoud(40)
    path.write_text(dumps_progress(Progress({gone: old, s1e40: old})), encoding="utf-8")

    assert run_cli("watch", AOUD, "s1e1").code == 0
    saved = read_progress(path)
    assert saved.get(gone) == old and saved.get(s1e40) == old
    assert saved.is_watched(aoud(1))

    shown = run_cli("show", AOUD)
    assert shown.code == 0
    assert any(
        line.startswith("Orphaned progress") and "S1E40" in line for line in shown.out.splitlines()
    ), shown.out

    validated = run_cli("validate")
    assert validated.code == 0
    assert any(
        line.startswith("orphaned progress") and "gone-show" in line
        for line in validated.out.splitlines()
    ), validated.out


# --- 7. Backups on import --replace ----------------------------------------------


def test_import_replace_keeps_the_last_ten_backups(
    tmp_path: Path, tracker_home: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    """Every replace backs up the old file; only the newest ten backups are kept."""
    ticks = itertools.count()
    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW + dt.timedelta(seconds=next(ticks)))
    path = tracker_home / "progress.json"
    assert run_cli("watch", AOUD, "s1e1").code == 0
    states = [path.read_text(encoding="utf-8")]  # states[j]: the file after replace j

    for j in range(1, 13):
        text = dumps_progress(mark_watched(Progress.empty(), [aoud(j, season=2)], PAST))
        incoming = tmp_path / f"import-{j}.json"
        incoming.write_text(text, encoding="utf-8")
        result = run_cli("import", str(incoming), "--replace")
        assert result.code == 0, result.err
        backup = Path(result.out.rsplit("kept as ", 1)[1].strip())
        assert backup.parent == tracker_home / "backups" and backup.exists()
        states.append(path.read_text(encoding="utf-8"))  # the import plus its replace epoch

    assert dict(read_progress(path).records) == dict(read_progress(incoming).records)
    backups = sorted((tracker_home / "backups").glob("progress-*.json"))
    # Replace j backed up states[j - 1]; the ten newest are replaces 3..12.
    assert [b.read_text(encoding="utf-8") for b in backups] == states[2:12]


# --- 8. Unmark vs a stale writer -------------------------------------------------


def test_unmark_is_not_undone_by_a_stale_writer(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Process B still holds s1e1 watched from before A's unmark; saving it must not revive it."""
    # A runs as real processes on the real clock; B must share it, or A's records look
    # like far-future ones to B and are taken as B's (fixed) now.
    monkeypatch.setattr(clock, "now", lambda: dt.datetime.now(dt.UTC))
    path = tracker_home / "progress.json"
    b_store = ProgressStore(path)
    b_state = b_store.load().progress  # B started before A did anything

    tracker(tracker_home, "watch", AOUD, "s1e1")  # A, at t1
    t1_record = read_progress(path).get(aoud(1))
    assert t1_record is not None and t1_record.watched

    # B saves an unrelated change and keeps the merged result: s1e1 watched at t1.
    b_state = b_store.save(mark_watched(b_state, [aoud(5)], dt.datetime.now(dt.UTC)))
    assert b_state.get(aoud(1)) == t1_record

    tracker(tracker_home, "unwatch", AOUD, "s1e1")  # A, at t2
    unmark = read_progress(path).get(aoud(1))
    assert unmark is not None and not unmark.watched
    assert unmark.changed_at > t1_record.changed_at

    # B saves its stale state, plus another unrelated change.
    b_store.save(mark_watched(b_state, [aoud(6)], dt.datetime.now(dt.UTC)))
    final = read_progress(path)
    assert final.get(aoud(1)) == unmark
    assert final.is_watched(aoud(5)) and final.is_watched(aoud(6))


def test_new_file_follows_the_umask_and_an_existing_mode_is_kept(tmp_path: Path) -> None:
    """A fresh progress file is created like any other file (0o666 less the umask)."""
    path = tmp_path / "progress.json"
    old = os.umask(0o027)
    try:
        ProgressStore(path).save(Progress.empty())
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o640
    path.chmod(0o600)
    ProgressStore(path).save(Progress.empty())
    assert path.stat().st_mode & 0o777 == 0o600
