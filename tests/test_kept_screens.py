"""The screens the app keeps between opens (history `h`, stats `t`): opened again, they are
styled again only when the app's look changed while they were closed."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.message import Message
from textual.widget import Widget

from tracker_tui.tui import make_app
from tracker_tui.tui.screens.history_screen import HistoryScreen
from tracker_tui.tui.screens.kept_screen import KeptScreen
from tracker_tui.tui.screens.stats_screen import StatsScreen
from tracker_tui.tui.widgets.history_list import HistoryList

from .pilot_helpers import settle
from .test_history_screen import write_history

SIZE = (100, 30)
SCREENS = [("h", HistoryScreen, HistoryList), ("t", StatsScreen, "#stats-body")]


@pytest.mark.parametrize(("key", "screen_type", "styled"), SCREENS)
async def test_opened_again_it_is_styled_again_only_after_a_change_of_theme(
    tracker_home: Path, key: str, screen_type: type[KeptScreen[object]], styled: str | type[Widget]
) -> None:
    write_history(tracker_home)
    resumed: list[events.ScreenResume] = []

    def hook(message: Message) -> None:
        if isinstance(message, events.ScreenResume):
            resumed.append(message)

    async def open_it() -> bool:
        """Open the screen: was it styled again? (What Textual's handler found after the
        screen's: a push, unlike a pop, resumes only the screen pushed.)"""
        resumed.clear()
        await pilot.press(key)
        await settle(app, pilot)
        assert isinstance(app.screen, screen_type)
        [event] = resumed
        return event.refresh_styles

    app = make_app()
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        assert await open_it()  # the first time
        screen = app.screen
        await pilot.press("escape")
        await settle(app, pilot)
        assert not await open_it()  # nothing changed
        part = screen.query_one(styled)
        dark_background = part.styles.background
        await pilot.press("escape")
        await settle(app, pilot)
        app.theme = "textual-light"
        await settle(app, pilot)
        assert await open_it()
        assert app.screen is screen
        assert part.styles.background != dark_background  # the new theme's
