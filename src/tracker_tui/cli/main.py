"""The `tracker` command: opens the app, or runs one command and exits."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from tracker_tui import __version__
from tracker_tui.cli import arguments
from tracker_tui.cli.context import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    CommandFailedError,
    Context,
    UsageError,
)
from tracker_tui.domain.paths import HOME_VARIABLE, DataDirError, data_dir
from tracker_tui.domain.progress.records import STATUSES
from tracker_tui.domain.watching.spec_hint import SPEC_HINT

Command = Callable[[argparse.Namespace, Context], int]
Handler = str | Command
"""A command's function, or where it is ("progress_commands:cmd_next", in `tracker_tui.cli`):
its module is imported only when the command runs, so `tracker next` never pays for the
modules of `tracker import` or `tracker serve`."""
Saves = bool | Callable[[argparse.Namespace], bool]
"""Whether a command saves progress (so it may move a bad file aside); for a command that
only prints unless asked to change something, a test of its arguments."""

DESCRIPTION = """\
Track the episodes and seasons you watch.

With no command, tracker opens the app (a full-screen terminal interface).
With a command, it does that one thing and exits: `tracker COMMAND --help` says more."""

SHOW_HELP = "a show's id, an alias, or any unambiguous part of its title"
JSON_HELP = "print stable JSON instead of text (`tracker help json` lists the fields)"


def _epilog() -> str:
    """Where the data is, computed now: a pipx user has no README to look it up in."""
    try:
        where = f"Data folder: {data_dir()}"
    except DataDirError as error:
        where = f"Data folder: unusable, {error}"
    return f"""\
SHOW is {SHOW_HELP}.
EPISODES: {SPEC_HINT}.
`tracker help json` lists the fields of every command's --json output.

{where}
  It holds progress.json, your own shows/ and sources/, yours/ (your own facts
  for the bundled shows) and removed/ (copies of the shows you removed).
  Set {HOME_VARIABLE} to use another folder.
Add a show: `tracker add TITLE --seasons 10,8` (in the app: a); change one:
  `tracker edit SHOW` (in the app: e).
Exit codes: 0 ok, 1 failure, 2 usage error, 130 interrupted (Ctrl-C)."""


class _OneCommandParser(argparse.ArgumentParser):
    """A parser holding only the command being run (building all 24 is a third of a quick
    command's own time, most of it gettext looking for translations). Whatever it would
    word itself, an error, is worded by the whole parser instead, which lists them all."""

    def error(self, message: str) -> NoReturn:
        raise _WholeParserNeededError(message)


class _WholeParserNeededError(Exception):
    pass


class _UnusedCommand(argparse.ArgumentParser):
    """Stands in for a command the parser leaves out: what is added to it goes nowhere."""

    def __init__(self) -> None:  # builds nothing: that is its point
        pass

    def add_argument(self, *args: Any, **kwargs: Any) -> Any:
        return None

    def add_mutually_exclusive_group(self, **kwargs: Any) -> Any:
        return self

    def set_defaults(self, **kwargs: Any) -> None:
        pass


def command_named(argv: Sequence[str]) -> str | None:
    """The command `argv` runs, when it is plain to see (only --progress-file before it),
    else None. Not `help`, whose topics are every command."""
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "--progress-file":
            index += 2
        elif token.startswith("--progress-file="):
            index += 1
        elif token.startswith("-") or token == "help":
            return None
        else:
            return token
    return None


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """`build_parser().parse_args(argv)`, with a parser of only the named command where it
    is plain which (and the whole parser for anything it would say, help aside)."""
    tokens = sys.argv[1:] if argv is None else list(argv)
    only = command_named(tokens)
    if only is not None:
        with contextlib.suppress(_WholeParserNeededError):
            return build_parser(only=only).parse_args(tokens)
    return build_parser().parse_args(tokens)


def build_parser(*, only: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser, or with `only`, that command's alone (see parse_arguments)."""
    # --progress-file is accepted before or after the command; the command's copy
    # must not reset a value given before it, hence SUPPRESS as its default.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--progress-file",
        type=Path,
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="use this progress file instead of the one in the data folder",
    )
    parser = (argparse.ArgumentParser if only is None else _OneCommandParser)(
        prog="tracker",
        description=DESCRIPTION,
        epilog=_epilog(),
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tracker {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(
        name: str, handler: Handler, help_text: str, *, saves: Saves = False
    ) -> argparse.ArgumentParser:
        if only is not None and name != only:
            return _UnusedCommand()
        sub = commands.add_parser(name, help=help_text, description=help_text, parents=[common])
        sub.set_defaults(handler=handler, saves=saves)
        return sub

    def json_flag(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--json", action="store_true", help=JSON_HELP)
        return sub

    shows = json_flag(
        command(
            "shows", "summary_commands:cmd_shows", "every show with release status and progress"
        )
    )
    shows.add_argument(
        "--status",
        metavar="STATUS",
        help=f"only shows with this list status ({', '.join(STATUSES)}), "
        "or `archived` for the archived ones (hidden otherwise)",
    )
    show = json_flag(
        command("show", "catalog_commands:cmd_show", "a show's seasons, episodes and sources")
    )
    show.add_argument("show", metavar="SHOW", help=SHOW_HELP)
    notes = json_flag(
        command("notes", "catalog_commands:cmd_notes", "a show's notes with quoted sources")
    )
    notes.add_argument("show", metavar="SHOW", help=SHOW_HELP)
    notes.add_argument("--spoilers", action="store_true", help="also show notes past your progress")
    json_flag(command("sources", "catalog_commands:cmd_sources", "list the source documents"))
    source = command("source", "catalog_commands:cmd_source", "print one source document")
    source.add_argument("document", metavar="DOC", help="file name, or its unique beginning")
    validate = command("validate", "catalog_commands:cmd_validate", "check show files and progress")
    validate.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        type=Path,
        help="a show file (.toml) or a folder of them; with none, the bundled shows and yours",
    )

    add = command("add", "library_commands:cmd_add", "add a show of your own (written to shows/)")
    add.add_argument("title", metavar="TITLE", help="the show's title; its id is made from it")
    add.add_argument(
        "--kind",
        choices=arguments.KINDS,
        default="series",
        metavar="KIND",  # a metavar, so argparse does not list (and import) the kinds now
        help="%(choices)s; default: series",
    )
    add.add_argument("--seasons", metavar="COUNTS", help=arguments.SEASONS_HINT)
    add.add_argument("--year", type=arguments.year_number, metavar="YEAR", help="when it began")
    edit = command(
        "edit",
        "library_commands:cmd_edit",
        "change a show: its file in $VISUAL/$EDITOR, or --title/--episodes "
        "(a bundled show: your own facts, kept apart from the cited ones)",
    )
    edit.add_argument("show", metavar="SHOW", help=SHOW_HELP)
    edit.add_argument("--title", metavar="TITLE", help="a new title (your own shows only)")
    edit.add_argument(
        "--episodes", action="append", metavar="SN=COUNT", help=arguments.EPISODES_HINT
    )
    remove = command(
        "remove", "library_commands:cmd_remove", "delete a show of yours (its progress is kept)"
    )
    remove.add_argument("show", metavar="SHOW", help=SHOW_HELP)
    remove.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    watch = command("watch", "progress_commands:cmd_watch", "mark episodes watched", saves=True)
    watch.add_argument("show", metavar="SHOW", help=SHOW_HELP)
    watch.add_argument("episodes", nargs="+", metavar="EPISODES", help=SPEC_HINT)
    watch.add_argument(
        "--force",
        action="store_true",
        help="mark them even in a season not released yet, or far past the last known episode",
    )
    watch.add_argument(
        "--again",
        action="store_true",
        help="log another viewing of episodes already watched (a rewatch)",
    )
    unwatch = command("unwatch", "progress_commands:cmd_unwatch", "unmark episodes", saves=True)
    unwatch.add_argument("show", metavar="SHOW", help=SHOW_HELP)
    unwatch.add_argument("episodes", nargs="+", metavar="EPISODES", help=SPEC_HINT)
    json_flag(
        command("next", "summary_commands:cmd_next", "the next unwatched episode of each show")
    )
    history = command(
        "history", "progress_commands:cmd_history", "every viewing and unwatch, newest first"
    )
    json_flag(history)
    history.add_argument("--show", metavar="SHOW", help="only this show: " + SHOW_HELP)
    history.add_argument(
        "--since", metavar="DATE", help="from this local day on: YYYY-MM-DD, YYYY-MM or YYYY"
    )
    history.add_argument(
        "--until", metavar="DATE", help="up to this local day: YYYY-MM-DD, YYYY-MM or YYYY"
    )
    stats_command = json_flag(
        command(
            "stats",
            "stats_commands:cmd_stats",
            "totals, streaks, a year by week and month, ratings",
        )
    )
    stats_command.add_argument(
        "--year",
        type=arguments.year_number,
        metavar="YEAR",
        help="the year to chart by day, week and month (default: this year)",
    )
    stats_command.add_argument(
        "--stalled-weeks",
        type=arguments.stalled_weeks_number,
        default=4,
        metavar="N",
        help="a watching show is stalled after N weeks with no viewing (default: 4)",
    )
    viewings = json_flag(
        command(
            "viewings",
            "marks_commands:cmd_viewings",
            "one episode's viewings, or remove one",
            saves=lambda args: args.remove is not None,
        )
    )
    viewings.add_argument("show", metavar="SHOW", help=SHOW_HELP)
    viewings.add_argument("episode", metavar="EPISODE", help="one episode, like s1e3")
    viewings.add_argument(
        "--remove", metavar="ID", help="remove the viewing with this id (or its unique beginning)"
    )
    status = command(
        "status",
        "marks_commands:cmd_status",
        "a show's list status: print it, or set it",
        saves=lambda args: args.status is not None,
    )
    status.add_argument("show", metavar="SHOW", help=SHOW_HELP)
    status.add_argument(
        "status",
        nargs="?",
        metavar="STATUS",
        help=f"{', '.join(STATUSES)}, or {arguments.AUTOMATIC} (from your progress, the default)",
    )
    rate = command(
        "rate", "marks_commands:cmd_rate", "rate a show, a season or an episode 1-10", saves=True
    )
    rate.add_argument("show", metavar="SHOW", help=SHOW_HELP)
    rate.add_argument(
        "words", nargs="*", metavar="[s1 | s1e3] RATING", help="what to rate, then 1 to 10"
    )
    rate.add_argument("--clear", action="store_true", help="remove the rating instead")
    archive = command(
        "archive",
        "marks_commands:cmd_archive",
        "hide a show from your lists (progress kept)",
        saves=True,
    )
    archive.add_argument("show", metavar="SHOW", help=SHOW_HELP)
    archive.add_argument("--undo", action="store_true", help="bring an archived show back")
    json_flag(
        command(
            "upcoming",
            "upcoming_commands:cmd_upcoming",
            "scheduled seasons and future air dates of every show, soonest first",
        )
    )
    calendar = command(
        "calendar",
        "upcoming_commands:cmd_calendar",
        "write upcoming releases with a known day as an iCalendar (.ics) file",
    )
    calendar.add_argument(
        "file",
        nargs="?",
        type=Path,
        metavar="FILE",
        help="a file (replaced atomically), a pipe or device, or - for stdout, the default",
    )
    calendar.add_argument(
        "--ics",
        action="store_true",
        help="iCalendar (RFC 5545), the only format and the default",
    )
    export = command(
        "export",
        "exchange_commands:cmd_export",
        "write your progress: tracker's JSON, or another tracker's format (stdout default)",
    )
    export.add_argument(
        "file",
        nargs="?",
        type=Path,
        metavar="PATH",
        help="a file (replaced atomically; a symlink is written through to its target), "
        "a pipe or device (written as a stream), or - for stdout, the default",
    )
    export.add_argument(
        "--format",
        choices=arguments.EXPORT_FORMATS,
        default="tracker",
        help="tracker (the progress file, the default), trakt (watched-history JSON), "
        "mal (MyAnimeList XML of your anime), csv (one viewing per row)",
    )
    imported = command(
        "import",
        "exchange_commands:cmd_import",
        "bring in another tracker's export, or merge a progress file",
        saves=lambda args: not args.dry_run,
    )
    imported.add_argument(
        "file",
        type=Path,
        metavar="PATH",
        help="the export: a file, a folder or a .zip (.gz for MAL); for --from tracker, "
        "a progress file, e.g. one `tracker export` wrote",
    )
    imported.add_argument(
        "--from",
        dest="source_format",
        choices=arguments.IMPORT_FORMATS,
        default="tracker",
        metavar="FORMAT",
        help="%(choices)s (detects the format); default: tracker",
    )
    imported.add_argument(
        "--dry-run",
        action="store_true",
        help="say what would be created, added and skipped, and write nothing",
    )
    json_flag(imported)
    imported.add_argument(
        "--replace",
        action="store_true",
        help="--from tracker only: replace your progress (a backup is kept)",
    )

    served = command(
        "serve",
        "serve_commands:cmd_serve",
        "open the app in a browser: each tab runs its own tracker, until ctrl+c",
    )
    served.add_argument(
        "--host",
        default=arguments.DEFAULT_HOST,
        metavar="HOST",
        help=f"the address to listen on (default: {arguments.DEFAULT_HOST}, this machine only)",
    )
    served.add_argument(
        "--port",
        type=arguments.port_number,
        default=arguments.DEFAULT_PORT,
        metavar="PORT",
        help=f"the port to listen on (default: {arguments.DEFAULT_PORT})",
    )
    served.add_argument(
        "--public",
        action="store_true",
        help="allow a --host other machines can reach: there is no login, anyone who "
        "reaches it can change your progress",
    )

    def cmd_help(args: argparse.Namespace, ctx: Context) -> int:
        """`tracker help json` is the README's JSON section for those who have no README."""
        if args.topic is None:
            parser.print_help()
        elif args.topic == "json":
            from tracker_tui.cli.json_views import JSON_FIELDS

            sys.stdout.write(JSON_FIELDS)
        elif args.topic in commands.choices:
            commands.choices[args.topic].print_help()
        else:
            topics = ", ".join(["json", *commands.choices])
            raise UsageError(f"no help on {args.topic!r}; topics: {topics}")
        return EXIT_OK

    helper = command("help", cmd_help, "this help, a command's help, or the JSON fields")
    helper.add_argument(
        "topic", nargs="?", metavar="TOPIC", help="json (every --json field), or a command"
    )
    return parser


def _tolerate_any_encoding() -> None:
    """Text stdout cannot encode (PYTHONIOENCODING=ascii, a C locale) prints as escapes."""
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="backslashreplace")


def _discard_stdout() -> None:
    """Send what stdout still holds to /dev/null, so exiting does not fail to flush it again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real file descriptor (a test's captured stdout)
        pass


def _run(argv: Sequence[str] | None) -> int:
    args = parse_arguments(argv)
    if args.command != "help":
        try:
            data_dir()  # a bad TRACKER_HOME stops here, before anything reads or writes
        except DataDirError as error:
            raise UsageError(str(error)) from error
    if args.command is None:
        # Textual is imported only here, so the commands stay fast.
        from tracker_tui.cli.load_notice import LoadNotice
        from tracker_tui.tui import run_app

        return run_app(getattr(args, "progress_file", None), starting=LoadNotice())
    ctx = Context(
        progress_file=getattr(args, "progress_file", None),
        warn_catalog_problems=args.command != "validate",
        saves=args.saves(args) if callable(args.saves) else args.saves,
    )
    result: int = command_function(args.handler)(args, ctx)
    return result


def command_function(handler: Handler) -> Command:
    """The command's function, its module imported now (see `Handler`)."""
    if not isinstance(handler, str):
        return handler
    module, _, name = handler.partition(":")
    command: Command = getattr(importlib.import_module(f"tracker_tui.cli.{module}"), name)
    return command


def main(argv: Sequence[str] | None = None) -> int:
    """Run `tracker`; each failure it can foresee is one line on stderr, never a traceback."""
    _tolerate_any_encoding()
    try:
        try:
            return _run(argv)
        finally:
            sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
    except UsageError as error:
        print(f"tracker: {error}", file=sys.stderr)
        return EXIT_USAGE
    except CommandFailedError as error:
        print(f"tracker: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("tracker: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `tracker show x | head` closed the pipe: not an error worth a message.
        _discard_stdout()
        return EXIT_OK
    except OSError as error:
        if error.filename is not None:  # not stdout: a file the command touched
            print(f"tracker: {error.filename}: {error.strerror or error}", file=sys.stderr)
        else:
            _discard_stdout()
            print(f"tracker: cannot write the output: {error.strerror or error}", file=sys.stderr)
        return EXIT_FAILURE
