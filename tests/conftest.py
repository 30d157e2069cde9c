"""Shared fixtures: every test gets its own TRACKER_HOME and a fixed clock."""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest

from tracker_tui.cli.main import main
from tracker_tui.domain import clock

FIXED_NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)
REPO = Path(__file__).resolve().parents[1]

# The garbage collector, tuned for a test run: every Pilot test builds and drops a whole
# app (tens of thousands of objects in cycles), and with the default thresholds (700, 10,
# 10) those survive enough young collections to force a full collection every test or so,
# each walking the ~300,000 objects that textual, hypothesis and pytest keep alive: a
# quarter of the app tests' CPU time. Collecting the young generation every 50,000
# allocations lets most of an app die young; nothing a test checks depends on when
# garbage is collected (test_app.py: 46 s of CPU down to 35 s).
gc.set_threshold(50_000, 20, 10)


@pytest.fixture(autouse=True)
def tracker_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point TRACKER_HOME at a temp folder so no test touches the real home."""
    home = tmp_path / "tracker-home"
    home.mkdir()
    monkeypatch.setenv("TRACKER_HOME", str(home))
    yield home


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW)
    return FIXED_NOW


@dataclass
class Result:
    code: int
    out: str
    err: str


class RunCli(Protocol):
    """The `run_cli` fixture: run `tracker ARGS...` in-process."""

    def __call__(self, *args: str) -> Result: ...


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Run `tracker ARGS...` in-process and capture its exit code and output."""

    def run(*args: str) -> Result:
        try:
            code = main(list(args))
        except SystemExit as exit:
            code = int(exit.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


LocalZone = Callable[[str], None]


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalZone]:
    """Set the process's local time zone for the test (`local_zone("Europe/Paris")`): TZ,
    then `time.tzset()` so `astimezone()` sees it; the machine's zone comes back after."""

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()
