"""The Progress chart: weekly sessions as stacked bars with the plan's target, and below it, on the same weeks,
a smaller panel of the pain trend on its own 0–10 scale (pyqtgraph). Two panels rather than a second axis on
one: sessions and pain scores then can't be read against each other's scale. The calendar of days is in calendar_heatmap.py (plain QPainter).

Only the Progress page imports this module, just after it first shows: pyqtgraph and numpy load then.
The charts render a list of rows from :mod:`sciatica_coach.core.adherence` and nothing else; every figure they
show is also in their tooltips, their accessible description and the page's table.

Bars are placed at week *indices* (0, 1, 2 …) with date tick labels: bars at epoch-second x values vanish in
pyqtgraph (the bar width becomes a rounding error)."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from sciatica_coach.core.adherence import WeekRow
from sciatica_coach.core.habit_stats import ScorePoint
from sciatica_coach.i18n import _
from sciatica_coach.services.progress_data import SITTING_CHART_WEEKS, SittingBreaksOverview
from sciatica_coach.services.progress_text import (
    score_tooltip,
    short_date,
    sitting_breaks_description,
    week_tooltip,
    weeks_summary,
)
from sciatica_coach.views.calendar_heatmap import series_colors, shaded
from sciatica_coach.views.theme import Colors, blend, current_colors

log = logging.getLogger(__name__)

BAR_WIDTH = 0.72  # in weeks
PAIN_MAX = 10
SESSIONS_PANEL_HEIGHT_PX = 300
PAIN_PANEL_HEIGHT_PX = 170
PANEL_GAP_PX = 4
CHART_HEIGHT_PX = SESSIONS_PANEL_HEIGHT_PX + PANEL_GAP_PX + PAIN_PANEL_HEIGHT_PX  # without the legend
SCORE_CHART_HEIGHT_PX = 260  # the habit score chart, at 100 % text (taller when its axis title needs it)
SCORE_TICKS_PCT = (25, 50, 75, 100)
SCORE_FILL_ALPHA = 46  # the area under the habit score line
AXIS_WIDTH_PX = 64  # both panels' left axes are at least this wide, and as wide as each other: weeks line up
TICK_TEXT_OFFSET_PX = 8  # between an axis line and its numbers or dates
AXIS_LABEL_GAP_PX = 6  # between a left axis's title and its numbers
AXIS_LABEL_NUDGE_PX = 5  # pyqtgraph draws a left axis's title this far left of the axis's own edge
AXIS_LABEL_PAD_PX = 12  # above and below a left axis's title, inside its panel
PAIN_SYMBOL_SIZE_PX = 11
LINE_WIDTH_PX = 3
IN_PROGRESS_ALPHA = 110  # the current week's bars are lighter
SO_FAR_LABEL_MAX_WEEKS = 13  # wider ranges have no room above the bar; the legend explains the pale bar

pg.setConfigOptions(antialias=True, foreground="k", background="w")


TICK_STEPS = (1, 2, 4, 8, 13)
TICK_LABEL_ROOM = 1.5  # a date label needs this many times its own width
VALUE_STEPS = (1, 2, 5, 10, 20, 50, 100)  # between the numbers of the sessions axis
VALUE_LABEL_ROOM = 1.4  # a number on the upright axis needs this many times its line height


def tick_step(count: int, px_per_week: float, label_px: float) -> int:
    """Label every n-th week so labels never overlap at this width."""
    for step in TICK_STEPS:
        if step * px_per_week >= label_px * TICK_LABEL_ROOM:
            return step
    # a narrow chart (large text, a small window): as far apart as the labels need
    return max(TICK_STEPS[-1], math.ceil(label_px * TICK_LABEL_ROOM / max(px_per_week, 1e-6)))


def value_step(top: float, px_per_unit: float, label_px: float) -> int:
    """Number every n sessions so the numbers up the axis never touch at this height (at least every 2)."""
    for step in VALUE_STEPS[1:]:
        if step * px_per_unit >= label_px * VALUE_LABEL_ROOM:
            return step
    return max(VALUE_STEPS[-1], math.ceil(top / 2))


def week_ticks(rows: Sequence[WeekRow], step: int = 1) -> list[tuple[float, str]]:
    """Date labels for the week indices, every `step` weeks; the current week is always labelled."""
    last = len(rows) - 1
    return [(float(i), short_date(rows[i].start)) for i in range(last, -1, -step)][::-1]


class _Legend(QLabel):
    """Coloured keys under the chart, as one wrapping line of text (bigger and clearer than pyqtgraph's own
    legend, and it wraps instead of widening the page)."""

    def __init__(self) -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setContentsMargins(8, 0, 8, 0)  # the first key's line starts clear of the card's edge
        self.entries: list[str] = []

    def set_entries(self, entries: Sequence[tuple[str, str, str]]) -> None:
        """entries: (swatch characters, colour, text)."""
        self.entries = [text for _mark, _color, text in entries]
        keys = [
            f'<span style="color:{color}">{mark.replace(" ", "&nbsp;")}</span>&nbsp;{text.replace(" ", "&nbsp;")}'
            for mark, color, text in entries
        ]
        self.setText(" &nbsp; &nbsp; ".join(keys))
        self.setAccessibleName(_("Chart key: {entries}").format(entries=", ".join(self.entries)))


def tick_font() -> QFont:
    """The charts' numbers and dates: a little smaller than the text, never below 10 pt."""
    font = QFont(QApplication.font())
    font.setPointSizeF(max(10.0, font.pointSizeF() * 0.95))
    return font


def color_axes(plot: pg.PlotWidget, c: Colors, font: QFont) -> None:
    """A panel's background, axes and grid in the theme's colours, with its numbers in `font`."""
    item = plot.getPlotItem()
    plot.setBackground(c.surface)
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        axis.setPen(pg.mkPen(c.border))
        axis.setTextPen(pg.mkPen(c.text))
        axis.setStyle(tickFont=font, tickTextOffset=TICK_TEXT_OFFSET_PX, tickLength=-6)
    item.showGrid(x=False, y=True, alpha=0.18)


def style_small_chart(
    plot: pg.PlotWidget, c: Colors, label: str, widest_number: str, least_height_px: int
) -> None:
    """What the small one-panel charts (habit score, sitting breaks) share: the background, the axes and grid in
    the theme's colours, the side label, and axes and a height that fit the current text size."""
    item = plot.getPlotItem()
    font = tick_font()
    color_axes(plot, c, font)
    item.setLabel("left", label, **{"color": c.text, "font-size": f"{font.pointSizeF():.0f}pt"})
    metrics = QFontMetricsF(font)
    bottom_px = math.ceil(metrics.height() + TICK_TEXT_OFFSET_PX + 2)
    title = item.getAxis("left").label.boundingRect()
    numbers_px = metrics.horizontalAdvance(widest_number)
    item.getAxis("bottom").setHeight(bottom_px)
    item.getAxis("left").setWidth(
        max(AXIS_WIDTH_PX, math.ceil(title.height() - AXIS_LABEL_NUDGE_PX + AXIS_LABEL_GAP_PX + numbers_px
                                     + TICK_TEXT_OFFSET_PX + 2))
    )  # fmt: skip
    plot.setFixedHeight(max(least_height_px, math.ceil(title.width() + 2 * AXIS_LABEL_PAD_PX + bottom_px)))


def still_panel(name: str, height: int) -> pg.PlotWidget:
    """A chart panel of fixed height that stays still: no menu, buttons, dragging or zooming, and no keyboard
    stop (nothing in it responds to keys, and its figures are in the text beside it, so Tab skips it)."""
    plot = pg.PlotWidget()
    plot.setFixedHeight(height)  # the page scrolls; the panels keep their proportions
    plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    plot.setAccessibleName(name)
    plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    item = plot.getPlotItem()
    item.setMenuEnabled(False)
    item.hideButtons()
    item.vb.setMouseEnabled(x=False, y=False)
    return plot


class WeeklyChart(QWidget):
    """Completed and partial sessions per week as stacked bars with the target as a dashed step line; below,
    on the same weeks, mean back and leg pain (before exercise) as lines on their own 0–10 scale."""

    hovered = Signal(int)  # the week index under the mouse, -1 when none

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[WeekRow] = []
        self.today: date | None = None
        self.plot = self._panel(_("Weekly sessions chart"), SESSIONS_PANEL_HEIGHT_PX)
        self.pain_plot = self._panel(_("Weekly pain chart"), PAIN_PANEL_HEIGHT_PX)
        self.pain_plot.getPlotItem().setXLink(self.plot.getPlotItem())
        self.plot.getPlotItem().vb.sigResized.connect(self._update_ticks)

        self.legend = _Legend()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(PANEL_GAP_PX)
        layout.addWidget(self.plot)
        layout.addWidget(self.pain_plot)
        layout.addWidget(self.legend)
        # The graphics are made once and updated in place: re-creating pyqtgraph items on every redraw
        # churns the scene (and, with PySide6 6.12, upset its reference counting at interpreter exit).
        item = self.plot.getPlotItem()
        self._bars = {
            (kind, now): pg.BarGraphItem(x=[0.0], height=[0.0], width=BAR_WIDTH)
            for kind in ("completed", "partial")
            for now in (False, True)
        }
        for bar in self._bars.values():
            item.addItem(bar)
        self._target_line = pg.PlotDataItem()
        item.addItem(self._target_line)
        self._so_far = pg.TextItem(_("so far"), anchor=(0.5, 1.0))
        item.addItem(self._so_far)
        self._pain_lines: dict[str, tuple[pg.PlotDataItem, pg.PlotDataItem]] = {}
        for key in ("back", "leg"):
            halo = pg.PlotDataItem()
            line = pg.PlotDataItem(symbol="s" if key == "back" else "o", symbolSize=PAIN_SYMBOL_SIZE_PX)
            self.pain_plot.getPlotItem().addItem(halo)
            self.pain_plot.getPlotItem().addItem(line)
            self._pain_lines[key] = (halo, line)
        self._hover_index = -1
        self._top = 1.0  # the sessions axis's largest value (before its headroom)
        self._so_far_wanted = False

    def _panel(self, name: str, height: int) -> pg.PlotWidget:
        plot = still_panel(name, height)
        item = plot.getPlotItem()
        item.vb.setDefaultPadding(0.0)
        item.getAxis("left").setWidth(AXIS_WIDTH_PX)
        plot.scene().sigMouseMoved.connect(lambda pos, plot=plot: self._on_mouse_moved(plot, pos))
        return plot

    # ---- drawing ------------------------------------------------------------------------------------
    def _update_ticks(self) -> None:
        """Dates along the bottom and numbers up the side, as many as fit without touching at the current size
        and text size; the current week's date always shows (the weeks' range leaves room for it)."""
        if not self.rows:
            return
        count = len(self.rows)
        metrics = QFontMetricsF(self._tick_font())
        label_px = max(metrics.horizontalAdvance(text) for _x, text in week_ticks(self.rows))
        width = self.plot.getPlotItem().vb.width() or self.plot.width()
        # Room after the last week for half its date: pyqtgraph hides a date that would run past the axis.
        right = max(0.6, (label_px / 2 + 2) / max(1.0, width / (count + 0.2)))
        self.plot.getPlotItem().vb.setXRange(-0.6, count - 1 + right, padding=0)
        px_per_week = width / (count - 0.4 + right)
        step = tick_step(count, px_per_week, label_px)
        # "so far" over this week's bar only where it doesn't reach over last week's (the key explains too)
        so_far_px = metrics.horizontalAdvance(self._so_far.textItem.toPlainText())
        self._so_far.setVisible(self._so_far_wanted and so_far_px <= px_per_week * 1.1)
        for plot in self._panels():
            axis = plot.getPlotItem().getAxis("bottom")
            axis.setTicks([week_ticks(self.rows, step), []])
            # The first week's date may reach into the corner under the numbers (pyqtgraph would hide it).
            axis.setStyle(hideOverlappingLabels=math.ceil(label_px / 2))
        view = self.plot.getPlotItem().vb
        span = self._top * 1.15
        height = view.height() or SESSIONS_PANEL_HEIGHT_PX
        every = value_step(self._top, height / span, metrics.height())
        # No number so near the top that half of it would be cut off; none at 0, on the dates' axis line.
        highest = span - metrics.height() / 2 / (height / span)
        self.plot.getPlotItem().getAxis("left").setTicks(
            [[(float(v), str(v)) for v in range(every, int(highest) + 1, every)], []]
        )

    def _tick_font(self) -> QFont:
        return tick_font()

    def _fit_axes(self, font: QFont) -> None:
        """Axes and panels as large as their text needs at the current text size: the dates' axis as high as
        a line, the left axes as wide as the widest number plus the title beside it, and each panel as tall
        as its title is long."""
        metrics = QFontMetricsF(font)
        bottom_px = math.ceil(metrics.height() + TICK_TEXT_OFFSET_PX + 2)
        numbers_px = metrics.horizontalAdvance(str(max(10, int(self._top * 1.15))))
        titles = [plot.getPlotItem().getAxis("left").label.boundingRect() for plot in self._panels()]
        left_px = math.ceil(
            max(title.height() for title in titles) - AXIS_LABEL_NUDGE_PX + AXIS_LABEL_GAP_PX + numbers_px
            + TICK_TEXT_OFFSET_PX + 2
        )  # fmt: skip
        for plot, title, base in zip(
            self._panels(), titles, (SESSIONS_PANEL_HEIGHT_PX, PAIN_PANEL_HEIGHT_PX), strict=True
        ):
            item = plot.getPlotItem()
            item.getAxis("bottom").setHeight(bottom_px)
            item.getAxis("left").setWidth(max(AXIS_WIDTH_PX, left_px))
            plot.setFixedHeight(max(base, math.ceil(title.width() + 2 * AXIS_LABEL_PAD_PX + bottom_px)))

    def _panels(self) -> tuple[pg.PlotWidget, pg.PlotWidget]:
        return self.plot, self.pain_plot

    def set_rows(self, rows: Sequence[WeekRow], today: date | None = None) -> None:
        self.rows = list(rows)
        self.today = today
        self._place_data()
        self.apply_colors(current_colors())

    def _place_data(self) -> None:
        """Put the rows into the chart's items (positions, heights, what shows) and set the ranges; the items'
        colours, fonts and ticks are apply_colors's."""
        rows = self.rows
        count = len(rows)
        self._top = float(max([1.0, *(r.target for r in rows), *(r.completed + r.partial for r in rows)]))
        self._so_far_wanted = False
        if count == 0:
            for graphic in (*self._bars.values(), self._target_line, self._so_far):
                graphic.setVisible(False)
            for halo, line in self._pain_lines.values():
                halo.setVisible(False)
                line.setVisible(False)
            self._set_description()
            return
        x = np.arange(count, dtype=float)
        completed = np.array([row.completed for row in rows], dtype=float)
        partial = np.array([row.partial for row in rows], dtype=float)
        targets = np.array([row.target for row in rows], dtype=float)
        in_progress = np.array([row.in_progress for row in rows], dtype=bool)
        for (kind, now), bar in self._bars.items():
            mask = in_progress if now else ~in_progress
            bar.setVisible(bool(mask.any()))
            if not mask.any():
                continue
            bottom = completed[mask] if kind == "partial" else np.zeros(int(mask.sum()))
            height = partial[mask] if kind == "partial" else completed[mask]
            bar.setOpts(x=x[mask], y0=bottom, height=height, width=BAR_WIDTH)

        edges = np.arange(count + 1, dtype=float) - 0.5
        self._target_line.setData(edges, targets, stepMode="center")
        self._target_line.setVisible(True)

        top = self._top
        self._so_far_wanted = bool(in_progress.any()) and count <= SO_FAR_LABEL_MAX_WEEKS  # shown if it fits
        if in_progress.any():
            index = int(np.flatnonzero(in_progress)[-1])
            self._so_far.setPos(index, completed[index] + partial[index] + top * 0.02)

        for key, values in (
            ("back", [r.back_pain_mean for r in rows]),
            ("leg", [r.leg_pain_mean for r in rows]),
        ):
            points = [(i, v) for i, v in enumerate(values) if v is not None]
            px = np.array([p[0] for p in points], dtype=float)
            py = np.array([p[1] for p in points], dtype=float)
            for graphic in self._pain_lines[key]:
                graphic.setVisible(bool(points))
                if points:
                    graphic.setData(px, py)

        item = self.plot.getPlotItem()
        pain_item = self.pain_plot.getPlotItem()
        item.vb.setRange(yRange=(0, top * 1.15), padding=0)  # the weeks' range: _update_ticks
        pain_item.vb.setRange(yRange=(0, PAIN_MAX * 1.1), padding=0)
        pain_item.getAxis("left").setTicks([[(float(v), str(v)) for v in range(5, PAIN_MAX + 1, 5)], []])
        self._set_description()

    def apply_colors(self, c: Colors) -> None:
        """Colour the chart's existing items anew (pens, brushes, the axes, the text, the key) and fit its text
        to the current text size; the data stay where they are. Called after new rows and when light/dark or
        the text size changes."""
        item = self.plot.getPlotItem()
        pain_item = self.pain_plot.getPlotItem()
        series = series_colors(c)
        font = self._tick_font()
        label_style = {"color": c.text, "font-size": f"{font.pointSizeF():.0f}pt"}
        for plot in (self.plot, self.pain_plot):
            color_axes(plot, c, font)
        item.setLabel("left", _("Sessions a week"), **label_style)
        pain_item.setLabel("left", _("Pain (0–10)"), **label_style)
        self._fit_axes(font)

        for (kind, now), bar in self._bars.items():
            color = shaded(series[kind], IN_PROGRESS_ALPHA if now else 255)
            pen = (pg.mkPen(c.text, width=1.5, style=Qt.PenStyle.DashLine) if now
                   else pg.mkPen(c.surface, width=1))  # fmt: skip
            bar.setOpts(brush=pg.mkBrush(color), pen=pen)
        self._target_line.setPen(pg.mkPen(series["target"], width=2.5, style=Qt.PenStyle.DashLine))
        self._so_far.setColor(QColor(c.text))
        self._so_far.setFont(font)
        for key, (halo, line) in self._pain_lines.items():
            halo.setPen(pg.mkPen(c.surface, width=LINE_WIDTH_PX + 4))
            line.setPen(pg.mkPen(series[key], width=LINE_WIDTH_PX))
            line.setSymbolBrush(pg.mkBrush(series[key]))
            line.setSymbolPen(pg.mkPen(c.surface, width=2))
        self.legend.set_entries(
            [
                ("■", series["completed"], _("Done")),
                ("■", series["partial"], _("Partial (ended early)")),
                (
                    "■",
                    blend(series["completed"], c.surface, IN_PROGRESS_ALPHA / 255),
                    _("This week, so far"),
                ),
                ("- -", series["target"], _("Planned")),
                ("━■━", series["back"], _("Back pain")),
                ("━●━", series["leg"], _("Leg pain")),
            ]
        )
        self._update_ticks()

    def _set_description(self) -> None:
        self.plot.setAccessibleDescription(weeks_summary(self.rows, self.today))
        self.pain_plot.setAccessibleDescription(weeks_summary(self.rows, self.today))

    # ---- hover --------------------------------------------------------------------------------------
    def index_at_scene(self, pos: QPointF, plot: pg.PlotWidget | None = None) -> int:
        """The week under a point of `plot`'s scene (the sessions panel's by default)."""
        view = (plot or self.plot).getPlotItem().vb
        if not self.rows or not view.sceneBoundingRect().contains(pos):
            return -1
        index = round(view.mapSceneToView(pos).x())
        return index if 0 <= index < len(self.rows) else -1

    def tooltip_for(self, index: int) -> str:
        return week_tooltip(self.rows[index]) if 0 <= index < len(self.rows) else ""

    def _on_mouse_moved(self, plot: pg.PlotWidget, pos: QPointF) -> None:
        index = self.index_at_scene(pos, plot)
        if index == self._hover_index:
            return
        self._hover_index = index
        self.hovered.emit(index)
        if index < 0:
            QToolTip.hideText()
            return
        global_pos = plot.mapToGlobal(plot.mapFromScene(pos))
        QToolTip.showText(global_pos, self.tooltip_for(index), plot)


def day_ticks(start: date, days: int, step_weeks: int = 1) -> list[tuple[float, str]]:
    """Date labels at the Mondays of a range of `days` days from `start` (x = days since `start`), every
    `step_weeks` weeks counted back from the last Monday, which is always labelled."""
    mondays = [i for i in range(days) if (start + timedelta(days=i)).weekday() == 0]
    if not mondays:
        return [(0.0, short_date(start))]
    chosen = mondays[::-1][:: max(1, step_weeks)][::-1]
    return [(float(i), short_date(start + timedelta(days=i))) for i in chosen]


class HabitScoreChart(QWidget):
    """The habit score (0–100 %) of every day of the range as a line with a light fill beneath; hovering a
    day shows its date and score. The page gives the same numbers in words and as a table."""

    hovered = Signal(int)  # days since the range's start under the mouse, -1 when none

    def __init__(self) -> None:
        super().__init__()
        self.points: list[ScorePoint] = []
        self.start: date | None = None
        self.days = 0
        self.today: date | None = None
        self.description = ""
        plot = pg.PlotWidget()
        plot.setFixedHeight(SCORE_CHART_HEIGHT_PX)
        plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        plot.setAccessibleName(_("Habit score chart"))
        plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nothing here takes keys; the page has it in words
        item = plot.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.vb.setMouseEnabled(x=False, y=False)
        item.vb.setDefaultPadding(0.0)
        item.vb.sigResized.connect(self._update_ticks)
        plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.plot = plot
        self._fill = pg.PlotDataItem()
        self._line = pg.PlotDataItem()
        item.addItem(self._fill)
        item.addItem(self._line)
        self._hover_index = -1
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(plot)

    def set_scores(
        self, points: Sequence[ScorePoint], start: date, end: date, today: date, description: str = ""
    ) -> None:
        """The scores of the days `start` to `end` (x = days since `start`); days without one are blank."""
        self.points = list(points)
        self.start = start
        self.days = max(1, (end - start).days + 1)
        self.today = today
        self.description = description
        if self.points:
            x = np.array([self.x_of(p) for p in self.points], dtype=float)
            y = np.array([p.score_pct for p in self.points], dtype=float)
            self._fill.setData(x, y, fillLevel=0.0)
            self._line.setData(x, y)
        self._fill.setVisible(bool(self.points))
        self._line.setVisible(bool(self.points))
        self.plot.setAccessibleDescription(self.description)
        self.apply_colors(current_colors())

    def x_of(self, point: ScorePoint) -> float:
        assert self.start is not None
        return float((point.day - self.start).days)

    def _tick_font(self) -> QFont:
        return tick_font()

    def apply_colors(self, c: Colors) -> None:
        """Colour the existing line, fill, axes and text anew and fit the text to the current text size; the
        scores stay where they are. Called for new scores and when light/dark or the text size changes."""
        item = self.plot.getPlotItem()
        hundred = _("{percent}%").format(percent=100)
        style_small_chart(self.plot, c, _("Habit score"), hundred, SCORE_CHART_HEIGHT_PX)
        item.getAxis("left").setTicks(
            [[(float(v), _("{percent}%").format(percent=v)) for v in SCORE_TICKS_PCT], []]
        )
        item.vb.setRange(yRange=(0, 100 * 1.08), padding=0)
        self._fill.setPen(pg.mkPen(None))
        self._fill.setBrush(pg.mkBrush(shaded(c.accent, SCORE_FILL_ALPHA)))
        self._line.setPen(pg.mkPen(c.accent, width=LINE_WIDTH_PX))
        self._update_ticks()

    def _update_ticks(self) -> None:
        """Dates at Mondays, as many as fit without touching at the current width and text size."""
        if self.start is None:
            return
        metrics = QFontMetricsF(self._tick_font())
        ticks = day_ticks(self.start, self.days)
        label_px = max(metrics.horizontalAdvance(text) for _x, text in ticks)
        view = self.plot.getPlotItem().vb
        width = view.width() or self.plot.width()
        right = max(0.5, (label_px / 2 + 2) / max(1e-6, width / (self.days + 1)))
        view.setXRange(-0.5, self.days - 1 + right, padding=0)
        px_per_week = 7 * width / (self.days - 0.5 + right)
        step = tick_step(max(1, len(ticks)), px_per_week, label_px)
        axis = self.plot.getPlotItem().getAxis("bottom")
        axis.setTicks([day_ticks(self.start, self.days, step), []])
        axis.setStyle(hideOverlappingLabels=math.ceil(label_px / 2))

    # ---- hover --------------------------------------------------------------------------------------
    def point_at_scene(self, pos: QPointF) -> ScorePoint | None:
        view = self.plot.getPlotItem().vb
        if not self.points or self.start is None or not view.sceneBoundingRect().contains(pos):
            return None
        day = self.start + timedelta(days=round(view.mapSceneToView(pos).x()))
        return next((p for p in self.points if p.day == day), None)

    def tooltip_for(self, point: ScorePoint | None) -> str:
        if point is None or self.today is None:
            return ""
        return score_tooltip(point.day, point.score_pct, self.today)

    def _on_mouse_moved(self, pos: QPointF) -> None:
        point = self.point_at_scene(pos)
        index = -1 if point is None else int(self.x_of(point))
        if index == self._hover_index:
            return
        self._hover_index = index
        self.hovered.emit(index)
        if point is None:
            QToolTip.hideText()
            return
        QToolTip.showText(
            self.plot.mapToGlobal(self.plot.mapFromScene(pos)), self.tooltip_for(point), self.plot
        )


OUTCOME_PANEL_HEIGHT_PX = 150  # each of the two outcome panels (SBI, PSFS), at 100 % text
OUTCOME_SYMBOL_SIZE_PX = 12


class OutcomeChart(QWidget):
    """The clinicians' measures over time, each on its own scale: the SBI total (0–24, lower is better) and
    the PSFS average (0–10, higher is better), a point for each check-in. The page gives the same numbers as
    text beside it."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.panels: dict[str, tuple[pg.PlotWidget, pg.PlotDataItem, float]] = {}
        for key, name, top in (
            ("sbi", _("Bothersomeness (0–24)"), 24.0),
            ("psfs", _("Activities (0–10)"), 10.0),
        ):
            plot = still_panel(name, OUTCOME_PANEL_HEIGHT_PX)
            line = pg.PlotDataItem()
            plot.getPlotItem().addItem(line)
            plot.setProperty("title", name)
            self.panels[key] = (plot, line, top)
            layout.addWidget(plot)
        self.start: date | None = None
        self.days = 1
        self.apply_colors(current_colors())

    def set_points(self, sbi: Sequence[tuple[date, int]], psfs: Sequence[tuple[date, float]]) -> None:
        days = [d for d, _v in (*sbi, *psfs)]
        self.start = min(days) if days else None
        self.days = max(1, (max(days) - min(days)).days + 1) if days else 1
        for key, points in (("sbi", sbi), ("psfs", psfs)):
            _plot, line, _top = self.panels[key]
            if self.start is None or not points:
                line.setData([], [])
                continue
            x = np.array([float((d - self.start).days) for d, _v in points], dtype=float)
            y = np.array([float(v) for _d, v in points], dtype=float)
            line.setData(x, y)
        self.apply_colors(current_colors())

    def apply_colors(self, c: Colors) -> None:
        font = QFont(QApplication.font())
        font.setPointSizeF(max(10.0, font.pointSizeF() * 0.95))
        for key, (plot, line, top) in self.panels.items():
            item = plot.getPlotItem()
            color_axes(plot, c, font)
            item.setTitle(plot.property("title"), color=c.text, size=f"{font.pointSizeF():.0f}pt")
            color = c.accent if key == "psfs" else series_colors(c)["leg"]
            line.setPen(pg.mkPen(color, width=LINE_WIDTH_PX))
            line.setSymbol("o")
            line.setSymbolSize(OUTCOME_SYMBOL_SIZE_PX)
            line.setSymbolBrush(pg.mkBrush(color))
            line.setSymbolPen(pg.mkPen(c.surface))
            item.getAxis("left").setWidth(AXIS_WIDTH_PX)
            item.getAxis("left").setTicks(
                [[(float(v), str(v)) for v in range(0, int(top) + 1, 6 if top > 10 else 2)], []]
            )
            item.vb.setRange(yRange=(0, top * 1.15), xRange=(-3.5, self.days + 2.5), padding=0)
            if self.start is not None:
                item.getAxis("bottom").setTicks([day_ticks(self.start, self.days, 1 + self.days // 70), []])


SITTING_CHART_HEIGHT_PX = 190  # the sitting-breaks chart, at 100 % text (taller when its axis title needs it)
DAY_BAR_WIDTH = 0.7  # in days
SKIPPED_OPACITY = 0.6  # skipped breaks: the muted text colour this strong over the card, quieter than taken


def sitting_colors(c: Colors) -> dict[str, str]:
    """Taken breaks in the theme's accent, skipped ones in a quieter grey that still stands out from the card."""
    return {"taken": c.accent, "skipped": blend(c.muted, c.surface, SKIPPED_OPACITY)}


class SittingBreaksChart(QWidget):
    """Sitting breaks taken and skipped on each day of the last four weeks, as stacked bars (taken below, in
    the accent colour; skipped above, quieter), dates at the Mondays. The page says the same figures in words
    under it, and they are the chart's accessible description."""

    def __init__(self) -> None:
        super().__init__()
        self.overview: SittingBreaksOverview | None = None
        self.days = SITTING_CHART_WEEKS * 7
        self.plot = still_panel(_("Sitting breaks chart"), SITTING_CHART_HEIGHT_PX)
        item = self.plot.getPlotItem()
        item.vb.setDefaultPadding(0.0)
        item.vb.sigResized.connect(self._update_ticks)
        self.bars = {
            key: pg.BarGraphItem(x=[0.0], height=[0.0], width=DAY_BAR_WIDTH) for key in ("taken", "skipped")
        }
        for bar in self.bars.values():
            bar.setVisible(False)
            item.addItem(bar)
        self._top = 1
        self.legend = _Legend()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(PANEL_GAP_PX)
        layout.addWidget(self.plot)
        layout.addWidget(self.legend)
        self.apply_colors(current_colors())

    def set_overview(self, overview: SittingBreaksOverview) -> None:
        """Draw the days of `overview` (x = days since its first day; the last four whole weeks are shown)."""
        self.overview = overview
        days = overview.days
        self.days = max(SITTING_CHART_WEEKS * 7, len(days))
        self._top = max([1, *(d.taken + d.skipped for d in days)])
        x = np.arange(len(days), dtype=float)
        taken = np.array([d.taken for d in days], dtype=float)
        skipped = np.array([d.skipped for d in days], dtype=float)
        self.bars["taken"].setOpts(x=x, y0=np.zeros(len(days)), height=taken, width=DAY_BAR_WIDTH)
        self.bars["skipped"].setOpts(x=x, y0=taken, height=skipped, width=DAY_BAR_WIDTH)
        for key, values in (("taken", taken), ("skipped", skipped)):
            self.bars[key].setVisible(bool(len(days)) and bool(values.any()))
        self.plot.setAccessibleDescription(sitting_breaks_description(overview))
        self.apply_colors(current_colors())

    def figures(self, key: str) -> list[int]:
        """The heights of the taken or skipped bars, a day each (for tests and the curious)."""
        height = self.bars[key].opts.get("height")
        return [] if height is None else [int(v) for v in height]

    def _tick_font(self) -> QFont:
        return tick_font()

    def apply_colors(self, c: Colors) -> None:
        """Colour the bars, axes and key anew and fit the text to the current text size (light/dark, text
        size); the figures stay."""
        style_small_chart(self.plot, c, _("Breaks a day"), str(max(10, self._top)), SITTING_CHART_HEIGHT_PX)
        colors = sitting_colors(c)
        for key, bar in self.bars.items():
            bar.setOpts(brush=pg.mkBrush(colors[key]), pen=pg.mkPen(c.surface, width=1))
        self.legend.set_entries(
            [("■", colors["taken"], _("Breaks taken")), ("■", colors["skipped"], _("Breaks skipped"))]
        )
        self._update_ticks()

    def _update_ticks(self) -> None:
        """Whole numbers up the side, as many as fit; dates at the Mondays along the bottom."""
        item = self.plot.getPlotItem()
        view = item.vb
        metrics = QFontMetricsF(self._tick_font())
        span = self._top * 1.15
        height = view.height() or SITTING_CHART_HEIGHT_PX
        every = max(1, value_step(self._top, height / span, metrics.height()) if self._top > 2 else 1)
        item.getAxis("left").setTicks([[(float(v), str(v)) for v in range(every, self._top + 1, every)], []])
        view.setRange(yRange=(0, span), padding=0)
        if self.overview is None or not self.overview.days:
            return
        first = self.overview.first
        ticks = day_ticks(first, self.days)
        label_px = max(metrics.horizontalAdvance(text) for _x, text in ticks)
        width = view.width() or self.plot.width()
        right = max(0.6, (label_px / 2 + 2) / max(1e-6, width / (self.days + 1)))
        view.setXRange(-0.6, self.days - 1 + right, padding=0)
        px_per_week = 7 * width / (self.days - 0.4 + right)
        step = tick_step(max(1, len(ticks)), px_per_week, label_px)
        axis = item.getAxis("bottom")
        axis.setTicks([day_ticks(first, self.days, step), []])
        axis.setStyle(hideOverlappingLabels=math.ceil(label_px / 2))
