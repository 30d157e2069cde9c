"""What the progress readers share: the format's errors, times, numbers and ids, JSON read
so that a key an object repeats is seen, and one episode's state built as both build it."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any, TypeGuard

from tracker_tui.domain.progress.records import (
    EpisodeState,
    Mark,
    Viewing,
    in_utc,
    taken_as_now,
)

LARGEST_NUMBER = 10**18 - 1
"""Bound on every number in the file: within a 64-bit integer, so both readers agree."""


class ProgressFormatError(ValueError):
    """The progress data is not a progress file this tracker reads."""


class NewerFormatError(ProgressFormatError):
    """The file was written by a newer tracker: leave it exactly as it is."""


def format_time(value: dt.datetime) -> str:
    """UTC ISO 8601 with a Z, as the file and JSON output write times."""
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_time(value: Any, where: str) -> dt.datetime:
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


def entries(value: dict[str, Any] | RepeatedKeys) -> Iterable[tuple[str, Any]]:
    return value if isinstance(value, RepeatedKeys) else value.items()


def repeated(pairs: RepeatedKeys) -> str:
    return next(key for key, n in Counter(key for key, _ in pairs).items() if n > 1)


_NUMBER = re.compile(r"[0-9]{1,18}")  # ASCII digits only: "²".isdigit() is True


def positive(text: str, where: str) -> int:
    if _NUMBER.fullmatch(text) is None or int(text) < 1:
        shown = text if len(text) <= 20 else text[:20] + "..."
        raise ProgressFormatError(f"{where}: {shown!r} is not a positive number (ASCII digits)")
    return int(text)


def checked_show_id(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ProgressFormatError(
            f"shows: the show id {text!r} holds a lone surrogate (\\ud800-\\udfff), "
            "which is not text: correct or remove that id"
        ) from error
    return text


def is_object(value: Any) -> TypeGuard[dict[str, Any] | RepeatedKeys]:
    return isinstance(value, (dict, RepeatedKeys))


def clamped_time(value: Any, where: str, now: dt.datetime | None) -> dt.datetime:
    return taken_as_now(parse_time(value, where), now)


VIEWING_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")


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


def careful_json(raw: bytes) -> Any:
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
