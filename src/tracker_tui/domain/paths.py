"""Where tracker-tui keeps things: the user's data directory and the bundled data."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

APP_NAME = "tracker-tui"
HOME_VARIABLE = "TRACKER_HOME"


def data_dir() -> Path:
    """The user's data directory: `$TRACKER_HOME` if set, else the platform's default."""
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override).expanduser()
    return Path(user_data_dir(APP_NAME))


def cache_dir() -> Path:
    """Where checked catalog data is cached: inside `$TRACKER_HOME` when set."""
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override).expanduser() / "cache"
    return Path(user_cache_dir(APP_NAME))


def user_shows_dir(home: Path | None = None) -> Path:
    """The user's own show files, same format as the bundled ones."""
    return (home or data_dir()) / "shows"


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
    packaged = Path(str(files("tracker_tui"))) / "bundled"
    if packaged.is_dir():
        return BundledData(packaged / "shows", packaged / "sources.toml", packaged / "seeds")
    repository = Path(__file__).resolve().parents[3]
    return BundledData(
        repository / "data" / "shows",
        repository / "data" / "sources.toml",
        repository / "seeds",
    )
