"""Episode specs typed by users: `s1e3`, `s1e1-5`, `s1`, `next`."""

from __future__ import annotations

import re
from dataclasses import dataclass

SPEC_HINT = "use s1e3 (an episode), s1e1-5 (a range), s1 (a whole season) or next"

_SPEC = re.compile(
    r"^s(?P<season>\d+)(?:e(?P<first>\d+)(?:-(?:e)?(?P<last>\d+))?)?$", re.IGNORECASE
)


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


def parse_spec(text: str) -> EpisodeSpec:
    """Parse one spec; raise EpisodeSpecError with the accepted forms."""
    cleaned = text.strip()
    if cleaned.casefold() == "next":
        return EpisodeSpec(is_next=True)
    match = _SPEC.match(cleaned)
    if match is None:
        raise EpisodeSpecError(f"{text!r} is not an episode spec: {SPEC_HINT}")
    season = int(match["season"])
    if season < 1:
        raise EpisodeSpecError(f"{text!r}: seasons start at 1; {SPEC_HINT}")
    if match["first"] is None:
        return EpisodeSpec(season=season)
    first = int(match["first"])
    last = int(match["last"]) if match["last"] else first
    if first < 1:
        raise EpisodeSpecError(f"{text!r}: episodes start at 1; {SPEC_HINT}")
    if last < first:
        raise EpisodeSpecError(f"{text!r}: a range runs low to high; {SPEC_HINT}")
    return EpisodeSpec(season=season, first=first, last=last)
