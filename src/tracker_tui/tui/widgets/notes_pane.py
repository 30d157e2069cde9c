"""The notes pane: the show's notes, each with the numbers of its sources, listed once at
the foot; spoilers hidden past progress."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.reactive import var
from textual.widgets import Static
from textual.widgets.option_list import Option

from tracker_tui.domain.catalog.citations import spelt
from tracker_tui.domain.catalog.loader import Catalog
from tracker_tui.domain.catalog.models import Note, Show
from tracker_tui.domain.progress.records import Progress
from tracker_tui.domain.watching.spoilers import visible_notes
from tracker_tui.tui.keys import key_hint
from tracker_tui.tui.widgets.lists import VimOptionList
from tracker_tui.tui.widgets.show_pane import Citations


def note_prompt(note: Note, show: Show, citations: Citations) -> Text:
    """The topic, the note, and the numbers of its sources (listed at the pane's foot)."""
    text = Text()
    text.append(note.topic, style="bold")
    if note.spoiler:
        text.append(f"  spoiler {note.spoiler.code()}", style="italic")
    if note.dispute:
        text.append("  ⚠ sources disagree", style="bold")
    text.append("\n")
    text.append(note.text)
    text.append(f" {citations.cite(note.sources)}", style="dim")
    for spelling in show.spellings_in(note.text):
        text.append(f"\n({spelt(spelling, citations).rstrip()})", style="dim")
    return text


class NoteList(VimOptionList):
    """The notes; enter opens the highlighted note's source."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select",
            "Open source",
            show=False,  # the pane's border says it, so the footer keeps room for Help
            tooltip="Open the highlighted note's source.",
            id="notes.open_source",
        )
    ]

    def action_last(self) -> None:
        """The last note, and the list at its foot: the sources its numbers stand for."""
        super().action_last()
        self.scroll_end(animate=False, immediate=True)


class NotesPane(Vertical):
    """Notes in a list; a line under it says how many are hidden as spoilers.

    Bind `progress`, `reveal_spoilers` and `show_id`, as for the show pane.
    """

    BORDER_TITLE = "Notes"

    show_id: var[str | None] = var(None, init=False)
    """The show whose notes are listed; None: none."""

    progress: var[Progress] = var(Progress.empty, init=False)
    """The user's progress: notes past it are hidden as spoilers."""

    reveal_spoilers: var[bool] = var(False, init=False)
    """List the notes past the user's progress too."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.catalog = catalog
        """Where the show and its sources come from."""
        self._showing: tuple[object, ...] | None = None
        """What the pane shows now; an episode marked without changing it costs nothing."""
        self._summary = ""
        """The line under the list: how many notes are hidden, and past which episode."""

    note_list = getters.query_one(NoteList)
    hidden_line = getters.query_one("#notes-hidden", Static)

    def compose(self) -> ComposeResult:
        yield NoteList(id="note-list")
        yield Static("", id="notes-hidden")

    def watch_show_id(self) -> None:
        """Another show: list its notes."""
        self._show_notes()

    def watch_progress(self) -> None:
        """Progress changed: it may reach notes that were hidden."""
        self._show_notes()

    def watch_reveal_spoilers(self) -> None:
        """Spoilers revealed or hidden: list or hide the notes past the progress."""
        self._show_notes()

    def _show_notes(self) -> None:
        """List the notes of the current show that its progress reaches (all of them when
        spoilers are revealed) and say how many are hidden."""
        show = self.catalog.get(self.show_id) if self.show_id else None
        note_list, hidden = self.note_list, self.hidden_line
        if show is None:
            self._showing = None
            note_list.set_options([])
            hidden.update("")
            self._summary = ""
            return
        notes = visible_notes(show, self.progress, spoilers=self.reveal_spoilers)
        registry = self.catalog.sources
        summary = notes.hidden_summary()
        if not summary and self.reveal_spoilers and any(note.spoiler for note in show.notes):
            summary = "Spoilers shown"
        if summary != self._summary:
            # One line before and after: no need to lay the screen out again.
            width = hidden.content_size.width
            fits = 0 < cell_len(summary) <= width and 0 < cell_len(self._summary) <= width
            hidden.update(Text(summary), layout=not fits)
            self._summary = summary
        hidden.display = bool(summary)
        # The line above says how far the user has watched; the list changes only when
        # the notes shown do (a mark that reaches none costs a line, not the list).
        showing = (show, tuple(note.id for note in notes.shown), bool(notes.hidden))
        if showing == self._showing:
            return
        self._showing = showing
        if notes.shown:
            citations = Citations(registry)
            rows = [Option(note_prompt(note, show, citations), id=note.id) for note in notes.shown]
            note_list.set_options([*rows, *citations.rows(gap=True)])
        else:
            message = "No notes yet: watch on." if notes.hidden else "No notes for this show."
            note_list.set_options([Option(Text(message, style="dim italic"), disabled=True)])
        if notes.shown:
            note_list.highlighted = 0
        opens = key_hint(self, "notes.open_source", "enter")
        self.border_subtitle = f"{opens} opens the source" if notes.shown else None
