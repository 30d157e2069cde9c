"""The progress file read for use, with no lock: what a command that only reads needs.

`ProgressStore` (store.py) adds the lock and the saves; reading alone never imports them
(nor filelock), so `tracker next` pays only for the read. A bad file is reported here and
left where it is: only a store, under the lock, moves one aside.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tracker_tui.domain import files
from tracker_tui.domain.files import Stamp, file_stamp
from tracker_tui.domain.progress import check_memo
from tracker_tui.domain.progress.conflicts import find_conflict_copies, unmerged_notices
from tracker_tui.domain.progress.fast_reader import ShowTexts
from tracker_tui.domain.progress.format import (
    NewerFormatError,
    ProgressFormatError,
    read_progress_file,
)
from tracker_tui.domain.progress.location import PROGRESS_FILE as PROGRESS_FILE
from tracker_tui.domain.progress.location import default_progress_path as default_progress_path
from tracker_tui.domain.progress.records import Progress


@dataclass(frozen=True)
class LoadResult:
    progress: Progress
    notice: str | None = None
    """Set when the file could not be used: what is wrong, where it is, and what to do."""
    refused: bool = False
    """The path is no file at all (a FIFO, a folder): carrying on with no progress would
    mislead, so a command stops with the notice."""


def not_a_file_message(error: files.NotAFileError) -> str:
    return f"{error}: move it away, or point --progress-file at a regular file"


def looks_like_progress(data: bytes) -> bool:
    """A tracker file gone bad (a JSON object naming "version" or "shows", or nothing at all)."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    return not head or (head.startswith(b"{") and (b'"version"' in data or b'"shows"' in data))


class ProgressFile:
    """One progress file, read for use; every notice names the file and what to do.

    A symlinked progress file stays a link: reads follow it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        # The file's stamp and content when this file was last read (or, by a store,
        # written): while the stamp is unchanged no one else has written, and a save
        # need not re-read.
        self._known: tuple[Stamp, Progress] | None = None
        self._version1_bytes: bytes | None = None
        """The file's bytes when last read and found version 1: a store's first save backs
        them up before writing version 2 over them."""

    def load(self) -> LoadResult:
        """Read the file; a bad one is reported and left where it is (no renaming on a read)."""
        try:
            return self._load_or_raise()
        except ProgressFormatError as error:
            return LoadResult(Progress.empty(), self._left_as_it_is(error))

    def _load_or_raise(self) -> LoadResult:
        """Like `load`, except that a file in a bad format (not a newer tracker's, which
        is never touched) raises ProgressFormatError, for a store to move it aside."""
        try:
            return LoadResult(self._read())
        except FileNotFoundError:
            return LoadResult(Progress.empty(), self._missing_target_notice())
        except files.NotAFileError as error:
            return LoadResult(Progress.empty(), not_a_file_message(error), refused=True)
        except NewerFormatError as error:
            return LoadResult(Progress.empty(), self._newer_message(error))
        except OSError as error:
            return LoadResult(
                Progress.empty(), f"cannot read {self.path}: {error.strerror or error}"
            )

    def _target(self) -> Path:
        """Where the bytes live: the path itself, or the end of its chain of links."""
        return Path(os.path.realpath(self.path))

    def _missing_target_notice(self) -> str | None:
        if not self.path.is_symlink():
            return None
        target = self._target()
        if not target.parent.is_dir():
            return f"{self.path} links to {target}, whose folder does not exist (not mounted?)"
        return f"{self.path} links to {target}, which does not exist yet; the first save makes it"

    def _newer_message(self, error: ProgressFormatError) -> str:
        return (
            f"{self.path} was written by a newer tracker ({error}); left as it is: "
            "update tracker to read and save it"
        )

    def _is_ours(self) -> bool:
        """The default file is tracker's own; elsewhere, only a file that looks like one.

        A link at the default path may lead anywhere, so its target must look like ours.
        """
        is_default = self.path.absolute() == default_progress_path().absolute()
        if is_default and not self.path.is_symlink():
            return True
        try:
            data, _ = files.read_regular(self.path)
        except (OSError, files.NotAFileError):
            return False
        return looks_like_progress(data)

    def _not_ours_message(self, error: ProgressFormatError) -> str:
        return (
            f"{self.path} is unreadable ({error}) and does not look like a tracker progress "
            "file; not touching it"
        )

    def _left_as_it_is(self, error: ProgressFormatError) -> str:
        if not self._is_ours():
            return f"{self._not_ours_message(error)}: left as it is"
        return (
            f"{self.path} is unreadable ({error}); left as it is. The next save will keep it as "
            f"{self._target().name}.corrupt-<time> and start afresh; to carry its records on, "
            "fix it first"
        )

    def _read(self) -> Progress:
        """Read the file, skipping the fast reader's whole-file check for bytes known to
        pass it, and noting bytes that just passed it (see `check_memo.py`)."""
        self._known = None
        self._version1_bytes = None
        data, stamp = files.read_regular(self.path)
        target = self._target()
        known = check_memo.lookup(target, data)
        read = read_progress_file(data, known_whole=known is not None)
        if known is None and read.checked_whole:
            check_memo.remember(target, data)
        self._known = (stamp, read.progress)
        if read.version == 1:
            self._version1_bytes = data
        if (
            known is not None
            and known.canonical
            and read.show_texts is not None
            and (known.latest is None or read.limit is None or known.latest <= read.limit)
        ):
            self._written_by_us(read.show_texts, known.latest)
        return read.progress

    def _written_by_us(
        self, show_texts: Callable[[], ShowTexts], latest: dt.datetime | None
    ) -> None:
        """The file just read is as our writer wrote it: a store's writer takes each show's
        text, so its first save formats only what changed. A file that only reads has no
        use for it."""

    def conflict_copies(self) -> list[Path]:
        """The sync tools' conflict copies beside the file, which the next save merges."""
        return find_conflict_copies(self._target())

    def unmerged_copies_notices(self) -> list[str]:
        """For a command that only reads, and so merges nothing: which copies the next save
        merges, and which it cannot."""
        return unmerged_notices(self.path, self._target())

    def stamp(self) -> Stamp | None:
        """The file's current stamp, so a running app can notice other writers cheaply."""
        return file_stamp(self.path)
