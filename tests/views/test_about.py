"""About, at the bottom of Settings: name, version, the free-software line, and a Licences button opening the
app's GPL and the third-party notices (Qt under the LGPL among them), by keyboard and for screen readers,
in English and German, light and dark."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from sciatica_coach import __version__
from sciatica_coach.platform import locale_support
from sciatica_coach.views.about import LicencesDialog
from sciatica_coach.views.settings_page import SettingsPage
from sciatica_coach.views.theme import DARK, current_colors
from tests.views.walk import make_window, settle, themed_app  # noqa: F401 - a fixture

FREE_LINE = "Free software under the GNU GPL, version 3 or later. It comes with no warranty."


def settings(qtbot: QtBot, data_dir: Path) -> SettingsPage:
    window, _clock = make_window(qtbot, data_dir)
    window.show_page("settings")
    page = window.page("settings")
    assert isinstance(page, SettingsPage)
    settle()
    return page


def open_dialog(qtbot: QtBot, page: SettingsPage) -> LicencesDialog:
    page.licences_button.setFocus()
    qtbot.keyClick(page.licences_button, Qt.Key.Key_Space)  # by keyboard, as from a remote or a keyboard
    dialog = page.findChild(LicencesDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_about_card_says_name_version_and_no_warranty(qtbot: QtBot, data_dir: Path) -> None:
    page = settings(qtbot, data_dir)
    texts = [w.text() for w in page.findChildren(QLabel) if w.isVisibleTo(page)]
    assert "About Sciatica Coach" in texts
    assert f"Sciatica Coach, version {__version__}" in texts
    assert FREE_LINE in texts
    assert page.licences_button.text() == "Licences"
    assert page.licences_button.accessibleName() == "Licences"
    assert page.licences_button.accessibleDescription()
    # the last card on the page, under Your data
    page.ensureWidgetVisible(page.licences_button)
    assert page.licences_button.isVisibleTo(page)


def test_licences_dialog_shows_the_gpl_and_the_third_party_licences(qtbot: QtBot, data_dir: Path) -> None:
    page = settings(qtbot, data_dir)
    dialog = open_dialog(qtbot, page)
    app_text = dialog.app_text.toPlainText()
    assert "GNU GENERAL PUBLIC LICENSE" in app_text and "Version 3, 29 June 2007" in app_text
    notices = dialog.notices_text.toPlainText()
    for name in ("PySide6", "shiboken6", "pyqtgraph", "numpy", "tinydb", "Python"):
        assert name in notices, name
    assert "LGPL-3.0" in notices and "GNU LESSER GENERAL PUBLIC LICENSE" in notices
    # readable: the texts can't be changed, each is named for a screen reader, and the type is the app's size
    views = dialog.findChildren(QPlainTextEdit)
    assert {v.accessibleName() for v in views} == {
        "Licence of Sciatica Coach",
        "Licences of the other software",
    }
    assert all(v.isReadOnly() for v in views)
    assert dialog.app_text.font().pointSizeF() >= QApplication.font().pointSizeF() - 0.5
    # keyboard: the other tab with Ctrl+Tab, then Escape closes
    qtbot.keyClick(dialog.app_text, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert dialog.tabs.currentWidget() is dialog.notices_text
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_close_button_is_the_default_and_closes(qtbot: QtBot, data_dir: Path) -> None:
    dialog = open_dialog(qtbot, settings(qtbot, data_dir))
    assert dialog.close_button.isDefault()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_german(qtbot: QtBot, data_dir: Path) -> None:
    locale_support.apply_language("de")
    page = settings(qtbot, data_dir)
    assert page.licences_button.text() == "Lizenzen"
    texts = [w.text() for w in page.findChildren(QLabel)]
    assert "Über Sciatica Coach" in texts and f"Sciatica Coach, Version {__version__}" in texts
    dialog = open_dialog(qtbot, page)
    assert dialog.windowTitle() == "Lizenzen"
    assert dialog.tabs.tabText(1) == "Andere Software"


def mean_lightness(widget: QWidget) -> float:
    image = widget.grab().toImage()
    samples = [
        image.pixelColor(x, y).lightness()
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
    ]
    return sum(samples) / len(samples)


def test_dark_mode_shows_the_texts_on_dark(qtbot: QtBot, data_dir: Path, themed_app: QApplication) -> None:  # noqa: F811
    page = settings(qtbot, data_dir)
    light = open_dialog(qtbot, page)
    assert mean_lightness(light.app_text.viewport()) > 180
    light.accept()
    settle()  # the closed dialog is deleted (WA_DeleteOnClose)
    page.theme.setCurrentIndex(page.theme.findData("dark"))
    assert current_colors() is DARK
    dark = open_dialog(qtbot, page)
    settle()
    assert mean_lightness(dark.app_text.viewport()) < 90  # as rendered: dark page, light letters
    palette = dark.app_text.palette()
    assert palette.color(palette.ColorRole.Text).lightness() > 150
