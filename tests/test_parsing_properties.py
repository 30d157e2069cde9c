"""Property tests for the small parsers show files rely on."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker_tui.domain.catalog.dates import PartialDate, Precision
from tracker_tui.domain.catalog.models import SpoilerScope
from tracker_tui.domain.catalog.text import first_control_character, fold_whitespace
from tracker_tui.domain.progress.format import ProgressFormatError, from_json, read_progress
from tracker_tui.domain.progress.records import EpisodeKey


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31)))
    precision = draw(st.sampled_from(Precision))
    if precision is Precision.YEAR:
        return PartialDate(day.year)
    if precision is Precision.MONTH:
        return PartialDate(day.year, day.month)
    return PartialDate(day.year, day.month, day.day)


@given(partial_dates())
def test_partial_date_round_trips_through_its_text(date: PartialDate) -> None:
    assert PartialDate.parse(date.iso()) == date
    assert date.last_day() >= dt.date(date.year, date.month or 1, date.day or 1)


@given(st.text(max_size=12))
def test_partial_date_parse_accepts_or_raises_value_error(text: str) -> None:
    try:
        parsed = PartialDate.parse(text)
    except ValueError:
        return
    assert parsed.iso() == text.strip()


@pytest.mark.parametrize(
    ("text", "human"),
    [("2026", "2026"), ("2022-01", "January 2022"), ("2022-01-28", "2022-01-28")],
)
def test_partial_date_human_form(text: str, human: str) -> None:
    assert PartialDate.parse(text).human() == human


@given(st.integers(1, 500), st.none() | st.integers(1, 5000))
def test_spoiler_scope_round_trips(season: int, episode: int | None) -> None:
    scope = SpoilerScope(season, episode)
    assert SpoilerScope.parse(scope.code()) == scope
    assert SpoilerScope.parse(scope.code().lower()) == scope


@pytest.mark.parametrize("text", ["s0", "s1e0", "e3", "s", "1", "s1e", "s1e2e3"])
def test_spoiler_scope_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a spoiler scope"):
        SpoilerScope.parse(text)


@given(st.text())
def test_folding_is_idempotent_and_keeps_words(text: str) -> None:
    folded = fold_whitespace(text)
    assert fold_whitespace(folded) == folded
    assert folded.split() == text.split()


@given(st.text())
def test_control_characters_are_found_wherever_they_are(text: str) -> None:
    assert first_control_character(text + "\x1b[31m") is not None
    assert first_control_character("ok\ttab\nnewline") is None


# Season and episode keys of a progress file: ASCII digits, from 1, at most 18 of them.
digit_texts = st.text(
    alphabet=st.sampled_from("0123456789") | st.characters(categories=["Nd", "No"]),
    min_size=1,
    max_size=22,
)


@given(digit_texts)
def test_progress_file_numbers_are_ascii_digits_and_both_readers_agree(text: str) -> None:
    record = '{"watched": true, "watch_count": 1, "changed_at": "2026-01-01T00:00:00Z"}'
    data = {"version": 1, "shows": {"a": {"1": {text: json.loads(record)}}}}
    raw = json.dumps(data, ensure_ascii=False).encode()
    valid = re.fullmatch("[0-9]{1,18}", text) is not None and int(text) >= 1
    for read in (read_progress, lambda raw: from_json(json.loads(raw))):
        try:
            progress = read(raw)
        except ProgressFormatError as error:
            assert not valid, error
        else:
            assert valid and progress.is_watched(EpisodeKey("a", 1, int(text)))
