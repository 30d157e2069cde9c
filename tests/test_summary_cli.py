"""`tracker next` and `tracker shows` answer from the kept show summary (cache/summary.json)
exactly as from the catalog and progress, and never from a summary that no longer fits."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker_tui.cli import context
from tracker_tui.cli.context import json_text
from tracker_tui.domain import clock
from tracker_tui.domain.progress import time_reach
from tracker_tui.domain.progress.loading import ProgressFile
from tracker_tui.domain.watching import summary, summary_build
from tracker_tui.domain.watching.summary import ShowSummary

from .conftest import FIXED_NOW, RunCli

COMMANDS = [
    ["next", "--json"],
    ["next"],
    ["shows", "--json"],
    ["shows"],
    ["shows", "--status", "watching"],
    ["shows", "--status", "archived", "--json"],
    ["shows", "--status", "nonsense"],
]

Answer = tuple[int, str, str]


@pytest.fixture(autouse=True)
def settle_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The files a test writes are fresh; keep a summary of them all the same."""
    monkeypatch.setattr(summary, "SETTLE_SECONDS", 0.0)
    monkeypatch.setattr(summary, "FINE_SETTLE_SECONDS", 0.0)


@pytest.fixture
def library(run_cli: RunCli, tracker_home: Path) -> Path:
    """Progress on a bundled show, a show of the user's own with a status, one archived;
    returns the user's show file."""
    for args in (
        ["watch", "all of us", "s1e1-3"],
        ["add", "A Show Of Mine", "--seasons", "2,?"],
        ["watch", "a show of mine", "s1e1"],
        ["status", "a show of mine", "on-hold"],
        ["rate", "a show of mine", "8"],
        ["archive", "kaiju"],
    ):
        assert run_cli(*args).code == 0, args
    (path,) = (tracker_home / "shows").glob("*.toml")
    return path


def summary_file(home: Path) -> Path:
    return home / "cache" / summary.SUMMARY_FILE


def answer(run_cli: RunCli, args: list[str]) -> Answer:
    result = run_cli(*args)
    return result.code, result.out, result.err


def full_answers(run_cli: RunCli, home: Path) -> list[Answer]:
    """Each command worked out from the catalog and progress (no summary to read)."""
    answers = []
    for args in COMMANDS:
        summary_file(home).unlink(missing_ok=True)
        answers.append(answer(run_cli, args))
    return answers


def kept_answers(run_cli: RunCli, home: Path, monkeypatch: pytest.MonkeyPatch) -> list[Answer]:
    """Each command answered from the kept summary: working it out, or reading the
    progress file, fails the test."""
    assert summary_file(home).is_file()

    def refuse(*args: object) -> None:
        raise AssertionError("worked out again, or progress read, with a valid summary")

    with monkeypatch.context() as patch:
        patch.setattr(summary_build, "build_summary", refuse)
        patch.setattr(ProgressFile, "load", refuse)
        return [answer(run_cli, args) for args in COMMANDS]


def test_the_kept_summary_answers_as_the_catalog_and_progress_do(
    run_cli: RunCli, library: Path, tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = full_answers(run_cli, tracker_home)
    assert kept_answers(run_cli, tracker_home, monkeypatch) == full
    assert "S1E4" in full[0][1] and "A Show Of Mine" in full[3][1]
    assert full[-1][0] == 2  # a bad --status is still a usage error


def rebuilt_answers(
    run_cli: RunCli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Answer], list[Answer]]:
    """After a change: the first command sees the summary no longer fits and works it
    out again; then (kept, full) answers, which must agree."""
    built: list[object] = []
    real = summary_build.build_summary

    def counted(*args: Any) -> list[ShowSummary]:
        built.append(args)
        return real(*args)

    with monkeypatch.context() as patch:
        patch.setattr(summary_build, "build_summary", counted)
        first = answer(run_cli, COMMANDS[0])
    assert built, "a summary that no longer fits was used"
    kept = [first, *kept_answers(run_cli, home, monkeypatch)[1:]]
    return kept, full_answers(run_cli, home)


def test_a_progress_change_is_seen(
    run_cli: RunCli, library: Path, tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = full_answers(run_cli, tracker_home)
    assert run_cli("watch", "all of us", "s1e4").code == 0
    kept, full = rebuilt_answers(run_cli, tracker_home, monkeypatch)
    assert kept == full != before
    assert "S1E5" in kept[0][1]


def test_a_show_file_edit_is_seen(
    run_cli: RunCli, library: Path, tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full_answers(run_cli, tracker_home)
    text = library.read_text(encoding="utf-8")
    library.write_text(text.replace("A Show Of Mine", "A Show Renamed"), encoding="utf-8")
    kept, full = rebuilt_answers(run_cli, tracker_home, monkeypatch)
    assert kept == full
    assert "A Show Renamed" in kept[3][1]


def test_a_new_day_is_seen(
    run_cli: RunCli, library: Path, tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full_answers(run_cli, tracker_home)
    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW + dt.timedelta(days=400))
    kept, full = rebuilt_answers(run_cli, tracker_home, monkeypatch)
    assert kept == full


def test_a_catalog_problem_is_still_warned_of(
    run_cli: RunCli, library: Path, tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tracker_home / "shows" / "broken.toml").write_text("id = [", encoding="utf-8")
    kept, full = rebuilt_answers(run_cli, tracker_home, monkeypatch)
    assert kept == full
    assert "broken.toml" in kept[0][2] and "broken.toml" in kept[1][2]


@pytest.mark.parametrize(
    "content",
    [b"", b"{not json", b'{"key": [1], "problems": [], "shows": []}', b"[1, 2, 3]"],
    ids=["empty", "damaged", "another key", "foreign"],
)
def test_a_damaged_or_foreign_summary_is_rebuilt_quietly(
    run_cli: RunCli,
    library: Path,
    tracker_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    content: bytes,
) -> None:
    full = full_answers(run_cli, tracker_home)
    summary_file(tracker_home).write_bytes(content)
    kept, again = rebuilt_answers(run_cli, tracker_home, monkeypatch)
    assert kept == again == full


def compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _tampered(header: dict[str, Any], body: dict[str, Any], how: str) -> None:
    first = body["shows"][0]
    if how == "a count as true":
        first[5] = True
    elif how == "a count as a float":
        first[5] = 1.0
    elif how == "a title as a number":
        first[1] = 7
    elif how == "a field too few":
        body["shows"][0] = first[:-1]
    elif how == "a field too many":
        first.append(None)
    elif how == "a time without a zone":
        header["valid_until"] = "9999-12-31T00:00:00"
    elif how == "a problem added":
        body["problems"] = ["shows/x.toml: made up"]
    elif how == "a show as an object":
        body["shows"][0] = {"id": first[0]}


@pytest.mark.parametrize(
    "how",
    [
        "nothing",
        "a count as true",
        "a count as a float",
        "a title as a number",
        "a field too few",
        "a field too many",
        "a time without a zone",
        "a problem added",
        "a show as an object",
    ],
)
def test_a_summary_of_the_right_key_but_edited_is_rebuilt(
    run_cli: RunCli,
    library: Path,
    tracker_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    """Whatever its key says, a kept summary whose body is not the bytes written with
    its header (its CRC-32), or whose header is out of shape, is never believed."""
    full = full_answers(run_cli, tracker_home)
    assert answer(run_cli, COMMANDS[0]) == full[0]  # kept again
    path = summary_file(tracker_home)
    head, body = path.read_text(encoding="utf-8").split("\n", 1)
    header, data = json.loads(head), json.loads(body)
    _tampered(header, data, how)
    # Written back as the writer writes (compact): only the edit changes the bytes.
    text = compact(header) + "\n" + compact(data)
    path.write_text(text, encoding="utf-8")
    if how == "nothing":  # the control: the very bytes, rewritten, are believed
        assert path.read_text(encoding="utf-8") == head + "\n" + body
        assert kept_answers(run_cli, tracker_home, monkeypatch) == full
        return
    kept, again = rebuilt_answers(run_cli, tracker_home, monkeypatch)
    assert kept == again == full


def test_a_summary_that_cannot_be_written_is_no_error(
    run_cli: RunCli, library: Path, tracker_home: Path
) -> None:
    """The cache folder is a file here (as good as read-only, even for root): both
    caches fail to write, quietly, and every answer is worked out again."""
    full = full_answers(run_cli, tracker_home)
    cache = tracker_home / "cache"
    for path in sorted(cache.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    cache.rmdir()
    cache.write_text("not a folder", encoding="utf-8")
    assert [answer(run_cli, args) for args in COMMANDS] == full
    assert cache.read_text(encoding="utf-8") == "not a folder"


def test_nothing_is_kept_while_progress_warns(
    run_cli: RunCli, library: Path, tracker_home: Path
) -> None:
    """A sync conflict copy beside progress.json: a read warns it is not merged, every
    time, so no summary is kept that would leave the warning out."""
    progress = tracker_home / "progress.json"
    copy = tracker_home / "progress.sync-conflict-20261120-101010-ABCDEF7.json"
    copy.write_bytes(progress.read_bytes())
    summary_file(tracker_home).unlink(missing_ok=True)
    for _ in range(2):
        result = run_cli("next")
        assert "sync conflict copy" in result.err
    assert not summary_file(tracker_home).exists()


def test_a_time_ahead_of_the_clock_keeps_the_summary_only_until_it_counts(
    run_cli: RunCli, library: Path, tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A viewing logged by a clock 30 hours ahead: read now, its time is taken as now;
    read six hours on, as written. The summary kept now is not used after those six."""
    ahead = FIXED_NOW + dt.timedelta(hours=30)
    monkeypatch.setattr(clock, "now", lambda: ahead)
    assert run_cli("watch", "all of us", "s1e4").code == 0
    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW)
    full = full_answers(run_cli, tracker_home)
    assert kept_answers(run_cli, tracker_home, monkeypatch) == full
    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW + dt.timedelta(hours=6, seconds=1))
    kept, again = rebuilt_answers(run_cli, tracker_home, monkeypatch)
    assert kept == again


DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "until"),
    [
        (b'{"logged_at": "2026-11-21T12:00:00.000000Z"}', time_reach.FOREVER),
        (b'{"logged_at": "2026-11-22T11:59:59Z"}', time_reach.FOREVER),
        (b'{"logged_at": "2026-11-22T12:00:01Z"}', FIXED_NOW + dt.timedelta(seconds=1)),
        (b'{"changed_at": "2026-11-23T00:00:00+14:00"}', time_reach.FOREVER),
        (b'{"epoch": "20261124T120000Z"}', FIXED_NOW + 2 * DAY),
        (
            b'{"epoch": "2026-11-25T12:00:00Z", "watched_at": "2026-11-22T00:00:00Z"}',
            FIXED_NOW + dt.timedelta(hours=12),
        ),
        (b'{"watched_at": "2030-01-01T00:00:00Z", "id": "20301231"}', time_reach.FOREVER),
        (b'{"cleared_at": "2026-11-23T00:00:00"}', None),
        (b'{"logged_at": "2026-11-2x"}', None),
        # Two days back is 2026-11-19: a value that differs from it first in its tenth
        # byte, by a greater one, is no old date; it must parse, and does not.
        (b'{"logged_at": "2026-11-1x"}', None),
        (b'{"logged_at": "2026-11-18x"}', time_reach.FOREVER),
        (b'{"logged_\\u0061t": "2030-01-01T00:00:00Z"}', None),
    ],
)
def test_how_long_a_file_reads_the_same(text: bytes, until: dt.datetime | None) -> None:
    assert time_reach.steady_until(text, FIXED_NOW) == until


_ALL_TIMES = re.compile(rb'"(epoch|changed_at|logged_at|cleared_at|watched_at)"\s*:\s*"([^"]*)"')


def steady_until_one_by_one(raw: bytes, now: dt.datetime) -> dt.datetime | None:
    """`steady_until` as first written: every time field matched, old dates passed over
    one by one in Python. The oracle for the pattern that passes them over itself."""
    if b"\\u" in raw:
        return None
    earliest = (now - dt.timedelta(days=2)).date().isoformat().encode("ascii")
    found = [
        (field, value)
        for field, value in _ALL_TIMES.findall(raw)
        if not (value[4:5] == b"-" and value[:10] < earliest)
    ]
    return time_reach.reach_of(found, now)


# Times around the boundaries that matter: two days back (where old dates stop), now, and
# a day ahead (where times are taken as now); and values that are no dates, or nearly.
NEAR_DAYS = st.integers(min_value=-4, max_value=4).map(
    lambda days: FIXED_NOW + dt.timedelta(days=days)
)
TIMES = st.one_of(
    st.builds(
        lambda day, seconds: day + dt.timedelta(seconds=seconds),
        NEAR_DAYS,
        st.integers(min_value=-86_400, max_value=86_400),
    ),
    st.datetimes(
        min_value=dt.datetime(1971, 1, 1),
        max_value=dt.datetime(2100, 1, 1),
        timezones=st.just(dt.UTC),
    ),
)
TIME_TEXTS = st.one_of(
    TIMES.map(lambda moment: moment.isoformat().replace("+00:00", "Z")),
    TIMES.map(lambda moment: moment.astimezone(dt.timezone(dt.timedelta(hours=14))).isoformat()),
    TIMES.map(lambda moment: moment.strftime("%Y%m%dT%H%M%SZ")),
    st.builds(lambda moment, cut: moment.isoformat()[:cut], TIMES, st.integers(0, 25)),
    st.text(alphabet="0123456789-:TZ+.x/ ", max_size=14),
)
FIELDS = st.sampled_from(["epoch", "changed_at", "logged_at", "cleared_at", "watched_at", "id"])


@given(st.lists(st.tuples(FIELDS, TIME_TEXTS), max_size=8))
def test_the_pattern_passes_over_only_what_one_by_one_would(
    pairs: list[tuple[str, str]],
) -> None:
    raw = json.dumps({"viewings": [{field: value} for field, value in pairs]}).encode()
    assert time_reach.steady_until(raw, FIXED_NOW) == steady_until_one_by_one(raw, FIXED_NOW)


PROBE = """
import sys
import threading
import time
from tracker_tui.domain.watching import summary
summary.SETTLE_SECONDS = summary.FINE_SETTLE_SECONDS = 0.0
from tracker_tui.cli.main import main
code = main(sys.argv[1:])
sys.stdout.flush()
READERS = (
    "tracker_tui.domain.progress.format",
    "tracker_tui.domain.progress.fast_reader",
    "tracker_tui.domain.progress.loading",
    "tracker_tui.domain.catalog.loader",
    "tracker_tui.domain.catalog.models",
)
print("LOADED:" + ",".join(name for name in READERS if name in sys.modules), file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.parametrize("args", [["next", "--json"], ["shows"]], ids=" ".join)
def test_a_valid_summary_reads_neither_progress_nor_the_catalog(
    args: list[str], run_cli: RunCli, tracker_home: Path
) -> None:
    """Structure, not timing: with the summary valid, `next` and `shows` import no reader
    of the progress file and no catalog model, so they cannot decode either."""
    assert run_cli("watch", "all of us", "s1e1").code == 0
    env = {**os.environ, "TRACKER_HOME": str(tracker_home)}

    def probe() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", PROBE, *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )

    cold, warm = probe(), probe()
    assert cold.returncode == warm.returncode == 0, cold.stderr + warm.stderr
    assert "LOADED:tracker_tui" in cold.stderr  # the probe sees them when they are there
    assert "LOADED:\n" in warm.stderr, warm.stderr
    assert warm.stdout == cold.stdout


def test_a_fresh_file_is_trusted_after_a_tick_unless_its_times_are_whole_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Fine times (ext4, APFS, NTFS) change within any tick a second write could share; a
    time of whole seconds may be a coarse file system's, which could hide a second write
    in the same second (or two, on FAT)."""
    monkeypatch.setattr(summary, "SETTLE_SECONDS", 2.0)
    monkeypatch.setattr(summary, "FINE_SETTLE_SECONDS", 0.1)
    second = 1_000_000_000
    now = time.time_ns()
    half_a_second_ago = now - second // 2
    fine = half_a_second_ago + (1 if half_a_second_ago % second == 0 else 0)
    whole = half_a_second_ago - half_a_second_ago % second
    assert summary.SummaryKey("", fine, 0).settled()
    assert not summary.SummaryKey("", fine, whole).settled()
    assert not summary.SummaryKey("", now + second, 0).settled()
    assert summary.SummaryKey("", fine, whole - 2 * second).settled()


SURROGATES_TOO = st.characters(blacklist_categories=())
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(SURROGATES_TOO),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(JSON_VALUES, st.booleans(), st.sampled_from([0, context.MSGSPEC_FROM_ITEMS]))
def test_json_text_is_what_json_dumps_writes(
    value: object, ascii_only: bool, msgspec_from: int
) -> None:
    """msgspec writes the indented JSON where it writes it alike (for lists from
    `MSGSPEC_FROM_ITEMS` long: 0 here puts every list through it), json the rest."""
    expected = json.dumps(value, indent=2, ensure_ascii=ascii_only)
    with mock.patch.object(context, "MSGSPEC_FROM_ITEMS", msgspec_from):
        assert json_text(value, ascii_only=ascii_only) == expected


def test_a_file_fresh_when_the_key_is_taken_is_not_trusted_however_long_the_build(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second write in the tick of the file's stamp, after the build read the file,
    leaves its stamp as it was: settled is judged when the key was taken, before the
    reads, not when a slow build ends (else the summary of the first write is kept)."""
    monkeypatch.setattr(summary, "SETTLE_SECONDS", 2.0)
    monkeypatch.setattr(summary, "FINE_SETTLE_SECONDS", 0.1)
    progress = tracker_home / "progress.json"
    progress.write_text('{"version": 2, "shows": {}}\n', encoding="utf-8")
    key = summary.summary_key(tracker_home, progress, "2026-11-21")
    assert not key.settled()
    build_ends = time.time_ns() + 5 * 1_000_000_000  # a big library's build
    monkeypatch.setattr(time, "time_ns", lambda: build_ends)
    assert not key.settled()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_at_the_summary_is_passed_over_not_waited_on(
    run_cli: RunCli, library: Path, tracker_home: Path
) -> None:
    """Reading a FIFO waits for a writer forever: the summary is worked out instead, and
    the FIFO replaced by the summary kept."""
    full = full_answers(run_cli, tracker_home)
    summary_file(tracker_home).unlink(missing_ok=True)
    os.mkfifo(summary_file(tracker_home))
    result: list[Answer] = []
    reader = threading.Thread(target=lambda: result.append(answer(run_cli, COMMANDS[0])))
    reader.daemon = True
    reader.start()
    reader.join(10)
    if reader.is_alive():  # let the waiting read end, so the test run can go on
        with summary_file(tracker_home).open("wb"):
            pass
        reader.join(10)
        pytest.fail("`tracker next` waited on a FIFO at cache/summary.json")
    assert result == [full[0]]
    assert summary_file(tracker_home).is_file()
