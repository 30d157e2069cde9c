"""What an export holds, in one shape for every format: shows, viewings, ratings, list
statuses and archive flags, and the records that were skipped with the reason.

A reader fills an `ImportBatch`; it never looks at the catalog or the user's progress.
Shows are keyed by a key the reader makes (stable within the export, e.g. `trakt:1390` or
`title:Severance|2022`); every other record points at its show by that key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tracker_tui.domain.catalog.models import MAX_EPISODE_NUMBER, MAX_SEASON_NUMBER

ID_NAMES = ("trakt", "tmdb", "tvdb", "imdb", "mal", "simkl", "anilist", "kitsu", "tvtime")
"""External ids kept in a show file's `[ids]` table, in this order; others are dropped."""

FORMATS = ("tracker", "trakt", "tvtime", "simkl", "mal", "yamtrack", "csv")
"""What `tracker import --from` reads (`auto` detects one of them)."""


SPECIALS = "specials (season 0) are not tracked: tracker's seasons and episodes start at 1"


def number_problem(season: int, episode: int | None = None) -> str | None:
    """Why a season (and episode) number cannot be tracked, or None: one rule for every
    reader and the planner, the show format's own bounds."""
    if season < 1 or (episode is not None and episode < 1):
        return SPECIALS
    if season > MAX_SEASON_NUMBER or (episode is not None and episode > MAX_EPISODE_NUMBER):
        return (
            f"season {season}"
            + (f" episode {episode}" if episode is not None else "")
            + f" is beyond what a show file holds ({MAX_SEASON_NUMBER} seasons, "
            f"{MAX_EPISODE_NUMBER} episodes)"
        )
    return None


class ImportFormatError(Exception):
    """The export as a whole cannot be read as the format asked for: nothing is imported.

    The message names the file and what is wrong, and the fix when there is one
    ("this looks like a TV Time export: use --from tvtime").
    """


@dataclass
class ImportedEpisode:
    number: int
    title: str | None = None
    air_date: str | None = None
    """`YYYY-MM-DD` (or `YYYY-MM`, `YYYY`) when the export gives one."""


@dataclass
class ImportedSeason:
    number: int
    episode_count: int | None = None
    """Only when the export states how many episodes the season has."""
    episodes: dict[int, ImportedEpisode] = field(default_factory=dict)


@dataclass
class ImportedShow:
    key: str
    title: str
    year: int | None = None
    kind: str = "series"
    """series or anime (the show format's kinds)."""
    ids: dict[str, str] = field(default_factory=dict)
    """External ids by name (ID_NAMES), as strings: {"trakt": "1390", "imdb": "tt0944947"}."""
    seasons: dict[int, ImportedSeason] = field(default_factory=dict)

    def season(self, number: int) -> ImportedSeason:
        found = self.seasons.get(number)
        if found is None:
            found = self.seasons[number] = ImportedSeason(number)
        return found

    def saw(
        self,
        season: int,
        episode: int,
        title: str | None = None,
        air_date: str | None = None,
    ) -> None:
        """Record that the export knows this episode (and its title or date, if given)."""
        episodes = self.season(season).episodes
        known = episodes.get(episode)
        if known is None:
            episodes[episode] = ImportedEpisode(episode, title, air_date)
        else:
            known.title = known.title or title
            known.air_date = known.air_date or air_date


# Slots: a large export holds hundreds of thousands of these.
@dataclass(frozen=True, slots=True)
class ImportedViewing:
    show: str
    """The show's key in the batch."""
    season: int
    episode: int
    watched_at: dt.datetime | None
    """Aware (UTC); None when the export does not date it (MAL counts episodes)."""
    record: str
    """This viewing's identity in the export, stable between two exports of the same
    history: `trakt:history:9876`, `mal:5114:e3:w2`, `tvtime:seen:<show>:1:3:<time>`.
    The viewing's id in progress is derived from it, which makes a repeat import a no-op."""


@dataclass(frozen=True)
class ImportedRating:
    show: str
    season: int | None
    """None: the show's rating."""
    episode: int | None
    """None: the season's (or the show's) rating."""
    rating: int
    """1 to 10."""
    rated_at: dt.datetime | None = None


@dataclass(frozen=True)
class ImportedStatus:
    show: str
    status: str
    """One of progress.records.STATUSES."""
    changed_at: dt.datetime | None = None


@dataclass(frozen=True)
class ImportedArchive:
    show: str
    archived: bool
    changed_at: dt.datetime | None = None


@dataclass(frozen=True)
class Skipped:
    file: str
    """The member as messages name it (`Member.display`): `export.zip:seen_episode.csv`."""
    where: str
    """`line 12`, `record 5`, `entry 9876`, `<anime> 3 (Cowboy Bebop)`."""
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, {self.where}: {self.reason}"


@dataclass
class ImportBatch:
    format: str
    shows: dict[str, ImportedShow] = field(default_factory=dict)
    viewings: list[ImportedViewing] = field(default_factory=list)
    ratings: list[ImportedRating] = field(default_factory=list)
    statuses: list[ImportedStatus] = field(default_factory=list)
    archived: list[ImportedArchive] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the user should know about the whole import, said once: "times without a
    zone were taken as UTC", "MAL gives no viewing dates: times are unknown"."""

    def show(
        self,
        key: str,
        title: str,
        year: int | None = None,
        kind: str = "series",
        ids: dict[str, str] | None = None,
    ) -> ImportedShow:
        """The show under `key`, made on first sight; later sightings fill in what was missing."""
        found = self.shows.get(key)
        if found is None:
            found = self.shows[key] = ImportedShow(key, title, year, kind, dict(ids or {}))
            return found
        if found.year is None:
            found.year = year
        for name, value in (ids or {}).items():
            found.ids.setdefault(name, value)
        return found

    def skip(self, file: str, where: str, reason: str) -> None:
        self.skipped.append(Skipped(file, where, reason))
