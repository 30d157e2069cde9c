"""Episode specs typed by users: `s1e3`, `s1e1-5`, `s1`, `next`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker_tui.domain.catalog.models import MAX_EPISODE_NUMBER
from tracker_tui.domain.watching.spec_hint import SPEC_HINT as SPEC_HINT

MAX_NUMBER = 1_000_000
"""The largest season or episode number a spec may name: past any real show, yet a
typo of 50 digits is refused before it becomes an integer that costs anything."""

MAX_RANGE = MAX_EPISODE_NUMBER
"""The most episodes one range may name (a season's most), so `s1e1-999999` cannot build
a million keys."""

# ASCII digits only: `\d` would also accept `٣` or `３`, which users never mean as numbers.
_SPEC = re.compile(
    r"^s(?P<season>[0-9]+)(?:e(?P<first>[0-9]+)(?:-(?:e)?(?P<last>[0-9]+))?)?$",
    re.IGNORECASE | re.ASCII,
)
_MAX_DIGITS = len(str(MAX_NUMBER))


class EpisodeSpecError(ValueError):
    """A spec the user typed is malformed or names episodes that do not exist."""


@dataclass(frozen=True)
class EpisodeSpec:
    """What the user asked for: a season, a range in it, one episode, or the next one."""

    season: int | None = None
    first: int | None = None
    last: int | None = None
    is_next: bool = False

    @property
    def whole_season(self) -> bool:
        return self.season is not None and self.first is None


def _number(digits: str, what: str, text: str) -> int:
    """The digits' value, refusing more than MAX_NUMBER before converting a huge string."""
    significant = digits.lstrip("0")
    value = MAX_NUMBER + 1 if len(significant) > _MAX_DIGITS else int(significant or "0")
    if value > MAX_NUMBER:
        raise EpisodeSpecError(f"{text!r}: {what} numbers go up to {MAX_NUMBER}; {SPEC_HINT}")
    return value


def parse_spec(text: str) -> EpisodeSpec:
    """Parse one spec; raise EpisodeSpecError with the accepted forms."""
    cleaned = text.strip()
    if cleaned.casefold() == "next":
        return EpisodeSpec(is_next=True)
    match = _SPEC.match(cleaned)
    if match is None:
        raise EpisodeSpecError(f"{text!r} is not an episode spec: {SPEC_HINT}")
    season = _number(match["season"], "season", text)
    if season < 1:
        raise EpisodeSpecError(f"{text!r}: seasons start at 1; {SPEC_HINT}")
    if match["first"] is None:
        return EpisodeSpec(season=season)
    first = _number(match["first"], "episode", text)
    last = _number(match["last"], "episode", text) if match["last"] else first
    if first < 1:
        raise EpisodeSpecError(f"{text!r}: episodes start at 1; {SPEC_HINT}")
    if last < first:
        raise EpisodeSpecError(f"{text!r}: a range runs low to high; {SPEC_HINT}")
    if last - first >= MAX_RANGE:
        raise EpisodeSpecError(
            f"{text!r}: a range spans at most {MAX_RANGE} episodes; split it, or use s1 "
            "for a whole season"
        )
    return EpisodeSpec(season=season, first=first, last=last)
