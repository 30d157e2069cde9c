"""The shows pane: every show with its progress, filterable by typing."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.visual import VisualType
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tracker_tui.domain.catalog.loader import matches_part
from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.progress.records import Progress
from tracker_tui.domain.watching.episodes import show_progress
from tracker_tui.tui.widgets.bars import progress_bar
from tracker_tui.tui.widgets.lists import VimOptionList


def show_prompt(show: Show, progress: Progress) -> Text:
    """Three lines, never wrapped: the title; a bar and the counts; the status and next episode."""
    summary = show_progress(show, progress)
    title = Text(show.title, style="bold", no_wrap=True, overflow="ellipsis")
    status = summary.status.value
    if summary.known == 0 and summary.watched == 0 and show.seasons:
        # Nothing to watch yet: say where the latest season stands, in the catalog's word.
        latest = max(show.seasons, key=lambda season: season.number)
        status = latest.current_status.state.label
    details = progress_bar(summary.watched, summary.known, 10)
    if summary.known:
        details.append(f" {summary.watched}/{summary.known}")
    details.append(f"\n{status}", style="italic")
    if summary.next_episode:
        details.append(f" · next {summary.next_episode.code()}")
    return Text("\n", no_wrap=True, overflow="ellipsis").join([title, details])


ROW_HEIGHT = 3
"""Every show's row is three lines (title, bar, status), whatever the show."""

_PENDING = Text()
"""The prompt of a row not yet drawn."""


class ShowOption(Option):
    """A show's row. Its prompt is made when the row is first drawn, so a library of
    1,000 shows costs only the rows on screen."""

    def __init__(self, show: Show, progress: Progress) -> None:
        super().__init__(_PENDING, id=show.id)
        self.show = show
        self.progress = progress

    @property
    def prompt(self) -> VisualType:
        if self._prompt is _PENDING:
            self._prompt = show_prompt(self.show, self.progress)
        return self._prompt

    def outdated(self, progress: Progress) -> bool:
        """True when `progress` changed this show (a change copies only the shows it touches)."""
        return progress.show_records(self.show.id) is not self.progress.show_records(self.show.id)

    def forget_prompt(self, progress: Progress) -> None:
        self.progress = progress
        self._set_prompt(_PENDING)


class ShowList(VimOptionList):
    """The list of shows; j/k move like up/down.

    A virtual list: rows have a fixed height, so OptionList's layout never has to
    measure every prompt (it would make all 1,000 to learn their heights). This
    leans on two of OptionList's internals, `_update_lines` and `_line_cache`.
    """

    def _update_lines(self) -> None:
        if not self.scrollable_content_region:
            return
        cache = self._line_cache
        count = len(self.options)
        if len(cache.heights) != count:
            cache.lines = [(index, line) for index in range(count) for line in range(ROW_HEIGHT)]
            cache.heights = dict.fromkeys(range(count), ROW_HEIGHT)
            cache.index_to_line = {index: index * ROW_HEIGHT for index in range(count)}
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        virtual_size = Size(width, len(cache.lines))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return ROW_HEIGHT * len(self.options)

    def update_progress(self, progress: Progress) -> None:
        """Redraw only the rows of shows whose progress changed."""
        changed = False
        for option in self.options:
            if isinstance(option, ShowOption) and option.outdated(progress):
                option.forget_prompt(progress)
                changed = True
        if changed:
            self._clear_caches()
            self.refresh()


class ShowsPane(Vertical):
    """Shows, each with a progress bar; `/` opens a filter."""

    BORDER_TITLE = "Shows"

    class Chosen(Message):
        """The highlighted show changed."""

        def __init__(self, show_id: str) -> None:
            super().__init__()
            self.show_id = show_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shows: list[Show] = []
        self._progress = Progress.empty()
        self._filter = ""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            show=False,
            tooltip="Clear the filter and show every show.",
            id="shows.clear_filter",
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Input(placeholder="type to filter", id="show-filter")
        yield Static("", id="shows-empty", classes="empty")
        yield ShowList(id="show-list")

    @property
    def show_list(self) -> ShowList:
        return self.query_one(ShowList)

    @property
    def highlighted_id(self) -> str | None:
        option = self.show_list.highlighted_option
        return option.id if option else None

    def visible_ids(self) -> list[str]:
        return [option.id for option in self.show_list.options if option.id]

    def refresh_shows(self, shows: list[Show], progress: Progress, selected: str | None) -> None:
        """Rebuild the rows, keeping `selected` highlighted."""
        self._shows, self._progress = shows, progress
        wanted = self._filter.casefold()
        matching = [show for show in shows if matches_part(show, wanted)]
        show_list = self.show_list
        show_list.set_options(ShowOption(show, progress) for show in matching)
        empty = self.query_one("#shows-empty", Static)
        if not matching:
            empty.update(Text(f"No shows match “{self._filter}”." if shows else "No shows."))
        empty.display = not matching
        show_list.display = bool(matching)
        ids = [show.id for show in matching]
        if ids:
            show_list.highlighted = ids.index(selected) if selected in ids else 0

    def update_progress(self, progress: Progress) -> None:
        """Progress changed: redraw the rows it touched, keep everything else."""
        self._progress = progress
        self.show_list.update_progress(progress)

    def select(self, show_id: str) -> None:
        ids = self.visible_ids()
        if show_id in ids:
            self.show_list.highlighted = ids.index(show_id)

    def open_filter(self) -> None:
        filter_input = self.query_one(Input)
        filter_input.display = True
        filter_input.focus()

    def close_filter(self) -> None:
        self.query_one(Input).display = False
        self.show_list.focus()

    def action_clear_filter(self) -> None:
        """Escape: empty the filter (typed now or kept earlier) and show every show."""
        filter_input = self.query_one(Input)
        if filter_input.display or self._filter:
            filter_input.value = ""
            self.close_filter()

    def _show_filter_in_border(self) -> None:
        """A kept filter hides its input: the border says what it is and how to clear it."""
        if self._filter:
            self.border_title = Content(f"Shows · /{self._filter}")
            self.border_subtitle = Content("esc clears")
        else:
            self.border_title = Content("Shows")
            self.border_subtitle = None

    @on(Input.Changed, "#show-filter")
    def apply_filter(self, event: Input.Changed) -> None:
        self._filter = event.value
        self._show_filter_in_border()
        self.refresh_shows(self._shows, self._progress, self.highlighted_id)
        if self.highlighted_id:
            self.post_message(self.Chosen(self.highlighted_id))

    @on(Input.Submitted, "#show-filter")
    def finish_filter(self) -> None:
        """Enter keeps the filter and returns to the list, unless nothing matches."""
        if self.visible_ids():
            self.close_filter()

    @on(OptionList.OptionHighlighted, "#show-list")
    def announce_highlight(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))
