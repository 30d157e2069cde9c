"""One save of progress.json, in-process: `ProgressStore.save` with one more change.

run.py starts this script in a fresh interpreter per library, with TRACKER_HOME set;
it prints JSON: the milliseconds of every timed save. Each save flips one episode
between watched and unwatched on the library's real progress file, as a key press
in the app would.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time

from tracker_tui.domain.progress.records import EpisodeKey, Progress, mark_unwatched, mark_watched
from tracker_tui.domain.progress.store import ProgressStore, default_progress_path

# A bundled show's episode, so the same change exists in every library.
EPISODE = EpisodeKey("all-of-us-are-dead", 1, 4)


def flipped(progress: Progress) -> Progress:
    now = dt.datetime.now(dt.UTC)
    if progress.is_watched(EPISODE):
        return mark_unwatched(progress, [EPISODE], now)
    return mark_watched(progress, [EPISODE], now)


def time_saves(runs: int, warmups: int) -> list[float]:
    store = ProgressStore(default_progress_path())
    progress = store.load().progress
    times = []
    for _ in range(warmups + runs):
        changed = flipped(progress)
        start = time.perf_counter()
        progress = store.save(changed)
        times.append((time.perf_counter() - start) * 1000)
    return times[warmups:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed saves")
    # The first save also creates the lock file.
    parser.add_argument("--warmups", type=int, default=1, help="saves not counted")
    args = parser.parse_args()
    print(json.dumps({"save_ms": time_saves(args.runs, args.warmups)}))


if __name__ == "__main__":
    main()
