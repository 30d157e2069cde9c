"""Issue 9: hostile show files, out-of-range dates, validate's reach and ambiguous titles."""

from __future__ import annotations

import calendar
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker_tui.domain.catalog.cache import CACHE_FILE
from tracker_tui.domain.catalog.dates import MAX_YEAR, MIN_YEAR, PartialDate
from tracker_tui.domain.catalog.loader import load_catalog, read_show_file
from tracker_tui.domain.files import file_stamp

from .conftest import RunCli
from .test_bad_input import GOOD, write
from .test_catalog_cache import age
from .test_user_shows import add_user_show

ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"


def assert_skipped(home: Path, run_cli: RunCli, name: str, content: str, fragment: str) -> None:
    """The file fails `validate` with `fragment`, and every other command still works."""
    path = write(home / "shows", name, content)
    checked = run_cli("validate", str(path))
    assert checked.code == 1, checked
    assert "Traceback" not in checked.err
    assert f"{path}: " in checked.err and fragment in checked.err
    listed = run_cli("shows")
    assert listed.code == 0
    assert "All of Us Are Dead" in listed.out
    assert f"{path}: " in listed.err and "(skipped)" in listed.err
    everything = run_cli("validate")
    assert everything.code == 1 and fragment in everything.err


# Item 8: nesting that exhausts the parser's or the validator's recursion.
DEEP_FILES = {
    "arrays": "x = " + "[" * 1200 + "]" * 1200 + "\n",
    "inline-tables": "x = " + "{a = " * 600 + "1" + "}" * 600 + "\n",
    "arrays-in-a-field": GOOD + "\n[[people]]\nname = " + "[" * 1200 + "]" * 1200 + "\n",
}


@pytest.mark.parametrize("case", sorted(DEEP_FILES))
def test_a_deeply_nested_file_is_skipped_not_fatal(
    case: str, tracker_home: Path, run_cli: RunCli
) -> None:
    assert_skipped(tracker_home, run_cli, f"{case}.toml", DEEP_FILES[case], "nested too deeply")


def test_deep_dotted_keys_in_a_field_get_a_field_message(
    tracker_home: Path, run_cli: RunCli
) -> None:
    content = GOOD.replace('title = "My Show"', "title" + ".a" * 90 + " = 1")
    assert_skipped(tracker_home, run_cli, "dotted.toml", content, "title")


def test_a_very_long_dotted_key_is_refused_before_parsing(tracker_home: Path) -> None:
    # tomllib's time grows with the square of a dotted key's length: this one takes an hour.
    (tracker_home / "shows").mkdir()
    path = tracker_home / "shows" / "dots.toml"
    path.write_text(GOOD + '"x"' + ' . "x"' * 100_000 + " = 1\n")
    env = {**os.environ, "TRACKER_HOME": str(tracker_home)}
    command = [sys.executable, "-m", "tracker_tui", "validate"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=30)
    assert result.returncode == 1
    assert f"{path}: has a dotted key of over 100 parts" in result.stderr


def test_an_integer_too_long_to_read_is_a_toml_problem(tracker_home: Path, run_cli: RunCli) -> None:
    content = GOOD.replace("episode_count = 3", "episode_count = " + "9" * 5000)
    assert_skipped(tracker_home, run_cli, "long.toml", content, "thousands of digits long")


# Item 8: every number a show file holds is bounded.
BOUNDED = {
    "episode-count": (
        GOOD.replace("episode_count = 3", "episode_count = 1000000000"),
        "seasons[0].episode_count: must be at most 10,000",
    ),
    "episode-count-hex": (
        GOOD.replace("episode_count = 3", "episode_count = 0x" + "f" * 5000),
        "seasons[0].episode_count: must be at most 10,000",
    ),
    "episode-number": (
        GOOD.replace("episode_count = 3\n", "").replace("{ number = 2 }", "{ number = 10001 }"),
        "seasons[0].episodes[1].number: must be at most 10,000",
    ),
    "season-number": (
        GOOD.replace("number = 1\nepisode_count", "number = 1001\nepisode_count"),
        "seasons[0].number: must be at most 1,000",
    ),
    "too-many-episodes": (
        GOOD.replace("episode_count = 3\n", "").replace(
            "episodes = [{ number = 1 }, { number = 2 }]",
            "episodes = [" + ", ".join("{number=1}" for _ in range(10_001)) + "]",
        ),
        "seasons[0].episodes: has 10,001 items; at most 10,000 are allowed",
    ),
}


@pytest.mark.parametrize("case", sorted(BOUNDED))
def test_numbers_are_bounded(case: str, tracker_home: Path, run_cli: RunCli) -> None:
    content, fragment = BOUNDED[case]
    assert_skipped(tracker_home, run_cli, f"{case}.toml", content, fragment)


# Item 8: characters that hide or reorder text, in the names a user reads and types.
HIDDEN = ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200d", "\u2060", "\ufeff"]
NAME_FIELDS = {
    "title": ('title = "My Show"', 'title = "My {c}Show"'),
    "aliases[0]": ('kind = "series"', 'kind = "series"\naliases = ["Mine{c}"]'),
}


@pytest.mark.parametrize("char", HIDDEN, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("field", sorted(NAME_FIELDS))
def test_invisible_and_direction_characters_are_rejected_in_names(
    field: str, char: str, tracker_home: Path, run_cli: RunCli
) -> None:
    old, new = NAME_FIELDS[field]
    content = GOOD.replace(old, new.format(c=char))
    fragment = f"{field}: contains the invisible character U+{ord(char):04X}"
    assert_skipped(tracker_home, run_cli, "hidden.toml", content, fragment)


def test_a_direction_override_is_rejected_in_a_person_name(
    tracker_home: Path, run_cli: RunCli
) -> None:
    content = GOOD + '\n[[people]]\nname = "Evil\u202eyeK"\nrole = "cast"\n'
    assert_skipped(tracker_home, run_cli, "person.toml", content, "people[0].name: contains")


def test_a_direction_override_is_rejected_in_any_text(tracker_home: Path, run_cli: RunCli) -> None:
    content = GOOD.replace('detail = "Out"', 'detail = "Out \u202e!won"')
    assert_skipped(tracker_home, run_cli, "detail.toml", content, "status[0].detail: contains")


# Item 9: dates.
BAD_DATES = {
    "year-zero": ('on = "2024-03"', 'expected = "0000"', "year 0"),
    "year-zero-number": ('on = "2024-03"', "expected = 0", "year 0"),
    "year-one-toml-date": ('on = "2024-03"', "on = 0001-01-01", "year 1"),
    "far-future": ('on = "2024-03"', 'on = "9999-12"', "year 9999"),
    "arabic-digits": ('on = "2024-03"', 'on = "٢٠٢٤-03"', "is not a date"),
}


@pytest.mark.parametrize("case", sorted(BAD_DATES))
def test_bad_dates_are_rejected_at_validation(
    case: str, tracker_home: Path, run_cli: RunCli
) -> None:
    old, new, fragment = BAD_DATES[case]
    content = GOOD.replace('state = "released"', 'state = "scheduled"').replace(old, new)
    assert_skipped(tracker_home, run_cli, "dates.toml", content, fragment)


@st.composite
def date_texts(draw: st.DrawFn) -> tuple[str, bool]:
    """YYYY, YYYY-MM or YYYY-MM-DD, some digits possibly non-ASCII; and whether it is valid."""
    year = draw(st.integers(0, 9999))
    month = draw(st.none() | st.integers(0, 13))
    day = draw(st.none() | st.integers(0, 32)) if month is not None else None
    text = f"{year:04d}"
    if month is not None:
        text += f"-{month:02d}"
    if day is not None:
        text += f"-{day:02d}"
    foreign = draw(st.sets(st.sampled_from([i for i, c in enumerate(text) if c != "-"])))
    digits = draw(st.sampled_from([ARABIC_DIGITS, "०१२३४५६७८९", "０１２３４５６７８９"]))
    text = "".join(digits[int(c)] if i in foreign else c for i, c in enumerate(text))
    valid = not foreign and MIN_YEAR <= year <= MAX_YEAR
    if month is not None:
        valid = valid and 1 <= month <= 12
    if valid and month is not None and day is not None:
        valid = 1 <= day <= calendar.monthrange(year, month)[1]
    return text, valid


@settings(max_examples=100)
@given(date_texts())
def test_dates_accept_only_ascii_digits_in_range(drawn: tuple[str, bool]) -> None:
    text, valid = drawn
    try:
        date = PartialDate.parse(text)
    except ValueError:
        assert not valid
        return
    assert valid
    assert MIN_YEAR <= date.year <= MAX_YEAR
    assert date.iso() == text
    date.last_day()  # never raises for a date that parsed


@settings(max_examples=100)
@given(st.integers(-20_000, 20_000))
def test_a_year_number_is_accepted_only_in_range(year: int) -> None:
    from tracker_tui.domain.catalog.dates import coerce_partial_date

    try:
        date = coerce_partial_date(year)
    except ValueError:
        assert not MIN_YEAR <= year <= MAX_YEAR
    else:
        assert date.year == year and MIN_YEAR <= year <= MAX_YEAR


# Item 15: validate reaches the user's files and folders.
def test_validate_with_no_path_checks_the_users_shows(tracker_home: Path, run_cli: RunCli) -> None:
    add_user_show(tracker_home, "mine", "My Show")
    bad = write(tracker_home / "shows", "bad.toml", GOOD.replace("kind", "knd"))
    result = run_cli("validate")
    assert result.code == 1
    assert f"ok  {tracker_home / 'shows' / 'mine.toml'}  (mine)" in result.out
    assert f"{bad}: kind: is required but missing" in result.err
    assert result.out.count("ok  ") == 3


def test_validate_with_no_path_checks_the_users_sources(
    tracker_home: Path, run_cli: RunCli
) -> None:
    write(tracker_home / "sources", "000_9cca8a83e1c728a5.txt", "a copy\n")
    result = run_cli("validate")
    assert result.code == 1
    assert "has the name of a bundled source" in result.err


def test_validate_with_no_path_reports_a_repeated_id(tracker_home: Path, run_cli: RunCli) -> None:
    add_user_show(tracker_home, "mine", "My Show")
    add_user_show(tracker_home, "mine-too", "My Show Again")
    path = tracker_home / "shows" / "mine-too.toml"
    path.write_text(path.read_text().replace('id = "mine-too"', 'id = "mine"'))
    result = run_cli("validate")
    assert result.code == 1
    assert ": id: show id 'mine' is already used by" in result.err


def test_validate_all_good_exits_zero_with_user_shows(tracker_home: Path, run_cli: RunCli) -> None:
    add_user_show(tracker_home, "mine", "My Show")
    result = run_cli("validate")
    assert result.code == 0, result.err
    assert result.out.count("ok  ") == 3


def test_validate_a_folder_checks_every_show_file(tmp_path: Path, run_cli: RunCli) -> None:
    folder = tmp_path / "drafts"
    write(folder, "a.toml", GOOD)
    write(folder, "b.toml", GOOD.replace("my-show", "other").replace("number = 2", "number = 9"))
    write(folder, "notes.txt", "not a show file")
    result = run_cli("validate", str(folder))
    assert result.code == 1
    assert f"ok  {folder / 'a.toml'}  (my-show)" in result.out
    assert f"{folder / 'b.toml'}: seasons[0]: episode 9 is beyond" in result.err
    assert "notes.txt" not in result.out + result.err
    assert run_cli("validate", str(folder / "a.toml")).code == 0


def test_validate_a_folder_without_show_files_says_so(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("validate", str(tmp_path))
    assert result.code == 1
    assert f"{tmp_path}: has no show files (*.toml)" in result.err


def test_validate_a_missing_path_is_a_usage_error(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("validate", str(tmp_path / "nope.toml"))
    assert result.code == 2
    assert f"{tmp_path / 'nope.toml'}: no such file or folder" in result.err


# Item 19: two shows with the same title.
def test_an_exact_title_shared_by_two_shows_is_ambiguous(
    tracker_home: Path, run_cli: RunCli
) -> None:
    add_user_show(tracker_home, "my-aouad", "All of Us Are Dead")
    result = run_cli("watch", "All of Us Are Dead", "s1e1")
    assert result.code == 2
    assert "matches several shows" in result.err
    assert "all-of-us-are-dead" in result.err and "my-aouad" in result.err
    assert not (tracker_home / "progress.json").exists()
    assert "id: my-aouad" in run_cli("show", "my-aouad").out  # an exact id still wins
    assert "id: all-of-us-are-dead" in run_cli("show", "all-of-us-are-dead").out


def test_an_exact_alias_shared_by_two_shows_is_ambiguous(
    tracker_home: Path, run_cli: RunCli
) -> None:
    add_user_show(tracker_home, "one", "One")
    add_user_show(tracker_home, "two", "Two")
    for name in ("one", "two"):
        path = tracker_home / "shows" / f"{name}.toml"
        path.write_text(
            path.read_text().replace('kind = "series"', 'kind = "series"\naliases = ["Same"]')
        )
    result = run_cli("show", "same")
    assert result.code == 2
    assert "one (One)" in result.err and "two (Two)" in result.err


# The catalog cache never keeps what today's checks refuse.
def test_a_cache_from_other_code_is_not_trusted(tracker_home: Path) -> None:
    # A file the old checks accepted, cached as good, then the checks change.
    path = write(tracker_home / "shows", "big.toml", GOOD)
    age(path)
    load_catalog()
    cache = tracker_home / "cache" / CACHE_FILE
    data = json.loads(cache.read_text())
    data["shows"][str(path)]["show"]["seasons"][0]["episode_count"] = 1_000_000_000
    data["key"][2] = [[1, 2, 3, 4]]  # the stamps of other code
    cache.write_text(json.dumps(data))
    path.write_text(GOOD.replace("episode_count = 3", "episode_count = 1000000000"))
    age(path)
    data["shows"][str(path)]["stamp"] = list(file_stamp(path) or ())
    cache.write_text(json.dumps(data))
    catalog = load_catalog()
    assert catalog.get("my-show") is None
    assert any("at most 10,000" in str(problem) for problem in catalog.problems)


def test_a_fifo_among_the_show_files_is_skipped_not_waited_on(tracker_home: Path) -> None:
    (tracker_home / "shows").mkdir()
    fifo = tracker_home / "shows" / "pipe.toml"
    os.mkfifo(fifo)
    env = {**os.environ, "TRACKER_HOME": str(tracker_home)}
    command = [sys.executable, "-m", "tracker_tui", "shows"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=30)
    assert result.returncode == 0
    assert f"{fifo}: is not a regular file" in result.stderr
    assert "All of Us Are Dead" in result.stdout


def test_a_hostile_key_or_file_name_is_shown_escaped(tracker_home: Path, run_cli: RunCli) -> None:
    # What is printed about a bad file must not itself drive the terminal.
    key = GOOD.replace("kind = ", '"\\u001b]0;pwned\\u0007" = 1\nkind = ')
    write(tracker_home / "shows", "key.toml", key)
    write(tracker_home / "shows", "name\x1b[2J\u202e.toml", "id = ")
    result = run_cli("shows")
    assert result.code == 0
    assert "\x1b" not in result.err and "\u202e" not in result.err
    assert "\\x1b]0;pwned\\x07: is not a known field" in result.err
    assert "name\\x1b[2J\\u202e.toml: is not valid TOML" in result.err


def test_a_fifo_among_the_source_documents_is_skipped(tracker_home: Path) -> None:
    add_user_show(tracker_home, "mine", "My Show")
    path = tracker_home / "shows" / "mine.toml"
    path.write_text(path.read_text().replace("diary.txt", "pipe.txt"))
    os.mkfifo(tracker_home / "sources" / "pipe.txt")
    env = {**os.environ, "TRACKER_HOME": str(tracker_home)}
    for command in ("shows", "validate"):
        argv = [sys.executable, "-m", "tracker_tui", command]
        result = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=30)
        assert "pipe.txt: is not a regular file" in result.stderr
        assert "All of Us Are Dead" in result.stdout or "all-of-us-are-dead" in result.stdout


HOSTILE_VALUES = [
    "[" * 600 + "]" * 600,
    "{a = " * 400 + "1" + "}" * 400,
    "[" * 300 + '"x"' + "]" * 300,
    '"0000"',
    '"٢٠٢٦"',
    '"2026-٠١"',
    "9" * 5000,
    "0x" + "f" * 5000,
    "1000000000",
    "-1",
    "0001-01-01",
    '"\u202e"',
    '"\u001b[2J"',
    '"My\u200bShow"',
]
HOSTILE_LINES = [
    "x" + ".x" * 150 + " = 1",
    "x" + ".x" * 50 + " = 1",
    "[[seasons]]\nnumber = 1",
    "[[people]]",
]
GOOD_LINES = GOOD.strip().splitlines()


@st.composite
def mutated_show_files(draw: st.DrawFn) -> str:
    """GOOD with some values replaced by hostile ones and some hostile lines added."""
    lines = list(GOOD_LINES)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        if " = " in lines[index] and draw(st.booleans()):
            key = lines[index].split(" = ", 1)[0]
            lines[index] = f"{key} = {draw(st.sampled_from(HOSTILE_VALUES))}"
        else:
            lines.insert(index, draw(st.sampled_from(HOSTILE_LINES)))
    return "\n".join(lines) + "\n"


@settings(max_examples=75, deadline=None)  # each example writes and reads a file
@given(text=mutated_show_files())
def test_a_mutated_show_file_is_loaded_or_reported(
    text: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "show.toml"
    path.write_text(text, encoding="utf-8")
    show, problems = read_show_file(path, load_catalog().sources)
    assert (show is None) == bool(problems)
    assert all(str(problem).isprintable() for problem in problems)
    for season in show.seasons if show else []:
        if season.release_date is not None:
            season.release_date.last_day()
