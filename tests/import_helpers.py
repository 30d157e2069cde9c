"""Shows and batches for the import tests, built directly (no reader needed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.exchange.batch import ImportBatch, ImportedViewing

T0 = dt.datetime(2024, 3, 1, 20, 0, tzinfo=dt.UTC)


def make_show(
    show_id: str,
    title: str,
    year: int | None = None,
    *,
    aliases: tuple[str, ...] = (),
    ids: dict[str, str] | None = None,
    seasons: tuple[tuple[int, int | None], ...] = ((1, 8),),
) -> Show:
    return Show.from_data(
        {
            "id": show_id,
            "title": title,
            "year": year,
            "kind": "series",
            "aliases": list(aliases),
            "ids": ids or {},
            "seasons": [{"number": n, "episode_count": count} for n, count in seasons],
        }
    )


def catalog(*shows: Show) -> dict[str, Show]:
    return {show.id: show for show in shows}


def watch(
    batch: ImportBatch,
    key: str,
    season: int,
    episode: int,
    at: dt.datetime | None = T0,
    record: str | None = None,
) -> None:
    """The batch's show `key` (made by the caller) saw this episode at `at`."""
    batch.shows[key].saw(season, episode)
    record = record or f"{key}:{season}:{episode}:{at.isoformat() if at else '?'}"
    batch.viewings.append(ImportedViewing(key, season, episode, at, record))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, with its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
