"""Light/dark switched while Progress is open: the charts colour their existing items anew (pens, brushes,
axes, text, the key) and leave their data where they are, rather than drawing everything again (issue 18,
point 3); and the chart as drawn in dark mode is in dark-mode colours."""

from __future__ import annotations

import os
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sciatica_coach.core.demo import generate_demo_history
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.calendar_heatmap import series_colors
from sciatica_coach.views.progress_page import ProgressPage
from sciatica_coach.views.theme import DARK, LIGHT, Colors, apply_theme
from tests.helpers import progress_page

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=ZoneInfo("Europe/London"))  # a Wednesday: this week is under way
NEAR = 40  # how far (sum of channel differences) a pixel may be from a colour and still count as it


@pytest.fixture
def page(qtbot: QtBot, data_dir: Path) -> ProgressPage:
    repo = Repository.open(data_dir)
    demo = generate_demo_history(8, NOW)
    repo.add_sessions(list(demo.sessions))
    page = progress_page(qtbot, repo, NOW)
    page.set_range(4)  # wide bars, and "so far" over this week's
    return page


def switch(qtbot: QtBot, page: ProgressPage, mode: str) -> Colors:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    colors = apply_theme(app, mode)
    qtbot.waitUntil(lambda: not page.recolor_pending)
    return colors


def distance(first: QColor, second: QColor) -> int:
    return (
        abs(first.red() - second.red())
        + abs(first.green() - second.green())
        + abs(first.blue() - second.blue())
    )


def weekly_items(page: ProgressPage) -> list[object]:
    chart = page.chart
    return [
        chart.plot, chart.pain_plot, chart.legend, chart._target_line, chart._so_far, *chart._bars.values(),
        *(graphic for pair in chart._pain_lines.values() for graphic in pair),
        chart.plot.getPlotItem().getAxis("left"), chart.pain_plot.getPlotItem().getAxis("bottom"),
    ]  # fmt: skip


def data_arrays(page: ProgressPage) -> list[object]:
    """The arrays the items draw from: new ones would mean the data were placed again."""
    chart, score = page.chart, page.score_chart
    return [
        *(bar.opts["x"] for bar in chart._bars.values() if bar.isVisible()),
        *(bar.opts["height"] for bar in chart._bars.values() if bar.isVisible()),
        chart._target_line.xData, chart._target_line.yData,
        *(line.yData for pair in chart._pain_lines.values() for line in pair),
        score._line.xData, score._fill.yData,
    ]  # fmt: skip


def assert_in_colors(page: ProgressPage, c: Colors) -> None:
    chart, score = page.chart, page.score_chart
    series = series_colors(c)
    for plot in (chart.plot, chart.pain_plot, score.plot):
        assert plot.backgroundBrush().color().name() == c.surface
        for side in ("left", "bottom"):
            axis = plot.getPlotItem().getAxis(side)
            assert axis.pen().color().name() == c.border
            assert axis.textPen().color().name() == c.text
        assert c.text in plot.getPlotItem().getAxis("left").labelStyle["color"]
    assert chart._bars["completed", False].opts["brush"].color().name() == series["completed"]
    assert chart._bars["partial", False].opts["brush"].color().name() == series["partial"]
    assert chart._bars["completed", True].opts["pen"].color().name() == c.text  # this week's dashed outline
    assert chart._target_line.opts["pen"].color().name() == series["target"]
    for key in ("back", "leg"):
        halo, line = chart._pain_lines[key]
        assert line.opts["pen"].color().name() == series[key]
        assert line.opts["symbolBrush"].color().name() == series[key]
        assert halo.opts["pen"].color().name() == c.surface
    assert chart._so_far.color.name() == c.text
    assert f"color:{series['leg']}" in chart.legend.text()
    assert score._line.opts["pen"].color().name() == c.accent
    assert score._fill.opts["fillBrush"].color().name() == c.accent


def test_a_theme_switch_recolours_the_same_items_and_keeps_the_data(qtbot: QtBot, page: ProgressPage) -> None:
    switch(qtbot, page, "light")
    assert_in_colors(page, LIGHT)
    items, arrays = weekly_items(page), data_arrays(page)
    score_items = [page.score_chart.plot, page.score_chart._line, page.score_chart._fill]
    for mode, colors in (("dark", DARK), ("light", LIGHT), ("dark", DARK)):
        assert switch(qtbot, page, mode) == colors
        assert_in_colors(page, colors)
        assert all(now is before for now, before in zip(weekly_items(page), items, strict=True))
        assert all(now is before for now, before in zip(data_arrays(page), arrays, strict=True))
        assert [page.score_chart.plot, page.score_chart._line, page.score_chart._fill] == score_items


def test_new_rows_still_redraw_the_data(qtbot: QtBot, page: ProgressPage) -> None:
    """A different range places new data in the same items (only a theme change leaves the data be)."""
    arrays = data_arrays(page)
    bars = list(page.chart._bars.values())
    page.set_range(12)
    assert list(page.chart._bars.values()) == bars
    assert len(page.chart._target_line.yData) == 12
    assert not any(now is before for now, before in zip(data_arrays(page), arrays, strict=False))


def colour_counts(page: ProgressPage) -> Counter[int]:
    """Every pixel's colour in the weekly chart's two panels as drawn now."""
    image = page.chart.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    if os.environ.get("CHART_PNG"):  # to look at it: CHART_PNG=/tmp/chart.png pytest …
        image.save(os.environ["CHART_PNG"])
    return Counter(image.pixel(x, y) for y in range(image.height()) for x in range(image.width()))


def share_near(counts: Counter[int], colour: str) -> float:
    target = QColor(colour)
    near = sum(n for rgb, n in counts.items() if distance(QColor.fromRgb(rgb), target) <= NEAR)
    return near / sum(counts.values())


def test_the_chart_drawn_in_dark_mode_is_in_dark_colours(qtbot: QtBot, page: ProgressPage) -> None:
    switch(qtbot, page, "light")
    switch(qtbot, page, "dark")
    counts = colour_counts(page)
    background = QColor.fromRgb(counts.most_common(1)[0][0])
    assert distance(background, QColor(DARK.surface)) <= NEAR, background.name()
    assert share_near(counts, DARK.accent) > 0.03  # the done sessions' bars
    assert share_near(counts, DARK.amber) > 0.0005  # a partial session's bar
    assert share_near(counts, DARK.text) > 0.001  # the numbers, dates and title
    assert share_near(counts, DARK.red) > 0.0005  # the leg pain line
    # none of the light series' colours (light's white and near-black are too like dark's text and surface)
    for light_only in (LIGHT.accent, LIGHT.amber, LIGHT.red):
        assert share_near(counts, light_only) < 0.0005, light_only
    switch(qtbot, page, "light")  # and back: nothing of the dark drawing is left
    counts = colour_counts(page)
    assert distance(QColor.fromRgb(counts.most_common(1)[0][0]), QColor(LIGHT.surface)) <= NEAR
    assert share_near(counts, LIGHT.accent) > 0.03
    for dark_only in (DARK.accent, DARK.amber, DARK.red):
        assert share_near(counts, dark_only) < 0.0005, dark_only
