"""Return/Enter does what a click does (issue 15, point 2): on the focused push button and on a page's main
button, in the real window, while the session's own keys, the red-flag page's Enter and dialogs' default
buttons keep theirs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QHBoxLayout, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.model import Dose, LegReach, Phase, Routine, RoutineItem, SideMode
from sciatica_coach.services import cautions
from sciatica_coach.services.plans import save_routine
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.session_view import SessionView
from tests.helpers import FakeClock, main_window

SHORT = Routine(Phase.MOBILITY, (RoutineItem("prone-on-elbows", Dose(2, 1, 1, 1, 0), SideMode.BOTH),))
KEYS = [Qt.Key.Key_Return, Qt.Key.Key_Enter]


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[MainWindow]:
    repo = Repository.open(data_dir)
    save_routine(repo, SHORT)
    repo.set_setting("country", "GB")
    cautions.mark_seen(repo, load_catalogue().exercises)  # the cautions page has its own tests
    with main_window(qtbot, repo) as window:
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        yield window


def press(qtbot: QtBot, key: Qt.Key = Qt.Key.Key_Return) -> None:
    """Press `key` on whatever has the keyboard, as a person would."""
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key)


def view_of(window: MainWindow) -> SessionView:
    assert window.session_view is not None
    return window.session_view


def to_pain_check(qtbot: QtBot, window: MainWindow) -> SessionView:
    """Start from Today and get past the guidance note and the red-flag questions by keyboard."""
    today = window.page("today")
    today.start_button.setFocus()  # type: ignore[attr-defined]
    press(qtbot)
    view = view_of(window)
    assert QApplication.focusWidget() is view.guidance.accept_button
    press(qtbot)
    assert view.stack.currentWidget() is view.red_flags
    for flag_id in view.red_flags.groups:
        view.red_flags.answer(flag_id, False)
    press(qtbot)  # the red-flag page's own Enter: Continue
    assert view.stack.currentWidget() is view.before
    return view


@pytest.mark.parametrize("key", KEYS, ids=["Return", "Enter"])
def test_enter_on_start_session_starts_it(qtbot: QtBot, window: MainWindow, key: Qt.Key) -> None:
    today = window.page("today")
    today.start_button.setFocus()  # type: ignore[attr-defined]
    press(qtbot, key)
    view = view_of(window)  # the session opens at its first step, on screen, with its key ready
    assert window.stack.currentWidget() is view and view.stack.currentWidget() is view.guidance
    assert QApplication.focusWidget() is view.guidance.accept_button


def test_enter_on_today_page_clicks_its_main_button(qtbot: QtBot, window: MainWindow) -> None:
    today = window.page("today")
    today.setFocus()
    assert QApplication.focusWidget() is today
    press(qtbot)
    assert window.session_view is not None


def test_enter_through_guidance_flags_pain_check_and_stop(qtbot: QtBot, window: MainWindow) -> None:
    view = to_pain_check(qtbot, window)
    view.before.back.set_value(3)
    view.before.leg.set_value(7)  # a red pain stop: the stop message with its "Back to Today"
    view.before.set_reach(LegReach.NONE)
    view.before.continue_button.setFocus()
    press(qtbot)
    assert view.stack.currentWidget() is view.stop
    assert QApplication.focusWidget() is view.stop.button
    press(qtbot, Qt.Key.Key_Enter)
    assert window.session_view is None


def test_enter_on_the_pain_check_starts_the_session(qtbot: QtBot, window: MainWindow) -> None:
    view = to_pain_check(qtbot, window)
    view.before.back.set_value(1)
    view.before.leg.set_value(1)
    view.before.set_reach(LegReach.NONE)
    view.before.continue_button.setFocus()
    press(qtbot)
    assert view.runner is not None and view.runner.status().started  # the session runs, on screen
    assert view.stack.currentWidget() is view.running


def test_enter_on_triage_goes_back_to_today(qtbot: QtBot, window: MainWindow) -> None:
    window.page("today").start_button.setFocus()  # type: ignore[attr-defined]
    press(qtbot)
    view = view_of(window)
    press(qtbot)  # I understand
    flags = list(view.red_flags.groups)
    for flag_id in flags:
        view.red_flags.answer(flag_id, flag_id == flags[0])
    press(qtbot)
    assert view.stack.currentWidget() is view.triage
    assert QApplication.focusWidget() is view.triage.back_button
    press(qtbot)
    assert window.session_view is None


def test_enter_on_the_red_stop_confirmation(qtbot: QtBot, window: MainWindow) -> None:
    view = to_pain_check(qtbot, window)
    view.before.back.set_value(3)
    view.before.leg.set_value(7)
    view.before.set_reach(LegReach.NONE)
    view.before.continue_button.click()
    view.stop.button.click()
    clock = window.ctx.clock
    assert isinstance(clock, FakeClock)
    clock.advance(2 * 3600)  # later the same day: asked whether the pain has settled
    window.start_session()
    view = view_of(window)
    assert view.stack.currentWidget() is view.red_stop
    view.red_stop.confirm_button.setFocus()
    press(qtbot)
    assert view.stack.currentWidget() is view.before


def test_the_running_session_keeps_its_own_enter(qtbot: QtBot, window: MainWindow) -> None:
    view = to_pain_check(qtbot, window)
    view.before.back.set_value(1)
    view.before.leg.set_value(1)
    view.before.set_reach(LegReach.NONE)
    view.before.continue_button.click()
    assert view.runner is not None
    view.running.end.setFocus()
    press(qtbot)  # Enter only confirms an ending that was asked for: it doesn't click the focused "End"
    assert not view.running.confirm.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_Escape)  # asks whether to end
    assert view.running.confirm.isVisible()
    press(qtbot)  # ...and confirms it
    assert view.stack.currentWidget() is view.after


def test_enter_clicks_a_focused_settings_button_once(qtbot: QtBot, window: MainWindow) -> None:
    window.show_page("routine")
    page = window.page("routine")
    button = QPushButton("Try", page)
    clicks: list[bool] = []
    button.clicked.connect(lambda: clicks.append(True))
    button.show()
    button.setFocus()
    press(qtbot)
    press(qtbot, Qt.Key.Key_Enter)
    assert clicks == [True, True]


def test_dialogs_keep_their_own_default_button(qtbot: QtBot, window: MainWindow) -> None:
    dialog = QDialog(window)
    row = QHBoxLayout(dialog)
    ok, other = QPushButton("OK"), QPushButton("Other")
    ok.setDefault(True)
    clicks: list[str] = []
    ok.clicked.connect(lambda: clicks.append("ok"))
    other.clicked.connect(lambda: clicks.append("other"))
    for button in (ok, other):
        row.addWidget(button)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    other.setFocus()
    press(qtbot)
    assert clicks == ["other"]  # Qt's own: the focused auto-default button, clicked once
    dialog.close()


def test_enter_in_a_plain_widget_outside_a_page_does_nothing(qtbot: QtBot, window: MainWindow) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    button = QPushButton("Off", holder)
    button.setEnabled(False)
    holder.show()
    holder.setFocus()
    qtbot.keyClick(holder, Qt.Key.Key_Return)  # no main button, nothing happens and nothing breaks
