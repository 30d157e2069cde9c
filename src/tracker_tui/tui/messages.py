"""Messages passed between the app's widgets and workers."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

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
class DiskProgressChanged(Message):
    """Another program changed the progress file; `progress` is what it holds now."""

    progress: Progress
