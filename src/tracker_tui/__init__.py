"""tracker-tui: a terminal episode and season tracker whose every fact cites its source."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
