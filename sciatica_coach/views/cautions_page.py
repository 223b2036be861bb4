"""Before an exercise is first done: its cautions (who it may not suit, how to do it safely), each exercise
with a choice to leave it out today, and one "I've read these" button. A page inside the session, shown after
the pain check and before the running view (the rules: sciatica_coach/cautions.py)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from sciatica_coach.core.model import Exercise
from sciatica_coach.i18n import N_, _
from sciatica_coach.views.widgets import card, label

TITLE = N_("Before you try these")
INTRO = N_(
    "Some exercises in today's session are new to you. Please read who they may not suit. If one of them "
    "doesn't feel right for you, leave it out today and ask your doctor or physiotherapist. To leave one out "
    "for good, remove it in Routine."
)


class CautionsPage(QWidget):
    """One card per exercise: its name, its cautions as a list, and "Leave this one out today"."""

    accepted = Signal(object)  # frozenset of the exercise ids to leave out today

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 40)
        layout.setSpacing(18)
        layout.addWidget(label(_(TITLE), "title"))
        layout.addWidget(label(_(INTRO), "big"))
        self.cards = QVBoxLayout()
        self.cards.setSpacing(14)
        layout.addLayout(self.cards)
        layout.addStretch(1)
        row = QHBoxLayout()
        self.read_button = QPushButton(_("I've read these"))
        self.read_button.setProperty("role", "primary")
        self.read_button.setMinimumHeight(48)
        self.read_button.clicked.connect(self._accept)
        row.addWidget(self.read_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.leave_out: dict[str, QCheckBox] = {}
        self.setAccessibleName(_(TITLE))

    def show_cautions(self, exercises: Sequence[Exercise]) -> None:
        """Show the cautions of these exercises, every "leave out" choice unticked."""
        while (item := self.cards.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self.leave_out = {}
        for exercise in exercises:
            frame, body = card()
            name = label(exercise.name, "title")  # the exercise's name stands above its cautions
            name.setAccessibleName(exercise.name)
            body.addWidget(name)
            for caution in exercise.cautions:
                line = label(f"•  {caution}", "big")
                line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                body.addWidget(line)
            choice = QCheckBox(_("Leave this one out today"))
            choice.setProperty("role", "big")  # as easy to read as the cautions around it
            choice.setAccessibleName(_("Leave {name} out today").format(name=exercise.name))
            body.addWidget(choice)
            self.leave_out[exercise.id] = choice
            self.cards.addWidget(frame)
        self.read_button.setFocus()

    def _accept(self) -> None:
        self.accepted.emit(frozenset(i for i, box in self.leave_out.items() if box.isChecked()))
