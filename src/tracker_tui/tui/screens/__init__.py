"""The app's screens."""

from __future__ import annotations

from tracker_tui.tui.screens.confirm_screen import ConfirmScreen
from tracker_tui.tui.screens.file_problems_screen import FileProblemsScreen
from tracker_tui.tui.screens.help_screen import HelpScreen
from tracker_tui.tui.screens.main_screen import MainScreen
from tracker_tui.tui.screens.rating_screen import RatingAnswer, RatingScreen
from tracker_tui.tui.screens.show_form_screen import ShowFormScreen
from tracker_tui.tui.screens.source_screen import SourceScreen
from tracker_tui.tui.screens.status_screen import StatusAnswer, StatusScreen
from tracker_tui.tui.screens.viewings_screen import ViewingsScreen

__all__ = [
    "ConfirmScreen",
    "FileProblemsScreen",
    "HelpScreen",
    "MainScreen",
    "RatingAnswer",
    "RatingScreen",
    "ShowFormScreen",
    "SourceScreen",
    "StatusAnswer",
    "StatusScreen",
    "ViewingsScreen",
]
