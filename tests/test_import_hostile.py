"""Damaged and hostile exports the readers' record checks do not meet: each stops with the
file named and nothing written, never a traceback (found in review by fuzzing)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import REPO, RunCli
from .import_helpers import snapshot

BAD = REPO / "tests" / "fixtures" / "exchange" / "bad"


def history_entry(watched_at: str) -> dict[str, object]:
    return {
        "id": 1,
        "watched_at": watched_at,
        "action": "watch",
        "type": "episode",
        "episode": {"season": 1, "number": 1, "title": "Pilot"},
        "show": {"title": "Severance", "year": 2022, "ids": {"trakt": 5}},
    }


def test_a_time_before_the_first_utc_moment_skips_its_record(
    run_cli: RunCli, tmp_path: Path
) -> None:
    export = tmp_path / "watched-history.json"
    entries = [history_entry("0001-01-01T00:00:00+01:00"), history_entry("2024-01-01T20:00Z")]
    entries[1]["id"] = 2
    export.write_text(json.dumps(entries))
    result = run_cli("import", str(export), "--from", "trakt", "--json")
    assert result.code == 0, result.err
    summary = json.loads(result.out)
    assert summary["viewings_added"] == 1
    assert "not a time tracker can keep" in summary["skipped"][0]["reason"]


def write_bad(kind: str, folder: Path) -> tuple[Path, str]:
    """An export as the review made it, and the reason the message must give."""
    if kind == "nested":
        (folder / "watched-history.json").write_text("[" * 100_000)
        return folder, "nests deeper than any export does"
    if kind == "not utf-8":
        entry = json.dumps([history_entry("2024-01-01T20:00Z")]).encode()
        (folder / "watched-history.json").write_bytes(entry.replace(b"Pilot", b"Pi\xfflot"))
        return folder, "not UTF-8 text"
    if kind == "encoding":
        return BAD / "enc.xml", "encoding tracker does not know"
    return BAD / "lz.zip", "compressed member is damaged"


@pytest.mark.parametrize("kind", ["nested", "not utf-8", "encoding", "damaged lzma"])
def test_an_unreadable_export_is_named_and_nothing_is_written(
    kind: str, run_cli: RunCli, tmp_path: Path, tracker_home: Path
) -> None:
    export, reason = write_bad(kind, tmp_path)
    result = run_cli("import", str(export), "--from", "auto")
    assert result.code == 1
    assert str(export) in result.err and reason in result.err
    assert "nothing was imported" in result.err
    assert snapshot(tracker_home) == {}
