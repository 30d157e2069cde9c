"""What an export writer returns: the bytes to write and what the format could not carry."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ExportResult:
    data: bytes
    summary: str
    """One line for the user: "1,234 viewings of 56 shows"."""
    left_out: list[str] = field(default_factory=list)
    """What this format cannot carry, said once each: "ratings of seasons (MAL has none)"."""
