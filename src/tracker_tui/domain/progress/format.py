"""The progress file's format, in one place: its version, the fast reader, the careful
reader that names a bad field, and the writer.


A heavy user's file holds 50,000 records. msgspec checks every field of it in C
(types, numbers from 1, times with a time zone) in about 20 ms; each show's
records are then built the first time that show is looked at, so the app's first
screen builds only the shows it draws. A file msgspec refuses, or may have read
wrong, goes to the careful reader in `progress`, which names the bad field (or
accepts what msgspec is stricter about, such as a time with a space instead of a T).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any, Literal, TypeGuard

import msgspec

from tracker_tui.domain import clock
from tracker_tui.domain.progress.model import EpisodeStates, newer_mark
from tracker_tui.domain.progress.records import (
    RATINGS,
    SKEW_ALLOWED,
    STATUSES,
    EpisodeKey,
    EpisodeRecord,
    EpisodeState,
    Mark,
    Progress,
    ShowRecords,
    ShowState,
    Viewing,
    far_future_keys,
    in_utc,
    taken_as_now,
)

FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
"""Version 1 (one record per episode) is read and upgraded; saves write version 2."""
VERSION1_LARGEST_COUNT = 10_000
"""A version 1 watch count becomes that many viewings: bounded, as no one watches more."""
LARGEST_NUMBER = 10**18 - 1
"""Bound on every number in the file: within a 64-bit integer, so both readers agree."""


class ProgressFormatError(ValueError):
    """The progress data is not a progress file this tracker reads."""


class NewerFormatError(ProgressFormatError):
    """The file was written by a newer tracker: leave it exactly as it is."""


def format_time(value: dt.datetime) -> str:
    """UTC ISO 8601 with a Z, as the file and JSON output write times."""
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def newer_format_message(version: int) -> str:
    return (
        f"written by a newer tracker (version {version}); "
        f"this tracker reads versions up to {FORMAT_VERSION}: upgrade tracker"
    )


def _parse_time(value: Any, where: str) -> dt.datetime:
    if not isinstance(value, str):
        raise ProgressFormatError(f"{where}: expected a UTC ISO 8601 time")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise ProgressFormatError(f"{where}: {value!r} is not an ISO 8601 time") from error
    if parsed.tzinfo is None:
        raise ProgressFormatError(f"{where}: {value!r} has no time zone")
    return in_utc(parsed)


class RepeatedKeys(list[tuple[str, Any]]):
    """A JSON object that repeats a key, as every (key, value) pair in order: json keeps
    only the last, and that may be an older record."""


def json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any] | RepeatedKeys:
    """`object_pairs_hook` for json.loads: keeps every pair of an object that repeats a key."""
    unique = dict(pairs)
    return unique if len(unique) == len(pairs) else RepeatedKeys(pairs)


def _entries(value: dict[str, Any] | RepeatedKeys) -> Iterable[tuple[str, Any]]:
    return value if isinstance(value, RepeatedKeys) else value.items()


def _repeated(pairs: RepeatedKeys) -> str:
    return next(key for key, n in Counter(key for key, _ in pairs).items() if n > 1)


_NUMBER = re.compile(r"[0-9]{1,18}")  # ASCII digits only: "²".isdigit() is True


def _positive(text: str, where: str) -> int:
    if _NUMBER.fullmatch(text) is None or int(text) < 1:
        shown = text if len(text) <= 20 else text[:20] + "..."
        raise ProgressFormatError(f"{where}: {shown!r} is not a positive number (ASCII digits)")
    return int(text)


def _show_id(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ProgressFormatError(
            f"shows: the show id {text!r} holds a lone surrogate (\\ud800-\\udfff), "
            "which is not text: correct or remove that id"
        ) from error
    return text


def _object(value: Any) -> TypeGuard[dict[str, Any] | RepeatedKeys]:
    return isinstance(value, (dict, RepeatedKeys))


def from_json(data: Any, now: dt.datetime | None = None) -> Progress:
    """Read the file's shape (version 2, or version 1 upgraded); raise ProgressFormatError
    naming the first bad field.

    With `now`, a time stamped more than a day after it is taken as `now` (see
    `taken_as_now`).
    """
    return read_json(data, now)[0]


def read_json(data: Any, now: dt.datetime | None = None) -> tuple[Progress, int]:
    """Like `from_json`, plus the version the data was written in."""
    if isinstance(data, RepeatedKeys):
        raise ProgressFormatError(f"the top level has {_repeated(data)!r} twice")
    if not isinstance(data, dict):
        raise ProgressFormatError("the top level is not a JSON object")
    version = data.get("version")
    if type(version) is int and version > FORMAT_VERSION:
        raise NewerFormatError(newer_format_message(version))
    if type(version) is not int or version not in READABLE_VERSIONS:
        raise ProgressFormatError(
            f"version is {version!r}; this tracker reads versions 1 and {FORMAT_VERSION}"
        )
    raw_epoch = data.get("epoch")
    epoch = None if raw_epoch is None else _time(raw_epoch, "epoch", now)
    shows = data.get("shows")
    if not _object(shows):
        raise ProgressFormatError("shows: expected an object of show ids")
    if version == 1:
        return Progress(version1_records(shows, now), epoch), 1
    states: dict[str, ShowState] = {}
    for show_id, raw in _entries(shows):
        show = _show_id(show_id)
        state = _show(show, raw, f"shows.{show}", now)
        kept = states.get(show)
        states[show] = state if kept is None else kept.merge(state)
    return Progress.of_shows({s: v for s, v in states.items() if not v.is_empty()}, epoch), 2


def _time(value: Any, where: str, now: dt.datetime | None) -> dt.datetime:
    return taken_as_now(_parse_time(value, where), now)


def _fields(raw: Any, where: str, what: str, known: frozenset[str]) -> dict[str, Any]:
    if isinstance(raw, RepeatedKeys):
        raise ProgressFormatError(f"{where}: {_repeated(raw)!r} appears twice")
    if not isinstance(raw, dict):
        raise ProgressFormatError(f"{where}: expected {what}")
    unknown = sorted(set(raw) - known)
    if unknown:
        shown = ", ".join(sorted(known))
        raise ProgressFormatError(f"{where}: unknown field {unknown[0]!r} (fields: {shown})")
    return raw


_SHOW_FIELDS = frozenset({"status", "archived", "rating", "seasons"})
_SEASON_FIELDS = frozenset({"rating", "episodes"})
_EPISODE_FIELDS = frozenset({"viewings", "removed", "cleared_at", "rating"})
_VIEWING_FIELDS = frozenset({"id", "watched_at", "logged_at"})
_MARK_FIELDS = frozenset({"value", "changed_at"})


def _show(show: str, raw: Any, where: str, now: dt.datetime | None) -> ShowState:
    fields = _fields(raw, where, "an object with the show's seasons", _SHOW_FIELDS)
    seasons_raw = fields.get("seasons", {})
    if not _object(seasons_raw):
        raise ProgressFormatError(f"{where}.seasons: expected an object of seasons")
    episodes: dict[EpisodeKey, EpisodeState] = {}
    season_marks: dict[int, Mark] = {}
    for season_text, season_raw in _entries(seasons_raw):
        season = _positive(season_text, f"{where}.seasons")
        at = f"{where}.seasons.{season}"
        season_fields = _fields(
            season_raw, at, "an object with the season's episodes", _SEASON_FIELDS
        )
        mark = _mark(season_fields, "rating", at, now)
        if mark is not None:
            kept = newer_mark(season_marks.get(season), mark)
            assert kept is not None
            season_marks[season] = kept
        episodes_raw = season_fields.get("episodes", {})
        if not _object(episodes_raw):
            raise ProgressFormatError(f"{at}.episodes: expected an object of episodes")
        for episode_text, episode_raw in _entries(episodes_raw):
            key = EpisodeKey(show, season, _positive(episode_text, f"{at}.episodes"))
            state = _episode(episode_raw, f"{at}.episodes.{key.episode}", now)
            kept_state = episodes.get(key)
            episodes[key] = state if kept_state is None else kept_state.merge(state)
    return ShowState(
        {key: state for key, state in episodes.items() if not state.is_empty()},
        status=_mark(fields, "status", where, now),
        archived=_mark(fields, "archived", where, now),
        rating=_mark(fields, "rating", where, now),
        seasons=season_marks,
    )


def _mark(fields: dict[str, Any], name: str, where: str, now: dt.datetime | None) -> Mark | None:
    if name not in fields:
        return None
    at = f"{where}.{name}"
    raw = _fields(fields[name], at, '{"value": ..., "changed_at": TIME}', _MARK_FIELDS)
    value = raw.get("value")
    if value is not None:
        if name == "status" and value not in STATUSES:
            raise ProgressFormatError(f"{at}.value: expected null or one of {', '.join(STATUSES)}")
        if name == "archived" and not isinstance(value, bool):
            raise ProgressFormatError(f"{at}.value: expected true, false or null")
        if name == "rating" and (type(value) is not int or value not in RATINGS):
            raise ProgressFormatError(f"{at}.value: expected a whole number from 1 to 10, or null")
    return Mark(value, _time(raw.get("changed_at"), f"{at}.changed_at", now))


_VIEWING_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")


def _viewing_id(value: Any, where: str) -> str:
    if not isinstance(value, str) or _VIEWING_ID.fullmatch(value) is None:
        raise ProgressFormatError(f"{where}: expected an id of 1 to 64 letters, digits, - or _")
    return value


def _episode(raw: Any, where: str, now: dt.datetime | None) -> EpisodeState:
    fields = _fields(raw, where, "an episode object", _EPISODE_FIELDS)
    viewings_raw = fields.get("viewings")
    if not isinstance(viewings_raw, list):
        raise ProgressFormatError(f"{where}.viewings: expected a list of viewings")
    viewings: list[Viewing] = []
    for index, viewing_raw in enumerate(viewings_raw):
        at = f"{where}.viewings[{index}]"
        viewing = _fields(viewing_raw, at, "a viewing object", _VIEWING_FIELDS)
        if "watched_at" not in viewing:
            raise ProgressFormatError(f"{at}.watched_at: missing (null when not known)")
        watched_at = viewing["watched_at"]
        viewings.append(
            Viewing(
                _viewing_id(viewing.get("id"), f"{at}.id"),
                None if watched_at is None else _parse_time(watched_at, f"{at}.watched_at"),
                _time(viewing.get("logged_at"), f"{at}.logged_at", now),
            )
        )
    removed_raw = fields.get("removed", [])
    if not isinstance(removed_raw, list):
        raise ProgressFormatError(f"{where}.removed: expected a list of viewing ids")
    removed = frozenset(
        _viewing_id(value, f"{where}.removed[{index}]") for index, value in enumerate(removed_raw)
    )
    cleared_raw = fields.get("cleared_at")
    cleared_at = None if cleared_raw is None else _time(cleared_raw, f"{where}.cleared_at", now)
    return episode_state(viewings, removed, cleared_at, _mark(fields, "rating", where, now))


def episode_state(
    viewings: Iterable[Viewing],
    removed: frozenset[str],
    cleared_at: dt.datetime | None,
    rating: Mark | None,
) -> EpisodeState:
    """One episode's state as both readers build it; an id listed twice keeps one viewing,
    chosen as a merge would."""
    by_id: dict[str, Viewing] = {}
    for viewing in viewings:
        kept = by_id.get(viewing.id)
        if kept is None or viewing.order() > kept.order():
            by_id[viewing.id] = viewing
    return EpisodeState(by_id, removed, cleared_at, rating)


# --- The fast reader -----------------------------------------------------------

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
    show: str, seasons: dict[int, _Season], clamp: _Clamp
) -> Callable[[], EpisodeStates]:
    def build() -> EpisodeStates:
        episodes: dict[EpisodeKey, EpisodeState] = {}
        new_tuple = tuple.__new__  # no per-call argument handling
        utc, limit, now = dt.UTC, clamp.limit, clamp.now
        for season, raw_season in seasons.items():
            for episode, raw in raw_season.episodes.items():
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
    show: str, seasons: dict[int, _Season], clamp: _Clamp
) -> Callable[[], ShowRecords]:
    """Each episode's record, made straight from the file in the common case (one viewing,
    no unmark or removal), as `EpisodeState.record` would derive it."""

    def build() -> ShowRecords:
        records: dict[EpisodeKey, EpisodeRecord] = {}
        new_record = tuple.__new__  # no per-call argument handling
        utc, limit, now = dt.UTC, clamp.limit, clamp.now
        for season, raw_season in seasons.items():
            for episode, raw in raw_season.episodes.items():
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


def read_progress(raw: bytes, *, clamp_future: bool = True) -> Progress:
    """A progress file's bytes as Progress; ProgressFormatError names what is wrong.

    A time stamped more than a day after clock.now() is taken as now, so a clock set
    wrong cannot freeze an episode (`clamp_future=False` reads the file as written,
    for `tracker validate`).
    """
    return read_progress_version(raw, clamp_future=clamp_future)[0]


def read_progress_version(raw: bytes, *, clamp_future: bool = True) -> tuple[Progress, int]:
    """Like `read_progress`, plus the version the file was written in (1 is upgraded)."""
    now = clock.now() if clamp_future else None
    decoded = _decoded(raw)
    if decoded is None:
        return read_json(_careful_json(raw), now)
    clamp = _Clamp(now)
    shows: dict[str, ShowState] = {}
    for show, raw_show in decoded.shows.items():
        state = ShowState.lazy(
            _episodes_builder(show, raw_show.seasons, clamp),
            _records_builder(show, raw_show.seasons, clamp),
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
    return Progress.of_shows(shows, epoch), FORMAT_VERSION


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


def _decoded(raw: bytes) -> _File | None:
    """The file as msgspec reads it, or None when the careful reader must look.

    A file where an object repeats a key goes to the careful reader (so does one with a
    show id that is a field's name, which it reads the same).
    """
    try:
        decoded = _DECODER.decode(raw)
    except (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return None
    if decoded.version != FORMAT_VERSION:
        return None
    return decoded if _looks_whole(raw, decoded) else None


def _careful_json(raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProgressFormatError(
            f"not UTF-8 text: byte {raw[error.start]:#04x} at offset {error.start}"
        ) from error
    try:
        return json.loads(text, object_pairs_hook=json_object)
    except json.JSONDecodeError as error:
        raise ProgressFormatError(f"not JSON ({error})") from error
    except RecursionError as error:
        raise ProgressFormatError("not a progress file: nested too deeply") from error
    except ValueError as error:  # an integer literal of thousands of digits
        raise ProgressFormatError(f"a number in it is too long ({error})") from error


# --- Version 1: one record per episode, read and upgraded ------------------------


def version1_records(shows: Any, now: dt.datetime | None) -> dict[EpisodeKey, EpisodeRecord]:
    """A version 1 file's records (show -> season -> episode -> record); an episode listed
    twice keeps its newer record, as version 1 merged."""
    records: dict[EpisodeKey, EpisodeRecord] = {}
    for show_id, seasons in _entries(shows):
        show = _show_id(show_id)
        if not _object(seasons):
            raise ProgressFormatError(f"shows.{show}: expected an object of seasons")
        for season_text, episodes in _entries(seasons):
            season = _positive(season_text, f"shows.{show}")
            where = f"shows.{show}.{season}"
            if not _object(episodes):
                raise ProgressFormatError(f"{where}: expected an object of episodes")
            for episode_text, raw in _entries(episodes):
                key = EpisodeKey(show, season, _positive(episode_text, where))
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
        raise ProgressFormatError(f"{where}: {_repeated(raw)!r} appears twice in one record")
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
        changed_at=_time(raw.get("changed_at"), f"{where}.changed_at", now),
        watch_count=count,
        watched_at=_parse_time(watched_at, f"{where}.watched_at") if watched_at else None,
    )


def future_dated_keys(path: Path, now: dt.datetime) -> list[EpisodeKey]:
    """Episodes the progress file at `path` stamps more than a day after `now`, as written;
    none when it is missing, not a regular file, or unreadable (load reports that)."""
    if not path.is_file():
        return []
    try:
        return far_future_keys(read_progress(path.read_bytes(), clamp_future=False), now)
    except (OSError, ProgressFormatError):
        return []


# --- The writer ------------------------------------------------------------------


def mark_json(mark: Mark) -> dict[str, Any]:
    return {"value": mark.value, "changed_at": format_time(mark.changed_at)}


def viewing_json(viewing: Viewing) -> dict[str, Any]:
    watched_at = viewing.watched_at
    return {
        "id": viewing.id,
        "watched_at": format_time(watched_at) if watched_at is not None else None,
        "logged_at": format_time(viewing.logged_at),
    }


def episode_json(state: EpisodeState) -> dict[str, Any]:
    """One episode: its viewings oldest first, then what is set of the rest."""
    data: dict[str, Any] = {
        "viewings": [viewing_json(v) for v in sorted(state.viewings.values(), key=Viewing.order)]
    }
    if state.removed:
        data["removed"] = sorted(state.removed)
    if state.cleared_at is not None:
        data["cleared_at"] = format_time(state.cleared_at)
    if state.rating is not None:
        data["rating"] = mark_json(state.rating)
    return data


def show_json(state: ShowState) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, mark in (("status", state.status), ("archived", state.archived)):
        if mark is not None:
            data[name] = mark_json(mark)
    if state.rating is not None:
        data["rating"] = mark_json(state.rating)
    seasons: dict[int, dict[str, Any]] = {}
    for season, mark in state.seasons.items():
        seasons[season] = {"rating": mark_json(mark)}
    for key in sorted(state.episodes):
        season_data = seasons.setdefault(key.season, {})
        season_data.setdefault("episodes", {})[str(key.episode)] = episode_json(state.episodes[key])
    data["seasons"] = {
        str(season): {"episodes": {}} | seasons[season] for season in sorted(seasons)
    }
    return data


def to_json(progress: Progress) -> dict[str, Any]:
    """The file's shape: version, the last replace's epoch if any, then each show's marks
    and seasons, each season's rating and episodes, each episode's viewings and the rest."""
    head: dict[str, Any] = {"version": FORMAT_VERSION}
    if progress.epoch is not None:
        head["epoch"] = format_time(progress.epoch)
    shows = {show: show_json(progress.shows[show]) for show in sorted(progress.shows)}
    return head | {"shows": shows}


class ProgressWriter:
    """Writes progress as pretty JSON, one viewing per line: readable, diffable, and fast.

    Each show's block of text is kept with the state it was made from; a show whose
    state is the same object as last time (see `Progress`) is not formatted again, so
    saving one change in 50,000 episodes formats one show.
    """

    def __init__(self) -> None:
        self._blocks: dict[str, tuple[ShowState, bytes]] = {}

    def dumps(self, progress: Progress) -> str:
        return self.dump_bytes(progress).decode("utf-8")

    def dump_bytes(self, progress: Progress) -> bytes:
        """The file's UTF-8 bytes: each show's block is kept encoded, and joined once."""
        blocks: dict[str, tuple[ShowState, bytes]] = {}
        kept_blocks = self._blocks
        for show in sorted(progress.shows):
            state = progress.shows[show]
            kept = kept_blocks.get(show)
            if kept is None or kept[0] is not state:
                kept = (state, _show_block(show, state).encode("utf-8"))
            blocks[show] = kept
        self._blocks = blocks
        epoch = f'  "epoch": "{format_time(progress.epoch)}",\n' if progress.epoch else ""
        head = f'{{\n  "version": {FORMAT_VERSION},\n{epoch}  "shows": {{\n'.encode()
        body = b",\n".join([text for _, text in blocks.values()])
        return b"".join((head, body, b"\n" if body else b"", b"  }\n}\n"))


def _mark_text(mark: Mark) -> str:
    value = json.dumps(mark.value, ensure_ascii=False)
    return f'{{"value": {value}, "changed_at": "{format_time(mark.changed_at)}"}}'


def _viewing_text(viewing: Viewing) -> str:
    # Field for field what json.dumps(viewing_json(viewing)) gives, at a fraction of the
    # cost: ids are letters, digits, - and _ (both readers check), so need no escaping.
    watched_at = viewing.watched_at
    when = f'"{format_time(watched_at)}"' if watched_at is not None else "null"
    return (
        f'{{"id": "{viewing.id}", "watched_at": {when}, '
        f'"logged_at": "{format_time(viewing.logged_at)}"}}'
    )


def _show_block(show: str, state: ShowState) -> str:
    lines = [f"    {json.dumps(show, ensure_ascii=False)}: {{"]
    for name, mark in (("status", state.status), ("archived", state.archived)):
        if mark is not None:
            lines.append(f'      "{name}": {_mark_text(mark)},')
    if state.rating is not None:
        lines.append(f'      "rating": {_mark_text(state.rating)},')
    by_season: dict[int, list[str]] = {season: [] for season in state.seasons}
    episodes = state.episodes
    for key in sorted(episodes):
        by_season.setdefault(key.season, []).append(_episode_text(key.episode, episodes[key]))
    seasons = []
    for season in sorted(by_season):
        mark = state.seasons.get(season)
        head = f'        "{season}": {{' + (f'"rating": {_mark_text(mark)}, ' if mark else "")
        texts = by_season[season]
        if texts:
            seasons.append(f'{head}"episodes": {{\n' + ",\n".join(texts) + "\n        }}")
        else:
            seasons.append(f'{head}"episodes": {{}}}}')
    body = ("{\n" + ",\n".join(seasons) + "\n      }") if seasons else "{}"
    lines.append(f'      "seasons": {body}')
    lines.append("    }")
    return "\n".join(lines)


def _episode_text(episode: int, state: EpisodeState) -> str:
    """One episode: on one line with at most one viewing, else one line per viewing."""
    viewings = [_viewing_text(v) for v in sorted(state.viewings.values(), key=Viewing.order)]
    rest = ""
    if state.removed:
        rest += f', "removed": {json.dumps(sorted(state.removed))}'
    if state.cleared_at is not None:
        rest += f', "cleared_at": "{format_time(state.cleared_at)}"'
    if state.rating is not None:
        rest += f', "rating": {_mark_text(state.rating)}'
    if len(viewings) <= 1:
        return f'          "{episode}": {{"viewings": [{"".join(viewings)}]{rest}}}'
    inner = ",\n".join(f"            {text}" for text in viewings)
    return f'          "{episode}": {{"viewings": [\n{inner}\n          ]{rest}}}'


def dumps_progress(progress: Progress) -> str:
    """The progress file's text for `progress`."""
    return ProgressWriter().dumps(progress)
