"""The app's import: `I` (or the palette's "Import…") previews an export, writing nothing,
and ctrl+s applies it; the new shows and viewings appear without a restart."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import Input, Static

from tracker_tui.tui import make_app
from tracker_tui.tui.screens.import_screen import ImportScreen

from .conftest import REPO
from .import_helpers import snapshot
from .pilot_helpers import notified, settle

TRAKT = REPO / "tests" / "fixtures" / "exchange" / "trakt" / "jane-trakt-export"


def preview_text(app: App[None]) -> str:
    return str(app.screen.query_one("#import-preview", Static).render())


def type_path(app: App[None], path: Path) -> None:
    app.screen.query_one("#import-path", Input).value = str(path)


async def test_preview_writes_nothing_then_ctrl_s_imports(tracker_home: Path) -> None:
    notices: list[str] = []
    app = make_app()
    async with app.run_test(size=(100, 30), message_hook=notified(notices)) as pilot:
        await settle(app, pilot)
        before = snapshot(tracker_home)
        await pilot.press("I")
        assert isinstance(app.screen, ImportScreen)
        await pilot.press("ctrl+s")  # nothing previewed yet: it says so, and stays
        assert isinstance(app.screen, ImportScreen)
        assert any("Preview first" in notice for notice in notices)
        type_path(app, TRAKT)
        await pilot.press("enter")
        await settle(app, pilot, pauses=2)
        shown = preview_text(app)
        assert "Detected a Trakt export" in shown
        assert "Shows: 3 created, 1 matched" in shown
        assert "Press ctrl+s to import it; nothing is written until then." in shown
        assert snapshot(tracker_home) == before, "a preview writes nothing"
        await pilot.press("ctrl+s")
        await settle(app, pilot, pauses=3)
        assert not isinstance(app.screen, ImportScreen)
        await settle(app, pilot, pauses=3)
        titles = [show.title for show in app.catalog.shows]
        assert "Severance" in titles
        assert any("3 shows created, 8 viewings" in notice for notice in notices)
    assert sorted(path.name for path in (tracker_home / "shows").iterdir()) == [
        "kingdom-2.toml",
        "kingdom.toml",
        "severance.toml",
    ]


async def test_an_unusable_path_is_explained_in_the_preview(tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("I")
        type_path(app, tmp_path / "nothing-here.zip")
        await pilot.press("enter")
        await settle(app, pilot, pauses=2)
        shown = preview_text(app)
        assert "cannot open" in shown and "nothing-here.zip" in shown
        assert "Fix the path or pick the format" in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, ImportScreen)
