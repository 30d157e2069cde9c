"""The app's widgets: one pane each."""

from __future__ import annotations

from tracker_tui.tui.widgets.notes_pane import NotesPane
from tracker_tui.tui.widgets.show_pane import ShowPane
from tracker_tui.tui.widgets.shows_pane import ShowsPane

__all__ = ["NotesPane", "ShowPane", "ShowsPane"]
