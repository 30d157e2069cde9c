"""Where tracker-tui keeps things: the user's data directory and the bundled data."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

APP_NAME = "tracker-tui"
HOME_VARIABLE = "TRACKER_HOME"


class DataDirError(Exception):
    """`$TRACKER_HOME` names no usable folder; the message says what is wrong and the fix."""


def _home_override() -> Path | None:
    """`$TRACKER_HOME` as a folder, None when unset; an empty value or a file is an error.

    An empty value must not fall back silently to the real data folder: whoever set
    it (for a test, a second profile) meant some other folder.
    """
    override = os.environ.get(HOME_VARIABLE)
    if override is None:
        return None
    if not override.strip():
        raise DataDirError(
            f"{HOME_VARIABLE} is set but empty: unset it to use {user_data_dir(APP_NAME)}, "
            "or set it to a folder"
        )
    home = Path(override).expanduser()
    if home.exists() and not home.is_dir():
        what = "is a file, not a folder" if home.is_file() else "is not a folder"
        raise DataDirError(
            f"{HOME_VARIABLE}={override} {what}: set it to a folder "
            "(tracker creates a missing one), or unset it"
        )
    return home


def data_dir() -> Path:
    """The user's data directory: `$TRACKER_HOME` if set, else the platform's default."""
    return _home_override() or Path(user_data_dir(APP_NAME))


def cache_dir() -> Path:
    """Where checked catalog data is cached: inside `$TRACKER_HOME` when set."""
    home = _home_override()
    return home / "cache" if home else Path(user_cache_dir(APP_NAME))


def user_shows_dir(home: Path | None = None) -> Path:
    """The user's own show files, same format as the bundled ones."""
    return (home or data_dir()) / "shows"


def user_overlays_dir(home: Path | None = None) -> Path:
    """The user's own facts for bundled shows: one overlay file per show, `<show id>.toml`."""
    return (home or data_dir()) / "yours"


def removed_shows_dir(home: Path | None = None) -> Path:
    """Copies of removed user show files, `<id>-<stamp>.toml`, to restore by moving back."""
    return (home or data_dir()) / "removed"


def import_journal_path(home: Path | None = None) -> Path:
    """An import's journal while it is being written (see `exchange/apply.py`)."""
    return (home or data_dir()) / "import-journal.json"


def user_sources_dir(home: Path | None = None) -> Path:
    """Source documents a user's own show files may cite."""
    return (home or data_dir()) / "sources"


@dataclass(frozen=True)
class BundledData:
    """The shows, source registry and seed documents that ship with tracker-tui."""

    shows: Path
    registry: Path
    seeds: Path


def bundled_data() -> BundledData:
    """Find the bundled data.

    A wheel carries it in `tracker_tui/bundled/` (see pyproject's force-include);
    a source checkout, editable installs included, reads the repository's
    `data/` and `seeds/` folders.
    """
    # The package's own folder (what importlib.resources.files gives for an installed
    # package), without importing importlib.resources (tempfile, zipfile...) at start.
    packaged = Path(__file__).parents[1] / "bundled"
    if packaged.is_dir():
        return BundledData(packaged / "shows", packaged / "sources.toml", packaged / "seeds")
    repository = Path(__file__).resolve().parents[3]
    return BundledData(
        repository / "data" / "shows",
        repository / "data" / "sources.toml",
        repository / "seeds",
    )
