"""The Routine page: the person's exercises, in order, with how much of each; a suggestion card from the
progression rules; adding from the catalogue; a direction to avoid; routine files from a physiotherapist.

Edits are made to a draft and saved with "Save changes"; a saved routine applies from the next session
(past records keep what was actually done). The duration shown is the engine's own plan sum, so it always
matches the session."""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sciatica_coach.core.catalogue import DOSE_BOUNDS, Catalogue, dose_bounds, load_catalogue
from sciatica_coach.core.engine import planned_duration_s
from sciatica_coach.core.model import (
    Direction,
    Exercise,
    Phase,
    Routine,
    RoutineItem,
    SideMode,
)
from sciatica_coach.core.plan_history import REASON_BY_HAND
from sciatica_coach.core.prescription import FILE_SUFFIX, PrescriptionError
from sciatica_coach.core.progression import PHASE_KINDS, PHASE_NAMES, Decision, Proposal
from sciatica_coach.i18n import N_, _, ngettext
from sciatica_coach.services import plans, routines
from sciatica_coach.services.progress_text import long_date
from sciatica_coach.storage.repository import DataError
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.illustrations import content_view_box, render_illustration
from sciatica_coach.views.theme import current_colors
from sciatica_coach.views.widgets import Page, ReplaceDialog, card, dose_text, label

log = logging.getLogger(__name__)

THUMB_SIZE = QSize(120, 72)
CARD_AND_PAGE_MARGINS_PX = 44 + 80 + 4  # card padding, page margins, a little slack
HISTORY_SHOWN = 8
ID_ROLE = Qt.ItemDataRole.UserRole

SIDE_CHOICES = (
    (SideMode.BOTH, N_("Both sides together")),
    (SideMode.LEFT_THEN_RIGHT, N_("Left, then right")),
    (SideMode.ALTERNATING, N_("Alternating sides")),
)
AVOID_CHOICES = (
    (None, N_("No preference")),
    (Direction.FLEXION, N_("Avoid bending forward (flexion)")),
    (Direction.EXTENSION, N_("Avoid arching back (extension)")),
)
AVOID_EXPLANATION = N_(
    "Some people find that their leg symptoms get worse when they bend forward, and others when they arch "
    "backwards. If you and your physiotherapist or doctor have noticed this, you can leave out the "
    "exercises that move your back that way. They are hidden from the list below and left out when you "
    "reset to a default routine."
)
SAVED_TEXT = N_("Saved. Your next session will use this routine.")
UNSAVED_TEXT = N_("You have changes that aren't saved yet.")
UNDO_IMPORT_REASON = "Import of {name} undone: back to the routine from before"  # plan history, in English
# The direction an avoided exercise moves the back, as the avoid note says it.
DIRECTION_WORDS = {Direction.FLEXION: N_("flexion"), Direction.EXTENSION: N_("extension")}


def exercise_details_html(exercise: Exercise) -> str:
    """Every step in order, what to feel, when to stop and the cautions, as rich text for a label."""
    steps = "".join(f"<li>{escape(step.text)}</li>" for step in exercise.steps)
    parts = [
        f"<p><b>{escape(_('How to do it'))}</b></p><ol>{steps}</ol>",
        f"<p><b>{escape(_('What you should feel'))}</b><br>{escape(exercise.feel)}</p>",
        f"<p><b>{escape(_('When to stop'))}</b><br>{escape(exercise.stop_if)}</p>",
    ]
    if exercise.cautions:
        cautions = "".join(f"<li>{escape(caution)}</li>" for caution in exercise.cautions)
        parts.append(f"<p><b>{escape(_('Take care'))}</b></p><ul>{cautions}</ul>")
    return "".join(parts)


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


class RoutinePage(Page):
    def __init__(self, ctx: AppContext, catalogue: Catalogue | None = None) -> None:
        super().__init__(
            _("Your routine"),
            _(
                "Which exercises you do, in what order, and how much of each. Changes apply from your next "
                "session; your past sessions keep what you actually did."
            ),
        )
        self.ctx = ctx
        self.catalogue = catalogue or load_catalogue()
        self._items: list[RoutineItem] = []
        self._phase = Phase.MOBILITY
        self._dirty = False
        self._proposal: Proposal | None = None
        self._icons: dict[str, QIcon] = {}
        self._flip_rows: list[QBoxLayout] = []

        self._build_proposal_card()
        self._build_routine_card()
        self._build_add_card()
        self._build_avoid_card()
        self._build_files_card()
        self._build_history_card()
        self.body.addStretch(1)

        self._load_stored()
        self.refresh_proposal()
        ctx.sessions_changed.connect(self.refresh_proposal)
        ctx.routine_changed.connect(self._routine_changed_elsewhere)
        ctx.appearance_changed.connect(self._appearance_changed)  # the thumbnails are drawn in its colours

    # ---- building ----------------------------------------------------------------------------------------
    def _build_proposal_card(self) -> None:
        self.proposal_card, layout = card()
        self.proposal_card.setAccessibleName(_("A suggestion for your routine"))
        self.proposal_title = label("", "big")
        self.proposal_text = label("")
        self.proposal_note = label(
            _(
                "It's your choice. Nothing changes unless you say yes, and you can change your routine back "
                "at any time."
            ),
            "muted",
        )
        buttons = self._flip_row()
        self.accept_button = QPushButton(_("Yes, make this change"))
        self.accept_button.setProperty("role", "primary")
        self.accept_button.clicked.connect(self._accept)
        self.decline_button = QPushButton(_("Not now"))
        self.decline_button.clicked.connect(self._decline)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.decline_button)
        buttons.addStretch(1)
        for widget in (self.proposal_title, self.proposal_text, self.proposal_note):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.proposal_card.setVisible(False)
        self.body.addWidget(self.proposal_card)

    def _build_routine_card(self) -> None:
        frame, layout = card(_("Your exercises"))
        self.duration_label = label("", "big")
        self.duration_label.setAccessibleName(_("Session length"))
        self.phase_label = label("", "muted")
        layout.addWidget(self.duration_label)
        layout.addWidget(self.phase_label)

        row = self._flip_row()
        row.setSpacing(18)
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
        moves = self._flip_row()
        self.up_button = QPushButton(_("Move up"))
        self.up_button.setToolTip(_("Move the selected exercise earlier (Alt+Up)"))
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QPushButton(_("Move down"))
        self.down_button.setToolTip(_("Move the selected exercise later (Alt+Down)"))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setToolTip(_("Take the selected exercise out of your routine (Delete)"))
        self.remove_button.clicked.connect(self.remove_selected)
        for button in (self.up_button, self.down_button, self.remove_button):
            moves.addWidget(button)
        moves.addStretch(1)
        left.addLayout(moves)
        row.addLayout(left, 3)

        editor = QFrame()
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        self.editor_title = label("", "big")
        editor_layout.addWidget(self.editor_title)
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.spins: dict[str, QSpinBox] = {}
        field_labels = {
            "reps": (_("Repetitions"), ""),
            "sets": (_("Sets"), ""),
            "hold_s": (_("Hold"), _(" s")),
            "rest_between_reps_s": (_("Rest between reps"), _(" s")),
            "rest_between_sets_s": (_("Rest between sets"), _(" s")),
        }
        self.field_labels: dict[str, QLabel] = {}
        for name, (text, suffix) in field_labels.items():
            low, high = DOSE_BOUNDS[name]
            spin = QSpinBox()
            spin.setRange(low, high)
            spin.setSuffix(suffix)
            spin.setMinimumWidth(100)
            spin.setAccessibleName(text)
            spin.valueChanged.connect(lambda value, field=name: self._dose_edited(field, value))
            self.spins[name] = spin
            self.field_labels[name] = label(text, wrap=False)
            form.addRow(self.field_labels[name], spin)
        self.side = QComboBox()
        for mode, text in SIDE_CHOICES:
            self.side.addItem(_(text), mode.value)
        self.side.setAccessibleName(_("Sides"))
        self.side.currentIndexChanged.connect(self._side_edited)
        form.addRow(label(_("Sides"), wrap=False), self.side)
        editor_layout.addLayout(form)
        self.editor_hint = label("", "muted")
        editor_layout.addWidget(self.editor_hint)
        # Every step, the feel, the stop rule and the cautions of the selected exercise.
        self.details = label("")
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAccessibleName(_("How to do it, and when to stop"))
        editor_layout.addWidget(self.details)
        editor_layout.addStretch(1)
        row.addWidget(editor, 2)
        layout.addLayout(row)

        actions = self._flip_row()
        self.save_button = QPushButton(_("Save changes"))
        self.save_button.setProperty("role", "primary")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(_("Undo unsaved changes"))
        self.revert_button.clicked.connect(self._load_stored)
        actions.addWidget(self.save_button)
        actions.addWidget(self.revert_button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.status = label("")
        self.status.setAccessibleName(_("Save status"))
        layout.addWidget(self.status)

        layout.addWidget(label(_("Start again from a default routine (you can still undo before saving):")))
        reset_row = self._flip_row()
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
        self.body.addWidget(frame)

    def _build_add_card(self) -> None:
        frame, layout = card(_("Add an exercise"))
        layout.addWidget(
            label(
                _("Exercises from a later phase become available when you move on to that phase."),
                "muted",
            )
        )
        self.catalogue_list = QListWidget()
        self.catalogue_list.setAccessibleName(_("Exercises you can add"))
        self.catalogue_list.setIconSize(THUMB_SIZE)
        self.catalogue_list.setSpacing(3)
        self.catalogue_list.setMinimumHeight(320)
        self.catalogue_list.itemActivated.connect(lambda _item: self.add_selected())
        self.catalogue_list.currentItemChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.catalogue_list)
        self.add_button = QPushButton(_("Add to my routine"))
        self.add_button.clicked.connect(self.add_selected)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(frame)

    def _build_avoid_card(self) -> None:
        frame, layout = card(_("Movements to avoid"))
        layout.addWidget(label(_(AVOID_EXPLANATION)))
        self.avoid_group = QButtonGroup(self)
        current = plans.avoided_direction(self.ctx.repo)
        self.avoid_buttons: dict[Direction | None, QRadioButton] = {}
        for index, (direction, text) in enumerate(AVOID_CHOICES):
            button = QRadioButton(_(text))
            button.setChecked(direction == current)
            self.avoid_group.addButton(button, index)
            self.avoid_buttons[direction] = button
            layout.addWidget(button)
        self.avoid_group.idClicked.connect(self._avoid_chosen)
        self.avoid_note = label("", "muted")
        layout.addWidget(self.avoid_note)
        self.remove_avoided_button = QPushButton(_("Take them out of my routine"))
        self.remove_avoided_button.clicked.connect(self.remove_avoided)
        layout.addWidget(self.remove_avoided_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(frame)

    def _build_files_card(self) -> None:
        frame, layout = card(_("Routine files"))
        layout.addWidget(
            label(
                _(
                    "A physiotherapist can give you a routine file with your own exercises and doses. "
                    "Importing one replaces your routine from your next session. You can also export your "
                    "routine to show or send to them."
                )
            )
        )
        buttons = self._flip_row()
        self.import_button = QPushButton(_("Import a routine file…"))
        self.import_button.clicked.connect(self._import_clicked)
        self.export_button = QPushButton(_("Export my routine…"))
        self.export_button.clicked.connect(self._export_clicked)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.file_message = label("")
        self.file_message.setAccessibleName(_("Routine file message"))
        self.file_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_message.setVisible(False)
        layout.addWidget(self.file_message)
        # After an import: put the routine from before back. Offered until the routine changes another way
        # (edits saved, a suggestion accepted, another import) or the app closes; see `_check_undo`.
        self.undo_import_button = QPushButton(_("Undo: go back to my previous routine"))
        self.undo_import_button.clicked.connect(self.undo_import)
        self.undo_import_button.setVisible(False)
        layout.addWidget(self.undo_import_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._before_import: Routine | None = None  # the routine the last import replaced, while undoable
        self._imported: Routine | None = None
        self._imported_from = ""
        self.import_dialog: ImportRoutineDialog | None = None
        self.ctx.routine_changed.connect(self._check_undo)
        self.body.addWidget(frame)

    def _build_history_card(self) -> None:
        frame, layout = card(_("Changes you've said yes to"))
        self.history_label = label("")
        self.history_label.setAccessibleName(_("Changes to your routine"))
        layout.addWidget(self.history_label)
        self.body.addWidget(frame)

    def _flip_row(self) -> QBoxLayout:
        """A row that turns into a column when the page is too narrow for it (small window, large text)."""
        row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._flip_rows.append(row)
        return row

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_rows()

    def _fit_rows(self) -> None:
        available = self.viewport().width() - CARD_AND_PAGE_MARGINS_PX
        for row in self._flip_rows:
            items = [row.itemAt(i) for i in range(row.count())]
            needed = sum(item.minimumSize().width() for item in items if item is not None)
            needed += row.spacing() * max(0, len(items) - 1)
            direction = (
                QBoxLayout.Direction.LeftToRight if needed <= available else QBoxLayout.Direction.TopToBottom
            )
            if row.direction() != direction:
                row.setDirection(direction)

    # ---- the draft -------------------------------------------------------------------------------------
    def draft(self) -> Routine:
        return Routine(self._phase, tuple(self._items))

    def is_dirty(self) -> bool:
        return self._dirty

    def _load_stored(self) -> None:
        routine = plans.active_routine(self.ctx.repo, self.catalogue)
        self._set_draft(routine, dirty=False)
        self.status.setText("")

    def _set_draft(self, routine: Routine, *, dirty: bool, select: int = 0) -> None:
        self._phase = routine.phase
        self._items = list(routine.items)
        self._dirty = dirty
        self._render_list(select)
        self._render_catalogue()
        self._render_history()
        self._changed()

    def _changed(self) -> None:
        """Anything in the draft changed: the duration, the phase line, the buttons and the status."""
        get_ready_s = self.ctx.repo.setting("get_ready_s")
        seconds = planned_duration_s(self.draft(), first_get_ready_s=get_ready_s) if self._items else 0
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
        self._update_avoid_note()
        self._update_buttons()

    def _mark_dirty(self) -> None:
        self._dirty = True
        self._changed()

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        has = 0 <= row < len(self._items)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < len(self._items) - 1)
        self.remove_button.setEnabled(has and len(self._items) > 1)
        self.save_button.setEnabled(self._dirty and bool(self._items))
        self.revert_button.setEnabled(self._dirty)
        current = self.catalogue_list.currentItem()
        self.add_button.setEnabled(
            current is not None
            and bool(current.flags() & Qt.ItemFlag.ItemIsEnabled)
            and bool(current.data(ID_ROLE))
        )

    # ---- the routine list -------------------------------------------------------------------------------
    def _icon(self, exercise: Exercise) -> QIcon:
        icon = self._icons.get(exercise.id)
        if icon is None:
            colors = current_colors()
            box = content_view_box((exercise.start_illustration, exercise.hold_illustration))
            image = render_illustration(
                exercise.hold_illustration,
                THUMB_SIZE,
                QColor(colors.text),
                QColor(colors.accent),
                view_box=box,
            )
            icon = QIcon(QPixmap.fromImage(image))
            self._icons[exercise.id] = icon
        return icon

    def _row_text(self, item: RoutineItem) -> str:
        exercise = self.catalogue.get(item.exercise_id)
        return f"{exercise.name}\n{dose_text(item, short=True, moving=exercise.is_movement)}"

    def _render_list(self, select: int = 0) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for item in self._items:
            exercise = self.catalogue.get(item.exercise_id)
            row = QListWidgetItem(self._icon(exercise), self._row_text(item))
            row.setData(ID_ROLE, item.exercise_id)
            row.setToolTip(exercise.summary)
            self.list.addItem(row)
        self.list.blockSignals(False)
        if self._items:
            self.list.setCurrentRow(max(0, min(select, len(self._items) - 1)))
        self._show_selected(self.list.currentRow())

    def _show_selected(self, row: int) -> None:
        has = 0 <= row < len(self._items)
        for widget in (*self.spins.values(), self.side):
            widget.setEnabled(has)
        if not has:
            self.editor_title.setText(_("Select an exercise to change how much of it you do."))
            self.editor_hint.setText("")
            self.details.setText("")
            self._update_buttons()
            return
        item = self._items[row]
        exercise = self.catalogue.get(item.exercise_id)
        self.editor_title.setText(exercise.name)
        bounds = dose_bounds(exercise.kind)  # a to-and-fro movement stays a few seconds each way
        for name, spin in self.spins.items():
            spin.blockSignals(True)
            spin.setRange(*bounds[name])
            spin.setValue(getattr(item.dose, name))
            spin.blockSignals(False)
        one_sided = exercise.side_mode is not SideMode.BOTH
        self.field_labels["reps"].setText(_("Repetitions (each side)") if one_sided else _("Repetitions"))
        moving = exercise.is_movement
        self.field_labels["hold_s"].setText(_("Move out") if moving else _("Hold"))
        self.field_labels["rest_between_reps_s"].setText(_("Move back") if moving else _("Rest between reps"))
        for name in ("hold_s", "rest_between_reps_s"):
            self.spins[name].setAccessibleName(self.field_labels[name].text())
        self.details.setText(exercise_details_html(exercise))
        self.side.blockSignals(True)
        self.side.setCurrentIndex([mode for mode, _text in SIDE_CHOICES].index(item.side_mode))
        self.side.blockSignals(False)
        self.side.setEnabled(one_sided)
        catalogue_dose = dose_text(
            self.catalogue.default_item(exercise.id), short=True, moving=exercise.is_movement
        )
        self.editor_hint.setText(
            _(
                "The usual amount is {dose}. Go gently: add a little at a time, and only if it feels "
                "comfortable. A hold of 0 s means a slow, moving exercise."
            ).format(dose=catalogue_dose)
        )
        self._update_buttons()

    def _dose_edited(self, field: str, value: int) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self._items):
            return
        item = self._items[row]
        self._items[row] = RoutineItem(
            item.exercise_id, item.dose.with_changes(**{field: value}), item.side_mode
        )
        self._refresh_row(row)
        self._mark_dirty()

    def _side_edited(self, index: int) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self._items) or index < 0:
            return
        item = self._items[row]
        self._items[row] = RoutineItem(item.exercise_id, item.dose, SIDE_CHOICES[index][0])
        self._refresh_row(row)
        self._mark_dirty()

    def _refresh_row(self, row: int) -> None:
        widget_item = self.list.item(row)
        if widget_item is not None:
            widget_item.setText(self._row_text(self._items[row]))

    def move_selected(self, delta: int) -> None:
        row = self.list.currentRow()
        target = row + delta
        if not (0 <= row < len(self._items) and 0 <= target < len(self._items)):
            return
        self._items[row], self._items[target] = self._items[target], self._items[row]
        self._render_list(select=target)
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
        if not 0 <= row < len(self._items) or len(self._items) <= 1:
            return
        del self._items[row]
        self._render_list(select=row)
        self._render_catalogue()
        self._mark_dirty()

    def reset_to_default(self) -> None:
        phase = Phase(self.reset_phase.currentData())
        routine = self.catalogue.default_routine(phase, plans.avoided_direction(self.ctx.repo))
        self._set_draft(routine, dirty=True)
        self.status.setText(
            _(
                "Your exercises are now the phase {phase} routine. Press “Save changes” to keep this, or "
                "“Undo unsaved changes” to go back."
            ).format(phase=int(phase))
        )

    # ---- adding from the catalogue ----------------------------------------------------------------------
    def _render_catalogue(self) -> None:
        avoid = plans.avoided_direction(self.ctx.repo)
        present = {item.exercise_id for item in self._items}
        selected = self.catalogue_list.currentItem()
        keep = selected.data(ID_ROLE) if selected is not None else None
        self.catalogue_list.clear()
        for phase in Phase:
            header = QListWidgetItem(
                _("Phase {phase} — {name}").format(phase=int(phase), name=_(PHASE_NAMES[phase]))
            )
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            self.catalogue_list.addItem(header)
            for exercise in self.catalogue.by_phase(phase):
                if exercise.direction.includes(avoid):
                    continue
                note = ""
                if exercise.id in present:
                    note = _("already in your routine")
                elif exercise.phase > self._phase:
                    note = _("for phase {phase}").format(phase=int(exercise.phase))
                text = f"{exercise.name}\n{note or exercise.summary}"
                entry = QListWidgetItem(self._icon(exercise), text)
                entry.setData(ID_ROLE, exercise.id)
                entry.setToolTip(exercise.summary)
                if note:
                    entry.setFlags(entry.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                self.catalogue_list.addItem(entry)
                if exercise.id == keep and not note:
                    self.catalogue_list.setCurrentItem(entry)
        self._update_buttons()

    def catalogue_ids(self) -> list[str]:
        """The exercise ids offered (enabled or not), in order: for tests and accessibility checks."""
        ids = []
        for i in range(self.catalogue_list.count()):
            exercise_id = self.catalogue_list.item(i).data(ID_ROLE)
            if exercise_id:
                ids.append(str(exercise_id))
        return ids

    def select_catalogue(self, exercise_id: str) -> bool:
        for i in range(self.catalogue_list.count()):
            entry = self.catalogue_list.item(i)
            if entry.data(ID_ROLE) == exercise_id and entry.flags() & Qt.ItemFlag.ItemIsEnabled:
                self.catalogue_list.setCurrentItem(entry)
                return True
        return False

    def add_selected(self) -> None:
        entry = self.catalogue_list.currentItem()
        if entry is None or not entry.flags() & Qt.ItemFlag.ItemIsEnabled or not entry.data(ID_ROLE):
            return
        self._items.append(self.catalogue.default_item(str(entry.data(ID_ROLE))))
        self._render_list(select=len(self._items) - 1)
        self._render_catalogue()
        self._mark_dirty()

    # ---- avoiding a direction ---------------------------------------------------------------------------
    def _avoid_chosen(self, index: int) -> None:
        direction = AVOID_CHOICES[index][0]
        try:
            self.ctx.set_setting(plans.AVOID_SETTING, direction.value if direction else None)
        except DataError as err:
            self._save_failed(str(err))
            return
        self._render_catalogue()
        self._update_avoid_note()

    def _update_avoid_note(self) -> None:
        avoid = plans.avoided_direction(self.ctx.repo)
        flagged = routines.avoided_items(self.draft(), self.catalogue, avoid)
        if flagged and avoid is not None:
            names = ", ".join(self.catalogue.get(eid).name for eid in flagged)
            self.avoid_note.setText(
                ngettext(
                    "Your routine still includes {names}, which moves your back that way ({direction}). If a "
                    "physiotherapist gave you this exercise, you may want to keep it.",
                    "Your routine still includes {names}, which move your back that way ({direction}). If a "
                    "physiotherapist gave you these, you may want to keep them.",
                    len(flagged),
                ).format(names=names, direction=_(DIRECTION_WORDS.get(avoid, avoid.value)))
            )
        self.avoid_note.setVisible(bool(flagged))
        self.remove_avoided_button.setVisible(bool(flagged) and len(flagged) < len(self._items))

    def remove_avoided(self) -> None:
        avoid = plans.avoided_direction(self.ctx.repo)
        flagged = set(routines.avoided_items(self.draft(), self.catalogue, avoid))
        kept = [item for item in self._items if item.exercise_id not in flagged]
        if kept and flagged:
            self._set_draft(Routine(self._phase, tuple(kept)), dirty=True)

    # ---- saving -----------------------------------------------------------------------------------------
    def save(self) -> bool:
        if not self._items:
            return False
        try:
            plans.save_routine(self.ctx.repo, self.draft(), self.ctx.clock.now(), REASON_BY_HAND)
        except DataError as err:
            self._save_failed(str(err))
            return False
        self._dirty = False
        self._changed()
        self.status.setText(_(SAVED_TEXT))
        self.refresh_proposal()
        self.ctx.routine_changed.emit()
        return True

    def _save_failed(self, message: str) -> None:
        log.error("Could not save the routine: %s", message)
        self.status.setText(message)
        self.ctx.save_failed.emit(message)

    def _routine_changed_elsewhere(self) -> None:
        if not self._dirty:
            select = self.list.currentRow()
            self._set_draft(plans.active_routine(self.ctx.repo, self.catalogue), dirty=False, select=select)
        self.refresh_proposal()

    def _appearance_changed(self) -> None:
        self._icons.clear()
        self._render_list(self.list.currentRow())
        self._render_catalogue()

    # ---- routine files ----------------------------------------------------------------------------------
    def ask_open_path(self) -> Path | None:
        path, _chosen = QFileDialog.getOpenFileName(
            self,
            _("Import a routine file"),
            str(Path.home()),
            _("Routine files (*{suffix});;All files (*)").format(suffix=FILE_SUFFIX),
        )
        return Path(path) if path else None

    def ask_save_path(self) -> Path | None:
        path, _chosen = QFileDialog.getSaveFileName(
            self,
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
        if chosen.exists() and not self.confirm_replace(chosen):
            return None
        return chosen

    def confirm_replace(self, path: Path) -> bool:
        """Ask before an existing file is replaced (Cancel is the default)."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Replace the file?"),
            _("{name} already exists in {folder}. Do you want to replace it?").format(
                name=path.name, folder=path.parent
            ),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        replace = box.addButton(_("Replace"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is replace

    def _import_clicked(self) -> None:
        path = self.ask_open_path()
        if path is not None:
            self.offer_import(path)

    def offer_import(self, path: Path) -> ImportRoutineDialog | None:
        """Check the file, then ask first: the routine now beside the file's (Cancel is the default). A file
        that can't be used is explained under the buttons and nothing changes."""
        from sciatica_coach.core.prescription import read_prescription

        try:
            incoming = read_prescription(path, self.catalogue)
        except PrescriptionError as err:
            self._file_message(str(err), error=True)
            return None
        current = plans.active_routine(self.ctx.repo, self.catalogue)
        get_ready_s = self.ctx.repo.setting("get_ready_s")
        dialog = ImportRoutineDialog(
            routine_summary(current, self.catalogue, get_ready_s),
            routine_summary(incoming, self.catalogue, get_ready_s),
            path.name,
            unsaved_changes=self._dirty,
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
            self._file_message(str(err), error=True)
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
            self._save_failed(str(err))
            return False
        self._before_import, self._imported, self._imported_from = before, routine, path.name
        self._set_draft(routine, dirty=False)
        self.status.setText(_(SAVED_TEXT))
        count = len(routine.items)
        self._file_message(
            ngettext(
                "Imported {file}: {n} exercise, phase {phase}. Your next session will use this routine.",
                "Imported {file}: {n} exercises, phase {phase}. Your next session will use this routine.",
                count,
            ).format(file=path.name, n=count, phase=int(routine.phase)),
            error=False,
        )
        self.undo_import_button.setVisible(before != routine)
        self.refresh_proposal()
        self.ctx.routine_changed.emit()
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
            self._save_failed(str(err))
            return False
        self._before_import = self._imported = None
        self.undo_import_button.setVisible(False)
        self._set_draft(before, dirty=False)
        self.status.setText(_(SAVED_TEXT))
        self._file_message(_("Your previous routine is back. Your next session will use it."), error=False)
        self.refresh_proposal()
        self.ctx.routine_changed.emit()
        return True

    def _check_undo(self) -> None:
        """Undo goes once the stored routine is no longer the imported one (changed another way)."""
        if self._imported is None:
            return
        if plans.active_routine(self.ctx.repo, self.catalogue) != self._imported:
            self._before_import = self._imported = None
            self.undo_import_button.setVisible(False)

    def _export_clicked(self) -> None:
        path = self.ask_save_path()
        if path is not None:
            self.export_file(path)

    def export_file(self, path: Path) -> bool:
        """Export the saved routine (not unsaved edits: the file should match what the sessions use). A file
        inside the data folder, a folder, pipe or device is refused (the file dialog has already asked before
        replacing a file)."""
        from sciatica_coach.core.chosen_files import ChosenFileError, check_output

        try:
            path = check_output(path, self.ctx.repo.folder).path
        except ChosenFileError as err:
            self._file_message(_("Nothing was saved: {problem}").format(problem=err), error=True)
            return False
        routine = plans.active_routine(self.ctx.repo, self.catalogue)
        try:
            routines.export_prescription(path, routine)
        except OSError as err:
            self._file_message(
                _("Your routine could not be saved to {path} ({error}).").format(
                    path=path, error=err.strerror or err
                ),
                error=True,
            )
            return False
        if self._dirty:
            saved = _("Saved your routine to {path}. Unsaved changes are not included.")
        else:
            saved = _("Saved your routine to {path}.")
        self._file_message(saved.format(path=path), error=False)
        return True

    def _file_message(self, text: str, *, error: bool) -> None:
        colors = current_colors()
        self.file_message.setStyleSheet(f"color: {colors.red};" if error else "")
        self.file_message.setText(text)
        self.file_message.setVisible(True)

    # ---- progression ------------------------------------------------------------------------------------
    def refresh_proposal(self) -> None:
        try:
            self._proposal = routines.current_proposal(self.ctx.repo, self.catalogue, self.ctx.clock)
        except Exception:  # a suggestion must never break the page
            log.exception("Could not work out a suggestion")
            self._proposal = None
        proposal = self._proposal
        self.proposal_card.setVisible(proposal is not None)
        if proposal is None:
            return
        self.proposal_title.setText(proposal.title)
        self.proposal_text.setText(proposal.question)
        self.proposal_card.setProperty("role", "banner" if proposal.easing else "card")
        self.proposal_card.style().unpolish(self.proposal_card)
        self.proposal_card.style().polish(self.proposal_card)

    def current_suggestion(self) -> Proposal | None:
        return self._proposal

    def _accept(self) -> None:
        if self._proposal is None:
            return
        try:
            routine = routines.accept(self.ctx.repo, self.catalogue, self.ctx.clock, self._proposal)
        except DataError as err:
            self._save_failed(str(err))
            return
        self._set_draft(routine, dirty=False, select=self.list.currentRow())
        self.status.setText(_(SAVED_TEXT))
        self.refresh_proposal()
        self.ctx.routine_changed.emit()

    def _decline(self) -> None:
        if self._proposal is None:
            return
        try:
            routines.decline(self.ctx.repo, self.ctx.clock, self._proposal)
        except DataError as err:
            self._save_failed(str(err))
            return
        self._render_history()
        self.refresh_proposal()

    def _describe(self, decision: Decision) -> str:
        if decision.kind in PHASE_KINDS:
            return _("Moved from phase {old} to phase {new}").format(
                old=int(decision.from_phase), new=int(decision.to_phase)
            )
        words = {
            "reps": N_("{name}: repetitions {old} → {new}"),
            "hold_s": N_("{name}: hold (seconds) {old} → {new}"),
        }
        parts = []
        for change in decision.changes:
            exercise = self.catalogue.exercises.get(change.exercise_id)
            name = exercise.name if exercise else change.exercise_id
            pattern = words.get(change.field)
            if pattern is None:
                parts.append(f"{name}: {change.field} {change.old} → {change.new}")
            else:
                parts.append(_(pattern).format(name=name, old=change.old, new=change.new))
        return "; ".join(parts) or decision.title

    def _render_history(self) -> None:
        accepted = [d for d in routines.progression_history(self.ctx.repo) if d.accepted]
        if not accepted:
            self.history_label.setText(
                _(
                    "None yet. When you've been comfortable for a while, Sciatica Coach may suggest a small "
                    "step; if your pain flares up, it may suggest easing off. You decide each time."
                )
            )
            return
        lines = [
            _("{date}: {change}").format(date=long_date(d.decided_at.date()), change=self._describe(d))
            for d in reversed(accepted[-HISTORY_SHOWN:])
        ]
        self.history_label.setText("\n".join(lines))


# ---- importing a routine file: what replaces what ---------------------------------------------------------


def routine_summary(routine: Routine, catalogue: Catalogue, get_ready_s: int | None) -> list[str]:
    """A routine in a few lines for the import question: phase, count and length, then each exercise."""
    count = len(routine.items)
    seconds = planned_duration_s(routine, first_get_ready_s=get_ready_s) if count else 0
    lines = [
        ngettext(
            "Phase {phase}, {n} exercise, about {minutes} min",
            "Phase {phase}, {n} exercises, about {minutes} min",
            count,
        ).format(phase=int(routine.phase), n=count, minutes=max(1, round(seconds / 60)))
    ]
    for item in routine.items:
        exercise = catalogue.exercises.get(item.exercise_id)
        name = exercise.name if exercise is not None else item.exercise_id
        lines.append(f"• {name}: {dose_text(item, short=True)}")
    return lines


class ImportRoutineDialog(ReplaceDialog):
    """Use a routine file? The routine now beside the file's; "Use the file's routine" or Cancel (the
    default)."""

    def __init__(
        self,
        now: list[str],
        incoming: list[str],
        file_name: str,
        *,
        unsaved_changes: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            _("Import a routine file"), _("Use the routine in {file}?").format(file=file_name), parent
        )
        self.words.addWidget(
            label(
                _(
                    "It replaces your routine from your next session. Your history stays as it is, and you "
                    "can go back to your routine afterwards with Undo."
                )
            )
        )
        if unsaved_changes:
            self.words.addWidget(label(_("Changes you haven't saved yet will be lost."), "muted"))
        self.now_card, self.file_card = self.side_by_side(
            (_("Your routine now"), now), (_("In the file"), incoming)
        )
        self.use_button = self.finish(_("Use the file's routine"))
