"""Key latency inside the app: from `pilot.press` to the first frame that shows the key's effect.

run.py starts this script in a fresh interpreter per library, with TRACKER_HOME set;
it prints JSON: for each key, the milliseconds of every sample.

"Screen updated" is detected by wrapping `App._display`, the one call every rendered
frame passes through (Screen._compositor_refresh -> App._display). A headless app
renders the compositor update there but skips turning it into terminal bytes, so the
wrapper does that too, as a terminal's frame costs it. Before each press the sample
names the effect to wait for (the show changed, the episode's watched state flipped, the
show list changed, the stats screen drew its numbers); the first frame rendered while
that holds is the "effect" time. Frames are only rendered between messages, so that
frame shows the state the key's handlers left. Textual keeps rendering follow-up frames
(scrollbars, resized widgets) at up to 60 per second; the last frame before the app goes
idle again is reported as "settled".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial

from rich.console import RenderableType
from textual._compositor import CompositorUpdate
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from tracker_tui.domain.catalog.loader import matches_part
from tracker_tui.domain.progress.records import EpisodeKey
from tracker_tui.tui import TrackerApp, make_app
from tracker_tui.tui.screens.stats_screen import StatsScreen
from tracker_tui.tui.widgets import ShowPane, ShowsPane

SIZE = (100, 30)
# The timed letter is the first of these that narrows the list without emptying it:
# "i" for the heavy library (in most of its titles, so most of a big list stays), "k"
# for the bundled data (the filter matches every name a show has, and All of Us Are
# Dead's include "hambies", so "i" keeps both bundled shows).
FILTER_LETTERS = ("i", "k")


class EffectNotShownError(RuntimeError):
    """A key press never produced the frame it should have."""


@dataclass
class KeySamples:
    """Milliseconds per sample for one key."""

    effect: list[float] = field(default_factory=list)
    settled: list[float] = field(default_factory=list)


class FrameClock:
    """Stamps every frame the app renders, and the first one rendered once an effect holds."""

    def __init__(self, app: TrackerApp) -> None:
        self._app = app
        self._display = app._display
        # Private, but it is where each frame leaves the compositor.
        app._display = self._stamp  # type: ignore[method-assign]
        self.frames: list[float] = []
        self.effect_at: float | None = None
        self._effect: Callable[[], bool] | None = None

    def _stamp(self, screen: Screen[object], renderable: RenderableType | None) -> None:
        self._display(screen, renderable)
        if renderable is None:
            return
        if isinstance(renderable, CompositorUpdate):
            renderable.render_segments(self._app.console)
        now = time.perf_counter()
        self.frames.append(now)
        if self._effect is not None and self.effect_at is None and self._effect():
            self.effect_at = now

    async def press(
        self,
        pilot: Pilot[None],
        key: str,
        effect: Callable[[], bool],
        into: KeySamples,
        *,
        workers: bool = False,
    ) -> None:
        """Press `key` and add the time to the first frame where `effect()` holds. With
        `workers`, the effect comes from a worker the key starts: wait for it too."""
        self.frames.clear()
        self.effect_at = None
        self._effect = effect
        start = time.perf_counter()
        await pilot.press(key)
        if workers:
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        self._effect = None
        if self.effect_at is None:
            raise EffectNotShownError(f"pressing {key!r} never rendered its effect")
        into.effect.append((self.effect_at - start) * 1000)
        into.settled.append((self.frames[-1] - start) * 1000)


def changes(read: Callable[[], object]) -> Callable[[], bool]:
    """An effect to wait for: `read()` no longer returns what it returns now."""
    before = read()
    return lambda: read() != before


def is_watched(app: TrackerApp, episode: EpisodeKey) -> bool:
    return app.session.progress.is_watched(episode)


async def space_samples(count: int) -> KeySamples:
    """Space in the show pane toggles the highlighted episode; the save runs in a thread."""
    samples = KeySamples()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        clock = FrameClock(app)
        await pilot.press("tab")
        pane = app.query_one(ShowPane)
        for _ in range(count):
            episode = pane.highlighted_key(app.show_id) if app.show_id else None
            if episode is None:
                raise EffectNotShownError("no episode is highlighted in the first show")
            await clock.press(pilot, "space", changes(partial(is_watched, app, episode)), samples)
            # Let the save finish so it does not compete with the next press.
            await app.workers.wait_for_complete()
            await pilot.pause()
    return samples


async def next_show_samples(count: int) -> KeySamples:
    """`]` from the shows pane, which has focus at start, moves to the next show."""
    samples = KeySamples()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        clock = FrameClock(app)
        for _ in range(count):
            await clock.press(pilot, "right_square_bracket", changes(lambda: app.show_id), samples)
    return samples


async def filter_samples(count: int) -> KeySamples:
    """`/` opens the filter (not timed); the timed key is the first letter typed."""
    samples = KeySamples()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        clock = FrameClock(app)
        shows = app.query_one(ShowsPane)
        # A blink would add frames of its own to the measurement.
        shows.query_one(Input).cursor_blink = False
        letter = _narrowing_letter(app)
        for _ in range(count):
            await pilot.press("slash")
            await pilot.pause()
            await clock.press(pilot, letter, changes(shows.visible_ids), samples)
            await pilot.press("escape")  # clears the filter and returns to the full list
            await pilot.pause()
    return samples


def stats_shown(app: TrackerApp) -> bool:
    """The stats screen is up with its numbers drawn (not "Counting…")."""
    screen = app.screen
    return isinstance(screen, StatsScreen) and screen.stats is not None


async def stats_samples(count: int) -> KeySamples:
    """`t` opens the stats screen: the effect is the first frame with the numbers drawn.
    `escape` closes it again (not timed). The app keeps the screen and what it counted
    while nothing changed, so these are reopenings with nothing to count again (see
    `stats_after_change_samples`). The first press composes the screen and counts; it
    also builds every show's viewings, which the progress file's reader leaves for first
    use (reported on its own)."""
    samples = KeySamples()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        clock = FrameClock(app)
        for _ in range(count):
            await clock.press(pilot, "t", partial(stats_shown, app), samples, workers=True)
            await pilot.press("escape")
            await pilot.pause()
    return samples


async def stats_after_change_samples(count: int) -> KeySamples:
    """`t` after a mark made on the main screen (space in the shows pane: the show's next
    episode, not timed, saved): the kept screen counts again in its thread, and the effect
    is the first frame with the new numbers drawn."""
    samples = KeySamples()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        clock = FrameClock(app)
        await pilot.press("t")  # the screen composed and counted once, not timed
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        for _ in range(count):
            await pilot.press("space")
            await app.workers.wait_for_complete()
            await pilot.pause()
            await clock.press(pilot, "t", partial(stats_shown, app), samples, workers=True)
            await pilot.press("escape")
            await pilot.pause()
    return samples


def _narrowing_letter(app: TrackerApp) -> str:
    shows = app.catalog.shows
    for letter in FILTER_LETTERS:
        if 0 < sum(matches_part(show, letter) for show in shows) < len(shows):
            return letter
    raise EffectNotShownError(f"none of {FILTER_LETTERS} narrows the shows list")


KEYS: dict[str, Callable[[int], Awaitable[KeySamples]]] = {
    "space": space_samples,
    "]": next_show_samples,
    "/ then a letter": filter_samples,
    "t": stats_samples,
    "t after a change": stats_after_change_samples,
}
"""Each key's sampler, by the name the report gives it. Each starts its own app."""


FIRST_PRESS_KEYS = ("t",)
"""Keys whose first press, a warm-up, is also reported on its own (`first_ms`): it does
work later presses find done."""


async def measure(
    samples: int, warmups: int, only: str | None = None
) -> dict[str, dict[str, list[float]]]:
    results: dict[str, dict[str, list[float]]] = {}
    for name, sampler in KEYS.items():
        if only is not None and name != only:
            continue
        measured = await sampler(warmups + samples)
        results[name] = {
            "effect_ms": measured.effect[warmups:],
            "settled_ms": measured.settled[warmups:],
        }
        if name in FIRST_PRESS_KEYS:
            results[name]["first_ms"] = measured.effect[:1]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=15, help="timed presses per key")
    parser.add_argument("--warmups", type=int, default=2, help="presses per key not counted")
    parser.add_argument("--only", choices=list(KEYS), help="time this key alone")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(measure(args.samples, args.warmups, args.only))))


if __name__ == "__main__":
    main()
