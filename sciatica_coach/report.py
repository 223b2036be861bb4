"""The one-page PDF report for the physiotherapist or doctor: period, routine, weekly adherence chart, pain
trend, symptom notes (with leg reach before and after sessions and the after-exercise answers) and the safety
events of the period (red-flag "yes" answers by question and tier, "It hurts", stops, unanswered questions).

Drawn with QPainter on Qt's own QPdfWriter (no WebEngine, no pyqtgraph), so it needs QtGui but never
QtWidgets; the command line makes a QGuiApplication on the offscreen platform when it has to. The numbers
come from :func:`sciatica_coach.progress_data.load_history` and ``safety_overview``, the same snapshots the
Progress page shows, and the words from :mod:`sciatica_coach.views.progress_text`."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

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
)

from sciatica_coach import APP_NAME, __version__
from sciatica_coach.core.adherence import AdherenceHistory, Summary, WeekRow
from sciatica_coach.core.clock import Clock, SystemClock
from sciatica_coach.core.model import SafetyEvent, SafetyEventKind
from sciatica_coach.i18n import source_language
from sciatica_coach.progress_data import SafetyOverview, load_history, safety_overview
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.progress_text import (
    answers_sentence,
    event_counts_text,
    event_time,
    exercise_name,
    fmt_pct,
    long_date,
    pain_change_sentence,
    plural,
    reach_sentence,
    red_flag_checks_sentence,
    safety_event_text,
    short_date,
    this_week_text,
)

log = logging.getLogger(__name__)

DEFAULT_REPORT_WEEKS = 12
PAGE_MARGIN_MM = 14
RESOLUTION_DPI = 72  # one device unit is one typographic point
BAR_CHART_HEIGHT_PT = 112
PAIN_CHART_HEIGHT_PT = 78
FOOTER_HEIGHT_PT = 24
EVENT_PT = 8  # the safety events' text size
EVENT_TIME_WIDTH_PT = 112  # "Wed 30 Sep 2026, 19:47" and a gap
EVENT_GAP_PT = 1.5
MAX_SYMPTOM_LINES = 3
# Listed in the report however many events there are: a red-flag "yes", and a doctor's clearance of one.
ALWAYS_LISTED = frozenset({SafetyEventKind.RED_FLAG_ANSWERS, SafetyEventKind.DOCTOR_CLEARED})
PHASE_NAMES = {1: "gentle mobility", 2: "strengthening", 3: "exercise-ball work"}


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
    """The person's routine in one line, read tolerantly from storage; the default when there is none."""
    raw = repo.state("routine")
    if not isinstance(raw, dict):
        return "Default phase 1 routine (gentle mobility)."
    phase = raw.get("phase")
    phase_text = (
        f"Phase {phase} ({PHASE_NAMES[phase]})"
        if isinstance(phase, int) and phase in PHASE_NAMES
        else "Routine"
    )
    items = raw.get("items")
    names: list[str] = []
    if isinstance(items, list):
        names = [_item_text(item) for item in items if isinstance(item, dict)]
        names = [name for name in names if name]
    if not names:
        return f"{phase_text}."
    return f"{phase_text}: " + "; ".join(names) + "."


def _item_text(item: dict[str, Any]) -> str:
    exercise_id = item.get("exercise_id") or item.get("exercise") or item.get("id")
    if not isinstance(exercise_id, str):
        return ""
    name = exercise_id.replace("-", " ").capitalize()
    try:
        from sciatica_coach.core.catalogue import load_catalogue

        name = load_catalogue().get(exercise_id).name
    except (KeyError, ValueError, OSError):
        pass
    nested = item.get("dose")
    dose: dict[str, Any] = nested if isinstance(nested, dict) else item
    reps, sets, hold = dose.get("reps"), dose.get("sets"), dose.get("hold_s")
    parts = []
    if isinstance(sets, int) and isinstance(reps, int):
        parts.append(f"{sets} × {reps}" if sets > 1 else f"{reps} reps")
    if isinstance(hold, int) and hold > 0:
        parts.append(f"hold {hold} s")
    return f"{name} ({', '.join(parts)})" if parts else name


@dataclass(frozen=True)
class ReportData:
    """Everything the page shows, gathered before drawing."""

    made_on: date
    rows: list[WeekRow]
    summary: Summary
    routine: str
    plan_start: date
    safety: SafetyOverview
    period_pct: float | None  # adherence over the days of the period up to today
    routine_changes: tuple[str, ...] = ()  # accepted changes in the period, oldest first

    @property
    def period_start(self) -> date:
        return self.rows[0].start

    @property
    def done(self) -> int:
        return sum(row.completed for row in self.rows)

    @property
    def partial(self) -> int:
        return sum(row.partial for row in self.rows)

    @property
    def planned(self) -> int:
        return sum(row.target for row in self.rows)


def gather(repo: Repository, clock: Clock | None = None, weeks: int = DEFAULT_REPORT_WEEKS) -> ReportData:
    clock = clock or SystemClock()
    history: AdherenceHistory = load_history(repo, clock)
    rows = history.weekly_table(max(1, weeks))
    start, today = rows[0].start, history.today
    tz = clock.now().tzinfo
    return ReportData(
        made_on=today,
        rows=rows,
        summary=history.summary(),
        routine=routine_lines(repo),
        plan_start=history.plan_start,
        safety=safety_overview(repo, start, today, tz),
        period_pct=history.rolling_adherence_pct((today - start).days + 1),
        routine_changes=routine_changes(repo, start),
    )


MAX_ROUTINE_CHANGES = 6


def routine_changes(repo: Repository, since: date) -> tuple[str, ...]:
    """The routine changes the person accepted in the period (the progression history), newest last."""
    from sciatica_coach.routines import progression_history

    lines = [
        f"{decision.decided_at.date().isoformat()}: {decision.describe()}"
        for decision in progression_history(repo)
        if decision.accepted and decision.decided_at.date() >= since
    ]
    return tuple(lines[-MAX_ROUTINE_CHANGES:])


def render_report_pdf(
    repo: Repository, clock: Clock | None = None, weeks: int = DEFAULT_REPORT_WEEKS
) -> bytes:
    """The report as PDF bytes (write them with an atomic write). Always English (docs/translating.md), also
    when the app that makes it shows another language: its words come from the translated progress_text."""
    ensure_gui_application()
    with source_language():
        return _render_report_pdf(repo, clock, weeks)


def _render_report_pdf(repo: Repository, clock: Clock | None, weeks: int) -> bytes:
    data = gather(repo, clock, weeks)
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
        _Drawer(painter, QRectF(0, 0, writer.width(), writer.height())).draw(data)
    finally:
        painter.end()
    blob: QByteArray = buffer.data()
    return bytes(blob.data())


class _Drawer:
    def __init__(self, painter: QPainter, page: QRectF) -> None:
        self.p = painter
        self.page = page
        self.y = page.top()
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
        rect: QRectF | None = None, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    ) -> float:  # fmt: skip
        """Draw wrapped text at the cursor (or in `rect`); returns the height used."""
        font = self.font(size, bold)
        self.p.setFont(font)
        self.p.setPen(QColor(color))
        area = rect or QRectF(self.page.left(), self.y, self.page.width(), self.page.bottom() - self.y)
        flags = int(align | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap)
        bounds = self.p.boundingRect(area, flags, text)
        self.p.drawText(area, flags, text)
        if rect is None:
            self.y += bounds.height() + gap
        return bounds.height()

    def heading(self, text: str) -> None:
        self.y += 7
        self.text(text, 11.5, bold=True, gap=3)

    def rule(self) -> None:
        self.p.setPen(QPen(QColor(INK.rule), 0.8))
        self.p.drawLine(QPointF(self.page.left(), self.y), QPointF(self.page.right(), self.y))
        self.y += 4

    # ---- sections -----------------------------------------------------------------------------------
    def draw(self, data: ReportData) -> None:
        top = self.y
        self.text("Exercise and pain summary", 18, bold=True, gap=1)
        self.text(f"From {APP_NAME}, for the physiotherapist or doctor", 9.5, color=INK.muted, gap=2)
        self.text(f"Made on {long_date(data.made_on)}", 9.5, color=INK.muted,
                  rect=QRectF(self.page.left(), top + 6, self.page.width(), 20), align=Qt.AlignmentFlag.AlignRight)  # fmt: skip
        weeks = len(data.rows)
        period = (
            f"Period: {long_date(data.period_start)} to {long_date(data.made_on)} ({plural(weeks, 'week')}; "
            f"the current week is still in progress). Programme started {long_date(data.plan_start)}."
        )
        self.text(period, 9.5, gap=6)
        self.rule()
        self._figures(data)
        self.heading("Routine")
        self.text(data.routine, 9.5)
        for accepted in data.routine_changes:
            self.text(f"Changed {accepted}", 8.5, gap=1)
        self.heading("Sessions each week")
        self._bar_chart(data.rows, BAR_CHART_HEIGHT_PT)
        self._legend([("completed", "Done"), ("partial", "Partial (ended early or stopped)"),
                      ("target", "Planned (dashed)")])  # fmt: skip
        self.heading("Pain before exercise (weekly mean, 0–10)")
        self._pain_chart(data.rows, PAIN_CHART_HEIGHT_PT)
        self._legend([("back", "Back pain"), ("leg", "Leg pain")])
        summary = data.summary
        for part, change in (("leg", summary.leg_change), ("back", summary.back_change)):
            self.text(pain_change_sentence(part, change), 9.5, gap=2)
        self.text("A change of 2 points or more on the 0–10 scale is usually considered meaningful.",
                  8.5, color=INK.muted)  # fmt: skip
        self.heading("Symptom notes")
        self._symptom_notes(summary, data.safety)
        self.heading("Safety events")
        self._safety(data.safety)
        self._footer()

    def _figures(self, data: ReportData) -> None:
        summary = data.summary
        boxes = [
            ("Sessions in the period", f"{data.done} of {data.planned}",
             f"+ {data.partial} partial · adherence {fmt_pct(data.period_pct)}"),
            ("Last 4 weeks", fmt_pct(summary.adherence_4w_pct), f"this week {this_week_text(summary)}"),
            ("Streak (days plan met)", plural(summary.current_streak, "day"), f"best {summary.best_streak}"),
            ("Habit score", f"{summary.score_pct:.0f}%", "rises with consistency"),
        ]  # fmt: skip
        gap = 8.0
        width = (self.page.width() - gap * 3) / 4
        height = 58.0
        for index, (title, value, note) in enumerate(boxes):
            rect = QRectF(self.page.left() + index * (width + gap), self.y + 2, width, height)
            self.p.setPen(Qt.PenStyle.NoPen)
            self.p.setBrush(QColor(INK.panel))
            self.p.drawRoundedRect(rect, 5, 5)
            inner = rect.adjusted(8, 6, -8, -4)
            used = self.text(title, 8, color=INK.muted, rect=inner)
            used += self.text(value, 15, bold=True, rect=inner.adjusted(0, used + 1, 0, 0))
            self.text(note, 7.5, color=INK.muted, rect=inner.adjusted(0, used + 3, 0, 0))
        self.y += height + 6

    def _plot_area(self, height: float) -> QRectF:
        left_pad, right_pad, bottom_pad = 30.0, 6.0, 16.0
        area = QRectF(self.page.left() + left_pad, self.y + 4, self.page.width() - left_pad - right_pad,
                      height - bottom_pad)  # fmt: skip
        self.y += height + 4
        return area

    def _axis(self, area: QRectF, top: float, ticks: Sequence[float]) -> None:
        font = self.font(7.5)
        self.p.setFont(font)
        for value in ticks:
            y = area.bottom() - area.height() * value / top
            self.p.setPen(QPen(QColor(INK.rule), 0.5))
            self.p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            self.p.setPen(QColor(INK.muted))
            self.p.drawText(QRectF(area.left() - 30, y - 6, 26, 12),
                            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), f"{value:g}")  # fmt: skip

    def _x_labels(self, area: QRectF, rows: Sequence[WeekRow]) -> None:
        count = len(rows)
        slot = area.width() / max(1, count)
        step = 1 if count <= 13 else 2 if count <= 26 else 4
        self.p.setFont(self.font(7.5))
        self.p.setPen(QColor(INK.muted))
        for i in range(count - 1, -1, -step):
            x = area.left() + slot * (i + 0.5)
            text = short_date(rows[i].start) + (" *" if rows[i].in_progress else "")
            self.p.drawText(
                QRectF(x - 30, area.bottom() + 2, 60, 12), int(Qt.AlignmentFlag.AlignHCenter), text
            )

    def _bar_chart(self, rows: Sequence[WeekRow], height: float) -> None:
        area = self._plot_area(height)
        top = max([1, *(r.target for r in rows), *(r.completed + r.partial for r in rows)])
        top = ((top + 3) // 4) * 4 + (4 if top % 4 == 0 else 0)
        self._axis(area, top, range(0, top + 1, max(2, top // 4)))
        count = len(rows)
        slot = area.width() / max(1, count)
        bar = slot * 0.68
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
            if count <= 26:
                self.p.setFont(self.font(7))
                self.p.setPen(QColor(INK.text))
                label = f"{row.completed}" + (f"+{row.partial}" if row.partial else "")
                self.p.drawText(QRectF(x - 6, area.bottom() - done_h - part_h - 11, bar + 12, 10),
                                int(Qt.AlignmentFlag.AlignHCenter), label)  # fmt: skip
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
        self._x_labels(area, rows)

    def _pain_chart(self, rows: Sequence[WeekRow], height: float) -> None:
        area = self._plot_area(height)
        self._axis(area, 10, (0, 2, 4, 6, 8, 10))
        slot = area.width() / max(1, len(rows))
        for key, values in (
            ("back", [r.back_pain_mean for r in rows]),
            ("leg", [r.leg_pain_mean for r in rows]),
        ):
            color = QColor(getattr(INK, key))
            points = [
                QPointF(area.left() + slot * (i + 0.5), area.bottom() - area.height() * v / 10)
                for i, v in enumerate(values)
                if v is not None
            ]
            if not points:
                continue
            self.p.setPen(QPen(color, 1.8))
            self.p.setBrush(Qt.BrushStyle.NoBrush)
            self.p.drawPolyline(points)
            self.p.setBrush(color)
            self.p.setPen(Qt.PenStyle.NoPen)
            for point in points:
                if key == "back":
                    self.p.drawRect(QRectF(point.x() - 2.3, point.y() - 2.3, 4.6, 4.6))
                else:
                    self.p.drawEllipse(point, 2.6, 2.6)
        self._x_labels(area, rows)

    def _legend(self, entries: Sequence[tuple[str, str]]) -> None:
        x = self.page.left() + 30
        font = self.font(8)
        metrics = QFontMetricsF(font, self.p.device())
        self.p.setFont(font)
        for key, text in entries:
            color = QColor(getattr(INK, key))
            self.p.setPen(Qt.PenStyle.NoPen)
            self.p.setBrush(color)
            if key == "target":
                self.p.setPen(QPen(color, 1.4, Qt.PenStyle.DashLine))
                self.p.drawLine(QPointF(x, self.y + 5), QPointF(x + 12, self.y + 5))
            else:
                self.p.drawRect(QRectF(x + 2, self.y + 1, 8, 8))
            self.p.setPen(QColor(INK.text))
            self.p.drawText(QPointF(x + 16, self.y + 8.5), text)
            x += 16 + metrics.horizontalAdvance(text) + 18
        self.y += 14

    def _symptom_notes(self, summary: Summary, safety: SafetyOverview) -> None:
        spread = [
            f"{exercise_name(note.exercise_id)} ({plural(note.times, 'time')}, last {short_date(note.last_day)})"
            for note in summary.spread_down[:MAX_SYMPTOM_LINES]
        ]
        lines = [
            "Leg symptoms spread further down after " + "; ".join(spread) + "."
            if spread
            else "No exercise was noted as sending leg symptoms further down."
        ]
        lines += [line for line in (reach_sentence(safety), answers_sentence(safety)) if line]
        if summary.numbness_or_weakness_days:
            days = ", ".join(short_date(d) for d in summary.numbness_or_weakness_days[-6:])
            lines.append(
                f"New numbness or weakness noted on {plural(len(summary.numbness_or_weakness_days), 'day')} ({days})."
            )
        for line in lines:
            self.text("• " + line, 9, gap=1)

    def _safety(self, safety: SafetyOverview) -> None:
        """The period's safety events in a two-column list (when, what happened), oldest first. When they do
        not all fit above the footer, all are counted per week and the latest are listed, red-flag checks with
        a "yes" and a doctor's clearance of them first of all (the clinician sees why coaching went on)."""
        events = list(safety.events)
        checks = red_flag_checks_sentence(safety)
        if not events:
            self.text(" ".join([checks, "No other safety events in this period." if checks else
                                "No safety events in this period."]).strip(), 9)  # fmt: skip
            return
        rows = [(event, self._event_row_height(event)) for event in events]
        bottom = self.page.bottom() - FOOTER_HEIGHT_PT - 6
        if self.y + self._height(checks, 9) + sum(height for _, height in rows) > bottom:
            intro = (
                f"{checks} {len(events)} safety events. {event_counts_text(events)} "
                "Listed: every red-flag check with a “yes” and every doctor's clearance, then the latest others "
                "({n} in all):"
            )
            room = bottom - self.y - self._height(intro.format(n=len(events)), 9) - 2
            by_priority = sorted(
                rows,
                key=lambda row: (row[0].kind not in ALWAYS_LISTED, -row[0].at.timestamp()),
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
            checks = intro.format(n=len(rows))
        if checks:
            self.text(checks, 9, gap=2)
        for event, height in rows:
            when, what = self._event_rects(height)
            self.text(event_time(event.at, long=True), EVENT_PT, rect=when)
            self.text(safety_event_text(event), EVENT_PT, rect=what)
            self.y += height

    def _height(self, text: str, size: float) -> float:
        """The height `text` takes across the page, wrapped, with `self.text`'s gap."""
        if not text:
            return 0.0
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap)
        self.p.setFont(self.font(size))
        return (
            self.p.boundingRect(QRectF(self.page.left(), 0, self.page.width(), 1000), flags, text).height()
            + 2
        )

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
            "From the person's own records in Sciatica Coach (pain rated 0–10 before each session). "
            "Guidance for a conversation, not a diagnosis."
        )
        font = self.font(7.5)
        rect = QRectF(
            self.page.left(), self.page.bottom() - FOOTER_HEIGHT_PT, self.page.width(), FOOTER_HEIGHT_PT
        )
        if self.y > rect.top():
            log.warning("The report ran past the footer (y=%.0f)", self.y)
        self.p.setPen(QPen(QColor(INK.rule), 0.8))
        self.p.drawLine(rect.topLeft(), rect.topRight())
        self.p.setFont(font)
        self.p.setPen(QColor(INK.muted))
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom) | int(Qt.TextFlag.TextWordWrap)
        self.p.drawText(rect, flags, text)
