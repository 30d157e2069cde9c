"""Load the catalog: the bundled shows, then the user's own show files."""

from __future__ import annotations

import contextlib
import dataclasses
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from tracker_tui.domain.catalog.cache import (
    CACHE_FILE,
    CatalogCache,
    cache_key,
    read_details,
    write_details,
)
from tracker_tui.domain.catalog.models import Show, ShowDetails, YourFacts, YourSeason
from tracker_tui.domain.catalog.problems import Problem
from tracker_tui.domain.catalog.sources import SourceRegistry, load_registry
from tracker_tui.domain.collection import no_collection_pauses
from tracker_tui.domain.files import Stamp, file_stamp
from tracker_tui.domain.paths import (
    bundled_data,
    cache_dir,
    data_dir,
    user_overlays_dir,
    user_shows_dir,
    user_sources_dir,
)

MAX_SHOW_FILE_BYTES = 1024 * 1024

_TOO_DEEP = (
    "is nested too deeply (arrays or tables hundreds of levels inside each other); "
    "a show file needs only a few levels"
)
_TOO_LONG_NUMBER = "is not valid TOML: it holds a number thousands of digits long"

# tomllib takes time quadratic in a dotted key's length (`x.x.x...`: 8,000 parts
# take a second, 100,000 an hour), so such a key is refused before parsing.
MAX_KEY_PARTS = 100
_KEY_PART = r"""(?:(?<![A-Za-z0-9_-])[A-Za-z0-9_-]++|"[^"\n]*+"|'[^'\n]*+')"""
# A string, not a compiled pattern: compiled on first use (cold starts only), not at import.
_LONG_DOTTED_KEY = rf"{_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART}){{{MAX_KEY_PARTS}}}"


@dataclass(frozen=True)
class CatalogEntry:
    """A loaded show and the file it came from."""

    show: Show
    """Usually an outline (`Show.outline`: no people, notes or disputes); `Catalog.get`
    gives the whole show."""
    path: Path
    bundled: bool
    stamp: Stamp | None = field(default=None, compare=False)
    """The file's stamp when it was checked: which kept details are this file's."""


@dataclass
class DetailsSource:
    """Where a catalog finds the details its outlines leave out: those checked in this
    load, else the cache's file for the show, else the show file, checked again."""

    cache_folder: Path
    key: list[Any]
    registry: SourceRegistry
    save: bool
    checked: dict[Path, ShowDetails] = field(default_factory=dict)

    def details(self, entry: CatalogEntry) -> ShowDetails | None:
        """The entry's details as its file was when the outline was read; None when
        they cannot be had now (the file changed since, or could not be read): the
        next load of the catalog has the file as it is."""
        found = self.checked.get(entry.path)
        if found is not None:
            return found
        if entry.stamp is None:
            return None
        kept = read_details(self.cache_folder, entry.path, entry.stamp, self.key)
        if kept is not None:
            return kept
        if file_stamp(entry.path) != entry.stamp:
            return None  # another version of the file: its details would not fit
        data, show, _ = _check_show_file(entry.path, self.registry)
        if data is None or show is None or file_stamp(entry.path) != entry.stamp:
            return None  # unreadable, or changed while it was read
        if self.save:
            write_details(self.cache_folder, entry.path, entry.stamp, self.key, data)
        return show.details()

    def forget_kept(self, paths: Iterable[Path]) -> None:
        """Let go of details now kept in the cache's files: read from there if needed."""
        for path in paths:
            self.checked.pop(path, None)


@dataclass
class Catalog:
    """Every show that loaded, sorted by title, and every problem met on the way.

    Its entries hold outlines, which is all a list of shows needs; a show's details are
    read when `get` asks for the whole show, once."""

    entries: list[CatalogEntry]
    sources: SourceRegistry
    problems: list[Problem] = field(default_factory=list)
    details: DetailsSource | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {entry.show.id: entry for entry in self.entries}
        self._whole: dict[str, Show] = {}

    @property
    def shows(self) -> list[Show]:
        """Every show, as an outline."""
        return [entry.show for entry in self.entries]

    def same_as(self, other: Catalog) -> bool:
        """Whether both hold the same shows and problems, details included: a file
        touched but unchanged is the same, a note edited is not (outlines alike)."""
        if self.entries != other.entries or self.problems != other.problems:
            return False
        return all(
            mine.stamp == theirs.stamp or self.get(mine.show.id) == other.get(theirs.show.id)
            for mine, theirs in zip(self.entries, other.entries, strict=True)
        )

    def outline(self, show_id: str) -> Show | None:
        """The show with this id as lists hold it (no details), or None: enough for its
        title, names and seasons, and free, where `get` may read a file."""
        entry = self._by_id.get(show_id)
        return None if entry is None else entry.show

    def get(self, show_id: str) -> Show | None:
        """The whole show with this id (details included), or None."""
        entry = self._by_id.get(show_id)
        if entry is None:
            return None
        if not entry.show.is_outline:
            return entry.show
        whole = self._whole.get(show_id)
        if whole is None:
            details = self.details.details(entry) if self.details else ShowDetails()
            if details is None:
                # Not kept: asked again, the details may be readable, or a reload due.
                return entry.show.with_details(ShowDetails())
            whole = self._whole[show_id] = entry.show.with_details(details)
        return whole


T = TypeVar("T")
_Checked = tuple[dict[str, Any] | None, Show | None, list[Problem]]


def _check_show_file(path: Path, registry: SourceRegistry) -> _Checked:
    """Read and check one show file: its checked data and show, or Nones and why not.

    Each stage runs only when those before it found nothing wrong: the file as a file,
    its text, its TOML against the format, then its quotes against the sources.
    """
    name = str(path)
    text, why = _read_show_text(path)
    why = why or _refuse_text(text)
    if why is not None:
        return None, None, [Problem(name, None, why)]
    data, problems = _parse_show(name, text)
    show = None if data is None else Show.from_data(data)
    if show is not None:
        problems = _citation_problems(name, show, registry)
    if problems:
        return None, None, problems
    return data, show, []


def _read_show_text(path: Path) -> tuple[str, str | None]:
    """The file's text, or "" and why it cannot be a show file's."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            # Reading a FIFO would wait for a writer forever; a device never ends.
            return "", "is not a regular file; a show file must be"
        if status.st_size > MAX_SHOW_FILE_BYTES:
            return "", f"is {status.st_size:,} bytes; show files may be at most 1 MiB"
        return path.read_text(encoding="utf-8"), None
    except UnicodeDecodeError as error:
        return "", f"is not UTF-8 text ({error.reason} at byte {error.start})"
    except OSError as error:
        return "", f"cannot be read: {error.strerror or error}"


def _refuse_text(text: str) -> str | None:
    """Why the text is not worth parsing: nothing in it, or a key that would stall it."""
    if not text.strip():
        return "is empty; a show file needs at least id, title and kind"
    if re.search(_LONG_DOTTED_KEY, text):
        return f"has a dotted key of over {MAX_KEY_PARTS} parts; a show file needs a few"
    return None


def _parse_show(
    name: str, text: str, *, overlay: bool = False
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The file's data checked against the format (a show's, or an overlay's), or None
    and every problem found."""
    # pydantic and tomllib are imported only here, when a file is new or has changed.
    import tomllib

    from pydantic import ValidationError

    from tracker_tui.domain.catalog.schema import check_show, check_yours, problems_from_validation

    try:
        return (check_yours if overlay else check_show)(tomllib.loads(text)), []
    except RecursionError:
        # 2 KB of `[[[[...` is enough to exhaust the parser's stack.
        return None, [Problem(name, None, _TOO_DEEP)]
    except tomllib.TOMLDecodeError as error:
        return None, [Problem(name, None, f"is not valid TOML: {error}")]
    except ValidationError as error:
        return None, problems_from_validation(name, error)
    except ValueError:  # Python refuses to convert an integer of over 4,300 digits
        return None, [Problem(name, None, _TOO_LONG_NUMBER)]


def _citation_problems(name: str, show: Show, registry: SourceRegistry) -> list[Problem]:
    """Every quote the show cites that its source does not hold word for word."""
    return [
        Problem(name, where, why)
        for where, ref in show.source_refs()
        if (why := registry.check_quote(ref.document, ref.quote)) is not None
    ]


def read_show_file(path: Path, registry: SourceRegistry) -> tuple[Show | None, list[Problem]]:
    """Read and check one show file; on any problem return None and say why."""
    _, show, problems = _check_show_file(path, registry)
    return show, problems


_OUTLINE = msgspec.json.Decoder(Show)
_YOURS = msgspec.json.Decoder(YourFacts)


def _outline(raw: msgspec.Raw) -> Show:
    return _OUTLINE.decode(raw).made_outline()  # a new object: no copy needed


LoadProgress = Callable[[int, int], None]
"""Told after each show file a load had to check (one not found unchanged in the cache:
new, edited, or the cache made by another version): how many of the show files it has
read so far, and how many there are. A front end says so when a load is slow."""


@dataclass
class _Reading:
    """How far a load has read the show files, for its `LoadProgress`."""

    total: int
    told: LoadProgress | None
    read: int = 0

    def check(self, path: Path, registry: SourceRegistry) -> _Checked:
        checked = _check_show_file(path, registry)
        if self.told is not None:
            self.told(self.read + 1, self.total)
        return checked


def _read_checked(
    path: Path,
    registry: SourceRegistry,
    cache: CatalogCache,
    details: DetailsSource,
    reading: _Reading,
) -> tuple[Show | None, Stamp | None, list[Problem]]:
    """One show file as an outline, from the cache when the file has not changed since
    it was checked; a file checked now leaves its details in `details`."""
    show, stamp, problems = _read_cached(
        path, cache, _outline, lambda: reading.check(path, registry)
    )
    reading.read += 1
    if show is not None and not show.is_outline:
        details.checked[path] = show.details()
        show = show.outline()
    return show, stamp, problems


def _read_cached(
    path: Path,
    cache: CatalogCache,
    build: Callable[[msgspec.Raw], T],
    check: Callable[[], tuple[dict[str, Any] | None, T | None, list[Problem]]],
) -> tuple[T | None, Stamp | None, list[Problem]]:
    stamp = file_stamp(path)
    cached = cache.show(path, stamp) if stamp is not None else None
    if cached is not None:
        raw, problems = cached
        try:
            return (build(raw) if raw is not None else None), stamp, problems
        except (msgspec.DecodeError, msgspec.ValidationError, TypeError, ValueError):
            cache.forget_show(path)  # a damaged entry: check the file again
    data, value, problems = check()
    if stamp is not None:
        cache.remember_show(path, stamp, data, problems)
    return value, stamp, problems


def _check_overlay_file(
    path: Path,
) -> tuple[dict[str, Any] | None, YourFacts | None, list[Problem]]:
    """Read and check one overlay file as `_check_show_file` does a show file; a file
    of comments only (the template) holds no facts, which is fine."""
    name = str(path)
    text, why = _read_show_text(path)
    if why is None and text.strip() and re.search(_LONG_DOTTED_KEY, text):
        why = f"has a dotted key of over {MAX_KEY_PARTS} parts; an overlay file needs a few"
    if why is not None:
        return None, None, [Problem(name, None, why)]
    data, problems = _parse_show(name, text, overlay=True)
    if data is None:
        return None, None, problems
    return data, YourFacts.from_data(data), []


def _fitted_overlay(path: Path, facts: YourFacts, show: Show) -> tuple[YourFacts, list[Problem]]:
    """The overlay's facts that fit the show: seasons it has, episodes within the count
    tracking uses. What does not fit is reported and left out."""
    name = str(path)
    problems = []
    seasons = []
    for index, yours in enumerate(facts.seasons):
        cited = show.season(yours.number)
        if cited is None:
            known = ", ".join(str(season.number) for season in show.seasons) or "none"
            problems.append(
                Problem(
                    name,
                    f"seasons[{index}].number",
                    f"{show.title} has no season {yours.number} (seasons: {known}); "
                    "your facts can only be for its seasons (ignored)",
                )
            )
            continue
        count = yours.episode_count if yours.episode_count is not None else cited.episode_count
        beyond = [episode.number for episode in yours.episodes if count and episode.number > count]
        if beyond:
            problems.append(
                Problem(
                    name,
                    f"seasons[{index}].episodes",
                    f"episode {beyond[0]} is beyond the season's {count} episodes; "
                    "give an episode_count (ignored)",
                )
            )
            yours = YourSeason(
                yours.number,
                yours.episode_count,
                [episode for episode in yours.episodes if episode.number not in beyond],
            )
        seasons.append(yours)
    return YourFacts(year=facts.year, seasons=seasons), problems


def _attach_overlays(
    home: Path, cache: CatalogCache, by_id: dict[str, CatalogEntry]
) -> list[Problem]:
    """The user's own facts for bundled shows (`yours/<id>.toml`), attached to each show
    as `Show.yours`, apart from its cited facts."""
    folder = user_overlays_dir(home)
    problems: list[Problem] = []
    if not folder.is_dir():
        return problems
    for path in sorted(folder.glob("*.toml")):
        facts, _, found = _read_cached(
            path, cache, _YOURS.decode, partial(_check_overlay_file, path)
        )
        problems.extend(found)
        entry = by_id.get(path.stem)
        if facts is None or facts.is_empty():
            continue
        if entry is None or not entry.bundled:
            why = (
                f"is for {path.stem!r}, which is no bundled show: an overlay file is named "
                "for a bundled show's id (ignored)"
                if entry is None
                else f"is for your own show {path.stem!r}: edit its show file instead (ignored)"
            )
            problems.append(Problem(str(path), None, why))
            continue
        facts, found = _fitted_overlay(path, facts, entry.show)
        problems.extend(found)
        if not facts.is_empty():
            show = dataclasses.replace(entry.show, yours=facts)
            by_id[path.stem] = dataclasses.replace(entry, show=show)
    return problems


def _repeated_id(path: Path, show_id: str, first: Path) -> Problem:
    return Problem(
        str(path),
        "id",
        f"show id {show_id!r} is already used by {first}; give one of them another id",
    )


@dataclass(frozen=True)
class CheckedFile:
    """One show file as `validate` reports it: its show, or why it would be skipped."""

    path: Path
    show: Show | None
    problems: list[Problem]


def check_show_files(paths: list[Path], registry: SourceRegistry) -> list[CheckedFile]:
    """Check files as loading does, cache aside: each file, then ids repeated in a folder."""
    checked = []
    first_with_id: dict[tuple[Path, str], Path] = {}
    for path in paths:
        show, problems = read_show_file(path, registry)
        if show is not None:
            first = first_with_id.setdefault((path.parent, show.id), path)
            if first != path:
                checked.append(CheckedFile(path, None, [_repeated_id(path, show.id, first)]))
                continue
        checked.append(CheckedFile(path, show, problems))
    return checked


def _show_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.toml"), key=str) if folder.is_dir() else []


def _read_folder(
    paths: list[Path],
    registry: SourceRegistry,
    cache: CatalogCache,
    details: DetailsSource,
    reading: _Reading,
    *,
    bundled: bool,
) -> tuple[list[CatalogEntry], list[Problem]]:
    entries: list[CatalogEntry] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in paths:
        show, stamp, found = _read_checked(path, registry, cache, details, reading)
        problems.extend(found)
        if show is None:
            continue
        if show.id in seen:
            problems.append(_repeated_id(path, show.id, seen[show.id]))
            continue
        seen[show.id] = path
        entries.append(CatalogEntry(show, path, bundled, stamp))
    return entries, problems


_first_load_frozen = False


def _without_collection_pauses() -> contextlib.AbstractContextManager[None]:
    """Loading builds hundreds of thousands of small objects, none of them garbage (a third
    of a big library's load went to collections on the way). The first load of a process
    then freezes what it made, so that no later collection walks the catalog again. Only
    the first: a reload in the app would freeze that moment's garbage for good."""
    global _first_load_frozen
    first, _first_load_frozen = not _first_load_frozen, True
    return no_collection_pauses(freeze=first)


def load_catalog(
    home: Path | None = None, *, save_cache: bool = True, progress: LoadProgress | None = None
) -> Catalog:
    """Load the bundled shows and the user's shows; a user show replaces a bundled one by id.

    `save_cache=False` writes nothing (`tracker import --dry-run`): the cache is used, not
    updated. `progress` is told of each show file that had to be checked."""
    with _without_collection_pauses():
        return _load_catalog(home, save_cache=save_cache, progress=progress)


def _load_catalog(home: Path | None, *, save_cache: bool, progress: LoadProgress | None) -> Catalog:
    cache_folder = home / "cache" if home else cache_dir()
    home = home or data_dir()
    bundled = bundled_data()
    user_sources = user_sources_dir(home)
    cache = CatalogCache.open(
        cache_folder / CACHE_FILE, cache_key(bundled.registry, bundled.seeds, user_sources)
    )
    cached_registry = cache.registry()
    if cached_registry is None:
        registry, problems = load_registry(bundled.registry, bundled.seeds, user_sources)
        cache.remember_registry(registry, problems)
    else:
        registry, problems = cached_registry
    problems = list(problems)
    details = DetailsSource(cache_folder, cache.key, registry, save_cache)
    bundled_files, user_files = _show_files(bundled.shows), _show_files(user_shows_dir(home))
    reading = _Reading(len(bundled_files) + len(user_files), progress)
    bundled_entries, found = _read_folder(
        bundled_files, registry, cache, details, reading, bundled=True
    )
    problems.extend(found)
    user_entries, found = _read_folder(user_files, registry, cache, details, reading, bundled=False)
    problems.extend(found)
    by_id = {entry.show.id: entry for entry in bundled_entries}
    by_id.update({entry.show.id: entry for entry in user_entries})
    problems.extend(_attach_overlays(home, cache, by_id))
    if save_cache:
        details.forget_kept(cache.save())
    entries = sorted(by_id.values(), key=lambda entry: (entry.show.title.casefold(), entry.show.id))
    return Catalog(entries, registry, problems, details)


def file_problems(path: Path) -> list[Problem]:
    """What loading says about one show or overlay file in a data folder (its folder's
    parent): the problems an edit must fix, worded as the loader words them."""
    home = path.parent.parent
    catalog = load_catalog(None if home == data_dir() else home)
    wanted = path.resolve()
    return [problem for problem in catalog.problems if Path(problem.file).resolve() == wanted]


class ShowLookupError(LookupError):
    """SHOW matched no show, or more than one."""

    def __init__(self, message: str, candidates: list[Show]) -> None:
        super().__init__(message)
        self.candidates = candidates


def matches_part(show: Show, wanted: str) -> bool:
    """Is `wanted` (casefolded) part of the show's id or of a name in `Show.search_names`?
    The one rule for a partial name: `find_show` and the app's shows filter both use it."""
    return any(wanted in name.casefold() for name in [show.id, *show.search_names()])


def find_show(shows: list[Show], query: str) -> Show:
    """Resolve what the user typed: an id, or a name of `Show.search_names` (title, alias,
    source material's title, a name's either spelling), whole or an unambiguous part."""
    wanted = query.strip().casefold()
    if not wanted:
        raise ShowLookupError("no show named: give an id, alias or part of a title", shows)
    for show in shows:
        if wanted == show.id:
            return show
    # Two shows may share a title (a remake, a user's copy): then it names neither.
    matches = [
        show for show in shows if wanted in (name.casefold() for name in show.search_names())
    ] or [show for show in shows if matches_part(show, wanted)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = ", ".join(f"{show.id} ({show.title})" for show in matches)
        raise ShowLookupError(f"{query!r} matches several shows: {listed}", matches)
    listed = ", ".join(show.id for show in shows) or "none"
    raise ShowLookupError(f"no show matches {query!r}; known shows: {listed}", shows)
