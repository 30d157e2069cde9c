"""The user's library in the app: adding, editing and removing shows (the forms, the
editor, undoing a removal), and watching the show folders for other programs' changes.

The App keeps the keys and hands each to `ShowLibrary`; file work runs in thread workers
that post `CatalogReloaded` (with the catalog read again) or `ShowWriteFailed` back.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported

from tracker_tui.domain.catalog.loader import Catalog, load_catalog
from tracker_tui.domain.catalog.models import Show
from tracker_tui.domain.files import Stamp, file_stamp
from tracker_tui.domain.paths import DataDirError, user_overlays_dir, user_shows_dir
from tracker_tui.tui.keys import key_hint
from tracker_tui.tui.messages import CatalogReloaded, CatalogStamp, FileChecked, ShowWriteFailed
from tracker_tui.tui.screens.confirm_screen import ConfirmScreen

# Writing shows (authoring, tomlkit) and the forms are imported when first used: the first
# screen needs neither, and together they cost tens of milliseconds of start-up.
if TYPE_CHECKING:
    from tracker_tui.domain.catalog.authoring import RemovedShow, ShowDraft
    from tracker_tui.tui.app import TrackerApp
    from tracker_tui.tui.screens.show_form_screen import FormResult

BUNDLED_NOTE = (
    "A bundled show: what you save here goes into your own notes for it, shown as yours; "
    "the cited data, title and kind stay as they are."
)


def watched_folders() -> list[Path]:
    """The folders whose show files make the catalog: the user's shows and their notes on
    bundled shows."""
    return [user_shows_dir(), user_overlays_dir()]


def catalog_stamp(folders: Sequence[Path]) -> CatalogStamp:
    """Changes when a show file is added, removed, replaced or written in place."""
    stamps: list[tuple[str, Stamp | None]] = []
    for folder in folders:
        stamps.append((str(folder), file_stamp(folder)))
        try:
            with os.scandir(folder) as entries:
                names = [entry.path for entry in entries if entry.name.endswith(".toml")]
        except OSError:
            continue
        stamps.extend((name, file_stamp(Path(name))) for name in names)
    return tuple(sorted(stamps, key=lambda stamp: stamp[0]))


def editor_command() -> list[str] | None:
    """$VISUAL, else $EDITOR, as a command line; None when neither is set."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor or not editor.strip():
        return None
    import shlex  # only an edit in the editor needs it

    return shlex.split(editor)


class ShowLibrary:
    """What the app's add, edit, remove and undo keys do to show files."""

    def __init__(self, app: TrackerApp, read_at: int) -> None:
        self.app = app
        self.stamp: CatalogStamp | None = None
        """The show folders as the catalog the app shows last saw them."""
        self.read_at: int | None = read_at
        """When the shown catalog began to be read (ns since the epoch), until the first
        check takes the folders' stamp: statting every file (20 ms for 1,000 shows) is
        left to that check's thread, off the way to the first paint."""
        self.loading = False
        """A check of the folders runs now: the timer starts no second one."""
        self.reported = {str(problem) for problem in app.catalog.problems}
        """Problems of show files already notified: a reload notifies only new ones."""
        self.editing: Path | None = None
        """The file open in the editor flow, whose problems its own screen lists."""

    def is_users(self, show: Show) -> bool:
        """Whether `show` comes from the user's own file (not bundled), as loaded: no
        disk read on a key press."""
        entries = self.app.catalog.entries
        return any(entry.show.id == show.id and not entry.bundled for entry in entries)

    # --- reading the catalog again ---------------------------------------------------------

    def check_folders(self) -> None:
        """On a timer: read the catalog again if a show file changed."""
        if not self.loading:
            self.loading = True
            known, read_at = self.stamp, self.read_at
            self.app.run_worker(
                lambda: self.reload_worker(known, read_at=read_at),
                thread=True,
                group="catalog",
                description="Checking the show files",
            )

    def reload(self, select: Path | str | None = None, notice: str | None = None) -> None:
        """Read the catalog again now (after a change of ours), then select `select`."""
        self.app.run_worker(
            lambda: self.reload_worker(None, select, notice),
            thread=True,
            group="catalog",
            description="Reading the show files",
        )

    def reload_worker(
        self,
        known: CatalogStamp | None,
        select: Path | str | None = None,
        notice: str | None = None,
        *,
        read_at: int | None = None,
    ) -> None:
        """In a thread: if the folders' stamp is not `known`, load the catalog and post it.
        The first check has no stamp yet, only when the catalog was read (`read_at`): a
        file or folder changed since then makes it load."""
        stamp: CatalogStamp | None = known
        catalog = None
        try:
            stamp = catalog_stamp(watched_folders())
            if known is None and read_at is not None:
                changed = any(s is not None and s[2] >= read_at for _, s in stamp)  # ctime
            else:
                changed = stamp != known
            catalog = load_catalog() if changed else None
            if catalog is not None and select is None and self.same_as_shown(catalog):
                catalog = None  # touched, not changed: nothing to redraw
        except (OSError, DataDirError) as error:
            notice = f"Cannot read the show files: {error}"  # the next change tries again
        self.app.post_message(CatalogReloaded(catalog, stamp, select, notice))

    def same_as_shown(self, catalog: Catalog) -> bool:
        """Whether `catalog` holds what the app shows (compared in the worker's thread:
        the app's catalog is replaced, never changed in place)."""
        return catalog.same_as(self.app.catalog)

    def take_catalog(self, message: CatalogReloaded) -> None:
        """Show the catalog read again: the highlighted show stays (or the one just
        written is highlighted); new problems are notified as at start-up."""
        self.loading = False
        self.stamp = message.stamp
        self.read_at = None
        catalog = message.catalog
        if catalog is None:
            return
        app = self.app
        app.catalog = catalog
        if message.select is not None and message.select == self.editing:
            self.editing = None  # the edited file is fine, or kept as is: report as usual
        selected = app.show_id
        if isinstance(message.select, str):
            selected = message.select
        elif message.select is not None:
            entry = next((e for e in catalog.entries if e.path == message.select), None)
            selected = entry.show.id if entry else selected
        app.main_screen.replace_catalog(catalog, selected)
        editing = str(self.editing)
        problems = [str(problem) for problem in catalog.problems if problem.file != editing]
        for problem in problems:
            if problem not in self.reported:
                app.notify(
                    problem,
                    title="Problem in a show file",
                    severity="warning",
                    markup=False,
                    timeout=15,
                )
        self.reported = set(problems)
        if message.notice:
            app.notify(message.notice, markup=False)

    # --- writing show files --------------------------------------------------------------

    def write(
        self,
        write: Callable[[], Path],
        done: Callable[[Path], str],
        retry: Callable[[], None] | None = None,
        select: str | None = None,
    ) -> None:
        """Run `write` in a thread, then reload and select what it wrote (or the show
        `select`), saying `done`."""

        from tracker_tui.domain.catalog.authoring import DraftError

        def worker() -> None:
            try:
                path = write()
            except (OSError, ValueError) as error:
                problems = error.problems if isinstance(error, DraftError) else []
                reason = "; ".join(p.message for p in problems) if problems else str(error)
                self.app.post_message(ShowWriteFailed(reason, retry))
                return
            self.reload_worker(None, select or path, done(path))

        self.app.run_worker(worker, thread=True, group="catalog-write", description="Saving")

    def report_failure(self, message: ShowWriteFailed) -> None:
        """A write failed: say why, and reopen the form with the user's draft."""
        self.app.notify(
            f"{message.reason}. Nothing was changed.",
            title="Could not save the show",
            severity="error",
            markup=False,
            timeout=10,
        )
        if message.retry is not None:
            message.retry()

    def add(self, initial: ShowDraft | None = None) -> None:
        """The add form; saving writes a new show file and highlights the new show."""
        from tracker_tui.domain.catalog.authoring import ShowDraft, add_show
        from tracker_tui.tui.screens.show_form_screen import ShowFormScreen

        def save(result: FormResult) -> None:
            if not isinstance(result, ShowDraft):
                return
            taken = [show.id for show in self.app.catalog.shows]
            self.write(
                lambda: add_show(result, taken),
                lambda path: f"Added “{result.title}” ({path}).",
                lambda: self.add(result),
            )

        self.app.push_screen(ShowFormScreen("Add a show", initial), save)

    def edit(self, show: Show, initial: ShowDraft | None = None) -> None:
        """The edit form, prefilled; "edit file" opens the show's file in the editor."""
        from tracker_tui.domain.catalog.authoring import ShowDraft, draft_of, save_edit
        from tracker_tui.tui.screens.show_form_screen import OpenInEditor, ShowFormScreen

        user_show = self.is_users(show)

        def save(result: FormResult) -> None:
            if isinstance(result, OpenInEditor):
                self.edit_file(show)
            elif isinstance(result, ShowDraft):
                done = (
                    (lambda path: f"Saved “{result.title}” ({path}).")
                    if user_show
                    else (
                        lambda path: (
                            f"Your facts for “{show.title}” are saved in {path}; "
                            "the cited data is untouched."
                        )
                    )
                )
                self.write(lambda: save_edit(show, result), done, lambda: self.edit(show, result))

        form = ShowFormScreen(
            f"Edit “{show.title}”",
            initial or draft_of(show),
            note=None if user_show else BUNDLED_NOTE,
            editable_file=True,
            fixed_names=not user_show,
        )
        self.app.push_screen(form, save)

    # --- the editor ----------------------------------------------------------------------

    def edit_file(self, show: Show) -> None:
        """Suspend the app and open the show's file (or its notes file) in the editor."""
        from tracker_tui.domain.catalog.authoring import show_file

        try:
            path = show_file(show)
        except OSError as error:
            self.app.notify(f"Cannot open the show's file: {error}", severity="error")
            return
        self.run_editor(path)

    def run_editor(self, path: Path) -> None:
        """Edit `path`, then check it: problems are shown with "edit again" and "keep as
        is"; the file always keeps what the user wrote."""
        app = self.app
        command = editor_command()
        where = f"The file is {path}: edit it in any editor, and the app shows the change."
        if command is None:
            app.notify(
                f"Set $VISUAL or $EDITOR to edit from here. {where}",
                title="No editor set",
                severity="warning",
                markup=False,
                timeout=15,
            )
            return
        import subprocess  # only an edit in the editor runs one

        try:
            with app.suspend():
                subprocess.run([*command, str(path)], check=False)
        except SuspendNotSupported:
            app.notify(
                f"This terminal cannot hand over to an editor. {where}",
                severity="warning",
                markup=False,
                timeout=15,
            )
            return
        except OSError as error:
            app.notify(
                f"Cannot run the editor {command[0]}: {error}. {where}",
                severity="error",
                markup=False,
                timeout=15,
            )
            return
        self.editing = path  # the loop was blocked while the editor ran: no poll saw it yet
        self.app.run_worker(
            lambda: self.check_worker(path),
            thread=True,
            group="catalog-write",
            description="Checking the edited file",
        )

    def check_worker(self, path: Path) -> None:
        """In a thread: check the edited file; fine, show it; else say what is wrong."""
        from tracker_tui.domain.catalog.authoring import check_edited_file

        problems = check_edited_file(path)
        if problems:
            self.app.post_message(FileChecked(path, problems))
        else:
            self.reload_worker(None, path, f"No problems in {path}.")

    def offer_edit_again(self, message: FileChecked) -> None:
        """The edited file has problems: list them, and edit again or keep it as is."""
        from tracker_tui.tui.screens.file_problems_screen import FileProblemsScreen

        def answer(edit_again: bool | None) -> None:
            if edit_again:
                self.app.call_later(self.run_editor, message.path)
            else:
                self.reload(message.path)

        self.app.push_screen(FileProblemsScreen(message.path, message.problems), answer)

    # --- removing, and undoing it ----------------------------------------------------------

    def remove(self, show: Show, removed: Callable[[RemovedShow], None]) -> None:
        """Ask, then delete a user show's file (progress is kept); `removed` gets what undo
        needs. A bundled show is only archived, never removed."""
        if not self.is_users(show):
            self.app.notify(
                f"“{show.title}” is bundled: bundled shows can be archived, not removed.",
                markup=False,
            )
            return

        def answer(sure: bool | None) -> None:
            if sure:
                self.write_removal(show, removed)

        question = (
            f"Remove “{show.title}”? Its show file is deleted; your progress for it is kept, "
            "and undo brings the show back."
        )
        self.app.push_screen(ConfirmScreen(question), answer)

    def write_removal(self, show: Show, removed: Callable[[RemovedShow], None]) -> None:
        from tracker_tui.domain.catalog.authoring import remove_show

        def remove() -> Path:
            gone = remove_show(show)
            self.app.call_from_thread(removed, gone)
            return gone.path

        undo = key_hint(self.app, "undo", "u")
        self.write(
            remove,
            lambda _path: f"Removed “{show.title}”; your progress is kept. {undo} undoes it.",
        )

    def restore(self, removed: RemovedShow) -> None:
        """Undo a removal: the file comes back exactly (under a new name if another file
        took its name since), and its show is highlighted."""
        from tracker_tui.domain.catalog.authoring import restore_show

        def restore() -> Path:
            restore_show(removed)
            return removed.path

        self.write(restore, lambda _path: "Show restored.", select=removed.show_id)
