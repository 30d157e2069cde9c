"""The user's own shows: drafts checked field by field, written as show files, edited,
removed and restored; and the user's own facts for bundled shows, in overlay files.

The app's forms and the command line both go through here: the API the two share,
names fixed. Drafts and their checks live in `drafts` (re-exported here), the in-place
TOML editing in `toml_edit`, imported only when a file is written: tomlkit edits a
user's file keeping their comments and layout.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tracker_tui.domain import clock
from tracker_tui.domain.catalog.dates import PartialDate
from tracker_tui.domain.catalog.drafts import (
    KINDS,
    MAX_EPISODES_PER_SEASON,
    MAX_SEASONS,
    DraftError,
    DraftProblem,
    EpisodeDraft,
    SeasonDraft,
    ShowDraft,
    derive_id,
    draft_problems,
)
from tracker_tui.domain.catalog.models import Episode, Show
from tracker_tui.domain.files import fsync_folder, write_temp
from tracker_tui.domain.paths import removed_shows_dir, user_overlays_dir, user_shows_dir

if TYPE_CHECKING:
    from tomlkit.toml_document import TOMLDocument

__all__ = [
    "KINDS",
    "MAX_EPISODES_PER_SEASON",
    "MAX_SEASONS",
    "DraftError",
    "DraftProblem",
    "EpisodeDraft",
    "RemovedShow",
    "SeasonDraft",
    "ShowDraft",
    "add_show",
    "check_edited_file",
    "derive_id",
    "draft_of",
    "draft_problems",
    "is_user_show",
    "overlay_path",
    "remove_show",
    "restore_show",
    "save_edit",
    "show_file",
    "show_header",
    "user_show_path",
]


@dataclass(frozen=True)
class RemovedShow:
    """A removed user show file: where it was and its exact bytes, to put back on undo."""

    show_id: str
    path: Path
    data: bytes
    backup: Path | None = None
    """The copy kept in `removed/` (None if it could not be written)."""


def _checked(draft: ShowDraft) -> ShowDraft:
    problems = draft_problems(draft)
    if problems:
        raise DraftError(problems)
    return draft


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


def show_header() -> str:
    """The comment lines (without `# `) that open a new user show file, dated today."""
    return _SHOW_HEADER.format(day=clock.now().date().isoformat(), kinds=", ".join(KINDS))


def new_show_text(show_id: str, draft: ShowDraft) -> str:
    """A new show file's text: a commented header saying it is the user's, then the draft."""
    import tomlkit

    from tracker_tui.domain.catalog import toml_edit

    doc = tomlkit.document()
    header = show_header()
    for line in header.splitlines():
        doc.add(tomlkit.comment(line) if line else tomlkit.nl())
    doc.add(tomlkit.nl())
    doc["id"] = show_id
    toml_edit.set_top(doc, {"title": draft.title.strip(), "kind": draft.kind, "year": draft.year})
    if draft.seasons:
        doc.add(tomlkit.nl())
    toml_edit.set_seasons(doc, list(draft.seasons), keep_others=False)
    return tomlkit.dumps(doc)


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

    from tracker_tui.domain.catalog import toml_edit

    doc = _load_document(path)
    toml_edit.set_top(doc, {"title": draft.title.strip(), "kind": draft.kind, "year": draft.year})
    toml_edit.set_seasons(doc, list(draft.seasons), keep_others=False)
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
            DraftProblem(
                "title",
                "a bundled show keeps its cited title; your own facts are its year, "
                "episode counts, episode titles and air dates",
            )
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

    from tracker_tui.domain.catalog import toml_edit

    year, seasons = overlay_of(show, draft)
    path = overlay_path(show.id, home)
    doc = _load_document(path) if path.exists() else _overlay_template(show)
    toml_edit.set_top(doc, {"year": year})
    toml_edit.set_seasons(doc, seasons, keep_others=False)
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
