"""tracker's own CSV (what `tracker export --format csv` writes), read back: one viewing
per row, the show described on every row.

A show's key is `csv:<show_id>`. An empty `watched_at` is a viewing at an unknown time;
such rows of one episode are told apart by their order (`...:unknown:2`), so two unknown
viewings stay two. Two rows of one episode at the same known time are the same viewing,
kept once. `rating` is the episode's; the first one given wins.
"""

from __future__ import annotations

import re
from collections import Counter

from tracker_tui.domain.catalog.models import Kind
from tracker_tui.domain.exchange.batch import (
    ID_NAMES,
    ImportBatch,
    ImportedRating,
    ImportedViewing,
)
from tracker_tui.domain.exchange.csv_format import REQUIRED, unguarded
from tracker_tui.domain.exchange.source import ImportSource
from tracker_tui.domain.exchange.tabular import (
    BadValueError,
    CsvTable,
    Row,
    export_files,
    note,
    parse_episode,
    parse_number,
    parse_time,
    parse_year,
    plural,
    quoted,
)

_SHOW_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_EXTERNAL_ID = re.compile(r"[^\s]{1,100}")
_KINDS = tuple(kind.value for kind in Kind)


class _Reading:
    def __init__(self, batch: ImportBatch, file: str) -> None:
        self.batch = batch
        self.file = file
        self.unknown: Counter[str] = Counter()
        self.records: set[str] = set()
        self.duplicates = 0
        self.ratings: dict[tuple[str, int, int], tuple[int, int]] = {}
        """An episode's rating and the line that gave it."""

    def row(self, row: Row) -> None:
        show_id = row.get("show_id")
        if not _SHOW_ID.fullmatch(show_id) or len(show_id) > 80:
            raise BadValueError(f"show_id {quoted(show_id)} is not a show id (like severance)")
        title = unguarded(row.get("title"))
        if not title:
            raise BadValueError("no title")
        season, episode = parse_episode(row.get("season"), row.get("episode"))
        year = parse_year(row.get("year"))
        kind = row.get("kind").lower() or "series"
        if kind not in _KINDS:
            raise BadValueError(f"kind {quoted(kind)} is not one of {', '.join(_KINDS)}")
        ids = {}
        for name in ID_NAMES:
            value = unguarded(row.get(name))
            if value and not _EXTERNAL_ID.fullmatch(value):
                raise BadValueError(f"{name} id {quoted(value)} has spaces or is too long")
            if value:
                ids[name] = value
        when = row.get("watched_at")
        watched_at = parse_time(when, self.batch) if when else None
        key = f"csv:{show_id}"
        self.batch.show(key, title, year, kind, ids).saw(season, episode)
        if watched_at is None:
            base = f"{key}:s{season}e{episode}:unknown"
            self.unknown[base] += 1
            record = f"{base}:{self.unknown[base]}"
        else:
            record = f"{key}:s{season}e{episode}:{watched_at.isoformat()}"
        if record in self.records:
            self.duplicates += 1
        else:
            self.records.add(record)
            self.batch.viewings.append(ImportedViewing(key, season, episode, watched_at, record))
        if row.get("rating"):
            self.rate(row, (key, season, episode))

    def rate(self, row: Row, episode: tuple[str, int, int]) -> None:
        try:
            rating = parse_number(row.get("rating"), "rating", 10)
            if rating == 0:
                raise BadValueError("rating 0 is not a rating (1 to 10; empty for none)")
        except BadValueError as error:
            self.batch.skip(self.file, row.where, f"{error}: the rating is left out")
            return
        given = self.ratings.get(episode)
        if given is None:
            self.ratings[episode] = (rating, row.line)
        elif given[0] != rating:
            self.batch.skip(
                self.file,
                row.where,
                f"rating {rating} differs from the {given[0]} line {given[1]} gives the same "
                "episode: the first is kept",
            )


def read(source: ImportSource) -> ImportBatch:
    """Read tracker's CSV export (the file, or the CSV files of a folder or zip)."""
    batch = ImportBatch("csv")
    for member in export_files(source, "*.csv", "tracker CSV"):
        reading = _Reading(batch, member.display)
        for row in CsvTable(member, REQUIRED, "tracker CSV").rows(batch):
            try:
                reading.row(row)
            except BadValueError as error:
                batch.skip(member.display, row.where, str(error))
        batch.ratings += [
            ImportedRating(key, season, episode, rating)
            for (key, season, episode), (rating, _) in reading.ratings.items()
        ]
        if reading.duplicates:
            note(
                batch,
                f"{plural(reading.duplicates, 'row')} repeating a viewing (same show, "
                "episode and time) kept once",
            )
    return batch
