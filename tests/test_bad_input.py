"""Every kind of bad show file gets a clear message naming file and field; the rest still loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker_tui.domain.catalog.loader import load_catalog

from .conftest import RunCli

GOOD = """
id = "my-show"
title = "My Show"
kind = "series"

[[seasons]]
number = 1
episode_count = 3
episodes = [{ number = 1 }, { number = 2 }]

[[seasons.status]]
state = "released"
detail = "Out"
on = "2024-03"
"""

SOURCE = '{ document = "000_9cca8a83e1c728a5.txt", quote = "a 97% Tomatometer score" }'


def with_note(source: str, extra: str = "") -> str:
    """GOOD plus one note citing `source`."""
    return GOOD + f'\n[[notes]]\nid = "n"\ntopic = "T"\ntext = "x"\n{extra}sources = [{source}]\n'


def write(folder: Path, name: str, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


BAD_FILES: dict[str, tuple[str | bytes, str, str | None]] = {
    # name: (content, expected message fragment, expected field path)
    "invalid-toml": ('id = "x"\ntitle = \n', "is not valid TOML", None),
    "wrong-type": (
        GOOD.replace("number = 1\nepisode_count", 'number = "one"\nepisode_count'),
        "valid integer",
        "seasons[0].number",
    ),
    "missing-field": (GOOD.replace('kind = "series"\n', ""), "is required but missing", "kind"),
    "unknown-field": (
        GOOD.replace('kind = "series"', 'kind = "series"\nrating = 5'),
        "is not a known field",
        "rating",
    ),
    "duplicate-episode": (
        GOOD.replace("{ number = 2 }", "{ number = 1 }"),
        "episode numbers repeat: 1",
        "seasons[0]",
    ),
    "episode-beyond-count": (
        GOOD.replace("{ number = 2 }", "{ number = 7 }"),
        "episode 7 is beyond the season's episode_count of 3",
        "seasons[0]",
    ),
    "unknown-document": (
        with_note(SOURCE.replace("000_9cca8a83e1c728a5.txt", "999_missing.txt")),
        "no source document named '999_missing.txt'",
        "notes[0].sources[0]",
    ),
    "quote-not-in-document": (
        with_note(SOURCE.replace("97%", "98%")),
        "the quote is not in",
        "notes[0].sources[0]",
    ),
    "empty": ("   \n\n", "is empty", None),
    "control-characters": (
        GOOD.replace('title = "My Show"', 'title = "My \\u001b[31mShow"'),
        "control character U+001B",
        "title",
    ),
    "bad-date": (
        GOOD.replace('on = "2024-03"', 'on = "2024-13"'),
        "month 13",
        "seasons[0].status[0].on",
    ),
    "bad-spoiler": (
        with_note(SOURCE, extra='spoiler = "e3"\n'),
        "is not a spoiler scope",
        "notes[0].spoiler",
    ),
    "not-utf8": (b'id = "caf\xe9"\n', "is not UTF-8 text", None),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_validate_names_file_field_and_problem(case: str, tmp_path: Path, run_cli: RunCli) -> None:
    content, fragment, field = BAD_FILES[case]
    path = write(tmp_path, f"{case}.toml", content)
    result = run_cli("validate", str(path))
    assert result.code == 1
    assert "Traceback" not in result.err
    assert str(path) in result.err
    assert fragment in result.err
    if field is not None:
        assert f": {field}: " in result.err


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_user_file_is_skipped_and_the_rest_loads(case: str, tracker_home: Path) -> None:
    content, fragment, _ = BAD_FILES[case]
    write(tracker_home / "shows", f"{case}.toml", content)
    write(tracker_home / "shows", "good.toml", GOOD.replace("my-show", "good-show"))
    catalog = load_catalog()
    ids = [show.id for show in catalog.shows]
    assert "good-show" in ids and "all-of-us-are-dead" in ids and "kaiju-girl-caramelise" in ids
    assert any(fragment in str(problem) for problem in catalog.problems)


def test_file_over_one_mebibyte_is_refused_without_parsing(tmp_path: Path, run_cli: RunCli) -> None:
    path = write(tmp_path, "huge.toml", GOOD + "# padding\n" * 120_000)
    result = run_cli("validate", str(path))
    assert result.code == 1
    assert "show files may be at most 1 MiB" in result.err


def test_duplicate_show_ids_keep_the_first_and_report_the_second(tracker_home: Path) -> None:
    first = write(tracker_home / "shows", "a.toml", GOOD)
    write(tracker_home / "shows", "b.toml", GOOD.replace("My Show", "Other"))
    catalog = load_catalog()
    show = catalog.get("my-show")
    assert show is not None and show.title == "My Show"
    (problem,) = catalog.problems
    assert problem.file.endswith("b.toml") and problem.field == "id"
    assert str(first) in problem.message


def test_commands_warn_about_a_bad_file_but_still_answer(
    tracker_home: Path, run_cli: RunCli
) -> None:
    write(tracker_home / "shows", "broken.toml", "id = ")
    result = run_cli("shows")
    assert result.code == 0
    assert "all-of-us-are-dead" in result.out
    assert "broken.toml" in result.err and "skipped" in result.err


def test_a_dispute_needs_two_claims(tmp_path: Path, run_cli: RunCli) -> None:
    text = GOOD + '\n[[disputes]]\nid = "who"\ntopic = "Who"\n'
    result = run_cli("validate", str(write(tmp_path, "d.toml", text)))
    assert result.code == 1
    assert "dispute 'who' needs at least two facts" in result.err


def test_validate_passes_on_the_bundled_files(run_cli: RunCli) -> None:
    result = run_cli("validate")
    assert result.code == 0
    assert result.out.count("ok  ") == 2
