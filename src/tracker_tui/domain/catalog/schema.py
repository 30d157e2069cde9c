"""Checking files against their format with pydantic: the one place files are checked.

The show format is declared once, as the plain dataclasses in `models` whose field
types carry their rules; pydantic validates a parsed file straight into them.
Only a file that is new or has changed since the last run is validated here; the
checked data is then kept in the catalog cache, so a normal start never imports
pydantic.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from tracker_tui.domain.catalog.fields import Rules
from tracker_tui.domain.catalog.models import Show, YourFacts
from tracker_tui.domain.catalog.problems import Problem

SHOW_FILE = TypeAdapter(Annotated[Show, Rules(after=Show.checked)])
"""pydantic's checker for a show file: `models.Show` and every table in it, as declared
there, then the rules that span tables (`Show.checked`: ids unique, disputes two-sided)."""


def check_show(raw: Any) -> dict[str, Any]:
    """Validate a parsed show file; return it in the cache's plain JSON shape.

    Raises ValidationError; `problems_from_validation` words it for the user.
    """
    return SHOW_FILE.validate_python(raw).to_data()


YOURS_FILE = TypeAdapter(YourFacts)
"""pydantic's checker for an overlay file of the user's own facts for a bundled show."""


def check_yours(raw: Any) -> dict[str, Any]:
    """Validate a parsed overlay file; return it as plain JSON. Raises ValidationError."""
    return YOURS_FILE.validate_python(raw).to_data()


class _ArticleEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1)
    starts_with: str = Field(min_length=1, description="The article's first words.")


class _DocumentEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str = Field(min_length=1)
    title: str = Field(min_length=1)
    date: dt.date | None = Field(default=None, description="Only when the document states it.")
    articles: list[_ArticleEntry] = Field(default_factory=list)


class _RegistryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[_DocumentEntry]


def check_registry(raw: Any) -> list[dict[str, Any]]:
    """Validate the bundled source registry; return its documents as plain JSON."""
    return [entry.model_dump(mode="json") for entry in _RegistryFile.model_validate(raw).documents]


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
        elif detail["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
            message = "is not a known field (check the spelling)"  # in a model, in a dataclass
        elif detail["type"] == "dataclass_type":
            # pydantic words this differently for a dataclass than for a model: keep one wording.
            message = (
                f"Input should be a valid dictionary or instance of {detail['ctx']['class_name']}"
            )
        elif detail["type"] == "less_than_equal":
            message = f"must be at most {detail['ctx']['le']:,}"
        elif detail["type"] == "greater_than_equal":
            message = f"must be at least {detail['ctx']['ge']:,}"
        elif detail["type"] == "too_long":
            ctx = detail["ctx"]
            message = (
                f"has {ctx['actual_length']:,} items; at most {ctx['max_length']:,} are allowed"
            )
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        problems.append(Problem(file, field_path(location) or None, message))
    return problems
