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
    Progress,
    ProgressFormatError,
    from_json,
    record_json,
)

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


def dumps_progress(progress: Progress) -> str:
    """Pretty-printed JSON, one episode per line: readable, diffable and fast for 50k entries."""
    lines = ["{", f'  "version": {FORMAT_VERSION},', '  "shows": {']
    keys = sorted(progress.records)
    shows: dict[str, dict[int, list[str]]] = {}
    for key in keys:
        line = json.dumps(record_json(progress.records[key]), ensure_ascii=False)
        shows.setdefault(key.show, {}).setdefault(key.season, []).append(
            f'        "{key.episode}": {line}'
        )
    show_blocks = []
    for show_id, seasons in shows.items():
        season_blocks = [
            f'      "{season}": {{\n' + ",\n".join(episodes) + "\n      }"
            for season, episodes in seasons.items()
        ]
        show_blocks.append(
            f"    {json.dumps(show_id, ensure_ascii=False)}: {{\n"
            + ",\n".join(season_blocks)
            + "\n    }"
        )
    if show_blocks:
        lines.append(",\n".join(show_blocks))
    lines += ["  }", "}", ""]
    return "\n".join(lines)


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
        raw = self.path.read_bytes()
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ProgressFormatError(f"not JSON ({error})") from error
        return from_json(data)

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
        with self._save_errors(), self._locked():
            try:
                on_disk = self._read()
            except FileNotFoundError:
                on_disk = Progress.empty()
            except ProgressFormatError as error:
                self._move_aside(str(error))
                on_disk = Progress.empty()
            merged = on_disk.merge(progress)
            atomic_write(self.path, dumps_progress(merged))
            return merged

    def replace(self, progress: Progress) -> Path | None:
        """Write `progress` as the whole file, after backing up the old one."""
        with self._save_errors(), self._locked():
            backup = self.backup()
            atomic_write(self.path, dumps_progress(progress))
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

    def modified_signature(self) -> tuple[int, int] | None:
        """(mtime_ns, size) of the file, so a running app can notice other writers cheaply."""
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)
