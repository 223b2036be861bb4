"""Leaving a session by the window's own ways: the page shortcuts (Ctrl+1…5), closing the window (Alt+F4)
and quitting. A running session asks first, like Esc; nothing leaves the window half-switched; what was done
is kept either way (issue 15, points 4 and 7)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.engine import Step
from sciatica_coach.core.model import Dose, Outcome, Phase, Routine, RoutineItem, SideMode
from sciatica_coach.services import cautions
from sciatica_coach.services.plans import save_routine
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.session_view import SessionView
from tests.helpers import FakeClock, answer_pain, main_window, session_past_guidance, session_past_red_flags

ROUTINE = Routine(
    Phase.MOBILITY,
    (
        RoutineItem("prone-on-elbows", Dose(3, 2, 1, 1, 0), SideMode.BOTH),
        RoutineItem("pelvic-tilt", Dose(2, 1, 1, 1, 0), SideMode.BOTH),
    ),
)
PAGE_KEYS = [(Qt.Key.Key_1, "today"), (Qt.Key.Key_2, "progress"), (Qt.Key.Key_3, "routine"),
             (Qt.Key.Key_4, "reminders"), (Qt.Key.Key_5, "settings")]  # fmt: skip


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[tuple[MainWindow, FakeClock]]:
    repo = Repository.open(data_dir)
    save_routine(repo, ROUTINE)
    cautions.mark_seen(repo, load_catalogue().exercises)
    clock = FakeClock()
    with main_window(qtbot, repo, clock) as shown:
        shown.activateWindow()
        qtbot.waitUntil(shown.isActiveWindow)
        yield shown, clock


def running(window: MainWindow, clock: FakeClock, *, one_hold_done: bool = False) -> SessionView:
    """A session past its checks, at its start or (`one_hold_done`) resting after the first exercise's first
    hold (the engine ticked each second, as the repaint timer would)."""
    view = session_past_red_flags(window)
    answer_pain(view.before, 2, 2)
    view.before.continue_button.click()
    assert view.runner is not None
    view.runner.timer.stop()
    while one_hold_done and view.runner.status().step is not Step.REST_REP:
        clock.advance(1)
        view.runner.tick()
    view.setFocus()
    return view


def shows_whole_session(window: MainWindow, view: SessionView) -> bool:
    return (
        window.stack.currentWidget() is view
        and window.sidebar.isHidden()
        and window.current_key() == "session"
    )


def shows_whole_page(window: MainWindow, key: str) -> bool:
    return (
        window.session_view is None and window.current_key() == key and window.sidebar.isVisible()
        and window.nav_buttons[key].isChecked()
    )  # fmt: skip


@pytest.mark.parametrize(("key", "page"), PAGE_KEYS)
def test_a_page_shortcut_in_a_running_session_asks_first(qtbot: QtBot, window, key, page) -> None:  # type: ignore[no-untyped-def]
    shown, clock = window
    view = running(shown, clock, one_hold_done=True)
    qtbot.keyClick(shown, key, Qt.KeyboardModifier.ControlModifier)
    assert shows_whole_session(shown, view), "the window stays on the session, not half switched"
    assert view.running.confirm.isVisible() and view.runner is not None and view.runner.status().paused
    qtbot.keyClick(view, Qt.Key.Key_Escape)  # keep going
    assert not view.runner.status().paused and shows_whole_session(shown, view)
    qtbot.keyClick(shown, key, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Return)  # yes, end it: the pain check after, as with Esc
    assert view.stack.currentWidget() is view.after
    qtbot.keyClick(shown, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert view.stack.currentWidget() is view.after, "the pain check after waits to be answered"
    answer_pain(view.after, 1, 1)
    view.after.continue_button.click()
    [record] = shown.ctx.repo.sessions()
    assert record.outcome is Outcome.ENDED_EARLY and record.exercises[0].reps_done == 1
    qtbot.keyClick(shown, key, Qt.KeyboardModifier.ControlModifier)  # on the summary: nothing left to lose
    assert shows_whole_page(shown, page)


@pytest.mark.parametrize(("key", "page"), PAGE_KEYS)
def test_a_page_shortcut_on_the_safety_questions_opens_the_page_whole(
    qtbot: QtBot, window, key, page
) -> None:  # type: ignore[no-untyped-def]
    shown, _clock = window
    view = session_past_guidance(shown)
    assert view.stack.currentWidget() is view.red_flags
    view.red_flags.answer("saddle-numbness", False)
    qtbot.keyClick(shown, key, Qt.KeyboardModifier.ControlModifier)
    assert shows_whole_page(shown, page)
    qtbot.keyClick(shown, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Start session still works
    again = shown.session_view
    assert again is not None and shows_whole_session(shown, again)
    assert again.stack.currentWidget() is again.red_flags, "the safety check is still due"


def test_closing_the_window_mid_session_asks_and_keeps_what_was_done(qtbot: QtBot, window) -> None:  # type: ignore[no-untyped-def]
    shown, clock = window
    view = running(shown, clock, one_hold_done=True)
    assert not shown.close(), "Alt+F4 mid-session does not close at once"
    assert shown.isVisible() and shows_whole_session(shown, view)
    assert view.running.confirm.isVisible() and view.runner is not None and view.runner.status().paused
    assert not shown.close() and view.running.confirm.isVisible(), "asking again does not end it either"
    [kept] = shown.ctx.repo.sessions()  # kept at once, in case the computer goes off while it asks
    assert kept.outcome is Outcome.ENDED_EARLY and kept.exercises[0].reps_done == 1
    qtbot.keyClick(view, Qt.Key.Key_Escape)  # carry on
    assert not view.runner.status().paused
    clock.advance(1)
    view.runner.tick()
    assert view.runner.status().step is Step.HOLD, "the session goes on where it was"


def test_closing_at_the_pain_check_after_keeps_the_whole_session(qtbot: QtBot, window) -> None:  # type: ignore[no-untyped-def]
    shown, clock = window
    view = running(shown, clock)
    assert view.runner is not None
    for _ in range(200):
        clock.advance(1)
        view.runner.tick()
        if view.running.symptom.asking:
            qtbot.keyClick(view, Qt.Key.Key_2)
        if view.stack.currentWidget() is view.after:
            break
    assert view.stack.currentWidget() is view.after
    assert shown.close(), "nothing is lost by closing here"
    [record] = shown.ctx.repo.sessions()
    assert record.outcome is Outcome.COMPLETED and record.pain_after is None
    assert [e.reps_done for e in record.exercises] == [2, 1]


def test_quitting_mid_exercise_keeps_the_reps_done(qtbot: QtBot, window) -> None:  # type: ignore[no-untyped-def]
    shown, clock = window
    running(shown, clock, one_hold_done=True)  # no checkpoint yet
    assert shown.ctx.repo.sessions() == []
    app = QApplication.instance()
    assert app is not None
    app.aboutToQuit.emit()
    [record] = Repository.open(shown.ctx.repo.folder).sessions()
    assert record.outcome is Outcome.ENDED_EARLY and record.exercises[0].reps_done == 1
