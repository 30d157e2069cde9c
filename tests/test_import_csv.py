"""tracker's own CSV: read, written, and read back to the same viewings and ratings."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker_tui.domain.catalog.models import Kind, Season, Show
from tracker_tui.domain.exchange import (
    csv_reader,
    csv_writer,
    mal_reader,
    tvtime_reader,
    yamtrack_reader,
)
from tracker_tui.domain.exchange.batch import SPECIALS, ImportedRating, ImportFormatError
from tracker_tui.domain.exchange.csv_format import COLUMNS, guarded, unguarded
from tracker_tui.domain.exchange.tabular import DATE_ONLY_NOTE
from tracker_tui.domain.progress.records import (
    EpisodeKey,
    EpisodeState,
    Progress,
    set_archived,
    set_rating,
    set_status,
)

from .tabular_helpers import (
    FIXTURES,
    LOGGED,
    Reader,
    csv_text,
    live_viewings,
    progress_of,
    read_path,
    skip_lines,
    viewing_tuples,
)

EXPORT = FIXTURES / "csv" / "tracker.csv"
NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)


def at(day: int, hour: int = 20) -> dt.datetime:
    return dt.datetime(2022, 2, day, hour, 5, 11, tzinfo=dt.UTC)


def test_the_fixture_reads_into_viewings_ratings_and_shows() -> None:
    batch = read_path(csv_reader.read, EXPORT)
    aouad = "csv:all-of-us-are-dead"
    assert viewing_tuples(batch) == [
        (aouad, 1, 1, "2022-02-01T20:05:11+00:00"),
        (aouad, 1, 1, "2023-08-15T22:10:09+00:00"),
        (aouad, 1, 2, "2022-02-01T21:02:40+00:00"),  # +02:00 in the file
        (aouad, 1, 3, None),
        (aouad, 1, 3, None),  # two viewings of unknown time stay two
        ("csv:doctor-who-1963", 1, 1, "2010-05-01T19:00:00+00:00"),
        ("csv:doctor-who-2005", 1, 1, "2005-03-26T19:00:00+00:00"),
        ("csv:kaiju-girl-caramelise", 1, 1, "2025-01-10T12:00:00+00:00"),
    ]
    shows = batch.shows
    assert shows[aouad].ids == {"tmdb": "99966", "tvdb": "397934", "imdb": "tt14169960"}
    assert (shows["csv:doctor-who-1963"].title, shows["csv:doctor-who-1963"].year) == (
        "Doctor Who",
        1963,
    )
    assert shows["csv:doctor-who-2005"].year == 2005
    assert shows["csv:kaiju-girl-caramelise"].kind == "anime"
    assert batch.ratings == [
        ImportedRating(aouad, 1, 1, 8),
        ImportedRating("csv:doctor-who-1963", 1, 1, 9),
    ]
    assert skip_lines(batch) == [("tracker.csv", "line 7"), ("tracker.csv", "line 11")]
    assert batch.skipped[0].reason == SPECIALS
    assert "'last tuesday'" in batch.skipped[1].reason
    assert batch.notes == [DATE_ONLY_NOTE]
    records = [v.record for v in batch.viewings]
    assert len(set(records)) == len(records)
    assert records[3:5] == [f"{aouad}:s1e3:unknown:1", f"{aouad}:s1e3:unknown:2"]


def test_a_missing_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("show_id,title,season,episode\nlost,Lost,1,1\n")
    with pytest.raises(ImportFormatError, match="'watched_at'"):
        read_path(csv_reader.read, path)


def test_bad_values_skip_their_row_and_a_bad_rating_only_the_rating(tmp_path: Path) -> None:
    header = ["show_id", "title", "kind", "season", "episode", "watched_at", "rating", "imdb"]
    rows = [
        ["Not An Id", "Lost", "series", "1", "1", "", "", ""],
        ["lost", "Lost", "cartoon", "1", "1", "", "", ""],
        ["lost", "Lost", "series", "1", "1", "", "", "tt 1"],
        ["lost", "", "series", "1", "1", "", "", ""],
        ["lost", "Lost", "series", "1", "2", "", "11", ""],
        ["lost", "Lost", "series", "1", "3", "2020-01-01T10:00:00Z", "7", ""],
        ["lost", "Lost", "series", "1", "3", "2020-02-01T10:00:00Z", "8", ""],
        ["lost", "Lost", "series", "1", "3", "2020-02-01T10:00:00Z", "7", ""],
    ]
    path = tmp_path / "export.csv"
    path.write_text(csv_text(header, rows))
    batch = read_path(csv_reader.read, path)
    reasons = {skip.where: skip.reason for skip in batch.skipped}
    assert "is not a show id" in reasons["line 2"]
    assert "kind 'cartoon'" in reasons["line 3"]
    assert "imdb id 'tt 1'" in reasons["line 4"]
    assert reasons["line 5"] == "no title"
    assert reasons["line 6"] == "rating 11 is over 10: the rating is left out"
    assert "the first is kept" in reasons["line 8"]
    assert [(v.episode, v.watched_at is not None) for v in batch.viewings] == [
        (2, False),
        (3, True),
        (3, True),
    ]
    assert batch.ratings == [ImportedRating("csv:lost", 1, 3, 7)]
    assert any("1 row repeating a viewing" in note for note in batch.notes)


# --- Export, then import: the same viewings and episode ratings ----------------------

SHOWS = {
    "all-of-us-are-dead": Show(
        id="all-of-us-are-dead",
        title="All of Us Are Dead",
        kind=Kind.SERIES,
        year=2022,
        ids={"tmdb": "99966", "imdb": "tt14169960"},
        seasons=[Season(number=1, episode_count=12)],
    ),
    "kaiju-girl-caramelise": Show(
        id="kaiju-girl-caramelise",
        title="Kaiju Girl Caramelise",
        kind=Kind.ANIME,
        ids={"mal": "57524"},
    ),
    "odd-one": Show(id="odd-one", title='Commas, "quotes"\nand a newline', kind=Kind.OTHER),
    "formula": Show(id="formula", title='=HYPERLINK("http://x")', kind=Kind.SERIES),
}


def _progress() -> Progress:
    progress = progress_of(
        [
            ("all-of-us-are-dead", 1, 1, at(1)),
            ("all-of-us-are-dead", 1, 1, dt.datetime(2023, 8, 15, 22, 10, 9, 123456, dt.UTC)),
            ("all-of-us-are-dead", 1, 2, at(1, 21).astimezone(dt.timezone(dt.timedelta(hours=9)))),
            ("all-of-us-are-dead", 1, 3, None),
            ("all-of-us-are-dead", 1, 3, None),
            ("kaiju-girl-caramelise", 1, 1, None),
            ("odd-one", 2, 5, at(3)),
            ("gone-show", 1, 1, at(4)),
            ("formula", 1, 1, at(5)),
        ]
    )
    progress = set_rating(progress, "all-of-us-are-dead", 8, NOW, 1, 1)
    progress = set_rating(progress, "all-of-us-are-dead", 6, NOW, 1, 9)  # no viewing
    progress = set_rating(progress, "all-of-us-are-dead", 9, NOW)
    progress = set_status(progress, "kaiju-girl-caramelise", "on-hold", NOW)
    return set_archived(progress, "odd-one", True, NOW)


def test_export_then_import_gives_the_same_viewings_and_episode_ratings(tmp_path: Path) -> None:
    progress = _progress()
    result = csv_writer.write(SHOWS, progress)
    path = tmp_path / "tracker.csv"
    path.write_bytes(result.data)
    batch = read_path(csv_reader.read, path)
    assert batch.skipped == []
    read_back = sorted(
        ((v.show.removeprefix("csv:"), v.season, v.episode, v.watched_at) for v in batch.viewings),
        key=lambda v: (v[0], v[1], v[2], v[3] is not None, str(v[3])),
    )
    assert read_back == live_viewings(progress)
    assert batch.ratings == [ImportedRating("csv:all-of-us-are-dead", 1, 1, 8)]
    aouad = batch.shows["csv:all-of-us-are-dead"]
    assert (aouad.title, aouad.year, aouad.kind, aouad.ids) == (
        "All of Us Are Dead",
        2022,
        "series",
        {"tmdb": "99966", "imdb": "tt14169960"},
    )
    assert batch.shows["csv:odd-one"].title == 'Commas, "quotes"\nand a newline'
    assert batch.shows["csv:kaiju-girl-caramelise"].kind == "anime"
    assert batch.shows["csv:gone-show"].title == "gone-show"
    assert batch.shows["csv:formula"].title == '=HYPERLINK("http://x")'
    assert "\r\nformula,\"'=HYPERLINK" in result.data.decode()
    assert result.summary == "9 viewings of 5 shows"
    left_out = "\n".join(result.left_out)
    assert "3 show or season marks" in left_out
    assert "ratings of 1 episode with no viewing" in left_out
    assert "1 show no longer in the catalog" in left_out
    again = read_path(csv_reader.read, path)
    assert [v.record for v in again.viewings] == [v.record for v in batch.viewings]


def test_the_export_writes_the_columns_in_order_with_utc_times() -> None:
    result = csv_writer.write(SHOWS, progress_of([("all-of-us-are-dead", 1, 2, at(1, 21))]))
    lines = result.data.decode().split("\r\n")
    assert lines[0] == ",".join(COLUMNS)
    assert lines[1] == (
        "all-of-us-are-dead,All of Us Are Dead,2022,series,1,2,2022-02-01T21:05:11+00:00,,"
        ",99966,,tt14169960,,,,,"
    )
    assert result.left_out == []


def test_a_removed_or_unmarked_viewing_is_not_exported() -> None:
    key = EpisodeKey("all-of-us-are-dead", 1, 1)
    progress = progress_of([("all-of-us-are-dead", 1, 1, at(1))])
    state = progress.episode_state(key)
    assert state is not None
    cleared = progress.with_episodes({key: EpisodeState(state.viewings, cleared_at=LOGGED)})
    assert csv_writer.write(SHOWS, cleared).summary == "0 viewings of 0 shows"


# --- Any row of the column grammar becomes a viewing or a skip -----------------------

_ROW = st.fixed_dictionaries(
    {
        "show_id": st.sampled_from(["lost", "doctor-who-2005", "", "Bad Id"]),
        "title": st.sampled_from(["Lost", "Doctor Who", "", 'Say "hi",\nbye']),
        "year": st.sampled_from(["2004", "", "99", "20x4", "3000"]),
        "kind": st.sampled_from(["series", "anime", "", "ANIME", "film"]),
        "season": st.sampled_from(["1", "2", "0", "", "x", "1.0", "٣"]),
        "episode": st.sampled_from(["1", "3", "0", "", "-1", "10001"]),
        "watched_at": st.sampled_from(
            [
                "",
                "2020-01-01T10:00:00+00:00",
                "2020-01-01",
                "2020-01-01 10:00",
                "then",
                "2020-02-30",
            ]
        ),
        "rating": st.sampled_from(["", "1", "10", "0", "11", "x"]),
        "imdb": st.sampled_from(["", "tt0411008", "tt 1"]),
    }
)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(_ROW, max_size=12), seed=st.integers(0, 1000))
def test_every_row_becomes_a_viewing_or_a_skip(
    tmp_path: Path, rows: list[dict[str, str]], seed: int
) -> None:
    header = list(_ROW_NAMES)
    random.Random(seed).shuffle(header)
    path = tmp_path / f"export-{seed}.csv"
    path.write_text(csv_text(header, [[row[name] for name in header] for row in rows]))
    batch = read_path(csv_reader.read, path)
    refused = {s.where for s in batch.skipped if not s.reason.endswith(_KEPT_ENDINGS)}
    repeated = sum(int(note.split()[0]) for note in batch.notes if "repeating" in note)
    assert len(batch.viewings) + len(refused) + repeated == len(rows)
    for viewing in batch.viewings:
        assert viewing.show in batch.shows
        assert viewing.watched_at is None or viewing.watched_at.utcoffset() == dt.timedelta(0)
    for rating in batch.ratings:
        assert 1 <= rating.rating <= 10


_ROW_NAMES = (
    "show_id",
    "title",
    "year",
    "kind",
    "season",
    "episode",
    "watched_at",
    "rating",
    "imdb",
)
_KEPT_ENDINGS = ("the rating is left out", "the first is kept")


def test_an_unreadable_record_is_skipped_and_reading_goes_on(tmp_path: Path) -> None:
    huge = "x" * 200_000  # over the csv module's field limit
    path = tmp_path / "export.csv"
    path.write_text(
        f"show_id,title,season,episode,watched_at\nlost,Lost,1,1,\nlost,{huge},1,2,\n"
        "lost,Lost,1,3,\n"
    )
    batch = read_path(csv_reader.read, path)
    assert [v.episode for v in batch.viewings] == [1, 3]
    assert skip_lines(batch) == [("export.csv", "line 3")]
    assert "not a readable record" in batch.skipped[0].reason


@given(st.text(alphabet="'=+-@ab", max_size=8))
def test_a_guarded_cell_reads_back_and_never_starts_a_formula(text: str) -> None:
    cell = guarded(text)
    assert unguarded(cell) == text
    assert not cell.startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize(
    ("reader", "path", "says"),
    [
        (csv_reader.read, FIXTURES / "yamtrack" / "yamtrack.csv", "not a tracker CSV file"),
        (csv_reader.read, FIXTURES / "mal" / "animelist.xml", "not a tracker CSV file"),
        (yamtrack_reader.read, EXPORT, "not a Yamtrack CSV file"),
        (tvtime_reader.read, EXPORT, "not a TV Time export"),
        (mal_reader.read, EXPORT, "not readable XML"),
    ],
)
def test_another_format_is_refused_with_what_is_wrong(
    reader: Reader, path: Path, says: str
) -> None:
    with pytest.raises(ImportFormatError, match=says):
        read_path(reader, path)
