"""Pages scroll in a viewport made in Python, like Qt's own (issue 18, point 7): the Enter key's filter follows
the focus up through it just after start, and a Python wrapper for a widget Qt made would have PySide6 build
every QWidget class to find its type (about 1 MB that stays)."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.widgets import Page
from tests.helpers import main_window


def test_a_page_viewport_is_made_in_python_and_fills_like_qts(qtbot: QtBot) -> None:
    page = Page("Title", "Subtitle")
    qtbot.addWidget(page)
    plain = QScrollArea()  # with Qt's own viewport
    qtbot.addWidget(plain)
    viewport = page.viewport()
    assert shiboken6.createdByPython(viewport)
    assert not shiboken6.createdByPython(plain.viewport())
    assert viewport.objectName() == plain.viewport().objectName() == "qt_scrollarea_viewport"
    assert viewport.autoFillBackground() == plain.viewport().autoFillBackground()
    assert viewport.backgroundRole() == plain.viewport().backgroundRole()
    body = page.widget()
    assert body is not None and body.parentWidget() is viewport


def test_the_focus_chain_of_the_started_window_holds_only_widgets_made_in_python(
    qtbot: QtBot, data_dir: Path
) -> None:
    with main_window(qtbot, Repository.open(data_dir)) as window:
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.wait(1)  # the start-up work after the first paint
        focused = QApplication.focusWidget()
        assert focused is not None and window.isAncestorOf(focused)
        chain: list[QWidget] = []
        widget: QWidget | None = focused
        while widget is not None:
            chain.append(widget)
            widget = widget.parentWidget()
        assert chain[-1] is window
        assert all(shiboken6.createdByPython(w) for w in chain), [type(w).__name__ for w in chain]
