"""Generate a rich user library: many show files each as rich as the bundled All of Us Are Dead.

Each file is a copy of the bundled show (people, notes with quotes, disputes, sourced
seasons and release statuses) under its own id and title, citing one user source
document, `<home>/sources/rich-notes.txt`: the bundled documents the show cites, joined.
So every quote is found and every file is valid, and the tracker checks and caches a
thousand files as big as its richest. A progress file (the tracker's own writer) gives
each show a few viewings, some rewatches, statuses and ratings.

The library is never committed: the benchmark writes it into a temporary
`TRACKER_HOME` each run. The first tracker start in it checks every file (with
pydantic) and writes the catalog cache; later starts read the cache.

    python benchmarks/rich_library.py HOME [--shows 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from pathlib import Path

from tracker_tui.domain.paths import bundled_data
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
MODEL_ID = "all-of-us-are-dead"
MODEL_TITLE = "All of Us Are Dead"
SOURCE_NAME = "rich-notes.txt"
RELEASED_EPISODES = 12
"""Season 1 of the model show; its season 2 has no episodes yet."""
SUMMARY = (
    f"{SHOWS:,} user show files each a copy of {MODEL_TITLE} (people, notes citing a user "
    "source document, disputes) under its own id and title"
)

_DOCUMENT = re.compile(r'document = "([^"]+)"')


def show_id(index: int) -> str:
    return f"rich-show-{index:04d}"


def show_title(index: int) -> str:
    """Titles "Rich Show 0000", "Kind Show 0001", ...: every copy shares the model's
    other names (its spellings, its source material's title), which hold most letters,
    so the Shows filter's timed letter, `k`, keeps half the list here as `i` keeps most
    of the synthetic library's, rather than all of it or one show."""
    return f"{'Kind' if index % 2 else 'Rich'} Show {index:04d}"


def model_text() -> tuple[str, str]:
    """The model show's file with every citation pointing at SOURCE_NAME, and that
    document's text: the cited bundled documents joined."""
    bundled = bundled_data()
    text = (bundled.shows / f"{MODEL_ID}.toml").read_text(encoding="utf-8")
    documents = sorted(set(_DOCUMENT.findall(text)))
    if not documents:
        raise RuntimeError(f"{MODEL_ID}.toml cites no document: nothing to copy")
    source = "\n\n".join(
        (bundled.seeds / name).read_text(encoding="utf-8").strip() for name in documents
    )
    for line in (f'id = "{MODEL_ID}"', f'title = "{MODEL_TITLE}"'):
        if not re.search(f"^{re.escape(line)}$", text, re.MULTILINE):
            raise RuntimeError(f"{MODEL_ID}.toml has no line {line!r} to replace")
    return _DOCUMENT.sub(f'document = "{SOURCE_NAME}"', text), source + "\n"


def generate(home: Path, *, shows: int = SHOWS, seed: int = 7) -> list[str]:
    """Write the library under `home`; return the show ids in file order."""
    body, source = model_text()
    sources = home / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    (sources / SOURCE_NAME).write_text(source, encoding="utf-8")
    shows_dir = home / "shows"
    shows_dir.mkdir(parents=True, exist_ok=True)
    ids = []
    for index in range(shows):
        new_id = show_id(index)
        text = re.sub(f'^id = "{MODEL_ID}"$', f'id = "{new_id}"', body, count=1, flags=re.MULTILINE)
        text = re.sub(
            f'^title = "{MODEL_TITLE}"$',
            f'title = "{show_title(index)}"',
            text,
            count=1,
            flags=re.MULTILINE,
        )
        (shows_dir / f"{new_id}.toml").write_text(text, encoding="utf-8")
        ids.append(new_id)
    _write_progress(home / "progress.json", ids, random.Random(seed))
    return ids


def _write_progress(path: Path, ids: list[str], rng: random.Random) -> None:
    # Show n has its first n % 13 episodes of season 1 watched (0 to all 12), one viewing in ten a
    # rewatch; every seventh show has a status and a rating. About 6,000 episodes.
    start = dt.datetime(2022, 2, 1, tzinfo=dt.UTC)
    shows = {}
    count = 0
    for n, show in enumerate(ids):
        episodes = {}
        for episode in range(1, n % (RELEASED_EPISODES + 1) + 1):
            count += 1
            stamp = start + dt.timedelta(hours=7 * count)
            viewings = {}
            for _ in range(1 if count % 10 else 2):
                viewing = Viewing(f"{rng.getrandbits(64):016x}", stamp, stamp)
                viewings[viewing.id] = viewing
                stamp += dt.timedelta(days=30)
            episodes[EpisodeKey(show, 1, episode)] = EpisodeState(viewings)
        marked = n % 7 == 0
        mark_time = start + dt.timedelta(days=n)
        state = ShowState(
            episodes,
            status=Mark(STATUSES[n % len(STATUSES)], mark_time) if marked else None,
            rating=Mark(1 + n % 10, mark_time) if marked else None,
        )
        if not state.is_empty():
            shows[show] = state
    path.write_text(dumps_progress(Progress.of_shows(shows)), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("home", type=Path, help="the folder to use as TRACKER_HOME")
    parser.add_argument("--shows", type=int, default=SHOWS)
    args = parser.parse_args()
    generate(args.home, shows=args.shows)
    print(f"wrote {args.shows:,} rich show files to {args.home}")


if __name__ == "__main__":
    main()
