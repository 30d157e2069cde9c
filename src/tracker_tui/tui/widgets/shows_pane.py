"""The shows pane: every show with its progress, filterable by typing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.visual import Visual
from textual.widgets import Input, Static

from tracker_tui.domain.catalog.loader import matches_part
from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.progress.model import ShowState
from tracker_tui.domain.progress.records import Progress
from tracker_tui.domain.watching.episodes import (
    WatchStatus,
    list_status,
    show_progress,
    status_label,
)
from tracker_tui.tui.keys import key_hint
from tracker_tui.tui.widgets.bars import progress_bar
from tracker_tui.tui.widgets.row_list import RowList

MIN_WIDTH = 31
"""Room for a row's bar, counts and "plan to watch · next S1E10" under a short title."""
MAX_WIDTH = 44
ROW_FRAME = 6
"""Columns around a title: the borders, the list's padding and its scrollbar."""


def show_prompt(show: Show, progress: Progress) -> Text:
    """Three lines, never wrapped: the title; a bar, the counts and the user's rating; the
    list status and next episode."""
    summary = show_progress(show, progress)
    title = Text(show.title, style="bold", no_wrap=True, overflow="ellipsis")
    status, hand_set = list_status(show, progress, summary)
    said = [status_label(status)]  # an archived show is listed only under "archived"
    if not hand_set and summary.status is WatchStatus.UP_TO_DATE:
        said.append("up to date")
    if summary.known == 0 and summary.watched == 0 and show.seasons:
        # Nothing to watch yet: say where the latest season stands, in the catalog's word.
        latest = max(show.seasons, key=lambda season: season.number)
        said.append(latest.current_status.state.label)
    lower_bound = not summary.total_known  # `21/21+`: the bar must not look full
    details = progress_bar(summary.watched, summary.known, 10, open_ended=lower_bound)
    if summary.known:
        details.append(f" {summary.watched}/{summary.known}{'+' if lower_bound else ''}")
    rating = progress.rating(show.id)
    if rating is not None:
        details.append(f" ★{rating}", style="bold")
    details.append(f"\n{' · '.join(said)}", style="italic")
    if summary.next_episode:
        details.append(f" · next {summary.next_episode.code()}")
    return Text("\n", no_wrap=True, overflow="ellipsis").join([title, details])


STATUS_FILTERS = (
    "all",
    "watching",
    "plan-to-watch",
    "on-hold",
    "dropped",
    "completed",
    "archived",
)
"""What the status filter cycles through, in order. "all" is every show not archived;
"archived" is every archived show, whatever its status."""


ROW_HEIGHT = 3
"""Every show's row is three lines (title, bar, status), whatever the show."""


class FilterInput(Input):
    """The filter as typed: the footer says what enter and escape do while typing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "submit",
            "Keep",
            tooltip="Keep the filter and go back to the list.",
            id="filter.keep",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear",
            tooltip="Clear the filter and show every show.",
            id="filter.clear",
        ),
    ]

    def action_clear_filter(self) -> None:
        """Escape while typing: the pane empties the filter, as escape from the list does."""
        self.query_ancestor(ShowsPane).action_clear_filter()


class ShowList(RowList):
    """The shows, ROW_HEIGHT lines each (`show_prompt`). A row's text is made when it first
    shows and kept until its show or its progress changes (a change copies only the shows
    it touches), so a key draws again only the rows it changed."""

    row_height = ROW_HEIGHT

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shows: Mapping[str, Show] = {}
        """Every show by id, listed or not."""
        self.progress: Progress = Progress.empty()
        """The progress the rows show."""
        self._made: dict[str, tuple[Show, ShowState, Content]] = {}
        self.rows_made = 0
        """How many times a row's text was made: what listing and keys cost."""

    def update(self, shows: Mapping[str, Show], progress: Progress) -> None:
        """Rows show these shows and this progress from now on: forget the text of each
        row made for another show object (the catalog read again) or another state of
        its show's progress. That is a look at each row made, not at every show."""
        self.shows, self.progress = shows, progress
        for show_id, (show, state, _text) in list(self._made.items()):
            if shows.get(show_id) is not show or progress.show_state(show_id) is not state:
                del self._made[show_id]
                self.forget_row(show_id)

    def row_text(self, show_id: str) -> Content:
        """The show's row as it shows now, made if need be."""
        show, state = self.shows[show_id], self.progress.show_state(show_id)
        made = self._made.get(show_id)
        if made is not None and made[0] is show and made[1] is state:
            return made[2]
        text = Content.from_rich_text(show_prompt(show, self.progress))
        self._made[show_id] = (show, state, text)
        self.rows_made += 1
        return text

    def render_row(self, row_id: str) -> Visual:
        return self.row_text(row_id)


class ShowsPane(Vertical):
    """Shows, each with a progress bar; `/` opens a filter, and a status filter lists one
    list (watching, on hold, ...) at a time.

    Bind `progress` and `show_id`: the rows show the one, the highlight follows the other.
    Moving the highlight posts `ShowHighlighted`.
    """

    BORDER_TITLE = "Shows"

    show_id: var[str | None] = var(None, init=False)
    """The current show: its row is highlighted whenever the filter lists it."""

    progress: var[Progress] = var(Progress.empty, init=False)
    """The user's progress, which each row sums up for its show."""

    status_filter: var[str] = var("all", init=False)
    """Which shows are listed, one of STATUS_FILTERS: "all" (every show not archived), a
    list status, or "archived"."""

    class ShowHighlighted(Message):
        """The highlight is on another show: moved by a key, a click or the filter (or
        following `show_id`)."""

        def __init__(self, shows_pane: ShowsPane, show_id: str) -> None:
            super().__init__()
            self.shows_pane = shows_pane
            """The pane whose highlight moved."""
            self.show_id = show_id
            """The show now highlighted."""

        @property
        def control(self) -> ShowsPane:
            """The pane whose highlight moved (what `@on` selectors match)."""
            return self.shows_pane

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

    show_list = getters.query_one(ShowList)
    filter_input = getters.query_one("#show-filter", Input)

    def __init__(self, shows: Sequence[Show], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shows = shows
        """Every show, in the order they are listed."""
        self._filter = ""
        self._listed = False
        self._listed_ids: set[str] = set()
        self._statuses: dict[str, tuple[Show, ShowState, str]] = {}
        self._by_id = {show.id: show for show in shows}
        self._passing: tuple[Sequence[Show], Progress, str, set[str]] | None = None
        """The ids the status filter lets through: of which shows, with what progress,
        for which filter (`_status_filter_ids`)."""
        self._last_typed: tuple[Sequence[Show], str, list[Show]] | None = None
        """The last typed filter's matches: of which shows, for what text (casefolded)."""
        self.fit_width()

    def fit_width(self) -> None:
        """As wide as the longest title needs, between `MIN_WIDTH` and `MAX_WIDTH` (the
        stylesheet's max-width keeps it to a share of a small terminal): the show pane gets
        the rest."""
        longest = max((cell_len(show.title) for show in self.shows), default=0)
        self.styles.width = max(MIN_WIDTH, min(MAX_WIDTH, longest + ROW_FRAME))

    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder="type to filter", id="show-filter")
        yield Static("", id="shows-empty", classes="empty")
        yield ShowList(id="show-list")

    def on_mount(self) -> None:
        # data_bind hands over the bound progress and show in a callback queued when the
        # pane was composed, so this one runs after it: the rows are made once, with both.
        self.call_later(self._list_every_show)

    @property
    def highlighted_id(self) -> str | None:
        """The show whose row is highlighted, if any."""
        return self.show_list.highlighted_id

    def visible_ids(self) -> list[str]:
        """The shows the filter lists, in order."""
        return list(self.show_list.row_ids)

    def watch_show_id(self, show_id: str | None) -> None:
        """Highlight the current show's row, however the show changed."""
        if show_id is None:
            return
        index = self.show_list.index_of(show_id)
        if index is not None:  # else the filter hides it
            self.show_list.highlighted = index

    def watch_progress(self, before: Progress, progress: Progress) -> None:
        """Redraw the rows the change touched, keep everything else; when the change moves
        a show in or out of the status filter (archived, put on hold), list again. Only
        the shows the change touched can move (a change copies only those)."""
        if not self._listed:
            return  # the first listing, just after mounting, shows it
        touched = [
            s for s in self.shows if before.show_state(s.id) is not progress.show_state(s.id)
        ]
        self._carry_status_filter(before, progress, touched)
        moved = [show for show in touched if (show.id in self._listed_ids) != self._is_listed(show)]
        if moved:
            self._list_matching_shows(self.highlighted_id)
            self._announce_highlight()
        else:
            self.show_list.update(self._by_id, progress)

    def watch_status_filter(self) -> None:
        """Another status filter: list its shows, and name it in the border."""
        self._show_filter_in_border()
        self._list_matching_shows(self.highlighted_id)
        self._announce_highlight()

    def cycle_status_filter(self) -> str:
        """Move the status filter on to the next list (after "archived", back to "all");
        return the new one."""
        index = STATUS_FILTERS.index(self.status_filter)
        self.status_filter = STATUS_FILTERS[(index + 1) % len(STATUS_FILTERS)]
        return self.status_filter

    def _list_status(self, show: Show) -> str:
        """The show's list status, worked out again only when its state changed (a
        change copies only the shows it touches) or the show did (a reloaded catalog), so
        a key costs one show's count."""
        state = self.progress.show_state(show.id)
        known = self._statuses.get(show.id)
        if known is not None and known[0] is show and known[1] is state:
            return known[2]
        status = list_status(show, self.progress)[0]
        self._statuses[show.id] = (show, state, status)
        return status

    def _in_status_filter(self, show: Show) -> bool:
        archived = self.progress.is_archived(show.id)
        if self.status_filter == "archived" or archived:
            return archived and self.status_filter == "archived"
        return self.status_filter == "all" or self._list_status(show) == self.status_filter

    def _is_listed(self, show: Show) -> bool:
        """Whether both filters let the show through."""
        wanted = self._filter.casefold()
        return (not wanted or matches_part(show, wanted)) and self._in_status_filter(show)

    def _status_filter_ids(self) -> set[str]:
        """The shows the status filter lets through, worked out again only for other
        shows or another filter (a change of progress carries them over,
        `_carry_status_filter`): typing a filter costs none of it."""
        known = self._passing
        if (
            known is not None
            and known[0] is self.shows
            and known[1] is self.progress
            and known[2] == self.status_filter
        ):
            return known[3]
        ids = {show.id for show in self.shows if self._in_status_filter(show)}
        self._passing = (self.shows, self.progress, self.status_filter, ids)
        return ids

    def _carry_status_filter(
        self, before: Progress, progress: Progress, touched: list[Show]
    ) -> None:
        """The status filter's ids for `progress`, from those for `before`: only the shows
        the change touched can go in or out."""
        known = self._passing
        if known is None or known[0] is not self.shows or known[1] is not before:
            return
        if known[2] != self.status_filter:
            return
        ids = set(known[3])
        for show in touched:
            if self._in_status_filter(show):
                ids.add(show.id)
            else:
                ids.discard(show.id)
        self._passing = (self.shows, progress, known[2], ids)

    def _matching_shows(self) -> list[Show]:
        """The shows both filters let through, in order."""
        passing = self._status_filter_ids()
        return [show for show in self._typed_matches() if show.id in passing]

    def _typed_matches(self) -> list[Show]:
        """The shows the typed filter matches. A filter holding the one before it (a
        letter typed) matches only shows that one matched: only those are tried."""
        wanted = self._filter.casefold()
        before = self._last_typed
        candidates: Sequence[Show]
        if before is not None and before[0] is self.shows and before[1] in wanted:
            candidates = before[2]
        else:
            candidates = self.shows
        matches = [show for show in candidates if not wanted or matches_part(show, wanted)]
        self._last_typed = (self.shows, wanted, matches)
        return matches

    def _announce_highlight(self) -> None:
        """After listing again: if the current show is no longer listed, the highlighted
        one becomes current."""
        if self.highlighted_id and self.highlighted_id != self.show_id:
            self.post_message(self.ShowHighlighted(self, self.highlighted_id))

    def _list_every_show(self) -> None:
        """The first listing, with the current show highlighted."""
        self._list_matching_shows(self.show_id)

    def _list_matching_shows(self, selected: str | None) -> None:
        """List the shows the filters match, highlighting `selected` if listed, else the
        row where it was (the next show, when it left the list), else the first."""
        matching = self._matching_shows()
        self._listed = True
        self._listed_ids = {show.id for show in matching}
        show_list = self.show_list
        row_before = show_list.highlighted or 0
        ids = [show.id for show in matching]
        highlighted = None
        if ids:
            highlighted = (
                ids.index(selected)
                if selected in self._listed_ids
                else min(row_before, len(ids) - 1)
            )
        show_list.update(self._by_id, self.progress)
        show_list.set_rows(ids, highlighted)
        empty = self.query_one("#shows-empty", Static)
        if not matching:
            empty.update(Text(self._empty_message()))
        empty.display = not matching
        # An empty list stays, focused, so keys such as the status filter's still work;
        # only while a typed filter matches nothing (the input has the focus) is it hidden.
        show_list.display = bool(matching) or not self._filter

    def _empty_message(self) -> str:
        """Why the list is empty, and what to press."""
        next_list = key_hint(self, "status_filter", "f")
        add = key_hint(self, "add_show", "a")
        how_to_add = f"{add} adds a show (or run tracker add TITLE)."
        if not self.shows:
            return f"No shows. {how_to_add}"
        if self._filter:
            return f"No shows match “{self._filter}”."
        if self.status_filter == "all":
            archived = sum(self.progress.is_archived(show.id) for show in self.shows)
            return (
                f"Every show is archived ({archived}). Press {next_list} until “archived” "
                f"to see them; {how_to_add}"
            )
        if self.status_filter == "archived":
            return f"No show is archived. {next_list} shows all shows again."
        return (
            f"No show is {status_label(self.status_filter)}. {next_list} shows the next list. "
            f"{how_to_add}"
        )

    def replace_shows(self, shows: Sequence[Show], selected: str | None) -> None:
        """List `shows` instead (the catalog was read again), the filter kept, `selected`
        highlighted if listed."""
        self.shows = shows
        self._by_id = {show.id: show for show in shows}
        self.fit_width()
        self._list_matching_shows(selected)

    def list_show(self, show_id: str) -> None:
        """List `show_id` and highlight it, clearing what hides it: a typed filter it does
        not match, a status filter it is not in (an archived show lists the archived).
        For a jump from another screen, which then makes it current."""
        show = next((show for show in self.shows if show.id == show_id), None)
        if show is None or self._is_listed(show):
            return
        if self._filter and not matches_part(show, self._filter.casefold()):
            self._filter = ""
            with self.filter_input.prevent(Input.Changed):
                self.filter_input.value = ""
        if not self._in_status_filter(show):
            archived = self.progress.is_archived(show_id)
            self.set_reactive(ShowsPane.status_filter, "archived" if archived else "all")
        self._show_filter_in_border()
        self._list_matching_shows(show_id)

    def open_filter(self) -> None:
        """Show the filter's input and type into it. The focus moves at once (`focus()`
        moves it later): letters that came in the same read as the slash, from a paste or a
        fast typist, are the filter's, not the list's keys."""
        self.filter_input.display = True
        self.screen.set_focus(self.filter_input)

    def close_filter(self) -> None:
        """Hide the filter's input (the filter stays) and return to the list."""
        self.filter_input.display = False
        self.show_list.focus()

    def action_clear_filter(self) -> None:
        """Escape: empty the filter (typed now or kept earlier) and show every show."""
        if self.filter_input.display or self._filter:
            self.filter_input.value = ""
            self.close_filter()

    def _show_filter_in_border(self) -> None:
        """A kept filter hides its input: the border says what it is and how to clear it;
        and it names the status filter, unless it lists all shows."""
        title = ["Shows"]
        subtitle = []
        if self.status_filter != "all":
            title.append(status_label(self.status_filter))
            subtitle.append(f"{key_hint(self, 'status_filter', 'f')} next list")
        if self._filter:
            title.append(f"/{self._filter}")
            subtitle.insert(0, f"{key_hint(self, 'shows.clear_filter', 'esc')} clears")
        self.border_title = Content(" · ".join(title))
        self.border_subtitle = Content(" · ".join(subtitle)) if subtitle else None

    @on(Input.Changed, "#show-filter")
    def apply_filter(self, event: Input.Changed) -> None:
        """List only the shows matching what is typed; the highlighted one stays if listed."""
        self._filter = event.value
        self._show_filter_in_border()
        self._list_matching_shows(self.highlighted_id)
        if self.highlighted_id:
            self.post_message(self.ShowHighlighted(self, self.highlighted_id))

    @on(Input.Submitted, "#show-filter")
    def finish_filter(self) -> None:
        """Enter keeps the filter and returns to the list, unless nothing matches."""
        if self.visible_ids():
            self.close_filter()

    @on(RowList.Highlighted, "#show-list")
    def announce_highlight(self, event: RowList.Highlighted) -> None:
        """Say which show is highlighted now, for the screen to make it current."""
        self.post_message(self.ShowHighlighted(self, event.row_id))
