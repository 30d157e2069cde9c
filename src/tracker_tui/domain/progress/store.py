"""The progress file on disk: atomic, durable, locked saves that merge with other writers."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from tracker_tui.domain import clock, files
from tracker_tui.domain.files import Stamp, file_stamp, stat_stamp
from tracker_tui.domain.progress import check_memo
from tracker_tui.domain.progress.conflicts import (
    file_away,
    left_as_it_is,
    merged_notice,
    read_conflict_copies,
)
from tracker_tui.domain.progress.fast_reader import ShowTexts
from tracker_tui.domain.progress.format import (
    NewerFormatError,
    ProgressFormatError,
    ProgressWriter,
    read_progress,
)
from tracker_tui.domain.progress.loading import PROGRESS_FILE as PROGRESS_FILE
from tracker_tui.domain.progress.loading import LoadResult as LoadResult
from tracker_tui.domain.progress.loading import ProgressFile, not_a_file_message
from tracker_tui.domain.progress.loading import default_progress_path as default_progress_path
from tracker_tui.domain.progress.records import Progress

VERSION1_BACKUP = "v1-backup"
"""`progress.v1-backup.json`: the version 1 file as it was before the first version 2 save."""
BACKUPS_KEPT = 10
LOCK_TIMEOUT_SECONDS = 10.0
SAVE_ATTEMPTS = 20
"""Rounds of re-read and re-merge while lock-less writers (sync tools) keep renaming files in."""


class ProgressSaveError(Exception):
    """The progress file could not be written; the previous file is intact."""


def _write_whole_copy(target: Path, data: bytes) -> None:
    """Write a kept copy atomically and read it back: a copy that is not whole is removed,
    and the OSError says why (a backup that cannot be trusted must not stand in for one)."""
    try:
        files.rename_into_place(files.write_temp(target, data), target)
        if target.read_bytes() != data:
            raise OSError(errno.EIO, "the backup read back differs from the file")
    except OSError:
        with contextlib.suppress(OSError):
            target.unlink()
        raise


def _stamp() -> str:
    return clock.now().strftime("%Y%m%dT%H%M%S%fZ")


def _aside_path(target: Path) -> Path:
    """A new name beside `target` for a bad file kept aside; never an earlier one's."""
    aside = target.with_name(f"{target.name}.corrupt-{_stamp()}")
    suffix = 1
    while aside.exists():
        aside = target.with_name(f"{target.name}.corrupt-{_stamp()}-{suffix}")
        suffix += 1
    return aside


_BACKUP_NAME = re.compile(r"progress-[0-9]{8}T[0-9]{12}Z(?:-[0-9]{1,9})?\.json")
"""The names `_back_up` gives (`_stamp()`, then a number if that instant is taken)."""


def _backup_order(path: Path) -> tuple[str, int]:
    """A backup's time, then its number within that instant: "-10" after "-2"."""
    name = path.name.removeprefix("progress-").removesuffix(".json")
    time, _, number = name.rpartition("-")
    if time and number.isascii() and number.isdigit():
        return time, int(number)
    return name, 0


class ProgressStore(ProgressFile):
    """Loads and saves one progress file; every save merges with what is on disk.

    A symlinked progress file stays a link: reads follow it and saves write next to
    its target. The lock and backups sit beside the path given, so a synced folder
    holding the target never carries them.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.lock_path = path.with_name(path.name + ".lock")
        self.backups_dir = path.parent / "backups"
        self._writer = ProgressWriter()
        self._swept_temp_files = False
        self._notices: list[str] = []
        self._told_of_copies: set[Path] = set()
        """Conflict copies already reported as left where they are: said once per run."""

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        from filelock import FileLock, Timeout  # at the first save: reading needs no lock

        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.lock_path, timeout=LOCK_TIMEOUT_SECONDS)
        try:
            lock.acquire()
        except Timeout as error:
            raise ProgressSaveError(
                f"another tracker has held {self.lock_path} for {LOCK_TIMEOUT_SECONDS:.0f}s"
            ) from error
        except OSError as error:
            raise ProgressSaveError(self._lock_problem(error)) from error
        try:
            yield
        finally:
            lock.release()

    def _lock_problem(self, error: OSError) -> str:
        """Name the lock file, not progress.json, and what to do about it."""
        problem = f"cannot take the lock {self.lock_path}: {error.strerror or error}"
        if isinstance(error, PermissionError) and self.lock_path.exists():
            return f"{problem}; it may belong to another user (after `sudo tracker`?): remove it"
        if self.lock_path.is_dir() or self.lock_path.is_symlink():
            return f"{problem}; it is not a lock file: remove it"
        return problem

    @contextlib.contextmanager
    def _save_errors(self) -> Iterator[None]:
        """Turn any OS error while saving into one message naming the file and the reason."""
        try:
            yield
        except files.NotAFileError as error:
            raise ProgressSaveError(not_a_file_message(error)) from error
        except OSError as error:
            raise ProgressSaveError(
                f"cannot save {self.path}: {error.strerror or error}"
            ) from error

    def load(self, *, move_aside: bool = False) -> LoadResult:
        """Read the file; a bad one is reported and left where it is (no renaming on a read).

        A caller that will save (the app) passes `move_aside=True`: then, under the
        lock, a bad file that is ours is renamed aside and a fresh start is used.
        """
        if not move_aside:
            return super().load()
        try:
            return self._load_or_raise()
        except ProgressFormatError as error:
            return self._load_moving_aside(error)

    def _load_moving_aside(self, error: ProgressFormatError) -> LoadResult:
        if not self._is_ours():  # said before taking the lock, so nothing appears beside it
            return LoadResult(Progress.empty(), self._left_as_it_is(error))
        try:
            with self._save_errors(), self._locked():
                try:  # again under the lock: another tracker may have saved a good file since
                    return LoadResult(self._read())
                except FileNotFoundError:
                    return LoadResult(Progress.empty())
                except ProgressFormatError as still_bad:
                    try:
                        return LoadResult(Progress.empty(), self._take_aside(still_bad))
                    except ProgressSaveError as refused:
                        return LoadResult(Progress.empty(), str(refused))
        except ProgressSaveError as no_lock:
            return LoadResult(
                Progress.empty(), f"{self.path} is unreadable ({error}); left as it is: {no_lock}"
            )

    def _take_aside(self, error: ProgressFormatError) -> str:
        """Under the lock: rename a bad file of ours aside, or refuse with the reason why not."""
        if isinstance(error, NewerFormatError):
            raise ProgressSaveError(self._newer_message(error))
        if not self._is_ours():
            raise ProgressSaveError(self._not_ours_message(error))
        try:
            return self._move_aside(str(error))
        except OSError as move_error:
            raise ProgressSaveError(
                f"{self.path} is unreadable ({error}) and could not be moved aside "
                f"({move_error.strerror or move_error}); it is left as it was"
            ) from move_error

    def _move_aside(self, why: str) -> str:
        """Rename the unreadable file aside, bytes untouched; raise OSError if we cannot."""
        target = self._target()
        aside = _aside_path(target)
        target.replace(aside)
        files.fsync_folder(target.parent)
        return f"{self.path} was unreadable ({why}); kept it as {aside} and started afresh"

    def version1_backup_path(self) -> Path:
        """Where the first save over a version 1 file keeps it: beside the path given (like
        backups/), never over an earlier one (a number is added)."""
        stem, suffix = self.path.stem, self.path.suffix or ".json"
        backup = self.path.with_name(f"{stem}.{VERSION1_BACKUP}{suffix}")
        number = 2
        while backup.exists() or backup.is_symlink():
            backup = self.path.with_name(f"{stem}.{VERSION1_BACKUP}-{number}{suffix}")
            number += 1
        return backup

    def _back_up_version1(self) -> None:
        """Under the lock, before the first save over a version 1 file: keep its bytes, so
        an older tracker (or a change of mind) still has them. Said once, in the notices."""
        data = self._version1_bytes
        if data is None:
            return
        backup = self.version1_backup_path()
        try:
            _write_whole_copy(backup, data)
        except OSError as error:
            raise ProgressSaveError(
                f"cannot keep a copy of the version 1 file {self.path} as {backup} before "
                f"upgrading it: {error.strerror or error}; nothing was changed"
            ) from error
        self._version1_bytes = None
        self._notices.append(
            f"{self.path} is now saved in version 2 of the format (every viewing kept); "
            f"the version 1 file is kept as {backup}"
        )

    def _on_disk(self) -> tuple[Progress, Stamp | None]:
        """Under the lock: what the file holds now, and its stamp (None: there is no file)."""
        known = self._known
        if known is not None and file_stamp(self.path) == known[0]:
            return known[1], known[0]
        try:
            progress = self._read()
        except FileNotFoundError:
            return Progress.empty(), None
        except ProgressFormatError as error:
            self._notices.append(self._take_aside(error))
            return Progress.empty(), None
        assert self._known is not None  # set by the read just done
        return progress, self._known[0]

    def _written_by_us(
        self, show_texts: Callable[[], ShowTexts], latest: dt.datetime | None
    ) -> None:
        self._writer.adopt(show_texts, latest)

    def take_notices(self) -> list[str]:
        """What saves since the last call did that the user should hear of (a bad file kept
        aside), each told once. Such a save succeeds, so it is no error; kept here, the
        return of `save` and `save_stamped` stays as it was."""
        notices, self._notices = self._notices, []
        return notices

    def file_bytes(self, progress: Progress) -> bytes:
        """The progress file's bytes for `progress`, made by this store's writer, so the
        next save reuses the text of each show state formatted here (an import writes its
        delta to a journal first; saving it then formats only the shows it merged into)."""
        return self._writer.dump_bytes(progress)

    def save(self, progress: Progress) -> Progress:
        """Merge `progress` into the file under the lock and write it; return the merged state."""
        return self.save_stamped(progress)[0]

    def save_stamped(self, progress: Progress) -> tuple[Progress, Stamp | None]:
        """Like `save`, plus the file's stamp taken under the lock right after the write.

        A caller that polls `stamp()` can then tell its own write from a later one
        by another program, even one that lands before the caller looks. None when
        another program replaced the file straight after.
        """
        with self._save_errors(), self._locked():
            self._sweep_stale_temp_files()
            copies = read_conflict_copies(self._target())
            for copy, why in copies.unreadable:
                self._tell_once(copy, left_as_it_is(copy, self.path.name, why))
            saved = self._merge_and_write(progress.merge(copies.progress))
            self._file_away_copies(
                [copy for copy, read_as in copies.read if file_stamp(copy) == read_as]
            )
            return saved

    def _tell_once(self, copy: Path, notice: str) -> None:
        if copy not in self._told_of_copies:
            self._told_of_copies.add(copy)
            self._notices.append(notice)

    def _file_away_copies(self, merged: list[Path]) -> None:
        """Once the merged file is on disk: move the copies it took in to backups/. One
        that cannot be moved stays, and the next save merges it again, changing nothing.
        (A copy written to since it was read is left for the next save to merge.)"""
        moved = []
        for copy in merged:
            try:
                moved.append(file_away(copy, self.backups_dir))
            except OSError as error:
                self._tell_once(
                    copy,
                    f"merged the sync conflict copy {copy} into {self.path}, but cannot move "
                    f"it to {self.backups_dir} ({error.strerror or error}); it stays where it "
                    "is, and merging it again changes nothing",
                )
        if moved:
            self._notices.append(merged_notice(self.path, moved, self.backups_dir))

    def merge_conflict_copies(self) -> tuple[Progress, Stamp | None] | None:
        """At start (the app): merge the conflict copies into the file now, as a save of no
        change of ours does, and return what `save_stamped` returns; None, writing nothing,
        when none can be merged. What was done is in `take_notices`."""
        if not self.conflict_copies():
            return None
        copies = read_conflict_copies(self._target())
        if not copies.read:  # copies that cannot be merged are no reason to rewrite the file
            for copy, why in copies.unreadable:
                self._tell_once(copy, left_as_it_is(copy, self.path.name, why))
            return None
        return self.save_stamped(Progress.empty())

    def _merge_and_write(self, progress: Progress) -> tuple[Progress, Stamp | None]:
        """Merge with the disk and put the result in place, again if a lock-less writer raced us.

        Sync tools rename new files over ours without the lock. Right before our
        rename the file must still be the one we merged with; where Linux allows, the
        rename is an exchange, so even a file landing in that instant is noticed,
        put back, and merged on the next round rather than lost.
        """
        target = self._target()
        if not target.parent.is_dir():
            raise ProgressSaveError(
                f"cannot save {self.path}: it links to {target}, whose folder does not exist "
                "(not mounted?); not creating it"
            )
        for _ in range(SAVE_ATTEMPTS):
            on_disk, read_stamp = self._on_disk()
            merged = on_disk.merge(progress)
            if read_stamp is not None:
                self._back_up_version1()
            self._known = None
            data = self._writer.dump_bytes(merged)
            temp = files.write_temp(target, data)
            try:
                with files.held_open(temp) as ours, files.held_open(target) as current:
                    if ours is None or (current and stat_stamp(current)) != read_stamp:
                        continue  # renamed in since we read: read and merge again
                    missed = self._put_in_place(temp, target, current, ours)
                    if missed is not None:
                        progress = progress.merge(missed)
                        continue
                    files.fsync_folder(target.parent)
                    check_memo.remember(target, data, self._writer.written)
                    return merged, self._remember(target, ours, merged)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    temp.unlink()  # ours if never placed; after an exchange, the old file
        raise ProgressSaveError(
            f"cannot save {self.path}: another program kept changing it "
            f"({SAVE_ATTEMPTS} tries); try again"
        )

    def _put_in_place(
        self, temp: Path, target: Path, current: os.stat_result | None, ours: os.stat_result
    ) -> Progress | None:
        """Rename `temp` over `target` if it still holds `current`; None once done.

        Otherwise nothing changed and the caller merges what is returned, then tries again.
        """
        try:
            if current is None:
                if files.renameat2(temp, target, files.RENAME_NOREPLACE):
                    return None
            elif files.renameat2(temp, target, files.RENAME_EXCHANGE):
                if files.unchanged(temp.stat(), current):  # temp now names the file we replaced
                    return None
                return self._swap_back(temp, target, ours)
        except (FileExistsError, FileNotFoundError):
            return Progress.empty()  # made or removed in the instant since the check
        if current is None and target.exists():
            return Progress.empty()
        temp.replace(target)  # no renameat2 here: the check just made is the best there is
        return None

    def _remember(self, target: Path, ours: os.stat_result, merged: Progress) -> Stamp | None:
        """The stamp of the file we just put in place; None if another has replaced it already."""
        try:
            now = target.stat()
        except OSError:
            return None
        if (now.st_dev, now.st_ino) != (ours.st_dev, ours.st_ino):
            return None
        self._known = (stat_stamp(now), merged)
        self._version1_bytes = None
        return self._known[0]

    def _swap_back(self, temp: Path, target: Path, ours: os.stat_result) -> Progress:
        """A lock-less writer's file landed just before our exchange: put it back in place.

        The next round then reads and merges it like any other change. Should yet
        another file land in this instant, it is the one swapped out: what it holds
        is returned, to be merged (a broken one is kept aside).
        """
        files.renameat2(temp, target, files.RENAME_EXCHANGE)  # just worked on this same pair
        if files.same_inode(temp.stat(), ours):
            return Progress.empty()
        try:
            return read_progress(files.read_regular(temp)[0])
        except ProgressFormatError as error:
            aside = _aside_path(target)
            temp.replace(aside)
            self._notices.append(
                f"another program put an unreadable file at {self.path} while saving ({error}); "
                f"kept it as {aside}"
            )
            return Progress.empty()

    def _sweep_stale_temp_files(self) -> None:
        """Once per store: remove temp files of ours that a killed save left behind."""
        if not self._swept_temp_files:
            self._swept_temp_files = True
            files.sweep_stale_temp_files(self._target())

    def replace(self, progress: Progress) -> Path | None:
        """Write `progress` as the whole file, after a verified backup of the old one.

        Old backups beyond the newest ten are pruned only once the new backup and
        the new file are both in place, so a failure never costs a good backup.
        """
        with self._save_errors(), self._locked():
            try:
                data, _ = files.read_regular(self.path)
            except FileNotFoundError:
                backup = None
            else:
                try:
                    read_progress(data)
                except NewerFormatError as error:
                    raise ProgressSaveError(self._newer_message(error)) from error
                except ProgressFormatError as error:
                    if not self._is_ours():  # as a save would not move it aside
                        raise ProgressSaveError(self._not_ours_message(error)) from error
                    # a broken file of ours is backed up byte for byte like any other
                backup = self._back_up(data)
            self._known = None
            progress = progress.as_replacement(clock.now())
            target = self._target()
            data = self._writer.dump_bytes(progress)
            temp = files.write_temp(target, data)
            with files.held_open(temp) as ours:
                files.rename_into_place(temp, target)
                check_memo.remember(target, data, self._writer.written)
                if ours is not None:
                    self._remember(target, ours, progress)
            if backup is not None:
                self._prune_backups(backup)
            return backup

    def _back_up(self, data: bytes) -> Path:
        """Write `data` to backups/ atomically and read it back; remove it if it is not whole."""
        target = self.backups_dir / f"progress-{_stamp()}.json"
        suffix = 1
        while target.exists():  # never over an earlier backup, which a failure would then cost
            target = self.backups_dir / f"progress-{_stamp()}-{suffix}.json"
            suffix += 1
        try:
            self.backups_dir.mkdir(parents=True, exist_ok=True)
            _write_whole_copy(target, data)
        except OSError as error:
            raise ProgressSaveError(
                f"cannot back up {self.path} to {self.backups_dir}: {error.strerror or error}"
            ) from error
        return target

    def _prune_backups(self, just_made: Path) -> None:
        """Keep the one just made and the newest nine others; one that cannot be removed is
        no reason to fail a done replace.

        Newest by the time in the name, then the number added for the same instant; the
        one just made is kept whatever its name says (the clock may have stepped back).
        Only backups' names: a conflict copy filed here (`progress-1.sync-conflict-...`
        of a file named progress-1.json) is the user's, never pruned.
        """
        others = [
            path
            for path in self.backups_dir.glob("progress-*.json")
            if path != just_made and _BACKUP_NAME.fullmatch(path.name)
        ]
        for old in sorted(others, key=_backup_order)[: -(BACKUPS_KEPT - 1)]:
            with contextlib.suppress(OSError):
                old.unlink()
