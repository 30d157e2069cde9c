"""What an import would do, worked out before anything is written: which show of the
catalog each show of the export is, which new show files to create, and the progress to
merge (viewings, ratings, statuses, archive flags), with every record left out and why.

The plan is pure: it reads the batch, the catalog and the progress, and `apply.py` writes
it. Everything it makes is derived from the export alone (viewing ids hash the export's
record, unknown times are a fixed epoch), so the same export planned twice gives the same
changes, and applying it a second time changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from tracker_tui.domain.catalog.authoring import (
    KINDS,
    EpisodeDraft,
    SeasonDraft,
    ShowDraft,
    derive_id,
    draft_problems,
)
from tracker_tui.domain.catalog.dates import PartialDate
from tracker_tui.domain.catalog.fields import name_problem
from tracker_tui.domain.catalog.models import MAX_EPISODE_NUMBER, Show
from tracker_tui.domain.exchange.batch import (
    ID_NAMES,
    ImportBatch,
    ImportedShow,
    ImportedViewing,
    Skipped,
    number_problem,
)
from tracker_tui.domain.progress.model import newer_mark
from tracker_tui.domain.progress.records import (
    SKEW_ALLOWED,
    STATUSES,
    EpisodeKey,
    EpisodeState,
    Mark,
    Progress,
    ShowState,
    Viewing,
)

UNKNOWN_TIME = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
"""What an imported viewing or mark with no time is logged or changed at: a fixed time, so
the same export always gives the same records, and older than anything tracker stamps,
so the user's own later changes win every merge."""

_EXTERNAL_ID = re.compile(r"^[^\s]+$")
_MAX_EXTERNAL_ID = 100


def viewing_id(record: str) -> str:
    """An imported viewing's id: 16 hex digits hashed from the export's record identity,
    so a second import of the same history gives the very same viewing."""
    return hashlib.sha256(record.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class NewShow:
    """A show the catalog does not have: a user show file to create."""

    id: str
    batch_key: str
    draft: ShowDraft
    ids: dict[str, str]

    @property
    def file_name(self) -> str:
        return f"{self.id}.toml"


@dataclass(frozen=True)
class Matched:
    batch_key: str
    show_id: str
    how: str
    """"trakt id", "title and year", "title"."""


@dataclass(frozen=True)
class Ambiguous:
    batch_key: str
    title: str
    year: int | None
    candidates: tuple[str, ...]


@dataclass
class ImportCounts:
    viewings_added: int = 0
    viewings_already_there: int = 0
    ratings: int = 0
    statuses: int = 0
    archived: int = 0


@dataclass
class ImportPlan:
    format: str
    new_shows: list[NewShow] = field(default_factory=list)
    matched: list[Matched] = field(default_factory=list)
    ambiguous: list[Ambiguous] = field(default_factory=list)
    delta: Progress = field(default_factory=Progress.empty)
    """Only the imported changes, to merge into the progress file."""
    counts: ImportCounts = field(default_factory=ImportCounts)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        """Nothing to write: no show file to create and no progress to merge."""
        return not self.new_shows and not self.delta.shows

    def summary(self) -> dict[str, Any]:
        """The plan as JSON-able data (`tracker import --json`; `tracker help json`)."""
        how: dict[str, int] = {}
        for match in self.matched:
            how[match.how] = how.get(match.how, 0) + 1
        return {
            "format": self.format,
            "shows_created": [
                {"id": show.id, "title": show.draft.title, "year": show.draft.year}
                for show in self.new_shows
            ],
            "shows_matched": [
                {"key": match.batch_key, "id": match.show_id, "how": match.how}
                for match in self.matched
            ],
            "matched_by": how,
            "ambiguous": [
                {
                    "key": item.batch_key,
                    "title": item.title,
                    "year": item.year,
                    "candidates": list(item.candidates),
                }
                for item in self.ambiguous
            ],
            "viewings_added": self.counts.viewings_added,
            "viewings_already_there": self.counts.viewings_already_there,
            "ratings": self.counts.ratings,
            "statuses": self.counts.statuses,
            "archived": self.counts.archived,
            "skipped": [
                {"file": item.file, "where": item.where, "reason": item.reason}
                for item in self.skipped
            ],
            "notes": list(self.notes),
        }


# --- matching --------------------------------------------------------------------------


def normal_title(title: str) -> str:
    """Titles compare case-insensitively, runs of whitespace as one space."""
    return " ".join(title.casefold().split())


def _year_of(show: Show) -> int | None:
    if show.yours is not None and show.yours.year:
        return show.yours.year
    return show.year


class _CatalogIndex:
    """The catalog by external id and by title (aliases count as titles)."""

    def __init__(self, shows: Mapping[str, Show]) -> None:
        self.by_id: dict[tuple[str, str], set[str]] = {}
        self.by_title: dict[str, dict[str, int | None]] = {}
        for show_id, show in shows.items():
            for name, value in show.ids.items():
                self.by_id.setdefault((name, value), set()).add(show_id)
            for title in (show.title, *show.aliases):
                self.by_title.setdefault(normal_title(title), {})[show_id] = _year_of(show)

    def match(self, show: ImportedShow) -> tuple[str | None, str, tuple[str, ...]]:
        """(show id, how, ()) for one match; (None, "", candidates) when ambiguous;
        (None, "", ()) for none."""
        found: dict[str, str] = {}
        for name, value in show.ids.items():
            for show_id in self.by_id.get((name, value), ()):
                found.setdefault(show_id, f"{name} id")
        if len(found) == 1:
            ((show_id, how),) = found.items()
            return show_id, how, ()
        if found:
            return None, "", tuple(sorted(found))
        titled = self.by_title.get(normal_title(show.title), {})
        if show.year is not None:
            same_year = sorted(i for i, year in titled.items() if year == show.year)
            if len(same_year) == 1:
                return same_year[0], "title and year", ()
            if same_year:
                return None, "", tuple(same_year)
            yearless = sorted(i for i, year in titled.items() if year is None)
            if len(titled) == 1 and yearless:
                return yearless[0], "title", ()
            return None, "", tuple(yearless) if len(yearless) > 1 else ()
        if len(titled) == 1:
            return next(iter(titled)), "title", ()
        return None, "", tuple(sorted(titled))


def _clean_ids(ids: Mapping[str, str]) -> dict[str, str]:
    """The ids a show file can keep: known names, values without spaces, not too long."""
    return {
        name: ids[name]
        for name in ID_NAMES
        if name in ids and _EXTERNAL_ID.match(ids[name]) and len(ids[name]) <= _MAX_EXTERNAL_ID
    }


def _usable_title(title: str | None, checked: dict[str, bool]) -> str | None:
    """The title if a show file can hold it (one line, no control characters); checks are
    remembered, as exports repeat titles ("Episode 1")."""
    title = (title or "").strip()
    if not title:
        return None
    usable = checked.get(title)
    if usable is None:
        usable = checked[title] = not any(c in title for c in "\n\t\r") and (
            name_problem(title) is None
        )
    return title if usable else None


def _usable_date(air_date: str | None) -> str | None:
    if air_date is None:
        return None
    try:
        PartialDate.parse(air_date)
    except ValueError:
        return None
    return air_date


def _draft(show: ImportedShow, seen: Mapping[int, set[int]], checked: dict[str, bool]) -> ShowDraft:
    """The show file for an unmatched show: the seasons and episodes the export saw, with the
    titles and dates a show file can hold (others are left out, not the show)."""
    seasons = []
    numbers = {n for n in show.seasons if number_problem(n) is None} | set(seen)
    for number in sorted(numbers):
        imported = show.seasons.get(number)
        episodes: dict[int, EpisodeDraft] = {}
        if imported is not None:
            for episode in imported.episodes.values():
                if number_problem(number, episode.number) is None:
                    episodes[episode.number] = EpisodeDraft(
                        episode.number,
                        _usable_title(episode.title, checked),
                        _usable_date(episode.air_date),
                    )
        for episode_number in seen.get(number, ()):
            if episode_number not in episodes:
                episodes[episode_number] = EpisodeDraft(episode_number)
        count = imported.episode_count if imported is not None else None
        if count is not None and not max(episodes, default=1) <= count <= MAX_EPISODE_NUMBER:
            count = None
        seasons.append(SeasonDraft(number, count, tuple(episodes[n] for n in sorted(episodes))))
    kind = show.kind if show.kind in KINDS else "series"
    return ShowDraft(" ".join(show.title.split()), kind, show.year, tuple(seasons))


def _show_problem(draft: ShowDraft) -> str | None:
    """What keeps the draft from being a show file. Its episodes were made valid one by one
    in `_draft`, so only the show and its seasons are checked here (quicker by far)."""
    seasons = tuple(SeasonDraft(s.number, s.episode_count) for s in draft.seasons)
    problems = draft_problems(ShowDraft(draft.title, draft.kind, draft.year, seasons))
    return str(problems[0]) if problems else None


def _free_id(title: str, unavailable: set[str]) -> str:
    """`derive_id` against the casefolded `unavailable`, quick for thousands of new shows:
    only the ids that share the title's stem are handed to it."""
    stem = derive_id(title, ())
    if stem not in unavailable:
        return stem
    return derive_id(title, [name for name in unavailable if name.startswith(stem)])


# --- planning ---------------------------------------------------------------------------


@dataclass
class _Planner:
    batch: ImportBatch
    shows: Mapping[str, Show]
    progress: Progress
    now: dt.datetime
    plan: ImportPlan
    target: dict[str, str] = field(default_factory=dict)
    """Batch key -> the show id its records go to (matched or new)."""
    episodes: dict[EpisodeKey, EpisodeState] = field(default_factory=dict)
    marks: dict[str, dict[str, Any]] = field(default_factory=dict)
    records_of: dict[str, int] = field(default_factory=dict)
    """How many records (viewings, ratings, statuses, archive flags) each batch show has."""

    def skip_show(self, show: ImportedShow, reason: str) -> None:
        """One entry for the show, saying how many of the export's records it held."""
        year = show.year if show.year is not None else "?"
        held = self.records_of.get(show.key, 0)
        where = f"show {show.title} ({year}), {held} record{'' if held == 1 else 's'}"
        self.plan.skipped.append(Skipped(self.batch.format, where, reason))

    def match_shows(self, taken_ids: Collection[str]) -> None:
        index = _CatalogIndex(self.shows)
        batch = self.batch
        for records in (batch.viewings, batch.ratings, batch.statuses, batch.archived):
            for record in records:
                self.records_of[record.show] = self.records_of.get(record.show, 0) + 1
        unavailable = {name.casefold() for name in (*self.shows, *taken_ids, *self.progress.shows)}
        checked: dict[str, bool] = {}
        seen: dict[str, dict[int, set[int]]] = {}
        for viewing in self.batch.viewings:
            if number_problem(viewing.season, viewing.episode) is None:
                seen.setdefault(viewing.show, {}).setdefault(viewing.season, set()).add(
                    viewing.episode
                )
        for key, show in self.batch.shows.items():
            show_id, how, candidates = index.match(show)
            if show_id is not None:
                self.plan.matched.append(Matched(key, show_id, how))
                self.target[key] = show_id
                continue
            if candidates:
                self.plan.ambiguous.append(Ambiguous(key, show.title, show.year, candidates))
                self.skip_show(
                    show,
                    f"matches several shows: {', '.join(candidates)}; "
                    "add the show's ids or year to one of them",
                )
                continue
            draft = _draft(show, seen.get(key, {}), checked)
            problem = _show_problem(draft)
            if problem is not None:
                self.skip_show(show, f"cannot be a show file: {problem}")
                continue
            show_id = _free_id(draft.title, unavailable)
            unavailable.add(show_id)
            self.plan.new_shows.append(NewShow(show_id, key, draft, _clean_ids(show.ids)))
            self.target[key] = show_id

    def skip(self, where: str, reason: str) -> None:
        self.plan.skipped.append(Skipped(self.batch.format, where, reason))

    def state(self, key: EpisodeKey) -> EpisodeState:
        found = self.episodes.get(key)
        if found is None:
            found = self.progress.episode_state(key) or EpisodeState()
        return found

    def add_viewings(self) -> None:
        by_episode: dict[EpisodeKey, list[ImportedViewing]] = {}
        records: set[str] = set()
        limit = self.now + SKEW_ALLOWED
        for number, viewing in enumerate(self.batch.viewings, 1):
            show_id = self.target.get(viewing.show)
            if show_id is None:
                continue  # its show was skipped, and said so once
            if viewing.record in records:
                continue  # the same record twice in one export: kept once
            records.add(viewing.record)
            problem = number_problem(viewing.season, viewing.episode)
            if problem is None and viewing.watched_at is not None and viewing.watched_at > limit:
                problem = f"watched_at {viewing.watched_at.isoformat()} is in the future"
            if problem is not None:
                self.skip(f"viewing {number} ({viewing.record})", problem)
                continue
            key = EpisodeKey(show_id, viewing.season, viewing.episode)
            by_episode.setdefault(key, []).append(viewing)
        counts = self.plan.counts
        progress_shows = self.progress.shows
        nothing = EpisodeState()
        for key, viewings in by_episode.items():
            show_state = progress_shows.get(key.show)
            before = (show_state.episodes.get(key) if show_state else None) or nothing
            held = before.viewings
            seconds = {v.watched_at.replace(microsecond=0) for v in held.values() if v.watched_at}
            new: list[Viewing] = []
            unknown: list[Viewing] = []
            for imported in viewings:
                made = Viewing(
                    viewing_id(imported.record),
                    imported.watched_at,
                    imported.watched_at or UNKNOWN_TIME,
                )
                if made.id in held:
                    counts.viewings_already_there += 1
                elif imported.watched_at is None:
                    unknown.append(made)
                elif seconds and imported.watched_at.replace(microsecond=0) in seconds:
                    counts.viewings_already_there += 1
                else:
                    new.append(made)
            if unknown:
                given = sum(1 for v in viewings if v.watched_at is None)
                wanted = max(0, given - len(before.live()))
                new += unknown[:wanted]
                counts.viewings_already_there += len(unknown) - len(unknown[:wanted])
            if before.cleared_at is not None:
                for _hidden in (v for v in new if v.logged_at <= before.cleared_at):
                    self.skip(
                        f"{key.show} {key.code()}",
                        "you unmarked this episode after that viewing: your unmark stays",
                    )
                new = [v for v in new if v.logged_at > before.cleared_at]
            if new:
                counts.viewings_added += len(new)
                state = EpisodeState(viewings={v.id: v for v in new})
                self.episodes[key] = state

    def put_mark(self, show_id: str, place: str, mark: Mark) -> None:
        """Keep the export's newest mark for each place; `build_delta` compares it with
        progress."""
        marks = self.marks.setdefault(show_id, {})
        marks[place] = newer_mark(marks.get(place), mark) or mark

    def add_ratings(self) -> None:
        for number, rating in enumerate(self.batch.ratings, 1):
            show_id = self.target.get(rating.show)
            if show_id is None:
                continue
            where = f"rating {number}"
            value = rating.rating
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10:
                self.skip(where, f"rating {value!r} is not a whole number from 1 to 10")
                continue
            if rating.episode is not None and rating.season is None:
                self.skip(where, "an episode's rating needs its season")
                continue
            if rating.season is not None:
                problem = number_problem(rating.season, rating.episode)
                if problem is not None:
                    self.skip(where, problem)
                    continue
            if rating.episode is not None:
                place = f"episode:{rating.season}:{rating.episode}"
            elif rating.season is not None:
                place = f"season:{rating.season}"
            else:
                place = "rating"
            self.put_mark(show_id, place, Mark(value, rating.rated_at or UNKNOWN_TIME))

    def add_statuses(self) -> None:
        for number, status in enumerate(self.batch.statuses, 1):
            show_id = self.target.get(status.show)
            if show_id is None:
                continue
            if status.status not in STATUSES:
                self.skip(f"status {number}", f"unknown status {status.status!r}")
                continue
            self.put_mark(show_id, "status", Mark(status.status, status.changed_at or UNKNOWN_TIME))
        for archive in self.batch.archived:
            show_id = self.target.get(archive.show)
            if show_id is not None:
                self.put_mark(
                    show_id, "archived", Mark(archive.archived, archive.changed_at or UNKNOWN_TIME)
                )

    def build_delta(self) -> Progress:
        """The imported changes, each mark only where it would change progress."""
        by_show: dict[str, dict[EpisodeKey, EpisodeState]] = {}
        for key, state in self.episodes.items():
            by_show.setdefault(key.show, {})[key] = state
        counts = self.plan.counts
        changed_marks: dict[str, dict[str, Mark]] = {}
        for show_id, marks in self.marks.items():
            show_state = self.progress.show_state(show_id)
            for place, mark in marks.items():
                kind, _, where = place.partition(":")
                if kind == "episode":
                    season, _, episode = where.partition(":")
                    key = EpisodeKey(show_id, int(season), int(episode))
                    held = self.progress.episode_state(key)
                    current = held.rating if held is not None else None
                elif kind == "season":
                    current = show_state.seasons.get(int(where))
                else:
                    current = getattr(show_state, kind)
                if _changes(current, mark):
                    changed_marks.setdefault(show_id, {})[place] = mark
                    if kind == "status":
                        counts.statuses += 1
                    elif kind == "archived":
                        counts.archived += 1
                    else:
                        counts.ratings += 1
                    if kind == "episode":
                        episodes = by_show.setdefault(show_id, {})
                        episodes[key] = episodes.get(key, EpisodeState())._replace(rating=mark)
        states: dict[str, ShowState] = {}
        for show_id in by_show.keys() | changed_marks.keys():
            marks = changed_marks.get(show_id, {})
            seasons = {
                int(place.partition(":")[2]): mark
                for place, mark in marks.items()
                if place.startswith("season:")
            }
            states[show_id] = ShowState(
                by_show.get(show_id, {}),
                status=marks.get("status"),
                archived=marks.get("archived"),
                rating=marks.get("rating"),
                seasons=seasons,
            )
        return Progress.of_shows(states, self.progress.epoch)


def _changes(current: Mark | None, mark: Mark) -> bool:
    """Would merging `mark` change what progress says? Not when the value is the same
    (however stamped), nor when progress holds a newer mark (the user's later change wins)."""
    if current is None:
        return mark.value not in (None, False)
    return current.value != mark.value and newer_mark(current, mark) == mark


def plan_import(
    batch: ImportBatch,
    shows: Mapping[str, Show],
    progress: Progress,
    now: dt.datetime,
    taken_ids: Collection[str] = (),
) -> ImportPlan:
    """Match the batch to the catalog and work out the changes, writing nothing.

    `shows` is the catalog by id; `taken_ids` are ids a new show may not take besides
    the catalog's and progress's (the names of the files already in shows/).
    """
    plan = ImportPlan(batch.format, skipped=list(batch.skipped), notes=list(batch.notes))
    planner = _Planner(batch, shows, progress, now, plan)
    planner.match_shows(taken_ids)
    planner.add_viewings()
    planner.add_ratings()
    planner.add_statuses()
    delta = planner.build_delta()
    delta = _drop_derived_statuses(delta, plan, shows, progress)
    plan.delta = delta
    return plan


def _drop_derived_statuses(
    delta: Progress, plan: ImportPlan, shows: Mapping[str, Show], progress: Progress
) -> Progress:
    """A status equal to what tracker derives after the import is left unset, so the
    list stays automatic."""
    from tracker_tui.domain.watching.episodes import derived_list_status

    wanted = {show_id: state for show_id, state in delta.shows.items() if state.status is not None}
    if not wanted:
        return delta
    after = progress.merge(delta)
    new_shows = {show.id: show for show in plan.new_shows}
    changes: dict[str, ShowState] = {}
    for show_id, state in wanted.items():
        if progress.show_state(show_id).status is not None:
            continue  # a status set by hand stays until the import's replaces it
        show = shows.get(show_id)
        if show is None:
            new = new_shows.get(show_id)
            if new is None:
                continue
            show = _show_of(new)
        assert state.status is not None
        if derived_list_status(show, after) == state.status.value:
            changes[show_id] = state.replace(status=None)
            plan.counts.statuses -= 1
    return delta.with_shows(changes) if changes else delta


def _show_of(new: NewShow) -> Show:
    """The new show as the catalog will load it, as far as the derived status needs."""
    return Show.from_data(
        {
            "id": new.id,
            "title": new.draft.title,
            "kind": new.draft.kind,
            "year": new.draft.year,
            "seasons": [
                {
                    "number": season.number,
                    "episode_count": season.episode_count,
                    "episodes": [{"number": episode.number} for episode in season.episodes],
                }
                for season in new.draft.seasons
            ],
        }
    )
