"""The README's "A quick look" is what the commands print, run in that order on the
bundled data in an empty data folder: a line `...` in it stands for lines left out."""

from __future__ import annotations

import re
import shlex

from .conftest import REPO, RunCli

SKIPPED = "..."


def quick_look_sessions() -> list[tuple[list[str], list[str]]]:
    """Each `$ tracker ...` command of the section, with the lines shown under it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A quick look", 1)[1].split("\n## ", 1)[0]
    sessions: list[tuple[list[str], list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", section, flags=re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                argv = shlex.split(line[2:])
                assert argv[0] == "tracker", line
                sessions.append((argv[1:], []))
            else:
                sessions[-1][1].append(line)
    return sessions


def shown_in(expected: list[str], actual: list[str]) -> bool:
    """Whether each run of `expected` lines between `...` lines is in `actual`, whole and
    in order (a run may start anywhere after the one before it)."""
    runs: list[list[str]] = [[]]
    for line in expected:
        if line.strip() == SKIPPED:
            runs.append([])
        else:
            runs[-1].append(line)
    start = 0
    for index, run in enumerate(runs):
        if not run:
            continue
        if index == 0:  # the first run is the output's start
            if actual[: len(run)] != run:
                return False
            start = len(run)
            continue
        found = next(
            (at for at in range(start, len(actual)) if actual[at : at + len(run)] == run), None
        )
        if found is None:
            return False
        start = found + len(run)
    return not runs[-1] or start == len(actual)  # no `...` at the end: the output ends


def test_the_quick_look_is_what_the_commands_print(run_cli: RunCli) -> None:
    sessions = quick_look_sessions()
    assert len(sessions) >= 4  # watch, shows, next, show
    for argv, expected in sessions:
        result = run_cli(*argv)
        assert result.code == 0, (argv, result.err)
        actual = result.out.rstrip("\n").split("\n")
        assert shown_in(expected, actual), (argv, actual)


def test_a_line_left_out_is_still_checked_around() -> None:
    """The matcher itself: runs in order, whole, and the first at the start."""
    actual = ["a", "b", "c", "d", "e"]
    assert shown_in(["a", "b", "...", "d", "..."], actual)
    assert shown_in(["a", "...", "c", "d", "...", "e"], actual)
    assert not shown_in(["b", "...", "d"], actual)  # the first run starts the output
    assert not shown_in(["a", "...", "d", "c"], actual)  # a run stays whole
    assert not shown_in(["a", "...", "e", "...", "d"], actual)  # runs keep their order
    assert not shown_in(["a", "b", "x"], actual)
    assert not shown_in(["a", "...", "d"], actual)  # without a last `...`, the output ends
    assert shown_in(["a", "...", "d", "e"], actual)
