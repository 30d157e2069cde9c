"""The full-screen app. Imported only when `tracker` runs with no command."""

from __future__ import annotations

import contextlib
import gc
import sys
import time
from contextlib import AbstractContextManager
from pathlib import Path

from tracker_tui.domain.catalog.loader import LoadProgress, load_catalog
from tracker_tui.domain.paths import import_journal_path
from tracker_tui.domain.progress.store import ProgressStore, default_progress_path
from tracker_tui.tui.app import TrackerApp

__all__ = ["TrackerApp", "make_app", "run_app"]

FILE_TIME_MARGIN_NS = 20_000_000


def make_app(
    progress_file: Path | None = None, *, catalog_progress: LoadProgress | None = None
) -> TrackerApp:
    """The one factory: `tracker` and the tests build the app here. `catalog_progress` is
    told of each show file the start has to check (see `load_catalog`)."""
    # File times are coarse (a clock tick behind): start a little early to be safe.
    store = ProgressStore(progress_file or default_progress_path())
    notices = recover_interrupted_import(store)
    read_at = time.time_ns() - FILE_TIME_MARGIN_NS
    catalog = load_catalog(progress=catalog_progress)
    return TrackerApp(catalog, store, catalog_read_at=read_at, notices=notices)


def recover_interrupted_import(store: ProgressStore) -> list[str]:
    """Finish or undo an import a kill interrupted, before the catalog is read (an undo
    removes show files); what was done, to show at start. One `stat` when there is none."""
    if not import_journal_path().exists():
        return []
    from tracker_tui.domain.exchange.apply import recover_interrupted_import as recover

    message = recover(store)
    return [message] if message is not None else []


def run_app(
    progress_file: Path | None = None,
    *,
    starting: AbstractContextManager[LoadProgress | None] | None = None,
) -> int:
    """Run the app; 1 when the progress file is no file at all (a FIFO, a folder), or a
    signal ended it with a change it could not save. `starting` is entered while the app
    is made, as what to tell of a slow start's show files (the command line's notice)."""
    with starting if starting is not None else contextlib.nullcontext() as progress:
        app = make_app(progress_file, catalog_progress=progress)
    if app.unusable_progress:
        print(f"tracker: {app.unusable_progress}", file=sys.stderr)
        return 1
    # What start-up made (the catalog above all: hundreds of thousands of objects with a
    # big library) lives on: leave it out of every later collection, which would walk it
    # for nothing (pauses of 0.4 s were seen). Once per process, here, not in make_app:
    # the tests make many apps, and what is frozen is never collected.
    gc.freeze()
    app.run()
    return app.return_code or 0
