"""The show summary: what `tracker next` and `tracker shows` print of each show, kept in
the cache folder (`cache/summary.json`) so that they read one small file instead of the
catalog and the progress file.

It is derived data, like the catalog cache: valid only for the very inputs it was worked
out from, named by its key (the stamps of every show, overlay and source file, of the
progress file and its folder, and of the code that reads them, plus today's date), and
rebuilt whenever any of them differs. A summary that is missing, damaged or from another
version is rebuilt with no message; one that cannot be written is no error.

This module imports only what checking the key and reading the file need: the catalog's
and progress's readers are imported by `summary_build.py`, on a rebuild only. The file is
read with the standard library's json: importing msgspec took longer (about 15 ms) than
reading a small library's summary with json.

The file is two JSON documents, one per line: a header (the key, how long the summary
holds, and the CRC-32 of the rest) and the body (the problems and the shows, each show an
array of its fields). A summary for other inputs is turned down on its header alone; a
body that is not the very bytes written with that header (damaged, cut short, edited) is
turned down on its CRC, so a body that passes is this code's own writing, whole.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from tracker_tui import __version__
from tracker_tui.domain.files import NotAFileError, read_regular, write_cache_file
from tracker_tui.domain.paths import (
    bundled_data,
    user_overlays_dir,
    user_shows_dir,
    user_sources_dir,
)

SUMMARY_FORMAT = 3
"""The shape of a kept summary; in its key, so a summary of another shape is not read.
3: `total_known` (a show's count may be a lower bound)."""
SUMMARY_FILE = "summary.json"

# A file changed within this many seconds of the build could change again within the
# same mtime tick without its stamp changing: the catalog cache's "racily clean" rule,
# for file systems whose times are whole seconds (FAT's are even two seconds apart).
SETTLE_SECONDS = 2.0
# Where a time has a fraction of a second, the file system keeps finer times, and no
# clock tick a kernel stamps them with is this long: `tracker watch` then `tracker next`
# keeps the summary at once, not two seconds later.
FINE_SETTLE_SECONDS = 0.1

# Everything under these folders of the package decides what the summary holds: the
# catalog's rules, how progress is read, and which episodes count.
_CODE_FOLDERS = ("domain", "domain/catalog", "domain/progress", "domain/watching")


class ShowSummary(NamedTuple):
    """One show as `next` and `shows` print it, in the catalog's order; kept as a JSON
    array of its fields in this order."""

    id: str
    title: str
    kind: str
    year: int | None
    status_line: str
    """Its seasons' release status, as `show_status_line` words it today."""
    watched: int
    known: int
    percent: int
    total_known: bool
    """False: `known` is a lower bound (`ShowProgress.total_known`), printed `3/3+`."""
    watch_status: str
    """`WatchStatus`'s value: not-started, watching, up-to-date, completed."""
    next_season: int | None
    next_episode: int | None
    next_code: str | None
    """The next unwatched episode (`next_unwatched`), or None."""
    list_status: str
    list_status_label: str
    status_by_hand: bool
    rating: int | None
    archived: bool
    started: bool
    """The user has progress for it: `next` lists only those."""


class LibrarySummary(NamedTuple):
    """Every show's summary and the catalog's problems, for the inputs its key names."""

    valid_until: dt.datetime
    """When the progress file starts to read differently with the clock alone (see
    progress/time_reach.py); almost always the end of time."""
    problems: list[str]
    """The catalog's problems as loading words them: a command warns of each."""
    shows: list[ShowSummary]


@dataclass(frozen=True)
class SummaryKey:
    """What a summary is valid for, as the text it is stored with."""

    text: str
    newest_ns: int
    """The newest mtime or ctime among its files: a key taken within FINE_SETTLE_SECONDS of
    it is not kept."""
    newest_whole_ns: int
    """The newest of those that is a whole second, which may be a coarse file system's:
    a key taken within SETTLE_SECONDS of it is not kept."""
    taken_ns: int = field(default_factory=time.time_ns)
    """When the key was taken, before any input was read. Settled is judged at this
    time, not when the build ends: a second write in the tick of a file's stamp, after
    it was read, leaves the stamp as it is, however long the build then takes."""

    def settled(self) -> bool:
        return (
            self.taken_ns - self.newest_ns >= FINE_SETTLE_SECONDS * 1e9
            and self.taken_ns - self.newest_whole_ns >= SETTLE_SECONDS * 1e9
        )


class _Stamps:
    """Stamps of files, noting the newest time among them."""

    def __init__(self) -> None:
        self.newest_ns = 0
        self.newest_whole_ns = 0

    def of(self, path: Path | os.DirEntry[str]) -> list[int] | None:
        try:
            info = path.stat()  # a DirEntry's follows links, as Path's does
        except (OSError, ValueError):
            return None
        for ns in (info.st_mtime_ns, info.st_ctime_ns):
            if ns > self.newest_ns:
                self.newest_ns = ns
            if ns > self.newest_whole_ns and ns % 1_000_000_000 == 0:
                self.newest_whole_ns = ns
        return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]

    def folder(self, folder: Path, suffix: str = "") -> list[Any]:
        """Sorted, each entry's name ending in `suffix` and its stamp: a file added,
        removed or changed changes the list (an editor's swap file does not)."""
        entries: list[Any] = [str(folder)]
        with contextlib.suppress(OSError), os.scandir(folder) as found:
            kept = sorted(
                (entry for entry in found if entry.name.endswith(suffix)),
                key=lambda entry: entry.name,
            )
            entries += [[entry.name, self.of(entry)] for entry in kept]
        return entries


def _code_files(package: Path) -> Iterator[Path]:
    for folder in _CODE_FOLDERS:
        with contextlib.suppress(OSError), os.scandir(package / folder) as found:
            yield from sorted(Path(entry.path) for entry in found if entry.name.endswith(".py"))


def summary_key(home: Path, progress_path: Path, today: str) -> SummaryKey:
    """The key of the summary for this data folder, progress file and day (ISO)."""
    taken_ns = time.time_ns()
    stamps = _Stamps()
    package = Path(__file__).resolve().parents[2]
    code = [[str(path.relative_to(package)), stamps.of(path)] for path in _code_files(package)]
    bundled = bundled_data()
    target = Path(os.path.realpath(progress_path))
    key = [
        SUMMARY_FORMAT,
        __version__,
        today,
        code,
        stamps.folder(bundled.shows, ".toml"),
        [str(bundled.registry), stamps.of(bundled.registry)],
        stamps.folder(bundled.seeds),
        stamps.folder(user_shows_dir(home), ".toml"),
        stamps.folder(user_overlays_dir(home), ".toml"),
        stamps.folder(user_sources_dir(home), ".txt"),
        # The progress file, and its folders: a sync conflict copy appearing beside it
        # changes them (a summary is kept only when there were none).
        [str(progress_path), progress_path.is_symlink(), stamps.of(progress_path)],
        [str(target), stamps.of(progress_path.parent), stamps.of(target.parent)],
    ]
    return SummaryKey(_compact(key), stamps.newest_ns, stamps.newest_whole_ns, taken_ns)


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def read_summary(cache_folder: Path, key: SummaryKey, now: dt.datetime) -> LibrarySummary | None:
    """The summary kept for exactly these inputs and still valid at `now`, or None."""
    try:
        # Not read_bytes: a FIFO there would wait for a writer forever.
        raw, _stamp = read_regular(cache_folder / SUMMARY_FILE)
        head, _, body = raw.partition(b"\n")
        header = json.loads(head)
        if type(header) is not dict or header.get("key") != key.text:
            return None
        if header.get("body_crc32") != zlib.crc32(body):
            return None
        valid_until = dt.datetime.fromisoformat(header["valid_until"])
        if valid_until.tzinfo is None or not now < valid_until:
            return None
        data = json.loads(body)
        shows = [ShowSummary(*row) for row in data["shows"]]
        return LibrarySummary(valid_until, data["problems"], shows)
    except (OSError, NotAFileError, ValueError, TypeError, KeyError, RecursionError):
        return None  # not a summary this code wrote: worked out again


def write_summary(
    cache_folder: Path,
    key: SummaryKey,
    valid_until: dt.datetime,
    shows: list[ShowSummary],
    problems: list[str],
) -> bool:
    """Keep the summary, whole or not at all; whether it was written."""
    # Each show a JSON array: json writes a NamedTuple as one.
    body = _compact({"problems": problems, "shows": shows}).encode("utf-8")
    header = {
        "key": key.text,
        "valid_until": valid_until.isoformat(),
        "body_crc32": zlib.crc32(body),
    }
    data = _compact(header).encode("utf-8") + b"\n" + body
    return write_cache_file(cache_folder / SUMMARY_FILE, data)
