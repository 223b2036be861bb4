"""The calendar of days for Progress: one square per day, coloured by how much of the day's plan was done.

Plain QPainter, no pyqtgraph, so the Progress page can show it (and its cards and text) at once while the
weekly chart, which needs pyqtgraph and numpy, is built a moment later. The colour helpers are shared with
the chart."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from sciatica_coach.core.adherence import DayCell
from sciatica_coach.i18n import _
from sciatica_coach.platform.locale_support import month_name, weekday_name
from sciatica_coach.services.progress_text import calendar_summary, day_tooltip
from sciatica_coach.views.theme import Colors, current_colors

CELL_MAX_PX = 26
CELL_MIN_PX = 11
CELL_GAP_PX = 3
# The day names' column, the month names' row and a legend line grow with the text (200 % text too).
DAY_LABEL_MIN_WIDTH_PX = 44
MONTH_LABEL_MIN_HEIGHT_PX = 22
LEGEND_SWATCH_PX = 14.0
LEGEND_GAP_PX = 18.0


def shaded(value: str, alpha: int = 255) -> QColor:
    color = QColor(value)
    color.setAlpha(alpha)
    return color


def series_colors(c: Colors) -> dict[str, str]:
    """The colour of each series, shared by the chart, its legend and the PDF report."""
    return {"completed": c.accent, "partial": c.amber, "target": c.muted, "back": c.text, "leg": c.red}


class CalendarHeatmap(QWidget):
    """Days as squares, one column per week (Monday at the top), coloured by how much of the day's plan was
    done. Flare days are marked, today is outlined, and hovering a day shows its sessions by slot."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[DayCell] = []
        self.today = date.today()
        self._first_monday = self.today
        self._cell = CELL_MAX_PX
        self.setMouseTracking(True)
        self.setAccessibleName(_("Calendar of days"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_cells(self, cells: Sequence[DayCell], today: date) -> None:
        self.cells = list(cells)
        self.today = today
        self._first_monday = cells[0].day - timedelta(days=cells[0].day.weekday()) if cells else today
        self.setAccessibleDescription(calendar_summary(self.cells, today))
        self._update_geometry()
        self.update()

    def label_font(self) -> QFont:
        """The labels' font: a little smaller than the page's, never below 9 pt."""
        font = QFont(self.font())
        font.setPointSizeF(max(9.0, font.pointSizeF() * 0.85))
        return font

    def day_label_width(self) -> int:
        metrics = QFontMetrics(self.label_font())
        widest = max(metrics.horizontalAdvance(weekday_name(row, short=True)) for row in range(7))
        return max(DAY_LABEL_MIN_WIDTH_PX, widest + 12)

    def month_label_height(self) -> int:
        return max(MONTH_LABEL_MIN_HEIGHT_PX, QFontMetrics(self.label_font()).height() + 6)

    def legend_lines(self, c: Colors, width: float) -> list[list[tuple[QBrush | None, str, bool, float]]]:
        """The legend's entries (swatch, words, drawn as a dot, x) in as many lines as `width` takes."""
        metrics = QFontMetrics(self.label_font())
        entries: list[tuple[QBrush | None, str, bool]] = [
            (QBrush(QColor(c.window)), _("none"), False),
            (QBrush(shaded(c.accent, 125)), _("some"), False),
            (QBrush(QColor(c.accent)), _("plan met"), False),
            (QBrush(shaded(c.amber, 150), Qt.BrushStyle.BDiagPattern), _("flare day"), False),
            (QBrush(QColor(c.red)), _("stopped for safety"), True),
        ]
        start = float(self.day_label_width())
        lines: list[list[tuple[QBrush | None, str, bool, float]]] = [[]]
        x = start
        for brush, text, dot in entries:
            needed = LEGEND_SWATCH_PX + 6 + metrics.horizontalAdvance(text) + 4
            if lines[-1] and x + needed > width:
                lines.append([])
                x = start
            lines[-1].append((brush, text, dot, x))
            x += needed + LEGEND_GAP_PX
        return lines

    def legend_line_height(self) -> int:
        return max(round(LEGEND_SWATCH_PX) + 12, QFontMetrics(self.label_font()).height() + 8)

    def _weeks(self) -> int:
        if not self.cells:
            return 0
        return (self.cells[-1].day - self._first_monday).days // 7 + 1

    def _cell_size(self, width: int) -> int:
        weeks = max(1, self._weeks())
        fit = (width - self.day_label_width()) // weeks - CELL_GAP_PX
        return max(CELL_MIN_PX, min(CELL_MAX_PX, fit))

    def _update_geometry(self) -> None:
        self._cell = self._cell_size(self.width())
        legend = len(self.legend_lines(current_colors(), self.width())) * self.legend_line_height()
        height = self.month_label_height() + 7 * (self._cell + CELL_GAP_PX) + legend + 8
        self.setFixedHeight(height)

    def resizeEvent(self, event: object) -> None:
        self._update_geometry()
        super().resizeEvent(event)  # type: ignore[arg-type]

    def sizeHint(self) -> QSize:
        return QSize(
            self.day_label_width() + max(1, self._weeks()) * (CELL_MAX_PX + CELL_GAP_PX), self.height()
        )

    def cell_rect(self, cell: DayCell) -> QRectF:
        offset = (cell.day - self._first_monday).days
        column, row = divmod(offset, 7)
        step = self._cell + CELL_GAP_PX
        return QRectF(
            self.day_label_width() + column * step,
            self.month_label_height() + row * step,
            self._cell,
            self._cell,
        )

    def cell_at(self, pos: QPointF) -> DayCell | None:
        step = self._cell + CELL_GAP_PX
        column = int((pos.x() - self.day_label_width()) // step)
        row = int((pos.y() - self.month_label_height()) // step)
        if column < 0 or not 0 <= row < 7 or not self.cells:
            return None
        day = self._first_monday + timedelta(days=column * 7 + row)
        index = (day - self.cells[0].day).days
        if 0 <= index < len(self.cells):
            return self.cells[index]
        return None

    def _fill(self, cell: DayCell, c: Colors) -> QBrush | None:
        if cell.day > self.today:
            return None
        if cell.excused:
            return QBrush(shaded(c.amber, 150), Qt.BrushStyle.BDiagPattern)
        if cell.target == 0:
            return None
        if cell.met:
            return QBrush(QColor(c.accent))
        share = min(1.0, cell.credit / cell.target)
        if share == 0:
            return QBrush(QColor(c.window))
        return QBrush(shaded(c.accent, 70 + round(110 * share)))

    def paintEvent(self, event: QPaintEvent) -> None:
        c = current_colors()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.label_font())
        day_width, month_height = self.day_label_width(), self.month_label_height()
        text_pen = QPen(QColor(c.text))
        step = self._cell + CELL_GAP_PX
        painter.setPen(text_pen)
        for row in (0, 2, 4, 6):  # Monday at the top
            name = weekday_name(row, short=True)
            rect = QRectF(0, month_height + row * step, day_width - 8, self._cell)
            painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
        last_month = None
        last_label_x = -1000.0
        for column in range(self._weeks()):
            monday = self._first_monday + timedelta(weeks=column)
            sunday = monday + timedelta(days=6)
            if sunday.month != last_month:
                x = day_width + column * step
                if x - last_label_x >= 3 * step or last_month is None:
                    label_day = sunday.replace(day=1) if column else monday
                    text = month_name(label_day.month, short=True)
                    painter.drawText(
                        QRectF(x, 0, max(4 * step, painter.fontMetrics().horizontalAdvance(text) + 4),
                               month_height - 4),
                        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, text,
                    )  # fmt: skip
                    last_label_x = x
                last_month = sunday.month
        border = QPen(QColor(c.border), 1)
        for cell in self.cells:
            rect = self.cell_rect(cell)
            fill = self._fill(cell, c)
            painter.setPen(border)
            painter.setBrush(QBrush(QColor(c.surface)))
            if fill is not None and fill.style() == Qt.BrushStyle.BDiagPattern:
                painter.drawRoundedRect(rect, 3, 3)
            painter.setBrush(fill if fill is not None else Qt.BrushStyle.NoBrush)
            if fill is None:
                painter.setPen(QPen(QColor(c.border), 1, Qt.PenStyle.DotLine))
            painter.drawRoundedRect(rect, 3, 3)
            if cell.safety_stops:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(c.red))
                radius = max(2.5, self._cell * 0.16)
                painter.drawEllipse(rect.topRight() + QPointF(-radius - 1.5, radius + 1.5), radius, radius)
            if cell.day == self.today:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(QColor(c.text), 2))
                painter.drawRoundedRect(rect.adjusted(-1.5, -1.5, 1.5, 1.5), 4, 4)
        self._paint_legend(painter, c, month_height + 7 * step + 8)
        painter.end()

    def _paint_legend(self, painter: QPainter, c: Colors, top: float) -> None:
        size, line_height = LEGEND_SWATCH_PX, self.legend_line_height()
        metrics = painter.fontMetrics()
        for number, line in enumerate(self.legend_lines(c, self.width())):
            y = top + number * line_height
            for brush, text, dot, x in line:
                rect = QRectF(x, y + (line_height - size) / 2, size, size)
                if dot:
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(brush or Qt.BrushStyle.NoBrush)
                    painter.drawEllipse(rect.center(), 4.0, 4.0)
                else:
                    painter.setPen(QPen(QColor(c.border), 1))
                    painter.setBrush(QBrush(QColor(c.surface)))
                    painter.drawRoundedRect(rect, 3, 3)
                    painter.setBrush(brush or Qt.BrushStyle.NoBrush)
                    painter.drawRoundedRect(rect, 3, 3)
                painter.setPen(QPen(QColor(c.text)))
                text_rect = QRectF(x + size + 6, y, metrics.horizontalAdvance(text) + 4, line_height)
                painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position())
        if cell is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(event.globalPosition().toPoint(), day_tooltip(cell, self.today), self)
        super().mouseMoveEvent(event)
