"""A year of viewings as a GitHub-style heatmap: a column per week, a row per weekday.

Each day is one terminal cell (two where the widget is wide enough), coloured by the
theme in five levels and drawn with a glyph per level too, so it reads without colour
(NO_COLOR) as well.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget

from tracker_tui.domain.watching.stats import YearActivity

LEVEL_GLYPHS = "·░▒▓█"
"""Level 0 (no viewing) to 4 (the busiest days): distinct without colour."""
LEVELS = len(LEVEL_GLYPHS)
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LABEL_WIDTH = 4
"""The weekday names' column, with its space."""


def day_level(count: int, busiest: int) -> int:
    """0 for no viewing, else 1 to 4 by the share of the busiest day's count, so any
    viewing shows at least as level 1."""
    if count <= 0 or busiest <= 0:
        return 0
    return min(LEVELS - 1, max(1, -(-(LEVELS - 1) * count // busiest)))


class HeatMap(Widget):
    """The heatmap of `activity`; days after `today` are left blank."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "heatmap--label",
        "heatmap--level-0",
        "heatmap--level-1",
        "heatmap--level-2",
        "heatmap--level-3",
        "heatmap--level-4",
    }

    DEFAULT_CSS = """
    HeatMap {
        height: 9;
        width: 1fr;
    }
    HeatMap > .heatmap--label {
        color: $text-muted;
    }
    HeatMap > .heatmap--level-0 {
        color: $text-muted 40%;
    }
    HeatMap > .heatmap--level-1 {
        color: $success 40%;
    }
    HeatMap > .heatmap--level-2 {
        color: $success 65%;
    }
    HeatMap > .heatmap--level-3 {
        color: $success 85%;
    }
    HeatMap > .heatmap--level-4 {
        color: $success;
    }
    """

    activity: reactive[YearActivity | None] = reactive(None, repaint=False)
    """The year to draw; None draws nothing. Drawn again only when a day's level changes
    (`watch_activity`): a mark changes a count, and seldom a level."""

    def __init__(
        self,
        activity: YearActivity | None = None,
        today: dt.date | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.today = today
        """Days after it have not happened yet: blank, not "no viewing"."""
        self.set_reactive(HeatMap.activity, activity)

    def watch_activity(self, old: YearActivity | None, new: YearActivity | None) -> None:
        if self.picture(old) != self.picture(new):
            self.refresh()

    @staticmethod
    def picture(activity: YearActivity | None) -> tuple[int, tuple[int, ...]] | None:
        """What the map shows of `activity`: its year and each day's level."""
        if activity is None:
            return None
        busiest = max(activity.days, default=0)
        return activity.year, tuple(day_level(count, busiest) for count in activity.days)

    def cell_width(self, weeks: int) -> int:
        """Two cells a day where they fit, else one."""
        return 2 if self.size.width >= LABEL_WIDTH + 2 * weeks else 1

    def render(self) -> Text:
        activity = self.activity
        if activity is None:
            return Text()
        weeks = len(activity.weeks)
        width = self.cell_width(weeks)
        styles = [self.get_component_rich_style(f"heatmap--level-{n}") for n in range(LEVELS)]
        label = self.get_component_rich_style("heatmap--label")
        busiest = max(activity.days, default=0)
        offset = activity.first_day.weekday()
        grid = [[" " * width] * weeks for _ in DAY_NAMES]
        cell_styles: list[list[Style | None]] = [[None] * weeks for _ in DAY_NAMES]
        for index, count in enumerate(activity.days):
            day = activity.first_day + dt.timedelta(days=index)
            if self.today is not None and day > self.today:
                continue
            level = day_level(count, busiest)
            column, row = divmod(index + offset, 7)
            grid[row][column] = LEVEL_GLYPHS[level] * width
            cell_styles[row][column] = styles[level]
        text = Text(no_wrap=True, overflow="crop")
        text.append(" " * LABEL_WIDTH + self.month_labels(activity, width) + "\n", style=label)
        for row, name in enumerate(DAY_NAMES):
            text.append(name.ljust(LABEL_WIDTH), style=label)
            # A run of days of one level is one span: turning spans into cells is most of
            # the cost of drawing the map.
            cells, styles_here = grid[row], cell_styles[row]
            for style, columns in groupby(range(weeks), key=styles_here.__getitem__):
                text.append("".join(cells[column] for column in columns), style=style or "")
            text.append("\n")
        text.append(" " * LABEL_WIDTH + "less ", style=label)
        for level in range(LEVELS):
            text.append(LEVEL_GLYPHS[level] * width, style=styles[level])
            text.append(" " if width == 2 else "")
        text.append(" more", style=label)
        return text

    def day_at(self, x: int, y: int) -> dt.date | None:
        """The day drawn at a point of the widget, if any (not a label, not after today)."""
        activity = self.activity
        if activity is None or not 1 <= y <= len(DAY_NAMES) or x < LABEL_WIDTH:
            return None
        column = (x - LABEL_WIDTH) // self.cell_width(len(activity.weeks))
        index = column * 7 + y - 1 - activity.first_day.weekday()
        if not 0 <= index < len(activity.days):
            return None
        day = activity.first_day + dt.timedelta(days=index)
        return None if self.today is not None and day > self.today else day

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Pointing at a day says its date and count."""
        day = self.day_at(event.x, event.y)
        if day is None or self.activity is None:
            self.tooltip = None
            return
        count = self.activity.days[(day - self.activity.first_day).days]
        self.tooltip = f"{day:%a %d %b %Y}: {count:,} viewing{'s' * (count != 1)}"

    @staticmethod
    def month_labels(activity: YearActivity, width: int) -> str:
        """Each month's name above the week holding its 1st: its initial, or at two cells a
        day its three letters (a month is over four weeks, so they never collide)."""
        line = [" "] * (len(activity.weeks) * width + 3)
        for month in range(1, 13):
            first = dt.date(activity.year, month, 1)
            name = first.strftime("%b") if width == 2 else first.strftime("%b")[0]
            start = activity.week_of(first) * width
            line[start : start + len(name)] = name
        return "".join(line).rstrip()
