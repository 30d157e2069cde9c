"""The catalog's outlines and details: lists read outlines, a show's details are read
when it is opened, and what is kept for a file is never used past a change to it."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from tracker_tui.domain.catalog.cache import CACHE_FILE, DETAILS_FOLDER, details_file
from tracker_tui.domain.catalog.loader import CatalogEntry, DetailsSource, load_catalog
from tracker_tui.domain.catalog.models import DetailsNotLoadedError, ShowDetails
from tracker_tui.domain.paths import bundled_data

from .conftest import RunCli
from .test_catalog_cache import age
from .test_user_shows import add_user_show

RICH = "rich"


@pytest.fixture
def warm(tracker_home: Path) -> Path:
    """A data folder with two user shows, one a copy of the bundled All of Us Are Dead
    (people, notes, disputes), its cache written, every file old enough to be kept."""
    add_user_show(tracker_home, "mine", "My Show")
    age(tracker_home / "shows" / "mine.toml")
    text = (bundled_data().shows / "all-of-us-are-dead.toml").read_text()
    rich = tracker_home / "shows" / f"{RICH}.toml"
    rich.write_text(
        text.replace('id = "all-of-us-are-dead"', f'id = "{RICH}"', 1).replace(
            'title = "All of Us Are Dead"', 'title = "Rich Copy"', 1
        )
    )
    age(rich)
    load_catalog()
    return tracker_home


def test_lists_hold_outlines_and_get_gives_the_whole_show(warm: Path) -> None:
    catalog = load_catalog()
    outline = next(show for show in catalog.shows if show.id == RICH)
    assert outline.is_outline
    with pytest.raises(DetailsNotLoadedError):
        len(outline.notes)
    whole = catalog.get(RICH)
    assert whole is not None and not whole.is_outline
    assert len(whole.notes) > 10 and whole.people and whole.disputes
    assert whole.seasons == outline.seasons and whole.title == outline.title
    assert catalog.get(RICH) is whole  # read once


def test_the_index_keeps_no_details(warm: Path) -> None:
    index = json.loads((warm / "cache" / CACHE_FILE).read_text())
    kept = [entry["show"] for path, entry in index["shows"].items() if path.endswith(".toml")]
    assert len(kept) >= 2  # the user's two, and the bundled ones when old enough
    for show in kept:
        assert not {"people", "notes", "disputes"} & set(show)
    assert len(list((warm / "cache" / DETAILS_FOLDER).glob("*.json"))) >= 2


def test_a_warm_whole_show_equals_a_cold_one(warm: Path) -> None:
    warm_show = load_catalog().get(RICH)
    for path in (warm / "cache").rglob("*.json"):
        path.unlink()
    cold_show = load_catalog().get(RICH)
    assert warm_show == cold_show


@pytest.mark.parametrize("damage", ["", "{not json", '{"key": "x", "stamp": [1], "details": 3}'])
def test_damaged_or_missing_details_are_read_from_the_file_again(warm: Path, damage: str) -> None:
    expected = load_catalog().get(RICH)
    path = details_file(warm / "cache", warm / "shows" / f"{RICH}.toml")
    assert path.exists()
    path.write_text(damage)
    assert load_catalog().get(RICH) == expected
    path.unlink()
    assert load_catalog().get(RICH) == expected
    assert path.exists()  # kept again for next time


def test_details_kept_for_another_version_of_the_file_are_not_used(warm: Path) -> None:
    show_file = warm / "shows" / "mine.toml"
    kept = details_file(warm / "cache", show_file)
    before = kept.read_bytes()
    # The file is edited; its old details must not stand in for the new file's.
    show_file.write_text(show_file.read_text().replace("My Show", "My Show Renamed"))
    age(show_file, 30)
    catalog = load_catalog()
    mine = catalog.get("mine")
    assert mine is not None and mine.title == "My Show Renamed"
    assert kept.read_bytes() != before  # rewritten with the new stamp


def test_details_from_other_checks_are_not_used(warm: Path) -> None:
    show_file = warm / "shows" / "mine.toml"
    kept = details_file(warm / "cache", show_file)
    data = json.loads(kept.read_text())
    data["details"]["people"] = [{"name": "Planted", "role": "cast", "sources": []}]
    data["key"] = "0" * 64  # checked by other code or against other sources
    kept.write_text(json.dumps(data))
    mine = load_catalog().get("mine")
    assert mine is not None and all(person.name != "Planted" for person in mine.people)


def test_a_removed_show_file_takes_its_details_with_it(warm: Path) -> None:
    show_file = warm / "shows" / "mine.toml"
    kept = details_file(warm / "cache", show_file)
    assert kept.exists()
    show_file.unlink()
    load_catalog()
    assert not kept.exists()


def test_a_show_file_broken_after_loading_gives_an_outline_with_no_details(warm: Path) -> None:
    catalog = load_catalog()
    show_file = warm / "shows" / "mine.toml"
    details_file(warm / "cache", show_file).unlink()
    show_file.write_text("not = [valid")
    mine = catalog.get("mine")
    assert mine is not None and mine.title == "My Show" and mine.notes == []


def test_details_of_a_file_changed_since_loading_are_not_joined_to_the_old_outline(
    warm: Path,
) -> None:
    catalog = load_catalog()
    show_file = warm / "shows" / f"{RICH}.toml"
    details_file(warm / "cache", show_file).unlink()
    show_file.write_text(show_file.read_text().replace('text = "', 'text = "Edited. ', 1))
    age(show_file, 30)
    first = catalog.get(RICH)
    assert first is not None and first.notes == []  # neither the old notes nor the new
    assert catalog.get(RICH) is not first  # not kept: asked again once readable
    reloaded = load_catalog().get(RICH)
    assert reloaded is not None and reloaded.notes[0].text.startswith("Edited. ")


def test_a_cold_load_lets_go_of_details_once_they_are_kept(tracker_home: Path) -> None:
    add_user_show(tracker_home, "mine", "My Show")
    age(tracker_home / "shows" / "mine.toml")
    catalog = load_catalog()
    assert catalog.details is not None
    assert (tracker_home / "shows" / "mine.toml") not in catalog.details.checked
    mine = catalog.get("mine")
    assert mine is not None and not mine.is_outline


def test_a_reload_leaves_the_garbage_collector_as_it_found_it(warm: Path) -> None:
    """The first load of a process freezes what it made (the `warm` fixture's did, if
    no test before it loaded); a reload must not keep that moment's garbage for good."""
    frozen = gc.get_freeze_count()
    assert gc.isenabled()
    load_catalog()
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen  # a reload must not keep its garbage for good


@pytest.mark.parametrize("command", [["next", "--json"], ["shows", "--json"], ["next"], ["shows"]])
def test_next_and_shows_never_read_a_shows_details(
    warm: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    run_cli("watch", "rich copy", "s1e1")

    def refuse(self: DetailsSource, entry: CatalogEntry) -> ShowDetails:
        raise AssertionError(f"{command} read the details of {entry.show.id}")

    monkeypatch.setattr(DetailsSource, "details", refuse)
    result = run_cli(*command)
    assert result.code == 0, result.err
    assert "Rich Copy" in result.out


def test_a_note_edited_is_a_change_though_the_outline_is_the_same(warm: Path) -> None:
    before = load_catalog()
    assert before.get(RICH) is not None  # shown, as the app shows the current show
    path = warm / "shows" / f"{RICH}.toml"
    text = path.read_text()
    assert load_catalog().same_as(before)
    path.write_text(text)  # touched, not changed
    age(path, 30)
    assert load_catalog().same_as(before)
    path.write_text(text.replace('text = "', 'text = "Edited. ', 1))
    age(path, 20)
    after = load_catalog()
    assert after.entries == before.entries  # the outlines alike
    assert not after.same_as(before)


def test_every_bundled_quote_is_cited_by_the_article_that_holds_it() -> None:
    """`title_for` finds a quote in the folded text; `locate` finds it with a pattern, as
    the source view highlights it: both must name the same article."""
    catalog = load_catalog()
    checked = 0
    for outline in catalog.shows:
        show = catalog.get(outline.id)
        assert show is not None
        for _, ref in show.source_refs():
            document = catalog.sources.get(ref.document)
            assert document is not None
            if not document.articles:
                continue
            span = document.locate(ref.quote)
            assert span is not None
            located = [a.title for a in document.articles if a.start <= span.start]
            assert document.title_for(ref.quote) == (located[-1] if located else document.title)
            checked += 1
    assert checked > 10


def test_details_no_longer_readable_count_as_a_change(warm: Path) -> None:
    """A show never opened in an older catalog whose file was touched since: its old
    details are gone (the file's details are kept once), so the safe answer is 'changed'
    (a redraw too many, never a stale note)."""
    before = load_catalog()
    path = warm / "shows" / f"{RICH}.toml"
    path.write_text(path.read_text())
    age(path, 30)
    assert not load_catalog().same_as(before)
