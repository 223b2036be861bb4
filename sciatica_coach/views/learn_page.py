"""Learn: the posture and body-mechanics lessons (sitting, standing, lifting, bed, sleep, driving, desk).

A list of the lessons, each a large button; a lesson opens in place, one screen, with its drawing, its steps in
large type and its "take care" line, readable from the floor. The lessons and their words come from
:mod:`sciatica_coach.core.lessons`; which were opened is stored by :mod:`sciatica_coach.services.lessons`."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QBoxLayout, QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from sciatica_coach.core.lessons import READ_MINUTES, Lesson, LessonsError, app_lessons, translated
from sciatica_coach.i18n import _
from sciatica_coach.platform.locale_support import about_minutes
from sciatica_coach.services import lessons as lesson_store
from sciatica_coach.storage.repository import DataError
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.theme import Colors, blend, card_room, current_colors, fit_button_text
from sciatica_coach.views.widgets import PAGE_MARGINS, Page, card, label

log = logging.getLogger(__name__)

LESSON_DRAWING_MIN_W = 320  # the drawing in a lesson: large enough to read from two metres
LESSON_DRAWING_MAX_W = 520  # and no wider, so the steps beside it stay on the same screen
LESSON_DRAWING_NARROW_W = 240  # the least it shrinks to in a small window, the words then under it
READABLE_LINE_CHARS = 24  # the steps beside the drawing get at least this many characters a line
LESSON_TEXT_TIMES = 16 / 12  # the list's words: as large as a primary button's (16 pt at the base 12 pt)
LESSON_TEXT_STEPS = (LESSON_TEXT_TIMES, 1.15, 1.0)  # smaller only while one long word alone is too wide


def lesson_button_sheet(colors: Colors, app_point_size: float, times: float = LESSON_TEXT_TIMES) -> str:
    """The style of a lesson button: `times` the app's text size (so it follows the text-size setting), bold,
    left-aligned, with a border as wide with focus as without."""
    size_pt = app_point_size * times
    line_px = max(28.0, size_pt * 96 / 72 * 1.25)  # min-height: Qt sizes a styled button from it
    focus_tint = blend(colors.accent, colors.surface, 0.16)
    return (
        f"QPushButton {{ text-align: left; font-size: {size_pt:.1f}pt; font-weight: 600; color: {colors.text};"
        f" background: {colors.surface}; border: 3px solid {colors.border}; border-radius: 12px;"
        f" padding: 12px 22px; min-height: {line_px:.0f}px; }}"
        f"QPushButton:hover {{ border-color: {colors.accent}; }}"
        f"QPushButton:focus {{ border-color: {colors.accent}; background: {focus_tint}; }}"
        f"QPushButton:pressed {{ background: {focus_tint}; }}"
    )


def minutes_text() -> str:
    return about_minutes(READ_MINUTES * 60)  # the same words as a session's length


class LearnPage(Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(_("Learn"), _("Short lessons on moving well: sitting, lifting, sleeping and more"))
        self.ctx = ctx
        self.lesson_buttons: dict[str, QPushButton] = {}
        self._button_texts: dict[QPushButton, str] = {}  # a lesson button's words before they are fitted
        self.current: Lesson | None = None
        try:
            self.lessons: tuple[Lesson, ...] = app_lessons()
        except LessonsError as err:
            log.error("The lessons could not be read: %s", err)
            self.lessons = ()

        # the list of lessons
        self.list_card, list_layout = card()
        if not self.lessons:
            list_layout.addWidget(
                label(_("The lessons could not be read. Reinstalling the app should fix this."), "big")
            )
        for lesson in self.lessons:
            shown = translated(lesson)
            button = QPushButton(f"{shown.title} · {minutes_text()}")
            button.setProperty("role", "lesson")
            button.setAccessibleName(shown.title)
            button.setAccessibleDescription(_("Open the lesson ({minutes})").format(minutes=minutes_text()))
            self._button_texts[button] = button.text()
            button.clicked.connect(lambda _=False, lesson_id=lesson.id: self.open_lesson(lesson_id))
            list_layout.addWidget(button)
            self.lesson_buttons[lesson.id] = button
        self.body.addWidget(self.list_card)

        # one lesson, full size
        self.lesson_view = QWidget()
        lesson_layout = QVBoxLayout(self.lesson_view)
        lesson_layout.setContentsMargins(0, 0, 0, 0)
        lesson_layout.setSpacing(14)
        self.back_button = QPushButton(_("← All lessons"))
        self.back_button.setAccessibleName(_("Back to all lessons"))
        self.back_button.clicked.connect(self.show_list)
        lesson_layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.lesson_title = label("", "title")
        self.lesson_title.setAccessibleName("")
        lesson_layout.addWidget(self.lesson_title)
        # the drawing beside the words: both on one screen, the words large
        row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        row.setSpacing(24)
        self.lesson_row = row  # the words go under the drawing when both don't fit side by side
        # drawings (QtSvg) load with this page, not with Today's tip card, which is built before first paint
        from sciatica_coach.views.illustrations import IllustrationWidget

        self.drawing = IllustrationWidget()
        self.drawing.setMinimumSize(LESSON_DRAWING_NARROW_W, round(LESSON_DRAWING_NARROW_W * 3 / 4))
        self.drawing.setMaximumWidth(LESSON_DRAWING_MAX_W)
        row.addWidget(self.drawing, 1, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.setSpacing(14)
        self.steps_label = label("", "big")
        self.steps_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.steps_label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        words.addWidget(self.steps_label)
        self.take_care_card, take_care_layout = card()
        self.take_care_card.setProperty("role", "banner")
        self.take_care_label = label("", "big")
        take_care_layout.addWidget(self.take_care_label)
        words.addWidget(self.take_care_card)
        words.addStretch(1)
        row.addLayout(words, 1)
        lesson_layout.addLayout(row)
        self.pain_note = label(
            _("If anything here hurts, stop and change position. Never push through pain."), "muted"
        )
        lesson_layout.addWidget(self.pain_note)
        self.lesson_view.hide()
        self.body.addWidget(self.lesson_view)
        self.body.addStretch(1)
        first = next(iter(self.lesson_buttons.values()), None)
        self.initial_focus: QWidget = first if first is not None else self
        self._style_lesson_buttons()
        ctx.appearance_changed.connect(self._style_lesson_buttons)  # light/dark or the text size changed

    def _style_lesson_buttons(self) -> None:
        """The lesson list in large type, as the app's primary buttons (read from a mat two metres away), but
        quiet: the surface colour with a firm border. Focus shows as a thick accent border and a tint, the same
        width as without focus, so the button never changes size."""
        for button in self.lesson_buttons.values():
            button.setProperty("text_times", None)  # styled anew in the colours and text size now in use
        self.fit_width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_width()

    def fit_width(self) -> None:
        """Drawing and words side by side when there is room for both, else the words under the drawing."""
        words_w = self.steps_label.fontMetrics().averageCharWidth() * READABLE_LINE_CHARS
        side_by_side = self.viewport().width() - 2 * PAGE_MARGINS[0] >= LESSON_DRAWING_MIN_W + 24 + words_w
        wanted = QBoxLayout.Direction.LeftToRight if side_by_side else QBoxLayout.Direction.TopToBottom
        if self.lesson_row.direction() != wanted:
            self.lesson_row.setDirection(wanted)
        room = card_room(self) - 2 * self.frameWidth()  # inside the page's own (focus) border too
        for button in self._button_texts:
            self._fit_lesson_button(button, room)

    def _fit_lesson_button(self, button: QPushButton, room: int) -> None:
        """The lesson's words on its button in as many lines as `room` px needs; in a smaller type only when
        one word alone is wider (a long German word at large text in a small window): never a page too wide."""
        text = self._button_texts[button]
        for times in LESSON_TEXT_STEPS:
            if button.property("text_times") != times:
                button.setProperty("text_times", times)
                button.setStyleSheet(
                    lesson_button_sheet(current_colors(), QApplication.font().pointSizeF(), times)
                )
            button.ensurePolished()  # measured in its own large, bold type
            fit_button_text(button, text, room)
            if button.sizeHint().width() <= room:
                return

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc in a lesson goes back to the list (the keys a focused child leaves unused come here)."""
        if event.key() == Qt.Key.Key_Escape and self.current is not None:
            self.show_list()
            event.accept()
            return
        super().keyPressEvent(event)

    def lesson_ids(self) -> list[str]:
        return [lesson.id for lesson in self.lessons]

    def open_lesson(self, lesson_id: str) -> None:
        """Show one lesson full size and remember it was opened."""
        lesson = next((item for item in self.lessons if item.id == lesson_id), None)
        if lesson is None:
            log.warning("No lesson %r", lesson_id)
            return
        self.current = lesson
        shown = translated(lesson)
        self.lesson_title.setText(shown.title)
        self.setAccessibleName(shown.title)
        self.drawing.set_illustration(lesson.drawing, description=shown.drawing_description)
        self.steps_label.setText("\n\n".join(f"•  {step}" for step in shown.steps))
        self.steps_label.setAccessibleName(" ".join(shown.steps))
        if shown.take_care:
            self.take_care_label.setText(_("Take care: {advice}").format(advice=shown.take_care))
        self.take_care_card.setVisible(bool(shown.take_care))
        self.list_card.hide()
        self.title.hide()
        self.subtitle.hide()
        self.lesson_view.show()
        self.back_button.setFocus()
        self.verticalScrollBar().setValue(0)
        try:
            lesson_store.mark_opened(self.ctx.repo, lesson.id)
        except DataError as err:
            self.ctx.save_failed.emit(str(err))

    def show_list(self) -> None:
        opened = self.current.id if self.current else None
        self.current = None
        self.lesson_view.hide()
        self.title.show()
        self.subtitle.show()
        self.list_card.show()
        self.setAccessibleName(_("Learn"))
        button = self.lesson_buttons.get(opened) if opened else None
        if button is not None:
            button.setFocus()


class LessonTipCard(QFrame):
    """Today's tip: in the first four weeks, one lesson not yet opened, a different one each day, with "Read
    it" and a quiet "Not now" that hides it until tomorrow. A card on Today, never a popup."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setProperty("role", "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 18)
        self.text = label("", "big")
        layout.addWidget(self.text)
        row = QHBoxLayout()
        self.read_button = QPushButton(_("Read it"))
        self.read_button.clicked.connect(self.read)
        self.not_now_button = QPushButton(_("Not now"))
        self.not_now_button.setAccessibleName(_("Not now: hide today's tip until tomorrow"))
        self.not_now_button.clicked.connect(self.not_now)
        row.addWidget(self.read_button)
        row.addWidget(self.not_now_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.lesson: Lesson | None = None
        self.hide()

    def refresh(self) -> None:
        try:
            self.lesson = lesson_store.todays_tip(self.ctx.repo, self.ctx.clock.now().date())
        except (LessonsError, DataError) as err:
            log.warning("No lesson tip today: %s", err)
            self.lesson = None
        if self.lesson is None:
            self.hide()
            return
        title = translated(self.lesson).title
        self.text.setText(_("Today's tip: {lesson} — {minutes}").format(lesson=title, minutes=minutes_text()))
        self.read_button.setAccessibleName(_("Read today's tip: {lesson}").format(lesson=title))
        self.show()

    def read(self) -> None:
        if self.lesson is None:
            return
        opener = getattr(self.window(), "open_lesson", None)
        if opener is not None:
            opener(self.lesson.id)
        self.refresh()

    def not_now(self) -> None:
        try:
            lesson_store.not_now(self.ctx.repo, self.ctx.clock.now().date())
        except DataError as err:
            self.ctx.save_failed.emit(str(err))
        self.refresh()
