"""TV Time's GDPR export read into a batch: history, follows, bad rows, odd CSV."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker_tui.domain.exchange import tvtime_reader
from tracker_tui.domain.exchange.batch import SPECIALS, ImportedArchive, ImportFormatError
from tracker_tui.domain.exchange.tabular import NO_ZONE_NOTE

from .tabular_helpers import (
    FIXTURES,
    csv_text,
    read_path,
    skip_lines,
    viewing_tuples,
    zip_folder,
)

EXPORT = FIXTURES / "tvtime" / "export"
AOUAD = "tvtime:397934"
V2_HEADER = ["s_id", "series_name", "season_number", "episode_number", "created_at", "key"]


def test_the_fixture_export_reads_into_viewings_follows_and_skips() -> None:
    batch = read_path(tvtime_reader.read, EXPORT)
    assert viewing_tuples(batch) == [
        (AOUAD, 1, 1, "2022-02-01T20:05:11+00:00"),
        (AOUAD, 1, 2, "2022-02-01T21:02:40+00:00"),
        (AOUAD, 1, 3, "2022-02-02T19:40:00+00:00"),
        (AOUAD, 1, 1, "2023-08-15T22:10:09+00:00"),  # the rewatch
        ("tvtime:360542", 1, 1, "2019-03-16T18:00:00+00:00"),
        ("tvtime:349310", 1, 1, "2018-09-01T21:00:00+00:00"),
        ("tvtime:349310", 1, 2, "2018-09-02T21:00:00+00:00"),
    ]
    shows = batch.shows
    assert shows[AOUAD].title == "All of Us Are Dead"
    assert shows[AOUAD].ids == {"tvdb": "397934"}
    # seen_episode.csv names Bodyguard only by name: followed_tv_show.csv gives its id
    assert (shows["tvtime:349310"].title, shows["tvtime:349310"].year) == ("Bodyguard", 2018)
    assert shows["tvtime:360542"].title == "Love, Death & Robots"
    assert shows["tvtime:81189"].title == "Breaking Bad"  # followed, never watched
    assert batch.archived == [
        ImportedArchive("tvtime:81189", True),
        ImportedArchive("tvtime:73800", True),
    ]
    assert skip_lines(batch) == [
        ("tracking-prod-records-v2.csv", "line 7"),
        ("tracking-prod-records-v2.csv", "line 9"),
        ("seen_episode.csv", "line 5"),
        ("seen_episode.csv", "line 6"),
    ]
    reasons = [skip.reason for skip in batch.skipped]
    assert reasons[0] == reasons[2] == SPECIALS
    assert "'16/03/2019 18:20'" in reasons[1]
    assert "season 'one'" in reasons[3]
    assert NO_ZONE_NOTE in batch.notes
    assert any("2 viewings listed twice" in note for note in batch.notes)
    assert any("1 TV Time record holding no episode viewing" in note for note in batch.notes)
    assert batch.ratings == []
    assert batch.statuses == []


def test_record_ids_are_stable_and_unique() -> None:
    first = read_path(tvtime_reader.read, EXPORT)
    again = read_path(tvtime_reader.read, EXPORT)
    records = [v.record for v in first.viewings]
    assert records == [v.record for v in again.viewings]
    assert len(set(records)) == len(records)
    assert records[0] == "tvtime:397934:s1e1:2022-02-01T20:05:11"


def test_a_zip_reads_like_the_folder(tmp_path: Path) -> None:
    archive = zip_folder(EXPORT, tmp_path / "tv-time-personal-data.zip", "gdpr/")
    zipped = read_path(tvtime_reader.read, archive)
    folder = read_path(tvtime_reader.read, EXPORT)
    assert viewing_tuples(zipped) == viewing_tuples(folder)
    assert zipped.skipped[0].file == f"{archive}:gdpr/tracking-prod-records-v2.csv"


def test_a_folder_with_no_tv_time_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ImportFormatError, match="not a TV Time export"):
        read_path(tvtime_reader.read, tmp_path)


def test_a_missing_column_names_the_file_the_column_and_the_header(tmp_path: Path) -> None:
    (tmp_path / "seen_episode.csv").write_text(
        "tv_show_name,episode_season_number,created_at\nLost,1,2010-01-01 10:00:00\n"
    )
    with pytest.raises(ImportFormatError) as error:
        read_path(tvtime_reader.read, tmp_path)
    message = str(error.value)
    assert "seen_episode.csv" in message
    assert "'episode_number'" in message
    assert "tv_show_name, episode_season_number, created_at" in message


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "tracking-prod-records-v2.csv").write_bytes(b"")
    with pytest.raises(ImportFormatError, match="empty"):
        read_path(tvtime_reader.read, tmp_path)


def test_a_file_that_is_not_utf8_text_is_refused(tmp_path: Path) -> None:
    header = ",".join(V2_HEADER).encode()
    (tmp_path / "tracking-prod-records-v2.csv").write_bytes(header + b"\n\xff\xfe\x00junk\n")
    with pytest.raises(ImportFormatError, match="UTF-8"):
        read_path(tvtime_reader.read, tmp_path)


def test_reordered_and_extra_columns_and_odd_header_spelling_read_the_same(
    tmp_path: Path,
) -> None:
    rows = [
        ["397934", "All of Us Are Dead", "1", "1", "2022-02-01 20:05:11", "watch-episode-x"],
        ["397934", "All of Us Are Dead", "1", "2", "2022-02-01 21:02:40", "watch-episode-y"],
    ]
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "tracking-prod-records-v2.csv").write_text(csv_text(V2_HEADER, rows))
    order = [5, 3, 0, 4, 2, 1]
    header = ["  EXTRA  "] + [f" {V2_HEADER[i].upper()} " for i in order]
    shuffled = [["junk"] + [row[i] for i in order] for row in rows]
    odd = tmp_path / "odd"
    odd.mkdir()
    text = "\ufeff" + csv_text(header, shuffled, newline="\r\n")
    (odd / "tracking-prod-records-v2.csv").write_text(text, newline="")
    expected = read_path(tvtime_reader.read, plain)
    assert viewing_tuples(read_path(tvtime_reader.read, odd)) == viewing_tuples(expected)
    assert len(expected.viewings) == 2


def test_a_quoted_newline_in_a_title_keeps_the_following_line_numbers(tmp_path: Path) -> None:
    text = (
        "tv_show_name,episode_season_number,episode_number,created_at\r\n"
        '"Two\r\nLines",1,1,2020-01-01 10:00:00\r\n'
        "Lost,1,x,2020-01-02 10:00:00\r\n"
    )
    (tmp_path / "seen_episode.csv").write_text(text, newline="")
    batch = read_path(tvtime_reader.read, tmp_path)
    assert [show.title for show in batch.shows.values()] == ["Two\r\nLines"]
    assert skip_lines(batch) == [("seen_episode.csv", "line 4")]


def test_the_same_title_in_different_years_is_two_shows(tmp_path: Path) -> None:
    rows = [
        ["Doctor Who (1963)", "1", "1", "2010-01-01 10:00:00"],
        ["Doctor Who (2005)", "1", "1", "2010-01-01 10:00:00"],
        ["The Office (US)", "1", "1", "2010-01-01 10:00:00"],
    ]
    header = ["tv_show_name", "episode_season_number", "episode_number", "created_at"]
    (tmp_path / "seen_episode.csv").write_text(csv_text(header, rows))
    batch = read_path(tvtime_reader.read, tmp_path)
    assert list(batch.shows) == [
        "title:Doctor Who|1963",
        "title:Doctor Who|2005",
        "title:The Office (US)|?",
    ]
    assert len(batch.viewings) == 3


def test_times_with_a_zone_are_converted_to_utc(tmp_path: Path) -> None:
    rows = [["Lost", "1", "1", "2020-01-01T10:00:00+02:00"]]
    header = ["tv_show_name", "episode_season_number", "episode_number", "created_at"]
    (tmp_path / "seen_episode.csv").write_text(csv_text(header, rows))
    batch = read_path(tvtime_reader.read, tmp_path)
    assert batch.viewings[0].watched_at == dt.datetime(2020, 1, 1, 8, tzinfo=dt.UTC)
    assert NO_ZONE_NOTE not in batch.notes


# --- Any row of the real column grammar becomes a viewing or a skip ------------------

_NAMES = st.sampled_from(["Lost", "Doctor Who (2005)", "Love, Death & Robots", 'A "quote"', ""])
_NUMBERS = st.sampled_from(["1", "2", "12", "0", "", "x", "-1", "1.0", "99999999", "٣"])
_TIMES = st.sampled_from(
    [
        "2022-02-01 20:05:11",
        "2022-02-01T20:05:11Z",
        "2022-02-01",
        "2022-13-01 10:00:00",
        "2022-02-01 25:00:00",
        "",
        "yesterday",
        "2022-02-01 20:05:11+99:00",
    ]
)
_KEYS = st.sampled_from(["watch-episode-1", "rewatch-episode-2", "user-series-3", "count-x", ""])
_IDS = st.sampled_from(["397934", "", "abc", "1" * 20])
_ROW = st.tuples(_IDS, _NAMES, _NUMBERS, _NUMBERS, _TIMES, _KEYS)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(_ROW, max_size=12), seed=st.integers(0, 1000))
def test_every_row_becomes_a_viewing_or_a_skip(
    tmp_path: Path, rows: list[tuple[str, ...]], seed: int
) -> None:
    folder = tmp_path / f"export-{seed}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    order = list(range(len(V2_HEADER)))
    random.Random(seed).shuffle(order)
    header = [V2_HEADER[i] for i in order]
    body = [[row[i] for i in order] for row in rows]
    (folder / "tracking-prod-records-v2.csv").write_text(csv_text(header, body))
    batch = read_path(tvtime_reader.read, folder)
    viewing_rows = [row for row in rows if not row[5] or row[5].endswith(("-1", "-2"))]
    duplicates = sum(int(note.split()[0]) for note in batch.notes if "listed twice" in note)
    assert len(batch.viewings) + len(batch.skipped) + duplicates == len(viewing_rows)
    for viewing in batch.viewings:
        assert viewing.season >= 1 and viewing.episode >= 1
        assert viewing.watched_at is not None and viewing.watched_at.utcoffset() == dt.timedelta(0)
        assert viewing.show in batch.shows
