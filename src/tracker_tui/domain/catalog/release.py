"""Plain-language release status for seasons and shows, shared by the CLI and the app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracker_tui.domain.catalog.models import ReleaseState, Season, Show, StatusReport
from tracker_tui.domain.catalog.sources import SourceRegistry


@dataclass(frozen=True)
class SeasonStatus:
    """Where a season stands now, and whether that word may have gone stale."""

    report: StatusReport
    reported: dt.date | None
    overdue: bool

    @property
    def state(self) -> ReleaseState:
        return self.report.state

    def headline(self) -> str:
        """`released 2022-01-28`, `scheduled for 2026`, `in production`."""
        report = self.report
        if report.state is ReleaseState.RELEASED and report.on:
            return f"released {report.on.human()}"
        if report.state is ReleaseState.SCHEDULED and report.expected:
            return f"scheduled for {report.expected.human()}"
        return report.state.label

    def warning(self) -> str | None:
        """Why the status may be out of date, or None."""
        if not self.overdue or self.report.expected is None:
            return None
        when = f", reported {self.reported.isoformat()}" if self.reported else ""
        return f"possibly out of date: expected by {self.report.expected.human()}{when}"


def reported_on(report: StatusReport, registry: SourceRegistry) -> dt.date | None:
    """The latest date of the documents behind a report, where they are dated."""
    dates = [
        document.date
        for ref in report.sources
        if (document := registry.get(ref.document)) is not None and document.date is not None
    ]
    return max(dates, default=None)


def season_status(season: Season, registry: SourceRegistry, today: dt.date) -> SeasonStatus:
    report = season.current_status
    return SeasonStatus(report, reported_on(report, registry), report.is_overdue(today))


def show_status_line(show: Show, registry: SourceRegistry, today: dt.date) -> str:
    """One line for a show: every season's headline, `S1 released 2022-01-28 · S2 in production`.

    A headline resting on one side of a disagreement says `(disputed)`.
    """
    if not show.seasons:
        return "no seasons listed"
    parts = []
    for season in sorted(show.seasons, key=lambda season: season.number):
        status = season_status(season, registry, today)
        flags = [
            *(["disputed"] if status.report.dispute else []),
            *(["possibly out of date"] if status.overdue else []),
        ]
        flag = f" ({', '.join(flags)})" if flags else ""
        parts.append(f"S{season.number} {status.headline()}{flag}")
    return " · ".join(parts)
