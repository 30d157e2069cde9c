"""The user's own shows: drafts checked field by field, written as show files, edited,
removed and restored; and the user's own facts for bundled shows, in overlay files.

The app's forms and the command line both go through here. A draft is checked with
the show format's own rules (`fields`, `models`), so what passes here loads. Files
are written with tomlkit (imported only when writing), which edits a user's file in
place and keeps their comments and layout.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker_tui.domain import clock
from tracker_tui.domain.catalog.dates import MAX_YEAR, MIN_YEAR, PartialDate, coerce_partial_date
from tracker_tui.domain.catalog.fields import name_problem
from tracker_tui.domain.catalog.models import (
    MAX_EPISODE_NUMBER,
    MAX_SEASON_NUMBER,
    Episode,
    Kind,
    Show,
)
from tracker_tui.domain.files import fsync_folder, write_temp
from tracker_tui.domain.paths import (
    bundled_data,
    removed_shows_dir,
    user_overlays_dir,
    user_shows_dir,
)

if TYPE_CHECKING:
    from tomlkit.items import AoT, Array, Table
    from tomlkit.toml_document import TOMLDocument

KINDS: tuple[str, ...] = tuple(kind.value for kind in Kind)
"""series, anime, miniseries, documentary, other: the show format's kinds, in order."""
MAX_EPISODES_PER_SEASON = MAX_EPISODE_NUMBER
MAX_SEASONS = MAX_SEASON_NUMBER
MAX_ID_LENGTH = 80
"""The show format's `Slug` bound."""
_ID_STEM_LENGTH = 60  # room for "-2", "-10000" after it


@dataclass(frozen=True)
class EpisodeDraft:
    number: int
    title: str | None = None
    air_date: str | None = None
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as `PartialDate.parse` reads it."""


@dataclass(frozen=True)
class SeasonDraft:
    number: int
    episode_count: int | None = None
    """None: unknown."""
    episodes: tuple[EpisodeDraft, ...] = ()


@dataclass(frozen=True)
class ShowDraft:
    title: str
    kind: str = "series"
    year: int | None = None
    seasons: tuple[SeasonDraft, ...] = ()


@dataclass(frozen=True)
class DraftProblem:
    field: str
    """`title`, `kind`, `year`, `seasons[0].episode_count`, `seasons[1].episodes[2].air_date`:
    indexes are 0-based positions in the draft's tuples."""
    message: str
    """What is wrong and the fix."""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class DraftError(ValueError):
    """A draft that would not make a valid file: every problem, field by field."""

    def __init__(self, problems: list[DraftProblem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class RemovedShow:
    """A removed user show file: where it was and its exact bytes, to put back on undo."""

    show_id: str
    path: Path
    data: bytes
    backup: Path | None = None
    """The copy kept in `removed/` (None if it could not be written)."""


# --- checking a draft ---------------------------------------------------------------


def draft_problems(draft: ShowDraft) -> list[DraftProblem]:
    """Everything wrong with a draft, each with its field and the fix; empty: it can be saved."""
    problems: list[DraftProblem] = []
    title = draft.title.strip()
    if not title:
        problems.append(DraftProblem("title", "give the show's title"))
    elif (why := name_problem(title)) is not None:
        problems.append(DraftProblem("title", why))
    if draft.kind not in KINDS:
        problems.append(DraftProblem("kind", f"is {draft.kind!r}; use one of {', '.join(KINDS)}"))
    if draft.year is not None and not MIN_YEAR <= draft.year <= MAX_YEAR:
        problems.append(
            DraftProblem("year", f"use a year from {MIN_YEAR} to {MAX_YEAR}, or leave it empty")
        )
    repeated = {n for n, seen in Counter(s.number for s in draft.seasons).items() if seen > 1}
    for index, season in enumerate(draft.seasons):
        problems += _season_problems(f"seasons[{index}]", season, season.number in repeated)
    return problems


def _season_problems(where: str, season: SeasonDraft, repeated: bool) -> list[DraftProblem]:
    problems = []
    if not 1 <= season.number <= MAX_SEASONS:
        problems.append(
            DraftProblem(f"{where}.number", f"use a season number 1 to {MAX_SEASONS:,}")
        )
    elif repeated:
        problems.append(
            DraftProblem(
                f"{where}.number",
                f"season {season.number} is listed twice; give each season its own number",
            )
        )
    count = season.episode_count
    if count is not None and not 1 <= count <= MAX_EPISODES_PER_SEASON:
        problems.append(
            DraftProblem(
                f"{where}.episode_count",
                f"use 1 to {MAX_EPISODES_PER_SEASON:,} episodes, or leave it empty if unknown",
            )
        )
        count = None
    numbers = Counter(episode.number for episode in season.episodes)
    for index, episode in enumerate(season.episodes):
        at = f"{where}.episodes[{index}]"
        if not 1 <= episode.number <= MAX_EPISODES_PER_SEASON:
            problems.append(DraftProblem(f"{at}.number", f"use 1 to {MAX_EPISODES_PER_SEASON:,}"))
        elif numbers[episode.number] > 1:
            problems.append(
                DraftProblem(f"{at}.number", f"episode {episode.number} is listed twice")
            )
        elif count is not None and episode.number > count:
            problems.append(
                DraftProblem(
                    f"{at}.number",
                    f"episode {episode.number} is beyond the season's {count} episodes; "
                    "raise the count or remove the episode",
                )
            )
        title = (episode.title or "").strip()
        if title and (why := name_problem(title)) is not None:
            problems.append(DraftProblem(f"{at}.title", why))
        if episode.air_date and episode.air_date.strip():
            try:
                PartialDate.parse(episode.air_date)
            except ValueError as error:
                problems.append(DraftProblem(f"{at}.air_date", str(error)))
    return problems


def _checked(draft: ShowDraft) -> ShowDraft:
    problems = draft_problems(draft)
    if problems:
        raise DraftError(problems)
    return draft


# --- ids ------------------------------------------------------------------------------


def derive_id(title: str, taken: Collection[str]) -> str:
    """A show id from the title (`Kaiju Girl!` → `kaiju-girl`), unique against `taken`:
    `-2`, `-3`... is added until it is. A title with no Latin letters or digits gives `show`."""
    folded = unicodedata.normalize("NFKD", title.casefold())
    ascii_only = "".join(char for char in folded if char.isascii())
    words = re.findall(r"[a-z0-9]+", ascii_only)
    stem = ""
    for word in words:
        longer = f"{stem}-{word}" if stem else word
        if len(longer) > _ID_STEM_LENGTH:
            break
        stem = longer
    stem = stem or (words[0][:_ID_STEM_LENGTH] if words else "show")
    wanted = {name.casefold() for name in taken}
    if stem not in wanted:
        return stem
    number = 2
    while f"{stem}-{number}" in wanted:
        number += 1
    return f"{stem}-{number}"


# --- writing files ----------------------------------------------------------------------


def _claim_new_file(path: Path, text: str) -> bool:
    """Write `text` to `path` only if no file is there: atomic and exclusive.

    The text goes to a temp file first, which is then hard-linked to the name; a link
    fails if the name exists, so two programs never overwrite each other's file, and a
    reader sees no file or the whole file. False: the name was taken.
    """
    temp = write_temp(path, text.encode("utf-8"))
    try:
        os.link(temp, path)
    except FileExistsError:
        return False
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    fsync_folder(path.parent)
    return True


def _replace_file(path: Path, text: str) -> None:
    from tracker_tui.domain.files import atomic_write

    atomic_write(path, text)


def _existing_ids(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    return {path.stem for path in folder.glob("*.toml")}


def add_show(draft: ShowDraft, taken: Collection[str], home: Path | None = None) -> Path:
    """Write the draft as a new user show file, `shows/<id>.toml`, and return its path.

    The id comes from the title, unique against `taken` (the catalog's ids) and the
    files already there; the name is claimed exclusively, so two programs adding the
    same title at once get two files. Raises DraftError for a bad draft, OSError on
    disk trouble.
    """
    draft = _checked(draft)
    folder = user_shows_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    unavailable = set(taken) | _existing_ids(folder)
    while True:
        show_id = derive_id(draft.title, unavailable)
        path = folder / f"{show_id}.toml"
        if _claim_new_file(path, new_show_text(show_id, draft)):
            return path
        unavailable.add(show_id)


_SHOW_HEADER = """\
Your own show, added to tracker-tui on {day}. This file is yours: edit it by
hand, with `tracker edit ID` or in the app (`e`). tracker never overwrites it
without asking, and keeps your comments when it saves a change.

The format is the bundled shows' (see the README, "Show files"):
  title, kind ({kinds}), year (optional)
  [[seasons]] number, episode_count (leave it out while unknown)
    episodes = [{{ number = 1, title = "...", air_date = "2026-01-10" }}]  (optional)
  A season without [[seasons.status]] reports shows as "status unknown".
The id is what your progress is kept under: changing it orphans that progress."""


def new_show_text(show_id: str, draft: ShowDraft) -> str:
    """A new show file's text: a commented header saying it is the user's, then the draft."""
    import tomlkit

    doc = tomlkit.document()
    today = clock.now().date().isoformat()
    header = _SHOW_HEADER.format(day=today, kinds=", ".join(KINDS))
    for line in header.splitlines():
        doc.add(tomlkit.comment(line) if line else tomlkit.nl())
    doc.add(tomlkit.nl())
    doc["id"] = show_id
    _set_top(doc, {"title": draft.title.strip(), "kind": draft.kind, "year": draft.year})
    if draft.seasons:
        doc.add(tomlkit.nl())
    _set_seasons(doc, list(draft.seasons), keep_others=False)
    return tomlkit.dumps(doc)


def _set_top(doc: TOMLDocument, values: dict[str, Any]) -> None:
    """Set top-level keys in place (None removes one); tomlkit puts a new plain key
    before the first table, where it belongs."""
    for key, value in values.items():
        if value is None:
            if key in doc:
                del doc[key]
        else:
            doc[key] = value


def _episode_table(episode: EpisodeDraft) -> Any:
    import tomlkit

    table = tomlkit.inline_table()
    table["number"] = episode.number
    title = (episode.title or "").strip()
    if title:
        table["title"] = title
    if episode.air_date and episode.air_date.strip():
        table["air_date"] = PartialDate.parse(episode.air_date).iso()
    return table


def _episodes_array(episodes: tuple[EpisodeDraft, ...]) -> Array:
    import tomlkit

    array = tomlkit.array()
    for episode in sorted(episodes, key=lambda episode: episode.number):
        array.append(_episode_table(episode))
    return array.multiline(True)


def _same_episodes(current: Any, wanted: tuple[EpisodeDraft, ...]) -> bool:
    """Does the file already say what the draft says (so its layout need not change)?"""
    try:
        have = {
            int(entry["number"]): (entry.get("title"), _date_text(entry.get("air_date")))
            for entry in current
        }
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    want = {
        episode.number: (
            (episode.title or "").strip() or None,
            PartialDate.parse(episode.air_date).iso()
            if episode.air_date and episode.air_date.strip()
            else None,
        )
        for episode in wanted
    }
    return have == want


def _date_text(value: Any) -> str | None:
    if value is None:
        return None
    return coerce_partial_date(value).iso()


def _set_season(table: Table, season: SeasonDraft) -> None:
    if season.episode_count is None:
        if "episode_count" in table:
            del table["episode_count"]
    else:
        table["episode_count"] = season.episode_count
    current = table.get("episodes")
    if season.episodes:
        if current is None or not _same_episodes(current, season.episodes):
            table["episodes"] = _episodes_array(season.episodes)
    elif current is not None:
        del table["episodes"]


def _set_seasons(doc: TOMLDocument, seasons: list[SeasonDraft], *, keep_others: bool) -> None:
    """Make the file's [[seasons]] say what the drafts say, table by table, keeping each
    table's other keys (status reports, sources, comments). Seasons the drafts leave out
    are removed, unless `keep_others`."""
    import tomlkit

    tables: AoT | None = doc.get("seasons")
    by_number = {season.number: season for season in seasons}
    if tables is not None:
        kept = []
        for table in tables:
            number = table.get("number")
            if number in by_number:
                _set_season(table, by_number.pop(number))
                kept.append(table)
            elif keep_others:
                kept.append(table)
        if len(kept) != len(tables):
            for index in reversed(range(len(tables))):
                if tables[index] not in kept:
                    del tables[index]
    remaining = sorted(by_number.values(), key=lambda season: season.number)
    if not remaining:
        if tables is not None and len(tables) == 0:
            del doc["seasons"]
        return
    if tables is None:
        tables = tomlkit.aot()
        doc.append("seasons", tables)
    for season in remaining:
        table = tomlkit.table()
        table["number"] = season.number
        _set_season(table, season)
        tables.append(table)


# --- reading a show back as a draft -----------------------------------------------------


def _episode_draft(episode: Episode) -> EpisodeDraft:
    return EpisodeDraft(
        episode.number, episode.title, episode.air_date.iso() if episode.air_date else None
    )


def draft_of(show: Show) -> ShowDraft:
    """What the edit form starts from: the show's facts, and for a bundled show the user's
    own facts (its overlay) over the cited counts, titles and dates."""
    seasons = []
    for season in sorted(show.seasons, key=lambda season: season.number):
        episodes = {episode.number: _episode_draft(episode) for episode in season.episodes}
        yours = show.your_season(season.number)
        if yours is not None:
            for episode in yours.episodes:
                cited = episodes.get(episode.number)
                mine = _episode_draft(episode)
                episodes[episode.number] = EpisodeDraft(
                    episode.number,
                    mine.title or (cited.title if cited else None),
                    mine.air_date or (cited.air_date if cited else None),
                )
        seasons.append(
            SeasonDraft(
                season.number,
                show.tracked_count(season),
                tuple(episodes[number] for number in sorted(episodes)),
            )
        )
    year = show.yours.year if show.yours and show.yours.year else show.year
    return ShowDraft(show.title, show.kind.value, year, tuple(seasons))


# --- which file a show lives in ---------------------------------------------------------


def _file_id(path: Path) -> str | None:
    try:
        value = tomllib.loads(path.read_text(encoding="utf-8")).get("id")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None
    return value if isinstance(value, str) else None


def user_show_path(show_id: str, home: Path | None = None) -> Path | None:
    """The user show file holding this id (the one the loader uses), or None."""
    folder = user_shows_dir(home)
    if not folder.is_dir():
        return None
    paths = sorted(folder.glob("*.toml"))
    named = folder / f"{show_id}.toml"
    # The file named for the id is nearly always the one; the loader takes the first
    # by name that holds the id, so an earlier file holding it wins.
    for path in paths:
        if (path == named or path.stem < named.stem) and _file_id(path) == show_id:
            return path
    for path in paths:
        if _file_id(path) == show_id:
            return path
    return None


def is_user_show(show: Show, home: Path | None = None) -> bool:
    """True for a show from the user's own file; False for a bundled one."""
    return user_show_path(show.id, home) is not None


def is_bundled_id(show_id: str) -> bool:
    """Does a bundled show file hold this id?"""
    folder = bundled_data().shows
    return any(_file_id(path) == show_id for path in sorted(folder.glob("*.toml")))


def overlay_path(show_id: str, home: Path | None = None) -> Path:
    """The overlay file of the user's own facts for a bundled show."""
    return user_overlays_dir(home) / f"{show_id}.toml"


_OVERLAY_HEADER = """\
Your own facts for {title}.
tracker-tui ships this show with facts cited from its sources; this file is yours.
tracker shows your facts beside the cited ones, marked "(your note)", and never
mixes them into the cited data. Tracking uses your episode count where you give one.

What it may hold (all optional):
  year = 2026
  [[seasons]]
  number = 1                # a season the show already has
  episode_count = 12
  episodes = [{{ number = 1, title = "...", air_date = "2026-01-10" }}]
Delete this file to drop your facts."""


def _overlay_template(show: Show) -> TOMLDocument:
    import tomlkit

    doc = tomlkit.document()
    for line in _OVERLAY_HEADER.format(title=show.title).splitlines():
        doc.add(tomlkit.comment(line) if line else tomlkit.nl())
    doc.add(tomlkit.nl())
    return doc


def show_file(show: Show, home: Path | None = None) -> Path:
    """The file `edit file` opens: the user show's file, or the bundled show's overlay
    (created with a commented template when missing)."""
    path = user_show_path(show.id, home)
    if path is not None:
        return path
    path = overlay_path(show.id, home)
    if not path.exists():
        import tomlkit

        path.parent.mkdir(parents=True, exist_ok=True)
        _claim_new_file(path, tomlkit.dumps(_overlay_template(show)))
    return path


# --- saving an edit -------------------------------------------------------------------


def save_edit(show: Show, draft: ShowDraft, home: Path | None = None) -> Path:
    """Save the edit form's draft and return the file written.

    A user show: its file is edited in place (comments, status reports, notes and any
    other tables kept) and replaced atomically. A bundled show: its overlay file gets
    the user's own facts (what differs from the cited ones); the cited data is never
    touched, and its title and kind stay the cited ones.
    """
    draft = _checked(draft)
    path = user_show_path(show.id, home)
    if path is not None:
        return _save_user_show(path, draft)
    return _save_overlay(show, draft, home)


def _load_document(path: Path) -> TOMLDocument:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except (TOMLKitError, UnicodeDecodeError) as error:
        raise DraftError(
            [DraftProblem("file", f"{path} is not valid TOML ({error}); fix it by hand")]
        ) from error


def _save_user_show(path: Path, draft: ShowDraft) -> Path:
    import tomlkit

    doc = _load_document(path)
    _set_top(doc, {"title": draft.title.strip(), "kind": draft.kind, "year": draft.year})
    _set_seasons(doc, list(draft.seasons), keep_others=False)
    _replace_file(path, tomlkit.dumps(doc))
    return path


def overlay_of(show: Show, draft: ShowDraft) -> tuple[int | None, list[SeasonDraft]]:
    """The user's own facts in a draft of a bundled show: what differs from the cited ones.

    Raises DraftError where the draft changes what only the sources may say: the title,
    the kind, or a season the show does not have.
    """
    problems = []
    if draft.title.strip() != show.title:
        problems.append(
            DraftProblem("title", "a bundled show keeps its cited title; undo the change")
        )
    if draft.kind != show.kind.value:
        problems.append(DraftProblem("kind", "a bundled show keeps its cited kind"))
    seasons: list[SeasonDraft] = []
    for index, season in enumerate(draft.seasons):
        cited = show.season(season.number)
        if cited is None:
            known = ", ".join(str(s.number) for s in show.seasons) or "none"
            problems.append(
                DraftProblem(
                    f"seasons[{index}].number",
                    f"{show.title} has no season {season.number} in its sources (seasons: "
                    f"{known}); your facts can only be for those",
                )
            )
            continue
        count = season.episode_count if season.episode_count != cited.episode_count else None
        titles = {e.number: _episode_draft(e) for e in cited.episodes}
        episodes = []
        for episode in season.episodes:
            was = titles.get(episode.number, EpisodeDraft(episode.number))
            title = (episode.title or "").strip() or None
            date = (
                PartialDate.parse(episode.air_date).iso()
                if episode.air_date and episode.air_date.strip()
                else None
            )
            mine = EpisodeDraft(
                episode.number,
                title if title != was.title else None,
                date if date != was.air_date else None,
            )
            if mine.title or mine.air_date:
                episodes.append(mine)
        if count is not None or episodes:
            seasons.append(SeasonDraft(season.number, count, tuple(episodes)))
    if problems:
        raise DraftError(problems)
    year = draft.year if draft.year != show.year else None
    return year, seasons


def _save_overlay(show: Show, draft: ShowDraft, home: Path | None) -> Path:
    import tomlkit

    year, seasons = overlay_of(show, draft)
    path = overlay_path(show.id, home)
    doc = _load_document(path) if path.exists() else _overlay_template(show)
    _set_top(doc, {"year": year})
    _set_seasons(doc, seasons, keep_others=False)
    _replace_file(path, tomlkit.dumps(doc))
    return path


# --- checking an edited file ------------------------------------------------------------


def check_edited_file(path: Path) -> list[str]:
    """Problems of a show file or overlay file the user edited (empty: fine), as the
    loader words them. The data folder is the file's folder's parent."""
    from tracker_tui.domain.catalog.loader import file_problems

    return [str(problem) for problem in file_problems(path)]


# --- removing and restoring ------------------------------------------------------------


def remove_show(show: Show, home: Path | None = None) -> RemovedShow:
    """Delete a user show's file, keeping a copy in `removed/`; progress is left alone.

    Raises ValueError for a bundled show (archive it instead), OSError on disk trouble.
    """
    path = user_show_path(show.id, home)
    if path is None:
        raise ValueError(
            f"{show.title} is a bundled show, not one of your files: archive it to hide it"
        )
    data = path.read_bytes()
    backup: Path | None = None
    folder = removed_shows_dir(home)
    stamp = clock.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        backup = _first_free(folder / f"{show.id}-{stamp}.toml", data.decode("utf-8", "replace"))
    path.unlink()
    fsync_folder(path.parent)
    return RemovedShow(show.id, path, data, backup)


def _first_free(path: Path, text: str) -> Path:
    """Claim `path`, or `<stem>-2<suffix>`, `-3`...: never over an existing file."""
    candidate, number = path, 2
    while not _claim_new_file(candidate, text):
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        number += 1
    return candidate


def restore_show(removed: RemovedShow) -> None:
    """Undo a removal: the file comes back byte for byte where it was, or under a
    numbered name if a file has appeared there since. The copy in `removed/` goes."""
    removed.path.parent.mkdir(parents=True, exist_ok=True)
    temp = write_temp(removed.path, removed.data)
    try:
        candidate, number = removed.path, 2
        while True:
            try:
                os.link(temp, candidate)
                break
            except FileExistsError:
                stem, suffix = removed.path.stem, removed.path.suffix
                candidate = removed.path.with_name(f"{stem}-{number}{suffix}")
                number += 1
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    fsync_folder(removed.path.parent)
    if removed.backup is not None:
        with contextlib.suppress(OSError):
            removed.backup.unlink()
