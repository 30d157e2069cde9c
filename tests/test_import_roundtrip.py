"""Every format end to end through `tracker import` and `tracker export`, with the real
readers and writers: each fixture imports, a repeat changes nothing, a dry run writes
nothing, and each export reads back into an empty data folder as the same progress, as
far as its format carries it."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from .conftest import REPO, RunCli
from .import_helpers import snapshot

FIXTURES = REPO / "tests" / "fixtures" / "exchange"
EXPORTS = {
    "trakt": FIXTURES / "trakt" / "jane-trakt-export",
    "tvtime": FIXTURES / "tvtime" / "export",
    "simkl": FIXTURES / "simkl" / "simkl-backup.json",
    "mal": FIXTURES / "mal" / "animelist.xml",
    "yamtrack": FIXTURES / "yamtrack" / "yamtrack.csv",
    "csv": FIXTURES / "csv" / "tracker.csv",
}

Viewings = Counter[tuple[str, int, int, str | None]]
"""(show title, season, episode, watched_at or None) -> how many viewings."""


def use_home(monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("TRACKER_HOME", str(home))
    return home


def viewings(run_cli: RunCli) -> Viewings:
    """Every viewing in the current data folder, by show title rather than id."""
    history = json.loads(run_cli("history", "--json").out)
    counted: Viewings = Counter()
    for entry in history:
        if entry["event"] == "watched":
            at = entry["at"] if entry["time_known"] else None
            counted[(entry["title"], entry["season"], entry["episode"], at)] += 1
    return counted


@pytest.mark.parametrize("fmt", sorted(EXPORTS))
def test_each_fixture_imports_and_a_repeat_changes_nothing(
    fmt: str, run_cli: RunCli, tracker_home: Path
) -> None:
    dry = run_cli("import", str(EXPORTS[fmt]), "--from", "auto", "--dry-run", "--json")
    assert dry.code == 0, dry.err
    assert snapshot(tracker_home) == {}, "a dry run writes nothing"
    planned = json.loads(dry.out)
    assert planned["format"] == fmt
    first = run_cli("import", str(EXPORTS[fmt]), "--from", fmt, "--json")
    assert first.code == 0, first.err
    done = json.loads(first.out)
    assert done["viewings_added"] == planned["viewings_added"] > 0
    assert len(done["shows_created"]) == len(planned["shows_created"]) > 0
    assert done["skipped"], "every fixture holds bad records, each skipped with a reason"
    assert all(item["reason"] and item["where"] for item in done["skipped"])
    before = snapshot(tracker_home)
    again = run_cli("import", str(EXPORTS[fmt]), "--from", fmt, "--json")
    assert again.code == 0, again.err
    repeat = json.loads(again.out)
    assert repeat["shows_created"] == [] and repeat["viewings_added"] == 0
    assert repeat["ratings"] == repeat["statuses"] == repeat["archived"] == 0
    assert snapshot(tracker_home) == before


def test_a_format_that_does_not_fit_is_refused_with_the_right_one(run_cli: RunCli) -> None:
    result = run_cli("import", str(EXPORTS["tvtime"]), "--from", "trakt")
    assert result.code == 1
    assert "use --from tvtime" in result.err


@pytest.fixture
def library(run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Viewings:
    """A data folder with series and anime, dated and undated viewings, rewatches and
    ratings: the Trakt and MyAnimeList fixtures imported, plus a few marks by hand."""
    use_home(monkeypatch, tmp_path / "library")
    for fmt in ("trakt", "mal"):
        assert run_cli("import", str(EXPORTS[fmt]), "--from", fmt).code == 0
    assert run_cli("watch", "all of us", "s1e4").code == 0
    assert run_cli("rate", "all of us", "s1e4", "8").code == 0
    return viewings(run_cli)


def export_and_reimport(
    run_cli: RunCli, fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Viewings, str]:
    out = tmp_path / f"export.{fmt}"
    exported = run_cli("export", str(out), "--format", fmt)
    assert exported.code == 0, exported.err
    use_home(monkeypatch, tmp_path / f"fresh-{fmt}")
    imported = run_cli("import", str(out), "--from", fmt)
    assert imported.code == 0, imported.err
    return viewings(run_cli), imported.out


def test_tracker_format_round_trips_everything(
    library: Viewings, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A progress file carries everything but the user's show files themselves.
    out = tmp_path / "progress-export.json"
    assert run_cli("export", str(out)).code == 0
    shows = tmp_path / "library" / "shows"
    use_home(monkeypatch, tmp_path / "fresh")
    (tmp_path / "fresh" / "shows").mkdir()
    for path in shows.iterdir():
        (tmp_path / "fresh" / "shows" / path.name).write_bytes(path.read_bytes())
    assert run_cli("import", str(out)).code == 0
    assert viewings(run_cli) == library


def test_csv_round_trips_every_viewing_and_episode_rating(
    library: Viewings, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    back, _ = export_and_reimport(run_cli, "csv", tmp_path, monkeypatch)
    assert back == library
    rated = json.loads(run_cli("show", "all of us", "--json").out)
    episode = rated["seasons"][0]["episodes"][3]
    assert episode["rating"] == 8


def test_trakt_round_trips_every_dated_viewing(
    library: Viewings, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    back, _ = export_and_reimport(run_cli, "trakt", tmp_path, monkeypatch)
    dated = Counter({key: count for key, count in library.items() if key[3] is not None})
    assert back == dated


def test_mal_round_trips_the_anime_as_counted_episodes(
    library: Viewings, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    anime = json.loads(run_cli("shows", "--json").out)
    anime_titles = {show["title"] for show in anime if show["kind"] == "anime"}
    back, _ = export_and_reimport(run_cli, "mal", tmp_path, monkeypatch)
    # MAL keeps which episodes of season 1 were watched, not when, and full rewatches.
    episodes_before = {
        (title, season, episode)
        for title, season, episode, _ in library
        if title in anime_titles and season == 1
    }
    assert {(title, season, episode) for title, season, episode, _ in back} == episodes_before
    assert all(watched_at is None for *_, watched_at in back)


def test_dates_survive_in_utc(library: Viewings) -> None:
    for *_, watched_at in library:
        if watched_at is not None:
            assert dt.datetime.fromisoformat(watched_at.replace("Z", "+00:00")).tzinfo
