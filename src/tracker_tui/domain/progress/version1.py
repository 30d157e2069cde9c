"""Version 1 of the progress file (one record per episode), read to be upgraded: each
record becomes viewings by `model.upgrade_record`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker_tui.domain.progress.reading import (
    ProgressFormatError,
    RepeatedKeys,
    checked_show_id,
    clamped_time,
    entries,
    is_object,
    parse_time,
    positive,
    repeated,
)
from tracker_tui.domain.progress.records import EpisodeKey, EpisodeRecord

VERSION1_LARGEST_COUNT = 10_000
"""A version 1 watch count becomes that many viewings: bounded, as no one watches more."""


def version1_records(shows: Any, now: dt.datetime | None) -> dict[EpisodeKey, EpisodeRecord]:
    """A version 1 file's records (show -> season -> episode -> record); an episode listed
    twice keeps its newer record, as version 1 merged."""
    records: dict[EpisodeKey, EpisodeRecord] = {}
    for show_id, seasons in entries(shows):
        show = checked_show_id(show_id)
        if not is_object(seasons):
            raise ProgressFormatError(f"shows.{show}: expected an object of seasons")
        for season_text, episodes in entries(seasons):
            season = positive(season_text, f"shows.{show}")
            where = f"shows.{show}.{season}"
            if not is_object(episodes):
                raise ProgressFormatError(f"{where}: expected an object of episodes")
            for episode_text, raw in entries(episodes):
                key = EpisodeKey(show, season, positive(episode_text, where))
                record = _version1_record(raw, f"{where}.{key.episode}", now)
                kept = records.get(key)
                if kept is None or _version1_order(record) > _version1_order(kept):
                    records[key] = record
    return records


def _version1_order(record: EpisodeRecord) -> tuple[dt.datetime, bool, int, dt.datetime]:
    """Version 1's merge: the newer change wins; the rest breaks exact ties."""
    return (record.changed_at, record.watched, record.watch_count, record.watched_at or _EPOCH)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _version1_record(raw: Any, where: str, now: dt.datetime | None) -> EpisodeRecord:
    if isinstance(raw, RepeatedKeys):
        raise ProgressFormatError(f"{where}: {repeated(raw)!r} appears twice in one record")
    if not isinstance(raw, dict):
        raise ProgressFormatError(f"{where}: expected an episode record object")
    watched = raw.get("watched")
    count = raw.get("watch_count", 0)
    if not isinstance(watched, bool):
        raise ProgressFormatError(f"{where}.watched: expected true or false")
    if type(count) is not int or not 0 <= count <= VERSION1_LARGEST_COUNT:
        raise ProgressFormatError(
            f"{where}.watch_count: expected a whole number from 0 to {VERSION1_LARGEST_COUNT}"
        )
    watched_at = raw.get("watched_at")
    return EpisodeRecord(
        watched=watched,
        changed_at=clamped_time(raw.get("changed_at"), f"{where}.changed_at", now),
        watch_count=count,
        watched_at=parse_time(watched_at, f"{where}.watched_at") if watched_at else None,
    )
