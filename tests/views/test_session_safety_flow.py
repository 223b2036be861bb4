"""Issue 14 through the real SessionView, driven with a fake clock: the after-exercise question waits for
an answer (point 6), leg reach over a session (7), the gentler exercise offered in place of one that sent
symptoms down the leg (8), the wait after a red pain stop (9), and the safety moments kept as events."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from sciatica_coach.core.engine import PauseReason, Step
from sciatica_coach.core.model import (
    Direction,
    Dose,
    LegReach,
    Outcome,
    Phase,
    Routine,
    RoutineItem,
    SafetyEventKind,
    SideMode,
    SymptomChange,
)
from sciatica_coach.platform.locale_support import clock_time
from sciatica_coach.services.plans import save_routine, set_avoided_direction
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.pain_check import PainCheck
from sciatica_coach.views.session_view import SessionView
from tests.helpers import FakeClock, main_window, safety_events, session_past_red_flags

SHORT = Routine(
    Phase.MOBILITY,
    (
        RoutineItem("prone-on-elbows", Dose(2, 2, 1, 1, 0), SideMode.BOTH),
        RoutineItem("knee-to-chest", Dose(2, 1, 1, 1, 0), SideMode.LEFT_THEN_RIGHT),
    ),
)
FIRST_DONE_S = 11  # get ready 5, hold 2, relax 1, hold 2 (+1 to be past the last hold)


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[MainWindow]:
    repo = Repository.open(data_dir)
    repo.set_setting("get_ready_s", 5)  # the times below count from a 5 s get-ready
    save_routine(repo, SHORT)
    with main_window(qtbot, repo) as main:
        main.activateWindow()
        qtbot.waitUntil(main.isActiveWindow)
        yield main


def clock_of(window: MainWindow) -> FakeClock:
    clock = window.ctx.clock
    assert isinstance(clock, FakeClock)
    return clock


def view_of(window: MainWindow) -> SessionView:
    assert window.session_view is not None
    return window.session_view


def run_for(view: SessionView, seconds: int) -> None:
    assert view.runner is not None
    clock = view.ctx.clock
    assert isinstance(clock, FakeClock)
    for _ in range(seconds):
        clock.advance(1)
        view.runner.tick()


def answer_pain(check: PainCheck, back: int, leg: int, reach: LegReach = LegReach.NONE) -> None:
    check.back.set_value(back)
    check.leg.set_value(leg)
    check.reach_group.button(list(LegReach).index(reach)).click()
    check.continue_button.click()


def past_cautions(view: SessionView) -> None:
    """Exercise cautions read before a first session (when that page is shown), as a person would."""
    page = view.stack.currentWidget()
    button = getattr(page, "read_button", None)
    if isinstance(button, QPushButton):
        button.click()


def start(window: MainWindow, back: int = 2, leg: int = 2, reach: LegReach = LegReach.NONE) -> SessionView:
    view = session_past_red_flags(window)
    answer_pain(view.before, back, leg, reach)
    past_cautions(view)
    assert view.stack.currentWidget() is view.running
    view.setFocus()
    return view


# --- point 6: the question waits --------------------------------------------------------------------------


def test_the_question_waits_for_an_answer_however_long_it_takes(qtbot: QtBot, window: MainWindow) -> None:
    view = start(window)
    run_for(view, FIRST_DONE_S)
    symptom, status = view.running.symptom, view.runner.status()  # type: ignore[union-attr]
    assert symptom.isVisible() and symptom.asking
    assert status.pause_reason is PauseReason.QUESTION and status.step is Step.NEXT_EXERCISE
    assert "Waiting for your answer" in view.running.cue.text()
    run_for(view, 300)  # five minutes on the floor: the question stays, the next exercise doesn't start
    status = view.runner.status()  # type: ignore[union-attr]
    assert symptom.isVisible() and status.step is Step.NEXT_EXERCISE and status.exercise_index == 1
    qtbot.keyClick(view, Qt.Key.Key_Space)  # Space doesn't pass the question by
    assert view.runner.status().paused and symptom.asking  # type: ignore[union-attr]
    qtbot.keyClick(view, Qt.Key.Key_4)  # skip it, explicitly
    assert not symptom.isVisible() and not view.runner.status().paused  # type: ignore[union-attr]
    run_for(view, 40)  # the knee-to-chest to its end: its question holds the pain check back
    assert view.stack.currentWidget() is view.running and symptom.asking
    symptom.buttons[SymptomChange.SAME].click()
    assert view.stack.currentWidget() is view.after
    answer_pain(view.after, 1, 1)
    [record] = window.ctx.repo.sessions()
    assert [e.symptom for e in record.exercises] == [None, SymptomChange.SAME], "skipped is not 'same'"
    [unanswered] = safety_events(window, SafetyEventKind.UNANSWERED_QUESTION)
    assert (unanswered.exercise_id, unanswered.session_id) == ("prone-on-elbows", record.id)


def test_ending_while_asked_keeps_the_question_unanswered(qtbot: QtBot, window: MainWindow) -> None:
    view = start(window)
    run_for(view, FIRST_DONE_S)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.stack.currentWidget() is view.after
    answer_pain(view.after, 2, 2)
    [record] = window.ctx.repo.sessions()
    assert record.outcome is Outcome.ENDED_EARLY and record.exercises[0].symptom is None
    assert len(safety_events(window, SafetyEventKind.UNANSWERED_QUESTION)) == 1
    [stopped] = safety_events(window, SafetyEventKind.SESSION_STOPPED)
    assert stopped.detail == "Ended early by choice." and stopped.session_id == record.id


# --- point 8: the gentler exercise, offered properly --------------------------------------------------------


def test_spread_down_offers_the_gentler_exercise_in_its_place(qtbot: QtBot, window: MainWindow) -> None:
    view = start(window)
    run_for(view, FIRST_DONE_S)
    qtbot.keyClick(view, Qt.Key.Key_3)  # spread further down
    symptom = view.running.symptom
    assert symptom.headline.isVisible() and symptom.headline.text() == "Try Lying face down instead"
    assert symptom.instead.isVisible() and "Lying face down" in symptom.instead.text()
    run_for(view, 120)
    assert view.runner.status().pause_reason is PauseReason.SPREAD  # type: ignore[union-attr]
    qtbot.keyClick(view, Qt.Key.Key_G)  # do the gentler one instead
    assert not symptom.isVisible()
    status = view.runner.status()  # type: ignore[union-attr]
    assert [i.exercise_id for i in view.runner.engine.routine.items] == [  # type: ignore[union-attr]
        "prone-on-elbows",
        "prone-lying",
        "knee-to-chest",
    ]
    assert status.step is Step.NEXT_EXERCISE and status.item.exercise_id == "prone-lying"  # type: ignore[union-attr]
    assert not status.paused
    [spread] = safety_events(window, SafetyEventKind.SYMPTOM_SPREAD)
    assert spread.exercise_id == "prone-on-elbows" and spread.session_id == view.runner.session_id  # type: ignore[union-attr]


def test_the_substitute_respects_an_avoided_direction(qtbot: QtBot, window: MainWindow) -> None:
    save_routine(
        window.ctx.repo,
        Routine(Phase.STRENGTH, (RoutineItem("bridge", Dose(2, 1, 1, 1, 0), SideMode.BOTH),)),
    )
    set_avoided_direction(window.ctx.repo, Direction.FLEXION)
    view = start(window)
    run_for(view, 8)  # get ready 5, one hold of 2
    qtbot.keyClick(view, Qt.Key.Key_3)
    headline = view.running.symptom.headline.text()
    assert headline == "Try Lying face down instead", "not the pelvic tilt, which bends the back forward"


def _font_px(widget: QLabel) -> float:
    found = re.search(r"font-size:\s*([\d.]+)px", widget.styleSheet())
    return float(found.group(1)) if found else float(widget.font().pixelSize())


def test_in_floor_mode_the_substitute_is_the_largest_text(qtbot: QtBot, window: MainWindow) -> None:
    view = start(window)
    qtbot.keyClick(view, Qt.Key.Key_F)
    QApplication.processEvents()
    run_for(view, FIRST_DONE_S)
    qtbot.keyClick(view, Qt.Key.Key_3)
    QApplication.processEvents()
    headline = view.running.symptom.headline
    others = [
        w for w in view.running.findChildren(QLabel) if w.isVisible() and w is not headline and w.text()
    ]
    assert headline.isVisible() and others
    assert all(_font_px(headline) > _font_px(w) for w in others), [(w.text(), _font_px(w)) for w in others]
    assert "muted" not in str(headline.property("role"))


def test_it_hurts_while_the_question_waits_shows_the_advice_and_stays_paused(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = start(window)
    run_for(view, FIRST_DONE_S)
    qtbot.keyClick(view, Qt.Key.Key_H)
    assert "no need to push through pain" in view.running.cue.text()
    assert view.running.symptom.asking, "the question can still be answered"
    qtbot.keyClick(view, Qt.Key.Key_2)
    status = view.runner.status()  # type: ignore[union-attr]
    assert status.paused and status.pause_reason is PauseReason.HURTS


# --- recording -----------------------------------------------------------------------------------------------


def test_it_hurts_is_recorded_with_the_exercise(qtbot: QtBot, window: MainWindow) -> None:
    view = start(window)
    run_for(view, 6)
    qtbot.keyClick(view, Qt.Key.Key_H)
    [hurt] = safety_events(window, SafetyEventKind.IT_HURTS)
    assert hurt.exercise_id == "prone-on-elbows" and hurt.session_id == view.runner.session_id  # type: ignore[union-attr]
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    answer_pain(view.after, 3, 7)
    [stopped] = safety_events(window, SafetyEventKind.SESSION_STOPPED)
    assert stopped.detail == "Stopped because it hurt."
    [pain] = safety_events(window, SafetyEventKind.PAIN_STOP)
    assert "after the session: back 3, leg 7" in pain.detail


# --- point 9: after a red pain stop ----------------------------------------------------------------------------


def test_a_red_stop_cannot_be_bypassed_by_a_lower_number(qtbot: QtBot, window: MainWindow) -> None:
    view = session_past_red_flags(window)
    answer_pain(view.before, 3, 7)
    assert view.stack.currentWidget() is view.stop
    [pain] = safety_events(window, SafetyEventKind.PAIN_STOP)
    assert "before the session: back 3, leg 7" in pain.detail
    view.stop.button.click()

    window.start_session()  # straight away, meaning to enter a lower number
    again = view_of(window)
    assert again.stack.currentWidget() is again.stop, "no pain check yet"
    assert f"possible from {clock_time(time(10, 0))}" in again.stop.body.text()  # 10:00 AM under en_US
    again.stop.button.click()

    clock_of(window).advance(2 * 3600)  # two hours later the same day
    view = session_past_red_flags(window)
    assert view.stack.currentWidget() is view.red_stop
    assert clock_time(time(8, 0)) in view.red_stop.body.text()
    view.red_stop.confirm_button.click()
    [override] = safety_events(window, SafetyEventKind.RED_STOP_OVERRIDE)
    assert "08:00" in override.detail
    assert view.stack.currentWidget() is view.before
    answer_pain(view.before, 2, 3)
    past_cautions(view)
    assert view.runner is not None
    assert view.runner.engine.routine.items[0].dose.reps == 1  # 2 halved
    assert "pain was high earlier today" in view.running.cue.text()


def test_declining_after_a_red_stop_goes_back_without_a_session(qtbot: QtBot, window: MainWindow) -> None:
    view = session_past_red_flags(window)
    answer_pain(view.before, 7, 2)
    view.stop.button.click()
    clock_of(window).advance(3 * 3600)
    view = session_past_red_flags(window)
    view.red_stop.decline_button.click()
    assert window.session_view is None
    assert safety_events(window, SafetyEventKind.RED_STOP_OVERRIDE) == []


# --- point 7: leg reach over the session ------------------------------------------------------------------------


def _whole_session(window: MainWindow, before: LegReach, after: LegReach) -> SessionView:
    view = start(window, reach=before)
    run_for(view, FIRST_DONE_S)
    view.running.symptom.buttons[SymptomChange.SAME].click()
    run_for(view, 40)
    view.running.symptom.buttons[SymptomChange.SAME].click()
    answer_pain(view.after, 2, 2, after)
    return view


def test_reaching_further_down_after_the_session_eases_the_next(qtbot: QtBot, window: MainWindow) -> None:
    view = _whole_session(window, LegReach.THIGH, LegReach.CALF)
    assert "reach further down your leg than before" in view.stop.body.text()
    [event] = safety_events(window, SafetyEventKind.PERIPHERALISATION)
    assert "thigh" in event.detail and "calf" in event.detail
    view.stop.button.click()
    today = window.page("today")
    today.refresh()  # type: ignore[attr-defined]
    assert "reached further down your leg" in today.notes.text()  # type: ignore[attr-defined]
    view = start(window)
    assert view.runner.engine.routine.items[0].dose.reps == 1  # type: ignore[union-attr]


def test_reaching_less_far_down_is_an_encouraging_note(qtbot: QtBot, window: MainWindow) -> None:
    view = _whole_session(window, LegReach.CALF, LegReach.BUTTOCK)
    assert "good sign" in view.stop.body.text()
    assert safety_events(window, SafetyEventKind.PERIPHERALISATION) == []
