"""Safe file operations: file stamps, atomic writes, reads that never hang, renames that
notice a race. Shared by the progress store, the catalog cache and the settings."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from collections.abc import Iterator
from pathlib import Path

STALE_TEMP_SECONDS = 3600.0
"""A temp file of ours this old was left by a killed save; a live save's is seconds old."""
TEMP_TOKEN_BYTES = 6
RENAME_NOREPLACE = 1
RENAME_EXCHANGE = 2
_AT_FDCWD = -100

Stamp = tuple[int, int, int, int]
"""What changes whenever anyone writes or replaces a file: see `file_stamp`."""


def file_stamp(path: Path) -> Stamp | None:
    """(size, mtime, ctime, inode); None when the file is missing or unreadable.

    Every writer of our files renames a new file into place, so the inode alone
    changes on each save; size and times also catch an editor writing in place.
    """
    try:
        info = path.stat()
    except OSError:
        return None
    return stat_stamp(info)


def stat_stamp(info: os.stat_result) -> Stamp:
    """The stamp of a file already stat-ed (or fstat-ed through the descriptor just read)."""
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


class NotAFileError(Exception):
    """The path is a FIFO, device, socket or folder: reading it may hang."""


def write_all(fd: int, data: bytes) -> None:
    """Write every byte (a seam for fault tests: a full disk raises here)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def atomic_write(path: Path, text: str) -> None:
    """Replace `path` with `text` so a reader, or a crash, only ever sees old or new.

    Temp file in the same folder, fsync, rename over, fsync the folder.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    rename_into_place(write_temp(path, text.encode("utf-8")), path)


def write_temp(path: Path, data: bytes) -> Path:
    """A new temp file beside `path` holding `data`, fsynced; nothing is left if writing fails."""
    fd, temp_name = create_temp_file(path)
    temp = Path(temp_name)
    try:
        try:
            with contextlib.suppress(FileNotFoundError):
                os.fchmod(fd, path.stat().st_mode & 0o7777)  # keep an existing file's mode
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return temp


def rename_into_place(temp: Path, path: Path) -> None:
    """Rename `temp` over `path` (atomic within one folder) and make the new name durable."""
    try:
        temp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_folder(path.parent)


def create_temp_file(path: Path) -> tuple[int, str]:
    """A new, empty temp file beside `path`.

    Made with mode 0o666 so the kernel applies the user's umask, as for any new
    file (mkstemp would give 0o600, and reading the umask means setting it, which
    is process-wide and races with other threads).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        token = os.urandom(TEMP_TOKEN_BYTES).hex()  # secrets.token_hex, with no import at start
        name = str(path.with_name(f".{path.name}.{token}.tmp"))
        try:
            return os.open(name, flags, 0o666), name
        except FileExistsError:
            continue


def write_cache_file(path: Path, data: bytes) -> bool:
    """Write a derived cache file whole or not at all (its folder made if need be), with
    no fsync: losing it costs a rebuild, nothing more. Whether it was written; a cache
    that cannot be written is no error. The temp file's name is random, not the process
    id: the app writes cache files from its main thread and its reload worker."""
    temp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = create_temp_file(path)
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        Path(temp).replace(path)  # atomic: a reader sees the old file or the new
        return True
    except OSError:
        if temp is not None:
            with contextlib.suppress(OSError):
                Path(temp).unlink()
        return False


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable, as a file's fsync makes its bytes durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sweep_stale_temp_files(path: Path) -> None:
    """Remove temp files that killed writes of `path` left behind.

    Only our own name pattern, only beside the file, only older than an hour: a
    write in progress (ours or another tracker's) has a temp file seconds old.
    """
    token = f"[0-9a-f]{{{2 * TEMP_TOKEN_BYTES}}}"
    pattern = re.compile(rf"\.{re.escape(path.name)}\.{token}\.tmp")
    too_old = time.time() - STALE_TEMP_SECONDS
    with contextlib.suppress(OSError), os.scandir(path.parent) as entries:
        for entry in entries:
            if not pattern.fullmatch(entry.name):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and info.st_mtime < too_old:
                    Path(entry.path).unlink()


def renameat2(source: Path, target: Path, flags: int) -> bool:
    """Linux's renameat2(2); False where the system or the file system lacks it."""
    import ctypes  # only here: saving is rare, start-up is not

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if function(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(target))


@contextlib.contextmanager
def held_open(path: Path) -> Iterator[os.stat_result | None]:
    """The file now at `path` (None: no file), held open so its inode cannot be reused meanwhile.

    An inode freed by one rename is soon handed to the next new file, so comparing
    inode numbers only means something while both files are alive.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        yield None
        return
    try:
        yield os.fstat(fd)
    finally:
        os.close(fd)


def same_inode(one: os.stat_result, other: os.stat_result) -> bool:
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)


def unchanged(now: os.stat_result, before: os.stat_result) -> bool:
    """Same file, not written since (a rename changes only its ctime)."""
    return same_inode(now, before) and (now.st_size, now.st_mtime_ns) == (
        before.st_size,
        before.st_mtime_ns,
    )


_FILE_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFDIR: "a directory",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def _refuse_unless_regular(path: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = _FILE_KINDS.get(stat.S_IFMT(mode), "a special file")
        raise NotAFileError(f"{path} is {kind}, not a regular file")


def read_regular(path: Path) -> tuple[bytes, Stamp]:
    """The bytes and stamp of the regular file at `path` (following links); never blocks.

    Checked before opening (opening a socket fails, a device may act), and opened
    non-blocking and checked again: a FIFO swapped in between would otherwise wait
    for a writer forever.
    """
    _refuse_unless_regular(path, path.stat().st_mode)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(fd)
        _refuse_unless_regular(path, info.st_mode)
        return file.read(), stat_stamp(info)
