"""Upcoming releases (`c`): every scheduled season and future air date of every show,
soonest first, each date at its real precision; enter or a click goes to the show.

No "this week / this month / later" headings: a date known only to the year sorts after
every day of that year (the domain's order), so headings by nearness would split the
list out of that order; the WHEN column's countdown says how near a day-precise date is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tracker_tui.domain.catalog.dates import Precision
from tracker_tui.domain.catalog.upcoming import Release, countdown
from tracker_tui.tui.keys import key_hint
from tracker_tui.tui.widgets.key_bar import KeyBar
from tracker_tui.tui.widgets.lists import VimOptionList

HEADINGS = ("DATE", "WHEN", "SHOW", "WHAT", "SOURCE")
OUT_OF_DATE = "⚠ out of date?"
"""The WHEN of a release whose date has passed with no report that it came out."""
DISPUTED = "⚠"
"""After the WHAT of a release whose date is one side of a disagreement."""
GAP = 2


def release_what(release: Release) -> str:
    """`S2 premiere` or `S2E3`: short, for 80 columns (the detail line says it in full)."""
    if release.episode is None:
        return f"S{release.season} premiere"
    return f"S{release.season}E{release.episode}"


def release_when(release: Release, today: dt.date) -> str:
    """The countdown to a day-precise date, or the out-of-date mark."""
    return OUT_OF_DATE if release.possibly_out_of_date else countdown(release.date, today)


def release_detail(release: Release, today: dt.date) -> Text:
    """Everything about one release in words, for the line under the list: the row's
    SHOW and SOURCE may be cut short at 80 columns."""
    date = release.date
    precision = {
        Precision.DAY: "",
        Precision.MONTH: ", known only to the month",
        Precision.YEAR: ", known only to the year",
    }[date.precision]
    text = Text()
    text.append(release.show_title, style="bold")
    text.append(f", {release.what}: {date.human()}{precision}")
    if when := countdown(date, today):
        text.append(f" ({when})")
    text.append(". ")
    if release.possibly_out_of_date:
        text.append("Possibly out of date", style="bold")
        text.append(": the date has passed and no later report says it came out. ")
    if release.disputed:
        text.append("Disputed", style="bold")
        text.append(": the sources disagree about it. ")
    text.append(f"Source: {release.source_label}.", style="dim")
    return text


@dataclass(frozen=True)
class Columns:
    """Every column's width but SHOW's and SOURCE's, the same for the heading and every
    row; those two share what the terminal has left (see `split`)."""

    date: int
    when: int
    what: int
    show: int
    """The longest show title: SHOW never takes more."""
    source: int
    """The longest source."""

    @classmethod
    def fit(cls, rows: Sequence[tuple[str, str, str, str, str]]) -> Columns:
        every = [HEADINGS, *rows]
        date, when, show, what, source = (
            max(len(row[column]) for row in every) for column in range(len(HEADINGS))
        )
        return cls(date=date, when=when, what=what, show=show, source=source)

    def split(self, width: int) -> tuple[int, int]:
        """SHOW's and SOURCE's widths in `width` columns: each in full where they fit;
        else the show keeps at least three fifths of the room (a title says more than a
        source, which the detail line gives in full)."""
        room = max(width - self.date - self.when - self.what - 4 * GAP, 2)
        show = min(self.show, max(room - self.source, room * 3 // 5))
        return show, room - show

    def line(self, cells: Sequence[Text]) -> ColumnsLine:
        """One row (or the heading), laid out at whatever width it is drawn."""
        return ColumnsLine(self, tuple(cells))


@dataclass(frozen=True)
class ColumnsLine:
    """A Rich renderable: one line of cells in `columns`, SHOW and SOURCE cut with …
    to the width it is given (the list redraws its rows when the terminal resizes)."""

    columns: Columns
    cells: tuple[Text, ...]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        columns = self.columns
        show, source = columns.split(options.max_width)
        grid = Table.grid(padding=(0, GAP, 0, 0))
        for width in (columns.date, columns.when, show, columns.what, source):
            grid.add_column(width=width, no_wrap=True, overflow="ellipsis")
        grid.add_row(*self.cells)
        yield grid


def release_cells(release: Release, today: dt.date) -> tuple[str, str, str, str, str]:
    what = release_what(release) + (f" {DISPUTED}" if release.disputed else "")
    return (
        release.date.human(),
        release_when(release, today),
        release.show_title,
        what,
        release.source_label,
    )


class UpcomingScreen(ModalScreen[Release | None]):
    """Lists `releases` (`upcoming()`'s order); dismisses with the release whose show to
    go to, or None when closed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # A priority binding, so the footer shows it over the list's own enter (select).
        Binding(
            "enter",
            "go_to_show",
            "Go to show",
            priority=True,
            tooltip="Go to the highlighted release's show, at its season or episode.",
            id="upcoming.go_to_show",
        ),
        Binding(
            "escape,c",
            "dismiss(None)",
            "Close",
            tooltip="Close the upcoming releases.",
            id="upcoming.close",
        ),
    ]

    def __init__(self, releases: Sequence[Release], today: dt.date) -> None:
        super().__init__()
        self.releases = list(releases)
        """Every release to list, soonest first."""
        self.today = today
        """The user's local date, that countdowns count from."""

    def compose(self) -> ComposeResult:
        cells = [release_cells(release, self.today) for release in self.releases]
        columns = Columns.fit(cells)
        with Vertical(id="upcoming-body") as body:
            count = len(self.releases)
            body.border_title = Content("Upcoming releases")
            if count:
                body.border_subtitle = Content(
                    f"{count} release{'s' * (count != 1)}, soonest first"
                )
            heading = [Text(name, style="bold") for name in HEADINGS]
            yield Static(columns.line(heading), id="upcoming-heading")
            yield VimOptionList(
                *(
                    Option(columns.line([self._cell(i, n, cell) for n, cell in enumerate(row)]))
                    for i, row in enumerate(cells)
                ),
                id="upcoming-list",
            )
            yield Static(self._empty_text(), id="upcoming-empty", classes="empty")
            yield Static("", id="upcoming-detail")
        yield KeyBar()

    def _cell(self, index: int, column: int, text: str) -> Text:
        """A cell, styled: the out-of-date mark stands out, the source is dim."""
        if column == 1 and self.releases[index].possibly_out_of_date:
            return Text(text, style="bold")
        if column == 4:
            return Text(text, style="dim")
        return Text(text)

    def _empty_text(self) -> Text:
        edit = key_hint(self, "edit_show", "e")
        return Text(
            "Nothing scheduled: no show has a future release date.\n\n"
            f"Add one to your own show with {edit} (edit): under Episodes, a line such as "
            "s2e1 | Title | 2027-03-14 (a date may be a day, 2027-03 or just 2027). For a "
            "bundled show it goes into your own notes for it, apart from the cited data."
        )

    def on_mount(self) -> None:
        listed = bool(self.releases)
        for selector in ("#upcoming-heading", "#upcoming-list", "#upcoming-detail"):
            self.query_one(selector).display = listed
        self.query_one("#upcoming-empty").display = not listed
        releases = self.query_one(VimOptionList)
        if listed:
            releases.highlighted = 0
            releases.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """With nothing listed there is no show to go to: the footer leaves the key out."""
        return action != "go_to_show" or bool(self.releases)

    @property
    def highlighted_release(self) -> Release | None:
        """The release under the list's cursor, if any."""
        index = self.query_one(VimOptionList).highlighted
        return self.releases[index] if index is not None and self.releases else None

    @on(OptionList.OptionHighlighted, "#upcoming-list")
    def describe_highlighted(self) -> None:
        """Say everything about the highlighted release under the list."""
        release = self.highlighted_release
        if release is not None:
            self.query_one("#upcoming-detail", Static).update(release_detail(release, self.today))

    @on(OptionList.OptionSelected, "#upcoming-list")
    def go_to_clicked(self) -> None:
        """A click on a release goes to its show, as enter does."""
        self.action_go_to_show()

    def action_go_to_show(self) -> None:
        """Close, handing the highlighted release to the app, which makes its show current."""
        release = self.highlighted_release
        if release is not None:
            self.dismiss(release)
