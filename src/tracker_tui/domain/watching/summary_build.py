"""Work out the show summary (summary.py) from the catalog and progress: the one place
`tracker next` and `tracker shows` get their figures, whether kept or just worked out."""

from __future__ import annotations

import datetime as dt

from tracker_tui.domain.catalog.loader import Catalog
from tracker_tui.domain.catalog.release import show_status_line
from tracker_tui.domain.progress.records import Progress
from tracker_tui.domain.watching.episodes import list_status, show_progress, status_label
from tracker_tui.domain.watching.summary import ShowSummary


def build_summary(catalog: Catalog, progress: Progress, today: dt.date) -> list[ShowSummary]:
    """Every show of the catalog, in its order, as `next` and `shows` print it."""
    started = progress.show_ids()
    rows = []
    for show in catalog.shows:
        summary = show_progress(show, progress)
        status, by_hand = list_status(show, progress, summary)  # the summary: counted once
        upcoming = summary.next_episode
        rows.append(
            ShowSummary(
                id=show.id,
                title=show.title,
                kind=show.kind.value,
                year=show.year,
                status_line=show_status_line(show, catalog.sources, today),
                watched=summary.watched,
                known=summary.known,
                percent=summary.percent,
                total_known=summary.total_known,
                watch_status=summary.status.value,
                next_season=None if upcoming is None else upcoming.season,
                next_episode=None if upcoming is None else upcoming.episode,
                next_code=None if upcoming is None else upcoming.code(),
                list_status=status,
                list_status_label=status_label(status),
                status_by_hand=by_hand,
                rating=progress.rating(show.id),
                archived=progress.is_archived(show.id),
                started=show.id in started,
            )
        )
    return rows
