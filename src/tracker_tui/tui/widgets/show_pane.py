"""The show pane: the show's list status and kind in its borders, each season's status
and episodes, then the facts and people, disputes and the sources."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rich.cells import cell_len
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual import on
from textual.content import Content
from textual.css.styles import RulesMap
from textual.reactive import var
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, RichVisual, Visual, VisualType
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tracker_tui.domain import clock
from tracker_tui.domain.catalog.citations import SourceNumbers, spelt
from tracker_tui.domain.catalog.disputes import Claim, claim_text, claims_for
from tracker_tui.domain.catalog.loader import Catalog
from tracker_tui.domain.catalog.models import Episode, Note, Season, Show, SpoilerScope
from tracker_tui.domain.catalog.release import season_status
from tracker_tui.domain.catalog.sources import SourceRegistry
from tracker_tui.domain.progress.records import EpisodeKey, Progress
from tracker_tui.domain.watching.episodes import (
    SeasonEpisodes,
    list_status,
    seasons_in_order,
    show_progress,
    status_label,
)
from tracker_tui.domain.watching.spoilers import spoiler_reached
from tracker_tui.tui.keys import key_hint
from tracker_tui.tui.widgets.bars import progress_bar
from tracker_tui.tui.widgets.lists import VimOptionList

WARNING = "⚠"
YOUR_NOTE = "(your note)"
"""Marks the user's own facts for a bundled show (its overlay file), beside the cited ones."""


@dataclass(frozen=True)
class SpoilerGate:
    """Which spoilers the user may see, and the key that reveals the rest."""

    reached: Callable[[SpoilerScope], bool]
    """May the user see what has this scope (watched that far, or spoilers revealed)?"""
    reveal_key: str = "s"
    """The key that reveals spoilers, as the user has it (settings.json may remap it)."""


class GridRow:
    """A row laid out in columns (a rich grid), so wrapped text stays in its column; it
    reads, as text, like the row."""

    def __init__(self, grid: Table, text: str) -> None:
        self.grid = grid
        self.text = text

    def __rich__(self) -> Table:
        return self.grid

    def __str__(self) -> str:
        return self.text


def hanging(label: str, text: Text, width: int) -> GridRow:
    """`label` then `text`, whose wrapped lines start under its first character."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(width=width, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(label, style=text.style), text)
    return GridRow(grid, f"{label} {text.plain}")


class Citations(SourceNumbers):
    """Numbered citations, listed under "Sources" at the pane's foot: the markers
    `tracker show` uses, in less width than the titles."""

    def rows(self, *, gap: bool = False) -> list[Option]:
        """What each number stands for; `gap`: a blank line first."""
        if not self.numbered():
            return []
        rows = (
            [_info(""), _info(Text("Sources", style="bold"))]
            if gap
            else [_info(Text("Sources", style="bold"))]
        )
        numbered = self.numbered()
        width = len(f"[{len(numbered)}]")
        for number, title, _document in numbered:
            row = hanging(f"[{number}]", Text(title, style="dim"), width)
            rows.append(Option(row, disabled=True))
        return rows


def episode_option_id(key: EpisodeKey) -> str:
    return f"ep-{key.season}-{key.episode}"


def key_from_option_id(show_id: str, option_id: str | None) -> EpisodeKey | None:
    if not option_id or not option_id.startswith("ep-"):
        return None
    _, season, episode = option_id.split("-")
    return EpisodeKey(show_id, int(season), int(episode))


def _dispute_rows(
    claims: Sequence[Claim], topic: str, citations: Citations, gate: SpoilerGate, indent: int
) -> list[Option]:
    """A disagreement: its topic, then each claim with the sources that make it; a claim
    that is a spoiler past the user's progress says so instead, until `s`."""
    rows = [_info(Text(f"{WARNING} Sources disagree: {topic}", style="bold"), indent)]
    for claim in claims:
        cited = citations.cite(claim.sources)
        if (
            isinstance(claim, Note)
            and claim.spoiler is not None
            and not gate.reached(claim.spoiler)
        ):
            said = Text(
                f"(spoiler past {claim.spoiler.code()}: {gate.reveal_key} reveals)", style="italic"
            )
            rows.append(_info(Text("· ").append_text(said).append(f" {cited}"), indent + 2))
        else:
            rows.append(_info(f"· {claim_text(claim)} {cited}", indent + 2))
    return rows


class Indented(Padding):
    """A row whose wrapped lines keep its indent; it reads as its text."""

    def __init__(self, text: Text, indent: int) -> None:
        super().__init__(text, (0, 0, 0, indent))
        self.text = text

    def __str__(self) -> str:
        return str(self.text)


DrawnKey = tuple[int, int | None, Style]
"""What a row's strips depend on besides the row: width, height and the list's style for
it (plain, highlighted, hovered)."""


def drawn_once(
    drawn: dict[DrawnKey, list[Strip]],
    width: int,
    height: int | None,
    style: Style,
    options: RenderOptions,
    draw: Callable[[], list[Strip]],
) -> list[Strip]:
    """A row's strips from `drawn` if it drew them before, else drawn and kept there.
    Textual's option list forgets every row's strips when one row's prompt is replaced
    (a mark), so without this every row on screen is laid out by Rich again. A row under a
    text selection is drawn afresh: the selection changes its strips."""
    if options.selection is not None:
        return draw()
    key = (width, height, style)
    strips = drawn.get(key)
    if strips is None:
        if len(drawn) >= 8:  # a resize or a theme change: the old strips are done with
            drawn.clear()
        strips = drawn[key] = draw()
    return strips


class MeasuredRow(RichVisual):
    """A row drawn by Rich (an indented or gridded one) that measures its
    height once per width and draws its strips once per width and style: the list
    measures every row again, and draws every row on screen again, whenever one row
    changes."""

    def __init__(self, widget: Widget, renderable: Indented | GridRow) -> None:
        super().__init__(widget, renderable)
        self.renderable = renderable
        self.heights: dict[int, int] = {}
        self.drawn: dict[DrawnKey, list[Strip]] = {}

    def get_height(self, rules: RulesMap, width: int) -> int:
        height = self.heights.get(width)
        if height is None:
            height = self.heights[width] = super().get_height(rules, width)
        return height

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        draw = super().render_strips
        return drawn_once(
            self.drawn, width, height, style, options, lambda: draw(width, height, style, options)
        )

    def __str__(self) -> str:
        return str(self.renderable)


def measured(widget: Widget, prompt: VisualType) -> VisualType:
    """The prompt to list: a Rich-drawn row measured and drawn once per width, others as
    they are."""
    if isinstance(prompt, Indented | GridRow):
        return MeasuredRow(widget, prompt)
    return prompt


def _info(text: Text | str, indent: int = 0) -> Option:
    """A row of information: not selectable, catalog text kept literal (never markup)."""
    row = text if isinstance(text, Text) else Text(text)
    return Option(Indented(row, indent) if indent else row, disabled=True)


def show_heading(show: Show, progress: Progress) -> tuple[Content, Content]:
    """The pane's title and subtitle, in its borders so they never scroll away: the show
    and its list status above; its kind, year, platform or studio and country below."""
    status = status_label(list_status(show, progress)[0])
    facts = [show.kind.value, *([str(show.year)] if show.year else [])]
    facts += [fact.value for fact in (show.platform, show.studio, show.country) if fact]
    title = Content.assemble((show.title, "bold"), f" · {status}")
    return title, Content(" · ".join(facts))


def your_year(show: Show) -> list[Option]:
    """The year the user gave a bundled show, marked as theirs."""
    if show.yours is None or show.yours.year is None:
        return []
    return [_info(Text(f"year {show.yours.year} {YOUR_NOTE}", style="italic"))]


def show_details(show: Show, citations: Citations, gate: SpoilerGate) -> list[Option]:
    """What reads after the episodes: source material, names spelt two ways (but not one
    that is itself a spoiler past the user's progress), and the people, counted."""
    rows: list[Option] = []
    if show.source_material:
        material = show.source_material
        by = f" by {material.author}" if material.author else ""
        rows.append(_info(f"Based on the {material.medium} {material.title}{by}"))
    spellings = [s for s in show.spellings if s.spoiler is None or gate.reached(s.spoiler)]
    if spellings:
        spelt_two_ways = "; ".join(spelt(spelling, citations) for spelling in spellings)
        rows.append(_info(f"Spelt two ways: {spelt_two_ways}"))
    if show.people:
        rows.append(_info(Text(f"People ({len(show.people)})", style="bold")))
    if any(person.dispute for person in show.people):
        rows.append(_info(Text(f"{WARNING} marks what the sources disagree on (below)"), 2))
    for person in show.people:
        who = f"{person.role}: {person.name}"
        if person.character:
            who += f" as {person.character}"
            also = [spelt(spelling, citations) for spelling in show.spellings_in(person.character)]
            if also:
                who += f" ({'; '.join(also)})"
        line = Text(who)
        if person.dispute:
            line.append(f" {WARNING}", style="bold")
        rows.append(_info(line, 2))
    return rows


def _season_header(
    show: Show,
    season: Season,
    episodes: SeasonEpisodes,
    progress: Progress,
    registry: SourceRegistry,
    today: dt.date,
    citations: Citations,
    gate: SpoilerGate,
) -> list[Option]:
    status = season_status(season, registry, today)
    counted = episodes.counted
    watched = sum(progress.is_watched(EpisodeKey(show.id, season.number, n)) for n in counted)
    header = Text()
    header.append(f"Season {season.number} · {status.headline()}", style="bold")
    header.append(" ")  # short enough for 80 columns; where it wraps, bar and count go together
    header.append_text(progress_bar(watched, len(counted), 5, open_ended=episodes.count is None))
    total = episodes.count if episodes.count is not None else "?"
    header.append(f" {watched}/{total}")
    rows = [Option(header, id=f"season-{season.number}", disabled=True)]
    yours = show.your_season(season.number)
    if yours is not None and yours.episode_count is not None:
        cited = (
            f"{season.episode_count} episodes {citations.cite(season.episode_count_sources)}"
            if season.episode_count is not None
            else "episode count unknown"
        )
        used = "" if season.episode_count is None else ", tracking uses yours"
        rows.append(
            _info(f"{cited.rstrip()} · {yours.episode_count} episodes (your note{used})", 2)
        )
    rating = progress.rating(show.id, season.number)
    if rating is not None:  # a line of its own: the header already fills 80 columns
        rows.append(_info(Text(f"your rating ★{rating}", style="bold"), 2))
    joined = season.joined_release_date()
    if joined is not None:
        day_from, year_from = (
            citations.cite(joined.day_sources),
            citations.cite(joined.year_sources),
        )
        rows.append(_info(f"{joined.human()}: day from {day_from}, year from {year_from}", 2))
    if len(season.status) > 1 or status.report.dispute:
        now = Text(f"now: {status.report.detail}", style="dim")
        if status.report.dispute:
            now.append(f"  {WARNING} disputed", style="bold")
        rows.append(_info(now, 2))
    if warning := status.warning():
        rows.append(_info(Text(f"{WARNING} {warning}"), 2))
    for dispute in show.disputes:
        claims = [c for c in claims_for(show, dispute) if c in season.status]
        if not claims:
            continue
        rows += _dispute_rows(claims, dispute.topic, citations, gate, 2)
    return rows


FALLBACK_WIDTH = 46
"""The width the pane's rows are made for before it has one (80 columns' pane)."""
WIDE_ROWS = 64
"""From this many columns of content, an episode row has room for its air date and the
day it was watched side by side; below, it shows the one that matters (see `EpisodeColumns`)."""


@dataclass(frozen=True)
class EpisodeColumns:
    """The columns one season's episode rows share, so that they line up: each is there
    only when some episode of the season has something to put in it."""

    number_width: int
    """Of "E12": the longest episode number, numbers right-aligned."""
    titles: bool
    """Some episode has a title (or something the user noted), or is upcoming: "next to
    air" goes there."""
    air_dates: bool
    watched_dates: bool
    rewatches: bool
    ratings: bool
    wide: bool
    """Room for the air date and the watched date both; else a watched episode shows the
    day it was watched, an unwatched one its air date."""

    def trailing_widths(self) -> list[int]:
        """The widths of the columns after the title: dates, rewatches, rating."""
        widths = []
        if self.air_dates and self.wide:
            widths.append(10)
        if self.watched_dates or (self.air_dates and not self.wide):
            widths.append(18 if self.wide else 10)
        if self.rewatches:
            widths.append(4)
        if self.ratings:
            widths.append(3)
        return widths


class RowText(Text):
    """A row laid out in columns, padded with spaces; as text (`str`), it reads like the
    row, the padding left out."""

    said = ""

    def __str__(self) -> str:
        return self.said


def _fit(cell: Text, width: int, *, right: bool = False) -> Text:
    """`cell` cut or padded to exactly `width` cells."""
    fitted = cell.copy()
    fitted.truncate(width, overflow="ellipsis")
    room = width - fitted.cell_len
    if right:
        fitted.pad_left(room)
    else:
        fitted.pad_right(room)
    return fitted


@lru_cache(maxsize=1)
def _measuring_console() -> Console:
    """Only for wrapping titles to a width; it writes nothing."""
    return Console(file=io.StringIO(), width=1000, color_system=None, legacy_windows=False)


def lay_out_row(
    lead: list[Text], title: Text | None, trailing: list[tuple[Text, int, bool]], width: int
) -> RowText:
    """A row's cells in fixed columns: `lead` cells at their own widths, the title (if the
    season has titles) taking the room left and wrapping under itself, then `trailing`
    (cell, width, right-aligned) at the right. Lines never wrap again: a row drawn at
    another width is laid out anew (`EpisodeRow`)."""
    first = Text(" ").join(lead)
    indent = first.cell_len + 1
    rest: list[Text] = []
    if title is not None:
        room = max(8, width - indent - sum(cell_width + 1 for _, cell_width, _ in trailing))
        plain = title.plain
        if "\n" not in plain and "\t" not in plain and cell_len(plain) <= room:
            lines = [title]  # what wrapping gives (`_fit` copies it), in a third of the time
        else:
            lines = list(title.wrap(_measuring_console(), room, overflow="fold"))
        first.append(" ")
        first.append_text(_fit(lines[0] if lines else Text(""), room))
        rest = [Text(" " * indent) + line for line in lines[1:]]
    for cell, cell_width, right in trailing:
        first.append(" ")
        first.append_text(_fit(cell, cell_width, right=right))
    row = Text("\n").join([first, *rest])
    laid_out = RowText(no_wrap=True, overflow="crop")
    laid_out.append_text(row)
    return laid_out


def _episode_cells(cited: Episode | None, mine: Episode | None) -> tuple[Text, str]:
    """The title cell (the user's own title or air date marked as theirs) and the air date."""
    title = Text(cited.title if cited and cited.title else "")
    air_date = cited.air_date.iso() if cited and cited.air_date else ""
    if mine is not None:
        theirs = " · ".join(
            part
            for part in (mine.title or "", mine.air_date.iso() if mine.air_date else "")
            if part
        )
        if theirs:
            title.append(f"{'  ' if title else ''}{theirs} {YOUR_NOTE}")
    return title, air_date


def _episode_row(
    key: EpisodeKey,
    cells: tuple[Text, str],
    progress: Progress,
    upcoming: str,
    columns: EpisodeColumns,
) -> Option:
    record = progress.get(key)
    watched = record is not None and record.watched
    title, air_date = cells
    mark = Text("  ✓" if watched else "  ○", style="bold" if watched else "dim")
    row: list[Text | str] = [mark, f"E{key.episode}"]
    if columns.titles:  # there is one whenever the season has an upcoming episode
        if upcoming:
            title = title.copy()
            title.append(f"{'  ' if title else ''}{upcoming}", style="dim italic")
        row.append(title)
    watched_on = ""
    if watched and record is not None and record.watched_at is not None:
        watched_on = record.watched_at.date().isoformat()
    if columns.air_dates and columns.wide:
        row.append(Text(air_date, style="dim"))
    if columns.watched_dates or (columns.air_dates and not columns.wide):
        if columns.wide:
            row.append(Text(f"watched {watched_on}" if watched_on else "", style="dim"))
        elif watched:
            row.append(Text(watched_on, style="dim"))
        else:
            row.append(Text(air_date, style="dim italic"))
    if columns.rewatches:
        count = record.watch_count if watched and record is not None else 0
        row.append(Text(f"×{count}" if count > 1 else "", style="bold"))
    if columns.ratings:
        rating = progress.rating(key.show, key.season, key.episode)
        row.append(Text(f"★{rating}" if rating is not None else "", style="bold"))
    number = f"E{key.episode}".rjust(columns.number_width)
    lead = [mark, Text(number)]
    title_cell = row[2] if columns.titles else None
    rest = row[3:] if columns.titles else row[2:]
    widths = columns.trailing_widths()
    right_aligned = [False] * (len(widths) - columns.rewatches - columns.ratings)
    right_aligned += [True] * (columns.rewatches + columns.ratings)
    trailing = [
        (cell if isinstance(cell, Text) else Text(cell), cell_width, right)
        for cell, cell_width, right in zip(rest, widths, right_aligned, strict=True)
    ]
    said = "  ".join(
        [f"{str(mark).strip()} {number}", *(str(cell) for cell in row[2:] if str(cell))]
    )
    title_text = title_cell if isinstance(title_cell, Text) else None
    return Option(EpisodeRow(lead, title_text, trailing, said), id=episode_option_id(key))


class EpisodeRow(Visual):
    """An episode's row, as the prompt of its option: laid out in its season's columns
    (`lay_out_row`) at the width it is drawn at, when first drawn, so a season of many
    episodes costs only the rows on screen and a pane of a new width only its rows on
    screen. Its height, which the list asks of every row, is known without laying it
    out while its title fits on one line."""

    def __init__(
        self,
        lead: list[Text],
        title: Text | None,
        trailing: list[tuple[Text, int, bool]],
        said: str,
    ) -> None:
        self.lead = lead
        self.title = title
        self.trailing = trailing
        self.said = said
        """The row as text (`str`), the padding left out."""
        self._laid_out: tuple[int, RowText, Content] | None = None
        self.drawn: dict[DrawnKey, list[Strip]] = {}

    def text_at(self, width: int) -> RowText:
        """The row laid out for `width` columns."""
        return self._lay_out(width)[1]

    def content_at(self, width: int) -> Content:
        return self._lay_out(width)[2]

    def _lay_out(self, width: int) -> tuple[int, RowText, Content]:
        laid_out = self._laid_out
        if laid_out is None or laid_out[0] != width:
            text = lay_out_row(self.lead, self.title, self.trailing, width)
            text.said = self.said
            laid_out = self._laid_out = (width, text, Content.from_rich_text(text))
        return laid_out

    def one_line_within(self, width: int) -> bool:
        """Whether the row laid out for `width` is one line, worked out without laying it
        out."""
        lead = sum(cell.cell_len for cell in self.lead) + len(self.lead) - 1
        trailing = sum(cell_width + 1 for _, cell_width, _ in self.trailing)
        if self.title is None:
            return lead + trailing <= width
        room = max(8, width - lead - 1 - trailing)
        plain = self.title.plain
        one_line = "\n" not in plain and "\t" not in plain and cell_len(plain) <= room
        return one_line and lead + 1 + room + trailing <= width

    def __str__(self) -> str:
        return self.said

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        content = self.content_at(width)
        return drawn_once(
            self.drawn,
            width,
            height,
            style,
            options,
            lambda: content.render_strips(width, height, style, options),
        )

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content_at(container_width).get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        laid_out = self._laid_out
        return self.content_at(laid_out[0] if laid_out else FALLBACK_WIDTH).get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        laid_out = self._laid_out
        if (laid_out is None or laid_out[0] != width) and self.one_line_within(width):
            return 1
        return self.content_at(width).get_height(rules, width)


FOLD_FROM = 20
"""A show with this many seasons shows the episodes of one season at a time (the one
being watched, and any the user unfolds); the others are their header line."""


def fold_option_id(season: int) -> str:
    return f"fold-{season}"


def folded_season(option_id: str | None) -> int | None:
    """The season a folded season's row stands for, or None for any other row."""
    if not option_id or not option_id.startswith("fold-"):
        return None
    return int(option_id.removeprefix("fold-"))


def fold_row(header: Option, season: int) -> Option:
    """A folded season: its header after a ▸, a row the cursor rests on (enter unfolds)."""
    prompt = header.prompt
    line = Text("▸ ", style="bold").append_text(
        prompt if isinstance(prompt, Text) else Text(str(prompt))
    )
    return Option(line, id=fold_option_id(season))


def upcoming_label(episodes: SeasonEpisodes, number: int) -> str:
    """What an episode row says of an episode still to come, or "". A season not out yet
    still offers its upcoming episode (the catalog may be behind); marking it asks first."""
    if number != episodes.upcoming:
        return ""
    return "next to air" if episodes.open_for_tracking else "not released yet"


def episode_columns(
    show: Show,
    season: int,
    episodes: SeasonEpisodes,
    cells: Mapping[int, tuple[Text, str]],
    progress: Progress,
    width: int,
) -> EpisodeColumns:
    """The columns the season's episode rows share at this width, for this progress."""
    records = [progress.get(EpisodeKey(show.id, season, n)) for n in episodes.offered]
    seen = [record for record in records if record is not None and record.watched]
    return EpisodeColumns(
        number_width=1 + len(str(max(episodes.offered, default=1))),
        titles=episodes.upcoming is not None or any(title for title, _ in cells.values()),
        air_dates=any(air_date for _, air_date in cells.values()),
        watched_dates=any(record.watched_at is not None for record in seen),
        rewatches=any(record.watch_count > 1 for record in seen),
        ratings=any(progress.rating(show.id, season, n) is not None for n in episodes.offered),
        wide=width >= WIDE_ROWS,
    )


@dataclass
class SeasonBlock:
    """One season's rows as drawn, and what they were drawn from: enough to redraw one
    episode row and the header in place when a mark changes them."""

    season: Season
    episodes: SeasonEpisodes
    header: list[Option]
    """The header line (a fold row when folded) and the lines under it."""
    cells: dict[int, tuple[Text, str]]
    """Each offered episode's title and air date cells (empty when folded)."""
    columns: EpisodeColumns | None
    """The episode rows' columns; None when folded."""
    episode_rows: list[Option]

    @property
    def rows(self) -> list[Option]:
        return [*self.header, *self.episode_rows]


def season_header_rows(
    show: Show,
    season: Season,
    episodes: SeasonEpisodes,
    progress: Progress,
    shared: tuple[SourceRegistry, dt.date, Citations, SpoilerGate],
    *,
    folded: bool,
) -> list[Option]:
    """The season's header line and the lines under it; folded, the header line is a row
    the cursor can rest on, that enter unfolds."""
    registry, today, citations, gate = shared
    header = _season_header(show, season, episodes, progress, registry, today, citations, gate)
    return [fold_row(header[0], season.number), *header[1:]] if folded else header


def season_block(
    show: Show,
    season: Season,
    episodes: SeasonEpisodes,
    progress: Progress,
    shared: tuple[SourceRegistry, dt.date, Citations, SpoilerGate],
    width: int,
    *,
    folded: bool,
) -> SeasonBlock:
    """A season's header and episode rows; folded, its header alone."""
    header = season_header_rows(show, season, episodes, progress, shared, folded=folded)
    if folded:
        return SeasonBlock(season, episodes, header, {}, None, [])
    cited = {episode.number: episode for episode in season.episodes}
    yours = show.your_season(season.number)
    mine = {} if yours is None else {episode.number: episode for episode in yours.episodes}
    cells = {n: _episode_cells(cited.get(n), mine.get(n)) for n in episodes.offered}
    columns = episode_columns(show, season.number, episodes, cells, progress, width)
    rows = [
        _episode_row(
            EpisodeKey(show.id, season.number, number),
            cells[number],
            progress,
            upcoming_label(episodes, number),
            columns,
        )
        for number in episodes.offered
    ]
    return SeasonBlock(season, episodes, header, cells, columns, rows)


def season_blocks(
    show: Show,
    progress: Progress,
    shared: tuple[SourceRegistry, dt.date, Citations, SpoilerGate],
    width: int,
    folded: Collection[int] = (),
) -> list[SeasonBlock]:
    """Each season's rows, in watching order; a season in `folded` is its header alone."""
    return [
        season_block(
            show, season, episodes, progress, shared, width, folded=season.number in folded
        )
        for season, episodes in seasons_in_order(show, progress)
    ]


def season_rows(
    show: Show,
    progress: Progress,
    registry: SourceRegistry,
    today: dt.date,
    citations: Citations,
    gate: SpoilerGate,
    width: int,
    folded: Collection[int] = (),
) -> list[Option]:
    """Each season's header and episode rows, as the pane lists them."""
    blocks = season_blocks(show, progress, (registry, today, citations, gate), width, folded)
    return [row for block in blocks for row in block.rows]


def other_disputes(show: Show, citations: Citations, gate: SpoilerGate) -> list[Option]:
    """Disagreements about people and notes, with each claim and who made it."""
    rows: list[Option] = []
    season_reports = [report for season in show.seasons for report in season.status]
    for dispute in show.disputes:
        claims = [c for c in claims_for(show, dispute) if c not in season_reports]
        if not claims:
            continue
        rows += _dispute_rows(claims, dispute.topic, citations, gate, 0)
    return rows


def spoiler_scopes(show: Show) -> list[SpoilerScope]:
    """The spoiler scopes of what the pane hides past the user's progress: claims in
    disputes and spellings. While the user reaches the same of them, those rows stay."""
    scopes = [spelling.spoiler for spelling in show.spellings if spelling.spoiler is not None]
    for dispute in show.disputes:
        scopes += [
            claim.spoiler
            for claim in claims_for(show, dispute)
            if isinstance(claim, Note) and claim.spoiler is not None
        ]
    return scopes


def season_signature(season: Season, episodes: SeasonEpisodes) -> tuple[object, ...]:
    """What decides which rows a season has: the episodes offered, which is upcoming."""
    return (season.number, episodes.offered, episodes.upcoming, episodes.open_for_tracking)


@dataclass(frozen=True)
class DrawnShow:
    """What the show pane's rows were drawn from."""

    catalog: Catalog
    show: Show
    today: dt.date
    width: int
    revealed: bool
    folded: set[int]
    citations: Citations
    """The numbers the rows cite sources by, kept so a redrawn row cites the same."""
    blocks: list[SeasonBlock]
    first_season_row: int
    """The index of the first season's first row."""
    scopes: list[SpoilerScope]
    reached: tuple[bool, ...]
    """Which of `scopes` the user had reached."""


class ShowPane(VimOptionList):
    """One show in full. Episode rows are selectable; everything else is information.

    Bind `progress`, `reveal_spoilers` and `show_id` (in that order, so the pane fills once,
    when the show arrives). Another show or the spoiler switch redraws the pane; a change
    of progress redraws only the rows it touched where it can (`_redraw_in_place`).
    """

    BORDER_TITLE = "Show"

    show_id: var[str | None] = var(None, init=False)
    """The show in full; None: no show."""

    progress: var[Progress] = var(Progress.empty, init=False)
    """The user's progress: ticks and counts, and which spoilers are reached."""

    reveal_spoilers: var[bool] = var(False, init=False)
    """Show the claims and spellings past the user's progress too."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.catalog = catalog
        """Where the show and its sources come from."""
        self._episode_rows: range = range(0)
        """From the first episode row to the last: the rows a cursor can rest on."""
        self._rows_wide: bool | None = None
        """Whether the rows were made for a wide pane (`WIDE_ROWS`): a pane that
        becomes wide or narrow makes them again; otherwise a row lays itself out at the
        width it is drawn at."""
        self._shown_id: str | None = None
        """The show the rows are of."""
        self._unfolded: dict[str, set[int]] = {}
        """Per show, the seasons the user unfolded (`FOLD_FROM`), kept while the app runs."""
        self._drawn: DrawnShow | None = None
        """What the rows were drawn from, for redrawing a mark's rows in place."""
        self.full_redraws = 0
        """How many times the pane was filled anew (a mark redraws only its rows)."""

    def on_resize(self) -> None:
        """A pane now wide, or no longer wide, shows other columns: make the rows again."""
        width = self.scrollable_content_region.width
        if self._rows_wide is not None and width and (width >= WIDE_ROWS) != self._rows_wide:
            self._show_current()

    def watch_show_id(self) -> None:
        """Another show: fill the pane with it."""
        self._show_current()

    def watch_progress(self, before: Progress, progress: Progress) -> None:
        """Progress changed: redraw the rows of the episodes and seasons it changed (their
        ticks, counts and dates), in place; the whole pane only when the change reaches
        further (a spoiler, a column, the episodes listed)."""
        if not self._redraw_in_place(before, progress):
            self._show_current()

    def watch_reveal_spoilers(self) -> None:
        """Spoilers revealed or hidden: redraw what they hide."""
        self._show_current()

    def action_cursor_down(self) -> None:
        """Past the last episode, scroll on to the disputes and sources below it."""
        if self.highlighted is not None and self.highlighted >= self._episode_rows.stop - 1:
            self.scroll_down(animate=False, immediate=True)
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        """Before the first episode, scroll back to the facts above it."""
        if self.highlighted is not None and self.highlighted <= self._episode_rows.start:
            self.scroll_up(animate=False, immediate=True)
        else:
            super().action_cursor_up()

    def action_first(self) -> None:
        """The first episode, with the facts above it in view."""
        super().action_first()
        self.scroll_home(animate=False, immediate=True)

    def action_last(self) -> None:
        """The last episode, and the pane at its foot: the disputes and the sources."""
        super().action_last()
        self.scroll_end(animate=False, immediate=True)

    def _show_current(self) -> None:
        """Fill the pane for the current show, keeping the highlight on the same season
        and episode number where the show has it (another show's too, as before), else on
        the first unwatched episode. Spoilers past the progress stay hidden unless
        revealed."""
        show = self.catalog.get(self.show_id) if self.show_id else None
        if show is None:
            self._drawn = None
            self.border_title, self.border_subtitle = "Show", None
            self.set_options([_info(Text("No show selected.", style="dim italic"))])
            self._episode_rows = range(0)
            return
        keep = self.highlighted_key(show.id)
        progress, revealed = self.progress, self.reveal_spoilers
        self.border_title, self.border_subtitle = show_heading(show, self.progress)

        def reached(scope: SpoilerScope) -> bool:
            return revealed or spoiler_reached(show, scope, progress)

        registry, today = self.catalog.sources, clock.today()
        citations = Citations(registry)
        gate = SpoilerGate(reached, key_hint(self, "toggle_spoilers", "s"))
        rows = your_year(show)
        # Not laid out yet: the rows are made for the width a 100-column terminal gives,
        # and made again only if the pane turns out wide (on_resize).
        width = self.scrollable_content_region.width or FALLBACK_WIDTH
        self._rows_wide = width >= WIDE_ROWS
        # Another show's highlighted episode says nothing about which season to unfold.
        folded = self._folded_seasons(show, keep if self._shown_id == show.id else None)
        self._shown_id = show.id
        blocks = season_blocks(show, progress, (registry, today, citations, gate), width, folded)
        scopes = spoiler_scopes(show)
        self._drawn = DrawnShow(
            self.catalog,
            show,
            today,
            width,
            revealed,
            folded,
            citations,
            blocks,
            len(rows),
            scopes,
            tuple(map(reached, scopes)),
        )
        self.full_redraws += 1
        seasons = [row for block in blocks for row in block.rows]
        if not seasons:  # a show of the user's, added before any season was known
            edit = key_hint(self, "edit_show", "e")
            seasons = [_info(Text(f"No seasons yet: {edit} adds one.", style="dim italic"))]
        rows += seasons
        details = show_details(show, citations, gate) + other_disputes(show, citations, gate)
        rows += [_info(""), *details] if details else []
        rows += citations.rows(gap=True)
        self.set_options(
            Option(measured(self, row.prompt), id=row.id, disabled=row.disabled) for row in rows
        )
        episodes = [
            (i, key_from_option_id(show.id, option.id))
            for i, option in enumerate(self.options)
            if option.id and option.id.startswith("ep-")
        ]
        resting = [
            i for i, o in enumerate(self.options) if o.id and o.id.startswith(("ep-", "fold-"))
        ] or [0]
        self._episode_rows = range(resting[0], resting[-1] + 1) if episodes or folded else range(0)
        target = episode_option_id(keep) if keep else None
        ids = [option.id for option in self.options]
        if target is not None and target in ids:
            self.highlighted = ids.index(target)
        else:
            unwatched = [i for i, key in episodes if key and not progress.is_watched(key)]
            candidates = unwatched or [i for i, _ in episodes]
            self.highlighted = candidates[0] if candidates else None

    def _redraw_in_place(self, before: Progress, progress: Progress) -> bool:
        """Redraw, with the functions a full redraw uses, only the rows a change of
        progress touched: its episodes' rows and their seasons' headers. False (nothing
        done) when the change reaches rows beyond those, for a full redraw."""
        drawn = self._drawn
        if drawn is None or drawn.catalog is not self.catalog or drawn.show.id != self.show_id:
            return False
        show = drawn.show
        old, new = before.show_state(show.id), progress.show_state(show.id)
        if old is new:
            return True  # a change to other shows: nothing here shows it
        revealed = drawn.revealed

        def reached(scope: SpoilerScope) -> bool:
            return revealed or spoiler_reached(show, scope, progress)

        today = clock.today()
        seasons = seasons_in_order(show, progress)
        if (
            today != drawn.today
            or tuple(map(reached, drawn.scopes)) != drawn.reached
            or self._folded_seasons(show, self.highlighted_key(show.id)) != drawn.folded
            or [season_signature(s, e) for s, e in seasons]
            != [season_signature(b.season, b.episodes) for b in drawn.blocks]
        ):
            return False
        changed = {
            key
            for key in old.episodes.keys() | new.episodes.keys()
            if old.episodes.get(key) is not new.episodes.get(key)
        }
        gate = SpoilerGate(reached, key_hint(self, "toggle_spoilers", "s"))
        shared = (self.catalog.sources, today, drawn.citations, gate)
        prompts: list[tuple[int, Option]] = []
        blocks = list(drawn.blocks)
        start = drawn.first_season_row
        for index, (block, (season, episodes)) in enumerate(
            zip(drawn.blocks, seasons, strict=True)
        ):
            number = season.number
            touched = [key for key in changed if key.season == number]
            columns = block.columns
            if touched and columns is not None:
                columns = episode_columns(
                    show, number, episodes, block.cells, progress, drawn.width
                )
            if columns != block.columns:
                # A column appears or goes (the first watched date of a season, say): the
                # season's rows are all drawn again in place; the rest of the pane stays.
                redrawn = season_block(
                    show, season, episodes, progress, shared, drawn.width, folded=False
                )
                if len(redrawn.header) != len(block.header):
                    return False
                prompts += enumerate(redrawn.rows, start)
                blocks[index] = redrawn
                start += len(block.rows)
                continue
            if touched or old.seasons.get(number) is not new.seasons.get(number):
                header = season_header_rows(
                    show, season, episodes, progress, shared, folded=block.columns is None
                )
                if len(header) != len(block.header):
                    return False
                prompts += enumerate(header, start)
            if touched and columns is not None:
                first_episode_row, offered = start + len(block.header), episodes.offered
                prompts += [
                    (
                        first_episode_row + offered.index(key.episode),
                        _episode_row(
                            key,
                            block.cells[key.episode],
                            progress,
                            upcoming_label(episodes, key.episode),
                            columns,
                        ),
                    )
                    for key in touched
                    if key.episode in offered
                ]
            start += len(block.rows)
        for index, row in prompts:
            self.replace_option_prompt_at_index(index, measured(self, row.prompt))
        if any(mine is not theirs for mine, theirs in zip(blocks, drawn.blocks, strict=True)):
            self._drawn = dataclasses.replace(drawn, blocks=blocks)
        self.border_title, self.border_subtitle = show_heading(show, progress)
        return True

    def _folded_seasons(self, show: Show, keep: EpisodeKey | None) -> set[int]:
        """Of a show with `FOLD_FROM` seasons or more, those shown as one line: all but the
        season of the highlighted episode (else the next one to watch, else the last) and
        those the user unfolded."""
        numbers = {season.number for season in show.seasons}
        if len(numbers) < FOLD_FROM:
            return set()
        if keep is not None and keep.season in numbers:
            current = keep.season
        else:
            upcoming = show_progress(show, self.progress).next_episode
            current = upcoming.season if upcoming is not None else max(numbers)
        return numbers - {current} - self._unfolded.get(show.id, set())

    def unfold(self, season: int) -> None:
        """Show a folded season's episodes, the cursor on its first."""
        if self.show_id is None:
            return
        self._unfolded.setdefault(self.show_id, set()).add(season)
        self._show_current()
        first = next(
            (o.id for o in self.options if o.id and o.id.startswith(f"ep-{season}-")), None
        )
        if first is not None:
            self.highlighted = self.get_option_index(first)

    @on(OptionList.OptionSelected)
    def unfold_selected_season(self, event: OptionList.OptionSelected) -> None:
        """Enter or a click on a folded season unfolds it (on an episode, the app toggles
        it)."""
        season = folded_season(event.option.id)
        if season is not None:
            event.stop()
            self.unfold(season)

    def highlighted_key(self, show_id: str) -> EpisodeKey | None:
        """The highlighted episode, as an episode of `show_id`."""
        option = self.highlighted_option
        return key_from_option_id(show_id, option.id if option else None)

    def highlight_season(self, season: int, episode: int | None = None) -> None:
        """Move the cursor to the season's `episode`, else to the season's first episode
        row (a jump to a release: a season premiere, or an episode past those offered); a
        folded season unfolds."""
        if fold_option_id(season) in {option.id for option in self.options}:
            self.unfold(season)
        rows = [
            (index, key.episode)
            for index, option in enumerate(self.options)
            if (key := key_from_option_id(self.show_id or "", option.id)) and key.season == season
        ]
        if rows:
            self.highlighted = next((i for i, number in rows if number == episode), rows[0][0])

    def highlight_episode(self, key: EpisodeKey) -> None:
        """Move the cursor to `key`'s row, if the pane lists it."""
        ids = [option.id for option in self.options]
        target = episode_option_id(key)
        if target not in ids and fold_option_id(key.season) in ids:
            self.unfold(key.season)
            ids = [option.id for option in self.options]
        if target in ids:
            self.highlighted = ids.index(target)
