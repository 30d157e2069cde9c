"""The progress file's format, in one place: its version, the careful reader that names a
bad field, the writer, and the way to the fast reader (`fast_reader.py`) and to version 1
(`version1.py`, read and upgraded).

A heavy user's file holds 50,000 episodes. msgspec reads a good one in C, and each show
is built the first time it is looked at; a file msgspec refuses, or may have read wrong,
comes to the careful reader here, which names the bad field (or accepts what msgspec is
stricter about, such as a time with a space instead of a T).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from tracker_tui.domain import clock
from tracker_tui.domain.progress.digest import combined, piece_sum
from tracker_tui.domain.progress.fast_reader import ShowTexts, read_fast_file
from tracker_tui.domain.progress.model import newer_mark
from tracker_tui.domain.progress.reading import (
    VIEWING_ID,
    NewerFormatError,
    ProgressFormatError,
    RepeatedKeys,
    careful_json,
    checked_show_id,
    clamped_time,
    entries,
    episode_state,
    format_time,
    is_object,
    parse_time,
    positive,
    repeated,
)
from tracker_tui.domain.progress.records import (
    RATINGS,
    STATUSES,
    EpisodeKey,
    EpisodeState,
    Mark,
    Progress,
    ShowState,
    Viewing,
    far_future_keys,
)
from tracker_tui.domain.progress.version1 import version1_records

__all__ = [
    "FORMAT_VERSION",
    "NewerFormatError",
    "ProgressFormatError",
    "ProgressWriter",
    "ReadFile",
    "dumps_progress",
    "format_time",
    "from_json",
    "future_dated_keys",
    "read_json",
    "read_progress",
    "read_progress_file",
    "read_progress_version",
    "to_json",
]

FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
"""Version 1 (one record per episode) is read and upgraded; saves write version 2."""


def newer_format_message(version: int) -> str:
    return (
        f"written by a newer tracker (version {version}); "
        f"this tracker reads versions up to {FORMAT_VERSION}: upgrade tracker"
    )


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
        raise ProgressFormatError(f"the top level has {repeated(data)!r} twice")
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
    epoch = None if raw_epoch is None else clamped_time(raw_epoch, "epoch", now)
    shows = data.get("shows")
    if not is_object(shows):
        raise ProgressFormatError("shows: expected an object of show ids")
    if version == 1:
        return Progress(version1_records(shows, now), epoch), 1
    states: dict[str, ShowState] = {}
    for show_id, raw in entries(shows):
        show = checked_show_id(show_id)
        state = _show(show, raw, f"shows.{show}", now)
        kept = states.get(show)
        states[show] = state if kept is None else kept.merge(state)
    return Progress.of_shows({s: v for s, v in states.items() if not v.is_empty()}, epoch), 2


def _fields(raw: Any, where: str, what: str, known: frozenset[str]) -> dict[str, Any]:
    if isinstance(raw, RepeatedKeys):
        raise ProgressFormatError(f"{where}: {repeated(raw)!r} appears twice")
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
    if not is_object(seasons_raw):
        raise ProgressFormatError(f"{where}.seasons: expected an object of seasons")
    episodes: dict[EpisodeKey, EpisodeState] = {}
    season_marks: dict[int, Mark] = {}
    for season_text, season_raw in entries(seasons_raw):
        season = positive(season_text, f"{where}.seasons")
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
        if not is_object(episodes_raw):
            raise ProgressFormatError(f"{at}.episodes: expected an object of episodes")
        for episode_text, episode_raw in entries(episodes_raw):
            key = EpisodeKey(show, season, positive(episode_text, f"{at}.episodes"))
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
    return Mark(value, clamped_time(raw.get("changed_at"), f"{at}.changed_at", now))


def _viewing_id(value: Any, where: str) -> str:
    if not isinstance(value, str) or VIEWING_ID.fullmatch(value) is None:
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
                None if watched_at is None else parse_time(watched_at, f"{at}.watched_at"),
                clamped_time(viewing.get("logged_at"), f"{at}.logged_at", now),
            )
        )
    removed_raw = fields.get("removed", [])
    if not isinstance(removed_raw, list):
        raise ProgressFormatError(f"{where}.removed: expected a list of viewing ids")
    removed = frozenset(
        _viewing_id(value, f"{where}.removed[{index}]") for index, value in enumerate(removed_raw)
    )
    cleared_raw = fields.get("cleared_at")
    cleared_at = (
        None if cleared_raw is None else clamped_time(cleared_raw, f"{where}.cleared_at", now)
    )
    return episode_state(viewings, removed, cleared_at, _mark(fields, "rating", where, now))


def read_progress(raw: bytes, *, clamp_future: bool = True) -> Progress:
    """A progress file's bytes as Progress; ProgressFormatError names what is wrong.

    A time stamped more than a day after clock.now() is taken as now, so a clock set
    wrong cannot freeze an episode (`clamp_future=False` reads the file as written,
    for `tracker validate`).
    """
    return read_progress_version(raw, clamp_future=clamp_future)[0]


def read_progress_version(raw: bytes, *, clamp_future: bool = True) -> tuple[Progress, int]:
    """Like `read_progress`, plus the version the file was written in (1 is upgraded).

    The fast reader takes a good version 2 file; anything else goes to the careful one."""
    read = read_progress_file(raw, clamp_future=clamp_future)
    return read.progress, read.version


class ReadFile(NamedTuple):
    """A progress file read, with what a store needs to save it cheaply."""

    progress: Progress
    version: int
    """The version it was written in (1 is upgraded)."""
    checked_whole: bool
    """The fast reader took it: it passed the whole-file check (or was known to)."""
    limit: dt.datetime | None
    """A time after this was taken as the time of reading (see `taken_as_now`)."""
    show_texts: Callable[[], ShowTexts] | None
    """Each show's text as the file holds it (see `ProgressWriter.adopt`); None when the
    careful reader read it."""


def read_progress_file(
    raw: bytes, *, clamp_future: bool = True, known_whole: bool = False
) -> ReadFile:
    """Like `read_progress_version`, plus what the fast reader knows of the file's text.
    `known_whole`: these very bytes passed the fast reader's whole-file check before."""
    now = clock.now() if clamp_future else None
    read = read_fast_file(raw, now, known_whole=known_whole)
    if read is None:
        progress, version = read_json(careful_json(raw), now)
        return ReadFile(progress, version, False, None, None)
    return ReadFile(read.progress, FORMAT_VERSION, True, read.limit, read.show_texts)


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


class _Block(NamedTuple):
    state: ShowState
    head: bytes
    text: bytes | memoryview
    """The show's block in the file, encoded: `head` then `text` (a show's text adopted
    from a file read is a view of its bytes, and its key is apart)."""
    latest: dt.datetime | None
    """The latest time in it that a reader takes as now when too far ahead (see
    `ShowState.times`), or a later one; None: it holds none."""
    reads_back: bool
    """Read back, it gives a state the writer formats the same (no empty episode in it,
    which a reader drops)."""
    sums: bytes
    """The sum of its piece of the file when another show follows (`head`, `text`, then
    `,` and a newline): kept, so a save sums only the shows it formatted (`digest.py`)."""
    size: int
    """The length of that piece."""


class WrittenFile(NamedTuple):
    """What the writer knows of the bytes it made last (see `check_memo.py`)."""

    latest: dt.datetime | None
    """The latest time any show holds (or a later one) that a reader may take as now."""
    reads_back: bool
    """Read back (with no time taken as now), every show formats to its text again."""
    digest: int | None = None
    """The bytes' digest (`digest.py`), worked out from each show's kept sum."""
    cuts: tuple[int, ...] = ()
    """Where the digest's pieces begin: the head, then each show's block."""


class ProgressWriter:
    """Writes progress as pretty JSON, one viewing per line: readable, diffable, and fast.

    Each show's block of text is kept with the state it was made from; a show whose
    state is the same object as last time (see `Progress`) is not formatted again, so
    saving one change in 50,000 episodes formats one show. The blocks of a file this
    writer wrote, read back, can be handed over too (`adopt`): then even the first save
    after a start formats only what changed.
    """

    def __init__(self) -> None:
        self._blocks: dict[str, _Block] = {}
        self._adopted: tuple[Callable[[], ShowTexts], dt.datetime | None] | None = None
        self.written = WrittenFile(None, True)
        """What the last dump's bytes hold, for the memo kept of them."""

    def adopt(self, show_texts: Callable[[], ShowTexts], latest: dt.datetime | None) -> None:
        """Take each show's text in a file just read as this writer's own block for the very
        state read. Only for a file such a writer wrote, whose every show reads back as
        written (`WrittenFile.reads_back`) and whose `latest` time no reader took as now:
        the caller knows (see `check_memo.py`). Worked out at the next dump, if any."""
        self._adopted = (show_texts, latest)

    def dumps(self, progress: Progress) -> str:
        return self.dump_bytes(progress).decode("utf-8")

    def dump_bytes(self, progress: Progress) -> bytes:
        """The file's UTF-8 bytes: each show's block is kept encoded, and joined once."""
        blocks: dict[str, _Block] = {}
        kept_blocks = self._blocks
        if self._adopted is not None:
            (show_texts, latest), self._adopted = self._adopted, None
            adopted = {}
            for show, (state, view) in show_texts().items():
                key = _show_head(show).encode("utf-8")
                size = len(key) + len(view) + len(_NEXT)
                piece = piece_sum(key, view, _NEXT)
                adopted[show] = _Block(state, key, view, latest, True, piece, size)
            kept_blocks = kept_blocks | adopted
        for show in sorted(progress.shows):
            state = progress.shows[show]
            kept = kept_blocks.get(show)
            if kept is None or kept.state is not state:
                formatted = _show_block(show, state).encode("utf-8")
                kept = _Block(
                    state,
                    b"",
                    formatted,
                    max((moment for _, moment in state.times()), default=None),
                    not any(episode.is_empty() for episode in state.episodes.values()),
                    piece_sum(formatted, _NEXT),
                    len(formatted) + len(_NEXT),
                )
            blocks[show] = kept
        # Kept for every show seen, not only this dump's: a dump of a part (an import's
        # delta, for its journal) must not cost the next save the other shows' text.
        self._blocks = kept_blocks | blocks
        epoch = f'  "epoch": "{format_time(progress.epoch)}",\n' if progress.epoch else ""
        head = f'{{\n  "version": {FORMAT_VERSION},\n{epoch}  "shows": {{\n'.encode()
        # One join of every piece: a heavy file is megabytes, and each join copies it all.
        parts: list[bytes | memoryview] = [head]
        for block in blocks.values():
            parts += (block.head, block.text, _NEXT)
        if blocks:
            parts[-1] = b"\n"
        parts.append(_TAIL)
        data = b"".join(parts)
        cuts, sums = _pieces(head, list(blocks.values()), data)
        self.written = WrittenFile(
            max((block.latest for block in blocks.values() if block.latest), default=None),
            all(block.reads_back for block in blocks.values()),
            combined(sums),
            cuts,
        )
        return data


_TAIL = b"  }\n}\n"
"""The file's last lines, after the last show."""
_NEXT = b",\n"
"""Between one show's block and the next."""


def _pieces(head: bytes, blocks: list[_Block], data: bytes) -> tuple[tuple[int, ...], list[bytes]]:
    """The digest's pieces of `data` (`digest.py`): where each begins and its sum. The
    head, then each show's block with what follows it; only the last block's is summed
    here (the end of the file follows it), the others' are kept with them."""
    if not blocks:
        return (0,), [piece_sum(data)]
    before_last, last = blocks[:-1], blocks[-1]
    cuts = (0, *itertools.accumulate([len(head), *(block.size for block in before_last)]))
    sums = [piece_sum(head), *(block.sums for block in before_last)]
    sums.append(piece_sum(last.head, last.text, b"\n", _TAIL))
    return cuts, sums


def _mark_text(mark: Mark) -> str:
    value = json.dumps(mark.value, ensure_ascii=False)
    return f'{{"value": {value}, "changed_at": "{format_time(mark.changed_at)}"}}'


def _viewing_text(viewing: Viewing) -> str:
    # Field for field what json.dumps(viewing_json(viewing)) gives, at a fraction of the
    # cost: ids are letters, digits, - and _ (both readers check), so need no escaping.
    watched_at, logged_at = viewing.watched_at, viewing.logged_at
    when = f'"{format_time(watched_at)}"' if watched_at is not None else "null"
    # An imported viewing is logged at the time it was watched: format that time once.
    logged = when if logged_at == watched_at else f'"{format_time(logged_at)}"'
    return f'{{"id": "{viewing.id}", "watched_at": {when}, "logged_at": {logged}}}'


def _show_head(show: str) -> str:
    """What comes before a show's value in the file: its indent and key."""
    return f"    {json.dumps(show, ensure_ascii=False)}: "


def _show_block(show: str, state: ShowState) -> str:
    lines = [_show_head(show) + "{"]
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
    held = state.viewings.values()
    viewings = [
        _viewing_text(v) for v in (held if len(held) < 2 else sorted(held, key=Viewing.order))
    ]
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
