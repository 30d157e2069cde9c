"""A cache of checked show files, so a normal start reads what its lists need instead
of parsing and validating every TOML file (and importing pydantic to do it).

Two parts: an index (`catalog.json`) of every file's outline (a show without its
people, notes and disputes) and problems, read at every start; and each show's
details in a file of its own (`details/`), read when that show is opened. A rich
library's notes are most of its bytes, so a start reads a fraction of them.

An entry is used only while its file's size, mtime, ctime and inode are what
they were when it was checked. A change to the source documents, the registry
or the code that checks files drops the whole cache. A cache that is missing,
unreadable or from another version is simply rebuilt; it never holds anything
the files do not.
"""

from __future__ import annotations

import contextlib
import importlib.util
import time
from pathlib import Path
from typing import Any

import msgspec

from tracker_tui import __version__
from tracker_tui.domain.catalog.models import DETAIL_FIELDS, ShowDetails
from tracker_tui.domain.catalog.problems import Problem
from tracker_tui.domain.catalog.sources import SourceRegistry
from tracker_tui.domain.files import (
    NotAFileError,
    Stamp,
    file_stamp,
    read_regular,
    write_cache_file,
)

CACHE_FORMAT = 5  # 2: shows as `models.Show.to_data` gives them (dates as objects); 3: year,
# air dates, seasons without status, and overlay files (`yours/`) kept beside the shows;
# 4: a show's external ids; 5: outlines in the index, details in a file per show
CACHE_FILE = "catalog.json"
DETAILS_FOLDER = "details"

# A file changed within this many seconds of being checked could change again
# within the same mtime tick without its stamp changing, so it is not cached
# until it has been still for this long (git's "racily clean" rule).
_SETTLE_SECONDS = 2.0

# The modules whose rules decide whether a file is valid and what it becomes, by
# module name: `_code_files` finds each through the import system, so a module that
# moves or is renamed fails every start loudly instead of silently dropping out of the
# key. Named, not imported: importing schema would import pydantic on every start.
RULE_MODULES = (
    "tracker_tui.domain.catalog.loader",
    "tracker_tui.domain.catalog.schema",
    "tracker_tui.domain.catalog.models",
    "tracker_tui.domain.catalog.dates",
    "tracker_tui.domain.catalog.fields",
    "tracker_tui.domain.catalog.text",
    "tracker_tui.domain.catalog.sources",
    "tracker_tui.domain.catalog.problems",
    __name__,
)


def _code_files() -> list[Path]:
    files = []
    for name in RULE_MODULES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise ImportError(f"the catalog cache's key names {name}, which does not exist")
        files.append(Path(spec.origin))
    return files


def _folder_stamps(folder: Path, pattern: str) -> list[Any]:
    if not folder.is_dir():
        return []
    return [[path.name, file_stamp(path)] for path in sorted(folder.glob(pattern))]


def cache_key(registry_file: Path, seeds: Path, user_sources: Path) -> list[Any]:
    """Everything every entry depends on: the code, the registry and every source document."""
    key = [
        CACHE_FORMAT,
        __version__,
        [file_stamp(path) for path in _code_files()],
        [str(registry_file), file_stamp(registry_file)],
        [str(seeds), _folder_stamps(seeds, "*")],
        [str(user_sources), _folder_stamps(user_sources, "*.txt")],
    ]
    normalised: list[Any] = msgspec.json.decode(_ENCODER.encode(key))  # tuples become lists
    return normalised


def _problems_data(problems: list[Problem]) -> list[list[str | None]]:
    return [[problem.file, problem.field, problem.message] for problem in problems]


def _problems(data: list[list[str | None]]) -> list[Problem]:
    return [Problem(str(file), field, str(message)) for file, field, message in data]


class _Index(msgspec.Struct):
    """The index as read: each file's entry is kept raw and decoded only when asked for,
    so a start decodes every entry once and an entry that is damaged costs only itself."""

    key: Any = None
    registry: Any = None
    shows: dict[str, msgspec.Raw] = {}


class _Entry(msgspec.Struct):
    stamp: list[int]
    problems: list[list[str | None]]
    show: msgspec.Raw
    """The outline's data (or an overlay's facts) as raw JSON; `null` when the file has
    problems (msgspec reads a Raw only on its own, not in a union with None)."""


class _DetailsFile(msgspec.Struct):
    key: str
    """The digest of the cache key it was checked under: details checked by other code
    or against other sources are not used."""
    stamp: list[int]
    details: ShowDetails


_INDEX = msgspec.json.Decoder(_Index)
_ENTRY = msgspec.json.Decoder(_Entry)
_DETAILS = msgspec.json.Decoder(_DetailsFile)
_ENCODER = msgspec.json.Encoder()


def details_file(folder: Path, show_file: Path) -> Path:
    """Where the details of the show in `show_file` are kept: named by the file's path,
    which is what entries are keyed by."""
    import hashlib  # not on every start: only a show opened or checked needs it

    name = hashlib.sha256(str(show_file).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return folder / DETAILS_FOLDER / f"{name}.json"


def key_digest(key: list[Any]) -> str:
    import hashlib

    return hashlib.sha256(_ENCODER.encode(key)).hexdigest()


def read_details(folder: Path, show_file: Path, stamp: Stamp, key: list[Any]) -> ShowDetails | None:
    """The details kept for `show_file` as it was at `stamp` under this cache key, or
    None (missing, damaged, or from another version of the file or of the checks)."""
    try:
        kept = _DETAILS.decode(read_regular(details_file(folder, show_file))[0])
    except (
        OSError,
        NotAFileError,
        msgspec.DecodeError,
        msgspec.ValidationError,
        ValueError,
        TypeError,
    ):
        return None
    if kept.stamp != list(stamp) or kept.key != key_digest(key):
        return None
    return kept.details


def write_details(
    folder: Path, show_file: Path, stamp: Stamp, key: list[Any], details: dict[str, Any]
) -> bool:
    """Keep a show's checked details; a cache that cannot be written is no error.
    Whether they were written."""
    data = {"key": key_digest(key), "stamp": stamp, "details": details}
    return write_cache_file(details_file(folder, show_file), _ENCODER.encode(data))


class CatalogCache:
    """Checked show files by path, read at start and written back when anything changed."""

    def __init__(self, path: Path, key: list[Any], index: _Index | None = None) -> None:
        self.path = path
        self.folder = path.parent
        self.key = key
        valid = index is not None and index.key == key
        self._old: dict[str, msgspec.Raw] = index.shows if valid and index is not None else {}
        self._old_registry = index.registry if valid and index is not None else None
        self._shows: dict[str, msgspec.Raw | dict[str, Any]] = {}
        self._details: dict[str, tuple[Stamp, dict[str, Any]]] = {}
        self._registry: dict[str, Any] | None = None
        self._changed = not valid

    @classmethod
    def open(cls, path: Path, key: list[Any]) -> CatalogCache:
        """The cache at `path`, or an empty one when it is missing, damaged or stale."""
        try:
            # Not read_bytes: a FIFO there would wait for a writer forever.
            index = _INDEX.decode(read_regular(path)[0])
        except (OSError, NotAFileError, msgspec.DecodeError, msgspec.ValidationError):
            index = None
        return cls(path, key, index)

    def registry(self) -> tuple[SourceRegistry, list[Problem]] | None:
        found = self._old_registry
        if not isinstance(found, dict):
            return None
        try:
            registry = SourceRegistry.from_data(found["documents"])
            problems = _problems(found["problems"])
        except (KeyError, TypeError, ValueError):
            return None
        self._registry = found
        return registry, problems

    def remember_registry(self, registry: SourceRegistry, problems: list[Problem]) -> None:
        self._registry = {"documents": registry.to_data(), "problems": _problems_data(problems)}
        self._changed = True

    def show(self, path: Path, stamp: Stamp) -> tuple[msgspec.Raw | None, list[Problem]] | None:
        """The checked data (raw JSON: an outline, or an overlay's facts) and problems of
        an unchanged file, or None to check it again."""
        raw = self._old.get(str(path))
        if raw is None:
            return None
        try:
            entry = _ENTRY.decode(raw)
            if entry.stamp != list(stamp):
                return None
            data = None if bytes(entry.show) == b"null" else entry.show
            result = data, _problems(entry.problems)
        except (msgspec.DecodeError, msgspec.ValidationError, TypeError, ValueError):
            return None
        self._shows[str(path)] = raw
        return result

    def forget_show(self, path: Path) -> None:
        """Check this file again next time: its entry could not be used."""
        self._shows.pop(str(path), None)
        self._changed = True

    def remember_show(
        self, path: Path, stamp: Stamp, data: dict[str, Any] | None, problems: list[Problem]
    ) -> None:
        """Keep a file's checked data: the outline in the index, the details (when the
        data has them: a show's, not an overlay's) in a file of their own."""
        self._changed = True
        if time.time_ns() - stamp[1] < _SETTLE_SECONDS * 1e9:
            return  # too fresh to trust its stamp; check it again next time
        outline = None
        if data is not None:
            outline = {name: value for name, value in data.items() if name not in DETAIL_FIELDS}
            if any(name in data for name in DETAIL_FIELDS):
                details = {name: data.get(name, []) for name in DETAIL_FIELDS}
                self._details[str(path)] = (stamp, details)
        self._shows[str(path)] = {
            "stamp": stamp,
            "show": outline,
            "problems": _problems_data(problems),
        }

    def save(self) -> list[Path]:
        """Write the cache if anything changed; a cache that cannot be written is no error.
        The show files whose details are now kept in a file of their own."""
        forgotten = set(self._old) - set(self._shows)
        if not (self._changed or forgotten) or self._registry is None:
            return []
        kept = []
        for path, (stamp, details) in self._details.items():
            if write_details(self.folder, Path(path), stamp, self.key, details):
                kept.append(Path(path))
        for path in forgotten:
            with contextlib.suppress(OSError):
                details_file(self.folder, Path(path)).unlink(missing_ok=True)
        data = {"key": self.key, "registry": self._registry, "shows": self._shows}
        if not write_cache_file(self.path, _ENCODER.encode(data)):
            return []  # without the index, the details files would never be read
        return kept
