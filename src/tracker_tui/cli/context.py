"""What every command needs: the catalog, the progress store, and how to report."""

from __future__ import annotations

import codecs
import contextlib
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker_tui.domain.paths import import_journal_path
from tracker_tui.domain.progress.location import default_progress_path

if TYPE_CHECKING:
    # Imported where used: a command answered from the show summary reads neither the
    # catalog nor the progress file, and pays for neither's code.
    from tracker_tui.domain.catalog.loader import Catalog
    from tracker_tui.domain.catalog.models import Show
    from tracker_tui.domain.progress.loading import ProgressFile
    from tracker_tui.domain.progress.records import Progress
    from tracker_tui.domain.progress.store import ProgressStore

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C


class UsageError(Exception):
    """The user asked for something that cannot be: exit 2 with the message."""


class CommandFailedError(Exception):
    """The command could not do its job (a file could not be written...): exit 1."""


def print_json(value: Any) -> None:
    """UTF-8 JSON; on a stdout that cannot take UTF-8, JSON's \\u escapes keep it valid."""
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        utf = codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        utf = False
    sys.stdout.write(json_text(value, ascii_only=not utf) + "\n")


MSGSPEC_FROM_ITEMS = 200
"""A list this long is written by msgspec: json's indented writing, in Python, then costs
more than importing msgspec (about 15 ms)."""


def json_text(value: Any, *, ascii_only: bool = False) -> str:
    """`json.dumps(value, indent=2)`, byte for byte. Indented, the json module encodes in
    Python (a big library's `tracker shows --json` took 70 ms); msgspec writes the same
    text for what it holds alike: strings, integers, booleans, None, lists and dicts with
    string keys (not floats: json writes `1e+16` and `NaN`)."""
    big = isinstance(value, list) and len(value) >= MSGSPEC_FROM_ITEMS
    if big and not ascii_only and _msgspec_writes_alike(value):
        import msgspec

        with contextlib.suppress(msgspec.EncodeError, UnicodeError):
            return msgspec.json.format(msgspec.json.encode(value), indent=2).decode("utf-8")
    import json  # not at start: msgspec writes what next and shows print

    return json.dumps(value, indent=2, ensure_ascii=ascii_only)


def _msgspec_writes_alike(value: Any) -> bool:
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return True
    if kind is list:
        return all(_msgspec_writes_alike(item) for item in value)
    if kind is dict:
        return all(type(key) is str and _msgspec_writes_alike(item) for key, item in value.items())
    return False


def warn(message: str) -> None:
    print(f"tracker: warning: {message}", file=sys.stderr)


@dataclass
class Context:
    """Loaded on first use, so a command pays only for what it touches."""

    progress_file: Path | None = None
    warn_catalog_problems: bool = True
    saves: bool = False
    """The command saves progress, so it may move a bad file aside; a read never renames."""

    progress_warned: bool = field(default=False, init=False)
    """A warning was given on reading progress: an answer worked out now is not kept."""

    @cached_property
    def catalog(self) -> Catalog:
        from tracker_tui.cli.load_notice import LoadNotice
        from tracker_tui.domain.catalog.loader import load_catalog

        with LoadNotice() as notice:
            catalog = load_catalog(progress=notice)
        if self.warn_catalog_problems:
            for problem in catalog.problems:
                warn(f"{problem} (skipped)")
        return catalog

    @cached_property
    def progress_path(self) -> Path:
        return self.progress_file or default_progress_path()

    @cached_property
    def store(self) -> ProgressStore:
        """The file with its lock and saves: imported only by a command that saves."""
        from tracker_tui.domain.progress.store import ProgressStore

        return ProgressStore(self.progress_path)

    @cached_property
    def reader(self) -> ProgressFile:
        """The file for a command that only reads: no lock, nothing moved aside."""
        from tracker_tui.domain.progress.loading import ProgressFile

        return self.store if self.saves else ProgressFile(self.progress_path)

    @cached_property
    def progress(self) -> Progress:
        if self.saves:
            self.recover_interrupted_import()
            result = self.store.load(move_aside=True)
        else:
            result = self.reader.load()
        if result.refused:  # no file at all: no progress would be a wrong answer
            raise CommandFailedError(str(result.notice))
        if result.notice:
            self.progress_warned = True
            warn(result.notice)
        if not self.saves:
            self.warn_unmerged_copies()
        return result.progress

    def warn_unmerged_copies(self) -> None:
        """A command that only reads merges no sync conflict copies (it changes nothing on
        disk), but says that its answer lacks them until a save merges them."""
        for notice in self.reader.unmerged_copies_notices():
            self.progress_warned = True
            warn(notice)

    def recover_interrupted_import(self) -> None:
        """Finish or undo an import a kill interrupted, before anything else is saved."""
        if not import_journal_path().exists():  # the usual case: one stat
            return
        from tracker_tui.domain.exchange.apply import recover_interrupted_import

        message = recover_interrupted_import(self.store)
        if message is not None:
            warn(message)

    def show(self, query: str) -> Show:
        """The whole show SHOW names (details included: one show's are cheap to read)."""
        from tracker_tui.domain.catalog.loader import ShowLookupError, find_show

        try:
            found = find_show(self.catalog.shows, query)
        except ShowLookupError as error:
            raise UsageError(str(error)) from error
        return self.catalog.get(found.id) or found

    def save(self, progress: Progress) -> Progress:
        """Save, saying where a file that went bad since the load was kept; return what is
        saved (merged with what other programs wrote)."""
        from tracker_tui.domain.progress.store import ProgressSaveError

        try:
            saved = self.store.save(progress)
        except ProgressSaveError as error:
            raise CommandFailedError(f"{error}; nothing was changed") from error
        for notice in self.store.take_notices():
            warn(notice)
        return saved
