"""Generate a Trakt export (a folder, or a zip with --zip) of a heavy user's history, for
the import benchmark and the memory test. Deterministic by seed; never committed.
Episodes carry titles and first air dates (`first_aired`, as Trakt's extended export
gives them); the shows' episodes are spread over seasons of 6 to 24.

    python benchmarks/trakt_export.py OUT_DIR [--shows 2000] [--viewings 60000]
        [--episodes 100000] [--seed 1] [--per-file 0] [--zip] [--size-mb N]

The history is one `watched-history.json` by default (the hardest case for a reader's
memory); `--per-file 10000` splits it into `watched-history-1.json`, ... as some Trakt
exports do. `--size-mb N` adds rewatches until the history holds about N MB. Ratings
files and `watched-shows.json` agree with the history.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

SHOWS = 2_000
VIEWINGS = 60_000
EPISODES = 100_000
REWATCH_SHARE = 0.03
"""Of the viewings, this share are rewatches of an episode already seen."""

_FIRST = ("Night", "Glass", "Winter", "Shadow", "Silver", "Last", "Hidden", "Broken", "Red")
_SECOND = ("City", "River", "Garden", "Station", "Kingdom", "Signal", "Harbor", "Lines", "Hours")
_EPISODE_WORDS = ("Pilot", "Return", "Storm", "Crossing", "Silence", "Reckoning", "Homecoming")
_START = dt.datetime(2012, 1, 1, tzinfo=dt.UTC)
_SPAN_SECONDS = 14 * 365 * 86_400


@dataclass
class _Show:
    data: dict[str, Any]
    seasons: list[int]
    """Episodes per season, season 1 first."""


def _shows(rng: random.Random, count: int, episodes: int) -> list[_Show]:
    shows = []
    left = episodes
    for index in range(count):
        share = left // (count - index)
        size = max(1, min(left, rng.randint(share // 2 + 1, share * 3 // 2 + 1))) if left else 0
        left -= size
        seasons = []
        while size > 0:
            season = min(size, rng.randint(6, 24))
            seasons.append(season)
            size -= season
        title = f"{rng.choice(_FIRST)} {rng.choice(_SECOND)} {index + 1}"
        trakt = 100_000 + index
        data = {
            "title": title,
            "year": rng.randint(1995, 2026),
            "ids": {
                "trakt": trakt,
                "slug": title.lower().replace(" ", "-"),
                "tvdb": 300_000 + index,
                "imdb": f"tt{9_000_000 + index}",
                "tmdb": 60_000 + index,
            },
        }
        shows.append(_Show(data, seasons))
    return shows


def _time(seconds: int) -> str:
    moment = _START + dt.timedelta(seconds=seconds)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.000Z"


def _aired(show: _Show, season: int, number: int) -> str:
    """An episode's first air date as Trakt's extended export gives it: weekly from the
    show's year, a season a year."""
    start = dt.datetime(show.data["year"], 1, 5, 20, tzinfo=dt.UTC)
    moment = start + dt.timedelta(days=365 * (season - 1) + 7 * (number - 1))
    return f"{moment:%Y-%m-%dT%H:%M:%S}.000Z"


def generate(
    out: Path,
    *,
    shows: int = SHOWS,
    viewings: int = VIEWINGS,
    episodes: int = EPISODES,
    seed: int = 1,
    per_file: int = 0,
    zipped: bool = False,
    size_mb: float | None = None,
) -> Path:
    """Write the export under OUT and return what to import: the folder, or the zip."""
    rng = random.Random(seed)
    catalog = _shows(rng, shows, episodes)
    all_episodes = [
        (show, season, number)
        for show, item in enumerate(catalog)
        for season, size in enumerate(item.seasons, 1)
        for number in range(1, size + 1)
    ]
    if size_mb is not None:
        viewings = max(viewings, int(size_mb * 1_000_000 / 330))  # about 330 bytes an entry
    rewatches = int(viewings * REWATCH_SHARE)
    firsts = rng.sample(all_episodes, min(len(all_episodes), viewings - rewatches))
    seen = firsts + [rng.choice(firsts) for _ in range(viewings - len(firsts))] if firsts else []
    times = sorted(
        ((rng.randrange(_SPAN_SECONDS), *episode) for episode in seen),
        reverse=True,
    )
    folder = out / "trakt-export"
    folder.mkdir(parents=True, exist_ok=True)
    _write_history(folder, catalog, times, per_file)
    _write_ratings(folder, catalog, rng)
    _write_watched(folder, catalog, times)
    if not zipped:
        return folder
    archive = out / "trakt-export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as writer:
        for path in sorted(folder.iterdir()):
            writer.write(path, f"trakt-export/{path.name}")
            path.unlink()
    folder.rmdir()
    return archive


def _write_history(
    folder: Path, catalog: list[_Show], times: list[tuple[int, int, int, int]], per_file: int
) -> None:
    encode = msgspec.json.Encoder().encode
    size = per_file or len(times) or 1
    chunks = [times[start : start + size] for start in range(0, len(times), size)] or [[]]
    next_id = 1_000_000_000 + len(times)
    for index, chunk in enumerate(chunks, 1):
        name = "watched-history.json" if not per_file else f"watched-history-{index}.json"
        with (folder / name).open("wb") as stream:
            stream.write(b"[\n")
            for position, (seconds, show, season, number) in enumerate(chunk):
                entry = {
                    "id": next_id,
                    "watched_at": _time(seconds),
                    "action": "watch",
                    "type": "episode",
                    "episode": {
                        "season": season,
                        "number": number,
                        "title": f"{_EPISODE_WORDS[(show + number) % 7]} {season}.{number}",
                        "first_aired": _aired(catalog[show], season, number),
                        "ids": {"trakt": show * 10_000 + season * 100 + number},
                    },
                    "show": catalog[show].data,
                }
                next_id -= 1
                stream.write(b"  " if position == 0 else b",\n  ")
                stream.write(encode(entry))
            stream.write(b"\n]\n")


def _write_ratings(folder: Path, catalog: list[_Show], rng: random.Random) -> None:
    encode = msgspec.json.Encoder().encode
    shows, seasons, episodes = [], [], []
    for item in catalog:
        rated_at = _time(rng.randrange(_SPAN_SECONDS))
        if rng.random() < 0.3:
            shows.append(
                {
                    "rated_at": rated_at,
                    "rating": rng.randint(1, 10),
                    "type": "show",
                    "show": item.data,
                }
            )
        for season, size in enumerate(item.seasons, 1):
            if rng.random() < 0.1:
                seasons.append(
                    {
                        "rated_at": rated_at,
                        "rating": rng.randint(1, 10),
                        "type": "season",
                        "season": {"number": season, "ids": {}},
                        "show": item.data,
                    }
                )
            for number in range(1, size + 1):
                if rng.random() < 0.05:
                    episodes.append(
                        {
                            "rated_at": rated_at,
                            "rating": rng.randint(1, 10),
                            "type": "episode",
                            "episode": {"season": season, "number": number, "ids": {}},
                            "show": item.data,
                        }
                    )
    for name, entries in (("shows", shows), ("seasons", seasons), ("episodes", episodes)):
        (folder / f"ratings-{name}.json").write_bytes(encode(entries))


def _write_watched(
    folder: Path, catalog: list[_Show], times: list[tuple[int, int, int, int]]
) -> None:
    plays: Counter[tuple[int, int, int]] = Counter()
    last: dict[tuple[int, int, int], int] = {}
    for seconds, show, season, number in times:
        plays[show, season, number] += 1
        last[show, season, number] = max(seconds, last.get((show, season, number), 0))
    by_show: dict[int, dict[int, list[dict[str, Any]]]] = {}
    for (show, season, number), count in sorted(plays.items()):
        by_show.setdefault(show, {}).setdefault(season, []).append(
            {"number": number, "plays": count, "last_watched_at": _time(last[show, season, number])}
        )
    watched = [
        {
            "plays": sum(e["plays"] for episodes in seasons.values() for e in episodes),
            "last_watched_at": max(e["last_watched_at"] for s in seasons.values() for e in s),
            "show": catalog[show].data,
            "seasons": [{"number": n, "episodes": e} for n, e in seasons.items()],
        }
        for show, seasons in by_show.items()
    ]
    (folder / "watched-shows.json").write_bytes(msgspec.json.encode(watched))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the folder to write into")
    parser.add_argument("--shows", type=int, default=SHOWS)
    parser.add_argument("--viewings", type=int, default=VIEWINGS)
    parser.add_argument("--episodes", type=int, default=EPISODES)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--per-file", type=int, default=0, help="history entries per file (0: one file)"
    )
    parser.add_argument(
        "--zip", action="store_true", help="write trakt-export.zip instead of a folder"
    )
    parser.add_argument("--size-mb", type=float, default=None, help="pad the history to about N MB")
    args = parser.parse_args()
    path = generate(
        args.out,
        shows=args.shows,
        viewings=args.viewings,
        episodes=args.episodes,
        seed=args.seed,
        per_file=args.per_file,
        zipped=args.zip,
        size_mb=args.size_mb,
    )
    print(path)


if __name__ == "__main__":
    main()
