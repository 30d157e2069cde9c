"""Planning an import: matching shows (ids first, then title and year), new show files,
viewings and marks worked out so a repeat import changes nothing."""

from __future__ import annotations

import datetime as dt
import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker_tui.domain.catalog.authoring import (
    EpisodeDraft,
    SeasonDraft,
    ShowDraft,
    new_show_text,
)
from tracker_tui.domain.catalog.loader import load_catalog
from tracker_tui.domain.exchange.batch import (
    ImportBatch,
    ImportedArchive,
    ImportedRating,
    ImportedStatus,
)
from tracker_tui.domain.exchange.plan import UNKNOWN_TIME, plan_import, viewing_id
from tracker_tui.domain.exchange.show_text import show_text
from tracker_tui.domain.paths import user_shows_dir
from tracker_tui.domain.progress.records import (
    EpisodeKey,
    Progress,
    mark_unwatched,
    mark_watched,
    set_status,
)

from .conftest import FIXED_NOW
from .import_helpers import T0, catalog, make_show, watch

NOW = FIXED_NOW


def test_an_external_id_matches_before_the_title() -> None:
    shows = catalog(
        make_show("sev", "Severance", 2022, ids={"trakt": "1"}),
        make_show("other", "Another Title", 2022, ids={"tmdb": "9"}),
    )
    batch = ImportBatch("trakt")
    batch.show("trakt:9", "Severance", 2022, ids={"trakt": "5", "tmdb": "9"})
    plan = plan_import(batch, shows, Progress.empty(), NOW)
    assert [(m.show_id, m.how) for m in plan.matched] == [("other", "tmdb id")]
    assert plan.new_shows == []


def test_title_and_year_then_aliases_and_a_yearless_title() -> None:
    shows = catalog(
        make_show("a", "Dark", 2017),
        make_show("b", "Dark", 2005),
        make_show("c", "Kaiju Girl", aliases=("Kaiju Girl Caramelise",)),
    )
    batch = ImportBatch("csv")
    batch.show("x", "  dark ", 2005)
    batch.show("y", "KAIJU GIRL   CARAMELISE", 2024)
    batch.show("z", "Dark", 1999)
    plan = plan_import(batch, shows, Progress.empty(), NOW)
    assert {(m.batch_key, m.show_id, m.how) for m in plan.matched} == {
        ("x", "b", "title and year"),
        ("y", "c", "title"),
    }
    assert [(s.batch_key, s.id) for s in plan.new_shows] == [("z", "dark")]
    assert plan.new_shows[0].id not in shows


def test_an_ambiguous_match_is_listed_and_its_records_skipped() -> None:
    shows = catalog(make_show("a", "Dark", 2017), make_show("b", "Dark", 2005))
    batch = ImportBatch("tvtime")
    batch.show("t", "Dark")
    watch(batch, "t", 1, 1)
    plan = plan_import(batch, shows, Progress.empty(), NOW)
    assert [(a.title, a.candidates) for a in plan.ambiguous] == [("Dark", ("a", "b"))]
    assert plan.is_empty()
    (skipped,) = plan.skipped
    assert skipped.reason == (
        "matches several shows: a, b; add the show's ids or year to one of them"
    )
    assert skipped.where == "show Dark (?), 1 record"
    assert plan.summary()["ambiguous"][0]["candidates"] == ["a", "b"]


def test_two_catalog_shows_sharing_an_id_are_ambiguous() -> None:
    shows = catalog(
        make_show("a", "One", ids={"imdb": "tt1"}), make_show("b", "Two", ids={"imdb": "tt1"})
    )
    batch = ImportBatch("trakt")
    batch.show("k", "One", ids={"imdb": "tt1"})
    plan = plan_import(batch, shows, Progress.empty(), NOW)
    assert plan.ambiguous[0].candidates == ("a", "b")


def test_same_title_different_years_are_two_new_shows_with_their_own_ids() -> None:
    batch = ImportBatch("trakt")
    batch.show("trakt:1", "Shogun", 1980, ids={"trakt": "1"})
    batch.show("trakt:2", "Shogun", 2024, ids={"trakt": "2"})
    watch(batch, "trakt:1", 1, 1)
    watch(batch, "trakt:2", 1, 1)
    plan = plan_import(batch, {}, Progress.empty(), NOW, taken_ids={"shogun"})
    assert [s.id for s in plan.new_shows] == ["shogun-2", "shogun-3"]
    assert {key.show for show in plan.delta.shows for key in plan.delta.shows[show].episodes} == {
        "shogun-2",
        "shogun-3",
    }


def test_a_bundled_show_is_matched_by_title() -> None:
    shows = {show.id: show for show in load_catalog().shows}
    batch = ImportBatch("tvtime")
    batch.show("title:All of Us Are Dead|2022", "All of Us Are Dead", 2022)
    watch(batch, "title:All of Us Are Dead|2022", 1, 3)
    plan = plan_import(batch, shows, Progress.empty(), NOW)
    assert [(m.show_id, m.how) for m in plan.matched] == [("all-of-us-are-dead", "title")]
    assert plan.counts.viewings_added == 1


def test_viewings_get_hashed_ids_and_rewatches_and_duplicates_are_told_apart() -> None:
    shows = catalog(make_show("sev", "Severance", 2022))
    batch = ImportBatch("trakt")
    batch.show("k", "Severance", 2022)
    watch(batch, "k", 1, 1, T0, "r1")
    watch(batch, "k", 1, 1, T0, "r1")  # the same record twice: once
    watch(batch, "k", 1, 1, T0 + dt.timedelta(days=30), "r2")  # a rewatch
    watch(batch, "k", 0, 1, T0, "special")
    plan = plan_import(batch, shows, Progress.empty(), NOW)
    assert plan.counts.viewings_added == 2
    key = EpisodeKey("sev", 1, 1)
    viewings = plan.delta.shows["sev"].episodes[key].viewings
    assert set(viewings) == {viewing_id("r1"), viewing_id("r2")}
    assert viewings[viewing_id("r1")].logged_at == T0
    assert [s.reason for s in plan.skipped] == [
        "specials (season 0) are not tracked: tracker's seasons and episodes start at 1"
    ]


def test_a_viewing_at_the_same_second_is_already_there() -> None:
    shows = catalog(make_show("sev", "Severance", 2022))
    key = EpisodeKey("sev", 1, 1)
    progress = mark_watched(Progress.empty(), [key], NOW, watched_at=T0.replace(microsecond=5))
    batch = ImportBatch("tracker")
    batch.show("k", "Severance", 2022)
    watch(batch, "k", 1, 1, T0)
    plan = plan_import(batch, shows, progress, NOW)
    assert plan.is_empty()
    assert plan.counts.viewings_already_there == 1


def test_unknown_times_count_against_the_viewings_there() -> None:
    shows = catalog(make_show("cb", "Cowboy Bebop", 1998))
    key = EpisodeKey("cb", 1, 1)
    progress = mark_watched(Progress.empty(), [key], NOW)
    batch = ImportBatch("mal")
    batch.show("mal:1", "Cowboy Bebop", 1998)
    watch(batch, "mal:1", 1, 1, None, "mal:1:e1:w1")
    watch(batch, "mal:1", 1, 1, None, "mal:1:e1:w2")
    plan = plan_import(batch, shows, progress, NOW)
    assert plan.counts.viewings_added == 1
    assert plan.counts.viewings_already_there == 1
    (added,) = plan.delta.shows["cb"].episodes[key].viewings.values()
    assert added.watched_at is None
    assert added.logged_at == UNKNOWN_TIME
    again = plan_import(batch, shows, progress.merge(plan.delta), NOW)
    assert again.is_empty()
    assert again.counts.viewings_already_there == 2


def test_an_unmark_after_a_viewing_wins() -> None:
    shows = catalog(make_show("sev", "Severance", 2022))
    key = EpisodeKey("sev", 1, 1)
    progress = mark_unwatched(mark_watched(Progress.empty(), [key], NOW), [key], NOW)
    batch = ImportBatch("trakt")
    batch.show("k", "Severance", 2022)
    watch(batch, "k", 1, 1, T0)
    plan = plan_import(batch, shows, progress, NOW)
    assert plan.is_empty()
    assert "your unmark stays" in plan.skipped[0].reason


def test_marks_are_set_only_where_they_change_something() -> None:
    shows = catalog(make_show("sev", "Severance", 2022, seasons=((1, 2),)))
    progress = set_status(Progress.empty(), "sev", "dropped", NOW)
    batch = ImportBatch("simkl")
    batch.show("k", "Severance", 2022)
    batch.ratings += [
        ImportedRating("k", None, None, 9, T0),
        ImportedRating("k", 1, None, 8),
        ImportedRating("k", 1, 2, 10),
        ImportedRating("k", None, None, 11),
    ]
    batch.statuses.append(ImportedStatus("k", "watching", T0))  # older than "dropped"
    batch.archived.append(ImportedArchive("k", False))  # the same as now
    plan = plan_import(batch, shows, progress, NOW)
    assert (plan.counts.ratings, plan.counts.statuses, plan.counts.archived) == (3, 0, 0)
    after = progress.merge(plan.delta)
    assert after.rating("sev") == 9
    assert after.rating("sev", 1) == 8
    assert after.rating("sev", 1, 2) == 10
    assert after.status("sev") == "dropped"
    assert "not a whole number" in plan.skipped[0].reason
    assert plan_import(batch, shows, after, NOW).is_empty()


def test_a_status_tracker_would_derive_is_not_set() -> None:
    shows = catalog(make_show("sev", "Severance", 2022, seasons=((1, 2),)))
    batch = ImportBatch("simkl")
    batch.show("k", "Severance", 2022)
    watch(batch, "k", 1, 1)
    batch.statuses.append(ImportedStatus("k", "watching"))
    batch.show("n", "New One", 2020)
    watch(batch, "n", 1, 1)
    batch.statuses.append(ImportedStatus("n", "dropped"))
    plan = plan_import(batch, shows, Progress.empty(), NOW)
    assert plan.counts.statuses == 1
    assert plan.delta.status("sev") is None
    assert plan.delta.status("new-one") == "dropped"
    assert plan.delta.shows["new-one"].status is not None
    assert plan.delta.shows["new-one"].status.changed_at == UNKNOWN_TIME


def test_a_new_show_keeps_what_the_export_saw() -> None:
    batch = ImportBatch("trakt")
    show = batch.show("trakt:7", "Pluribus", 2025, ids={"trakt": "7", "imdb": "tt 9", "x": "1"})
    show.saw(1, 2, "The Pirate Lady", "2025-11-07")
    show.saw(1, 3, "bad\x07title", "not a date")
    show.season(2).episode_count = 9
    watch(batch, "trakt:7", 1, 1)
    plan = plan_import(batch, {}, Progress.empty(), NOW)
    (new,) = plan.new_shows
    assert new.ids == {"trakt": "7"}
    assert new.draft.seasons == (
        SeasonDraft(
            1,
            None,
            (
                EpisodeDraft(1),
                EpisodeDraft(2, "The Pirate Lady", "2025-11-07"),
                EpisodeDraft(3),
            ),
        ),
        SeasonDraft(2, 9, ()),
    )
    assert plan.summary()["shows_created"] == [
        {"id": "pluribus", "title": "Pluribus", "year": 2025}
    ]


def test_summary_is_json_and_lists_everything() -> None:
    import json

    batch = ImportBatch("trakt", notes=["times without a zone were taken as UTC"])
    batch.show("k", "Severance", 2022)
    watch(batch, "k", 1, 1)
    batch.skip("history.json", "entry 3", "no episode")
    summary = plan_import(batch, {}, Progress.empty(), NOW).summary()
    assert json.loads(json.dumps(summary)) == summary
    assert summary["viewings_added"] == 1
    assert summary["skipped"] == [
        {"file": "history.json", "where": "entry 3", "reason": "no episode"}
    ]
    assert summary["notes"] == ["times without a zone were taken as UTC"]


# --- the fast show file text ---------------------------------------------------------------

titles = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp", "Co", "Cn")),
    min_size=1,
    max_size=30,
).filter(lambda title: title.strip() != "")
episodes = st.builds(
    EpisodeDraft,
    st.integers(1, 50),
    st.none() | titles,
    st.none() | st.sampled_from(["2024", "2024-03", "2024-03-01"]),
)
seasons = st.builds(
    SeasonDraft,
    st.integers(1, 20),
    st.none() | st.integers(50, 60),
    st.lists(episodes, max_size=4, unique_by=lambda e: e.number).map(tuple),
)
drafts = st.builds(
    ShowDraft,
    titles,
    st.sampled_from(["series", "anime"]),
    st.none() | st.integers(1950, 2030),
    st.lists(seasons, max_size=3, unique_by=lambda s: s.number).map(tuple),
)
id_tables = st.dictionaries(
    st.sampled_from(["trakt", "tmdb", "imdb", "mal"]),
    st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zs")), min_size=1, max_size=8),
)


@settings(max_examples=50, deadline=None)
@given(draft=drafts, ids=id_tables)
def test_the_fast_show_text_says_what_tomlkit_says(draft: ShowDraft, ids: dict[str, str]) -> None:
    from tracker_tui.domain.catalog.drafts import draft_problems

    if draft_problems(draft):
        return
    fast = tomllib.loads(show_text("a-show", draft, ids))
    assert fast.pop("ids", {}) == ids
    assert fast == tomllib.loads(new_show_text("a-show", draft))


def test_a_fast_show_file_loads_into_the_same_show(tracker_home: object) -> None:
    draft = ShowDraft(
        'Quote " and \\ back, ünï',
        "anime",
        2021,
        (SeasonDraft(1, 12, (EpisodeDraft(1, 'Ep "1"', "2021-01-02"),)), SeasonDraft(2)),
    )
    folder = user_shows_dir()
    folder.mkdir(parents=True)
    (folder / "fast.toml").write_text(show_text("fast", draft, {"mal": "42"}), encoding="utf-8")
    (folder / "slow.toml").write_text(new_show_text("slow", draft), encoding="utf-8")
    loaded = {show.id: show for show in load_catalog().shows}
    assert loaded["fast"].ids == {"mal": "42"}
    fast, slow = loaded["fast"], loaded["slow"]
    assert (fast.title, fast.kind, fast.year, fast.seasons) == (
        slow.title,
        slow.kind,
        slow.year,
        slow.seasons,
    )
