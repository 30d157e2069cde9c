"""The catalog's domain objects: shows, seasons, episodes, people, notes and their sources.

Plain frozen dataclasses, and the one declaration of the show file format: each
field's type carries its rules (`fields.Rules`), which pydantic reads when `schema`
checks a file. This module imports neither pydantic nor `schema`, so commands
and the app start without them; the cache reads these objects back with msgspec.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, ClassVar

import msgspec

from tracker_tui.domain.catalog.dates import PartialDate
from tracker_tui.domain.catalog.fields import (
    Date,
    ExternalId,
    ExternalIdName,
    Name,
    NonEmptyName,
    NonEmptyText,
    Rules,
    Slug,
    Year,
    YearlessDay,
)


class Kind(StrEnum):
    """What sort of show this is."""

    SERIES = "series"
    ANIME = "anime"
    MINISERIES = "miniseries"
    DOCUMENTARY = "documentary"
    OTHER = "other"


class ReleaseState(StrEnum):
    """Where a season stands, from first word to release.

    `UNKNOWN` is never written in a file: it is what a season with no status reports
    (a user who knows only the episode counts) says, honestly, about where it stands.
    """

    UNKNOWN = "unknown"
    ANNOUNCED = "announced"
    IN_PRODUCTION = "in_production"
    SCHEDULED = "scheduled"
    RELEASED = "released"

    @property
    def rank(self) -> int:
        """Later stages rank higher, so the furthest stage reported is the current one."""
        return _STATE_RANKS[self]

    @property
    def label(self) -> str:
        if self is ReleaseState.UNKNOWN:
            return "status unknown"
        return self.value.replace("_", " ")


_STATE_RANKS = {state: rank for rank, state in enumerate(ReleaseState)}
"""Each state's place in the order declared (a season's status is asked for often)."""


def _reported_state(state: ReleaseState) -> ReleaseState:
    if state is ReleaseState.UNKNOWN:
        raise ValueError(
            "'unknown' is not a state a source reports: leave out the season's status "
            "reports when nobody has said where it stands"
        )
    return state


ReportedState = Annotated[ReleaseState, Rules(after=_reported_state)]
"""A state a source reports: announced, in_production, scheduled or released."""


MAX_SEASON_NUMBER = 1_000
"""No show has more seasons; a season number above this is a typo."""

MAX_EPISODE_NUMBER = 10_000
"""No season has more episodes; bounds every count and loop over a season."""

# Spelled out rather than IGNORECASE, which would also let `ſ` (long s) stand for `s`.
_SPOILER = re.compile(r"[sS](?P<season>[1-9][0-9]*)(?:[eE](?P<episode>[1-9][0-9]*))?")


@dataclass(frozen=True, order=True, slots=True)
class SpoilerScope:
    """How far a user must have watched before a note may be shown."""

    season: int
    episode: int | None = None

    @classmethod
    def parse(cls, text: str) -> SpoilerScope:
        match = _SPOILER.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"{text!r} is not a spoiler scope: use s1 (a season) or s1e5")
        season, episode = match["season"], match["episode"]
        if len(season) > 4 or int(season) > MAX_SEASON_NUMBER:
            raise ValueError(f"{text!r} names season {season}: at most {MAX_SEASON_NUMBER:,}")
        if episode and (len(episode) > 5 or int(episode) > MAX_EPISODE_NUMBER):
            raise ValueError(f"{text!r} names episode {episode}: at most {MAX_EPISODE_NUMBER:,}")
        return cls(int(season), int(episode) if episode else None)

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


Spoiler = Annotated[SpoilerScope, Rules(before=_coerce_spoiler)]
"""How far a user must have watched: `s1` or `s1e5`."""

SeasonNumber = Annotated[int, Rules(ge=1, le=MAX_SEASON_NUMBER)]
EpisodeNumber = Annotated[int, Rules(ge=1, le=MAX_EPISODE_NUMBER)]


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A claim's evidence: a source document and a verbatim quote from it."""

    document: NonEmptyText
    """File name of the source document."""
    quote: NonEmptyText
    """Words from that document, verbatim."""


@dataclass(frozen=True, slots=True)
class Attributed:
    """A single fact with the sources that give it."""

    value: NonEmptyName
    sources: list[SourceRef] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SourceMaterial:
    """The work a show adapts."""

    title: NonEmptyName
    medium: NonEmptyText
    """webtoon, manga, novel..."""
    author: Name | None = None
    original_title: Name | None = None
    started: Date | None = None
    """When it began."""
    sources: list[SourceRef] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who made or appears in the show, in one role."""

    name: NonEmptyName
    role: NonEmptyText
    """director, creator, writer, cast, voice..."""
    character: Name | None = None
    sources: list[SourceRef] = field(default_factory=list)
    dispute: Slug | None = None
    """Id of a disagreement it is part of."""


@dataclass(frozen=True, slots=True)
class StatusReport:
    """One source's word on where a season stands."""

    state: ReportedState
    detail: NonEmptyText
    """What was reported, in our own words."""
    on: Date | None = None
    """When it happened: released on, confirmed on."""
    expected: Date | None = None
    """When the next step is due: release, end of filming."""
    on_month_day: YearlessDay | None = None
    """When it happened, where the source gives a month and day but no year."""
    sources: list[SourceRef] = field(default_factory=list)
    dispute: Slug | None = None

    def is_overdue(self, today: dt.date) -> bool:
        """True when the expected window has passed without a later report."""
        return (
            self.state is not ReleaseState.RELEASED
            and self.expected is not None
            and self.expected.last_day() < today
        )


def _check_episodes(episodes: list[Episode], episode_count: int | None) -> None:
    # Every season read from the cache passes here: the usual answer costs one set.
    numbers = {episode.number for episode in episodes}
    if len(numbers) < len(episodes):
        counts = Counter(episode.number for episode in episodes)
        duplicates = sorted(number for number, seen in counts.items() if seen > 1)
        raise ValueError(f"episode numbers repeat: {', '.join(map(str, duplicates))}")
    if episode_count is not None and numbers and max(numbers) > episode_count:
        beyond = sorted(n for n in numbers if n > episode_count)
        if beyond:
            raise ValueError(
                f"episode {beyond[0]} is beyond the season's episode_count of {episode_count}"
            )


UNKNOWN_STATUS = StatusReport(ReleaseState.UNKNOWN, "No status reported")
"""What a season with no status reports says about where it stands."""


@dataclass(frozen=True, slots=True)
class Episode:
    number: EpisodeNumber
    title: Name | None = None
    air_date: Date | None = None
    """When it first aired (or airs), at the precision known: `2026`, `2026-01`, `2026-01-10`."""


@dataclass(frozen=True, slots=True)
class Season:
    """A season with its release status and its episodes."""

    number: SeasonNumber
    status: list[StatusReport] = field(default_factory=list)
    """Empty when nobody has reported where the season stands: its status is unknown."""
    episode_count: EpisodeNumber | None = None
    """None when no source gives a count."""
    episode_count_sources: list[SourceRef] = field(default_factory=list)
    episodes: Annotated[list[Episode], Rules(max_length=MAX_EPISODE_NUMBER)] = field(
        default_factory=list
    )

    def __post_init__(self) -> None:
        """Episode numbers are unique and within the count: checked wherever a season is made."""
        _check_episodes(self.episodes, self.episode_count)

    @property
    def current_status(self) -> StatusReport:
        """The furthest stage reported; among equals, the one expected last.

        With no reports: an `UNKNOWN` report that cites nothing.
        """
        if not self.status:
            return UNKNOWN_STATUS

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

    def joined_release_date(self) -> JoinedDate | None:
        """The release day joined from two reports: a day with no year, and a year.

        Only where both reports say the season was released and agree on the
        month; the result says which sources gave which part.
        """
        released = [r for r in self.status if r.state is ReleaseState.RELEASED]
        for dated in released:
            if dated.on is None or dated.on.day is not None:
                continue
            for day_only in released:
                month_day = day_only.on_month_day
                if month_day is None or dated.on.month not in (None, month_day.month):
                    continue
                day = PartialDate(dated.on.year, month_day.month, month_day.day)
                return JoinedDate(day, day_only.sources, dated.sources)
        return None


@dataclass(frozen=True, slots=True)
class JoinedDate:
    """A day no single source gives: the day from some sources, the year from others."""

    date: PartialDate
    day_sources: list[SourceRef]
    year_sources: list[SourceRef]

    def human(self) -> str:
        """`28 January 2022`."""
        assert self.date.month is not None and self.date.day is not None
        return f"{self.date.day} {calendar.month_name[self.date.month]} {self.date.year}"


@dataclass(frozen=True, slots=True)
class Dispute:
    """Sources disagree: every fact carrying this id is one side's claim."""

    id: Slug
    topic: NonEmptyText


@dataclass(frozen=True, slots=True)
class Spelling:
    """A name the sources spell two ways: both kept, neither silently normalised."""

    name: NonEmptyText
    """The spelling the rest of the file uses."""
    variant: NonEmptyText
    """The other spelling a source gives."""
    sources: Annotated[list[SourceRef], Rules(min_length=2)]
    """Quotes giving each spelling."""
    spoiler: Spoiler | None = None
    """Where the name is itself a spoiler: hidden until the user has watched this far."""

    def __post_init__(self) -> None:
        """Both spellings are quoted, and they differ in more than capitals."""
        if self.name.casefold() == self.variant.casefold():
            raise ValueError("name and variant differ only in capitals: that is not a spelling")
        for spelling in (self.name, self.variant):
            if not any(spelling.casefold() in ref.quote.casefold() for ref in self.sources):
                raise ValueError(f"no quote in sources gives the spelling {spelling!r}")

    def variant_sources(self) -> list[SourceRef]:
        """The citations that give the variant spelling."""
        wanted = self.variant.casefold()
        return [ref for ref in self.sources if wanted in ref.quote.casefold()]

    def found_in(self, text: str) -> bool:
        """True when `text` uses either spelling as a word."""
        return any(
            re.search(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", text, re.IGNORECASE)
            for spelling in (self.name, self.variant)
        )


@dataclass(frozen=True, slots=True)
class Note:
    """Something worth knowing about a show, in our words, backed by its sources."""

    id: Slug
    topic: NonEmptyText
    text: NonEmptyText
    sources: Annotated[list[SourceRef], Rules(min_length=1)]
    spoiler: Spoiler | None = None
    """Hidden until the user has watched this far."""
    dispute: Slug | None = None


@dataclass(frozen=True, slots=True)
class YourSeason:
    """The user's own facts for one season of a bundled show: never cited, always marked
    as theirs."""

    number: SeasonNumber
    episode_count: EpisodeNumber | None = None
    episodes: Annotated[list[Episode], Rules(max_length=MAX_EPISODE_NUMBER)] = field(
        default_factory=list
    )

    def __post_init__(self) -> None:
        _check_episodes(self.episodes, self.episode_count)


@dataclass(frozen=True, slots=True, kw_only=True)
class YourFacts:
    """An overlay file, `yours/<show id>.toml`: what the user knows of a bundled show
    (its year, episode counts, titles and air dates), kept apart from the cited facts."""

    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}

    year: Year | None = None
    seasons: Annotated[list[YourSeason], Rules(max_length=MAX_SEASON_NUMBER)] = field(
        default_factory=list
    )

    def __post_init__(self) -> None:
        _reject_repeats("season numbers", [season.number for season in self.seasons])

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> YourFacts:
        """Build from checked data (`schema.check_yours`'s or the cache's)."""
        return msgspec.convert(data, cls)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = msgspec.to_builtins(self)
        return data

    def season(self, number: int) -> YourSeason | None:
        return next((season for season in self.seasons if season.number == number), None)

    def is_empty(self) -> bool:
        return self.year is None and not self.seasons


def _not_in_a_show_file(yours: YourFacts | None) -> YourFacts | None:
    if yours is not None:
        raise ValueError(
            "is not a show file field: your own facts for a bundled show go in its "
            "overlay file, yours/<show id>.toml (see `tracker edit SHOW`)"
        )
    return yours


class DetailsNotLoadedError(RuntimeError):
    """An outline show's people, notes or disputes were read: the code should have
    asked the catalog for the whole show (`Catalog.get`)."""


class _NotLoaded(list[Any]):
    """Stands for the details an outline leaves out, and fails loudly when read, so no
    screen or command can quietly show an outline's "no notes" as the truth."""

    def _refuse(self, *_: object) -> Any:
        raise DetailsNotLoadedError(
            "a show's people, notes and disputes are not loaded in the catalog's list of "
            "shows: get the whole show with Catalog.get(show_id)"
        )

    __iter__ = __len__ = __bool__ = __getitem__ = __contains__ = __reversed__ = _refuse


_NOT_LOADED: Any = _NotLoaded()

DETAIL_FIELDS = ("people", "notes", "disputes")
"""The fields an outline leaves out: the bulk of a rich show, which only its own pane
and `tracker show`/`notes` read."""


@dataclass(frozen=True, slots=True)
class ShowDetails:
    """A show's people, notes and disputes: what `Show.outline` leaves out."""

    people: list[Person] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class Show:
    """A show file: everything the catalog knows about one show.

    Every class above is a table of the show file and a plain object the rest of
    the code uses: `schema` checks a file straight into these, and the cache keeps
    them as `to_data` gives them. A field added here is in the format, the objects
    and the cache at once.
    """

    # Unknown keys are typos in a hand-written file: report them, never ignore them.
    # pydantic applies a dataclass's config to the dataclasses inside it, so this
    # covers every table of the file.
    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}

    id: Slug
    title: NonEmptyName
    aliases: list[NonEmptyName] = field(default_factory=list)
    kind: Kind
    year: Year | None = None
    """The year the show began, where the user gives it."""
    ids: dict[ExternalIdName, ExternalId] = field(default_factory=dict)
    """The show's ids on other sites (trakt, tmdb, tvdb, imdb, mal...), as an import
    found them, so the next import of the same history finds this show again."""
    country: Attributed | None = None
    platform: Attributed | None = None
    studio: Attributed | None = None
    source_material: SourceMaterial | None = None
    people: list[Person] = field(default_factory=list)
    seasons: Annotated[list[Season], Rules(max_length=MAX_SEASON_NUMBER)] = field(
        default_factory=list
    )
    notes: list[Note] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)
    spellings: list[Spelling] = field(default_factory=list)
    yours: Annotated[YourFacts | None, Rules(after=_not_in_a_show_file)] = None
    """The user's own facts for a bundled show, from its overlay file (`yours/<id>.toml`),
    attached by the loader and kept apart from the cited facts above; never in a show file."""

    def checked(self) -> Show:
        """This show, once its season numbers, note ids and dispute ids are found unique
        and every dispute has two sides; else ValueError saying which.

        A rule of the file, not of the object: `schema` applies it to every file it
        checks, while an outline (`outline`, details left out) need not pass it."""
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

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Show:
        """Build a show from checked data: `schema.check_show`'s output, or the cache's.

        Raises ValueError (msgspec's ValidationError) for data of another shape.
        """
        return msgspec.convert(data, cls)

    def to_data(self) -> dict[str, Any]:
        """The show as plain JSON data, as the cache keeps it and `from_data` reads it."""
        data: dict[str, Any] = msgspec.to_builtins(self)
        return data

    def outline(self) -> Show:
        """This show without its details (people, notes, disputes), as lists keep it:
        reading a left-out field raises DetailsNotLoadedError."""
        return dataclasses.replace(
            self, people=_NOT_LOADED, notes=_NOT_LOADED, disputes=_NOT_LOADED
        )

    def made_outline(self) -> Show:
        """`outline()` for a show just decoded from the cache's index, which has no details:
        the three fields are marked not loaded in place rather than by copying every field
        (`outline` costs 15 ms of a start with 2,000 shows, this 2). Only for an object no
        one else holds yet."""
        for name in DETAIL_FIELDS:
            object.__setattr__(self, name, _NOT_LOADED)  # frozen: as its own __init__ does
        return self

    @property
    def is_outline(self) -> bool:
        return isinstance(self.notes, _NotLoaded)

    def details(self) -> ShowDetails:
        return ShowDetails(self.people, self.notes, self.disputes)

    def with_details(self, details: ShowDetails) -> Show:
        """The whole show: this outline with its details filled in."""
        return dataclasses.replace(
            self, people=details.people, notes=details.notes, disputes=details.disputes
        )

    def season(self, number: int) -> Season | None:
        """The season with this number, or None: the one lookup every caller uses."""
        return next((season for season in self.seasons if season.number == number), None)

    def your_season(self, number: int) -> YourSeason | None:
        """The user's own facts for this season of a bundled show, or None."""
        return None if self.yours is None else self.yours.season(number)

    def tracked_count(self, season: Season) -> int | None:
        """The episode count tracking uses: the user's own where they gave one, else the
        cited one (None: unknown). Where both exist and differ, both are shown."""
        yours = self.your_season(season.number)
        if yours is not None and yours.episode_count is not None:
            return yours.episode_count
        return season.episode_count

    def search_names(self) -> list[str]:
        """Every name SHOW and the shows filter match: the show's own, its source
        material's, and both spellings of every name the sources spell two ways."""
        names = [self.title, *self.aliases]
        material = self.source_material
        if material is not None:
            names += [material.title, material.original_title or ""]
        for spelling in self.spellings:
            names += [spelling.name, spelling.variant]
        return [name for name in names if name]

    def spellings_in(self, text: str) -> list[Spelling]:
        """The names spelt two ways that `text` uses, in either spelling."""
        return [spelling for spelling in self.spellings if spelling.found_in(text)]

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
        for n, spelling in enumerate(self.spellings):
            for i, ref in enumerate(spelling.sources):
                yield f"spellings[{n}].sources[{i}]", ref


def _reject_repeats(what: str, values: list[Any]) -> None:
    repeated = sorted(str(value) for value, seen in Counter(values).items() if seen > 1)
    if repeated:
        raise ValueError(f"{what} repeat: {', '.join(repeated)}")
