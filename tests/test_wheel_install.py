"""A regular (non-editable) wheel carries the bundled shows and seeds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel and unpack it into a folder of its own, away from the source tree."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
    )
    (wheel,) = out.glob("tracker_tui-*.whl")
    target = out / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def run_installed(site: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "TRACKER_HOME": str(home)}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from tracker_tui.cli.main import main; sys.exit(main())",
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=site,
        check=False,
    )


def test_wheel_holds_the_bundled_data(installed: Path) -> None:
    bundled = installed / "tracker_tui" / "bundled"
    assert sorted(p.name for p in (bundled / "shows").iterdir()) == [
        "all-of-us-are-dead.toml",
        "kaiju-girl-caramelise.toml",
    ]
    assert len(list((bundled / "seeds").glob("*.txt"))) == 5
    assert (bundled / "sources.toml").is_file()


def test_installed_commands_work_for_both_shows(installed: Path, tracker_home: Path) -> None:
    probe = run_installed(installed, tracker_home, "shows", "--json")
    assert probe.returncode == 0, probe.stderr
    assert probe.stderr == ""
    assert [s["id"] for s in json.loads(probe.stdout)] == [
        "all-of-us-are-dead",
        "kaiju-girl-caramelise",
    ]
    for query in ("all of us", "kaiju"):
        show = run_installed(installed, tracker_home, "show", query)
        assert show.returncode == 0 and "Seasons" in show.stdout
        notes = run_installed(installed, tracker_home, "notes", query, "--json")
        assert notes.returncode == 0 and json.loads(notes.stdout)
    where = subprocess.run(
        [sys.executable, "-c", "import tracker_tui; print(tracker_tui.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=installed,
        env={**os.environ, "PYTHONPATH": str(installed)},
    )
    assert where.stdout.startswith(str(installed))
