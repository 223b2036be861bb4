"""The clinician report (PDF) for the physiotherapist or doctor.

Page 1 is the overview a clinician reads in a minute: who (an optional name or identifier), the period, the
sessions each week against the plan in force that week, pain before and after sessions with the values on
the chart, the trend with the weeks it is computed over, leg reach before and after sessions, the routine in
force at the end of the period and the safety figures at a glance. Page 2 (and a third for long periods)
holds the details: week by week, each exercise (completion, skips, "It hurts", after-exercise answers), why
sessions ended early, flare days, red-flag answers, the routine and plan changes, and the safety events.

Drawn with QPainter on Qt's own QPdfWriter (no WebEngine, no pyqtgraph), so it needs QtGui but never
QtWidgets; the command line makes a QGuiApplication on the offscreen platform when it has to. The figures
come from :mod:`sciatica_coach.services.report_data` (Qt-free, which reads the same snapshots as the Progress page
and `sciatica-coach stats`), the safety sentences from :mod:`sciatica_coach.services.progress_text`."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QTextOption,
)

from sciatica_coach import APP_NAME, __version__
from sciatica_coach.core.adherence import WeekRow
from sciatica_coach.core.clock import Clock
from sciatica_coach.core.model import LegReach, Outcome, SafetyEvent, SafetyEventKind
from sciatica_coach.core.outcomes import psfs_change, sbi_change
from sciatica_coach.i18n import source_language
from sciatica_coach.services.progress_data import SafetyOverview
from sciatica_coach.services.progress_text import (
    answers_sentence,
    event_counts_text,
    event_time,
    exercise_name,
    fmt_pct,
    long_date,
    plural,
    reach_sentence,
    red_flag_checks_sentence,
    red_flag_yes_lines,
    safety_event_text,
    short_date,
    this_week_text,
)
from sciatica_coach.services.report_data import (
    DEFAULT_REPORT_WEEKS,
    REACH_ORDER,
    ReportData,
    day_ranges,
    gather,
    routine_from_raw,
)
from sciatica_coach.storage.repository import Repository

__all__ = ["DEFAULT_REPORT_WEEKS", "ReportData", "gather", "render_report_pdf", "routine_lines"]

log = logging.getLogger(__name__)

PAGE_MARGIN_MM = 14
RESOLUTION_DPI = 72  # one device unit is one typographic point
BAR_CHART_HEIGHT_PT = 82
PAIN_CHART_HEIGHT_PT = 90
FOOTER_HEIGHT_PT = 22
EVENT_PT = 8  # the safety events' text size
TABLE_PT = 7.5  # the detail tables' text size
TABLE_ROW_PT = 11.0
EVENT_TIME_WIDTH_PT = 112  # "Wed 30 Sep 2026, 19:47" and a gap
EVENT_GAP_PT = 1.5
OUTCOME_ROWS = 16  # the latest check-ins in the report's outcome table
MIN_EVENTS_ROOM_PT = 100  # less room than this left for the safety events: they start a new page
LABEL_EVERY_WEEK_UP_TO = 13  # longer periods label every 4th week (and the last) on the charts
# Listed in the report however many events there are: a red-flag "yes", a doctor's clearance of one, and the
# advice to see a doctor because the pain was not getting better.
ALWAYS_LISTED = frozenset(
    {SafetyEventKind.RED_FLAG_ANSWERS, SafetyEventKind.DOCTOR_CLEARED, SafetyEventKind.NOT_IMPROVING}
)
REACH_WORDS = {LegReach.NONE: "none", LegReach.BUTTOCK: "buttock", LegReach.THIGH: "thigh",
               LegReach.KNEE: "knee", LegReach.CALF: "calf", LegReach.FOOT: "foot"}  # fmt: skip


@dataclass(frozen=True)
class PrintColors:
    """Print colours (the report is always light, whatever the app's theme); the same hues as the light
    theme in views/theme.py, kept here because the report must not import QtWidgets."""

    text: str = "#1b1b1b"
    muted: str = "#4d4b47"
    rule: str = "#cfcac1"
    panel: str = "#f4f2ee"
    completed: str = "#0b6b66"
    partial: str = "#c98a1e"
    target: str = "#4d4b47"
    back: str = "#1b1b1b"
    leg: str = "#b3261e"
    flare: str = "#e9e1d3"


INK = PrintColors()


def ensure_gui_application() -> QGuiApplication:
    """The running Qt application, or a new QGuiApplication (offscreen on Linux, where a report needs no
    display). Never a QApplication: the report does not use widgets."""
    existing = QGuiApplication.instance()
    if isinstance(existing, QGuiApplication):
        return existing
    if sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication([sys.argv[0] if sys.argv else "sciatica-coach"])
    _keep_alive.append(app)
    return app


_keep_alive: list[QGuiApplication] = []


def routine_lines(repo: Repository) -> str:
    """The person's stored routine in one line, read tolerantly; the default when there is none."""
    return routine_from_raw(repo.state("routine"))


def render_report_pdf(
    repo: Repository, clock: Clock | None = None, weeks: int = DEFAULT_REPORT_WEEKS, name: str = ""
) -> bytes:
    """The report as PDF bytes (write them with an atomic write). Always English (docs/translating.md), also
    when the app that makes it shows another language. `name` is the optional name or identifier printed at
    the top; without one, a line is left to write it by hand."""
    ensure_gui_application()
    with source_language():
        data = gather(repo, clock, weeks, name)
        pages = _render(data, None)[1]  # a first pass counts the pages, for "page 1 of 2"
        return _render(data, pages)[0]


def _render(data: ReportData, pages: int | None) -> tuple[bytes, int]:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle("Sciatica Coach — exercise and pain summary")
    writer.setCreator(f"{APP_NAME} {__version__}")
    writer.setResolution(RESOLUTION_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(PAGE_MARGIN_MM, PAGE_MARGIN_MM, PAGE_MARGIN_MM, PAGE_MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter(writer)
    try:
        drawer = _Drawer(painter, QRectF(0, 0, writer.width(), writer.height()), writer.newPage, pages)
        drawer.draw(data)
    finally:
        painter.end()
    blob: QByteArray = buffer.data()
    return bytes(blob.data()), drawer.page_number


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # share of the page width
    right: bool = True  # numbers right-aligned; words left


class _Drawer:
    def __init__(
        self, painter: QPainter, page: QRectF, new_page: Callable[[], bool], pages: int | None
    ) -> None:
        self.p = painter
        self.page = page
        self.y = page.top()
        self._new_page = new_page
        self.pages = pages
        self.page_number = 1
        self.name = ""
        self.p.setRenderHint(QPainter.RenderHint.Antialiasing)

    # ---- text helpers -------------------------------------------------------------------------------
    def font(self, size: float, bold: bool = False) -> QFont:
        font = QFont("DejaVu Sans")
        font.setStyleHint(QFont.StyleHint.SansSerif)
        font.setPointSizeF(size)
        font.setBold(bold)
        return font

    def text(
        self, text: str, size: float = 9.5, *, bold: bool = False, color: str = INK.text, gap: float = 3,
        rect: QRectF | None = None, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft, indent: float = 0,
    ) -> float:  # fmt: skip
        """Draw wrapped text at the cursor (or in `rect`); returns the height used."""
        font = self.font(size, bold)
        self.p.setFont(font)
        self.p.setPen(QColor(color))
        area = rect or QRectF(
            self.page.left() + indent, self.y, self.page.width() - indent, self.bottom - self.y
        )
        flags = int(align | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap)
        bounds = self.p.boundingRect(area, flags, text)
        self.p.drawText(area, flags, text)
        if rect is None:
            self.y += bounds.height() + gap
        return bounds.height()

    def heading(self, text: str, room: float = 40) -> None:
        """A section heading, on a new page when less than `room` points would follow it."""
        self.need(room + 22)
        self.y += 6
        self.text(text, 11, bold=True, gap=3)

    def rule(self) -> None:
        self.p.setPen(QPen(QColor(INK.rule), 0.8))
        self.p.drawLine(QPointF(self.page.left(), self.y), QPointF(self.page.right(), self.y))
        self.y += 4

    @property
    def bottom(self) -> float:
        return self.page.bottom() - FOOTER_HEIGHT_PT - 4

    def need(self, height: float) -> None:
        """Start a new page when `height` points do not fit above the footer."""
        if self.y + height > self.bottom:
            self.next_page()

    def next_page(self) -> None:
        self._footer()
        self._new_page()
        self.page_number += 1
        self.y = self.page.top()
        self.text("Exercise and pain summary — details" + (f" · {self.name}" if self.name else ""), 9,
                  bold=True, color=INK.muted, gap=4)  # fmt: skip
        self.rule()

    def _height(self, text: str, size: float, width: float | None = None) -> float:
        """The height `text` takes across the page (or `width`), wrapped, with `self.text`'s gap of 2."""
        if not text:
            return 0.0
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap)
        self.p.setFont(self.font(size))
        area = QRectF(self.page.left(), 0, width or self.page.width(), 10000)
        return self.p.boundingRect(area, flags, text).height() + 2

    def lines(self, lines: Sequence[str], size: float = 9, bullet: str = "• ") -> None:
        for line in lines:
            self.need(self._height(line, size))
            self.text(bullet + line, size, gap=1.5, indent=0)

    # ---- page 1 -------------------------------------------------------------------------------------
    def draw(self, data: ReportData) -> None:
        self.name = data.name
        top = self.y
        self.text("Exercise and pain summary", 18, bold=True, gap=1)
        self.text(f"From {APP_NAME}, for the physiotherapist or doctor", 9.5, color=INK.muted, gap=3)
        self.text(f"Made on {long_date(data.made_on)}", 9.5, color=INK.muted,
                  rect=QRectF(self.page.left(), top + 6, self.page.width(), 20), align=Qt.AlignmentFlag.AlignRight)  # fmt: skip
        self._name_line(data.name)
        weeks = len(data.rows)
        self.text(
            f"Period: {long_date(data.period_start)} to {long_date(data.made_on)} ({plural(weeks, 'week')}; "
            f"numbered 1–{weeks} below, week {weeks} still in progress). "
            f"Programme started {long_date(data.plan_start)}.",
            9, gap=5,
        )  # fmt: skip
        self.rule()
        self._figures(data)
        self.heading("Sessions each week, against the plan in force that week", BAR_CHART_HEIGHT_PT)
        self._bar_chart(data, BAR_CHART_HEIGHT_PT)
        self._legend([("completed", "Done"), ("partial", "Partial (ended early or stopped)"),
                      ("target", "Planned that week"), ("flare", "Week with flare days")])  # fmt: skip
        self.text("Under each week: sessions done (+ partial) / planned, and the adherence (a partial session "
                  "counts half).", 7, color=INK.muted, gap=0)  # fmt: skip
        self.heading("Pain before and after sessions (weekly mean, 0–10)", PAIN_CHART_HEIGHT_PT)
        self._pain_chart(data, PAIN_CHART_HEIGHT_PT)
        self._legend([("back", "Back, before"), ("leg", "Leg, before"), ("after", "After sessions (dashed)")])
        self._pain_words(data)
        self.heading("How far down the leg symptoms reached (number of sessions)", 50)
        self._reach(data)
        self.heading("Routine at the end of the period", 24)
        self.text(data.routine, 8, gap=2)
        self.text(f"Affected side: {data.affected_side}", 8, gap=2)
        changes = sum(1 for change in data.changes if change.is_change)
        if changes:
            self.text(f"{plural(changes, 'routine or plan change')} in the period: see “Routine and plan changes” "
                      "in the details.", 8, color=INK.muted, gap=2)  # fmt: skip
        self.heading("Safety at a glance", 30)
        self.lines(self._glance(data), 8)
        # ---- page 2: the details ----
        self.next_page()
        self._week_table(data)
        self._exercise_table(data)
        self._stops(data)
        self._flares_and_red_flags(data)
        self._changes(data)
        self._outcomes(data)
        self._sitting_breaks(data)
        self.heading("Safety events", 40)
        self._safety(data.safety)
        self._footer()

    def _name_line(self, name: str) -> None:
        label = "Name or identifier: "
        self.p.setFont(self.font(10))
        width = QFontMetricsF(self.font(10), self.p.device()).horizontalAdvance(label)
        self.text(label, 10, color=INK.muted, rect=QRectF(self.page.left(), self.y, width + 4, 16))
        if name:
            self.text(name, 10.5, bold=True, rect=QRectF(self.page.left() + width, self.y - 0.5, 360, 16))
        else:  # a line to write on
            self.p.setPen(QPen(QColor(INK.muted), 0.6))
            x = self.page.left() + width
            self.p.drawLine(QPointF(x, self.y + 12), QPointF(x + 230, self.y + 12))
        self.y += 19

    def _figures(self, data: ReportData) -> None:
        summary = data.summary
        boxes = [
            ("Sessions in the period", f"{data.done} of {data.planned}",
             f"+ {data.partial} partial\nadherence {fmt_pct(data.period_pct)}"),
            ("Last 4 weeks", fmt_pct(summary.adherence_4w_pct), f"adherence\nthis week {this_week_text(summary)}"),
            ("Streak (days plan met)", plural(summary.current_streak, "day"), f"best {summary.best_streak}\nflare days don't break it"),
            ("Habit score", f"{summary.score_pct:.0f}%", "rises with consistency\n(0–100%)"),
        ]  # fmt: skip
        gap = 8.0
        width = (self.page.width() - gap * 3) / 4
        height = 54.0
        for index, (title, value, note) in enumerate(boxes):
            rect = QRectF(self.page.left() + index * (width + gap), self.y + 2, width, height)
            self.p.setPen(Qt.PenStyle.NoPen)
            self.p.setBrush(QColor(INK.panel))
            self.p.drawRoundedRect(rect, 5, 5)
            inner = rect.adjusted(8, 5, -8, -4)
            used = self.text(title, 8, color=INK.muted, rect=inner)
            used += self.text(value, 14, bold=True, rect=inner.adjusted(0, used + 1, 0, 0))
            self.text(note, 7.5, color=INK.muted, rect=inner.adjusted(0, used + 2, 0, 0))
        self.y += height + 4

    def _plot_area(self, height: float, bottom_pad: float = 16.0) -> QRectF:
        left_pad, right_pad = 30.0, 6.0
        area = QRectF(self.page.left() + left_pad, self.y + 4, self.page.width() - left_pad - right_pad,
                      height - bottom_pad)  # fmt: skip
        self.y += height + 4
        return area

    def _axis(self, area: QRectF, top: float, ticks: Sequence[float]) -> None:
        self.p.setFont(self.font(7.5))
        for value in ticks:
            y = area.bottom() - area.height() * value / top
            self.p.setPen(QPen(QColor(INK.rule), 0.5))
            self.p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            self.p.setPen(QColor(INK.muted))
            self.p.drawText(QRectF(area.left() - 30, y - 6, 26, 12),
                            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), f"{value:g}")  # fmt: skip

    @staticmethod
    def _labelled(count: int) -> set[int]:
        """The weeks whose values are written on the charts, counting back from the last: all of up to 13, so
        at most about 13 (every 2nd of 26 weeks, every 4th of 52, every 8th of 104 ...)."""
        step = -(-count // LABEL_EVERY_WEEK_UP_TO)  # ceiling division
        return set(range(count - 1, -1, -step))

    def _x_labels(self, area: QRectF, rows: Sequence[WeekRow], numbers: bool = False) -> float:
        """Under each labelled week the Monday it starts on, and with `numbers` its number in the report (the
        number the week table on page 2 uses) above it. Returns the height used below the plot."""
        slot = area.width() / max(1, len(rows))
        self.p.setPen(QColor(INK.muted))
        for i in sorted(self._labelled(len(rows))):
            x = area.left() + slot * (i + 0.5)
            y = area.bottom() + 2
            if numbers:
                self.p.setFont(self.font(7, bold=True))
                number = f"{i + 1}" + ("*" if rows[i].in_progress else "")
                self.p.drawText(QRectF(x - 20, y, 40, 10), int(Qt.AlignmentFlag.AlignHCenter), number)
                y += 9
            self.p.setFont(self.font(7))
            self.p.drawText(
                QRectF(x - 20, y, 40, 10), int(Qt.AlignmentFlag.AlignHCenter), short_date(rows[i].start)
            )
        return 20.0 if numbers else 11.0

    def _bar_chart(self, data: ReportData, height: float) -> None:
        rows = data.rows
        area = self._plot_area(height + 30, bottom_pad=46)
        top = max([1, *(r.target for r in rows), *(r.completed + r.partial for r in rows)])
        top = ((top + 3) // 4) * 4 + (4 if top % 4 == 0 else 0)
        count = len(rows)
        slot = area.width() / max(1, count)
        for i, row in enumerate(rows):  # flare weeks shaded behind the bars
            if row.excused_days:
                self.p.setPen(Qt.PenStyle.NoPen)
                self.p.setBrush(QColor(INK.flare))
                self.p.drawRect(QRectF(area.left() + slot * i, area.top(), slot, area.height()))
        self._axis(area, top, range(0, top + 1, max(2, top // 4)))
        bar = slot * 0.68
        labelled = self._labelled(count)
        for i, row in enumerate(rows):
            x = area.left() + slot * i + (slot - bar) / 2
            done_h = area.height() * row.completed / top
            part_h = area.height() * row.partial / top
            alpha = 110 if row.in_progress else 255
            for color, y0, h in ((INK.completed, 0.0, done_h), (INK.partial, done_h, part_h)):
                if h <= 0:
                    continue
                fill = QColor(color)
                fill.setAlpha(alpha)
                self.p.setPen(Qt.PenStyle.NoPen)
                self.p.setBrush(QBrush(fill))
                self.p.drawRect(QRectF(x, area.bottom() - y0 - h, bar, h))
            if row.in_progress:
                self.p.setPen(QPen(QColor(INK.text), 0.8, Qt.PenStyle.DashLine))
                self.p.setBrush(Qt.BrushStyle.NoBrush)
                self.p.drawRect(QRectF(x, area.bottom() - done_h - part_h, bar, done_h + part_h))
            if i in labelled:  # done (+partial) of planned, and the adherence, under the week
                self.p.setFont(self.font(7))
                self.p.setPen(QColor(INK.text))
                label = f"{row.completed}" + (f"+{row.partial}" if row.partial else "") + f"/{row.target}"
                self.p.drawText(QRectF(x - 16, area.bottom() + 22, bar + 32, 10),
                                int(Qt.AlignmentFlag.AlignHCenter), label)  # fmt: skip
                self.p.setFont(self.font(7, bold=True))
                self.p.drawText(QRectF(x - 16, area.bottom() + 32, bar + 32, 10),
                                int(Qt.AlignmentFlag.AlignHCenter), fmt_pct(row.adherence_pct))  # fmt: skip
        path = QPainterPath()
        for i, row in enumerate(rows):
            y = area.bottom() - area.height() * row.target / top
            left, right = area.left() + slot * i, area.left() + slot * (i + 1)
            if i == 0:
                path.moveTo(left, y)
            else:
                path.lineTo(left, y)
            path.lineTo(right, y)
        self.p.setPen(QPen(QColor(INK.target), 1.4, Qt.PenStyle.DashLine))
        self.p.setBrush(Qt.BrushStyle.NoBrush)
        self.p.drawPath(path)
        self._x_labels(area, rows, numbers=True)
        self.p.setFont(self.font(7))
        self.p.setPen(QColor(INK.muted))
        for offset, words in ((2, "Week"), (22, "Done"), (32, "Adh.")):
            self.p.drawText(QRectF(self.page.left() - 2, area.bottom() + offset, 30, 10),
                            int(Qt.AlignmentFlag.AlignLeft), words)  # fmt: skip

    def _pain_chart(self, data: ReportData, height: float) -> None:
        rows = data.rows
        area = self._plot_area(height)
        self._axis(area, 10, (0, 2, 4, 6, 8, 10))
        slot = area.width() / max(1, len(rows))
        labelled = self._labelled(len(rows))
        series = (
            ("back", [r.back_pain_mean for r in rows], [e.back_after for e in data.extras], -1),
            ("leg", [r.leg_pain_mean for r in rows], [e.leg_after for e in data.extras], 1),
        )
        legs = [r.leg_pain_mean for r in rows]
        backs = [r.back_pain_mean for r in rows]
        for key, before, after, _side in series:
            color = QColor(getattr(INK, key))
            for values, dashed in ((after, True), (before, False)):
                points = [
                    (i, QPointF(area.left() + slot * (i + 0.5), area.bottom() - area.height() * v / 10))
                    for i, v in enumerate(values)
                    if v is not None
                ]
                if not points:
                    continue
                self.p.setPen(
                    QPen(
                        color,
                        1.0 if dashed else 1.8,
                        Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine,
                    )
                )
                self.p.setBrush(Qt.BrushStyle.NoBrush)
                self.p.drawPolyline([point for _, point in points])
                if dashed:
                    continue
                self.p.setBrush(color)
                self.p.setPen(Qt.PenStyle.NoPen)
                for _, point in points:
                    if key == "back":
                        self.p.drawRect(QRectF(point.x() - 2.3, point.y() - 2.3, 4.6, 4.6))
                    else:
                        self.p.drawEllipse(point, 2.6, 2.6)
                self.p.setFont(self.font(6.5, bold=True))
                self.p.setPen(color)
                for i, point in points:
                    if i not in labelled:
                        continue
                    other = backs[i] if key == "leg" else legs[i]
                    value = values[i]
                    assert value is not None
                    # the higher line's label above, the other's below (leg below back when they are equal)
                    above = other is None or value > other or (value == other and key == "back")
                    y = point.y() - 12 if above else point.y() + 4
                    text = f"{value:.1f}"
                    width = QFontMetricsF(self.p.font(), self.p.device()).horizontalAdvance(text) + 2
                    self.p.fillRect(
                        QRectF(point.x() - width / 2, y + 0.5, width, 8.5), QColor(255, 255, 255, 225)
                    )
                    self.p.drawText(
                        QRectF(point.x() - 14, y, 28, 9), int(Qt.AlignmentFlag.AlignHCenter), text
                    )
        self._x_labels(area, rows)

    def _legend(self, entries: Sequence[tuple[str, str]]) -> None:
        x = self.page.left() + 30
        font = self.font(8)
        metrics = QFontMetricsF(font, self.p.device())
        self.p.setFont(font)
        for key, text in entries:
            color = QColor(getattr(INK, "text" if key == "after" else key))
            self.p.setPen(Qt.PenStyle.NoPen)
            self.p.setBrush(color)
            if key in ("target", "after"):
                self.p.setPen(QPen(color, 1.4 if key == "target" else 1.0, Qt.PenStyle.DashLine))
                self.p.drawLine(QPointF(x, self.y + 5), QPointF(x + 12, self.y + 5))
            elif key == "leg":
                self.p.drawEllipse(QPointF(x + 6, self.y + 5), 3.5, 3.5)
            else:
                self.p.drawRect(QRectF(x + 2, self.y + 1, 8, 8))
            self.p.setPen(QColor(INK.text))
            self.p.drawText(QPointF(x + 16, self.y + 8.5), text)
            x += 16 + metrics.horizontalAdvance(text) + 16
        self.y += 13

    def _pain_words(self, data: ReportData) -> None:
        lines = data.trend_sentences()
        if data.pain_pairs:
            leg, back = data.leg_after_change or 0.0, data.back_after_change or 0.0
            lines.append(
                f"After sessions compared with before ({plural(data.pain_pairs, 'session')} rated both): "
                f"leg {leg:+.1f}, back {back:+.1f} points on average (negative: less pain after)."
            )
        else:
            lines.append("No session in the period has pain rated both before and after.")
        self.lines(lines, 8)

    def _reach(self, data: ReportData) -> None:
        columns = [Column("Leg symptoms reached", 0.3, right=False)]
        columns += [Column(REACH_WORDS[reach], 0.1) for reach in REACH_ORDER]
        rows = [
            ["before the session", *(str(data.reach_before[r]) for r in REACH_ORDER)],
            ["after the session", *(str(data.reach_after[r]) for r in REACH_ORDER)],
        ]
        self._table(columns, rows, width=0.72)
        sentence = reach_sentence(data.safety)
        if not sentence:
            sentence = (
                "Leg symptoms never reached further down after a session than before it."
                if data.pain_pairs
                else "No session in the period has leg reach rated both before and after."
            )
        self.text(sentence, 8.5, gap=1)

    def _glance(self, data: ReportData) -> list[str]:
        yes = [e for e in data.safety.events if e.kind is SafetyEventKind.RED_FLAG_ANSWERS]
        checks = data.safety.red_flag_checks
        red = f"Red-flag questions answered {plural(checks, 'time')}; " + (
            f"“yes” on {', '.join(short_date(e.at.date()) for e in yes)}." if yes else "never a “yes”."
        )
        stops = sum(row.safety_stops for row in data.rows)
        ended = data.partial - stops
        spread = sum(e.down for e in data.exercises)
        flare = len(data.flare_days)
        return [
            red,
            f"Sessions stopped for safety: {stops}; ended early for other reasons: {ended}.",
            f"“It hurts” pressed {plural(data.count(SafetyEventKind.IT_HURTS), 'time')}; leg symptoms "
            f"spread further down after an exercise {plural(spread, 'time')}.",
            f"Flare days (excused from the plan): {flare}." if flare else "No flare days.",
            *data.keeping_the_habit,
            *self._see_doctor_glance(data),
        ]

    @staticmethod
    def _see_doctor_glance(data: ReportData) -> list[str]:
        """The app's advice to see a doctor because the pain was not getting better, when it was given."""
        seen = [e for e in data.safety.events if e.kind is SafetyEventKind.NOT_IMPROVING]
        if not seen:
            return []
        days = ", ".join(short_date(e.at.date()) for e in seen)
        return [
            f"Advised to see a doctor or physiotherapist as the pain or the weekly check-ins were not getting better: {days}."
        ]

    # ---- page 2 -------------------------------------------------------------------------------------
    def _table(
        self, columns: Sequence[Column], rows: Sequence[Sequence[str]], width: float = 1.0,
        shade: Sequence[bool] = (),
    ) -> None:  # fmt: skip
        """A table at the cursor, its header repeated on a new page. Text too long for its column (a column
        of words, not of numbers, below the header) wraps at a space, or anywhere in a word longer than the
        column, and its row grows to hold it."""
        total = self.page.width() * width
        widths = [c.width / sum(c.width for c in columns) * total for c in columns]

        def option(column: Column, header: bool) -> QTextOption:
            align = Qt.AlignmentFlag.AlignRight if column.right else Qt.AlignmentFlag.AlignLeft
            text = QTextOption(align)
            wraps = not column.right and not header
            text.setWrapMode(
                QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere if wraps else QTextOption.WrapMode.NoWrap
            )
            return text

        body, head = [option(c, False) for c in columns], [option(c, True) for c in columns]

        def heights(cells: Sequence[str], bold: bool) -> list[float]:
            self.p.setFont(self.font(TABLE_PT, bold))
            options = head if bold else body
            return [self.p.boundingRect(QRectF(0, 0, w - 5, 10000), cell, o).height()
                    for cell, w, o in zip(cells, widths, options, strict=True)]  # fmt: skip

        def row_height(cells: Sequence[str], bold: bool) -> float:  # one line: TABLE_ROW_PT, as it was
            self.p.setFont(self.font(TABLE_PT, bold))
            line = self.p.boundingRect(QRectF(0, 0, 1000, 100), "Xg", body[0]).height()
            return TABLE_ROW_PT + max(0.0, max(heights(cells, bold), default=0.0) - line)

        def row_line(cells: Sequence[str], bold: bool, fill: str | None) -> None:
            height = row_height(cells, bold)
            if fill:
                self.p.setPen(Qt.PenStyle.NoPen)
                self.p.setBrush(QColor(fill))
                self.p.drawRect(QRectF(self.page.left(), self.y, total, height))
            x = self.page.left()
            self.p.setPen(QColor(INK.text))
            options = head if bold else body
            for cell, w, o, used in zip(cells, widths, options, heights(cells, bold), strict=True):
                self.p.drawText(QRectF(x + 2, self.y + (height - used) / 2, w - 5, used), cell, o)
                x += w
            self.y += height

        def header() -> None:
            row_line([c.title for c in columns], True, None)
            self.p.setPen(QPen(QColor(INK.rule), 0.8))
            self.p.drawLine(QPointF(self.page.left(), self.y), QPointF(self.page.left() + total, self.y))

        self.need(TABLE_ROW_PT * 3)
        header()
        for index, cells in enumerate(rows):
            if self.y + row_height(cells, False) > self.bottom:
                self.next_page()
                header()
            shaded = index < len(shade) and shade[index]
            row_line(cells, False, INK.flare if shaded else (INK.panel if index % 2 else None))
        self.y += 3

    def _week_table(self, data: ReportData) -> None:
        self.heading("Week by week", 60)
        self.text("Planned: the sessions the plan in force that week asked for (0 on flare days). Pain: weekly "
                  "mean before → after sessions. Reach: the middle answer before → after.", 7.5,
                  color=INK.muted, gap=2)  # fmt: skip
        columns = [
            Column("Week", 0.55), Column("From", 0.65, right=False), Column("Planned", 0.8), Column("Done", 0.55),
            Column("Partial", 0.7), Column("Adherence", 1.0), Column("Back", 0.8), Column("Leg", 0.8),
            Column("Reach", 1.4, right=False), Column("Flare days", 0.9), Column("Safety stops", 1.1),
        ]  # fmt: skip

        def pair(before: float | None, after: float | None) -> str:
            if before is None and after is None:
                return "–"
            return (
                f"{'–' if before is None else f'{before:.1f}'} → {'–' if after is None else f'{after:.1f}'}"
            )

        def reach(before: LegReach | None, after: LegReach | None) -> str:
            if before is None and after is None:
                return "–"
            return f"{REACH_WORDS[before] if before else '–'} → {REACH_WORDS[after] if after else '–'}"

        rows = [
            [f"{i + 1}" + ("*" if row.in_progress else ""), short_date(row.start), str(row.target),
             str(row.completed), str(row.partial), fmt_pct(row.adherence_pct),
             pair(row.back_pain_mean, extra.back_after), pair(row.leg_pain_mean, extra.leg_after),
             reach(extra.reach_before, extra.reach_after), str(row.excused_days), str(row.safety_stops)]
            for i, (row, extra) in enumerate(zip(data.rows, data.extras, strict=True))
        ]  # fmt: skip
        self._table(columns, rows, shade=[row.excused_days > 0 for row in data.rows])
        self.text(
            "* this week, still in progress. Shaded: a week with flare days.", 7, color=INK.muted, gap=1
        )

    def _exercise_table(self, data: ReportData) -> None:
        self.heading("Each exercise", 50)
        if not data.exercises:
            self.text("No exercises were recorded in the period.", 8.5)
            return
        self.text("In: sessions that included it. Done: all sets and repetitions; part: some; skipped: skipped "
                  "or not reached. After it, leg symptoms went: down (spread further down), same, up (moved "
                  "up towards the back), or the question was not answered.", 7.5, color=INK.muted, gap=2)  # fmt: skip
        columns = [
            Column("Exercise", 2.0, right=False), Column("In", 0.45), Column("Done", 0.5), Column("%", 0.5),
            Column("Part", 0.45), Column("Skipped", 0.7), Column("“It hurts”", 0.75), Column("Down", 0.5),
            Column("Same", 0.5), Column("Up", 0.4), Column("Not answered", 1.1),
        ]  # fmt: skip
        rows = [
            [exercise_name(e.exercise_id).capitalize(), str(e.in_sessions), str(e.full), fmt_pct(e.done_pct),
             str(e.part), str(e.skipped), str(e.it_hurts), str(e.down), str(e.same), str(e.up),
             str(e.unanswered)]
            for e in data.exercises
        ]  # fmt: skip
        self._table(columns, rows)

    def _stops(self, data: ReportData) -> None:
        self.heading("Why sessions ended early", 30)
        if not data.stops:
            done = "Every session in the period was completed." if data.done else "No sessions in the period."
            self.text(done, 8.5)
            return
        lines = []
        for stop in data.stops:
            kind = "Stopped for safety" if stop.outcome is Outcome.SAFETY_STOP else "Ended early"
            days = ("latest: " if len(stop.days) > 6 else "") + ", ".join(
                short_date(d) for d in stop.days[-6:]
            )
            lines.append(f"{kind}: {stop.reason.rstrip('.')} — {plural(stop.times, 'time')} ({days}).")
        self.lines(lines, 8)

    def _flares_and_red_flags(self, data: ReportData) -> None:
        self.heading("Flare days and red-flag answers", 30)
        if data.flare_days:
            spans = [short_date(a) if a == b else f"{short_date(a)}–{short_date(b)}"
                     for a, b in day_ranges(data.flare_days)]  # fmt: skip
            flare = (
                f"Flare days (excused from the plan, no target): {len(data.flare_days)} — {', '.join(spans)}."
            )
        else:
            flare = "No flare days in the period."
        lines = [flare]
        checks = red_flag_checks_sentence(data.safety) or "No red-flag questions were answered in the period."
        lines.append(checks)
        for event in data.red_flag_yes:
            when = event_time(event.at, long=True)
            if event.kind is SafetyEventKind.DOCTOR_CLEARED:
                lines.append(f"{when}: confirmed that a doctor has said the exercises can go on.")
            else:
                lines += [f"{when}: {line}" for line in red_flag_yes_lines(event.flags)]
        self.lines(lines, 8)

    def _changes(self, data: ReportData) -> None:
        self.heading("Routine and plan changes", 30)
        if not data.changes:
            self.text("No changes to the routine or the reminder plan in the period.", 8.5)
        else:
            columns = [Column("Date", 0.95, right=False), Column("What changed", 3.45, right=False),
                       Column("Reason", 1.6, right=False)]  # fmt: skip
            widths = [self.page.width() * c.width / 6.0 for c in columns]
            self.need(TABLE_ROW_PT * 2)
            self._table(columns, [])
            self.y -= 3
            for change in data.changes:
                cells = [long_date(change.on), change.what, change.reason]
                height = max(self._height(c, TABLE_PT, w - 5) for c, w in zip(cells, widths, strict=True))
                self.need(height + 2)
                x = self.page.left()
                for cell, w in zip(cells, widths, strict=True):
                    self.text(cell, TABLE_PT, rect=QRectF(x + 2, self.y + 1, w - 5, height))
                    x += w
                self.y += height + 1

    def _outcomes(self, data: ReportData) -> None:
        """The clinicians' measures by date: SBI totals, PSFS averages, sitting and walking tolerance, with what
        is known of a meaningful change (core/outcomes.py; docs/safety.md, "Outcome measures")."""
        self.heading("Outcome measures", 40)
        checkins = list(data.outcomes)[-OUTCOME_ROWS:]
        if not checkins:
            self.text(
                "No Sciatica Bothersomeness Index or Patient-Specific Functional Scale answers yet.", 8.5
            )
            return
        self.text("SBI: Sciatica Bothersomeness Index (Patrick et al. 1995), four items over the last week, 0–6 "
                  "each, total 0–24, lower is better. PSFS: Patient-Specific Functional Scale (Stratford et al. "
                  "1995), the person's own activities rated 0 (unable) to 10 (as before the problem), average; "
                  "higher is better. Tolerance: the person's estimate of minutes before the leg complains.",
                  7.5, color=INK.muted, gap=2)  # fmt: skip
        columns = [Column("Date", 0.9, right=False), Column("SBI (0–24)", 0.8), Column("PSFS (0–10)", 0.8),
                   Column("PSFS activities", 2.6, right=False), Column("Sitting", 0.65),
                   Column("Walking", 0.65)]  # fmt: skip
        rows = [
            [short_date(c.day), "–" if c.sbi_total is None else str(c.sbi_total),
             "–" if c.psfs_average is None else f"{c.psfs_average:.1f}",
             "; ".join(f"{a.name} {a.rating}" for a in c.psfs or ()) or "–",
             "–" if c.sitting_min is None else f"{c.sitting_min} min",
             "–" if c.walking_min is None else f"{c.walking_min} min"]
            for c in checkins
        ]  # fmt: skip
        self._table(columns, rows)
        notes = ["PSFS: about 2 points in the average (3 for a single activity) is the minimum detectable change "
                 "(90% confidence) given with the published scale (Stratford et al. 1995), commonly used as the "
                 "threshold for a real change.",
                 "SBI: we could not confirm an agreed minimal important change; Haugen et al. 2011 proposed a total "
                 "of 6.5 or less at 12 months as a cut-off for success. Read the trend over several weeks rather "
                 "than a single week. Answers are self-reported at home, not taken in clinic."]  # fmt: skip
        psfs = psfs_change(list(data.outcomes))
        sbi = sbi_change(list(data.outcomes))
        if psfs is not None:
            notes.insert(0, f"PSFS average: {psfs:+.1f} since the first rating.")
        if sbi is not None:
            notes.insert(0, f"SBI total: {sbi:+d} since the first answer.")
        self.lines(notes, 8)

    def _sitting_breaks(self, data: ReportData) -> None:
        """Sitting breaks per week, beside the sitting tolerance above: how often the person got up when the
        app's card asked, from the first week with an answer. Nothing when there were none in the period."""
        weeks = list(data.sitting_breaks)
        if not weeks:
            return
        first = next(i for i, w in enumerate(weeks) if w.taken or w.skipped)
        shown = weeks[first:]
        self.heading("Sitting breaks at the computer", TABLE_ROW_PT * (len(shown) + 3))
        taken, skipped = sum(w.taken for w in weeks), sum(w.skipped for w in weeks)
        share = f" ({fmt_pct(100 * taken / (taken + skipped))} taken)" if taken + skipped else ""
        self.text(
            "After a stretch of computer use the app offers a short break card (walk, posture check or back "
            "bends); taken: the person got up and moved, skipped: they stayed seated. In the period: "
            f"{plural(taken, 'break')} taken, {skipped} skipped{share}.",
            7.5, color=INK.muted, gap=2,
        )  # fmt: skip
        rows = [
            [f"{first + i + 1}" + ("*" if row.in_progress else ""), short_date(week.start), str(week.taken),
             str(week.skipped)]
            for i, (row, week) in enumerate(zip(data.rows[first:], shown, strict=True))
        ]  # fmt: skip
        columns = [Column("Week", 0.5), Column("From", 0.7, right=False), Column("Taken", 0.6),
                   Column("Skipped", 0.7)]  # fmt: skip
        self._table(columns, rows, width=0.42)

    def _safety(self, safety: SafetyOverview) -> None:
        """The period's safety events in a two-column list (when, what happened), oldest first, with the room
        left on this page and one more. When they do not all fit, all are counted per week and the latest are
        listed, red-flag checks with a "yes" and a doctor's clearance of them first of all."""
        events = list(safety.events)
        answers = answers_sentence(safety)
        if answers:
            self.text(answers, 8, gap=2)
        if not events:
            self.text("No safety events in this period.", 8.5)
            return
        rows = [(event, self._event_row_height(event)) for event in events]
        if self.bottom - self.y < MIN_EVENTS_ROOM_PT:
            self.next_page()
        room_total = self.bottom - self.y
        intro = ""
        if sum(height for _, height in rows) > room_total:
            intro = (
                f"{len(events)} safety events. {event_counts_text(events)} "
                "Listed: every red-flag check with a “yes” and every doctor's clearance, then the latest others "
                "({n} in all):"
            )
            room = room_total - self._height(intro.format(n=len(events)), 8) - 4
            by_priority = sorted(
                rows, key=lambda row: (row[0].kind not in ALWAYS_LISTED, -row[0].at.timestamp())
            )
            kept = []
            for row in by_priority:
                if row[1] > room:
                    if row[0].kind in ALWAYS_LISTED:
                        continue  # a shorter, later one may still fit
                    break  # the latest ones, without gaps
                kept.append(row)
                room -= row[1]
            rows = sorted(kept, key=lambda row: row[0].at)
            intro = intro.format(n=len(rows))
        if intro:
            self.text(intro, 8, gap=2)
        for event, height in rows:
            self.need(height)
            when, what = self._event_rects(height)
            self.text(event_time(event.at, long=True), EVENT_PT, rect=when)
            self.text(safety_event_text(event), EVENT_PT, rect=what)
            self.y += height

    def _event_rects(self, height: float = 1000) -> tuple[QRectF, QRectF]:
        left, width = self.page.left(), self.page.width()
        return (
            QRectF(left, self.y, EVENT_TIME_WIDTH_PT, height),
            QRectF(left + EVENT_TIME_WIDTH_PT, self.y, width - EVENT_TIME_WIDTH_PT, height),
        )

    def _event_row_height(self, event: SafetyEvent) -> float:
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap)
        self.p.setFont(self.font(EVENT_PT))
        _, what = self._event_rects()
        return self.p.boundingRect(what, flags, safety_event_text(event)).height() + EVENT_GAP_PT

    def _footer(self) -> None:
        text = (
            "From the person's own records in Sciatica Coach. Pain is rated 0–10 before and after each session; "
            "a change of 2 points or more is usually considered meaningful. Guidance for a conversation, not a "
            "diagnosis."
        )
        rect = QRectF(
            self.page.left(), self.page.bottom() - FOOTER_HEIGHT_PT, self.page.width(), FOOTER_HEIGHT_PT
        )
        if self.y > rect.top():
            log.warning("The report ran past the footer (y=%.0f)", self.y)
        self.p.setPen(QPen(QColor(INK.rule), 0.8))
        self.p.drawLine(rect.topLeft(), rect.topRight())
        self.p.setFont(self.font(7))
        self.p.setPen(QColor(INK.muted))
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom) | int(Qt.TextFlag.TextWordWrap)
        self.p.drawText(rect.adjusted(0, 0, -70, 0), flags, text)
        page = f"Page {self.page_number}" + (f" of {self.pages}" if self.pages else "")
        self.p.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom), page)
