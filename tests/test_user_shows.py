"""User show files and documents under TRACKER_HOME join the bundled catalog."""

from __future__ import annotations

import json
from pathlib import Path

from tracker_tui.domain.catalog.loader import load_catalog
from tracker_tui.domain.paths import data_dir

from .conftest import RunCli

USER_SHOW = """
id = "{id}"
title = "{title}"
kind = "series"

[[seasons]]
number = 1

[[seasons.status]]
state = "announced"
detail = "Announced"

[[notes]]
id = "why"
topic = "Why"
text = "Because."
sources = [{{ document = "diary.txt", quote = "I want to watch it" }}]
"""


def add_user_show(home: Path, show_id: str, title: str) -> None:
    (home / "shows").mkdir(exist_ok=True)
    (home / "sources").mkdir(exist_ok=True)
    (home / "sources" / "diary.txt").write_text("Today I decided:\nI want to   watch it.\n")
    (home / "shows" / f"{show_id}.toml").write_text(USER_SHOW.format(id=show_id, title=title))


def test_tracker_home_overrides_the_data_directory(tracker_home: Path) -> None:
    assert data_dir() == tracker_home


def test_user_show_loads_from_the_shows_folder(tracker_home: Path, run_cli: RunCli) -> None:
    add_user_show(tracker_home, "my-show", "My Show")
    catalog = load_catalog()
    assert catalog.problems == []
    assert [show.id for show in catalog.shows] == [
        "all-of-us-are-dead",
        "kaiju-girl-caramelise",
        "my-show",
    ]
    notes = json.loads(run_cli("notes", "my show", "--json").out)
    assert notes[0]["sources"] == [
        {"document": "diary.txt", "title": "diary", "quote": "I want to watch it"}
    ]


def test_user_show_with_a_bundled_id_replaces_it(tracker_home: Path, run_cli: RunCli) -> None:
    add_user_show(tracker_home, "kaiju-girl-caramelise", "My Kaiju Notes")
    catalog = load_catalog()
    (entry,) = [entry for entry in catalog.entries if entry.show.id == "kaiju-girl-caramelise"]
    assert not entry.bundled
    assert entry.show.title == "My Kaiju Notes"
    assert len(catalog.shows) == 2
    assert "My Kaiju Notes" in run_cli("shows").out


def test_missing_home_folder_is_fine(tracker_home: Path, run_cli: RunCli) -> None:
    tracker_home.rmdir()
    assert run_cli("shows").code == 0
