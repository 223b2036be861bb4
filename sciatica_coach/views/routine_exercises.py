"""The Routine page's "Your exercises" card: the routine being edited (the draft), in order, with its length
and phase; moving and removing exercises, how much of the selected one (:mod:`routine_dose`), saving or
undoing the changes, and starting again from a phase's default routine.

The card keeps the draft and says `changed` after every change to it; storing it is the page's (`save`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from sciatica_coach.core.catalogue import Catalogue
from sciatica_coach.core.model import Phase, Routine, RoutineItem
from sciatica_coach.core.progression import PHASE_NAMES
from sciatica_coach.i18n import N_, _, ngettext
from sciatica_coach.services import plans, routines
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.dose_on_side import dose_on_side
from sciatica_coach.views.routine_dose import DoseEditor
from sciatica_coach.views.routine_widgets import ID_ROLE, THUMB_SIZE, FlipRows, RoutineCard, Thumbnails
from sciatica_coach.views.widgets import label

if TYPE_CHECKING:
    from sciatica_coach.views.exercise_details import ExerciseDetails

UNSAVED_TEXT = N_("You have changes that aren't saved yet.")


class RoutineList(QListWidget):
    """The routine's exercises. Drag to reorder, or Alt+Up / Alt+Down to move the selected one."""

    move_requested = Signal(int)  # -1 up, +1 down
    delete_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
        if alt and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_requested.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            event.accept()
            return
        if event.key() == Qt.Key.Key_Delete:
            self.delete_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class ExercisesCard(RoutineCard):
    """The draft and everything that edits it; the Save and Undo buttons are the page's to connect."""

    changed = Signal()  # the draft, or whether it is saved, changed

    def __init__(self, ctx: AppContext, catalogue: Catalogue, thumbnails: Thumbnails, rows: FlipRows) -> None:
        super().__init__(_("Your exercises"))
        self.ctx, self.catalogue, self.thumbnails = ctx, catalogue, thumbnails
        self._phase = Phase.MOBILITY
        self._items: list[RoutineItem] = []
        self._dirty = False
        layout = self.box
        self.duration_label = label("", "big")
        self.duration_label.setAccessibleName(_("Session length"))
        self.phase_label = label("", "muted")
        layout.addWidget(self.duration_label)
        layout.addWidget(self.phase_label)

        row = rows.row()
        row.setSpacing(18)
        row.addLayout(self._build_list(rows), 3)
        self.dose = DoseEditor(catalogue)
        self.dose.item_edited.connect(self._item_edited)
        row.addWidget(self.dose, 2)
        layout.addLayout(row)

        actions = rows.row()
        self.save_button = QPushButton(_("Save changes"))
        self.save_button.setProperty("role", "primary")
        self.revert_button = QPushButton(_("Undo unsaved changes"))
        actions.addWidget(self.save_button)
        actions.addWidget(self.revert_button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.status = label("")
        self.status.setAccessibleName(_("Save status"))
        layout.addWidget(self.status)

        layout.addWidget(label(_("Start again from a default routine (you can still undo before saving):")))
        reset_row = rows.row()
        self.reset_phase = QComboBox()
        for phase in Phase:
            self.reset_phase.addItem(
                _("Phase {phase}: {name}").format(phase=int(phase), name=_(PHASE_NAMES[phase])), int(phase)
            )
        self.reset_phase.setAccessibleName(_("Default routine to start again from"))
        reset_row.addWidget(self.reset_phase)
        self.reset_button = QPushButton(_("Reset to this routine"))
        self.reset_button.setToolTip(
            _("Replace your exercises with this default routine (you can still undo)")
        )
        self.reset_button.clicked.connect(self.reset_to_default)
        reset_row.addWidget(self.reset_button)
        reset_row.addStretch(1)
        layout.addLayout(reset_row)
        ctx.settings_changed.connect(self._settings_changed)

    def _settings_changed(self) -> None:
        """The leg with the sciatica or the get-ready time may have changed in Settings: the rows and the
        session length say it anew (the draft stays as it is)."""
        if self._items:
            self.render_list(self.list.currentRow())
        self._changed()

    def _build_list(self, rows: FlipRows) -> QVBoxLayout:
        left = QVBoxLayout()
        self.list = RoutineList()
        self.list.setAccessibleName(_("Exercises in your routine, in order"))
        self.list.setAccessibleDescription(
            _("Drag to reorder, or press Alt+Up and Alt+Down to move an exercise.")
        )
        self.list.setIconSize(THUMB_SIZE)
        self.list.setSpacing(3)
        self.list.setMinimumWidth(280)
        self.list.setMinimumHeight(340)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.currentRowChanged.connect(self._show_selected)
        self.list.model().rowsMoved.connect(self._rows_dragged)
        self.list.move_requested.connect(self.move_selected)
        self.list.delete_requested.connect(self.remove_selected)
        left.addWidget(self.list, 1)
        left.addWidget(label(_("Tip: drag an exercise, or select it and press Alt+Up or Alt+Down."), "muted"))
        moves = rows.row()
        self.up_button = QPushButton(_("Move up"))
        self.up_button.setToolTip(_("Move the selected exercise earlier (Alt+Up)"))
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QPushButton(_("Move down"))
        self.down_button.setToolTip(_("Move the selected exercise later (Alt+Down)"))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setToolTip(_("Take the selected exercise out of your routine (Delete)"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.details_button = QPushButton(_("How to do it"))
        self.details_button.setToolTip(
            _("The selected exercise: every step with its picture, what to feel and when to stop")
        )
        self.details_button.clicked.connect(self.show_details)
        self.list.itemDoubleClicked.connect(lambda _item: self.show_details())
        for button in (self.up_button, self.down_button, self.remove_button, self.details_button):
            moves.addWidget(button)
        moves.addStretch(1)
        left.addLayout(moves)
        return left

    def show_details(self) -> ExerciseDetails | None:
        """Open the selected exercise's own page (views/exercise_details.py), with its dose in the draft."""
        from sciatica_coach.views.exercise_details import open_exercise_details

        row = self.list.currentRow()
        if not 0 <= row < len(self._items):
            return None
        item = self._items[row]
        return open_exercise_details(self.ctx, self.catalogue.get(item.exercise_id), item, self)

    # ---- the draft -------------------------------------------------------------------------------------
    def draft(self) -> Routine:
        return Routine(self._phase, tuple(self._items))

    def is_dirty(self) -> bool:
        return self._dirty

    def set_draft(self, routine: Routine, *, dirty: bool, select: int = 0) -> None:
        self._phase = routine.phase
        self._items = list(routine.items)
        self._dirty = dirty
        self.render_list(select)
        self._changed()

    def mark_saved(self) -> None:
        self._dirty = False
        self._changed()

    def add(self, item: RoutineItem) -> None:
        self._items.append(item)
        self.render_list(select=len(self._items) - 1)
        self._mark_dirty()

    def _changed(self) -> None:
        """Anything in the draft changed: the duration, the phase line, the buttons and the status."""
        seconds = routines.planned_length_s(self.ctx.repo, self.catalogue, self.draft())  # as the session
        self.duration_label.setText(
            _("About {duration} per session").format(duration=routines.duration_words(seconds))
        )
        count = len(self._items)
        self.phase_label.setText(
            ngettext(
                "Phase {phase} · {name} · {n} exercise", "Phase {phase} · {name} · {n} exercises", count
            ).format(phase=int(self._phase), name=_(PHASE_NAMES[self._phase]), n=count)
        )
        if self._dirty:
            self.status.setText(_(UNSAVED_TEXT))
        self._update_buttons()
        self.changed.emit()

    def _mark_dirty(self) -> None:
        self._dirty = True
        self._changed()

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        has = 0 <= row < len(self._items)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < len(self._items) - 1)
        self.remove_button.setEnabled(has and routines.can_remove(self.draft()))
        self.details_button.setEnabled(has)
        self.save_button.setEnabled(self._dirty and bool(self._items))
        self.revert_button.setEnabled(self._dirty)

    # ---- the list ---------------------------------------------------------------------------------------
    def _row_text(self, item: RoutineItem) -> str:
        exercise = self.catalogue.get(item.exercise_id)
        one = routines.on_the_affected_side(self.ctx.repo, self.catalogue, Routine(self._phase, (item,)))
        return f"{exercise.name}\n{dose_on_side(one.items[0], short=True, moving=exercise.is_movement)}"

    def render_list(self, select: int = 0) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for item in self._items:
            exercise = self.catalogue.get(item.exercise_id)
            row = QListWidgetItem(self.thumbnails.icon(exercise), self._row_text(item))
            row.setData(ID_ROLE, item.exercise_id)
            row.setToolTip(exercise.summary)
            self.list.addItem(row)
        self.list.blockSignals(False)
        if self._items:
            self.list.setCurrentRow(max(0, min(select, len(self._items) - 1)))
        self._show_selected(self.list.currentRow())

    def _show_selected(self, row: int) -> None:
        self.dose.show_item(self._items[row] if 0 <= row < len(self._items) else None)
        self._update_buttons()

    def _item_edited(self, item: RoutineItem) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self._items):
            return
        self._items[row] = item
        widget_item = self.list.item(row)
        if widget_item is not None:
            widget_item.setText(self._row_text(item))
        self._mark_dirty()

    def move_selected(self, delta: int) -> None:
        row = self.list.currentRow()
        target = row + delta
        if not (0 <= row < len(self._items) and 0 <= target < len(self._items)):
            return
        self._items[row], self._items[target] = self._items[target], self._items[row]
        self.render_list(select=target)
        self.list.setFocus()
        self._mark_dirty()

    def _rows_dragged(self, *_args: object) -> None:
        """After a drag: read the new order back from the list."""
        by_id = {item.exercise_id: item for item in self._items}
        order = [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())]
        self._items = [by_id[exercise_id] for exercise_id in order if exercise_id in by_id]
        self._mark_dirty()
        self._show_selected(self.list.currentRow())

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self._items) or not routines.can_remove(self.draft()):
            return
        del self._items[row]
        self.render_list(select=row)
        self._mark_dirty()

    def reset_to_default(self) -> None:
        phase = Phase(self.reset_phase.currentData())
        routine = self.catalogue.default_routine(phase, plans.avoided_direction(self.ctx.repo))
        self.set_draft(routine, dirty=True)
        self.status.setText(
            _(
                "Your exercises are now the phase {phase} routine. Press “Save changes” to keep this, or "
                "“Undo unsaved changes” to go back."
            ).format(phase=int(phase))
        )
