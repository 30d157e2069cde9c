"""Drafts of a show, as the app's forms and the command line fill them in, and their checks.

A draft is checked with the show format's own rules (`fields`, `models`, `dates`), field
by field, so each problem can be shown beside its field and what passes here loads.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from tracker_tui.domain.catalog.dates import MAX_YEAR, MIN_YEAR, PartialDate
from tracker_tui.domain.catalog.fields import name_problem
from tracker_tui.domain.catalog.models import MAX_EPISODE_NUMBER, MAX_SEASON_NUMBER, Kind

KINDS: tuple[str, ...] = tuple(kind.value for kind in Kind)
"""series, anime, miniseries, documentary, other: the show format's kinds, in order."""
MAX_EPISODES_PER_SEASON = MAX_EPISODE_NUMBER
MAX_SEASONS = MAX_SEASON_NUMBER
_ID_STEM_LENGTH = 60  # room for "-2", "-10000" after it


@dataclass(frozen=True)
class EpisodeDraft:
    number: int
    title: str | None = None
    air_date: str | None = None
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as `PartialDate.parse` reads it."""


@dataclass(frozen=True)
class SeasonDraft:
    number: int
    episode_count: int | None = None
    """None: unknown."""
    episodes: tuple[EpisodeDraft, ...] = ()


@dataclass(frozen=True)
class ShowDraft:
    title: str
    kind: str = "series"
    year: int | None = None
    seasons: tuple[SeasonDraft, ...] = ()


@dataclass(frozen=True)
class DraftProblem:
    field: str
    """`title`, `kind`, `year`, `seasons[0].episode_count`, `seasons[1].episodes[2].air_date`:
    indexes are 0-based positions in the draft's tuples."""
    message: str
    """What is wrong and the fix."""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class DraftError(ValueError):
    """A draft that would not make a valid file: every problem, field by field."""

    def __init__(self, problems: list[DraftProblem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


# --- checking a draft ---------------------------------------------------------------


def draft_problems(draft: ShowDraft) -> list[DraftProblem]:
    """Everything wrong with a draft, each with its field and the fix; empty: it can be saved."""
    problems: list[DraftProblem] = []
    title = draft.title.strip()
    if not title:
        problems.append(DraftProblem("title", "give the show's title"))
    elif (why := _title_problem(title)) is not None:
        problems.append(DraftProblem("title", why))
    if draft.kind not in KINDS:
        problems.append(DraftProblem("kind", f"is {draft.kind!r}; use one of {', '.join(KINDS)}"))
    if draft.year is not None and not MIN_YEAR <= draft.year <= MAX_YEAR:
        problems.append(
            DraftProblem("year", f"use a year from {MIN_YEAR} to {MAX_YEAR}, or leave it empty")
        )
    repeated = {n for n, seen in Counter(s.number for s in draft.seasons).items() if seen > 1}
    for index, season in enumerate(draft.seasons):
        problems += _season_problems(f"seasons[{index}]", season, season.number in repeated)
    return problems


def _season_problems(where: str, season: SeasonDraft, repeated: bool) -> list[DraftProblem]:
    problems = []
    if not 1 <= season.number <= MAX_SEASONS:
        problems.append(
            DraftProblem(f"{where}.number", f"use a season number 1 to {MAX_SEASONS:,}")
        )
    elif repeated:
        problems.append(
            DraftProblem(
                f"{where}.number",
                f"season {season.number} is listed twice; give each season its own number",
            )
        )
    count = season.episode_count
    if count is not None and not 1 <= count <= MAX_EPISODES_PER_SEASON:
        problems.append(
            DraftProblem(
                f"{where}.episode_count",
                f"use 1 to {MAX_EPISODES_PER_SEASON:,} episodes, or leave it empty if unknown",
            )
        )
        count = None
    numbers = Counter(episode.number for episode in season.episodes)
    for index, episode in enumerate(season.episodes):
        at = f"{where}.episodes[{index}]"
        if not 1 <= episode.number <= MAX_EPISODES_PER_SEASON:
            problems.append(DraftProblem(f"{at}.number", f"use 1 to {MAX_EPISODES_PER_SEASON:,}"))
        elif numbers[episode.number] > 1:
            problems.append(
                DraftProblem(f"{at}.number", f"episode {episode.number} is listed twice")
            )
        elif count is not None and episode.number > count:
            problems.append(
                DraftProblem(
                    f"{at}.number",
                    f"episode {episode.number} is beyond the season's {count} episodes; "
                    "raise the count or remove the episode",
                )
            )
        title = (episode.title or "").strip()
        if title and (why := _title_problem(title)) is not None:
            problems.append(DraftProblem(f"{at}.title", why))
        if episode.air_date and episode.air_date.strip():
            try:
                PartialDate.parse(episode.air_date)
            except ValueError as error:
                problems.append(DraftProblem(f"{at}.air_date", str(error)))
    return problems


def _title_problem(title: str) -> str | None:
    """A title is a `Name` (no control or invisible characters), on one line."""
    if "\n" in title or "\t" in title or "\r" in title:
        return "is on one line: remove the line break or tab"
    return name_problem(title)


# --- ids ------------------------------------------------------------------------------


def derive_id(title: str, taken: Collection[str]) -> str:
    """A show id from the title (`Kaiju Girl!` → `kaiju-girl`), unique against `taken`:
    `-2`, `-3`... is added until it is. A title with no Latin letters or digits gives `show`."""
    folded = unicodedata.normalize("NFKD", title.casefold())
    ascii_only = "".join(char for char in folded if char.isascii())
    words = re.findall(r"[a-z0-9]+", ascii_only)
    stem = ""
    for word in words:
        longer = f"{stem}-{word}" if stem else word
        if len(longer) > _ID_STEM_LENGTH:
            break
        stem = longer
    stem = stem or (words[0][:_ID_STEM_LENGTH] if words else "show")
    wanted = {name.casefold() for name in taken}
    if stem not in wanted:
        return stem
    number = 2
    while f"{stem}-{number}" in wanted:
        number += 1
    return f"{stem}-{number}"
