"""Pauses of Python's cycle collector kept out of big builds.

A full collection walks every tracked object made since the last freeze. Building a big
library's catalog, its progress or its stats makes hundreds of thousands of small objects
that all live on and are none of them garbage; left on, the collector walks them again
and again as they grow (six passes of 40 to 160 ms each, the app frozen for each, while
the stats of an imported library were counted after start). Collection is process-wide:
turned off in a worker, it is off for the app too, for as long as the build.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def no_collection_pauses(*, freeze: bool = False) -> Iterator[None]:
    """Collect after the block, not during it. `freeze`: then move everything made so far
    out of every later collection (`gc.freeze`), for what the block built lives as long
    as the process: the catalog, progress read at start, the stats counted ahead. (What
    is garbage at that moment and in a cycle is never freed; a block whose objects may
    soon be dropped should not freeze.)"""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()
