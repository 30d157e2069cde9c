"""Progress as MyAnimeList XML, the list format MAL, AniList and Kitsu import.

One `<anime>` per anime show with progress or a status. A MAL entry is one season, so an
entry holds the show's first season: how many of its episodes are watched, the first
and last viewing's dates, and how many times it was watched through. The rating is the
show's, the status its list status (set by hand, or derived from progress). The id is
the show's `mal` id; without one it is 0, and AniList then matches by title.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from xml.etree.ElementTree import Element, SubElement, tostring

from tracker_tui.domain.catalog.models import Kind, Show
from tracker_tui.domain.exchange.export_result import ExportResult
from tracker_tui.domain.exchange.tabular import plural
from tracker_tui.domain.progress.records import Progress, ShowState, in_utc
from tracker_tui.domain.watching.episodes import list_status

MAL_STATUSES = {
    "watching": "Watching",
    "completed": "Completed",
    "on-hold": "On-Hold",
    "dropped": "Dropped",
    "plan-to-watch": "Plan to Watch",
}
"""tracker's list statuses as MAL's export spells them."""

_TOTALS = {
    "watching": "user_total_watching",
    "completed": "user_total_completed",
    "on-hold": "user_total_onhold",
    "dropped": "user_total_dropped",
    "plan-to-watch": "user_total_plantowatch",
}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NO_DATE = "0000-00-00"


class _Counts:
    def __init__(self) -> None:
        self.not_anime = 0
        self.not_in_catalog = 0
        self.without_id = 0
        self.later_seasons = 0
        self.finer_ratings = 0
        self.archived = 0
        self.timed = False


def write(shows: Mapping[str, Show], progress: Progress) -> ExportResult:
    """The anime with progress or a status as a MAL list; what MAL cannot hold is listed."""
    counts = _Counts()
    entries: list[Element] = []
    totals = dict.fromkeys(MAL_STATUSES, 0)
    for show_id in sorted(progress.shows):
        state = progress.show_state(show_id)
        show = shows.get(show_id)
        if show is None:
            counts.not_in_catalog += 1
            continue
        if show.kind != Kind.ANIME:
            counts.not_anime += _has_progress(show_id, state, progress)
            continue
        if not _has_progress(show_id, state, progress):
            continue
        status = list_status(show, progress)[0]
        totals[status] += 1
        entries.append(_entry(show, state, progress, status, counts))
    root = Element("myanimelist")
    info = SubElement(root, "myinfo")
    _field(info, "user_export_type", "1")
    _field(info, "user_total_anime", str(len(entries)))
    for status, name in _TOTALS.items():
        _field(info, name, str(totals[status]))
    root.extend(entries)
    data = tostring(root, encoding="utf-8", xml_declaration=True)
    return ExportResult(
        data + b"\n", f"{plural(len(entries), 'anime', 'anime')}", _left_out(counts)
    )


def _has_progress(show_id: str, state: ShowState, progress: Progress) -> bool:
    """Any live viewing, or a status set by hand."""
    if progress.status(show_id) is not None:
        return True
    return any(episode.live() for episode in state.episodes.values())


def _field(parent: Element, name: str, text: str) -> None:
    SubElement(parent, name).text = _NOT_XML.sub("", text)


def _entry(
    show: Show, state: ShowState, progress: Progress, status: str, counts: _Counts
) -> Element:
    watched: dict[int, int] = {}
    times: list[dt.datetime] = []
    later_seasons = False
    for key, episode in state.episodes.items():
        if episode.rating is not None and episode.rating.value is not None:
            counts.finer_ratings += 1
        live = episode.live()
        if not live:
            continue
        if key.season != 1:
            later_seasons = True
            continue
        watched[key.episode] = len(live)
        times += [in_utc(v.watched_at) for v in live if v.watched_at is not None]
    counts.later_seasons += later_seasons
    counts.finer_ratings += sum(mark.value is not None for mark in state.seasons.values())
    counts.archived += progress.is_archived(show.id)
    counts.timed = counts.timed or bool(times)
    season = show.season(1)
    count = (show.tracked_count(season) if season is not None else None) or 0
    through = count > 0 and all(n in watched for n in range(1, count + 1))
    rewatched = min(watched[n] for n in range(1, count + 1)) - 1 if through else 0
    mal_id = show.ids.get("mal", "0")
    counts.without_id += mal_id == "0"
    entry = Element("anime")
    _field(entry, "series_animedb_id", mal_id)
    _field(entry, "series_title", show.title)
    _field(entry, "series_type", "TV")
    _field(entry, "series_episodes", str(count))
    _field(entry, "my_id", "0")
    _field(entry, "my_watched_episodes", str(len(watched)))
    _field(entry, "my_start_date", f"{min(times):%Y-%m-%d}" if times else NO_DATE)
    finished = times and status == "completed"
    _field(entry, "my_finish_date", f"{max(times):%Y-%m-%d}" if finished else NO_DATE)
    _field(entry, "my_score", str(progress.rating(show.id) or 0))
    _field(entry, "my_status", MAL_STATUSES[status])
    _field(entry, "my_times_watched", str(rewatched))
    _field(entry, "my_rewatching", "0")
    _field(entry, "update_on_import", "1")
    return entry


def _left_out(counts: _Counts) -> list[str]:
    said = []
    if counts.not_anime:
        said.append(f"{plural(counts.not_anime, 'non-anime show')} (MAL lists anime only)")
    if counts.not_in_catalog:
        said.append(
            f"{plural(counts.not_in_catalog, 'show')} no longer in the catalog (kind unknown)"
        )
    if counts.without_id:
        said.append(
            f"the MAL id of {plural(counts.without_id, 'anime', 'anime')} (none known): "
            "written as 0, so AniList matches them by title"
        )
    if counts.later_seasons:
        said.append(
            f"seasons after the first of {plural(counts.later_seasons, 'anime', 'anime')} "
            "(MAL lists each season as an entry of its own)"
        )
    if counts.timed:
        said.append("viewing times (MAL keeps a start and a finish date per entry)")
    if counts.finer_ratings:
        said.append(
            f"{plural(counts.finer_ratings, 'season or episode rating')} "
            "(MAL rates the whole entry)"
        )
    if counts.archived:
        said.append(f"archive flags of {plural(counts.archived, 'anime', 'anime')}")
    return said
