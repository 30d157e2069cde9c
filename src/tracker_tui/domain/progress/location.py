"""Where the progress file is, apart from how it is read: a command that answers from
the show summary (`watching/summary.py`) needs the path, not the reader."""

from __future__ import annotations

from pathlib import Path

from tracker_tui.domain.paths import data_dir

PROGRESS_FILE = "progress.json"


def default_progress_path(home: Path | None = None) -> Path:
    return (home or data_dir()) / PROGRESS_FILE
