"""The catalog cache: used while files are unchanged, never trusted past a change."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tracker_tui.domain.catalog import cache as cache_module
from tracker_tui.domain.catalog.cache import CACHE_FILE
from tracker_tui.domain.catalog.loader import load_catalog

from .test_user_shows import add_user_show

PROBE = """
import sys
from tracker_tui.domain.catalog.loader import load_catalog
catalog = load_catalog()
checker = ("pydantic", "pydantic_core", "tracker_tui.domain.catalog.schema")
print(len(catalog.shows), any(name in sys.modules for name in checker))
"""


def age(path: Path, seconds: float = 60) -> None:
    """Make a file look untouched for a while, as a user's files usually are."""
    past = time.time() - seconds
    os.utime(path, (past, past))


def cache_file(home: Path) -> Path:
    return home / "cache" / CACHE_FILE


def probe(home: Path) -> str:
    env = {**os.environ, "TRACKER_HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout.strip()


def test_a_warm_start_neither_validates_nor_imports_pydantic(tracker_home: Path) -> None:
    add_user_show(tracker_home, "mine", "My Show")
    age(tracker_home / "shows" / "mine.toml")
    assert probe(tracker_home) == "3 True"  # cold: every file is checked
    assert cache_file(tracker_home).exists()
    assert probe(tracker_home) == "3 False"  # warm: read from the cache


def test_an_edited_file_is_checked_again(tracker_home: Path) -> None:
    add_user_show(tracker_home, "mine", "My Show")
    path = tracker_home / "shows" / "mine.toml"
    age(path)
    show = load_catalog().get("mine")
    assert show is not None and show.title == "My Show"
    path.write_text(path.read_text().replace("My Show", "Renamed"))
    show = load_catalog().get("mine")
    assert show is not None and show.title == "Renamed"
    path.write_text(path.read_text().replace('kind = "series"', 'kind = "opera"'))
    catalog = load_catalog()
    assert catalog.get("mine") is None
    assert any(problem.field == "kind" for problem in catalog.problems)


def test_a_fresh_file_is_not_trusted_to_its_stamp(tracker_home: Path) -> None:
    # Two edits inside one mtime tick, same size: only re-checking catches the second.
    add_user_show(tracker_home, "mine", "Show AAA")
    path = tracker_home / "shows" / "mine.toml"
    show = load_catalog().get("mine")
    assert show is not None and show.title == "Show AAA"
    stamp = path.stat()
    path.write_text(path.read_text().replace("Show AAA", "Show BBB"))
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    show = load_catalog().get("mine")
    assert show is not None and show.title == "Show BBB"


def test_a_problem_is_remembered_and_still_reported(tracker_home: Path) -> None:
    (tracker_home / "shows").mkdir()
    bad = tracker_home / "shows" / "bad.toml"
    bad.write_text('id = "bad"\ntitle = "Bad"\nkind = "series"\ncolour = "red"\n')
    age(bad)
    first = [str(problem) for problem in load_catalog().problems]
    second = [str(problem) for problem in load_catalog().problems]
    assert first == second
    assert any("colour: is not a known field" in problem for problem in second)


def test_a_new_source_document_drops_the_cache(tracker_home: Path) -> None:
    add_user_show(tracker_home, "mine", "My Show")
    age(tracker_home / "shows" / "mine.toml")
    assert load_catalog().get("mine") is not None
    # The quote the show cites disappears from its document: the show must fail again.
    (tracker_home / "sources" / "diary.txt").write_text("Nothing to see here.\n")
    catalog = load_catalog()
    assert catalog.get("mine") is None
    assert any("the quote is not in 'diary.txt'" in str(problem) for problem in catalog.problems)


@pytest.mark.parametrize("damage", ["{not json", '{"key": 1}', '{"key": [], "shows": 7}', ""])
def test_a_damaged_cache_is_rebuilt(tracker_home: Path, damage: str) -> None:
    expected = [show.id for show in load_catalog().shows]
    cache_file(tracker_home).write_text(damage)
    assert [show.id for show in load_catalog().shows] == expected
    assert json.loads(cache_file(tracker_home).read_text())["shows"]


def test_a_tampered_entry_is_checked_again(tracker_home: Path) -> None:
    load_catalog()
    data = json.loads(cache_file(tracker_home).read_text())
    for entry in data["shows"].values():
        entry["show"] = {"id": "broken"}  # no title, no kind
    cache_file(tracker_home).write_text(json.dumps(data))
    assert {show.id for show in load_catalog().shows} == {
        "all-of-us-are-dead",
        "kaiju-girl-caramelise",
    }


def test_an_unwritable_cache_folder_is_no_error(tracker_home: Path) -> None:
    (tracker_home / "cache").write_text("a file where the folder should be")
    catalog = load_catalog()
    assert len(catalog.shows) == 2
    assert catalog.problems == []


def test_the_cache_key_covers_every_catalog_module_that_checks_a_file() -> None:
    """A module added to (or moved within) the catalog's loading path must be in the key,
    or a change to its rules would leave stale entries in every user's cache."""
    probe = (
        "import sys, tracker_tui.domain.catalog.loader, tracker_tui.domain.catalog.schema\n"
        "print('\\n'.join(m for m in sys.modules if m.startswith('tracker_tui.domain.catalog.')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert set(loaded) == set(cache_module.RULE_MODULES)


EVERY_SHOW = """
from tracker_tui.domain.catalog.loader import load_catalog
catalog = load_catalog()
print(sum(catalog.get(show.id) is not None for show in catalog.shows))
"""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("where", ["index", "details"])
def test_a_fifo_in_the_cache_is_passed_over_not_waited_on(tracker_home: Path, where: str) -> None:
    """Reading a FIFO waits for a writer forever: a FIFO where the index or a show's
    details are kept is a cache miss, like a damaged file."""
    load_catalog()
    if where == "index":
        fifos = [cache_file(tracker_home)]
    else:
        fifos = sorted((tracker_home / "cache" / "details").glob("*.json"))
    assert fifos
    for path in fifos:
        path.unlink()
        os.mkfifo(path)
    env = {**os.environ, "TRACKER_HOME": str(tracker_home)}
    try:
        result = subprocess.run(
            [sys.executable, "-c", EVERY_SHOW],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"loading the catalog waited on a FIFO in the cache ({where})")
    assert result.stdout.strip() == "2"
