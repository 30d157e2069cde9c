"""MyAnimeList XML read into a batch: counted episodes, rewatches, statuses, hostile XML."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker_tui.domain.catalog.models import Kind, Season, Show
from tracker_tui.domain.exchange import mal_reader, mal_writer
from tracker_tui.domain.exchange.batch import ImportedRating, ImportedStatus, ImportFormatError
from tracker_tui.domain.progress.records import Progress, set_rating, set_status

from .tabular_helpers import FIXTURES, progress_of, read_path, skip_lines

EXPORT = FIXTURES / "mal" / "animelist.xml"


def _entry(fields: dict[str, str]) -> str:
    return "<anime>" + "".join(f"<{k}>{v}</{k}>" for k, v in fields.items()) + "</anime>"


def _list(*entries: str, export_type: str = "1") -> str:
    info = f"<myinfo><user_export_type>{export_type}</user_export_type></myinfo>"
    body = "".join(entries)
    return f'<?xml version="1.0" encoding="UTF-8" ?>\n<myanimelist>{info}{body}</myanimelist>\n'


def test_the_fixture_list_reads_into_anime_with_counted_episodes() -> None:
    batch = read_path(mal_reader.read, EXPORT)
    assert list(batch.shows) == ["mal:57524", "mal:1", "mal:5114", "mal:20"]
    kaiju = batch.shows["mal:57524"]
    assert (kaiju.title, kaiju.kind, kaiju.ids) == (
        "Kaiju Girl Caramelise",
        "anime",
        {"mal": "57524"},
    )
    assert kaiju.seasons[1].episode_count is None  # series_episodes 0: unknown
    assert batch.shows["mal:1"].seasons[1].episode_count == 26
    title = batch.shows["mal:5114"].title
    assert title == "Fullmetal Alchemist: Brotherhood & Friends <3"
    by_show: dict[str, list[str]] = {}
    for viewing in batch.viewings:
        assert viewing.watched_at is None and viewing.season == 1
        by_show.setdefault(viewing.show, []).append(viewing.record)
    assert by_show["mal:57524"] == ["mal:57524:e1:w1", "mal:57524:e2:w1"]
    # completed and watched once more: every episode twice
    assert len(by_show["mal:1"]) == 52
    assert by_show["mal:1"][26] == "mal:1:e1:w2"
    assert len(by_show["mal:20"]) == 3
    assert "mal:5114" not in by_show
    assert batch.statuses == [
        ImportedStatus("mal:57524", "watching"),
        ImportedStatus("mal:1", "completed"),
        ImportedStatus("mal:5114", "plan-to-watch"),  # the old numeric status 6
        ImportedStatus("mal:20", "on-hold"),
    ]
    assert batch.ratings == [
        ImportedRating("mal:57524", None, None, 7),
        ImportedRating("mal:1", None, None, 10),
        ImportedRating("mal:20", None, None, 6),
    ]
    assert skip_lines(batch) == [
        ("animelist.xml", "<anime> 5 (Broken Entry)"),
        ("animelist.xml", "<anime> 6 (Cowboy Bebop)"),
    ]
    assert "the first is kept" in batch.skipped[1].reason
    assert batch.notes == [mal_reader.UNDATED_NOTE]


def test_a_gzipped_list_reads_like_the_plain_one(tmp_path: Path) -> None:
    packed = tmp_path / "animelist_1700000000_-_4242.xml.gz"
    with gzip.open(packed, "wb") as stream:
        stream.write(EXPORT.read_bytes())
    plain = read_path(mal_reader.read, EXPORT)
    assert read_path(mal_reader.read, packed).viewings == plain.viewings


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<myanimelist><anime><series_animedb_id>1</series_animedb_id>
<series_title>&lol3;</series_title></anime></myanimelist>
"""


def test_a_billion_laughs_file_is_refused_before_expanding(tmp_path: Path) -> None:
    path = tmp_path / "animelist.xml"
    path.write_text(BILLION_LAUGHS)
    with pytest.raises(ImportFormatError, match="DTD or entities"):
        read_path(mal_reader.read, path)


def test_an_external_entity_is_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret")
    path = tmp_path / "animelist.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        "<myanimelist><anime><series_animedb_id>1</series_animedb_id>"
        "<series_title>&xxe;</series_title></anime></myanimelist>\n"
    )
    with pytest.raises(ImportFormatError, match="DTD or entities") as error:
        read_path(mal_reader.read, path)
    assert "the secret" not in str(error.value)


def test_a_truncated_list_keeps_the_entries_before_the_break(tmp_path: Path) -> None:
    text = EXPORT.read_text()
    path = tmp_path / "animelist.xml"
    path.write_text(text[: text.index("<series_title>Naruto")])
    batch = read_path(mal_reader.read, path)
    assert list(batch.shows) == ["mal:57524", "mal:1", "mal:5114"]
    (skip,) = batch.skipped
    assert skip.where.startswith("line ")
    assert "truncated" in skip.reason and "3 entries before it" in skip.reason


def test_a_list_broken_before_any_entry_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "animelist.xml"
    path.write_text("<?xml version='1.0'?><myanimelist><myinfo><user_")
    with pytest.raises(ImportFormatError, match="not readable XML"):
        read_path(mal_reader.read, path)


@pytest.mark.parametrize(
    "text",
    [
        _list(export_type="2"),
        '<?xml version="1.0"?><myanimelist><manga><manga_mangadb_id>2</manga_mangadb_id>'
        "</manga></myanimelist>",
    ],
)
def test_a_manga_list_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "mangalist.xml"
    path.write_text(text)
    with pytest.raises(ImportFormatError, match="manga list"):
        read_path(mal_reader.read, path)


def test_other_xml_is_not_a_mal_list(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text("<?xml version='1.0'?><rss><channel/></rss>")
    with pytest.raises(ImportFormatError, match="not a MyAnimeList export"):
        read_path(mal_reader.read, path)


def test_watched_beyond_the_count_leaves_the_count_unknown(tmp_path: Path) -> None:
    path = tmp_path / "animelist.xml"
    fields = {"series_animedb_id": "9", "series_title": "Odd", "series_episodes": "2"}
    path.write_text(_list(_entry({**fields, "my_watched_episodes": "3"})))
    batch = read_path(mal_reader.read, path)
    assert len(batch.viewings) == 3
    assert batch.shows["mal:9"].seasons[1].episode_count is None


# --- Any entry of the real element grammar becomes a show or a skip ------------------

_VALUES = st.sampled_from(["1", "12", "0", "", "x", "-2", "7.5", "99999999", "٣"])
_STATUS = st.sampled_from(
    ["Watching", "Completed", "On-Hold", "Dropped", "Plan to Watch", "2", "7", ""]
)
_ENTRY = st.fixed_dictionaries(
    {
        "series_animedb_id": st.sampled_from(["1", "5114", "0", "", "abc", "12345678901234"]),
        "series_title": st.sampled_from(["Naruto", "", "A &amp; B", "<![CDATA[x < y]]>"]),
        "series_episodes": _VALUES,
        "my_watched_episodes": _VALUES,
        "my_score": _VALUES,
        "my_status": _STATUS,
        "my_times_watched": _VALUES,
    }
)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=st.lists(_ENTRY, max_size=8))
def test_every_entry_becomes_a_show_or_a_skip(
    tmp_path: Path, entries: list[dict[str, str]]
) -> None:
    path = tmp_path / "animelist.xml"
    path.write_text(_list(*(_entry(fields) for fields in entries)))
    batch = read_path(mal_reader.read, path)
    refused = {
        skip.where.split(" (")[0]
        for skip in batch.skipped
        if not skip.reason.endswith("the status is left out")
    }
    assert len(refused) + len(batch.shows) == len(entries)
    for viewing in batch.viewings:
        assert viewing.show in batch.shows and viewing.episode >= 1
    for rating in batch.ratings:
        assert 1 <= rating.rating <= 10


# --- Progress as a MAL list, and read back ------------------------------------------

BEBOP = Show(
    id="cowboy-bebop",
    title="Cowboy Bebop & <Friends>\x01",
    kind=Kind.ANIME,
    ids={"mal": "1"},
    seasons=[Season(number=1, episode_count=3), Season(number=2, episode_count=2)],
)
KAIJU = Show(
    id="kaiju-girl-caramelise",
    title="Kaiju Girl Caramelise",
    kind=Kind.ANIME,
    seasons=[Season(number=1)],
)
PLANNED = Show(id="planned", title="Planned", kind=Kind.ANIME, ids={"mal": "5114"})
SERIES = Show(id="lost", title="Lost", kind=Kind.SERIES, seasons=[Season(number=1)])
CATALOG = {show.id: show for show in (BEBOP, KAIJU, PLANNED, SERIES)}
NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)


def _day(month: int, day: int) -> dt.datetime:
    return dt.datetime(2024, month, day, 21, 0, tzinfo=dt.UTC)


def _progress() -> Progress:
    bebop = [("cowboy-bebop", 1, n, _day(3, n)) for n in (1, 2, 3)]
    bebop += [("cowboy-bebop", 1, n, _day(5, n)) for n in (1, 2, 3)]  # watched through again
    bebop += [("cowboy-bebop", 2, 1, _day(6, 1))]
    progress = progress_of(
        [
            *bebop,
            ("kaiju-girl-caramelise", 1, 1, None),
            ("kaiju-girl-caramelise", 1, 2, _day(7, 2)),
            ("lost", 1, 1, _day(1, 1)),
        ]
    )
    progress = set_rating(progress, "cowboy-bebop", 10, NOW)
    progress = set_rating(progress, "cowboy-bebop", 7, NOW, 1, 2)
    progress = set_status(progress, "cowboy-bebop", "completed", NOW)
    return set_status(progress, "planned", "plan-to-watch", NOW)


def test_the_mal_export_holds_each_anime_first_season(tmp_path: Path) -> None:
    result = mal_writer.write(CATALOG, _progress())
    assert result.summary == "3 anime"
    root = ElementTree.fromstring(result.data)
    assert root.findtext("myinfo/user_export_type") == "1"
    assert root.findtext("myinfo/user_total_anime") == "3"
    entries = {entry.findtext("series_title"): entry for entry in root.iter("anime")}
    bebop = entries["Cowboy Bebop & <Friends>"]  # escaped, the control character dropped
    assert bebop.findtext("series_animedb_id") == "1"
    assert bebop.findtext("series_episodes") == "3"
    assert bebop.findtext("my_watched_episodes") == "3"
    assert bebop.findtext("my_times_watched") == "1"
    assert bebop.findtext("my_start_date") == "2024-03-01"
    assert bebop.findtext("my_finish_date") == "2024-05-03"
    assert bebop.findtext("my_score") == "10"
    assert bebop.findtext("my_status") == "Completed"
    assert bebop.findtext("update_on_import") == "1"
    kaiju = entries["Kaiju Girl Caramelise"]
    assert kaiju.findtext("series_animedb_id") == "0"
    assert kaiju.findtext("series_episodes") == "0"
    assert kaiju.findtext("my_watched_episodes") == "2"
    assert kaiju.findtext("my_status") == "Watching"
    assert kaiju.findtext("my_finish_date") == "0000-00-00"
    assert entries["Planned"].findtext("my_status") == "Plan to Watch"
    left_out = "\n".join(result.left_out)
    assert "1 non-anime show (MAL lists anime only)" in left_out
    assert "MAL id of 1 anime" in left_out
    assert "seasons after the first of 1 anime" in left_out
    assert "viewing times" in left_out
    assert "1 season or episode rating" in left_out


def test_a_mal_export_reads_back_to_the_same_counts_statuses_and_ratings(tmp_path: Path) -> None:
    path = tmp_path / "animelist.xml"
    path.write_bytes(mal_writer.write(CATALOG, _progress()).data)
    batch = read_path(mal_reader.read, path)
    # An anime without a MAL id is written with id 0 and read back by its title.
    assert batch.skipped == []
    kaiju = batch.shows["mal:title:kaiju girl caramelise"]
    assert kaiju.ids == {} and sorted(kaiju.seasons[1].episodes) == [1, 2]
    assert batch.statuses == [
        ImportedStatus("mal:1", "completed"),
        ImportedStatus("mal:title:kaiju girl caramelise", "watching"),
        ImportedStatus("mal:5114", "plan-to-watch"),
    ]
    assert batch.ratings == [ImportedRating("mal:1", None, None, 10)]
    watched: dict[int, int] = {}
    for viewing in batch.viewings:
        if viewing.show != "mal:1":
            continue
        assert viewing.season == 1
        watched[viewing.episode] = watched.get(viewing.episode, 0) + 1
    assert watched == {1: 2, 2: 2, 3: 2}  # as in progress: season 1 watched twice through
    assert batch.shows["mal:1"].seasons[1].episode_count == 3
