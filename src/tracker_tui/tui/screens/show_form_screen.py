"""The add and edit forms of a show: title, kind, year, season rows and an episodes area,
checked by the domain's `draft_problems` as the user types, each problem under its field.

Episode titles and air dates are one TextArea of lines like `s1e3 | Title | 2026-05-01`:
typing them is one flow (no focus hopping between per-episode inputs, and a list can be
pasted), the episode is named the way `tracker watch` names it, and a problem points at
its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from tracker_tui.domain.catalog.authoring import (
    KINDS,
    DraftProblem,
    EpisodeDraft,
    SeasonDraft,
    ShowDraft,
    draft_problems,
)
from tracker_tui.tui.keys import key_hint
from tracker_tui.tui.screens.confirm_screen import ConfirmScreen

DIGITS = r"[0-9]*"
"""What a number field takes: ASCII digits only (`\\d` would let `٣` in)."""
EPISODE_LINE = re.compile(r"[sS]([0-9]{1,6})[eE]([0-9]{1,6})")
SEASON_FIELD = re.compile(r"seasons\[([0-9]+)\](?:\.episodes\[([0-9]+)\])?")
EPISODES_HELP = "Episode titles and air dates, one a line: s1e3 | Title | 2026-05-01"


@dataclass(frozen=True)
class OpenInEditor:
    """What the edit form returns when the user asks to edit the show's file instead."""


FormResult = ShowDraft | OpenInEditor | None
"""A draft to save, the editor, or None when the user cancelled."""


def episode_lines(seasons: tuple[SeasonDraft, ...]) -> str:
    """The episodes area's text for the episodes a draft names."""
    lines = []
    for season in seasons:
        for episode in season.episodes:
            parts = [f"s{season.number}e{episode.number}", episode.title or ""]
            if episode.air_date:
                parts.append(episode.air_date)
            lines.append(" | ".join(parts).rstrip(" |"))
    return "\n".join(lines)


@dataclass(frozen=True)
class EpisodeLine:
    """One line of the episodes area, read."""

    line: int
    """1-based, as the problems name it."""
    season: int
    episode: EpisodeDraft


def read_episode_lines(text: str) -> tuple[list[EpisodeLine], list[str]]:
    """The episodes the area names, and a message for each line that names none."""
    episodes: list[EpisodeLine] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [part.strip() for part in raw.split("|")]
        spec = EPISODE_LINE.fullmatch(parts[0])
        if spec is None or len(parts) > 3:
            problems.append(
                f"line {number}: write the episode, then an optional title and air date, "
                "split by |: s1e3 | Title | 2026-05-01"
            )
            continue
        title = parts[1] if len(parts) > 1 and parts[1] else None
        air_date = parts[2] if len(parts) > 2 and parts[2] else None
        episode = EpisodeDraft(int(spec[2]), title, air_date)
        episodes.append(EpisodeLine(number, int(spec[1]), episode))
    return episodes, problems


class SeasonRow(Vertical):
    """One season: its number, its episode count (empty: unknown), a remove button, and
    the problems of both under them."""

    def __init__(self, number: int | None, episode_count: int | None) -> None:
        super().__init__(classes="season-row")
        self.number = number
        self.episode_count = episode_count

    def compose(self) -> ComposeResult:
        with Horizontal(classes="season-fields"):
            yield Label("Season", classes="label")
            yield Input(
                str(self.number or ""),
                restrict=DIGITS,
                max_length=6,
                compact=True,
                classes="season-number",
            )
            yield Label("episodes", classes="label")
            yield Input(
                "" if self.episode_count is None else str(self.episode_count),
                placeholder="unknown",
                restrict=DIGITS,
                max_length=6,
                compact=True,
                classes="season-count",
            )
            yield Button("remove", compact=True, classes="remove-season")
        yield Static("", classes="problem")

    @property
    def number_text(self) -> str:
        return self._typed(".season-number", str(self.number or ""))

    @property
    def count_text(self) -> str:
        return self._typed(
            ".season-count", "" if self.episode_count is None else str(self.episode_count)
        )

    def _typed(self, selector: str, initial: str) -> str:
        """The field's text; while the row is still being mounted (ctrl+n runs from the app
        as the form checks what was typed), what compose puts in it."""
        field = next(iter(self.query(selector).results(Input)), None)
        return initial if field is None else field.value

    def show_problems(self, messages: list[str]) -> None:
        problem = self.query_one(".problem", Static)
        problem.update(Text("\n".join(messages)))
        problem.display = bool(messages)


@dataclass(frozen=True)
class ReadForm:
    """The form read into a draft, with where each part of the draft came from."""

    draft: ShowDraft
    rows: list[SeasonRow]
    """The row of each season of the draft, by index."""
    lines: dict[tuple[int, int], int]
    """(season index, episode index) of the draft: the episodes area's line."""
    row_problems: dict[SeasonRow, list[str]]
    episode_problems: list[str]


class ShowFormScreen(ModalScreen[FormResult]):
    """Add a show (empty) or edit one (`initial` from `draft_of`). Problems appear under
    their field as soon as the user changes something, or on a save that they stop."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the show.", id="form.save"),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            tooltip="Close the form; asks first if it has changes.",
            id="form.cancel",
        ),
        # Priority, like tab below: the count typed right after ctrl+n belongs in the new row.
        Binding(
            "ctrl+n",
            "add_season",
            "Add season",
            priority=True,
            tooltip="Add a season row.",
            id="form.add_season",
        ),
        Binding(
            "ctrl+r",
            "remove_season",
            "Remove season",
            priority=True,
            tooltip="Remove the season row with the cursor (or the last one).",
            id="form.remove_season",
        ),
        Binding(
            "ctrl+o",
            "edit_file",
            "Edit file",
            tooltip="Edit the show's file in $VISUAL or $EDITOR instead.",
            id="form.edit_file",
        ),
        # The keys that move between fields are priority bindings, run by the app as it
        # reads each key. Textual hands every other key to the widget focused at that
        # moment, and a plain binding runs only when that widget's queue reaches the key:
        # in a burst (a fast typist, tmux, one terminal read) the text after tab or enter
        # was already queued to the field being left, and landed there.
        Binding(
            "tab",
            "next_field",
            "Next field",
            show=False,
            priority=True,
            tooltip="Go to the next field.",
            id="form.next_field",
        ),
        Binding(
            "shift+tab",
            "previous_field",
            "Previous field",
            show=False,
            priority=True,
            tooltip="Go to the previous field.",
            id="form.previous_field",
        ),
        Binding(
            "enter",
            "field_entered",
            "Next field",
            show=False,
            priority=True,
            tooltip="In a one-line field: go to the next field.",
            id="form.enter_field",
        ),
    ]

    def __init__(
        self,
        heading: str,
        initial: ShowDraft | None = None,
        *,
        note: str | None = None,
        editable_file: bool = False,
        fixed_names: bool = False,
    ) -> None:
        super().__init__()
        self.heading = heading
        self.initial = initial or ShowDraft("", seasons=(SeasonDraft(1),))
        self.note = note
        """A line under the heading (for a bundled show: where its facts go)."""
        self.editable_file = editable_file
        """Whether "edit file" is offered (the edit form)."""
        self.fixed_names = fixed_names
        """The title and kind cannot change (a bundled show's are cited)."""
        self.checking = False
        """Problems are shown once the user changed something or tried to save."""
        self.start_state: tuple[object, ...] = ()

    def compose(self) -> ComposeResult:
        initial = self.initial
        with VerticalScroll(id="form-body") as body:
            body.border_title = self.heading
            if self.note:
                yield Static(Text(self.note), classes="form-note")
            with Horizontal(classes="form-line"):
                yield Label("Title", classes="label")
                yield Input(initial.title, compact=True, disabled=self.fixed_names, id="title")
            yield Static("", id="title-problem", classes="problem")
            with Horizontal(classes="form-line"):
                yield Label("Kind", classes="label")
                kinds = list(dict.fromkeys([*KINDS, initial.kind]))
                yield Select(
                    [(kind, kind) for kind in kinds],
                    value=initial.kind,
                    allow_blank=False,
                    compact=True,
                    disabled=self.fixed_names,
                    id="kind",
                )
                yield Label("Year", classes="label after")
                year = "" if initial.year is None else str(initial.year)
                yield Input(
                    year,
                    placeholder="unknown",
                    restrict=DIGITS,
                    max_length=6,
                    compact=True,
                    id="year",
                )
            yield Static("", id="kind-problem", classes="problem")
            yield Static("", id="year-problem", classes="problem")
            yield Static("Seasons (episodes empty: not known yet)", classes="form-heading")
            with Vertical(id="season-rows"):
                for season in initial.seasons:
                    yield SeasonRow(season.number, season.episode_count)
            yield Button("add season", compact=True, id="add-season")
            yield Static(EPISODES_HELP, classes="form-heading")
            yield TextArea(
                episode_lines(initial.seasons), compact=True, soft_wrap=False, id="episodes"
            )
            yield Static("", id="episodes-problem", classes="problem")
            yield Static("", id="other-problem", classes="problem")
            with Horizontal(id="form-buttons"):
                yield Button("Save", variant="primary", compact=True, id="save")
                if self.editable_file:
                    yield Button("Edit file", compact=True, id="edit-file")
                yield Button("Cancel", compact=True, id="cancel")
            yield Static(self.key_line(), id="form-keys")

    def key_line(self) -> Text:
        """The form's keys, as remapped."""
        keys = [
            (key_hint(self, "form.save", "ctrl+s"), "save"),
            (key_hint(self, "form.add_season", "ctrl+n"), "add season"),
            (key_hint(self, "form.remove_season", "ctrl+r"), "remove season"),
            (key_hint(self, "form.cancel", "esc"), "cancel"),
        ]
        if self.editable_file:
            keys.insert(1, (key_hint(self, "form.edit_file", "ctrl+o"), "edit file"))
        return Text("  ".join(f"{key} {what}" for key, what in keys), style="dim")

    def on_mount(self) -> None:
        self.start_state = self.form_state()
        self.query_one("#year" if self.fixed_names else "#title", Input).focus()
        self.show_problems()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the edit form offers the show's file; enter moves on only from a one-line
        field (a button, the kind's menu and the episodes area keep their own enter)."""
        if action == "edit_file":
            return self.editable_file
        if action == "field_entered":
            return isinstance(self.focused, Input)
        return True

    # --- reading the form ----------------------------------------------------------------

    @property
    def season_rows(self) -> list[SeasonRow]:
        return list(self.query(SeasonRow).results(SeasonRow))

    def form_state(self) -> tuple[object, ...]:
        """Everything typed, to tell whether the form has unsaved edits."""
        return (
            self.query_one("#title", Input).value,
            self.query_one("#kind", Select).value,
            self.query_one("#year", Input).value,
            tuple((row.number_text, row.count_text) for row in self.season_rows),
            self.query_one("#episodes", TextArea).text,
        )

    def read_form(self) -> ReadForm:
        """The draft the form holds, and the problems the domain cannot see: a season row
        without a number, an episode line that names no episode or no season here."""
        year_text = self.query_one("#year", Input).value
        kind = self.query_one("#kind", Select).value
        episodes, episode_problems = read_episode_lines(self.query_one("#episodes", TextArea).text)
        rows: list[SeasonRow] = []
        row_problems: dict[SeasonRow, list[str]] = {}
        seasons: list[SeasonDraft] = []
        lines: dict[tuple[int, int], int] = {}
        for row in self.season_rows:
            if not row.number_text:
                row_problems[row] = ["type the season's number (1 for the first)"]
                continue
            number = int(row.number_text)
            count = int(row.count_text) if row.count_text else None
            if number in (season.number for season in seasons):
                mine: tuple[EpisodeDraft, ...] = ()  # a repeat: the episodes go to the first
            else:
                here = [episode for episode in episodes if episode.season == number]
                for index, episode in enumerate(here):
                    lines[len(seasons), index] = episode.line
                mine = tuple(episode.episode for episode in here)
            rows.append(row)
            seasons.append(SeasonDraft(number, count, mine))
        numbers = {season.number for season in seasons}
        episode_problems += [
            f"line {episode.line}: there is no season {episode.season} above; add it first"
            for episode in episodes
            if episode.season not in numbers
        ]
        draft = ShowDraft(
            self.query_one("#title", Input).value,
            kind if isinstance(kind, str) else self.initial.kind,
            int(year_text) if year_text else None,
            tuple(seasons),
        )
        return ReadForm(draft, rows, lines, row_problems, episode_problems)

    # --- problems ----------------------------------------------------------------------

    def show_problems(self) -> list[DraftProblem | str]:
        """Put each problem under its field (once the form is being checked); return them."""
        form = self.read_form()
        problems = draft_problems(form.draft)
        by_place: dict[str, list[str]] = {"title": [], "kind": [], "year": [], "other": []}
        row_problems = form.row_problems
        episode_problems = list(form.episode_problems)
        for problem in problems:
            where = SEASON_FIELD.match(problem.field)
            if problem.field in by_place:
                by_place[problem.field].append(problem.message)
            elif where and where[2] is not None:
                line = form.lines.get((int(where[1]), int(where[2])))
                prefix = f"line {line}: " if line else ""
                episode_problems.append(f"{prefix}{problem.message}")
            elif where and int(where[1]) < len(form.rows):
                row_problems.setdefault(form.rows[int(where[1])], []).append(problem.message)
            else:
                by_place["other"].append(problem.message)
        shown = self.checking
        for place, messages in by_place.items():
            self.put_problem(f"#{place}-problem", messages if shown else [])
        self.put_problem("#episodes-problem", episode_problems if shown else [])
        for row in self.season_rows:
            row.show_problems(row_problems.get(row, []) if shown else [])
        local = [m for ms in row_problems.values() for m in ms] + form.episode_problems
        return [*problems, *local]

    def put_problem(self, selector: str, messages: list[str]) -> None:
        problem = self.query_one(selector, Static)
        problem.update(Text("\n".join(messages)))
        problem.display = bool(messages)

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def check_as_typed(self) -> None:
        """Any edit: check the whole form again (the rules span fields: repeated seasons,
        episodes beyond a count)."""
        if self.start_state and self.form_state() != self.start_state:
            self.checking = True
        if self.start_state:
            self.show_problems()

    def action_next_field(self) -> None:
        """Tab: the next field, before the keys after it are handed out."""
        self.focus_next()

    def action_previous_field(self) -> None:
        """Shift+tab: the previous field, before the keys after it are handed out."""
        self.focus_previous()

    def action_field_entered(self) -> None:
        """Enter in a one-line field moves on, as tab does; saving is ctrl+s or the Save
        button."""
        self.focus_next()

    # --- actions -------------------------------------------------------------------------

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Return the draft, or show why it cannot be saved and go to the first problem."""
        self.checking = True
        problems = self.show_problems()
        if problems:
            self.notify(
                f"{len(problems)} problem(s) to fix first; each is shown under its field.",
                severity="warning",
                markup=False,
            )
            problem_lines = self.query(".problem").results(Static)
            first = next((widget for widget in problem_lines if widget.display), None)
            if first is not None:
                first.scroll_visible()
            return
        self.dismiss(self.read_form().draft)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without saving; with edits, ask first."""
        if self.form_state() == self.start_state:
            self.dismiss(None)
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard your changes to this show?"), answer)

    @on(Button.Pressed, "#edit-file")
    def action_edit_file(self) -> None:
        """Hand over to the editor; edits made in the form are lost, so ask first."""
        if self.form_state() == self.start_state:
            self.dismiss(OpenInEditor())
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(OpenInEditor())

        question = "Edit the file instead? The changes made in this form are not saved."
        self.app.push_screen(ConfirmScreen(question), answer)

    @on(Button.Pressed, "#add-season")
    async def action_add_season(self) -> None:
        """A new row numbered after the highest season, its count empty (unknown) and
        focused."""
        numbers = [int(row.number_text) for row in self.season_rows if row.number_text]
        row = SeasonRow(max(numbers, default=0) + 1, None)
        await self.query_one("#season-rows", Vertical).mount(row)
        # At once, not with focus()'s deferred call: keys already read go to the new row.
        self.app.set_focus(row.query_one(".season-count", Input))
        self.check_as_typed()

    @on(Button.Pressed, ".remove-season")
    async def remove_pressed_season(self, event: Button.Pressed) -> None:
        """A row's remove button removes that row."""
        row = next(node for node in event.button.ancestors if isinstance(node, SeasonRow))
        await self.remove_row(row)

    async def action_remove_season(self) -> None:
        """Remove the row with the cursor, or the last row."""
        focused = self.focused
        rows = self.season_rows
        row = next(
            (r for r in rows if focused is not None and r in focused.ancestors_with_self),
            rows[-1] if rows else None,
        )
        if row is not None:
            await self.remove_row(row)

    async def remove_row(self, row: SeasonRow) -> None:
        await row.remove()
        self.check_as_typed()
