"""Issue 9 in the app: quitting, other writers, the save retry, status words, the filter,
what space acts on, unreleased seasons and spoilers in the source viewer."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from tracker_tui.domain import clock
from tracker_tui.domain.catalog.models import Note, SourceRef
from tracker_tui.domain.catalog.sources import QuoteSpan
from tracker_tui.domain.files import Stamp
from tracker_tui.domain.progress.format import dumps_progress, from_json
from tracker_tui.domain.progress.records import EpisodeKey, Progress, mark_watched
from tracker_tui.domain.progress.store import ProgressSaveError, ProgressStore
from tracker_tui.domain.watching.source_spoilers import (
    Fold,
    Paragraph,
    fold_label,
    fold_spoilers,
    paragraphs,
    spoiler_quotes,
)
from tracker_tui.tui import TrackerApp, make_app
from tracker_tui.tui import app as app_module
from tracker_tui.tui.screens.confirm_screen import ConfirmScreen
from tracker_tui.tui.screens.source_screen import SourceScreen
from tracker_tui.tui.widgets import NotesPane, ShowPane, ShowsPane

from .pilot_helpers import settle

AOUD = "all-of-us-are-dead"
KAIJU = "kaiju-girl-caramelise"
LATER = dt.datetime(2026, 11, 21, 12, 5, tzinfo=dt.UTC)


def ep(number: int, season: int = 1, show: str = AOUD) -> EpisodeKey:
    return EpisodeKey(show, season, number)


def disk_progress(home: Path) -> Progress:
    path = home / "progress.json"
    return from_json(json.loads(path.read_text())) if path.exists() else Progress.empty()


def on_disk(home: Path) -> set[EpisodeKey]:
    return set(disk_progress(home).watched_keys())


async def wait_until(pilot: Pilot[None], done: Callable[[], bool], seconds: float = 4.0) -> bool:
    for _ in range(int(seconds / 0.05)):
        if done():
            return True
        await pilot.pause(0.05)
    return done()


def record_notices(app: TrackerApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every notification's text, while still showing them."""
    notices: list[str] = []
    original = app.notify

    def notify(message: str, **kwargs: object) -> None:
        notices.append(message)
        original(message, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(app, "notify", notify)
    return notices


def slow_saves(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    original = ProgressStore.save_stamped

    def slow(self: ProgressStore, progress: Progress) -> tuple[Progress, Stamp | None]:
        time.sleep(seconds)
        return original(self, progress)

    monkeypatch.setattr(ProgressStore, "save_stamped", slow)


def failing_saves(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []

    def fail(self: ProgressStore, progress: Progress) -> tuple[Progress, Stamp | None]:
        calls.append(1)
        raise ProgressSaveError("cannot save progress.json: No space left on device")

    monkeypatch.setattr(ProgressStore, "save_stamped", fail)
    return calls


# --- item 1: every way out waits for saves and asks only when one cannot be done ------


@pytest.mark.parametrize("keys", [["ctrl+q"], ["q"]], ids=["ctrl+q", "q"])
async def test_space_then_quit_at_once_keeps_the_toggle(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch, keys: list[str]
) -> None:
    slow_saves(monkeypatch, 1.5)
    app = make_app()
    notices = record_notices(app, monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "space", *keys)
        await wait_until(pilot, lambda: not app.is_running)
        assert not isinstance(app.screen, ConfirmScreen)
    assert on_disk(tracker_home) == {ep(1)}
    assert any("Saving" in notice for notice in notices), "the wait is visible"
    assert app.return_code == 0


async def test_ctrl_q_asks_when_a_change_cannot_be_saved(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_saves(monkeypatch)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "space")
        await settle(app, pilot)
        await pilot.press("ctrl+q")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        assert app.is_running
        await pilot.press("ctrl+q")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await pilot.pause()
    assert on_disk(tracker_home) == set()


async def test_the_palette_has_one_quit_and_it_asks(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_saves(monkeypatch)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        quits = [c for c in app.get_system_commands(app.screen) if "quit" in c.title.casefold()]
        assert len(quits) == 1
        await pilot.press("tab", "space")
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"quit")
        await pilot.pause(0.5)
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))


async def test_ctrl_c_points_at_a_quit_that_waits(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    notices = record_notices(app, monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
        hint = next(notice for notice in notices if "quit" in notice)
        assert app.is_running
        named = re.search(r"ctrl\+q|\bq\b", hint)
        assert named, hint
        # The key the hint names goes through the quit that waits for the save.
        await pilot.press("tab", "space", named.group())
        await wait_until(pilot, lambda: not app.is_running)
    assert on_disk(tracker_home) == {ep(1)}


def _read_until(fd: int, wanted: str, seconds: float) -> str:
    seen = ""
    deadline = time.monotonic() + seconds
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(fd, 65536).decode("utf-8", "replace")
            except OSError:
                break
    return seen


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_waits_for_the_pending_save(tracker_home: Path, signum: int) -> None:
    """A real app in a pty: space while another tracker holds the lock, then a signal."""
    env = {**os.environ, "TRACKER_HOME": str(tracker_home), "TERM": "xterm-256color"}
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker_tui"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        start_new_session=True,
    )
    os.close(follower)
    try:
        assert "All of Us" in _read_until(leader, "All of Us", 20)
        time.sleep(0.5)
        lock = FileLock(str(tracker_home / "progress.json.lock"))
        with lock:
            os.write(leader, b"\t ")
            assert "✓" in _read_until(leader, "✓", 10), "the toggle is on screen"
            process.send_signal(signum)
            _read_until(leader, "\0", 1.0)  # the app now waits for the lock
        deadline = time.monotonic() + 15
        while process.poll() is None and time.monotonic() < deadline:
            _read_until(leader, "\0", 0.2)  # keep reading, or the app blocks on output
        code = process.wait(timeout=1)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    assert code == 0
    assert on_disk(tracker_home) == {ep(1)}


# --- item 21: one retry chain; another writer's change is never taken as ours -----------


async def test_ten_failed_saves_start_one_retry_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "SAVE_RETRY_SECONDS", 1.0)
    calls = failing_saves(monkeypatch)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", *["space"] * 10)
        await settle(app, pilot)
        # Count the retries in a measured window, so a loaded machine that runs slowly
        # widens the bound rather than failing: one chain retries once a second, ten
        # chains would retry ten times a second.
        before, started = len(calls), time.monotonic()
        await pilot.pause(2.5)
        await settle(app, pilot)
        retries, seconds = len(calls) - before, time.monotonic() - started
        assert 1 <= retries <= seconds / 1.0 + 1, f"{retries} retries in {seconds:.1f} s"


async def test_a_write_right_after_our_save_is_noticed(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = ProgressStore.save_stamped
    other = ProgressStore(tracker_home / "progress.json")

    def save_then_another_writes(
        self: ProgressStore, progress: Progress
    ) -> tuple[Progress, Stamp | None]:
        result = original(self, progress)
        if self is not other:
            other.save(mark_watched(Progress.empty(), [ep(3)], LATER))
        return result

    monkeypatch.setattr(ProgressStore, "save_stamped", save_then_another_writes)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "space")
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: app.session.progress.is_watched(ep(3)))


# --- item 3: the file deleted, an old copy synced over it, import --replace, undo -------


async def test_a_deleted_file_is_saved_again(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "space")
        await settle(app, pilot)
        (tracker_home / "progress.json").unlink()
        assert await wait_until(pilot, lambda: on_disk(tracker_home) == {ep(1)})
        await settle(app, pilot)
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running)
        assert not isinstance(app.screen, ConfirmScreen)
    assert on_disk(tracker_home) == {ep(1)}


async def test_an_older_copy_synced_over_the_file_is_merged_and_saved(tracker_home: Path) -> None:
    path = tracker_home / "progress.json"
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "space")
        await settle(app, pilot)
        old_copy = tracker_home / "old-copy.json"
        shutil.copy2(path, old_copy)
        await pilot.press("j", "space")
        await settle(app, pilot)
        assert on_disk(tracker_home) == {ep(1), ep(2)}
        old_copy.replace(path)  # what a sync tool does: a new file renamed over ours
        assert on_disk(tracker_home) == {ep(1)}
        assert await wait_until(pilot, lambda: on_disk(tracker_home) == {ep(1), ep(2)})


async def test_import_replace_while_the_app_runs_is_not_undone(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "j", "j", "j", "j", "w")
        await settle(app, pilot)
        assert on_disk(tracker_home) == {ep(n) for n in range(1, 6)}
        replacement = tracker_home.parent / "replacement.json"
        replacement.write_text(dumps_progress(mark_watched(Progress.empty(), [ep(9)], LATER)))
        env = {**os.environ, "TRACKER_HOME": str(tracker_home)}
        command = [sys.executable, "-m", "tracker_tui", "import", "--replace", str(replacement)]
        subprocess.run(command, env=env, check=True, capture_output=True)
        after = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)  # the import used real time
        monkeypatch.setattr(clock, "now", lambda: after)
        assert await wait_until(pilot, lambda: app.session.progress.is_watched(ep(9)))
        app.query_one(ShowPane).highlight_episode(ep(12))
        await pilot.press("space")  # any change makes the app save
        await settle(app, pilot)
        await pilot.pause(1.5)
        await settle(app, pilot)
    assert on_disk(tracker_home) == {ep(9), ep(12)}


async def test_undo_keeps_a_rewatch_another_program_added(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "space")
        await settle(app, pilot)
        other = ProgressStore(tracker_home / "progress.json")
        other.save(mark_watched(other.load().progress, [ep(1)], LATER))

        def rewatch_seen() -> bool:
            record = app.session.progress.get(ep(1))
            return record is not None and record.watch_count == 2

        assert await wait_until(pilot, rewatch_seen)
        await pilot.press("u")
        await settle(app, pilot)
        assert app.session.progress.is_watched(ep(1)), "the other program's viewing stays"
    assert ep(1) in on_disk(tracker_home)


# --- item 10: unreleased seasons offer a row, and marking one asks first ------------------

SCHEDULED_SHOW = """
id = "future-show"
title = "Future Show"
kind = "series"

[[seasons]]
number = 1
episode_count = 3

[[seasons.status]]
state = "scheduled"
detail = "Coming in 2027"
expected = "2027"
"""


def add_show(home: Path, text: str, name: str = "future-show") -> None:
    (home / "shows").mkdir(exist_ok=True)
    (home / "shows" / f"{name}.toml").write_text(text)


async def test_an_in_production_season_offers_its_first_episode() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        ids = [option.id for option in app.query_one(ShowPane).options]
        assert "ep-2-1" in ids


async def test_marking_an_unreleased_episode_asks_first(tracker_home: Path) -> None:
    add_show(tracker_home, SCHEDULED_SHOW)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"future", "enter")
        assert app.show_id == "future-show"
        await pilot.press("tab", "space")
        assert isinstance(app.screen, ConfirmScreen)
        assert "not released yet" in app.screen.question
        await pilot.press("n")
        await settle(app, pilot)
        assert not app.session.progress.is_watched(ep(1, show="future-show"))
        assert on_disk(tracker_home) == set()
        await pilot.press("space")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert on_disk(tracker_home) == {ep(1, show="future-show")}


async def test_w_on_an_unreleased_season_asks_first(tracker_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(ShowPane)
        await pilot.press("tab")
        pane.highlight_episode(ep(1, season=2))
        await pilot.press("w")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert on_disk(tracker_home) == set()


# --- item 16: the real status word -------------------------------------------------------


async def test_the_shows_pane_says_scheduled_not_announced(tracker_home: Path) -> None:
    add_show(tracker_home, SCHEDULED_SHOW.replace("episode_count = 3\n", ""))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        show_list = app.query_one(ShowsPane).show_list
        prompt = show_list.row_text("future-show").plain
        assert "scheduled" in prompt
        assert "announced" not in prompt


# --- item 17: a kept filter is visible, and says how to clear it -----------------------------


async def test_a_kept_filter_shows_in_the_title_and_escape_clears_it() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        shows = app.query_one(ShowsPane)
        await pilot.press("slash", "k", "a", "i", "enter")
        assert shows.visible_ids() == [KAIJU]
        assert "/kai" in str(shows.border_title)
        assert "esc" in str(shows.border_subtitle)
        await pilot.press("escape")
        await pilot.pause()
        assert shows.visible_ids() == [AOUD, KAIJU]
        assert str(shows.border_title) == "Shows"
        assert not shows.border_subtitle


# --- item 18: space and w from the shows pane act on what the row shows --------------------


async def test_space_in_the_shows_pane_marks_the_shows_next_episode(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    notices = record_notices(app, monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "j", "j", "shift+tab")  # the hidden cursor on E3
        assert app.focused is app.query_one(ShowsPane).show_list
        await pilot.press("space")
        await settle(app, pilot)
        assert on_disk(tracker_home) == {ep(1)}
        assert "Marked All of Us Are Dead S1E1 watched" in notices
        await pilot.press("w")
        await settle(app, pilot)
        assert on_disk(tracker_home) == {ep(1), ep(2)}
        assert "Marked All of Us Are Dead S1E2 watched" in notices


# --- item 24: spoilers in the source viewer -------------------------------------------------

TEXT = "Intro line.\n\nThe hero dies at the end.\nShe mourns.\n\nIt was filmed in 2021."


def test_paragraphs_are_the_non_blank_lines() -> None:
    found = paragraphs(TEXT)
    assert [TEXT[p.start : p.end] for p in found] == [
        "Intro line.",
        "The hero dies at the end.",
        "She mourns.",
        "It was filmed in 2021.",
    ]


def test_neighbouring_spoiler_paragraphs_fold_into_one() -> None:
    start = TEXT.index("The hero")
    spoiler = QuoteSpan(start, TEXT.index("mourns") + len("mourns"))
    quote = QuoteSpan(TEXT.index("filmed"), TEXT.index("filmed") + 6)
    passages = fold_spoilers(TEXT, [spoiler], quote)
    assert passages[1] == Fold(2)
    assert len(passages) == 3
    assert isinstance(passages[2], Paragraph) and passages[2].quoted


def test_the_quoted_paragraph_stays_with_the_spoiler_elided() -> None:
    start = TEXT.index("dies")
    spoiler = QuoteSpan(start, start + len("dies at the end"))
    quote = QuoteSpan(TEXT.index("The hero"), TEXT.index("The hero") + 8)
    passages = fold_spoilers(TEXT, [spoiler], quote)
    kept = passages[1]
    assert isinstance(kept, Paragraph) and kept.quoted
    assert kept.hidden == (spoiler,)
    assert not any(isinstance(passage, Fold) for passage in passages)


def test_overlapping_spoilers_in_the_quoted_paragraph_are_one_elision() -> None:
    """Two hidden notes quoting overlapping words: one "[spoiler hidden]", not two in a row."""
    dies = TEXT.index("dies")
    spoilers = [QuoteSpan(dies, dies + len("dies at")), QuoteSpan(dies + 5, dies + 15)]
    quote = QuoteSpan(TEXT.index("The hero"), TEXT.index("The hero") + 8)
    kept = fold_spoilers(TEXT, spoilers, quote)[1]
    assert isinstance(kept, Paragraph) and kept.quoted
    assert kept.hidden == (QuoteSpan(dies, dies + 15),)


def test_no_spoilers_folds_nothing() -> None:
    assert all(isinstance(p, Paragraph) for p in fold_spoilers(TEXT, [], None))


def test_spoiler_quotes_come_from_hidden_notes_of_this_document() -> None:
    hidden = Note("n", "t", "x", [SourceRef("a.txt", "one"), SourceRef("b.txt", "two")])
    viewed = Note("v", "t", "x", [SourceRef("a.txt", "three")])
    assert spoiler_quotes("a.txt", [hidden, viewed], viewed) == ["one"]


def test_fold_label_names_how_far_the_user_has_watched() -> None:
    assert fold_label((1, 5)) == "▸ spoiler past S1E5 hidden (press s to reveal)"
    assert "nothing watched" in fold_label(None)


async def test_the_source_viewer_folds_spoilers_until_s() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "tab", "enter")
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        assert screen.note.id == "premise"
        await pilot.pause()

        def shown_text() -> str:
            return "\n".join(str(widget.render()) for widget in screen.query(".paragraph"))

        assert "Hambies" not in shown_text()
        assert "expected to return for season 2" not in shown_text()
        assert screen.query(".spoiler-fold")
        await pilot.press("s")
        await pilot.pause()
        assert "Hambies" in shown_text()
        assert not screen.query(".spoiler-fold")
        await pilot.press("escape")
        await pilot.pause()
        assert app.reveal_spoilers, "revealing in the viewer reveals in the notes too"


async def test_keys_arriving_together_keep_their_order(tracker_home: Path) -> None:
    """tab, space and ctrl+q in one read from the terminal: ctrl+q must not jump the queue."""
    from textual import events

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for key, character in [("tab", "\t"), ("space", " "), ("ctrl+q", "\x11")]:
            app.post_message(events.Key(key, character))
        await wait_until(pilot, lambda: not app.is_running)
    assert on_disk(tracker_home) == {ep(1)}


# --- issue 11: spellings, joined dates, disputes with spoiler scopes, in the app -----------


def pane_text(pane: ShowPane) -> str:
    """Every row of the show pane, as the user reads it."""
    return "\n".join(str(option.prompt) for option in pane.options)


async def test_dispute_claims_past_the_users_progress_stay_hidden_until_s() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = pane_text(app.query_one(ShowPane))
        assert "What becomes of Nam-ra" in text
        assert "hiding" not in text  # nam-ra-is-a-humbie, a spoiler past S1E12
        assert "spared no one" not in text  # survivors-few, the same
        assert "spoiler past S1E12" in text
        await pilot.press("s")
        text = pane_text(app.query_one(ShowPane))
        assert "hiding" in text
        assert "spared no one" in text


async def test_dispute_claims_show_once_watched_that_far(tracker_home: Path) -> None:
    store = ProgressStore(tracker_home / "progress.json")
    store.save(mark_watched(Progress.empty(), [ep(n) for n in range(1, 13)], clock.now()))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "hiding" in pane_text(app.query_one(ShowPane))


@pytest.mark.parametrize("typed", ["Now at Our School", "hyozan", "지금"])
async def test_the_filter_matches_every_name_the_cli_does(typed: str) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash")
        app.query_one(ShowsPane).query_one("#show-filter", Input).value = typed
        await pilot.pause()
        assert app.query_one(ShowsPane).visible_ids() == [AOUD]


async def test_the_show_pane_gives_both_spellings_with_their_sources() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = pane_text(app.query_one(ShowPane))
        assert re.search(r"Cheong-san, also spelt Chung-San \[[0-9]+\]", text)
        assert re.search(r"Hyosan, also spelt Hyozan \[[0-9]+\]", text)
        assert "humbies" not in text  # the spelling is itself a season 1 spoiler
        people = [line for line in text.splitlines() if "Park Ji-hoo as Lee Cheong-san" in line]
        assert people and "also spelt Chung-San" in people[0]
        assert re.search(r"^\[[0-9]+\] ", text, re.MULTILINE)  # what the numbers stand for
        await pilot.press("s")
        assert "hambies, also spelt humbies" in pane_text(app.query_one(ShowPane))


async def test_a_note_names_the_other_spelling() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        notes = app.query_one(NotesPane).note_list
        premise = str(notes.get_option("premise").prompt)
        assert "Hyosan, also spelt Hyozan" in premise


async def test_a_joined_release_date_says_where_each_part_comes_from() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = pane_text(app.query_one(ShowPane))
        assert re.search(
            r"28 January 2022: day from \[[0-9]+\], year from \[[0-9]+, [0-9]+\]", text
        )


async def test_a_now_line_resting_on_a_disputed_report_carries_the_mark() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = pane_text(app.query_one(ShowPane))
        (now,) = [line for line in text.splitlines() if "now: Filming in 2024" in line]
        assert "⚠ disputed" in now


async def test_the_keyboard_reaches_the_facts_above_and_the_sources_below() -> None:
    """The episodes are the only rows a cursor can rest on: moving past the last one
    scrolls on to the facts, people, disputes and the sources their numbers stand for,
    past the first one back up to the header, rather than wrapping round."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("tab")
        pane = app.query_one(ShowPane)
        await pilot.press("end")
        assert pane.highlighted_key(AOUD) == ep(1, season=2)
        await pilot.pause()
        assert pane.scroll_y == pane.max_scroll_y > 0
        await pilot.press("home")
        await pilot.pause()
        assert pane.highlighted_key(AOUD) == ep(1)
        assert pane.scroll_y == 0
        await pilot.press("end", "k", "j", "j")
        await pilot.pause()
        assert pane.highlighted_key(AOUD) == ep(1, season=2)  # no wrap to S1E1
        await pilot.press("home", "end", "k")  # the foot out of view again
        await pilot.pause()
        before = pane.scroll_y
        assert before < pane.max_scroll_y
        await pilot.press("j", "j", "j")  # past the last episode: on to the foot
        await pilot.pause()
        assert pane.highlighted_key(AOUD) == ep(1, season=2)
        assert pane.scroll_y > before
        await pilot.press("home", "k")
        await pilot.pause()
        assert pane.highlighted_key(AOUD) == ep(1)  # no wrap to S2E1
        assert pane.scroll_y == 0


async def test_a_file_gone_bad_before_a_save_is_reported_with_its_copy(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save that keeps a bad file aside says where, as the command line does."""
    app = make_app()
    notices: list[str] = []
    monkeypatch.setattr(app, "notify", lambda message, **_: notices.append(str(message)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        (tracker_home / "progress.json").write_text("{ not json")
        await pilot.press("tab", "space")
        await settle(app, pilot)
    copies = list(tracker_home.glob("progress.json.corrupt-*"))
    assert len(copies) == 1 and copies[0].read_text() == "{ not json"
    assert any(copies[0].name in notice for notice in notices), notices
    assert ep(1) in set(disk_progress(tracker_home).watched_keys())


def test_a_progress_path_that_is_no_file_stops_the_app_before_it_opens(
    tracker_home: Path,
) -> None:
    """A folder (or FIFO) as the progress file: one clear line and exit 1, not an app whose
    every save fails."""
    (tracker_home / "progress.json").mkdir()
    env = {**os.environ, "TRACKER_HOME": str(tracker_home)}
    result = subprocess.run(
        [sys.executable, "-m", "tracker_tui"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("tracker: ") and "not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


async def test_key_presses_while_the_lock_is_held_run_one_save_at_a_time(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten presses while another tracker holds the lock: one save waits on it and one more
    follows with every change, not a thread per press each waiting up to 10 s."""
    monkeypatch.setattr("tracker_tui.domain.progress.store.LOCK_TIMEOUT_SECONDS", 0.5)
    lock = FileLock(str(tracker_home / "progress.json.lock"))
    app = make_app()
    most_at_once = 0
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab")
        with lock:
            for _ in range(10):
                await pilot.press("space", "j")
                running = [w for w in app.workers if w.group == "save" and not w.is_finished]
                most_at_once = max(most_at_once, len(running))
        assert await wait_until(pilot, lambda: not app.unsaved, seconds=10)
    assert most_at_once == 1
    assert on_disk(tracker_home) == {ep(n) for n in range(1, 11)}
