"""The `tracker` command: opens the app, or runs one command and exits."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tracker_tui import __version__
from tracker_tui.cli import catalog_commands as catalog
from tracker_tui.cli import progress_commands as progress
from tracker_tui.cli.context import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    CommandFailedError,
    Context,
    UsageError,
)
from tracker_tui.domain.episodes import SPEC_HINT

Command = Callable[[argparse.Namespace, Context], int]


def build_parser() -> argparse.ArgumentParser:
    # --progress-file is accepted before or after the command; the command's copy
    # must not reset a value given before it, hence SUPPRESS as its default.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--progress-file",
        type=Path,
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="use this progress file instead of the one in the data directory",
    )
    parser = argparse.ArgumentParser(
        prog="tracker",
        description="Track the episodes and seasons you watch.",
        epilog="SHOW is a show's id, an alias, or any unambiguous part of its title.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"tracker {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Command, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text, parents=[common])
        sub.set_defaults(handler=handler)
        return sub

    def json_flag(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--json", action="store_true", help="print stable JSON (see README)")
        return sub

    json_flag(command("shows", catalog.cmd_shows, "every show with release status and progress"))
    show = json_flag(command("show", catalog.cmd_show, "a show's seasons, episodes and sources"))
    show.add_argument("show", metavar="SHOW")
    notes = json_flag(command("notes", catalog.cmd_notes, "a show's notes with quoted sources"))
    notes.add_argument("show", metavar="SHOW")
    notes.add_argument("--spoilers", action="store_true", help="also show notes past your progress")
    json_flag(command("sources", catalog.cmd_sources, "list the source documents"))
    source = command("source", catalog.cmd_source, "print one source document")
    source.add_argument("document", metavar="DOC", help="file name, or its unique beginning")
    validate = command("validate", catalog.cmd_validate, "check show files and progress")
    validate.add_argument("paths", nargs="*", metavar="PATH", type=Path)

    for name, handler, verb in (
        ("watch", progress.cmd_watch, "mark episodes watched (again: counts a rewatch)"),
        ("unwatch", progress.cmd_unwatch, "unmark episodes"),
    ):
        sub = command(name, handler, verb)
        sub.add_argument("show", metavar="SHOW")
        sub.add_argument("episodes", nargs="+", metavar="EPISODES", help=SPEC_HINT)
    json_flag(command("next", progress.cmd_next, "the next unwatched episode of each show"))
    json_flag(
        command(
            "history", progress.cmd_history, "each episode's latest watch or unwatch, newest first"
        )
    )
    export = command("export", progress.cmd_export, "write your progress JSON (stdout default)")
    export.add_argument("file", nargs="?", type=Path, metavar="FILE")
    imported = command("import", progress.cmd_import, "merge a progress file into yours")
    imported.add_argument("file", type=Path, metavar="FILE")
    imported.add_argument(
        "--replace", action="store_true", help="replace your progress (a backup is kept)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        # Textual is imported only here, so the commands stay fast.
        from tracker_tui.tui import run_app

        return run_app(getattr(args, "progress_file", None))
    ctx = Context(
        progress_file=getattr(args, "progress_file", None),
        warn_catalog_problems=args.command != "validate",
    )
    try:
        result: int = args.handler(args, ctx)
    except UsageError as error:
        print(f"tracker: {error}", file=sys.stderr)
        return EXIT_USAGE
    except CommandFailedError as error:
        print(f"tracker: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:
        # `tracker show x | head` closed the pipe: not an error worth a traceback.
        sys.stderr.close()
        return EXIT_OK
    return result
