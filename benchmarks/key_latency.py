"""Key latency inside the app: from `pilot.press` to the first frame that shows the key's effect.

run.py starts this script in a fresh interpreter per library, with TRACKER_HOME set;
it prints JSON: for each key, the milliseconds of every sample. One app serves every
key in turn (see STEPS): starting an app with a heavy library takes seconds.

"Screen updated" is detected by wrapping `App._display`, the one call every rendered
frame passes through (Screen._compositor_refresh -> App._display). A headless app
renders the compositor update there but skips turning it into terminal bytes, so the
wrapper does that too, as a terminal's frame costs it. Before each press the sample
names the effect to wait for (the show changed, the episode's watched state flipped, the
show list changed, the stats screen drew its numbers, the history screen drew its rows);
the first frame rendered while that holds is the "effect" time. Frames are only rendered
between messages, so that frame shows the state the key's handlers left. Textual keeps
rendering follow-up frames (scrollbars, resized widgets) at up to 60 per second; the last
frame before the app goes idle again is reported as "settled".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
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
from tracker_tui.tui.screens.history_screen import HistoryScreen
from tracker_tui.tui.screens.stats_screen import StatsScreen
from tracker_tui.tui.widgets import ShowPane, ShowsPane
from tracker_tui.tui.widgets.history_list import HistoryList

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


@dataclass
class Bench:
    """One app under the pilot, shared by every key's samples in turn: each sampler
    leaves it on the main screen with nothing typed, as it found it."""

    app: TrackerApp
    pilot: Pilot[None]
    clock: FrameClock
    results: dict[str, KeySamples] = field(default_factory=dict)

    def samples(self, name: str) -> KeySamples:
        return self.results.setdefault(name, KeySamples())

    async def settle(self) -> None:
        """Let workers (a save, a count) finish so they do not compete with the next press."""
        await self.app.workers.wait_for_complete()
        await self.pilot.pause()


async def filter_samples(bench: Bench, count: int) -> None:
    """`/` opens the filter (not timed); the timed key is the first letter typed, then
    `escape` clears the filter and returns to the full list (not timed). The Shows pane
    gets the focus back first (`shift+tab` from the show pane)."""
    app, pilot = bench.app, bench.pilot
    await pilot.press("shift+tab")
    await pilot.pause()
    focused = app.focused
    if focused is None or app.query_one(ShowsPane) not in focused.ancestors_with_self:
        raise EffectNotShownError("shift+tab did not focus the Shows pane again")
    shows = app.query_one(ShowsPane)
    # A blink would add frames of its own to the measurement.
    shows.query_one(Input).cursor_blink = False
    letter = _narrowing_letter(app)
    for _ in range(count):
        await pilot.press("slash")
        await pilot.pause()
        await bench.clock.press(
            pilot, letter, changes(shows.visible_ids), bench.samples("/ then a letter")
        )
        await pilot.press("escape")
        await pilot.pause()


def stats_shown(app: TrackerApp) -> bool:
    """The stats screen is up with its numbers drawn (not "Counting…")."""
    screen = app.screen
    return isinstance(screen, StatsScreen) and screen.stats is not None


def history_shown(app: TrackerApp) -> bool:
    """The history screen is up with its list of viewings drawn (not "Reading…")."""
    screen = app.screen
    if not isinstance(screen, HistoryScreen) or screen.entries is None:
        return False
    history = screen.query_one(HistoryList)
    return history.display and len(history.lines) > 0


async def open_screen(bench: Bench, key: str, shown: Callable[[], bool], name: str) -> None:
    """Press `key`, time it to the first frame where `shown()` holds (waiting for the
    screen's worker), then close the screen with `escape` (not timed)."""
    await bench.clock.press(bench.pilot, key, shown, bench.samples(name), workers=True)
    await bench.pilot.press("escape")
    await bench.settle()
    if isinstance(bench.app.screen, (StatsScreen, HistoryScreen)):
        raise EffectNotShownError(f"escape did not close the screen {key!r} opened")


async def screen_samples(bench: Bench, count: int) -> None:
    """`t` then `h`, each opened and closed `count` times with nothing changed between:
    the app keeps the stats screen and what it counted, and the history it read, while
    the progress is the same object, so these are reopenings. The first press of each
    composes its screen and counts or reads everything; it also builds every show's
    viewings, which the progress reader leaves for first use (reported on its own)."""
    app = bench.app
    for _ in range(count):
        await open_screen(bench, "t", partial(stats_shown, app), "t")
    if not app.session.progress.history():
        raise EffectNotShownError("the library has no viewings: the history would be empty")
    for _ in range(count):
        await open_screen(bench, "h", partial(history_shown, app), "h")


async def space_samples(bench: Bench, count: int) -> None:
    """Space in the show pane (focused with `tab` first) toggles the highlighted episode;
    the save runs in a thread worker, which each sample lets finish."""
    app, pilot = bench.app, bench.pilot
    await pilot.press("tab")
    await pilot.pause()
    pane = app.query_one(ShowPane)
    for _ in range(count):
        episode = pane.highlighted_key(app.show_id) if app.show_id else None
        if episode is None:
            raise EffectNotShownError(f"no episode is highlighted in {app.show_id}")
        effect = changes(partial(is_watched, app, episode))
        await bench.clock.press(pilot, "space", effect, bench.samples("space"))
        await bench.settle()


async def after_change_samples(bench: Bench, count: int) -> None:
    """Each sample changes the progress first (space in the show pane, which keeps focus
    from `space_samples`: it toggles the highlighted episode, so every press is a change,
    watched then unwatched; checked), lets the save finish, then opens `t`: the kept
    stats screen counts again in its thread; then `h`: the history is read again. Each
    figure is the press to the first frame with the new numbers or list drawn."""
    app, pilot = bench.app, bench.pilot
    pane = app.query_one(ShowPane)
    for _ in range(count):
        before = app.session.progress
        episode = pane.highlighted_key(app.show_id) if app.show_id else None
        if episode is None:
            raise EffectNotShownError(f"no episode is highlighted in {app.show_id}")
        was_watched = is_watched(app, episode)
        await pilot.press("space")
        await bench.settle()
        if app.session.progress is before or is_watched(app, episode) == was_watched:
            raise EffectNotShownError(f"space did not change {episode} before `t`")
        await open_screen(bench, "t", partial(stats_shown, app), "t after a change")
        await open_screen(bench, "h", partial(history_shown, app), "h after a change")


async def next_show_samples(bench: Bench, count: int) -> None:
    """`]` from the Shows pane moves to the next show."""
    app, pilot = bench.app, bench.pilot
    for _ in range(count):
        await bench.clock.press(
            pilot, "right_square_bracket", changes(lambda: app.show_id), bench.samples("]")
        )


def _narrowing_letter(app: TrackerApp) -> str:
    shows = app.catalog.shows
    for letter in FILTER_LETTERS:
        kept = sum(matches_part(show, letter) for show in shows)
        if 0 < kept < len(shows):
            print(
                f"  key latency: the filter's letter {letter!r} keeps {kept:,} of "
                f"{len(shows):,} shows",
                file=sys.stderr,
            )
            return letter
    raise EffectNotShownError(f"none of {FILTER_LETTERS} narrows the shows list")


Sampler = Callable[[Bench, int], Awaitable[None]]

STEPS: tuple[tuple[str, Sampler, bool], ...] = (
    ("t and h, reopened", screen_samples, False),
    ("space", space_samples, False),
    ("t and h after a change", after_change_samples, True),
    ("/ then a letter", filter_samples, False),
    ("]", next_show_samples, False),
)
"""The samplers in the order they run on the one app, named for the progress lines, and
whether theirs are slow figures (a count or a read of the whole history each press) that
get fewer samples. The screens open first, so their first press is the app's first count
and read of the progress; space comes while the first show is current (a show with
released episodes in every library: the filter and `]` move to others, such as a bundled
show with none out yet)."""

KEYS = ("space", "]", "/ then a letter", "t", "h", "t after a change", "h after a change")
"""Every figure's key, by the name the report gives it."""

FIRST_PRESS_KEYS = ("t", "h")
"""Keys whose first press, a warm-up, is also reported on its own (`first_ms`): it does
work later presses find done."""


async def measure(
    samples: int, warmups: int, slow_samples: int
) -> dict[str, dict[str, list[float]]]:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        bench = Bench(app, pilot, FrameClock(app))
        await bench.settle()
        started = time.perf_counter()
        for label, sampler, slow in STEPS:
            await sampler(bench, warmups + (slow_samples if slow else samples))
            elapsed = time.perf_counter() - started
            print(f"  key latency: {label} done, {elapsed:.1f} s in", file=sys.stderr)
    results: dict[str, dict[str, list[float]]] = {}
    for name in KEYS:
        measured = bench.results[name]
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
    parser.add_argument(
        "--slow-samples",
        type=int,
        default=7,
        help="timed presses of the keys that count or read everything after a change",
    )
    args = parser.parse_args()
    print(json.dumps(asyncio.run(measure(args.samples, args.warmups, args.slow_samples))))


if __name__ == "__main__":
    main()
