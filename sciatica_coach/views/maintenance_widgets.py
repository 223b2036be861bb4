"""The parts of the "keep the habit" offer (core/maintenance.py) that the Routine and Today suggestion cards
show under the question: the lighter routine, one exercise a line, and the weekly target the person chooses
(2 or 3 sessions a week). Thin: it formats the proposal and reports the choice."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QRadioButton, QVBoxLayout, QWidget

from sciatica_coach.core import maintenance
from sciatica_coach.core.catalogue import Catalogue
from sciatica_coach.core.progression import ChangeKind, Proposal
from sciatica_coach.i18n import _, ngettext
from sciatica_coach.views.widgets import dose_text, label


class MaintenanceChoice(QWidget):
    """The lighter routine and the 2-or-3-a-week choice; hidden unless the proposal is to keep the habit."""

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__()
        self.catalogue = catalogue
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(8)
        self._shown = False
        self.routine_heading = label(_("Your lighter routine:"), "subtitle")
        self.routine_list = label("")
        self.routine_list.setAccessibleName(_("Your lighter routine"))
        self.target_heading = label(_("How often would you like to aim for?"), "subtitle")
        row = QHBoxLayout()
        self.group = QButtonGroup(self)
        self.target_buttons: dict[int, QRadioButton] = {}
        for target in maintenance.WEEKLY_TARGETS:
            button = QRadioButton(
                ngettext("{n} session a week", "{n} sessions a week", target).format(n=target)
            )
            self.group.addButton(button, target)
            self.target_buttons[target] = button
            row.addWidget(button)
        row.addStretch(1)
        for widget in (self.routine_heading, self.routine_list, self.target_heading):
            box.addWidget(widget)
        box.addLayout(row)
        self.setVisible(False)

    def show_proposal(self, proposal: Proposal | None) -> None:
        """Fill in from ``proposal``; visible only for an offer to keep the habit."""
        shown = proposal is not None and proposal.kind is ChangeKind.MAINTENANCE
        self._shown = shown
        self.setVisible(shown)
        if not shown or proposal is None or proposal.new_routine is None:
            return
        lines = []
        for item in proposal.new_routine.items:
            exercise = self.catalogue.exercises.get(item.exercise_id)
            name = exercise.name if exercise is not None else item.exercise_id
            moving = exercise is not None and exercise.is_movement
            lines.append(f"•  {name}: {dose_text(item, short=True, moving=moving)}")
        self.routine_list.setText("\n".join(lines))
        chosen = proposal.weekly_target or maintenance.DEFAULT_WEEKLY_TARGET
        self.target_buttons[chosen].setChecked(True)

    def weekly_target(self) -> int | None:
        """The number of sessions a week chosen, while shown; None otherwise."""
        if not self._shown:
            return None
        chosen = self.group.checkedId()
        return chosen if chosen in maintenance.WEEKLY_TARGETS else None
