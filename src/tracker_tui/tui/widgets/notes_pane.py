"""The notes pane: the show's notes with their sources; spoilers hidden past progress."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static
from textual.widgets.option_list import Option

from tracker_tui.domain.catalog.models import Note, Show
from tracker_tui.domain.catalog.sources import SourceRegistry
from tracker_tui.domain.watching.spoilers import VisibleNotes
from tracker_tui.tui.widgets.lists import VimOptionList


def note_prompt(note: Note, show: Show, registry: SourceRegistry) -> Text:
    text = Text()
    text.append(note.topic, style="bold")
    if note.spoiler:
        text.append(f"  spoiler {note.spoiler.code()}", style="italic")
    if note.dispute:
        text.append("  ⚠ sources disagree", style="bold")
    text.append("\n")
    text.append(note.text)
    for spelling in show.spellings_in(note.text):
        where = "; ".join(
            registry.titles_for((ref.document, ref.quote) for ref in spelling.variant_sources())
        )
        text.append(f"\n({spelling.name}, also spelt {spelling.variant}: {where})", style="dim")
    titles = registry.titles_for((ref.document, ref.quote) for ref in note.sources)
    text.append("\n— " + "; ".join(titles), style="dim italic")
    return text


class NoteList(VimOptionList):
    """The notes; enter opens the highlighted note's source."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select",
            "Open source",
            tooltip="Open the highlighted note's source.",
            id="notes.open_source",
        )
    ]


class NotesPane(Vertical):
    """Notes in a list; a line under it says how many are hidden as spoilers."""

    BORDER_TITLE = "Notes"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._showing: tuple[object, ...] | None = None
        """What the pane shows now; an episode marked without changing it costs nothing."""

    def compose(self) -> ComposeResult:
        yield NoteList(id="note-list")
        yield Static("", id="notes-hidden")

    @property
    def note_list(self) -> NoteList:
        return self.query_one(NoteList)

    def show_notes(
        self,
        show: Show | None,
        notes: VisibleNotes | None,
        registry: SourceRegistry,
        *,
        revealed: bool = False,
    ) -> None:
        note_list = self.note_list
        hidden = self.query_one("#notes-hidden", Static)
        if show is None or notes is None:
            self._showing = None
            note_list.set_options([])
            hidden.update("")
            return
        summary = notes.hidden_summary()
        if not summary and revealed and any(note.spoiler for note in show.notes):
            summary = "Spoilers shown"
        showing = (show, tuple(note.id for note in notes.shown), bool(notes.hidden), summary)
        if showing == self._showing:
            return
        self._showing = showing
        if notes.shown:
            note_list.set_options(
                Option(note_prompt(note, show, registry), id=note.id) for note in notes.shown
            )
        else:
            message = "No notes yet: watch on." if notes.hidden else "No notes for this show."
            note_list.set_options([Option(Text(message, style="dim italic"), disabled=True)])
        hidden.update(Text(summary))
        hidden.display = bool(summary)
        if notes.shown:
            note_list.highlighted = 0

    def highlighted_note_id(self) -> str | None:
        option = self.note_list.highlighted_option
        return option.id if option else None
