"""The source documents every fact cites, and checks that a quote really is in one."""

from __future__ import annotations

import datetime as dt
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from tracker_tui.domain.catalog.problems import Problem
from tracker_tui.domain.catalog.text import fold_whitespace, strip_control_characters


@dataclass(frozen=True)
class Article:
    """One of several articles in a single document, cited by its own title."""

    title: str
    start: int


@dataclass(frozen=True)
class QuoteSpan:
    """Where a quote sits in a document's text, for highlighting."""

    start: int
    end: int


@dataclass(frozen=True)
class SourceDocument:
    """A source document: a seed shipped with tracker-tui or a file of the user's."""

    name: str
    title: str
    path: Path
    date: dt.date | None = None
    article_starts: tuple[tuple[str, str], ...] = field(default=())

    @cached_property
    def text(self) -> str:
        """The document's text, safe to print: control characters removed."""
        return strip_control_characters(self.path.read_text(encoding="utf-8"))

    @cached_property
    def _folded(self) -> str:
        return fold_whitespace(self.text)

    @cached_property
    def articles(self) -> tuple[Article, ...]:
        found = []
        for title, starts_with in self.article_starts:
            start = self.text.find(starts_with)
            if start >= 0:
                found.append(Article(title, start))
        return tuple(sorted(found, key=lambda article: article.start))

    def contains(self, quote: str) -> bool:
        """True when `quote` occurs verbatim, whitespace folded."""
        folded = fold_whitespace(quote)
        return bool(folded) and folded in self._folded

    def locate(self, quote: str) -> QuoteSpan | None:
        """Where `quote` sits in `text`, allowing any whitespace between its words."""
        words = fold_whitespace(quote).split(" ")
        if words == [""]:
            return None
        match = re.search(r"\s+".join(re.escape(word) for word in words), self.text)
        return QuoteSpan(match.start(), match.end()) if match else None

    @cached_property
    def _folded_articles(self) -> tuple[Article, ...]:
        """The articles, each starting where it does in the whitespace-folded text."""
        found = []
        for title, starts_with in self.article_starts:
            if self.text.find(starts_with) < 0:
                continue  # as in `articles`: an article the text lacks is none
            start = self._folded.find(fold_whitespace(starts_with))
            if start >= 0:
                found.append(Article(title, start))
        return tuple(sorted(found, key=lambda article: article.start))

    def title_for(self, quote: str) -> str:
        """The title to cite a quote by: its article's title where the document holds several."""
        if not self.articles:  # one title for the whole document: no need to find the quote
            return self.title
        # Found in the folded text (one str.find), not with `locate`'s pattern: a pane
        # cites dozens of quotes as it opens, and a pattern each took 2 ms.
        folded = fold_whitespace(quote)
        at = self._folded.find(folded) if folded else -1
        if at < 0:
            return self.title
        current = self.title
        for article in self._folded_articles:
            if article.start <= at:
                current = article.title
        return current


class SourceRegistry:
    """Every document a show file may cite, by file name."""

    def __init__(self, documents: list[SourceDocument]) -> None:
        self._documents = {document.name: document for document in documents}

    def __contains__(self, name: object) -> bool:
        return name in self._documents

    def documents(self) -> list[SourceDocument]:
        return sorted(self._documents.values(), key=lambda document: document.name)

    def to_data(self) -> list[dict[str, Any]]:
        """The registry as plain JSON, for the catalog cache."""
        return [
            {
                "name": document.name,
                "title": document.title,
                "path": str(document.path),
                "date": document.date.isoformat() if document.date else None,
                "articles": [list(pair) for pair in document.article_starts],
            }
            for document in self._documents.values()
        ]

    @classmethod
    def from_data(cls, data: list[dict[str, Any]]) -> SourceRegistry:
        return cls(
            [
                SourceDocument(
                    name=entry["name"],
                    title=entry["title"],
                    path=Path(entry["path"]),
                    date=dt.date.fromisoformat(entry["date"]) if entry["date"] else None,
                    article_starts=tuple((title, start) for title, start in entry["articles"]),
                )
                for entry in data
            ]
        )

    def get(self, name: str) -> SourceDocument | None:
        return self._documents.get(name)

    def title_for(self, document: str, quote: str) -> str:
        """What to cite a quote by: its article's or document's title, else the file name."""
        found = self.get(document)
        return found.title_for(quote) if found else document

    def titles_for(self, refs: Iterable[tuple[str, str]]) -> list[str]:
        """The distinct titles behind (document, quote) pairs, in order of first citation."""
        return list(dict.fromkeys(self.title_for(document, quote) for document, quote in refs))

    def check_quote(self, document: str, quote: str) -> str | None:
        """Why a citation is wrong, or None when the quote is in the document."""
        found = self.get(document)
        if found is None:
            return f"no source document named {document!r}; see `tracker sources`"
        try:
            present = found.contains(quote)
        except (OSError, UnicodeDecodeError) as error:
            return f"cannot read source document {document!r}: {error}"
        if not present:
            return f"the quote is not in {document!r} (it must be copied verbatim)"
        return None


MAX_SOURCE_BYTES = 16 * 1024 * 1024


def _unusable_document(path: Path, bundled_names: set[str]) -> str | None:
    """Why a user's document cannot be cited, or None."""
    if path.name in bundled_names:
        return "has the name of a bundled source; rename it"
    try:
        status = path.stat()
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    if not stat.S_ISREG(status.st_mode):
        # Reading a FIFO to check a quote would wait for a writer forever.
        return "is not a regular file; a source document must be"
    if status.st_size > MAX_SOURCE_BYTES:
        return f"is {status.st_size:,} bytes; source documents may be at most 16 MiB"
    return None


def load_registry(
    registry_file: Path, seeds_dir: Path, user_sources: Path | None = None
) -> tuple[SourceRegistry, list[Problem]]:
    """Read the bundled registry, then add the user's own documents (`*.txt`)."""
    # The schema (and pydantic with it) and tomllib are imported only when the cache is cold.
    import tomllib

    from pydantic import ValidationError

    from tracker_tui.domain.catalog.schema import check_registry, problems_from_validation

    problems: list[Problem] = []
    documents: list[SourceDocument] = []
    try:
        raw = tomllib.loads(registry_file.read_text(encoding="utf-8"))
        entries = check_registry(raw)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        problems.append(Problem(str(registry_file), None, str(error)))
        entries = []
    except ValidationError as error:
        problems.extend(problems_from_validation(str(registry_file), error))
        entries = []
    for entry in entries:
        documents.append(
            SourceDocument(
                name=entry["file"],
                title=entry["title"],
                path=seeds_dir / entry["file"],
                date=dt.date.fromisoformat(entry["date"]) if entry["date"] else None,
                article_starts=tuple((a["title"], a["starts_with"]) for a in entry["articles"]),
            )
        )
    bundled_names = {document.name for document in documents}
    if user_sources is not None and user_sources.is_dir():
        for path in sorted(user_sources.glob("*.txt")):
            why = _unusable_document(path, bundled_names)
            if why is not None:
                problems.append(Problem(str(path), None, why))
                continue
            documents.append(SourceDocument(name=path.name, title=path.stem, path=path))
    return SourceRegistry(documents), problems
