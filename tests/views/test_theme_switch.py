"""Light/dark switched while the app runs: the drawings already on screen repaint in the new palette's
colours (they used to keep the old ink, nearly invisible on the new background, until a restart)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from sciatica_coach.views import main_window
from sciatica_coach.views.illustrations import IllustrationWidget, paint_illustration
from sciatica_coach.views.theme import DARK, LIGHT, Colors, apply_theme, current_colors
from sciatica_coach.views.today_page import TodayPage
from tests.views.walk import make_window, settle, themed_app  # noqa: F401 - a fixture

NEAR = 40  # how far (sum of channel differences) a pixel may be from a colour and still count as it


def distance(first: QColor, second: QColor) -> int:
    return (
        abs(first.red() - second.red())
        + abs(first.green() - second.green())
        + abs(first.blue() - second.blue())
    )


def ink_share(widget: QWidget, colors: Colors) -> float:
    """Of the drawing's pixels (those not the background), the share in the theme's text colour. A drawing in
    the current theme's ink scores high; one left in the other theme's ink scores about nothing."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    counts: Counter[int] = Counter(
        image.pixel(x, y) for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
    )
    background = QColor.fromRgb(counts.most_common(1)[0][0])
    drawn = {rgb: n for rgb, n in counts.items() if distance(QColor.fromRgb(rgb), background) > NEAR}
    assert drawn, "the drawing shows something"
    ink = QColor(colors.text)
    in_ink = sum(n for rgb, n in drawn.items() if distance(QColor.fromRgb(rgb), ink) <= NEAR)
    return in_ink / sum(drawn.values())


def today_drawings(page: TodayPage) -> list[QWidget]:
    """The exercise drawings on Today (each exercise adds its drawing, then its words, to the grid)."""
    found = []
    for index in range(0, page.exercise_grid.count(), 2):
        item = page.exercise_grid.itemAt(index)
        widget = item.widget() if item is not None else None
        if widget is not None:
            found.append(widget)
    return found


@pytest.mark.usefixtures("themed_app")
def test_today_drawings_follow_the_colours_chosen_in_settings(qtbot: QtBot, data_dir: Path) -> None:
    window, _clock = make_window(qtbot, data_dir, (1024, 700))
    page = window.page("today")
    assert isinstance(page, TodayPage)
    for theme, colors in (("light", LIGHT), ("dark", DARK), ("light", LIGHT)):
        window.ctx.set_setting("theme", theme)  # as Settings → Colours does
        settle()
        assert current_colors() == colors
        drawings = today_drawings(page)
        assert drawings, "Today shows the exercises' drawings"
        for drawing in drawings:
            share = ink_share(drawing, colors)
            assert share > 0.3, f"{theme}: only {share:.0%} of the drawing is in the {theme} ink"


@pytest.mark.usefixtures("themed_app")
def test_drawings_follow_the_system_switching_light_and_dark(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, _clock = make_window(qtbot, data_dir, (1024, 700))
    page = window.page("today")
    assert isinstance(page, TodayPage)
    for dark, colors in ((False, LIGHT), (True, DARK), (False, LIGHT)):
        monkeypatch.setattr(main_window, "system_prefers_dark", lambda dark=dark: dark)
        window.apply_appearance()  # what the system's colorSchemeChanged calls
        settle()
        assert current_colors() == colors
        for drawing in today_drawings(page):
            share = ink_share(drawing, colors)
            assert share > 0.3, f"dark={dark}: only {share:.0%} of the drawing is in the ink"


@pytest.mark.usefixtures("themed_app")
def test_any_illustration_widget_follows_an_application_palette_change(qtbot: QtBot) -> None:
    """The widget itself follows the palette (session, routine, cautions), and its accent when none is fixed."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    holder = QWidget()
    qtbot.addWidget(holder)
    holder.resize(320, 240)
    drawing = IllustrationWidget("bridge-hold", parent=holder)
    drawing.setGeometry(0, 0, 320, 240)
    holder.show()
    for colors in (LIGHT, DARK, LIGHT):
        apply_theme(app, "dark" if colors.dark else "light")
        settle()
        assert drawing.ink_color() == QColor(colors.text)
        assert drawing.accent_color() == QColor(colors.accent)
        share = ink_share(drawing, colors)
        assert share > 0.3, f"dark={colors.dark}: only {share:.0%} of the drawing is in the ink"


def test_ink_share_tells_the_themes_apart(qtbot: QtBot) -> None:
    """The measure itself: a drawing in light ink on the light background scores high in light, low in dark."""
    image = QImage(320, 240, QImage.Format.Format_RGB32)
    image.fill(QColor(LIGHT.surface))
    painter = QPainter(image)
    paint_illustration(
        painter, QRectF(0, 0, 320, 240), "bridge-hold", QColor(LIGHT.text), QColor(LIGHT.accent)
    )
    painter.end()

    class Picture(QWidget):
        def grab(self, *_args: object) -> QPixmap:
            return QPixmap.fromImage(image)

    picture = Picture()
    qtbot.addWidget(picture)
    assert ink_share(picture, LIGHT) > 0.3
    assert ink_share(picture, DARK) < 0.05
