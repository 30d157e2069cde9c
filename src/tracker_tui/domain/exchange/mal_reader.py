"""MyAnimeList's XML list export (plain, or the `.xml.gz` MAL hands out), also what AniList
and Kitsu export.

Each `<anime>` is one season of one anime: it becomes an anime show (key `mal:<id>`) with
season 1. MAL counts watched episodes without dates, so episodes 1 to
`my_watched_episodes` are imported as watched at an unknown time, and a completed entry
watched again (`my_times_watched`) gets that many more viewings of every episode.

The XML is streamed and each entry dropped once read, so a list of any length reads in
little memory. A DTD, entities or external references are refused before anything is
expanded or fetched (defusedxml).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, cast
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import iterparse  # type: ignore[import-untyped]

from tracker_tui.domain.catalog.models import MAX_EPISODE_NUMBER
from tracker_tui.domain.exchange.batch import (
    ImportBatch,
    ImportedRating,
    ImportedStatus,
    ImportedViewing,
    ImportFormatError,
)
from tracker_tui.domain.exchange.source import ImportSource, Member
from tracker_tui.domain.exchange.tabular import (
    BadValueError,
    export_files,
    note,
    parse_number,
    parse_score,
    plural,
    quoted,
)

STATUSES = {
    "watching": "watching",
    "completed": "completed",
    "on-hold": "on-hold",
    "on hold": "on-hold",
    "dropped": "dropped",
    "plan to watch": "plan-to-watch",
    "1": "watching",
    "2": "completed",
    "3": "on-hold",
    "4": "dropped",
    "6": "plan-to-watch",
}
"""MAL's statuses, as words or as the numbers older exports use, as tracker's."""

UNDATED_NOTE = (
    "MyAnimeList counts episodes without dates: they are imported as watched at an unknown time"
)
MAX_REWATCHES = 100
"""`my_times_watched` above this is a broken entry, not a habit."""
MAX_ENTRY_VIEWINGS = 100_000


def read(source: ImportSource) -> ImportBatch:
    """Read a MyAnimeList XML export; ImportFormatError for a manga list, a file that is
    not MAL XML, or XML with a DTD or entities."""
    batch = ImportBatch("mal")
    for member in export_files(source, "*.xml", "MyAnimeList XML"):
        _read_member(batch, member)
    return batch


def _elements(stream: IO[bytes]) -> Iterator[tuple[str, Element]]:
    """The parser's events, with DTDs, entities and external references forbidden."""
    events = iterparse(stream, events=("start", "end"), forbid_dtd=True)
    return cast(Iterator[tuple[str, Element]], events)


def _read_member(batch: ImportBatch, member: Member) -> None:
    entries = 0
    seen: set[str] = set()
    depth = 0
    root: Element | None = None
    with member.open() as stream:
        events = _elements(stream)
        try:
            for event, element in events:
                if event == "start":
                    depth += 1
                    if root is None:
                        root = element
                        if element.tag != "myanimelist":
                            raise ImportFormatError(
                                f"{member.display} is not a MyAnimeList export: its XML "
                                f"starts with <{element.tag}>, not <myanimelist>"
                            )
                    elif depth == 2 and element.tag == "manga":
                        raise _manga_list(member)
                    continue
                depth -= 1
                if depth == 2 and element.tag == "user_export_type":
                    if (element.text or "").strip() == "2":
                        raise _manga_list(member)
                elif depth == 1 and element.tag == "anime":
                    entries += 1
                    _read_anime(batch, member, element, entries, seen)
                    element.clear()
                    if root is not None:  # always: set at the first start
                        root.clear()  # what was read is let go: bounded memory
        except DefusedXmlException as error:
            raise ImportFormatError(
                f"{member.display} declares a DTD or entities ({type(error).__name__}); "
                "tracker refuses them in an export, as they can expand to gigabytes or read "
                "other files. MyAnimeList's own export has none: export the list again"
            ) from error
        except ParseError as error:
            line, column = getattr(error, "position", (0, 0))
            if entries == 0:
                raise ImportFormatError(
                    f"{member.display} is not readable XML (line {line}, column {column}: "
                    f"{_reason(error)})"
                ) from error
            batch.skip(
                member.display,
                f"line {line}",
                f"the XML breaks off here ({_reason(error)}; a truncated file?): "
                f"the {plural(entries, 'entry', 'entries')} before it are read, nothing after it",
            )
    if root is None:
        raise ImportFormatError(f"{member.display} is empty")


def _reason(error: ParseError) -> str:
    return str(error).split(":")[0]


def _manga_list(member: Member) -> ImportFormatError:
    return ImportFormatError(
        f"{member.display} is a manga list: tracker imports MyAnimeList's anime list "
        "(export it from MyAnimeList's Export page, choosing Anime List)"
    )


def _text(entry: Element, name: str) -> str:
    return (entry.findtext(name) or "").strip()


def _read_anime(
    batch: ImportBatch, member: Member, entry: Element, number: int, seen: set[str]
) -> None:
    title = _text(entry, "series_title")
    where = f"<anime> {number}" + (f" ({title[:60]})" if title else "")
    try:
        _add_anime(batch, entry, title, seen)
    except BadValueError as error:
        batch.skip(member.display, where, str(error))
        return
    status_text = _text(entry, "my_status")
    if status_text and status_text.lower() not in STATUSES:
        batch.skip(
            member.display,
            where,
            f"unknown my_status {quoted(status_text)} (MAL's are Watching, Completed, "
            "On-Hold, Dropped, Plan to Watch): the status is left out",
        )


def _add_anime(batch: ImportBatch, entry: Element, title: str, seen: set[str]) -> None:
    mal_id = _text(entry, "series_animedb_id")
    if not mal_id.isascii() or not mal_id.isdigit() or len(mal_id) > 12:
        raise BadValueError(f"series_animedb_id {quoted(mal_id)} is not a MyAnimeList id")
    mal_id = str(int(mal_id))
    if not title:
        raise BadValueError("no series_title")
    # 0 is "no MAL id": AniList and tracker's own export write it for an anime MAL lacks,
    # and the title is then all there is to know the anime by.
    ident = mal_id if mal_id != "0" else f"title:{' '.join(title.lower().split())}"
    if ident in seen:
        raise BadValueError(f"the same anime again (series_animedb_id {mal_id}): the first is kept")
    count = parse_number(_text(entry, "series_episodes") or "0", "series_episodes", 1 << 20)
    watched = parse_number(
        _text(entry, "my_watched_episodes") or "0", "my_watched_episodes", MAX_EPISODE_NUMBER
    )
    times = parse_number(_text(entry, "my_times_watched") or "0", "my_times_watched", 1 << 20)
    if times > MAX_REWATCHES:
        raise BadValueError(f"my_times_watched {times} is over {MAX_REWATCHES}")
    rating = parse_score(_text(entry, "my_score"))
    status = STATUSES.get(_text(entry, "my_status").lower())
    every = count if 0 < count <= MAX_EPISODE_NUMBER else watched
    rewatches = times if status == "completed" else 0
    if watched + rewatches * every > MAX_ENTRY_VIEWINGS:
        raise BadValueError(
            f"{watched + rewatches * every:,} viewings is more than one entry holds"
        )
    seen.add(ident)
    key = f"mal:{ident}"
    show = batch.show(key, title, kind="anime", ids={"mal": mal_id} if mal_id != "0" else {})
    season = show.season(1)
    if 0 < count <= MAX_EPISODE_NUMBER and watched <= count:
        season.episode_count = count
    viewings = batch.viewings
    for episode in range(1, watched + 1):
        show.saw(1, episode)
        viewings.append(ImportedViewing(key, 1, episode, None, f"{key}:e{episode}:w1"))
    for time in range(2, rewatches + 2):
        for episode in range(1, every + 1):
            show.saw(1, episode)
            viewings.append(ImportedViewing(key, 1, episode, None, f"{key}:e{episode}:w{time}"))
    if watched or rewatches:
        note(batch, UNDATED_NOTE)
    if status is not None:
        batch.statuses.append(ImportedStatus(key, status))
    if rating is not None:
        batch.ratings.append(ImportedRating(key, None, None, rating))
