"""Walks every view of the real main window, for the accessibility, translation and large-text tests.

`stages(window, clock)` shows each page and each session stage in turn and yields (name, widget shown);
the window is built on a small known history so Progress has numbers, Today a proposal-free routine."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from sciatica_coach.core.demo import generate_demo_history
from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, SideMode
from sciatica_coach.services.plans import save_routine
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.session_view import SessionView
from tests.helpers import FakeClock, answer_pain, fake_services

PAGES = ("today", "progress", "routine", "reminders", "settings")
SHORT = Routine(
    Phase.MOBILITY,
    (
        RoutineItem("prone-on-elbows", Dose(2, 2, 1, 1, 0), SideMode.BOTH),
        RoutineItem("knee-to-chest", Dose(2, 1, 1, 1, 0), SideMode.LEFT_THEN_RIGHT),
    ),
)


@pytest.fixture
def themed_app() -> QApplication:
    """The app as it really runs: make_window applies the theme's style sheet, palette and font (the autouse
    fresh_ui_state in conftest.py puts the plain application back after the test)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


def make_window(
    qtbot: QtBot, data_dir: Path, size: tuple[int, int] = (1280, 800)
) -> tuple[MainWindow, FakeClock]:
    repo = Repository.open(data_dir)
    clock = FakeClock()
    history = generate_demo_history(3, clock.now() - timedelta(hours=1))
    repo.add_sessions(history.sessions)
    repo.set_setting("get_ready_s", 5)  # the walk counts from a 5 s get-ready
    save_routine(repo, SHORT)
    window = MainWindow(AppContext(repo, clock, fake_services()))
    qtbot.addWidget(window)
    window.resize(*size)
    window.apply_appearance()  # the theme's style sheet, as the app applies it (use with `themed_app`)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window, clock


def settle() -> None:
    """Let layouts, style changes and deferred deletions happen, as the event loop would."""
    for _ in range(3):
        QApplication.processEvents()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _session(window: MainWindow) -> SessionView:
    assert window.session_view is not None
    return window.session_view


def _run(view: SessionView, clock: FakeClock, seconds: int) -> None:
    assert view.runner is not None
    for _ in range(seconds):
        clock.advance(1)
        view.runner.tick()


def stages(window: MainWindow, clock: FakeClock) -> Iterator[tuple[str, QWidget]]:
    """Every page, then a session from the guidance note to the summary; yields after showing each."""
    for key in PAGES:
        window.show_page(key)
        settle()
        yield key, window.page(key)
    window.start_session()
    view = _session(window)
    settle()
    yield "guidance", view.guidance
    view.guidance.accept_button.click()
    settle()
    yield "red flags", view.red_flags
    for flag_id in view.red_flags.groups:
        view.red_flags.answer(flag_id, False)
    view.red_flags.continue_button.click()
    settle()
    yield "pain before", view.before
    answer_pain(view.before, 2, 3)
    view.before.continue_button.click()
    settle()
    if view.stack.currentWidget() is view.cautions:  # the exercises' cautions, before their first session
        yield "cautions", view.cautions
        view.cautions.read_button.click()
        settle()
    yield "get ready", view.running
    _run(view, clock, 5)
    settle()
    yield "hold", view.running
    _run(view, clock, 6)
    settle()
    yield "symptom question", view.running
    view.running.symptom.buttons[next(iter(view.running.symptom.buttons))].click()
    settle()
    view.ask_end()
    settle()
    yield "confirm end", view.running
    view.cancel_end()
    view.toggle_pause()
    settle()
    yield "paused", view.running
    view.toggle_pause()
    _run(view, clock, 60)
    if view.running.symptom.isVisible():
        view.running.symptom.answered.emit(None)
    settle()
    yield "pain after", view.after
    answer_pain(view.after, 1, 1)
    view.after.continue_button.click()
    settle()
    yield "summary", view.stop
    if view.runner is not None:
        view.runner.timer.stop()
