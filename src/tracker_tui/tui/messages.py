"""Messages passed between the app's widgets and workers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

from tracker_tui.domain.catalog.loader import Catalog
from tracker_tui.domain.files import Stamp
from tracker_tui.domain.progress.records import Progress


@dataclass
class ProgressSaved(Message):
    """A save finished; `progress` is the merged state now on disk."""

    progress: Progress
    change: int
    """The number of the last change this save included."""
    stamp: Stamp | None
    """The file's stamp taken under the lock right after this write: a later stamp is
    someone else's."""


@dataclass
class ProgressSaveFailed(Message):
    """A save failed; the change is kept in memory and retried."""

    reason: str


@dataclass
class ConflictCopiesMerged(Message):
    """The start's merge of sync conflict copies is done, so saves may run again."""

    saved: tuple[Progress, Stamp | None] | None
    """What the merging save returned (as `ProgressSaved` holds it); None when there were
    no copies and nothing was written."""


@dataclass
class DiskProgressChanged(Message):
    """Another program changed the progress file; `progress` is what it holds now."""

    progress: Progress


CatalogStamp = tuple[tuple[str, Stamp | None], ...]
"""The stamps of the show folders and of every show file in them."""


@dataclass
class CatalogReloaded(Message):
    """The show files were read again (None: they had not changed since `stamp`)."""

    catalog: Catalog | None
    stamp: CatalogStamp | None
    """The show folders' stamp the catalog was read at."""
    select: Path | str | None = None
    """The show to highlight: the file just written, or a show id; None keeps the current."""
    notice: str | None = None
    """What to tell the user once the catalog is shown ("Added …")."""


@dataclass
class ShowWriteFailed(Message):
    """Writing a show file failed; nothing was changed."""

    reason: str
    retry: Callable[[], None] | None = None
    """Reopens the form with the user's draft, so nothing typed is lost."""


@dataclass
class FileChecked(Message):
    """A show file the user edited has problems; the file keeps their text."""

    path: Path
    problems: list[str]


@dataclass
class ImportFinished(Message):
    """An import the user previewed was written, or could not be (nothing of it kept)."""

    first_new_show: str | None
    """The id of a show the import created, to highlight once the library is read."""
    text: str
    """What it did, or why it failed."""
    failed: bool = False
