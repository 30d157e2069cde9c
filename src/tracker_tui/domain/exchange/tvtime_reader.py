"""TV Time's GDPR export (a folder or the .zip TV Time mails): episode history from
`tracking-prod-records-v2.csv` and the older `seen_episode.csv`, followed and archived
shows from `followed_tv_show.csv`.

TV Time names a show by its TVDB series id (`s_id`, `tv_show_id`) where it can; such a
show's key is `tvtime:<id>` and the id is kept as its `tvdb` id. `seen_episode.csv` gives
only names: a name the other files tie to an id gets that id. Its times have no zone and
are taken as UTC. The same viewing in both history files (same show, episode and time to
the second) is kept once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker_tui.domain.exchange.batch import (
    SPECIALS,
    ImportBatch,
    ImportedArchive,
    ImportedViewing,
    ImportFormatError,
)
from tracker_tui.domain.exchange.source import ImportSource, Member
from tracker_tui.domain.exchange.tabular import (
    BadValueError,
    CsvTable,
    Row,
    note,
    parse_episode,
    parse_time,
    plural,
    split_title_year,
    title_key,
)

RECORDS_V2 = "tracking-prod-records-v2.csv"
SEEN_EPISODES = "seen_episode.csv"
FOLLOWED = "followed_tv_show.csv"

_ID = re.compile(r"[0-9]{1,12}")
_VIEWING_KEYS = ("watch-episode", "rewatch-episode")
_SHOW_KEYS = ("user-series",)
_YES = ("1", "true", "yes")


@dataclass
class _Reading:
    batch: ImportBatch
    ids_by_name: dict[str, str] = field(default_factory=dict)
    """A show's TVDB id by its TV Time name, for the files that give only names."""
    records: set[str] = field(default_factory=set)
    archived_shows: set[str] = field(default_factory=set)
    duplicates: int = 0
    other_records: int = 0

    def show_key(self, name: str, tvdb: str) -> str:
        """The show's key, made on first sight (TV Time's `Name (2018)` gives a year)."""
        if not _ID.fullmatch(tvdb):
            tvdb = self.ids_by_name.get(name.casefold(), "")
        title, year = split_title_year(name)
        if tvdb:
            self.ids_by_name.setdefault(name.casefold(), tvdb)
            key = f"tvtime:{tvdb}"
            self.batch.show(key, title, year, ids={"tvdb": tvdb})
        else:
            key = title_key(title, year)
            self.batch.show(key, title, year)
        return key

    def viewing(self, row: Row, name: str, tvdb: str, when: str) -> None:
        season_text = row.first("season_number", "episode_season_number", "s_no")
        episode_text = row.first("episode_number", "ep_no")
        if row.get("is_special").lower() in _YES:
            raise BadValueError(SPECIALS)
        season, episode = parse_episode(season_text, episode_text)
        if not name:
            raise BadValueError("no series name")
        if not when:
            raise BadValueError("no time: created_at is empty")
        watched_at = parse_time(when, self.batch)
        key = self.show_key(name, tvdb)
        moment = f"{watched_at:%Y-%m-%dT%H:%M:%S}"
        record = f"tvtime:{key.removeprefix('tvtime:')}:s{season}e{episode}:{moment}"
        if record in self.records:
            self.duplicates += 1
            return
        self.records.add(record)
        self.batch.shows[key].saw(season, episode)
        self.batch.viewings.append(ImportedViewing(key, season, episode, watched_at, record))

    def archived(self, key: str, flag: str) -> None:
        if flag.strip().lower() in _YES and key not in self.archived_shows:
            self.archived_shows.add(key)
            self.batch.archived.append(ImportedArchive(key, True))


def read(source: ImportSource) -> ImportBatch:
    """Read a TV Time GDPR export; ImportFormatError if it holds none of its history files."""
    records = source.find(RECORDS_V2)
    seen = source.find(SEEN_EPISODES)
    followed = source.find(FOLLOWED)
    if not (records or seen or followed):
        raise ImportFormatError(
            f"{source.path} is not a TV Time export: it holds no {RECORDS_V2}, "
            f"{SEEN_EPISODES} or {FOLLOWED} (give tracker the .zip TV Time sent, "
            "or the folder it unpacks to)"
        )
    reading = _Reading(ImportBatch("tvtime"))
    for member in followed:
        _read_followed(reading, member)
    for member in records:
        _read_records(reading, member)
    for member in seen:
        _read_seen(reading, member)
    batch = reading.batch
    if reading.duplicates:
        note(
            batch,
            f"{plural(reading.duplicates, 'viewing')} listed twice (same show, episode "
            "and time to the second) kept once",
        )
    if reading.other_records:
        note(
            batch,
            f"left out {plural(reading.other_records, 'TV Time record')} holding no "
            "episode viewing (movies, counters, lists)",
        )
    return batch


def _read_followed(reading: _Reading, member: Member) -> None:
    table = CsvTable(member, ["tv_show_name"], "TV Time followed_tv_show.csv")
    for row in table.rows(reading.batch):
        name = row.get("tv_show_name")
        if not name:
            reading.batch.skip(member.display, row.where, "no tv_show_name")
            continue
        key = reading.show_key(name, row.first("tv_show_id", "s_id"))
        reading.archived(key, row.get("archived"))


def _read_records(reading: _Reading, member: Member) -> None:
    table = CsvTable(
        member,
        ["series_name", ("season_number", "s_no"), ("episode_number", "ep_no"), "created_at"],
        "TV Time tracking-prod-records-v2.csv",
    )
    for row in table.rows(reading.batch):
        kind = row.get("key").lower()
        name, tvdb = row.get("series_name"), row.first("s_id", "series_id", "tv_show_id")
        if kind.startswith(_SHOW_KEYS):
            if name:
                key = reading.show_key(name, tvdb)
                reading.archived(key, row.get("is_archived"))
            continue
        if kind and not kind.startswith(_VIEWING_KEYS):
            reading.other_records += 1
            continue
        try:
            reading.viewing(row, name, tvdb, row.get("created_at"))
        except BadValueError as error:
            reading.batch.skip(member.display, row.where, str(error))


def _read_seen(reading: _Reading, member: Member) -> None:
    table = CsvTable(
        member,
        ["tv_show_name", "episode_season_number", "episode_number", "created_at"],
        "TV Time seen_episode.csv",
    )
    for row in table.rows(reading.batch):
        try:
            reading.viewing(
                row,
                row.get("tv_show_name"),
                row.first("tv_show_id", "s_id"),
                row.get("created_at"),
            )
        except BadValueError as error:
            reading.batch.skip(member.display, row.where, str(error))
