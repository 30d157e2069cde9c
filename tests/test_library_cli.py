"""`tracker add`, `edit` and `remove`: the user's own shows and facts from the command line."""

from __future__ import annotations

import io
import json
import shlex
import sys
from pathlib import Path

import pytest

from tracker_tui.domain.catalog.loader import load_catalog

from .conftest import REPO, RunCli


def fake_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    """$VISUAL: a Python script that edits the file named by its argument with `body`,
    where `text` is the file's text and `path` its Path."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys\nfrom pathlib import Path\npath = Path(sys.argv[1])\n"
        "text = path.read_text()\n" + body + "\n"
    )
    monkeypatch.setenv("VISUAL", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")


def answer(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def test_add_prints_the_id_and_file(run_cli: RunCli, tracker_home: Path) -> None:
    result = run_cli("add", "The Bear", "--seasons", "8,10,?", "--year", "2022")
    assert result.code == 0, result.err
    path = tracker_home / "shows" / "the-bear.toml"
    assert "the-bear" in result.out and str(path) in result.out
    shown = json.loads(run_cli("show", "the-bear", "--json").out)
    assert shown["year"] == 2022
    assert [season["episode_count"] for season in shown["seasons"]] == [8, 10, None]
    assert {season["status"] for season in shown["seasons"]} == {"unknown"}
    assert shown["yours"] is None
    text = run_cli("show", "the-bear").out
    assert "S3  status unknown · episode count unknown" in text
    assert run_cli("shows").code == 0
    assert run_cli("watch", "the-bear", "s1e1").code == 0
    assert "S1E2" in run_cli("next").out


def test_adding_a_title_twice_gives_two_files(run_cli: RunCli, tracker_home: Path) -> None:
    assert run_cli("add", "Kaiju Girl Caramelise").code == 0
    assert run_cli("add", "Kaiju Girl Caramelise").code == 0
    names = sorted(path.name for path in (tracker_home / "shows").iterdir())
    assert names == ["kaiju-girl-caramelise-2.toml", "kaiju-girl-caramelise-3.toml"]
    assert load_catalog().problems == []


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["  "], "TITLE: give the show's title"),
        (["Bad\x1b[2J"], "terminal control character U+001B"),
        (["Zero\u200bwidth"], "invisible character U+200B"),
        (["X", "--seasons", "0"], "season 1: use 1 to 10,000 episodes"),
        (["X", "--seasons", "10,-1"], "'-1' is not an episode count"),
        (["X", "--seasons", "10,99999"], "season 2: use 1 to 10,000 episodes"),
        (["X", "--seasons", "ten"], "'ten' is not an episode count"),
        (["X", "--year", "٢٠٢٦"], "is not a year"),
        (["X", "--year", "99"], "--year: use a year from 1000 to 2200"),
        (["X", "--kind", "film"], "invalid choice"),
    ],
)
def test_add_refuses_bad_input(
    run_cli: RunCli, tracker_home: Path, args: list[str], said: str
) -> None:
    result = run_cli("add", *args)
    assert result.code == 2
    assert said in result.err
    assert "Traceback" not in result.err
    assert not (tracker_home / "shows").exists()


def test_edit_with_flags_reports_orphaned_progress(run_cli: RunCli, tracker_home: Path) -> None:
    run_cli("add", "Mine", "--seasons", "10,10")
    assert run_cli("watch", "mine", "s2e1-10").code == 0
    result = run_cli("edit", "mine", "--episodes", "S2=8", "--title", "Mine Too")
    assert result.code == 0, result.err
    assert "S2E9, mine S2E10" in result.out and "orphaned, not deleted" in result.out
    shown = json.loads(run_cli("show", "mine", "--json").out)
    assert shown["title"] == "Mine Too"
    assert shown["orphaned_progress"] == ["S2E9", "S2E10"]
    assert run_cli("edit", "mine", "--episodes", "S3=?").code == 0
    assert len(json.loads(run_cli("show", "mine", "--json").out)["seasons"]) == 3


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--episodes", "S2=0"], "season 2: use 1 to 10,000 episodes"),
        (["--episodes", "S1=3", "--episodes", "S1=4"], "names season 1 twice"),
        (["--episodes", "2=12"], "S2=12"),
        (["--title", ""], "--title: give the show's title"),
    ],
)
def test_edit_refuses_bad_flags(run_cli: RunCli, args: list[str], said: str) -> None:
    run_cli("add", "Mine", "--seasons", "10,10")
    result = run_cli("edit", "mine", *args)
    assert result.code == 2
    assert said in result.err


def test_your_facts_for_a_bundled_show_are_shown_apart(run_cli: RunCli, tracker_home: Path) -> None:
    bundled = REPO / "data" / "shows"
    before = {path.name: path.read_bytes() for path in bundled.iterdir()}
    result = run_cli("edit", "kaiju", "--episodes", "S1=12")
    assert result.code == 0, result.err
    assert (tracker_home / "yours" / "kaiju-girl-caramelise.toml").is_file()
    assert {path.name: path.read_bytes() for path in bundled.iterdir()} == before
    text = run_cli("show", "kaiju").out
    assert "episode count unknown · 12 episodes (your note)" in text
    shown = json.loads(run_cli("show", "kaiju", "--json").out)
    season = shown["seasons"][0]
    assert season["episode_count"] is None
    assert season["tracked_episode_count"] == 12
    assert shown["yours"] == {
        "year": None,
        "seasons": [{"number": 1, "episode_count": 12, "episodes": []}],
    }
    refused = run_cli("edit", "kaiju", "--title", "Mine now")
    assert refused.code == 2 and "keeps its cited title" in refused.err
    assert "yours:" in run_cli("help", "json").out


def test_edit_in_the_editor_checks_the_file(
    run_cli: RunCli, tracker_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_cli("add", "Mine", "--seasons", "10")
    fake_editor(
        tmp_path,
        monkeypatch,
        "path.write_text(text.replace('episode_count = 10', 'episode_count = 12'))",
    )
    result = run_cli("edit", "mine")
    assert result.code == 0, result.err
    assert "Saved" in result.out
    shown = json.loads(run_cli("show", "mine", "--json").out)
    assert shown["seasons"][0]["episode_count"] == 12


def test_invalid_toml_from_the_editor_is_kept_and_reported(
    run_cli: RunCli, tracker_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_cli("add", "Mine")
    broken = 'id = "mine"\ntitle = "unterminated\nkind = "series"\n'
    fake_editor(tmp_path, monkeypatch, f"path.write_text({broken!r})")
    result = run_cli("edit", "mine")
    assert result.code == 1
    assert "not valid TOML" in result.err
    assert "your text is kept" in result.err
    path = tracker_home / "shows" / "mine.toml"
    assert path.read_text() == broken
    # The file no longer loads, yet it can be opened again by its name.
    fake_editor(tmp_path, monkeypatch, "path.write_text(text.replace('unterminated', 'Mine\"'))")
    again = run_cli("edit", "mine")
    assert again.code == 0, again.err


def test_edit_again_is_offered_on_a_terminal(
    run_cli: RunCli, tracker_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_cli("add", "Mine")
    fake_editor(
        tmp_path,
        monkeypatch,
        "bad = 'year = \"soon\"'\n"
        "path.write_text(text.replace(bad + '\\n', '') if bad in text "
        "else text.replace('kind = ', bad + '\\nkind = '))",
    )
    terminal = io.StringIO("y\n")
    monkeypatch.setattr(terminal, "isatty", lambda: True)
    monkeypatch.setattr(sys, "stdin", terminal)
    result = run_cli("edit", "mine")
    assert result.code == 0, result.err
    assert "year" in result.err  # the first round's problem was shown
    assert "Saved" in result.out


def test_edit_with_no_editor_names_the_file(
    run_cli: RunCli, tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    result = run_cli("edit", "kaiju")
    assert result.code == 1
    overlay = tracker_home / "yours" / "kaiju-girl-caramelise.toml"
    assert str(overlay) in result.err and "no editor set" in result.err
    assert overlay.read_text().startswith("# Your own facts")


def test_remove_asks_keeps_progress_and_refuses_bundled(
    run_cli: RunCli, tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_cli("add", "Mine", "--seasons", "3")
    run_cli("watch", "mine", "s1e1")
    path = tracker_home / "shows" / "mine.toml"
    data = path.read_bytes()
    answer(monkeypatch, "n\n")
    assert run_cli("remove", "mine").code == 1
    assert path.exists()
    answer(monkeypatch, "y\n")
    result = run_cli("remove", "mine")
    assert result.code == 0, result.err
    assert not path.exists()
    (backup,) = (tracker_home / "removed").iterdir()
    assert backup.read_bytes() == data and str(backup) in result.out
    assert "progress for mine (1 episode) is kept" in result.out
    validate = run_cli("validate")
    assert "orphaned progress (kept): mine S1E1" in validate.out
    refused = run_cli("remove", "kaiju", "--yes")
    assert refused.code == 2 and "archived" in refused.err


def test_help_says_how_to_add_a_show(run_cli: RunCli) -> None:
    out = run_cli("--help").out
    assert "tracker add TITLE" in out and "(in the app: a)" in out
