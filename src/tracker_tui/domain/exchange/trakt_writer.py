"""Progress written as a Trakt `watched-history.json`: one entry per viewing with a known
time, newest first, in the shape Trakt's export gives (and `trakt_reader` reads).

One file of bytes keeps the export command simple, so only the history goes out: Trakt
keeps ratings and list statuses in other files, and a viewing of unknown time cannot be
in a history. `left_out` says what stayed behind, with counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

import msgspec

from tracker_tui.domain.catalog.models import Season, Show, YourSeason
from tracker_tui.domain.exchange.export_result import ExportResult
from tracker_tui.domain.progress.records import Progress

_ID_SPACE = 1 << 48
"""History ids stay below 2**48: exact in every JSON reader, JavaScript's too."""
_NUMERIC_IDS = ("trakt", "tvdb", "tmdb")
"""The ids Trakt gives as numbers; imdb is text."""


def history_id(show: str, season: int, episode: int, viewing_id: str) -> int:
    """A stable positive id for one viewing: the same viewing gets the same id in every
    export, so importing an export back is a no-op."""
    digest = hashlib.sha256(f"{show}:{season}:{episode}:{viewing_id}".encode()).digest()
    return int.from_bytes(digest[:6]) % (_ID_SPACE - 1) + 1


def trakt_time(moment: dt.datetime) -> str:
    """`2024-03-01T20:15:00.000Z` as Trakt writes it; microseconds kept when there are any."""
    utc = moment.astimezone(dt.UTC)
    fraction = (
        f"{utc.microsecond // 1000:03d}"
        if utc.microsecond % 1000 == 0
        else f"{utc.microsecond:06d}"
    )
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{fraction}Z"


def _show_ids(show: Show) -> dict[str, Any]:
    ids: dict[str, Any] = {"trakt": None, "slug": None, "tvdb": None, "imdb": None, "tmdb": None}
    for name in _NUMERIC_IDS:
        value = show.ids.get(name, "")
        if value.isascii() and value.isdigit():
            ids[name] = int(value)
    ids["imdb"] = show.ids.get("imdb")
    return ids


def _titles(show: Show) -> dict[tuple[int, int], str]:
    titles: dict[tuple[int, int], str] = {}
    seasons: list[Season | YourSeason] = [
        *show.seasons,
        *(show.yours.seasons if show.yours is not None else []),
    ]
    for season in seasons:
        for episode in season.episodes:
            if episode.title:
                titles.setdefault((season.number, episode.number), episode.title)
    return titles


def write(shows: Mapping[str, Show], progress: Progress) -> ExportResult:
    entries: list[tuple[dt.datetime, int, dict[str, Any]]] = []
    used: set[int] = set()
    undated = orphaned = ratings = statuses = 0
    shows_written = 0
    for show_id in sorted(progress.shows):
        state = progress.shows[show_id]
        ratings += (state.rating is not None and state.rating.value is not None) + sum(
            mark.value is not None for mark in state.seasons.values()
        )
        statuses += state.status is not None and state.status.value is not None
        show = shows.get(show_id)
        wrote_any = False
        titles = _titles(show) if show is not None else {}
        show_data = {"title": show.title, "year": show.year, "ids": _show_ids(show)} if show else {}
        for key in sorted(state.episodes):
            episode_state = state.episodes[key]
            if episode_state.rating is not None and episode_state.rating.value is not None:
                ratings += 1
            for viewing in episode_state.live():
                if show is None:
                    orphaned += 1
                    continue
                if viewing.watched_at is None:
                    undated += 1
                    continue
                entry_id = history_id(show_id, key.season, key.episode, viewing.id)
                while entry_id in used:  # a hash collision: the next free id, still stable
                    entry_id = entry_id % (_ID_SPACE - 1) + 1
                used.add(entry_id)
                wrote_any = True
                entry = {
                    "id": entry_id,
                    "watched_at": trakt_time(viewing.watched_at),
                    "action": "watch",
                    "type": "episode",
                    "episode": {
                        "season": key.season,
                        "number": key.episode,
                        "title": titles.get((key.season, key.episode)),
                        "ids": {},
                    },
                    "show": show_data,
                }
                entries.append((viewing.watched_at, entry_id, entry))
        shows_written += wrote_any
    entries.sort(key=lambda item: (item[0], item[1]), reverse=True)
    data = msgspec.json.encode([entry for _, _, entry in entries])
    left_out = []
    if undated:
        left_out.append(f"{_viewings(undated)} of unknown time (Trakt's history needs a time)")
    if ratings:
        left_out.append(f"{ratings:,} ratings (Trakt keeps them apart from its history)")
    if statuses:
        left_out.append(f"{statuses:,} list statuses (Trakt's history has none)")
    if orphaned:
        left_out.append(f"{_viewings(orphaned)} of shows no longer in the catalog")
    return ExportResult(
        data + b"\n",
        f"{_viewings(len(entries))} of {shows_written:,} show{'' if shows_written == 1 else 's'}",
        left_out,
    )


def _viewings(count: int) -> str:
    return f"{count:,} viewing" if count == 1 else f"{count:,} viewings"
