"""Issue 20 follow-up: the Learn page's lesson list reads from two metres, as the app's primary buttons do:
large bold words that follow the text-size setting, a focus that shows without changing the button's size,
and long titles in more lines (never a page too wide) in a small window with large text, in German too."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from sciatica_coach import i18n
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.learn_page import LearnPage
from sciatica_coach.views.main_window import MainWindow
from tests.helpers import FakeClock, main_window

START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def learn_page(window: MainWindow) -> LearnPage:
    window.go_to_page("learn")
    page = window.page("learn")
    assert isinstance(page, LearnPage)
    QApplication.processEvents()
    return page


def text_pt(button: QPushButton) -> float:
    button.ensurePolished()
    return button.font().pointSizeF()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_lessons_are_as_large_as_a_primary_button(qtbot: QtBot, data_dir: Path, theme: str) -> None:
    repo = Repository.open(data_dir)
    repo.set_setting("theme", theme)
    with main_window(qtbot, repo, FakeClock(START)) as window:
        window.resize(1100, 800)
        page = learn_page(window)
        start = window.page("today").start_button  # type: ignore[attr-defined]
        for button in page.lesson_buttons.values():
            assert text_pt(button) == pytest.approx(text_pt(start), abs=0.2), "the Start button's size"
            assert button.font().bold() or button.font().weight() >= 600
            assert "\n" not in button.text(), "one line when there is room"
        assert text_pt(next(iter(page.lesson_buttons.values()))) >= 1.3 * QApplication.font().pointSizeF()


def test_the_lessons_grow_with_the_text_size_setting(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    with main_window(qtbot, repo, FakeClock(START)) as window:
        page = learn_page(window)
        usual = text_pt(page.lesson_buttons["bed"])
        window.ctx.set_setting("text_scale", 150)  # as Settings saves it
        QApplication.processEvents()
        assert text_pt(page.lesson_buttons["bed"]) == pytest.approx(usual * 1.5, rel=0.05)


def test_focus_shows_and_keeps_the_button_size(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    with main_window(qtbot, repo, FakeClock(START)) as window:
        window.resize(1100, 800)
        page = learn_page(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        first, second = list(page.lesson_buttons.values())[:2]

        def looks() -> tuple[QImage, QSize]:
            first.style().unpolish(first)
            first.style().polish(first)
            QApplication.processEvents()
            return first.grab().toImage(), first.sizeHint()

        second.setFocus()
        qtbot.waitUntil(second.hasFocus)
        unfocused, unfocused_hint = looks()
        first.setFocus()
        qtbot.waitUntil(first.hasFocus)
        focused, focused_hint = looks()
        assert focused_hint == unfocused_hint, "focus never changes the button's size"
        middle = first.height() // 2
        assert focused.pixelColor(1, middle) != unfocused.pixelColor(1, middle), "the border shows the focus"
        inside = (first.width() // 2, 6)
        assert focused.pixelColor(*inside) != unfocused.pixelColor(*inside), "and a tint inside it"


@pytest.mark.parametrize("language", ["en", "de"])
def test_small_window_large_text_nothing_cut_off(qtbot: QtBot, data_dir: Path, language: str) -> None:
    i18n.set_language(language)
    repo = Repository.open(data_dir)
    repo.set_setting("text_scale", 150)
    with main_window(qtbot, repo, FakeClock(START)) as window:
        window.apply_appearance()
        window.resize(760, 540)  # the window's minimum size
        page = learn_page(window)
        QApplication.processEvents()
        assert page.horizontalScrollBar().maximum() == 0, "nothing cut off at the side"
        assert any("\n" in button.text() for button in page.lesson_buttons.values()), "long titles wrap"
        assert all(
            b.accessibleName() == b.text().split(" · ")[0] or b.accessibleName()
            for b in page.lesson_buttons.values()
        )
