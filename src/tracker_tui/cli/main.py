"""The `tracker` command line: answers a question about the catalog and exits."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tracker_tui import __version__
from tracker_tui.cli import human, json_views
from tracker_tui.domain import clock
from tracker_tui.domain.catalog import (
    Catalog,
    ShowLookupError,
    find_show,
    load_catalog,
    read_show_file,
)
from tracker_tui.domain.models import Show
from tracker_tui.domain.paths import bundled_data

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """The user asked for something that cannot be: exit 2 with the message."""


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def _warn_problems(catalog: Catalog) -> None:
    for problem in catalog.problems:
        print(f"tracker: warning: {problem} (skipped)", file=sys.stderr)


def _resolve(catalog: Catalog, query: str) -> Show:
    try:
        return find_show(catalog.shows, query)
    except ShowLookupError as error:
        raise UsageError(str(error)) from error


def cmd_shows(args: argparse.Namespace, catalog: Catalog) -> int:
    today = clock.today()
    if args.json:
        _print_json(
            [json_views.show_summary_json(s, catalog.sources, today) for s in catalog.shows]
        )
    else:
        print(human.shows_text(catalog.shows, catalog.sources, today))
    return EXIT_OK


def cmd_show(args: argparse.Namespace, catalog: Catalog) -> int:
    show = _resolve(catalog, args.show)
    today = clock.today()
    if args.json:
        _print_json(json_views.show_json(show, catalog.sources, today))
    else:
        print(human.show_text(show, catalog.sources, today))
    return EXIT_OK


def cmd_notes(args: argparse.Namespace, catalog: Catalog) -> int:
    show = _resolve(catalog, args.show)
    if args.json:
        _print_json([json_views.note_json(note, catalog.sources) for note in show.notes])
    else:
        print(human.notes_text(show, show.notes, 0, "", catalog.sources))
    return EXIT_OK


def cmd_sources(args: argparse.Namespace, catalog: Catalog) -> int:
    documents = catalog.sources.documents()
    if args.json:
        _print_json(
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


def cmd_source(args: argparse.Namespace, catalog: Catalog) -> int:
    document = catalog.sources.get(args.document)
    if document is None:
        matches = [d for d in catalog.sources.documents() if d.name.startswith(args.document)]
        if len(matches) != 1:
            names = ", ".join(d.name for d in (matches or catalog.sources.documents()))
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


def cmd_validate(args: argparse.Namespace, catalog: Catalog) -> int:
    paths = args.paths or sorted(bundled_data().shows.glob("*.toml"))
    failures = 0
    for path in paths:
        show, problems = read_show_file(path, catalog.sources)
        if show is None:
            failures += 1
            for problem in problems:
                print(f"{problem}", file=sys.stderr)
        else:
            print(f"ok  {path}  ({show.id})")
    if failures:
        print(f"tracker: {failures} of {len(paths)} file(s) failed validation", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK


Command = Callable[[argparse.Namespace, Catalog], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracker",
        description="Track the episodes and seasons you watch.",
        epilog="SHOW is a show's id, an alias, or any unambiguous part of its title.",
    )
    parser.add_argument("--version", action="version", version=f"tracker {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Command, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    def json_flag(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--json", action="store_true", help="print stable JSON (see README)")

    json_flag(command("shows", cmd_shows, "list every show with its release status"))
    show = command("show", cmd_show, "a show's seasons, episodes, people and sources")
    show.add_argument("show", metavar="SHOW")
    json_flag(show)
    notes = command("notes", cmd_notes, "a show's notes, each with its quoted sources")
    notes.add_argument("show", metavar="SHOW")
    json_flag(notes)
    json_flag(command("sources", cmd_sources, "list the source documents"))
    source = command("source", cmd_source, "print one source document")
    source.add_argument("document", metavar="DOC", help="file name, or its unique beginning")
    validate = command("validate", cmd_validate, "check show files (the bundled ones by default)")
    validate.add_argument("paths", nargs="*", metavar="PATH", type=Path)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    catalog = load_catalog()
    if args.command != "validate":
        _warn_problems(catalog)
    try:
        result: int = args.handler(args, catalog)
    except UsageError as error:
        print(f"tracker: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # `tracker show x | head` closed the pipe: not an error worth a traceback.
        sys.stderr.close()
        return EXIT_OK
    return result
