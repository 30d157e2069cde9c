"""Conflict copies that sync tools leave beside the progress file: found by name, read,
and filed away in backups/ once the progress file holds their records.

For a progress file `progress.json` (the patterns are built from the file's own stem and
suffix, so `--progress-file my.tracker.json` gets `my.tracker.sync-conflict-...json`):

- Syncthing: `progress.sync-conflict-20260301-101010-ABCDEF7.json` (the last part is
  the device's short id); older versions: `progress.sync-conflict-20260301-101010.json`.
- Nextcloud and ownCloud: `progress (conflicted copy 2026-03-01 101010).json`, or with the
  user's name, `progress (conflicted copy anna 2026-03-01 101010).json`; their older
  clients: `progress_conflict-20260301-101010.json`.
- Dropbox: `progress (Anna's MacBook's conflicted copy 2026-03-01).json`,
  `progress (conflicted copy 2026-03-01 (1)).json`, `progress (conflicted copy).json`.

Nothing else matches: not the sync tools' temp files (`~syncthing~progress.json.tmp`,
`.syncthing.progress.json.tmp`), not `progress.json.bak` or `progress.v1-backup.json`,
not a link (never followed: it may lead anywhere), not a folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from tracker_tui.domain import files
from tracker_tui.domain.files import Stamp
from tracker_tui.domain.progress.format import read_progress
from tracker_tui.domain.progress.reading import NewerFormatError, ProgressFormatError
from tracker_tui.domain.progress.records import Progress

_DATE = r"(?P<date>[0-9]{4}-?[0-9]{2}-?[0-9]{2})"
_TIME = r"(?P<time>[0-9]{6})"
_MARKERS = (
    rf"\.sync-conflict-{_DATE}-{_TIME}(?:-[A-Z0-9]{{7}})?",  # Syncthing
    rf" \(conflicted copy (?:[^()/]+ )?{_DATE} {_TIME}\)",  # Nextcloud, ownCloud
    rf"_conflict-{_DATE}-{_TIME}",  # ownCloud and Nextcloud, older clients
    rf" \((?:[^()/]+ )?conflicted copy(?: {_DATE})?(?: \([0-9]{{1,4}}\))?\)",  # Dropbox
)


def conflict_copy_patterns(path: Path) -> tuple[re.Pattern[str], ...]:
    """The names of conflict copies of `path`, one pattern per naming scheme: its stem, the
    tool's marker, its suffix."""
    stem, suffix = re.escape(path.stem), re.escape(path.suffix)
    return tuple(re.compile(f"{stem}{marker}{suffix}") for marker in _MARKERS)


def _match(patterns: tuple[re.Pattern[str], ...], name: str) -> re.Match[str] | None:
    return next((m for pattern in patterns if (m := pattern.fullmatch(name))), None)


def _time_in_name(match: re.Match[str]) -> float | None:
    """When the name says the copy was made (the tools write local time), as a timestamp."""
    named = match.groupdict()
    if not named.get("date"):
        return None
    stamp = named["date"].replace("-", "") + (named.get("time") or "000000")
    try:
        return dt.datetime.strptime(stamp, "%Y%m%d%H%M%S").timestamp()
    except (ValueError, OverflowError):  # "20261399": a name, not a date
        return None


def find_conflict_copies(path: Path) -> list[Path]:
    """The conflict copies of `path` in its folder, oldest first (by the time in the name,
    else the file's mtime): regular files only, links not followed; one scandir."""
    patterns = conflict_copy_patterns(path)
    found: list[tuple[float, str, Path]] = []
    with contextlib.suppress(OSError), os.scandir(path.parent) as entries:
        for entry in entries:
            match = _match(patterns, entry.name)
            if match is None:
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode):
                    when = _time_in_name(match)
                    found.append(
                        (info.st_mtime if when is None else when, entry.name, Path(entry.path))
                    )
    return [copy for _, _, copy in sorted(found)]


@dataclass
class CopiesRead:
    """What the conflict copies beside a progress file hold."""

    progress: Progress = field(default_factory=Progress.empty)
    """Every readable copy's records, merged."""
    read: list[tuple[Path, Stamp]] = field(default_factory=list)
    """The copies merged into `progress`, each with its stamp when read: one changed
    since is left for the next save."""
    unreadable: list[tuple[Path, str]] = field(default_factory=list)
    """Copies that are no progress file this tracker reads, and why: left where they are."""


def read_conflict_copies(path: Path) -> CopiesRead:
    """Read every conflict copy of `path`; a copy gone meanwhile is skipped."""
    copies = CopiesRead()
    for copy in find_conflict_copies(path):
        try:
            data, stamp = files.read_regular(copy)
            copies.progress = copies.progress.merge(read_progress(data))
        except FileNotFoundError:
            continue
        except NewerFormatError as error:
            copies.unreadable.append((copy, f"written by a newer tracker ({error})"))
        except ProgressFormatError as error:
            copies.unreadable.append((copy, f"not a progress file tracker reads ({error})"))
        except (OSError, files.NotAFileError) as error:
            copies.unreadable.append((copy, f"cannot be read ({_reason(error)})"))
        else:
            copies.read.append((copy, stamp))
    return copies


def left_as_it_is(copy: Path, progress_name: str, why: str) -> str:
    """What to tell of a copy that cannot be merged (said by saves and reads alike)."""
    return (
        f"{copy} looks like a sync conflict copy of {progress_name} but is {why}; left where "
        "it is: fix it, or remove it if you need nothing in it"
    )


def merged_notice(path: Path, moved: list[Path], backups: Path) -> str:
    what = "a sync conflict copy" if len(moved) == 1 else f"{len(moved)} sync conflict copies"
    names = ", ".join(copy.name for copy in moved)
    return (
        f"{path}: merged {what} from your sync folder into it ({names}); "
        f"{'it is' if len(moved) == 1 else 'they are'} now in {backups}"
    )


def unmerged_notices(path: Path, target: Path) -> list[str]:
    """What a command that only reads tells of the copies beside `target` (`path` leads to
    it): those the next save merges, and those it cannot. Reads them only if there are any."""
    if not find_conflict_copies(target):
        return []
    copies = read_conflict_copies(target)
    notices = [left_as_it_is(copy, path.name, why) for copy, why in copies.unreadable]
    if copies.read:
        count = len(copies.read)
        names = ", ".join(copy.name for copy, _ in copies.read)
        notices.insert(
            0,
            f"{path} has {count} sync conflict {'copy' if count == 1 else 'copies'} not "
            f"merged yet ({names}): this answer leaves out what only "
            f"{'it holds' if count == 1 else 'they hold'}; the next command that saves, or "
            f"the app, merges {'it' if count == 1 else 'them'}",
        )
    return notices


def _reason(error: Exception) -> str:
    return (error.strerror if isinstance(error, OSError) else None) or str(error)


def file_away(copy: Path, backups: Path) -> Path:
    """Move a merged copy into `backups` under its own name (`-2`, `-3`... added if taken,
    never over a file), durably; return where it went. OSError if it cannot."""
    backups.mkdir(parents=True, exist_ok=True)
    number = 1
    while True:
        name = copy.name if number == 1 else f"{copy.stem}-{number}{copy.suffix}"
        destination = backups / name
        number += 1
        if destination.exists() or destination.is_symlink():
            continue
        try:
            _move_no_replace(copy, destination)
        except FileExistsError:  # taken in the instant since the check
            continue
        files.fsync_folder(backups)
        files.fsync_folder(copy.parent)
        return destination


def _move_no_replace(source: Path, target: Path) -> None:
    """Rename `source` to `target`, which must not exist (FileExistsError if it does);
    across file systems (a linked progress file), copy it whole, then remove it."""
    try:
        if not files.renameat2(source, target, files.RENAME_NOREPLACE):
            _link_or_rename(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        temp = files.write_temp(target, files.read_regular(source)[0])
        try:
            _link_or_rename(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        source.unlink()


def _link_or_rename(source: Path, target: Path) -> None:
    """Where renameat2 is missing: a hard link never replaces a file; where the file system
    has no hard links, a check and then a rename (the best there is)."""
    try:
        os.link(source, target)
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        if target.exists() or target.is_symlink():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target)) from error
        source.rename(target)
    else:
        source.unlink()
