"""The history list: days and their viewings, drawn line by line so 50,000 rows cost
only the lines on screen (a ScrollView on the Line API, as toolong's log lines)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tracker_tui.domain.progress.records import HistoryEntry

UNKNOWN_TIME = "Time unknown"
"""The last group's heading: viewings whose time nobody knows (imports stamp them at
1970-01-01)."""

HistoryLine = HistoryEntry | str
"""A line of the list: an entry, or a heading (a str) above a day's entries."""


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""The names strftime's %A and %B give in the C locale (Python's unless it is set), by
table: strftime took a quarter of listing an imported history's 5,000 days."""


def day_heading(day: dt.date) -> str:
    """ "Saturday 21 November 2026"."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def local_midnight(day: dt.date) -> dt.datetime:
    """When `day` begins in the user's local time zone, in UTC (as entries' times are:
    two times in the same zone compare without asking either zone its offset).

    Through timestamp(), not astimezone(): where summer time starts at midnight
    (Santiago, Havana, Beirut, Cairo) 00:00 never happens, and astimezone() puts it an
    hour early, at 23:00 the evening before; timestamp() gives the jump, when the day
    does begin (as `watching/stats.py` finds local days)."""
    start = dt.datetime.combine(day, dt.time()).timestamp()
    return dt.datetime.fromtimestamp(start, dt.UTC)


def history_lines(entries: Iterable[HistoryEntry]) -> list[HistoryLine]:
    """The entries (newest first) with a heading above each local day's; viewings of
    unknown time last, under UNKNOWN_TIME.

    Entries come newest first, so a day's entries follow one another: an entry is on the
    day above it unless it is before that day's local midnight. That is one comparison
    per entry, and a time zone conversion per day, not per entry (50,000 conversions
    would take longer than the list takes to draw).
    """
    lines: list[HistoryLine] = []
    unknown: list[HistoryLine] = []
    day_start: dt.datetime | None = None
    for entry in entries:
        if not entry.time_known:
            unknown.append(entry)
            continue
        if day_start is None or entry.at < day_start:
            day = entry.at.astimezone().date()
            day_start = local_midnight(day)
            lines.append(day_heading(day))
        lines.append(entry)
    if unknown:
        lines.append(UNKNOWN_TIME)
        lines.extend(unknown)
    return lines


def entry_time(entry: HistoryEntry) -> str:
    """The local time of day, or a dash where it is not known."""
    return entry.at.astimezone().strftime("%H:%M") if entry.time_known else "  –  "


def event_word(entry: HistoryEntry) -> str:
    return "watched" if entry.event == "watched" else "unwatched"


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells, cut with an ellipsis when longer."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


class LineLook(NamedTuple):
    """The styles a line is drawn with, worked out once per change of style (each is a
    walk up the widget tree), not once per line."""

    base: Style
    heading: Style
    cursor: Style
    muted: Style
    """Its colour only, blended with the background ($text-muted is translucent)."""


KEPT_LINES = 1_000
"""Drawn lines kept for drawing again (a reopening, a cursor move, a scroll back)."""


class HistoryList(ScrollView, can_focus=True):
    """Headings and entries; the cursor rests on entries only. Enter, or a click on the
    highlighted row (or a double click), posts `Selected`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "history-list--heading",
        "history-list--cursor",
        "history-list--muted",
    }

    DEFAULT_CSS = """
    HistoryList {
        background: $surface;
    }
    HistoryList > .history-list--heading {
        color: $text-accent;
        text-style: bold;
    }
    HistoryList > .history-list--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    HistoryList:focus > .history-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    HistoryList > .history-list--muted {
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, tooltip="Move up.", id="history.up"),
        Binding(
            "down,j", "cursor_down", "Down", show=False, tooltip="Move down.", id="history.down"
        ),
        Binding(
            "pageup", "page_up", "Page up", show=False, tooltip="A page up.", id="history.page_up"
        ),
        Binding(
            "pagedown",
            "page_down",
            "Page down",
            show=False,
            tooltip="A page down.",
            id="history.page_down",
        ),
        Binding("home", "first", "First", show=False, tooltip="The newest.", id="history.first"),
        Binding("end", "last", "Last", show=False, tooltip="The oldest.", id="history.last"),
        Binding(
            "enter",
            "select",
            "Go to",
            tooltip="Go to the highlighted episode on the main screen.",
            id="history.open",
        ),
    ]

    cursor: var[int | None] = var(None, init=False)
    """The highlighted line (always an entry), or None when the list has no entry."""

    class Selected(Message):
        """Enter or a click chose an entry."""

        def __init__(self, history_list: HistoryList, entry: HistoryEntry) -> None:
            super().__init__()
            self.history_list = history_list
            self.entry = entry
            """The chosen viewing or unmark."""

        @property
        def control(self) -> HistoryList:
            return self.history_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: Sequence[HistoryLine] = ()
        """What the list shows, top to bottom."""
        self.titles: Mapping[str, str] = {}
        self.title_width = 0
        self.look: LineLook | None = None
        """The styles lines are drawn with; None once a style changed, until the next line."""
        self.drawn: LRUCache[tuple[int, bool], Strip] = LRUCache(KEPT_LINES)
        """Lines drawn, by index and whether the cursor is on them, while the lines, the
        width and the look are those of `drawn_for`."""
        self.drawn_for: tuple[int, LineLook | None] = (0, None)

    # --- content ---------------------------------------------------------------------

    def show_lines(
        self,
        lines: Sequence[HistoryLine],
        titles: Mapping[str, str],
        title_width: int,
        near: int | None,
    ) -> None:
        """Show `lines`, each show named by `titles` in a column `title_width` cells wide
        (less if the list is narrower); the cursor goes to the entry at or after line
        `near` (None: the first), else the one before it."""
        same = lines is self.lines and titles is self.titles and title_width == self.title_width
        if not same:  # a reopening hands the very same lists again
            self.lines, self.titles, self.title_width = lines, titles, title_width
            self.drawn.clear()
            self.virtual_size = Size(self.size.width, len(lines))
        start = min(near or 0, len(lines) - 1)
        cursor = self._entry_from(start, 1) if lines else None
        if cursor is None and lines:
            cursor = self._entry_from(start, -1)
        moved = cursor != self.cursor
        self.set_reactive(HistoryList.cursor, cursor)
        if near is None and self.scroll_offset.y:
            self.scroll_to(y=0, animate=False, immediate=True)
        self._keep_cursor_in_view()
        if moved or not same:  # else the list is drawn as it is (a reopening)
            self.refresh()

    @property
    def highlighted_entry(self) -> HistoryEntry | None:
        line = self.lines[self.cursor] if self.cursor is not None else None
        return None if line is None or isinstance(line, str) else line

    def _entry_from(self, index: int, step: int) -> int | None:
        """The first entry line from `index` on, going by `step`."""
        while 0 <= index < len(self.lines):
            if not isinstance(self.lines[index], str):
                return index
            index += step
        return None

    # --- drawing ---------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.look = None

    def line_look(self) -> LineLook:
        """The styles lines are drawn with now."""
        if self.look is None:
            base = self.rich_style
            muted_colour = self.get_component_rich_style("history-list--muted").color
            self.look = LineLook(
                base,
                base + self.get_component_rich_style("history-list--heading"),
                base + self.get_component_rich_style("history-list--cursor"),
                base + Style(color=muted_colour),
            )
        return self.look

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        look = self.line_look()
        if self.drawn_for != (width, look):  # a restyle that changed nothing keeps them
            self.drawn.clear()
            self.drawn_for = (width, look)
        index = self.scroll_offset.y + y
        if index >= len(self.lines):
            return Strip.blank(width, look.base)
        key = (index, index == self.cursor)
        strip = self.drawn.get(key)
        if strip is None:
            strip = self.draw_line(index, width, look)
            self.drawn.set(key, strip)
        return strip

    def draw_line(self, index: int, width: int, look: LineLook) -> Strip:
        """Line `index` of the list, `width` cells wide."""
        base = look.base
        line = self.lines[index]
        if isinstance(line, str):
            return Strip([Segment(f" {line}", look.heading)]).crop_extend(0, width, base)
        if index == self.cursor:  # muted text would be hard to read on the cursor
            base = muted = look.cursor
        else:
            muted = look.muted
        code, event = line.key.code(), event_word(line)
        title = self.titles.get(line.key.show)  # None: no longer in the library
        room = width - 3 - 5 - 2 - 2 - 7 - 2 - len("unwatched") - 1
        title_width = max(8, min(self.title_width, room))
        segments = [
            Segment(f"   {entry_time(line)}  ", muted if not line.time_known else base),
            Segment(fit(title or line.key.show, title_width), base if title else muted),
            Segment(f"  {code:<7}  ", base),
            Segment(event, muted if line.event != "watched" else base),
        ]
        return Strip(segments).crop_extend(0, width, base)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.lines))

    # --- moving ----------------------------------------------------------------------

    def watch_cursor(self) -> None:
        self._keep_cursor_in_view()
        self.refresh()

    def _keep_cursor_in_view(self) -> None:
        """Scroll so the cursor shows, with its day's heading when that is just above."""
        if self.cursor is None:
            return
        height = max(1, self.scrollable_content_region.height)
        top = self.scroll_offset.y
        first = self.cursor
        if first and isinstance(self.lines[first - 1], str):
            first -= 1
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def _move(self, start: int, step: int) -> None:
        """The cursor to the first entry from `start` on by `step`; at an end, the last
        entry that way (or, going up, the top with its heading)."""
        if not self.lines:
            return
        start = max(0, min(start, len(self.lines) - 1))
        found = self._entry_from(start, step)
        if found is None:
            found = self._entry_from(start, -step)
        if found is not None:
            self.cursor = found
        if step < 0 and self._entry_from(0, 1) == self.cursor:
            self.scroll_to(y=0, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        """Move to the entry above."""
        self._move((self.cursor or 0) - 1, -1)

    def action_cursor_down(self) -> None:
        """Move to the entry below."""
        self._move(0 if self.cursor is None else self.cursor + 1, 1)

    def action_page_up(self) -> None:
        """A screenful up."""
        self._move((self.cursor or 0) - self.scrollable_content_region.height, -1)

    def action_page_down(self) -> None:
        """A screenful down."""
        self._move((self.cursor or 0) + self.scrollable_content_region.height, 1)

    def action_first(self) -> None:
        """The newest entry, with the top of the list in view."""
        self._move(0, 1)
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_last(self) -> None:
        """The oldest entry."""
        self._move(len(self.lines) - 1, -1)

    def action_select(self) -> None:
        """Enter: choose the highlighted entry."""
        entry = self.highlighted_entry
        if entry is not None:
            self.post_message(self.Selected(self, entry))

    def on_click(self, event: events.Click) -> None:
        """A click highlights an entry; a click on the highlighted one (or a double
        click) chooses it."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.scroll_offset.y + offset.y
        if not 0 <= index < len(self.lines) or isinstance(self.lines[index], str):
            return
        if index == self.cursor or event.chain > 1:
            self.cursor = index
            self.action_select()
        else:
            self.cursor = index
