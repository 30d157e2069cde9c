"""Commands that change the user's library of shows: add, edit, remove."""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from tracker_tui.cli.arguments import EPISODES_HINT, SEASONS_HINT
from tracker_tui.cli.context import (
    EXIT_FAILURE,
    EXIT_OK,
    CommandFailedError,
    Context,
    UsageError,
)
from tracker_tui.domain.catalog import authoring
from tracker_tui.domain.catalog.authoring import (
    DraftError,
    DraftProblem,
    SeasonDraft,
    ShowDraft,
)
from tracker_tui.domain.catalog.loader import ShowLookupError, find_show, load_catalog
from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.catalog.problems import visible
from tracker_tui.domain.paths import user_overlays_dir, user_shows_dir
from tracker_tui.domain.progress.records import EpisodeKey
from tracker_tui.domain.watching.episodes import orphaned_keys

_COUNT = re.compile(r"[0-9]{1,7}|\?")
_SEASON_COUNT = re.compile(r"[sS](?P<season>[0-9]{1,7})=(?P<count>[0-9]{1,7}|\?)")


def _parse_seasons(text: str) -> tuple[SeasonDraft, ...]:
    parts = [part.strip() for part in text.split(",")]
    seasons = []
    for number, part in enumerate(parts, start=1):
        if not _COUNT.fullmatch(part):
            raise UsageError(
                f"--seasons: {visible(part)!r} is not an episode count; {SEASONS_HINT}"
            )
        seasons.append(SeasonDraft(number, None if part == "?" else int(part)))
    return tuple(seasons)


def _field_name(draft: ShowDraft, problem: DraftProblem, *, flags: bool) -> str:
    """A draft's field as the command line names it: TITLE, --kind, season 2."""
    match = re.match(r"seasons\[(?P<index>[0-9]+)\](?P<rest>.*)", problem.field)
    if match is None:
        return {"title": "TITLE" if flags else "--title", "kind": "--kind", "year": "--year"}.get(
            problem.field, problem.field
        )
    season = draft.seasons[int(match["index"])]
    rest = match["rest"]
    episode = re.match(r"\.episodes\[(?P<index>[0-9]+)\]", rest)
    if episode is not None:
        number = season.episodes[int(episode["index"])].number
        return f"season {season.number} episode {number}"
    return f"season {season.number}"


def _draft_failure(draft: ShowDraft, problems: list[DraftProblem], *, adding: bool) -> UsageError:
    lines = [
        f"{_field_name(draft, problem, flags=adding)}: {visible(problem.message)}"
        for problem in problems
    ]
    return UsageError("\n  ".join(["the show was not saved:", *lines]))


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    """Write a new user show file from the flags; print its id and path."""
    seasons = _parse_seasons(args.seasons) if args.seasons is not None else ()
    draft = ShowDraft(args.title, args.kind, args.year, seasons)
    problems = authoring.draft_problems(draft)
    if problems:
        raise _draft_failure(draft, problems, adding=True)
    taken = [show.id for show in ctx.catalog.shows]
    try:
        path = authoring.add_show(draft, taken)
    except OSError as error:
        raise CommandFailedError(
            f"could not write the show file: {error.strerror or error} ({error.filename})"
        ) from error
    show_id = path.stem
    print(f"Added {visible(draft.title.strip())} as {show_id}")
    print(f"  file: {path}")
    print(f"  mark episodes: tracker watch {show_id} s1e1 · change it: tracker edit {show_id}")
    return EXIT_OK


# --- edit -----------------------------------------------------------------------------


def _orphans(ctx: Context, shows: list[Show] | None = None) -> set[EpisodeKey]:
    """Progress with no place in the catalog (`shows`, or as loading now finds it)."""
    try:
        progress = ctx.progress
    except CommandFailedError:
        return set()  # an unreadable progress file: nothing to report, nothing to block
    return set(orphaned_keys(load_catalog().shows if shows is None else shows, progress))


def _report_orphans(before: set[EpisodeKey], after: set[EpisodeKey]) -> None:
    """Say which episodes an edit left with no place: kept, shown again if restored."""
    new = sorted(after - before)
    if new:
        codes = ", ".join(f"{key.show} {key.code()}" for key in new[:20])
        more = f" and {len(new) - 20} more" if len(new) > 20 else ""
        print(
            f"Progress kept for episodes the show no longer has: {codes}{more}. "
            "It is orphaned, not deleted: raise the count again to see it."
        )


def _season_counts(values: list[str]) -> dict[int, int | None]:
    counts: dict[int, int | None] = {}
    for value in values:
        match = _SEASON_COUNT.fullmatch(value.strip())
        if match is None:
            raise UsageError(f"--episodes {visible(value)!r}: {EPISODES_HINT}")
        season = int(match["season"])
        if season in counts:
            raise UsageError(f"--episodes names season {season} twice; give it once")
        counts[season] = None if match["count"] == "?" else int(match["count"])
    return counts


def _edited_draft(show: Show, title: str | None, counts: dict[int, int | None]) -> ShowDraft:
    draft = authoring.draft_of(show)
    seasons = {season.number: season for season in draft.seasons}
    for number, count in counts.items():
        season = seasons.get(number, SeasonDraft(number))
        seasons[number] = dataclasses.replace(season, episode_count=count)
    return dataclasses.replace(
        draft,
        title=draft.title if title is None else title,
        seasons=tuple(seasons[number] for number in sorted(seasons)),
    )


def _edit_with_flags(show: Show, args: argparse.Namespace, ctx: Context) -> int:
    draft = _edited_draft(show, args.title, _season_counts(args.episodes or []))
    problems = authoring.draft_problems(draft)
    if problems:
        raise _draft_failure(draft, problems, adding=False)
    before = _orphans(ctx, ctx.catalog.shows)
    try:
        path = authoring.save_edit(show, draft)
    except DraftError as error:
        raise _draft_failure(draft, error.problems, adding=False) from error
    except OSError as error:
        raise CommandFailedError(f"could not save: {error.strerror or error}") from error
    print(f"Saved {visible(draft.title.strip())}: {path}")
    _report_orphans(before, _orphans(ctx))
    return EXIT_OK


def _editor() -> list[str] | None:
    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError as error:
                raise CommandFailedError(
                    f"${variable} ({value!r}) cannot be read: {error}"
                ) from error
            if words:
                return words
    return None


def _ask_again() -> bool:
    """On a terminal, ask whether to edit again; elsewhere, never."""
    if not sys.stdin.isatty():
        return False
    try:
        answer = input("Edit again? [Y/n] ").strip().casefold()
    except EOFError:
        return False
    return answer in ("", "y", "yes")


def edit_file(path: Path, ctx: Context) -> int:
    """Open `path` in $VISUAL/$EDITOR, check it on return, report its problems and offer
    to edit again; the user's text is never discarded or rewritten."""
    editor = _editor()
    if editor is None:
        print(
            "tracker: no editor set ($VISUAL or $EDITOR): edit this file by hand, then run "
            f"`tracker validate`:\n  {path}",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    before = _orphans(ctx, ctx.catalog.shows)
    while True:
        try:
            subprocess.run([*editor, str(path)], check=False)
        except OSError as error:
            raise CommandFailedError(
                f"cannot run the editor {shlex.join(editor)!r}: {error.strerror or error}; "
                f"edit this file by hand: {path}"
            ) from error
        problems = authoring.check_edited_file(path)
        if not problems:
            print(f"Saved: {path}")
            _report_orphans(before, _orphans(ctx))
            return EXIT_OK
        print(f"tracker: {path} has problems:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        if not _ask_again():
            print(
                f"tracker: your text is kept as you left it in {path}; tracker skips that "
                "file until it is fixed (`tracker edit` it again, or `tracker validate` it)",
                file=sys.stderr,
            )
            return EXIT_FAILURE


def _file_named(query: str) -> Path | None:
    """A user show or overlay file named `query` (`my-show`, `my-show.toml`): how a file
    that no longer loads (invalid after an edit) can still be opened again."""
    name = Path(query).name.removesuffix(".toml")
    if not name or name != query.removesuffix(".toml"):
        return None
    for folder in (user_shows_dir(), user_overlays_dir()):
        path = folder / f"{name}.toml"
        if path.is_file():
            return path
    return None


def cmd_edit(args: argparse.Namespace, ctx: Context) -> int:
    """`--title`/`--episodes` change the show directly; without them, its file opens in the
    user's editor (a bundled show's: the overlay of the user's own facts)."""
    flags = args.title is not None or bool(args.episodes)
    try:
        show = find_show(ctx.catalog.shows, args.show)
    except ShowLookupError as error:
        path = None if flags else _file_named(args.show)
        if path is None:
            raise UsageError(str(error)) from error
        return edit_file(path, ctx)
    if flags:
        return _edit_with_flags(show, args, ctx)
    try:
        path = authoring.show_file(show)
    except OSError as error:
        raise CommandFailedError(f"could not create the file to edit: {error}") from error
    return edit_file(path, ctx)


# --- remove ---------------------------------------------------------------------------


def _confirmed(question: str) -> bool:
    try:
        answer = input(f"{question} [y/N] ").strip().casefold()
    except EOFError:
        return False
    return answer in ("y", "yes")


def cmd_remove(args: argparse.Namespace, ctx: Context) -> int:
    """Delete a user show's file after a y/N question; its progress stays (orphaned) and a
    copy of the file is kept in removed/ to restore."""
    show = ctx.show(args.show)
    path = authoring.user_show_path(show.id)
    if path is None:
        raise UsageError(
            f"{visible(show.title)} is a bundled show: it cannot be removed, only archived "
            "(hidden from the lists)"
        )
    title = visible(show.title)
    if not args.yes and not _confirmed(f"Remove {title} ({path})? Your progress for it is kept."):
        print("Not removed.")
        return EXIT_FAILURE
    try:
        removed = authoring.remove_show(show)
    except OSError as error:
        raise CommandFailedError(f"could not remove {path}: {error.strerror or error}") from error
    print(f"Removed {title}: {path}")
    if removed.backup is not None:
        print(f"  to restore it, move {removed.backup} back to {path}")
    recorded = len(ctx.progress.show_records(show.id))
    if recorded:
        episodes = f"{recorded} episode{'' if recorded == 1 else 's'}"
        print(f"  your progress for {show.id} ({episodes}) is kept, orphaned until then")
    return EXIT_OK
