"""The bundled data is true to the seeds: every quote is verbatim, every seed is cited."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tracker_tui.domain.catalog.loader import load_catalog
from tracker_tui.domain.catalog.models import ReleaseState

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
    for outline in catalog.shows:
        show = catalog.get(outline.id)
        assert show is not None
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
    assert season_2.current_status.state is ReleaseState.IN_PRODUCTION
    assert season_2.episode_count is None
    cheong_san = {p.name for p in show.people if p.character == "Lee Cheong-san"}
    assert cheong_san == {"Yoon Chan-young", "Park Ji-hoo"}
    assert {d.id for d in show.disputes} >= {"cheong-san-actor", "season-2-filming"}


def test_season_1_dates_are_stored_as_each_seed_gives_them() -> None:
    show = load_catalog().get("all-of-us-are-dead")
    assert show is not None
    season_1 = show.seasons[0]
    # 001 and 002 give January 2022; 003 gives January 28 and no year.
    assert season_1.release_date is not None and season_1.release_date.iso() == "2022-01"
    (day_only,) = [report for report in season_1.status if report.on_month_day]
    assert day_only.on is None and day_only.on_month_day is not None
    assert day_only.on_month_day.iso() == "01-28"
    assert {ref.document for ref in day_only.sources} == {"003_477cd0dc64dba67c.txt"}
    joined = season_1.joined_release_date()
    assert joined is not None and joined.date.iso() == "2022-01-28"
    assert joined.human() == "28 January 2022"
    assert {ref.document for ref in joined.day_sources} == {"003_477cd0dc64dba67c.txt"}
    assert {ref.document for ref in joined.year_sources} == {
        "001_f936a5c851b793ab.txt",
        "002_de53c2468fefb129.txt",
    }


def test_a_production_slated_to_start_is_not_in_production() -> None:
    show = load_catalog().get("all-of-us-are-dead")
    assert show is not None
    for season in show.seasons:
        for report in season.status:
            quotes = " ".join(ref.quote for ref in report.sources)
            if "slated to kick off" in quotes or "scheduled to run" in quotes:
                assert report.state is ReleaseState.ANNOUNCED, report.detail


def test_aliases_are_only_names_the_seeds_give_the_series() -> None:
    show = load_catalog().get("all-of-us-are-dead")
    assert show is not None
    assert show.aliases == []
    material = show.source_material
    assert material is not None
    assert (material.title, material.original_title) == ("Now at Our School", "지금 우리 학교는")
    assert {"Now at Our School", "지금 우리 학교는"} <= set(show.search_names())


def test_spelling_variants_are_recorded_with_the_sources_that_give_them() -> None:
    show = load_catalog().get("all-of-us-are-dead")
    assert show is not None
    pairs = {(spelling.name, spelling.variant) for spelling in show.spellings}
    assert pairs == {("Cheong-san", "Chung-San"), ("Hyosan", "Hyozan"), ("hambies", "humbies")}
    for spelling in show.spellings:
        assert spelling.variant_sources()
        assert any(spelling.name.casefold() in ref.quote.casefold() for ref in spelling.sources)


DISPUTES_AND_SCOPES = {
    "cheong-san-actor": None,
    "creator": None,
    "season-2-filming": None,
    "season-1-length": None,
    "survivors-goal": None,
    "how-many-survive": "S1E12",
    "nam-ra-fate": "S1E12",
    "season-2-news": None,
}


def test_every_disagreement_between_seeds_is_recorded_with_its_spoiler_scope() -> None:
    show = load_catalog().get("all-of-us-are-dead")
    assert show is not None
    assert {dispute.id for dispute in show.disputes} == set(DISPUTES_AND_SCOPES)
    for dispute_id, fact in show.disputed_facts():
        documents = {ref.document for ref in fact.sources}
        assert documents, dispute_id
        scope = getattr(fact, "spoiler", None)
        assert (scope.code() if scope else None) == DISPUTES_AND_SCOPES[dispute_id], dispute_id
    sides = Counter(dispute_id for dispute_id, _ in show.disputed_facts())
    assert all(sides[dispute_id] >= 2 for dispute_id in DISPUTES_AND_SCOPES)


def test_source_titles_are_headlines_word_for_word_or_marked_as_ours() -> None:
    registry = tomllib.loads((REPO / "data" / "sources.toml").read_text(encoding="utf-8"))
    for document in registry["documents"]:
        text = fold((SEEDS / document["file"]).read_text(encoding="utf-8")).casefold()
        titles = [document["title"], *(a["title"] for a in document.get("articles", []))]
        for title in titles:
            ours = title.startswith("[") and title.endswith("]")
            assert ours or fold(title).casefold() in text, (document["file"], title)


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


def unscoped_citations(node: Any) -> Iterator[dict[str, str]]:
    """Citations a user sees before any spoiler: those of tables with no spoiler scope."""
    if isinstance(node, dict):
        if "spoiler" in node:
            return
        if "document" in node and "quote" in node:
            yield node
        for value in node.values():
            yield from unscoped_citations(value)
    elif isinstance(node, list):
        for item in node:
            yield from unscoped_citations(item)


def spoiler_sections() -> dict[str, str]:
    """Each seed's text after its spoiler warning, whitespace folded."""
    sections = {}
    for seed in SEEDS.glob("*.txt"):
        text = fold(seed.read_text(encoding="utf-8"))
        warning = text.casefold().find("*** spoiler warning ***")
        if warning >= 0:
            sections[seed.name] = text[warning:]
    return sections


@pytest.mark.parametrize("path", SHOW_FILES, ids=lambda path: path.stem)
def test_a_fact_with_no_spoiler_scope_quotes_no_sentence_past_a_spoiler_warning(
    path: Path,
) -> None:
    """`tracker show --json` prints these quotes to anyone: a fact past a seed's spoiler
    warning (an episode count, a spelling) quotes the few words it needs, not the
    sentence that spoils the ending."""
    sections = spoiler_sections()
    facts = tomllib.loads(path.read_text(encoding="utf-8"))
    facts.pop("notes", None)  # a note past a warning is judged by its text and scope
    for ref in unscoped_citations(facts):
        section = sections.get(ref["document"])
        if section is None or fold(ref["quote"]) not in section:
            continue
        ends_a_sentence = fold(ref["quote"]).endswith((".", "!", "?"))
        assert not ends_a_sentence, f"{ref['document']}: {ref['quote']!r} needs a spoiler scope"
