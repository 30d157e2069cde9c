"""Fuzz: a few thousand generated progress and show files through the commands users run.

Files are generated from the real grammar (the progress file's JSON shape, the show
file's TOML), then mutated at the byte level and mixed with hostile inputs that
earlier trials found. Every command must answer with an exit code and a message,
never a traceback or a hang, and a read-only command must leave the disk as it was.
The generator is seeded, so a failure names a case that can be replayed.
"""

from __future__ import annotations

import functools
import json
import random
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest

from tracker_tui.cli import main as cli_main
from tracker_tui.cli.main import main
from tracker_tui.domain.progress.format import ProgressFormatError, read_progress

SEED = 20261122
PROGRESS_FILES = 800
SHOW_FILES = 500
SHOWS_PER_BATCH = 25
SECONDS_PER_COMMAND = 10

BUNDLED_IDS = ["all-of-us-are-dead", "kaiju-girl-caramelise"]
HOSTILE_TEXT = [
    "",
    " ",
    "a" * 5000,
    "[bold]markup[/]",
    "\u202eevil",
    "zero\u200bwidth",
    "\ufeffbom",
    "bell\x07",
    "new\nline",
    "\ud800",
    "²",
    "٣",
    "Ⅻ",
    "🧟",
    "../../etc/passwd",
    "null",
]
HOSTILE_NUMBERS = [
    "0",
    "-1",
    "1e999",
    "1.5",
    "10000",
    "1000000000",
    "99999999999999999999999999999999",
    '"12"',
    "true",
    "null",
    "[]",
]
HOSTILE_TIMES = [
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59.999999Z",
    "2026-02-30T00:00:00Z",
    "2026-11-21T12:00:00",
    "2026-11-21 12:00:00+00:00",
    "٢٠٢٦-11-21T12:00:00Z",
    "yesterday",
    "",
]


class CommandHungError(Exception):
    """A command ran past its time limit."""


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise CommandHungError(f"still running after {seconds}s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- progress files --------------------------------------------------------------


def _time(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return rng.choice(HOSTILE_TIMES)
    offset = rng.choice(["Z", "+00:00", "+09:00", "-05:30"])
    return (
        f"{rng.randint(1990, 2030):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        f"T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}{offset}"
    )


def _record(rng: random.Random) -> dict[str, object]:
    watched = rng.random() < 0.8
    record: dict[str, object] = {
        "watched": watched,
        "watched_at": _time(rng) if watched else None,
        "watch_count": rng.randint(1, 3) if watched else 0,
        "changed_at": _time(rng),
    }
    if rng.random() < 0.05:
        del record[rng.choice(list(record))]
    return record


def _show_id(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.6:
        return rng.choice(BUNDLED_IDS)
    if roll < 0.9:
        return f"user-show-{rng.randint(1, 50)}"
    return rng.choice(HOSTILE_TEXT)


def _viewing(rng: random.Random) -> dict[str, object]:
    viewing: dict[str, object] = {
        "id": rng.choice([f"{rng.getrandbits(64):016x}", "v1-a", rng.choice(HOSTILE_TEXT)]),
        "watched_at": _time(rng) if rng.random() < 0.8 else None,
        "logged_at": _time(rng),
    }
    if rng.random() < 0.05:
        del viewing[rng.choice(list(viewing))]
    return viewing


def _mark(rng: random.Random, value: object) -> dict[str, object]:
    return {"value": value, "changed_at": _time(rng)}


def _episode_v2(rng: random.Random) -> dict[str, object]:
    viewings = [_viewing(rng) for _ in range(rng.randint(0, 3))]
    episode: dict[str, object] = {"viewings": viewings}
    if viewings and rng.random() < 0.2:
        episode["removed"] = [rng.choice(viewings).get("id", "gone")]
    if rng.random() < 0.2:
        episode["cleared_at"] = _time(rng)
    if rng.random() < 0.2:
        episode["rating"] = _mark(rng, rng.choice([1, 7, 10, 0, 11, None, "8", True]))
    return episode


def valid_progress_v2(rng: random.Random) -> str:
    """A version 2 file: viewings, removals, unmarks, and marks on shows, seasons, episodes."""
    shows: dict[str, dict[str, object]] = {}
    for _ in range(rng.randint(0, 4)):
        show: dict[str, object] = {}
        if rng.random() < 0.3:
            show["status"] = _mark(rng, rng.choice(["on-hold", "watching", "paused", None]))
        if rng.random() < 0.2:
            show["archived"] = _mark(rng, rng.choice([True, False, "yes"]))
        if rng.random() < 0.3:
            show["rating"] = _mark(rng, rng.choice([1, 9, 10, 12, None]))
        seasons: dict[str, object] = {}
        for _ in range(rng.randint(1, 3)):
            season: dict[str, object] = {
                "episodes": {
                    str(rng.randint(1, 16)): _episode_v2(rng) for _ in range(rng.randint(1, 8))
                }
            }
            if rng.random() < 0.2:
                season["rating"] = _mark(rng, rng.randint(1, 10))
            seasons[str(rng.randint(1, 4))] = season
        show["seasons"] = seasons
        shows[_show_id(rng)] = show
    document: dict[str, object] = {"version": 2, "shows": shows}
    if rng.random() < 0.2:
        document["epoch"] = _time(rng)
    return json.dumps(document, indent=rng.choice([None, 2]), ensure_ascii=rng.random() < 0.5)


def valid_progress(rng: random.Random) -> str:
    """A file of either version the tracker reads (version 1 is read and upgraded)."""
    return valid_progress_v2(rng) if rng.random() < 0.6 else valid_progress_v1(rng)


def valid_progress_v1(rng: random.Random) -> str:
    shows: dict[str, dict[str, dict[str, object]]] = {}
    for _ in range(rng.randint(0, 4)):
        seasons = shows.setdefault(_show_id(rng), {})
        for _ in range(rng.randint(1, 3)):
            episodes = seasons.setdefault(str(rng.randint(1, 4)), {})
            for _ in range(rng.randint(1, 14)):
                episodes[str(rng.randint(1, 16))] = _record(rng)
    document: dict[str, object] = {"version": 1, "shows": shows}
    if rng.random() < 0.2:
        document["epoch"] = _time(rng)
    return json.dumps(document, indent=rng.choice([None, 2]), ensure_ascii=rng.random() < 0.5)


def mutate(rng: random.Random, text: str) -> bytes:
    data = bytearray(text.encode("utf-8", "surrogatepass"))
    for _ in range(rng.randint(1, 4)):
        where = rng.randint(0, len(data))
        kind = rng.randrange(6)
        if kind == 0:
            del data[where:]
        elif kind == 1 and data:
            data[min(where, len(data) - 1)] = rng.randrange(256)
        elif kind == 2:
            token = rng.choice(HOSTILE_NUMBERS + [json.dumps(t) for t in HOSTILE_TEXT])
            data[where:where] = token.encode("utf-8", "surrogatepass")
        elif kind == 3:
            data[where : where + rng.randint(1, 40)] = b""
        elif kind == 4:
            span = data[where : where + rng.randint(1, 200)]
            data[where:where] = span
        else:
            for field in (b'"watch_count": ', b'"changed_at": ', b'"1": '):
                at = data.find(field)
                if at >= 0:
                    end = at + len(field)
                    data[end:end] = rng.choice(
                        [*HOSTILE_NUMBERS, *(json.dumps(t) + "," for t in HOSTILE_TIMES)]
                    ).encode()
                    break
    return bytes(data)


def hostile_progress(rng: random.Random) -> bytes:
    depth = rng.choice([100, 5000, 100_000])
    record = '{"watched": true, "changed_at": "2026-01-01T00:00:00Z"}'
    choices: list[Callable[[], str | bytes]] = [
        lambda: "[" * depth + "]" * depth,
        lambda: '{"version": 1, "shows": ' + '{"a":' * depth + "{}" + "}" * depth + "}",
        lambda: b'{"version": 1, "shows": {"\xff\xfe": {}}}',
        lambda: '{"version": 1, "shows": {"x": {"\u00b2": {"1": ' + record + "}}}}",
        lambda: '{"version": 1, "shows": {"\\ud800": {"1": {"1": ' + record + "}}}}",
        lambda: (
            '{"version": 1, "shows": {"x": {"1": {"1": '
            + record
            + ', "1": {"watched": false, "changed_at": "2026-06-01T00:00:00Z"}}}}}'
        ),
        lambda: (
            '{"version": 1, "shows": {"x": {"1": {"1": {"watched": true, '
            '"changed_at": "9999-12-31T23:59:59.999999Z"}}}}}'
        ),
        lambda: '{"version": 2, "shows": {}}',
        lambda: '{"version": "1", "shows": {}}',
        lambda: "",
        lambda: "\ufeff" + valid_progress(rng),
        lambda: b"\x00" * 100,
        lambda: "[]",
        lambda: "null",
        lambda: '{"version": 1, "shows": []}',
    ]
    made = rng.choice(choices)()
    return made if isinstance(made, bytes) else made.encode("utf-8", "surrogatepass")


def progress_cases(count: int) -> Iterator[tuple[int, bytes]]:
    rng = random.Random(SEED)
    for case in range(count):
        roll = rng.random()
        if roll < 0.3:
            yield case, valid_progress(rng).encode("utf-8", "surrogatepass")
        elif roll < 0.85:
            yield case, mutate(rng, valid_progress(rng))
        else:
            yield case, hostile_progress(rng)


# --- show files --------------------------------------------------------------------


def _toml_string(rng: random.Random, plain: str) -> str:
    if rng.random() < 0.15:
        return json.dumps(rng.choice(HOSTILE_TEXT))
    return json.dumps(plain)


def _toml_number(rng: random.Random, plain: int) -> str:
    return rng.choice(HOSTILE_NUMBERS) if rng.random() < 0.15 else str(plain)


def _toml_date(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return json.dumps(rng.choice(["0000", "٢٠٢٦", "2026-13", "2026-02-30", "99999", "20x6"]))
    parts = [f"{rng.randint(1990, 2030):04d}", f"{rng.randint(1, 12):02d}", "15"]
    return json.dumps("-".join(parts[: rng.randint(1, 3)]))


def valid_show(rng: random.Random, number: int) -> str:
    lines = [
        f"id = {_toml_string(rng, f'fuzz-{number}')}",
        f"title = {_toml_string(rng, f'Fuzz Show {number}')}",
        f"aliases = [{_toml_string(rng, f'FS{number}')}]",
        f'kind = "{rng.choice(["series", "anime", "miniseries", "film"])}"',
    ]
    for season in range(1, rng.randint(1, 4) + 1):
        lines += ["", "[[seasons]]", f"number = {_toml_number(rng, season)}"]
        if rng.random() < 0.7:
            lines.append(f"episode_count = {_toml_number(rng, rng.randint(1, 16))}")
        state = rng.choice(["announced", "in_production", "scheduled", "released", "cancelled"])
        lines += ["", "[[seasons.status]]", f'state = "{state}"', 'detail = "Said so"']
        if state in ("scheduled", "released"):
            key = "expected" if state == "scheduled" else "date"
            lines.append(f"{key} = {_toml_date(rng)}")
        for episode in range(1, rng.randint(0, 3) + 1):
            lines += [
                "",
                "[[seasons.episodes]]",
                f"number = {_toml_number(rng, episode)}",
                f"title = {_toml_string(rng, f'Episode {episode}')}",
            ]
    return "\n".join(lines) + "\n"


def hostile_show(rng: random.Random, number: int) -> str:
    depth = rng.choice([50, 1200, 20_000])
    return rng.choice(
        [
            f'id = "fuzz-{number}"\nx = ' + "[" * depth + "]" * depth + "\n",
            f'id = "fuzz-{number}"\ntitle = "T"\nkind = "series"\n'
            "[[seasons]]\nnumber = 1\nepisode_count = 1000000000\n",
            "\x00\x01\x02",
            "[[[[",
            f'id = "fuzz-{number}"\ntitle = "\u202eevil"\nkind = "series"\n',
        ]
    )


def show_cases(count: int) -> Iterator[tuple[int, str]]:
    rng = random.Random(SEED + 1)
    for case in range(count):
        roll = rng.random()
        if roll < 0.35:
            yield case, valid_show(rng, case)
        elif roll < 0.85:
            yield case, mutate(rng, valid_show(rng, case)).decode("utf-8", "replace")
        else:
            yield case, hostile_show(rng, case)


# --- running commands ----------------------------------------------------------------


def folder_state(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


@pytest.fixture
def run_quietly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[int, str]]:
    """Run `tracker ARGS`; any exception or a hang fails the test with the case named.

    The files are what is fuzzed, not the command line: the parser (a few milliseconds to
    build, most of a command's time here) is built once per test and reused, as parsing
    leaves it unchanged. The data folder it names is the same all test long.
    """
    monkeypatch.setattr(cli_main, "build_parser", functools.cache(cli_main.build_parser))

    def run(case: str, *args: str) -> tuple[int, str]:
        try:
            with time_limit(SECONDS_PER_COMMAND):
                code = main(list(args))
        except SystemExit as exit:
            code = int(exit.code or 0)
        except BaseException as error:
            pytest.fail(f"{case}: `tracker {' '.join(args)}` raised {error!r}")
        err = capsys.readouterr().err
        assert code in (0, 1, 2), f"{case}: exit {code}"
        assert "Traceback" not in err, f"{case}: {err}"
        return code, err

    return run


def test_generated_progress_files(
    tmp_path: Path, tracker_home: Path, run_quietly: Callable[..., tuple[int, str]]
) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    for case, data in progress_cases(PROGRESS_FILES):
        name = f"progress case {case}"
        path = folder / "progress.json"
        for leftover in folder.iterdir():
            leftover.unlink()
        path.write_bytes(data)
        before = folder_state(folder)

        for command in (["next", "--json"], ["history"])[: 1 + (case % 4 == 0)]:
            run_quietly(name, *command, "--progress-file", str(path))
            assert folder_state(folder) == before, f"{name}: `{command[0]}` changed the folder"

        code, err = run_quietly(name, "import", str(path))
        assert code in (0, 1), f"{name}: import exit {code}"
        if code == 1:
            assert err.startswith("tracker: "), f"{name}: {err}"
        own = tracker_home / "progress.json"
        if own.exists():
            try:
                read_progress(own.read_bytes())
            except ProgressFormatError as error:
                pytest.fail(f"{name}: import left an unreadable progress file: {error}")

        if case % 4 == 1:
            run_quietly(name, "watch", "all-of-us-are-dead", "s1e1", "--progress-file", str(path))
            after = folder_state(folder)
            for kept in set(before) - set(after):
                moved = [n for n in after if n.startswith(f"{kept}.corrupt-")]
                assert moved, f"{name}: {kept} vanished"
                assert after[moved[0]] == before[kept], f"{name}: moved-aside bytes differ"


def test_generated_show_files(
    tracker_home: Path, run_quietly: Callable[..., tuple[int, str]]
) -> None:
    shows = tracker_home / "shows"
    shows.mkdir()
    cases = list(show_cases(SHOW_FILES))
    for first in range(0, len(cases), SHOWS_PER_BATCH):
        batch = cases[first : first + SHOWS_PER_BATCH]
        name = f"show cases {batch[0][0]}-{batch[-1][0]}"
        for leftover in shows.iterdir():
            leftover.unlink()
        for case, text in batch:
            (shows / f"fuzz-{case}.toml").write_text(text, encoding="utf-8", errors="replace")
        before = folder_state(shows)
        for command in (["validate"], ["shows", "--json"], ["next"], ["show", "fuzz"]):
            run_quietly(name, *command)
        run_quietly(name, "watch", "all-of-us-are-dead", "s1e2")
        assert folder_state(shows) == before, f"{name}: show files changed"
