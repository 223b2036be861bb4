"""The main window shell: navigation, lazy pages, remembered geometry, layout at 1024x640."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from sciatica_coach.storage.repository import DataError, Repository
from sciatica_coach.views import main_window, theme
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.main_window import DEFAULT_SIZE, MainWindow, PageSpec


def make_window(qtbot: QtBot, data_dir: Path, pages: list[PageSpec] | None = None) -> MainWindow:
    window = MainWindow(AppContext(Repository.open(data_dir)), pages)
    qtbot.addWidget(window)
    return window


def test_title_and_navigation(qtbot: QtBot, data_dir: Path) -> None:
    window = make_window(qtbot, data_dir)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.windowTitle() == "Sciatica Coach"
    assert list(window.nav_buttons) == ["today", "progress", "routine", "reminders", "settings", "learn"]
    assert window.current_key() == "today"
    qtbot.mouseClick(window.nav_buttons["reminders"], Qt.MouseButton.LeftButton)
    assert window.current_key() == "reminders"
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "progress"
    for button in window.nav_buttons.values():
        assert button.accessibleName()
        assert "Ctrl+" in button.toolTip()


def test_pages_are_built_only_when_first_shown(qtbot: QtBot, data_dir: Path) -> None:
    built: list[str] = []

    def factory(key: str) -> PageSpec:
        def build(_ctx: AppContext) -> QWidget:
            built.append(key)
            return QLabel(key)

        return PageSpec(key, key.title(), key, build)

    window = make_window(qtbot, data_dir, [factory("today"), factory("progress")])
    assert built == ["today"]
    window.show_page("progress")
    window.show_page("today")
    window.show_page("progress")
    assert built == ["today", "progress"]


def test_geometry_is_remembered(qtbot: QtBot, data_dir: Path) -> None:
    window = make_window(qtbot, data_dir)
    window.show()
    # the offscreen screen is 800x600 and restoring clamps to the screen, so stay inside it
    window.resize(790, 560)
    qtbot.waitUntil(lambda: window.width() == 790)
    window.close()
    again = make_window(qtbot, data_dir)
    assert (again.width(), again.height()) == (790, 560)


def test_broken_saved_geometry_is_ignored(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.set_setting("window_geometry", "not base64 at all!")
    window = make_window(qtbot, data_dir)
    assert (window.width(), window.height()) == DEFAULT_SIZE  # as with nothing saved


def test_layout_holds_at_1024_by_640(qtbot: QtBot, data_dir: Path) -> None:
    window = make_window(qtbot, data_dir)
    window.resize(1024, 640)
    window.show()
    QApplication.processEvents()
    for key in window.nav_buttons:
        window.show_page(key)
        QApplication.processEvents()
        page = window.page(key)
        assert page.width() <= window.width()
        assert window.minimumSizeHint().width() <= 1024
        assert window.minimumSizeHint().height() <= 640


def test_first_paint_uses_the_remembered_system_scheme_then_follows_the_real_one(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At start the colours come from the light/dark choice seen last time (asking Qt costs ~20 ms before the
    window can show); once the window is up, the real answer is asked for and remembered."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    repo = Repository.open(data_dir)
    repo.set_state(theme.SYSTEM_DARK_STATE, True)  # dark last time
    monkeypatch.setattr(main_window, "system_prefers_dark", lambda: False)  # light now
    assert (
        theme.apply_theme(app, "system", 100, system_dark=repo.state(theme.SYSTEM_DARK_STATE)) is theme.DARK
    )
    window = MainWindow(AppContext(repo))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: theme.current_colors() is theme.LIGHT)
    assert repo.state(theme.SYSTEM_DARK_STATE) is False


def test_an_unchanged_system_scheme_does_not_restyle_the_window(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repository.open(data_dir)
    repo.set_state(theme.SYSTEM_DARK_STATE, False)
    asked: list[bool] = []
    monkeypatch.setattr(main_window, "system_prefers_dark", lambda: asked.append(False) or False)
    applied: list[str] = []
    monkeypatch.setattr(main_window, "apply_theme", lambda _app, mode, *_a: applied.append(mode))
    window = MainWindow(AppContext(repo))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(asked))  # the check runs from the event loop
    assert applied == []
    window.apply_appearance()  # a settings change still does
    assert applied == ["system"]


def test_a_failed_write_does_not_stop_the_colours_following_the_system(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(qtbot, data_dir)
    window.ctx.repo.set_state(theme.SYSTEM_DARK_STATE, False)  # light last time; dark now
    monkeypatch.setattr(main_window, "system_prefers_dark", lambda: True)

    def disk_full(*_a: object) -> None:
        raise DataError("The disk is full.")

    monkeypatch.setattr(window.ctx.repo, "set_state", disk_full)
    window.apply_appearance()
    assert theme.current_colors() is theme.DARK


def test_enter_clicks_follow_the_focus_without_a_filter_on_the_application(
    qtbot: QtBot, data_dir: Path
) -> None:
    """Return/Enter clicks the focused button or the page's main one, page after page, with the filter
    watching only the focused widget and the widgets around it: one on the application would see every
    event of every object, and PySide6 would keep a wrapper, type and enums for each kind (issue 18, point 7)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout

    from sciatica_coach.views.widgets import EnterClicks, set_enter_button

    clicks: list[str] = []
    parts: dict[str, tuple[QLineEdit, QPushButton]] = {}

    def factory(key: str) -> PageSpec:
        def build(_ctx: AppContext) -> QWidget:
            page = QWidget()
            box = QVBoxLayout(page)
            field, main, other = QLineEdit(), QPushButton(f"{key} main"), QPushButton(f"{key} other")
            for widget in (field, main, other):
                box.addWidget(widget)
            main.clicked.connect(lambda: clicks.append(f"{key} main"))
            other.clicked.connect(lambda: clicks.append(f"{key} other"))
            set_enter_button(page, main)
            parts[key] = (field, other)
            return page

        return PageSpec(key, key.title(), key, build)

    window = make_window(qtbot, data_dir, [factory("today"), factory("progress")])
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.wait(1)  # the start-up work (AppContext.after_start) puts the filter in place
    app = QApplication.instance()
    assert app is not None and app.findChild(EnterClicks) is None
    field, other = parts["today"]
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Return)  # the field doesn't take Enter: the page's main button does
    other.setFocus()
    qtbot.keyClick(other, Qt.Key.Key_Enter)
    assert clicks == ["today main", "today other"]
    gone = QPushButton("gone", other.parentWidget())
    gone.setFocus()
    gone.deleteLater()  # a focused widget deleted: its filter goes with it, and nothing breaks
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    window.go_to_page("progress")
    field, other = parts["progress"]
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Return)
    other.setFocus()
    qtbot.keyClick(other, Qt.Key.Key_Return)
    assert clicks == ["today main", "today other", "progress main", "progress other"]  # each once
