"""Commands that read the catalog: show, notes, sources, source, validate."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tracker_tui.cli import json_views
from tracker_tui.cli.context import EXIT_FAILURE, EXIT_OK, Context, UsageError, print_json
from tracker_tui.domain import clock
from tracker_tui.domain.catalog.loader import check_show_files, file_problems
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
from tracker_tui.domain.watching.episodes import orphaned_keys
from tracker_tui.domain.watching.spoilers import visible_notes


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
