"""A file's stamp: what changes whenever anyone writes or replaces the file."""

from __future__ import annotations

import os
from pathlib import Path

Stamp = tuple[int, int, int, int]


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
