"""The main screen: shows, the current show, and its notes."""

from __future__ import annotations

from textual import getters, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Header, Static

from tracker_tui.domain.catalog.loader import Catalog
from tracker_tui.domain.progress.records import EpisodeKey, Progress
from tracker_tui.tui.widgets import NotesPane, ShowPane, ShowsPane
from tracker_tui.tui.widgets.key_bar import KeyBar

WIDE_COLUMNS = 150
"""From this width the notes get a column of their own, each of the two detail panes
still wider than the show pane is at 100 columns; below, they stack."""
MIN_COLUMNS, MIN_ROWS = 60, 16
"""Below this, the panes can't show a show's header and an episode: the screen asks for
a larger terminal instead of drawing a broken layout."""


class MainScreen(Screen[None]):
    """Three panes: at narrow widths the show and notes panes stack on the right.

    The screen owns what the panes show and hands it down with `data_bind`: setting one
    of these redraws every pane that shows it. They are `var`s, reactives that do not
    repaint their owner: each pane redraws what changed, where a repaint of the whole
    screen on every key would double the work.
    """

    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 (Textual API)
        (0, "-too-narrow"),
        (MIN_COLUMNS, "-narrow"),
        (WIDE_COLUMNS, "-wide"),
    ]
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (MIN_ROWS, "-tall")]  # noqa: RUF012

    show_id: var[str | None] = var(None)
    """The current show: highlighted in the shows pane, in full in the show pane, its notes
    in the notes pane. None only when there is no show at all."""

    reveal_spoilers: var[bool] = var(False)
    """Whether notes, claims and spellings past the user's progress are shown (`s`)."""

    progress: var[Progress] = var(Progress.empty)
    """The user's progress as the app's session holds it. Progress is immutable, so every
    change is a new object, and setting it redraws what the change touched."""

    shows_pane = getters.query_one(ShowsPane)
    show_pane = getters.query_one(ShowPane)

    def __init__(self, catalog: Catalog, progress: Progress) -> None:
        super().__init__()
        self.catalog = catalog
        self.set_reactive(MainScreen.show_id, catalog.shows[0].id if catalog.shows else None)
        self.set_reactive(MainScreen.progress, progress)

    def compose(self) -> ComposeResult:
        # The show is bound last: the show and notes panes fill once, when it arrives.
        state = (MainScreen.progress, MainScreen.reveal_spoilers, MainScreen.show_id)
        yield Header()
        yield Static(
            f"Make the terminal larger: tracker needs {MIN_COLUMNS}×{MIN_ROWS} or more."
            "\n\n? help · q quit",
            id="too-small",
        )
        with Horizontal(id="panes"):
            yield ShowsPane(self.catalog.shows, id="shows").data_bind(
                MainScreen.progress, MainScreen.show_id
            )
            with Vertical(id="detail"):
                yield ShowPane(self.catalog, id="show").data_bind(*state)
                yield NotesPane(self.catalog, id="notes").data_bind(*state)
        yield KeyBar(show_command_palette=True)

    def on_resize(self) -> None:
        """The footer lists only the keys that work at this size (`App.check_action`)."""
        self.refresh_bindings()

    @property
    def too_small(self) -> bool:
        """Is the terminal too small for the panes (the screen asks for a larger one)?"""
        return self.has_class("-too-narrow") or self.has_class("-too-short")

    def replace_catalog(self, catalog: Catalog, show_id: str | None) -> None:
        """Show the catalog read again (a show added, edited or removed, here or by
        another program), with `show_id` current if it is still there."""
        self.catalog = catalog
        show_pane, notes_pane = self.show_pane, self.query_one(NotesPane)
        show_pane.catalog = notes_pane.catalog = catalog
        if catalog.outline(show_id or "") is None:
            show_id = catalog.shows[0].id if catalog.shows else None
        self.shows_pane.replace_shows(catalog.shows, show_id)
        if show_id == self.show_id:
            # The same show, maybe with new facts: redraw the panes that show it.
            show_pane.mutate_reactive(ShowPane.show_id)
            notes_pane.mutate_reactive(NotesPane.show_id)
        else:
            self.show_id = show_id

    def go_to(self, show_id: str, season: int, episode: int | None = None) -> None:
        """Make a show current from another screen (upcoming releases), listed even if a
        filter hid it, with the show pane's cursor on the season's `episode` (or its first
        episode) and the focus there."""
        if self.catalog.outline(show_id) is None:
            return  # gone since: the catalog was read again
        self.shows_pane.list_show(show_id)
        self.show_id = show_id
        self.show_pane.highlight_season(season, episode)
        self.show_pane.focus()

    def go_to_episode(self, key: EpisodeKey) -> str | None:
        """Make `key`'s show current (listing it if the shows filters hid it) and put the
        show pane's cursor on the episode; or say why it cannot."""
        show = self.catalog.outline(key.show)
        if show is None:
            return f"{key.show} {key.code()}: that show is no longer in your library."
        self.go_to(show.id, key.season, key.episode)
        if self.show_pane.highlighted_key(show.id) != key:
            return f"{show.title} {key.code()} is not listed in the show pane any more."
        return None

    @on(ShowsPane.ShowHighlighted)
    def make_highlighted_show_current(self, message: ShowsPane.ShowHighlighted) -> None:
        """Moving in the shows pane (a key, a click, the filter) changes the current show."""
        self.show_id = message.show_id
