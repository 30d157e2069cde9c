"""Upcoming releases as an RFC 5545 (iCalendar) feed, written by hand: all-day events.

Only day-precise releases become events: a date known to the month or year has no day
to put it on, and an event spanning a whole year would fill a calendar with noise.
`CalendarFeed.left_out` counts them so the command can say so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tracker_tui.domain.catalog.dates import Precision
from tracker_tui.domain.catalog.upcoming import Release

PRODID = "-//tracker-tui//upcoming releases//EN"
MAX_LINE_OCTETS = 75
"""RFC 5545 3.1: lines longer than this are folded (CRLF, then a space)."""


@dataclass(frozen=True, slots=True)
class CalendarFeed:
    """The calendar's text (CRLF line endings) and what went into it."""

    text: str
    events: int
    """Day-precise releases written as events."""
    left_out: int
    """Releases known only to the month or year, not written."""


def calendar_feed(releases: Iterable[Release], stamp: dt.datetime) -> CalendarFeed:
    """The feed of `releases` (as `upcoming.upcoming` gives them); `stamp` is now, for
    DTSTAMP. A second release with the same UID (the same episode from two files) is
    dropped: a calendar holds one event per UID."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    lines.append("X-WR-CALNAME:tracker: upcoming releases")
    seen: set[str] = set()
    left_out = 0
    dtstamp = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for release in releases:
        if release.date.precision is not Precision.DAY:
            left_out += 1
            continue
        if release.uid in seen:
            continue
        seen.add(release.uid)
        day = release.date.last_day()
        lines += [
            "BEGIN:VEVENT",
            f"UID:{release.uid}",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(f'{release.show_title}: {release.what}')}",
            f"DESCRIPTION:{escape_text(_description(release))}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    text = "".join(fold_line(line) + "\r\n" for line in lines)
    return CalendarFeed(text, len(seen), left_out)


def _description(release: Release) -> str:
    parts = [f"Source: {release.source_label}"]
    if release.possibly_out_of_date:
        parts.append("Possibly out of date.")
    if release.disputed:
        parts.append("Sources disagree.")
    return "\n".join(parts)


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Fold at 75 octets of UTF-8 (RFC 5545 3.1), never inside a character; each
    continuation line starts with a space, which counts toward its 75."""
    parts: list[str] = []
    current, size, limit = "", 0, MAX_LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, MAX_LINE_OCTETS - 1
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)
