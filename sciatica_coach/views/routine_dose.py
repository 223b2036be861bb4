"""How much of the selected exercise: repetitions, sets, hold and rests, which sides, and beneath them the
usual amount, every step, what to feel, when to stop and the cautions. Part of the Routine page's "Your
exercises" card (:mod:`routine_exercises`), which keeps the routine being edited."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QFrame, QLabel, QSpinBox, QVBoxLayout

from sciatica_coach.core.catalogue import DOSE_BOUNDS, Catalogue, dose_bounds
from sciatica_coach.core.model import Exercise, RoutineItem, SideMode
from sciatica_coach.i18n import N_, _
from sciatica_coach.views.widgets import dose_text, label

SIDE_CHOICES = (
    (SideMode.BOTH, N_("Both sides together")),
    (SideMode.LEFT_THEN_RIGHT, N_("Left, then right")),
    (SideMode.ALTERNATING, N_("Alternating sides")),
)


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


class DoseEditor(QFrame):
    """The numbers of one routine item, within the catalogue's bounds for its kind of exercise. `show_item`
    fills it in (None: nothing selected); every change the person makes comes out as `item_edited`."""

    item_edited = Signal(object)  # the RoutineItem as it is now

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__()
        self.catalogue = catalogue
        self._item: RoutineItem | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = label("", "big")
        layout.addWidget(self.title)
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
        layout.addLayout(form)
        self.hint = label("", "muted")
        layout.addWidget(self.hint)
        # Every step, the feel, the stop rule and the cautions of the selected exercise.
        self.details = label("")
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAccessibleName(_("How to do it, and when to stop"))
        layout.addWidget(self.details)
        layout.addStretch(1)

    def show_item(self, item: RoutineItem | None) -> None:
        self._item = item
        for widget in (*self.spins.values(), self.side):
            widget.setEnabled(item is not None)
        if item is None:
            self.title.setText(_("Select an exercise to change how much of it you do."))
            self.hint.setText("")
            self.details.setText("")
            return
        exercise = self.catalogue.get(item.exercise_id)
        self.title.setText(exercise.name)
        bounds = dose_bounds(exercise.kind)  # a to-and-fro movement stays a few seconds each way
        for name, spin in self.spins.items():
            spin.blockSignals(True)
            spin.setRange(*bounds[name])
            spin.setValue(getattr(item.dose, name))
            spin.blockSignals(False)
        self._name_fields(exercise)
        self.details.setText(exercise_details_html(exercise))
        self.side.blockSignals(True)
        self.side.setCurrentIndex([mode for mode, _text in SIDE_CHOICES].index(item.side_mode))
        self.side.blockSignals(False)
        self.side.setEnabled(exercise.side_mode is not SideMode.BOTH)
        catalogue_dose = dose_text(
            self.catalogue.default_item(exercise.id), short=True, moving=exercise.is_movement
        )
        self.hint.setText(
            _(
                "The usual amount is {dose}. Go gently: add a little at a time, and only if it feels "
                "comfortable. A hold of 0 s means a slow, moving exercise."
            ).format(dose=catalogue_dose)
        )

    def _name_fields(self, exercise: Exercise) -> None:
        """Repetitions on each side for a one-sided exercise; a movement moves out and back, never holds."""
        one_sided = exercise.side_mode is not SideMode.BOTH
        self.field_labels["reps"].setText(_("Repetitions (each side)") if one_sided else _("Repetitions"))
        moving = exercise.is_movement
        self.field_labels["hold_s"].setText(_("Move out") if moving else _("Hold"))
        self.field_labels["rest_between_reps_s"].setText(_("Move back") if moving else _("Rest between reps"))
        for name in ("hold_s", "rest_between_reps_s"):
            self.spins[name].setAccessibleName(self.field_labels[name].text())

    def _dose_edited(self, field: str, value: int) -> None:
        item = self._item
        if item is None:
            return
        self._item = RoutineItem(item.exercise_id, item.dose.with_changes(**{field: value}), item.side_mode)
        self.item_edited.emit(self._item)

    def _side_edited(self, index: int) -> None:
        item = self._item
        if item is None or index < 0:
            return
        self._item = RoutineItem(item.exercise_id, item.dose, SIDE_CHOICES[index][0])
        self.item_edited.emit(self._item)
