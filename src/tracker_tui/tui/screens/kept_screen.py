"""A modal screen the app composes once and opens again and again (history, stats)."""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.app import App
from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")

AppLook = tuple[object, ...]
"""What the styles of a screen's widgets depend on outside the screen itself."""


def app_look(app: App[object]) -> AppLook:
    """The theme, the app's classes (the theme's among them) and what its pseudo-classes
    (`:focus`, `:dark`, `:ansi`, `:nocolor`...) read: a change of any may restyle every
    widget. The stylesheet itself changes only with the theme (its variables)."""
    return (
        app.theme,
        app.classes,
        app.app_focus,
        app.ansi_color,
        app.no_color,
        app.is_inline,
    )


class KeptScreen(ModalScreen[ResultType]):
    """Installed by the app on first use and pushed again on each open.

    Textual works out the styles of every widget of a screen each time it is pushed (a
    theme may have changed while it was away): for a kept screen, a third of an opening.
    A kept screen asks for that only when what its styles depend on outside it changed
    since it was last styled. Changes inside the screen (a class added, the focus moved)
    restyle the widgets they touch at once, as on any screen, so they need nothing here.
    """

    def __init__(self) -> None:
        super().__init__()
        self.styled_for: AppLook | None = None
        """The app's look when the screen was last styled; None: never yet."""

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Runs before Textual's own handler (a subclass's handlers come first), which
        restyles the screen only if `refresh_styles` holds."""
        look = app_look(self.app)
        if event.refresh_styles and look == self.styled_for:
            event.refresh_styles = False
        self.styled_for = look
