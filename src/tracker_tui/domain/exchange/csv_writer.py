"""Progress as tracker's CSV: one row per viewing, for spreadsheets and other tools.

A row is one live viewing: the show (id, title, year, kind and its ids on other sites),
the episode, when it was watched (ISO 8601 in UTC; empty when not known) and the
episode's rating. A title or id a spreadsheet would take for a formula (`=...`) gets a
leading `'`, which the reader takes off again. What a row cannot hold is left out and
said so: show and season ratings, list statuses, archive flags, and ratings of episodes
with no viewing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping

from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.exchange.batch import ID_NAMES
from tracker_tui.domain.exchange.csv_format import COLUMNS, UNKNOWN_TIME, guarded
from tracker_tui.domain.exchange.export_result import ExportResult
from tracker_tui.domain.exchange.tabular import plural
from tracker_tui.domain.progress.records import Progress, in_utc


def write(shows: Mapping[str, Show], progress: Progress) -> ExportResult:
    """Every live viewing of every show, shows by id, episodes in order, oldest first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    viewings = shows_written = rated_unwatched = marks = not_in_catalog = 0
    for show_id in sorted(progress.shows):
        state = progress.show_state(show_id)
        show = shows.get(show_id)
        marks += sum(
            mark is not None and mark.value not in (None, False)
            for mark in (state.status, state.rating, state.archived, *state.seasons.values())
        )
        if show is None:
            described = [show_id, show_id, "", "series"]
        else:
            year = "" if show.year is None else str(show.year)
            described = [show_id, guarded(show.title), year, show.kind.value]
        ids = [guarded(show.ids.get(name, "")) if show is not None else "" for name in ID_NAMES]
        written = 0
        for key, episode in sorted(state.episodes.items()):
            mark = episode.rating
            rating = "" if mark is None or not _is_rating(mark.value) else str(mark.value)
            live = episode.live()
            if not live and rating:
                rated_unwatched += 1
            for viewing in live:
                watched_at = (
                    UNKNOWN_TIME if viewing.watched_at is None else _iso(viewing.watched_at)
                )
                row = [*described, key.season, key.episode, watched_at, rating, *ids]
                writer.writerow(row)
                written += 1
        viewings += written
        if written:
            shows_written += 1
            not_in_catalog += show is None
    left_out = []
    if marks:
        left_out.append(
            f"{plural(marks, 'show or season mark')} (list statuses, archive flags, show "
            "and season ratings): a row of this CSV is one viewing"
        )
    if rated_unwatched:
        left_out.append(
            f"ratings of {plural(rated_unwatched, 'episode')} with no viewing: a row is a viewing"
        )
    if not_in_catalog:
        left_out.append(
            f"the titles of {plural(not_in_catalog, 'show')} no longer in the catalog: "
            "written with their id as title"
        )
    summary = f"{plural(viewings, 'viewing')} of {plural(shows_written, 'show')}"
    return ExportResult(out.getvalue().encode("utf-8"), summary, left_out)


def _is_rating(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _iso(moment: dt.datetime) -> str:
    """ISO 8601 in UTC with its zone: `2024-03-01T20:15:00+00:00`."""
    return in_utc(moment).isoformat()
