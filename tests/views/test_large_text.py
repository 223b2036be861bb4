"""Large text: at 200 % (Settings → Text size) every main view and session stage, rendered offscreen at
1280×800, has no clipped label or button text and no overlapping neighbours in a layout (measured); the
sidebar's page names fit their buttons, in English and German; the chart's axis labels don't collide."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QFont, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sciatica_coach.platform import locale_support
from sciatica_coach.services.progress_text import RANGES_WEEKS
from sciatica_coach.views.charts import WeeklyChart
from sciatica_coach.views.main_window import MINIMUM_SIZE, MainWindow
from sciatica_coach.views.progress_page import ProgressPage
from tests.views.walk import make_window, settle, stages, themed_app  # noqa: F401 - a fixture

SCALE_PERCENT = 200
SIZE = (1280, 800)
SLACK_PX = 1  # rounding


def clipped(widget: QWidget) -> str | None:
    """Why the widget's text does not fit its geometry, or None."""
    size = widget.size()
    if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
        if widget.wordWrap():
            needed = widget.heightForWidth(size.width())
            if needed > size.height() + SLACK_PX:
                return f"needs {needed}px height, has {size.height()}"
        hint = widget.minimumSizeHint() if widget.wordWrap() else widget.sizeHint()
        if not widget.wordWrap() and hint.width() > size.width() + SLACK_PX:
            return f"needs {hint.width()}px width, has {size.width()}"
        if hint.height() > size.height() + SLACK_PX:
            return f"needs {hint.height()}px height, has {size.height()}"
    if isinstance(widget, QAbstractButton) and widget.text():
        hint = widget.sizeHint()
        if hint.width() > size.width() + SLACK_PX or hint.height() > size.height() + SLACK_PX:
            return f"needs {hint.width()}×{hint.height()}, has {size.width()}×{size.height()}"
    return None


def overlaps(layout: QLayout) -> list[tuple[QWidget, QWidget]]:
    """Pairs of visible widgets placed by the same layout whose rectangles intersect."""
    widgets: list[QWidget] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        widget = item.widget() if item is not None else None
        if widget is not None and widget.isVisible() and not widget.size().isEmpty():
            widgets.append(widget)
    found = []
    for i, first in enumerate(widgets):
        for second in widgets[i + 1 :]:
            if QRect(first.geometry()).intersects(second.geometry()):
                found.append((first, second))
    return found


def describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
    return f"{type(widget).__name__}({text[:50]!r})"


def problems_in(stage: QWidget) -> list[str]:
    found = []
    for widget in [stage, *stage.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if (why := clipped(widget)) is not None:
            found.append(f"clipped {describe(widget)}: {why}")
        layout = widget.layout()
        if layout is not None:
            for layout_ in [layout, *layout.findChildren(QLayout)]:
                for first, second in overlaps(layout_):
                    found.append(f"overlap {describe(first)} / {describe(second)}")
    return found


@pytest.mark.usefixtures("themed_app")
def test_nothing_is_clipped_or_overlapping_at_200_percent(qtbot: QtBot, data_dir: Path) -> None:
    window, clock = make_window(qtbot, data_dir, SIZE)
    window.ctx.set_setting("text_scale", SCALE_PERCENT)  # applies the theme at 200 % (MainWindow listens)
    app = QApplication.instance()
    assert isinstance(app, QApplication) and app.font().pointSizeF() >= 24, "the text really is at 200 %"
    found: dict[str, list[str]] = {}
    for name, stage in stages(window, clock):
        settle()
        if shots := os.environ.get("SCIATICA_COACH_SHOTS"):  # a folder, to look at the renderings by eye
            stage.grab().save(str(Path(shots) / f"large-{name.replace(' ', '-')}.png"))
        if problems := problems_in(stage):
            found[name] = problems
    assert not found, "\n".join(f"{name}: {p}" for name, ps in found.items() for p in ps)


def text_room(button: QPushButton) -> int:
    """The width the button's style leaves for its text (inside margin, border and padding)."""
    option = QStyleOptionButton()
    button.initStyleOption(option)
    return button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button).width()


def sidebar_problems(window: MainWindow) -> list[str]:
    """Page names wider than their button's room for text, measured in bold (the chosen page's weight)."""
    found = []
    for key, button in window.nav_buttons.items():
        bold = QFont(button.font())
        bold.setBold(True)
        needed, room = QFontMetrics(bold).horizontalAdvance(button.text()), text_room(button)
        if needed > room:
            found.append(f"{key} {button.text()!r}: needs {needed}px, has {room}")
    return found


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("scale", [100, SCALE_PERCENT])
@pytest.mark.usefixtures("themed_app")
def test_sidebar_names_fit_their_buttons(qtbot: QtBot, data_dir: Path, language: str, scale: int) -> None:
    locale_support.apply_language(language)
    window, _clock = make_window(qtbot, data_dir, SIZE)
    window.ctx.set_setting("text_scale", scale)
    settle()
    assert window.nav_buttons["settings"].font().pointSizeF() >= 13 * scale / 100, "the text is at that size"
    assert not sidebar_problems(window), sidebar_problems(window)
    brand = window.sidebar.findChild(QLabel)
    assert brand is not None
    assert not clipped(brand), clipped(brand)
    page_room = MINIMUM_SIZE[0] - window.sidebar.width()
    assert page_room >= 400, f"at the smallest window the page keeps only {page_room}px"


@pytest.mark.usefixtures("themed_app")
def test_sidebar_follows_the_text_size_both_ways(qtbot: QtBot, data_dir: Path) -> None:
    locale_support.apply_language("de")
    window, _clock = make_window(qtbot, data_dir, SIZE)
    usual = window.sidebar.width()
    window.ctx.set_setting("text_scale", SCALE_PERCENT)
    settle()
    assert window.sidebar.width() > usual, "wider for larger text"
    window.ctx.set_setting("text_scale", 100)
    settle()
    assert window.sidebar.width() == usual, "and back"


def chart_label_problems(chart: WeeklyChart) -> list[str]:
    """Where the chart's axis labels collide or don't fit, measured on what pyqtgraph would draw: each axis's
    label rectangles (the axis's own font and layout), against each other, the axis's size and its title."""
    found = []
    for panel_name, plot in (("sessions", chart.plot), ("pain", chart.pain_plot)):
        for side in ("left", "bottom"):
            axis = plot.getPlotItem().getAxis(side)
            font = axis.style["tickFont"]
            line_px = QFontMetrics(font).height()
            image = QImage(8, 8, QImage.Format.Format_ARGB32)
            painter = QPainter(image)
            painter.setFont(font)
            try:
                _axis_line, _ticks, texts = axis.generateDrawSpecs(painter)
            finally:
                painter.end()
            where = f"{panel_name} {side}"
            wanted = [text for _value, text in axis._tickLevels[0]] if axis._tickLevels else []
            drawn = [text for _rect, _flags, text in texts]
            if drawn != wanted:
                found.append(f"{where}: shows {drawn}, meant to show {wanted}")
            rects = [QRectF(rect) for rect, _flags, _text in texts]
            for i, first in enumerate(rects):
                for second in rects[i + 1 :]:
                    if first.intersects(second):
                        found.append(f"{where}: labels overlap at {first} and {second}")
            if side == "bottom":
                for rect in rects:
                    if rect.top() + line_px > axis.height() + SLACK_PX:
                        found.append(
                            f"{where}: a date needs {rect.top() + line_px:.0f}px, axis {axis.height()}"
                        )
                continue
            title = axis.label.mapRectToParent(axis.label.boundingRect())
            if title.top() < -SLACK_PX or title.bottom() > axis.height() + SLACK_PX:
                found.append(f"{where}: title {title.height():.0f}px long, axis {axis.height():.0f}px high")
            for rect in rects:
                if rect.left() < title.right() or rect.right() > axis.width() + SLACK_PX:
                    found.append(f"{where}: number {rect} outside {title.right():.0f}…{axis.width():.0f}")
    return found


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("scale", [100, SCALE_PERCENT])
@pytest.mark.parametrize("size", [(1024, 700), SIZE])
@pytest.mark.usefixtures("themed_app")
def test_chart_labels_fit_and_never_collide(
    qtbot: QtBot, data_dir: Path, language: str, scale: int, size: tuple[int, int]
) -> None:
    locale_support.apply_language(language)
    window, _clock = make_window(qtbot, data_dir, size)
    window.ctx.set_setting("text_scale", scale)
    window.show_page("progress")
    page = window.page("progress")
    assert isinstance(page, ProgressPage)
    found = {}
    for weeks in RANGES_WEEKS:
        page.set_range(weeks)
        settle()
        chart = page.chart
        assert chart.plot.getPlotItem().getAxis("bottom").style["tickFont"].pointSizeF() >= 11 * scale / 100
        if problems := chart_label_problems(chart):
            found[weeks] = problems
    assert not found, found


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("scale", [100, SCALE_PERCENT])
@pytest.mark.parametrize("size", [(1024, 700), SIZE])
@pytest.mark.usefixtures("themed_app")
def test_today_and_progress_need_no_sideways_scrolling(
    qtbot: QtBot, data_dir: Path, language: str, scale: int, size: tuple[int, int]
) -> None:
    """What doesn't fit the width goes beneath (cards, drawings, buttons) or wraps: nothing is out of sight
    to the right, behind a scroll bar a person lying on a mat would not think to use."""
    locale_support.apply_language(language)
    window, _clock = make_window(qtbot, data_dir, size)
    window.ctx.set_setting("text_scale", scale)
    found = {}
    for key in ("today", "progress"):
        window.show_page(key)
        page = window.page(key)
        if isinstance(page, ProgressPage):
            assert page.chart is not None
        for _round in range(3):  # a new layout reaches the scroll area a few event-loop rounds later
            settle()
        assert isinstance(page, QScrollArea)
        body = page.widget()
        assert body is not None
        if body.width() > page.viewport().width() or page.horizontalScrollBar().maximum() > 0:
            wide = [
                describe(child) + f" {child.minimumSizeHint().width()}px"
                for child in body.findChildren(QWidget)
                if child.isVisible() and child.minimumSizeHint().width() > page.viewport().width() - 120
            ]
            found[key] = f"{body.width()}px in {page.viewport().width()}px: {wide[-6:]}"
    assert not found, found


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("scale", [100, SCALE_PERCENT])
@pytest.mark.usefixtures("themed_app")
def test_calendar_labels_and_legend_fit(qtbot: QtBot, data_dir: Path, language: str, scale: int) -> None:
    """The calendar's day and month names and its legend are measured in their font: at 200 % they neither
    run under the squares nor past the right edge (they were cut off)."""
    from sciatica_coach.platform.locale_support import weekday_name
    from sciatica_coach.views.calendar_heatmap import CELL_GAP_PX, CalendarHeatmap
    from sciatica_coach.views.theme import current_colors

    locale_support.apply_language(language)
    window, _clock = make_window(qtbot, data_dir, (1024, 700))
    window.ctx.set_setting("text_scale", scale)
    window.show_page("progress")
    settle()
    [calendar] = window.page("progress").findChildren(CalendarHeatmap)
    metrics = QFontMetrics(calendar.label_font())
    assert calendar.label_font().pointSizeF() >= 9 * scale / 100 * 0.85 - 0.5
    days = max(metrics.horizontalAdvance(weekday_name(row, short=True)) for row in range(7))
    assert days + CELL_GAP_PX <= calendar.day_label_width() - 8, "a day name runs under the squares"
    assert metrics.height() <= calendar.month_label_height() - 4, "the month names are cut off at the top"
    lines = calendar.legend_lines(current_colors(), calendar.width())
    assert sum(len(line) for line in lines) == 5
    for line in lines:
        _brush, text, _dot, x = line[-1]
        assert x + 20 + metrics.horizontalAdvance(text) <= calendar.width(), f"{text!r} runs off the edge"
    assert metrics.height() <= calendar.legend_line_height()
    legend_top = calendar.month_label_height() + 7 * (calendar._cell + CELL_GAP_PX) + 8
    assert legend_top + len(lines) * calendar.legend_line_height() <= calendar.height(), (
        "the legend is cut off"
    )
