"""The progress commands: watch, unwatch, next, history, export, import; progress in views."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tracker_tui.domain import clock
from tracker_tui.domain.progress.format import from_json, read_progress
from tracker_tui.domain.progress.records import EpisodeKey, Progress

from .conftest import RunCli

AOUAD = "all-of-us-are-dead"


def progress_from_disk(home: Path) -> Progress:
    return read_progress((home / "progress.json").read_bytes())


def progress_on_disk(home: Path) -> dict[str, Any]:
    progress: dict[str, Any] = json.loads((home / "progress.json").read_text())
    return progress


def test_watch_writes_the_progress_file(
    tracker_home: Path, run_cli: RunCli, fixed_clock: dt.datetime
) -> None:
    result = run_cli("watch", "all of us", "s1e1-3", "s1e5")
    assert result.code == 0, result.err
    data = progress_on_disk(tracker_home)
    assert data["version"] == 2
    season = data["shows"]["all-of-us-are-dead"]["seasons"]["1"]["episodes"]
    assert sorted(season, key=int) == ["1", "2", "3", "5"]
    [viewing] = season["1"]["viewings"]
    assert re.fullmatch("[0-9a-f]{16}", viewing.pop("id"))
    assert season["1"] == {"viewings": [viewing]}
    assert viewing == {
        "watched_at": "2026-11-21T12:00:00.000000Z",
        "logged_at": "2026-11-21T12:00:00.000000Z",
    }


def test_watch_again_counts_a_rewatch(tracker_home: Path, run_cli: RunCli) -> None:
    run_cli("watch", "all of us", "s1e1")
    result = run_cli("watch", "all of us", "s1e1", "--again")
    assert "S1E1 rewatched: seen 2 times" in result.out
    show = progress_on_disk(tracker_home)["shows"]["all-of-us-are-dead"]
    assert len(show["seasons"]["1"]["episodes"]["1"]["viewings"]) == 2  # each one kept


def test_whole_season_and_next(tracker_home: Path, run_cli: RunCli) -> None:
    run_cli("watch", "all of us", "s1")
    progress = from_json(progress_on_disk(tracker_home))
    assert all(progress.is_watched(EpisodeKey("all-of-us-are-dead", 1, n)) for n in range(1, 13))
    shows = {s["id"]: s for s in json.loads(run_cli("shows", "--json").out)}
    assert shows["all-of-us-are-dead"]["progress"] == {
        "watched": 12,
        "known": 12,
        "percent": 100,
        "total_known": True,
        "status": "up to date",
        "next": None,
        "list_status": "watching",
        "list_status_set_by_you": False,
        "rating": None,
        "archived": False,
    }


def test_next_lists_shows_with_progress(run_cli: RunCli) -> None:
    assert json.loads(run_cli("next", "--json").out) == []
    run_cli("watch", "all of us", "s1e1-3")
    run_cli("watch", "kaiju", "s1e1", "--force")  # its season is not released yet
    assert json.loads(run_cli("next", "--json").out) == [
        {
            "show": "all-of-us-are-dead",
            "title": "All of Us Are Dead",
            "season": 1,
            "episode": 4,
            "code": "S1E4",
        },
        {
            "show": "kaiju-girl-caramelise",
            "title": "Kaiju Girl Caramelise",
            "season": 1,
            "episode": 2,
            "code": "S1E2",
        },
    ]
    run_cli("watch", "all of us", "next")
    assert json.loads(run_cli("next", "--json").out)[0]["code"] == "S1E5"


def test_unknown_count_season_can_be_tracked_as_it_airs(run_cli: RunCli) -> None:
    assert run_cli("watch", "kaiju", "s1e1", "--force").code == 0  # scheduled, not released
    assert run_cli("watch", "kaiju", "s1e2").code == 0  # the next one needs no --force
    show = json.loads(run_cli("show", "kaiju", "--json").out)
    episodes = show["seasons"][0]["episodes"]
    assert [(e["number"], e["watched"]) for e in episodes] == [(1, True), (2, True)]
    assert show["progress"]["status"] == "watching"


def test_unwatch_keeps_a_dated_unmark(
    tracker_home: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_cli("watch", "all of us", "s1e1-2")
    later = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert "Unwatched All of Us Are Dead S1E2" in run_cli("unwatch", "all of us", "s1e2").out
    show = progress_on_disk(tracker_home)["shows"]["all-of-us-are-dead"]
    record = show["seasons"]["1"]["episodes"]["2"]
    # The unmark keeps the viewing it took away, for history and undo, and its own time.
    assert [v["watched_at"] for v in record["viewings"]] == ["2026-11-21T12:00:00.000000Z"]
    assert record["cleared_at"] == "2026-11-22T00:00:00.000000Z"
    assert "Nothing to unwatch" in run_cli("unwatch", "all of us", "s1e2").out


def test_show_json_episode_progress(run_cli: RunCli) -> None:
    run_cli("watch", "all of us", "s1e4")
    season = json.loads(run_cli("show", "all of us", "--json").out)["seasons"][0]
    assert season["episodes"][3] == {
        "number": 4,
        "watched": True,
        "watched_at": "2026-11-21T12:00:00.000000Z",
        "watch_count": 1,
        "rating": None,
    }
    assert season["episodes"][4]["watched"] is False


def test_history_is_newest_first(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    for day, spec in ((1, "s1e1"), (2, "s1e2"), (3, "s1e3")):
        stamp = dt.datetime(2026, 11, day, tzinfo=dt.UTC)
        monkeypatch.setattr(clock, "now", lambda stamp=stamp: stamp)
        run_cli("watch", "all of us", spec)
    events = json.loads(run_cli("history", "--json").out)
    assert [e["code"] for e in events] == ["S1E3", "S1E2", "S1E1"]
    assert events[0]["event"] == "watched" and events[0]["at"].startswith("2026-11-03")


@pytest.mark.parametrize("spec", ["s0e1", "s1e5-2", "e3", "s1e0", "x"])
def test_malformed_spec_is_a_usage_error_with_a_hint(spec: str, run_cli: RunCli) -> None:
    result = run_cli("watch", "all of us", spec)
    assert result.code == 2
    assert "s1e3" in result.err and "Traceback" not in result.err


def test_episode_beyond_a_known_count_is_an_error(run_cli: RunCli) -> None:
    result = run_cli("watch", "all of us", "s1e13")
    assert result.code == 2
    assert "has 12 episodes" in result.err


def test_unknown_show_is_a_usage_error(run_cli: RunCli) -> None:
    assert run_cli("watch", "nope", "s1e1").code == 2


def test_notes_hide_spoilers_until_watched(run_cli: RunCli) -> None:
    before = run_cli("notes", "all of us")
    assert "hidden: spoilers, and nothing watched yet" in before.out
    assert "Episode 5 has a rooftop showdown" not in before.out
    run_cli("watch", "all of us", "s1e1-5")
    after = run_cli("notes", "all of us")
    assert "Episode 5 has a rooftop showdown" in after.out
    assert "hidden: spoilers past S1E5" in after.out
    everything = json.loads(run_cli("notes", "all of us", "--spoilers", "--json").out)
    assert any(note["id"] == "ending" for note in everything)


def test_export_and_import_merge(tracker_home: Path, tmp_path: Path, run_cli: RunCli) -> None:
    run_cli("watch", "all of us", "s1e1")
    exported = run_cli("export")
    assert from_json(json.loads(exported.out)).is_watched(EpisodeKey("all-of-us-are-dead", 1, 1))
    other = tmp_path / "other.json"
    other.write_text(exported.out.replace('"1": {"viewings"', '"7": {"viewings"'))
    assert run_cli("import", str(other)).code == 0
    progress = from_json(progress_on_disk(tracker_home))
    assert progress.is_watched(EpisodeKey("all-of-us-are-dead", 1, 1))
    assert progress.is_watched(EpisodeKey("all-of-us-are-dead", 1, 7))


def test_export_to_a_file(tracker_home: Path, tmp_path: Path, run_cli: RunCli) -> None:
    run_cli("watch", "kaiju", "s1e1", "--force")
    target = tmp_path / "backup.json"
    assert run_cli("export", str(target)).code == 0
    assert target.read_text() == (tracker_home / "progress.json").read_text()


def test_import_rejects_a_bad_file_and_changes_nothing(
    tracker_home: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    run_cli("watch", "all of us", "s1e1")
    before = (tracker_home / "progress.json").read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1, "shows": {"x": {"1": {"2": {"watched": "yes"}}}}}')
    result = run_cli("import", str(bad))
    assert result.code == 1
    assert "shows.x.1.2.watched: expected true or false" in result.err
    assert (tracker_home / "progress.json").read_bytes() == before


def test_progress_file_option(tmp_path: Path, tracker_home: Path, run_cli: RunCli) -> None:
    elsewhere = tmp_path / "elsewhere" / "p.json"
    assert run_cli("watch", "all of us", "s1e1", "--progress-file", str(elsewhere)).code == 0
    assert elsewhere.is_file()
    assert not (tracker_home / "progress.json").exists()
    shows = json.loads(run_cli("--progress-file", str(elsewhere), "shows", "--json").out)
    assert shows[0]["progress"]["watched"] == 1


def test_other_shows_progress_is_not_an_orphan(run_cli: RunCli) -> None:
    assert run_cli("watch", "kaiju", "s1e1-2", "--force").code == 0
    show = json.loads(run_cli("show", "all of us", "--json").out)
    assert show["orphaned_progress"] == []
    assert "Orphaned" not in run_cli("show", "all of us").out
