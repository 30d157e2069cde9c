"""Helpers for the CSV and XML import tests: read a path with a reader, build CSV text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from tracker_tui.domain.exchange.batch import ImportBatch
from tracker_tui.domain.exchange.source import ImportSource, open_source
from tracker_tui.domain.progress.records import EpisodeKey, EpisodeState, Progress, Viewing

FIXTURES = Path(__file__).parent / "fixtures" / "exchange"

Reader = Callable[[ImportSource], ImportBatch]


def read_path(reader: Reader, path: Path) -> ImportBatch:
    with open_source(path) as source:
        return reader(source)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]], newline: str = "\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
    return target


def viewing_tuples(batch: ImportBatch) -> list[tuple[str, int, int, str | None]]:
    """The batch's viewings as (show, season, episode, ISO time or None), in order."""
    return [
        (v.show, v.season, v.episode, None if v.watched_at is None else v.watched_at.isoformat())
        for v in batch.viewings
    ]


def skip_lines(batch: ImportBatch) -> list[tuple[str, str]]:
    """(member base name, where) of every skip."""
    return [(s.file.replace("\\", "/").rsplit("/", 1)[-1], s.where) for s in batch.skipped]


LOGGED = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)


def progress_of(viewings: Iterable[tuple[str, int, int, dt.datetime | None]]) -> Progress:
    """Progress holding these viewings (show, season, episode, when watched or None)."""
    by_key: dict[EpisodeKey, dict[str, Viewing]] = {}
    for number, (show, season, episode, watched_at) in enumerate(viewings):
        viewing = Viewing(f"v{number}", watched_at, LOGGED)
        by_key.setdefault(EpisodeKey(show, season, episode), {})[viewing.id] = viewing
    return Progress.empty().with_episodes(
        {key: EpisodeState(viewings=found) for key, found in by_key.items()}
    )


def live_viewings(progress: Progress) -> list[tuple[str, int, int, dt.datetime | None]]:
    """Every live viewing as (show, season, episode, when), sorted (unknown times first)."""
    found = [
        (key.show, key.season, key.episode, viewing.watched_at)
        for state in progress.shows.values()
        for key, episode in state.episodes.items()
        for viewing in episode.live()
    ]
    return sorted(found, key=lambda v: (v[0], v[1], v[2], v[3] is not None, str(v[3])))
