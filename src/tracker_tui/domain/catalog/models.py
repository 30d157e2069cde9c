"""The catalog's domain objects: shows, seasons, episodes, people, notes and their sources.

Plain frozen dataclasses, built from checked data by `Show.from_data`. The file
format and its checks live in `schema`, which imports pydantic; this module
does not, so commands and the app start without it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tracker_tui.domain.catalog.dates import PartialDate


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


MAX_SEASON_NUMBER = 1_000
"""No show has more seasons; a season number above this is a typo."""

MAX_EPISODE_NUMBER = 10_000
"""No season has more episodes; bounds every count and loop over a season."""

# Spelled out rather than IGNORECASE, which would also let `ſ` (long s) stand for `s`.
_SPOILER = re.compile(r"[sS](?P<season>[1-9][0-9]*)(?:[eE](?P<episode>[1-9][0-9]*))?")


@dataclass(frozen=True, order=True)
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


_MONTH_DAY = re.compile(r"^(?P<month>[0-9]{2})-(?P<day>[0-9]{2})$")


@dataclass(frozen=True, slots=True)
class MonthDay:
    """A day a source gives without its year ("January 28"), kept at that precision."""

    month: int
    day: int

    @classmethod
    def parse(cls, text: str) -> MonthDay:
        """Parse `MM-DD`; raise ValueError for anything else or a day no month has."""
        match = _MONTH_DAY.match(text.strip())
        if match is None:
            raise ValueError(f"{text!r} is not a month and day: use MM-DD, such as 01-28")
        month, day = int(match["month"]), int(match["day"])
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r} has month {month}: use 01 to 12")
        dt.date(2000, month, day)  # a leap year, so 02-29 passes and 02-30 raises
        return cls(month, day)

    def iso(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"

    def human(self) -> str:
        """`28 January`."""
        return f"{self.day} {calendar.month_name[self.month]}"


def _date(value: str | None) -> PartialDate | None:
    return PartialDate.parse(value) if value is not None else None


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A claim's evidence: a source document and a verbatim quote from it."""

    document: str
    quote: str


def _sources(data: dict[str, Any], key: str = "sources") -> list[SourceRef]:
    return [SourceRef(ref["document"], ref["quote"]) for ref in data.get(key) or ()]


def _spoiler(data: dict[str, Any]) -> SpoilerScope | None:
    spoiler = data.get("spoiler")
    return SpoilerScope.parse(spoiler) if spoiler is not None else None


@dataclass(frozen=True, slots=True)
class Attributed:
    """A single fact with the sources that give it."""

    value: str
    sources: list[SourceRef] = field(default_factory=list)

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> Attributed | None:
        return cls(data["value"], _sources(data)) if data is not None else None


@dataclass(frozen=True, slots=True)
class SourceMaterial:
    """The work a show adapts."""

    title: str
    medium: str
    author: str | None = None
    original_title: str | None = None
    started: PartialDate | None = None
    sources: list[SourceRef] = field(default_factory=list)

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> SourceMaterial | None:
        if data is None:
            return None
        return cls(
            data["title"],
            data["medium"],
            data.get("author"),
            data.get("original_title"),
            _date(data.get("started")),
            _sources(data),
        )


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who made or appears in the show, in one role."""

    name: str
    role: str
    character: str | None = None
    sources: list[SourceRef] = field(default_factory=list)
    dispute: str | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Person:
        return cls(
            data["name"], data["role"], data.get("character"), _sources(data), data.get("dispute")
        )


@dataclass(frozen=True, slots=True)
class StatusReport:
    """One source's word on where a season stands."""

    state: ReleaseState
    detail: str
    on: PartialDate | None = None
    expected: PartialDate | None = None
    sources: list[SourceRef] = field(default_factory=list)
    dispute: str | None = None
    on_month_day: MonthDay | None = None
    """When it happened, where the source gives no year."""

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> StatusReport:
        month_day = data.get("on_month_day")
        return cls(
            ReleaseState(data["state"]),
            data["detail"],
            _date(data.get("on")),
            _date(data.get("expected")),
            _sources(data),
            data.get("dispute"),
            MonthDay.parse(month_day) if month_day is not None else None,
        )

    def is_overdue(self, today: dt.date) -> bool:
        """True when the expected window has passed without a later report."""
        return (
            self.state is not ReleaseState.RELEASED
            and self.expected is not None
            and self.expected.last_day() < today
        )


@dataclass(frozen=True, slots=True)
class Episode:
    number: int
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Season:
    """A season with its release status and its episodes."""

    number: int
    status: list[StatusReport]
    episode_count: int | None = None
    """None when no source gives a count."""
    episode_count_sources: list[SourceRef] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Season:
        return cls(
            data["number"],
            [StatusReport.from_data(report) for report in data["status"]],
            data.get("episode_count"),
            _sources(data, "episode_count_sources"),
            [Episode(e["number"], e.get("title")) for e in data.get("episodes") or ()],
        )

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

    id: str
    topic: str


@dataclass(frozen=True, slots=True)
class Spelling:
    """A name the sources spell two ways: both kept, neither silently normalised."""

    name: str
    variant: str
    sources: list[SourceRef] = field(default_factory=list)
    spoiler: SpoilerScope | None = None
    """Where the name is itself a spoiler: hidden until the user has watched this far."""

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Spelling:
        return cls(data["name"], data["variant"], _sources(data), _spoiler(data))

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

    id: str
    topic: str
    text: str
    sources: list[SourceRef]
    spoiler: SpoilerScope | None = None
    """Hidden until the user has watched this far."""
    dispute: str | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Note:
        return cls(
            data["id"],
            data["topic"],
            data["text"],
            _sources(data),
            _spoiler(data),
            data.get("dispute"),
        )


@dataclass(frozen=True, slots=True)
class Show:
    """A show as the catalog knows it."""

    id: str
    title: str
    kind: Kind
    aliases: list[str] = field(default_factory=list)
    country: Attributed | None = None
    platform: Attributed | None = None
    studio: Attributed | None = None
    source_material: SourceMaterial | None = None
    people: list[Person] = field(default_factory=list)
    seasons: list[Season] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)
    spellings: list[Spelling] = field(default_factory=list)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Show:
        """Build a show from checked data: `schema.check_show`'s output, or the cache's."""
        return cls(
            id=data["id"],
            title=data["title"],
            kind=Kind(data["kind"]),
            aliases=list(data.get("aliases") or ()),
            country=Attributed.from_data(data.get("country")),
            platform=Attributed.from_data(data.get("platform")),
            studio=Attributed.from_data(data.get("studio")),
            source_material=SourceMaterial.from_data(data.get("source_material")),
            people=[Person.from_data(person) for person in data.get("people") or ()],
            seasons=[Season.from_data(season) for season in data.get("seasons") or ()],
            notes=[Note.from_data(note) for note in data.get("notes") or ()],
            disputes=[Dispute(d["id"], d["topic"]) for d in data.get("disputes") or ()],
            spellings=[Spelling.from_data(s) for s in data.get("spellings") or ()],
        )

    def season(self, number: int) -> Season | None:
        """The season with this number, or None: the one lookup every caller uses."""
        return next((season for season in self.seasons if season.number == number), None)

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
