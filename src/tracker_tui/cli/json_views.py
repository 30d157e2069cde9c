"""The stable JSON shapes of the command line's `--json` output (documented in README)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker_tui.domain.catalog.dates import PartialDate
from tracker_tui.domain.catalog.disputes import claim_text, claims_for
from tracker_tui.domain.catalog.models import (
    Attributed,
    Episode,
    Note,
    Person,
    Show,
    SourceMaterial,
    SourceRef,
    Spelling,
    StatusReport,
    YourFacts,
)
from tracker_tui.domain.catalog.release import reported_on, season_status, show_status_line
from tracker_tui.domain.catalog.sources import SourceRegistry
from tracker_tui.domain.progress.format import format_time
from tracker_tui.domain.progress.records import EpisodeKey, Progress
from tracker_tui.domain.watching.episodes import (
    ShowProgress,
    list_status,
    season_episodes,
    show_orphans,
    show_progress,
)

JSON = dict[str, Any]


def source_json(ref: SourceRef, registry: SourceRegistry) -> JSON:
    return {
        "document": ref.document,
        "title": registry.title_for(ref.document, ref.quote),
        "quote": ref.quote,
    }


def _sources(refs: list[SourceRef], registry: SourceRegistry) -> list[JSON]:
    return [source_json(ref, registry) for ref in refs]


def _date(value: PartialDate | None) -> JSON | None:
    return None if value is None else {"date": value.iso(), "precision": value.precision.value}


def _attributed(fact: Attributed | None, registry: SourceRegistry) -> JSON | None:
    if fact is None:
        return None
    return {"value": fact.value, "sources": _sources(fact.sources, registry)}


def _material(material: SourceMaterial | None, registry: SourceRegistry) -> JSON | None:
    if material is None:
        return None
    return {
        "title": material.title,
        "original_title": material.original_title,
        "medium": material.medium,
        "author": material.author,
        "started": _date(material.started),
        "sources": _sources(material.sources, registry),
    }


def person_json(person: Person, registry: SourceRegistry) -> JSON:
    return {
        "name": person.name,
        "role": person.role,
        "character": person.character,
        "dispute": person.dispute,
        "sources": _sources(person.sources, registry),
    }


def _report(report: StatusReport, registry: SourceRegistry) -> JSON:
    reported = reported_on(report, registry)
    return {
        "state": report.state.value,
        "detail": report.detail,
        "on": _date(report.on),
        "expected": _date(report.expected),
        "on_month_day": report.on_month_day.iso() if report.on_month_day else None,
        "reported": reported.isoformat() if reported else None,
        "dispute": report.dispute,
        "sources": _sources(report.sources, registry),
    }


def spelling_json(spelling: Spelling, registry: SourceRegistry) -> JSON:
    return {
        "name": spelling.name,
        "variant": spelling.variant,
        "spoiler": spelling.spoiler.code() if spelling.spoiler else None,
        "sources": _sources(spelling.sources, registry),
    }


def note_json(note: Note, registry: SourceRegistry) -> JSON:
    return {
        "id": note.id,
        "topic": note.topic,
        "text": note.text,
        "spoiler": note.spoiler.code() if note.spoiler else None,
        "dispute": note.dispute,
        "sources": _sources(note.sources, registry),
    }


def progress_json(show: Show, progress: Progress) -> JSON:
    summary = show_progress(show, progress)
    return {
        "watched": summary.watched,
        "known": summary.known,
        "percent": summary.percent,
        "total_known": summary.total_known,
        "status": summary.status.value,
        "next": summary.next_episode.code() if summary.next_episode else None,
    } | _marks_json(show, progress, summary)


def _marks_json(show: Show, progress: Progress, summary: ShowProgress) -> JSON:
    """The user's own marks on a show: list status, rating, archived."""
    status, by_hand = list_status(show, progress, summary)
    return {
        "list_status": status,
        "list_status_set_by_you": by_hand,
        "rating": progress.rating(show.id),
        "archived": progress.is_archived(show.id),
    }


def show_summary_json(
    show: Show, registry: SourceRegistry, today: dt.date, progress: Progress
) -> JSON:
    return {
        "id": show.id,
        "title": show.title,
        "kind": show.kind.value,
        "year": show.year,
        "status": show_status_line(show, registry, today),
        "progress": progress_json(show, progress),
    }


def episode_json(key: EpisodeKey, episode: Episode | None, progress: Progress) -> JSON:
    record = progress.get(key)
    watched = record is not None and record.watched
    return (
        {"number": key.episode}
        | ({"title": episode.title} if episode and episode.title else {})
        | ({"air_date": _date(episode.air_date)} if episode and episode.air_date else {})
        | {
            "watched": watched,
            "watched_at": format_time(record.watched_at)
            if watched and record and record.watched_at
            else None,
            "watch_count": record.watch_count if watched and record else 0,
            "rating": progress.rating(*key),
        }
    )


def show_json(show: Show, registry: SourceRegistry, today: dt.date, progress: Progress) -> JSON:
    seasons = []
    for season in sorted(show.seasons, key=lambda season: season.number):
        status = season_status(season, registry, today)
        cited = {episode.number: episode for episode in season.episodes}
        episodes = season_episodes(show, season, progress)
        joined = season.joined_release_date()
        seasons.append(
            {
                "number": season.number,
                "status": status.state.value,
                "status_detail": status.report.detail,
                "status_dispute": status.report.dispute,
                "possibly_out_of_date": status.overdue,
                "release_date": _date(season.release_date),
                "joined_release_date": None
                if joined is None
                else {
                    "date": joined.date.iso(),
                    "day_from": _sources(joined.day_sources, registry),
                    "year_from": _sources(joined.year_sources, registry),
                },
                "episode_count": season.episode_count,
                "episode_count_sources": _sources(season.episode_count_sources, registry),
                "tracked_episode_count": episodes.count,
                "rating": progress.rating(show.id, season.number),
                "episodes": [
                    episode_json(EpisodeKey(show.id, season.number, n), cited.get(n), progress)
                    for n in episodes.listed
                ],
                "status_reports": [_report(report, registry) for report in season.status],
            }
        )
    disputes = []
    for dispute in show.disputes:
        disputes.append(
            {
                "id": dispute.id,
                "topic": dispute.topic,
                "claims": [
                    {
                        "claim": claim_text(fact),
                        "spoiler": fact.spoiler.code()
                        if isinstance(fact, Note) and fact.spoiler
                        else None,
                        "sources": _sources(fact.sources, registry),
                    }
                    for fact in claims_for(show, dispute)
                ],
            }
        )
    return {
        **show_summary_json(show, registry, today, progress),
        "aliases": list(show.aliases),
        "spellings": [spelling_json(spelling, registry) for spelling in show.spellings],
        "country": _attributed(show.country, registry),
        "platform": _attributed(show.platform, registry),
        "studio": _attributed(show.studio, registry),
        "source_material": _material(show.source_material, registry),
        "people": [person_json(person, registry) for person in show.people],
        "seasons": seasons,
        "disputes": disputes,
        "orphaned_progress": [key.code() for key in show_orphans(show, progress)],
        "yours": yours_json(show.yours),
    }


def yours_json(yours: YourFacts | None) -> JSON | None:
    """The user's own facts for a bundled show (its overlay file), never mixed into the
    cited ones; null when there are none."""
    if yours is None:
        return None
    return {
        "year": yours.year,
        "seasons": [
            {
                "number": season.number,
                "episode_count": season.episode_count,
                "episodes": [
                    {
                        "number": episode.number,
                        "title": episode.title,
                        "air_date": _date(episode.air_date),
                    }
                    for episode in season.episodes
                ],
            }
            for season in sorted(yours.seasons, key=lambda season: season.number)
        ],
    }


JSON_FIELDS = """\
JSON output of `--json` (UTF-8, indented by two spaces; the shapes are stable).
`T | null`: the key is always there and may be null. Times are UTC ISO 8601 with
a Z and microseconds, e.g. "2025-06-01T20:15:00.000000Z".

Shared pieces
  Source    {document: file name, title: document or article title, quote: verbatim}
  Date      {date: "YYYY" | "YYYY-MM" | "YYYY-MM-DD", precision: "year" | "month" | "day"}
  Progress  {watched: int, known: int, percent: int (of known),
             total_known: bool (false: a season released or being watched has no
             episode count, so known is a lower bound; text shows "3/3+", no percent),
             status: "not started" | "watching" | "completed" | "up to date",
             next: "S1E5" | null,
             list_status: "watching" | "completed" | "on-hold" | "dropped" | "plan-to-watch",
             list_status_set_by_you: bool (false: derived from progress),
             rating: 1-10 | null, archived: bool}

tracker shows --json
  [{id, title, kind: "series" | "anime" | "miniseries" | "documentary" | "other",
    year: int | null, status: the RELEASES column, progress: Progress}]
  (archived shows are left out unless --status archived; --status filters by list_status)

tracker show SHOW --json
  {id, title, kind, year, status, progress: Progress, aliases: [string],
   spellings: [{name, variant, spoiler: "S1" | null, sources: [Source]}],
   country, platform, studio: {value, sources: [Source]} | null,
   source_material: {title, original_title | null, medium, author | null,
                     started: Date | null, sources: [Source]} | null,
   people: [{name, role, character | null, dispute | null, sources: [Source]}],
   seasons: [{number, status: "announced" | "in_production" | "scheduled" | "released"
                      | "unknown" (no status reports: a season you added),
              status_detail, status_dispute | null, possibly_out_of_date: bool,
              release_date: Date | null,
              joined_release_date: {date: "YYYY-MM-DD", day_from: [Source],
                                    year_from: [Source]} | null,
              episode_count: int | null (cited), episode_count_sources: [Source],
              tracked_episode_count: int | null (what tracking counts: yours.seasons'
                                     episode_count where you gave one, else episode_count),
              rating: 1-10 | null (yours, for the season),
              episodes: [{number, title, air_date: Date (each only when the show's
                          file gives it), watched: bool, watched_at: time | null,
                          watch_count: int (live viewings), rating: 1-10 | null}],
              status_reports: [{state, detail, on: Date | null, expected: Date | null,
                                on_month_day: "MM-DD" | null,
                                reported: "YYYY-MM-DD" | null, dispute | null,
                                sources: [Source]}]}],
   disputes: [{id, topic, claims: [{claim, spoiler: "S1E12" | null, sources: [Source]}]}],
   orphaned_progress: ["S3E1", ...],
   yours: {year: int | null,
           seasons: [{number, episode_count: int | null,
                      episodes: [{number, title | null, air_date: Date | null}]}]} | null}
  `yours` holds your own facts for a bundled show (its overlay file, yours/ID.toml),
  kept apart from the cited facts above, which never include them.

tracker notes SHOW --json
  [{id, topic, text, spoiler: "S1" | "S1E5" | null, dispute | null, sources: [Source]}]
  (notes past your progress are left out unless --spoilers; stderr says how many)

tracker sources --json
  [{document: file name, title, date: "YYYY-MM-DD" | null, articles: [string]}]

tracker next --json
  [{show: id, title, season: int, episode: int, code: "S1E5"}]

tracker history --json
  [{show: id, title, season: int, episode: int, code: "S1E5",
    event: "watched" | "unwatched", at: time, time_known: bool (false: the viewing's
    time is unknown and `at` is when it was logged), viewing: id | null (for "watched")}]
  (newest first: every viewing, rewatches each on its own, and every unwatch)

tracker viewings SHOW EPISODE --json
  [{id, watched_at: time | null (unknown), logged_at: time}]   (oldest first)

tracker upcoming --json
  [{show: id, title, season: int, episode: int | null (null: the season's premiere),
    what: "season 2 premiere" | "S1E5", date: Date (at the precision known),
    possibly_out_of_date: bool, disputed: bool,
    yours: bool (your own show file or overlay, not a source),
    sources: [file name of a source document cited]}]
  (scheduled seasons, even overdue, and air dates from today on; sorted by the last
   day a date can mean, a coarser date after finer ones: 2026-12-05, 2026-12, 2026)

tracker stats [--year YYYY] --json
  {today: "YYYY-MM-DD" (local),
   totals: {viewings: int (rewatches each counted), episodes: int (distinct, watched),
            rewatches: int, unknown_time: int (viewings with no known time: counted
            here, on no day, week, month or streak),
            per_status: {status: int} (shows per list status, archived left out),
            viewings_per_status: {status | "archived": int},
            per_kind: {kind | "unknown": int} (viewings; "unknown": not in the catalog)},
   year: {year: int, viewings: int (on this year's local days), other_years: int,
          first_day: "YYYY-01-01", days: [int] (one per day from first_day),
          weeks: [int] (Monday to Sunday; week 0 holds January 1st), months: [int] (12)},
   streaks: {current, longest: {days: int, first: "YYYY-MM-DD" | null, last: ... | null}}
            (current: ending today or yesterday),
   shows: [{show: id, title, viewings: int, episodes: int}] (most viewings first),
   ratings: {shows, seasons, episodes: [int] (10 counts: ratings 1 to 10)},
   completion: [{show: id, title, watched: int, known: int | null (null: not in the
                 catalog), complete_count: bool (false: some episode count unknown),
                 total_known: bool (false: known is a lower bound, as in Progress),
                 percent: int | null}] (every show with a viewing),
   stalled_weeks: int,
   stalled: [{show: id, title, last_viewing: time, weeks: int}] (watching shows with no
            viewing for more than stalled_weeks, longest stalled first)}
  (totals, streaks, shows, ratings, completion and stalled are of all time; year is
  --year, by default this year; days are in the local time zone)

tracker import PATH --from FORMAT --json
  {format, dry_run: bool (true: nothing was written),
   shows_created: [{id, title, year: int | null}],
   shows_matched: [{key: the export's key ("trakt:1390"), id, how: "trakt id" |
                    "title and year" | "title" | ...}],
   matched_by: {how: int}, ambiguous: [{key, title, year: int | null, candidates: [id]}],
   viewings_added: int, viewings_already_there: int, ratings: int, statuses: int,
   archived: int, skipped: [{file, where: "line 12" | "record 5" | ..., reason}],
   notes: [string]}
"""
"""What `tracker help json` prints: each command's JSON fields, for users without the README."""
