"""The source viewer: a note's source document with the quoted passage highlighted, and
passages that would spoil notes past the user's progress folded away."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tracker_tui.domain.catalog.models import Note
from tracker_tui.domain.catalog.sources import QuoteSpan, SourceRegistry
from tracker_tui.domain.watching.source_spoilers import (
    ELIDED,
    Elision,
    Fold,
    Paragraph,
    fold_label,
    fold_spoilers,
    paragraph_pieces,
    spoiler_quotes,
    spoiler_spans,
)
from tracker_tui.tui.keys import key_hint
from tracker_tui.tui.widgets.key_bar import KeyBar


class SourceScreen(ModalScreen[bool]):
    """One source at a time; left/right (or tab) step through all of the note's sources.

    Dismisses with whether spoilers are revealed, so `s` here reveals them everywhere.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", tooltip="Close the source.", id="source.close"),
        Binding(
            "right,tab",
            "step(1)",
            "Next source",
            tooltip="Show the note's next source.",
            id="source.next",
        ),
        Binding(
            "left,shift+tab",
            "step(-1)",
            "Previous source",
            tooltip="Show the note's previous source.",
            id="source.previous",
        ),
        Binding(
            "s",
            "toggle_spoilers",
            "Spoilers",
            tooltip="Reveal or hide passages past your progress.",
            id="source.toggle_spoilers",
        ),
        Binding("j", "scroll(1)", "Down", show=False, tooltip="Scroll down.", id="source.down"),
        Binding("k", "scroll(-1)", "Up", show=False, tooltip="Scroll up.", id="source.up"),
    ]

    def __init__(
        self,
        note: Note,
        registry: SourceRegistry,
        *,
        hidden: Sequence[Note] = (),
        furthest: tuple[int, int] | None = None,
        revealed: bool = False,
    ) -> None:
        super().__init__()
        self.note = note
        self.registry = registry
        self.hidden = hidden
        """Notes the user may not see yet: what they quote is folded unless revealed."""
        self.furthest = furthest
        self.revealed = revealed
        self.index = 0

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="source-body")
        yield KeyBar()

    async def on_mount(self) -> None:
        await self.show_source()

    async def show_source(self) -> None:
        """Show the current source, scrolled so the quoted paragraph is at the top."""
        ref = self.note.sources[self.index]
        body = self.query_one("#source-body", VerticalScroll)
        await body.remove_children()
        document = self.registry.get(ref.document)
        count = len(self.note.sources)
        title = document.title_for(ref.quote) if document else ref.document
        body.border_title = Content(f"Source {self.index + 1} of {count}: {title}")
        body.border_subtitle = Content(ref.document)
        if document is None:
            await body.mount(Static(Text(f"{ref.document} is not available.")))
            return
        try:
            text = document.text
        except (OSError, UnicodeDecodeError) as error:
            await body.mount(Static(Text(f"Cannot read {document.path}: {error}")))
            return
        span = document.locate(ref.quote)
        spoilers = (
            []
            if self.revealed
            else spoiler_spans(document, spoiler_quotes(ref.document, self.hidden, self.note))
        )
        target: Static | None = None
        paragraphs: list[Static] = []
        reveal_key = key_hint(self, "source.toggle_spoilers", "s")
        for passage in fold_spoilers(text, spoilers, span):
            if isinstance(passage, Fold):
                label = Text(fold_label(self.furthest, reveal_key), style="italic")
                paragraphs.append(Static(label, classes="spoiler-fold"))
                continue
            paragraph = _paragraph_text(text, passage, span)
            classes = "paragraph quoted" if passage.quoted else "paragraph"
            widget = Static(paragraph, classes=classes)
            paragraphs.append(widget)
            if passage.quoted and target is None:
                target = widget
        await body.mount_all(paragraphs)

        def bring_quote_into_view() -> None:
            if target is None:
                body.scroll_home(animate=False)
            else:
                body.scroll_to_widget(target, animate=False, top=True)

        self.call_after_refresh(bring_quote_into_view)

    def action_close(self) -> None:
        self.dismiss(self.revealed)

    async def action_toggle_spoilers(self) -> None:
        """Reveal or hide the passages past your progress."""
        self.revealed = not self.revealed
        await self.show_source()

    async def action_step(self, delta: int) -> None:
        self.index = (self.index + delta) % len(self.note.sources)
        await self.show_source()

    def action_scroll(self, delta: int) -> None:
        self.query_one("#source-body", VerticalScroll).scroll_relative(y=delta, animate=False)


def _paragraph_text(text: str, paragraph: Paragraph, quote: QuoteSpan | None) -> Text:
    """One paragraph as `paragraph_pieces` lays it out, catalog text kept literal."""
    drawn = Text()
    for piece in paragraph_pieces(paragraph, quote):
        if isinstance(piece, Elision):
            drawn.append(ELIDED, style="italic")
            continue
        excerpt = Text(text[piece.start : piece.end])
        if piece.highlight is not None:
            excerpt.stylize("reverse bold", *piece.highlight)
        drawn.append_text(excerpt)
    return drawn
