"""Import another tracker's export: a path and a format in, the dry run's preview, then
apply. The screen reads and plans (in a thread, writing nothing); the app applies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from tracker_tui.tui.keys import key_hint

# The importers load when the screen is composed, not when its module is (a keymap's
# check imports every screen's module at start).
if TYPE_CHECKING:
    from tracker_tui.domain.exchange.plan import ImportPlan

FORMAT_NAMES = {
    "auto": "detect the format",
    "trakt": "Trakt (ZIP or folder)",
    "tvtime": "TV Time (GDPR export)",
    "simkl": "Simkl backup (JSON)",
    "mal": "MyAnimeList (XML or .gz)",
    "yamtrack": "Yamtrack (CSV)",
    "csv": "tracker's CSV",
}
"""What the format list offers; `tracker` (a progress file) stays on the command line."""

Planner = Callable[[Path, str], "tuple[ImportPlan, str]"]
"""Reads the export at a path as a format and plans it against the library, writing
nothing: the plan and its preview text. Raises ValueError with the message to show."""


class ImportScreen(ModalScreen["ImportPlan | None"]):
    """Dismisses with the previewed plan to apply, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "apply",
            "Import",
            tooltip="Import what the preview shows.",
            id="import.apply",
            priority=True,
        ),
        Binding(
            "escape",
            "dismiss(None)",
            "Cancel",
            tooltip="Close without importing anything.",
            id="import.cancel",
        ),
    ]

    @dataclass
    class Previewed(Message):
        """The planner finished in its thread: a plan and its text, or what went wrong."""

        path: Path
        fmt: str
        plan: ImportPlan | None
        text: str

    def __init__(self, planner: Planner, path: str = "") -> None:
        super().__init__()
        self.planner = planner
        self.initial_path = path
        self.plan: ImportPlan | None = None
        """The last preview's plan, for what the path and format fields still say."""
        self.previewed_for: tuple[Path, str] | None = None

    def compose(self) -> ComposeResult:
        from tracker_tui.domain.exchange.batch import FORMATS

        apply = key_hint(self, "import.apply", "ctrl+s")
        cancel = key_hint(self, "import.cancel", "escape")
        options = [
            (FORMAT_NAMES[name], name) for name in ("auto", *FORMATS) if name in FORMAT_NAMES
        ]
        with Vertical(id="import-body"):
            yield Static(Text("Import another tracker's history", style="bold"))
            with Horizontal(id="import-fields"):
                yield Input(
                    self.initial_path,
                    placeholder="an export: a file, a folder or a .zip",
                    id="import-path",
                )
                yield Select(options, value="auto", allow_blank=False, id="import-format")
            with VerticalScroll(id="import-preview-scroll"):
                yield Static(
                    Text("Type the export's path and press enter to preview the import."),
                    id="import-preview",
                )
            yield Static(
                Text(f"enter: preview (nothing is written)   {apply}: import   {cancel}: cancel"),
                id="import-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    def _wanted(self) -> tuple[Path, str] | None:
        typed = self.query_one("#import-path", Input).value.strip()
        if not typed:
            return None
        fmt = self.query_one("#import-format", Select).value
        return Path(typed).expanduser(), str(fmt)

    @on(Input.Submitted, "#import-path")
    def preview(self) -> None:
        """Read and plan in a thread; the preview says what would change."""
        wanted = self._wanted()
        if wanted is None:
            self._show(Text("Type the path of the export first.", style="bold"))
            return
        self.plan = None
        self._show(Text(f"Reading {wanted[0]}…"))
        self._plan_worker(*wanted)

    @on(Select.Changed, "#import-format")
    def format_changed(self) -> None:
        if self.previewed_for is not None:
            self.preview()

    @work(thread=True, exclusive=True, group="import-preview", description="Planning an import")
    def _plan_worker(self, path: Path, fmt: str) -> None:
        try:
            plan, text = self.planner(path, fmt)
        except ValueError as error:
            self.post_message(self.Previewed(path, fmt, None, str(error)))
            return
        self.post_message(self.Previewed(path, fmt, plan, text))

    @on(Previewed)
    def show_preview(self, message: Previewed) -> None:
        if (message.path, message.fmt) != self._wanted():
            return  # the fields changed since: that preview is on its way
        self.plan, self.previewed_for = message.plan, (message.path, message.fmt)
        apply = key_hint(self, "import.apply", "ctrl+s")
        # What to do next comes first: a long list of skipped records scrolls below it.
        if message.plan is None:
            head = "Fix the path or pick the format, then press enter again."
        elif message.plan.is_empty():
            head = "Nothing to import: it is all in your library already."
        else:
            head = f"Press {apply} to import it; nothing is written until then."
        self._show(Text(head, style="bold") + Text("\n\n" + message.text))

    def _show(self, text: Text) -> None:
        self.query_one("#import-preview", Static).update(text)

    def action_apply(self) -> None:
        """Apply the plan previewed for what the fields say now, and only that one."""
        if self.plan is None or self.previewed_for != self._wanted():
            self.notify("Preview first: press enter in the path field.", markup=False)
            return
        if self.plan.is_empty():
            self.dismiss(None)
            return
        self.dismiss(self.plan)
