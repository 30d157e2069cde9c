"""A command line is parsed by a parser of its command alone, and must come out exactly
as the whole parser would have it: the same arguments, help and errors."""

from __future__ import annotations

import argparse

import pytest

from tracker_tui.cli import main as cli_main
from tracker_tui.cli.main import build_parser, command_named

from .conftest import RunCli


def every_command() -> list[str]:
    parser = build_parser()
    subparsers = next(
        action
        for action in parser._actions  # argparse has no public list of its commands
        if isinstance(action, argparse._SubParsersAction)
    )
    return list(subparsers.choices)


ARGVS = [
    ["next"],
    ["next", "--json"],
    ["--progress-file", "p.json", "next"],
    ["--progress-file=p.json", "shows", "--json"],
    ["shows", "--progress-file", "p.json", "--status", "watching"],
    ["shows", "--status"],
    ["next", "--bogus"],
    ["next", "extra"],
    ["nxt"],
    ["watch"],
    ["watch", "all of us"],
    ["rate", "kaiju", "11"],
    ["show"],
    ["--version"],
    ["--bogus", "next"],
    ["help"],
    ["help", "next"],
    ["import", "--from", "trakt"],
    ["status", "kaiju", "bogus"],
    *([name, "--help"] for name in every_command()),
]


@pytest.mark.parametrize("argv", ARGVS, ids=" ".join)
def test_one_command_parses_as_all_of_them(
    argv: list[str], run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    partial = run_cli(*argv)
    monkeypatch.setattr(cli_main, "command_named", lambda argv: None)
    whole = run_cli(*argv)
    assert (partial.code, partial.out, partial.err) == (whole.code, whole.out, whole.err)


def test_the_command_is_found_only_where_plain() -> None:
    assert command_named(["next"]) == "next"
    assert command_named(["--progress-file", "p", "next"]) == "next"
    assert command_named(["--progress-file=p", "next"]) == "next"
    assert command_named(["--prog", "p", "next"]) is None  # an abbreviation: left to argparse
    assert command_named(["help", "next"]) is None
    assert command_named([]) is None
