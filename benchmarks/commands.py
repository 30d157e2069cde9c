"""The programs the benchmark runs, and the environment every one of them gets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

PYTHON = Path(sys.executable)
# The runner's own venv: `make bench` installs tracker-tui there, next to its Python.
TRACKER = PYTHON.parent / "tracker"
BENCHMARKS = Path(__file__).resolve().parent
BARE_APP = (str(PYTHON), str(BENCHMARKS / "bare_app.py"))

# Settings that would make Textual draw differently from a plain terminal session.
_DROPPED = ("COLUMNS", "LINES")


def child_env(home: Path) -> dict[str, str]:
    """The runner's environment with a fixed terminal type and `home` as the data folder."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("TEXTUAL") and name not in _DROPPED
    }
    env.update(TERM="xterm-256color", COLORTERM="truecolor", TRACKER_HOME=str(home))
    return env


def tracker(*args: str) -> list[str]:
    return [str(TRACKER), *args]


def run_json_script(script: str, home: Path, *args: str) -> Any:
    """Run one of this folder's measuring scripts in a fresh interpreter; it prints JSON.
    Its stderr (progress lines) is passed on as it comes, and kept for the error; its
    stdout goes to a file, so a long one never blocks it while stderr is read."""
    argv = [str(PYTHON), str(BENCHMARKS / script), *args]
    with (
        tempfile.TemporaryFile() as stdout,
        subprocess.Popen(
            argv, env=child_env(home), stdout=stdout, stderr=subprocess.PIPE, text=True
        ) as process,
    ):
        assert process.stderr is not None
        stderr = []
        for line in process.stderr:
            sys.stderr.write(line)
            stderr.append(line)
        process.wait()
        stdout.seek(0)
        output = stdout.read()
    if process.returncode != 0:
        raise RuntimeError(f"{script} failed ({process.returncode}):\n{''.join(stderr)}")
    return json.loads(output)
