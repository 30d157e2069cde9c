"""Editing a show or overlay file's TOML in place with tomlkit: a draft's facts set key by
key, so the user's comments, layout and every other table (status reports, sources,
notes) stay as they were. Imported only when a file is written."""

from __future__ import annotations

from typing import Any

import tomlkit
from tomlkit.items import AoT, Array, Table
from tomlkit.toml_document import TOMLDocument

from tracker_tui.domain.catalog.dates import PartialDate, coerce_partial_date
from tracker_tui.domain.catalog.drafts import EpisodeDraft, SeasonDraft


def set_top(doc: TOMLDocument, values: dict[str, Any]) -> None:
    """Set top-level keys in place (None removes one); tomlkit puts a new plain key
    before the first table, where it belongs."""
    for key, value in values.items():
        if value is None:
            if key in doc:
                del doc[key]
        else:
            doc[key] = value


def _episode_table(episode: EpisodeDraft) -> Any:
    table = tomlkit.inline_table()
    table["number"] = episode.number
    title = (episode.title or "").strip()
    if title:
        table["title"] = title
    if episode.air_date and episode.air_date.strip():
        table["air_date"] = PartialDate.parse(episode.air_date).iso()
    return table


def _episodes_array(episodes: tuple[EpisodeDraft, ...]) -> Array:
    array = tomlkit.array()
    for episode in sorted(episodes, key=lambda episode: episode.number):
        array.append(_episode_table(episode))
    return array.multiline(True)


def _same_episodes(current: Any, wanted: tuple[EpisodeDraft, ...]) -> bool:
    """Does the file already say what the draft says (so its layout need not change)?"""
    try:
        have = {
            int(entry["number"]): (entry.get("title"), _date_text(entry.get("air_date")))
            for entry in current
        }
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    want = {
        episode.number: (
            (episode.title or "").strip() or None,
            PartialDate.parse(episode.air_date).iso()
            if episode.air_date and episode.air_date.strip()
            else None,
        )
        for episode in wanted
    }
    return have == want


def _date_text(value: Any) -> str | None:
    if value is None:
        return None
    return coerce_partial_date(value).iso()


def _set_season(table: Table, season: SeasonDraft) -> None:
    if season.episode_count is None:
        if "episode_count" in table:
            del table["episode_count"]
    else:
        table["episode_count"] = season.episode_count
    current = table.get("episodes")
    if season.episodes:
        if current is None or not _same_episodes(current, season.episodes):
            table["episodes"] = _episodes_array(season.episodes)
    elif current is not None:
        del table["episodes"]


def set_seasons(doc: TOMLDocument, seasons: list[SeasonDraft], *, keep_others: bool) -> None:
    """Make the file's [[seasons]] say what the drafts say, table by table, keeping each
    table's other keys (status reports, sources, comments). Seasons the drafts leave out
    are removed, unless `keep_others`."""
    tables: AoT | None = doc.get("seasons")
    by_number = {season.number: season for season in seasons}
    if tables is not None:
        kept = []
        for table in tables:
            number = table.get("number")
            if number in by_number:
                _set_season(table, by_number.pop(number))
                kept.append(table)
            elif keep_others:
                kept.append(table)
        if len(kept) != len(tables):
            for index in reversed(range(len(tables))):
                if tables[index] not in kept:
                    del tables[index]
    remaining = sorted(by_number.values(), key=lambda season: season.number)
    if not remaining:
        if tables is not None and len(tables) == 0:
            del doc["seasons"]
        return
    if tables is None:
        tables = tomlkit.aot()
        doc.append("seasons", tables)
    for season in remaining:
        table = tomlkit.table()
        table["number"] = season.number
        _set_season(table, season)
        tables.append(table)
