"""A cache of checked show files, so a normal start reads one JSON file instead of
parsing and validating every TOML file (and importing pydantic to do it).

An entry is used only while its file's size, mtime, ctime and inode are what
they were when it was checked. A change to the source documents, the registry
or the code that checks files drops the whole cache. A cache that is missing,
unreadable or from another version is simply rebuilt; it never holds anything
the files do not.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import time
from pathlib import Path
from typing import Any

from tracker_tui import __version__
from tracker_tui.domain.catalog.problems import Problem
from tracker_tui.domain.catalog.sources import SourceRegistry
from tracker_tui.domain.files import Stamp, file_stamp

CACHE_FORMAT = 4  # 2: shows as `models.Show.to_data` gives them (dates as objects); 3: year,
# air dates, seasons without status, and overlay files (`yours/`) kept beside the shows;
# 4: a show's external ids
CACHE_FILE = "catalog.json"

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
    normalised: list[Any] = json.loads(json.dumps(key))  # as read back: tuples become lists
    return normalised


def _problems_data(problems: list[Problem]) -> list[list[str | None]]:
    return [[problem.file, problem.field, problem.message] for problem in problems]


def _problems(data: list[list[str | None]]) -> list[Problem]:
    return [Problem(str(file), field, str(message)) for file, field, message in data]


class CatalogCache:
    """Checked show files by path, read at start and written back when anything changed."""

    def __init__(self, path: Path, key: list[Any], data: dict[str, Any] | None = None) -> None:
        self.path = path
        self.key = key
        valid = data is not None and data.get("key") == key
        self._old: dict[str, Any] = data if valid and data is not None else {}
        self._shows: dict[str, Any] = {}
        self._registry: dict[str, Any] | None = None
        self._changed = not valid

    @classmethod
    def open(cls, path: Path, key: list[Any]) -> CatalogCache:
        """The cache at `path`, or an empty one when it is missing, damaged or stale."""
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            data = None
        return cls(path, key, data if isinstance(data, dict) else None)

    def registry(self) -> tuple[SourceRegistry, list[Problem]] | None:
        found = self._old.get("registry")
        if found is None:
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

    def show(self, path: Path, stamp: Stamp) -> tuple[dict[str, Any] | None, list[Problem]] | None:
        """The checked data and problems of an unchanged file, or None to check it again."""
        entry = self._old.get("shows", {}).get(str(path))
        if not isinstance(entry, dict) or entry.get("stamp") != list(stamp):
            return None
        try:
            result = entry["show"], _problems(entry["problems"])
        except (KeyError, TypeError, ValueError):
            return None
        self._shows[str(path)] = entry
        return result

    def remember_show(
        self, path: Path, stamp: Stamp, data: dict[str, Any] | None, problems: list[Problem]
    ) -> None:
        self._changed = True
        if time.time_ns() - stamp[1] < _SETTLE_SECONDS * 1e9:
            return  # too fresh to trust its stamp; check it again next time
        self._shows[str(path)] = {
            "stamp": stamp,
            "show": data,
            "problems": _problems_data(problems),
        }

    def save(self) -> None:
        """Write the cache if anything changed; a cache that cannot be written is no error."""
        forgotten = set(self._old.get("shows", {})) - set(self._shows)
        if not (self._changed or forgotten) or self._registry is None:
            return
        data = {"key": self.key, "registry": self._registry, "shows": self._shows}
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temp.write_text(text, encoding="utf-8")
            temp.replace(self.path)  # atomic: a reader sees the old cache or the new
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
