"""The command line stays fast: its paths never import textual."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import sys
from tracker_tui.cli.main import main
code = main(sys.argv[1:])
loaded = sorted(name for name in sys.modules if name == "textual" or name.startswith("textual."))
print("TEXTUAL:" + ",".join(loaded), file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.parametrize(
    "args",
    [["next"], ["next", "--json"], ["show", "all of us"], ["shows", "--json"], ["notes", "kaiju"]],
    ids=lambda args: " ".join(args),
)
def test_command_does_not_import_textual(args: list[str], tracker_home: Path) -> None:
    env = {**os.environ, "TRACKER_HOME": str(tracker_home)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "TEXTUAL:\n" in result.stderr, result.stderr
