"""The source viewer: a note's source document with the quoted passage highlighted."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from tracker_tui.domain.models import Note
from tracker_tui.domain.sources import SourceRegistry


class SourceScreen(ModalScreen[None]):
    """One source at a time; left/right (or tab) step through all of the note's sources."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"),
        Binding("right,tab", "step(1)", "Next source"),
        Binding("left,shift+tab", "step(-1)", "Previous source"),
        Binding("j", "scroll(1)", "Down", show=False),
        Binding("k", "scroll(-1)", "Up", show=False),
    ]

    def __init__(self, note: Note, registry: SourceRegistry) -> None:
        super().__init__()
        self.note = note
        self.registry = registry
        self.index = 0

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="source-body")
        yield Footer()

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
        target: Static | None = None
        offset = 0
        paragraphs: list[Static] = []
        for line in text.split("\n"):
            start, end = offset, offset + len(line)
            offset = end + 1
            if not line.strip():
                continue
            paragraph = Text(line)
            hit = span is not None and span.start < end and span.end > start
            if hit and span is not None:
                paragraph.stylize("reverse bold", max(span.start - start, 0), span.end - start)
            widget = Static(paragraph, classes="paragraph quoted" if hit else "paragraph")
            paragraphs.append(widget)
            if hit and target is None:
                target = widget
        await body.mount_all(paragraphs)

        def bring_quote_into_view() -> None:
            if target is None:
                body.scroll_home(animate=False)
            else:
                body.scroll_to_widget(target, animate=False, top=True)

        self.call_after_refresh(bring_quote_into_view)

    async def action_step(self, delta: int) -> None:
        self.index = (self.index + delta) % len(self.note.sources)
        await self.show_source()

    def action_scroll(self, delta: int) -> None:
        self.query_one("#source-body", VerticalScroll).scroll_relative(y=delta, animate=False)
