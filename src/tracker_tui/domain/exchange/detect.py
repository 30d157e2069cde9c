"""Which format an export is in, from its files' names and the first few KB of each:
`tracker import --from auto` uses `detect`, and `--from FORMAT` checks with
`check_matches` that the export is not plainly another format."""

from __future__ import annotations

import re

from tracker_tui.domain.exchange.batch import ImportFormatError
from tracker_tui.domain.exchange.source import ImportSource, Member

NAMES = {
    "tracker": "a tracker progress file",
    "trakt": "a Trakt export",
    "tvtime": "a TV Time export",
    "simkl": "a Simkl backup",
    "mal": "a MyAnimeList export",
    "yamtrack": "a Yamtrack export",
    "csv": "a tracker CSV export",
}
"""Each format as messages name it."""

HEAD_BYTES = 8192
"""How much of a member is looked at."""
MAX_SNIFFED = 50
"""How many members are looked into (an export has a handful; a home folder has more)."""

_TRAKT_RATINGS = ("ratings-shows*.json", "ratings-seasons*.json", "ratings-episodes*.json")
_TVTIME = ("tracking-prod-records*.csv", "seen_episode.csv", "followed_tv_show.csv")
_TRACKER = (re.compile(r'"version"\s*:'), re.compile(r'"shows"\s*:\s*\{'))
_SIMKL_LIST = re.compile(r'"(?:shows|anime)"\s*:\s*\[\s*(\]|\{)')
_SIMKL_ITEM = re.compile(r'"show"\s*:\s*\{')
_TRAKT_ENTRY = (re.compile(r'"watched_at"\s*:'), re.compile(r'"episode"\s*:\s*\{'))
_MAL = re.compile(r"<myanimelist[\s>]")
_YAMTRACK_COLUMNS = {"media_id", "source", "media_type"}
_CSV_COLUMNS = {"show_id", "season", "episode", "watched_at"}


def detect(source: ImportSource) -> tuple[str, str]:
    """(format, what was seen), e.g. ("trakt", "a Trakt export: watched-history.json and
    3 ratings files").

    Raises ImportFormatError naming what the export holds when no format matches.
    """
    format_name, evidence = _detect(source)
    return format_name, f"{NAMES[format_name]}: {evidence}"


def _detect(source: ImportSource) -> tuple[str, str]:
    found = _by_names(source) or _by_content(source)
    if found is None:
        names = [member.name for member in source.members]
        listed = ", ".join(names[:10]) + (
            f" and {len(names) - 10:,} more" if len(names) > 10 else ""
        )
        raise ImportFormatError(
            f"no export recognised in {source.path}: found {listed or 'no files'}; "
            "use --from FORMAT (one of trakt, tvtime, simkl, mal, yamtrack, csv, tracker)"
        )
    return found


def check_matches(format_name: str, source: ImportSource) -> None:
    """Raises ImportFormatError when the export is clearly another format than the one
    asked for; an export that matches nothing is left to the reader to judge."""
    try:
        found, evidence = _detect(source)
    except ImportFormatError:
        return
    if found != format_name:
        raise ImportFormatError(
            f"{source.path} looks like {NAMES[found]} ({evidence}), not "
            f"{NAMES.get(format_name, format_name)}: use --from {found}"
        )


def _listed(members: list[Member]) -> str:
    return ", ".join(member.base_name for member in members)


def _by_names(source: ImportSource) -> tuple[str, str] | None:
    history = source.find("watched-history*.json")
    if history:
        ratings = source.find(*_TRAKT_RATINGS)
        more = "" if not ratings else f" and {len(ratings)} ratings file{'s' * (len(ratings) > 1)}"
        return "trakt", _listed(history) + more
    tvtime = source.find(*_TVTIME)
    if tvtime:
        return "tvtime", _listed(tvtime)
    return None


def _by_content(source: ImportSource) -> tuple[str, str] | None:
    for member in source.members[:MAX_SNIFFED]:
        try:
            with member.open() as stream:
                head = stream.read(HEAD_BYTES)
        except ImportFormatError:
            continue
        found = _sniff(head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n"))
        if found is not None:
            return found, member.base_name
    return None


def _sniff(head: str) -> str | None:
    if head.startswith("{"):
        if all(pattern.search(head) for pattern in _TRACKER):
            return "tracker"
        listed = _SIMKL_LIST.search(head)
        if listed is not None and (listed.group(1) == "]" or _SIMKL_ITEM.search(head)):
            return "simkl"
        return None
    if head.startswith("["):
        return "trakt" if all(p.search(head) for p in _TRAKT_ENTRY) else None
    if head.startswith("<"):
        return "mal" if _MAL.search(head) else None
    columns = {
        name.strip().strip('"').strip().lower() for name in head.split("\n", 1)[0].split(",")
    }
    if _YAMTRACK_COLUMNS.issubset(columns):
        return "yamtrack"
    if _CSV_COLUMNS.issubset(columns):
        return "csv"
    return None
