"""One exercise, before the person starts it: its name and summary, a looping preview of one repetition, every
step's words beside its own picture, what to feel, the cautions, the stop rule and how much of it.

A dialog over the window, opened from Today (each exercise's "How to do it") and from the routine editor (the
selected exercise's "How to do it", or a double click on its row). Esc or Close closes it; Enter starts
nothing (no default button).

The preview is the session's own movement (core/motion.py `blend_at`): into the hold over MOVE_IN_S, still a
short while, back over MOVE_OUT_S, a short rest, and again; a glide goes to and fro at its dose's tempo. Its
frame timer runs only while the dialog is shown and the figure moves, and the time comes from the app's clock (`ctx.clock`), so
a test moves the preview by advancing its ManualClock. With reduced motion ("still_pictures") nothing moves:
the start and hold pictures stand side by side and no timer runs."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QHideEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sciatica_coach.core.engine import Step
from sciatica_coach.core.model import Exercise, ExerciseKind, Moment, RoutineItem
from sciatica_coach.core.motion import MOVE_IN_S, MOVE_OUT_S, blend_at, move_seconds
from sciatica_coach.i18n import N_, _
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.dose_on_side import dose_on_side
from sciatica_coach.views.illustrations import IllustrationWidget, content_view_box
from sciatica_coach.views.session_runner import FRAME_INTERVAL_MS
from sciatica_coach.views.theme import BASE_POINT_SIZE, current_colors
from sciatica_coach.views.widgets import card, label, wrapping_scroll

log = logging.getLogger(__name__)

# One repetition of a held exercise in the preview: the hold step shown for PREVIEW_HOLD_S (the move in takes
# MOVE_IN_S of it, as in a session's hold of this length or longer), then the rest for PREVIEW_REST_S (the
# move back takes MOVE_OUT_S of it), then again. A glide moves at its own dose's tempo.
PREVIEW_HOLD_S = 3 * MOVE_IN_S  # 2 s moving in, 4 s still in the hold
PREVIEW_REST_S = 2 * MOVE_OUT_S  # 2 s moving back, 2 s resting
GLIDE_FALLBACK_S = 3.0  # a glide's way out or back when its dose gives no time for it
PREVIEW_SIZE_PX = (720, 540)  # the preview's largest size: readable from the mat
PREVIEW_MIN_PX = (400, 300)
FACTS_LINE_CHARS = 24  # the stop rule beside the preview keeps at least this many characters a line
STEP_THUMB_PX = (176, 132)  # a step's own picture, at the usual text size
STEP_THUMB_GROWTH_MAX = 1.5  # with larger text it grows too, up to this much
WIDTH_PX = 980
MIN_HEIGHT_PX = 520
TITLE_PT_FACTOR = 2.0  # the name and the stop rule: twice the body text, as large as the session's words
STOP_RULE_PT_FACTOR = 1.6

STEP_PICTURE_NAMES = {
    Moment.SETUP: N_("Start position"),
    Moment.HOLD: N_("Hold position"),
    Moment.RETURN: N_("Start position"),
}


def preview_steps(exercise: Exercise, item: RoutineItem | None = None) -> tuple[float, float]:
    """How long the preview shows the hold (or a glide's way out) and the rest (its way back), in seconds."""
    if exercise.kind is ExerciseKind.MOVEMENT:
        dose = item.dose if item is not None else exercise.dose
        out_s = float(dose.hold_s) or GLIDE_FALLBACK_S
        back_s = float(dose.rest_between_reps_s) or GLIDE_FALLBACK_S
        return out_s, back_s
    return PREVIEW_HOLD_S, PREVIEW_REST_S


def preview_pose(elapsed_s: float, hold_s: float, rest_s: float, kind: ExerciseKind) -> float:
    """The pose `elapsed_s` into the looping preview (0 = start pose, 1 = hold pose): one repetition, again
    and again, moved as the session moves it (core/motion.py)."""
    cycle_s = hold_s + rest_s
    into = elapsed_s % cycle_s if cycle_s > 0 else 0.0
    if into < hold_s:
        return blend_at(Step.HOLD, into, hold_s, kind)
    return blend_at(Step.REST_REP, into - hold_s, rest_s, kind)


def still_for(elapsed_s: float, hold_s: float, rest_s: float, kind: ExerciseKind) -> float:
    """How long the preview's figure stands still from `elapsed_s` into its loop (0 while it moves)."""
    cycle_s = hold_s + rest_s
    if cycle_s <= 0:
        return 0.0
    into = elapsed_s % cycle_s
    if into < hold_s:
        moving_until, still_until = move_seconds(Step.HOLD, hold_s, kind), hold_s
    else:
        moving_until, still_until = hold_s + move_seconds(Step.REST_REP, rest_s, kind), cycle_s
    return 0.0 if into < moving_until else still_until - into


class StepRow(QWidget):
    """One step: its own small picture (the start drawing for getting ready and coming back, the hold drawing
    for the hold) beside its words."""

    def __init__(self, number: int, text: str, moment: Moment, exercise: Exercise) -> None:
        super().__init__()
        self.moment = moment
        drawing = exercise.hold_illustration if moment is Moment.HOLD else exercise.start_illustration
        self.picture = IllustrationWidget()
        self.picture.set_illustration(
            drawing,
            description=_(STEP_PICTURE_NAMES[moment]),
            view_box=content_view_box((exercise.start_illustration, exercise.hold_illustration)),
        )
        self.fit_picture()
        self.picture.setAccessibleName(_(STEP_PICTURE_NAMES[moment]))
        self.words = label(f"{number}. {text}", "big")
        self.words.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.words, 1)

    def fit_picture(self) -> None:
        """Larger text, a larger picture (up to STEP_THUMB_GROWTH_MAX), as Today's drawings grow."""
        factor = min(STEP_THUMB_GROWTH_MAX, max(1.0, self.font().pointSizeF() / BASE_POINT_SIZE))
        self.picture.setFixedSize(round(STEP_THUMB_PX[0] * factor), round(STEP_THUMB_PX[1] * factor))


class ExerciseDetails(QDialog):
    """The page of one exercise (see the module docstring). `item` gives the dose in the person's routine;
    without it, the catalogue's usual dose."""

    def __init__(
        self,
        ctx: AppContext,
        exercise: Exercise,
        item: RoutineItem | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.exercise = ctx, exercise
        self.setWindowTitle(exercise.name)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._hold_s, self._rest_s = preview_steps(exercise, item)
        self._started_at: float | None = None  # the clock's monotonic time when the preview began
        self.still = bool(ctx.repo.setting("still_pictures"))

        body = QWidget()
        words = QVBoxLayout(body)
        words.setContentsMargins(0, 0, 12, 0)
        words.setSpacing(16)
        self.name = label(exercise.name, "title")
        self.name.setAccessibleName(exercise.name)
        words.addWidget(self.name)
        self.summary = label(exercise.summary, "subtitle")
        words.addWidget(self.summary)
        # The preview, and beside it (beneath it when the width is short) how much and when to stop.
        self.top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.top.setSpacing(20)
        self.top.addLayout(self._build_preview(), 3)
        facts = QVBoxLayout()
        facts.setSpacing(12)
        shown_item = item if item is not None else RoutineItem(exercise.id, exercise.dose, exercise.side_mode)
        self.dose = label(dose_on_side(shown_item, moving=exercise.is_movement), "big")
        self.dose.setAccessibleName(_("How much: {dose}").format(dose=self.dose.text()))
        facts.addWidget(self.dose)
        # The stop rule, as the session shows it: large and bold, on an amber-edged band.
        facts.addWidget(label(_("When to stop"), "big"))
        self.stop_rule = QLabel(exercise.stop_if)
        self.stop_rule.setWordWrap(True)
        self.stop_rule.setAccessibleName(_("When to stop"))
        self.stop_rule.setAccessibleDescription(exercise.stop_if)
        facts.addWidget(self.stop_rule)
        facts.addStretch(1)
        self.top.addLayout(facts, 2)
        words.addLayout(self.top)

        steps_card, steps_layout = card(_("How to do it"))
        self.step_rows: list[StepRow] = []
        for number, step in enumerate(exercise.steps, 1):
            row = StepRow(number, step.text, step.moment, exercise)
            self.step_rows.append(row)
            steps_layout.addWidget(row)
        words.addWidget(steps_card)

        feel_card, feel_layout = card(_("What you should feel"))
        self.feel = label(exercise.feel)
        feel_layout.addWidget(self.feel)
        words.addWidget(feel_card)

        self.caution_labels: list[QLabel] = []
        if exercise.cautions:
            cautions_card, cautions_layout = card(_("Take care"))
            for caution in exercise.cautions:
                line = label(f"•  {caution}")
                self.caution_labels.append(line)
                cautions_layout.addWidget(line)
            words.addWidget(cautions_card)
        words.addWidget(
            label(
                _(
                    "This is guidance, not a diagnosis. Move gently and never push through pain. If anything "
                    "feels wrong, stop and ask your doctor or physiotherapist."
                ),
                "muted",
            )
        )
        words.addStretch(1)

        scroll = wrapping_scroll(body)
        self.scroll_area = scroll
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(14)
        layout.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton(_("Close (Esc)"))
        self.close_button.setAccessibleName(_("Close"))
        self.close_button.setAutoDefault(False)  # Enter does nothing here by itself
        self.close_button.setDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        self.frames = QTimer(self)
        self.frames.setInterval(FRAME_INTERVAL_MS)
        self.frames.setTimerType(Qt.TimerType.PreciseTimer)
        self.frames.timeout.connect(self.next_frame)
        # While the figure stands still (the hold, the rest) no frame timer runs: this one wakes it for the
        # next move.
        self.wake = QTimer(self)
        self.wake.setSingleShot(True)
        self.wake.timeout.connect(self._move_again)
        ctx.appearance_changed.connect(self._restyle)
        self._restyle()
        ctx.appearance_changed.connect(self._fit_width)
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        height = int(screen.height() * 0.9) if screen is not None else 800
        width = min(WIDTH_PX, int(screen.width() * 0.95)) if screen is not None else WIDTH_PX
        self.resize(width, max(MIN_HEIGHT_PX, height))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_width()

    def _fit_width(self) -> None:
        """The stop rule beside the preview while both have room (a readable line of words beside the
        preview's smallest size), else beneath it (large text, German, a small screen)."""
        room = self.scroll_area.viewport().width()
        words_px = self.fontMetrics().averageCharWidth() * FACTS_LINE_CHARS
        beside = PREVIEW_MIN_PX[0] + self.top.spacing() + words_px <= room
        self.top.setDirection(
            QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        )

    def _build_preview(self) -> QHBoxLayout:
        """The moving figure, or with reduced motion the start and hold pictures side by side."""
        exercise = self.exercise
        box = content_view_box((exercise.start_illustration, exercise.hold_illustration))
        row = QHBoxLayout()
        row.setSpacing(16)
        self.preview = IllustrationWidget()
        self.preview.setMinimumSize(*PREVIEW_MIN_PX)
        self.preview.setMaximumSize(*PREVIEW_SIZE_PX)
        self.preview.set_pose(
            exercise.start_illustration, exercise.hold_illustration, 0.0,
            description=f"{exercise.name}: {exercise.summary}", view_box=box,
        )  # fmt: skip
        self.preview.setAccessibleName(
            _("One repetition of {name}, shown again and again").format(name=exercise.name)
        )
        self.still_pictures: list[IllustrationWidget] = []
        row.addStretch(1)
        if not self.still:
            row.addWidget(self.preview, 8)
            row.addStretch(1)
            return row
        self.preview.hide()
        for drawing, name in (
            (exercise.start_illustration, STEP_PICTURE_NAMES[Moment.SETUP]),
            (exercise.hold_illustration, STEP_PICTURE_NAMES[Moment.HOLD]),
        ):  # reduced motion: the two poses, still, each named beneath it
            still = IllustrationWidget()
            still.set_illustration(drawing, description=_(name), view_box=box)
            still.setAccessibleName(_(name))
            still.setMinimumSize(PREVIEW_MIN_PX[0] // 2, PREVIEW_MIN_PX[1] // 2)
            still.setMaximumSize(*PREVIEW_SIZE_PX)
            self.still_pictures.append(still)
            column = QVBoxLayout()
            column.addWidget(still, 1)
            caption = label(_(name), "muted")
            caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            column.addWidget(caption)
            row.addLayout(column, 4)
        row.addStretch(1)
        return row

    def _restyle(self) -> None:
        for row in self.step_rows:
            row.fit_picture()
        colors = current_colors()
        base = self.font().pointSizeF()
        self.name.setStyleSheet(f"font-size: {base * TITLE_PT_FACTOR:.1f}pt; font-weight: 700;")
        self.stop_rule.setStyleSheet(
            f"font-size: {base * STOP_RULE_PT_FACTOR:.1f}pt; font-weight: 700; color: {colors.text}; "
            f"border: 4px solid {colors.amber}; border-radius: 8px; padding: 10px 16px;"
        )

    # ---- the preview ---------------------------------------------------------------------------------
    def pose(self) -> float:
        """The preview's pose now (0 = start, 1 = hold), from the app's clock."""
        if self._started_at is None:
            return 0.0
        elapsed = self.ctx.clock.monotonic() - self._started_at
        return preview_pose(elapsed, self._hold_s, self._rest_s, self.exercise.kind)

    def next_frame(self) -> None:
        exercise = self.exercise
        self.preview.set_pose(
            exercise.start_illustration,
            exercise.hold_illustration,
            self.pose(),
            description=f"{exercise.name}: {exercise.summary}",
            view_box=content_view_box((exercise.start_illustration, exercise.hold_illustration)),
        )
        if self._started_at is None or not self.frames.isActive():
            return
        elapsed = self.ctx.clock.monotonic() - self._started_at
        still_s = still_for(elapsed, self._hold_s, self._rest_s, exercise.kind)
        if still_s * 1000 > FRAME_INTERVAL_MS:
            self.frames.stop()
            self.wake.start(round(still_s * 1000))

    def _move_again(self) -> None:
        if self.isVisible():
            self.frames.start()
            self.next_frame()

    def show_at(self, elapsed_s: float) -> None:
        """Paint the preview `elapsed_s` into its loop (for a still picture of it: the screenshots)."""
        self._started_at = self.ctx.clock.monotonic() - elapsed_s
        self.next_frame()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.still:
            return  # reduced motion: the two still pictures, and no timer
        if self._started_at is None:
            self._started_at = self.ctx.clock.monotonic()
        self.frames.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.frames.stop()
        self.wake.stop()
        super().hideEvent(event)


def open_exercise_details(
    ctx: AppContext, exercise: Exercise, item: RoutineItem | None, parent: QWidget
) -> ExerciseDetails:
    """Open the page of `exercise` over `parent`'s window (window-modal) and return it."""
    dialog = ExerciseDetails(ctx, exercise, item, parent.window())
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    dialog.close_button.setFocus()
    return dialog
