"""`tracker import` of a generated Trakt export, whole process: seconds and peak RSS.

run.py calls `measure` once: the export (trakt_export.py's default size: 2,000 shows,
100,000 episodes, 60,000 viewings) is generated once, then imported `runs` times, each
into a fresh, empty data folder, as a user switching trackers would. The last import's
folder is kept: it is the imported library the other figures are measured on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import trakt_export
from commands import child_env, tracker
from first_paint import _peak_rss  # the same VmHWM reading as the app starts use

SUMMARY = (
    f"a generated Trakt export of {trakt_export.SHOWS:,} shows, {trakt_export.EPISODES:,} "
    f"episodes and {trakt_export.VIEWINGS:,} viewings, imported into an empty data folder"
)


def import_once(export: Path, home: Path) -> tuple[float, int]:
    """One whole `tracker import --from trakt`: (seconds, peak RSS in bytes)."""
    home.mkdir()
    argv = tracker("import", str(export), "--from", "trakt", "--json")
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, env=child_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    while process.poll() is None:
        peak = max(peak, _peak_rss(process.pid))
        time.sleep(0.005)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise RuntimeError(f"tracker import failed ({process.returncode}): {stderr[-500:]}")
    return seconds, peak


def measure(temp: Path, runs: int, keep: Path) -> tuple[list[float], list[float]]:
    """Seconds and peak MiB of `runs` imports of one generated export; the last import's
    data folder is moved to `keep`."""
    export = trakt_export.generate(temp / "trakt")
    seconds: list[float] = []
    mib: list[float] = []
    for run in range(runs):
        home = temp / f"import-{run}"
        took, peak = import_once(export, home)
        seconds.append(took)
        mib.append(peak / (1 << 20))
        if run == runs - 1:
            home.rename(keep)
        else:
            shutil.rmtree(home)
        # Each import, and the figures after them, start with nothing of the previous
        # one's left to write to the disk.
        os.sync()
    shutil.rmtree(temp / "trakt")
    return seconds, mib
