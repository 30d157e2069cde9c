"""A slow start says so: the load tells how far it has checked the show files, and the
command line shows that on a terminal, then erases it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tracker_tui.cli import load_notice
from tracker_tui.cli.load_notice import LoadNotice
from tracker_tui.domain.catalog.loader import load_catalog
from tracker_tui.domain.paths import bundled_data

from .conftest import RunCli
from .test_catalog_cache import age
from .test_user_shows import add_user_show


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def user_shows(home: Path, count: int) -> None:
    for n in range(count):
        add_user_show(home, f"show-{n}", f"Show {n}")
        age(home / "shows" / f"show-{n}.toml")


def test_a_cold_load_tells_each_file_it_checks_and_a_warm_one_nothing(
    tracker_home: Path,
) -> None:
    user_shows(tracker_home, 3)
    total = len(list(bundled_data().shows.glob("*.toml"))) + 3
    told: list[tuple[int, int]] = []
    load_catalog(progress=lambda read, of: told.append((read, of)))
    assert told, "a first load checks every file"
    assert all(of == total for _, of in told)
    assert [read for read, _ in told] == sorted({read for read, _ in told})
    assert told[-1][0] == total
    told.clear()
    load_catalog(progress=lambda read, of: told.append((read, of)))
    assert told == []
    (tracker_home / "shows" / "show-1.toml").write_text(
        (tracker_home / "shows" / "show-1.toml").read_text().replace("Show 1", "Show One")
    )
    load_catalog(progress=lambda read, of: told.append((read, of)))
    assert told == [(told[0][0], total)], "only the edited file is checked"


def test_the_notice_shows_on_a_terminal_after_a_while_and_is_erased(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = Terminal()
    with LoadNotice(terminal) as notice:
        notice(1, 10)  # too soon to say anything
        assert terminal.getvalue() == ""
        monkeypatch.setattr(load_notice, "DELAY_SECONDS", 0.0)
        notice(2, 1_200)
    written = terminal.getvalue()
    assert "checking show files" in written and "2/1,200" in written
    assert written.endswith("\r\x1b[K")


def test_no_notice_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_notice, "DELAY_SECONDS", 0.0)
    piped = io.StringIO()
    with LoadNotice(piped) as notice:
        notice(2, 10)
    assert piped.getvalue() == ""


def test_a_command_whose_stderr_is_no_terminal_stays_quiet(
    tracker_home: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load_notice, "DELAY_SECONDS", 0.0)
    user_shows(tracker_home, 2)
    result = run_cli("shows")
    assert result.code == 0
    assert "checking" not in result.err
