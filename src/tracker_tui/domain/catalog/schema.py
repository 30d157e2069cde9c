"""The show file format as pydantic models: the one place files are checked.

Only a file that is new or has changed since the last run is validated here;
the checked data is then kept in the catalog cache, so a normal start never
imports pydantic. Everything past this boundary uses the plain objects in
`models`.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from tracker_tui.domain.catalog.dates import DATE_PATTERN, PartialDate, coerce_partial_date
from tracker_tui.domain.catalog.models import (
    MAX_EPISODE_NUMBER,
    MAX_SEASON_NUMBER,
    Kind,
    MonthDay,
    ReleaseState,
    SpoilerScope,
)
from tracker_tui.domain.catalog.problems import Problem
from tracker_tui.domain.catalog.text import (
    first_control_character,
    first_direction_character,
    first_invisible_character,
)


def _described(char: str) -> str:
    """`U+202E (RIGHT-TO-LEFT OVERRIDE)`: the code point, and its name where it has one."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} ({name})" if name else f"U+{ord(char):04X}"


def _reject_terminal_controls(text: str) -> None:
    bad = first_control_character(text)
    if bad is not None:
        raise ValueError(f"contains the terminal control character U+{ord(bad):04X}; remove it")


def _reject_control_characters(text: str) -> str:
    _reject_terminal_controls(text)
    bad = first_direction_character(text)
    if bad is not None:
        raise ValueError(f"contains the direction character {_described(bad)}; remove it")
    return text


def _reject_invisible_characters(text: str) -> str:
    _reject_terminal_controls(text)
    bad = first_invisible_character(text)
    if bad is not None:
        raise ValueError(f"contains the invisible character {_described(bad)}; remove it")
    return text


Text = Annotated[str, AfterValidator(_reject_control_characters)]
"""Any text shown to the user: no terminal control characters, nothing that reorders it."""

NonEmptyText = Annotated[Text, Field(min_length=1)]

Name = Annotated[str, AfterValidator(_reject_invisible_characters)]
"""A title or name a user reads and types: also nothing invisible, so look-alikes differ."""

NonEmptyName = Annotated[Name, Field(min_length=1)]

PartialDateField = Annotated[
    PartialDate,
    BeforeValidator(coerce_partial_date),
    PlainSerializer(lambda value: value.iso(), return_type=str),
    WithJsonSchema({"type": "string", "pattern": DATE_PATTERN.pattern}),
]
"""A PartialDate as a pydantic field: accepts TOML dates, years and strings."""


def _coerce_month_day(value: Any) -> MonthDay:
    if isinstance(value, MonthDay):
        return value
    if isinstance(value, str):
        return MonthDay.parse(value)
    raise ValueError("expected a month and day without a year, such as 01-28")


MonthDayField = Annotated[
    MonthDay,
    BeforeValidator(_coerce_month_day),
    PlainSerializer(lambda value: value.iso(), return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]{2}-[0-9]{2}$"}),
]
"""A day given without its year (`01-28`), stored as the source gives it."""


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


class _Model(BaseModel):
    # Unknown keys are typos in a hand-written file: report them, never ignore them.
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(_Model):
    """A claim's evidence: a source document and a verbatim quote from it."""

    document: NonEmptyText = Field(description="File name of the source document.")
    quote: NonEmptyText = Field(description="Words from that document, verbatim.")


Sources = Annotated[list[SourceRef], Field(default_factory=list)]


class Attributed(_Model):
    """A single fact with the sources that give it."""

    value: NonEmptyName
    sources: Sources


class SourceMaterial(_Model):
    """The work a show adapts."""

    title: NonEmptyName
    medium: NonEmptyText = Field(description="webtoon, manga, novel...")
    author: Name | None = None
    original_title: Name | None = None
    started: PartialDateField | None = Field(default=None, description="When it began.")
    sources: Sources


class Person(_Model):
    """Someone who made or appears in the show, in one role."""

    name: NonEmptyName
    role: NonEmptyText = Field(description="director, creator, writer, cast, voice...")
    character: Name | None = None
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
    on_month_day: MonthDayField | None = Field(
        default=None,
        description="When it happened, where the source gives a month and day but no year.",
    )
    sources: Sources
    dispute: Slug | None = None


class Episode(_Model):
    number: int = Field(ge=1, le=MAX_EPISODE_NUMBER)
    title: Name | None = None


class Season(_Model):
    """A season with its release status and its episodes."""

    number: int = Field(ge=1, le=MAX_SEASON_NUMBER)
    status: list[StatusReport] = Field(min_length=1)
    episode_count: int | None = Field(
        default=None, ge=1, le=MAX_EPISODE_NUMBER, description="None when no source gives a count."
    )
    episode_count_sources: Sources
    episodes: list[Episode] = Field(default_factory=list, max_length=MAX_EPISODE_NUMBER)

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


class Dispute(_Model):
    """Sources disagree: every fact carrying this id is one side's claim."""

    id: Slug
    topic: NonEmptyText


class Spelling(_Model):
    """A name the sources spell two ways: both kept, neither silently normalised."""

    name: NonEmptyText = Field(description="The spelling the rest of the file uses.")
    variant: NonEmptyText = Field(description="The other spelling a source gives.")
    sources: list[SourceRef] = Field(min_length=2, description="Quotes giving each spelling.")
    spoiler: SpoilerField | None = Field(
        default=None, description="Where a name is itself a spoiler: hidden until watched."
    )

    @model_validator(mode="after")
    def _each_spelling_is_quoted(self) -> Spelling:
        if self.name.casefold() == self.variant.casefold():
            raise ValueError("name and variant differ only in capitals: that is not a spelling")
        for spelling in (self.name, self.variant):
            if not any(spelling.casefold() in ref.quote.casefold() for ref in self.sources):
                raise ValueError(f"no quote in sources gives the spelling {spelling!r}")
        return self


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
    """A show file: everything the catalog knows about one show."""

    id: Slug
    title: NonEmptyName
    aliases: list[NonEmptyName] = Field(default_factory=list)
    kind: Kind
    country: Attributed | None = None
    platform: Attributed | None = None
    studio: Attributed | None = None
    source_material: SourceMaterial | None = None
    people: list[Person] = Field(default_factory=list)
    seasons: list[Season] = Field(default_factory=list, max_length=MAX_SEASON_NUMBER)
    notes: list[Note] = Field(default_factory=list)
    disputes: list[Dispute] = Field(default_factory=list)
    spellings: list[Spelling] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ids_are_consistent(self) -> Show:
        _reject_repeats("season numbers", [season.number for season in self.seasons])
        _reject_repeats("note ids", [note.id for note in self.notes])
        _reject_repeats("dispute ids", [dispute.id for dispute in self.disputes])
        declared = {dispute.id for dispute in self.disputes}
        reports = [report for season in self.seasons for report in season.status]
        facts: list[Person | StatusReport | Note] = [*self.people, *reports, *self.notes]
        used = Counter(fact.dispute for fact in facts if fact.dispute)
        undeclared = sorted(set(used) - declared)
        if undeclared:
            raise ValueError(f"dispute {undeclared[0]!r} is used but not listed under [[disputes]]")
        lonely = sorted(dispute_id for dispute_id in declared if used[dispute_id] < 2)
        if lonely:
            raise ValueError(
                f"dispute {lonely[0]!r} needs at least two facts that carry it, one per claim"
            )
        return self


def _reject_repeats(what: str, values: list[Any]) -> None:
    repeated = sorted(str(value) for value, seen in Counter(values).items() if seen > 1)
    if repeated:
        raise ValueError(f"{what} repeat: {', '.join(repeated)}")


def check_show(raw: Any) -> dict[str, Any]:
    """Validate a parsed show file; return it in the cache's plain JSON shape.

    Raises ValidationError; `problems_from_validation` words it for the user.
    """
    return Show.model_validate(raw).model_dump(mode="json")


class _ArticleEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1)
    starts_with: str = Field(min_length=1, description="The article's first words.")


class _DocumentEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str = Field(min_length=1)
    title: str = Field(min_length=1)
    date: dt.date | None = Field(default=None, description="Only when the document states it.")
    articles: list[_ArticleEntry] = Field(default_factory=list)


class _RegistryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[_DocumentEntry]


def check_registry(raw: Any) -> list[dict[str, Any]]:
    """Validate the bundled source registry; return its documents as plain JSON."""
    return [entry.model_dump(mode="json") for entry in _RegistryFile.model_validate(raw).documents]


def field_path(location: tuple[int | str, ...]) -> str:
    """Turn pydantic's ('seasons', 0, 'number') into `seasons[0].number`."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def problems_from_validation(file: str, error: ValidationError) -> list[Problem]:
    """One Problem per pydantic error, with the field path and a plain message."""
    problems = []
    for detail in error.errors(include_url=False):
        location = tuple(part for part in detail["loc"] if not str(part).startswith("function-"))
        message = detail["msg"]
        if detail["type"] == "missing":
            message = "is required but missing"
        elif detail["type"] == "extra_forbidden":
            message = "is not a known field (check the spelling)"
        elif detail["type"] == "less_than_equal":
            message = f"must be at most {detail['ctx']['le']:,}"
        elif detail["type"] == "greater_than_equal":
            message = f"must be at least {detail['ctx']['ge']:,}"
        elif detail["type"] == "too_long":
            ctx = detail["ctx"]
            message = (
                f"has {ctx['actual_length']:,} items; at most {ctx['max_length']:,} are allowed"
            )
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        problems.append(Problem(file, field_path(location) or None, message))
    return problems
