"""The fast progress reader: msgspec checks every field of a version 2 file in C (types,
numbers from 1, times with a time zone), and each show is built the first time it is
looked at, so the app's first screen builds only the shows it draws.

A file msgspec refuses, or may have read wrong (an object that repeats a key), is left to
the careful reader in `format.py`, which names the bad field. Bytes known to pass that
check (`check_memo.py`) are decoded as an outline, each show's episodes when it is built.

Each show's text as the file holds it is also at hand (`FastRead.show_texts`): when this
tracker's writer wrote the file, a save need not format again the shows it did not change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Annotated, Literal, NamedTuple

import msgspec

from tracker_tui.domain.progress.model import EpisodeStates
from tracker_tui.domain.progress.reading import LARGEST_NUMBER, episode_state
from tracker_tui.domain.progress.records import (
    SKEW_ALLOWED,
    EpisodeKey,
    EpisodeRecord,
    EpisodeState,
    Mark,
    Progress,
    ShowRecords,
    ShowState,
    Viewing,
    in_utc,
)

VERSION = 2
"""The version this reader decodes: `format.FORMAT_VERSION` (a test checks they agree)."""

_Aware = Annotated[dt.datetime, msgspec.Meta(tz=True)]
_Number = Annotated[int, msgspec.Meta(ge=1, le=LARGEST_NUMBER)]
_Id = str  # checked all at once in `_looks_whole`: a pattern here costs a call per id


class _Viewing(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    id: _Id
    watched_at: _Aware | None
    logged_at: _Aware


class _StatusMark(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    value: Literal["watching", "completed", "on-hold", "dropped", "plan-to-watch"] | None
    changed_at: _Aware


class _FlagMark(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    value: bool | None
    changed_at: _Aware


class _RatingMark(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    value: Annotated[int, msgspec.Meta(ge=1, le=10)] | None
    changed_at: _Aware


class _Episode(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    viewings: list[_Viewing]
    removed: list[_Id] = []
    cleared_at: _Aware | None = None
    rating: _RatingMark | None = None


class _Season(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    episodes: dict[_Number, _Episode] = {}
    rating: _RatingMark | None = None


class _Show(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    seasons: dict[_Number, _Season] = {}
    status: _StatusMark | None = None
    archived: _FlagMark | None = None
    rating: _RatingMark | None = None


class _File(msgspec.Struct):
    version: int
    shows: dict[str, _Show]
    epoch: _Aware | None = None


_DECODER = msgspec.json.Decoder(_File)


# Bytes known to pass the whole-file check (see `check_memo.py`) need not be decoded
# whole at start: the outline (every mark) is a tenth of the work, and each show's
# episodes are decoded when the show is built. These very bytes were decoded whole by
# this very code before, so decoding the rest later cannot fail.
class _SeasonOutline(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    episodes: msgspec.Raw = msgspec.Raw(b"{}")
    rating: _RatingMark | None = None


class _ShowOutline(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    seasons: dict[_Number, _SeasonOutline] = {}
    status: _StatusMark | None = None
    archived: _FlagMark | None = None
    rating: _RatingMark | None = None


class _FileOutline(msgspec.Struct):
    version: int
    shows: dict[str, _ShowOutline]
    epoch: _Aware | None = None


_OUTLINE_DECODER = msgspec.json.Decoder(_FileOutline)
_EPISODES_DECODER = msgspec.json.Decoder(dict[_Number, _Episode])

SeasonsEpisodes = dict[int, dict[int, _Episode]]
"""One show's episodes as the file holds them, by season."""


def _episodes_decoded(show: _Show | _ShowOutline) -> Callable[[], SeasonsEpisodes]:
    """The show's episodes by season: at hand in a show decoded whole, else decoded on the
    first call (the episodes builder and the records builder share the one decoding)."""
    if isinstance(show, _Show):
        decoded = {number: season.episodes for number, season in show.seasons.items()}
        return lambda: decoded
    seasons = show.seasons
    made: list[SeasonsEpisodes] = []

    def decode() -> SeasonsEpisodes:
        if not made:
            made.append(
                {
                    number: _EPISODES_DECODER.decode(season.episodes)
                    for number, season in seasons.items()
                }
            )
        return made[0]

    return decode


class _ShowTexts(msgspec.Struct):
    shows: dict[str, msgspec.Raw]


_TEXTS_DECODER = msgspec.json.Decoder(_ShowTexts)


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is dt.UTC else in_utc(value)


class _Clamp:
    """`taken_as_now` for the fast reader, without a call per time when there is no limit."""

    __slots__ = ("limit", "now")

    def __init__(self, now: dt.datetime | None) -> None:
        self.now = now
        self.limit = now + SKEW_ALLOWED if now is not None else None

    def __call__(self, value: dt.datetime) -> dt.datetime:
        value = _utc(value)
        limit = self.limit
        return self.now if limit is not None and value > limit else value  # type: ignore[return-value]

    def mark(self, raw: _StatusMark | _FlagMark | _RatingMark | None) -> Mark | None:
        return None if raw is None else Mark(raw.value, self(raw.changed_at))


_NO_IDS: frozenset[str] = frozenset()


def _episodes_builder(
    show: str, seasons: Callable[[], SeasonsEpisodes], clamp: _Clamp
) -> Callable[[], EpisodeStates]:
    def build() -> EpisodeStates:
        episodes: dict[EpisodeKey, EpisodeState] = {}
        new_tuple = tuple.__new__  # no per-call argument handling
        utc, limit, now = dt.UTC, clamp.limit, clamp.now
        for season, raw_episodes in seasons().items():
            for episode, raw in raw_episodes.items():
                viewings = raw.viewings
                if len(viewings) == 1 and raw.cleared_at is None and not raw.removed:
                    only = viewings[0]  # the common case, quickly, as in `_records_builder`
                    logged_at, watched_at = only.logged_at, only.watched_at
                    if logged_at.tzinfo is not utc:
                        logged_at = in_utc(logged_at)
                    if limit is not None and now is not None and logged_at > limit:
                        logged_at = now
                    if watched_at is not None and watched_at.tzinfo is not utc:
                        watched_at = in_utc(watched_at)
                    viewing = new_tuple(Viewing, (only.id, watched_at, logged_at))
                    rating = clamp.mark(raw.rating) if raw.rating is not None else None
                    episodes[EpisodeKey(show, season, episode)] = new_tuple(
                        EpisodeState, ({only.id: viewing}, _NO_IDS, None, rating)
                    )
                    continue
                state = episode_state(
                    [
                        Viewing(
                            v.id,
                            _utc(v.watched_at) if v.watched_at is not None else None,
                            clamp(v.logged_at),
                        )
                        for v in raw.viewings
                    ],
                    frozenset(raw.removed) if raw.removed else _NO_IDS,
                    clamp(raw.cleared_at) if raw.cleared_at is not None else None,
                    clamp.mark(raw.rating),
                )
                if not state.is_empty():
                    episodes[EpisodeKey(show, season, episode)] = state
        return episodes

    return build


def _records_builder(
    show: str, seasons: Callable[[], SeasonsEpisodes], clamp: _Clamp
) -> Callable[[], ShowRecords]:
    """Each episode's record, made straight from the file in the common case (one viewing,
    no unmark or removal), as `EpisodeState.record` would derive it."""

    def build() -> ShowRecords:
        records: dict[EpisodeKey, EpisodeRecord] = {}
        new_record = tuple.__new__  # no per-call argument handling
        utc, limit, now = dt.UTC, clamp.limit, clamp.now
        for season, raw_episodes in seasons().items():
            for episode, raw in raw_episodes.items():
                key = EpisodeKey(show, season, episode)
                viewings = raw.viewings
                if len(viewings) == 1 and raw.cleared_at is None and not raw.removed:
                    only = viewings[0]
                    logged_at, watched_at = only.logged_at, only.watched_at
                    if logged_at.tzinfo is not utc:
                        logged_at = in_utc(logged_at)
                    if limit is not None and now is not None and logged_at > limit:
                        logged_at = now
                    if watched_at is not None and watched_at.tzinfo is not utc:
                        watched_at = in_utc(watched_at)
                    records[key] = new_record(EpisodeRecord, (True, logged_at, 1, watched_at))
                    continue
                state = episode_state(
                    [
                        Viewing(
                            v.id,
                            _utc(v.watched_at) if v.watched_at is not None else None,
                            clamp(v.logged_at),
                        )
                        for v in viewings
                    ],
                    frozenset(raw.removed),
                    clamp(raw.cleared_at) if raw.cleared_at is not None else None,
                    None,
                )
                record = state.record()
                if record is not None:
                    records[key] = record
        return records

    return build


ShowTexts = dict[str, tuple[ShowState, memoryview]]
"""Shows by id: the state read, and the text of its value (`{...}`) in the file (a view
of the bytes read, not a copy)."""


class FastRead(NamedTuple):
    progress: Progress
    limit: dt.datetime | None
    """A time after this was taken as the time of reading (see `_Clamp`)."""
    show_texts: Callable[[], ShowTexts]
    """Each show read with the text of its value in the file, found when called (a save's
    business)."""


def read_fast(raw: bytes, now: dt.datetime | None) -> Progress | None:
    """The file as Progress, or None when the careful reader must look (see the module)."""
    read = read_fast_file(raw, now)
    return None if read is None else read.progress


def read_fast_file(
    raw: bytes, now: dt.datetime | None, *, known_whole: bool = False
) -> FastRead | None:
    """Like `read_fast`, with each show's text. `known_whole`: these very bytes passed the
    whole-file check before (see `check_memo.py`), so it is not made again."""
    decoded = _decoded(raw, known_whole=known_whole)
    if decoded is None:
        return None
    clamp = _Clamp(now)
    shows: dict[str, ShowState] = {}
    raw_shows: Mapping[str, _Show | _ShowOutline] = decoded.shows
    for show, raw_show in raw_shows.items():
        episodes = _episodes_decoded(raw_show)
        state = ShowState.lazy(
            _episodes_builder(show, episodes, clamp),
            _records_builder(show, episodes, clamp),
            status=clamp.mark(raw_show.status),
            archived=clamp.mark(raw_show.archived),
            rating=clamp.mark(raw_show.rating),
            seasons={
                season: mark
                for season, raw_season in raw_show.seasons.items()
                if (mark := clamp.mark(raw_season.rating)) is not None
            },
        )
        if raw_show.seasons or state.marks() != (None, None, None, {}):
            shows[show] = state
    epoch = clamp(decoded.epoch) if decoded.epoch is not None else None

    def show_texts() -> ShowTexts:
        texts = _TEXTS_DECODER.decode(raw).shows
        return {show: (state, memoryview(texts[show])) for show, state in shows.items()}

    return FastRead(Progress.of_shows(shows, epoch), clamp.limit, show_texts)


_ID_LETTERS = re.compile(r"[0-9A-Za-z_-]*")


def _looks_whole(raw: bytes, decoded: _File) -> bool:
    """False when an id is not one, or when the file spells a field more often than msgspec
    decoded it, which keeps only the last of a key an object repeats: a repeated show,
    season or episode (or its viewings), unmark, removal or mark may hold what the last
    one lacks. (A field the file never spells needs no count.)"""
    if raw.count(b'"version"') != 1 or raw.count(b'"epoch"') != (decoded.epoch is not None):
        return False
    shows = decoded.shows.values()
    seasons = [season for show in shows for season in show.seasons.values()]
    if raw.count(b'"viewings"') != sum(len(season.episodes) for season in seasons):
        return False
    every = [episode for season in seasons for episode in season.episodes.values()]
    ids = [viewing.id for episode in every for viewing in episode.viewings]
    if raw.count(b'"removed"'):
        removed = [episode.removed for episode in every if episode.removed]
        if raw.count(b'"removed"') != len(removed):
            return False
        ids += [viewing_id for ids_removed in removed for viewing_id in ids_removed]
    if ids and (
        min(map(len, ids)) < 1
        or max(map(len, ids)) > 64
        or _ID_LETTERS.fullmatch("".join(ids)) is None
    ):
        return False
    cleared = raw.count(b'"cleared_at"')
    if cleared and cleared != sum(episode.cleared_at is not None for episode in every):
        return False
    marks = raw.count(b'"changed_at"')
    if marks:
        marks -= sum(season.rating is not None for season in seasons)
        marks -= sum(
            (show.status is not None) + (show.archived is not None) + (show.rating is not None)
            for show in shows
        )
        rated_above = sum(show.rating is not None for show in shows)
        rated_above += sum(season.rating is not None for season in seasons)
        if raw.count(b'"rating"') > rated_above:  # some episode is rated
            marks -= sum(episode.rating is not None for episode in every)
    return marks == 0


def _decoded(raw: bytes, *, known_whole: bool = False) -> _File | _FileOutline | None:
    """The file as msgspec reads it (only its outline when `known_whole`), or None when the
    careful reader must look.

    A file where an object repeats a key goes to the careful reader (so does one with a
    show id that is a field's name, which it reads the same).
    """
    try:
        decoded = (_OUTLINE_DECODER if known_whole else _DECODER).decode(raw)
    except (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return None
    if decoded.version != VERSION:
        return None
    if isinstance(decoded, _FileOutline):
        return decoded
    return decoded if _looks_whole(raw, decoded) else None
