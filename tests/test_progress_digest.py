"""A progress file's digest: what a save works out from each show's kept sum is what the
bytes give, summed piece by piece at the same cuts; other bytes give another."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker_tui.domain.progress.digest import digest_at
from tracker_tui.domain.progress.format import ProgressWriter
from tracker_tui.domain.progress.records import EpisodeKey, Progress, mark_watched, set_rating

from .conftest import FIXED_NOW
from .test_progress_properties import Operation, apply, keys, operations


@settings(max_examples=80, deadline=None)
@given(operations, st.lists(keys, max_size=4), st.booleans())
def test_a_writers_digest_is_the_bytes_digest_save_after_save(
    ops: list[Operation], marks: list[EpisodeKey], epoch: bool
) -> None:
    """One writer dumping one change after another (kept blocks, as a store's): each
    digest is what summing the bytes at its cuts gives."""
    progress = apply(ops)
    if epoch:
        progress = Progress.of_shows(dict(progress.shows), FIXED_NOW)
    writer = ProgressWriter()
    for step, key in enumerate([None, *marks]):
        if key is not None:
            when = FIXED_NOW + dt.timedelta(minutes=step)
            progress = mark_watched(progress, [key], when)
            progress = set_rating(progress, key.show, 1 + step % 10, when)
        data = writer.dump_bytes(progress)
        written = writer.written
        assert written.digest is not None
        assert written.digest == digest_at(data, written.cuts)
        assert len(written.cuts) == len(progress.shows) + 1 or not progress.shows


def bytes_of_two_shows() -> tuple[bytes, tuple[int, ...], int]:
    progress = mark_watched(Progress.empty(), [EpisodeKey("show-a", 1, 1)], FIXED_NOW)
    progress = mark_watched(progress, [EpisodeKey("show-b", 1, 1)], FIXED_NOW)
    writer = ProgressWriter()
    data = writer.dump_bytes(progress)
    assert writer.written.digest is not None
    return data, writer.written.cuts, writer.written.digest


def test_a_change_anywhere_changes_the_digest() -> None:
    data, cuts, digest = bytes_of_two_shows()
    assert digest_at(data, cuts) == digest
    for at in range(len(data)):
        changed = data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]
        assert digest_at(changed, cuts) != digest, at
    assert digest_at(data + b" ", cuts) != digest
    swapped = data[cuts[1] :] + data[: cuts[1]]  # the same pieces in another order
    assert digest_at(swapped, cuts) != digest


def test_cuts_that_do_not_fit_the_bytes_give_no_digest() -> None:
    data, cuts, _ = bytes_of_two_shows()
    assert digest_at(data, ()) is None
    assert digest_at(data, (1, *cuts[1:])) is None  # not from the start
    assert digest_at(data, (0, cuts[2], cuts[1])) is None  # not rising
    assert digest_at(data, (0, len(data))) is None  # an empty last piece
    assert digest_at(b"", (0,)) is not None
