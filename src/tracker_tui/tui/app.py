"""The Textual app: owns the catalog and progress, and wires keys to the domain."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList

from tracker_tui.domain import clock
from tracker_tui.domain.catalog import Catalog
from tracker_tui.domain.models import Show
from tracker_tui.domain.progress import EpisodeKey, Progress
from tracker_tui.domain.session import WatchSession
from tracker_tui.domain.settings import load_theme, save_theme
from tracker_tui.domain.store import ProgressSaveError, ProgressStore
from tracker_tui.domain.watching import next_unwatched, visible_notes
from tracker_tui.tui.messages import DiskProgressChanged, ProgressSaved, ProgressSaveFailed
from tracker_tui.tui.screens import ConfirmScreen, HelpScreen, MainScreen, SourceScreen
from tracker_tui.tui.widgets import NotesPane, ShowPane, ShowsPane

DISK_POLL_SECONDS = 1.0
SAVE_RETRY_SECONDS = 5.0


class TrackerApp(App[None]):
    """Pick a show, mark episodes, read notes: every change is saved at once."""

    CSS_PATH = "app.tcss"
    TITLE = "tracker"

    BINDINGS: ClassVar[list[BindingType]] = [
        # Moving: tab/shift+tab come from App (focus next/previous pane).
        # Descriptions are short so every key fits the footer at 80 columns.
        Binding("left_square_bracket", "previous_show", "Prev", key_display="["),
        Binding("right_square_bracket", "next_show", "Next", key_display="]"),
        # Progress.
        Binding("space", "toggle_watched", "Seen", key_display="spc"),
        Binding("w", "watch_up_to", "Up to"),
        Binding("u", "undo", "Undo"),
        Binding("n", "next_unwatched", "Jump"),
        # Reading.
        Binding("s", "toggle_spoilers", "Spoilers"),
        Binding("slash", "filter_shows", "Filter", key_display="/"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "request_quit", "Quit"),
    ]

    def __init__(self, catalog: Catalog, store: ProgressStore) -> None:
        super().__init__()
        self.catalog = catalog
        self.store = store
        loaded = store.load()
        self._start_notices = [str(problem) for problem in catalog.problems]
        if loaded.notice:
            self._start_notices.append(loaded.notice)
        self.session = WatchSession(loaded.progress)
        self.show_id: str | None = catalog.shows[0].id if catalog.shows else None
        self.reveal_spoilers = False
        self._changes = 0
        self._saved_changes = 0
        self._save_error: str | None = None
        self._disk_signature = store.modified_signature()

    # --- set-up ----------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        return MainScreen()

    def on_ready(self) -> None:
        """The main screen is composed: fill it, focus the shows, report start-up problems."""
        theme = load_theme()
        if theme and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.refresh_everything()
        self.query_one(ShowsPane).show_list.focus()
        for notice in self._start_notices:
            self.notify(
                notice, title="Problem at start-up", severity="warning", markup=False, timeout=15
            )
        self.set_interval(DISK_POLL_SECONDS, self.check_disk)

    def _remember_theme(self, _theme: object) -> None:
        try:
            save_theme(self.theme)
        except OSError as error:
            self.notify(f"Cannot save the theme: {error}", severity="warning", markup=False)

    # --- state helpers -----------------------------------------------------------

    @property
    def current_show(self) -> Show | None:
        return self.catalog.get(self.show_id) if self.show_id else None

    @property
    def unsaved(self) -> bool:
        return self._saved_changes < self._changes

    def refresh_everything(self, keep: EpisodeKey | None = None) -> None:
        shows_pane = self.query_one(ShowsPane)
        shows_pane.refresh_shows(self.catalog.shows, self.session.progress, self.show_id)
        self.refresh_show(keep)

    def refresh_show(self, keep: EpisodeKey | None = None) -> None:
        show = self.current_show
        progress = self.session.progress
        show_pane = self.query_one(ShowPane)
        if keep is None and show is not None:
            keep = show_pane.highlighted_key(show.id)
        show_pane.show_show(show, progress, self.catalog.sources, clock.today(), keep)
        notes = visible_notes(show, progress, spoilers=self.reveal_spoilers) if show else None
        self.query_one(NotesPane).show_notes(
            show, notes, self.catalog.sources, revealed=self.reveal_spoilers
        )

    def refresh_progress(self, keep: EpisodeKey | None = None) -> None:
        """Progress changed: redraw the shows it touched and the open show."""
        self.query_one(ShowsPane).update_progress(self.session.progress)
        self.refresh_show(keep)

    def _changed(self, keep: EpisodeKey | None) -> None:
        self._changes += 1
        self.refresh_progress(keep)
        self.save_progress()

    # --- saving and watching the disk ------------------------------------------------

    def save_progress(self) -> None:
        self._save_worker(self.session.progress, self._changes)

    # A fixed description: by default Textual would repr the whole Progress.
    @work(thread=True, group="save", description="Saving progress")
    def _save_worker(self, progress: Progress, change: int) -> None:
        try:
            merged = self.store.save(progress)
        except ProgressSaveError as error:
            self.post_message(ProgressSaveFailed(str(error)))
            return
        self.post_message(ProgressSaved(merged, change))

    @on(ProgressSaved)
    def absorb_saved(self, message: ProgressSaved) -> None:
        self._saved_changes = max(self._saved_changes, message.change)
        self._disk_signature = self.store.modified_signature()
        if self._save_error and not self.unsaved:
            self._save_error = None
            self.notify("Progress saved.", markup=False)
        before = self.session.progress
        self.session.absorb(message.progress)
        if self.session.progress != before:
            self.refresh_progress()

    @on(ProgressSaveFailed)
    def report_save_failure(self, message: ProgressSaveFailed) -> None:
        first = self._save_error is None
        self._save_error = message.reason
        if first:
            self.notify(
                f"{message.reason}. Your change is kept and will be saved when possible.",
                title="Could not save",
                severity="error",
                markup=False,
                timeout=10,
            )
        self.set_timer(SAVE_RETRY_SECONDS, self._retry_save)

    def _retry_save(self) -> None:
        if self.unsaved:
            self.save_progress()

    def check_disk(self) -> None:
        signature = self.store.modified_signature()
        if signature != self._disk_signature:
            self._disk_signature = signature
            self._load_worker()

    @work(thread=True, exclusive=True, group="load", description="Reading progress")
    def _load_worker(self) -> None:
        result = self.store.load()
        if result.notice:
            self.notify(result.notice, severity="warning", markup=False)
        self.post_message(DiskProgressChanged(result.progress))

    @on(DiskProgressChanged)
    def absorb_disk(self, message: DiskProgressChanged) -> None:
        before = self.session.progress
        self.session.absorb(message.progress)
        if self.session.progress != before:
            self.refresh_progress()

    # --- selection -------------------------------------------------------------------

    @on(ShowsPane.Chosen)
    def choose_show(self, message: ShowsPane.Chosen) -> None:
        if message.show_id != self.show_id:
            self.show_id = message.show_id
            self.refresh_show()

    @on(OptionList.OptionSelected, "#note-list")
    def open_note_source(self, event: OptionList.OptionSelected) -> None:
        show = self.current_show
        note = next((n for n in show.notes if n.id == event.option.id), None) if show else None
        if note is not None:
            self.push_screen(SourceScreen(note, self.catalog.sources))

    @on(OptionList.OptionSelected, "#show")
    def toggle_selected_episode(self) -> None:
        self.action_toggle_watched()

    # --- actions -----------------------------------------------------------------------

    def _step_show(self, delta: int) -> None:
        ids = self.query_one(ShowsPane).visible_ids()
        if not ids:
            return
        index = ids.index(self.show_id) if self.show_id in ids else -delta
        self.show_id = ids[(index + delta) % len(ids)]
        self.query_one(ShowsPane).select(self.show_id)
        self.refresh_show()

    def action_previous_show(self) -> None:
        """Go to the previous show, from any pane."""
        self._step_show(-1)

    def action_next_show(self) -> None:
        """Go to the next show, from any pane."""
        self._step_show(1)

    def _highlighted_episode(self) -> EpisodeKey | None:
        show = self.current_show
        return self.query_one(ShowPane).highlighted_key(show.id) if show else None

    def action_toggle_watched(self) -> None:
        """Toggle watched on the highlighted episode."""
        key = self._highlighted_episode()
        if key is None:
            self.notify("Highlight an episode in the show pane first.", markup=False)
            return
        self.session.toggle(key, clock.now())
        self._changed(key)

    def action_watch_up_to(self) -> None:
        """Mark every episode up to the highlighted one watched."""
        show, key = self.current_show, self._highlighted_episode()
        if show is None or key is None:
            self.notify("Highlight an episode in the show pane first.", markup=False)
            return
        if self.session.mark_up_to(show, key, clock.now()):
            self._changed(key)

    def action_undo(self) -> None:
        """Undo the last change."""
        touched = self.session.undo(clock.now())
        if not touched:
            self.notify("Nothing to undo.", markup=False)
            return
        self._changed(touched[0] if touched[0].show == self.show_id else None)

    def action_next_unwatched(self) -> None:
        """Jump to the next unwatched episode of this show."""
        show = self.current_show
        key = next_unwatched(show, self.session.progress) if show else None
        if key is None:
            self.notify("No unwatched released episode.", markup=False)
            return
        show_pane = self.query_one(ShowPane)
        show_pane.highlight_episode(key)
        show_pane.focus()

    def action_toggle_spoilers(self) -> None:
        """Reveal or hide notes past your progress."""
        self.reveal_spoilers = not self.reveal_spoilers
        self.refresh_show()

    def action_filter_shows(self) -> None:
        """Filter shows by typing."""
        self.query_one(ShowsPane).open_filter()

    def action_help(self) -> None:
        """Show every key."""
        self.push_screen(HelpScreen())

    def action_request_quit(self) -> None:
        """Quit; asks first if a change is not saved yet."""
        if not self.unsaved:
            self.exit()
            return

        def answer(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        reason = f" ({self._save_error})" if self._save_error else ""
        self.push_screen(
            ConfirmScreen(f"Some progress is not saved yet{reason}. Quit anyway and lose it?"),
            answer,
        )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            action = getattr(self, f"action_{binding.action}")
            title = (action.__doc__ or binding.description).rstrip(".")
            yield SystemCommand(title, f"key: {binding.key_display or binding.key}", action)
