"""Commands that read the catalog: shows, show, notes, sources, source, validate."""

from __future__ import annotations

import argparse
import sys

from tracker_tui.cli import human, json_views
from tracker_tui.cli.context import EXIT_FAILURE, EXIT_OK, Context, UsageError, print_json
from tracker_tui.domain import clock
from tracker_tui.domain.catalog import read_show_file
from tracker_tui.domain.paths import bundled_data
from tracker_tui.domain.watching import orphaned_keys, visible_notes


def cmd_shows(args: argparse.Namespace, ctx: Context) -> int:
    catalog, progress, today = ctx.catalog, ctx.progress, clock.today()
    if args.json:
        print_json(
            [
                json_views.show_summary_json(show, catalog.sources, today, progress)
                for show in catalog.shows
            ]
        )
    else:
        print(human.shows_text(catalog.shows, catalog.sources, today, progress))
    return EXIT_OK


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    show = ctx.show(args.show)
    sources, progress, today = ctx.catalog.sources, ctx.progress, clock.today()
    if args.json:
        print_json(json_views.show_json(show, sources, today, progress))
    else:
        print(human.show_text(show, sources, today, progress))
    return EXIT_OK


def cmd_notes(args: argparse.Namespace, ctx: Context) -> int:
    show = ctx.show(args.show)
    notes = visible_notes(show, ctx.progress, spoilers=args.spoilers)
    sources = ctx.catalog.sources
    if args.json:
        print_json([json_views.note_json(note, sources) for note in notes.shown])
        if notes.hidden:
            print(f"tracker: {notes.hidden_summary()} (--spoilers shows them)", file=sys.stderr)
    else:
        print(human.notes_text(show, notes, sources))
    return EXIT_OK


def cmd_sources(args: argparse.Namespace, ctx: Context) -> int:
    documents = ctx.catalog.sources.documents()
    if args.json:
        print_json(
            [
                {
                    "document": document.name,
                    "title": document.title,
                    "date": document.date.isoformat() if document.date else None,
                    "articles": [article.title for article in document.articles],
                }
                for document in documents
            ]
        )
        return EXIT_OK
    for document in documents:
        dated = f"  ({document.date.isoformat()})" if document.date else ""
        print(f"{document.name}  {document.title}{dated}")
        for article in document.articles:
            print(f"    article: {article.title}")
    return EXIT_OK


def cmd_source(args: argparse.Namespace, ctx: Context) -> int:
    registry = ctx.catalog.sources
    document = registry.get(args.document)
    if document is None:
        matches = [d for d in registry.documents() if d.name.startswith(args.document)]
        if len(matches) != 1:
            names = ", ".join(d.name for d in (matches or registry.documents()))
            raise UsageError(f"no single source document matches {args.document!r}: {names}")
        document = matches[0]
    try:
        text = document.text
    except (OSError, UnicodeDecodeError) as error:
        print(f"tracker: cannot read {document.path}: {error}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"{document.title}\n{document.name}\n")
    print(text.rstrip("\n"))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace, ctx: Context) -> int:
    """Check show files, then report progress the catalog has no place for."""
    paths = args.paths or sorted(bundled_data().shows.glob("*.toml"))
    failures = 0
    for path in paths:
        show, problems = read_show_file(path, ctx.catalog.sources)
        if show is None:
            failures += 1
            for problem in problems:
                print(f"{problem}", file=sys.stderr)
        else:
            print(f"ok  {path}  ({show.id})")
    for key in orphaned_keys(ctx.catalog.shows, ctx.progress):
        print(f"orphaned progress (kept): {key.show} {key.code()} is not in the catalog")
    if failures:
        print(f"tracker: {failures} of {len(paths)} file(s) failed validation", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK
