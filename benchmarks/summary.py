"""Every figure is a median with its min-max over several runs."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    """One figure over its runs."""

    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        if not values:
            raise ValueError("a figure needs at least one run")
        return cls(statistics.median(values), min(values), max(values), len(values))


def pairwise_ratios(numerators: Sequence[float], denominators: Sequence[float]) -> list[float]:
    """Ratios of runs made side by side, so a slow moment of the machine hits both."""
    return [a / b for a, b in zip(numerators, denominators, strict=True)]
