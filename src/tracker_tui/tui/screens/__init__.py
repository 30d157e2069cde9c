"""The app's screens.

Only the screens the app may open before any key is pressed are imported here. The forms
and modals a key opens (show_form_screen, file_problems_screen, rating_screen,
status_screen, viewings_screen) are imported from their own modules where they are
used, when first used, to keep them off start-up.
"""

from __future__ import annotations

from tracker_tui.tui.screens.confirm_screen import ConfirmScreen
from tracker_tui.tui.screens.help_screen import HelpScreen
from tracker_tui.tui.screens.main_screen import MainScreen
from tracker_tui.tui.screens.source_screen import SourceScreen

__all__ = [
    "ConfirmScreen",
    "HelpScreen",
    "MainScreen",
    "SourceScreen",
]
