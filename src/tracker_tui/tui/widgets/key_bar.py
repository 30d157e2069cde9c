"""The key bar: the screen's keys on one line, as Textual's Footer shows them, in one widget.

Textual's Footer makes a widget per key and makes them all again whenever the focus
moves; on the main screen that was half of what starting the app cost. This draws the
same keys as one line of text, again only when the screen's bindings change.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import RenderResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget


class KeyBar(Widget):
    """The keys the focused widget, the screen and the app offer (those with `show`), in
    the order Textual's Footer gives them: bindings of one action once, a binding group
    as one entry ("[ ] Show"), keys that can't act now dimmed; the command palette's key
    at the right end. A click on a key presses it."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
    }
    KeyBar > .key-bar--disabled {
        color: $text-disabled;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--disabled",
    }

    def __init__(self, *, show_command_palette: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.show_command_palette = show_command_palette
        """Name the command palette's key at the right end."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, _screen: Screen[object]) -> None:
        """The focus moved or a binding changed: draw the keys again."""
        self.refresh()

    def entries(self) -> list[tuple[str, str, str, bool]]:
        """(key to press, key as shown, description, enabled) for each entry, in order."""
        by_action: dict[str, tuple[Binding, bool]] = {}
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in by_action:
                by_action[binding.action] = (binding, enabled)
        entries: list[tuple[str, str, str, bool]] = []
        grouped: dict[Binding.Group, int] = {}
        for binding, enabled in by_action.values():
            shown = self.app.get_key_display(binding)
            group = binding.group
            if group is None:
                entries.append((binding.key, shown, binding.description, enabled))
            elif group in grouped:  # another key of the group: its keys side by side
                key, keys, description, was_enabled = entries[grouped[group]]
                entries[grouped[group]] = (key, f"{keys} {shown}", description, was_enabled)
            else:
                grouped[group] = len(entries)
                entries.append((binding.key, shown, group.description, enabled))
        return entries

    def palette_entry(self) -> tuple[str, str, str, bool] | None:
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return None
        found = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if found is None:
            return None
        _node, binding, enabled, _tooltip = found
        return binding.key, self.app.get_key_display(binding), binding.description, enabled

    def _entry(self, entry: tuple[str, str, str, bool]) -> Content:
        key, shown, description, enabled = entry
        click = Style.from_meta({"@click": f"press({key!r})"})
        if not enabled:
            dim = self.get_visual_style("key-bar--disabled") + click
            return Content.assemble((f"{shown} {description}", dim))
        return Content.assemble(
            (shown, self.get_visual_style("key-bar--key") + click),
            " ",
            (description, self.get_visual_style("key-bar--description") + click),
        )

    def render(self) -> RenderResult:
        line = Content(" ").join(self._entry(entry) for entry in self.entries())
        line = Content(" ") + line
        palette = self.palette_entry()
        if palette is not None:  # at the right end, the keys cut short to leave it room
            right = Content("▏") + self._entry(palette)
            room = self.size.width - right.cell_length - 1
            if line.cell_length > room:
                line = line.truncate(max(0, room), ellipsis=True)
            line = line + Content(" " * (self.size.width - line.cell_length - right.cell_length))
            line = line + right
        return line

    def action_press(self, key: str) -> None:
        """A click on a key: the app gets the key, as if typed."""
        self.app.simulate_key(key)
