"""The authoring API: drafts checked field by field, ids, new files, edits, overlays, removal."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker_tui.domain.catalog.authoring import (
    KINDS,
    MAX_EPISODES_PER_SEASON,
    DraftError,
    EpisodeDraft,
    SeasonDraft,
    ShowDraft,
    add_show,
    check_edited_file,
    derive_id,
    draft_of,
    draft_problems,
    is_user_show,
    remove_show,
    restore_show,
    save_edit,
    show_file,
)
from tracker_tui.domain.catalog.loader import load_catalog, read_show_file
from tracker_tui.domain.catalog.models import ReleaseState, Show
from tracker_tui.domain.catalog.sources import SourceRegistry

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def fields_of(draft: ShowDraft) -> list[str]:
    return [problem.field for problem in draft_problems(draft)]


def loaded(home: Path, show_id: str) -> Show:
    catalog = load_catalog(home)
    assert catalog.problems == []
    show = catalog.get(show_id)
    assert show is not None
    return show


def test_a_good_draft_has_no_problems() -> None:
    draft = ShowDraft(
        "The Bear",
        "series",
        2022,
        (SeasonDraft(1, 8, (EpisodeDraft(1, "System", "2022-06-23"),)), SeasonDraft(2)),
    )
    assert draft_problems(draft) == []


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (ShowDraft("   "), "title"),
        (ShowDraft("Bad\x1b[2J"), "title"),
        (ShowDraft("Zero\u200bwidth"), "title"),
        (ShowDraft("Two\nlines"), "title"),
        (ShowDraft("X", kind="film"), "kind"),
        (ShowDraft("X", year=99), "year"),
        (ShowDraft("X", seasons=(SeasonDraft(1, 0),)), "seasons[0].episode_count"),
        (ShowDraft("X", seasons=(SeasonDraft(1, -3),)), "seasons[0].episode_count"),
        (
            ShowDraft("X", seasons=(SeasonDraft(1, MAX_EPISODES_PER_SEASON + 1),)),
            "seasons[0].episode_count",
        ),
        (ShowDraft("X", seasons=(SeasonDraft(0),)), "seasons[0].number"),
        (ShowDraft("X", seasons=(SeasonDraft(1), SeasonDraft(1))), "seasons[1].number"),
        (
            ShowDraft("X", seasons=(SeasonDraft(1, 3, (EpisodeDraft(4),)),)),
            "seasons[0].episodes[0].number",
        ),
        (
            ShowDraft("X", seasons=(SeasonDraft(1, 3, (EpisodeDraft(1), EpisodeDraft(1))),)),
            "seasons[0].episodes[1].number",
        ),
        (
            ShowDraft("X", seasons=(SeasonDraft(1, None, (EpisodeDraft(1, None, "2022-02-30"),)),)),
            "seasons[0].episodes[0].air_date",
        ),
        (
            ShowDraft("X", seasons=(SeasonDraft(1, None, (EpisodeDraft(1, "a\u202eb"),)),)),
            "seasons[0].episodes[0].title",
        ),
    ],
)
def test_bad_drafts_name_the_field(draft: ShowDraft, field: str) -> None:
    problems = draft_problems(draft)
    assert field in [problem.field for problem in problems]
    assert all(problem.message for problem in problems)
    with pytest.raises(DraftError) as raised:
        add_show(draft, [])
    assert raised.value.problems == problems


def test_derive_id_examples() -> None:
    assert derive_id("Kaiju Girl Caramelise!", []) == "kaiju-girl-caramelise"
    assert derive_id("Café Ünïcode", []) == "cafe-unicode"
    assert derive_id("進撃の巨人", []) == "show"
    assert derive_id("The Bear", ["the-bear", "the-bear-2"]) == "the-bear-3"


@given(st.text(max_size=200), st.sets(st.text(alphabet="abc-2", max_size=12), max_size=20))
def test_derive_id_is_always_a_valid_unique_slug(title: str, taken: set[str]) -> None:
    show_id = derive_id(title, taken)
    assert SLUG.fullmatch(show_id)
    assert len(show_id) <= 80
    assert show_id not in taken


def test_add_show_writes_a_commented_file_that_loads(tracker_home: Path) -> None:
    draft = ShowDraft("The Bear", "series", 2022, (SeasonDraft(1, 8), SeasonDraft(2)))
    path = add_show(draft, ["all-of-us-are-dead"])
    assert path == tracker_home / "shows" / "the-bear.toml"
    text = path.read_text()
    assert text.startswith("# Your own show")
    show = loaded(tracker_home, "the-bear")
    assert show.year == 2022
    assert [season.episode_count for season in show.seasons] == [8, None]
    assert show.seasons[1].current_status.state is ReleaseState.UNKNOWN
    assert is_user_show(show)


def test_a_colliding_id_gets_a_new_name_and_never_overwrites(tracker_home: Path) -> None:
    first = add_show(ShowDraft("Same"), [])
    before = first.read_bytes()
    second = add_show(ShowDraft("Same"), [])  # `taken` is stale: the file is there anyway
    assert (first.name, second.name) == ("same.toml", "same-2.toml")
    assert first.read_bytes() == before
    assert add_show(ShowDraft("Kaiju Girl Caramelise"), ["kaiju-girl-caramelise"]).stem == (
        "kaiju-girl-caramelise-2"
    )


def test_two_threads_adding_one_title_get_two_files(tracker_home: Path) -> None:
    paths: list[Path] = []
    start = threading.Barrier(4)

    def add() -> None:
        start.wait()
        paths.append(add_show(ShowDraft("Race"), []))

    threads = [threading.Thread(target=add) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(paths)) == 4
    catalog = load_catalog(tracker_home)
    assert catalog.problems == []
    assert len([show for show in catalog.shows if show.title == "Race"]) == 4


def test_save_edit_keeps_comments_status_and_notes(tracker_home: Path) -> None:
    path = add_show(ShowDraft("Mine", seasons=(SeasonDraft(1, 10), SeasonDraft(2, 8))), [])
    path.write_text(
        path.read_text().replace(
            "number = 2\nepisode_count = 8\n",
            "number = 2  # my comment\nepisode_count = 8\n\n[[seasons.status]]\n"
            'state = "announced"\ndetail = "Said so"\n',
        )
        + "\n# a note at the end\n"
    )
    show = loaded(tracker_home, "mine")
    draft = draft_of(show)
    edited = dataclasses.replace(
        draft,
        title="Mine Too",
        seasons=(
            dataclasses.replace(draft.seasons[0], episodes=(EpisodeDraft(3, "Three", "2024-05"),)),
            dataclasses.replace(draft.seasons[1], episode_count=None),
        ),
    )
    assert save_edit(show, edited) == path
    text = path.read_text()
    assert "# my comment" in text and "# a note at the end" in text
    assert 'detail = "Said so"' in text
    again = loaded(tracker_home, "mine")
    assert again.title == "Mine Too"
    assert again.seasons[1].current_status.state is ReleaseState.ANNOUNCED
    assert again.seasons[1].episode_count is None
    assert draft_of(again) == edited


def test_a_bundled_show_edit_goes_to_its_overlay_and_never_the_cited_data(
    tracker_home: Path,
) -> None:
    kaiju = loaded(tracker_home, "kaiju-girl-caramelise")
    bundled = Path(__file__).resolve().parents[1] / "data" / "shows"
    before = {path.name: path.read_bytes() for path in bundled.glob("*.toml")}
    draft = draft_of(kaiju)
    edited = dataclasses.replace(
        draft,
        year=2026,
        seasons=(SeasonDraft(1, 12, (EpisodeDraft(1, "Kuroe", "2026-01-10"),)),),
    )
    path = save_edit(kaiju, edited)
    assert path == tracker_home / "yours" / "kaiju-girl-caramelise.toml"
    assert {path.name: path.read_bytes() for path in bundled.glob("*.toml")} == before
    show = loaded(tracker_home, "kaiju-girl-caramelise")
    assert show.seasons[0].episode_count is None  # the cited fact is untouched
    assert show.yours is not None and show.yours.year == 2026
    assert show.tracked_count(show.seasons[0]) == 12
    assert draft_of(show) == edited
    assert not is_user_show(show)
    with pytest.raises(DraftError):
        save_edit(show, dataclasses.replace(edited, title="Another title"))
    with pytest.raises(DraftError):
        save_edit(show, dataclasses.replace(edited, seasons=(SeasonDraft(2, 3),)))


def test_show_file_creates_the_overlay_template(tracker_home: Path) -> None:
    kaiju = loaded(tracker_home, "kaiju-girl-caramelise")
    path = show_file(kaiju)
    assert path.read_text().startswith("# Your own facts for Kaiju Girl Caramelise.")
    assert check_edited_file(path) == []
    path.write_text('year = "soon"\n')
    problems = check_edited_file(path)
    assert problems and "year" in problems[0]
    path.write_text("[[seasons]]\nnumber = 4\nepisode_count = 3\n")
    assert "no season 4" in check_edited_file(path)[0]


def test_check_edited_file_reports_invalid_toml(tracker_home: Path) -> None:
    path = add_show(ShowDraft("Mine"), [])
    path.write_text('title = "unterminated\n')
    problems = check_edited_file(path)
    assert len(problems) == 1 and "not valid TOML" in problems[0]
    assert path.read_text() == 'title = "unterminated\n'


def test_remove_and_restore_put_back_the_exact_bytes(tracker_home: Path) -> None:
    path = add_show(ShowDraft("Mine"), [])
    path.write_bytes(path.read_bytes() + b"# kept byte for byte \xc3\xa9\n")
    data = path.read_bytes()
    removed = remove_show(loaded(tracker_home, "mine"))
    assert not path.exists() and removed.data == data
    assert removed.backup is not None and removed.backup.read_bytes() == data
    restore_show(removed)
    assert path.read_bytes() == data
    assert not removed.backup.exists()
    with pytest.raises(ValueError, match="bundled"):
        remove_show(loaded(tracker_home, "kaiju-girl-caramelise"))


def test_restore_never_overwrites_a_file_that_appeared(tracker_home: Path) -> None:
    path = add_show(ShowDraft("Mine"), [])
    removed = remove_show(loaded(tracker_home, "mine"))
    newer = add_show(ShowDraft("Mine"), [])
    assert newer == path
    newer_bytes = newer.read_bytes()
    restore_show(removed)
    assert path.read_bytes() == newer_bytes
    assert (path.parent / "mine-2.toml").read_bytes() == removed.data


# --- the round trip: any valid draft, written, loads as that draft -------------------

_dates = st.one_of(
    st.none(),
    st.integers(1900, 2100).map(str),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)).map(
        lambda day: day.isoformat()
    ),
    st.tuples(st.integers(1900, 2100), st.integers(1, 12)).map(lambda ym: f"{ym[0]}-{ym[1]:02d}"),
)
_titles = st.text(min_size=1, max_size=30).filter(
    lambda title: not draft_problems(ShowDraft(title))
)


@st.composite
def _seasons(draw: st.DrawFn) -> tuple[SeasonDraft, ...]:
    numbers = draw(st.lists(st.integers(1, 30), unique=True, max_size=4))
    seasons = []
    for number in numbers:
        count = draw(st.one_of(st.none(), st.integers(1, 40)))
        episode_numbers = draw(st.lists(st.integers(1, count or 60), unique=True, max_size=4))
        episodes = tuple(
            EpisodeDraft(n, draw(st.one_of(st.none(), _titles)), draw(_dates))
            for n in episode_numbers
        )
        seasons.append(SeasonDraft(number, count, episodes))
    return tuple(seasons)


_drafts = st.builds(
    ShowDraft,
    title=_titles,
    kind=st.sampled_from(KINDS),
    year=st.one_of(st.none(), st.integers(1000, 2200)),
    seasons=_seasons(),
)


def _normal(draft: ShowDraft) -> ShowDraft:
    """What a saved draft reads back as: titles trimmed, seasons and episodes in order."""
    return dataclasses.replace(
        draft,
        title=draft.title.strip(),
        seasons=tuple(
            dataclasses.replace(
                season,
                episodes=tuple(
                    EpisodeDraft(e.number, (e.title or "").strip() or None, e.air_date)
                    for e in sorted(season.episodes, key=lambda e: e.number)
                ),
            )
            for season in sorted(draft.seasons, key=lambda season: season.number)
        ),
    )


@settings(max_examples=60, deadline=None)
@given(_drafts)
def test_a_draft_written_loads_back_as_the_same_draft(draft: ShowDraft) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = add_show(draft, [], Path(folder))
        show, problems = read_show_file(path, SourceRegistry([]))
        assert problems == []
        assert show is not None
        assert draft_of(show) == _normal(draft)


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        ("[yours]\nyear = 2020\n", "is not a show file field"),
        (
            '[[seasons]]\nnumber = 1\n[[seasons.status]]\nstate = "unknown"\ndetail = "x"\n',
            "'unknown' is not a state a source reports",
        ),
        ('[[seasons]]\nnumber = 1\nepisodes = [{ number = 1, air_date = "2024-13" }]\n', "month"),
        ("year = 99\n", "at least 1,000"),
    ],
)
def test_show_files_refuse_what_only_the_loader_may_say(
    tracker_home: Path, extra: str, said: str
) -> None:
    path = tracker_home / "shows" / "x.toml"
    path.parent.mkdir()
    path.write_text(f'id = "x"\ntitle = "X"\nkind = "series"\n{extra}')
    problems = check_edited_file(path)
    assert len(problems) == 1 and said in problems[0]
