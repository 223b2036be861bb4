"""The big countdown: a ring that empties as the step runs out, with the seconds in the middle.

Sized from the widget's own height so it reads from the floor at any window size."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from sciatica_coach.i18n import _, ngettext
from sciatica_coach.views.theme import Colors, current_colors


def seconds_text(remaining_s: float) -> str:
    """Whole seconds, rounded up (3.2 s left shows 4 until it is really 3); minutes past a minute."""
    whole = max(0, math.ceil(remaining_s - 1e-6))
    if whole >= 60:
        return f"{whole // 60}:{whole % 60:02d}"
    return str(whole)


class CountdownRing(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fraction = 1.0
        self._text = ""
        self._paused = False
        self._colors: Colors | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(140, 140)
        self.setAccessibleName(_("Time left"))

    def sizeHint(self) -> QSize:
        return QSize(160, 160)  # it grows into any room left; a smaller wish leaves room for the words

    def set_colors(self, colors: Colors | None) -> None:
        """Fixed colours (floor mode), or None to follow the theme."""
        self._colors = colors
        self.update()

    def set_state(self, remaining_s: float, duration_s: float, *, paused: bool = False) -> None:
        fraction = 0.0 if duration_s <= 0 else max(0.0, min(1.0, remaining_s / duration_s))
        text = seconds_text(remaining_s)
        if (fraction, text, paused) != (self._fraction, self._text, self._paused):
            self._fraction, self._text, self._paused = fraction, text, paused
            self.setAccessibleDescription(
                ngettext("{n} second left", "{n} seconds left", int(text)).format(n=text)
                if text.isdigit()
                else _("{time} left").format(time=text)
            )
            self.update()

    def text(self) -> str:
        return self._text

    def paintEvent(self, event: QPaintEvent) -> None:
        colors = self._colors or current_colors()
        side = min(self.width(), self.height())
        thickness = max(8.0, side * 0.07)
        rect = QRectF(
            (self.width() - side) / 2 + thickness / 2,
            (self.height() - side) / 2 + thickness / 2,
            side - thickness,
            side - thickness,
        )
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        track = QPen(QColor(colors.border), thickness)
        painter.setPen(track)
        painter.drawEllipse(rect)
        arc = QPen(QColor(colors.muted if self._paused else colors.accent), thickness)
        arc.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(arc)
        painter.drawArc(rect, 90 * 16, int(-360 * 16 * self._fraction))
        font = QFont(self.font())
        font.setPixelSize(max(12, int(side * (0.36 if len(self._text) <= 2 else 0.26))))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(colors.text))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._text)
        painter.end()
