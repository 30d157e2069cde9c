"""`tracker stats` and `watching/stats.py`: totals, the year by day, streaks, stalled shows."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker_tui.domain.catalog.loader import load_catalog
from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.progress.records import (
    EpisodeKey,
    EpisodeState,
    Progress,
    Viewing,
    mark_unwatched,
    mark_watched,
    remove_viewing,
    set_archived,
    set_rating,
    set_status,
)
from tracker_tui.domain.progress.store import ProgressStore, default_progress_path
from tracker_tui.domain.watching.stats import Completion, Stats, Streak, compute_stats

from .conftest import FIXED_NOW, REPO, RunCli

AOUD = "all-of-us-are-dead"  # a bundled series: season 1 has 12 episodes
OWN = "my-show"  # a show only progress knows
UTC = dt.UTC
Zone = Callable[[str], None]


@pytest.fixture(autouse=True)
def zone(local_zone: Zone) -> Zone:
    """Every test runs in a known local zone (UTC unless it sets another), restored after."""
    local_zone("UTC")
    return local_zone


def at(year: int, month: int, day: int, hour: int = 20) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=UTC)


def ep(episode: int, show: str = OWN, season: int = 1) -> EpisodeKey:
    return EpisodeKey(show, season, episode)


def watched(progress: Progress, key: EpisodeKey, when: dt.datetime) -> Progress:
    return mark_watched(progress, [key], FIXED_NOW, watched_at=when)


def with_unknown_time(progress: Progress, key: EpisodeKey, viewing_id: str) -> Progress:
    """A viewing whose time is not known, as an import leaves it."""
    state = progress.episode_state(key) or EpisodeState()
    viewing = Viewing(viewing_id, None, at(2025, 1, 1))
    return progress.with_episodes(
        {key: state._replace(viewings={**state.viewings, viewing_id: viewing})}
    )


def shows() -> list[Show]:
    return load_catalog().shows


def stats_of(progress: Progress, **options: object) -> Stats:
    return compute_stats(shows(), progress, FIXED_NOW, **options)  # type: ignore[arg-type]


def test_totals_count_rewatches_unknown_times_statuses_and_kinds() -> None:
    progress = Progress.empty()
    for n in range(1, 4):
        progress = watched(progress, ep(n, AOUD), at(2026, 11, n))
    progress = watched(progress, ep(1, AOUD), at(2026, 11, 10))  # a rewatch
    progress = watched(progress, ep(1), at(2025, 6, 1))
    progress = with_unknown_time(progress, ep(2), "a" * 16)
    progress = set_status(progress, OWN, "on-hold", FIXED_NOW)
    stats = stats_of(progress)
    assert (stats.viewings, stats.episodes, stats.rewatches) == (6, 5, 1)
    assert (stats.unknown_time, stats.other_years, stats.year.total) == (1, 1, 4)
    assert stats.unknown_time_note() == "1 viewing with no known time is not on the heatmap"
    assert stats.per_status["watching"] == 1  # All of Us Are Dead, derived
    assert stats.per_status["on-hold"] == 1  # my-show, set by hand
    assert stats.per_status["plan-to-watch"] == 1  # the kaiju show: nothing watched
    assert stats.viewings_per_status == {
        "watching": 4,
        "completed": 0,
        "on-hold": 2,
        "dropped": 0,
        "plan-to-watch": 0,
        "archived": 0,
    }
    assert stats.per_kind == {"series": 4, "unknown": 2}
    assert [(c.show, c.viewings, c.episodes) for c in stats.per_show] == [(AOUD, 4, 3), (OWN, 2, 2)]


def test_an_unwatch_takes_viewings_out_of_every_count() -> None:
    progress = watched(Progress.empty(), ep(1), at(2026, 11, 1))
    progress = mark_unwatched(progress, [ep(1)], FIXED_NOW)
    stats = stats_of(progress)
    assert (stats.viewings, stats.has_viewings, stats.per_show) == (0, False, ())


def test_a_removed_viewing_is_not_counted_and_the_others_stay() -> None:
    progress = watched(Progress.empty(), ep(1), at(2026, 11, 1))
    progress = watched(progress, ep(1), at(2026, 11, 2))
    first = progress.viewings(ep(1))[0]
    stats = stats_of(remove_viewing(progress, ep(1), first.id, FIXED_NOW))
    assert (stats.viewings, stats.episodes, stats.rewatches) == (1, 1, 0)
    assert stats.longest_streak == Streak(1, d(11, 2), d(11, 2))


def test_days_weeks_and_months_are_local(zone: Zone) -> None:
    zone("America/New_York")
    # 03:00 UTC on March 1st is still February 28th in New York.
    progress = watched(Progress.empty(), ep(1), at(2026, 3, 1, hour=3))
    progress = watched(progress, ep(2), at(2026, 1, 1, hour=12))
    progress = watched(progress, ep(3), at(2026, 1, 1, hour=2))  # Dec 31st 2025 there
    year = stats_of(progress).year
    assert (year.year, year.first_day, len(year.days)) == (2026, dt.date(2026, 1, 1), 365)
    assert year.days[dt.date(2026, 2, 28).timetuple().tm_yday - 1] == 1
    assert year.days[0] == 1
    assert year.months[:3] == (1, 1, 0)
    # January 1st 2026 is a Thursday: week 0 runs Mon Dec 29th to Sun Jan 4th.
    assert len(year.weeks) == 53
    assert year.week_of(dt.date(2026, 1, 4)) == 0
    assert year.week_of(dt.date(2026, 2, 28)) == 8
    assert year.weeks[0] == 1 and year.weeks[8] == 1
    assert stats_of(progress).other_years == 1


def test_a_leap_year_has_366_days_and_54_weeks_when_it_starts_on_a_sunday() -> None:
    progress = watched(Progress.empty(), ep(1), at(2012, 12, 31))
    year = stats_of(progress, year=2012).year
    assert (len(year.days), year.days[-1], len(year.weeks), year.weeks[-1]) == (366, 1, 54, 1)


def test_a_year_with_no_data_is_zeros() -> None:
    progress = watched(Progress.empty(), ep(1), at(2026, 11, 1))
    stats = stats_of(progress, year=2024)
    assert stats.has_viewings and not stats.year_has_data
    assert stats.year.total == 0 and set(stats.year.weeks) == {0} and set(stats.year.months) == {0}
    assert stats.other_years == 1


def test_nothing_watched_at_all() -> None:
    stats = stats_of(Progress.empty())
    assert not stats.has_viewings
    assert (stats.current_streak, stats.longest_streak) == (Streak(0), Streak(0))
    assert stats.unknown_time_note() is None
    assert json.dumps(stats.to_json())


def streaks(*days: dt.datetime) -> tuple[Streak, Streak]:
    progress = Progress.empty()
    for n, day in enumerate(days, start=1):
        progress = watched(progress, ep(n), day)
    stats = stats_of(progress)
    return stats.current_streak, stats.longest_streak


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


def test_a_streak_ending_today_or_yesterday_is_current() -> None:
    # FIXED_NOW is 2026-11-21 12:00 UTC.
    assert streaks(at(2026, 11, 19), at(2026, 11, 20), at(2026, 11, 21, 8))[0] == Streak(
        3, d(11, 19), d(11, 21)
    )
    assert streaks(at(2026, 11, 19), at(2026, 11, 20))[0] == Streak(2, d(11, 19), d(11, 20))
    assert streaks(at(2026, 11, 18), at(2026, 11, 19))[0] == Streak(0)


def test_a_gap_ends_a_streak_and_the_longest_is_kept() -> None:
    current, longest = streaks(
        at(2026, 3, 1), at(2026, 3, 2), at(2026, 3, 3), at(2026, 3, 5), at(2026, 11, 21, 1)
    )
    assert current == Streak(1, d(11, 21), d(11, 21))
    assert longest == Streak(3, d(3, 1), d(3, 3))


def test_a_streak_runs_across_new_year() -> None:
    _, longest = streaks(at(2025, 12, 30), at(2025, 12, 31), at(2026, 1, 1), at(2026, 1, 2))
    assert longest == Streak(4, d(12, 30, 2025), d(1, 2))


def test_streak_days_are_local_days(zone: Zone) -> None:
    # In UTC these are two days (20th and 21st); in Tokyo (UTC+9) one: the 21st.
    days = (at(2026, 11, 20, hour=16), at(2026, 11, 21, hour=1))
    assert streaks(*days)[0] == Streak(2, d(11, 20), d(11, 21))
    zone("Asia/Tokyo")
    assert streaks(*days)[0] == Streak(1, d(11, 21), d(11, 21))


def test_a_daylight_saving_day_still_gives_each_viewing_its_local_day(zone: Zone) -> None:
    zone("Europe/Berlin")  # clocks went back at 01:00 UTC on 2026-10-25
    progress = watched(
        Progress.empty(),
        ep(1),
        at(
            2026,
            10,
            25,
            hour=22,
        ),
    )  # 23:00 local
    progress = watched(progress, ep(2), at(2026, 10, 25, hour=23))  # midnight: the 26th
    progress = watched(progress, ep(3), at(2026, 3, 29, hour=22))  # summer time: the 30th
    days = stats_of(progress).year.days
    assert days[d(10, 25).timetuple().tm_yday - 1] == 1
    assert days[d(10, 26).timetuple().tm_yday - 1] == 1
    assert days[d(3, 30).timetuple().tm_yday - 1] == 1


def test_stalled_shows_are_watching_ones_left_for_more_than_n_weeks() -> None:
    progress = watched(Progress.empty(), ep(1), at(2026, 10, 1))  # 7 weeks before now
    progress = watched(progress, ep(1, "on-hold-show"), at(2026, 1, 1))
    progress = set_status(progress, "on-hold-show", "on-hold", FIXED_NOW)
    progress = watched(progress, ep(1, "archived-show"), at(2026, 1, 1))
    progress = set_archived(progress, "archived-show", True, FIXED_NOW)
    progress = watched(progress, ep(1, "recent-show"), at(2026, 11, 1))
    progress = watched(progress, ep(1, AOUD), at(2025, 11, 1))  # derived: watching
    stalled = stats_of(progress).stalled
    assert [(s.show, s.weeks, s.last_viewing) for s in stalled] == [
        (AOUD, 54, at(2025, 11, 1)),
        (OWN, 7, at(2026, 10, 1)),
    ]
    assert [s.show for s in stats_of(progress, stalled_weeks=8).stalled] == [AOUD]
    assert stats_of(progress).per_status["on-hold"] == 1
    assert stats_of(progress).viewings_per_status["archived"] == 1


def test_a_show_with_only_unknown_times_is_stalled_from_when_it_was_logged() -> None:
    progress = with_unknown_time(Progress.empty(), ep(1), "b" * 16)  # logged 2025-01-01
    (item,) = stats_of(progress).stalled
    assert item.last_viewing == at(2025, 1, 1) and item.show == OWN


def test_ratings_are_counted_apart_and_together() -> None:
    progress = set_rating(Progress.empty(), AOUD, 8, FIXED_NOW)
    progress = set_rating(progress, AOUD, 8, FIXED_NOW, season=1)
    progress = set_rating(progress, AOUD, 10, FIXED_NOW, season=1, episode=2)
    progress = set_rating(progress, OWN, 3, FIXED_NOW, season=1, episode=1)
    progress = set_rating(progress, OWN, 1, FIXED_NOW)
    progress = set_rating(progress, OWN, None, FIXED_NOW)  # cleared: not counted
    ratings = stats_of(progress).ratings
    assert ratings.shows == (0, 0, 0, 0, 0, 0, 0, 1, 0, 0)
    assert ratings.seasons == (0, 0, 0, 0, 0, 0, 0, 1, 0, 0)
    assert ratings.episodes == (0, 0, 1, 0, 0, 0, 0, 0, 0, 1)
    assert ratings.together == (0, 0, 1, 0, 0, 0, 0, 2, 0, 1)


def test_completion_of_started_shows() -> None:
    progress = Progress.empty()
    for n in range(1, 7):
        progress = watched(progress, ep(n, AOUD), at(2026, 11, 1))
    progress = watched(progress, ep(1), at(2026, 11, 1))
    by_show = {item.show: item for item in stats_of(progress).completion}
    assert set(by_show) == {AOUD, OWN}  # the kaiju show is not started
    assert (by_show[AOUD].watched, by_show[AOUD].known, by_show[AOUD].percent) == (6, 12, 50)
    assert not by_show[AOUD].complete_count  # season 2's episode count is not known
    assert (by_show[OWN].known, by_show[OWN].percent) == (None, None)


def test_a_show_is_watched_through_only_when_every_episode_count_is_known() -> None:
    """All of a season of unknown count watched is not the show finished: imports leave
    counts unknown, so "watched through" would be a guess."""
    progress = Progress.empty()
    for n in range(1, 13):
        progress = watched(progress, ep(n, AOUD), at(2026, 11, 1))
    season_one_only = {item.show: item for item in stats_of(progress).completion}[AOUD]
    assert (season_one_only.watched, season_one_only.known) == (12, 12)
    assert not season_one_only.complete_count
    assert not season_one_only.finished


def test_stats_text_does_not_call_a_show_of_unknown_count_watched_through(
    run_cli: RunCli,
) -> None:
    progress = Progress.empty()
    for n in range(1, 13):
        progress = watched(progress, ep(n, AOUD), at(2026, 11, 1))
    save(progress)
    out = run_cli("stats").out
    assert "Completion: 1 show started, 0 watched through" in out
    assert "12/12 100%  All of Us Are Dead (some episode counts unknown)" in out


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.datetimes(
                dt.datetime(1990, 1, 1), dt.datetime(2026, 11, 21), timezones=st.just(UTC)
            ),
        ),
        max_size=30,
    ),
    st.integers(1990, 2026),
)
def test_the_year_plus_unknown_plus_other_years_is_every_viewing(
    times: list[dt.datetime | None], year: int
) -> None:
    progress = Progress.empty()
    for n, when in enumerate(times):
        key = ep(n % 7 + 1, f"show-{n % 3}")
        if when is None:
            progress = with_unknown_time(progress, key, f"{n:016x}")
        else:
            progress = watched(progress, key, when)
    stats = compute_stats([], progress, FIXED_NOW, year)
    assert stats.year.total + stats.unknown_time + stats.other_years == stats.viewings == len(times)
    assert sum(stats.year.weeks) == sum(stats.year.months) == stats.year.total
    assert stats.longest_streak.days >= stats.current_streak.days


# The command.


def test_counting_again_after_a_change_follows_it() -> None:
    """Each show's counts are kept while its state is the same object: a change to one
    show is counted, the others' counts are reused as they were."""
    progress = Progress.empty()
    for n in range(1, 4):
        progress = watched(progress, ep(n, AOUD), at(2026, 11, 1))
    progress = watched(progress, ep(1), at(2026, 11, 2))
    first = stats_of(progress)
    changed = watched(progress, ep(4, AOUD), at(2026, 11, 3))
    changed = set_rating(changed, OWN, 9, FIXED_NOW)
    second = stats_of(changed)
    assert (first.viewings, second.viewings) == (4, 5)
    assert {item.show: item.watched for item in second.completion} == {AOUD: 4, OWN: 1}
    assert second.ratings.shows[8] == 1 and first.ratings.shows[8] == 0
    assert second.year.days[(dt.date(2026, 11, 3) - second.year.first_day).days] == 1
    assert stats_of(progress) == first  # the earlier progress still counts as before


def save(progress: Progress) -> None:
    ProgressStore(default_progress_path()).save(progress)


def test_stats_with_nothing_watched_says_what_to_do(run_cli: RunCli) -> None:
    result = run_cli("stats")
    assert result.code == 0
    assert result.out.strip() == "No viewings yet: mark an episode with `tracker watch SHOW s1e1`."


def test_stats_text_has_every_section(run_cli: RunCli) -> None:
    progress = Progress.empty()
    for n in range(1, 7):
        progress = watched(progress, ep(n, AOUD), at(2026, 11, 14 + n))
    progress = watched(progress, ep(1, AOUD), at(2026, 3, 1))
    progress = watched(progress, ep(1), at(2026, 8, 1))
    progress = with_unknown_time(progress, ep(2), "c" * 16)
    progress = set_rating(progress, AOUD, 9, FIXED_NOW)
    save(progress)
    result = run_cli("stats")
    assert result.code == 0, result.err
    out = result.out
    for text in (
        "Totals (all time)",
        "viewings   9 (1 rewatch)",
        "by status  watching 2, plan to watch 1 (shows)",
        "2026: 8 viewings on 8 days (local time)",
        "  months    ▂    ▂  █   most in Nov: 6",
        "          JFMAMJJASOND",
        "(1 viewing with no known time is not on the heatmap)",
        "current  6 days  2026-11-15 to 2026-11-20",
        "  7         6         All of Us Are Dead",
        "  shows     0  0  0  0  0  0  0  0  1  0",
        "Completion: 2 shows started, 0 watched through",
        "  6/12 50%  All of Us Are Dead (some episode counts unknown)",
        "  2/?       my-show (not in the catalog)",
        "Stalled (watching, nothing watched for more than 4 weeks)",
        "  2026-08-01  15 weeks  my-show",
    ):
        assert text in out, text
    assert all(line == line.rstrip() for line in out.splitlines())


def test_stats_json(run_cli: RunCli) -> None:
    save(watched(Progress.empty(), ep(1, AOUD), at(2025, 11, 20)))
    result = run_cli("stats", "--json", "--year", "2025", "--stalled-weeks", "1")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["totals"]["viewings"] == 1
    assert data["year"]["year"] == 2025 and data["year"]["first_day"] == "2025-01-01"
    assert data["year"]["days"][dt.date(2025, 11, 20).timetuple().tm_yday - 1] == 1
    assert data["streaks"]["longest"] == {"days": 1, "first": "2025-11-20", "last": "2025-11-20"}
    assert data["streaks"]["current"] == {"days": 0, "first": None, "last": None}
    assert data["stalled"] == [
        {
            "show": AOUD,
            "title": "All of Us Are Dead",
            "last_viewing": "2025-11-20T20:00:00.000000Z",
            "weeks": 52,
        }
    ]
    assert data["stalled_weeks"] == 1


def _keys_of(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for item in value.values() for k in _keys_of(item)}
    if isinstance(value, list):
        return {k for item in value for k in _keys_of(item)}
    return set()


def test_help_json_and_the_readme_name_every_stats_field(run_cli: RunCli) -> None:
    progress = watched(Progress.empty(), ep(1, AOUD), at(2026, 1, 1))
    save(set_rating(progress, AOUD, 9, FIXED_NOW))
    data = json.loads(run_cli("stats", "--json").out)
    for counts in ("per_status", "viewings_per_status", "per_kind"):  # keyed by values
        data["totals"][counts] = {}
    printed = _keys_of(data)
    fields = run_cli("help", "json").out
    assert "tracker stats [--year YYYY] --json" in fields
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### `tracker stats") :]
    section = section[: section.index("\n###")]
    assert {key for key in printed if key not in fields} == set()
    assert {key for key in printed if f'"{key}"' not in section} == set()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2027"], "--year 2027 is in the future: give a year from 1000 to 2026"),
        (["--year", "999"], "--year 999 is before 1000"),
        (["--year", "２０２６"], "is not a year"),
        (["--stalled-weeks", "0"], "is not a number of weeks"),
        (["--stalled-weeks", "521"], "is not a number of weeks"),
    ],
)
def test_bad_arguments_are_usage_errors(run_cli: RunCli, args: list[str], message: str) -> None:
    result = run_cli("stats", *args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_imported_viewings_of_unknown_time_never_make_a_show_stalled(run_cli: RunCli) -> None:
    # MAL imports log what they cannot date at the Unix epoch: review found every such
    # show listed as stalled for 2,969 weeks.
    mal = REPO / "tests" / "fixtures" / "exchange" / "mal" / "animelist.xml"
    assert run_cli("import", str(mal), "--from", "mal").code == 0
    stats = json.loads(run_cli("stats", "--json").out)
    assert stats["totals"]["unknown_time"] > 0
    assert stats["stalled"] == []


def test_stats_text_of_a_started_show_with_no_episode_known(run_cli: RunCli) -> None:
    """Kaiju Girl Caramelise has one scheduled season of unknown count: a viewing of S2E1
    (an import, or a season taken out of the file) starts it with no episode known, so
    there is no percentage to print."""
    kaiju = "kaiju-girl-caramelise"
    save(watched(Progress.empty(), ep(1, kaiju, season=2), at(2026, 11, 1)))
    out = run_cli("stats").out
    assert "0/0  Kaiju Girl Caramelise (some episode counts unknown)" in out
    assert "None" not in out


def test_a_show_with_no_episode_known_is_not_watched_through() -> None:
    """A show of no seasons (one of the user's, added without counts) whose viewings the
    catalog has no place for: every count it has is known, but it knows no episode, so
    "watched through" would be a guess too."""
    assert not Completion("empty-show", "Empty Show", 0, 0, True).finished
    assert Completion("short", "Short", 1, 1, True).finished
