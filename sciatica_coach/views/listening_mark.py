"""The "Listening" mark for the session's top bar: a pill with a drawn microphone and the word, in the accent
colour, shown only while voice commands are listening (VoiceControl.listening_changed).

Drawn with QPainter (no emoji, no icon font: both depend on the fonts installed) and sized from its text, which
the session sets to its own type size (`set_text_px`) so the mark reads from the mat two metres away. Its
colours follow the theme, or are fixed (floor mode: `set_colors(FLOOR_COLORS)`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from sciatica_coach.core.voice import Asking
from sciatica_coach.i18n import N_, _
from sciatica_coach.views.theme import Colors, current_colors

if TYPE_CHECKING:
    from sciatica_coach.services.voice_control import VoiceControl

# What to say, beside the word, where it is not on the buttons in view (the pain checks, the questions).
HINTS = {
    Asking.NUMBER: N_("Listening: say a number, 0 to 10"),
    Asking.REACH: N_("Listening: none, buttock, thigh, knee, calf or foot"),
    Asking.YES_NO: N_("Listening: say yes or no"),
    Asking.TREND: N_("Listening: say up, same or down"),
}
TEXT_SCALE = 1.4  # the word, against the widget's own font, until the session sets a size (set_text_px)
PAD_X_EM = 0.7  # the pill's ends, in heights of the text
PAD_Y_EM = 0.3
GLYPH_GAP_EM = 0.35  # between the microphone and the word
GLYPH_WIDTH_EM = 0.62  # the microphone's width against its height (the text's height)


class ListeningMark(QWidget):
    """A small, clearly readable pill: [microphone] Listening. Hidden until a voice listens."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._voice: VoiceControl | None = None
        self._colors: Colors | None = None
        self._text_px: int | None = None
        self._room: int | None = None  # the width it may take (fit)
        self.text = _("Listening")
        self.setAccessibleName(_("Listening for voice commands"))
        self.setAccessibleDescription(_("Say a command, such as “pause” or “next”."))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.hide()

    # ---- what the session sets ------------------------------------------------------------------------------
    def set_voice(self, voice: VoiceControl | None) -> None:
        """Follow `voice` (None: voice commands are off; the mark stays hidden and takes no room)."""
        if self._voice is voice:
            return
        if self._voice is not None:
            self._voice.listening_changed.disconnect(self._listening_changed)
            self._voice.asking_changed.disconnect(self._show_hint)
        self._voice = voice
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(voice is not None)  # the top bar doesn't jump each time it shows
        self.setSizePolicy(policy)
        if voice is not None:
            voice.listening_changed.connect(self._listening_changed)
            voice.asking_changed.connect(self._show_hint)
        self._show_hint()
        self.setVisible(voice is not None and voice.listening)

    def fit(self, room: int) -> None:
        """Take at most `room` pixels across: the hint gives way to the plain word where it doesn't fit."""
        self._room = room
        self._show_hint()

    def _show_hint(self, *_asking: object) -> None:
        asking = self._voice.asking if self._voice is not None else None
        hint = HINTS.get(asking) if asking is not None else None
        self.text = _(hint) if hint else _("Listening")
        if self._room is not None and self.sizeHint().width() > self._room:
            self.text = _("Listening")
        self.updateGeometry()
        self.update()

    def set_colors(self, colors: Colors | None) -> None:
        """Fixed colours (floor mode), or None to follow the theme."""
        self._colors = colors
        self.update()

    def set_text_px(self, px: int | None) -> None:
        """The word's height in pixels, as the session sizes its own type (None: follow the font)."""
        self._text_px = px
        self.updateGeometry()
        self.update()

    def _listening_changed(self, listening: bool) -> None:
        self.setVisible(listening)

    # ---- size and drawing -----------------------------------------------------------------------------------
    def text_font(self) -> QFont:
        font = QFont(self.font())
        if self._text_px is not None:
            font.setPixelSize(max(10, self._text_px))
        elif font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * TEXT_SCALE)
        else:
            font.setPixelSize(max(10, round(font.pixelSize() * TEXT_SCALE)))
        font.setBold(True)
        return font

    def _measure(self) -> tuple[float, float, float]:
        """(text height, text width, glyph width) in pixels."""
        metrics = QFontMetricsF(self.text_font())
        height = metrics.height()
        return height, metrics.horizontalAdvance(self.text), height * GLYPH_WIDTH_EM

    def sizeHint(self) -> QSize:
        height, width, glyph = self._measure()
        return QSize(
            round(2 * PAD_X_EM * height + glyph + GLYPH_GAP_EM * height + width),
            round(height * (1 + 2 * PAD_Y_EM)),
        )

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        colors = self._colors or current_colors()
        height, _width, glyph = self._measure()
        pill = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colors.accent))
        painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        ink = QColor(colors.on_accent)
        left = PAD_X_EM * height
        self._draw_microphone(painter, QRectF(left, (self.height() - height) / 2, glyph, height), ink)
        painter.setPen(ink)
        painter.setFont(self.text_font())
        words = QRectF(left + glyph + GLYPH_GAP_EM * height, 0, self.width(), self.height())
        painter.drawText(words, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.text)
        painter.end()

    @staticmethod
    def _draw_microphone(painter: QPainter, box: QRectF, ink: QColor) -> None:
        """A microphone in `box`: the capsule, the cradle around its lower half, the stand and its foot."""
        w, h = box.width(), box.height()
        stroke = max(1.5, h * 0.09)
        capsule = QRectF(box.left() + w * 0.25, box.top() + h * 0.06, w * 0.5, h * 0.56)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ink)
        painter.drawRoundedRect(capsule, capsule.width() / 2, capsule.width() / 2)
        pen = QPen(ink, stroke)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        cradle = QPainterPath()
        top = box.top() + h * 0.36
        cradle_box = QRectF(box.left() + w * 0.06, top - h * 0.28, w * 0.88, h * 0.64)
        cradle.arcMoveTo(cradle_box, 180)
        cradle.arcTo(cradle_box, 180, 180)  # the lower half: a U around the capsule
        painter.drawPath(cradle)
        middle = box.left() + w / 2
        stand_top = cradle_box.bottom()
        foot = box.top() + h * 0.94
        painter.drawLine(QPointF(middle, stand_top), QPointF(middle, foot))
        painter.drawLine(QPointF(middle - w * 0.28, foot), QPointF(middle + w * 0.28, foot))
