"""An export as the user hands it over: one file, a folder, a .zip or a .gz, read safely.

Nothing is ever extracted to disk. A zip member's name is only matched, never used as a
path, so `../` names (zip-slip) can do no harm; they are ignored and reported. Every
stream is capped at what its member may hold, counted while reading, so a zip bomb or a
lying size header stops with a clear error instead of filling memory. A FIFO, a device or
a socket is refused before it is opened, so an import never hangs on one.
"""

from __future__ import annotations

import fnmatch
import gzip
import io
import os
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from tracker_tui.domain.exchange.batch import ImportFormatError

MAX_MEMBER_BYTES = 1 << 30
"""One member (a JSON, CSV or XML file) may hold at most 1 GiB once uncompressed."""
MAX_TOTAL_BYTES = 4 << 30
"""All of a zip's members together, as their headers state them."""
MAX_RATIO = 200
"""A member over 1 MiB packed more than 200:1 is a zip bomb, not an export."""
_RATIO_FLOOR = 1 << 20
MAX_MEMBERS = 10_000


@dataclass(frozen=True)
class Member:
    """One file of the export."""

    name: str
    """Its path inside the export, `/`-separated (`tracking/seen_episode.csv`); for a
    single file, its file name."""
    display: str
    """How messages name it: `export.zip:tracking/seen_episode.csv`, `~/dl/history.json`."""
    size: int | None
    """Its size once uncompressed, as far as known before reading."""
    _opener: _Opener = field(repr=False, compare=False)

    @property
    def base_name(self) -> str:
        return PurePosixPath(self.name).name

    def open(self) -> io.BufferedReader:
        """A binary stream of the member's bytes, capped at MAX_MEMBER_BYTES.

        Reading past the cap raises ImportFormatError; so does a member that cannot be read.
        """
        try:
            raw = self._opener()
        except (OSError, zipfile.BadZipFile, EOFError, RuntimeError) as error:
            raise ImportFormatError(f"cannot read {self.display}: {_reason(error)}") from error
        return io.BufferedReader(_CappedReader(raw, self.display, MAX_MEMBER_BYTES), 1 << 16)

    def read_bytes(self) -> bytes:
        with self.open() as stream:
            return stream.read()


class _Opener:
    """A member's way of opening itself (kept out of Member's fields' types for mypy)."""

    def __call__(self) -> IO[bytes]:  # pragma: no cover - the subclasses override it
        raise NotImplementedError


class _FileOpener(_Opener):
    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self) -> IO[bytes]:
        return _open_regular(self.path)


class _GzipOpener(_Opener):
    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self) -> IO[bytes]:
        # open_source saw a regular file at this path; gzip closes what it opens
        return gzip.open(self.path, "rb")  # type: ignore[return-value]


class _ZipOpener(_Opener):
    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        self.archive = archive
        self.info = info

    def __call__(self) -> IO[bytes]:
        return self.archive.open(self.info)


class _CappedReader(io.RawIOBase):
    """Passes bytes through, and fails once more than `cap` have come."""

    def __init__(self, raw: IO[bytes], display: str, cap: int) -> None:
        self.raw = raw
        self.display = display
        self.left = cap

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            chunk = self.raw.read(min(len(buffer), self.left + 1))
        except (OSError, zipfile.BadZipFile, EOFError, zlib.error) as error:
            raise ImportFormatError(f"cannot read {self.display}: {_reason(error)}") from error
        if len(chunk) > self.left:
            raise ImportFormatError(
                f"{self.display} is larger than {MAX_MEMBER_BYTES >> 20} MiB once unpacked; "
                "that is not an export tracker can read (a zip bomb?)"
            )
        self.left -= len(chunk)
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self.raw.close()
        super().close()


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error) or type(error).__name__


def _open_regular(path: Path) -> IO[bytes]:
    """Open a regular file for reading; a FIFO or device is refused before it can block."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ImportFormatError(f"{path} is not a regular file (a pipe or a device?)")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class ImportSource:
    """The export's members, listed once; use as a context manager (a zip stays open)."""

    def __init__(self, path: Path, members: list[Member], ignored: list[str]) -> None:
        self.path = path
        self.members = members
        self.ignored = ignored
        """Members left out and why: `export.zip:../evil.json: a name outside the export`."""
        self._archive: zipfile.ZipFile | None = None

    def __enter__(self) -> ImportSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    def find(self, *patterns: str) -> list[Member]:
        """Members whose base name matches any pattern (`watched-history*.json`), in name
        order; matching ignores case, as exports are made on every system."""
        lowered = [pattern.lower() for pattern in patterns]
        return sorted(
            (
                member
                for member in self.members
                if any(fnmatch.fnmatchcase(member.base_name.lower(), p) for p in lowered)
            ),
            key=lambda member: member.name,
        )

    def first(self, *patterns: str) -> Member | None:
        found = self.find(*patterns)
        return found[0] if found else None


def open_source(path: Path) -> ImportSource:
    """Open PATH as an export: a folder (walked, symlinks not followed), a .zip, a .gz
    (one member, named without `.gz`) or any other single file.

    Raises ImportFormatError when PATH is missing, unreadable, not a regular file or
    folder, or a damaged archive.
    """
    try:
        info = path.stat()
    except OSError as error:
        raise ImportFormatError(f"cannot open {path}: {_reason(error)}") from error
    if stat.S_ISDIR(info.st_mode):
        return _folder_source(path)
    if not stat.S_ISREG(info.st_mode):
        raise ImportFormatError(f"{path} is not a regular file or a folder (a pipe or a device?)")
    if zipfile.is_zipfile(path):
        return _zip_source(path)
    if _is_gzip(path):
        name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
        member = Member(name, f"{path}", None, _GzipOpener(path))
        return ImportSource(path, [member], [])
    return ImportSource(path, [Member(path.name, str(path), info.st_size, _FileOpener(path))], [])


def _is_gzip(path: Path) -> bool:
    try:
        with _open_regular(path) as stream:
            return stream.read(2) == b"\x1f\x8b"
    except OSError:
        return False


def _folder_source(root: Path) -> ImportSource:
    members: list[Member] = []
    ignored: list[str] = []
    for folder, _dirs, names in os.walk(root, onerror=None, followlinks=False):
        for name in sorted(names):
            path = Path(folder, name)
            relative = path.relative_to(root).as_posix()
            try:
                info = path.lstat()
            except OSError as error:
                ignored.append(f"{path}: {_reason(error)}")
                continue
            if not stat.S_ISREG(info.st_mode):
                ignored.append(f"{path}: not a regular file (symlinks are not followed)")
                continue
            members.append(Member(relative, str(path), info.st_size, _FileOpener(path)))
            if len(members) > MAX_MEMBERS:
                raise ImportFormatError(f"{root} holds more than {MAX_MEMBERS} files")
    return ImportSource(root, members, ignored)


def _safe_name(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    absolute = name.startswith(("/", "\\")) or (bool(parts) and ":" in parts[0])
    return bool(parts) and not absolute and ".." not in parts


def _zip_source(path: Path) -> ImportSource:
    try:
        archive = zipfile.ZipFile(_open_regular(path))
        infos = archive.infolist()
    except (OSError, zipfile.BadZipFile, EOFError) as error:
        raise ImportFormatError(f"{path} is not a readable zip: {_reason(error)}") from error
    if len(infos) > MAX_MEMBERS:
        archive.close()
        raise ImportFormatError(f"{path} holds more than {MAX_MEMBERS} files")
    members: list[Member] = []
    ignored: list[str] = []
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        display = f"{path}:{info.filename}"
        if not _safe_name(info.filename):
            ignored.append(f"{display}: a name outside the export (ignored, never extracted)")
            continue
        total += info.file_size
        packed = max(info.compress_size, 1)
        if (
            info.file_size > MAX_MEMBER_BYTES
            or total > MAX_TOTAL_BYTES
            or (info.file_size > _RATIO_FLOOR and info.file_size / packed > MAX_RATIO)
        ):
            archive.close()
            raise ImportFormatError(
                f"{display} unpacks to {info.file_size:,} bytes from {info.compress_size:,}; "
                "that is not an export tracker will read (a zip bomb?)"
            )
        members.append(Member(info.filename, display, info.file_size, _ZipOpener(archive, info)))
    source = ImportSource(path, members, ignored)
    source._archive = archive
    return source


def iter_lines(member: Member) -> Iterator[str]:
    """The member's text lines (UTF-8, a BOM dropped, any newline), streamed."""
    with member.open() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        yield from text
