"""The `t` stats screen: a year's heatmap and weekly chart, then totals, streaks, top
shows, ratings, completion and stalled shows, all from the app's `watching/stats.StatsTally`.

The app hands the screen this year's numbers when little changed since the last count
(counted in the key's handler); otherwise, and for other years, the screen counts them
in a thread. A year seen once stays counted while the screen is open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Sparkline, Static
from textual.worker import Worker, WorkerState

from tracker_tui.domain.catalog.dates import MIN_YEAR
from tracker_tui.domain.watching.stats import Stats
from tracker_tui.tui.keys import key_hint
from tracker_tui.tui.screens.kept_screen import KeptScreen
from tracker_tui.tui.widgets import stats_sections as sections
from tracker_tui.tui.widgets.heatmap import LABEL_WIDTH, HeatMap

Counter = Callable[[int], Stats]
"""Counts the stats of one year (of what the app shows now, unsaved changes included)."""

SECTIONS = ("totals", "months", "ratings", "streaks", "top", "completion", "stalled")
"""The sections under the year, in order."""

WIDE = 110
"""From this many columns the sections sit two by two."""


def quoted(key: str) -> str:
    """A key's name as markup text: `[` would open a tag."""
    return key.replace("\\", "\\\\").replace("[", "\\[")


class StatsScreen(KeptScreen[None]):
    """Fills the terminal; dismisses with None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the scrolling area would take left and right for itself.
        Binding(
            "left,left_square_bracket",
            "previous_year",
            "Year before",
            key_display="[",
            tooltip="Show the year before.",
            id="stats.previous_year",
            priority=True,
        ),
        Binding(
            "right,right_square_bracket",
            "next_year",
            "Year after",
            key_display="]",
            tooltip="Show the year after.",
            id="stats.next_year",
            priority=True,
        ),
        Binding("escape,q,t", "close", "Close", tooltip="Close the stats.", id="stats.close"),
    ]

    @dataclass
    class Counted(Message):
        """A year's stats, counted in the screen's thread."""

        year: int
        stats: Stats

    year: reactive[int] = reactive(0, init=False)
    """The year on screen (the heatmap's, the chart's)."""

    def __init__(self, count: Counter, this_year: int, counted: Stats | None = None) -> None:
        """`counted`: this year's stats if already counted (else the screen counts them)."""
        super().__init__()
        self.count = count
        self.this_year = this_year
        """The local year now: the screen opens on it and never goes past it."""
        self.counted: dict[int, Stats] = {} if counted is None else {this_year: counted}
        """Each year counted while the screen is open."""
        self.stats: Stats | None = None
        """What the screen shows; None until the first count lands."""
        self.drawn: dict[str, object] = {}
        """What each part of the screen was last drawn from: a part whose numbers did not
        change is left as it is (an update lays the screen out again)."""
        self.set_reactive(StatsScreen.year, this_year)
        self.counted_for: object = None
        """What the app counted these stats from (it decides when they are out of date)."""

    def compose(self) -> ComposeResult:
        if self.year not in self.counted:
            self.count_year(self.year)  # at once: the count is most of the wait
        with Vertical(id="stats-body") as body:
            body.border_title = "Stats"
            yield Static(Text("Counting your viewings…"), id="stats-title")
            with VerticalScroll(id="stats-scroll"):
                yield Static(id="stats-message")
                with Vertical(id="stats-year"):
                    yield HeatMap(id="stats-heatmap")
                    yield Static(id="stats-note")
                    yield Static(Text("Viewings per week", style="bold"), id="stats-weeks-title")
                    yield Sparkline([], id="stats-weeks")
                    yield Static(id="stats-weeks-months")
                with Grid(id="stats-grid"):
                    # Wide, side by side in pairs under the totals: like with like.
                    for name in SECTIONS:
                        yield Static(id=f"stats-{name}", classes="stats-section")
            yield Static(self.key_line(), id="stats-keys")

    def recount(self, count: Counter, this_year: int, counted: Stats | None = None) -> None:
        """Opened again after a change, on this year: draw `counted` (this year's stats,
        if already counted), else count afresh; until the count lands the title says so
        and the old numbers stay (swapped in one frame)."""
        self.count, self.this_year = count, this_year
        self.set_reactive(StatsScreen.year, this_year)
        if counted is not None:
            self.counted = {this_year: counted}
            self.show(counted)
        else:
            self.counted = {}
            self.stats = None
            self.put("title", Text("Counting your viewings…"))
            self.count_year(this_year)
        self.reopen()

    def reopen(self) -> None:
        """Opened again: on this year, scrolled to the top, the focus on the scroll."""
        if self.year != self.this_year:
            self.year = self.this_year
        scroll = self.query_one("#stats-scroll")
        if scroll.scroll_y:
            scroll.scroll_home(animate=False)
        if self.focused is not scroll:  # focus() draws the scroll again
            scroll.focus()

    def key_line(self) -> str:
        """The screen's keys as a line of links (a Footer costs a tenth of the opening)."""
        links = [
            ("previous_year", "stats.previous_year", "[", "year before"),
            ("next_year", "stats.next_year", "]", "year after"),
            ("close", "stats.close", "escape", "close"),
        ]
        return "   ".join(
            f"[@click=screen.{action}][b]{quoted(key_hint(self, key_id, key))}[/b] {words}[/]"
            for action, key_id, key, words in links
        )

    def on_mount(self) -> None:
        self.query_one("#stats-scroll").focus()
        counted = self.counted.get(self.year)
        if counted is not None:
            self.show(counted)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")
        if self.stats is not None:
            self.call_after_refresh(self.show_weeks, self.stats)

    def watch_year(self, year: int) -> None:
        stats = self.counted.get(year)
        if stats is not None:
            self.show(stats)
        else:
            self.count_year(year)

    @work(
        thread=True,
        exclusive=True,
        group="stats",
        description="Counting stats",
        exit_on_error=False,
    )
    def count_year(self, year: int) -> None:
        self.post_message(self.Counted(year, self.count(year)))

    @on(Worker.StateChanged)
    def report_failed_count(self, event: Worker.StateChanged) -> None:
        """A count that fails (a bug) says so on the screen rather than ending the app."""
        if event.worker.group == "stats" and event.state is WorkerState.ERROR:
            error = event.worker.error
            self.put("title", Text(f"The stats could not be counted: {error}", style="bold"))

    @on(Counted)
    def take_count(self, message: Counted) -> None:
        """Keep the year's stats, and show them if that year is still the one asked for."""
        self.counted[message.year] = message.stats
        if message.year == self.year:
            self.show(message.stats)

    # --- moving between years ------------------------------------------------------

    def first_year(self) -> int:
        """The earliest year to show: the first with a viewing of known time (never
        before MIN_YEAR), or this year when there is none."""
        first = self.stats.first_watched if self.stats is not None else None
        return max(MIN_YEAR, first.year) if first is not None else self.this_year

    def action_previous_year(self) -> None:
        """The year before, back to the first with a viewing (known once a count lands:
        before, nothing to say)."""
        if self.stats is None:
            return
        if self.year > self.first_year():
            self.year -= 1
        else:
            self.notify(f"No viewings before {self.year}.", markup=False, timeout=2)

    def action_next_year(self) -> None:
        """The year after, up to this one."""
        if self.year < self.this_year:
            self.year += 1
        else:
            self.notify(f"{self.year} is this year.", markup=False, timeout=2)

    def action_close(self) -> None:
        self.dismiss(None)

    # --- drawing ----------------------------------------------------------------------

    def show(self, stats: Stats) -> None:
        """Draw `stats` (of `self.year`): only the parts whose numbers changed, so after a
        mark the screen lays out and paints what the mark moved, not every section."""
        self.stats = stats
        year = stats.year
        has_year = stats.year_has_data
        if not stats.has_viewings:
            space = key_hint(self, "toggle_watched", "space")
            import_key = key_hint(self, "import_history", "I")
            self.put("title", Text("Stats", style="bold"))
            self.put(
                "message",
                Text(
                    f"No viewings yet: mark an episode watched with {space}, "
                    f"or import your history with {import_key}.",
                    style="italic",
                ),
            )
            self.query_one("#stats-message").display = True
            self.remove_class("-counted")
            return
        days = sum(1 for count in year.days if count)
        head = Text(f"{year.year}", style="bold")
        if has_year:
            head.append(
                f"  {sections.plural(year.total, 'viewing', 'viewings')} on "
                f"{sections.plural(days, 'day', 'days')} (local time)"
            )
        self.put("title", head)
        self.put("message", self.year_message(stats))
        self.query_one("#stats-message").display = not has_year
        heatmap = self.query_one(HeatMap)
        if heatmap.today != stats.today:
            heatmap.today = stats.today
            heatmap.refresh()
        heatmap.activity = year  # a reactive: drawn again only if another year's or changed
        note = stats.unknown_time_note()
        self.put("note", Text(f"({note})" if note else "", style="dim"))
        self.query_one("#stats-note").display = note is not None
        for name in ("#stats-weeks-title", "#stats-weeks", "#stats-weeks-months"):
            self.query_one(name).display = has_year
        self.call_after_refresh(self.show_weeks, stats)  # as wide as the heatmap's days
        rate = key_hint(self, "rate", "r")
        for name, text in (
            ("totals", sections.totals(stats)),
            ("months", sections.months(stats)),
            ("streaks", sections.streaks(stats)),
            ("top", sections.top_shows(stats)),
            ("ratings", sections.ratings(stats, rate)),
            ("completion", sections.completion(stats)),
            ("stalled", sections.stalled(stats)),
        ):
            text.rstrip()  # the grid's gutter spaces the sections
            self.put(name, text)
        self.add_class("-counted")  # the year and the sections, hidden until now

    def put(self, name: str, text: Text) -> None:
        """Show `text` in the Static `#stats-{name}`, unless it shows that already."""
        if self.drawn.get(name) != text:
            self.drawn[name] = text
            self.query_one(f"#stats-{name}", Static).update(text)

    def year_message(self, stats: Stats) -> Text:
        """What a year with no viewing says, and where the viewings are."""
        text = Text(f"No viewings in {stats.year.year}", style="bold")
        last = stats.last_watched
        if last is not None and last.year < stats.year.year:
            before = key_hint(self, "stats.previous_year", "[")
            text.append(f": the latest are in {last.year} ({before} goes back).")
        elif stats.first_watched is None:
            text.append(": none of your viewings has a known time.")
        else:
            text.append(".")
        return text

    def show_weeks(self, stats: Stats) -> None:
        """The weekly chart under the heatmap, a column per week as wide as its days (so
        once the heatmap has its size)."""
        heatmap = self.query_one(HeatMap)
        weeks = stats.year.weeks
        width = heatmap.cell_width(len(weeks))
        if self.drawn.get("weeks") == (weeks, width, stats.year.year):
            return
        self.drawn["weeks"] = (weeks, width, stats.year.year)
        chart = self.query_one(Sparkline)
        chart.styles.width = len(weeks) * width
        chart.data = [count for count in weeks for _ in range(width)]
        months = " " * LABEL_WIDTH + HeatMap.month_labels(stats.year, width)
        self.put("weeks-months", Text(months, style="dim"))
