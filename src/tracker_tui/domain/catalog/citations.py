"""Numbered citations: each cited source gets a number once, so facts can point at [1], [2].

`tracker show` and the app's show pane both cite this way, and list what each number
stands for at their foot.
"""

from __future__ import annotations

from collections.abc import Iterable

from tracker_tui.domain.catalog.models import SourceRef, Spelling
from tracker_tui.domain.catalog.sources import SourceRegistry


class SourceNumbers:
    """Numbers each cited document (or article of one) in order of first citation."""

    def __init__(self, registry: SourceRegistry) -> None:
        self._registry = registry
        self._numbers: dict[tuple[str, str], int] = {}

    def cite(self, refs: Iterable[SourceRef]) -> str:
        """`[2, 3]`, or "" for no sources."""
        numbers: list[int] = []
        for ref in refs:
            key = (ref.document, self._registry.title_for(ref.document, ref.quote))
            number = self._numbers.setdefault(key, len(self._numbers) + 1)
            if number not in numbers:
                numbers.append(number)
        return "[" + ", ".join(map(str, numbers)) + "]" if numbers else ""

    def numbered(self) -> list[tuple[int, str, str]]:
        """(number, title, document file) for every source cited so far, in number order."""
        return [(number, title, document) for (document, title), number in self._numbers.items()]


def spelt(spelling: Spelling, numbers: SourceNumbers) -> str:
    """`Cheong-san, also spelt Chung-San [5]`: the variant cited where it is given."""
    return (
        f"{spelling.name}, also spelt {spelling.variant} {numbers.cite(spelling.variant_sources())}"
    )
