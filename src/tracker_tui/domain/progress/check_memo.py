"""What is known of a progress file's bytes, kept in the cache folder (`progress-check.json`):
that they passed the fast reader's whole-file check (no repeated key, every id an id), and
whether this tracker's writer wrote them, so a save may reuse each unchanged show's text.

An entry is found by the file's path and trusted only for the very bytes it was made from:
their size and 64-bit digest (`digest.py`: as quick to work out from 10 MB read as one
checksum, where the check it spares takes over a hundred milliseconds; a save works it out
from the shows it changed, so it costs a save next to nothing). Not the file's stamp: a
same-size write within one clock tick leaves a stamp as it was, so a stamp taken just
after our own save could not be trusted, and that save's entry is the one the next command
needs. The entries also hold the stamps of the code that makes them true (the reader, the
writer, msgspec), so a new tracker checks again. Losing the file costs one check; a
damaged, foreign or unwritable one is ignored.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Annotated

import msgspec

from tracker_tui.domain import files
from tracker_tui.domain.paths import cache_dir
from tracker_tui.domain.progress.digest import digest_at
from tracker_tui.domain.progress.format import WrittenFile

MEMO_FILE = "progress-check.json"
MEMO_FORMAT = 2
"""2: the digest of `digest.py`, not one sum of the whole."""
FILES_KEPT = 8
"""Entries kept, newest first: the progress file, and a few given with --progress-file."""

_RULE_FILES = ("fast_reader.py", "format.py", "reading.py", "digest.py")
"""Where the whole-file check and the writer's text are decided (beside this module)."""


class FileCheck(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    path: str
    """The file's real path (links followed)."""
    size: int
    checksum: int
    canonical: bool
    """This tracker's writer wrote these bytes, and each show's text is what it would write
    again for the state read from it (unless a time in it is taken as now: see `latest`)."""
    latest: Annotated[dt.datetime, msgspec.Meta(tz=True)] | None = None
    """When `canonical`: the latest time a reader may take as now (or a later one)."""
    cuts: list[int] = msgspec.field(default_factory=lambda: [0])
    """Where the digest's pieces begin (`digest.py`)."""


class _Memo(msgspec.Struct, forbid_unknown_fields=True):
    format: int
    code: list[object]
    files: list[FileCheck]


_DECODER = msgspec.json.Decoder(_Memo)
_ENCODER = msgspec.json.Encoder()


def memo_path() -> Path:
    return cache_dir() / MEMO_FILE


@functools.cache
def _code() -> list[object]:
    """The stamps of the code that makes the entries true, as this process loaded it."""
    here = Path(__file__).parent
    stamps: list[object] = [list(files.file_stamp(here / name) or ()) for name in _RULE_FILES]
    return [msgspec.__version__, *stamps]


_written: tuple[bytes, list[FileCheck]] | None = None
"""The memo this process wrote last, as bytes and entries: a save that finds the file as
it left it need not decode it again (a big file's entry holds thousands of cuts)."""


def _entries() -> list[FileCheck]:
    """The entries made by this very code; none when the memo is missing or unusable."""
    try:
        data = files.read_regular(memo_path())[0]
        if _written is not None and data == _written[0]:
            return _written[1]
        memo = _DECODER.decode(data)
    except (
        OSError,
        files.NotAFileError,
        msgspec.DecodeError,
        msgspec.ValidationError,
        RecursionError,  # what msgspec raises for JSON nested too deep
    ):
        return []
    if memo.format != MEMO_FORMAT or memo.code != _code():
        return []
    return memo.files


def lookup(path: Path, data: bytes) -> FileCheck | None:
    """What is known of `data`, read from `path` (its real path); None: nothing, check it."""
    key = str(path)
    for entry in _entries():
        if entry.path == key:
            if entry.size == len(data) and entry.checksum == digest_at(data, entry.cuts):
                return entry
            return None
    return None


def remember(path: Path, data: bytes, written: WrittenFile | None = None) -> None:
    """Keep that `data`, now at `path` (its real path), passed the whole-file check, and
    what our writer knew of it if it wrote it. Best effort: a cache folder that cannot be
    written is no error, and the check is simply made again."""
    canonical = written is not None and written.reads_back
    latest = written.latest if written is not None else None
    cuts = list(written.cuts) if written is not None and written.digest is not None else [0]
    digest = written.digest if written is not None else None
    if digest is None:
        digest = digest_at(data, cuts)
    if digest is None:
        return
    entry = FileCheck(str(path), len(data), digest, canonical, latest, cuts)
    global _written
    others = [kept for kept in _entries() if kept.path != entry.path]
    memo = _Memo(MEMO_FORMAT, _code(), [entry, *others][:FILES_KEPT])
    data = _ENCODER.encode(memo)
    if files.write_cache_file(memo_path(), data):
        _written = (data, memo.files)
