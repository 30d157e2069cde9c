"""Every viewing and every unwatch, newest first, grouped by local day; filter by show,
go to an episode, remove a viewing (undoable)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from tracker_tui.domain.catalog.loader import matches_part
from tracker_tui.domain.collection import no_collection_pauses
from tracker_tui.domain.progress.history_index import HistoryIndex
from tracker_tui.domain.progress.records import EpisodeKey, HistoryEntry, Progress
from tracker_tui.tui.keys import key_hint
from tracker_tui.tui.screens.kept_screen import KeptScreen
from tracker_tui.tui.screens.main_screen import MainScreen
from tracker_tui.tui.widgets.history_list import HistoryLine, HistoryList, history_lines
from tracker_tui.tui.widgets.key_bar import KeyBar

LONG_HISTORY = 5_000
"""From this many entries, the filter waits for a pause in typing."""
TYPING_PAUSE_SECONDS = 0.15

RemoveViewing = Callable[[EpisodeKey, str], None]
"""Removes one viewing of an episode through the app's session (saved, and `u` undoes it)."""


class HistoryScreen(KeptScreen[EpisodeKey | None]):
    """Dismisses with the episode to go to on the main screen, or None when closed.

    The history is read in a thread (a heavy library's 50,000 viewings take a while to
    sort); the list draws only the lines on screen. Whenever the main screen's progress
    changes while the screen is up (a removal here, an undo, another program's save), it
    is read again and the cursor stays where it was.

    The app keeps one screen and opens it again (`reopen`): composing it was most of an
    opening's cost. Opened again with the progress and catalog it last listed, it lists
    them as they are, with nothing read or worked out again.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "filter",
            "Filter",
            key_display="/",
            tooltip="Filter the history by typing part of a show's title.",
            id="history.filter",
            # Before the keys read with it are handed out, so they go to the filter.
            priority=True,
        ),
        Binding(
            "c",
            "this_show",
            "This show",
            tooltip="Only the main screen's current show (again: every show).",
            id="history.this_show",
        ),
        Binding(
            "x,delete",
            "remove",
            "Remove",
            tooltip="Remove the highlighted viewing (u undoes it).",
            id="history.remove",
        ),
        Binding("u", "app.undo", "Undo", tooltip="Undo the last change.", id="history.undo"),
        Binding(
            "escape",
            "close",
            "Close",
            tooltip="Clear the filter, or close the history.",
            id="history.close",
        ),
    ]

    @dataclass
    class Loaded(Message):
        """The thread read the history of `progress`: its entries, newest first, and what
        the list needs of them unfiltered (worked out there, off the app's thread)."""

        progress: Progress
        entries: list[HistoryEntry]
        lines: list[HistoryLine]
        show_ids: set[str]
        watched: int

    last_read: ClassVar[Loaded | None] = None
    """The last history read, kept for opening the screen again: while the progress is
    the very same object (it is immutable), it holds the same history."""

    index: ClassVar[HistoryIndex] = HistoryIndex()
    """The history kept between reads: after a change, only the shows it touched are
    read again (the reads run one at a time, in the screen's exclusive worker)."""

    first_read_done: ClassVar[bool] = False
    """Whether the process has read the history once (see `read_history`)."""

    def __init__(self, main_screen: MainScreen, remove: RemoveViewing) -> None:
        super().__init__()
        self.main_screen = main_screen
        """Whose progress and catalog the history shows, and whose current show `c` picks."""
        self.remove_viewing = remove
        self.entries: list[HistoryEntry] | None = None
        """Every entry, newest first; None until read."""
        self.unfiltered: list[HistoryLine] = []
        """Every entry under its day's heading: the list with no filter."""
        self.typed = ""
        """What the filter holds: part of a show's title (casefolded when matched)."""
        self.only_show: str | None = None
        """The one show listed (`c`), or None."""
        self.show_ids: set[str] = set()
        """The shows the history names."""
        self.counts = (0, 0)
        """How many viewings and unwatches it holds."""
        self.filter_timer: Timer | None = None
        """Lists a long history again once typing pauses."""
        self.titles: dict[str, str] = {}
        """Each show's title by id; a show no longer in the catalog goes by its id."""
        self.titles_of: object = None
        """The catalog `titles` were taken from (it is replaced, not changed, when read
        again)."""
        self.drawn: dict[str, Text] = {}
        """What the title and the empty message show: an update lays the screen out."""

    def compose(self) -> ComposeResult:
        with Vertical(id="history-body"):
            yield Static(Text("History", style="bold"), id="history-title")
            yield Input(placeholder="part of a show's title", id="history-filter")
            yield Static(Text("Reading your history…"), id="history-empty", classes="empty")
            yield HistoryList(id="history-list")
        yield KeyBar(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#history-filter", Input).display = False
        self.query_one(HistoryList).display = False
        self.query_one(HistoryList).focus()
        self.watch(self.main_screen, "progress", self.read_again, init=False)
        last = HistoryScreen.last_read
        if last is not None and last.progress is self.main_screen.progress:
            self.show_history(last, near=None)
        else:
            self.read_history(self.main_screen.progress)

    def reopen(self) -> None:
        """Opened again: every show listed, no filter, the cursor on the newest entry, as
        a new screen would be. What was read holds while the progress is the same object
        (it is immutable); else it is read again (meanwhile the old list stays up, and
        `entries` is None until the new one lands)."""
        if self.filter_timer is not None:
            self.filter_timer.stop()
            self.filter_timer = None
        self.typed = ""
        self.only_show = None
        field = self.query_one("#history-filter", Input)
        if field.value:
            field.value = ""
        field.display = False
        history_list = self.query_one(HistoryList)
        if self.focused is not history_list:  # focus() draws the list again
            history_list.focus()
        last = HistoryScreen.last_read
        if last is None or last.progress is not self.main_screen.progress:
            self.entries = None
            self.read_history(self.main_screen.progress)
        else:
            self.show_history(last, near=None)

    def read_again(self, progress: Progress) -> None:
        """The progress changed (a removal, an undo, another program): read it again if
        the screen is up; if not, `reopen` reads it when the screen opens again (a mark
        on the main screen should not cost a read of the whole history)."""
        if self.is_current:
            self.read_history(progress)

    @work(thread=True, exclusive=True, group="history", description="Reading the history")
    def read_history(self, progress: Progress) -> None:
        # The entries live on in the index: the first read freezes them, so that no
        # collection walks them again (a 130 ms pause after the next mark). Later reads
        # keep all but the changed shows' entries, and freeze nothing: what is garbage
        # in a cycle at that moment would be kept for good.
        first, HistoryScreen.first_read_done = not HistoryScreen.first_read_done, True
        with no_collection_pauses(freeze=first):
            read = HistoryScreen.index.read(progress)
            lines = history_lines(read.entries)
        self.post_message(self.Loaded(progress, read.entries, lines, read.show_ids, read.watched))

    @on(Loaded)
    def take_history(self, message: Loaded) -> None:
        """Show what was read, the cursor kept where it was (a removal refreshes in place)."""
        if message.progress is not self.main_screen.progress:
            return  # older than what the app holds now: its own read is on the way
        HistoryScreen.last_read = message
        near = None if self.entries is None else self.query_one(HistoryList).cursor
        self.show_history(message, near)

    def show_history(self, read: Loaded, near: int | None) -> None:
        """List `read`, the cursor at or after line `near` (None: the newest)."""
        if read.entries is not self.entries:
            self.entries, self.unfiltered = read.entries, read.lines
            self.show_ids = read.show_ids
            self.counts = (read.watched, len(read.entries) - read.watched)
        catalog = self.main_screen.catalog
        if self.titles_of is not catalog:
            self.titles = {show.id: show.title for show in catalog.shows}
            self.titles_of = catalog
        self.list_entries(near)

    # --- the list ------------------------------------------------------------------------

    def matching(self) -> tuple[Sequence[HistoryEntry], set[str]]:
        """The entries the filter lets through, and their shows."""
        entries = self.entries or []
        if self.only_show is not None:
            ids = {self.only_show} & self.show_ids
        elif wanted := self.typed.strip().casefold():
            catalog = self.main_screen.catalog
            ids = set()
            for show_id in self.show_ids:
                show = catalog.outline(show_id)
                if (show is not None and matches_part(show, wanted)) or wanted in show_id:
                    ids.add(show_id)
        else:
            return entries, self.show_ids
        return [entry for entry in entries if entry.key.show in ids], ids

    def list_entries(self, near: int | None) -> None:
        """List the matching entries, grouped by day; `near`: the line to keep the
        cursor at (None: the newest)."""
        if self.entries is None:
            return
        matching, ids = self.matching()
        filtered = self.only_show is not None or bool(self.typed.strip())
        lines = history_lines(matching) if filtered else self.unfiltered
        titles = self.titles
        width = max((cell_len(titles.get(show_id, show_id)) for show_id in ids), default=0)
        history_list = self.query_one(HistoryList)
        history_list.show_lines(lines, titles, width, near)
        self.put("title", self.title_text(len(matching)))
        self.put("empty", self.empty_text())
        self.query_one("#history-empty", Static).display = not matching
        history_list.display = bool(matching)

    def put(self, name: str, text: Text) -> None:
        """Show `text` in the Static `#history-{name}`, unless it shows that already."""
        if self.drawn.get(name) != text:
            self.drawn[name] = text
            self.query_one(f"#history-{name}", Static).update(text)

    def title_text(self, count: int) -> Text:
        """What the list holds, and the filter if any."""
        title = Text("History", style="bold")
        watched, unwatched = self.counts
        said = f"{watched:,} viewing{'s' * (watched != 1)}"
        if unwatched:
            said += f", {unwatched:,} unwatched"
        title.append(f" · {said}")
        clear = key_hint(self, "history.close", "escape")
        if self.only_show is not None:
            name = self.titles.get(self.only_show, self.only_show)
            title.append(f" · only {name}: {count:,} ({clear} shows all)")
        elif self.typed.strip():
            title.append(f" · /{self.typed.strip()}: {count:,} ({clear} clears)")
        return title

    def empty_text(self) -> Text:
        """What to do when the list is empty: the first viewing, or another filter."""
        clear = key_hint(self, "history.close", "escape")
        if self.entries:
            if self.only_show is not None:
                return Text(f"No viewings of this show yet. {clear} shows every show.")
            return Text(f"No viewings of a show matching “{self.typed.strip()}”. {clear} clears.")
        mark = key_hint(self, "toggle_watched", "space")
        import_key = key_hint(self, "import_history", "I")
        return Text(
            f"No viewings yet: mark an episode watched with {mark} on the main screen, "
            f"or import your history with {import_key}."
        )

    # --- keys ------------------------------------------------------------------------------

    def action_filter(self) -> None:
        """Type part of a show's title; the list follows each key. In the filter, `/`
        is typed ("Fate/Zero")."""
        field = self.query_one("#history-filter", Input)
        if self.focused is field:
            field.insert_text_at_cursor("/")
            return
        field.display = True
        # At once, not with focus()'s deferred call: keys already read go to the field.
        self.app.set_focus(field)
        if self.only_show is not None:  # the filter replaces `c`'s one show: list them all
            self.only_show = None
            self.list_entries(None)

    @on(Input.Changed, "#history-filter")
    def filter_history(self, event: Input.Changed) -> None:
        """List only the shows matching what is typed, newest first. A long history is
        listed again once typing pauses, not on every key (each listing walks it all)."""
        self.typed = event.value
        if self.filter_timer is not None:
            self.filter_timer.stop()
            self.filter_timer = None
        if len(self.entries or ()) < LONG_HISTORY:
            self.list_entries(None)
        else:
            self.filter_timer = self.set_timer(TYPING_PAUSE_SECONDS, self.list_typed)

    def list_typed(self) -> None:
        """Typing paused: list what the filter matches now."""
        self.filter_timer = None
        self.list_entries(None)

    @on(Input.Submitted, "#history-filter")
    def keep_filter(self) -> None:
        """Enter keeps the filter and goes back to the list."""
        if not self.typed.strip():
            self.query_one("#history-filter", Input).display = False
        self.query_one(HistoryList).focus()

    def action_this_show(self) -> None:
        """Only the main screen's current show; pressed again, every show."""
        show_id = self.main_screen.show_id
        if self.only_show is not None or show_id is None:
            self.only_show = None
        else:
            self.only_show = show_id
            self.typed = ""
            field = self.query_one("#history-filter", Input)
            field.value = ""
            field.display = False
            self.query_one(HistoryList).focus()
        self.list_entries(None)

    def action_close(self) -> None:
        """Escape: clear a filter first; with none, close."""
        field = self.query_one("#history-filter", Input)
        if field.display or self.typed or self.only_show is not None:
            self.only_show = None
            field.value = ""
            field.display = False
            self.typed = ""
            self.query_one(HistoryList).focus()
            self.list_entries(None)
            return
        self.dismiss(None)

    def action_remove(self) -> None:
        """Remove the highlighted viewing through the app (saved; `u` undoes it)."""
        entry = self.query_one(HistoryList).highlighted_entry
        if entry is None:
            return
        if entry.viewing_id is None:
            self.notify(
                "An unwatch is not a viewing: there is nothing to remove. "
                "Mark the episode watched again on the main screen instead.",
                markup=False,
            )
            return
        live = self.main_screen.progress.viewings(entry.key)
        if any(viewing.id == entry.viewing_id for viewing in live):  # not removed already
            self.remove_viewing(entry.key, entry.viewing_id)

    @on(HistoryList.Selected)
    def go_to_episode(self, message: HistoryList.Selected) -> None:
        """Enter or a click: close, and let the main screen show the episode."""
        self.dismiss(message.entry.key)
