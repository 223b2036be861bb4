"""The guidance note, the red-flag questions and their result, as pages inside the session (no blocking dialogs).

The questions come from `core.red_flags`; the numbers to call from `core.emergency` (through `safety_state`).
The question page is made to be answered from the floor: big Yes/No buttons, the questions grouped under short
headings, a list that scrolls while Continue stays in view, and keys (Y/N or 1/2 answer the question in focus
and move on, ↑/↓ move between questions, Enter continues)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sciatica_coach.core import red_flags, safety
from sciatica_coach.core.emergency import Country, advice_words
from sciatica_coach.core.red_flags import RedFlag, Tier, TierAdvice
from sciatica_coach.i18n import _
from sciatica_coach.views.widgets import label, set_enter_button

HEADING_PT = 24.0  # the result page's heading and advice: the largest text there, in points at 100 %
ADVICE_PT = 19.0
NUMBER_PT = 40.0  # the number to call
ANSWER_PT = 16.0  # the Yes/No buttons
ANSWER_SIZE = QSize(128, 60)  # px: big enough to hit from a kneeling position


def _scaled_pt(points: float) -> str:
    """A font size that follows the text size setting (the app font is BASE_POINT_SIZE times the scale)."""
    from sciatica_coach.views.theme import BASE_POINT_SIZE

    app_points = QApplication.font().pointSizeF()
    scale = app_points / BASE_POINT_SIZE if app_points > 0 else 1.0
    return f"{points * scale:.1f}pt"


def guidance_body(place: Country) -> QWidget:
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(14)
    words = advice_words(place)
    for paragraph in safety.GUIDANCE_NOTE:
        layout.addWidget(label(_(paragraph).format(**words), "big"))
    return body


class GuidancePage(QWidget):
    """Shown before the first session: the person acknowledges that this is guidance, not diagnosis."""

    accepted = Signal()
    declined = Signal()

    def __init__(self, place: Country, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 40)
        layout.setSpacing(18)
        layout.addWidget(label(_(safety.GUIDANCE_NOTE_TITLE), "title"))
        layout.addWidget(guidance_body(place))
        layout.addStretch(1)
        row = QHBoxLayout()
        self.accept_button = QPushButton(_(safety.GUIDANCE_NOTE_ACCEPT))
        self.accept_button.setProperty("role", "primary")
        self.accept_button.clicked.connect(self.accepted.emit)
        self.later_button = QPushButton(_("Not now"))
        self.later_button.clicked.connect(self.declined.emit)
        row.addWidget(self.accept_button)
        row.addWidget(self.later_button)
        set_enter_button(self, self.accept_button)
        row.addStretch(1)
        layout.addLayout(row)


class GuidanceDialog(QDialog):
    """The same note, to read again from Settings."""

    def __init__(self, place: Country, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_(safety.GUIDANCE_NOTE_TITLE))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.addWidget(label(_(safety.GUIDANCE_NOTE_TITLE), "title"))
        layout.addWidget(guidance_body(place))
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(720, 520)


class RedFlagQuestion(QFrame):
    """One question with big No and Yes buttons (checkable: the answer stays visible)."""

    answered = Signal()

    def __init__(self, flag: RedFlag, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flag = flag
        self.setProperty("role", "card")
        row = QHBoxLayout(self)
        row.setContentsMargins(18, 12, 18, 12)
        row.setSpacing(14)
        self.text = label(_(flag.question), "big")
        row.addWidget(self.text, 1)
        self.group = QButtonGroup(self)
        self.buttons: list[QPushButton] = []
        # The key on the button itself, so it can be answered from the floor (German: N for Nein, J for Ja).
        answers = ((_("No"), _("No (N)")), (_("Yes"), _("Yes (Y)")))
        for value, (text, shown) in enumerate(answers):
            key = shown[shown.rindex("(") + 1 : -1]  # the letter the translation shows: Y, or J in German
            button = QPushButton(shown)
            button.setCheckable(True)
            button.setAutoExclusive(True)  # No or Yes, one of two: screen readers hear a radio button
            button.setProperty("answer", True)
            button.setMinimumSize(ANSWER_SIZE)
            button.setAccessibleName(f"{text}: {_(flag.question)}")
            button.setToolTip(_("Key {key}").format(key=f"{key} / {value + 1}"))
            self.group.addButton(button, value)
            self.buttons.append(button)
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.group.idClicked.connect(lambda _value: self.answered.emit())

    def value(self) -> bool | None:
        checked = self.group.checkedId()
        return None if checked < 0 else checked == 1

    def answer(self, yes: bool) -> None:
        self.buttons[1 if yes else 0].click()

    def focus_button(self) -> QPushButton:
        """The button the keyboard lands on: the chosen answer, or No."""
        return self.buttons[1] if self.value() else self.buttons[0]


class RedFlagPage(QWidget):
    """The red-flag questions, grouped by tier under short headings, Continue once every one is answered.

    `set_questions` chooses which to ask (a doctor's earlier clearance leaves some out at the weekly check)."""

    answered = Signal(dict)  # {flag id: bool}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(
            f'QPushButton[answer="true"] {{ font-size: {_scaled_pt(ANSWER_PT)}; font-weight: 600;'
            f" min-height: {ANSWER_SIZE.height() - 16}px; min-width: {ANSWER_SIZE.width() - 34}px; }}"
            'QPushButton[answer="true"]:checked { background: palette(highlight);'
            " color: palette(highlighted-text); border: 3px solid palette(highlight); }"
            # Continue looks unavailable until every question is answered (the theme's primary style doesn't).
            'QPushButton[role="primary"]:disabled { background: palette(window); color: palette(placeholder-text);'
            " border: 3px dashed palette(mid); }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 28, 60, 20)
        layout.setSpacing(12)
        layout.addWidget(label(_("A quick safety check"), "title"))
        layout.addWidget(label(_(red_flags.RED_FLAG_INTRO), "subtitle"))
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys belong to the questions
        self.list = QWidget()
        self.list_layout = QVBoxLayout(self.list)
        self.list_layout.setContentsMargins(0, 0, 12, 0)
        self.list_layout.setSpacing(10)
        self.scroller.setWidget(self.list)
        layout.addWidget(self.scroller, 1)
        row = QHBoxLayout()
        self.progress = label("", "muted")
        row.addWidget(self.progress, 1)
        self.continue_button = QPushButton(_("Continue (Enter)"))
        self.continue_button.setProperty("role", "primary")
        self.continue_button.setAccessibleName(_("Continue"))
        self.continue_button.setEnabled(False)
        self.continue_button.clicked.connect(self._submit)
        row.addWidget(self.continue_button)
        layout.addLayout(row)
        self.questions: list[RedFlagQuestion] = []
        keys = {
            "Y": lambda: self._answer_key(True), "J": lambda: self._answer_key(True),  # J: German "Ja"
            "1": lambda: self._answer_key(False),
            "N": lambda: self._answer_key(False), "2": lambda: self._answer_key(True),
            "Up": lambda: self._move(-1), "Down": lambda: self._move(1),
            "Left": lambda: self._side(False), "Right": lambda: self._side(True),
            "Return": self._enter, "Enter": self._enter,
        }  # fmt: skip
        for key, slot in keys.items():
            shortcut = QShortcut(QKeySequence(key), self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.set_questions(red_flags.RED_FLAGS)

    @property
    def groups(self) -> dict[str, QButtonGroup]:
        """The No/Yes button group of each question asked, by flag id."""
        return {question.flag.id: question.group for question in self.questions}

    def set_questions(self, flags: tuple[RedFlag, ...]) -> None:
        if [question.flag for question in self.questions] == list(flags):
            self._update()
            return
        while self.list_layout.count():
            item = self.list_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone from the page now, not only when the event loop deletes it
                widget.deleteLater()
        self.questions = []
        for tier in (Tier.EMERGENCY, Tier.URGENT, Tier.SEE_DOCTOR_SOON):
            in_tier = [flag for flag in flags if flag.tier is tier]
            if not in_tier:
                continue
            heading = label(_(red_flags.GROUP_HEADINGS[tier]), "big")
            heading.setStyleSheet("font-weight: 700;")
            heading.setAccessibleName(_(red_flags.GROUP_HEADINGS[tier]))
            self.list_layout.addWidget(heading)
            for flag in in_tier:
                question = RedFlagQuestion(flag)
                question.answered.connect(lambda q=question: self._on_answer(q))
                self.list_layout.addWidget(question)
                self.questions.append(question)
        self.list_layout.addStretch(1)
        self._update()

    def answer(self, flag_id: str, yes: bool) -> None:
        next(q for q in self.questions if q.flag.id == flag_id).answer(yes)

    def answers(self) -> dict[str, bool] | None:
        values = {question.flag.id: question.value() for question in self.questions}
        if any(value is None for value in values.values()):
            return None
        return {flag_id: bool(value) for flag_id, value in values.items()}

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        self._focus(self._first_unanswered())

    # ---- keys and focus ----------------------------------------------------------------------------
    def current_index(self) -> int:
        """The question holding the keyboard focus; else the first unanswered one."""
        focused = QApplication.focusWidget()
        for index, question in enumerate(self.questions):
            if focused is not None and question.isAncestorOf(focused):
                return index
        return self._first_unanswered()

    def _first_unanswered(self) -> int:
        return next((i for i, q in enumerate(self.questions) if q.value() is None), len(self.questions) - 1)

    def _focus(self, index: int) -> None:
        if not self.questions:
            return
        question = self.questions[max(0, min(index, len(self.questions) - 1))]
        button = question.focus_button()
        button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroller.ensureWidgetVisible(question, 0, 24)

    def _answer_key(self, yes: bool) -> None:
        if self.questions:
            self.questions[self.current_index()].answer(yes)

    def _on_answer(self, question: RedFlagQuestion) -> None:
        self._update()
        if self.answers() is not None:
            self.continue_button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        index = self.questions.index(question)
        later = [i for i in range(index + 1, len(self.questions)) if self.questions[i].value() is None]
        self._focus(later[0] if later else self._first_unanswered())

    def _move(self, step: int) -> None:
        self._focus(self.current_index() + step)

    def _side(self, yes: bool) -> None:
        if self.questions:
            self.questions[self.current_index()].buttons[1 if yes else 0].setFocus(
                Qt.FocusReason.OtherFocusReason
            )

    def _enter(self) -> None:
        focused = QApplication.focusWidget()
        if isinstance(focused, QPushButton) and focused is not self.continue_button and focused.isEnabled():
            focused.click()
        elif self.continue_button.isEnabled():
            self.continue_button.click()

    def _update(self) -> None:
        done = sum(question.value() is not None for question in self.questions)
        self.progress.setText(_("{done} of {count} answered").format(done=done, count=len(self.questions)))
        self.continue_button.setEnabled(self.answers() is not None)

    def _submit(self) -> None:
        answers = self.answers()
        if answers is not None:
            self.answered.emit(answers)


class TriagePage(QWidget):
    """The result of a "yes": the tier's heading and advice in the largest type, the number to call in big
    type, and for "see a doctor soon" the confirmation that a doctor has said the person can exercise."""

    closed = Signal()
    doctor_cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 40)
        layout.setSpacing(20)
        self.heading = label("")
        self.heading.setStyleSheet(f"font-size: {_scaled_pt(HEADING_PT)}; font-weight: 700;")
        self.body = label("")
        self.body.setStyleSheet(f"font-size: {_scaled_pt(ADVICE_PT)};")
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.number_card = QFrame()
        self.number_card.setProperty("role", "banner")
        number_row = QHBoxLayout(self.number_card)
        number_row.setContentsMargins(24, 14, 24, 14)
        number_row.setSpacing(20)
        self.caption = label("", wrap=False)
        self.caption.setStyleSheet(f"font-size: {_scaled_pt(ADVICE_PT)};")
        self.number = label("", wrap=False)
        self.number.setStyleSheet(f"font-size: {_scaled_pt(NUMBER_PT)}; font-weight: 800;")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        number_row.addWidget(self.caption, 0, Qt.AlignmentFlag.AlignVCenter)
        number_row.addWidget(self.number, 0, Qt.AlignmentFlag.AlignVCenter)
        number_row.addStretch(1)
        layout.addWidget(self.heading)
        layout.addWidget(self.body)
        layout.addWidget(self.number_card)
        layout.addStretch(1)
        row = QHBoxLayout()
        self.cleared_button = QPushButton(_(red_flags.DOCTOR_CLEARED_BUTTON))
        self.cleared_button.setMinimumHeight(48)
        self.cleared_button.clicked.connect(self.doctor_cleared.emit)
        self.back_button = QPushButton(_("Back to Today"))
        self.back_button.setProperty("role", "primary")
        self.back_button.setMinimumWidth(240)
        self.back_button.clicked.connect(self.closed.emit)
        row.addWidget(self.back_button)
        row.addWidget(self.cleared_button)
        set_enter_button(self, self.back_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.tier = Tier.NONE

    def show_advice(self, shown: TierAdvice) -> None:
        self.tier = shown.tier
        self.heading.setText(shown.heading)
        self.body.setText(shown.body)
        self.number.setText(shown.number)
        self.caption.setText(shown.caption)
        self.number.setAccessibleName(f"{shown.caption}: {shown.number}")
        self.cleared_button.setVisible(shown.tier is Tier.SEE_DOCTOR_SOON)
        self.setAccessibleName(shown.heading)
        self.setAccessibleDescription(shown.body)
