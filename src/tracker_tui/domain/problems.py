"""Problems found while loading files: what went wrong, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, phrased for the user."""

    file: str
    field: str | None
    message: str

    def __str__(self) -> str:
        if self.field:
            return f"{self.file}: {self.field}: {self.message}"
        return f"{self.file}: {self.message}"


def field_path(location: tuple[int | str, ...]) -> str:
    """Turn pydantic's ('seasons', 0, 'number') into `seasons[0].number`."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def problems_from_validation(file: str, error: ValidationError) -> list[Problem]:
    """One Problem per pydantic error, with the field path and a plain message."""
    problems = []
    for detail in error.errors(include_url=False):
        location = tuple(part for part in detail["loc"] if not str(part).startswith("function-"))
        message = detail["msg"]
        if detail["type"] == "missing":
            message = "is required but missing"
        elif detail["type"] == "extra_forbidden":
            message = "is not a known field (check the spelling)"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        problems.append(Problem(file, field_path(location) or None, message))
    return problems
