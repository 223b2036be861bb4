"""The guidance note and the red-flag questions, as pages inside the session (no blocking dialogs)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sciatica_coach.core import safety
from sciatica_coach.i18n import _
from sciatica_coach.views.widgets import label


def guidance_body() -> QWidget:
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(14)
    for paragraph in safety.GUIDANCE_NOTE:
        layout.addWidget(label(_(paragraph), "big"))
    return body


class GuidancePage(QWidget):
    """Shown before the first session: the person acknowledges that this is guidance, not diagnosis."""

    accepted = Signal()
    declined = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 40)
        layout.setSpacing(18)
        layout.addWidget(label(_(safety.GUIDANCE_NOTE_TITLE), "title"))
        layout.addWidget(guidance_body())
        layout.addStretch(1)
        row = QHBoxLayout()
        self.accept_button = QPushButton(_(safety.GUIDANCE_NOTE_ACCEPT))
        self.accept_button.setProperty("role", "primary")
        self.accept_button.clicked.connect(self.accepted.emit)
        self.later_button = QPushButton(_("Not now"))
        self.later_button.clicked.connect(self.declined.emit)
        row.addWidget(self.accept_button)
        row.addWidget(self.later_button)
        row.addStretch(1)
        layout.addLayout(row)


class GuidanceDialog(QDialog):
    """The same note, to read again from Settings."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_(safety.GUIDANCE_NOTE_TITLE))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.addWidget(label(_(safety.GUIDANCE_NOTE_TITLE), "title"))
        layout.addWidget(guidance_body())
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(720, 520)


class RedFlagPage(QWidget):
    """Yes/No for each red-flag question; Continue once every one is answered."""

    answered = Signal(dict)  # {flag id: bool}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 32, 60, 32)
        layout.setSpacing(14)
        layout.addWidget(label(_("A quick safety check"), "title"))
        layout.addWidget(label(_(safety.RED_FLAG_INTRO), "subtitle"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(10)
        self.groups: dict[str, QButtonGroup] = {}
        for row, flag in enumerate(safety.RED_FLAGS):
            question = label(_(flag.question), "big")
            grid.addWidget(question, row, 0)
            group = QButtonGroup(self)
            for column, (text, value) in enumerate(((_("No"), 0), (_("Yes"), 1)), start=1):
                button = QPushButton(text)
                button.setCheckable(True)
                button.setMinimumSize(88, 44)
                button.setAccessibleName(f"{text}: {_(flag.question)}")
                group.addButton(button, value)
                grid.addWidget(button, row, column)
            group.idClicked.connect(self._update)
            self.groups[flag.id] = group
        grid.setColumnStretch(0, 1)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.continue_button = QPushButton(_("Continue"))
        self.continue_button.setProperty("role", "primary")
        self.continue_button.setEnabled(False)
        self.continue_button.clicked.connect(self._submit)
        layout.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignRight)

    def answer(self, flag_id: str, yes: bool) -> None:
        button = self.groups[flag_id].button(1 if yes else 0)
        button.click()

    def answers(self) -> dict[str, bool] | None:
        values = {flag_id: group.checkedId() for flag_id, group in self.groups.items()}
        if any(v < 0 for v in values.values()):
            return None
        return {flag_id: v == 1 for flag_id, v in values.items()}

    def _update(self) -> None:
        self.continue_button.setEnabled(self.answers() is not None)

    def _submit(self) -> None:
        answers = self.answers()
        if answers is not None:
            self.answered.emit(answers)
