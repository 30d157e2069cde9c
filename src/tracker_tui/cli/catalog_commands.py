"""Commands that read the catalog: shows, show, notes, sources, source, validate."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tracker_tui.cli import json_views
from tracker_tui.cli.context import EXIT_FAILURE, EXIT_OK, Context, UsageError, print_json
from tracker_tui.domain import clock
from tracker_tui.domain.catalog.loader import check_show_files, file_problems
from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.catalog.problems import Problem, visible
from tracker_tui.domain.catalog.sources import load_registry
from tracker_tui.domain.paths import (
    bundled_data,
    data_dir,
    user_overlays_dir,
    user_shows_dir,
    user_sources_dir,
)
from tracker_tui.domain.progress.format import future_dated_keys
from tracker_tui.domain.progress.records import STATUSES
from tracker_tui.domain.watching.episodes import list_status, orphaned_keys
from tracker_tui.domain.watching.spoilers import visible_notes

ARCHIVED = "archived"


def _listed(args: argparse.Namespace, ctx: Context) -> tuple[list[Show], int]:
    """The shows `--status` asks for, and how many archived ones are left out."""
    progress = ctx.progress
    wanted = None if args.status is None else args.status.strip().casefold().replace(" ", "-")
    if wanted is not None and wanted not in (*STATUSES, ARCHIVED):
        choices = ", ".join((*STATUSES, ARCHIVED))
        raise UsageError(f"{args.status!r} is not a status; use one of: {choices}")
    archived = [show for show in ctx.catalog.shows if progress.is_archived(show.id)]
    if wanted == ARCHIVED:
        return archived, 0
    kept = [show for show in ctx.catalog.shows if not progress.is_archived(show.id)]
    if wanted is not None:
        kept = [show for show in kept if list_status(show, progress)[0] == wanted]
    return kept, len(archived)


def cmd_shows(args: argparse.Namespace, ctx: Context) -> int:
    catalog, progress, today = ctx.catalog, ctx.progress, clock.today()
    shows, archived = _listed(args, ctx)
    if args.json:
        print_json(
            [json_views.show_summary_json(show, catalog.sources, today, progress) for show in shows]
        )
        return EXIT_OK
    from tracker_tui.cli import human  # the text views: --json never imports them

    if shows:
        print(human.shows_text(shows, catalog.sources, today, progress))
    elif args.status is not None:
        print(f"No shows with status {args.status}: `tracker shows` lists them all.")
    else:
        print("No shows in your lists: add one with `tracker add TITLE`.")
    if archived:
        hidden = "1 archived show" if archived == 1 else f"{archived} archived shows"
        print(f"({hidden} not listed: `tracker shows --status archived` lists them)")
    return EXIT_OK


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    show = ctx.show(args.show)
    sources, progress, today = ctx.catalog.sources, ctx.progress, clock.today()
    if args.json:
        print_json(json_views.show_json(show, sources, today, progress))
    else:
        from tracker_tui.cli import human

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
        from tracker_tui.cli import human

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


def _show_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def _named_show_files(named: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The files named and the show files in the folders named; an empty folder is a problem."""
    missing = [path for path in named if not path.exists()]
    if missing:
        raise UsageError(f"{missing[0]}: no such file or folder")
    paths: list[Path] = []
    problems = []
    for path in named:
        if not path.is_dir():
            paths.append(path)
        elif found := _show_files(path):
            paths.extend(found)
        else:
            problems.append(Problem(str(path), None, "has no show files (*.toml)"))
    return paths, problems


def cmd_validate(args: argparse.Namespace, ctx: Context) -> int:
    """Check show files, then report progress the catalog has no place for.

    With no path, everything a start loads: the bundled files, the user's shows
    and the user's source documents, checked afresh rather than from the cache.
    """
    overlays = user_overlays_dir()
    if args.paths:
        paths, problems = _named_show_files(args.paths)
        registry = ctx.catalog.sources
    else:
        bundled, home = bundled_data(), data_dir()
        registry, problems = load_registry(bundled.registry, bundled.seeds, user_sources_dir(home))
        paths = _show_files(bundled.shows) + _show_files(user_shows_dir(home))
        paths += _show_files(overlays)
    overlay_files = [path for path in paths if path.parent.resolve() == overlays.resolve()]
    paths = [path for path in paths if path not in overlay_files]
    for problem in problems:
        print(f"{problem}", file=sys.stderr)
    failures = 0
    for checked in check_show_files(paths, registry):
        if checked.show is None:
            failures += 1
            for problem in checked.problems:
                print(f"{problem}", file=sys.stderr)
        else:
            print(f"ok  {visible(str(checked.path))}  ({checked.show.id})")
    for path in overlay_files:
        found = file_problems(path)
        failures += bool(found)
        for problem in found:
            print(f"{problem}", file=sys.stderr)
        if not found:
            print(f"ok  {visible(str(path))}  (your facts for {path.stem})")
    paths += overlay_files
    for key in orphaned_keys(ctx.catalog.shows, ctx.progress):
        print(f"orphaned progress (kept): {key.show} {key.code()} is not in the catalog")
    for key in future_dated_keys(ctx.progress_path, clock.now()):
        print(
            f"future-dated progress (taken as changed now): {key.show} {key.code()}"
            " is stamped more than a day ahead; check the clock of the machine that wrote it"
        )
    if failures:
        print(f"tracker: {failures} of {len(paths)} file(s) failed validation", file=sys.stderr)
    return EXIT_FAILURE if failures or problems else EXIT_OK
