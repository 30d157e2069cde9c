"""Time to first paint and peak memory of a whole app process in a real pseudo-terminal.

The app starts on a pty of 100x30 cells. A thread drains the pty and stamps each chunk
of output as it arrives; the main thread replays the chunks into a pyte screen and
finds the first chunk after which the screen shows every `Mark` of a complete first
screen. The app then gets a second to settle (the bare app 0.3 s) and is sent `q`; its
peak RSS is the kernel's high-water mark for it, read until it exits.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import queue
import resource
import signal
import struct
import sys
import termios
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pyte

COLUMNS, ROWS = 100, 30
SETTLE_SECONDS = 1.0
"""After its first paint the tracker may still load or count; its peak RSS counts that."""
BARE_SETTLE_SECONDS = 0.3
"""The bare app has nothing left to do after its first paint (its footer is in it)."""
QUIT_GRACE_SECONDS = 3.0
PAINT_TIMEOUT_SECONDS = 60.0
# With no output for this long, parse whatever arrived even if the byte pre-check failed.
QUIET_SECONDS = 1.0


@dataclass(frozen=True)
class Mark:
    """Text a complete first screen shows; `row` (negative: from the bottom) and `column` pin it."""

    text: str
    row: int | None = None
    column: int | None = None

    def shown_on(self, lines: Sequence[str]) -> bool:
        rows = lines if self.row is None else [lines[self.row]]
        if self.column is None:
            return any(self.text in line for line in rows)
        return any(line.startswith(self.text, self.column) for line in rows)


BARE_FIRST_SCREEN = (Mark("First item"), Mark("Second item"), Mark("Quit", row=-1))
# The Shows pane's first row (column 2: inside its border and padding), the Notes pane's
# title and the footer: the shows fill in only after the app's on_ready, so an earlier
# frame with empty panes does not count.
TRACKER_FIRST_SCREEN = (
    Mark("All of Us Are Dead", column=2),
    Mark("Notes"),
    Mark("Quit", row=-1),
)


@dataclass(frozen=True)
class AppRun:
    """One start of an app."""

    first_paint_seconds: float
    peak_rss_bytes: int
    quit_by_itself: bool
    """False when the app did not exit within the grace time after `q` and was killed."""


class FirstPaintError(RuntimeError):
    """The app never showed its complete first screen."""

    def __init__(self, reason: str, screen: pyte.Screen) -> None:
        shown = "\n".join(line.rstrip() for line in screen.display)
        super().__init__(f"{reason}; the screen showed:\n{shown}")


def run_app(
    argv: Sequence[str],
    env: Mapping[str, str],
    marks: Sequence[Mark],
    settle_seconds: float = SETTLE_SECONDS,
) -> AppRun:
    """Start the app on a new pty, time its first complete screen, let it settle for
    `settle_seconds`, quit it, read its memory."""
    start = time.perf_counter()
    pid, master = pty.fork()
    if pid == 0:
        _exec_on_terminal(argv, env)
    output = _TerminalOutput(master)
    try:
        try:
            painted = _wait_for_first_screen(output, marks, start)
        except BaseException:
            _kill(pid)
            raise
        time.sleep(settle_seconds)
        peak_rss, quit_by_itself = _quit(pid, master)
    finally:
        output.close()
    return AppRun(painted, peak_rss, quit_by_itself)


def _exec_on_terminal(argv: Sequence[str], env: Mapping[str, str]) -> NoReturn:
    """In the forked child: size the terminal before the app can ask, then become the app."""
    try:
        size = struct.pack("HHHH", ROWS, COLUMNS, 0, 0)
        fcntl.ioctl(pty.STDOUT_FILENO, termios.TIOCSWINSZ, size)
        os.execve(argv[0], list(argv), dict(env))
    except BaseException:
        traceback.print_exc()  # lands on the pty, so the parent's error shows it
    os._exit(127)


class _TerminalOutput:
    """Drains the pty in a thread: the app never blocks on a full pty buffer, and each chunk
    keeps the time it arrived however long the main thread takes to parse earlier ones."""

    def __init__(self, master: int) -> None:
        self.master = master
        self.chunks: queue.Queue[tuple[float, bytes] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._drain, name="pty-reader", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:  # EIO: the app has exited and the pty is gone
                data = b""
            if not data:
                self.chunks.put(None)
                return
            self.chunks.put((time.perf_counter(), data))

    def close(self) -> None:
        self._thread.join(timeout=5)
        os.close(self.master)


def _wait_for_first_screen(output: _TerminalOutput, marks: Sequence[Mark], start: float) -> float:
    """Seconds from `start` to the arrival of the chunk that completed the first screen."""
    screen = pyte.Screen(COLUMNS, ROWS)
    stream = pyte.ByteStream(screen)
    needles = [mark.text.encode() for mark in marks]
    received = bytearray()
    unparsed: list[tuple[float, bytes]] = []
    deadline = start + PAINT_TIMEOUT_SECONDS
    ended = False
    while not ended:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise FirstPaintError(
                f"no complete first screen in {PAINT_TIMEOUT_SECONDS:.0f}s", screen
            )
        quiet = False
        try:
            chunk = output.chunks.get(timeout=min(QUIET_SECONDS, remaining))
        except queue.Empty:
            quiet = True
        else:
            if chunk is None:
                ended = True
            else:
                unparsed.append(chunk)
                received += chunk[1]
        # Parsing is the costly part, so wait until every mark's text has arrived. The
        # marks may be split by escape codes, hence also parse at a pause or the end.
        if quiet or ended or all(needle in received for needle in needles):
            for arrived, data in unparsed:
                stream.feed(data)
                if all(mark.shown_on(screen.display) for mark in marks):
                    return arrived - start
            unparsed.clear()
    raise FirstPaintError("the app exited before showing its first screen", screen)


def _quit(pid: int, master: int) -> tuple[int, bool]:
    """Press `q`; kill the app if it is still there after the grace time. Returns
    (peak RSS in bytes, whether it quit by itself)."""
    peak = _peak_rss(pid)
    with contextlib.suppress(OSError):
        os.write(master, b"q")
    deadline = time.monotonic() + QUIT_GRACE_SECONDS
    while time.monotonic() < deadline:
        peak = max(peak, _peak_rss(pid))
        done, _, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return peak or _fallback_peak_rss(usage), True
        time.sleep(0.01)
    peak = max(peak, _peak_rss(pid))
    os.kill(pid, signal.SIGKILL)
    _, _, usage = os.wait4(pid, 0)
    return peak or _fallback_peak_rss(usage), False


def _peak_rss(pid: int) -> int:
    """The app's peak RSS so far in bytes (Linux's VmHWM), 0 if unknown.

    Not wait4's ru_maxrss: Linux carries the forked child's pre-exec peak over the exec,
    so that figure is never below the runner's own RSS at the fork.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def _fallback_peak_rss(usage: resource.struct_rusage) -> int:
    """Where there is no /proc: wait4's figure, which includes the runner's RSS at the fork."""
    return usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.wait4(pid, 0)


@contextlib.contextmanager
def prompt_thread_switches() -> Iterator[None]:
    """Let the pty reader take the GIL within half a millisecond of data arriving, so its
    time stamps stay exact while the main thread parses."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


@dataclass(frozen=True)
class PairedRuns:
    """The tracker and the bare app started alternately: run i of each forms a pair."""

    tracker: list[AppRun]
    bare: list[AppRun]


def alternate(
    tracker_argv: Sequence[str],
    bare_argv: Sequence[str],
    env: Mapping[str, str],
    pairs: int,
    warmup_pairs: int,
    progress: Callable[[str], None],
) -> PairedRuns:
    """Start tracker, bare, tracker, bare...; the warm-up pairs (disk cache, .pyc files) are
    dropped."""
    runs = PairedRuns([], [])
    with prompt_thread_switches():
        for index in range(warmup_pairs + pairs):
            tracker_run = run_app(tracker_argv, env, TRACKER_FIRST_SCREEN)
            bare_run = run_app(bare_argv, env, BARE_FIRST_SCREEN, BARE_SETTLE_SECONDS)
            label = (
                "warm-up" if index < warmup_pairs else f"pair {index - warmup_pairs + 1}/{pairs}"
            )
            progress(
                f"first paint {label}: tracker {tracker_run.first_paint_seconds * 1000:.0f} ms, "
                f"bare {bare_run.first_paint_seconds * 1000:.0f} ms"
            )
            if index >= warmup_pairs:
                runs.tracker.append(tracker_run)
                runs.bare.append(bare_run)
    return runs
