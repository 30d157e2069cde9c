"""User settings that outlive a session (the theme, a keymap), kept beside the progress file.

settings.json is the user's file: it is read once at start, and a theme change rewrites
only its "theme" field, keeping everything else (a keymap, fields a newer tracker added).
A file that is not a JSON object is never written over; the reader says what is wrong.
The keymap comes back as plain strings: which ids exist is the app's business.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker_tui.domain.files import NotAFileError, atomic_write, read_regular
from tracker_tui.domain.paths import data_dir

SETTINGS_FILE = "settings.json"
KEYMAP_EXAMPLE = '"keymap": {"toggle_watched": "x", "undo": "z,ctrl+z"}'


class SettingsFileError(ValueError):
    """settings.json exists but is no JSON object: it is left as it is."""


@dataclass(frozen=True)
class Settings:
    """What settings.json holds, and what in it could not be used."""

    theme: str | None = None
    """The theme picked in the command palette; None when unset."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id to keys, as written ("x" or "x,ctrl+x"), entries with a bad shape left out."""
    problems: tuple[str, ...] = ()
    """One sentence per unusable part, naming the file, the field and the fix."""


def settings_path(home: Path | None = None) -> Path:
    return (home or data_dir()) / SETTINGS_FILE


def _read_object(path: Path) -> dict[str, Any]:
    """The file's JSON object; {} when there is no file. Raises SettingsFileError (or
    OSError) when it cannot be read or is not a JSON object."""
    try:
        data, _stamp = read_regular(path)
    except FileNotFoundError:
        return {}
    except NotAFileError as error:
        raise SettingsFileError(f"{error}: move it away") from None
    try:
        value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise SettingsFileError(f"{path} is not UTF-8 text: fix it or remove it") from None
    except json.JSONDecodeError as error:
        raise SettingsFileError(
            f"{path} is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg}): fix it or remove it"
        ) from None
    except RecursionError:
        raise SettingsFileError(f"{path} is nested too deeply: fix it or remove it") from None
    if not isinstance(value, dict):
        raise SettingsFileError(
            f'{path} must hold a JSON object, such as {{"theme": "nord", {KEYMAP_EXAMPLE}}}'
        )
    return value


def load_settings(path: Path | None = None) -> Settings:
    """Everything settings.json holds that can be used, and what cannot (never raises:
    settings are never critical, so the app starts with its defaults)."""
    path = path or settings_path()
    try:
        data = _read_object(path)
    except (OSError, SettingsFileError) as error:
        return Settings(problems=(f"{error}; the default theme and keys are used.",))
    theme = data.get("theme")
    keymap, problems = _keymap(path, data.get("keymap", {}))
    return Settings(
        theme=theme if isinstance(theme, str) else None, keymap=keymap, problems=problems
    )


def _keymap(path: Path, raw: object) -> tuple[dict[str, str], tuple[str, ...]]:
    if not isinstance(raw, dict):
        return {}, (
            f'{path}: "keymap" must be an object of binding ids and keys, such as '
            f"{{{KEYMAP_EXAMPLE}}}; the default keys are used.",
        )
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in raw.items():
        where = f'{path}: keymap "{binding_id}"'
        if not isinstance(keys, str):
            problems.append(
                f'{where} must be a string of keys, such as "x" or "x,ctrl+x", not '
                f"{json.dumps(keys)}; its default key is used."
            )
            continue
        parts = [part.strip() for part in keys.split(",")]
        if not all(parts):
            problems.append(
                f'{where} has an empty key ("{keys}"): give keys such as "x" or "x,ctrl+x", '
                "or remove the entry; its default key is used."
            )
            continue
        keymap[binding_id] = ",".join(parts)
    return keymap, tuple(problems)


def save_theme(theme: str, path: Path | None = None) -> None:
    """Remember the theme, keeping the rest of the file. Raises OSError if the folder
    cannot be written, SettingsFileError if the file is there but no JSON object (the
    user's file is never written over)."""
    path = path or settings_path()
    data = _read_object(path)
    data["theme"] = theme
    # A settings.json linked from a dotfiles folder stays a link: write where it points.
    target = Path(os.path.realpath(path))
    if target != path and not target.parent.is_dir():
        raise SettingsFileError(f"{path} links to {target}, whose folder does not exist")
    atomic_write(target, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
