"""`tracker upcoming` and `tracker calendar --ics`: scheduled seasons and future air dates,
sorted at their real precision, and an iCalendar feed a real library reads."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker_tui.domain.catalog.calendar_feed import calendar_feed, escape_text, fold_line
from tracker_tui.domain.catalog.dates import PartialDate
from tracker_tui.domain.catalog.loader import load_catalog
from tracker_tui.domain.catalog.upcoming import Release, upcoming

from .conftest import FIXED_NOW, RunCli

KAIJU = "kaiju-girl-caramelise"
KAIJU_SOURCE = "000_9cca8a83e1c728a5.txt"
KAIJU_SOURCE_TITLE = "Kaiju Girl Caramelise Anime Adaptation Announced"
"""The article of KAIJU_SOURCE (a document of two) that the schedule quotes."""
TODAY = FIXED_NOW.date()  # 2026-11-21

# A show of the user's: a season scheduled by their own word (no sources) for a month
# that has passed, a second scheduled to the day, and episodes before and after today.
# Its title has a comma, a semicolon and a backslash, which ICS text must escape.
USER_SHOW = """\
id = "lds"
title = "Love, Death; Robots \\\\ More"
kind = "series"

[[seasons]]
number = 1
episodes = [
  { number = 1, air_date = "2026-11-01" },
  { number = 2, air_date = "2026-11-21" },
  { number = 3, air_date = "2026-12-05" },
  { number = 4, air_date = "2027" },
]

[[seasons.status]]
state = "scheduled"
detail = "Coming in October, I read somewhere"
expected = "2026-10"

[[seasons]]
number = 2

[[seasons.status]]
state = "scheduled"
detail = "Premieres on 2027-01-08"
expected = "2027-01-08"
"""

# The user's own facts for the bundled Kaiju Girl Caramelise: two air dates to come
# (one known only to the month), one past.
OVERLAY = """\
[[seasons]]
number = 1
episode_count = 12
episodes = [
  { number = 1, air_date = "2026-01-10" },
  { number = 2, air_date = "2026-12-05" },
  { number = 3, air_date = "2026-12" },
]
"""

LONG_TITLE = "The Extraordinarily Long-Winded Chronicle of a Kaiju Who Wanted Only Quiet — 怪獣"


def write_user_show(home: Path, text: str = USER_SHOW, name: str = "lds") -> None:
    (home / "shows").mkdir(exist_ok=True)
    (home / "shows" / f"{name}.toml").write_text(text, encoding="utf-8")


def write_overlay(home: Path) -> None:
    (home / "yours").mkdir(exist_ok=True)
    (home / "yours" / f"{KAIJU}.toml").write_text(OVERLAY, encoding="utf-8")


def rows(out: str) -> list[list[str]]:
    """The table's cells, split on the two-space column gaps."""
    return [
        [cell.strip() for cell in line.split("  ") if cell.strip()] for line in out.splitlines()
    ]


# --- the bundled data ------------------------------------------------------------------


def test_the_bundled_year_only_schedule_is_listed_as_the_year(run_cli: RunCli) -> None:
    result = run_cli("upcoming")
    assert result.code == 0, result.err
    assert rows(result.out) == [
        ["DATE", "SHOW", "WHAT", "SOURCE"],
        ["2026", "Kaiju Girl Caramelise", "season 1 premiere", KAIJU_SOURCE_TITLE],
    ]


def test_a_stage_that_is_not_scheduled_is_not_a_release() -> None:
    """All of Us Are Dead S2 expects the end of filming, not a release: left out."""
    shows = {release.show_id for release in upcoming(load_catalog().entries, TODAY)}
    assert shows == {KAIJU}


def test_a_cited_date_names_its_source_by_title_when_the_registry_is_given() -> None:
    """The title of the quoted article, as the show pane cites it; the file name without
    the registry (and in `--json`, which keeps `sources` as file names)."""
    catalog = load_catalog()
    (titled,) = upcoming(catalog.entries, TODAY, catalog.sources)
    (bare,) = upcoming(catalog.entries, TODAY)
    assert (titled.source_label, titled.sources) == (KAIJU_SOURCE_TITLE, (KAIJU_SOURCE,))
    assert bare.source_label == KAIJU_SOURCE


def test_the_bundled_year_only_date_is_left_out_of_the_calendar(run_cli: RunCli) -> None:
    result = run_cli("calendar", "--ics")
    assert result.code == 0, result.err
    calendar = icalendar.Calendar.from_ical(result.out)
    assert calendar.walk("VEVENT") == []
    assert "0 releases with a known day" in result.err
    assert "1 release known only to the month or year was left out" in result.err


def test_nothing_upcoming_says_what_to_do(tracker_home: Path, run_cli: RunCli) -> None:
    """A show of the user's with the bundled id replaces Kaiju: no schedule left at all."""
    write_user_show(tracker_home, f'id = "{KAIJU}"\ntitle = "Mine"\nkind = "anime"\n', name=KAIJU)
    result = run_cli("upcoming")
    assert result.code == 0, result.err
    assert "No upcoming releases known" in result.out
    assert "tracker edit SHOW" in result.out
    assert run_cli("upcoming", "--json").out == "[]\n"


# --- the user's own dates, and the order ---------------------------------------------


def test_user_dates_and_overlays_are_listed_in_order_of_precision(
    tracker_home: Path, run_cli: RunCli
) -> None:
    write_user_show(tracker_home)
    write_overlay(tracker_home)
    result = run_cli("upcoming")
    assert result.code == 0, result.err
    title = "Love, Death; Robots \\ More"
    assert rows(result.out) == [
        ["DATE", "SHOW", "WHAT", "SOURCE"],
        # Overdue: the user's own schedule passed without a later report.
        ["2026-10", title, "season 1 premiere", "your note", "(possibly out of date)"],
        # Today counts as upcoming; 2026-11-01 has passed and is gone.
        ["2026-11-21", title, "S1E2", "your note"],
        ["2026-12-05", "Kaiju Girl Caramelise", "S1E2", "your note"],
        ["2026-12-05", title, "S1E3", "your note"],
        # Known to the month: after every day of December; to the year: after that.
        ["2026-12", "Kaiju Girl Caramelise", "S1E3", "your note"],
        ["2026", "Kaiju Girl Caramelise", "season 1 premiere", KAIJU_SOURCE_TITLE],
        ["2027-01-08", title, "season 2 premiere", "your note"],
        ["2027", title, "S1E4", "your note"],
    ]


def release(date: str, episode: int | None = 1, show: str = "a") -> Release:
    return Release(
        show,
        show.upper(),
        1,
        episode,
        PartialDate.parse(date),
        possibly_out_of_date=False,
        disputed=False,
        sources=(),
        yours=True,
    )


def test_a_coarse_date_sorts_after_every_finer_one_it_spans() -> None:
    dates = ["2027-01-01", "2026", "2026-12", "2026-12-31", "2026-03", "2026-03-14", "2026-01-01"]
    ordered = sorted((release(d) for d in dates), key=Release.sort_key)
    assert [r.date.iso() for r in ordered] == [
        "2026-01-01",
        "2026-03-14",
        "2026-03",
        "2026-12-31",
        "2026-12",
        "2026",
        "2027-01-01",
    ]


def test_same_date_ties_go_by_show_then_season_premiere_first() -> None:
    ordered = sorted(
        [release("2026-12", 2, "b"), release("2026-12", None, "b"), release("2026-12", 9, "a")],
        key=Release.sort_key,
    )
    assert [(r.show_id, r.what) for r in ordered] == [
        ("a", "S1E9"),
        ("b", "season 1 premiere"),
        ("b", "S1E2"),
    ]


# --- JSON ------------------------------------------------------------------------------


def test_json_shape(tracker_home: Path, run_cli: RunCli) -> None:
    write_user_show(tracker_home)
    result = run_cli("upcoming", "--json")
    assert result.code == 0, result.err
    printed = json.loads(result.out)
    assert [item["what"] for item in printed][:2] == ["season 1 premiere", "S1E2"]
    assert printed[0] == {
        "show": "lds",
        "title": "Love, Death; Robots \\ More",
        "season": 1,
        "episode": None,
        "what": "season 1 premiere",
        "date": {"date": "2026-10", "precision": "month"},
        "possibly_out_of_date": True,
        "disputed": False,
        "yours": True,
        "sources": [],
    }
    kaiju = next(item for item in printed if item["show"] == KAIJU)
    assert kaiju["date"] == {"date": "2026", "precision": "year"}
    assert (kaiju["episode"], kaiju["yours"], kaiju["sources"]) == (None, False, [KAIJU_SOURCE])


def test_help_json_names_every_field_upcoming_prints(tracker_home: Path, run_cli: RunCli) -> None:
    write_user_show(tracker_home)
    fields = run_cli("help", "json").out
    assert "tracker upcoming --json" in fields
    printed = json.loads(run_cli("upcoming", "--json").out)
    keys = {key for item in printed for key in item} | set(printed[0]["date"])
    assert {key for key in keys if key not in fields} == set()


# --- the calendar ----------------------------------------------------------------------


def test_calendar_events_dates_and_escaping(tracker_home: Path, run_cli: RunCli) -> None:
    write_user_show(tracker_home)
    write_overlay(tracker_home)
    result = run_cli("calendar", "--ics")
    assert result.code == 0, result.err
    calendar = icalendar.Calendar.from_ical(result.out)
    assert (str(calendar["VERSION"]), str(calendar["CALSCALE"])) == ("2.0", "GREGORIAN")
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    title = "Love, Death; Robots \\ More"
    assert sorted(events) == sorted(
        [
            f"{title}: S1E2",
            f"{title}: S1E3",
            f"{title}: season 2 premiere",
            "Kaiju Girl Caramelise: S1E2",
        ]
    )
    premiere = events[f"{title}: season 2 premiere"]
    assert premiere.decoded("DTSTART") == dt.date(2027, 1, 8)
    assert premiere.decoded("DTEND") == dt.date(2027, 1, 9)
    assert premiere.decoded("DTSTAMP") == FIXED_NOW
    assert str(premiere["DESCRIPTION"]) == "Source: your note"
    assert "SUMMARY:Love\\, Death\\; Robots \\\\ More: S1E2\r\n" in result.out
    # 2026-10 (overdue), 2026-12, 2026 and 2027 have no day.
    assert "Wrote 4 releases with a known day" in result.err
    assert "4 releases known only to the month or year were left out" in result.err


def test_calendar_uids_are_stable_between_runs(tracker_home: Path, run_cli: RunCli) -> None:
    write_user_show(tracker_home)
    first = run_cli("calendar").out
    second = run_cli("calendar", "-").out
    assert first == second
    uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(first).walk("VEVENT")]
    assert len(set(uids)) == len(uids) == 3
    assert all(uid.endswith("@tracker-tui") for uid in uids)


def test_a_uid_stays_when_the_date_or_source_changes() -> None:
    moved = Release(
        "a", "A", 1, 1, PartialDate.parse("2027-02-02"), False, False, ("doc.txt",), False
    )
    assert moved.uid == release("2026-12-01").uid
    assert release("2026-12-01", 2).uid != release("2026-12-01").uid


def test_lines_are_crlf_and_folded_at_75_octets(tracker_home: Path, run_cli: RunCli) -> None:
    show = USER_SHOW.replace('"Love, Death; Robots \\\\ More"', f'"{LONG_TITLE}"')
    write_user_show(tracker_home, show)
    result = run_cli("calendar")
    assert result.code == 0, result.err
    data = result.out.encode("utf-8")
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long SUMMARY was folded
    summaries = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(result.out).walk("VEVENT")]
    assert f"{LONG_TITLE}: S1E2" in summaries


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_folding_never_splits_a_character(width: int) -> None:
    char = {1: "a", 2: "é", 3: "怪", 4: "🦖"}[width]
    line = "SUMMARY:" + char * 100
    folded = fold_line(line)
    parts = folded.split("\r\n ")
    assert "".join(parts) == line
    assert all(len(part.encode("utf-8")) <= 75 for part in parts[:1])
    assert all(len(part.encode("utf-8")) <= 74 for part in parts[1:])


@given(
    st.text(st.characters(exclude_categories=["Cs", "Cc"], include_characters="\n"), max_size=300)
)
def test_any_summary_folds_and_reads_back_as_written(text: str) -> None:
    """Whatever a title holds, icalendar reads back the exact text, every line fits."""
    line = fold_line(f"SUMMARY:{escape_text(text)}")
    assert all(len(part.encode("utf-8")) <= 75 for part in line.split("\r\n"))
    event = icalendar.Event.from_ical(f"BEGIN:VEVENT\r\n{line}\r\nEND:VEVENT\r\n")
    assert str(event["SUMMARY"]) == text


def test_escape_text() -> None:
    assert escape_text('a,b;c\\d\ne\r\nf"') == 'a\\,b\\;c\\\\d\\ne\\nf"'


def test_the_feed_counts_what_it_leaves_out() -> None:
    feed = calendar_feed(
        [release("2026-12-01"), release("2026-12", 2), release("2027", 3)], FIXED_NOW
    )
    assert (feed.events, feed.left_out) == (1, 2)
    # The same episode twice (from two files): one event, one UID.
    feed = calendar_feed([release("2026-12-01"), release("2026-12-02")], FIXED_NOW)
    assert feed.events == 1


def test_calendar_to_a_file_is_written_and_reported(
    tracker_home: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    write_user_show(tracker_home)
    target = tmp_path / "upcoming.ics"
    target.write_text("old")
    result = run_cli("calendar", "--ics", str(target))
    assert result.code == 0, result.err
    assert f"Wrote 3 releases with a known day to {target}" in result.out
    assert "3 releases known only to the month or year were left out" in result.out
    assert target.read_bytes() == run_cli("calendar").out.encode("utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_unwritable_calendar_path_is_a_clear_failure(tmp_path: Path, run_cli: RunCli) -> None:
    missing = run_cli("calendar", str(tmp_path / "no-such-folder" / "x.ics"))
    assert missing.code == 1
    assert "cannot write" in missing.err and "does not exist" in missing.err
    folder = run_cli("calendar", str(tmp_path))
    assert folder.code == 1
    assert f"is a folder: name a file in it, like {tmp_path / 'upcoming.ics'}" in folder.err
    # Root may write anywhere chmod allows, but not a new file in /proc.
    denied = run_cli("calendar", "/proc/upcoming.ics")
    assert denied.code == 1
    assert denied.err.startswith("tracker: cannot write /proc/upcoming.ics: ")
    assert "Traceback" not in denied.err
