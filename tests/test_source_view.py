"""How the source viewer lays out a paragraph: the quote highlighted, spoilers elided."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tracker_tui.domain.catalog.sources import QuoteSpan
from tracker_tui.domain.watching.source_spoilers import (
    Elision,
    Excerpt,
    Paragraph,
    fold_spoilers,
    paragraph_pieces,
)

TEXT = "The hero dies at the end, she mourns."


def at(words: str) -> QuoteSpan:
    start = TEXT.index(words)
    return QuoteSpan(start, start + len(words))


WHOLE = Paragraph(0, len(TEXT))


def shown(pieces: list[Excerpt | Elision]) -> list[str]:
    """The pieces as the viewer reads: highlighted text in [brackets], elisions as `…`."""
    out = []
    for piece in pieces:
        if isinstance(piece, Elision):
            out.append("…")
            continue
        excerpt = TEXT[piece.start : piece.end]
        if piece.highlight is not None:
            start, end = piece.highlight
            excerpt = f"{excerpt[:start]}[{excerpt[start:end]}]{excerpt[end:]}"
        out.append(excerpt)
    return out


def test_without_a_quote_or_spoilers_a_paragraph_is_one_plain_excerpt() -> None:
    assert paragraph_pieces(WHOLE, None) == [Excerpt(0, len(TEXT))]


def test_the_quote_is_highlighted_from_the_excerpts_start() -> None:
    assert shown(paragraph_pieces(WHOLE, at("hero dies"))) == [
        "The [hero dies] at the end, she mourns."
    ]


def test_a_spoiler_is_elided_and_the_text_around_it_kept() -> None:
    paragraph = Paragraph(0, len(TEXT), quoted=True, hidden=(at("dies at the end"),))
    pieces = paragraph_pieces(paragraph, at("The hero"))
    assert shown(pieces) == ["[The hero] ", "…", ", she mourns."]
    assert pieces[1] == Elision(at("dies at the end"))


def test_a_quote_across_a_spoiler_is_highlighted_on_both_sides() -> None:
    paragraph = Paragraph(0, len(TEXT), quoted=True, hidden=(at("at the"),))
    assert shown(paragraph_pieces(paragraph, at("dies at the end"))) == [
        "The hero [dies ]",
        "…",
        "[ end], she mourns.",
    ]


def test_spoilers_at_the_edges_leave_no_empty_excerpt() -> None:
    paragraph = Paragraph(0, len(TEXT), quoted=True, hidden=(at("The hero"), at("mourns.")))
    assert shown(paragraph_pieces(paragraph, None)) == ["…", " dies at the end, she ", "…"]


def test_a_quote_outside_the_paragraph_highlights_nothing() -> None:
    paragraph = Paragraph(TEXT.index("she"), len(TEXT))
    assert shown(paragraph_pieces(paragraph, at("The hero"))) == ["she mourns."]


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[QuoteSpan], QuoteSpan | None]:
    text = draw(st.text(alphabet="ab \n", max_size=40))

    def span() -> QuoteSpan:
        start = draw(st.integers(0, len(text)))
        return QuoteSpan(start, draw(st.integers(start, len(text))))

    spoilers = [span() for _ in range(draw(st.integers(0, 3)))]
    return text, spoilers, span() if draw(st.booleans()) else None


@given(documents())
def test_pieces_cover_the_paragraph_in_order_and_highlights_stay_inside(
    document: tuple[str, list[QuoteSpan], QuoteSpan | None],
) -> None:
    text, spoilers, quote = document
    for passage in fold_spoilers(text, spoilers, quote):
        if not isinstance(passage, Paragraph):
            continue
        cursor = passage.start
        for piece in paragraph_pieces(passage, quote):
            span = piece.span if isinstance(piece, Elision) else QuoteSpan(piece.start, piece.end)
            assert span.start == cursor <= span.end
            if isinstance(piece, Excerpt):
                assert span.end > span.start, "no empty excerpt"
                if piece.highlight is not None:
                    assert quote is not None
                    first, last = piece.highlight
                    assert 0 <= first < last <= span.end - span.start
                    assert span.start + first == max(quote.start, span.start)
                    assert span.start + last == min(quote.end, span.end)
            cursor = span.end
        assert cursor == passage.end
