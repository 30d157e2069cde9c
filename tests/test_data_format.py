"""The file format: declared once, its spellings and year-less days, what it accepts and shows."""

from __future__ import annotations

import dataclasses
import json
import tomllib
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from tracker_tui.domain.catalog import dates, models
from tracker_tui.domain.catalog.dates import MonthDay
from tracker_tui.domain.catalog.loader import find_show
from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.catalog.schema import SHOW_FILE, check_show

SEED_003 = "003_477cd0dc64dba67c.txt"


def show_data(**extra: Any) -> dict[str, Any]:
    released: dict[str, Any] = {"state": "released", "detail": "Out", "on": "2022-01"}
    day_only: dict[str, Any] = {"state": "released", "detail": "Posted", "on_month_day": "01-28"}
    return {
        "id": "my-show",
        "title": "My Show",
        "kind": "series",
        "seasons": [{"number": 1, "status": [released, day_only]}],
        **extra,
    }


def spelling(name: str, variant: str, *quotes: str) -> dict[str, Any]:
    return {
        "name": name,
        "variant": variant,
        "sources": [{"document": SEED_003, "quote": quote} for quote in quotes],
    }


def test_a_day_without_a_year_is_kept_and_joined_with_the_year_of_another_report() -> None:
    show = Show.from_data(check_show(show_data()))
    season = show.seasons[0]
    assert season.release_date is not None and season.release_date.iso() == "2022-01"
    joined = season.joined_release_date()
    assert joined is not None and joined.human() == "28 January 2022"


def test_no_day_is_joined_when_the_months_differ() -> None:
    data = show_data()
    data["seasons"][0]["status"][1]["on_month_day"] = "02-03"
    assert Show.from_data(check_show(data)).seasons[0].joined_release_date() is None


@pytest.mark.parametrize("text", ["02-30", "13-01", "1-28", "2022-01-28", "٠١-٢٨"])
def test_a_month_and_day_must_be_a_real_day_in_mm_dd(text: str) -> None:
    with pytest.raises(ValueError):
        MonthDay.parse(text)
    data = show_data()
    data["seasons"][0]["status"][1]["on_month_day"] = text
    with pytest.raises(ValidationError):
        check_show(data)


def test_february_29_is_a_day_a_source_may_give() -> None:
    assert MonthDay.parse("02-29").human() == "29 February"


def test_a_spelling_needs_a_quote_for_each_spelling() -> None:
    good = spelling("Hyosan", "Hyozan", "Hyosan High School", "Hyozan residents")
    show = Show.from_data(check_show(show_data(spellings=[good])))
    (recorded,) = show.spellings
    assert [ref.quote for ref in recorded.variant_sources()] == ["Hyozan residents"]
    unquoted = spelling("Hyosan", "Hyosun", "Hyosan High School", "Hyozan residents")
    with pytest.raises(ValidationError, match="no quote in sources gives the spelling 'Hyosun'"):
        check_show(show_data(spellings=[unquoted]))


def test_a_difference_of_capitals_is_not_a_spelling() -> None:
    same = spelling("nam-ra", "Nam-Ra", "Nam-Ra seems", "like Nam-ra")
    with pytest.raises(ValidationError, match="differ only in capitals"):
        check_show(show_data(spellings=[same]))


def test_show_lookup_matches_source_material_titles_and_either_spelling() -> None:
    data = show_data(
        source_material={"title": "The Webtoon", "original_title": "웹툰", "medium": "webtoon"},
        spellings=[spelling("Hyosan", "Hyozan", "Hyosan High School", "Hyozan residents")],
    )
    show = Show.from_data(check_show(data))
    other = Show.from_data(check_show({**show_data(), "id": "other", "title": "Other"}))
    for query in ("the webtoon", "웹툰", "HYOZAN", "hyosan"):
        assert find_show([show, other], query) is show
    assert show.spellings_in("Hyozan residents") == show.spellings
    assert show.spellings_in("Hyosanitary") == []


def _dataclasses_in(core_schema: object) -> dict[type, list[str]]:
    """Every dataclass a pydantic core schema builds, with the fields it reads."""
    found: dict[type, list[str]] = {}
    if isinstance(core_schema, dict):
        if core_schema.get("type") == "dataclass":
            found[core_schema["cls"]] = [f["name"] for f in core_schema["schema"]["fields"]]
        for value in core_schema.values():
            found.update(_dataclasses_in(value))
    elif isinstance(core_schema, list | tuple):
        for value in core_schema:
            found.update(_dataclasses_in(value))
    return found


def _tables(cls: type, seen: set[type]) -> set[type]:
    """`cls` and every dataclass its fields hold, however deep."""
    seen.add(cls)
    for hint in typing.get_type_hints(cls).values():
        for inner in _types_in(hint):
            if isinstance(inner, type) and dataclasses.is_dataclass(inner) and inner not in seen:
                _tables(inner, seen)
    return seen


def _types_in(hint: object) -> list[object]:
    return [hint, *(inner for arg in typing.get_args(hint) for inner in _types_in(arg))]


def test_each_field_of_the_format_is_declared_once_in_the_models() -> None:
    """Adding a field is one edit: the checker validates the models' own dataclasses,
    field for field, so no table or field of the format exists anywhere else."""
    checked = _dataclasses_in(SHOW_FILE.core_schema)
    assert set(checked) == _tables(models.Show, set())
    for cls, names in checked.items():
        assert cls.__module__ in (models.__name__, dates.__name__), cls
        assert names == [field.name for field in dataclasses.fields(cls)], cls
    shows = Path(__file__).parent.parent / "data" / "shows"
    raw = tomllib.loads((shows / "all-of-us-are-dead.toml").read_text(encoding="utf-8"))
    assert type(SHOW_FILE.validate_python(raw)) is models.Show


@pytest.mark.parametrize("case", ["bundled", "spellings"])
def test_a_checked_show_survives_the_cache_unchanged(case: str) -> None:
    """What the cache keeps (`to_data`, as JSON) reads back (`from_data`) as the same show."""
    if case == "bundled":
        shows = Path(__file__).parent.parent / "data" / "shows"
        raws = [tomllib.loads(path.read_text(encoding="utf-8")) for path in shows.glob("*.toml")]
    else:
        good = spelling("Hyosan", "Hyozan", "Hyosan High School", "Hyozan residents")
        raws = [show_data(spellings=[{**good, "spoiler": "s1e2"}], aliases=["Mine"])]
    for raw in raws:
        checked = SHOW_FILE.validate_python(raw)
        assert Show.from_data(json.loads(json.dumps(check_show(raw)))) == checked
