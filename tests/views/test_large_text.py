"""Large text: at 200 % (Settings → Text size) every main view and session stage, rendered offscreen at
1280×800, has no clipped label or button text and no overlapping neighbours in a layout (measured)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLayout, QWidget
from pytestqt.qtbot import QtBot

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
