"""Which passages of a source document would spoil notes the user may not see yet, and
how the source viewer lays out each paragraph: the quote highlighted, spoilers elided."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tracker_tui.domain.catalog.models import Note
from tracker_tui.domain.catalog.sources import QuoteSpan, SourceDocument


@dataclass(frozen=True)
class Paragraph:
    """A non-blank line of a document, by its place in the document's text."""

    start: int
    end: int
    quoted: bool = False
    """It holds (part of) the quote the user opened the document for."""
    hidden: tuple[QuoteSpan, ...] = ()
    """Spoiler passages inside a quoted paragraph, clipped to it, in order and apart:
    elided, not folded."""


@dataclass(frozen=True)
class Fold:
    """A run of paragraphs that would spoil a hidden note, shown as one line."""

    paragraphs: int


Passage = Paragraph | Fold

ELIDED = "[spoiler hidden]"
"""What the viewer shows for a spoiler passage inside the quoted paragraph."""


def paragraphs(text: str) -> list[Paragraph]:
    """The document's non-blank lines: the viewer shows each as a paragraph."""
    found = []
    offset = 0
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if line.strip():
            found.append(Paragraph(start, end))
    return found


def spoiler_quotes(document: str, hidden: Iterable[Note], viewed: Note | None = None) -> list[str]:
    """What hidden notes quote from `document`; the viewed note's own quotes never count."""
    return [
        ref.quote
        for note in hidden
        if note is not viewed
        for ref in note.sources
        if ref.document == document
    ]


def spoiler_spans(document: SourceDocument, quotes: Iterable[str]) -> list[QuoteSpan]:
    """Where each spoiler quote sits; a quote no longer in the text hides nothing."""
    return [span for quote in quotes if (span := document.locate(quote)) is not None]


def _overlaps(span: QuoteSpan, start: int, end: int) -> bool:
    return span.start < end and span.end > start


def fold_spoilers(
    text: str, spoilers: Sequence[QuoteSpan], quote: QuoteSpan | None
) -> list[Passage]:
    """The document as the viewer shows it: paragraphs, with spoiler runs folded.

    A paragraph touching a spoiler passage is folded, unless it also holds the quote
    the user opened: that one stays, with only the spoiler passages in it elided.
    Folded neighbours become one fold, so a long spoiler costs one line.
    """
    passages: list[Passage] = []
    for paragraph in paragraphs(text):
        quoted = quote is not None and _overlaps(quote, paragraph.start, paragraph.end)
        touching = [s for s in spoilers if _overlaps(s, paragraph.start, paragraph.end)]
        if touching and not quoted:
            last = passages[-1] if passages else None
            if isinstance(last, Fold):
                passages[-1] = Fold(last.paragraphs + 1)
            else:
                passages.append(Fold(1))
            continue
        clipped = [
            QuoteSpan(max(s.start, paragraph.start), min(s.end, paragraph.end)) for s in touching
        ]
        passages.append(Paragraph(paragraph.start, paragraph.end, quoted, _joined(clipped)))
    return passages


def _joined(spans: list[QuoteSpan]) -> tuple[QuoteSpan, ...]:
    """Spans in order, those that overlap or touch made one: each is one elision."""
    joined: list[QuoteSpan] = []
    for span in sorted(spans, key=lambda span: span.start):
        if joined and span.start <= joined[-1].end:
            joined[-1] = QuoteSpan(joined[-1].start, max(joined[-1].end, span.end))
        else:
            joined.append(span)
    return tuple(joined)


def fold_label(furthest: tuple[int, int] | None, reveal_key: str = "s") -> str:
    """The line a fold shows, in the words the notes pane uses for hidden notes;
    `reveal_key` is the key that reveals, as the user has it."""
    if furthest is None:
        return f"▸ spoiler hidden: nothing watched yet (press {reveal_key} to reveal)"
    season, episode = furthest
    return f"▸ spoiler past S{season}E{episode} hidden (press {reveal_key} to reveal)"


@dataclass(frozen=True)
class Excerpt:
    """A stretch of the document's text that the viewer shows as it is."""

    start: int
    end: int
    highlight: tuple[int, int] | None = None
    """The part of it the opened quote covers, counted from the excerpt's start."""


@dataclass(frozen=True)
class Elision:
    """A spoiler passage the viewer shows as `ELIDED`."""

    span: QuoteSpan


def paragraph_pieces(paragraph: Paragraph, quote: QuoteSpan | None) -> list[Excerpt | Elision]:
    """A paragraph as the viewer draws it: its text, the quote highlighted, and each of its
    hidden spoiler passages (in order and apart, see `Paragraph.hidden`) elided."""
    pieces: list[Excerpt | Elision] = []
    cursor = paragraph.start
    for spoiler in paragraph.hidden:
        if spoiler.start > cursor:
            pieces.append(_excerpt(cursor, spoiler.start, quote))
        pieces.append(Elision(spoiler))
        cursor = spoiler.end
    if cursor < paragraph.end:
        pieces.append(_excerpt(cursor, paragraph.end, quote))
    return pieces


def _excerpt(start: int, end: int, quote: QuoteSpan | None) -> Excerpt:
    if quote is None:
        return Excerpt(start, end)
    first, last = max(quote.start, start), min(quote.end, end)
    return Excerpt(start, end, (first - start, last - start) if first < last else None)
