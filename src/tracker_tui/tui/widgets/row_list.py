"""A list of same-height rows on the Line API: a long list costs only the rows on screen.

Textual's OptionList measures every option's height whenever one prompt changes or the
options are set again, and draws every visible option again; with 2,000 shows that is
most of a key's time. Here every row is `row_height` lines, so the layout is a
multiplication; a row is drawn when it first comes into view, its lines kept per width
and style, and a change to one row (`forget_row`) draws only that row again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual

from tracker_tui.tui.widgets.lists import VimOptionList

MAX_LOOKS_PER_ROW = 8
"""Kept renders of one row (a width and a style each: plain, highlighted, hovered,
focused or not); past this the row's renders are dropped and made again as needed."""


class RowList(ScrollView, can_focus=True):
    """Rows named by id, each `row_height` lines, one highlighted; it looks and moves as
    the app's OptionLists do. A subclass says how a row looks (`render_row`).

    The keys: up/down, home/end and page up/down are Textual's scrolling keys
    (ScrollableContainer's bindings), which here move the highlight, as a list's arrows
    do; j/k are every list's (`VimOptionList`). The mouse wheel scrolls without moving
    it; a click highlights a row.
    """

    ALLOW_SELECT = False

    DEFAULT_CSS = """
    RowList {
        height: auto;
        max-height: 100%;
        color: $foreground;
        overflow-x: hidden;
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
        & > .row-list--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
            & > .row-list--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .row-list--hover {
            background: $block-hover-background;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"row-list--highlighted", "row-list--hover"}
    """
    | Class | Description |
    | :- | :- |
    | `row-list--highlighted` | The highlighted row. |
    | `row-list--hover` | The row under the mouse (unless highlighted). |
    """

    BINDINGS: ClassVar[list[BindingType]] = list(VimOptionList.BINDINGS)

    row_height: ClassVar[int] = 1
    """Lines per row, the same for every row."""

    highlighted: reactive[int | None] = reactive(None)
    """The highlighted row's index, or None when the list is empty."""

    class Highlighted(Message):
        """The highlight moved to another row (a key, a click, or new rows)."""

        def __init__(self, row_list: RowList, row_id: str, index: int) -> None:
            super().__init__()
            self.row_list = row_list
            """The list whose highlight moved."""
            self.row_id = row_id
            """The row now highlighted."""
            self.index = index
            """Its place in the list."""

        @property
        def control(self) -> RowList:
            """The list whose highlight moved (what `@on` selectors match)."""
            return self.row_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._row_ids: Sequence[str] = ()
        self._index: dict[str, int] | None = None
        """Each listed row's index, worked out when first asked for."""
        self._hover: int | None = None
        self._looks: dict[str, dict[tuple[int, Style], list[Strip]]] = {}
        """Each row's lines as drawn, by width and style."""
        self.rows_drawn = 0
        """How many times a row was drawn (rendered to lines): what a change costs."""

    # --- rows --------------------------------------------------------------------------

    @property
    def row_ids(self) -> Sequence[str]:
        """The listed rows, top to bottom."""
        return self._row_ids

    @property
    def highlighted_id(self) -> str | None:
        """The highlighted row, if any."""
        index = self.highlighted
        return None if index is None else self._row_ids[index]

    def index_of(self, row_id: str) -> int | None:
        """Where `row_id` is listed, or None if it is not."""
        if self._index is None:
            self._index = {row_id: index for index, row_id in enumerate(self._row_ids)}
        return self._index.get(row_id)

    def set_rows(self, row_ids: Sequence[str], highlighted: int | None) -> None:
        """List `row_ids` (unique), with row `highlighted` highlighted (clamped to the list)
        and in view. Rows drawn before keep their lines: listing again draws only rows
        never drawn. Posts `Highlighted` if another row is highlighted than before."""
        before = self.highlighted_id
        self._row_ids = row_ids
        self._index = None
        self._hover = None
        self._size_to_rows()
        self.set_reactive(RowList.highlighted, self.validate_highlighted(highlighted))
        self.scroll_to(y=0, animate=False, immediate=True)
        self.scroll_to_highlight()
        self.refresh()
        if self.highlighted is not None and self.highlighted_id != before:
            self.post_message(
                self.Highlighted(self, self._row_ids[self.highlighted], self.highlighted)
            )

    def forget_row(self, row_id: str) -> None:
        """The row looks different now: draw it again (only it) when it is next shown."""
        if self._looks.pop(row_id, None) is None:
            return
        index = self.index_of(row_id)
        if index is not None:
            self._refresh_row(index)

    def render_row(self, row_id: str) -> Visual:
        """How the row looks, in `row_height` lines at most; drawn when it first shows."""
        raise NotImplementedError

    # --- drawing -----------------------------------------------------------------------

    def _size_to_rows(self) -> None:
        width = self.scrollable_content_region.width
        self.virtual_size = Size(width, len(self._row_ids) * self.row_height)

    def on_resize(self) -> None:
        self._size_to_rows()

    def on_show(self) -> None:
        self.scroll_to_highlight()

    def notify_style_update(self) -> None:
        """Focus, hover or a theme changed the styles: draw again (each row's lines are
        kept per style, so returning to a style draws nothing)."""
        self.refresh()
        super().notify_style_update()

    def _row_style(self, index: int) -> Style:
        if index == self.highlighted:
            return self.get_visual_style("row-list--highlighted")
        if index == self._hover:
            return self.get_visual_style("row-list--hover")
        return self.get_visual_style()

    def _row_lines(self, row_id: str, width: int, style: Style) -> list[Strip]:
        """The row drawn at `width` in `style`, as kept, or drawn now."""
        looks = self._looks.setdefault(row_id, {})
        lines = looks.get((width, style))
        if lines is None:
            if len(looks) >= MAX_LOOKS_PER_ROW:
                looks.clear()
            visual = self.render_row(row_id)
            drawn = Visual.to_strips(self, visual, width, None, style)[: self.row_height]
            lines = [strip.extend_cell_length(width, style.rich_style) for strip in drawn]
            lines += [Strip.blank(width, style.rich_style)] * (self.row_height - len(lines))
            looks[(width, style)] = lines
            self.rows_drawn += 1
        return lines

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index, line = divmod(self.scroll_offset.y + y, self.row_height)
        if not 0 <= index < len(self._row_ids):
            return Strip.blank(width, self.get_visual_style().rich_style)
        return self._row_lines(self._row_ids[index], width, self._row_style(index))[line]

    def _refresh_row(self, index: int | None) -> None:
        if index is not None and index < len(self._row_ids):
            self.refresh_lines(index * self.row_height, self.row_height)

    # --- moving ------------------------------------------------------------------------

    def validate_highlighted(self, highlighted: int | None) -> int | None:
        if highlighted is None or not self._row_ids:
            return None
        return max(0, min(highlighted, len(self._row_ids) - 1))

    def watch_highlighted(self, before: int | None, highlighted: int | None) -> None:
        """Redraw the two rows, bring the new one into view and say so."""
        self._refresh_row(before)
        self._refresh_row(highlighted)
        if highlighted is not None:
            self.scroll_to_highlight()
            self.post_message(self.Highlighted(self, self._row_ids[highlighted], highlighted))

    def scroll_to_highlight(self, top: bool = False) -> None:
        """Scroll so the highlighted row shows (at the top if `top`)."""
        if self.highlighted is None or not self.is_mounted:
            return
        height = self.row_height
        self.scroll_to_region(
            Region(0, self.highlighted * height, self.scrollable_content_region.width, height),
            force=True,
            animate=False,
            top=top,
            immediate=True,
        )

    def action_cursor_down(self) -> None:
        """The next row; from the last, the first."""
        if self._row_ids:
            current = self.highlighted
            self.highlighted = 0 if current is None else (current + 1) % len(self._row_ids)

    def action_cursor_up(self) -> None:
        """The row before; from the first, the last."""
        if self._row_ids:
            current = self.highlighted
            last = len(self._row_ids) - 1
            self.highlighted = last if current is None else (current - 1) % len(self._row_ids)

    def action_scroll_down(self) -> None:
        """Down, as a list's arrow moves."""
        self.action_cursor_down()

    def action_scroll_up(self) -> None:
        """Up, as a list's arrow moves."""
        self.action_cursor_up()

    def action_scroll_home(self) -> None:
        """Home: the first row."""
        if self._row_ids:
            self.highlighted = 0

    def action_scroll_end(self) -> None:
        """End: the last row."""
        if self._row_ids:
            self.highlighted = len(self._row_ids) - 1

    def _move_page(self, direction: int) -> None:
        """A screenful of lines on, to the row on that line."""
        if self.highlighted is None:
            self.highlighted = 0 if direction < 0 else len(self._row_ids) - 1
            return
        last_line = len(self._row_ids) * self.row_height - 1
        line = (
            self.highlighted * self.row_height + direction * self.scrollable_content_region.height
        )
        self.highlighted = max(0, min(line, last_line)) // self.row_height

    def action_page_down(self) -> None:
        """A page down."""
        if self._row_ids:
            self._move_page(1)

    def action_page_up(self) -> None:
        """A page up."""
        if self._row_ids:
            self._move_page(-1)

    # --- the mouse ---------------------------------------------------------------------

    def _row_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        index = (self.scroll_offset.y + offset.y) // self.row_height
        return index if 0 <= index < len(self._row_ids) else None

    def on_click(self, event: events.Click) -> None:
        """A click highlights the row under it."""
        index = self._row_at(event)
        if index is not None:
            self.highlighted = index

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """The row under the mouse is lit."""
        self._set_hover(self._row_at(event))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, index: int | None) -> None:
        if index != self._hover:
            before, self._hover = self._hover, index
            self._refresh_row(before)
            self._refresh_row(index)
