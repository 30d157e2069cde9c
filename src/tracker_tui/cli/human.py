"""Compact, readable text output for the command line."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence

from tracker_tui.cli.text import episode_codes, table, watched_cell
from tracker_tui.domain.catalog.citations import SourceNumbers, spelt
from tracker_tui.domain.catalog.disputes import claim_text, claims_for
from tracker_tui.domain.catalog.models import Episode, Note, Season, Show
from tracker_tui.domain.catalog.release import season_status
from tracker_tui.domain.catalog.sources import SourceRegistry
from tracker_tui.domain.progress.records import EpisodeKey, Progress
from tracker_tui.domain.watching.episodes import (
    list_status,
    season_episodes,
    show_orphans,
    show_progress,
    status_label,
)
from tracker_tui.domain.watching.spoilers import VisibleNotes, spoiler_reached

WIDTH = 88
YOUR_NOTE = "(your note)"
"""Marks a fact from the user's overlay file, beside the cited facts and never mixed in."""


class Footnotes(SourceNumbers):
    """Numbered citations, listed under "Sources" at the end of `tracker show`."""

    def lines(self) -> list[str]:
        out = ["", "Sources"] if self.numbered() else []
        for number, title, document in self.numbered():
            out.append(f"  [{number}] {title}")
            out.append(f"      {document}")
        return out


def progress_cell(show: Show, progress: Progress) -> tuple[str, str, str]:
    """(`3/12 25% watched`, `on hold*`, `S1E4`) for a show; * marks a status set by hand.
    A total that is only a lower bound reads `3/3+ watched (episode count unknown)`."""
    summary = show_progress(show, progress)
    counted = watched_cell(summary.watched, summary.known, summary.percent, summary.total_known)
    lower_bound = summary.known and not summary.total_known
    counted += " watched (episode count unknown)" if lower_bound else " watched"
    upcoming = summary.next_episode.code() if summary.next_episode else "-"
    status, by_hand = list_status(show, progress, summary)  # the summary: counted once
    return counted, status_label(status) + ("*" if by_hand else ""), upcoming


def _rating_cell(rating: int | None) -> str:
    return f"{rating}/10" if rating is not None else "-"


def _episode_summary(numbers: Sequence[int], titled: bool) -> str:
    if not numbers:
        return "none listed yet"
    ranges: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        ranges.append(f"{start}" if start == previous else f"{start}-{previous}")
        if number is not None:
            start = previous = number
    suffix = "" if titled else " (no titles in the sources)"
    return ", ".join(ranges) + suffix


def show_text(show: Show, registry: SourceRegistry, today: dt.date, progress: Progress) -> str:
    """`tracker show`: what the show is, then who made it, its seasons, where the sources
    disagree and progress the catalog has no place for, with numbered sources last."""
    notes = Footnotes(registry)  # numbered in the order cited, so the parts run in order
    out = _header_lines(show, progress)
    out += _fact_lines(show, progress, notes)
    out += _people_lines(show, notes)
    out += _season_lines(show, registry, today, progress, notes)
    out += _dispute_lines(show, progress, notes)
    out += _orphan_lines(show, progress)
    out += notes.lines()
    return "\n".join(out)


def _header_lines(show: Show, progress: Progress) -> list[str]:
    """The title, kind and id, then the user's progress in one line."""
    counted, watch_status, upcoming = progress_cell(show, progress)
    year = f", {show.year}" if show.year else ""
    rating = progress.rating(show.id)
    rated = f", rated {rating}/10" if rating is not None else ""
    archived = " (archived)" if progress.is_archived(show.id) else ""
    out = [
        f"{show.title}  ({show.kind.value}{year}, id: {show.id}){archived}",
        f"Progress: {watch_status}, {counted}, next: {upcoming}{rated}",
    ]
    if show.yours is not None and show.yours.year is not None:
        out.append(f"Year: {show.yours.year} {YOUR_NOTE}")
    return out


def _fact_lines(show: Show, progress: Progress, notes: Footnotes) -> list[str]:
    """Other names, country, platform, studio, source material, and names spelt two ways
    (but not one that is itself a spoiler past the user's progress)."""
    out = []
    if show.aliases:
        out.append(f"Also known as: {', '.join(show.aliases)}")
    for label, fact in (
        ("Country", show.country),
        ("Platform", show.platform),
        ("Studio", show.studio),
    ):
        if fact is not None:
            out.append(f"{label}: {fact.value} {notes.cite(fact.sources)}")
    material = show.source_material
    if material is not None:
        original = f", {material.original_title}" if material.original_title else ""
        author = f" by {material.author}" if material.author else ""
        started = f", since {material.started.human()}" if material.started else ""
        out.append(
            f"Based on: {material.title} ({material.medium}{original}){author}{started} "
            f"{notes.cite(material.sources)}"
        )
    spellings = [
        spelling
        for spelling in show.spellings
        if spelling.spoiler is None or spoiler_reached(show, spelling.spoiler, progress)
    ]
    if spellings:
        out.append(f"Spelt two ways: {'; '.join(spelt(s, notes) for s in spellings)}")
    return out


def _people_lines(show: Show, notes: Footnotes) -> list[str]:
    """A table of who made or appears in the show, each with their sources."""
    if not show.people:
        return []
    rows = []
    for person in show.people:
        who = person.name + (f" as {person.character}" if person.character else "")
        also = [spelt(spelling, notes) for spelling in show.spellings_in(person.character or "")]
        if also:
            who += f" ({'; '.join(also)})"
        flag = "! disputed" if person.dispute else ""
        rows.append([person.role, who, notes.cite(person.sources), flag])
    return ["", "People", *table(rows, "  ")]


def _season_lines(
    show: Show, registry: SourceRegistry, today: dt.date, progress: Progress, notes: Footnotes
) -> list[str]:
    out = ["", "Seasons"]
    if not show.seasons:
        out.append("  none listed")
    for season in sorted(show.seasons, key=lambda season: season.number):
        out += _season_status_lines(show, season, registry, today, notes)
        out += _season_episode_lines(show, season, progress)
        out += _season_report_lines(season, notes)
    return out


def _season_status_lines(
    show: Show, season: Season, registry: SourceRegistry, today: dt.date, notes: Footnotes
) -> list[str]:
    """Where the season stands and its episode count (and the user's own count beside it),
    with how its day was joined, the latest report's words where there are several, and
    whether it may be stale."""
    status = season_status(season, registry, today)
    count = (
        f"{season.episode_count} episodes {notes.cite(season.episode_count_sources)}".rstrip()
        if season.episode_count is not None
        else "episode count unknown"
    )
    yours = show.your_season(season.number)
    if yours is not None and yours.episode_count is not None:
        used = "" if season.episode_count is None else ", tracking uses yours"
        count += f" · {yours.episode_count} episodes (your note{used})"
    out = [f"  S{season.number}  {status.headline()} · {count}"]
    joined = season.joined_release_date()
    if joined is not None:
        out.append(
            f"      day: {joined.human()}: day from {notes.cite(joined.day_sources)}, "
            f"year from {notes.cite(joined.year_sources)}"
        )
    if len(season.status) > 1:
        disputed = "  ! disputed" if status.report.dispute else ""
        out.append(f"      now: {status.report.detail}{disputed}")
    if warning := status.warning():
        out.append(f"      ! {warning}")
    return out


def _season_episode_lines(show: Show, season: Season, progress: Progress) -> list[str]:
    """The episodes listed and those watched, as ranges, then any titles."""
    numbers = season_episodes(show, season, progress).listed
    yours = show.your_season(season.number)
    mine = {} if yours is None else {episode.number: episode for episode in yours.episodes}
    titled = any(episode.title for episode in [*season.episodes, *mine.values()])
    out = [f"      episodes: {_episode_summary(numbers, titled)}"]
    seen = [n for n in numbers if progress.is_watched(EpisodeKey(show.id, season.number, n))]
    if seen:
        out.append(f"      watched: {_episode_summary(seen, True)}")
    cited = {episode.number: episode for episode in season.episodes}
    for number in sorted(cited.keys() | mine.keys()):
        parts = [_episode_facts(cited.get(number)), _episode_facts(mine.get(number))]
        if parts[1]:
            parts[1] += f" {YOUR_NOTE}"
        line = "  ·  ".join(part for part in parts if part)
        if line:
            out.append(f"        E{number}  {line}")
    if ratings := _rating_parts(show, season, progress):
        out.append(f"      your ratings: {', '.join(ratings)}")
    return out


def _episode_facts(episode: Episode | None) -> str:
    """`Title, air date 2026-01-10`: what is known of an episode, or ""."""
    if episode is None:
        return ""
    parts = [episode.title or ""]
    if episode.air_date is not None:
        parts.append(f"air date {episode.air_date.human()}")
    return ", ".join(part for part in parts if part)


def _rating_parts(show: Show, season: Season, progress: Progress) -> list[str]:
    """ "season 8/10", then each rated episode's ("E3 9/10")."""
    parts = []
    if (rating := progress.rating(show.id, season.number)) is not None:
        parts.append(f"season {rating}/10")
    for key in sorted(progress.show_state(show.id).episodes):
        if key.season == season.number and (rating := progress.rating(*key)) is not None:
            parts.append(f"E{key.episode} {rating}/10")
    return parts


def _season_report_lines(season: Season, notes: Footnotes) -> list[str]:
    """Every status report, in file order, with its date and sources."""
    if not season.status:
        return ["      reports: none (status unknown)"]
    rows = []
    for report in season.status:
        when = report.on or report.expected
        day_only = report.on_month_day
        rows.append(
            [
                report.state.label,
                report.detail,
                when.human() if when else f"{day_only.human()}, no year" if day_only else "",
                notes.cite(report.sources),
                "! disputed" if report.dispute else "",
            ]
        )
    return ["      reports:", *table(rows, "        ")]


def _dispute_lines(show: Show, progress: Progress, notes: Footnotes) -> list[str]:
    """Each disagreement with every claim; a claim that is a spoiler past the user's
    progress says how to see it instead."""
    if not show.disputes:
        return []
    out = ["", "Sources disagree"]
    for dispute in show.disputes:
        out.append(f"  ! {dispute.topic}")
        for claim in claims_for(show, dispute):
            said = claim_text(claim)
            if (
                isinstance(claim, Note)
                and claim.spoiler is not None
                and not spoiler_reached(show, claim.spoiler, progress)
            ):
                said = f"(spoiler past {claim.spoiler.code()}: `tracker notes --spoilers`)"
            out.append(f"      - {said} {notes.cite(claim.sources)}")
    return out


def _orphan_lines(show: Show, progress: Progress) -> list[str]:
    orphans = show_orphans(show, progress)
    if not orphans:
        return []
    return ["", "Orphaned progress (kept, not in the catalog): " + episode_codes(orphans)]


def notes_text(show: Show, notes: VisibleNotes, registry: SourceRegistry) -> str:
    out = [f"{show.title}: notes"]
    if not notes.shown and not notes.hidden:
        out.append("No notes for this show.")
    for note in notes.shown:
        scope = f"  (spoiler: {note.spoiler.code()})" if note.spoiler else ""
        disputed = "  ! sources disagree" if note.dispute else ""
        out += ["", f"{note.topic}{scope}{disputed}"]
        out += textwrap.wrap(note.text, WIDTH, initial_indent="  ", subsequent_indent="  ")
        for spelling in show.spellings_in(note.text):
            where = ", ".join(dict.fromkeys(ref.document for ref in spelling.variant_sources()))
            out.append(f"  ({spelling.name}, also spelt {spelling.variant}: {where})")
        for ref in note.sources:
            out.append(f"  - {registry.title_for(ref.document, ref.quote)} ({ref.document})")
            out += textwrap.wrap(
                f"“{ref.quote}”", WIDTH, initial_indent="      ", subsequent_indent="       "
            )
    if notes.hidden:
        out += ["", f"{notes.hidden_summary()} (--spoilers shows them)"]
    return "\n".join(out)
