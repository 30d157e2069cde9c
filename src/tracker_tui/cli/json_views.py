"""The stable JSON shapes of the command line's `--json` output (documented in README)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker_tui.domain.dates import PartialDate
from tracker_tui.domain.disputes import claim_text, claims_for
from tracker_tui.domain.models import (
    Attributed,
    Note,
    Person,
    Show,
    SourceMaterial,
    SourceRef,
    StatusReport,
)
from tracker_tui.domain.release import reported_on, season_status, show_status_line
from tracker_tui.domain.sources import SourceRegistry

JSON = dict[str, Any]


def source_json(ref: SourceRef, registry: SourceRegistry) -> JSON:
    document = registry.get(ref.document)
    title = document.title_for(ref.quote) if document else None
    return {"document": ref.document, "title": title, "quote": ref.quote}


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
        "reported": reported.isoformat() if reported else None,
        "dispute": report.dispute,
        "sources": _sources(report.sources, registry),
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


def show_summary_json(show: Show, registry: SourceRegistry, today: dt.date) -> JSON:
    return {
        "id": show.id,
        "title": show.title,
        "kind": show.kind.value,
        "status": show_status_line(show, registry, today),
    }


def show_json(show: Show, registry: SourceRegistry, today: dt.date) -> JSON:
    seasons = []
    for season in sorted(show.seasons, key=lambda season: season.number):
        status = season_status(season, registry, today)
        seasons.append(
            {
                "number": season.number,
                "status": status.state.value,
                "status_detail": status.report.detail,
                "possibly_out_of_date": status.overdue,
                "release_date": _date(season.release_date),
                "episode_count": season.episode_count,
                "episode_count_sources": _sources(season.episode_count_sources, registry),
                "episodes": [
                    {"number": episode.number} | ({"title": episode.title} if episode.title else {})
                    for episode in sorted(season.episodes, key=lambda episode: episode.number)
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
                    {"claim": claim_text(fact), "sources": _sources(fact.sources, registry)}
                    for fact in claims_for(show, dispute)
                ],
            }
        )
    return {
        **show_summary_json(show, registry, today),
        "aliases": list(show.aliases),
        "country": _attributed(show.country, registry),
        "platform": _attributed(show.platform, registry),
        "studio": _attributed(show.studio, registry),
        "source_material": _material(show.source_material, registry),
        "people": [person_json(person, registry) for person in show.people],
        "seasons": seasons,
        "disputes": disputes,
    }
