"""Yamtrack's CSV export read into a batch: shows, scores, statuses, episodes, anime."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker_tui.domain.exchange import yamtrack_reader
from tracker_tui.domain.exchange.batch import (
    SPECIALS,
    ImportedRating,
    ImportedStatus,
    ImportFormatError,
)
from tracker_tui.domain.exchange.tabular import DATE_ONLY_NOTE, BadValueError, parse_score

from .tabular_helpers import FIXTURES, csv_text, read_path, skip_lines, viewing_tuples

EXPORT = FIXTURES / "yamtrack" / "yamtrack.csv"
AOUAD = "yamtrack:tmdb:99966"
KAIJU = "yamtrack:mal:57524"
HEADER = [
    "media_id",
    "source",
    "media_type",
    "title",
    "season_number",
    "episode_number",
    "score",
    "progress",
    "status",
    "end_date",
]


def test_the_fixture_export_reads_into_shows_viewings_scores_and_statuses() -> None:
    batch = read_path(yamtrack_reader.read, EXPORT)
    assert viewing_tuples(batch) == [
        (AOUAD, 1, 1, "2022-02-01T20:05:00+00:00"),
        (AOUAD, 1, 2, "2022-02-01T12:00:00+00:00"),  # a date alone: noon UTC
        (AOUAD, 1, 3, None),
        (AOUAD, 1, 3, None),  # watched twice, both undated: two viewings
        (AOUAD, 1, 1, "2023-08-15T22:10:00+00:00"),
        (KAIJU, 1, 1, None),
        (KAIJU, 1, 2, None),
    ]
    assert batch.shows[AOUAD].ids == {"tmdb": "99966"}
    assert batch.shows[KAIJU].kind == "anime"
    assert batch.shows[KAIJU].ids == {"mal": "57524"}
    assert batch.ratings == [
        ImportedRating(AOUAD, None, None, 9),  # 8.5 rounds half up
        ImportedRating(AOUAD, 1, None, 8),
        ImportedRating(KAIJU, None, None, 7),
    ]
    assert batch.statuses == [
        ImportedStatus(AOUAD, "completed"),
        ImportedStatus(KAIJU, "watching"),
    ]
    assert skip_lines(batch) == [("yamtrack.csv", f"line {n}") for n in (9, 10, 11, 13, 14)]
    reasons = [skip.reason for skip in batch.skipped]
    assert reasons[0] == SPECIALS
    assert "'yesterday'" in reasons[1]
    assert "'Binging'" in reasons[2]
    assert "a movie, not a show" in reasons[3]
    assert "a manga, not a show" in reasons[4]
    assert DATE_ONLY_NOTE in batch.notes
    records = [v.record for v in batch.viewings]
    assert len(set(records)) == len(records)
    assert records[2:4] == [f"{AOUAD}:s1e3:unknown:1", f"{AOUAD}:s1e3:unknown:2"]
    assert records[5] == f"{KAIJU}:e1:w1"


def test_an_older_export_with_watch_date_and_no_source_reads(tmp_path: Path) -> None:
    header = ["media_id", "media_type", "title", "season_number", "episode_number", "score"]
    header += ["status", "watch_date", "end_date"]
    rows = [
        ["1668", "tv", "Friends", "", "", "", "In progress", "", ""],
        ["1668", "episode", "Friends", "1", "1", "", "", "2024-02-09 20:00:00", "2024-01-01"],
        ["227", "anime", "FLCL", "", "", "10", "Paused", "", ""],
    ]
    path = tmp_path / "yamtrack_export.csv"
    path.write_text(csv_text(header, rows))
    batch = read_path(yamtrack_reader.read, path)
    assert viewing_tuples(batch) == [("yamtrack:tmdb:1668", 1, 1, "2024-02-09T20:00:00+00:00")]
    assert batch.statuses == [
        ImportedStatus("yamtrack:tmdb:1668", "watching"),
        ImportedStatus("yamtrack:mal:227", "on-hold"),
    ]
    assert batch.ratings == [ImportedRating("yamtrack:mal:227", None, None, 10)]


def test_a_missing_column_is_refused_with_the_header_found(tmp_path: Path) -> None:
    path = tmp_path / "yamtrack.csv"
    path.write_text("media_id,media_type,title,status\n1,tv,Lost,Completed\n")
    with pytest.raises(ImportFormatError) as error:
        read_path(yamtrack_reader.read, path)
    assert "'season_number', 'episode_number'" in str(error.value)
    assert "media_id, media_type, title, status" in str(error.value)


def test_a_folder_without_a_yamtrack_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x\n")
    (tmp_path / "b.csv").write_text("x\n")
    with pytest.raises(ImportFormatError, match="no Yamtrack CSV"):
        read_path(yamtrack_reader.read, tmp_path)


@pytest.mark.parametrize(
    ("score", "rating"),
    [("7.5", 8), ("7.49", 7), ("8.0", 8), ("10", 10), ("0", None), ("", None), ("0.4", None)],
)
def test_scores_round_half_up_and_zero_is_no_rating(score: str, rating: int | None) -> None:
    assert parse_score(score) == rating


@pytest.mark.parametrize("score", ["11", "-1", "abc", "7,5", "1e1", "nan", "٣"])
def test_a_score_that_is_not_0_to_10_is_refused(score: str) -> None:
    with pytest.raises(BadValueError):
        parse_score(score)


def test_a_bad_score_skips_only_the_rating(tmp_path: Path) -> None:
    path = tmp_path / "yamtrack.csv"
    rows = [["1", "tmdb", "tv", "Lost", "", "", "12", "", "Completed", ""]]
    path.write_text(csv_text(HEADER, rows))
    batch = read_path(yamtrack_reader.read, path)
    assert batch.statuses == [ImportedStatus("yamtrack:tmdb:1", "completed")]
    assert batch.ratings == []
    assert "score 12 is over 10: the rating is left out" in batch.skipped[0].reason


# --- Any row of the real column grammar becomes a record or a skip -------------------

_TYPES = st.sampled_from(["tv", "season", "episode", "anime", "movie", "manga", "game", "", "TV"])
_VALUES = st.sampled_from(["1", "2", "0", "", "x", "7.5", "10.0", "-3", "99999999"])
_STATUSES = st.sampled_from(["Completed", "In progress", "Planning", "Paused", "", "Nope"])
_DATES = st.sampled_from(["2024-02-09", "2024-02-09 20:00:00+00:00", "", "02/09/2024"])
_ROW = st.tuples(
    st.sampled_from(["1668", "", "a b"]),
    st.sampled_from(["tmdb", "mal", "", "TMDB", "weird source!"]),
    _TYPES,
    st.sampled_from(["Friends", "", "Love, Death & Robots"]),
    _VALUES,
    _VALUES,
    _VALUES,
    _VALUES,
    _STATUSES,
    _DATES,
)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(_ROW, max_size=10), seed=st.integers(0, 1000))
def test_every_row_becomes_a_record_or_a_skip(
    tmp_path: Path, rows: list[tuple[str, ...]], seed: int
) -> None:
    order = list(range(len(HEADER)))
    random.Random(seed).shuffle(order)
    path = tmp_path / f"yamtrack-{seed}.csv"
    path.write_text(csv_text([HEADER[i] for i in order], [[r[i] for i in order] for r in rows]))
    batch = read_path(yamtrack_reader.read, path)
    skipped_lines = {skip.where for skip in batch.skipped}
    for line, row in enumerate(rows, start=2):
        media_type = row[2].lower()
        if media_type not in ("tv", "season", "episode", "anime"):
            assert f"line {line}" in skipped_lines
        else:
            made = any(key.endswith(f":{row[0]}") for key in batch.shows)
            assert made or f"line {line}" in skipped_lines
    for viewing in batch.viewings:
        assert viewing.show in batch.shows
        assert viewing.season >= 1 and viewing.episode >= 1
    for rating in batch.ratings:
        assert 1 <= rating.rating <= 10
