"""The Line API list under the shows pane: it draws only rows on screen, a change draws
only its own row, and keys, clicks and the filter work on thousands of rows."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.content import Content
from textual.message import Message
from textual.visual import Visual
from textual.widgets import OptionList

from tracker_tui.domain.catalog.loader import matches_part
from tracker_tui.tui import make_app
from tracker_tui.tui.widgets import ShowsPane
from tracker_tui.tui.widgets.row_list import RowList

from .pilot_helpers import settle

ROWS = 5_000
SIZE = (40, 20)
"""The list fills the screen: 20 lines, 10 rows of two lines."""


class NumberList(RowList):
    """Rows of two lines: the number, then a version that `bump` changes."""

    row_height = 2

    def __init__(self) -> None:
        super().__init__(id="numbers")
        self.versions: dict[str, int] = {}

    def render_row(self, row_id: str) -> Visual:
        return Content(f"row {row_id}\nversion {self.versions.get(row_id, 0)}")

    def bump(self, row_id: str) -> None:
        self.versions[row_id] = self.versions.get(row_id, 0) + 1
        self.forget_row(row_id)


class ListApp(App[None]):
    CSS = "NumberList { height: 1fr; border: none; padding: 0; }"

    def __init__(self) -> None:
        super().__init__()
        self.highlights: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        yield NumberList()

    def on_mount(self) -> None:
        numbers = self.query_one(NumberList)
        numbers.set_rows([str(n) for n in range(ROWS)], 0)
        numbers.focus()

    def on_row_list_highlighted(self, message: RowList.Highlighted) -> None:
        assert message.control is self.query_one(NumberList)
        self.highlights.append((message.row_id, message.index))


def screen_text(app: App[None]) -> list[str]:
    """The list's lines as shown."""
    numbers = app.query_one(NumberList)
    return [numbers.render_line(y).text.rstrip() for y in range(numbers.size.height)]


async def test_only_the_rows_on_screen_are_drawn() -> None:
    app = ListApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        numbers = app.query_one(NumberList)
        assert numbers.virtual_size.height == ROWS * 2
        assert numbers.rows_drawn == 10
        assert screen_text(app)[:3] == ["row 0", "version 0", "row 1"]
        assert numbers.show_vertical_scrollbar


async def test_a_change_draws_its_own_row_again_and_no_other() -> None:
    app = ListApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        numbers = app.query_one(NumberList)
        drawn = numbers.rows_drawn
        numbers.bump("3")
        await pilot.pause()
        assert numbers.rows_drawn == drawn + 1
        assert screen_text(app)[6:8] == ["row 3", "version 1"]
        numbers.bump("4000")  # off screen: drawn when it shows
        await pilot.pause()
        assert numbers.rows_drawn == drawn + 1


async def test_listing_thousands_again_draws_only_what_shows() -> None:
    app = ListApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        numbers = app.query_one(NumberList)
        drawn = numbers.rows_drawn
        every_other = [str(n) for n in range(0, ROWS, 2)]
        numbers.set_rows(every_other, 1)
        await pilot.pause()
        assert numbers.highlighted_id == "2"
        assert app.highlights[-1] == ("2", 1)
        # Rows 4, 6 and 8 are drawn as they were; 0 and 2 swapped the highlight; the
        # screen's other five are new.
        assert numbers.rows_drawn == drawn + 7
        assert numbers.index_of("4998") == ROWS // 2 - 1
        assert numbers.index_of("3") is None
        numbers.set_rows([], None)
        await pilot.pause()
        assert numbers.highlighted is None
        assert screen_text(app) == [""] * SIZE[1]


async def test_keys_move_the_highlight_and_keep_it_in_view() -> None:
    app = ListApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        numbers = app.query_one(NumberList)
        app.highlights.clear()
        await pilot.press("down", "j", "j", "k")
        assert numbers.highlighted == 2
        await pilot.press("up", "up", "up")  # past the first row: the last
        assert numbers.highlighted == ROWS - 1
        assert numbers.scroll_offset.y == ROWS * 2 - SIZE[1]
        await pilot.press("down")  # past the last: the first
        assert numbers.highlighted == 0
        await pilot.press("pagedown")  # 20 lines: 10 rows
        assert numbers.highlighted == 10
        await pilot.press("pageup")
        assert numbers.highlighted == 0
        await pilot.press("end")
        assert numbers.highlighted_id == str(ROWS - 1)
        await pilot.press("home")
        assert numbers.highlighted_id == "0"
        assert numbers.scroll_offset.y == 0
        assert app.highlights[:3] == [("1", 1), ("2", 2), ("3", 3)]


async def test_a_click_highlights_the_row_under_it_and_scrolling_does_not() -> None:
    app = ListApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        numbers = app.query_one(NumberList)
        await pilot.click(numbers, offset=(3, 7))  # line 7: row 3's second line
        assert numbers.highlighted == 3
        numbers.scroll_to(y=9, animate=False)
        await pilot.pause()
        assert numbers.highlighted == 3
        await pilot.click(numbers, offset=(3, 0))  # line 9: row 4's second line
        assert numbers.highlighted == 4


async def test_the_row_under_the_mouse_is_lit() -> None:
    app = ListApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        numbers = app.query_one(NumberList)
        drawn = numbers.rows_drawn
        plain = next(iter(numbers.render_line(4))).style
        await pilot.hover(numbers, offset=(3, 4))
        await pilot.pause()
        assert numbers.rows_drawn == drawn + 1  # row 2, lit
        assert next(iter(numbers.render_line(4))).style != plain


# --- in the app: shows ------------------------------------------------------------------

SHOWS = 2_000


def many_shows(home: Path) -> None:
    shows = home / "shows"
    shows.mkdir()
    for n in range(SHOWS):
        (shows / f"s{n:04d}.toml").write_text(
            f'id = "s{n:04d}"\ntitle = "Show {n:04d}"\nkind = "series"\n'
            "[[seasons]]\nnumber = 1\nepisode_count = 3\n"
            '[[seasons.status]]\nstate = "released"\ndetail = "Out"\n'
        )


async def test_thousands_of_shows_filter_mark_and_click(tracker_home: Path) -> None:
    many_shows(tracker_home)
    posted: list[ShowsPane.ShowHighlighted] = []

    def hook(message: Message) -> None:
        if isinstance(message, ShowsPane.ShowHighlighted) and message not in posted:
            posted.append(message)

    app = make_app()
    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        await pilot.pause()
        pane = app.query_one(ShowsPane)
        show_list = pane.show_list
        assert len(pane.visible_ids()) == SHOWS + 2  # and the two bundled shows
        assert show_list.rows_made < 20

        # The filter, letter by letter: each listing makes only the rows it shows.
        await pilot.press("slash", "1", "2", "3")
        wanted = [show.id for show in app.catalog.shows if matches_part(show, "123")]
        assert pane.visible_ids() == wanted
        assert app.show_id == wanted[0]
        await pilot.press("backspace")
        await pilot.pause()
        assert pane.visible_ids() == [s.id for s in app.catalog.shows if matches_part(s, "12")]
        await pilot.press("escape")
        await pilot.pause()
        assert len(pane.visible_ids()) == SHOWS + 2
        assert show_list.rows_made < 60

        # A mark makes and draws only its own row.
        await pilot.press("end")
        await pilot.pause()
        last = pane.visible_ids()[-1]
        assert app.show_id == last
        await pilot.press("tab")
        await settle(app, pilot)
        made, drawn = show_list.rows_made, show_list.rows_drawn
        await pilot.press("space")
        await settle(app, pilot)
        assert "1/3" in show_list.row_text(last).plain
        assert (show_list.rows_made, show_list.rows_drawn) == (made + 1, drawn + 1)

        # A click on a row near the end of the list makes its show current.
        posted.clear()
        await pilot.click(show_list, offset=(3, 1))  # the top row on screen
        top = pane.visible_ids()[show_list.scroll_offset.y // 3]
        assert [message.show_id for message in posted] == [top]
        assert app.show_id == top != last


async def test_a_status_change_then_a_typed_filter_lists_what_both_let_through() -> None:
    """The status filter's shows are carried over a change of progress, not worked out
    again: a show put on hold leaves "plan to watch", and typing then does not bring it
    back; taking it off hold does."""
    from tracker_tui.tui.screens.status_screen import StatusScreen

    aoud, kaiju = "all-of-us-are-dead", "kaiju-girl-caramelise"

    async def choose_status(status: str) -> None:
        await pilot.press("l")
        screen = app.screen
        assert isinstance(screen, StatusScreen)
        options = screen.query_one("#status-list", OptionList)
        options.highlighted = options.get_option_index(status)
        await pilot.press("enter")
        await settle(app, pilot)

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        shows = app.query_one(ShowsPane)
        await pilot.press("f", "f")
        assert shows.status_filter == "plan-to-watch"
        assert shows.visible_ids() == [aoud, kaiju]
        await choose_status("on-hold")
        assert shows.visible_ids() == [kaiju]
        await pilot.press("slash", "a")  # in both titles
        assert shows.visible_ids() == [kaiju]
        await pilot.press("enter", "f")  # the filter kept
        assert shows.status_filter == "on-hold"
        assert shows.visible_ids() == [aoud]
        await choose_status("plan-to-watch")
        assert shows.visible_ids() == []
        await pilot.press(*["f"] * 6)  # round to plan to watch
        assert shows.status_filter == "plan-to-watch"
        assert shows.visible_ids() == [aoud, kaiju]


async def test_a_keymap_moves_the_shows_list_s_keys_as_every_list_s(tracker_home: Path) -> None:
    """The shows list has every list's j and k (`list.down`, `list.up`): remapped in
    settings.json, they move there as in the other lists."""
    (tracker_home / "settings.json").write_text('{"keymap": {"list.down": "J", "list.up": "K"}}')
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.keymap == {"list.down": "J", "list.up": "K"}
        show_list = app.query_one(ShowsPane).show_list
        await pilot.press("J")
        assert show_list.highlighted == 1
        assert app.show_id == "kaiju-girl-caramelise"
        await pilot.press("j")  # the default key is free again: it does nothing here
        assert show_list.highlighted == 1
        await pilot.press("K")
        assert show_list.highlighted == 0
