"""The guided session, as a person on a mat two metres away sees it.

Stages: pain check before → the running session (with the after-exercise symptom question) → pain check
after → a kind summary. Red pain, the "it hurts" button and red-flag answers lead to a calm stop screen.
Everything is driven by keys too: Space pause/resume, → skip, ← back, Esc end (asks first), F floor mode,
H "it hurts", and 1/2/3 answer the symptom question.

Which stage comes next, and what is kept (safety events, a safety-stop session), is decided by the Qt-free
`core.session_flow.SessionFlow`; this view stores what it says (through services) and shows the page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QColor,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from sciatica_coach.core import red_flags, safety
from sciatica_coach.core.announce import Announced, Due, announcement_due, whole_seconds_left
from sciatica_coach.core.catalogue import Catalogue
from sciatica_coach.core.cues import STEP_WORDS, cue_for, step_word
from sciatica_coach.core.emergency import Country
from sciatica_coach.core.engine import PauseReason, SessionStatus, Step
from sciatica_coach.core.model import (
    Exercise,
    PainReport,
    Routine,
    SessionRecord,
    Side,
    SymptomChange,
)
from sciatica_coach.core.motion import blend
from sciatica_coach.core.safety import RedStopState
from sciatica_coach.core.schedule import slot_for
from sciatica_coach.core.session_flow import Next, SessionFlow, Stage
from sciatica_coach.core.voice import SPOKEN_QUESTION_BY_VOICE
from sciatica_coach.i18n import N_, _, ngettext
from sciatica_coach.platform.locale_support import clock_time
from sciatica_coach.services import affected_side, cautions, safety_state
from sciatica_coach.services.plans import avoided_direction, reminder_plan
from sciatica_coach.services.routines import flare_routine_today, stop_for_today, substitute_for
from sciatica_coach.views.cautions_page import CautionsPage
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.countdown import CountdownRing
from sciatica_coach.views.figure_motion import prepare
from sciatica_coach.views.illustrations import IllustrationWidget, content_view_box
from sciatica_coach.views.listening_mark import ListeningMark
from sciatica_coach.views.pain_check import PainCheck
from sciatica_coach.views.safety_pages import GuidancePage, RedFlagPage, TriagePage
from sciatica_coach.views.session_runner import FRAME_INTERVAL_MS, SessionRunner
from sciatica_coach.views.session_voice import SessionVoice
from sciatica_coach.views.theme import FLOOR_COLORS, current_colors
from sciatica_coach.views.widgets import ButtonRows, label, set_enter_button

SIDE_WORDS = {Side.LEFT: N_("Left side"), Side.RIGHT: N_("Right side"), Side.NONE: ""}
SIDE_BIG_WORDS = {Side.LEFT: N_("LEFT SIDE"), Side.RIGHT: N_("RIGHT SIDE")}  # under the step word
PAUSE_TEXT = {
    PauseReason.USER: N_("Paused. Press Space or Resume when you're ready."),
    PauseReason.HURTS: safety.HURTS_ADVICE,
    PauseReason.SLEEP_OR_CLOCK_JUMP: N_(
        "Paused, because the computer was asleep or its clock changed. "
        "Press Space or Resume when you're ready to carry on."
    ),
    PauseReason.QUESTION: N_(
        "Waiting for your answer: press 1, 2 or 3, or 4 to skip the question. "
        "The next exercise starts after that."
    ),
    PauseReason.SPREAD: N_("Paused. Press Space to carry on, or Esc to end here."),
}
# After the last exercise the question waits before the pain check, not before a next exercise.
QUESTION_LAST_TEXT = N_(
    "Waiting for your answer: press 1, 2 or 3, or 4 to skip the question. "
    "Then comes the short pain check that ends the session."
)
SYMPTOM_QUESTION = N_("How are your leg symptoms after {name}?")
SYMPTOM_CHOICES = (
    (SymptomChange.UP, N_("1  Moved up, towards my back")),
    (SymptomChange.SAME, N_("2  About the same")),
    (SymptomChange.DOWN, N_("3  Spread further down my leg")),
)
SKIP_CHOICE = N_("4  Skip the question")
# Said aloud when the question comes up (and again on Space, Enter or →, which don't answer it), so it can be
# answered from the mat without reading the screen.
SPOKEN_QUESTION = N_(
    "How are your leg symptoms after {name}? Press 1 if they moved up towards your back, 2 if they are about "
    "the same, or 3 if they spread further down your leg."
)
SUBSTITUTE_HEADLINE = N_("Try {name} instead")
SUBSTITUTE_BUTTON = N_("Do {name} instead (G)")
CARRY_ON_BUTTON = N_("Carry on without it (Space)")
END_CONFIRM_TEXT = N_("End the session now? What you've done so far is kept.")


# How much smaller the running panel's type may become, step by step, so that everything, the controls
# included, fits the window without scrolling (large text, a small window, "SWITCH SIDES" on two lines).
PANEL_SHRINK = (1.0, 0.92, 0.84, 0.76, 0.68, 0.6)


def _minutes_text(seconds: float) -> str:
    minutes = round(seconds / 60)
    return _("less than a minute left") if minutes < 1 else _("about {n} min left").format(n=minutes)


class SymptomQuestion(QFrame):
    """After each exercise: did leg symptoms move up, stay the same, or spread further down? Big buttons
    (keys 1-4, 4 skips) while the session waits; then what the answer means: an encouraging word, or after
    "further down" the advice, with the gentler exercise to do instead as the largest words on screen."""

    answered = Signal(object)  # SymptomChange | None (skipped)
    substitute_chosen = Signal()  # "Do {gentler} instead"
    carry_on = Signal()  # "Carry on without it"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("symptomQuestion")
        self.setProperty("role", "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.question.setAccessibleName(_("Question"))
        layout.addWidget(self.question)
        self.answers = QWidget()
        grid = QGridLayout(self.answers)
        grid.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[SymptomChange, QPushButton] = {}
        choices: list[tuple[SymptomChange | None, str]] = [*SYMPTOM_CHOICES, (None, SKIP_CHOICE)]
        for n, (change, source) in enumerate(choices):
            text = _(source)  # the translation keeps the leading "1  ", "2  ", "3  ", "4  "
            button = QPushButton(text)
            button.setAccessibleName(text[3:])
            button.setToolTip(_("Key {key}").format(key=text[0]))
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # Space belongs to the session
            button.clicked.connect(lambda _=False, c=change: self.answered.emit(c))
            grid.addWidget(button, n // 2, n % 2)
            if change is None:
                self.skip_button = button
            else:
                self.buttons[change] = button
        layout.addWidget(self.answers)
        self.headline = QLabel()  # names the gentler exercise: the largest words on screen
        self.headline.setWordWrap(True)
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.advice.setAccessibleName(_("Advice"))
        layout.addWidget(self.headline)
        layout.addWidget(self.advice)
        self.choices = QWidget()
        # Side by side when they fit across the window, else one under the other (long German names).
        self.choice_row = row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.choices)
        row.setContentsMargins(0, 0, 0, 0)
        self.instead = QPushButton()
        self.instead.setProperty("role", "primary")
        self.instead.clicked.connect(self.substitute_chosen.emit)
        self.carry_on_button = QPushButton(_(CARRY_ON_BUTTON))
        self.carry_on_button.clicked.connect(self.carry_on.emit)
        for button in (self.instead, self.carry_on_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        row.addStretch(1)
        layout.addWidget(self.choices)
        self.exercise_index: int | None = None
        self.substitute_id: str | None = None
        self.holding = False  # showing the "further down" advice while the session waits for a choice
        self._show_parts()

    def _show_parts(self, *, asking: bool = False, advice: str = "", headline: str = "") -> None:
        self.question.setVisible(asking)
        self.answers.setVisible(asking)
        self.advice.setText(advice)
        self.advice.setVisible(bool(advice))
        self.headline.setText(headline)
        self.headline.setVisible(bool(headline))
        self.choices.setVisible(bool(advice) and not asking and self.holding)

    @property
    def asking(self) -> bool:
        return not self.isHidden() and not self.answers.isHidden()

    def ask(self, index: int, name: str) -> None:
        self.exercise_index = index
        self.substitute_id = None
        self.holding = False
        self.question.setText(_(SYMPTOM_QUESTION).format(name=name))
        self._show_parts(asking=True)
        self.show()

    def show_note(self, text: str) -> None:
        """A short word about the answer (e.g. moved up: encouraging) while the session carries on."""
        self.holding = False
        self._show_parts(advice=text)
        self.setVisible(bool(text))

    def show_spread_advice(self, text: str, substitute_id: str | None, substitute_name: str) -> None:
        """After "further down": the advice, and the gentler exercise to do instead if there is one."""
        self.holding = True
        self.substitute_id = substitute_id
        headline = _(SUBSTITUTE_HEADLINE).format(name=substitute_name) if substitute_id else ""
        self.instead.setText(_(SUBSTITUTE_BUTTON).format(name=substitute_name))
        self.instead.setVisible(substitute_id is not None)
        self._show_parts(advice=text, headline=headline)
        self.fit_choices()
        self.show()

    def fit_choices(self) -> None:
        """The two choices side by side only when both fit across the window. Measured from the window, not
        from this card, which a row too wide would itself widen."""
        spare = 2 * 28 + 2 * 20 + 16  # the running panel's and this card's side margins, and a little room
        room = self.window().width() - spare
        needed = self.carry_on_button.sizeHint().width() + self.choice_row.spacing()
        needed += self.instead.sizeHint().width() if not self.instead.isHidden() else 0
        direction = QBoxLayout.Direction.LeftToRight if needed <= room else QBoxLayout.Direction.TopToBottom
        if self.choice_row.direction() != direction:
            self.choice_row.setDirection(direction)

    def done(self) -> None:
        self.holding = False
        self.substitute_id = None
        self.hide()

    # The card's sizes, largest first, in the running panel's units: the gentler exercise's name, a factor
    # for the rest of the card's type, and the height of its buttons. The panel takes the first level at which
    # it fits the room it is shown in (RunningPanel.fit_card), so a long German name and advice shrink a little
    # rather than push the buttons below the window. Even the last level keeps the gentler exercise the largest
    # text on screen (the exercise name above is 5.2 units) and the advice no smaller than the stop rule (3.0).
    FIT_LEVELS: tuple[tuple[float, float, float], ...] = (
        (7.6, 1.0, 8.0), (7.0, 1.0, 8.0), (6.4, 1.0, 8.0), (6.0, 1.0, 7.0), (6.0, 0.94, 7.0), (6.0, 0.9, 6.5),
    )  # fmt: skip

    def apply_sizes(
        self, unit: float, floor: bool, level: tuple[float, float, float] = FIT_LEVELS[0]
    ) -> None:
        """Sizes that follow the running panel's; in floor mode the words about a gentler exercise are the
        largest on screen, on the floor colours."""
        headline, scale, button_height = level
        body = unit * scale
        colors = FLOOR_COLORS if floor else current_colors()
        self.setStyleSheet(
            f"QFrame#symptomQuestion {{ background: {colors.surface}; border: {3 if floor else 2}px solid "
            f"{colors.accent}; border-radius: 14px; }}"
        )
        self.question.setStyleSheet(f"font-size: {body * 4.2:.0f}px; font-weight: 700; color: {colors.text};")
        self.headline.setStyleSheet(
            f"font-size: {unit * headline:.0f}px; font-weight: 800; color: {colors.accent};"
        )
        self.advice.setStyleSheet(f"font-size: {body * 3.4:.0f}px; color: {colors.text};")
        for button in self.answers.findChildren(QPushButton):
            button.setStyleSheet(f"font-size: {body * 3.2:.0f}px; font-weight: 600;")
            button.setMinimumHeight(round(unit * button_height))
        self.carry_on_button.setStyleSheet(f"font-size: {body * 3.0:.0f}px;")
        self.instead.setStyleSheet(f"font-size: {body * 3.4:.0f}px;")
        for button in (self.instead, self.carry_on_button):
            button.setMinimumHeight(round(unit * button_height))
        self.fit_choices()


def _invalidate(layout: QLayout) -> None:
    """Forget the cached sizes of a layout and of the layouts nested in it."""
    layout.invalidate()
    for i in range(layout.count()):
        item = layout.itemAt(i)
        nested = item.layout() if item is not None else None
        if nested is not None:
            _invalidate(nested)


class SessionPicture(IllustrationWidget):
    """The drawing in a session takes whatever room the countdown and text leave (aspect kept when painted),
    instead of asking for a height from its width, which pushed the controls off a full screen."""

    def hasHeightForWidth(self) -> bool:
        return False

    def sizeHint(self) -> QSize:
        return QSize(320, 180)


class RunningPanel(QWidget):
    """What the person follows: name, drawing, step word, countdown, counters, cue and what's next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        root = QVBoxLayout(self)
        root.setContentsMargins(28, 18, 28, 14)
        root.setSpacing(8)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        self.name = QLabel()
        self.name.setWordWrap(True)
        self.position = QLabel()
        self.position.setProperty("role", "muted")
        titles.addWidget(self.name)
        titles.addWidget(self.position)
        top.addLayout(titles, 1)
        self.hurts = QPushButton(_("It hurts (H)"))
        self.hurts.setProperty("role", "danger")
        self.hurts.setAccessibleName(_("It hurts: stop and rest"))
        self.hurts.setToolTip(_("Stop and rest (key H)"))
        self.hurts.setMinimumHeight(60)
        self.hurts.setMinimumWidth(200)
        top.addWidget(self.hurts, 0, Qt.AlignmentFlag.AlignTop)
        root.addLayout(top)

        middle = QHBoxLayout()
        middle.setSpacing(24)
        self.picture = SessionPicture()
        middle.addWidget(self.picture, 3)
        right = QVBoxLayout()
        self.step_word = QLabel()
        self.step_word.setWordWrap(True)
        self.step_word.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.step_word.setAccessibleName(_("Step"))
        self.ring = CountdownRing()
        self.counters = QLabel()
        self.counters.setWordWrap(True)
        self.counters.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.counters.setAccessibleName(_("Repetition and set"))
        # The side being worked, as large as the step word: "HOLD" / "LEFT SIDE" (issue 15: not small grey text).
        self.side_word = QLabel()
        self.side_word.setWordWrap(True)
        self.side_word.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.side_word.setAccessibleName(_("Side"))
        self.side_word.hide()
        right.addWidget(self.step_word)
        right.addWidget(self.side_word)
        right.addWidget(self.ring, 1)
        right.addWidget(self.counters)
        middle.addLayout(right, 2)
        root.addLayout(middle, 1)

        self.cue = QLabel()
        self.cue.setWordWrap(True)
        self.cue.setAccessibleName(_("What to do now"))
        root.addWidget(self.cue)
        # Says once, in plain words, that spoken cues (or sound) went off during the run (AppContext.service_off).
        self.service_note = QLabel()
        self.service_note.setWordWrap(True)
        self.service_note.setProperty("role", "muted")
        self.service_note.hide()
        root.addWidget(self.service_note)
        # The exercise's stop rule, always in view while it runs: large, on an amber-edged band.
        self.stop_rule = QLabel()
        self.stop_rule.setWordWrap(True)
        self.stop_rule.setAccessibleName(_("When to stop"))
        root.addWidget(self.stop_rule)
        self.symptom = SymptomQuestion()
        self.symptom.hide()
        root.addWidget(self.symptom)
        self.confirm = QFrame()
        self.confirm.setObjectName("endConfirm")
        confirm_row = QHBoxLayout(self.confirm)
        self.confirm_text = label(_(END_CONFIRM_TEXT))  # sized with the panel's type (see _style)
        confirm_row.addWidget(self.confirm_text, 1)
        self.confirm_end = QPushButton(_("End session (Enter)"))
        self.confirm_keep = QPushButton(_("Keep going (Esc)"))
        self.confirm_end.setToolTip(_("End the session now (key Enter)"))
        self.confirm_keep.setToolTip(_("Carry on with the session (key Esc)"))
        self.confirm_buttons = ButtonRows((self.confirm_end, self.confirm_keep))
        confirm_row.addWidget(self.confirm_buttons)
        self.confirm.hide()
        root.addWidget(self.confirm)

        bottom = QHBoxLayout()
        self.next_label = QLabel()
        self.next_label.setWordWrap(True)
        self.next_label.setProperty("role", "muted")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(12)
        self.progress.setAccessibleName(_("Session progress"))
        self.time_left = QLabel()
        self.time_left.setProperty("role", "muted")
        bottom.addWidget(self.next_label, 1)
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.time_left)
        root.addLayout(bottom)

        self.back = QPushButton(_("◀  Back (←)"))
        self.pause = QPushButton(_("Pause (Space)"))
        self.skip = QPushButton(_("Skip  ▶ (→)"))
        self.floor = QPushButton(_("Floor mode (F)"))
        self.floor.setCheckable(True)
        self.end = QPushButton(_("End (Esc)"))
        for button, name, key in (
            (self.back, _("Back one exercise"), _("Left arrow")),
            (self.pause, _("Pause or resume"), _("Space")),
            (self.skip, _("Skip this exercise"), _("Right arrow")),
            (self.floor, _("Floor mode: full screen, very large text"), "F"),
            (self.end, _("End the session"), _("Esc")),
        ):
            button.setAccessibleName(name)
            button.setToolTip(_("{action} (key {key})").format(action=name, key=key))
            button.setMinimumHeight(48)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # Space belongs to pause, not to a focused button
        # In rows when they don't fit across (200 % text, a narrow window): never pushed off the screen.
        self.controls = ButtonRows((self.back, self.pause, self.skip, self.floor, self.end))
        root.addWidget(self.controls)
        self.hurts.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._floor_mode = False
        self._unit = 6.0
        self._fitted: tuple[object, ...] | None = None
        self._apply_sizes()

    def set_floor_mode(self, on: bool) -> None:
        self._floor_mode = on
        self.floor.setChecked(on)
        self._apply_sizes()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_sizes()

    def restyle(self) -> None:
        """Colours and sizes anew, after the theme or the text size changed."""
        self._apply_sizes()

    def _apply_sizes(self) -> None:
        """Type sizes follow the panel's height; floor mode is larger still, white and yellow on black."""
        # Sized from the window, not from this panel: the panel may be taller than the window (it scrolls at
        # very large text), and sizing from itself would grow the text, which grows the panel, and so on.
        unit = max(6.0, min(self.window().height(), self.height()) / 100) * (1.2 if self._floor_mode else 1.0)
        colors = FLOOR_COLORS if self._floor_mode else current_colors()
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(colors.window))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(colors.text))
        self.setPalette(palette)
        self.picture.setPalette(palette)
        self.setAutoFillBackground(self._floor_mode)
        self.ring.set_colors(FLOOR_COLORS if self._floor_mode else None)
        self.picture.set_accent(QColor(colors.accent))
        self._unit = unit
        self._fitted = None
        root = self.layout()
        assert root is not None
        width = self._room()[0] - root.contentsMargins().left() - root.contentsMargins().right()
        self.controls.fit(width)
        self.confirm_buttons.fit(width // 2)  # beside the question "End the session now?"
        self.fit_card()

    def _style(self, unit: float) -> None:
        """The panel's type at `unit` (a hundredth of the window's height, larger in floor mode)."""
        colors = FLOOR_COLORS if self._floor_mode else current_colors()
        styles = {
            self.name: f"font-size: {unit * 5.2:.0f}px; font-weight: 700; color: {colors.text};",
            self.position: f"font-size: {unit * 2.8:.0f}px; color: {colors.muted};",
            self.step_word: f"font-size: {unit * 7:.0f}px; font-weight: 800; color: {colors.accent};",
            self.side_word: f"font-size: {unit * 7:.0f}px; font-weight: 800; color: {colors.text};",
            self.counters: f"font-size: {unit * 3.6:.0f}px; font-weight: 600; color: {colors.text};",
            self.cue: f"font-size: {unit * 3.4:.0f}px; color: {colors.text};",
            self.confirm_text: f"font-size: {unit * 3.6:.0f}px; font-weight: 700; color: {colors.text};",
            self.confirm_end: f"font-size: {unit * 3.0:.0f}px; font-weight: 700;",
            self.confirm_keep: f"font-size: {unit * 3.0:.0f}px;",
            self.stop_rule: (
                f"font-size: {unit * 3.0:.0f}px; font-weight: 700; color: {colors.text}; "
                f"border: {max(3, round(unit * 0.5))}px solid {colors.amber}; border-radius: 8px; "
                f"padding: {unit * 0.8:.0f}px {unit * 1.4:.0f}px;"
            ),
            self.next_label: f"font-size: {unit * 2.6:.0f}px; color: {colors.muted};",
            self.time_left: f"font-size: {unit * 2.6:.0f}px; color: {colors.muted};",
            # The quiet line (a service that is off, the nerve glide left out): readable from the mat too.
            self.service_note: f"font-size: {unit * 2.6:.0f}px; color: {colors.muted};",
        }
        for widget, style in styles.items():
            widget.setStyleSheet(style)
        self.confirm.setStyleSheet(  # an amber-edged band on the panel's colours (floor mode's too)
            f"QFrame#endConfirm {{ background: {colors.surface}; border: {max(2, round(unit * 0.4))}px solid "
            f"{colors.amber}; border-radius: 10px; }}"
        )

    def fit_card(self) -> None:
        """The symptom card at the largest of its levels at which the panel fits the room it is shown in, so
        its buttons and the controls need no scrolling (German in floor mode at 1280×800 did); if even its
        smallest level doesn't fit (200 % text, the controls in two rows), the whole panel's type a little
        smaller, step by step (PANEL_SHRINK). Measured at the
        room's width less a scroll bar and against the room's height: never from the panel's own size, which
        follows the text and would feed back (see `_apply_sizes`). Skipped when nothing that sizes it changed,
        since the session calls this on every tick."""
        card = self.symptom
        width, room = self._room()
        texts = (self.name, self.step_word, self.side_word, self.cue, card.question, card.headline, card.advice,
                 card.instead)  # fmt: skip
        shown = (self.picture, self.step_word, self.side_word, self.ring, self.counters, self.stop_rule,
                 self.confirm, card)  # fmt: skip
        parts = (card.question, card.answers, card.headline, card.advice, card.choices, card.instead)
        signature = (
            width, room, self._unit, self._floor_mode,
            tuple(w.text() for w in texts), tuple(w.isHidden() for w in (*shown, *parts)),
        )  # fmt: skip
        if signature == self._fitted:
            return
        self._fitted = signature
        for shrink in PANEL_SHRINK:
            unit = self._unit * shrink
            self._style(unit)
            fits = False
            for level in SymptomQuestion.FIT_LEVELS:
                card.apply_sizes(unit, self._floor_mode, level)
                fits = self._height_for(width) <= room
                if fits or card.isHidden():
                    break
            if fits:
                break

    def _room(self) -> tuple[int, int]:
        """The width the panel has when a vertical scroll bar shows, and the height it has without scrolling:
        those of the scroll area it is shown in (the session's), else of the window."""
        area: QWidget | None = self.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is None:
            return self.window().width(), self.window().height()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return area.width() - bar, area.height()

    def _height_for(self, width: int) -> int:
        """The height the panel asks for at `width` with its current type (what its scroll area gives it)."""
        # Every layout's cached sizes go: a nested layout (the drawing's row) still counted widgets just hidden.
        for widget in (*self.findChildren(QWidget), self):
            if (nested := widget.layout()) is not None:
                _invalidate(nested)
                widget.updateGeometry()
        layout = self.layout()
        assert layout is not None
        height = layout.totalHeightForWidth(width)
        return height if height >= 0 else layout.totalSizeHint().height()

    def show_figure(self, status: SessionStatus, catalogue: Catalogue, *, still: bool = False) -> None:
        """The exercise figure, moving from the start pose into the hold and back in time with the steps
        (core/motion.py), or the step's still picture with reduced motion (`still`). Called on each frame
        while the figure moves, so it touches nothing else."""
        if status.item is None:
            return
        exercise = catalogue.get(status.item.exercise_id)
        cue = cue_for(exercise, status.step, status.side, set_no=status.set_no, sets=status.sets)
        pose = (
            float(cue.illustration == exercise.hold_illustration) if still else blend(status, exercise.kind)
        )
        if status.paused and status.pause_reason is PauseReason.HURTS:
            pose = 0.0  # "ease out of the position": rest, not the hold
        if not still and status.step in (Step.GET_READY, Step.NEXT_EXERCISE):
            prepare(exercise.start_illustration, exercise.hold_illustration)  # once: the poses are kept
        self.picture.set_pose(
            exercise.start_illustration,
            exercise.hold_illustration,
            pose,
            mirrored=status.side is Side.RIGHT,
            description=f"{exercise.name}: {exercise.summary}",
            view_box=content_view_box((exercise.start_illustration, exercise.hold_illustration)),
        )

    def show_status(self, status: SessionStatus, catalogue: Catalogue, *, still: bool = False) -> None:
        if status.item is None:
            self.step_word.setText(_(STEP_WORDS[Step.DONE]))
            self.side_word.hide()
            self.ring.set_state(0, 1)
            self.progress.setValue(1000)
            # After the last exercise the question (or the "further down" advice) may still wait: say so,
            # never the last exercise's "Hold." over it.
            done_text = PAUSE_TEXT.get(status.pause_reason) if status.paused and status.pause_reason else None
            if status.pause_reason is PauseReason.QUESTION:
                done_text = QUESTION_LAST_TEXT
            self.cue.setText(_(done_text) if done_text else "")
            self._show_pause_button(status)
            return
        exercise = catalogue.get(status.item.exercise_id)
        self.name.setText(exercise.name)
        self.position.setText(
            _("Exercise {n} of {count}").format(n=status.exercise_index + 1, count=status.exercise_count)
        )
        cue = cue_for(exercise, status.step, status.side, set_no=status.set_no, sets=status.sets)
        self.step_word.setText(_("PAUSED") if status.paused else cue.word)
        side = SIDE_BIG_WORDS.get(status.side) if status.step is not Step.NEXT_EXERCISE else None
        self.side_word.setText(_(side) if side else "")
        self.side_word.setVisible(bool(side) and not self.symptom.isVisible())
        self.ring.set_state(status.remaining_s, status.step_duration_s, paused=status.paused)
        nbsp = "\u00a0"  # keep "Rep 2 of 10" together; wrap only between the two counters
        rep_text = _("Rep {n} of {count}").format(n=status.rep, count=status.reps).replace(" ", nbsp)
        set_text = _("Set {n} of {count}").format(n=status.set_no, count=status.sets).replace(" ", nbsp)
        # "Set 1 of 1" says nothing: leaving it out keeps the counters on one line (German too, in floor mode).
        counters = f"{rep_text}   {set_text}" if status.sets > 1 else rep_text
        self.counters.setText(counters if status.rep else "")
        self.show_figure(status, catalogue, still=still)
        paused_text = PAUSE_TEXT.get(status.pause_reason) if status.paused and status.pause_reason else None
        self.cue.setText(_(paused_text) if paused_text else cue.text)
        self.stop_rule.setText(exercise.stop_if)
        self._show_pause_button(status)
        upcoming = status.next_item
        if status.step is Step.NEXT_EXERCISE:
            self.next_label.setText(_("Coming up now"))
        elif upcoming is not None:
            self.next_label.setText(_("Next: {name}").format(name=catalogue.get(upcoming.exercise_id).name))
        else:
            self.next_label.setText(_("Last exercise"))
        self.progress.setValue(int(status.progress * 1000))
        self.time_left.setText(_minutes_text(status.total_remaining_s))

    def _show_pause_button(self, status: SessionStatus) -> None:
        """Pause or Resume; greyed out, with Skip, while the after-exercise question waits, since only an
        answer (or 4, skip the question) carries on then."""
        self.pause.setText(_("Resume (Space)") if status.paused else _("Pause (Space)"))
        self.pause.setEnabled(status.awaiting_answer is None)
        self.skip.setEnabled(status.awaiting_answer is None)


class StopPanel(QWidget):
    """A calm full-page message (urgent care, high pain, it hurts) with one way back."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 48, 60, 48)
        layout.setSpacing(20)
        self.heading = label("", "title")
        self.body = label("", "big")
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.frame = QFrame()  # an amber-edged card when the message asks for action (urgent care)
        frame_layout = QVBoxLayout(self.frame)
        frame_layout.setContentsMargins(24, 20, 24, 20)
        frame_layout.addWidget(self.body)
        layout.addWidget(self.heading)
        layout.addWidget(self.frame)
        layout.addStretch(1)
        self.button = QPushButton(_("Back to Today"))
        self.button.setMinimumWidth(240)
        self.button.setProperty("role", "primary")
        self.button.clicked.connect(self.closed.emit)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        set_enter_button(self, self.button)

    def show_message(self, heading: str, body: str, *, urgent: bool = False) -> None:
        self.heading.setText(heading)
        self.body.setText(body)
        self.frame.setProperty("role", "banner" if urgent else "")
        self.frame.style().unpolish(self.frame)
        self.frame.style().polish(self.frame)
        self.setAccessibleName(heading)
        self.setAccessibleDescription(body)

    def add_paragraph(self, text: str, *, urgent: bool = False) -> None:
        """One more paragraph (e.g. about leg reach); `urgent` gives the card the amber edge."""
        body = f"{self.body.text()}\n\n{text}"
        self.body.setText(body)
        self.setAccessibleDescription(body)
        if urgent:
            self.frame.setProperty("role", "banner")
            self.frame.style().unpolish(self.frame)
            self.frame.style().polish(self.frame)


class RedStopPage(QWidget):
    """Later on the day of a red pain stop: a new session only after a deliberate "my pain has settled"."""

    confirmed = Signal()
    declined = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 48, 60, 48)
        layout.setSpacing(20)
        layout.addWidget(label(_("Has your pain settled?"), "title"))
        self.body = label("", "big")
        layout.addWidget(self.body)
        row = QHBoxLayout()
        self.confirm_button = QPushButton(_(safety.RED_STOP_CONFIRM))
        self.confirm_button.setProperty("role", "primary")
        self.confirm_button.clicked.connect(self.confirmed.emit)
        self.decline_button = QPushButton(_("Not today: back to Today"))
        self.decline_button.setMinimumHeight(48)
        self.decline_button.clicked.connect(self.declined.emit)
        row.addWidget(self.confirm_button)
        row.addWidget(self.decline_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)


class CurrentSizedStack(QStackedWidget):
    """A stack as large as the stage shown, not as its largest stage: in a scroll area, the running view
    stays on one screen at large text even though the guidance note needs scrolling there."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(self.updateGeometry)

    def sizeHint(self) -> QSize:
        current = self.currentWidget()
        return current.sizeHint() if current is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        current = self.currentWidget()
        return current.minimumSizeHint() if current is not None else super().minimumSizeHint()

    def hasHeightForWidth(self) -> bool:
        current = self.currentWidget()
        return current is not None and current.hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:
        current = self.currentWidget()
        return current.heightForWidth(width) if current is not None else -1


class StoredFacts:
    """What the session's safety flow reads (`core.session_flow.SafetyFacts`), from the app's stored data."""

    def __init__(self, ctx: AppContext, catalogue: Catalogue) -> None:
        self.repo, self.clock, self.catalogue = ctx.repo, ctx.clock, catalogue
        self.side_notice = ""  # why the nerve glide is left out of this session, once routine_today says so

    def coaching_pause(self) -> red_flags.Tier:
        return safety_state.coaching_pause(self.repo, self.clock.now().date())

    def guidance_accepted(self) -> bool:
        return safety_state.guidance_accepted(self.repo)

    def red_flag_check_due(self) -> bool:
        return safety_state.red_flag_check_due(self.repo, self.clock.now())

    def red_stop(self) -> RedStopState:
        return safety_state.red_stop_state(self.repo, self.clock.now())

    def country(self) -> Country:
        return safety_state.emergency_country(self.repo)

    def routine_today(self, routine: Routine) -> Routine:
        today = cautions.without(routine, cautions.left_out_today(self.repo, self.clock.now().date()))
        fitted, notice = affected_side.session_routine(self.repo, self.catalogue, today, self.clock.now())
        self.side_notice = notice or self.side_notice  # kept when asked again after the cautions
        return fitted

    def unseen_cautions(self, routine: Routine) -> Sequence[Exercise]:
        return cautions.unseen(self.repo, routine, self.catalogue)

    def last_session(self) -> SessionRecord | None:
        sessions = self.repo.sessions()
        return sessions[-1] if sessions else None


class SessionView(QWidget):
    """One session from the pain check to the summary. Emits `closed` when the person is done here."""

    closed = Signal()
    floor_mode_changed = Signal(bool)

    def __init__(
        self, ctx: AppContext, catalogue: Catalogue, routine: Routine, adjustment_note: str = "",
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.ctx = ctx
        self.catalogue = catalogue
        self.runner: SessionRunner | None = None
        # While the exercise figure moves, this repaints it (and nothing else) about 30 times a second; it
        # stops as soon as the figure stands still, so a hold costs no more than the countdown's repaint.
        self.frames = QTimer(self)
        self.frames.setInterval(FRAME_INTERVAL_MS)
        self.frames.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer slips below 30 frames a second
        self.frames.timeout.connect(self._next_frame)
        self.pain_after: PainReport | None = None
        self._announced: Announced | None = None
        self.announcements: list[str] = []  # what screen readers were told, newest last (kept short)
        self.stack = CurrentSizedStack()
        self.stack.currentChanged.connect(self._focus_main_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # With large text (up to 200 %) a stage can need more room than the window has: it scrolls rather
        # than squeezing labels and buttons until their text is cut off.
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space and the arrows belong to the session
        # Never a horizontal bar: it took height from the running panel, whose type follows its height, so a
        # wide stage (German answers in floor mode) showed and hid it endlessly until the stack overflowed.
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setWidget(self.stack)
        layout.addWidget(self.scroller)

        self.before = PainCheck(
            _("Before we start"),
            _("How is your pain right now? This helps keep today's session at the right level."),
            _("Start the session"),
        )
        self.before.submitted.connect(self._on_pain_before)
        self.running = RunningPanel()
        self.after = PainCheck(
            _("How do you feel now?"), _("Your pain after the session, as it is right now."), _("Finish")
        )
        self.after.submitted.connect(self._on_pain_after)
        self.stop = StopPanel()
        self.stop.closed.connect(self.closed.emit)
        self.guidance = GuidancePage(safety_state.emergency_country(ctx.repo))
        self.guidance.accepted.connect(self._on_guidance_accepted)
        self.guidance.declined.connect(self.closed.emit)
        self.red_flags = RedFlagPage()
        self.red_flags.answered.connect(self._on_red_flags)
        self.triage = TriagePage()
        self.triage.closed.connect(self.closed.emit)
        self.triage.doctor_cleared.connect(self._on_doctor_cleared)
        pages = (self.guidance, self.red_flags, self.triage, self.before, self.running, self.after, self.stop)
        for page in pages:
            self.stack.addWidget(page)
        self.red_stop = RedStopPage()
        ctx.service_off.connect(self.show_service_off)
        ctx.check_services(switched_on_only=True)  # found missing while the checks run: said from the start
        ctx.appearance_changed.connect(self.running.restyle)  # the system went dark mid-session, say
        for words in ctx.services_off():
            self.show_service_off(words)
        self.red_stop.confirmed.connect(self._on_red_stop_confirmed)
        self.red_stop.declined.connect(self.closed.emit)
        self.stack.addWidget(self.red_stop)
        self.cautions = CautionsPage()  # the cautions of exercises not done before (helper A)
        self.cautions.accepted.connect(self._on_cautions_read)
        self.stack.addWidget(self.cautions)
        # The safety flow: which stage comes next and what to keep (core/session_flow.py).
        self.facts = StoredFacts(ctx, catalogue)
        self.flow = SessionFlow(self.facts, ctx.clock, routine, dose_note=adjustment_note)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self._floor_mode = False
        r = self.running
        r.pause.clicked.connect(self.toggle_pause)
        r.skip.clicked.connect(self.skip)
        r.back.clicked.connect(self.back)
        r.end.clicked.connect(self.ask_end)
        r.floor.clicked.connect(lambda: self.set_floor_mode(not self._floor_mode))
        r.hurts.clicked.connect(self.hurts)
        r.confirm_end.clicked.connect(self.end_now)
        r.confirm_keep.clicked.connect(self.cancel_end)
        r.symptom.answered.connect(self._on_symptom)
        r.symptom.substitute_chosen.connect(self.do_substitute)
        r.symptom.carry_on.connect(self.carry_on)
        self._shortcuts: list[QShortcut] = []
        keys = {
            "Space": self.toggle_pause, "Right": self.skip, "Left": self.back, "Escape": self._escape,
            "F": lambda: self.set_floor_mode(not self._floor_mode), "H": self.hurts, "Return": self._enter,
            "Enter": self._enter, "1": lambda: self._answer_key(0), "2": lambda: self._answer_key(1),
            "3": lambda: self._answer_key(2), "4": lambda: self._answer_key(3), "G": self.do_substitute,
        }  # fmt: skip
        for key, slot in keys.items():
            shortcut = QShortcut(QKeySequence(key), self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setEnabled(False)
            self._shortcuts.append(shortcut)
        # Voice commands, while switched on in Settings (views.session_voice): the same actions as the keys,
        # with a "Listening" mark above every stage while the microphone is open.
        self.voice_commands = SessionVoice(self, ctx.voice, self) if ctx.voice is not None else None
        self.listening_mark = ListeningMark()
        if ctx.voice is not None:
            ctx.voice.unavailable.connect(self.show_service_off)  # no microphone: said once, keys carry on
            if ctx.voice.failure:
                self.show_service_off(ctx.voice.failure)
            self.listening_mark.set_voice(ctx.voice)
            mark_row = QHBoxLayout()
            mark_row.setContentsMargins(28, 8, 28, 0)
            mark_row.addStretch(1)
            mark_row.addWidget(self.listening_mark)
            layout.insertLayout(0, mark_row)
        self.closed.connect(self._stop_listening)

    # ---- stages: the flow (core.session_flow) decides, the view stores what it says and shows the page ----
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.listening_mark.fit(event.size().width() - 56)  # the row's margins

    def begin(self) -> None:
        """Show the first stage that applies: the guidance note, the red-flag check, then the pain check."""
        self._show(self.flow.begin())

    def _keep(self, step: Next) -> None:
        """Store what the flow says to keep: new symptoms, safety events, a session record."""
        if step.new_symptoms:
            safety_state.report_new_symptoms(self.ctx.repo)
        for event in step.events:
            self.ctx.record_safety_event(event)
        if step.session is not None:
            self.ctx.save_session(step.session)

    def _show(self, step: Next) -> None:
        """Keep what the flow says to keep, then show its stage."""
        if step.ignored:
            return
        self._keep(step)
        stage = step.stage
        if stage is Stage.GUIDANCE:
            self.stack.setCurrentWidget(self.guidance)
        elif stage is Stage.RED_FLAGS:
            self.red_flags.set_questions(safety_state.questions_due(self.ctx.repo))
            self.stack.setCurrentWidget(self.red_flags)
        elif stage is Stage.TRIAGE and step.advice is not None:
            self.triage.show_advice(step.advice)  # names the numbers of the person's country
            self.stack.setCurrentWidget(self.triage)
            self.triage.back_button.setFocus()
        elif stage in (Stage.RED_STOP_WAIT, Stage.RED_STOP_CONFIRM) and step.red_stop is not None:
            self._show_red_stop(step)
        elif stage is Stage.PAIN_BEFORE:
            self.stack.setCurrentWidget(self.before)
        elif stage is Stage.CAUTIONS:
            self.cautions.show_cautions(step.cautions)
            self.stack.setCurrentWidget(self.cautions)
        elif stage is Stage.RUNNING and step.routine is not None:
            self._start(step.routine, step.note)
        elif stage in (Stage.STOPPED, Stage.DONE):
            self.stop.show_message(step.heading, step.message, urgent=step.urgent)
            if step.note:
                self.stop.add_paragraph(step.note, urgent=step.note_urgent)
            self.stack.setCurrentWidget(self.stop)

    def _show_red_stop(self, step: Next) -> None:
        """After a red pain stop today: the time from which a session is possible, or "has it settled?"."""
        state = step.red_stop
        assert state is not None and state.stopped_at is not None and state.open_at is not None
        stopped, until = clock_time(state.stopped_at), clock_time(state.open_at)
        if step.stage is Stage.RED_STOP_WAIT:
            text = _(safety.RED_STOP_WAIT_TEXT).format(time=stopped, until=until)
            self.stop.show_message(step.heading, text, urgent=step.urgent)
            self.stack.setCurrentWidget(self.stop)
        else:
            self.red_stop.body.setText(_(safety.RED_STOP_CONFIRM_TEXT).format(time=stopped))
            self.stack.setCurrentWidget(self.red_stop)

    def _start(self, routine: Routine, note: str) -> None:
        """The exercises, at the dose the flow chose; `note` (e.g. why the dose is eased) is said first."""
        now = self.ctx.clock.now()
        self.ctx.repo.ensure_plan_start(now.date())
        slot = slot_for(reminder_plan(self.ctx.repo), now)
        pain_before = self.flow.pain_before_report
        self.runner = SessionRunner(
            self.ctx, self.catalogue, routine, pain_before, slot, self, session_id=self.flow.session_id
        )
        self.runner.status_changed.connect(self._on_status)
        self.runner.finished.connect(self._on_finished)
        self.stack.setCurrentWidget(self.running)
        self._set_shortcuts(True)
        self.setFocus()
        self.runner.start()
        if note:
            self.running.cue.setText(note)
        in_flare = flare_routine_today(self.ctx.repo, self.catalogue) is not None
        for words in (
            _("Flare plan: a short, gentle session.") if in_flare else "",
            self.facts.side_notice,
            *affected_side.questions(self.ctx.repo, self.catalogue, routine),
        ):
            if words:
                self.show_service_off(words)  # a quiet line that stays in view for the whole run

    def _on_red_stop_confirmed(self) -> None:
        self._show(self.flow.red_stop_confirmed_now())

    def _on_guidance_accepted(self) -> None:
        if self.flow.stage is Stage.GUIDANCE:
            safety_state.accept_guidance(self.ctx.repo, self.ctx.clock.now())
        self._show(self.flow.guidance_accepted())

    def _on_red_flags(self, answers: dict[str, bool]) -> None:
        if self.flow.stage is Stage.RED_FLAGS:
            now = self.ctx.clock.now()
            tier = safety_state.record_red_flag_answers(self.ctx.repo, now, answers)
            self.ctx.record_safety_event(safety_state.red_flag_event(now, answers, tier))
            self.ctx.sessions_changed.emit()  # Today and the reminders follow a pause at once
        self._show(self.flow.red_flags_answered(answers))

    def _on_doctor_cleared(self) -> None:
        if self.flow.stage is Stage.TRIAGE:
            self.ctx.record_safety_event(
                safety_state.record_doctor_cleared(self.ctx.repo, self.ctx.clock.now())
            )
            self.ctx.sessions_changed.emit()
        self._show(self.flow.doctor_cleared())

    def _on_pain_before(self, report: PainReport) -> None:
        self._show(self.flow.pain_before(report))

    def _on_cautions_read(self, left_out: frozenset[str]) -> None:
        if self.flow.stage is Stage.CAUTIONS:
            repo, today = self.ctx.repo, self.ctx.clock.now().date()
            cautions.mark_seen(repo, self.cautions.leave_out)
            if left_out:
                cautions.leave_out_today(repo, today, left_out)
        self._show(self.flow.cautions_read())

    def show_service_off(self, words: str) -> None:
        """A platform service (the speech engine) stopped and is off for the run: say so, once, quietly."""
        note = self.running.service_note
        if words not in note.text():
            note.setText("\n".join(filter(None, (note.text(), words))))
        note.show()

    def _next_frame(self) -> None:
        runner = self.runner
        if runner is None:
            self.frames.stop()
            return
        status = runner.status()
        self.running.show_figure(status, self.catalogue, still=runner.still_pictures)
        if not runner.figure_moves(status):
            self.frames.stop()

    def _on_status(self, status: SessionStatus) -> None:
        runner = self.runner
        still = runner is not None and runner.still_pictures
        self.running.show_status(status, self.catalogue, still=still)
        if runner is not None and runner.figure_moves(status):
            self.frames.start()
        else:
            self.frames.stop()
        self._announce(status)
        symptom = self.running.symptom
        index = status.awaiting_answer  # the session waits for this answer (or an explicit skip)
        if index is not None and self.runner is not None:
            if not symptom.asking or symptom.exercise_index != index:
                finished = self.runner.engine.routine.items[index]
                symptom.ask(index, self.catalogue.get(finished.exercise_id).name)
                self.say_question()
            # The title names the exercise asked about, not the one coming next (it read "Pelvic tilt" over a
            # question about Knee to chest).
            asked = self.runner.engine.routine.items[index]
            self.running.name.setText(self.catalogue.get(asked.exercise_id).name)
            self.running.position.setText(
                _("Exercise {n} of {count}").format(n=index + 1, count=status.exercise_count)
            )
        elif symptom.holding and not status.paused:
            symptom.done()  # carried on after the "further down" advice
        elif status.step is Step.HOLD and not symptom.holding and not symptom.isHidden():
            symptom.done()  # the word about the answer has been seen; the next hold has begun
        self._fit_question(symptom.asking or symptom.holding)
        self._listen()

    def _listen(self) -> None:
        """Voice commands listen for what the stage now asks (see views.session_voice)."""
        if self.voice_commands is not None:
            self.voice_commands.refresh()

    def _stop_listening(self) -> None:
        if self.voice_commands is not None:
            self.voice_commands.stop()

    def say_question(self) -> None:
        """Say the waiting question aloud (when spoken cues or voice commands are on): it interrupts the cue
        about what's next. With voice commands, it says the words to answer with instead of the keys."""
        symptom, runner = self.running.symptom, self.runner
        by_voice = self.voice_commands is not None and self.voice_commands.voice.listening
        if runner is None or symptom.exercise_index is None:
            return
        if not (by_voice or self.ctx.repo.settings()["voice_on"]):
            return
        name = self.catalogue.get(runner.engine.routine.items[symptom.exercise_index].exercise_id).name
        self.ctx.say(_(SPOKEN_QUESTION_BY_VOICE if by_voice else SPOKEN_QUESTION).format(name=name))

    def _fit_question(self, on: bool) -> None:
        """While the question (or the advice after "further down") waits, it takes the room of the drawing,
        the countdown and the stop rule of the exercise still to come, so it is readable from the floor."""
        r = self.running
        for widget in (r.picture, r.step_word, r.ring, r.counters, r.stop_rule):
            widget.setVisible(not on)
        r.side_word.setVisible(not on and bool(r.side_word.text()))
        r.fit_card()

    def _announce(self, status: SessionStatus) -> None:
        """Tell screen readers about step changes and the last seconds of a step (policy: core.announce)."""
        due, self._announced = announcement_due(self._announced, status)
        if due is None:
            return
        seconds = whole_seconds_left(status)
        seconds_text = ngettext("{n} second", "{n} seconds", seconds).format(n=seconds)
        if due is Due.SECONDS:
            message = seconds_text
        else:
            exercise = self.catalogue.get(status.item.exercise_id) if status.item is not None else None
            word = _("PAUSED") if status.paused else step_word(exercise, status.step)  # MOVE for a glide
            parts = [word[:1] + word[1:].lower()]
            if status.item is not None and status.step in (Step.GET_READY, Step.NEXT_EXERCISE):
                parts.append(self.catalogue.get(status.item.exercise_id).name)
            if SIDE_WORDS[status.side] and status.step is not Step.DONE:
                parts.append(_(SIDE_WORDS[status.side]))
            if not status.paused and status.step is not Step.DONE:
                parts.append(seconds_text)
            message = ". ".join(parts) + "."
        self.announcements = [*self.announcements[-20:], message]
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self.running.step_word, message))

    def _on_symptom(self, change: SymptomChange | None) -> None:
        """The answer (None: skipped, kept as "not answered"). "Further down" sets the exercise aside for
        today and offers a gentler one that suits the avoided direction; the session waits meanwhile."""
        symptom, runner = self.running.symptom, self.runner
        index = symptom.exercise_index
        if runner is None or index is None or not symptom.asking:
            return
        exercise_id = runner.engine.routine.items[index].exercise_id
        if change is None:
            symptom.done()
            runner.answer(None)
            return
        substitute = substitute_for(self.catalogue, exercise_id, avoided_direction(self.ctx.repo))
        advice = self.flow.symptom_answered(change, exercise_id, substitute)
        if advice.stop_exercise_today:
            stop_for_today(self.ctx.repo, self.ctx.clock.now().date(), exercise_id)
            runner.drop_for_today(exercise_id)
            suggested = advice.suggested_exercise_id
            name = self.catalogue.get(suggested).name if suggested else ""
            symptom.show_spread_advice(advice.message, suggested, name)
        else:
            symptom.show_note(advice.message)
        runner.answer(change)

    def do_substitute(self) -> None:
        """Do the gentler exercise next, in place of the one set aside (at this session's dose easing)."""
        symptom = self.running.symptom
        if self.runner is None or not symptom.holding or symptom.substitute_id is None:
            return
        self.runner.bring_forward(self.flow.substitute(self.catalogue.default_item(symptom.substitute_id)))
        self.carry_on()

    def carry_on(self) -> None:
        """Carry on after the "further down" advice."""
        self.running.symptom.done()
        self._fit_question(False)
        if self.runner is not None:
            self.runner.resume()

    def _on_finished(self, ended_early: bool) -> None:
        self.flow.finished()
        self._go_after()

    def _go_after(self) -> None:
        self._set_shortcuts(False)
        self.running.confirm.hide()
        if self._floor_mode:
            self.set_floor_mode(False)
        self.stack.setCurrentWidget(self.after)

    def _on_pain_after(self, report: PainReport) -> None:
        """The pain check after: the flow says how the record ends; once it is kept, what to say."""
        assert self.runner is not None
        step = self.flow.pain_after(report, self.runner.engine.status().ended_early)
        if step.ignored or step.outcome is None:
            return
        self.pain_after = report
        self._keep(step)
        record = self.runner.finish(step.outcome, step.reason, report)
        self._show(self.flow.summary(record))

    # ---- leaving -----------------------------------------------------------------------------------
    def leave_request(self, *, closing: bool = False) -> bool:
        """Someone wants to leave the session (a page shortcut, or closing the window when `closing`). True
        when nothing is under way, so the view may go. A running session keeps what was done so far, asks "End
        the session now?", as Esc does, and stays. The pain check after the exercises waits to be answered; closing the window there
        keeps the session without it."""
        current = self.stack.currentWidget()
        if current is self.running and self.runner is not None:
            self.keep_what_was_done()  # at once: the computer may go off while the question waits
            if not self.running.confirm.isVisible():
                self.ask_end()
            self.running.confirm_end.setFocus()
            return False
        if current is self.after and self.runner is not None:
            if closing:
                self.keep_what_was_done()
                return True
            self.after.setFocus()
            return False
        return True

    def keep_what_was_done(self) -> None:
        """Save what is done so far (the app is quitting or the window closing): mid-session as stopped early,
        after the exercises as finished without the pain check after. Answering that check later replaces it."""
        runner = self.runner
        if runner is None or runner.started_at is None:
            return
        if self.stack.currentWidget() is self.after and self.pain_after is None:
            runner.finish(*self.flow.unchecked_end(runner.engine.status().ended_early), None)
        else:
            runner.checkpoint()

    # ---- controls ----------------------------------------------------------------------------------

    def toggle_pause(self) -> None:
        if self.runner is None:
            return
        if self.running.confirm.isVisible():
            self.cancel_end()
            return
        if self.running.symptom.holding:
            self.carry_on()
            return
        if self.running.symptom.asking:
            self.say_question()  # only an answer carries on: say again what it asks
            return
        if self.runner.status().paused:
            self.flow.carried_on()  # "it hurts" has eased
        self.runner.toggle_pause()

    def skip(self) -> None:
        if self.running.symptom.asking:
            self.say_question()
        elif self.runner is not None and not self.running.confirm.isVisible():
            self.runner.skip()

    def back(self) -> None:
        if self.runner is not None and not self.running.confirm.isVisible():
            self.running.symptom.done()
            self.running.symptom.exercise_index = None  # the repeated exercise is asked about again
            self.runner.back()

    def hurts(self) -> None:
        if self.runner is None:
            return
        self.runner.pause(PauseReason.HURTS)
        item = self.runner.status().item
        self.ctx.record_safety_event(self.flow.hurts(item.exercise_id if item else ""))

    def ask_end(self) -> None:
        if self.runner is None:
            return
        self.runner.pause()
        self.running.confirm.show()
        self.running.fit_card()  # the question card, if shown, makes room for the banner
        self.running.confirm_end.setFocus()
        self._listen()

    def cancel_end(self) -> None:
        self.running.confirm.hide()
        self.running.fit_card()
        if self.runner is not None and not self.flow.held_by_hurts:
            self.runner.resume()
        self._listen()

    def end_now(self) -> None:
        if self.runner is None:
            return
        self.running.confirm.hide()
        self.running.symptom.done()
        item = self.runner.status().item
        self.ctx.record_safety_event(self.flow.end_early(item.exercise_id if item else ""))
        self.runner.end_early()

    def _escape(self) -> None:
        if self.running.confirm.isVisible():
            self.cancel_end()
        else:
            self.ask_end()

    def _enter(self) -> None:
        if self.running.confirm.isVisible():
            self.end_now()
        elif self.running.symptom.asking:
            self.say_question()

    def _answer_key(self, position: int) -> None:
        symptom = self.running.symptom
        if symptom.asking:
            symptom.answered.emit(SYMPTOM_CHOICES[position][0] if position < len(SYMPTOM_CHOICES) else None)

    def set_floor_mode(self, on: bool) -> None:
        self._floor_mode = on
        self.running.set_floor_mode(on)
        self.listening_mark.set_colors(FLOOR_COLORS if on else None)
        self.setProperty("floor", on)
        self.floor_mode_changed.emit(on)

    def is_floor_mode(self) -> bool:
        return self._floor_mode

    def _focus_main_button(self) -> None:
        """A stage with a main button (the guidance note, a stop message, the triage page) starts with the
        keyboard on it, so Return/Enter does what it says rather than what was focused on the stage before."""
        button = getattr(self.stack.currentWidget(), "enter_button", None)
        if button is not None:
            button.setFocus()

    def _set_shortcuts(self, enabled: bool) -> None:
        for shortcut in self._shortcuts:
            shortcut.setEnabled(enabled)

    def today(self) -> date:
        return self.ctx.clock.now().date()
