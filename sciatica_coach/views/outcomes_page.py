"""The outcome check-in: the weekly bothersomeness questions (SBI) with sitting and walking time, and every two
weeks the person's own activities (PSFS). One question a screen, big numbered buttons, answerable from the
floor: a digit key chooses, Enter goes on, Backspace goes back.

Offered from Today when due (core.outcomes.due), never in the way of a session. The rules and the range
checks are in core/outcomes.py; this dialog only asks and passes the answers on (services/outcomes.py)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sciatica_coach.core.outcomes import (
    ACTIVITY_LONGEST,
    PSFS_MAX,
    PSFS_MAX_ACTIVITIES,
    SBI_ITEM_MAX,
    SBI_ITEMS,
    TOLERANCE_MAX_MIN,
    Due,
    OutcomeError,
    make_checkin,
)
from sciatica_coach.i18n import _
from sciatica_coach.platform.locale_support import decimal, short_date
from sciatica_coach.services import outcomes
from sciatica_coach.storage.repository import DataError
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.theme import current_colors
from sciatica_coach.views.widgets import ButtonRows, label

if TYPE_CHECKING:
    from sciatica_coach.views.charts import OutcomeChart

SCALE_BUTTON_HEIGHT_PX = 60  # the 0-6 and 0-10 buttons: pressed from a mat, read from two metres
MINUTES_STEP = 5  # the - and + buttons beside the sitting and walking minutes


def answer_pt(times: float) -> str:
    """A font size for answers read from the floor: `times` the app's text size, so it follows the text-size
    setting (a fixed size in points would not)."""
    return f"{QApplication.font().pointSizeF() * times:.1f}pt"


class NumberScale(QWidget):
    """0 to `top` as a row of big checkable buttons, with the meaning of each end beneath. Digit keys choose
    while the scale has the focus (for 10: press 1 then 0)."""

    changed = Signal(int)

    def __init__(self, top: int, low_words: str, high_words: str, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.top = top
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.group = QButtonGroup(self)
        for value in range(top + 1):
            button = QPushButton(str(value))
            button.setCheckable(True)
            button.setAutoExclusive(True)
            button.setMinimumSize(52, 64)
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            colors = current_colors()
            button.setStyleSheet(
                f"QPushButton {{ font-size: {answer_pt(1.6)}; min-height: {SCALE_BUTTON_HEIGHT_PX}px; }}"
                f"QPushButton:checked {{ background: {colors.accent}; color: {colors.window};"
                f" border-color: {colors.accent}; font-weight: 700; }}"
            )
            button.setAccessibleName(
                _("{question}: {value} out of {top}").format(question=name, value=value, top=top)
            )
            self.group.addButton(button, value)
            row.addWidget(button)
        layout.addLayout(row)
        ends = QHBoxLayout()
        low = label(low_words, "muted")
        ends.addWidget(low, 1)
        high = label(high_words, "muted")
        high.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        ends.addWidget(high, 1)
        layout.addLayout(ends)
        self.group.idClicked.connect(self.changed.emit)

    def value(self) -> int | None:
        checked = self.group.checkedId()
        return None if checked < 0 else checked

    def set_value(self, value: int) -> None:
        self.group.button(value).setChecked(True)
        self.changed.emit(value)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and len(text) == 1:
            digit = int(text)
            if digit == 0 and self.value() == 1 and self.top >= 10:
                digit = 10  # "1" then "0"
            if digit <= self.top:
                self.set_value(digit)
                return
        super().keyPressEvent(event)


class _Step(QWidget):
    def __init__(self, heading: str, question: str, *, sentence: bool = False) -> None:
        super().__init__()
        self.box = QVBoxLayout(self)
        self.box.setSpacing(14)
        # A short name (an SBI item) is the title under its question; a whole sentence is the question itself,
        # a size smaller, under a quieter heading.
        self.box.addWidget(label(heading, "subtitle" if sentence else "big"))
        self.question = label(question, "big" if sentence else "title")
        self.box.addWidget(self.question)

    def ready(self) -> bool:
        return True

    def focus_target(self) -> QWidget:
        return self


class ScaleStep(_Step):
    def __init__(self, heading: str, question: str, scale: NumberScale) -> None:
        super().__init__(heading, question)
        self.scale = scale
        self.box.addWidget(scale)
        self.box.addStretch(1)

    def ready(self) -> bool:
        return self.scale.value() is not None

    def focus_target(self) -> QWidget:
        return self.scale


class ToleranceStep(_Step):
    def __init__(self) -> None:
        super().__init__(
            _("Sitting and walking"),
            _("How long can you usually sit, and walk, before your leg starts to complain?"),
            sentence=True,
        )
        self.box.addWidget(
            label(_("A rough guess in minutes is fine. Leave 0 if you'd rather not say."), "subtitle")
        )
        self.steppers: dict[str, tuple[QPushButton, QPushButton]] = {}  # "−5" and "+5", by what they change
        self.sitting = self._minutes(_("Sitting"))
        self.walking = self._minutes(_("Walking"))
        self.box.addStretch(1)

    def _minutes(self, what: str) -> QSpinBox:
        row = QHBoxLayout()
        row.addWidget(label(what, "big"), 1)
        spin = QSpinBox()
        spin.setRange(0, TOLERANCE_MAX_MIN)
        spin.setSuffix(" " + _("min"))
        spin.setMinimumSize(180, 56)
        spin.setStyleSheet(f"QSpinBox {{ font-size: {answer_pt(1.6)}; }}")
        spin.setAccessibleName(_("{what}, minutes").format(what=what))
        less, more = QPushButton("−5"), QPushButton("+5")
        for button, step, words in ((less, -MINUTES_STEP, _("{what}: 5 minutes less")),
                                    (more, MINUTES_STEP, _("{what}: 5 minutes more"))):  # fmt: skip
            button.setMinimumSize(72, SCALE_BUTTON_HEIGHT_PX)
            button.setStyleSheet(f"QPushButton {{ font-size: {answer_pt(1.4)}; }}")
            button.setAccessibleName(words.format(what=what))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the number itself
            button.clicked.connect(lambda _checked=False, s=step: spin.setValue(spin.value() + s))
        row.addWidget(less)
        row.addWidget(spin)
        row.addWidget(more)
        self.steppers[what] = (less, more)
        self.box.addLayout(row)
        return spin

    def focus_target(self) -> QWidget:
        return self.sitting

    def minutes(self, spin: QSpinBox) -> int | None:
        return spin.value() or None


class ActivityStep(_Step):
    def __init__(self, number: int, name: str) -> None:
        super().__init__(
            _("Your activities ({n} of {top})").format(n=number, top=PSFS_MAX_ACTIVITIES),
            _(
                "Name an activity you find hard because of your back or leg, and how well you can do it today."
            ),
            sentence=True,
        )
        self.name = QLineEdit(name)
        self.name.setMaxLength(ACTIVITY_LONGEST)
        self.name.setPlaceholderText(_("For example: putting on socks, sitting through a meal"))
        self.name.setMinimumHeight(52)
        self.name.setStyleSheet(f"QLineEdit {{ font-size: {answer_pt(1.4)}; }}")
        self.name.setAccessibleName(_("Activity {n}").format(n=number))
        self.box.addWidget(self.name)
        self.box.addWidget(
            label(_("Leave the name empty to skip this one, or to stop rating an activity."), "muted")
        )
        self.scale = NumberScale(
            PSFS_MAX,
            _("0 = unable to do it"),
            _("10 = as well as before the problem"),
            _("Activity {n}").format(n=number),
        )
        self.box.addWidget(self.scale)
        self.box.addStretch(1)
        self.name.returnPressed.connect(self.scale.setFocus)

    def ready(self) -> bool:
        return not self.name.text().strip() or self.scale.value() is not None

    def focus_target(self) -> QWidget:
        return self.name if not self.name.text() else self.scale


class OutcomesDialog(QDialog):
    """The check-in: the due questions one a screen, then Save. `saved` is emitted after a save."""

    saved = Signal()

    def __init__(self, ctx: AppContext, due: Due, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("How are things going?"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.addWidget(label(_("How are things going?"), "title"))
        layout.addWidget(
            label(
                _(
                    "These questions are the ones physiotherapists use to follow recovery. There are no right "
                    "answers; they help you and your clinician see the trend. They are not a diagnosis."
                ),
                "muted",
            )
        )
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self._steps: list[_Step] = []  # in the order of the stack's pages
        self.sbi_steps: list[ScaleStep] = []
        self.tolerance: ToleranceStep | None = None
        self.activity_steps: list[ActivityStep] = []
        if due.sbi:
            for n, item in enumerate(SBI_ITEMS, 1):
                step = ScaleStep(
                    _("How bothersome has this been over the last week? ({n} of {top})").format(
                        n=n, top=len(SBI_ITEMS)
                    ),
                    _(item),
                    NumberScale(
                        SBI_ITEM_MAX, _("0 = not bothersome"), _("6 = extremely bothersome"), _(item)
                    ),
                )
                self.sbi_steps.append(step)
            self.tolerance = ToleranceStep()
        if due.psfs:
            names = outcomes.activities(ctx.repo)
            for n in range(1, PSFS_MAX_ACTIVITIES + 1):
                self.activity_steps.append(ActivityStep(n, names[n - 1] if n <= len(names) else ""))
        steps: list[_Step] = [
            *self.sbi_steps,
            *([self.tolerance] if self.tolerance else []),
            *self.activity_steps,
        ]
        for each in steps:
            page = QScrollArea()  # large text or a small screen: the step scrolls instead of being cut off
            page.setWidgetResizable(True)
            page.setFrameShape(QFrame.Shape.NoFrame)
            page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # words wrap instead
            page.setWidget(each)
            self.stack.addWidget(page)
            self._steps.append(each)
            if isinstance(each, ScaleStep):
                each.scale.changed.connect(self._update)
            if isinstance(each, ActivityStep):
                each.scale.changed.connect(self._update)
                each.name.textChanged.connect(self._update)
        self.message = label("", "big")
        self.message.hide()
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.back_button = QPushButton(_("Go back"))
        self.back_button.clicked.connect(self.go_back)
        self.later_button = QPushButton(_("Not now"))
        self.later_button.clicked.connect(self.reject)
        self.next_button = QPushButton(_("Next"))
        self.next_button.setProperty("role", "primary")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.go_on)
        for button in (self.back_button, self.later_button):
            button.setMinimumHeight(52)
            row.addWidget(button)
        row.addStretch(1)
        self.next_button.setMinimumHeight(52)
        row.addWidget(self.next_button)
        layout.addLayout(row)
        self.resize(860, max(600, self.sizeHint().height()))  # the longest step, in its language, fits
        self._show_step(0)

    def step(self) -> _Step:
        return self._steps[self.stack.currentIndex()]

    def _show_step(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        target = self.step().focus_target()
        target.setFocus(
            Qt.FocusReason.TabFocusReason
        )  # as by Tab: a number's text is selected, typing replaces it
        if isinstance(target, QSpinBox):
            target.selectAll()
        self._update()

    def _update(self, *_args: object) -> None:
        last = self.stack.currentIndex() == self.stack.count() - 1
        self.next_button.setText(_("Save") if last else _("Next"))
        self.next_button.setEnabled(self.step().ready())
        self.back_button.setEnabled(self.stack.currentIndex() > 0)

    def go_back(self) -> None:
        if self.stack.currentIndex() > 0:
            self._show_step(self.stack.currentIndex() - 1)

    def go_on(self) -> None:
        if not self.step().ready():
            return
        if self.stack.currentIndex() < self.stack.count() - 1:
            self._show_step(self.stack.currentIndex() + 1)
        else:
            self.save()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.go_on()
            return
        if event.key() == Qt.Key.Key_Backspace and not isinstance(self.focusWidget(), QLineEdit | QSpinBox):
            self.go_back()
            return
        super().keyPressEvent(event)

    def save(self) -> None:
        sbi = [s.scale.value() for s in self.sbi_steps] if self.sbi_steps else None
        activities = [
            {"name": s.name.text(), "rating": s.scale.value()}
            for s in self.activity_steps
            if s.name.text().strip()
        ]
        tolerance = self.tolerance
        try:
            checkin = make_checkin(
                self.ctx.clock.now().date(),
                sbi=sbi,
                psfs=activities or None,
                sitting_min=tolerance.minutes(tolerance.sitting) if tolerance else None,
                walking_min=tolerance.minutes(tolerance.walking) if tolerance else None,
            )
            outcomes.save(self.ctx.repo, checkin)
        except (OutcomeError, DataError) as err:
            self.message.setText(str(err))
            self.message.show()
            return
        self.saved.emit()
        self.accept()


CARD_SIDE_MARGIN_PX = 22


class OutcomesCard(QFrame):
    """Today's offer of the check-in when one is due: shown, never in the way of a session."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setProperty("role", "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(CARD_SIDE_MARGIN_PX, 18, CARD_SIDE_MARGIN_PX, 18)
        layout.addWidget(label(_("How are things going?"), "big"))
        self.text = label("", "muted")
        layout.addWidget(self.text)
        self.button = QPushButton(_("Answer the questions"))
        self.button.setMinimumHeight(48)
        self.button.clicked.connect(self.open_dialog)
        self.later_button = QPushButton(_("Not now"))
        self.later_button.setMinimumHeight(48)
        self.later_button.setToolTip(_("Ask again tomorrow"))
        self.later_button.clicked.connect(self.not_now)
        self.buttons = ButtonRows((self.button, self.later_button))  # one under the other when too wide
        layout.addWidget(self.buttons, 0, Qt.AlignmentFlag.AlignLeft)
        self.dialog: OutcomesDialog | None = None
        self.due = Due(sbi=False, psfs=False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.buttons.fit(event.size().width() - 2 * CARD_SIDE_MARGIN_PX)
        super().resizeEvent(event)

    def refresh(self) -> None:
        self.due = outcomes.due_today(self.ctx.repo, self.ctx.clock.now().date())
        if self.due.sbi and self.due.psfs:
            words = _(
                "Your check-in is due: four short questions about the last week, how long you can sit and "
                "walk, and how the activities you find hard are going. About three minutes, whenever suits "
                "you."
            )
        elif self.due.sbi:
            words = _(
                "Your weekly check-in is due: four short questions about the last week, and how long you "
                "can sit and walk. About two minutes, whenever suits you."
            )
        else:
            words = _(
                "It's time to rate the activities you find hard again. About a minute, whenever suits you."
            )
        self.text.setText(words)
        self.setVisible(outcomes.offer_today(self.ctx.repo, self.ctx.clock.now().date()))

    def not_now(self) -> None:
        try:
            outcomes.later(self.ctx.repo, self.ctx.clock.now().date())
        except DataError as err:
            self.ctx.save_failed.emit(str(err))
        self.refresh()

    def open_dialog(self) -> OutcomesDialog:
        self.refresh()
        asked = self.due if self.due.any else Due(sbi=True, psfs=True)  # opened early: everything
        self.dialog = OutcomesDialog(self.ctx, asked, self.window())
        self.dialog.saved.connect(self.refresh)
        self.dialog.saved.connect(self.ctx.sessions_changed.emit)  # Progress shows the new figures
        self.dialog.open()
        return self.dialog


class OutcomesTrend(QFrame):
    """Progress's card for the clinicians' measures: a chart of the SBI totals and PSFS averages, the same
    figures as text, and what the change so far means. The chart is built when the card first shows."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setProperty("role", "card")
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(22, 18, 22, 18)
        self.box.addWidget(label(_("How you are doing, the way clinicians measure it"), "big"))
        self.figures = label("")
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.box.addWidget(self.figures)
        self.notes = label("", "muted")
        self.box.addWidget(self.notes)
        row = QHBoxLayout()
        self.answer_button = QPushButton(_("Answer the questions now"))
        self.answer_button.clicked.connect(self.open_dialog)
        row.addWidget(self.answer_button)
        row.addStretch(1)
        self.box.addLayout(row)
        self.chart: OutcomeChart | None = None
        self.dialog: OutcomesDialog | None = None
        self.loaded = outcomes.Outcomes([], [])

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.chart is None and self.loaded.checkins:
            self._build_chart()

    def _build_chart(self) -> None:
        from sciatica_coach.views.charts import OutcomeChart

        self.chart = OutcomeChart()
        self.box.insertWidget(1, self.chart)
        self._draw()

    def _draw(self) -> None:
        if self.chart is None:
            return
        checkins = self.loaded.checkins
        self.chart.set_points(
            [(c.day, c.sbi_total) for c in checkins if c.sbi_total is not None],
            [(c.day, c.psfs_average) for c in checkins if c.psfs_average is not None],
        )

    def recolor(self) -> None:
        if self.chart is not None:
            self.chart.apply_colors(current_colors())

    def refresh(self) -> None:
        self.loaded = outcomes.load(self.ctx.repo)
        checkins = self.loaded.checkins
        if not checkins:
            self.figures.setText(
                escape(
                    _(
                        "No check-ins yet. Once a week, Today offers a few short questions that physiotherapists use "
                        "to follow recovery; the answers will show here as a trend."
                    )
                )
            )
        else:
            head = [_("Date"), _("Bothersomeness (0–24)"), _("Activities (0–10)"), _("Sitting"), _("Walking")]
            rows = "".join(
                "<tr>"
                + "".join(
                    f"<td style='padding: 2px 14px 2px 0'>{escape(cell)}</td>"
                    for cell in (
                        short_date(c.day),
                        "–" if c.sbi_total is None else str(c.sbi_total),
                        "–" if c.psfs_average is None else decimal(c.psfs_average),
                        "–" if c.sitting_min is None else _("{n} min").format(n=c.sitting_min),
                        "–" if c.walking_min is None else _("{n} min").format(n=c.walking_min),
                    )
                )
                + "</tr>"
                for c in checkins[-8:]
            )
            header = "".join(f"<th align='left' style='padding-right: 14px'>{escape(h)}</th>" for h in head)
            self.figures.setText(f"<table><tr>{header}</tr>{rows}</table>")
        notes = outcomes.change_notes(checkins)
        if self.loaded.problems:
            notes.append(
                _("Some saved check-ins could not be read and are left out here: {why}").format(
                    why=" ".join(dict.fromkeys(self.loaded.problems))
                )
            )
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        if self.chart is None and checkins and self.isVisible():
            self._build_chart()
        self._draw()

    def open_dialog(self) -> OutcomesDialog:
        due = outcomes.due_today(self.ctx.repo, self.ctx.clock.now().date())
        self.dialog = OutcomesDialog(self.ctx, due if due.any else Due(sbi=True, psfs=True), self.window())
        self.dialog.saved.connect(self.ctx.sessions_changed.emit)
        self.dialog.open()
        return self.dialog
