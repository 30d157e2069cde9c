"""Whole-process wall time of a `tracker` command, output to /dev/null."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CommandTimes:
    """Seconds per run. The first run in a data folder may build the tracker's cache."""

    first: float
    warm: list[float]


def time_command(argv: Sequence[str], env: Mapping[str, str], runs: int) -> CommandTimes:
    """One first run, reported on its own, then `runs` timed ones."""
    first, *warm = (_time_once(argv, env) for _ in range(1 + runs))
    return CommandTimes(first, warm)


def _time_once(argv: Sequence[str], env: Mapping[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        stderr = result.stderr.decode(errors="replace")
        raise RuntimeError(f"{' '.join(argv)} failed ({result.returncode}):\n{stderr}")
    return elapsed
