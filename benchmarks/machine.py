"""What the results were measured on: machine, versions, commit, file system."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
# Changes here change what is measured; the benchmarks' own files do not.
_MEASURED_PATHS = ("src", "data", "seeds", "pyproject.toml")


def cores() -> str:
    return str(os.cpu_count() or "unknown")


def platform_name() -> str:
    return f"{platform.platform()}, {_cpu_model()}"


def _cpu_model() -> str:
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or "unknown CPU"
    for line in cpuinfo.splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or "unknown CPU"


def python_version() -> str:
    return f"{platform.python_version()} ({platform.python_implementation()}, {sys.executable})"


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def tracker_commit() -> str:
    """The short commit, marked when the tracker's files differ from it."""
    git = ["git", "-C", str(REPOSITORY)]
    try:
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            [*git, "status", "--porcelain", "--", *_MEASURED_PATHS],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{head} with uncommitted changes" if changed else head


def filesystem_of(path: Path) -> str:
    """The type of the file system `path` is on (Linux), since fsync costs differ widely."""
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return "unknown"
    resolved = path.resolve()
    best, kind = Path("/"), "unknown"
    for line in mounts:
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point = Path(fields[1])
        if resolved.is_relative_to(mount_point) and len(mount_point.parts) >= len(best.parts):
            best, kind = mount_point, fields[2]
    return kind
