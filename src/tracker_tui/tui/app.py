"""The Textual app: owns the catalog and progress, and wires keys to the domain."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import OptionList
from textual.worker import get_current_worker

from tracker_tui.domain import clock
from tracker_tui.domain.catalog.loader import Catalog
from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.collection import no_collection_pauses
from tracker_tui.domain.paths import data_dir
from tracker_tui.domain.progress.records import EpisodeKey, Progress
from tracker_tui.domain.progress.store import ProgressSaveError, ProgressStore
from tracker_tui.domain.settings import SettingsFileError, load_settings, save_theme, settings_path
from tracker_tui.domain.watching.episodes import (
    derived_list_status,
    next_unwatched,
    status_label,
    tracking_warning,
)
from tracker_tui.domain.watching.session import WatchSession, unwatched_up_to
from tracker_tui.domain.watching.spoilers import visible_notes
from tracker_tui.tui.keys import KeyScopes, check_keymap, effective_keys, key_hint, key_label
from tracker_tui.tui.library import ShowLibrary
from tracker_tui.tui.messages import (
    CatalogReloaded,
    ConflictCopiesMerged,
    DiskProgressChanged,
    FileChecked,
    ImportFinished,
    ProgressSaved,
    ProgressSaveFailed,
    ShowWriteFailed,
)
from tracker_tui.tui.screens.confirm_screen import ConfirmScreen
from tracker_tui.tui.screens.main_screen import MainScreen
from tracker_tui.tui.widgets import ShowsPane
from tracker_tui.tui.widgets.lists import VimOptionList
from tracker_tui.tui.widgets.notes_pane import NoteList
from tracker_tui.tui.widgets.row_list import RowList
from tracker_tui.tui.widgets.shows_pane import FilterInput

if TYPE_CHECKING:
    from tracker_tui.domain.catalog.authoring import RemovedShow
    from tracker_tui.domain.catalog.upcoming import Release
    from tracker_tui.domain.exchange.plan import ImportPlan
    from tracker_tui.domain.watching.stats import StatsTally
    from tracker_tui.tui.screens.history_screen import HistoryScreen
    from tracker_tui.tui.screens.rating_screen import RatingAnswer
    from tracker_tui.tui.screens.stats_screen import StatsScreen
    from tracker_tui.tui.screens.status_screen import StatusAnswer

DISK_POLL_SECONDS = 1.0
SAVE_RETRY_SECONDS = 5.0
HISTORY_SCREEN = "history"
"""The name the history screen is installed under."""
STATS_SCREEN = "stats"
"""The name the stats screen is installed under."""
STATS_AHEAD_SECONDS = 2.0
"""After start, the stats are counted ahead in the background (`count_stats_ahead`): not
at once, when the first keys come (it shares the interpreter with them)."""
SAVING_SHOWN_AFTER = 0.4
"""A save this quick is not worth a word in the header; a slower one (a lock held by
another program, a slow disk) shows "saving…"."""
QUIT_WAIT_SECONDS = 5.0
"""How long quitting waits for pending saves before it asks (or, on a signal, gives up)."""
QUIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
SHUTDOWN_GRACE_SECONDS = 3.0
"""After a signal, how long Textual's shutdown may take before the process just ends."""


SHOW_KEYS = Binding.Group("Show")
"""`[` and `]` share one footer entry, so Help and Quit still fit at 80 columns."""


class TrackerApp(App[None]):
    """Pick a show, mark episodes, read notes: every change is saved at once."""

    CSS_PATH = "app.tcss"
    TITLE = "tracker"

    BINDINGS: ClassVar[list[BindingType]] = [
        # The main screen's keys, from any pane. The description is the footer's label,
        # short so every key fits at 80 columns; the tooltip is the palette's title; the
        # id is what settings.json remaps (tui/keys.py); the help screen's words for each
        # id are in screens/help_screen.py. Moving: tab/shift+tab come from Screen.
        Binding(
            "left_square_bracket",
            "previous_show",
            "Prev",
            key_display="[",
            group=SHOW_KEYS,
            tooltip="Go to the previous show, from any pane.",
            id="previous_show",
        ),
        Binding(
            "right_square_bracket",
            "next_show",
            "Next",
            key_display="]",
            group=SHOW_KEYS,
            tooltip="Go to the next show, from any pane.",
            id="next_show",
        ),
        # Progress.
        Binding(
            "space",
            "toggle_watched",
            "Seen",
            key_display="spc",
            tooltip="Toggle watched on the highlighted episode.",
            id="toggle_watched",
        ),
        Binding(
            "w",
            "watch_up_to",
            "Up to",
            tooltip="Mark every episode up to the highlighted one watched.",
            id="watch_up_to",
        ),
        Binding("u", "undo", "Undo", tooltip="Undo the last change.", id="undo"),
        Binding(
            "n",
            "next_unwatched",
            "Jump",
            show=False,
            tooltip="Jump to the next unwatched episode of this show.",
            id="next_unwatched",
        ),
        # Marks on the library: rewatches, ratings, list statuses, the archive. Kept out
        # of the footer (it has no room at 80 columns); the help lists them.
        Binding(
            "plus",
            "watch_again",
            "Again",
            show=False,
            key_display="+",
            tooltip="Log another viewing of the highlighted episode.",
            id="watch_again",
        ),
        Binding(
            "v",
            "viewings",
            "Viewings",
            show=False,
            tooltip="List the highlighted episode's viewings, to remove one.",
            id="viewings",
        ),
        Binding(
            "r",
            "rate",
            "Rate",
            show=False,
            tooltip="Rate the highlighted episode (in the shows pane: the show).",
            id="rate",
        ),
        Binding(
            "R",
            "rate_season",
            "Rate season",
            show=False,
            tooltip="Rate the highlighted episode's season.",
            id="rate_season",
        ),
        Binding(
            "l",
            "set_status",
            "List",
            show=False,
            tooltip="Put the current show on a list (watching, on hold, ...) or automatic.",
            id="set_status",
        ),
        Binding(
            "f",
            "status_filter",
            "Lists",
            show=False,
            tooltip="List the next list's shows: all, watching, ..., archived.",
            id="status_filter",
        ),
        Binding(
            "A",
            "archive",
            "Archive",
            show=False,
            tooltip="Archive the current show, or bring an archived one back.",
            id="archive",
        ),
        # Reading.
        Binding(
            "s",
            "toggle_spoilers",
            "Spoilers",
            tooltip="Reveal or hide notes past your progress.",
            id="toggle_spoilers",
        ),
        Binding(
            "slash",
            "filter_shows",
            "Filter",
            key_display="/",
            tooltip="Filter shows by typing.",
            id="filter_shows",
            # Priority: handled as it is read, so letters that came in the same read (a
            # paste, tmux, a fast typist) reach the filter, not the list (check_action
            # keeps it to the main screen; in the filter it types a slash).
            priority=True,
        ),
        # The library: shown in the help and the palette; the footer has no room at 80.
        Binding(
            "a",
            "add_show",
            "Add",
            show=False,
            tooltip="Add a show: a form for its title, kind, seasons and episodes.",
            id="add_show",
        ),
        Binding(
            "e",
            "edit_show",
            "Edit",
            show=False,
            tooltip="Edit the current show in a form, or its file in your editor.",
            id="edit_show",
        ),
        Binding(
            "delete",
            "remove_show",
            "Remove",
            show=False,
            tooltip="Remove the current show (a show you added); undo brings it back.",
            id="remove_show",
        ),
        Binding(
            "I",
            "import_history",
            "Import",
            show=False,
            tooltip="Import… another tracker's export: Trakt, TV Time, Simkl, MAL, Yamtrack.",
            id="import_history",
        ),
        Binding(
            "c",
            "upcoming",
            "Coming up",
            show=False,
            tooltip="Upcoming releases: scheduled seasons and air dates, soonest first.",
            id="upcoming",
        ),
        Binding(
            "h",
            "history",
            "History",
            show=False,
            tooltip="History: every viewing, newest first, by day; go to one or remove it.",
            id="history",
        ),
        Binding(
            "t",
            "stats",
            "Stats",
            show=False,
            tooltip="Stats… a year's heatmap, totals, streaks, ratings, stalled shows.",
            id="stats",
        ),
        # The app.
        Binding(
            "question_mark", "help", "Help", key_display="?", tooltip="Show every key.", id="help"
        ),
        # q, ctrl+q and the palette's Quit all run action_quit. App's ctrl+q is a
        # priority binding, handled before keys that came in the same read (space then
        # ctrl+q would quit before the space): here it waits its turn like q. Two ids, so
        # the footer keeps showing q alone, whichever of them a keymap moves.
        Binding(
            "q",
            "quit",
            "Quit",
            tooltip="Quit once every change is saved; asks first only if one cannot be.",
            id="quit",
        ),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            show=False,
            priority=False,
            tooltip="Quit once every change is saved; asks first only if one cannot be.",
            id="quit_alt",
        ),
    ]

    PANE_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        binding.action
        for binding in BINDINGS
        if isinstance(binding, Binding) and binding.action not in {"help", "quit"}
    )
    """The actions of the keys above that act on what the panes show."""

    keymap: Mapping[str, str] = MappingProxyType({})
    """The keymap from settings.json that the app applied: binding id to keys."""

    @classmethod
    def key_scopes(cls) -> KeyScopes:
        """Classes whose bindings are live together: the main screen's focus chain, and
        each modal screen (which sees none of the app's keys)."""
        # Imported here, not at the top: a key opens them, and start-up needs none.
        from tracker_tui.tui.screens.file_problems_screen import FileProblemsScreen
        from tracker_tui.tui.screens.help_screen import HelpScreen
        from tracker_tui.tui.screens.history_screen import HistoryScreen
        from tracker_tui.tui.screens.import_screen import ImportScreen
        from tracker_tui.tui.screens.rating_screen import RatingScreen
        from tracker_tui.tui.screens.show_form_screen import ShowFormScreen
        from tracker_tui.tui.screens.source_screen import SourceScreen
        from tracker_tui.tui.screens.stats_screen import StatsScreen
        from tracker_tui.tui.screens.status_screen import StatusScreen
        from tracker_tui.tui.screens.upcoming_screen import UpcomingScreen
        from tracker_tui.tui.screens.viewings_screen import ViewingsScreen
        from tracker_tui.tui.widgets.history_list import HistoryList

        return {
            "main": (cls, MainScreen, ShowsPane, VimOptionList, RowList, NoteList),
            "filter": (FilterInput,),
            "source": (SourceScreen,),
            "help": (HelpScreen,),
            "confirm": (ConfirmScreen,),
            "form": (ShowFormScreen,),
            "file_problems": (FileProblemsScreen,),
            "rating": (RatingScreen,),
            "status": (StatusScreen, VimOptionList),
            "viewings": (ViewingsScreen, VimOptionList),
            "import": (ImportScreen,),
            "upcoming": (UpcomingScreen, VimOptionList),
            "history": (HistoryScreen, HistoryList),
            "stats": (StatsScreen,),
        }

    def __init__(
        self,
        catalog: Catalog,
        store: ProgressStore,
        *,
        catalog_read_at: int | None = None,
        notices: Sequence[str] = (),
    ) -> None:
        """`catalog_read_at`: when reading `catalog` began (`time.time_ns()`), so that a
        show file changed while it was read is read again; default: now. `notices`: what
        happened before the app was made (an interrupted import finished), shown at start."""
        super().__init__()
        self.catalog = catalog
        self.store = store
        loaded = store.load(move_aside=True)  # the app saves, so it may move a bad file
        self._start_notices = [*notices, *(str(problem) for problem in catalog.problems)]
        if loaded.notice and not loaded.refused:
            self._start_notices.append(loaded.notice)
        self.unusable_progress = loaded.notice if loaded.refused else None
        """Why the progress file can't be used at all (a FIFO, a folder): `run_app` stops."""
        self.session = WatchSession(loaded.progress)
        """The domain's owner of edits; the main screen's `progress` mirrors it."""
        self.main_screen = MainScreen(catalog, loaded.progress)
        """The screen that owns the current show, the spoiler switch and shown progress."""
        self._changes = 0
        self._saved_changes = 0
        self._save_error: str | None = None
        self._save_failures = 0
        self._retry_timer: Timer | None = None
        self._save_running = False
        self._save_again = False
        self._save_slow = False
        """The running save has taken long enough to say "saving…" (`SAVING_SHOWN_AFTER`)."""
        self._synced_at: str | None = None
        """When another program's changes were last taken in, until the user's next edit."""
        self._disk_stamp = store.stamp()
        self.library = ShowLibrary(self, catalog_read_at or time.time_ns())
        """Adds, edits and removes show files, and reads them again when they change."""
        self._history_screen: HistoryScreen | None = None
        """The history screen, installed on first `h` and kept (`action_history`)."""
        self._stats_screen: StatsScreen | None = None
        """The stats screen, installed on first `t` and kept (`action_stats`)."""
        self.stats_tally: StatsTally | None = None
        """The stats counted so far, kept up to date by each count (made at first use)."""
        self.undo_order: list[RemovedShow | None] = []
        """What `u` undoes, newest last: a removed show, or None for an edit of progress
        (the session holds those)."""
        # Read once, before the screen is composed, so the panes' first hints ("s reveals")
        # already name the user's keys.
        settings = load_settings()
        self._theme_setting = settings.theme
        self._settings_problems = [*settings.problems, *self._apply_keymap(settings.keymap)]

    # --- set-up ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the terminal is too small for the panes, the main screen's keys other than
        help and quit do nothing (and leave the footer): they would change what can't be
        seen."""
        if action == "filter_shows" and self.screen is not self.main_screen:
            return False  # a priority key: elsewhere "/" is the focused widget's
        blocked = self.screen is self.main_screen and self.main_screen.too_small
        return not (blocked and action in self.PANE_ACTIONS)

    def get_default_screen(self) -> Screen[None]:
        return self.main_screen

    def on_ready(self) -> None:
        """The main screen is composed: focus the shows, report start-up problems."""
        if self._theme_setting and self._theme_setting in self.available_themes:
            self.theme = self._theme_setting
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.main_screen.shows_pane.show_list.focus()
        for notice in self._start_notices:
            self.notify(
                notice, title="Problem at start-up", severity="warning", markup=False, timeout=15
            )
        for problem in self._settings_problems:
            self.notify(
                problem,
                title="Problem in settings.json",
                severity="warning",
                markup=False,
                timeout=15,
            )
        self._merge_conflict_copies()
        self.set_interval(DISK_POLL_SECONDS, self.check_disk)
        self.set_interval(DISK_POLL_SECONDS, self.library.check_folders)
        self.set_timer(STATS_AHEAD_SECONDS, self.count_stats_ahead)
        if not self.is_headless:
            loop = asyncio.get_running_loop()
            for signum in QUIT_SIGNALS:
                loop.add_signal_handler(signum, self._quit_on_signal)

    def on_unmount(self) -> None:
        """The app is closing: SIGTERM and SIGHUP are no longer ours to handle."""
        if not self.is_headless:
            loop = asyncio.get_running_loop()
            for signum in QUIT_SIGNALS:
                loop.remove_signal_handler(signum)

    def _apply_keymap(self, keymap: Mapping[str, str]) -> list[str]:
        """Remap the keys settings.json names; return what in it cannot be used, for a
        notification (the file is the user's: it is never rewritten)."""
        if not keymap:
            return []  # the scopes import every screen's module: only a keymap needs them
        usable, unusable = check_keymap(keymap, self.key_scopes(), settings_path())
        if usable:
            self.keymap = MappingProxyType(usable)
            self.set_keymap(usable)
        return list(unusable)

    def _remember_theme(self, _theme: object) -> None:
        """The theme changed (from the palette): keep it for next time."""
        try:
            save_theme(self.theme)
        except (OSError, SettingsFileError) as error:
            self.notify(f"Cannot save the theme: {error}", severity="warning", markup=False)

    # --- state helpers -----------------------------------------------------------

    @property
    def show_id(self) -> str | None:
        """The current show's id (the main screen owns it)."""
        return self.main_screen.show_id

    @property
    def reveal_spoilers(self) -> bool:
        """Whether spoilers are shown (the main screen owns the switch)."""
        return self.main_screen.reveal_spoilers

    @property
    def current_show(self) -> Show | None:
        return self.catalog.get(self.show_id) if self.show_id else None

    @property
    def unsaved(self) -> bool:
        return self._saved_changes < self._changes

    def _show_edit(self, touched: EpisodeKey | None) -> None:
        """Show what the session holds after the user's edit, the show pane's cursor on
        the episode it `touched` when that is one of the current show's."""
        if touched is not None and touched.show == self.show_id:
            self.main_screen.show_pane.highlight_episode(touched)
        self.main_screen.progress = self.session.progress

    def _save_edit(self, *, undoing: bool = False) -> None:
        """Count the user's edit as a change to save, and save it; unless it is an undo,
        `u` undoes it next."""
        if not undoing:
            self.undo_order.append(None)
        self._changes += 1
        self._synced_at = None
        self.save_progress()

    def _absorb(self, progress: Progress) -> None:
        """Merge progress read from the file into the session, and show the result."""
        self.session.absorb(progress)
        self.main_screen.progress = self.session.progress

    # --- saving and watching the disk ------------------------------------------------

    def save_progress(self) -> None:
        """Save what the session holds now. One save runs at a time: a change made while
        one runs (it may wait up to 10 s on another tracker's lock) is saved by a single
        save after it, not by a thread per key press."""
        if self._save_running:
            self._save_again = True
            return
        self._save_running, self._save_again = True, False
        # After the frame that shows the change: the save's thread holds the interpreter
        # while it encodes (tens of milliseconds for a heavy library), which would hold
        # that frame back. It saves what the session holds when it starts.
        self.call_after_refresh(self._start_save)

    def _start_save(self) -> None:
        self._save_worker(self.session.progress, self._changes)
        self.set_timer(SAVING_SHOWN_AFTER, self._note_slow_save)

    def _note_slow_save(self) -> None:
        """A save started a moment ago: if it still runs, say so in the header."""
        if self._save_running and self.unsaved:
            self._save_slow = True
            self.show_save_state()

    def _save_finished(self) -> None:
        self._save_running = False
        self._save_slow = False
        if self._save_again:
            self.save_progress()
        self.show_save_state()

    def show_save_state(self) -> None:
        """The header's quiet line on the progress file, there for as long as it is true:
        a change not saved and why, a slow save running, or another program's changes
        taken in; nothing when all is saved."""
        if self._save_error is not None and self.unsaved:
            said = f"unsaved: {self._save_error}"
        elif self._save_slow and self.unsaved:
            said = "saving…"
        elif self._synced_at is not None:
            said = f"synced from another program at {self._synced_at}"
        else:
            said = ""
        if said != self.sub_title:  # the header lays itself out again on every set
            self.sub_title = said

    # A fixed description: by default Textual would repr the whole Progress.
    @work(thread=True, group="save", description="Saving progress")
    def _save_worker(self, progress: Progress, change: int) -> None:
        try:
            merged, stamp = self.store.save_stamped(progress)
        except ProgressSaveError as error:
            self.post_message(ProgressSaveFailed(str(error)))
            return
        for notice in self.store.take_notices():  # a bad file the save kept aside
            self.notify(notice, severity="warning", markup=False, timeout=15)
        self.post_message(ProgressSaved(merged, change, stamp))

    def _merge_conflict_copies(self) -> None:
        """At start, merge sync tools' conflict copies in a save of its own, in a thread;
        the user's saves wait for it as for any save. Looking for them is one scandir, as
        cheap as the poll's stat; copies that appear later are merged by the next save."""
        if self.store.conflict_copies():
            self._save_running = True
            self._merge_copies_worker()

    @work(thread=True, group="save", description="Merging sync conflict copies")
    def _merge_copies_worker(self) -> None:
        try:
            saved = self.store.merge_conflict_copies()
        except ProgressSaveError as error:
            self.notify(
                f"Cannot merge the sync conflict copies yet: {error}",
                severity="warning",
                markup=False,
                timeout=15,
            )
            saved = None
        for notice in self.store.take_notices():
            self.notify(notice, title="Sync folder", markup=False, timeout=15)
        self.post_message(ConflictCopiesMerged(saved))

    @on(ConflictCopiesMerged)
    def absorb_conflict_copies(self, message: ConflictCopiesMerged) -> None:
        """The start's merge is done: show what the copies held, and let saves run."""
        if message.saved is None:
            self._save_finished()
        else:
            self.post_message(ProgressSaved(message.saved[0], 0, message.saved[1]))

    @property
    def saving(self) -> bool:
        """A save is running now (or another is due right after it)."""
        return self._save_running

    @on(ProgressSaved)
    def count_saved_changes(self, message: ProgressSaved) -> None:
        """Our save is on disk: the changes it included are saved, and the next save may
        start. Its stamp, taken under the lock, is ours: a different stamp on the next
        poll is another program's write, even one made just after."""
        self._saved_changes = max(self._saved_changes, message.change)
        self._save_finished()
        self._disk_stamp = message.stamp
        if self._save_error and not self.unsaved:
            self._save_error = None
            self.notify("Progress saved.", markup=False)

    @on(ProgressSaved)
    def absorb_saved_progress(self, message: ProgressSaved) -> None:
        """A save merges with what the file held: take in what other programs had added."""
        self._absorb(message.progress)

    @on(ProgressSaveFailed)
    def report_save_failure(self, message: ProgressSaveFailed) -> None:
        """Keep the change, say so once, and retry on one timer however many saves failed."""
        first = self._save_error is None
        self._save_error = message.reason
        self._save_failures += 1
        self._save_finished()
        if first:
            self.notify(
                f"{message.reason}. Your change is kept and will be saved when possible.",
                title="Could not save",
                severity="error",
                markup=False,
                timeout=10,
            )
        if self._retry_timer is None:
            self._retry_timer = self.set_timer(SAVE_RETRY_SECONDS, self._retry_save)

    def _retry_save(self) -> None:
        """The retry timer is done: save again if a change is still unsaved."""
        self._retry_timer = None
        if self.unsaved:
            self.save_progress()

    def check_disk(self) -> None:
        """On a timer: if the file's stamp is not our last save's, read what changed."""
        stamp = self.store.stamp()
        if stamp != self._disk_stamp:
            self._disk_stamp = stamp
            self._load_worker()

    @work(thread=True, exclusive=True, group="load", description="Reading progress")
    def _load_worker(self) -> None:
        result = self.store.load()
        if result.notice:
            self.notify(result.notice, severity="warning", markup=False)
        self.post_message(DiskProgressChanged(result.progress))

    @on(DiskProgressChanged)
    def absorb_disk(self, message: DiskProgressChanged) -> None:
        """Take in another program's changes; if the file lacks some of ours (it was
        deleted, or an older copy was synced over it), save them again."""
        before = self.session.progress
        self._absorb(message.progress)
        if self.session.progress != before:
            self._synced_at = clock.now().astimezone().strftime("%H:%M")
            self.show_save_state()
        if self.session.progress != message.progress:
            self._changes += 1
            self.save_progress()

    # --- selection -------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#note-list")
    def open_note_source(self, event: OptionList.OptionSelected) -> None:
        """Enter or a click on a note opens its source; revealing spoilers there reveals
        them here too."""
        show = self.current_show
        note = next((n for n in show.notes if n.id == event.option.id), None) if show else None
        if show is None or note is None:
            return
        hidden = visible_notes(show, self.session.progress)

        def keep_revealed(revealed: bool | None) -> None:
            if revealed is not None:
                self.main_screen.reveal_spoilers = revealed

        from tracker_tui.tui.screens.source_screen import SourceScreen  # opened by a key

        screen = SourceScreen(
            note,
            self.catalog.sources,
            hidden=hidden.hidden,
            furthest=hidden.furthest,
            revealed=self.reveal_spoilers,
        )
        self.push_screen(screen, keep_revealed)

    @on(OptionList.OptionSelected, "#show")
    def toggle_selected_episode(self) -> None:
        """Enter or a click on an episode toggles it, as space does."""
        self.action_toggle_watched()

    # --- actions -----------------------------------------------------------------------

    def _step_show(self, delta: int) -> None:
        """Make the show `delta` rows away in the shows pane current (the panes follow)."""
        ids = self.main_screen.shows_pane.visible_ids()
        if not ids:
            return
        index = ids.index(self.show_id) if self.show_id in ids else -delta
        self.main_screen.show_id = ids[(index + delta) % len(ids)]

    def action_previous_show(self) -> None:
        """Go to the previous show, from any pane."""
        self._step_show(-1)

    def action_next_show(self) -> None:
        """Go to the next show, from any pane."""
        self._step_show(1)

    def _highlighted_episode(self) -> EpisodeKey | None:
        show = self.current_show
        return self.main_screen.show_pane.highlighted_key(show.id) if show else None

    def _in_shows_pane(self) -> bool:
        focused = self.focused
        shows_pane = self.main_screen.shows_pane
        return focused is not None and shows_pane in focused.ancestors_with_self

    def _mark_next_from_shows_pane(self) -> None:
        """From the shows pane the show pane's cursor is out of sight: mark the episode
        the show's row names as next, and say which."""
        show = self.current_show
        if show is None:
            return
        key = next_unwatched(show, self.session.progress)
        if key is None:
            self.notify(f"{show.title} has no unwatched released episode.", markup=False)
            return
        self.session.toggle(key, clock.now())
        self._show_edit(key)
        self._save_edit()
        self.notify(f"Marked {show.title} {key.code()} watched", markup=False)

    def _unless_declined(
        self, show: Show, keys: Sequence[EpisodeKey], apply: Callable[[], None]
    ) -> None:
        """Run `apply`, first asking when the episodes are not released yet or lie far
        past the last known one (a slip there would poison "next" for good)."""
        warning = tracking_warning(show, keys, self.session.progress)
        if warning is None:
            apply()
            return

        def answer(mark_anyway: bool | None) -> None:
            if mark_anyway:
                apply()

        self.push_screen(ConfirmScreen(f"{warning}. Mark it watched anyway?"), answer)

    def _episode_to_mark(self) -> tuple[Show, EpisodeKey] | None:
        """The show pane's highlighted episode, or None when the key was handled otherwise:
        from the shows pane it marks that show's next episode; with nothing highlighted it
        says so."""
        if self._in_shows_pane():
            self._mark_next_from_shows_pane()
            return None
        show, key = self.current_show, self._highlighted_episode()
        if show is None or key is None:
            self.notify("Highlight an episode in the show pane first.", markup=False)
            return None
        return show, key

    def action_toggle_watched(self) -> None:
        """Toggle watched on the highlighted episode."""
        target = self._episode_to_mark()
        if target is None:
            return
        show, key = target

        def toggle() -> None:
            self.session.toggle(key, clock.now())
            self._show_edit(key)
            self._save_edit()

        if self.session.progress.is_watched(key):
            toggle()
        else:
            self._unless_declined(show, [key], toggle)

    def action_watch_up_to(self) -> None:
        """Mark every episode up to the highlighted one watched."""
        target = self._episode_to_mark()
        if target is None:
            return
        show, key = target
        keys = unwatched_up_to(show, self.session.progress, key)

        def mark() -> None:
            if self.session.mark_up_to(show, key, clock.now()):
                self._show_edit(key)
                self._save_edit()

        self._unless_declined(show, keys, mark)

    def action_undo(self) -> None:
        """Undo the last change: a show removed, or an edit of progress (marks included)."""
        last = self.undo_order.pop() if self.undo_order else None
        if last is not None:
            self.library.restore(last)
            return
        if not self.session.undo_stack:
            self.notify("Nothing to undo.", markup=False)
            return
        touched = self.session.undo(clock.now())  # none when the change was a mark
        self._show_edit(touched[0] if touched else None)
        self._save_edit(undoing=True)

    def action_next_unwatched(self) -> None:
        """Jump to the next unwatched episode of this show."""
        show = self.current_show
        key = next_unwatched(show, self.session.progress) if show else None
        if key is None:
            self.notify("No unwatched released episode.", markup=False)
            return
        show_pane = self.main_screen.show_pane
        show_pane.highlight_episode(key)
        show_pane.focus()

    # --- marks on the library: rewatches, ratings, list statuses, the archive -----------

    def _mark_edit(self, done: str, touched: EpisodeKey | None = None) -> None:
        """A mark changed in the session: show it, save it, and say what was done."""
        self._show_edit(touched)
        self._save_edit()
        undo = key_hint(self.main_screen, "undo", "u")
        self.notify(f"{done} ({undo} undoes)", markup=False)

    def _episode_in_show_pane(self) -> tuple[Show, EpisodeKey] | None:
        """The show pane's highlighted episode, for keys that act on one episode only."""
        show, key = self.current_show, self._highlighted_episode()
        if show is None or key is None or self._in_shows_pane():
            self.notify("Highlight an episode in the show pane first.", markup=False)
            return None
        return show, key

    def action_watch_again(self) -> None:
        """Log another viewing of the highlighted episode: a rewatch, never a toggle."""
        target = self._episode_in_show_pane()
        if target is None:
            return
        show, key = target

        def watch_again() -> None:
            self.session.watch_again(key, clock.now())
            count = len(self.session.progress.viewings(key))
            self._mark_edit(f"{show.title} {key.code()}: viewing {count} logged", key)

        self._unless_declined(show, [key], watch_again)

    def action_viewings(self) -> None:
        """List the highlighted episode's viewings; the one the list returns is removed."""
        target = self._episode_in_show_pane()
        if target is None:
            return
        show, key = target
        viewings = self.session.progress.viewings(key)
        what = f"{show.title} {key.code()}"
        if not viewings:
            self.notify(f"{what} has no viewings yet.", markup=False)
            return

        def remove(viewing_id: str | None) -> None:
            if viewing_id is not None:
                self.session.remove_viewing(key, viewing_id, clock.now())
                self._mark_edit(f"{what}: a viewing removed", key)

        from tracker_tui.tui.screens.viewings_screen import ViewingsScreen

        self.push_screen(ViewingsScreen(what, viewings), remove)

    def _rate(self, what: str, current: int | None, apply: Callable[[int | None], None]) -> None:
        """Ask for a rating of `what`, and `apply` the answer unless cancelled."""

        def answer(choice: RatingAnswer | None) -> None:
            if choice is None:
                return
            apply(choice.rating)
            said = f"rated {choice.rating}/10" if choice.rating else "rating cleared"
            self._mark_edit(f"{what} {said}")

        from tracker_tui.tui.screens.rating_screen import RatingScreen

        self.push_screen(RatingScreen(what, current), answer)

    def action_rate(self) -> None:
        """Rate the highlighted episode, or from the shows pane the show."""
        show = self.current_show
        if show is None:
            return
        progress = self.session.progress
        if self._in_shows_pane():

            def rate_show(rating: int | None) -> None:
                self.session.set_rating(show.id, rating, clock.now())

            self._rate(show.title, progress.rating(show.id), rate_show)
            return
        key = self._highlighted_episode()
        if key is None:
            self.notify("Highlight an episode in the show pane first.", markup=False)
            return

        def rate_episode(rating: int | None) -> None:
            self.session.set_rating(show.id, rating, clock.now(), key.season, key.episode)

        current = progress.rating(show.id, key.season, key.episode)
        self._rate(f"{show.title} {key.code()}", current, rate_episode)

    def action_rate_season(self) -> None:
        """Rate the season of the show pane's highlighted episode."""
        show, key = self.current_show, self._highlighted_episode()
        if show is None or key is None:
            self.notify("Highlight an episode in the show pane first.", markup=False)
            return

        def rate_season(rating: int | None) -> None:
            self.session.set_rating(show.id, rating, clock.now(), key.season)

        current = self.session.progress.rating(show.id, key.season)
        self._rate(f"{show.title} season {key.season}", current, rate_season)

    def action_set_status(self) -> None:
        """Put the current show on a list, or hand its status back to its progress."""
        show = self.current_show
        if show is None:
            return
        progress = self.session.progress
        chosen = progress.status(show.id)
        derived = derived_list_status(show, progress)

        def answer(choice: StatusAnswer | None) -> None:
            if choice is None or choice.status == self.session.progress.status(show.id):
                return
            self.session.set_status(show.id, choice.status, clock.now())
            said = status_label(choice.status) if choice.status else "automatic"
            self._mark_edit(f"{show.title}: {said}")

        from tracker_tui.tui.screens.status_screen import StatusScreen

        self.push_screen(StatusScreen(show.title, chosen, derived), answer)

    def action_status_filter(self) -> None:
        """List the next list's shows: all, watching, plan to watch, on hold, dropped,
        completed, archived, then all again."""
        self.main_screen.shows_pane.cycle_status_filter()

    def action_archive(self) -> None:
        """Archive the current show (hidden unless the filter lists archived shows), or
        bring an archived show back."""
        show = self.current_show
        if show is None:
            return
        archived = not self.session.progress.is_archived(show.id)
        self.session.set_archived(show.id, archived, clock.now())
        self._mark_edit(f"{show.title} {'archived' if archived else 'back from the archive'}")

    def action_toggle_spoilers(self) -> None:
        """Reveal or hide notes past your progress."""
        self.main_screen.reveal_spoilers = not self.reveal_spoilers

    def action_filter_shows(self) -> None:
        """Filter shows by typing; in the filter, a slash is typed ("Fate/Zero")."""
        filter_input = self.main_screen.shows_pane.filter_input
        if filter_input.has_focus:
            filter_input.insert_text_at_cursor("/")
        else:
            self.main_screen.shows_pane.open_filter()

    def action_add_show(self) -> None:
        """Open the add form; the new show is highlighted once saved."""
        self.library.add()

    def action_edit_show(self) -> None:
        """Open the edit form for the current show."""
        show = self.current_show
        if show is None:
            self.notify("No show to edit: add one first.", markup=False)
            return
        self.library.edit(show)

    def action_remove_show(self) -> None:
        """Remove the current show (a user show, after asking); `u` brings it back."""
        show = self.current_show
        if show is None:
            self.notify("No show to remove.", markup=False)
            return
        self.library.remove(show, self.undo_order.append)

    def action_import_history(self) -> None:
        """Preview an import of another tracker's export, then apply it."""
        from tracker_tui.tui.screens.import_screen import ImportScreen

        self.push_screen(ImportScreen(self.plan_import), self.apply_import)

    def action_upcoming(self) -> None:
        """List every show's releases still to come; the one chosen becomes the current
        show, at its season or episode."""
        from tracker_tui.domain.catalog.upcoming import upcoming
        from tracker_tui.tui.screens.upcoming_screen import UpcomingScreen

        today = clock.now().astimezone().date()  # the user's day, for "today" and "tomorrow"
        releases = upcoming(self.catalog.entries, today, self.catalog.sources)

        def go_to(release: Release | None) -> None:
            if release is not None:
                self.main_screen.go_to(release.show_id, release.season, release.episode)

        self.push_screen(UpcomingScreen(releases, today), go_to)

    def action_history(self) -> None:
        """Every viewing and unwatch, newest first: enter goes to the episode, x removes a
        viewing as `v` does (saved; `u` undoes it)."""
        from tracker_tui.tui.screens.history_screen import HistoryScreen

        def remove(key: EpisodeKey, viewing_id: str) -> None:
            show = self.catalog.outline(key.show)
            what = f"{show.title if show else key.show} {key.code()}"
            self.session.remove_viewing(key, viewing_id, clock.now())
            self._mark_edit(f"{what}: a viewing removed", key)

        def go_to(key: EpisodeKey | None) -> None:
            problem = self.main_screen.go_to_episode(key) if key is not None else None
            if problem is not None:
                self.notify(problem, markup=False)

        # One screen, kept between opens as the stats screen is: composing it was most
        # of an open's cost. It reads the history again only if the progress changed.
        screen = self._history_screen
        if screen is None:
            screen = self._history_screen = HistoryScreen(self.main_screen, remove)
            self.install_screen(screen, HISTORY_SCREEN)
        else:
            screen.reopen()
        self.push_screen(HISTORY_SCREEN, go_to)

    def stats_tally_made(self) -> StatsTally:
        """The app's `StatsTally`; two threads may each make one, and either may stay."""
        from tracker_tui.domain.watching.stats import StatsTally

        tally = self.stats_tally
        if tally is None:
            tally = self.stats_tally = StatsTally()
        return tally

    @work(thread=True, group="stats-ahead", description="Counting stats", exit_on_error=False)
    def count_stats_ahead(self) -> None:
        """Count the stats once in the background after start (a heavy library's first
        count takes a second or more), so `t` counts only what changed since; quitting
        stops it."""
        worker = get_current_worker()
        tally = self.stats_tally_made()
        # It builds every show's episodes and counts, all kept: frozen after, not walked
        # again and again by the collector on the way (each pass froze the app too).
        with no_collection_pauses(freeze=True):
            tally.update(
                self.catalog.shows,
                self.session.progress,
                keep_going=lambda: not worker.is_cancelled,
            )

    def action_stats(self) -> None:
        """Open the stats of what the app shows now (unsaved changes included)."""
        from tracker_tui.domain.watching.stats import Stats
        from tracker_tui.tui.screens.stats_screen import StatsScreen

        shows, progress, now = self.catalog.shows, self.session.progress, clock.now()
        tally = self.stats_tally_made()

        def count(year: int) -> Stats:
            return tally.stats(shows, progress, clock.now(), year)

        # One screen, kept between opens: composing it was most of an open's cost. What
        # it counted holds while the catalog, the progress (immutable: a change is a new
        # object) and the local day are the same; otherwise it counts again, only what
        # changed (the tally keeps the rest counted).
        counted_for = (shows, progress, now.astimezone().date())
        year = now.astimezone().year
        screen = self._stats_screen
        if screen is not None and screen.counted_for == counted_for:
            screen.reopen()
        else:
            # Little changed since the last count (the usual mark or two): counted here,
            # so the screen's first frame has the numbers, else in the screen's thread.
            counted = tally.quick_stats(shows, progress, now, year)
            if screen is None:
                screen = self._stats_screen = StatsScreen(count, year, counted)
                self.install_screen(screen, STATS_SCREEN)
            else:
                screen.recount(count, year, counted)
        screen.counted_for = counted_for
        self.push_screen(STATS_SCREEN)

    def plan_import(self, path: Path, fmt: str) -> tuple[ImportPlan, str]:
        """In the import screen's thread: read the export and plan it against what the
        app shows now (unsaved changes included), writing nothing."""
        from tracker_tui.domain.exchange.batch import ImportFormatError
        from tracker_tui.domain.exchange.importing import (
            plan_for_library,
            read_export,
            report_text,
        )

        try:
            batch, detected = read_export(path, fmt)
        except ImportFormatError as error:
            raise ValueError(str(error)) from error
        shows = {show.id: show for show in self.catalog.shows}
        plan = plan_for_library(batch, shows, self.session.progress)
        text = report_text(plan.summary(), path, dry_run=True, more="")
        return plan, (f"Detected {detected}\n{text}" if detected else text)

    def apply_import(self, plan: ImportPlan | None) -> None:
        """Write the previewed plan in a thread; the library and progress follow."""
        if plan is None:
            return
        self.notify("Importing…", markup=False)
        self.run_worker(
            lambda: self._import_worker(plan),
            thread=True,
            group="save",
            description="Importing",
        )

    def _import_worker(self, plan: ImportPlan) -> None:
        from tracker_tui.domain.exchange.apply import ImportApplyError, apply_import

        try:
            result = apply_import(plan, self.store)
        except ImportApplyError as error:
            self.post_message(ImportFinished(None, str(error), failed=True))
            return
        counts = plan.counts
        done = (
            f"{len(result.created)} shows created, {counts.viewings_added} viewings, "
            f"{counts.ratings} ratings, {counts.statuses} statuses added"
        )
        self.post_message(ImportFinished(plan.new_shows[0].id if plan.new_shows else None, done))

    @on(ImportFinished)
    def show_imported(self, message: ImportFinished) -> None:
        """Read the show files and progress the import wrote, and say what it did."""
        if message.failed:
            self.notify(message.text, title="Import failed", severity="error", markup=False)
            return
        self.library.reload(message.first_new_show)
        self._load_worker()
        self.notify(message.text, title="Imported", markup=False)

    @on(CatalogReloaded)
    def show_reloaded_catalog(self, message: CatalogReloaded) -> None:
        """The show files were read again: show what they hold now."""
        self.library.take_catalog(message)

    @on(FileChecked)
    def offer_to_edit_again(self, message: FileChecked) -> None:
        """The file just edited has problems: show them, never touching its text."""
        self.library.offer_edit_again(message)

    @on(ShowWriteFailed)
    def report_show_write_failure(self, message: ShowWriteFailed) -> None:
        """A show file could not be written: say why, and give the user's draft back."""
        self.library.report_failure(message)

    def action_help(self) -> None:
        """Show every key, as remapped."""
        from tracker_tui.tui.screens.help_screen import HelpScreen  # opened by a key

        self.push_screen(HelpScreen(self.binding_keys(), data_dir()))

    def binding_keys(self) -> dict[str, list[str]]:
        """Each binding id's keys now, after the keymap."""
        return effective_keys(self.key_scopes(), self.keymap)

    async def action_quit(self) -> None:
        """Quit once every change is saved; asks first only if one cannot be."""
        self._quit_when_saved(ask=True)

    def _quit_on_signal(self) -> None:
        """SIGTERM or SIGHUP: nobody is there to ask, so wait for saves, then go."""
        self._quit_when_saved(ask=False)

    @work(exclusive=True, group="quit", description="Quitting")
    async def _quit_when_saved(self, *, ask: bool) -> None:
        """Wait (up to QUIT_WAIT_SECONDS, saying so) for pending saves, then exit.

        A failed save is tried once more at once rather than on its timer. If a change
        still cannot be saved, ask; with no one to ask (a signal), exit with code 1
        and name what was lost on stderr.
        """
        if self.unsaved:
            self.notify("Saving your progress…", markup=False, timeout=QUIT_WAIT_SECONDS)
            failures = self._save_failures
            if self._save_error is not None and not self.saving:
                self.save_progress()
            deadline = time.monotonic() + QUIT_WAIT_SECONDS
            while self.unsaved and time.monotonic() < deadline:
                if self._save_failures > failures and not self.saving:
                    break
                await asyncio.sleep(0.05)
        reason = f" ({self._save_error})" if self._save_error else ""
        if not ask:
            code = 1 if self.unsaved else 0
            # After SIGHUP the terminal is gone and Textual's shutdown can block on it
            # for good; every save is done or given up by now, so nothing is lost.
            watchdog = threading.Timer(SHUTDOWN_GRACE_SECONDS, os._exit, args=(code,))
            watchdog.daemon = True
            watchdog.start()
            message = f"tracker: progress not saved{reason}" if self.unsaved else None
            self.exit(return_code=code, message=message)
            return
        if not self.unsaved:
            self.exit()
            return

        def answer(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        if not isinstance(self.screen, ConfirmScreen):
            self.push_screen(
                ConfirmScreen(f"Some progress is not saved yet{reason}. Quit anyway and lose it?"),
                answer,
            )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands (its Quit and Keys replaced by ours), then one per action of the app's
        bindings: the tooltip is the title, the keys (as remapped) its help; while the
        terminal is too small for the panes, help and quit only."""
        for command in super().get_system_commands(screen):
            # One Quit and one help: ours, which wait for saves and list every key.
            if command.callback != self.action_quit and command.title != "Keys":
                yield command
        keys_by_id = self.binding_keys()
        by_action: dict[str, list[Binding]] = {}
        for binding in Binding.make_bindings(self.BINDINGS):
            by_action.setdefault(binding.action, []).append(binding)
        # The palette runs a command without check_action: while the panes are hidden
        # (too small), leave out what would change them unseen, as their keys do nothing.
        hidden = screen is self.main_screen and self.main_screen.too_small
        for action, bindings in by_action.items():
            if hidden and action in self.PANE_ACTIONS:
                continue
            ids = dict.fromkeys(binding.id for binding in bindings if binding.id)
            keys = ", ".join(key_label(key) for binding_id in ids for key in keys_by_id[binding_id])
            title, help_text = bindings[0].tooltip.rstrip("."), f"key: {keys}"
            if action == "quit":  # the palette's one Quit: what it does is the help
                title, help_text = "Quit", f"{title} ({help_text})"
            yield SystemCommand(title, help_text, getattr(self, f"action_{action}"))
