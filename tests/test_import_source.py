"""Opening an export: files, folders, zips and gz, with nothing unsafe read or extracted."""

from __future__ import annotations

import gzip
import os
import zipfile
from pathlib import Path

import pytest

from tracker_tui.domain.exchange import source as source_module
from tracker_tui.domain.exchange.batch import ImportFormatError
from tracker_tui.domain.exchange.source import iter_lines, open_source


def test_a_folder_lists_files_in_subfolders_and_matches_base_names(tmp_path: Path) -> None:
    (tmp_path / "export" / "deep").mkdir(parents=True)
    (tmp_path / "export" / "deep" / "Watched-History-2.json").write_text("[2]")
    (tmp_path / "export" / "watched-history-1.json").write_text("[1]")
    (tmp_path / "export" / "notes.txt").write_text("x")
    with open_source(tmp_path / "export") as source:
        found = source.find("watched-history*.json")
        assert [member.name for member in found] == [
            "deep/Watched-History-2.json",
            "watched-history-1.json",
        ]
        assert found[1].read_bytes() == b"[1]"
        assert source.first("*.csv") is None


def test_a_folder_never_follows_symlinks_or_opens_fifos(tmp_path: Path) -> None:
    outside = tmp_path / "secret.json"
    outside.write_text("{}")
    export = tmp_path / "export"
    export.mkdir()
    (export / "linked.json").symlink_to(outside)
    os.mkfifo(export / "pipe.json")
    with open_source(export) as source:
        assert source.members == []
        assert len(source.ignored) == 2
        assert all("not a regular file" in line for line in source.ignored)


def test_a_fifo_given_as_the_export_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(ImportFormatError, match="not a regular file"):
        open_source(tmp_path / "pipe")


def test_a_missing_path_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match=r"cannot open .*nowhere\.zip"):
        open_source(tmp_path / "nowhere.zip")


def test_zip_slip_names_are_ignored_and_reported_never_extracted(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("trakt/watched-history.json", "[]")
        zipped.writestr("../../evil.json", "[]")
        zipped.writestr("/etc/evil.json", "[]")
        zipped.writestr("C:/evil.json", "[]")
    before = sorted(path.name for path in tmp_path.rglob("*"))
    with open_source(archive) as source:
        assert [member.name for member in source.members] == ["trakt/watched-history.json"]
        assert len(source.ignored) == 3
        assert all("outside the export" in line for line in source.ignored)
        assert source.members[0].display == f"{archive}:trakt/watched-history.json"
    assert sorted(path.name for path in tmp_path.rglob("*")) == before


def test_a_zip_bomb_is_refused_from_its_headers(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("watched-history.json", b"0" * (8 << 20))
    with pytest.raises(ImportFormatError, match="zip bomb"):
        open_source(archive)


def test_a_member_larger_than_its_cap_stops_while_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Headers can lie: the cap is counted on the bytes that actually come out.
    monkeypatch.setattr(source_module, "MAX_MEMBER_BYTES", 1000)
    path = tmp_path / "history.json"
    path.write_bytes(b"x" * 5000)
    with open_source(path) as source, pytest.raises(ImportFormatError, match="larger than"):
        source.members[0].read_bytes()


def test_a_gz_file_is_one_member_named_without_gz(tmp_path: Path) -> None:
    path = tmp_path / "animelist_123.xml.gz"
    path.write_bytes(gzip.compress(b"<myanimelist/>"))
    with open_source(path) as source:
        assert [member.name for member in source.members] == ["animelist_123.xml"]
        assert source.members[0].read_bytes() == b"<myanimelist/>"


def test_a_damaged_gz_fails_with_the_file_named(tmp_path: Path) -> None:
    path = tmp_path / "list.xml.gz"
    path.write_bytes(gzip.compress(b"<myanimelist>" * 100)[:30])
    with open_source(path) as source, pytest.raises(ImportFormatError, match=r"list\.xml\.gz"):
        source.members[0].read_bytes()


def test_lines_drop_a_bom_and_keep_crlf_for_the_csv_module(tmp_path: Path) -> None:
    path = tmp_path / "seen_episode.csv"
    path.write_bytes(b'\xef\xbb\xbfa,b\r\n"x\r\ny",2\r\n')
    with open_source(path) as source:
        assert list(iter_lines(source.members[0])) == ["a,b\r\n", '"x\r\n', 'y",2\r\n']


def test_the_summary_names_skipped_files_from_the_export_given() -> None:
    from tracker_tui.domain.exchange.importing import report_text

    summary = {
        "format": "trakt",
        "shows_created": [],
        "shows_matched": [],
        "matched_by": {},
        "ambiguous": [],
        "viewings_added": 0,
        "viewings_already_there": 0,
        "ratings": 0,
        "statuses": 0,
        "archived": 0,
        "skipped": [
            {"file": "/dl/export.zip:trakt/history.json", "where": "entry 1", "reason": "r"},
            {"file": "/dl/export.zip", "where": "the whole file", "reason": "r"},
            {"file": "/elsewhere/x.json", "where": "record 2", "reason": "r"},
        ],
        "notes": [],
    }
    text = report_text(summary, Path("/dl/export.zip"), dry_run=True)
    assert "  trakt/history.json, entry 1: r" in text
    assert "  export.zip, the whole file: r" in text
    assert "  /elsewhere/x.json, record 2: r" in text
