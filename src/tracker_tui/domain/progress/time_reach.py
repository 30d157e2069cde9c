"""Whether a progress file's meaning can change with the clock alone.

Reading takes a time stamped more than a day after now as now (`records.taken_as_now`),
so a file that holds such a time reads differently once the clock catches up with it.
A summary worked out from the file (`watching/summary.py`) may be kept only when it
holds none. Looked for in the bytes, without reading the file again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from tracker_tui.domain.progress.records import SKEW_ALLOWED

# Every time a reader reads; all but a viewing's watched_at are taken as now when far
# ahead (`clamped_time`). Field names and values as written: see the escape check below.
_FIELDS = rb'"(epoch|changed_at|logged_at|cleared_at|watched_at)"\s*:\s*"'


FOREVER = dt.datetime.max.replace(tzinfo=dt.UTC)


def steady_until(raw: bytes, now: dt.datetime) -> dt.datetime | None:
    """Until when reading `raw` means what it means at `now`: FOREVER for a file with no
    time taken as now; else the first instant a taken time stops being taken (a day
    before it) or one taken as now is passed by another time in the file. None when the
    bytes cannot be judged (an escape, a time that does not parse)."""
    if b"\\u" in raw:
        return None  # an escaped character could hide a field or a time from the pattern
    # An offset moves a time by less than a day, so a time written as of a day before
    # yesterday (UTC) or earlier is in the past for good: most times are skipped by
    # comparing the text of their date.
    earliest = (now - dt.timedelta(days=2)).date().isoformat().encode("ascii")
    return reach_of(_times_from(earliest).findall(raw), now)


def reach_of(times: Iterable[tuple[bytes, bytes]], now: dt.datetime) -> dt.datetime | None:
    """`steady_until` of a file whose time fields are these (field name, value) pairs."""
    limit = now + SKEW_ALLOWED
    taken: list[dt.datetime] = []
    ahead: list[dt.datetime] = []
    for field, value in times:
        try:
            parsed = dt.datetime.fromisoformat(value.decode("ascii").replace("Z", "+00:00"))
            if parsed.tzinfo is None:
                return None
            when = parsed.astimezone(dt.UTC)
        except (UnicodeDecodeError, ValueError, OverflowError):
            return None
        if when > limit and field != b"watched_at":
            taken.append(when - SKEW_ALLOWED)
        elif when > now:
            ahead.append(when)
    return min(taken + ahead) if taken else FOREVER


def _times_from(earliest: bytes) -> re.Pattern[bytes]:
    """Every time field whose value `reach_of` must look at: one whose fifth byte is
    no "-" (not a date: it must parse, or the file cannot be judged), or whose first ten
    bytes are not before `earliest` (a date). The old dates, nearly all of a big file's
    hundred thousand, are passed over by the pattern itself rather than one by one in
    Python (200 ms for 60,000 viewings)."""
    # Bytes >= earliest, as byte strings compare: equal up to some byte, then a greater
    # one (any rest), or all ten equal. No value holds a '"' (the pattern stops there),
    # and every byte of `earliest` is above it.
    later = [
        re.escape(earliest[:i]) + b"[" + re.escape(bytes([earliest[i] + 1])) + b"-\xff]"
        for i in range(len(earliest))
        if earliest[i] < 0xFF
    ]
    not_before = b"(?:" + b"|".join([*later, re.escape(earliest)]) + b")"
    return re.compile(_FIELDS + b'((?![^"]{4}-)[^"]*|' + not_before + b'[^"]*)"')
