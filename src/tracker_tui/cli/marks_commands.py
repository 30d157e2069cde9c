"""Commands that set what a user thinks of a show: status, rate, archive, and an episode's
viewings."""

from __future__ import annotations

import argparse
import datetime as dt

from tracker_tui.cli.arguments import AUTOMATIC
from tracker_tui.cli.context import EXIT_OK, Context, UsageError, print_json
from tracker_tui.cli.text import table
from tracker_tui.domain import clock
from tracker_tui.domain.progress.format import format_time
from tracker_tui.domain.progress.records import (
    STATUSES,
    EpisodeKey,
    remove_viewing,
    set_archived,
    set_rating,
    set_status,
)
from tracker_tui.domain.watching.episode_specs import EpisodeSpecError, parse_spec
from tracker_tui.domain.watching.episodes import list_status, status_label

RATING_HINT = "a rating is a whole number from 1 to 10"


def cmd_status(args: argparse.Namespace, ctx: Context) -> int:
    """Print a show's list status, or set it (`auto` goes back to the one progress gives)."""
    show = ctx.show(args.show)
    if args.status is None:
        status, by_hand = list_status(show, ctx.progress)
        how = "set by you" if by_hand else "automatic, from your progress"
        print(f"{show.title}: {status_label(status)} ({how})")
        return EXIT_OK
    wanted = args.status.strip().casefold().replace(" ", "-").replace("_", "-")
    if wanted not in (*STATUSES, AUTOMATIC):
        choices = ", ".join((*STATUSES, AUTOMATIC))
        raise UsageError(f"{args.status!r} is not a status; use one of: {choices}")
    chosen = None if wanted == AUTOMATIC else wanted
    saved = ctx.save(set_status(ctx.progress, show.id, chosen, clock.now()))
    status, by_hand = list_status(show, saved)
    how = "set by you" if by_hand else "automatic, from your progress"
    print(f"{show.title}: {status_label(status)} ({how})")
    return EXIT_OK


def _rating_target(text: str | None) -> tuple[int | None, int | None]:
    """(season, episode) of `s1` or `s1e3`; (None, None) for the show itself."""
    if text is None:
        return None, None
    try:
        spec = parse_spec(text)
    except EpisodeSpecError as error:
        raise UsageError(f"{text!r}: rate a season (s1) or an episode (s1e3)") from error
    if spec.is_next or spec.season is None or spec.first != spec.last:
        raise UsageError(f"{text!r}: rate a season (s1) or an episode (s1e3), not a range")
    return spec.season, spec.first


def _rating(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 10:
        raise UsageError(f"{text!r} is not a rating: {RATING_HINT}")
    return int(text)


def _what(title: str, season: int | None, episode: int | None) -> str:
    if season is None:
        return title
    if episode is None:
        return f"{title} season {season}"
    return f"{title} S{season}E{episode}"


def cmd_rate(args: argparse.Namespace, ctx: Context) -> int:
    """`rate SHOW [s1 | s1e3] RATING`, or `--clear` in place of the rating."""
    words: list[str] = args.words
    if args.clear:
        if len(words) > 1:
            raise UsageError("with --clear, name at most what to clear: s1 or s1e3")
        target, rating = (words[0] if words else None), None
    else:
        if not words or len(words) > 2:
            raise UsageError(f"give a rating (1 to 10), e.g. `tracker rate {args.show} 8`")
        target, rating = (words[0] if len(words) == 2 else None), _rating(words[-1])
    show = ctx.show(args.show)
    season, episode = _rating_target(target)
    if season is not None and show.season(season) is None:
        raise UsageError(f"{show.title} has no season {season}")
    what = _what(show.title, season, episode)
    if rating is None and ctx.progress.rating(show.id, season, episode) is None:
        print(f"{what} has no rating: nothing to clear")
        return EXIT_OK
    changed = set_rating(ctx.progress, show.id, rating, clock.now(), season, episode)
    ctx.save(changed)
    print(f"Rated {what}: {rating}/10" if rating is not None else f"Cleared the rating of {what}")
    return EXIT_OK


def cmd_archive(args: argparse.Namespace, ctx: Context) -> int:
    """Archive a show (hidden from lists, progress kept) or, with --undo, bring it back."""
    show = ctx.show(args.show)
    archive = not args.undo
    if ctx.progress.is_archived(show.id) == archive:
        state = "already archived" if archive else "not archived"
        print(f"{show.title} is {state}: nothing changed")
        return EXIT_OK
    ctx.save(set_archived(ctx.progress, show.id, archive, clock.now()))
    if archive:
        print(f"Archived {show.title}: `tracker shows --status archived` lists it")
    else:
        print(f"{show.title} is back in your lists")
    return EXIT_OK


def _episode(args: argparse.Namespace, ctx: Context) -> tuple[str, EpisodeKey]:
    show = ctx.show(args.show)
    try:
        spec = parse_spec(args.episode)
    except EpisodeSpecError as error:
        raise UsageError(str(error)) from error
    if spec.is_next or spec.season is None or spec.first is None or spec.first != spec.last:
        raise UsageError(f"{args.episode!r}: name one episode, like s1e3")
    return show.title, EpisodeKey(show.id, spec.season, spec.first)


def _local(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def cmd_viewings(args: argparse.Namespace, ctx: Context) -> int:
    """List one episode's viewings (oldest first) with their ids, or remove one."""
    title, key = _episode(args, ctx)
    viewings = ctx.progress.viewings(key)
    if args.remove is not None:
        wanted = [viewing for viewing in viewings if viewing.id.startswith(args.remove)]
        if len(wanted) != 1:
            known = ", ".join(viewing.id for viewing in viewings) or "none"
            which = "matches none" if not wanted else "matches more than one"
            raise UsageError(
                f"viewing {args.remove!r} {which} of {title} {key.code()}'s viewings ({known})"
            )
        ctx.save(remove_viewing(ctx.progress, key, wanted[0].id, clock.now()))
        left = len(viewings) - 1
        print(f"Removed a viewing of {title} {key.code()}; {left} left")
        return EXIT_OK
    if args.json:
        print_json(
            [
                {
                    "id": viewing.id,
                    "watched_at": format_time(viewing.watched_at) if viewing.watched_at else None,
                    "logged_at": format_time(viewing.logged_at),
                }
                for viewing in viewings
            ]
        )
        return EXIT_OK
    if not viewings:
        print(f"{title} {key.code()} is not watched")
        return EXIT_OK
    rows = [
        [viewing.id, _local(viewing.watched_at) if viewing.watched_at else "time unknown"]
        for viewing in viewings
    ]
    count = len(viewings)
    print(f"{title} {key.code()}: seen {count} time{'s' if count > 1 else ''} (local time)")
    print("\n".join(table(rows, indent="  ")))
    return EXIT_OK


__all__ = ["cmd_archive", "cmd_rate", "cmd_status", "cmd_viewings"]
