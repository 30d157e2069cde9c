"""Trakt exports read into a batch: the fixture, zips, bad files and bad entries, and the
writer's history read back."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
import zipfile
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker_tui.domain.catalog.models import Episode, Kind, Season, Show
from tracker_tui.domain.exchange import trakt_reader, trakt_writer
from tracker_tui.domain.exchange.batch import ImportBatch, ImportFormatError
from tracker_tui.domain.exchange.json_support import (
    UndecodableError,
    iter_array,
    where_undecodable,
)
from tracker_tui.domain.exchange.source import open_source
from tracker_tui.domain.progress.records import (
    EpisodeKey,
    EpisodeState,
    Progress,
    Viewing,
    mark_watched,
    set_rating,
    set_status,
)

FIXTURE = Path(__file__).parent / "fixtures" / "exchange" / "trakt"
UTC = dt.UTC


def read(path: Path) -> ImportBatch:
    with open_source(path) as source:
        return trakt_reader.read(source)


def skips(batch: ImportBatch) -> dict[str, str]:
    return {skip.where: skip.reason for skip in batch.skipped}


def entry(
    entry_id: int, season: int = 1, number: int = 1, watched_at: str = "2024-03-01T20:15:00.000Z"
) -> dict[str, Any]:
    return {
        "id": entry_id,
        "watched_at": watched_at,
        "action": "watch",
        "type": "episode",
        "episode": {"season": season, "number": number, "title": f"Episode {number}", "ids": {}},
        "show": {"title": "Severance", "year": 2022, "ids": {"trakt": 154997, "slug": "severance"}},
    }


def write_export(folder: Path, history: object, **files: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = history if isinstance(history, str) else json.dumps(history)
    (folder / "watched-history.json").write_text(text)
    for name, content in files.items():
        data = content if isinstance(content, str) else json.dumps(content)
        (folder / f"{name.replace('_', '-')}.json").write_text(data)
    return folder


def test_the_fixture_export_gives_viewings_ratings_and_reasons() -> None:
    batch = read(FIXTURE)
    dead = batch.shows["trakt:175425"]
    assert (dead.title, dead.year, dead.kind) == ("All of Us Are Dead", 2022, "series")
    assert dead.ids == {"trakt": "175425", "tmdb": "99966", "tvdb": "403245", "imdb": "tt14169960"}
    assert dead.seasons[1].episodes[1].title == "Episode 1"
    history = [v for v in batch.viewings if v.record.startswith("trakt:history:")]
    assert Counter((v.show, v.season, v.episode) for v in history)[("trakt:175425", 1, 1)] == 2
    assert ("trakt:175425", 1, 1, dt.datetime(2025, 1, 5, 19, tzinfo=UTC)) in {
        (v.show, v.season, v.episode, v.watched_at) for v in history
    }
    # the same title in two years is two shows; one without a trakt id is keyed by title
    assert {"title:Kingdom|2019", "trakt:40001"} <= batch.shows.keys()
    reasons = skips(batch)
    assert "specials (season 0)" in reasons["entry 9001000005"]
    assert reasons["entry 9001000007"] == "not a time: 'last tuesday'"
    assert "`season`" in reasons["entry 9001000008"]
    assert reasons["entry 9001000004"] == "the same entry again (kept once)"
    assert "rating 11" in reasons["record 2"]
    assert {(r.show, r.season, r.episode, r.rating) for r in batch.ratings} == {
        ("trakt:175425", None, None, 9),
        ("trakt:175425", 1, None, 8),
        ("trakt:154997", 1, 1, 10),
    }
    assert "times without a zone were taken as UTC" in batch.notes
    assert any("movie" in note for note in batch.notes)


def test_watched_shows_adds_only_what_the_history_lacks() -> None:
    batch = read(FIXTURE)
    added = [v for v in batch.viewings if v.record.startswith("trakt:watched:")]
    # E1: 3 plays, 2 in the history -> one of unknown time; E2: in the history; E3: missing
    assert sorted((v.episode, v.watched_at) for v in added if v.watched_at is None) == [(1, None)]
    assert [(v.episode, v.watched_at) for v in added if v.watched_at is not None] == [
        (3, dt.datetime(2024, 3, 3, 21, tzinfo=UTC))
    ]
    assert any("watched-shows.json added 2 viewings" in note for note in batch.notes)


def test_a_zip_of_the_export_reads_as_the_folder_does(tmp_path: Path) -> None:
    archive = tmp_path / "trakt-export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(FIXTURE.rglob("*.json")):
            zipped.write(path, path.relative_to(FIXTURE).as_posix())
        zipped.writestr("../evil/watched-history-9.json", json.dumps([entry(1)]))
    with open_source(archive) as source:
        batch = trakt_reader.read(source)
        assert any("../evil" in ignored for ignored in source.ignored)
    folder = read(FIXTURE)
    assert sorted(batch.viewings, key=repr) == sorted(folder.viewings, key=repr)
    assert batch.ratings == folder.ratings
    assert "trakt:history:1" not in {v.record for v in batch.viewings}


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("watched-history.json", b"[" + b" " * (3 << 20) + b"]")
    with pytest.raises(ImportFormatError, match="zip bomb"):
        read(archive)


def test_several_history_files_are_one_history(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "watched-history-1.json").write_text(json.dumps([entry(1), entry(2, number=2)]))
    (folder / "watched-history-2.json").write_text(json.dumps([entry(3, number=3), entry(1)]))
    batch = read(folder)
    assert [v.record for v in batch.viewings] == [f"trakt:history:{n}" for n in (1, 2, 3)]
    assert [s.where for s in batch.skipped] == ["entry 1"]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('[{"id": 1, "watched_at": "2024-01-01T00:00:00Z"},\n  {"id": 2, "wat', "line 2, column"),
        ('[{"id": 1}\n,\n  ?]', "line 3, column 3"),
        ('{"history": []}', "line 1, column 1: not a JSON array"),
        ('\n\n  [{"id": 1}]]', "line 3, column 14: JSON is malformed: trailing characters"),
        ("", "line 1, column 1"),
    ],
)
def test_a_history_that_is_not_json_imports_nothing(tmp_path: Path, text: str, where: str) -> None:
    folder = write_export(tmp_path / "export", text)
    with pytest.raises(ImportFormatError, match=r"watched-history\.json") as error:
        read(folder)
    assert where in str(error.value)
    assert "nothing was imported" in str(error.value)


def test_a_broken_ratings_file_is_skipped_and_the_rest_imported(tmp_path: Path) -> None:
    ratings = '[{"rating": 8, "show": {"title": "Severance"}}'
    folder = write_export(tmp_path / "export", [entry(1)], ratings_shows=ratings)
    batch = read(folder)
    assert len(batch.viewings) == 1
    (skip,) = batch.skipped
    assert skip.file.endswith("ratings-shows.json")
    assert skip.where == "the whole file"
    assert "stops early" in skip.reason


def test_no_history_is_not_a_trakt_export(tmp_path: Path) -> None:
    (tmp_path / "ratings-shows.json").write_text("[]")
    with pytest.raises(ImportFormatError, match="no watched-history"):
        read(tmp_path)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"watched_at": "2024-13-01T00:00:00Z"}, "not a time: '2024-13-01T00:00:00Z'"),
        ({"watched_at": 1709324100}, "Expected `str`, got `int`"),
        ({"episode": {"season": "1", "number": 1}}, "Expected `int`, got `str`"),
        ({"episode": {"season": 1, "number": 0}}, "specials"),
        ({"episode": {"season": 1, "number": 99999}}, "episode 99999"),
        ({"show": {"title": "  ", "ids": {}}}, "no title"),
        ({"show": None}, "needs both"),
        ({"action": "unwatch"}, "not a viewing"),
        ({"type": "season"}, "not an episode"),
    ],
)
def test_a_bad_entry_is_skipped_with_its_reason(
    tmp_path: Path, change: dict[str, object], reason: str
) -> None:
    folder = write_export(tmp_path / "export", [entry(1), entry(2) | change])
    batch = read(folder)
    assert [v.record for v in batch.viewings] == ["trakt:history:1"]
    assert reason in skips(batch)["entry 2"]


def test_an_entry_without_an_id_is_named_by_its_place(tmp_path: Path) -> None:
    broken = entry(2)
    del broken["id"]
    batch = read(write_export(tmp_path / "export", [entry(1), broken, "text"]))
    assert list(skips(batch)) == ["record 2", "record 3"]


def test_dates_and_zones_become_utc(tmp_path: Path) -> None:
    history = [
        entry(1, watched_at="2024-03-01"),
        entry(2, number=2, watched_at="2024-03-01T23:30:00+02:00"),
    ]
    batch = read(write_export(tmp_path / "export", history))
    assert [v.watched_at for v in batch.viewings] == [
        dt.datetime(2024, 3, 1, 12, tzinfo=UTC),
        dt.datetime(2024, 3, 1, 21, 30, tzinfo=UTC),
    ]
    assert any("12:00 UTC" in note for note in batch.notes)


# --- A history read a piece at a time is the history read whole ---

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='{}[],:"\\ ab\n', max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(items=st.lists(_JSON, max_size=12), chunk=st.integers(1, 64), cut=st.integers(0, 400))
def test_pieces_are_the_whole(tmp_path: Path, items: list[object], chunk: int, cut: int) -> None:
    text = json.dumps(items, indent=1 if chunk % 2 else None).encode()
    path = tmp_path / "watched-history.json"
    path.write_bytes(text)
    with open_source(path) as source:
        pieces = [
            msgspec.json.decode(raw)
            for part in iter_array(source.members[0], chunk)
            for raw in part
        ]
    assert pieces == items
    broken = text[: min(cut, len(text) - 1)]
    path.write_bytes(broken)
    whole = _whole_error(broken)
    with open_source(path) as source, pytest.raises(UndecodableError) as error:
        for _ in iter_array(source.members[0], chunk):
            pass
    assert whole is None or str(error.value) == whole


def _whole_error(data: bytes) -> str | None:
    """The message for the file read whole (None where the streaming reader words it its own
    way: an empty file, or one that does not start with `[`)."""
    if not data.strip() or not data.lstrip().startswith(b"["):
        return None
    try:
        msgspec.json.decode(data, type=list[msgspec.Raw])
    except msgspec.DecodeError as error:
        return where_undecodable(error, data)
    raise AssertionError("a cut short array decoded")


# --- Any entry the grammar allows, or nearly: a viewing or a skip, never a crash ---

_TIMES = st.one_of(
    st.datetimes(timezones=st.just(UTC)).map(trakt_writer.trakt_time),
    st.datetimes().map(lambda moment: moment.isoformat()),
    st.sampled_from(["", "2024-02-30", "2024-01-01T25:00:00Z", "٢٠٢٤-01-01", "soon"]),
    st.integers(),
    st.none(),
)
_NUMBERS = st.one_of(st.integers(-2, 12), st.just(2**70), st.text(max_size=3), st.none())
_IDS = st.dictionaries(
    st.sampled_from(["trakt", "slug", "tvdb", "imdb", "tmdb"]),
    st.one_of(st.integers(), st.text(max_size=8), st.none(), st.booleans()),
)
_SHOWS = st.fixed_dictionaries(
    {"title": st.one_of(st.text(max_size=12), st.none())},
    optional={"year": st.one_of(st.integers(1900, 2100), st.text(max_size=4)), "ids": _IDS},
)
_ENTRIES = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.integers(1, 20), st.text(max_size=3)),
        "watched_at": _TIMES,
        "action": st.sampled_from(["watch", "scrobble", "checkin", "unknown"]),
        "type": st.sampled_from(["episode", "movie", "show"]),
        "episode": st.one_of(
            st.fixed_dictionaries(
                {"season": _NUMBERS, "number": _NUMBERS},
                optional={"title": st.one_of(st.text(max_size=12), st.none())},
            ),
            st.none(),
        ),
        "show": st.one_of(_SHOWS, st.none()),
    },
)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=st.lists(st.one_of(_ENTRIES, st.integers(), st.none()), max_size=8))
def test_every_entry_is_a_viewing_a_movie_or_a_skip(tmp_path: Path, entries: list[object]) -> None:
    folder = write_export(tmp_path / "generated", entries)
    batch = read(folder)
    movies = sum(int(note.split()[0]) for note in batch.notes if "movies are not tracked" in note)
    assert len(batch.viewings) + len(batch.skipped) + movies == len(entries)
    for viewing in batch.viewings:
        assert viewing.watched_at is not None and viewing.watched_at.utcoffset() == dt.timedelta(0)
        assert viewing.season >= 1 and viewing.episode >= 1
    assert len({v.record for v in batch.viewings}) == len(batch.viewings)


# --- The writer's history, read back ---

NOW = dt.datetime(2026, 11, 21, 12, tzinfo=UTC)


def shows() -> dict[str, Show]:
    return {
        "all-of-us-are-dead": Show(
            id="all-of-us-are-dead",
            title="All of Us Are Dead",
            kind=Kind.SERIES,
            year=2022,
            ids={"trakt": "175425", "imdb": "tt14169960", "tmdb": "99966"},
            seasons=[Season(number=1, episodes=[Episode(1, "Episode 1")])],
        ),
        "your-show": Show(id="your-show", title="Your Show", kind=Kind.SERIES),
    }


def progress() -> Progress:
    dead = EpisodeKey("all-of-us-are-dead", 1, 1)
    mine = EpisodeKey("your-show", 2, 3)
    result = mark_watched(
        Progress.empty(), [dead], NOW, dt.datetime(2024, 3, 1, 20, 15, tzinfo=UTC)
    )
    result = mark_watched(result, [dead], NOW, dt.datetime(2025, 1, 5, 19, 0, 0, 1234, tzinfo=UTC))
    result = mark_watched(result, [mine], NOW, dt.datetime(2023, 6, 1, 8, tzinfo=UTC))
    undated = Viewing("u1", None, NOW)
    result = result.with_episodes(
        {EpisodeKey("your-show", 1, 1): EpisodeState(viewings={"u1": undated})}
    )
    result = mark_watched(result, [EpisodeKey("gone-show", 1, 1)], NOW)
    result = set_rating(result, "all-of-us-are-dead", 9, NOW)
    return set_status(result, "your-show", "watching", NOW)


def test_the_written_history_reads_back_as_the_same_viewings(tmp_path: Path) -> None:
    catalog, state = shows(), progress()
    result = trakt_writer.write(catalog, state)
    assert result.summary == "3 viewings of 2 shows"
    assert result.left_out == [
        "1 viewing of unknown time (Trakt's history needs a time)",
        "1 ratings (Trakt keeps them apart from its history)",
        "1 list statuses (Trakt's history has none)",
        "1 viewing of shows no longer in the catalog",
    ]
    assert trakt_writer.write(catalog, state).data == result.data  # stable ids and order
    written = json.loads(result.data)
    assert [e["watched_at"] for e in written] == [
        "2025-01-05T19:00:00.001234Z",
        "2024-03-01T20:15:00.000Z",
        "2023-06-01T08:00:00.000Z",
    ]
    assert written[0]["show"]["ids"] == {
        "trakt": 175425,
        "slug": None,
        "tvdb": None,
        "imdb": "tt14169960",
        "tmdb": 99966,
    }
    assert all(isinstance(e["id"], int) and 0 < e["id"] < 2**48 for e in written)
    (tmp_path / "watched-history.json").write_bytes(result.data)
    batch = read(tmp_path)
    titles = {key: show.title for key, show in batch.shows.items()}
    by_title = {show.title: show_id for show_id, show in catalog.items()}
    read_back = sorted(
        (by_title[titles[v.show]], v.season, v.episode, v.watched_at) for v in batch.viewings
    )
    expected = sorted(
        (key.show, key.season, key.episode, viewing.watched_at)
        for show_id in ("all-of-us-are-dead", "your-show")
        for key in state.show_state(show_id).episodes
        for viewing in state.viewings(key)
        if viewing.watched_at is not None
    )
    assert read_back == expected
    assert batch.shows["trakt:175425"].seasons[1].episodes[1].title == "Episode 1"
    assert "title:Your Show|?" in batch.shows
    assert not batch.skipped


# --- The benchmark's generated export is one the reader takes whole ---


def _generator() -> ModuleType:
    path = Path(__file__).parent.parent / "benchmarks" / "trakt_export.py"
    spec = importlib.util.spec_from_file_location("trakt_export", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def test_the_generated_export_reads_whole(tmp_path: Path) -> None:
    generate = _generator().generate
    options = {"shows": 20, "viewings": 400, "episodes": 300, "seed": 3, "per_file": 150}
    folder = generate(tmp_path / "a", **options)
    archive = generate(tmp_path / "b", **options, zipped=True)
    batch = read(folder)
    assert len(batch.viewings) == 400
    assert len({(v.show, v.season, v.episode) for v in batch.viewings}) < 400  # rewatches
    assert len(batch.shows) == 20
    assert batch.ratings
    assert not batch.skipped
    assert not batch.notes  # watched-shows.json agrees with the history: it adds nothing
    assert read(archive).viewings == batch.viewings
    again = generate(tmp_path / "c", **options)
    for path in sorted(folder.iterdir()):
        assert (again / path.name).read_bytes() == path.read_bytes()


def test_a_damaged_zip_member_is_a_clear_error(tmp_path: Path) -> None:
    archive = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("watched-history.json", json.dumps([entry(n) for n in range(1, 500)]))
    data = bytearray(archive.read_bytes())
    for index in range(100, 400):  # inside the member's deflated bytes
        data[index] ^= 0x55
    archive.write_bytes(bytes(data))
    with pytest.raises(ImportFormatError, match=r"cannot read .*watched-history\.json"):
        read(archive)


def test_a_lone_history_file_of_any_name_is_read(tmp_path: Path) -> None:
    # `tracker export --format trakt FILE` writes one file, named as the user likes.
    folder = write_export(tmp_path / "export", [entry(1), entry(2)])
    lone = tmp_path / "my-history.trakt"
    lone.write_bytes((folder / "watched-history.json").read_bytes())
    assert len(read(lone).viewings) == 2
