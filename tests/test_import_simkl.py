"""Simkl backups read into a batch: statuses, ratings, anime, undated episodes, bad items."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker_tui.domain.exchange import simkl_reader
from tracker_tui.domain.exchange.batch import ImportBatch, ImportFormatError
from tracker_tui.domain.exchange.source import open_source

FIXTURE = Path(__file__).parent / "fixtures" / "exchange" / "simkl" / "simkl-backup.json"
UTC = dt.UTC


def read(path: Path) -> ImportBatch:
    with open_source(path) as source:
        return simkl_reader.read(source)


def backup(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "simkl.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def item(**change: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "status": "watching",
        "user_rating": 7,
        "last_watched_at": "2024-03-02T21:40:12Z",
        "show": {"title": "Severance", "year": 2022, "ids": {"simkl": 17, "imdb": "tt11280740"}},
        "seasons": [{"number": 1, "episodes": [{"number": 1, "watched_at": "2024-03-01T20:00Z"}]}],
    }
    return base | change


def test_the_fixture_backup() -> None:
    batch = read(FIXTURE)
    assert {key: (s.title, s.year, s.kind) for key, s in batch.shows.items()} == {
        "simkl:1234567": ("All of Us Are Dead", 2022, "series"),
        "simkl:1700001": ("Severance", 2022, "series"),
        "simkl:888001": ("Kingdom", 2019, "series"),
        "simkl:888002": ("Kingdom", 2011, "series"),
        "simkl:2400100": ("Kaiju Girl Caramelise", 2025, "anime"),
        "simkl:37089": ("Cowboy Bebop", 1998, "anime"),
    }
    assert batch.shows["simkl:37089"].ids == {"mal": "1", "simkl": "37089"}
    assert {(s.show, s.status) for s in batch.statuses} == {
        ("simkl:1234567", "watching"),
        ("simkl:1700001", "on-hold"),
        ("simkl:888001", "plan-to-watch"),
        ("simkl:888002", "dropped"),
        ("simkl:2400100", "completed"),
        ("simkl:37089", "completed"),
    }
    plan = next(s for s in batch.statuses if s.show == "simkl:888001")
    assert plan.changed_at is None
    assert {(r.show, r.rating) for r in batch.ratings} == {
        ("simkl:1234567", 9),
        ("simkl:888002", 4),
        ("simkl:2400100", 8),
        ("simkl:37089", 10),
    }
    viewings = {(v.show, v.season, v.episode): v.watched_at for v in batch.viewings}
    assert viewings[("simkl:1700001", 1, 2)] is None
    assert viewings[("simkl:37089", 1, 26)] is None  # a flat episode list is season 1
    assert viewings[("simkl:888002", 1, 1)] == dt.datetime(2019, 5, 5, 12, tzinfo=UTC)
    assert len(batch.viewings) == 9
    reasons = {s.where: s.reason for s in batch.skipped}
    assert (
        reasons["shows item 1 (All of Us Are Dead) S1E2"]
        == "the same episode and time again (kept once)"
    )
    assert "specials" in reasons["shows item 2 (Severance) S0E1"]
    assert reasons["shows item 2 (Severance) S1E3"] == "not a time: 'yesterday'"
    assert "`title`" in reasons["shows item 5"]
    assert "1 movie left out: movies are not tracked" in batch.notes


def test_records_are_stable_and_unique() -> None:
    first, second = read(FIXTURE), read(FIXTURE)
    records = [v.record for v in first.viewings]
    assert records == [v.record for v in second.viewings]
    assert len(set(records)) == len(records)


def test_a_zip_holding_the_backup(tmp_path: Path) -> None:
    archive = tmp_path / "simkl.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(FIXTURE, "backup/simkl-backup.json")
        zipped.writestr("readme.txt", "hello")
    assert read(archive).viewings == read(FIXTURE).viewings


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"shows": [{"status": "watching",\n "show": {"title": "X"', "line 2, column"),
        ('{"shows": [}', "line 1, column 12"),
        ("[]", "Expected `object`, got `array`"),
        ('{"shows": {"a": 1}}', "Expected `array | null`, got `object` - at `$.shows`"),
        ('{"history": []}', "no `shows`, `anime` or `movies` list"),
    ],
)
def test_a_backup_that_cannot_be_read_imports_nothing(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ImportFormatError) as error:
        read(backup(tmp_path, text))
    assert message in str(error.value)


def test_an_empty_backup_is_an_empty_batch(tmp_path: Path) -> None:
    batch = read(backup(tmp_path, {"shows": [], "anime": []}))
    assert not batch.shows and not batch.skipped


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"user_rating": 11}, "rating 11 is not a whole number from 1 to 10"),
        ({"user_rating": 7.5}, "rating 7.5"),
        ({"status": "binged"}, "status 'binged' is not one of"),
        ({"last_watched_at": "2024-02-30T10:00:00Z"}, "last_watched_at: not a time"),
        ({"seasons": [{"number": 1, "episodes": [{"number": 0}]}]}, "specials"),
    ],
)
def test_a_bad_field_is_skipped_and_the_item_kept(
    tmp_path: Path, change: dict[str, Any], reason: str
) -> None:
    batch = read(backup(tmp_path, {"shows": [item(**change)]}))
    assert "simkl:17" in batch.shows
    (skip,) = batch.skipped
    assert skip.where.startswith("shows item 1 (Severance)")
    assert reason in skip.reason


def test_a_bad_item_is_skipped_and_the_rest_read(tmp_path: Path) -> None:
    items = [item(seasons="many"), 5, item(show={"title": "Dark", "ids": {"simkl": 9}})]
    batch = read(backup(tmp_path, {"shows": items}))
    assert list(batch.shows) == ["simkl:9"]
    assert [s.where for s in batch.skipped] == ["shows item 1", "shows item 2"]


def test_movies_are_counted_once(tmp_path: Path) -> None:
    movies = [{"movie": {"title": f"Film {n}"}} for n in range(3)]
    batch = read(backup(tmp_path, {"shows": [], "movies": movies}))
    assert batch.notes == ["3 movies left out: movies are not tracked"]
    assert not batch.skipped


_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 12), st.floats(0, 11), st.text(max_size=6)
)
_EPISODES = st.lists(
    st.fixed_dictionaries(
        {"number": st.one_of(st.integers(-1, 30), st.text(max_size=2))},
        optional={
            "watched_at": st.one_of(
                st.sampled_from(["2024-03-01T20:15:00Z", "2024-03-01", "2024-03-01T20:15"]),
                _VALUES,
            )
        },
    ),
    max_size=4,
)
_ITEMS = st.fixed_dictionaries(
    {},
    optional={
        "status": st.one_of(st.sampled_from(sorted(simkl_reader.STATUSES)), _VALUES),
        "user_rating": _VALUES,
        "last_watched_at": _VALUES,
        "show": st.one_of(
            st.fixed_dictionaries(
                {"title": st.one_of(st.text(max_size=8), st.none())},
                optional={
                    "year": _VALUES,
                    "ids": st.dictionaries(st.sampled_from(["simkl", "mal", "tmdb"]), _VALUES),
                },
            ),
            _VALUES,
        ),
        "seasons": st.lists(
            st.fixed_dictionaries(
                {"number": st.one_of(st.integers(-1, 3), _VALUES)}, optional={"episodes": _EPISODES}
            ),
            max_size=3,
        ),
        "episodes": _EPISODES,
    },
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(shows=st.lists(st.one_of(_ITEMS, _VALUES), max_size=5), anime=st.lists(_ITEMS, max_size=3))
def test_any_backup_reads_or_fails_cleanly(
    tmp_path: Path, shows: list[object], anime: list[object]
) -> None:
    try:
        batch = read(backup(tmp_path, {"shows": shows, "anime": anime}))
    except ImportFormatError:
        return
    for viewing in batch.viewings:
        assert viewing.season >= 1 and viewing.episode >= 1
        assert viewing.watched_at is None or viewing.watched_at.utcoffset() == dt.timedelta(0)
    assert len({v.record for v in batch.viewings}) == len(batch.viewings)
    assert all(1 <= rating.rating <= 10 for rating in batch.ratings)
