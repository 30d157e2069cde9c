"""A line on the terminal while a slow start checks show files.

A start reads every show file unchanged since the last one from the cache; after an
update (a new cache format) or an import of thousands of shows it checks them all
instead, which takes seconds to tens of seconds. Without a word the terminal would look
hung, and before the app is up there is nothing else to show.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

DELAY_SECONDS = 0.4
"""A load quicker than this says nothing: only a wait the user would notice is worth a line."""
EVERY_SECONDS = 0.1
"""How often the count is written again."""


class LoadNotice:
    """Says "checking show files N/M" on stderr, when it is a terminal, once a load has
    taken `DELAY_SECONDS`; erased when the load ends. Called as a `LoadProgress`."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.started = time.monotonic()
        self.written_at: float | None = None
        self.on_terminal = self.stream.isatty()

    def __call__(self, read: int, total: int) -> None:
        if not self.on_terminal:
            return
        now = time.monotonic()
        if now - self.started < DELAY_SECONDS:
            return
        if self.written_at is not None and now - self.written_at < EVERY_SECONDS:
            return
        self.written_at = now
        line = f"tracker: checking show files changed since the last start… {read:,}/{total:,}"
        self.stream.write(f"\r{line}\x1b[K")
        self.stream.flush()

    def __enter__(self) -> LoadNotice:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.written_at is not None:
            self.stream.write("\r\x1b[K")  # the line goes: the app or the answer takes its place
            self.stream.flush()
