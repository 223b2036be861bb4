"""Before an exercise is first done: its cautions (who it may not suit, how to do it safely), each exercise
with a choice to leave it out today, and one "I've read these" button. A page inside the session, shown after
the pain check and before the running view (the rules: sciatica_coach/services/cautions.py)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

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
    """One card per exercise: its name, its cautions as a list, and "Leave this one out today". The cards
    scroll; "I've read these (Enter)" stays in view below them, as Continue does on the red-flag page."""

    accepted = Signal(object)  # frozenset of the exercise ids to leave out today

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 28, 60, 20)
        layout.setSpacing(14)
        layout.addWidget(label(_(TITLE), "title"))
        layout.addWidget(label(_(INTRO), "big"))
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        # Tab goes to the "leave out" boxes (the scroll area brings each into view), never to the area itself
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The cards take the room left by the title, the intro and the button, never more: with three or
        # more exercises the cards scroll, and the button stays on screen.
        self.scroller.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.list = QWidget()
        self.cards = QVBoxLayout(self.list)
        self.cards.setContentsMargins(0, 0, 12, 0)  # room for the scroll bar beside the cards
        self.cards.setSpacing(14)
        self.scroller.setWidget(self.list)
        layout.addWidget(self.scroller, 1)
        row = QHBoxLayout()
        self.read_button = QPushButton(_("I've read these (Enter)"))
        self.read_button.setProperty("role", "primary")
        self.read_button.setAccessibleName(_("I've read these"))
        self.read_button.setToolTip(_("I've read these (key Enter)"))
        self.read_button.setMinimumHeight(48)
        self.read_button.clicked.connect(self._accept)
        row.addWidget(self.read_button)
        row.addStretch(1)
        layout.addLayout(row)
        for key in ("Return", "Enter"):
            shortcut = QShortcut(QKeySequence(key), self, self.read_button.click)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.leave_out: dict[str, QCheckBox] = {}
        self.setAccessibleName(_(TITLE))

    def show_cautions(self, exercises: Sequence[Exercise]) -> None:
        """Show the cautions of these exercises, every "leave out" choice unticked."""
        while (item := self.cards.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.hide()  # gone from the page now, not only when the event loop deletes it
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
        self.cards.addStretch(1)
        self.scroller.verticalScrollBar().setValue(0)
        self.read_button.setFocus()

    def _accept(self) -> None:
        self.accepted.emit(frozenset(i for i, box in self.leave_out.items() if box.isChecked()))
