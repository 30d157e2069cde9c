"""Yamtrack's CSV export: one row per tracked item, its kind in `media_type`.

`tv` rows give a show's status and score, `season` rows a season's score, `episode` rows
one viewing each (dated by `watch_date` in older exports, `end_date` in newer ones).
`anime` rows count watched episodes, as MyAnimeList does: episodes 1 to `progress` are
imported as watched at an unknown time. Movies, manga, games and books are not shows and
are skipped. A show's key is `yamtrack:<source>:<media_id>`, and its id is kept under the
source's name (tmdb, mal...).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from tracker_tui.domain.catalog.models import MAX_EPISODE_NUMBER, MAX_SEASON_NUMBER
from tracker_tui.domain.exchange.batch import (
    ID_NAMES,
    SPECIALS,
    ImportBatch,
    ImportedRating,
    ImportedStatus,
    ImportedViewing,
)
from tracker_tui.domain.exchange.source import ImportSource
from tracker_tui.domain.exchange.tabular import (
    BadValueError,
    CsvTable,
    Row,
    export_files,
    note,
    parse_episode,
    parse_number,
    parse_score,
    parse_time,
    quoted,
)

STATUSES = {
    "completed": "completed",
    "in progress": "watching",
    "watching": "watching",
    "repeating": "watching",
    "planning": "plan-to-watch",
    "paused": "on-hold",
    "dropped": "dropped",
}
"""Yamtrack's statuses (as its export writes them, any case) as tracker's."""

UNDATED_NOTE = (
    "Yamtrack counts anime episodes without dates: they are imported as watched at an unknown time"
)

_SOURCE = re.compile(r"[a-z][a-z0-9_]{0,19}")
_MEDIA_ID = re.compile(r"[^\s:]{1,100}")
_NOT_SHOWS = ("movie", "manga", "game", "book", "comic", "boardgame")


@dataclass
class _Reading:
    batch: ImportBatch
    file: str
    statuses: dict[str, str] = field(default_factory=dict)
    ratings: dict[tuple[str, int | None], int] = field(default_factory=dict)
    occurrences: Counter[str] = field(default_factory=Counter)

    def show_key(self, row: Row, media_type: str) -> str:
        media_id = row.get("media_id")
        if not _MEDIA_ID.fullmatch(media_id):
            raise BadValueError(f"media_id {quoted(media_id)} is not an id")
        source = row.get("source").lower() or ("mal" if media_type == "anime" else "tmdb")
        if not _SOURCE.fullmatch(source):
            raise BadValueError(f"source {quoted(source)} is not a source's name")
        title = row.get("title")
        if not title:
            raise BadValueError("no title")
        key = f"yamtrack:{source}:{media_id}"
        ids = {source: media_id} if source in ID_NAMES else {}
        kind = "anime" if media_type == "anime" else "series"
        self.batch.show(key, title, kind=kind, ids=ids)
        return key

    def status(self, row: Row, key: str) -> None:
        text = row.get("status")
        if not text:
            return
        status = STATUSES.get(text.lower())
        if status is None:
            known = ", ".join(sorted({name.capitalize() for name in STATUSES}))
            self.batch.skip(
                self.file,
                row.where,
                f"unknown status {quoted(text)} (Yamtrack's are {known}): the status is left out",
            )
            return
        self.statuses.setdefault(key, status)

    def score(self, row: Row, key: str, season: int | None) -> None:
        try:
            rating = parse_score(row.get("score"))
        except BadValueError as error:
            self.batch.skip(self.file, row.where, f"{error}: the rating is left out")
            return
        if rating is not None:
            self.ratings.setdefault((key, season), rating)

    def tv(self, row: Row) -> None:
        key = self.show_key(row, "tv")
        self.status(row, key)
        self.score(row, key, None)

    def season(self, row: Row) -> None:
        number = parse_number(row.get("season_number"), "season", MAX_SEASON_NUMBER)
        if number == 0:
            raise BadValueError(SPECIALS)
        key = self.show_key(row, "season")
        self.batch.shows[key].season(number)
        self.score(row, key, number)

    def episode(self, row: Row) -> None:
        season, episode = parse_episode(row.get("season_number"), row.get("episode_number"))
        when = row.first("watch_date", "end_date")
        watched_at = parse_time(when, self.batch) if when else None
        key = self.show_key(row, "episode")
        moment = watched_at.isoformat() if watched_at is not None else "unknown"
        base = f"{key}:s{season}e{episode}:{moment}"
        self.occurrences[base] += 1
        record = f"{base}:{self.occurrences[base]}"
        self.batch.shows[key].saw(season, episode)
        self.batch.viewings.append(ImportedViewing(key, season, episode, watched_at, record))

    def anime(self, row: Row) -> None:
        watched_text = row.get("progress")
        watched = parse_number(watched_text, "progress", MAX_EPISODE_NUMBER) if watched_text else 0
        key = self.show_key(row, "anime")
        self.status(row, key)
        self.score(row, key, None)
        show = self.batch.shows[key]
        show.season(1)
        for number in range(1, watched + 1):
            show.saw(1, number)
            record = f"{key}:e{number}:w1"
            self.batch.viewings.append(ImportedViewing(key, 1, number, None, record))
        if watched:
            note(self.batch, UNDATED_NOTE)


def read(source: ImportSource) -> ImportBatch:
    """Read a Yamtrack CSV export (the file, or a folder or zip holding `yamtrack*.csv`)."""
    batch = ImportBatch("yamtrack")
    for member in export_files(source, "*yamtrack*.csv", "Yamtrack CSV"):
        reading = _Reading(batch, member.display)
        table = CsvTable(
            member,
            ["media_id", "media_type", "title", "season_number", "episode_number", "status"],
            "Yamtrack CSV",
        )
        for row in table.rows(batch):
            media_type = row.get("media_type").lower()
            try:
                if media_type == "tv":
                    reading.tv(row)
                elif media_type == "season":
                    reading.season(row)
                elif media_type == "episode":
                    reading.episode(row)
                elif media_type == "anime":
                    reading.anime(row)
                elif media_type in _NOT_SHOWS:
                    raise BadValueError(
                        f"a {media_type}, not a show: tracker tracks shows and anime"
                    )
                else:
                    raise BadValueError(f"unknown media_type {quoted(media_type)}")
            except BadValueError as error:
                batch.skip(member.display, row.where, str(error))
        batch.statuses += [ImportedStatus(key, value) for key, value in reading.statuses.items()]
        batch.ratings += [
            ImportedRating(key, season, None, rating)
            for (key, season), rating in reading.ratings.items()
        ]
    return batch
