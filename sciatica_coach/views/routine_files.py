"""The Routine page's "Routine files" card: importing a routine file from a physiotherapist (checked first,
then asked about with the routine now beside the file's, and undoable afterwards) and exporting the saved
routine. The file dialogs are the page's (`RoutinePage.ask_open_path` and `ask_save_path`, which tests
replace); they are built by the functions here."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from sciatica_coach.core.catalogue import Catalogue
from sciatica_coach.core.model import Routine
from sciatica_coach.core.prescription import FILE_SUFFIX, PrescriptionError
from sciatica_coach.i18n import _, ngettext
from sciatica_coach.services import plans, routines
from sciatica_coach.storage.repository import DataError
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.routine_import import ImportRoutineDialog, routine_summary
from sciatica_coach.views.routine_widgets import FlipRows, RoutineCard
from sciatica_coach.views.theme import current_colors
from sciatica_coach.views.widgets import label

log = logging.getLogger(__name__)

UNDO_IMPORT_REASON = "Import of {name} undone: back to the routine from before"  # plan history, in English


def ask_open_path(parent: QWidget) -> Path | None:
    path, _chosen = QFileDialog.getOpenFileName(
        parent,
        _("Import a routine file"),
        str(Path.home()),
        _("Routine files (*{suffix});;All files (*)").format(suffix=FILE_SUFFIX),
    )
    return Path(path) if path else None


def ask_save_path(parent: QWidget, confirm_replace: Callable[[Path], bool]) -> Path | None:
    """Where to export; `confirm_replace` asks about an existing file the dialog itself could not see."""
    path, _chosen = QFileDialog.getSaveFileName(
        parent,
        _("Export my routine"),
        str(Path.home() / f"my-routine{FILE_SUFFIX}"),
        _("Routine files (*{suffix})").format(suffix=FILE_SUFFIX),
    )
    if not path:
        return None
    chosen = Path(path)
    if chosen.suffix:
        return chosen  # the dialog itself asked before replacing it
    chosen = chosen.with_suffix(FILE_SUFFIX)  # the dialog checked the name without it: ask here
    if chosen.exists() and not confirm_replace(chosen):
        return None
    return chosen


def confirm_replace(parent: QWidget, path: Path) -> bool:
    """Ask before an existing file is replaced (Cancel is the default)."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        _("Replace the file?"),
        _("{name} already exists in {folder}. Do you want to replace it?").format(
            name=path.name, folder=path.parent
        ),
        QMessageBox.StandardButton.Cancel,
        parent,
    )
    replace = box.addButton(_("Replace"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is replace


class RoutineFilesCard(RoutineCard):
    """Import and export buttons, what came of the last one, and Undo after an import. A routine it stores
    comes out as `saved`; the page makes it the draft."""

    import_requested = Signal()
    export_requested = Signal()
    saved = Signal(object)  # the Routine now stored: imported, or the one from before put back
    save_failed = Signal(str)

    def __init__(self, ctx: AppContext, catalogue: Catalogue, rows: FlipRows) -> None:
        super().__init__(_("Routine files"))
        self.ctx, self.catalogue = ctx, catalogue
        self.box.addWidget(
            label(
                _(
                    "A physiotherapist can give you a routine file with your own exercises and doses. "
                    "Importing one replaces your routine from your next session. You can also export your "
                    "routine to show or send to them."
                )
            )
        )
        buttons = rows.row()
        self.import_button = QPushButton(_("Import a routine file…"))
        self.import_button.clicked.connect(self.import_requested)
        self.export_button = QPushButton(_("Export my routine…"))
        self.export_button.clicked.connect(self.export_requested)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        self.box.addLayout(buttons)
        self.file_message = label("")
        self.file_message.setAccessibleName(_("Routine file message"))
        self.file_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_message.setVisible(False)
        self.box.addWidget(self.file_message)
        # After an import: put the routine from before back. Offered until the routine changes another way
        # (edits saved, a suggestion accepted, another import) or the app closes; see `_check_undo`.
        self.undo_import_button = QPushButton(_("Undo: go back to my previous routine"))
        self.undo_import_button.clicked.connect(self.undo_import)
        self.undo_import_button.setVisible(False)
        self.box.addWidget(self.undo_import_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._before_import: Routine | None = None  # the routine the last import replaced, while undoable
        self._imported: Routine | None = None
        self._imported_from = ""
        self.import_dialog: ImportRoutineDialog | None = None
        ctx.routine_changed.connect(self._check_undo)

    def offer_import(self, path: Path, *, unsaved_changes: bool) -> ImportRoutineDialog | None:
        """Check the file, then ask first: the routine now beside the file's (Cancel is the default). A file
        that can't be used is explained under the buttons and nothing changes."""
        from sciatica_coach.core.prescription import read_prescription

        try:
            incoming = read_prescription(path, self.catalogue)
        except PrescriptionError as err:
            self.show_message(str(err), error=True)
            return None
        current = plans.active_routine(self.ctx.repo, self.catalogue)
        repo = self.ctx.repo  # both lengths as this person's session would run (get-ready time, affected leg)
        dialog = ImportRoutineDialog(
            routine_summary(
                current, self.catalogue, routines.planned_length_s(repo, self.catalogue, current)
            ),
            routine_summary(
                incoming, self.catalogue, routines.planned_length_s(repo, self.catalogue, incoming)
            ),
            path.name,
            unsaved_changes=unsaved_changes,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.import_routine(incoming, path))
        dialog.finished.connect(lambda _result: setattr(self, "import_dialog", None))
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def import_file(self, path: Path) -> bool:
        """Read, check and use a routine file at once, without asking (`offer_import` asks first)."""
        from sciatica_coach.core.prescription import read_prescription

        try:
            routine = read_prescription(path, self.catalogue)
        except PrescriptionError as err:
            self.show_message(str(err), error=True)
            return False
        return self.import_routine(routine, path)

    def import_routine(self, routine: Routine, path: Path) -> bool:
        """Make a checked routine from a file the routine, keeping the one it replaces for Undo."""
        from sciatica_coach.core.plan_history import REASON_PRESCRIPTION

        before = plans.active_routine(self.ctx.repo, self.catalogue)
        try:
            plans.save_routine(
                self.ctx.repo, routine, self.ctx.clock.now(), REASON_PRESCRIPTION.format(name=path.name)
            )
        except DataError as err:
            self.save_failed.emit(str(err))
            return False
        self._before_import, self._imported, self._imported_from = before, routine, path.name
        count = len(routine.items)
        self.show_message(
            ngettext(
                "Imported {file}: {n} exercise, phase {phase}. Your next session will use this routine.",
                "Imported {file}: {n} exercises, phase {phase}. Your next session will use this routine.",
                count,
            ).format(file=path.name, n=count, phase=int(routine.phase)),
            error=False,
        )
        self.undo_import_button.setVisible(before != routine)
        self.saved.emit(routine)
        return True

    def undo_import(self) -> bool:
        """Put back the routine the last import replaced."""
        before = self._before_import
        if before is None:
            return False
        try:
            plans.save_routine(
                self.ctx.repo,
                before,
                self.ctx.clock.now(),
                UNDO_IMPORT_REASON.format(name=self._imported_from),
            )
        except DataError as err:
            self.save_failed.emit(str(err))
            return False
        self._before_import = self._imported = None
        self.undo_import_button.setVisible(False)
        self.show_message(_("Your previous routine is back. Your next session will use it."), error=False)
        self.saved.emit(before)
        return True

    def _check_undo(self) -> None:
        """Undo goes once the stored routine is no longer the imported one (changed another way)."""
        if self._imported is None:
            return
        if plans.active_routine(self.ctx.repo, self.catalogue) != self._imported:
            self._before_import = self._imported = None
            self.undo_import_button.setVisible(False)

    def export_file(self, path: Path, *, unsaved_changes: bool) -> bool:
        """Export the saved routine (not unsaved edits: the file should match what the sessions use). A file
        inside the data folder, a folder, pipe or device is refused (the file dialog has already asked before
        replacing a file)."""
        from sciatica_coach.core.chosen_files import ChosenFileError, check_output

        try:
            path = check_output(path, self.ctx.repo.folder).path
        except ChosenFileError as err:
            self.show_message(_("Nothing was saved: {problem}").format(problem=err), error=True)
            return False
        routine = plans.active_routine(self.ctx.repo, self.catalogue)
        try:
            routines.export_prescription(path, routine)
        except OSError as err:
            self.show_message(
                _("Your routine could not be saved to {path} ({error}).").format(
                    path=path, error=err.strerror or err
                ),
                error=True,
            )
            return False
        if unsaved_changes:
            saved = _("Saved your routine to {path}. Unsaved changes are not included.")
        else:
            saved = _("Saved your routine to {path}.")
        self.show_message(saved.format(path=path), error=False)
        return True

    def show_message(self, text: str, *, error: bool) -> None:
        colors = current_colors()
        self.file_message.setStyleSheet(f"color: {colors.red};" if error else "")
        self.file_message.setText(text)
        self.file_message.setVisible(True)
