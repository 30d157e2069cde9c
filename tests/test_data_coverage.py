"""Every sentence of every seed is either backed by a quote in data/ or deliberately uncited.

A seed is split into sentences: each line is a paragraph, and a paragraph breaks
after `.`, `!` or `?` (and any closing quote mark) followed by whitespace.
Headings, captions and other lines without end punctuation are sentences too.

The coverage rule: a sentence is covered when the quotes cited from its
document, whitespace folded, cover more than half of the sentence's words. A
word counts as covered when it lies wholly inside one occurrence of a quote
(quotes may overlap and may run across sentences). One short quote cannot
cover a long sentence, so the rule cannot be met with a token quote per
sentence; a sentence that states no fact about either show (a heading, an
image credit, a line about The Walking Dead) is listed in data/uncited.toml
with a one-line reason instead.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import REPO
from .test_bundled_data import citations

SEEDS = REPO / "seeds"
SHOW_FILES = sorted((REPO / "data" / "shows").glob("*.toml"))
UNCITED_FILE = REPO / "data" / "uncited.toml"
SHARE_NEEDED = 0.5
"""A sentence is covered when strictly more than this share of its words is quoted."""

_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’)]*\s+")
_WORD = re.compile(r"\S+")


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Sentence:
    document: str
    text: str
    """Whitespace folded."""
    start: int
    """Offset in the document's folded text."""


def seed_sentences(path: Path) -> list[Sentence]:
    """The document's sentences, with their offsets in its whitespace-folded text."""
    folded = fold(path.read_text(encoding="utf-8"))
    sentences: list[Sentence] = []
    cursor = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        for part in _split_paragraph(fold(line)):
            start = folded.index(part, cursor)
            cursor = start + len(part)
            sentences.append(Sentence(path.name, part, start))
    return sentences


def _split_paragraph(paragraph: str) -> Iterator[str]:
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        piece = paragraph[start : match.start() + len(match.group().rstrip())]
        if piece.strip():
            yield piece.strip()
        start = match.end()
    if paragraph[start:].strip():
        yield paragraph[start:].strip()


def quoted_spans() -> dict[str, list[tuple[int, int]]]:
    """For each document, every span of its folded text that some quote in data/ covers."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for path in SHOW_FILES:
        for ref in citations(tomllib.loads(path.read_text(encoding="utf-8"))):
            text = fold((SEEDS / ref["document"]).read_text(encoding="utf-8"))
            quote = fold(ref["quote"])
            found = spans.setdefault(ref["document"], [])
            for match in re.finditer(re.escape(quote), text):
                found.append((match.start(), match.end()))
    return spans


def quoted_share(sentence: Sentence, spans: list[tuple[int, int]]) -> float:
    """The share of the sentence's words that lie wholly inside a quote."""
    words = [
        (sentence.start + match.start(), sentence.start + match.end())
        for match in _WORD.finditer(sentence.text)
    ]
    if not words:
        return 1.0
    covered = sum(
        any(start <= word_start and word_end <= end for start, end in spans)
        for word_start, word_end in words
    )
    return covered / len(words)


def uncited_entries() -> list[dict[str, str]]:
    entries: list[dict[str, str]] = tomllib.loads(UNCITED_FILE.read_text(encoding="utf-8"))[
        "sentences"
    ]
    return entries


def all_sentences() -> list[Sentence]:
    return [sentence for path in sorted(SEEDS.glob("*.txt")) for sentence in seed_sentences(path)]


def uncovered_sentences() -> list[tuple[Sentence, float]]:
    """Sentences no quote covers, with the share that is quoted."""
    spans = quoted_spans()
    out = []
    for sentence in all_sentences():
        share = quoted_share(sentence, spans.get(sentence.document, []))
        if share <= SHARE_NEEDED:
            out.append((sentence, share))
    return out


def test_the_splitter_keeps_every_word_of_every_seed() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        joined = " ".join(sentence.text for sentence in seed_sentences(path))
        assert joined == fold(path.read_text(encoding="utf-8"))


def test_the_splitter_breaks_after_closing_quotes_and_keeps_headings() -> None:
    assert list(_split_paragraph("He said “no.” Then left. Why? Heading")) == [
        "He said “no.”",
        "Then left.",
        "Why?",
        "Heading",
    ]


def test_every_uncited_entry_has_a_reason_and_is_one_whole_sentence() -> None:
    sentences = {(s.document, s.text) for s in all_sentences()}
    for entry in uncited_entries():
        assert set(entry) == {"document", "text", "reason"}, entry
        assert entry["reason"].strip(), entry
        assert (entry["document"], fold(entry["text"])) in sentences, (
            f"not a sentence of {entry['document']}: {entry['text']!r}"
        )


def test_no_sentence_is_both_quoted_and_listed_as_uncited() -> None:
    spans = quoted_spans()
    for entry in uncited_entries():
        sentence = next(
            s
            for s in all_sentences()
            if s.document == entry["document"] and s.text == fold(entry["text"])
        )
        share = quoted_share(sentence, spans.get(sentence.document, []))
        assert share <= SHARE_NEEDED, f"quoted, so take it off data/uncited.toml: {sentence.text}"


def test_every_seed_sentence_is_quoted_or_listed_as_uncited() -> None:
    listed = {(entry["document"], fold(entry["text"])) for entry in uncited_entries()}
    missing = [
        f"{sentence.document}: {sentence.text!r} ({share:.0%} quoted)"
        for sentence, share in uncovered_sentences()
        if (sentence.document, sentence.text) not in listed
    ]
    assert not missing, "neither quoted nor in data/uncited.toml:\n" + "\n".join(missing)


@pytest.mark.parametrize(
    ("quotes", "share"),
    [
        (["sat"], 0.2),
        (["The cat sat"], 0.6),
        (["The cat", "on mats."], 0.8),
    ],
)
def test_the_quoted_share_counts_whole_words_inside_quotes(quotes: list[str], share: float) -> None:
    sentence = Sentence("doc", "The cat sat on mats.", 0)
    spans = [
        (sentence.text.index(quote), sentence.text.index(quote) + len(quote)) for quote in quotes
    ]
    assert quoted_share(sentence, spans) == share
