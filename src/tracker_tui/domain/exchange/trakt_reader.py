"""Trakt's export (a ZIP or a folder of JSON files) read into an ImportBatch.

`watched-history*.json` is the source of truth: one entry per viewing, each with its own
id (`trakt:history:<id>`). Ratings come from `ratings-shows*.json`,
`ratings-seasons*.json` and `ratings-episodes*.json`; `watched-shows.json` only fills in
episodes the history lacks. Each file is decoded with msgspec, entry by entry into small
Structs holding only the fields used, so one bad entry is skipped and the rest read.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import msgspec

from tracker_tui.domain.exchange.batch import (
    ImportBatch,
    ImportedRating,
    ImportedShow,
    ImportedViewing,
    ImportFormatError,
)
from tracker_tui.domain.exchange.json_support import (
    BadValueError,
    UndecodableError,
    check_numbers,
    iter_array,
    kept_ids,
    note,
    parse_time,
    rating_value,
    show_key,
    where_undecodable,
    year_value,
)
from tracker_tui.domain.exchange.source import ImportSource, Member

HISTORY = "watched-history*.json"
RATINGS = ("ratings-shows*.json", "ratings-seasons*.json", "ratings-episodes*.json")
WATCHED = "watched-shows*.json"
VIEWING_ACTIONS = ("watch", "scrobble", "checkin")

Id = int | str | None
_NULL = msgspec.Raw(b"null")


class TraktIds(msgspec.Struct, frozen=True):
    trakt: Id = None
    tvdb: Id = None
    imdb: Id = None
    tmdb: Id = None


class TraktShow(msgspec.Struct, frozen=True):
    """Frozen, so equal sightings of a show share one lookup (a history repeats each show
    in every entry)."""

    title: str
    year: int | None = None
    ids: TraktIds = msgspec.field(default_factory=TraktIds)


class TraktEpisode(msgspec.Struct):
    season: int
    number: int
    title: str | None = None


class HistoryEntry(msgspec.Struct):
    id: int
    watched_at: str
    type: str = "episode"
    action: str = "watch"
    episode: TraktEpisode | None = None
    show: msgspec.Raw = msgspec.field(default_factory=lambda: _NULL)
    """Kept undecoded: a history repeats each show in every entry, so a show's bytes are
    decoded once and then looked up."""


class RatedSeason(msgspec.Struct):
    number: int


class RatingEntry(msgspec.Struct):
    rating: int | float
    show: TraktShow
    rated_at: str | None = None
    type: str | None = None
    season: RatedSeason | None = None
    episode: TraktEpisode | None = None


class WatchedEpisode(msgspec.Struct):
    number: int
    plays: int = 1
    last_watched_at: str | None = None


class WatchedSeason(msgspec.Struct):
    number: int
    episodes: list[WatchedEpisode] = []


class WatchedShow(msgspec.Struct):
    show: TraktShow
    seasons: list[WatchedSeason] = []


class EntryId(msgspec.Struct):
    """Just enough of a broken entry to name it."""

    id: int | str | None = None


_RAW_LIST = msgspec.json.Decoder(list[msgspec.Raw])
_SHOW = msgspec.json.Decoder(TraktShow | None)
_HISTORY = msgspec.json.Decoder(HistoryEntry)
_RATING = msgspec.json.Decoder(RatingEntry)
_WATCHED = msgspec.json.Decoder(WatchedShow)
_ENTRY_ID = msgspec.json.Decoder(EntryId)


def _lone_history(source: ImportSource) -> list[Member]:
    """A single JSON file holding an array, whatever its name: `tracker export --format
    trakt FILE` writes one, and a user may have renamed Trakt's."""
    if len(source.members) != 1 or source.find(*RATINGS, WATCHED):
        return []
    member = source.members[0]
    with member.open() as stream:
        head = stream.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return [member] if head.startswith(b"[") else []


def read(source: ImportSource) -> ImportBatch:
    """Raises ImportFormatError when the export has no history file, or one that cannot
    be decoded as a whole (the message says which file, and the line and column)."""
    histories = source.find(HISTORY) or _lone_history(source)
    if not histories:
        found = ", ".join(member.name for member in source.members[:10]) or "no files"
        raise ImportFormatError(
            f"no watched-history*.json in {source.path} (found {found}): this is not a Trakt export"
        )
    reader = _Reader(ImportBatch("trakt"))
    for member in histories:
        reader.history(member)
    for member in source.find(*RATINGS):
        entries = _entries(member, reader.batch)
        if entries is not None:
            reader.ratings(member, entries)
    watched = source.first(WATCHED)
    if watched is not None:
        entries = _entries(watched, reader.batch)
        if entries is not None:
            reader.watched(watched, entries)
    return reader.finish()


def _entries(member: Member, batch: ImportBatch) -> list[msgspec.Raw] | None:
    """A ratings or watched file's entries, each still undecoded; None (and a skip) when
    the file is not a JSON array. These files are small: each is read whole."""
    data = member.read_bytes()
    try:
        return _RAW_LIST.decode(data)
    except msgspec.DecodeError as error:
        where = where_undecodable(error, data)
        batch.skip(member.display, "the whole file", f"not readable JSON ({where})")
        return None


def _name(raw: msgspec.Raw, index: int) -> str:
    """`entry <id>` when the broken entry still has an id, else `record <n>`."""
    try:
        entry_id = _ENTRY_ID.decode(raw).id
    except msgspec.DecodeError:
        entry_id = None
    return f"entry {entry_id}" if entry_id is not None else f"record {index}"


class _Reader:
    """The batch being filled, and what the history taught the later files."""

    def __init__(self, batch: ImportBatch) -> None:
        self.batch = batch
        self.plays: Counter[tuple[str, int, int]] = Counter()
        """Viewings the history holds per episode (watched-shows.json adds only beyond them)."""
        self.seen: set[int] = set()
        self.movies = 0
        self.known: dict[TraktShow, ImportedShow] = {}
        self.known_bytes: dict[bytes, ImportedShow | None] = {}

    def show(self, show: TraktShow) -> ImportedShow:
        known = self.known.get(show)
        if known is None:
            known = self.known[show] = self.new_show(show)
        return known

    def history_show(self, raw: msgspec.Raw) -> ImportedShow | None:
        """The show of a history entry, decoded once per distinct spelling of it."""
        key = bytes(raw)
        if key in self.known_bytes:
            return self.known_bytes[key]
        try:
            show = _SHOW.decode(raw)
        except msgspec.DecodeError as error:
            raise BadValueError(f"not a history entry: {error} (in `show`)") from None
        found = self.known_bytes[key] = None if show is None else self.show(show)
        return found

    def new_show(self, show: TraktShow) -> ImportedShow:
        title = show.title.strip()
        if not title:
            raise BadValueError("the show has no title")
        ids = kept_ids(msgspec.structs.asdict(show.ids))
        year = year_value(show.year)
        return self.batch.show(
            show_key("trakt", ids.get("trakt"), title, year), title, year, ids=ids
        )

    def history(self, member: Member) -> None:
        """Raises ImportFormatError when the file is not a JSON array to its end: a
        history that cannot be read whole imports nothing."""
        try:
            for index, raw in enumerate(itertools.chain.from_iterable(iter_array(member)), 1):
                self.history_entry(member, index, raw)
        except UndecodableError as error:
            raise ImportFormatError(
                f"{member.display} is not a readable Trakt history ({error}); nothing was imported"
            ) from None

    def history_entry(self, member: Member, index: int, raw: msgspec.Raw) -> None:
        batch = self.batch
        try:
            entry = _HISTORY.decode(raw)
        except msgspec.DecodeError as error:
            batch.skip(member.display, _name(raw, index), f"not a history entry: {error}")
            return
        if entry.type == "movie":
            self.movies += 1
            return
        try:
            episode, show, watched_at = self.checked(entry)
        except BadValueError as error:
            batch.skip(member.display, f"entry {entry.id}", str(error))
            return
        if entry.id in self.seen:
            batch.skip(member.display, f"entry {entry.id}", "the same entry again (kept once)")
            return
        self.seen.add(entry.id)
        show.saw(episode.season, episode.number, episode.title or None)
        self.plays[show.key, episode.season, episode.number] += 1
        batch.viewings.append(
            ImportedViewing(
                show.key,
                episode.season,
                episode.number,
                watched_at,
                f"trakt:history:{entry.id}",
            )
        )

    def checked(self, entry: HistoryEntry) -> tuple[TraktEpisode, ImportedShow, dt.datetime]:
        if entry.type != "episode":
            raise BadValueError(f"type {entry.type!r} is not an episode")
        if entry.action not in VIEWING_ACTIONS:
            raise BadValueError(f"action {entry.action!r} is not a viewing")
        show = self.history_show(entry.show)
        if entry.episode is None or show is None:
            raise BadValueError("an episode entry needs both `episode` and `show`")
        check_numbers(entry.episode.season, entry.episode.number)
        return entry.episode, show, parse_time(entry.watched_at, self.batch)

    def ratings(self, member: Member, entries: list[msgspec.Raw]) -> None:
        batch = self.batch
        for index, raw in enumerate(entries, 1):
            where = f"record {index}"
            try:
                entry = _RATING.decode(raw)
                rating = rating_value(entry.rating)
                if rating is None:
                    continue
                rated_at = None if entry.rated_at is None else parse_time(entry.rated_at, batch)
                season: int | None = None
                number: int | None = None
                if entry.episode is not None:
                    season, number = entry.episode.season, entry.episode.number
                elif entry.season is not None:
                    season = entry.season.number
                elif entry.type in ("season", "episode"):
                    raise BadValueError(f"a {entry.type} rating without its {entry.type}")
                if season is not None:
                    check_numbers(season, number)
                show = self.show(entry.show)
            except msgspec.DecodeError as error:
                batch.skip(member.display, where, f"not a rating entry: {error}")
                continue
            except BadValueError as error:
                batch.skip(member.display, where, str(error))
                continue
            if season is not None and number is not None:
                show.saw(season, number, entry.episode.title if entry.episode else None)
            batch.ratings.append(ImportedRating(show.key, season, number, rating, rated_at))

    def watched(self, member: Member, entries: list[msgspec.Raw]) -> None:
        """Episodes the history lacks, or plays beyond its count: a viewing at the
        episode's last_watched_at when the history has none, the rest of unknown time."""
        batch = self.batch
        dated = undated = 0
        for index, raw in enumerate(entries, 1):
            where = f"record {index}"
            try:
                item = _WATCHED.decode(raw)
                show = self.show(item.show)
            except msgspec.DecodeError as error:
                batch.skip(member.display, where, f"not a watched show: {error}")
                continue
            except BadValueError as error:
                batch.skip(member.display, where, str(error))
                continue
            for season in item.seasons:
                for episode in season.episodes:
                    place = f"{where} ({show.title}) S{season.number}E{episode.number}"
                    try:
                        check_numbers(season.number, episode.number)
                        history = self.plays[show.key, season.number, episode.number]
                        plays = min(max(episode.plays, 0), 1000)
                        if plays <= history:
                            continue
                        last = episode.last_watched_at
                        when = None if last is None else parse_time(last, batch)
                    except BadValueError as error:
                        batch.skip(member.display, place, str(error))
                        continue
                    show.saw(season.number, episode.number)
                    stem = f"trakt:watched:{show.key}:{season.number}:{episode.number}"
                    for play in range(history + 1, plays + 1):
                        known = when if history == 0 and play == plays else None
                        dated += known is not None
                        undated += known is None
                        batch.viewings.append(
                            ImportedViewing(
                                show.key, season.number, episode.number, known, f"{stem}:{play}"
                            )
                        )
        if dated or undated:
            note(
                batch,
                f"{member.display} added {dated + undated:,} viewings the history lacks "
                f"({dated:,} at the episode's last watch, {undated:,} of unknown time)",
            )

    def finish(self) -> ImportBatch:
        if self.movies:
            note(
                self.batch,
                f"{_entries_word(self.movies)} for movies left out: movies are not tracked",
            )
        return self.batch


def _entries_word(count: int) -> str:
    return f"{count:,} entry" if count == 1 else f"{count:,} entries"
