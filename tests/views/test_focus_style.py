"""Focus changes a button's border colour, never its size: a focused button must not grow or shift its text
(Qt's style sheets don't re-measure a widget when only its focus changes, so a wider focus border showed as a
button of the wrong size after any later restyle)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from sciatica_coach.views.theme import apply_theme


@pytest.mark.parametrize("role", [None, "primary", "danger", "nav"])
def test_focus_keeps_the_button_size(qtbot: QtBot, role: str | None) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, "light", 100)
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    button, other = QPushButton("Start session"), QPushButton("Other")
    button.setProperty("role", role)
    layout.addWidget(button)
    layout.addWidget(other)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    def measured() -> tuple[int, int]:
        style = button.style()
        style.unpolish(button)
        style.polish(button)
        hint = button.sizeHint()
        return hint.width(), hint.height()

    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    unfocused = measured()
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    assert measured() == unfocused
