"""Generate a heavy user's library into a data folder: many show files and a big progress file.

The library is never committed: the benchmark writes it into a temporary
`TRACKER_HOME` each run. It uses the same file formats a user would write.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

from tracker_tui.domain.progress.format import dumps_progress
from tracker_tui.domain.progress.records import (
    STATUSES,
    EpisodeKey,
    EpisodeState,
    Mark,
    Progress,
    ShowState,
    Viewing,
)

SHOWS = 1_000
SEASONS = 4
EPISODES = 25
WATCHED = 50_000
SUMMARY = (
    f"{SHOWS:,} user show files x {SEASONS} seasons x {EPISODES} episodes, "
    f"{WATCHED:,} watched episodes"
)

_WORDS = (
    "night",
    "city",
    "river",
    "glass",
    "winter",
    "shadow",
    "garden",
    "signal",
    "harbor",
    "echo",
    "iron",
    "paper",
    "silver",
    "ember",
    "orbit",
    "hollow",
    "lantern",
    "meadow",
    "circuit",
    "falcon",
)


def _title(rng: random.Random, index: int) -> str:
    return f"{rng.choice(_WORDS).title()} {rng.choice(_WORDS).title()} {index:04d}"


def _show_toml(show_id: str, title: str, kind: str) -> str:
    lines = [f'id = "{show_id}"', f'title = "{title}"', f'kind = "{kind}"', ""]
    for season in range(1, SEASONS + 1):
        lines += [
            "[[seasons]]",
            f"number = {season}",
            f"episode_count = {EPISODES}",
            "",
            "[[seasons.status]]",
            'state = "released"',
            f'detail = "Season {season} released"',
            f'on = "{2010 + season}-0{season}-15"',
            "",
        ]
    return "\n".join(lines)


def generate(home: Path, *, seed: int = 5) -> list[str]:
    """Write the library under `home`; return the show ids in file order."""
    rng = random.Random(seed)
    shows_dir = home / "shows"
    shows_dir.mkdir(parents=True, exist_ok=True)
    ids = []
    for index in range(SHOWS):
        show_id = f"heavy-show-{index:04d}"
        kind = "anime" if index % 3 == 0 else "series"
        (shows_dir / f"{show_id}.toml").write_text(
            _show_toml(show_id, _title(rng, index), kind), encoding="utf-8"
        )
        ids.append(show_id)
    _write_progress(home / "progress.json", ids, rng)
    return ids


def _write_progress(path: Path, ids: list[str], rng: random.Random) -> None:
    # Half of all episodes watched, spread over every show, as a heavy user's history
    # looks; every tenth of them seen two or three times (the earliest time sometimes
    # unknown, as an import leaves it), and some shows with a status and ratings. Written
    # by the tracker's own writer (version 2) so the file is byte-for-byte what the app
    # would save.
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    every = [
        EpisodeKey(show, season, episode)
        for show in ids
        for season in range(1, SEASONS + 1)
        for episode in range(1, EPISODES + 1)
    ]
    chosen = sorted(rng.sample(range(len(every)), WATCHED))
    episodes: dict[str, dict[EpisodeKey, EpisodeState]] = {show: {} for show in ids}
    for n, index in enumerate(chosen):
        stamp = start + dt.timedelta(minutes=37 * n)
        key = every[index]
        times = 1 if n % 10 else rng.choice((2, 3))
        viewings = {}
        for seen in range(times):
            when = stamp + dt.timedelta(days=seen)
            watched_at = None if seen == 0 and times == 3 else when
            viewing = Viewing(f"{rng.getrandbits(64):016x}", watched_at, when)
            viewings[viewing.id] = viewing
        episodes[key.show][key] = EpisodeState(viewings)
    shows = {}
    for n, show in enumerate(ids):
        marked = n % 7 == 0
        mark_time = start + dt.timedelta(days=n)
        shows[show] = ShowState(
            episodes[show],
            status=Mark(STATUSES[n % len(STATUSES)], mark_time) if marked else None,
            rating=Mark(1 + n % 10, mark_time) if marked else None,
        )
    progress = Progress.of_shows(
        {show: state for show, state in shows.items() if not state.is_empty()}
    )
    path.write_text(dumps_progress(progress), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("home", type=Path, help="the folder to use as TRACKER_HOME")
    args = parser.parse_args()
    generate(args.home)
    print(f"wrote {SUMMARY} to {args.home}")


if __name__ == "__main__":
    main()
