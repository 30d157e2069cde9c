"""A show whose episode count is unknown never looks watched through: with a season open
for tracking and no count, the episodes known so far are a lower bound of the total, and
every face says so (`21/21+`, no percent, a bar that is not full)."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest

from tracker_tui.domain.catalog.loader import load_catalog
from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.progress.loading import ProgressFile, default_progress_path
from tracker_tui.domain.progress.records import EpisodeKey, Progress, mark_watched
from tracker_tui.domain.watching import summary
from tracker_tui.domain.watching.episodes import show_progress
from tracker_tui.domain.watching.stats import Completion, compute_stats
from tracker_tui.tui.widgets.shows_pane import show_prompt
from tracker_tui.tui.widgets.stats_sections import completion

from .conftest import FIXED_NOW, RunCli

OPEN = "open-ended"
AOUD = "all-of-us-are-dead"


@pytest.fixture(autouse=True)
def settle_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The files a test writes are fresh; keep a summary of them all the same."""
    monkeypatch.setattr(summary, "SETTLE_SECONDS", 0.0)
    monkeypatch.setattr(summary, "FINE_SETTLE_SECONDS", 0.0)


@pytest.fixture
def open_ended(run_cli: RunCli) -> None:
    """A show of the user's with one season of unknown count and status, its three known
    episodes watched (as an import leaves a show: only what was watched is known)."""
    assert run_cli("add", "Open Ended", "--seasons", "?").code == 0
    assert run_cli("watch", OPEN, "s1e1-3", "--force").code == 0


def show(show_id: str) -> Show:
    found = load_catalog().get(show_id)
    assert found is not None
    return found


def load_progress() -> Progress:
    return ProgressFile(default_progress_path()).load().progress


def shows_json(run_cli: RunCli) -> dict[str, dict[str, object]]:
    return {show["id"]: show["progress"] for show in json.loads(run_cli("shows", "--json").out)}


def row_of(out: str, show_id: str) -> str:
    (row,) = [line for line in out.splitlines() if line.startswith(show_id)]
    return row


def test_a_season_of_unknown_count_open_for_tracking_makes_the_total_a_lower_bound(
    open_ended: None,
) -> None:
    progress = load_progress()
    summary_ = show_progress(show(OPEN), progress)
    assert (summary_.watched, summary_.known, summary_.percent) == (3, 3, 100)
    assert not summary_.total_known
    assert summary_.status.value == "watching"  # S1E4 may air: never "completed"


def test_a_season_not_released_yet_leaves_the_total_known() -> None:
    """All of Us Are Dead S2 is in production with no count: S1's twelve are the whole of
    what can be watched, so "0/12" stays as it is."""
    summary_ = show_progress(show(AOUD), Progress.empty())
    assert (summary_.known, summary_.total_known) == (12, True)


def test_a_season_watched_as_it_airs_makes_the_total_a_lower_bound() -> None:
    """S2 is in production, but the user has marked S2E1 (it aired after the catalog's
    last word): S2 is open for tracking with no count, so the total is not known."""
    progress = mark_watched(Progress.empty(), [EpisodeKey(AOUD, 2, 1)], FIXED_NOW)
    summary_ = show_progress(show(AOUD), progress)
    assert (summary_.watched, summary_.known, summary_.total_known) == (1, 13, False)


def test_shows_table_says_a_lower_bound_without_a_percent(
    run_cli: RunCli, open_ended: None
) -> None:
    out = run_cli("shows").out
    row = row_of(out, OPEN)
    assert " 3/3+ " in row and "%" not in row
    assert " 0/12 0% " in row_of(out, AOUD)  # a known total keeps its percent
    assert "+ at least this many episodes: a season's episode count is unknown" in out


def test_shows_table_has_no_footnote_when_every_total_is_known(run_cli: RunCli) -> None:
    run_cli("watch", "all of us", "s1e1-3")
    out = run_cli("shows").out
    assert " 3/12 25% " in out and "+" not in out


def test_shows_json_keeps_its_ints_and_adds_total_known(run_cli: RunCli, open_ended: None) -> None:
    shows = shows_json(run_cli)
    assert shows[OPEN]["watched"] == 3 and shows[OPEN]["known"] == 3
    assert shows[OPEN]["percent"] == 100  # still an int: scripts read it
    assert shows[OPEN]["total_known"] is False
    assert shows[AOUD]["total_known"] is True


def test_show_text_says_the_total_is_not_known(run_cli: RunCli, open_ended: None) -> None:
    out = run_cli("show", OPEN).out
    (line,) = [line for line in out.splitlines() if line.startswith("Progress:")]
    assert line == ("Progress: watching, 3/3+ watched (episode count unknown), next: S1E4")


def test_show_json_adds_total_known(run_cli: RunCli, open_ended: None) -> None:
    shown = json.loads(run_cli("show", OPEN, "--json").out)["progress"]
    assert (shown["watched"], shown["known"], shown["total_known"]) == (3, 3, False)
    assert json.loads(run_cli("show", AOUD, "--json").out)["progress"]["total_known"] is True


def test_the_kept_summary_says_what_the_worked_out_one_says(
    run_cli: RunCli, open_ended: None, tracker_home: Path
) -> None:
    kept_file = tracker_home / "cache" / summary.SUMMARY_FILE
    kept_file.unlink(missing_ok=True)
    worked_out = run_cli("shows").out, run_cli("shows", "--json").out
    assert kept_file.is_file()
    kept = run_cli("shows").out, run_cli("shows", "--json").out
    assert kept == worked_out
    assert " 3/3+ " in kept[0]


def test_a_summary_of_the_old_format_is_not_believed(
    run_cli: RunCli, open_ended: None, tracker_home: Path
) -> None:
    """A summary kept before `total_known` was a field: its rows are one field short, and
    its key names the old format, so it is worked out again rather than misread."""
    run_cli("shows")
    kept_file = tracker_home / "cache" / summary.SUMMARY_FILE
    head, body = kept_file.read_bytes().split(b"\n", 1)
    header = json.loads(head)
    assert header["key"].startswith(f"[{summary.SUMMARY_FORMAT},")
    assert summary.SUMMARY_FORMAT >= 3
    data = json.loads(body)
    index = summary.ShowSummary._fields.index("total_known")
    data["shows"] = [row[:index] + row[index + 1 :] for row in data["shows"]]
    old_body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    header["body_crc32"] = zlib.crc32(old_body)
    header["key"] = header["key"].replace(f"[{summary.SUMMARY_FORMAT},", "[2,", 1)
    kept_file.write_bytes(json.dumps(header).encode() + b"\n" + old_body)
    assert " 3/3+ " in row_of(run_cli("shows").out, OPEN)


def test_stats_text_prints_no_percent_of_a_lower_bound(run_cli: RunCli, open_ended: None) -> None:
    out = run_cli("stats").out
    assert "  3/3+  Open Ended (some episode counts unknown)\n" in out
    assert "Open Ended (some" in out and "100%" not in out
    completion_json = json.loads(run_cli("stats", "--json").out)["completion"]
    (item,) = [item for item in completion_json if item["show"] == OPEN]
    assert (item["watched"], item["known"], item["percent"]) == (3, 3, 100)
    assert (item["complete_count"], item["total_known"]) == (False, False)


def test_the_shows_list_row_is_not_full(open_ended: None) -> None:
    progress = load_progress()
    bar_line = show_prompt(show(OPEN), progress).plain.splitlines()[1]
    assert bar_line.endswith(" 3/3+")
    assert "░" not in bar_line and "┄" in bar_line  # open-ended, not full and not empty
    known = show_prompt(show(AOUD), progress).plain.splitlines()[1]
    assert known == "░" * 10 + " 0/12"


def test_the_stats_screen_prints_no_percent_of_a_lower_bound(open_ended: None) -> None:
    stats = compute_stats(load_catalog().shows, load_progress(), FIXED_NOW)
    (item,) = [item for item in stats.completion if item.show == OPEN]
    assert item == Completion(OPEN, "Open Ended", 3, 3, False, total_known=False)
    (line,) = [line for line in completion(stats).plain.splitlines() if "Open Ended" in line]
    assert "%" not in line and " 3/3+ " in line and "┄" in line


def test_a_show_not_in_the_catalog_has_no_known_total() -> None:
    """Progress for a show the catalog lacks: `known` is null, and its total unknown."""
    progress = mark_watched(Progress.empty(), [EpisodeKey("gone", 1, 1)], FIXED_NOW)
    (item,) = compute_stats(load_catalog().shows, progress, FIXED_NOW).completion
    assert (item.known, item.complete_count, item.total_known) == (None, False, False)
