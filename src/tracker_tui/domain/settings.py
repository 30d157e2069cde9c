"""User settings that outlive a session (the app's theme), kept beside the progress file."""

from __future__ import annotations

import json
from pathlib import Path

from tracker_tui.domain.files import atomic_write
from tracker_tui.domain.paths import data_dir

SETTINGS_FILE = "settings.json"


def settings_path(home: Path | None = None) -> Path:
    return (home or data_dir()) / SETTINGS_FILE


def load_theme(path: Path | None = None) -> str | None:
    """The saved theme name, or None when unset or unreadable (settings are never critical)."""
    try:
        data = json.loads((path or settings_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    theme = data.get("theme") if isinstance(data, dict) else None
    return theme if isinstance(theme, str) else None


def save_theme(theme: str, path: Path | None = None) -> None:
    """Remember the theme; raises OSError if the folder cannot be written."""
    atomic_write(path or settings_path(), json.dumps({"theme": theme}, indent=2) + "\n")
