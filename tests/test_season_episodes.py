"""Which episodes of a season are offered, counted and upcoming: one rule for every caller."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tracker_tui.domain.catalog.models import Show, SpoilerScope
from tracker_tui.domain.catalog.schema import check_show
from tracker_tui.domain.catalog.sources import SourceRegistry
from tracker_tui.domain.progress.records import EpisodeKey, Progress, mark_unwatched, mark_watched
from tracker_tui.domain.watching.episodes import (
    SeasonEpisodes,
    next_unwatched,
    season_episodes,
    show_progress,
)
from tracker_tui.domain.watching.session import episodes_in_order
from tracker_tui.tui.widgets.show_pane import Citations, SpoilerGate, season_rows

from .conftest import FIXED_NOW

TODAY = FIXED_NOW.date()
EARLIER = FIXED_NOW - dt.timedelta(hours=1)
NO_SOURCES = SourceRegistry([])


def _never(scope: SpoilerScope) -> bool:
    return False


nothing_reached = SpoilerGate(_never)


def report(state: str, **when: str) -> dict[str, Any]:
    return {"state": state, "detail": state.replace("_", " "), **when}


def one_season_show(**season: Any) -> Show:
    """A show `s` whose only season is number 1, with what the test gives it."""
    data = {"number": 1, "status": [report("released", on="2020")], **season}
    return Show.from_data(
        check_show({"id": "s", "title": "S", "kind": "series", "seasons": [data]})
    )


def episodes_of(show: Show, progress: Progress | None = None) -> SeasonEpisodes:
    season = show.season(1)
    assert season is not None
    return season_episodes(show, season, progress or Progress.empty())


def watched(*numbers: int) -> Progress:
    return mark_watched(Progress.empty(), [EpisodeKey("s", 1, n) for n in numbers], EARLIER)


def listing(*numbers: int) -> list[dict[str, int]]:
    return [{"number": n} for n in numbers]


def test_a_known_count_offers_and_counts_every_episode_and_nothing_upcoming() -> None:
    episodes = episodes_of(one_season_show(episode_count=4, episodes=listing(2)))
    assert episodes.offered == episodes.counted == (1, 2, 3, 4)
    assert episodes.upcoming is None
    assert episodes.in_watching_order == (1, 2, 3, 4)


def test_a_known_count_counts_before_release_but_is_not_open() -> None:
    show = one_season_show(episode_count=3, status=[report("scheduled", expected="2030")])
    episodes = episodes_of(show)
    assert not episodes.open_for_tracking
    assert episodes.counted == episodes.in_watching_order == (1, 2, 3)


def test_an_unknown_count_counts_listed_and_watched_and_offers_the_next_one() -> None:
    episodes = episodes_of(one_season_show(episodes=listing(1, 2)), watched(4))
    assert episodes.open_for_tracking
    assert episodes.counted == (1, 2, 4)
    assert episodes.upcoming == 5
    assert episodes.offered == episodes.in_watching_order == (1, 2, 4, 5)


def test_an_unreleased_season_without_a_count_offers_its_next_episode_but_counts_none() -> None:
    show = one_season_show(episodes=listing(1, 2), status=[report("announced")])
    episodes = episodes_of(show)
    assert not episodes.open_for_tracking
    assert episodes.offered == (1, 2, 3)
    assert episodes.upcoming == 3
    assert episodes.counted == episodes.in_watching_order == ()


def test_watching_an_episode_opens_an_unreleased_season() -> None:
    show = one_season_show(status=[report("announced")])
    assert episodes_of(show).offered == (1,)
    episodes = episodes_of(show, watched(1))
    assert episodes.open_for_tracking
    assert episodes.counted == (1,)
    assert episodes.upcoming == 2


def test_an_unwatched_record_is_listed_but_not_known() -> None:
    progress = mark_unwatched(watched(3), [EpisodeKey("s", 1, 3)], FIXED_NOW)
    episodes = episodes_of(one_season_show(episodes=listing(1)), progress)
    assert episodes.counted == (1,)
    assert episodes.listed == (1, 3)


def test_listed_stops_at_a_known_count() -> None:
    episodes = episodes_of(one_season_show(episode_count=2, episodes=listing(1)), watched(2, 7))
    assert episodes.listed == (1, 2)


@pytest.mark.parametrize(
    ("season", "progress"),
    [
        ({"episode_count": 4}, watched(1, 2)),
        ({"episodes": listing(1, 2)}, watched(2)),
        ({"episodes": listing(1, 2), "status": [report("announced")]}, Progress.empty()),
        ({"episode_count": 2, "status": [report("scheduled", expected="2030")]}, watched()),
    ],
)
def test_the_panes_and_the_session_agree_with_season_episodes(
    season: dict[str, Any], progress: Progress
) -> None:
    show = one_season_show(**season)
    episodes = episodes_of(show, progress)
    summary = show_progress(show, progress)
    assert summary.known == len(episodes.counted)
    assert summary.watched == sum(
        progress.is_watched(EpisodeKey("s", 1, n)) for n in episodes.counted
    )
    assert [key.episode for key in episodes_in_order(show, progress)] == list(
        episodes.in_watching_order
    )
    rows = season_rows(
        show, progress, NO_SOURCES, TODAY, Citations(NO_SOURCES), nothing_reached, width=80
    )
    assert [row.id for row in rows if row.id and row.id.startswith("ep-")] == [
        f"ep-1-{n}" for n in episodes.offered
    ]
    if episodes.open_for_tracking:
        first_unwatched = next(
            (
                n
                for n in episodes.in_watching_order
                if not progress.is_watched(EpisodeKey("s", 1, n))
            ),
            None,
        )
        key = next_unwatched(show, progress)
        assert (key.episode if key else None) == first_unwatched


def test_the_season_header_counts_no_episode_of_a_season_not_open() -> None:
    """The pane's bar once counted all but the last listed episode of an unreleased season
    with no count, where the shows pane and `tracker shows` count none."""
    unreleased = {"status": [report("announced")]}
    listed = one_season_show(episodes=listing(1, 2), **unreleased)
    unlisted = one_season_show(**unreleased)

    def header(show: Show) -> tuple[str, list[Any]]:
        rows = season_rows(
            show,
            Progress.empty(),
            NO_SOURCES,
            TODAY,
            Citations(NO_SOURCES),
            nothing_reached,
            width=80,
        )
        prompt = next(row.prompt for row in rows if row.id == "season-1")
        assert not isinstance(prompt, str)
        return str(prompt), list(getattr(prompt, "spans", []))

    assert header(listed) == header(unlisted)
