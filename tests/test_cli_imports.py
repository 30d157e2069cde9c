"""The command line stays fast: its paths, --help included, never import textual."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import sys
from tracker_tui.cli.main import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:  # --help exits from inside argparse
    code = exit.code or 0
sys.stdout.flush()
loaded = sorted(name for name in sys.modules if name == "textual" or name.startswith("textual."))
print("TEXTUAL:" + ",".join(loaded), file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.parametrize(
    "args",
    [
        ["next"],
        ["next", "--json"],
        ["show", "all of us"],
        ["shows", "--json"],
        ["notes", "kaiju"],
        ["--help"],
        ["help", "json"],
    ],
    ids=lambda args: " ".join(args),
)
def test_command_does_not_import_textual(args: list[str], tracker_home: Path) -> None:
    env = {**os.environ, "TRACKER_HOME": str(tracker_home)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "TEXTUAL:\n" in result.stderr, result.stderr
