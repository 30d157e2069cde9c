"""The command line stays fast: its paths, --help included, never import textual (nor
textual-serve and aiohttp, which only a running `tracker serve` needs); a warm start (the
catalog cache filled) never imports pydantic; and a command that only reads imports
neither the progress store and its lock (filelock) nor the importers."""

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
GROUPS = {
    "TEXTUAL": ("textual",),
    "PYDANTIC": ("pydantic", "pydantic_core"),
    "SERVER": ("textual_serve", "aiohttp"),
    "SAVING": ("filelock", "tracker_tui.domain.progress.store"),
    "IMPORTERS": ("tracker_tui.domain.exchange",),
    "AUTHORING": ("tracker_tui.domain.catalog.authoring", "tracker_tui.domain.catalog.drafts"),
}
for group, roots in GROUPS.items():
    loaded = sorted(
        name for name in sys.modules
        if any(name == root or name.startswith(root + ".") for root in roots)
    )
    print(group + ":" + ",".join(loaded), file=sys.stderr)
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


READ_ONLY = [
    ["next", "--json"],
    ["next"],
    ["shows", "--json"],
    ["shows"],
    ["show", "all of us"],
    ["notes", "kaiju"],
    ["history", "--json"],
    ["stats", "--json"],
    ["upcoming", "--json"],
]


@pytest.mark.parametrize("args", READ_ONLY, ids=" ".join)
def test_a_warm_read_only_command_loads_only_what_reading_needs(
    args: list[str], tracker_home: Path
) -> None:
    """With the catalog cache filled, a command that only reads: no pydantic (only a
    changed show file needs it), no store or filelock (only a save takes the lock), no
    importers, no `add`/`edit` drafts (not even for the parser's --kind choices), no
    textual. Progress with a viewing, so the file is really read."""
    setup = run_probe(["watch", "all of us", "s1e1"], tracker_home)
    assert setup.returncode == 0, setup.stderr
    assert "SAVING:filelock" in setup.stderr  # the probe sees them when they are there
    warm = run_probe(args, tracker_home)
    assert warm.returncode == 0, warm.stderr
    for group in ("TEXTUAL", "PYDANTIC", "SAVING", "IMPORTERS", "AUTHORING"):
        assert f"{group}:\n" in warm.stderr, warm.stderr
    # That `next` and `shows` read no show's details (people, notes, disputes) is
    # tests/test_catalog_details.py's test_next_and_shows_never_read_a_shows_details.
