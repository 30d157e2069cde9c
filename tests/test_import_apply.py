"""Applying an import, all or nothing: a failure or a kill at any stage leaves the data
folder exactly as before, or (a kill after the save) exactly as after."""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker_tui.domain.catalog.loader import load_catalog
from tracker_tui.domain.exchange import apply as apply_module
from tracker_tui.domain.exchange.apply import (
    ImportApplyError,
    apply_import,
    recover_interrupted_import,
)
from tracker_tui.domain.exchange.batch import (
    ImportBatch,
    ImportedArchive,
    ImportedRating,
    ImportedStatus,
)
from tracker_tui.domain.exchange.plan import ImportPlan, plan_import
from tracker_tui.domain.paths import import_journal_path, user_shows_dir
from tracker_tui.domain.progress.records import STATUSES, EpisodeKey, Progress, mark_watched
from tracker_tui.domain.progress.store import (
    LoadResult,
    ProgressSaveError,
    ProgressStore,
    default_progress_path,
)

from .conftest import FIXED_NOW, RunCli
from .import_helpers import T0, snapshot, watch

REPO = Path(__file__).resolve().parents[1]


def sample_batch() -> ImportBatch:
    batch = ImportBatch("trakt")
    batch.show("trakt:1", "All of Us Are Dead", 2022, ids={"trakt": "1"})
    watch(batch, "trakt:1", 1, 1, T0, "h1")
    for number in (1, 2, 3):
        key = f"trakt:{number + 10}"
        batch.show(key, f"New Show {number}", 2020 + number, ids={"trakt": str(number + 10)})
        watch(batch, key, 1, 1, T0, f"h{key}")
        watch(batch, key, 1, 2, None, f"u{key}")
    return batch


def make_plan(home: Path) -> tuple[ImportPlan, ProgressStore]:
    store = ProgressStore(default_progress_path(home))
    shows = {show.id: show for show in load_catalog(home).shows}
    plan = plan_import(sample_batch(), shows, store.load().progress, FIXED_NOW)
    return plan, store


def start(home: Path) -> ProgressStore:
    """A data folder with some progress already, and the catalog cache made."""
    store = ProgressStore(default_progress_path(home))
    key = EpisodeKey("kaiju-girl-caramelise", 1, 1)
    store.save(mark_watched(Progress.empty(), [key], FIXED_NOW))
    load_catalog(home)
    return store


def test_apply_creates_the_files_and_merges_the_progress(tracker_home: Path) -> None:
    start(tracker_home)
    plan, store = make_plan(tracker_home)
    assert len(plan.new_shows) == 3
    result = apply_import(plan, store, tracker_home)
    assert sorted(path.name for path in result.created) == [
        "new-show-1.toml",
        "new-show-2.toml",
        "new-show-3.toml",
    ]
    assert not import_journal_path(tracker_home).exists()
    catalog = {show.id: show for show in load_catalog(tracker_home).shows}
    assert catalog["new-show-2"].ids == {"trakt": "12"}
    saved = store.load().progress
    assert saved.is_watched(EpisodeKey("new-show-1", 1, 2))
    assert saved.is_watched(EpisodeKey("all-of-us-are-dead", 1, 1))
    assert saved.is_watched(EpisodeKey("kaiju-girl-caramelise", 1, 1))
    again, _ = make_plan(tracker_home)
    assert again.is_empty()
    assert again.new_shows == []
    assert again.counts.viewings_already_there == 7


def test_a_failing_save_leaves_both_as_they_were(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    start(tracker_home)
    plan, store = make_plan(tracker_home)
    before = snapshot(tracker_home)

    def refuse(progress: Progress) -> Progress:
        raise ProgressSaveError("cannot save progress.json: No space left on device")

    monkeypatch.setattr(store, "save", refuse)
    with pytest.raises(ImportApplyError, match="No space left on device; nothing was imported"):
        apply_import(plan, store, tracker_home)
    assert snapshot(tracker_home) == before


def test_a_folder_that_refuses_files_leaves_both_as_they_were(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tests run as root, where chmod cannot make a folder read-only: the link that
    names each file fails as a read-only folder makes it fail, after the first file."""
    start(tracker_home)
    plan, store = make_plan(tracker_home)
    before = snapshot(tracker_home)
    real_link = os.link
    made: list[str] = []

    def link(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if made:
            raise OSError(errno.EROFS, "Read-only file system", str(target))
        made.append(str(target))
        real_link(source, target)

    monkeypatch.setattr(os, "link", link)
    with pytest.raises(ImportApplyError, match="Read-only file system; nothing was imported"):
        apply_import(plan, store, tracker_home)
    assert made
    assert snapshot(tracker_home) == before


def test_a_name_taken_since_the_plan_stops_the_import(tracker_home: Path) -> None:
    start(tracker_home)
    plan, store = make_plan(tracker_home)
    user_shows_dir(tracker_home).mkdir(exist_ok=True)
    (user_shows_dir(tracker_home) / "new-show-3.toml").write_text("mine", encoding="utf-8")
    before = snapshot(tracker_home)
    with pytest.raises(ImportApplyError, match="appeared since the import was planned"):
        apply_import(plan, store, tracker_home)
    assert snapshot(tracker_home) == before


KILLER = """
import os, sys
from pathlib import Path
from tracker_tui.domain.exchange import apply
from tracker_tui.domain.progress import store as store_module
from tests.test_import_apply import make_plan

stage = sys.argv[1]
home = Path(sys.argv[2])

def die(*args, **kwargs):
    os.kill(os.getpid(), 9)

if stage == "journal":
    real = apply._create_show_files
    apply._create_show_files = die
elif stage == "files":
    real_link = os.link
    count = []
    def link(a, b):
        if len(count) == 2:
            die()
        count.append(b)
        real_link(a, b)
    apply.os.link = link
elif stage == "save":  # the merged progress is in its temp file, not yet in place
    store_module.files.held_open = die
elif stage == "end":
    apply.remove_journal = die
plan, store = make_plan(home)
apply.apply_import(plan, store, home)
"""


def run_killed(stage: str, home: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": f"{REPO / 'src'}{os.pathsep}{REPO}",
        "TRACKER_HOME": str(home),
    }
    script = textwrap.dedent(KILLER)
    result = subprocess.run(
        [sys.executable, "-c", script, stage, str(home)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == -9, result.stderr


def without_temp_files(files: dict[str, bytes]) -> dict[str, bytes]:
    """The progress file's temp copy a killed save leaves is swept by the next save."""
    return {name: data for name, data in files.items() if not name.endswith(".tmp")}


def comparable(files: dict[str, bytes]) -> dict[str, bytes]:
    """Two data folders' files, but the catalog cache (keyed by the folder's stamps) and
    the show files' header comment (dated by the clock, fixed only in this process)."""
    return {
        name: b"\n".join(line for line in data.split(b"\n") if not line.startswith(b"#"))
        for name, data in without_temp_files(files).items()
        if not name.startswith("cache/")
    }


@pytest.mark.parametrize(
    ("stage", "kept"),
    [("journal", False), ("files", False), ("save", False), ("end", True)],
)
def test_a_kill_at_each_stage_is_finished_or_undone(
    stage: str, kept: bool, tracker_home: Path, tmp_path: Path
) -> None:
    store = start(tracker_home)
    before = snapshot(tracker_home)
    reference = tmp_path / "reference"
    shutil.copytree(tracker_home, reference)
    run_killed(stage, tracker_home)
    assert import_journal_path(tracker_home).exists()
    message = recover_interrupted_import(store, tracker_home)
    assert not import_journal_path(tracker_home).exists()
    after = without_temp_files(snapshot(tracker_home))
    if kept:
        assert message == "finished the interrupted import"
        plan, reference_store = make_plan(reference)
        apply_import(plan, reference_store, reference)
        assert comparable(after) == comparable(snapshot(reference))
    else:
        assert message == (
            "undid an interrupted import of 3 shows; nothing of it was kept: run it again"
        )
        assert after == before


def test_no_journal_no_recovery(tracker_home: Path) -> None:
    store = start(tracker_home)
    assert recover_interrupted_import(store, tracker_home) is None


shows_and_viewings = st.lists(
    st.tuples(
        st.integers(0, 3),
        st.integers(0, 3),
        st.integers(1, 3),
        st.none() | st.integers(0, 5),
    ),
    max_size=12,
)
show_marks = st.lists(
    st.tuples(
        st.integers(0, 3),
        st.none() | st.integers(1, 2),
        st.integers(0, 10),
        st.sampled_from([*STATUSES, "nonsense"]),
        st.booleans(),
    ),
    max_size=4,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=shows_and_viewings, marks=show_marks)
def test_a_second_import_changes_nothing(
    entries: list[tuple[int, int, int, int | None]],
    marks: list[tuple[int, int | None, int, str, bool]],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    home = tmp_path_factory.mktemp("home")
    batch = ImportBatch("csv")
    for number, (show, season, episode, day) in enumerate(entries):
        key = f"title:Show {show}|?"
        batch.show(key, f"Show {show}")
        at = None if day is None else T0 + dt.timedelta(days=day)
        watch(batch, key, season, episode, at, f"r{number % 9}")
    for marked, rated_season, rating, status, archived in marks:
        key = f"title:Show {marked}|?"
        batch.show(key, f"Show {marked}")
        batch.ratings.append(ImportedRating(key, rated_season, None, rating))
        batch.statuses.append(ImportedStatus(key, status, T0))
        batch.archived.append(ImportedArchive(key, archived))
    store = ProgressStore(default_progress_path(home))

    def run() -> ImportPlan:
        shows = {show.id: show for show in load_catalog(home).shows}
        plan = plan_import(batch, shows, store.load().progress, FIXED_NOW)
        apply_import(plan, store, home)
        return plan

    run()
    first = snapshot(home)
    second = run()
    assert second.counts.viewings_added == 0
    assert (second.counts.ratings, second.counts.statuses, second.counts.archived) == (0, 0, 0)
    assert second.new_shows == []
    assert second.is_empty()
    assert snapshot(home) == first


def leave_journal(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An import that got through but for deleting its journal, as a kill right then leaves it."""
    start(home)
    plan, store = make_plan(home)
    with monkeypatch.context() as patch:
        patch.setattr(apply_module, "remove_journal", lambda journal: None)
        apply_import(plan, store, home)
    assert import_journal_path(home).exists()


def test_the_app_finishes_an_interrupted_import_before_reading_the_catalog(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker_tui.tui import recover_interrupted_import as recover_at_start

    leave_journal(tracker_home, monkeypatch)
    store = ProgressStore(default_progress_path(tracker_home))
    assert recover_at_start(store) == ["finished the interrupted import"]
    assert not import_journal_path(tracker_home).exists()
    assert recover_at_start(store) == []


def test_a_saving_command_finishes_an_interrupted_import(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    leave_journal(tracker_home, monkeypatch)
    result = run_cli("watch", "all of us", "s1e2")
    assert result.code == 0, result.err
    assert "tracker: warning: finished the interrupted import" in result.err
    assert not import_journal_path(tracker_home).exists()
    assert (user_shows_dir(tracker_home) / "new-show-1.toml").exists()


@pytest.mark.parametrize("after_save", [False, True])
def test_ctrl_c_keeps_the_import_only_if_it_was_saved(
    after_save: bool, tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = start(tracker_home)
    before = snapshot(tracker_home)
    plan, store = make_plan(tracker_home)
    real_save = store.save

    def interrupted(progress: Progress) -> Progress:
        if after_save:
            real_save(progress)
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "save", interrupted)
    with pytest.raises(KeyboardInterrupt):
        apply_import(plan, store, tracker_home)
    assert not import_journal_path(tracker_home).exists()
    names = set(snapshot(tracker_home))
    if after_save:
        assert "shows/new-show-1.toml" in names
        assert store.load().progress.is_watched(EpisodeKey("new-show-1", 1, 1))
    else:
        assert snapshot(tracker_home) == before


def test_a_recovery_while_an_import_runs_leaves_the_live_import_alone(
    tracker_home: Path,
) -> None:
    # Another command starting mid-import (it runs the recovery) once took the live
    # journal for a killed import's, and deleted the show files the import went on to
    # report as created.
    start(tracker_home)
    plan, store = make_plan(tracker_home)
    heard: list[str | None] = []

    def another_command_starts(done: int, total: int) -> None:
        if done == 1:
            other = ProgressStore(default_progress_path(tracker_home))
            heard.append(recover_interrupted_import(other, tracker_home))

    result = apply_import(plan, store, tracker_home, on_progress=another_command_starts)
    assert heard == [None]
    assert result.created and all(path.exists() for path in result.created)
    assert store.load().progress.is_watched(EpisodeKey("new-show-1", 1, 1))


def test_a_journal_is_left_while_progress_cannot_be_read(
    tracker_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A progress file unreadable for a moment (an unmounted folder) must not count as
    # "the import never got through": that would delete a finished import's shows.
    start(tracker_home)
    plan, store = make_plan(tracker_home)
    apply_import(plan, store, tracker_home)
    journal = import_journal_path(tracker_home)
    journal.write_bytes(b'{"version": 1, "delta": {"version": 2, "shows": {}}, "files": []}')
    real_load = ProgressStore.load

    def unreadable(self: ProgressStore, *, move_aside: bool = False) -> LoadResult:
        result = real_load(self, move_aside=move_aside)
        return LoadResult(result.progress, notice="cannot read progress.json: I/O error")

    monkeypatch.setattr(ProgressStore, "load", unreadable)
    message = recover_interrupted_import(store, tracker_home)
    assert message is not None and "left as it is" in message
    assert journal.exists()
    assert all((tracker_home / "shows" / show.file_name).exists() for show in plan.new_shows)
