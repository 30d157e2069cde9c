"""The catalog's data model: shows, seasons, episodes, people, notes and their sources."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    model_validator,
)

from tracker_tui.domain.dates import PartialDate, PartialDateField
from tracker_tui.domain.text import first_control_character


def _reject_control_characters(text: str) -> str:
    bad = first_control_character(text)
    if bad is not None:
        raise ValueError(f"contains the terminal control character U+{ord(bad):04X}; remove it")
    return text


Text = Annotated[str, AfterValidator(_reject_control_characters)]
"""Any text shown to the user: never carries terminal control characters."""

NonEmptyText = Annotated[Text, Field(min_length=1)]


class _Model(BaseModel):
    # Unknown keys are typos in a hand-written file: report them, never ignore them.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Kind(StrEnum):
    """What sort of show this is."""

    SERIES = "series"
    ANIME = "anime"


class ReleaseState(StrEnum):
    """Where a season stands, from first word to release."""

    ANNOUNCED = "announced"
    IN_PRODUCTION = "in_production"
    SCHEDULED = "scheduled"
    RELEASED = "released"

    @property
    def rank(self) -> int:
        """Later stages rank higher, so the furthest stage reported is the current one."""
        return list(ReleaseState).index(self)

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


_SPOILER = re.compile(r"^s(?P<season>[1-9]\d*)(?:e(?P<episode>[1-9]\d*))?$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class SpoilerScope:
    """How far a user must have watched before a note may be shown."""

    season: int
    episode: int | None = None

    @classmethod
    def parse(cls, text: str) -> SpoilerScope:
        match = _SPOILER.match(text.strip())
        if match is None:
            raise ValueError(f"{text!r} is not a spoiler scope: use s1 (a season) or s1e5")
        episode = match["episode"]
        return cls(int(match["season"]), int(episode) if episode else None)

    def code(self) -> str:
        """`S1` or `S1E5`, as shown to the user and written in JSON."""
        if self.episode is None:
            return f"S{self.season}"
        return f"S{self.season}E{self.episode}"


def _coerce_spoiler(value: Any) -> SpoilerScope:
    if isinstance(value, SpoilerScope):
        return value
    if isinstance(value, str):
        return SpoilerScope.parse(value)
    raise ValueError("expected a spoiler scope such as s1 or s1e5")


SpoilerField = Annotated[
    SpoilerScope,
    BeforeValidator(_coerce_spoiler),
    PlainSerializer(lambda scope: scope.code(), return_type=str),
]

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
"""A stable id: lower-case words joined by hyphens. Progress files key on it."""


class SourceRef(_Model):
    """A claim's evidence: a source document and a verbatim quote from it."""

    document: NonEmptyText = Field(description="File name of the source document.")
    quote: NonEmptyText = Field(description="Words from that document, verbatim.")


Sources = Annotated[list[SourceRef], Field(default_factory=list)]


class Attributed(_Model):
    """A single fact with the sources that give it."""

    value: NonEmptyText
    sources: Sources


class SourceMaterial(_Model):
    """The work a show adapts."""

    title: NonEmptyText
    medium: NonEmptyText = Field(description="webtoon, manga, novel...")
    author: Text | None = None
    original_title: Text | None = None
    started: PartialDateField | None = Field(default=None, description="When it began.")
    sources: Sources


class Person(_Model):
    """Someone who made or appears in the show, in one role."""

    name: NonEmptyText
    role: NonEmptyText = Field(description="director, creator, writer, cast, voice...")
    character: Text | None = None
    sources: Sources
    dispute: Slug | None = Field(default=None, description="Id of a disagreement it is part of.")


class StatusReport(_Model):
    """One source's word on where a season stands."""

    state: ReleaseState
    detail: NonEmptyText = Field(description="What was reported, in our own words.")
    on: PartialDateField | None = Field(
        default=None, description="When it happened: released on, confirmed on."
    )
    expected: PartialDateField | None = Field(
        default=None, description="When the next step is due: release, end of filming."
    )
    sources: Sources
    dispute: Slug | None = None

    def is_overdue(self, today: dt.date) -> bool:
        """True when the expected window has passed without a later report."""
        return (
            self.state is not ReleaseState.RELEASED
            and self.expected is not None
            and self.expected.last_day() < today
        )


class Episode(_Model):
    number: int = Field(ge=1)
    title: Text | None = None


class Season(_Model):
    """A season with its release status and its episodes."""

    number: int = Field(ge=1)
    status: list[StatusReport] = Field(min_length=1)
    episode_count: int | None = Field(
        default=None, ge=1, description="None when no source gives a count."
    )
    episode_count_sources: Sources
    episodes: list[Episode] = Field(default_factory=list)

    @model_validator(mode="after")
    def _episodes_fit(self) -> Season:
        counts = Counter(episode.number for episode in self.episodes)
        duplicates = sorted(number for number, seen in counts.items() if seen > 1)
        if duplicates:
            raise ValueError(f"episode numbers repeat: {', '.join(map(str, duplicates))}")
        if self.episode_count is not None:
            beyond = sorted(n for n in counts if n > self.episode_count)
            if beyond:
                raise ValueError(
                    f"episode {beyond[0]} is beyond the season's episode_count of "
                    f"{self.episode_count}"
                )
        return self

    @property
    def current_status(self) -> StatusReport:
        """The furthest stage reported; among equals, the one expected last."""

        def key(report: StatusReport) -> tuple[int, dt.date, dt.date]:
            floor = dt.date.min
            on = report.on.last_day() if report.on else floor
            expected = report.expected.last_day() if report.expected else floor
            return (report.state.rank, on, expected)

        return max(self.status, key=key)

    @property
    def release_date(self) -> PartialDate | None:
        """The release date, or the scheduled one, at the precision the sources give."""
        current = self.current_status
        if current.state is ReleaseState.RELEASED:
            return current.on
        if current.state is ReleaseState.SCHEDULED:
            return current.expected
        return None


class Dispute(_Model):
    """Sources disagree: every fact carrying this id is one side's claim."""

    id: Slug
    topic: NonEmptyText


class Note(_Model):
    """Something worth knowing about a show, in our words, backed by its sources."""

    id: Slug
    topic: NonEmptyText
    text: NonEmptyText
    sources: list[SourceRef] = Field(min_length=1)
    spoiler: SpoilerField | None = Field(
        default=None, description="Hidden until the user has watched this far."
    )
    dispute: Slug | None = None


class Show(_Model):
    """A show as the catalog knows it."""

    id: Slug
    title: NonEmptyText
    aliases: list[NonEmptyText] = Field(default_factory=list)
    kind: Kind
    country: Attributed | None = None
    platform: Attributed | None = None
    studio: Attributed | None = None
    source_material: SourceMaterial | None = None
    people: list[Person] = Field(default_factory=list)
    seasons: list[Season] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    disputes: list[Dispute] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ids_are_consistent(self) -> Show:
        _reject_repeats("season numbers", [season.number for season in self.seasons])
        _reject_repeats("note ids", [note.id for note in self.notes])
        _reject_repeats("dispute ids", [dispute.id for dispute in self.disputes])
        declared = {dispute.id for dispute in self.disputes}
        used = Counter(dispute_id for dispute_id, _ in self.disputed_facts())
        undeclared = sorted(set(used) - declared)
        if undeclared:
            raise ValueError(f"dispute {undeclared[0]!r} is used but not listed under [[disputes]]")
        lonely = sorted(dispute_id for dispute_id in declared if used[dispute_id] < 2)
        if lonely:
            raise ValueError(
                f"dispute {lonely[0]!r} needs at least two facts that carry it, one per claim"
            )
        return self

    def disputed_facts(self) -> Iterator[tuple[str, Person | StatusReport | Note]]:
        """Every fact that is one side of a disagreement, with the dispute's id."""
        for person in self.people:
            if person.dispute:
                yield person.dispute, person
        for season in self.seasons:
            for report in season.status:
                if report.dispute:
                    yield report.dispute, report
        for note in self.notes:
            if note.dispute:
                yield note.dispute, note

    def source_refs(self) -> Iterator[tuple[str, SourceRef]]:
        """Every citation in the show, with a readable path to where it sits."""
        for name in ("country", "platform", "studio", "source_material"):
            fact = getattr(self, name)
            if fact is not None:
                for i, ref in enumerate(fact.sources):
                    yield f"{name}.sources[{i}]", ref
        for p, person in enumerate(self.people):
            for i, ref in enumerate(person.sources):
                yield f"people[{p}].sources[{i}]", ref
        for s, season in enumerate(self.seasons):
            for r, report in enumerate(season.status):
                for i, ref in enumerate(report.sources):
                    yield f"seasons[{s}].status[{r}].sources[{i}]", ref
            for i, ref in enumerate(season.episode_count_sources):
                yield f"seasons[{s}].episode_count_sources[{i}]", ref
        for n, note in enumerate(self.notes):
            for i, ref in enumerate(note.sources):
                yield f"notes[{n}].sources[{i}]", ref


def _reject_repeats(what: str, values: list[Any]) -> None:
    repeated = sorted(str(value) for value, seen in Counter(values).items() if seen > 1)
    if repeated:
        raise ValueError(f"{what} repeat: {', '.join(repeated)}")
