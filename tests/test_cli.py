"""The read-only command line: lookups, human output, JSON shapes and exit codes."""

from __future__ import annotations

import json
import re

import pytest

from tracker_tui import __version__

from .conftest import RunCli


def test_version(run_cli: RunCli) -> None:
    result = run_cli("--version")
    assert result.code == 0 and result.out.strip() == f"tracker {__version__}"


def test_help_lists_every_command(run_cli: RunCli) -> None:
    out = run_cli("--help").out
    for command in ("shows", "show", "notes", "sources", "source", "validate"):
        assert command in out


def test_shows_json(run_cli: RunCli) -> None:
    shows = json.loads(run_cli("shows", "--json").out)
    assert shows == [
        {
            "id": "all-of-us-are-dead",
            "title": "All of Us Are Dead",
            "kind": "series",
            "year": None,
            "status": (
                "S1 released January 2022 · S2 in production (disputed, possibly out of date)"
            ),
            "progress": {
                "watched": 0,
                "known": 12,
                "percent": 0,
                "total_known": True,
                "status": "not started",
                "next": "S1E1",
                "list_status": "plan-to-watch",
                "list_status_set_by_you": False,
                "rating": None,
                "archived": False,
            },
        },
        {
            "id": "kaiju-girl-caramelise",
            "title": "Kaiju Girl Caramelise",
            "kind": "anime",
            "year": None,
            "status": "S1 scheduled for 2026",
            "progress": {
                "watched": 0,
                "known": 0,
                "percent": 0,
                "total_known": True,
                "status": "not started",
                "next": None,
                "list_status": "plan-to-watch",
                "list_status_set_by_you": False,
                "rating": None,
                "archived": False,
            },
        },
    ]


def test_shows_text_is_a_table(run_cli: RunCli) -> None:
    lines = run_cli("shows").out.splitlines()
    assert lines[0].split() == [
        "ID",
        "TITLE",
        "KIND",
        "WATCHED",
        "STATUS",
        "NEXT",
        "RATING",
        "RELEASES",
    ]
    assert lines[1].startswith("all-of-us-are-dead")


@pytest.mark.parametrize(
    ("query", "show_id"),
    [
        ("all-of-us-are-dead", "all-of-us-are-dead"),
        ("all of us", "all-of-us-are-dead"),
        ("Now at Our School", "all-of-us-are-dead"),
        ("지금 우리 학교는", "all-of-us-are-dead"),
        ("hyozan", "all-of-us-are-dead"),
        ("KAIJU", "kaiju-girl-caramelise"),
        ("caramelise", "kaiju-girl-caramelise"),
    ],
)
def test_show_lookup(query: str, show_id: str, run_cli: RunCli) -> None:
    result = run_cli("show", query, "--json")
    assert result.code == 0
    assert json.loads(result.out)["id"] == show_id


def test_ambiguous_show_is_a_usage_error_listing_candidates(run_cli: RunCli) -> None:
    result = run_cli("show", "a")
    assert result.code == 2
    assert "matches several shows" in result.err
    assert "all-of-us-are-dead" in result.err and "kaiju-girl-caramelise" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_unknown_show_is_a_usage_error(run_cli: RunCli) -> None:
    result = run_cli("notes", "squid game")
    assert result.code == 2
    assert "no show matches 'squid game'; known shows: all-of-us-are-dead" in result.err


def test_unknown_command_is_a_usage_error(run_cli: RunCli) -> None:
    assert run_cli("frobnicate").code == 2


def test_show_json_all_of_us_are_dead(run_cli: RunCli) -> None:
    show = json.loads(run_cli("show", "all of us", "--json").out)
    season_1, season_2 = show["seasons"]
    assert season_1["release_date"] == {"date": "2022-01", "precision": "month"}
    joined = season_1["joined_release_date"]
    assert joined["date"] == "2022-01-28"
    assert {s["document"] for s in joined["day_from"]} == {"003_477cd0dc64dba67c.txt"}
    assert {s["document"] for s in joined["year_from"]} == {
        "001_f936a5c851b793ab.txt",
        "002_de53c2468fefb129.txt",
    }
    assert [r["on_month_day"] for r in season_1["status_reports"]] == [None, "01-28"]
    assert season_1["episode_count"] == 12
    assert season_1["episodes"] == [
        {"number": n, "watched": False, "watched_at": None, "watch_count": 0, "rating": None}
        for n in range(1, 13)
    ]
    assert season_1["status"] == "released"
    assert season_2["status"] == "in_production"
    assert season_2["status_dispute"] == "season-2-filming"
    assert season_2["episode_count"] is None
    assert season_2["possibly_out_of_date"] is True
    (planned,) = [r for r in season_2["status_reports"] if r["expected"] and r["reported"]]
    assert planned["state"] == "announced"
    assert planned["expected"] == {"date": "2025-12", "precision": "month"}
    spellings = {(s["name"], s["variant"]) for s in show["spellings"]}
    assert ("Cheong-san", "Chung-San") in spellings
    assert show["aliases"] == []
    disputes = {d["id"]: d for d in show["disputes"]}
    claims = [c["claim"] for c in disputes["cheong-san-actor"]["claims"]]
    assert claims == [
        "Yoon Chan-young (cast) as Lee Cheong-san",
        "Park Ji-hoo (cast) as Lee Cheong-san",
    ]
    platform_sources = show["platform"]["sources"]
    assert {s["document"] for s in platform_sources} == {
        "001_f936a5c851b793ab.txt",
        "002_de53c2468fefb129.txt",
    }


def test_show_json_kaiju(run_cli: RunCli) -> None:
    show = json.loads(run_cli("show", "kaiju", "--json").out)
    assert show["kind"] == "anime"
    assert show["studio"]["value"] == "Liden Films"
    (season,) = show["seasons"]
    assert season["episode_count"] is None
    assert season["episodes"] == []
    assert season["release_date"] == {"date": "2026", "precision": "year"}
    assert season["possibly_out_of_date"] is False
    people = {(p["name"], p["role"], p["character"]) for p in show["people"]}
    assert ("Teruyuki Omine", "director", None) in people
    assert ("Hikari Senga", "voice", "Kuroe Akaishi") in people
    assert ("Daishi Kajita", "voice", "Arata Minami") in people
    for person in show["people"]:
        for source in person["sources"]:
            assert source["title"] == "Kaiju Girl Caramelise Anime Adaptation Announced"


def test_show_text_marks_disputes_and_lists_sources(run_cli: RunCli) -> None:
    out = run_cli("show", "all of us").out
    assert "Sources disagree" in out
    assert "! Who plays Lee Cheong-san" in out
    assert "possibly out of date: expected by 2024" in out
    assert "002_de53c2468fefb129.txt" in out


def test_notes_json_shape(run_cli: RunCli) -> None:
    notes = json.loads(run_cli("notes", "caramelise", "--json").out)
    assert notes, "Kaiju Girl Caramelise has notes"
    for note in notes:
        assert set(note) == {"id", "topic", "text", "spoiler", "dispute", "sources"}
        for source in note["sources"]:
            assert set(source) == {"document", "title", "quote"}
            assert source["document"] == "000_9cca8a83e1c728a5.txt"


def test_notes_text_quotes_its_sources(run_cli: RunCli) -> None:
    out = run_cli("notes", "caramelise").out
    assert "Premise" in out
    assert "Kaiju Girl Caramelise Anime Adaptation Announced (000_9cca8a83e1c728a5.txt)" in out
    assert "“The anime adaptation is being handled by Liden Films”" not in out  # studio is a fact
    assert "city-sized kaiju" in out


def test_sources_and_source(run_cli: RunCli) -> None:
    documents = json.loads(run_cli("sources", "--json").out)
    assert len(documents) == 5
    assert documents[0]["articles"] == [
        "Netflix’s Zombie Thriller Proves Short and Sharp, Beats The Walking Dead",
        "Kaiju Girl Caramelise Anime Adaptation Announced",
    ]
    assert documents[2]["date"] == "2025-05-29"
    result = run_cli("source", "004")
    assert result.code == 0
    assert "Humbies, like Nam-ra, survived" in result.out
    assert run_cli("source", "nope").code == 2


def test_show_text_marks_spellings_joined_dates_and_disputed_now_lines(run_cli: RunCli) -> None:
    out = run_cli("show", "all of us").out
    assert re.search(r"Spelt two ways: Cheong-san, also spelt Chung-San \[[0-9]+\]", out)
    assert re.search(r"as Lee Cheong-san \(Cheong-san, also spelt Chung-San \[[0-9]+\]\)", out)
    assert re.search(
        r"day: 28 January 2022: day from \[[0-9]+\], year from \[[0-9]+, [0-9]+\]", out
    )
    assert "S1  released January 2022" in out
    assert "28 January, no year" in out
    assert re.search(r"now: Filming in 2024 +! disputed", out)


def test_show_text_keeps_spoiler_claims_of_a_dispute_hidden(run_cli: RunCli) -> None:
    out = run_cli("show", "all of us").out
    assert "What becomes of Nam-ra" in out
    assert "hiding" not in out
    assert "(spoiler past S1E12: `tracker notes --spoilers`)" in out
    assert "humbies" not in out
    run_cli("watch", "all of us", "s1")
    out = run_cli("show", "all of us").out
    assert "hiding" in out
    assert re.search(r"hambies, also spelt humbies \[[0-9]+\]", out)


def test_notes_name_the_other_spelling(run_cli: RunCli) -> None:
    out = run_cli("notes", "all of us", "--spoilers").out
    assert "(Hyosan, also spelt Hyozan: 003_477cd0dc64dba67c.txt)" in out


def test_sources_mark_our_own_descriptions(run_cli: RunCli) -> None:
    out = run_cli("sources").out
    assert "003_477cd0dc64dba67c.txt  What is this hit series on Netflix?" in out
    assert "001_f936a5c851b793ab.txt  [A review of All of Us Are Dead" in out
