"""What the app's Pilot tests share: waiting for saves to land, and hearing notifications."""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot

from tracker_tui.tui import TrackerApp


async def settle(app: TrackerApp, pilot: Pilot[None], *, pauses: int = 1) -> None:
    """Wait for save workers to finish and their messages to land (`pauses` refreshes)."""
    await app.workers.wait_for_complete()
    for _ in range(pauses):
        await pilot.pause()


def notified(notices: list[str], *, with_title: bool = False) -> Callable[[Message], None]:
    """A message hook that adds the text of every notification to `notices` ("title:
    message" with `with_title`)."""

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            notification = message.notification
            text = notification.message
            notices.append(f"{notification.title}: {text}" if with_title else text)

    return hook
