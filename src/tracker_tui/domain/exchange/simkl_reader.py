"""A Simkl backup (`{shows: [...], anime: [...], movies: [...]}` as JSON, or a ZIP
holding one) read into an ImportBatch.

Simkl keeps no viewing ids, so a viewing's record is built from the show, the episode,
the time and its occurrence; an episode with no `watched_at` is a viewing of unknown
time. Movies are not tracked: they are counted in one note, not skipped one by one.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from tracker_tui.domain.exchange.batch import (
    ImportBatch,
    ImportedRating,
    ImportedStatus,
    ImportedViewing,
    ImportFormatError,
)
from tracker_tui.domain.exchange.json_support import (
    BadValueError,
    check_numbers,
    kept_ids,
    note,
    parse_time,
    rating_value,
    show_key,
    where_undecodable,
    year_value,
)
from tracker_tui.domain.exchange.source import ImportSource, Member

STATUSES = {
    "plantowatch": "plan-to-watch",
    "watching": "watching",
    "completed": "completed",
    "hold": "on-hold",
    "dropped": "dropped",
}
"""Simkl's list statuses and tracker's (progress.records.STATUSES)."""

UNDATED_NOTE = "episodes Simkl lists without `watched_at` were imported with an unknown time"

Id = int | str | None


class SimklIds(msgspec.Struct):
    simkl: Id = None
    tmdb: Id = None
    imdb: Id = None
    tvdb: Id = None
    mal: Id = None
    anilist: Id = None
    kitsu: Id = None
    trakt: Id = None


class SimklTitle(msgspec.Struct):
    title: str
    year: int | None = None
    ids: SimklIds = msgspec.field(default_factory=SimklIds)


class SimklEpisode(msgspec.Struct):
    number: int
    watched_at: str | None = None


class SimklSeason(msgspec.Struct):
    number: int
    episodes: list[SimklEpisode] = []


class SimklItem(msgspec.Struct):
    show: SimklTitle | None = None
    anime: SimklTitle | None = None
    status: str | None = None
    user_rating: int | float | None = None
    last_watched_at: str | None = None
    seasons: list[SimklSeason] = []
    episodes: list[SimklEpisode] = []
    """Some anime items list their episodes flat: they are season 1."""


class Backup(msgspec.Struct):
    shows: list[msgspec.Raw] | None = None
    anime: list[msgspec.Raw] | None = None
    movies: list[msgspec.Raw] | None = None


_BACKUP = msgspec.json.Decoder(Backup)
_ITEM = msgspec.json.Decoder(SimklItem)


def read(source: ImportSource) -> ImportBatch:
    """Raises ImportFormatError when no member is a Simkl backup, or the backup cannot be
    decoded as a whole (the message gives the line and column)."""
    member = _backup_member(source)
    data = member.read_bytes()
    try:
        backup = _BACKUP.decode(data)
    except msgspec.DecodeError as error:
        raise ImportFormatError(
            f"{member.display} is not a readable Simkl backup "
            f"({where_undecodable(error, data)}); nothing was imported"
        ) from None
    if backup.shows is None and backup.anime is None and backup.movies is None:
        raise ImportFormatError(
            f"{member.display} has no `shows`, `anime` or `movies` list: this is not a Simkl backup"
        )
    batch = ImportBatch("simkl")
    seen: set[str] = set()
    for kind, items in (("series", backup.shows or []), ("anime", backup.anime or [])):
        for index, raw in enumerate(items, 1):
            _read_item(
                member,
                f"{'shows' if kind == 'series' else 'anime'} item {index}",
                raw,
                kind,
                batch,
                seen,
            )
    if backup.movies:
        count = len(backup.movies)
        note(batch, f"{count:,} movie{'' if count == 1 else 's'} left out: movies are not tracked")
    return batch


def _backup_member(source: ImportSource) -> Member:
    members = source.find("*.json")
    if len(members) == 1:
        return members[0]
    if not members:
        raise ImportFormatError(f"no .json file in {source.path}: this is not a Simkl backup")
    for member in members:
        with member.open() as stream:
            head = stream.read(4096)
        if b'"shows"' in head or b'"anime"' in head:
            return member
    names = ", ".join(member.name for member in members[:10])
    raise ImportFormatError(f"none of {names} in {source.path} looks like a Simkl backup")


def _read_item(
    member: Member,
    where: str,
    raw: msgspec.Raw,
    kind: str,
    batch: ImportBatch,
    seen: set[str],
) -> None:
    try:
        item = _ITEM.decode(raw)
        title = item.show or item.anime
        if title is None:
            raise BadValueError("the item has no `show`")
        name = title.title.strip()
        if not name:
            raise BadValueError("the show has no title")
    except msgspec.DecodeError as error:
        batch.skip(member.display, where, f"not a Simkl item: {error}")
        return
    except BadValueError as error:
        batch.skip(member.display, where, str(error))
        return
    where = f"{where} ({name})"
    ids = kept_ids(msgspec.structs.asdict(title.ids))
    year = year_value(title.year)
    show = batch.show(show_key("simkl", ids.get("simkl"), name, year), name, year, kind, ids)
    last_watched = _time(member, where, "last_watched_at", item.last_watched_at, batch)
    if item.status is not None:
        status = STATUSES.get(item.status)
        if status is None:
            batch.skip(
                member.display, where, f"status {item.status!r} is not one of {', '.join(STATUSES)}"
            )
        else:
            batch.statuses.append(ImportedStatus(show.key, status, last_watched))
    try:
        rating = rating_value(item.user_rating)
    except BadValueError as error:
        batch.skip(member.display, where, str(error))
    else:
        if rating is not None:
            batch.ratings.append(ImportedRating(show.key, None, None, rating, last_watched))
    seasons = list(item.seasons)
    if item.episodes:
        seasons.append(SimklSeason(1, item.episodes))
    for season in seasons:
        for episode in season.episodes:
            place = f"{where} S{season.number}E{episode.number}"
            try:
                check_numbers(season.number, episode.number)
                watched_at = (
                    None if episode.watched_at is None else parse_time(episode.watched_at, batch)
                )
            except BadValueError as error:
                batch.skip(member.display, place, str(error))
                continue
            when = "unknown" if watched_at is None else watched_at.isoformat()
            record = f"simkl:{show.key}:{season.number}:{episode.number}:{when}"
            if record in seen:
                batch.skip(member.display, place, "the same episode and time again (kept once)")
                continue
            seen.add(record)
            show.saw(season.number, episode.number)
            if watched_at is None:
                note(batch, UNDATED_NOTE)
            batch.viewings.append(
                ImportedViewing(show.key, season.number, episode.number, watched_at, record)
            )


def _time(
    member: Member, where: str, field: str, text: str | None, batch: ImportBatch
) -> dt.datetime | None:
    if text is None:
        return None
    try:
        return parse_time(text, batch)
    except BadValueError as error:
        batch.skip(member.display, where, f"{field}: {error}")
        return None
