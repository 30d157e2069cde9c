"""The commands for a user's own marks: status, rate, archive, viewings, watch --again, and
history of every viewing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from tracker_tui.domain import clock

from .conftest import RunCli

AOUAD = "all-of-us-are-dead"


def shows_json(run_cli: RunCli, *args: str) -> dict[str, Any]:
    result = run_cli("shows", "--json", *args)
    assert result.code == 0, result.err
    return {show["id"]: show for show in json.loads(result.out)}


def test_status_is_derived_until_set_by_hand_and_back(tracker_home: Path, run_cli: RunCli) -> None:
    assert run_cli("status", "all of us").out == (
        "All of Us Are Dead: plan to watch (automatic, from your progress)\n"
    )
    run_cli("watch", "all of us", "s1e1")
    assert "watching (automatic" in run_cli("status", "all of us").out
    result = run_cli("status", "all of us", "on-hold")
    assert result.code == 0, result.err
    assert result.out == "All of Us Are Dead: on hold (set by you)\n"
    progress = shows_json(run_cli)[AOUAD]["progress"]
    assert (progress["list_status"], progress["list_status_set_by_you"]) == ("on-hold", True)
    # Watching more does not override the hand-set status...
    run_cli("watch", "all of us", "s1e2")
    assert "on hold (set by you)" in run_cli("status", "all of us").out
    # ...until it is set back to automatic.
    assert "watching (automatic" in run_cli("status", "all of us", "auto").out


def test_shows_filters_by_status(tracker_home: Path, run_cli: RunCli) -> None:
    run_cli("status", "kaiju", "dropped")
    assert list(shows_json(run_cli, "--status", "dropped")) == ["kaiju-girl-caramelise"]
    assert list(shows_json(run_cli, "--status", "plan to watch")) == [AOUAD]
    empty = run_cli("shows", "--status", "on-hold")
    assert empty.code == 0
    assert "No shows with status on-hold" in empty.out
    text = run_cli("shows").out
    assert "dropped*" in text
    assert "* status set by you" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("status", "all of us", "paused"), "'paused' is not a status; use one of: watching"),
        (("shows", "--status", "finished"), "'finished' is not a status; use one of: watching"),
    ],
)
def test_an_unknown_status_lists_the_valid_ones(
    tracker_home: Path, run_cli: RunCli, args: tuple[str, ...], message: str
) -> None:
    result = run_cli(*args)
    assert result.code == 2
    assert message in result.err
    assert "plan-to-watch" in result.err
    assert not (tracker_home / "progress.json").exists()


def test_rate_show_season_and_episode_then_clear(tracker_home: Path, run_cli: RunCli) -> None:
    assert run_cli("rate", "all of us", "8").out == "Rated All of Us Are Dead: 8/10\n"
    assert run_cli("rate", "all of us", "s1", "9").code == 0
    assert run_cli("rate", "all of us", "s1e3", "10").code == 0
    shown = json.loads(run_cli("show", "all of us", "--json").out)
    assert shown["progress"]["rating"] == 8
    season = shown["seasons"][0]
    assert season["rating"] == 9
    assert [e["rating"] for e in season["episodes"][:4]] == [None, None, 10, None]
    text = run_cli("show", "all of us").out
    assert "rated 8/10" in text
    assert "your ratings: season 9/10, E3 10/10" in text
    assert "8/10" in run_cli("shows").out
    assert run_cli("rate", "all of us", "s1e3", "--clear").out == (
        "Cleared the rating of All of Us Are Dead S1E3\n"
    )
    assert (
        json.loads(run_cli("show", "all of us", "--json").out)["seasons"][0]["episodes"][2][
            "rating"
        ]
        is None
    )
    assert "has no rating: nothing to clear" in run_cli("rate", "all of us", "s1e3", "--clear").out


@pytest.mark.parametrize("rating", ["0", "11", "-1", "8.5", "ten", "٨"])
def test_a_rating_outside_1_to_10_is_refused(
    tracker_home: Path, run_cli: RunCli, rating: str
) -> None:
    result = run_cli("rate", "all of us", "--", rating)
    assert result.code == 2
    assert "a rating is a whole number from 1 to 10" in result.err
    assert not (tracker_home / "progress.json").exists()


@pytest.mark.parametrize("target", ["s1e1-3", "next", "s9"])
def test_rate_needs_one_season_or_episode_that_exists(
    tracker_home: Path, run_cli: RunCli, target: str
) -> None:
    result = run_cli("rate", "all of us", target, "7")
    assert result.code == 2
    assert result.err.startswith("tracker: ")
    assert not (tracker_home / "progress.json").exists()


def test_archive_hides_a_show_until_brought_back(tracker_home: Path, run_cli: RunCli) -> None:
    run_cli("watch", "kaiju", "s1e1", "--force")
    assert run_cli("archive", "kaiju").code == 0
    assert list(shows_json(run_cli)) == [AOUAD]
    text = run_cli("shows").out
    assert "1 archived show not listed: `tracker shows --status archived` lists them" in text
    assert list(shows_json(run_cli, "--status", "archived")) == ["kaiju-girl-caramelise"]
    assert "already archived" in run_cli("archive", "kaiju").out
    # Progress is kept while archived.
    assert "S1E1" in run_cli("history").out
    assert run_cli("archive", "kaiju", "--undo").code == 0
    assert list(shows_json(run_cli)) == [AOUAD, "kaiju-girl-caramelise"]


def test_all_archived_says_how_to_add_a_show(tracker_home: Path, run_cli: RunCli) -> None:
    run_cli("archive", "all of us")
    run_cli("archive", "kaiju")
    result = run_cli("shows")
    assert "No shows in your lists: add one with `tracker add TITLE`." in result.out
    assert "2 archived shows not listed" in result.out


def test_watch_again_logs_a_viewing_and_plain_watch_does_not(
    tracker_home: Path, run_cli: RunCli
) -> None:
    run_cli("watch", "all of us", "s1e1")
    repeat = run_cli("watch", "all of us", "s1e1")
    assert repeat.code == 0
    assert "Already watched: All of Us Are Dead S1E1 (--again logs another viewing)" in repeat.out
    again = run_cli("watch", "all of us", "s1e1", "--again")
    assert "S1E1 rewatched: seen 2 times" in again.out
    viewings = json.loads(run_cli("viewings", "all of us", "s1e1", "--json").out)
    assert len(viewings) == 2
    assert len({viewing["id"] for viewing in viewings}) == 2
    listed = run_cli("viewings", "all of us", "s1e1").out
    assert "seen 2 times" in listed
    assert all(viewing["id"] in listed for viewing in viewings)


def test_one_viewing_can_be_removed(tracker_home: Path, run_cli: RunCli) -> None:
    run_cli("watch", "all of us", "s1e1")
    run_cli("watch", "all of us", "s1e1", "--again")
    first, second = json.loads(run_cli("viewings", "all of us", "s1e1", "--json").out)
    result = run_cli("viewings", "all of us", "s1e1", "--remove", second["id"][:6])
    assert result.code == 0, result.err
    assert "1 left" in result.out
    left = json.loads(run_cli("viewings", "all of us", "s1e1", "--json").out)
    assert [viewing["id"] for viewing in left] == [first["id"]]
    unknown = run_cli("viewings", "all of us", "s1e1", "--remove", "zzzz")
    assert unknown.code == 2
    assert first["id"] in unknown.err


def test_history_lists_every_viewing_newest_first(
    tracker_home: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = dt.datetime(2026, 11, 1, 20, 0, tzinfo=dt.UTC)
    for hours, args in enumerate([("s1e1",), ("s1e2",), ("s1e1", "--again"), ("s1e1", "--again")]):
        monkeypatch.setattr(clock, "now", lambda hours=hours: start + dt.timedelta(hours=hours))
        run_cli("watch", "all of us", *args)
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(hours=9))
    run_cli("unwatch", "all of us", "s1e2")
    rows = json.loads(run_cli("history", "--json").out)
    assert [(row["code"], row["event"], row["at"][11:16]) for row in rows] == [
        ("S1E2", "unwatched", "05:00"),
        ("S1E1", "watched", "23:00"),
        ("S1E1", "watched", "22:00"),
        ("S1E1", "watched", "20:00"),
    ]
    assert all(row["time_known"] for row in rows)
