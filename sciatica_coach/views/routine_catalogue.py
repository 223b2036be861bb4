"""The Routine page's "Add an exercise" card: every exercise of the catalogue by phase, except those that move
the back the avoided way; those already in the routine or for a later phase are shown but can't be added
(:func:`sciatica_coach.services.routines.why_not_addable` decides)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QPushButton

from sciatica_coach.core.catalogue import Catalogue
from sciatica_coach.core.model import Direction, Exercise, Phase, Routine
from sciatica_coach.core.progression import PHASE_NAMES
from sciatica_coach.i18n import _
from sciatica_coach.services import plans, routines
from sciatica_coach.services.routines import NotAddable
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.routine_widgets import ID_ROLE, THUMB_SIZE, RoutineCard, Thumbnails
from sciatica_coach.views.widgets import label


def _phase_header(phase: Phase) -> QListWidgetItem:
    """A phase's name in bold above its exercises; it can't be selected."""
    header = QListWidgetItem(_("Phase {phase} — {name}").format(phase=int(phase), name=_(PHASE_NAMES[phase])))
    header.setFlags(Qt.ItemFlag.NoItemFlags)
    font = header.font()
    font.setBold(True)
    header.setFont(font)
    return header


class AddExerciseCard(RoutineCard):
    """Every exercise that may be added, by phase; Enter, a double click or "Add to my routine" asks the page
    to add the selected one at its usual dose."""

    add_requested = Signal(str)  # the exercise id

    def __init__(self, ctx: AppContext, catalogue: Catalogue, thumbnails: Thumbnails) -> None:
        super().__init__(_("Add an exercise"))
        self.ctx, self.catalogue, self.thumbnails = ctx, catalogue, thumbnails
        self._shown: tuple[Phase, frozenset[str], Direction | None] | None = None
        self.box.addWidget(
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
        self.catalogue_list.currentItemChanged.connect(lambda *_: self._update_button())
        self.box.addWidget(self.catalogue_list)
        self.add_button = QPushButton(_("Add to my routine"))
        self.add_button.clicked.connect(self.add_selected)
        self.box.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def show_for(self, routine: Routine, *, redraw: bool = False) -> None:
        """What can be added to `routine`; drawn again only when its exercises, its phase or the avoided
        direction changed (or `redraw`, after a theme change), so the list keeps its place while the person
        edits a dose."""
        avoid = plans.avoided_direction(self.ctx.repo)
        shown = (routine.phase, frozenset(item.exercise_id for item in routine.items), avoid)
        if shown == self._shown and not redraw:
            return
        self._shown = shown
        selected = self.catalogue_list.currentItem()
        keep = selected.data(ID_ROLE) if selected is not None else None
        self.catalogue_list.clear()
        for phase in Phase:
            self.catalogue_list.addItem(_phase_header(phase))
            for exercise in self.catalogue.by_phase(phase):
                if exercise.direction.includes(avoid):
                    continue
                why_not = routines.why_not_addable(exercise, routine)
                entry = self._entry(exercise, why_not)
                self.catalogue_list.addItem(entry)
                if exercise.id == keep and why_not is None:
                    self.catalogue_list.setCurrentItem(entry)
        self._update_button()

    def _entry(self, exercise: Exercise, why_not: NotAddable | None) -> QListWidgetItem:
        """An exercise with its picture and summary; one that can't be added is greyed out and says why."""
        note = ""
        if why_not is NotAddable.IN_ROUTINE:
            note = _("already in your routine")
        elif why_not is NotAddable.LATER_PHASE:
            note = _("for phase {phase}").format(phase=int(exercise.phase))
        entry = QListWidgetItem(
            self.thumbnails.icon(exercise), f"{exercise.name}\n{note or exercise.summary}"
        )
        entry.setData(ID_ROLE, exercise.id)
        entry.setToolTip(exercise.summary)
        if why_not is not None:
            entry.setFlags(entry.flags() & ~Qt.ItemFlag.ItemIsEnabled)
        return entry

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

    def _selected_id(self) -> str | None:
        entry = self.catalogue_list.currentItem()
        if entry is None or not entry.flags() & Qt.ItemFlag.ItemIsEnabled or not entry.data(ID_ROLE):
            return None
        return str(entry.data(ID_ROLE))

    def add_selected(self) -> None:
        exercise_id = self._selected_id()
        if exercise_id is not None:
            self.add_requested.emit(exercise_id)

    def _update_button(self) -> None:
        self.add_button.setEnabled(self._selected_id() is not None)
