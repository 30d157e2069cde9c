"""Whether a progress file's meaning can change with the clock alone.

Reading takes a time stamped more than a day after now as now (`records.taken_as_now`),
so a file that holds such a time reads differently once the clock catches up with it.
A summary worked out from the file (`watching/summary.py`) may be kept only when it
holds none. Looked for in the bytes, without reading the file again.
"""

from __future__ import annotations

import datetime as dt
import re

from tracker_tui.domain.progress.records import SKEW_ALLOWED

# The times a reader takes as now when far ahead (`clamped_time`; a viewing's watched_at
# is kept as written). Field names and values as written: see the escape check below.
_CLAMPED = re.compile(rb'"(?:epoch|changed_at|logged_at|cleared_at)"\s*:\s*"([^"]*)"')


def may_be_taken_as_now(raw: bytes, now: dt.datetime) -> bool:
    """Whether reading `raw` at `now` or later might take one of its times as now: True
    for any such time more than a day ahead of `now`, and for any this cannot judge."""
    if b"\\u" in raw:
        return True  # an escaped character could hide a field or a time from the pattern
    # An offset moves a time by less than a day, so a time written as of a day before
    # yesterday (UTC) or earlier cannot be ahead of now + 1 day: most times are skipped
    # by comparing the text of their date.
    earliest = (now - dt.timedelta(days=2)).date().isoformat().encode("ascii")
    limit = now + SKEW_ALLOWED
    for value in _CLAMPED.findall(raw):
        if value[4:5] == b"-" and value[:10] < earliest:
            continue
        try:
            parsed = dt.datetime.fromisoformat(value.decode("ascii").replace("Z", "+00:00"))
            if parsed.tzinfo is not None and parsed.astimezone(dt.UTC) > limit:
                return True
        except (UnicodeDecodeError, ValueError, OverflowError):
            return True
    return False
