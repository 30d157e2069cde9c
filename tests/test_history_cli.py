"""`tracker history --show --since --until`: filtered, in local time for people, UTC in JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tracker_tui.domain import clock

from .conftest import REPO, LocalZone, RunCli

MAL = REPO / "tests" / "fixtures" / "exchange" / "mal" / "animelist.xml"
START = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)


@pytest.fixture
def tokyo(local_zone: LocalZone) -> None:
    """Local time UTC+9: 23:30 UTC on March 1st is 08:30 on March 2nd."""
    local_zone("Asia/Tokyo")


@pytest.fixture
def watched(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    """All of Us S1E1 on March 1st (UTC), S1E2 a day later, Kaiju Girl S1E1 ten days later."""
    for days, args in (
        (0, ("all of us", "s1e1")),
        (1, ("all of us", "s1e2")),
        (10, ("kaiju", "s1e1", "--force")),
    ):
        monkeypatch.setattr(clock, "now", lambda days=days: START + dt.timedelta(days=days))
        assert run_cli("watch", *args).code == 0, run_cli("watch", *args).err
    monkeypatch.setattr(clock, "now", lambda: START + dt.timedelta(days=20))


def codes(run_cli: RunCli, *args: str) -> list[str]:
    rows = json.loads(run_cli("history", "--json", *args).out)
    return [f"{row['show'][:4]} {row['code']}" for row in rows]


def test_show_filter(watched: None, run_cli: RunCli) -> None:
    assert codes(run_cli, "--show", "kaiju") == ["kaij S1E1"]
    assert codes(run_cli) == ["kaij S1E1", "all- S1E2", "all- S1E1"]


def test_since_and_until_are_local_days_inclusive(
    tokyo: None, watched: None, run_cli: RunCli
) -> None:
    # In Tokyo the first viewing is on March 2nd, the second on March 3rd.
    assert codes(run_cli, "--since", "2026-03-02", "--until", "2026-03-02") == ["all- S1E1"]
    assert codes(run_cli, "--since", "2026-03-03") == ["kaij S1E1", "all- S1E2"]
    assert codes(run_cli, "--until", "2026-03-11") == ["all- S1E2", "all- S1E1"]
    assert codes(run_cli, "--until", "2026-03") == ["kaij S1E1", "all- S1E2", "all- S1E1"]
    assert codes(run_cli, "--since", "2026-04") == []
    assert codes(run_cli, "--since", "2026") == ["kaij S1E1", "all- S1E2", "all- S1E1"]


def test_people_read_local_times_and_json_keeps_utc(
    tokyo: None, watched: None, run_cli: RunCli
) -> None:
    text = run_cli("history", "--show", "all of us").out
    assert "2026-03-02 08:30" in text and "2026-03-03 08:30" in text
    assert "Z" not in text
    rows = json.loads(run_cli("history", "--json", "--show", "all of us").out)
    assert rows[-1]["at"] == "2026-03-01T23:30:00.000000Z"


def test_viewings_of_unknown_time_say_so_and_leave_date_filters(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("import", str(MAL), "--from", "mal").code == 0
    text = run_cli("history", "--show", "naruto").out
    assert "time unknown" in text and "1970" not in text
    dated = run_cli("history", "--show", "naruto", "--since", "2020")
    assert dated.code == 0
    assert "No viewings" in dated.out
    assert "3 viewings of unknown time are left out by --since/--until" in dated.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "2026-03-05", "--until", "2026-03-01"), "--since 2026-03-05 is after --until"),
        (("--since", "yesterday"), "--since: 'yesterday' is not a date: use YYYY-MM-DD"),
        (("--until", "2026-02-30"), "--until: '2026-02-30' is not a date"),
        (("--show", "nothing like it"), "nothing like it"),
    ],
)
def test_bad_filters_are_usage_errors(
    watched: None, run_cli: RunCli, args: tuple[str, ...], message: str
) -> None:
    result = run_cli("history", *args)
    assert result.code == 2
    assert message in result.err


def test_no_match_says_so(watched: None, run_cli: RunCli) -> None:
    result = run_cli("history", "--since", "2027-01-01")
    assert result.code == 0
    assert result.out.startswith("No viewings from 2027-01-01")
    assert json.loads(run_cli("history", "--json", "--since", "2027").out) == []


def test_history_writes_nothing(watched: None, run_cli: RunCli, tracker_home: Path) -> None:
    before = sorted((p.name, p.stat().st_mtime_ns) for p in tracker_home.rglob("*"))
    run_cli("history", "--since", "2026-03-01", "--show", "all of us")
    assert sorted((p.name, p.stat().st_mtime_ns) for p in tracker_home.rglob("*")) == before
