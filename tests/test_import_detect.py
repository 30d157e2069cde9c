"""Which format an export is: names for Trakt and TV Time, the first KB for the rest, and a
--from that plainly does not fit."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pytest

from tracker_tui.domain.exchange.batch import FORMATS, ImportFormatError
from tracker_tui.domain.exchange.detect import NAMES, check_matches, detect
from tracker_tui.domain.exchange.source import open_source

FIXTURES = Path(__file__).parent / "fixtures" / "exchange"

MAL = """<?xml version="1.0" encoding="UTF-8" ?>
<!-- Created by XML Export feature at MyAnimeList.net -->
<myanimelist>
  <myinfo><user_export_type>1</user_export_type></myinfo>
</myanimelist>
"""
SAMPLES = {
    "tvtime": ("seen_episode.csv", "tv_show_name,episode_season_number,episode_number\n"),
    "mal": ("animelist_1700000000_-_12345.xml", MAL),
    "yamtrack": ("yamtrack.csv", "media_id,source,media_type,title,season_number\n1,tmdb,tv,X,1\n"),
    "csv": ("viewings.csv", '\ufeff"show_id","title","season","episode","watched_at"\r\n'),
    "tracker": ("progress.json", '{\n  "version": 2,\n  "shows": {\n    "dark": {}\n  }\n}\n'),
    "simkl": ("backup.json", '{"shows": [{"status": "watching", "show": {"title": "X"}}]}'),
    "trakt": ("history.json", '[{"id": 1, "watched_at": "2024-01-01T00:00:00Z", "episode": {}}]'),
}


def detected(path: Path) -> tuple[str, str]:
    with open_source(path) as source:
        return detect(source)


def test_every_format_has_a_name() -> None:
    assert set(NAMES) == set(FORMATS)


@pytest.mark.parametrize("format_name", sorted(SAMPLES))
def test_each_format_is_recognised(tmp_path: Path, format_name: str) -> None:
    name, text = SAMPLES[format_name]
    (tmp_path / "readme.txt").write_text("not an export")
    (tmp_path / name).write_text(text)
    found, seen = detected(tmp_path)
    assert found == format_name
    assert seen == f"{NAMES[format_name]}: {name}"


def test_the_trakt_fixture_says_what_it_saw(tmp_path: Path) -> None:
    assert detected(FIXTURES / "trakt") == (
        "trakt",
        "a Trakt export: watched-history.json and 3 ratings files",
    )
    assert detected(FIXTURES / "simkl" / "simkl-backup.json")[0] == "simkl"


def test_a_zip_and_a_gz_are_looked_into(tmp_path: Path) -> None:
    archive = tmp_path / "tv-time.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("gdpr/tracking-prod-records-v2.csv", "series_name,season_number\n")
    assert detected(archive)[0] == "tvtime"
    packed = tmp_path / "animelist.xml.gz"
    packed.write_bytes(gzip.compress(MAL.encode()))
    assert detected(packed) == ("mal", "a MyAnimeList export: animelist.xml")


def test_nothing_recognised_lists_what_was_found(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("hello")
    (tmp_path / "b.json").write_text('{"shows": "none"}')
    with pytest.raises(ImportFormatError) as error:
        detected(tmp_path)
    message = str(error.value)
    assert "no export recognised" in message
    assert "found a.txt, b.json" in message
    assert "use --from FORMAT" in message


def test_an_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="found no files"):
        detected(tmp_path)


def test_a_from_that_does_not_fit_is_refused(tmp_path: Path) -> None:
    (tmp_path / "seen_episode.csv").write_text("tv_show_name\n")
    with open_source(tmp_path) as source:
        check_matches("tvtime", source)
        with pytest.raises(ImportFormatError) as error:
            check_matches("trakt", source)
    assert str(error.value) == (
        f"{tmp_path} looks like a TV Time export (seen_episode.csv), not a Trakt export: "
        "use --from tvtime"
    )


def test_an_unrecognised_export_is_left_to_the_reader(tmp_path: Path) -> None:
    (tmp_path / "odd.json").write_text("[]")
    with open_source(tmp_path) as source:
        check_matches("trakt", source)
