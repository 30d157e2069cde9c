"""Load the catalog: the bundled shows, then the user's own show files."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from tracker_tui.domain.models import Show
from tracker_tui.domain.paths import bundled_data, data_dir, user_shows_dir, user_sources_dir
from tracker_tui.domain.problems import Problem, problems_from_validation
from tracker_tui.domain.sources import SourceRegistry, load_registry

MAX_SHOW_FILE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class CatalogEntry:
    """A loaded show and the file it came from."""

    show: Show
    path: Path
    bundled: bool


@dataclass
class Catalog:
    """Every show that loaded, sorted by title, and every problem met on the way."""

    entries: list[CatalogEntry]
    sources: SourceRegistry
    problems: list[Problem] = field(default_factory=list)

    @property
    def shows(self) -> list[Show]:
        return [entry.show for entry in self.entries]

    def get(self, show_id: str) -> Show | None:
        for entry in self.entries:
            if entry.show.id == show_id:
                return entry.show
        return None

    def entry(self, show_id: str) -> CatalogEntry | None:
        return next((entry for entry in self.entries if entry.show.id == show_id), None)


def read_show_file(path: Path, registry: SourceRegistry) -> tuple[Show | None, list[Problem]]:
    """Read and check one show file; on any problem return None and say why."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_SHOW_FILE_BYTES:
            return None, [
                Problem(name, None, f"is {size:,} bytes; show files may be at most 1 MiB")
            ]
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return None, [
            Problem(name, None, f"is not UTF-8 text ({error.reason} at byte {error.start})")
        ]
    except OSError as error:
        return None, [Problem(name, None, f"cannot be read: {error.strerror or error}")]
    if not text.strip():
        return None, [
            Problem(name, None, "is empty; a show file needs at least id, title and kind")
        ]
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return None, [Problem(name, None, f"is not valid TOML: {error}")]
    try:
        show = Show.model_validate(raw)
    except ValidationError as error:
        return None, problems_from_validation(name, error)
    citation_problems = [
        Problem(name, where, why)
        for where, ref in show.source_refs()
        if (why := registry.check_quote(ref.document, ref.quote)) is not None
    ]
    if citation_problems:
        return None, citation_problems
    return show, []


def _read_folder(
    folder: Path, registry: SourceRegistry, *, bundled: bool
) -> tuple[list[CatalogEntry], list[Problem]]:
    entries: list[CatalogEntry] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return entries, problems
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.toml")):
        show, found = read_show_file(path, registry)
        problems.extend(found)
        if show is None:
            continue
        if show.id in seen:
            problems.append(
                Problem(
                    str(path),
                    "id",
                    f"show id {show.id!r} is already used by {seen[show.id]}; "
                    "give one of them another id",
                )
            )
            continue
        seen[show.id] = path
        entries.append(CatalogEntry(show, path, bundled))
    return entries, problems


def load_catalog(home: Path | None = None) -> Catalog:
    """Load the bundled shows and the user's shows; a user show replaces a bundled one by id."""
    home = home or data_dir()
    bundled = bundled_data()
    registry, problems = load_registry(bundled.registry, bundled.seeds, user_sources_dir(home))
    bundled_entries, found = _read_folder(bundled.shows, registry, bundled=True)
    problems.extend(found)
    user_entries, found = _read_folder(user_shows_dir(home), registry, bundled=False)
    problems.extend(found)
    by_id = {entry.show.id: entry for entry in bundled_entries}
    by_id.update({entry.show.id: entry for entry in user_entries})
    entries = sorted(by_id.values(), key=lambda entry: (entry.show.title.casefold(), entry.show.id))
    return Catalog(entries, registry, problems)


class ShowLookupError(LookupError):
    """SHOW matched no show, or more than one."""

    def __init__(self, message: str, candidates: list[Show]) -> None:
        super().__init__(message)
        self.candidates = candidates


def find_show(shows: list[Show], query: str) -> Show:
    """Resolve what the user typed: an id, an alias, or an unambiguous part of a title."""
    wanted = query.strip().casefold()
    if not wanted:
        raise ShowLookupError("no show named: give an id, alias or part of a title", shows)
    for show in shows:
        if wanted == show.id or wanted in (name.casefold() for name in [show.title, *show.aliases]):
            return show
    matches = [
        show
        for show in shows
        if any(wanted in name.casefold() for name in [show.id, show.title, *show.aliases])
    ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = ", ".join(f"{show.id} ({show.title})" for show in matches)
        raise ShowLookupError(f"{query!r} matches several shows: {listed}", matches)
    listed = ", ".join(show.id for show in shows) or "none"
    raise ShowLookupError(f"no show matches {query!r}; known shows: {listed}", shows)
