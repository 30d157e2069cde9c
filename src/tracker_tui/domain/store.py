"""The progress file on disk: atomic, durable, locked saves that merge with other writers."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from tracker_tui.domain import clock
from tracker_tui.domain.paths import data_dir
from tracker_tui.domain.progress import (
    FORMAT_VERSION,
    EpisodeRecord,
    Progress,
    ProgressFormatError,
    ShowRecords,
    format_time,
)
from tracker_tui.domain.progress_file import read_progress
from tracker_tui.domain.stamps import Stamp, file_stamp

PROGRESS_FILE = "progress.json"
BACKUPS_KEPT = 10
LOCK_TIMEOUT_SECONDS = 10.0


class ProgressSaveError(Exception):
    """The progress file could not be written; the previous file is intact."""


@dataclass(frozen=True)
class LoadResult:
    progress: Progress
    notice: str | None = None
    """Set when the file was unreadable and moved aside, to tell the user where it is."""


def default_progress_path(home: Path | None = None) -> Path:
    return (home or data_dir()) / PROGRESS_FILE


def _stamp() -> str:
    return clock.now().strftime("%Y%m%dT%H%M%S%fZ")


class ProgressWriter:
    """Writes progress as pretty JSON, one episode per line: readable, diffable, and fast.

    Each show's block of text is kept with the records it was made from; a show
    whose records are the same mapping as last time (see `Progress`) is not
    formatted again, so saving one change in 50,000 episodes formats one show.
    """

    def __init__(self) -> None:
        self._blocks: dict[str, tuple[ShowRecords, str]] = {}

    def dumps(self, progress: Progress) -> str:
        blocks: dict[str, tuple[ShowRecords, str]] = {}
        for show in sorted(progress.show_ids()):
            records = progress.show_records(show)
            if not records:
                continue
            kept = self._blocks.get(show)
            blocks[show] = kept if kept and kept[0] is records else (records, _show_block(records))
        self._blocks = blocks
        body = ",\n".join(text for _, text in blocks.values())
        shows = f"{body}\n" if body else ""
        epoch = f'  "epoch": "{format_time(progress.epoch)}",\n' if progress.epoch else ""
        return f'{{\n  "version": {FORMAT_VERSION},\n{epoch}  "shows": {{\n{shows}  }}\n}}\n'


def _show_block(records: ShowRecords) -> str:
    seasons: dict[int, list[str]] = {}
    for key in sorted(records):
        seasons.setdefault(key.season, []).append(_record_line(key.episode, records[key]))
    season_blocks = [
        f'      "{season}": {{\n' + ",\n".join(lines) + "\n      }"
        for season, lines in seasons.items()
    ]
    show = json.dumps(next(iter(records)).show, ensure_ascii=False)
    return f"    {show}: {{\n" + ",\n".join(season_blocks) + "\n    }"


def _record_line(episode: int, record: EpisodeRecord) -> str:
    # Field for field what json.dumps(record_json(record)) gives, at a fraction of the cost.
    watched = "true" if record.watched else "false"
    watched_at = f'"{format_time(record.watched_at)}"' if record.watched_at else "null"
    return (
        f'        "{episode}": {{"watched": {watched}, "watched_at": {watched_at}, '
        f'"watch_count": {record.watch_count}, "changed_at": "{format_time(record.changed_at)}"}}'
    )


def dumps_progress(progress: Progress) -> str:
    """The progress file's text for `progress`."""
    return ProgressWriter().dumps(progress)


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte (a seam for fault tests: a full disk raises here)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def atomic_write(path: Path, text: str) -> None:
    """Replace `path` with `text` so a reader, or a crash, only ever sees old or new.

    Temp file in the same folder, fsync, rename over, fsync the folder.
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, temp_name = _create_temp_file(path)
    try:
        try:
            with contextlib.suppress(FileNotFoundError):
                os.fchmod(fd, path.stat().st_mode & 0o7777)  # keep an existing file's mode
            _write_all(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        Path(temp_name).replace(path)  # os.replace: atomic within one folder
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temp_name).unlink()
        raise
    _fsync_folder(folder)


def _create_temp_file(path: Path) -> tuple[int, str]:
    """A new, empty temp file beside `path`.

    Made with mode 0o666 so the kernel applies the user's umask, as for any new
    file (mkstemp would give 0o600, and reading the umask means setting it, which
    is process-wide and races with other threads).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        name = str(path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp"))
        try:
            return os.open(name, flags, 0o666), name
        except FileExistsError:
            continue


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ProgressStore:
    """Loads and saves one progress file; every save merges with what is on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")
        self.backups_dir = path.parent / "backups"
        self._writer = ProgressWriter()
        # The file's stamp and content when this store last read or wrote it: while
        # the stamp is unchanged no one else has written, and a save need not re-read.
        self._known: tuple[Stamp, Progress] | None = None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with FileLock(self.lock_path, timeout=LOCK_TIMEOUT_SECONDS):
                yield
        except Timeout as error:
            raise ProgressSaveError(
                f"another tracker has held {self.lock_path} for {LOCK_TIMEOUT_SECONDS:.0f}s"
            ) from error

    @contextlib.contextmanager
    def _save_errors(self) -> Iterator[None]:
        """Turn any OS error while saving into one message naming the file and the reason."""
        try:
            yield
        except OSError as error:
            raise ProgressSaveError(
                f"cannot save {self.path}: {error.strerror or error}"
            ) from error

    def load(self) -> LoadResult:
        """Read the file. A bad one is moved aside untouched and a fresh start is used."""
        try:
            return LoadResult(self._read())
        except FileNotFoundError:
            return LoadResult(Progress.empty())
        except ProgressFormatError as error:
            try:
                return LoadResult(Progress.empty(), self._move_aside(str(error)))
            except OSError as move_error:
                return LoadResult(
                    Progress.empty(),
                    f"{self.path} is unreadable ({error}) and could not be moved aside "
                    f"({move_error.strerror or move_error}); it is left as it was",
                )
        except OSError as error:
            return LoadResult(
                Progress.empty(), f"cannot read {self.path}: {error.strerror or error}"
            )

    def _read(self) -> Progress:
        self._known = None
        stamp = file_stamp(self.path)  # taken first: a change after it forces a re-read
        progress = read_progress(self.path.read_bytes())
        if stamp is not None:
            self._known = (stamp, progress)
        return progress

    def _read_if_changed(self) -> Progress:
        known = self._known
        if known is not None and file_stamp(self.path) == known[0]:
            return known[1]
        return self._read()

    def _write(self, progress: Progress) -> Stamp | None:
        self._known = None
        atomic_write(self.path, self._writer.dumps(progress))
        stamp = file_stamp(self.path)  # still under the lock: no other tracker wrote since
        if stamp is not None:
            self._known = (stamp, progress)
        return stamp

    def _move_aside(self, why: str) -> str:
        """Rename the unreadable file aside, bytes untouched; raise OSError if we cannot."""
        aside = self.path.with_name(f"{self.path.name}.corrupt-{_stamp()}")
        suffix = 1
        while aside.exists():
            aside = self.path.with_name(f"{self.path.name}.corrupt-{_stamp()}-{suffix}")
            suffix += 1
        self.path.replace(aside)
        return f"{self.path} was unreadable ({why}); kept it as {aside} and started afresh"

    def save(self, progress: Progress) -> Progress:
        """Merge `progress` into the file under the lock and write it; return the merged state."""
        return self.save_stamped(progress)[0]

    def save_stamped(self, progress: Progress) -> tuple[Progress, Stamp | None]:
        """Like `save`, plus the file's stamp taken under the lock right after the write.

        A caller that polls `stamp()` can then tell its own write from a later one
        by another program, even one that lands before the caller looks.
        """
        with self._save_errors(), self._locked():
            try:
                on_disk = self._read_if_changed()
            except FileNotFoundError:
                on_disk = Progress.empty()
            except ProgressFormatError as error:
                self._move_aside(str(error))
                on_disk = Progress.empty()
            merged = on_disk.merge(progress)
            return merged, self._write(merged)

    def replace(self, progress: Progress) -> Path | None:
        """Write `progress` as the whole file, after backing up the old one."""
        with self._save_errors(), self._locked():
            backup = self.backup()
            progress = progress.as_replacement(clock.now())
            self._write(progress)
            return backup

    def backup(self) -> Path | None:
        """Copy the current file to backups/ (keeping the newest ten); None if there is none."""
        if not self.path.exists():
            return None
        self.backups_dir.mkdir(parents=True, exist_ok=True)
        target = self.backups_dir / f"progress-{_stamp()}.json"
        shutil.copy2(self.path, target)
        backups = sorted(self.backups_dir.glob("progress-*.json"))
        for old in backups[:-BACKUPS_KEPT]:
            old.unlink()
        return target

    def stamp(self) -> Stamp | None:
        """The file's current stamp, so a running app can notice other writers cheaply."""
        return file_stamp(self.path)

    def modified_signature(self) -> tuple[int, int] | None:
        """(mtime_ns, size) of the file, so a running app can notice other writers cheaply."""
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)
