"""`tracker import --from FORMAT` and `tracker export --format`, with stub reader and writer
modules standing in for the real ones."""

from __future__ import annotations

import io
import json
import sys
import types
from collections.abc import Mapping
from pathlib import Path

import pytest

from tracker_tui.cli.exchange_commands import ProgressBar
from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.exchange.batch import ImportBatch, ImportFormatError
from tracker_tui.domain.exchange.export_result import ExportResult
from tracker_tui.domain.exchange.source import ImportSource
from tracker_tui.domain.progress.records import Progress

from .conftest import RunCli
from .import_helpers import snapshot, watch

STUB = "tracker_tui.domain.exchange.yamtrack_reader"


def stub_read(source: ImportSource) -> ImportBatch:
    if source.first("*.bad") is not None:
        raise ImportFormatError(f"{source.path}: not a Yamtrack CSV")
    batch = ImportBatch("yamtrack", notes=["times without a zone were taken as UTC"])
    batch.show("yamtrack:1", "All of Us Are Dead", 2022)
    watch(batch, "yamtrack:1", 1, 1)
    batch.show("yamtrack:2", "Brand New", 2021)
    watch(batch, "yamtrack:2", 1, 1)
    watch(batch, "yamtrack:2", 1, 2, None)
    for number in range(25):
        batch.skip("export.csv", f"line {number + 2}", "no episode number")
    return batch


@pytest.fixture(autouse=True)
def stub_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType(STUB)
    module.read = stub_read  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, STUB, module)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    path.write_text("media_id,title\n", encoding="utf-8")
    return path


def test_import_creates_matches_and_reports(
    run_cli: RunCli, export: Path, tracker_home: Path
) -> None:
    result = run_cli("import", str(export), "--from", "yamtrack")
    assert result.code == 0, result.err
    assert "Shows: 1 created, 1 matched (1 by title), 0 ambiguous" in result.out
    assert "Viewings: 3 added, 0 already there" in result.out
    assert "Skipped 25 records:" in result.out
    assert "  and 5 more (--json lists all)" in result.out
    assert "Note: times without a zone were taken as UTC" in result.out
    assert (tracker_home / "shows" / "brand-new.toml").exists()
    assert "Nothing changed" not in result.out
    repeat = run_cli("import", str(export), "--from", "yamtrack")
    assert "Nothing changed: all of it was already there." in repeat.out
    again = run_cli("import", str(export), "--from", "yamtrack", "--json")
    summary = json.loads(again.out)
    assert (summary["viewings_added"], summary["viewings_already_there"]) == (0, 3)
    assert summary["shows_created"] == []
    assert len(summary["skipped"]) == 25
    assert summary["dry_run"] is False
    shows = json.loads(run_cli("shows", "--json").out)
    assert "brand-new" in [show["id"] for show in shows]


def test_a_dry_run_writes_nothing_at_all(run_cli: RunCli, export: Path, tracker_home: Path) -> None:
    before = snapshot(tracker_home)
    result = run_cli("import", str(export), "--from", "yamtrack", "--dry-run")
    assert result.code == 0, result.err
    assert "Would import yamtrack export" in result.out
    assert "Dry run: nothing was written." in result.out
    assert snapshot(tracker_home) == before
    assert sorted(p.name for p in tracker_home.iterdir()) == sorted(before)


def test_an_unusable_export_fails_naming_the_file(run_cli: RunCli, tmp_path: Path) -> None:
    folder = tmp_path / "dump"
    folder.mkdir()
    (folder / "x.bad").write_text("?", encoding="utf-8")
    result = run_cli("import", str(folder), "--from", "yamtrack")
    assert result.code == 1
    assert f"{folder}: not a Yamtrack CSV" in result.err
    missing = run_cli("import", str(tmp_path / "nope.csv"), "--from", "yamtrack")
    assert missing.code == 1
    assert "nope.csv" in missing.err


def test_usage_errors(run_cli: RunCli, export: Path) -> None:
    assert run_cli("import", str(export), "--from", "nothing").code == 2
    assert run_cli("import", str(export), "--from", "yamtrack", "--replace").code == 2
    assert run_cli("import", str(export), "--dry-run").code == 2  # --from tracker


def test_the_progress_bar_shows_only_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    pipe = io.StringIO()
    bar = ProgressBar("importing", pipe)
    bar.stage("reading export.zip")
    bar(1, 2)
    bar.clear()
    assert pipe.getvalue() == ""
    terminal = Terminal()
    bar = ProgressBar("importing", terminal)
    bar.stage("reading export.zip")  # no length known: its name alone
    assert terminal.getvalue() == "\rreading export.zip…"
    bar(1, 2)
    assert terminal.getvalue().endswith(
        "\r" + " " * 19 + "\r\r[" + "#" * 15 + "." * 15 + "]  50% importing"
    )
    bar.clear()
    assert terminal.getvalue().endswith("\r")


def test_no_progress_bar_on_a_pipe(run_cli: RunCli, export: Path) -> None:
    result = run_cli("import", str(export), "--from", "yamtrack")
    assert "\r" not in result.err


WRITER = "tracker_tui.domain.exchange.csv_writer"


def stub_write(shows: Mapping[str, Show], progress: Progress) -> ExportResult:
    rows = "".join(f"{key.show},{key.season},{key.episode}\n" for key in progress.watched_keys())
    return ExportResult(
        ("show,season,episode\n" + rows).encode(),
        f"{len(rows.splitlines())} viewings",
        ["ratings of seasons"],
    )


def test_export_in_another_format(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    module = types.ModuleType(WRITER)
    module.write = stub_write  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, WRITER, module)
    assert run_cli("watch", "all of us", "s1e1").code == 0
    out = run_cli("export", "--format", "csv")
    assert out.code == 0, out.err
    assert out.out == "show,season,episode\nall-of-us-are-dead,1,1\n"
    assert "Exported 1 viewings (csv)" in out.err
    assert "left out: ratings of seasons" in out.err
    target = tmp_path / "out.csv"
    to_file = run_cli("export", str(target), "--format", "csv")
    assert to_file.code == 0
    assert target.read_text(encoding="utf-8") == out.out
    assert f"Exported 1 viewings to {target} (csv)" in to_file.out


def test_import_and_export_keep_textual_and_a_warm_pydantic_away(
    tracker_home: Path, tmp_path: Path
) -> None:
    from .test_cli_imports import run_probe

    progress_file = tmp_path / "mine.json"
    progress_file.write_text('{"version": 2, "shows": {}}\n', encoding="utf-8")
    assert run_probe(["shows"], tracker_home).returncode == 0  # fills the catalog cache
    for args in (["import", str(progress_file)], ["export", "--format", "tracker"]):
        result = run_probe(args, tracker_home)
        assert result.returncode == 0, result.stderr
        assert "TEXTUAL:\n" in result.stderr, result.stderr
        assert "PYDANTIC:\n" in result.stderr, result.stderr
