"""The bundled data is true to the seeds: every quote is verbatim, every seed is cited."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tracker_tui.domain.catalog import load_catalog
from tracker_tui.domain.models import ReleaseState

from .conftest import REPO

SHOW_FILES = sorted((REPO / "data" / "shows").glob("*.toml"))
SEEDS = REPO / "seeds"


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def citations(node: Any) -> Iterator[dict[str, str]]:
    """Every {document, quote} table anywhere in a parsed show file."""
    if isinstance(node, dict):
        if "document" in node and "quote" in node:
            yield node
        for value in node.values():
            yield from citations(value)
    elif isinstance(node, list):
        for item in node:
            yield from citations(item)


def test_there_are_two_bundled_shows() -> None:
    assert [path.name for path in SHOW_FILES] == [
        "all-of-us-are-dead.toml",
        "kaiju-girl-caramelise.toml",
    ]


@pytest.mark.parametrize("path", SHOW_FILES, ids=lambda path: path.stem)
def test_every_quote_is_verbatim_in_its_seed(path: Path) -> None:
    refs = list(citations(tomllib.loads(path.read_text(encoding="utf-8"))))
    assert refs, "a bundled show must cite its sources"
    for ref in refs:
        seed = SEEDS / ref["document"]
        assert seed.is_file(), f"{ref['document']} is not a seed"
        assert fold(ref["quote"]) in fold(seed.read_text(encoding="utf-8")), ref["quote"]


def test_every_seed_is_cited_at_least_once() -> None:
    cited = {
        ref["document"] for path in SHOW_FILES for ref in citations(tomllib.loads(path.read_text()))
    }
    assert cited == {path.name for path in SEEDS.glob("*.txt")}


def test_seeds_are_the_shared_documents_unchanged() -> None:
    shared = REPO.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("no shared/ beside this checkout")
    for path in shared.iterdir():
        assert (SEEDS / path.name).read_bytes() == path.read_bytes()


def test_every_bundled_fact_has_a_source() -> None:
    catalog = load_catalog()
    for show in catalog.shows:
        for fact in (show.country, show.platform, show.studio, show.source_material):
            assert fact is None or fact.sources
        assert all(person.sources for person in show.people)
        for season in show.seasons:
            assert all(report.sources for report in season.status)
            assert season.episode_count is None or season.episode_count_sources


def test_bundled_catalog_loads_without_problems() -> None:
    catalog = load_catalog()
    assert catalog.problems == []
    assert [show.id for show in catalog.shows] == ["all-of-us-are-dead", "kaiju-girl-caramelise"]


def test_all_of_us_are_dead_matches_the_seeds() -> None:
    show = load_catalog().get("all-of-us-are-dead")
    assert show is not None
    season_1, season_2 = show.seasons
    assert season_1.episode_count == 12
    assert [episode.number for episode in season_1.episodes] == list(range(1, 13))
    assert season_1.release_date is not None and season_1.release_date.iso() == "2022-01-28"
    assert season_2.current_status.state is ReleaseState.IN_PRODUCTION
    assert season_2.episode_count is None
    cheong_san = {p.name for p in show.people if p.character == "Lee Cheong-san"}
    assert cheong_san == {"Yoon Chan-young", "Park Ji-hoo"}
    assert {d.id for d in show.disputes} >= {"cheong-san-actor", "season-2-filming"}


def test_kaiju_girl_caramelise_has_an_unknown_episode_count() -> None:
    show = load_catalog().get("kaiju-girl-caramelise")
    assert show is not None
    (season,) = show.seasons
    assert season.episode_count is None
    assert season.episodes == []
    assert season.current_status.state is ReleaseState.SCHEDULED
    assert season.release_date is not None and season.release_date.human() == "2026"
    assert show.studio is not None and show.studio.value == "Liden Films"


def test_seed_000_cites_each_article_by_its_own_title() -> None:
    catalog = load_catalog()
    document = catalog.sources.get("000_9cca8a83e1c728a5.txt")
    assert document is not None
    assert document.title_for("Fans of giant monsters") == (
        "Kaiju Girl Caramelise Anime Adaptation Announced"
    )
    assert document.title_for("a 97% Tomatometer score").startswith("Netflix’s Zombie Thriller")
