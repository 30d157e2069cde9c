"""Upcoming releases across every show: scheduled seasons (cited) and future air dates.

One list for `tracker upcoming`, `tracker calendar` and the app's upcoming screen
(`c`). What counts as upcoming:

- A season whose current status (`Season.current_status`, the one `tracker shows`
  prints) is `scheduled` with an `expected` date: "season 2 premiere". It stays
  listed after that date has passed, marked possibly out of date (no later report
  says it came out), as `tracker shows` marks it. Other stages' `expected` dates
  (the end of filming, say) are not release dates and are left out.
- An episode with an `air_date` on or after today (its last possible day, for a
  date known only to the month or year): in a show file, or in the user's own facts
  for a bundled show (`Show.yours`, the overlay).

Order: by date at its real precision. A date sorts by the last day it can mean, and
a coarse date after every finer one ending the same day, so `2026` comes after every
dated release within 2026 (it means "by the end of 2026"), and `2026-03` after
every day of March 2026. Ties: show title, season, then episode (a season's
premiere before its episodes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from tracker_tui.domain.catalog.dates import PartialDate, Precision
from tracker_tui.domain.catalog.loader import CatalogEntry
from tracker_tui.domain.catalog.models import Episode, ReleaseState, Show, SourceRef
from tracker_tui.domain.catalog.sources import SourceRegistry

YOUR_NOTE = "your note"
"""What a release the user gave (not a source) says instead of its sources."""

UNCITED = "show file"
"""What an air date in a bundled show file says: episodes carry no citations."""

_COARSE_LAST = {Precision.DAY: 0, Precision.MONTH: 1, Precision.YEAR: 2}


@dataclass(frozen=True, slots=True)
class Release:
    """One season premiere or episode with a date still to come (or overdue)."""

    show_id: str
    show_title: str
    season: int
    episode: int | None
    """None: the season as a whole (its premiere)."""
    date: PartialDate
    """At the precision its source gives: `2026`, `2026-03` or `2026-03-14`."""
    possibly_out_of_date: bool
    """The date has passed and no later report says the season came out."""
    disputed: bool
    """The report giving the date is one side of a disagreement between sources."""
    sources: tuple[str, ...]
    """File names of the source documents cited, each once; empty for the user's own."""
    yours: bool
    """The user's own fact (their show file or their overlay), not a cited one."""
    source_titles: tuple[str, ...] = ()
    """What the sources are called: each cited article's or document's title, as the
    show pane cites it, each once; empty when no registry was at hand to name them."""

    @property
    def what(self) -> str:
        """`season 2 premiere` or `S1E5`."""
        if self.episode is None:
            return f"season {self.season} premiere"
        return f"S{self.season}E{self.episode}"

    @property
    def source_label(self) -> str:
        """`your note`, the cited sources' titles (file names when no title is known), or
        `show file` for an uncited date."""
        if self.yours:
            return YOUR_NOTE
        return ", ".join(self.source_titles or self.sources) or UNCITED

    @property
    def uid(self) -> str:
        """Stable across runs and across changes of date or source, so a calendar app
        updates an event rather than adding another: show id, season and episode."""
        key = f"{self.show_id}\n{self.season}\n{self.episode or ''}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@tracker-tui"

    def sort_key(self) -> tuple[dt.date, int, str, str, int, int]:
        """See the module docstring: last day it can mean, coarse last, then the show."""
        return (
            self.date.last_day(),
            _COARSE_LAST[self.date.precision],
            self.show_title.casefold(),
            self.show_id,
            self.season,
            self.episode or 0,
        )


def upcoming(
    entries: Iterable[CatalogEntry], today: dt.date, registry: SourceRegistry | None = None
) -> list[Release]:
    """Every upcoming release of the catalog's shows (`Catalog.entries`), sorted; with
    the catalog's `registry` (`Catalog.sources`), each cited source by its title.

    Entries, not bare shows, because whether an air date is the user's own depends on
    the file it came from: a show file of the user's (`bundled` false) is theirs.
    """
    releases: list[Release] = []
    for entry in entries:
        releases += show_releases(entry.show, today, yours=not entry.bundled, registry=registry)
    return sorted(releases, key=Release.sort_key)


def show_releases(
    show: Show, today: dt.date, *, yours: bool, registry: SourceRegistry | None = None
) -> list[Release]:
    """One show's upcoming releases, unsorted; `yours`: the show file is the user's."""
    found: list[Release] = []
    for season in show.seasons:
        report = season.current_status
        if report.state is ReleaseState.SCHEDULED and report.expected is not None:
            sources = tuple(dict.fromkeys(ref.document for ref in report.sources))
            titles = _source_titles(report.sources, registry)
            found.append(
                Release(
                    show.id,
                    show.title,
                    season.number,
                    None,
                    report.expected,
                    possibly_out_of_date=report.is_overdue(today),
                    disputed=report.dispute is not None,
                    sources=sources,
                    yours=yours and not sources,
                    source_titles=titles,
                )
            )
        found += _aired(show, season.number, season.episodes, today, yours=yours)
    if show.yours is not None:
        for your_season in show.yours.seasons:
            found += _aired(show, your_season.number, your_season.episodes, today, yours=True)
    return found


def _source_titles(refs: Iterable[SourceRef], registry: SourceRegistry | None) -> tuple[str, ...]:
    """The titles to name `refs` by; none (so the file names) when a document cannot be
    read to find which of its articles a quote is in."""
    if registry is None:
        return ()
    try:
        return tuple(registry.titles_for((ref.document, ref.quote) for ref in refs))
    except (OSError, UnicodeDecodeError):
        return ()


def _aired(
    show: Show, season: int, episodes: list[Episode], today: dt.date, *, yours: bool
) -> list[Release]:
    return [
        Release(
            show.id,
            show.title,
            season,
            episode.number,
            episode.air_date,
            possibly_out_of_date=False,
            disputed=False,
            sources=(),
            yours=yours,
        )
        for episode in episodes
        if episode.air_date is not None and episode.air_date.last_day() >= today
    ]


def countdown(date: PartialDate, today: dt.date) -> str:
    """How far a day-precise date is from `today`: `today`, `tomorrow`, `in 3 days`,
    `in 5 weeks`, `in 4 months`, `yesterday`, `12 days ago`; "" for a date known only to
    the month or year, which has no day to count to. Days up to a month away, where a
    countdown is what people look for; weeks, then months, further out."""
    if date.precision is not Precision.DAY:
        return ""
    days = (date.last_day() - today).days
    if days == 0:
        return "today"
    if abs(days) == 1:
        return "tomorrow" if days > 0 else "yesterday"
    span = abs(days)
    if span <= 31:
        amount = f"{span} days"
    elif span < 12 * 7:
        amount = f"{span // 7} weeks"
    elif span < 730:
        amount = f"{round(span / 30.44)} months"
    else:
        amount = f"{round(span / 365.25)} years"
    return f"in {amount}" if days > 0 else f"{amount} ago"
