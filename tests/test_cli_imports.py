"""The command line stays fast: its paths, --help included, never import textual (nor
textual-serve and aiohttp, which only a running `tracker serve` needs), and a warm start
(the catalog cache filled) never imports pydantic."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracker_tui.cli.main import build_parser, command_function

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
checker = sorted(
    name for name in sys.modules if name.partition(".")[0] in ("pydantic", "pydantic_core")
)
print("PYDANTIC:" + ",".join(checker), file=sys.stderr)
server = sorted(
    name for name in sys.modules if name.partition(".")[0] in ("textual_serve", "aiohttp")
)
print("SERVER:" + ",".join(server), file=sys.stderr)
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
        ["stats"],
        ["stats", "--json", "--year", "2025"],
        ["add", "A show", "--seasons", "3,?"],
        ["edit", "kaiju", "--episodes", "S1=12"],
        ["upcoming", "--json"],
        ["calendar", "--ics"],
        ["serve", "--help"],
    ],
    ids=lambda args: " ".join(args),
)
def test_command_does_not_import_textual(args: list[str], tracker_home: Path) -> None:
    result = run_probe(args, tracker_home)
    assert result.returncode == 0, result.stderr
    assert "TEXTUAL:\n" in result.stderr, result.stderr
    # `tracker serve` imports textual-serve and aiohttp once it starts serving, no sooner.
    assert "SERVER:\n" in result.stderr, result.stderr


def run_probe(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRACKER_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, check=False
    )


@pytest.mark.parametrize("args", [["shows", "--json"], ["show", "all of us"]], ids=" ".join)
def test_a_warm_command_does_not_import_pydantic(args: list[str], tracker_home: Path) -> None:
    cold = run_probe(args, tracker_home)
    assert cold.returncode == 0, cold.stderr
    assert "PYDANTIC:pydantic" in cold.stderr  # the probe sees it when it is there
    warm = run_probe(args, tracker_home)
    assert warm.returncode == 0, warm.stderr
    assert "PYDANTIC:\n" in warm.stderr, warm.stderr
    assert warm.stdout == cold.stdout


def test_every_command_names_a_function_that_exists() -> None:
    """Commands name their functions as strings (imported when they run): a typo in one
    must fail here, not in a user's hands."""
    parser = build_parser()
    subparsers = next(
        action
        for action in parser._actions  # argparse has no public list of its commands
        if isinstance(action, argparse._SubParsersAction)
    )
    for name, sub in subparsers.choices.items():
        handler = sub.get_default("handler")
        assert callable(command_function(handler)), name
