"""The progress store under issue 9's faults: special files, other writers, backups, bad files.

Real FIFOs, symlinks, sockets, renaming processes and a real full tmpfs where the
machine allows; a fault is faked only where the OS cannot produce it on demand.
"""

from __future__ import annotations

import datetime as dt
import errno
import itertools
import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from filelock import FileLock

from tracker_tui.domain import clock, files
from tracker_tui.domain.files import file_stamp
from tracker_tui.domain.progress import loading as loading_module
from tracker_tui.domain.progress import store as store_module
from tracker_tui.domain.progress.format import (
    NewerFormatError,
    ReadFile,
    dumps_progress,
    from_json,
)
from tracker_tui.domain.progress.records import EpisodeKey, Progress, mark_watched
from tracker_tui.domain.progress.store import ProgressSaveError, ProgressStore

from .conftest import FIXED_NOW, RunCli

AOUD = "all-of-us-are-dead"
PAST = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
HANG_LIMIT_SECONDS = 5.0


def aoud(episode: int, season: int = 1) -> EpisodeKey:
    return EpisodeKey(AOUD, season, episode)


def watched(*keys: EpisodeKey) -> Progress:
    return mark_watched(Progress.empty(), list(keys), PAST)


def read_strictly(path: Path) -> Progress:
    """Parse the file the way a fresh tracker would."""
    return from_json(json.loads(path.read_text(encoding="utf-8")))


def temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".progress.json.*.tmp"))


def corrupt_copies(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.corrupt-*"))


def ticking_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """One second per reading, so names made from the time (backups, aside copies) differ."""
    ticks = itertools.count()
    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW + dt.timedelta(seconds=next(ticks)))


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


# --- Item 2: symlinks and special files ----------------------------------------------


@pytest.mark.parametrize("relative", [True, False], ids=["relative-link", "absolute-link"])
def test_symlinked_progress_file_stays_a_symlink(
    tmp_path: Path, tracker_home: Path, relative: bool
) -> None:
    """A progress file linked into a synced folder keeps syncing: the save lands at the target."""
    synced = tmp_path / "synced"
    synced.mkdir()
    target = synced / "progress.json"
    target.write_text(dumps_progress(watched(aoud(1))), encoding="utf-8")
    link = tracker_home / "progress.json"
    link.symlink_to(os.path.relpath(target, tracker_home) if relative else target)

    store = ProgressStore(link)
    assert store.load().progress.is_watched(aoud(1))
    merged, stamp = store.save_stamped(watched(aoud(2)))

    assert link.is_symlink() and link.resolve() == target.resolve()
    assert read_strictly(target) == merged and merged.is_watched(aoud(1))
    assert stamp == store.stamp() == file_stamp(target)
    assert temp_files(synced) == [] and temp_files(tracker_home) == []


def test_dangling_symlink_is_created_at_its_target(tmp_path: Path, tracker_home: Path) -> None:
    """A link to a file not made yet (a fresh synced folder) starts empty; a save makes the file."""
    synced = tmp_path / "synced"
    synced.mkdir()
    link = tracker_home / "progress.json"
    link.symlink_to(synced / "progress.json")
    store = ProgressStore(link)
    loaded = store.load()
    assert loaded.progress == Progress.empty()
    store.save(watched(aoud(1)))
    assert link.is_symlink()
    assert read_strictly(synced / "progress.json").is_watched(aoud(1))


def test_dangling_symlink_into_a_missing_folder_is_refused(
    tmp_path: Path, tracker_home: Path
) -> None:
    """A synced folder that is not mounted must not be recreated empty behind the user's back."""
    missing = tmp_path / "not-mounted" / "progress.json"
    link = tracker_home / "progress.json"
    link.symlink_to(missing)
    with pytest.raises(ProgressSaveError, match="not-mounted"):
        ProgressStore(link).save(watched(aoud(1)))
    assert link.is_symlink() and not missing.parent.exists()


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def make_directory(path: Path) -> None:
    path.mkdir()


def make_socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays on disk


def make_device(path: Path) -> None:
    try:
        os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
    except PermissionError:
        pytest.skip("this machine does not let us make a device file")


SPECIAL_FILES: dict[str, tuple[Callable[[Path], None], str]] = {
    "fifo": (make_fifo, "is a FIFO"),
    "directory": (make_directory, "is a directory"),
    "socket": (make_socket, "is a socket"),
    "device": (make_device, "is a character device"),
}


def without_hanging(action: Callable[[], object], fifo: Path | None = None) -> object:
    """Run `action`, failing (not hanging) if it blocks: a FIFO's open waits for a writer."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(action())
        except BaseException as error:  # handed to the test below
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG_LIMIT_SECONDS)
    if thread.is_alive():
        if fifo is not None:  # let the stuck reader go, so the thread ends
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail(f"hung for {HANG_LIMIT_SECONDS}s")
    [result] = outcome
    return result


@pytest.mark.parametrize("kind", sorted(SPECIAL_FILES))
@pytest.mark.parametrize("through_link", [False, True], ids=["direct", "via-symlink"])
def test_special_file_is_refused_clearly_and_never_hangs(
    tmp_path: Path, tracker_home: Path, kind: str, through_link: bool
) -> None:
    """A FIFO used to hang every command; now load and save both say what it is, at once."""
    make, words = SPECIAL_FILES[kind]
    special = tmp_path / "special"
    make(special)
    path = tracker_home / "progress.json"
    if through_link:
        path.symlink_to(special)
    else:
        path = special
    store = ProgressStore(path)
    fifo = special if kind == "fifo" else None

    loaded = without_hanging(store.load, fifo)
    assert isinstance(loaded, store_module.LoadResult), loaded
    assert loaded.progress == Progress.empty()
    assert loaded.notice is not None and words in loaded.notice and str(path) in loaded.notice
    assert "regular file" in loaded.notice

    error = without_hanging(lambda: store.save(watched(aoud(1))), fifo)
    assert isinstance(error, ProgressSaveError), error
    assert words in str(error) and "regular file" in str(error)
    assert not stat.S_ISREG(special.lstat().st_mode)  # still there, still what it was
    assert path.is_symlink() == through_link


def test_a_fifo_swapped_in_after_the_check_does_not_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check and the open race; the open itself must not wait for a writer."""
    path = tmp_path / "progress.json"
    os.mkfifo(path)
    real_stat = os.stat
    regular = real_stat(__file__)

    def looks_regular(target: object, *args: object, **kwargs: object) -> os.stat_result:
        if str(target) == str(path):
            return regular
        return real_stat(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("tracker_tui.domain.files.os.stat", looks_regular)
    loaded = without_hanging(ProgressStore(path).load, path)
    assert isinstance(loaded, store_module.LoadResult), loaded
    assert loaded.notice is not None and "is a FIFO" in loaded.notice


def test_cli_with_a_fifo_progress_file_fails_fast(tmp_path: Path, tracker_home: Path) -> None:
    """The whole command, as a user runs it: a clear line, no traceback, no hang."""
    fifo = tmp_path / "progress.fifo"
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "tracker_tui", "--progress-file", str(fifo), "shows"],
        env={**os.environ, "TRACKER_HOME": str(tracker_home)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert "is a FIFO, not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


# --- Item 4: writers that do not take the lock ----------------------------------------


def foreign_file(path: Path, progress: Progress) -> None:
    """What a sync tool does: write a whole new file elsewhere, rename it over, no lock."""
    incoming = path.with_name("incoming.sync")
    incoming.write_text(dumps_progress(progress), encoding="utf-8")
    incoming.replace(path)


def test_a_rename_just_before_ours_is_merged_not_overwritten(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sync tool's file lands after the save read the disk and before it renames."""
    path = tracker_home / "progress.json"
    store = ProgressStore(path)
    store.save(watched(aoud(1)))
    real_write_temp = files.write_temp
    landed: list[bool] = []

    def sync_lands_meanwhile(target: Path, data: bytes) -> Path:
        temp = real_write_temp(target, data)
        if not landed:
            landed.append(True)
            foreign_file(path, watched(aoud(1), aoud(9)))
        return temp

    monkeypatch.setattr(files, "write_temp", sync_lands_meanwhile)
    merged = store.save(watched(aoud(2)))
    assert landed
    on_disk = read_strictly(path)
    assert on_disk == merged
    assert all(on_disk.is_watched(aoud(n)) for n in (1, 2, 9))
    assert temp_files(tracker_home) == []


def test_a_rename_in_the_instant_before_the_exchange_is_put_back_and_merged(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the last check there is still an instant: the exchange shows what we replaced."""
    path = tracker_home / "progress.json"
    store = ProgressStore(path)
    store.save(watched(aoud(1)))
    real_renameat2 = files.renameat2
    landed: list[bool] = []

    def sync_lands_in_the_instant(source: Path, target: Path, flags: int) -> bool:
        if not landed:
            landed.append(True)
            foreign_file(path, watched(aoud(1), aoud(9)))
        return real_renameat2(source, target, flags)

    monkeypatch.setattr(files, "renameat2", sync_lands_in_the_instant)
    merged = store.save(watched(aoud(2)))
    assert landed
    on_disk = read_strictly(path)
    assert on_disk == merged and all(on_disk.is_watched(aoud(n)) for n in (1, 2, 9))
    assert temp_files(tracker_home) == []


def test_a_file_made_in_the_instant_before_our_first_save_is_merged(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No file when we read, one when we rename: ours must not replace it unread."""
    path = tracker_home / "progress.json"
    real_renameat2 = files.renameat2
    landed: list[bool] = []

    def sync_lands_in_the_instant(source: Path, target: Path, flags: int) -> bool:
        if not landed:
            landed.append(True)
            foreign_file(path, watched(aoud(9)))
        return real_renameat2(source, target, flags)

    monkeypatch.setattr(files, "renameat2", sync_lands_in_the_instant)
    merged = ProgressStore(path).save(watched(aoud(2)))
    assert landed
    on_disk = read_strictly(path)
    assert on_disk == merged and on_disk.is_watched(aoud(2)) and on_disk.is_watched(aoud(9))
    assert temp_files(tracker_home) == []


def test_saves_work_where_there_is_no_renameat2(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Other systems and some file systems lack it: a plain rename after the check."""
    monkeypatch.setattr(files, "renameat2", lambda source, target, flags: False)
    path = tracker_home / "progress.json"
    store = ProgressStore(path)
    store.save(watched(aoud(1)))
    foreign_file(path, watched(aoud(1), aoud(9)))
    merged, stamp = store.save_stamped(watched(aoud(2)))
    assert read_strictly(path) == merged and stamp == file_stamp(path)
    assert all(merged.is_watched(aoud(n)) for n in (1, 2, 9))
    assert temp_files(tracker_home) == []


RENAMER = """
import json, os, random, sys, time
from pathlib import Path

path, stop, count = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
rng = random.Random(9)
n = 0
while not stop.exists():
    n += 1
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        data = {"version": 2, "shows": {}}
    record = {"viewings": [{"id": f"renamer-{n}", "watched_at": None,
                            "logged_at": "2026-01-01T00:00:00.000000Z"}]}
    seasons = data["shows"].setdefault("renamer-show", {"seasons": {}})["seasons"]
    seasons.setdefault("1", {"episodes": {}})["episodes"][str(n)] = record
    incoming = path.with_name(f"incoming-{n}.sync")
    incoming.write_text(json.dumps(data))
    os.replace(incoming, path)
    time.sleep(rng.uniform(0.0005, 0.003))
count.write_text(str(n))
"""


def test_a_real_unlocked_renamer_loses_nothing(tmp_path: Path, tracker_home: Path) -> None:
    """A process renames new files over the progress file in a loop while we save."""
    path = tracker_home / "progress.json"
    stop, count = tmp_path / "stop", tmp_path / "count"
    store = ProgressStore(path)
    store.save(Progress.empty())
    renamer = subprocess.Popen([sys.executable, "-c", RENAMER, str(path), str(stop), str(count)])
    mine = Progress.empty()
    try:
        deadline = time.monotonic() + 2.5
        n = saved = 0
        while time.monotonic() < deadline:
            n += 1
            mine = mark_watched(mine, [aoud(n)], PAST)
            try:
                store.save(mine)
                saved += 1
            except ProgressSaveError as error:  # only ever "kept changing": retried next time
                assert "kept changing" in str(error)
    finally:
        stop.touch()
        renamer.wait(timeout=30)
    assert renamer.returncode == 0
    store.save(mine)
    final = read_strictly(path)
    renamed = int(count.read_text())
    assert renamed > 50 and saved > 5, (renamed, saved)
    lost = [
        e for e in range(1, renamed + 1) if not final.is_watched(EpisodeKey("renamer-show", 1, e))
    ]
    assert lost == []
    assert all(final.is_watched(aoud(e)) for e in range(1, n + 1))


# --- Item 5: backups --------------------------------------------------------------


def good_backups(home: Path, count: int) -> dict[str, bytes]:
    """`count` older backups already in backups/, as earlier replaces left them."""
    folder = home / "backups"
    folder.mkdir()
    kept = {}
    for day in range(1, count + 1):
        content = dumps_progress(watched(aoud(day, season=3))).encode()
        name = f"progress-202611{day:02d}T000000000000Z.json"
        (folder / name).write_bytes(content)
        kept[name] = content
    return kept


def backups_now(home: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((home / "backups").iterdir())}


def test_full_disk_during_backup_removes_it_and_keeps_every_good_backup(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old bug: an empty backup left behind, and the cap then deleted a good one."""
    path = tracker_home / "progress.json"
    store = ProgressStore(path)
    store.save(watched(aoud(1)))
    before = path.read_bytes()
    kept = good_backups(tracker_home, 10)

    def full_disk(fd: int, data: bytes) -> None:
        os.write(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "write_all", full_disk)
    with pytest.raises(ProgressSaveError, match="No space left on device") as raised:
        store.replace(watched(aoud(5, season=2)))
    assert "back up" in str(raised.value)
    assert path.read_bytes() == before
    assert backups_now(tracker_home) == kept
    assert list((tracker_home / "backups").glob(".*")) == []


def test_a_backup_that_reads_back_wrong_is_removed_and_the_replace_refused(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A silently short write (no error from the OS) is caught by reading the backup back."""
    path = tracker_home / "progress.json"
    store = ProgressStore(path)
    store.save(watched(aoud(1)))
    before = path.read_bytes()
    kept = good_backups(tracker_home, 10)
    real_write_all = files.write_all

    def short_write(fd: int, data: bytes) -> None:
        real_write_all(fd, data[:-5])

    monkeypatch.setattr(files, "write_all", short_write)
    with pytest.raises(ProgressSaveError, match="back up"):
        store.replace(watched(aoud(5, season=2)))
    assert path.read_bytes() == before
    assert backups_now(tracker_home) == kept


def test_the_cap_prunes_only_after_a_verified_backup(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ten good backups a successful replace keeps the newest ten, including its own."""
    ticking_clock(monkeypatch)
    path = tracker_home / "progress.json"
    store = ProgressStore(path)
    store.save(watched(aoud(1)))
    before = path.read_bytes()
    kept = good_backups(tracker_home, 10)
    backup = store.replace(watched(aoud(5, season=2)))
    assert backup is not None and backup.read_bytes() == before
    after = backups_now(tracker_home)
    assert len(after) == 10 and after[backup.name] == before
    oldest = sorted(kept)[0]
    assert {name: kept[name] for name in sorted(kept)[1:]}.items() <= after.items()
    assert oldest not in after


def test_backup_and_move_aside_fsync_their_folders(
    tmp_path: Path, tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash right after must not lose the backup's or the aside copy's name."""
    synced: list[Path] = []
    real_fsync_folder = files.fsync_folder

    def recording(folder: Path) -> None:
        synced.append(Path(folder))
        real_fsync_folder(folder)

    monkeypatch.setattr(files, "fsync_folder", recording)
    path = tracker_home / "progress.json"
    store = ProgressStore(path)
    store.save(watched(aoud(1)))
    synced.clear()
    store.replace(watched(aoud(2)))
    assert tracker_home / "backups" in synced

    path.write_bytes(b'{"version": 1, "shows": [')
    synced.clear()
    loaded = store.load(move_aside=True)
    assert corrupt_copies(tracker_home) and loaded.notice is not None
    assert synced == [tracker_home]


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A real 64 KiB tmpfs, so the disk really fills; skipped where mounting is not allowed."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


def test_replace_on_a_really_full_tmpfs_keeps_everything(tiny_tmpfs: Path) -> None:
    """No fakes: the backup does not fit, so nothing is replaced and no empty backup stays."""
    path = tiny_tmpfs / "progress.json"
    store = ProgressStore(path)
    big = watched(*(EpisodeKey("big-show", 1, n) for n in range(1, 240)))
    store.save(big)
    before = path.read_bytes()
    filler = os.open(tiny_tmpfs / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        with pytest.raises(OSError, match="No space left on device"):
            while True:
                os.write(filler, b"x" * 1024)
        os.ftruncate(filler, os.fstat(filler).st_size - len(before) // 2)  # half a backup fits
    finally:
        os.close(filler)
    with pytest.raises(ProgressSaveError, match="No space left on device"):
        store.replace(watched(aoud(1)))
    assert path.read_bytes() == before
    assert read_strictly(path) == big
    leftovers = (
        [p for p in (tiny_tmpfs / "backups").iterdir()] if (tiny_tmpfs / "backups").exists() else []
    )
    assert leftovers == []
    assert temp_files(tiny_tmpfs) == []


# --- Item 13: read-only commands never rename anything --------------------------------

BAD_CONTENTS = {
    "not-json": b"not json",
    "wrong-shape": b'{"version": 1, "shows": []}',
    "empty": b"",
    "not-utf8": b'\xff\xfe{"version": 1}',
    "bashrc": b"export PATH=$HOME/bin:$PATH\nalias ll='ls -l'\n",
}


@pytest.mark.parametrize("content", BAD_CONTENTS.values(), ids=BAD_CONTENTS.keys())
def test_load_leaves_a_bad_file_where_it_is(tracker_home: Path, content: bytes) -> None:
    """Only a command that saves may move a file; loading just reports the problem."""
    path = tracker_home / "progress.json"
    path.write_bytes(content)
    loaded = ProgressStore(path).load()
    assert loaded.progress == Progress.empty()
    assert loaded.notice is not None
    assert str(path) in loaded.notice and "left as it is" in loaded.notice
    assert path.read_bytes() == content and corrupt_copies(tracker_home) == []


def test_read_only_commands_never_rename_the_users_file(tmp_path: Path, run_cli: RunCli) -> None:
    """`tracker history --progress-file ~/.bashrc` used to rename .bashrc aside."""
    bashrc = tmp_path / ".bashrc"
    bashrc.write_bytes(BAD_CONTENTS["bashrc"])
    for command in (["history"], ["shows"], ["next"], ["export", "-"]):
        result = run_cli("--progress-file", str(bashrc), *command)
        assert "Traceback" not in result.err
        assert bashrc.read_bytes() == BAD_CONTENTS["bashrc"], command
    assert sorted(p.name for p in tmp_path.iterdir()) == [".bashrc", "tracker-home"]


def test_saving_refuses_to_move_a_file_that_is_not_ours(tmp_path: Path) -> None:
    """A custom path holding something else is never renamed or written over."""
    bashrc = tmp_path / ".bashrc"
    bashrc.write_bytes(BAD_CONTENTS["bashrc"])
    store = ProgressStore(bashrc)
    loaded = store.load(move_aside=True)
    assert (
        loaded.notice is not None and "does not look like a tracker progress file" in loaded.notice
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [".bashrc", "tracker-home"]
    with pytest.raises(
        ProgressSaveError, match="does not look like a tracker progress file; not touching it"
    ):
        store.save(watched(aoud(1)))
    assert bashrc.read_bytes() == BAD_CONTENTS["bashrc"]
    # The save took the lock before reading: only its (empty) lock file is new.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".bashrc", ".bashrc.lock", "tracker-home"]


def test_import_replace_refuses_a_file_that_is_not_ours(tmp_path: Path) -> None:
    """A save will not move ~/.bashrc aside, so a replace must not write over it either."""
    bashrc = tmp_path / ".bashrc"
    bashrc.write_bytes(BAD_CONTENTS["bashrc"])
    with pytest.raises(
        ProgressSaveError, match="does not look like a tracker progress file; not touching it"
    ):
        ProgressStore(bashrc).replace(watched(aoud(1)))
    assert bashrc.read_bytes() == BAD_CONTENTS["bashrc"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".bashrc", ".bashrc.lock", "tracker-home"]


@pytest.mark.parametrize(
    "content",
    [b'{"version": 1, "shows": []}', b'{\n  "shows": {"x": 1}\n', b'  {"version": "1"}'],
    ids=["wrong-shape", "torn", "bad-version"],
)
def test_a_broken_tracker_file_at_a_custom_path_is_moved_aside_on_save(
    tmp_path: Path, content: bytes
) -> None:
    """It looks like ours (a JSON object naming version or shows): kept aside, byte for byte."""
    path = tmp_path / "mine.json"
    path.write_bytes(content)
    store = ProgressStore(path)
    assert store.load().notice is not None and path.read_bytes() == content
    store.save(watched(aoud(1)))
    [aside] = corrupt_copies(tmp_path)
    assert aside.read_bytes() == content
    assert read_strictly(path).is_watched(aoud(1))


def test_any_bad_file_at_the_default_path_is_moved_aside_on_save(tracker_home: Path) -> None:
    """The default file is tracker's own: whatever is in it is kept aside, then a save goes on."""
    path = tracker_home / "progress.json"
    path.write_bytes(b"not json")
    ProgressStore(path).save(watched(aoud(1)))
    [aside] = corrupt_copies(tracker_home)
    assert aside.read_bytes() == b"not json"
    assert read_strictly(path).is_watched(aoud(1))


def newer_tracker(monkeypatch: pytest.MonkeyPatch) -> bytes:
    def refuse(data: bytes) -> Progress:
        raise NewerFormatError("version is 3; this tracker reads versions up to 2")

    def refuse_file(data: bytes, **options: bool) -> ReadFile:
        del options
        refuse(data)
        raise AssertionError("refused above")

    monkeypatch.setattr(store_module, "read_progress", refuse)
    monkeypatch.setattr(loading_module, "read_progress_file", refuse_file)
    return b'{"version": 3, "shows": {}}'


def test_a_file_from_a_newer_tracker_is_never_moved_or_written(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Moving it aside would lose the user's progress to an older tracker: refuse instead."""
    content = newer_tracker(monkeypatch)
    path = tracker_home / "progress.json"
    path.write_bytes(content)
    store = ProgressStore(path)
    for move_aside in (False, True):
        loaded = store.load(move_aside=move_aside)
        assert loaded.notice is not None and "written by a newer tracker" in loaded.notice
    with pytest.raises(ProgressSaveError, match="written by a newer tracker"):
        store.save(watched(aoud(1)))
    with pytest.raises(ProgressSaveError, match="written by a newer tracker"):
        store.replace(watched(aoud(1)))
    assert path.read_bytes() == content and corrupt_copies(tracker_home) == []


# --- Item 21: moving aside on load takes the lock ----------------------------------


def test_moving_aside_on_load_waits_for_the_lock(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another tracker holding the lock may be writing a good file: never rename under it."""
    monkeypatch.setattr(store_module, "LOCK_TIMEOUT_SECONDS", 0.2)
    path = tracker_home / "progress.json"
    path.write_bytes(b"not json")
    store = ProgressStore(path)
    with FileLock(store.lock_path):
        loaded = store.load(move_aside=True)
    assert loaded.notice is not None and "left as it is" in loaded.notice
    assert path.read_bytes() == b"not json" and corrupt_copies(tracker_home) == []
    loaded = store.load(move_aside=True)
    assert loaded.notice is not None and "kept it as" in loaded.notice
    assert not path.exists() and len(corrupt_copies(tracker_home)) == 1


def test_a_file_fixed_while_we_waited_for_the_lock_is_read_not_moved(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under the lock the file is read again: another tracker may have replaced it meanwhile."""
    path = tracker_home / "progress.json"
    path.write_bytes(b"not json")
    store = ProgressStore(path)
    real_locked = ProgressStore._locked

    def fixed_meanwhile(self: ProgressStore) -> object:
        foreign_file(path, watched(aoud(3)))
        return real_locked(self)

    monkeypatch.setattr(ProgressStore, "_locked", fixed_meanwhile)
    loaded = store.load(move_aside=True)
    assert loaded.notice is None and loaded.progress.is_watched(aoud(3))
    assert corrupt_copies(tracker_home) == []


# --- Item 12: a lock file we cannot open ---------------------------------------------


def test_a_lock_we_cannot_open_is_named_as_the_problem(tracker_home: Path) -> None:
    """A directory in the lock's place: the message names the lock, not progress.json."""
    path = tracker_home / "progress.json"
    store = ProgressStore(path)
    store.lock_path.mkdir()
    with pytest.raises(ProgressSaveError) as raised:
        store.save(watched(aoud(1)))
    message = str(raised.value)
    assert message.startswith(f"cannot take the lock {store.lock_path}: "), message
    assert "remove it" in message


def test_a_lock_owned_by_another_user_says_so(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After one `sudo tracker` the lock file is root's; as root we fake the refusal."""
    path = tracker_home / "progress.json"
    store = ProgressStore(path)
    store.lock_path.touch()

    def denied(self: FileLock, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(self.lock_file))

    monkeypatch.setattr(FileLock, "acquire", denied)
    with pytest.raises(ProgressSaveError) as raised:
        store.save(watched(aoud(1)))
    assert str(raised.value) == (
        f"cannot take the lock {store.lock_path}: Permission denied; it may belong to "
        "another user (after `sudo tracker`?): remove it"
    )


# --- Item 14: stale temp files -------------------------------------------------------


def test_stale_temp_files_of_ours_are_removed_on_the_next_save(
    tmp_path: Path, tracker_home: Path
) -> None:
    """Only our own name pattern, only beside the progress file, only older than an hour."""
    path = tracker_home / "progress.json"
    two_hours_ago = time.time() - 2 * 3600
    stale = tracker_home / ".progress.json.0123456789ab.tmp"
    live = tracker_home / ".progress.json.ba9876543210.tmp"
    others = [
        tracker_home / ".progress.json.not-ours.tmp",
        tracker_home / ".settings.json.0123456789ab.tmp",
        tracker_home / "progress.json.0123456789ab.tmp",
        tmp_path / ".progress.json.0123456789ab.tmp",
    ]
    for file in [stale, live, *others]:
        file.write_text("partial")
    for file in [stale, *others]:
        os.utime(file, (two_hours_ago, two_hours_ago))
    ProgressStore(path).save(watched(aoud(1)))
    assert not stale.exists()
    assert live.exists() and all(file.exists() for file in others)


def test_a_default_path_linking_to_someone_elses_file_is_not_moved(
    tmp_path: Path, tracker_home: Path
) -> None:
    """The default path's licence to move covers tracker's own file, not a link's target."""
    bashrc = tmp_path / ".bashrc"
    bashrc.write_bytes(BAD_CONTENTS["bashrc"])
    path = tracker_home / "progress.json"
    path.symlink_to(bashrc)
    store = ProgressStore(path)
    assert "does not look like" in (store.load(move_aside=True).notice or "")
    with pytest.raises(ProgressSaveError, match="does not look like a tracker progress file"):
        store.save(watched(aoud(1)))
    assert bashrc.read_bytes() == BAD_CONTENTS["bashrc"] and path.is_symlink()
    assert corrupt_copies(tmp_path) == [] and corrupt_copies(tracker_home) == []


def test_a_backup_never_lands_on_an_earlier_one(tracker_home: Path) -> None:
    """Two replaces in the same instant (the clock is fixed here): both backups are kept."""
    path = tracker_home / "progress.json"
    store = ProgressStore(path)
    store.save(watched(aoud(1)))
    first_state = path.read_bytes()
    first = store.replace(watched(aoud(2)))
    second_state = path.read_bytes()
    second = store.replace(watched(aoud(3)))
    assert first is not None and second is not None and first != second
    assert first.read_bytes() == first_state and second.read_bytes() == second_state


def test_the_cap_keeps_the_newest_backups_made_in_one_instant(tracker_home: Path) -> None:
    """The clock is fixed here, so the backups are progress-<same>.json, then -1, -2 ... -11:
    by name "-10" sorts before "-2", so the cap deleted a newer backup and kept an older."""
    path = tracker_home / "progress.json"
    store = ProgressStore(path)
    store.save(watched(aoud(1)))
    made: list[tuple[Path, bytes]] = []
    for episode in range(2, 14):
        before = path.read_bytes()
        backup = store.replace(watched(aoud(episode)))
        assert backup is not None
        made.append((backup, before))
    assert backups_now(tracker_home) == {backup.name: data for backup, data in made[-10:]}


def test_a_backup_just_made_survives_a_clock_stepped_back(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten backups named later than now (the clock was then ahead): the replace's own backup,
    which it reports as kept, is not the one the cap deletes."""
    path = tracker_home / "progress.json"
    store = ProgressStore(path)
    store.save(watched(aoud(1)))
    before = path.read_bytes()
    good_backups(tracker_home, 10)
    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW - dt.timedelta(days=30))
    backup = store.replace(watched(aoud(5, season=2)))
    assert backup is not None and backup.read_bytes() == before
    assert len(backups_now(tracker_home)) == 10


# --- Loose ends: a save that moves a file aside says where; no file at all is refused ----


def test_a_file_gone_bad_since_the_load_is_moved_aside_and_reported(tracker_home: Path) -> None:
    """The save succeeds, so this is no error: the caller takes the notice and tells the user."""
    path = tracker_home / "progress.json"
    store = ProgressStore(path)
    store.save(watched(aoud(1)))
    assert store.load().notice is None
    path.write_bytes(b"garbage from a sync")
    store.save(watched(aoud(2)))
    [aside] = corrupt_copies(tracker_home)
    [notice] = store.take_notices()
    assert f"kept it as {aside}" in notice and str(path) in notice
    assert store.take_notices() == []  # each told once
    assert read_strictly(path).is_watched(aoud(2))


def test_a_broken_file_swapped_out_in_the_last_instant_is_reported(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two lock-less renames in a row: the second, broken, file is kept aside and named."""
    path = tracker_home / "progress.json"
    store = ProgressStore(path)
    store.save(watched(aoud(1)))
    real_renameat2 = files.renameat2

    def torn_file_lands() -> None:
        torn = path.with_name("torn.sync")
        torn.write_bytes(b"{torn")
        torn.replace(path)

    landings = [lambda: foreign_file(path, watched(aoud(1), aoud(9))), torn_file_lands]

    def lands_twice(source: Path, target: Path, flags: int) -> bool:
        if landings:
            landings.pop(0)()
        return real_renameat2(source, target, flags)

    monkeypatch.setattr(files, "renameat2", lands_twice)
    merged = store.save(watched(aoud(2)))
    assert landings == []
    [aside] = corrupt_copies(tracker_home)
    assert aside.read_bytes() == b"{torn"
    [notice] = store.take_notices()
    assert str(aside) in notice
    assert all(merged.is_watched(aoud(n)) for n in (1, 2, 9))
    assert read_strictly(path) == merged


@pytest.mark.parametrize("kind", sorted(SPECIAL_FILES))
def test_a_special_file_load_is_refused_not_merely_noted(tmp_path: Path, kind: str) -> None:
    """Carrying on with no progress would mislead: the result says the path cannot be used."""
    special = tmp_path / "special"
    SPECIAL_FILES[kind][0](special)
    loaded = without_hanging(ProgressStore(special).load, special if kind == "fifo" else None)
    assert isinstance(loaded, store_module.LoadResult) and loaded.refused
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"not json")
    assert not ProgressStore(bad).load().refused  # a bad file is noted, and the rest goes on
