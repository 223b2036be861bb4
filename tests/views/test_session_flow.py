"""The guided session driven through the real main window, as a person would: keys, answers, records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.engine import PauseReason, Step
from sciatica_coach.core.model import (
    Dose,
    LegReach,
    Outcome,
    Phase,
    Routine,
    RoutineItem,
    SideMode,
    SymptomChange,
)
from sciatica_coach.services import cautions
from sciatica_coach.services.plans import save_routine
from sciatica_coach.services.routines import stopped_today
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.session_runner import SessionRunner
from sciatica_coach.views.session_view import SessionView
from tests.helpers import FakeClock, fake_services

SHORT = Routine(
    Phase.MOBILITY,
    (
        RoutineItem("prone-on-elbows", Dose(2, 2, 1, 1, 0), SideMode.BOTH),
        RoutineItem("knee-to-chest", Dose(2, 1, 1, 1, 0), SideMode.LEFT_THEN_RIGHT),
    ),
)


@pytest.fixture
def setup(qtbot: QtBot, data_dir: Path) -> Iterator[tuple[MainWindow, FakeClock, object]]:
    repo = Repository.open(data_dir)
    save_routine(repo, SHORT)
    cautions.mark_seen(repo, load_catalogue().exercises)  # the cautions page has its own tests
    repo.set_setting("get_ready_s", 5)  # the tests below count 5 s to the first hold (the setting's minimum)
    clock = FakeClock()
    services = fake_services()
    window = MainWindow(AppContext(repo, clock, services))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    yield window, clock, services
    if window.session_view is not None and window.session_view.runner is not None:
        window.session_view.runner.timer.stop()


def view_of(window: MainWindow) -> SessionView:
    assert window.session_view is not None
    return window.session_view


def run_for(view: SessionView, clock: FakeClock, seconds: int) -> None:
    """Step the fake clock one second at a time, ticking the engine like the repaint timer would."""
    assert view.runner is not None
    for _ in range(seconds):
        clock.advance(1)
        view.runner.tick()


def accept_guidance_and_flags(view: SessionView, yes: str | None = None) -> None:
    assert view.stack.currentWidget() is view.guidance
    view.guidance.accept_button.click()
    assert view.stack.currentWidget() is view.red_flags
    assert not view.red_flags.continue_button.isEnabled()
    for flag_id in view.red_flags.groups:
        view.red_flags.answer(flag_id, flag_id == yes)
    view.red_flags.continue_button.click()


def answer_pain(check, back: int, leg: int) -> None:  # type: ignore[no-untyped-def]
    check.back.set_value(back)
    check.leg.set_value(leg)
    check.set_reach(LegReach.NONE)
    check.continue_button.click()


def start_after_checks(window: MainWindow, back: int, leg: int) -> SessionView:
    """Open a session, accept the guidance note, answer no to every red flag, and give the pain before."""
    window.start_session()
    view = view_of(window)
    accept_guidance_and_flags(view)
    answer_pain(view.before, back, leg)
    return view


def test_whole_session_by_keyboard_is_recorded(qtbot: QtBot, setup) -> None:  # type: ignore[no-untyped-def]
    window, clock, services = setup
    window.ctx.set_setting("still_pictures", True)  # reduced motion: the step's still picture at once
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    view = view_of(window)
    assert window.current_key() == "session"
    accept_guidance_and_flags(view)
    answer_pain(view.before, 2, 3)
    assert view.stack.currentWidget() is view.running
    view.setFocus()
    status = view.runner.status()  # type: ignore[union-attr]
    assert status.step is Step.GET_READY and view.running.name.text() == "Lying on elbows"
    assert services.fake_screen.awake, "the screen is kept awake during a session"

    qtbot.keyClick(view, Qt.Key.Key_Space)  # pause
    assert view.runner.status().paused  # type: ignore[union-attr]
    assert view.running.step_word.text() == "PAUSED"
    run_for(view, clock, 30)  # time passes while paused: nothing moves
    assert view.runner.status().step is Step.GET_READY  # type: ignore[union-attr]
    qtbot.keyClick(view, Qt.Key.Key_Space)  # resume
    run_for(view, clock, 5)
    assert view.runner.status().step is Step.HOLD  # type: ignore[union-attr]
    assert view.running.step_word.text() == "HOLD"
    assert view.running.picture.illustration_id() == "prone-on-elbows-hold"

    run_for(view, clock, 6)  # hold, relax, hold → preview of the next exercise
    assert view.runner.status().step is Step.NEXT_EXERCISE  # type: ignore[union-attr]
    assert view.running.symptom.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_1)  # moved up: an encouraging word, no stop
    assert "encouraging" in view.running.symptom.advice.text()

    run_for(view, clock, 40)  # the knee-to-chest, both sides, to the end
    assert view.running.symptom.isVisible(), "asked about the last exercise too"
    qtbot.keyClick(view, Qt.Key.Key_2)  # the same
    assert view.stack.currentWidget() is view.after
    answer_pain(view.after, 1, 2)
    assert view.stop.heading.text() == "Well done"

    [record] = window.ctx.repo.sessions()
    assert record.outcome is Outcome.COMPLETED
    assert [e.exercise_id for e in record.exercises] == ["prone-on-elbows", "knee-to-chest"]
    assert [e.reps_done for e in record.exercises] == [2, 2]
    assert [e.symptom for e in record.exercises] == [SymptomChange.UP, SymptomChange.SAME]
    assert (record.pain_before.back, record.pain_after.leg) == (2, 2)  # type: ignore[union-attr]
    assert record.slot == "08:00"
    assert "hold-start" in services.fake_sound.played and "done" in services.fake_sound.played
    assert "Hold." in services.fake_speech.said
    assert "Switch to your right side." in services.fake_speech.said
    assert not services.fake_screen.awake
    view.stop.button.click()
    assert window.session_view is None and window.current_key() == "today"


def test_skip_back_and_end_early_keeps_the_part_done(qtbot: QtBot, setup) -> None:  # type: ignore[no-untyped-def]
    window, clock, _services = setup
    view = start_after_checks(window, 1, 1)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)  # skip the first exercise
    assert view.runner.status().exercise_index == 1  # type: ignore[union-attr]
    qtbot.keyClick(view, Qt.Key.Key_Left)  # back to it
    assert view.runner.status().exercise_index == 0  # type: ignore[union-attr]
    run_for(view, clock, 11)
    qtbot.keyClick(view, Qt.Key.Key_2)  # the same (the session waits for this answer)
    qtbot.keyClick(view, Qt.Key.Key_Escape)  # asks first
    assert view.running.confirm.isVisible() and view.runner.status().paused  # type: ignore[union-attr]
    qtbot.keyClick(view, Qt.Key.Key_Escape)  # changed my mind
    assert not view.running.confirm.isVisible() and not view.runner.status().paused  # type: ignore[union-attr]
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.keyClick(view, Qt.Key.Key_Return)  # yes, end
    assert view.stack.currentWidget() is view.after
    answer_pain(view.after, 2, 2)
    [record] = window.ctx.repo.sessions()
    assert record.outcome is Outcome.ENDED_EARLY
    assert record.exercises[0].reps_done == 2 and record.exercises[1].reps_done == 0
    assert "by choice" in record.reason


def test_checkpoint_after_each_exercise_survives_a_crash(qtbot: QtBot, setup) -> None:  # type: ignore[no-untyped-def]
    window, clock, _services = setup
    view = start_after_checks(window, 1, 1)
    run_for(view, clock, 11)  # first exercise done, then "the app crashes": nothing else happens
    reopened = Repository.open(window.ctx.repo.folder)
    [record] = reopened.sessions()
    assert record.outcome is Outcome.ENDED_EARLY
    assert record.exercises[0].reps_done == 2
    assert "stopped before the end" in record.reason


def test_red_flag_answer_blocks_coaching_today(qtbot: QtBot, setup) -> None:  # type: ignore[no-untyped-def]
    window, _clock, _services = setup
    window.start_session()
    view = view_of(window)
    accept_guidance_and_flags(view, yes="saddle-numbness")
    assert view.stack.currentWidget() is view.triage
    assert view.triage.heading.text() == "Please get medical help now"
    assert view.runner is None
    view.triage.back_button.click()
    window.start_session()  # trying again the same day shows the same advice, no session
    again = view_of(window)
    assert again.stack.currentWidget() is again.triage
    assert window.ctx.repo.sessions() == []


def test_red_pain_before_starting_stops_with_advice(qtbot: QtBot, setup) -> None:  # type: ignore[no-untyped-def]
    window, _clock, _services = setup
    view = start_after_checks(window, 3, 7)
    assert view.stack.currentWidget() is view.stop and view.runner is None
    assert "stop the exercises for today" in view.stop.body.text()
    [record] = window.ctx.repo.sessions()
    assert record.outcome is Outcome.SAFETY_STOP and record.exercises == ()


def test_amber_pain_halves_the_reps_and_says_why(qtbot: QtBot, setup) -> None:  # type: ignore[no-untyped-def]
    window, _clock, _services = setup
    view = start_after_checks(window, 4, 2)
    assert view.runner is not None
    assert view.runner.engine.routine.items[0].dose.reps == 1  # 2 halved
    assert "half the usual repetitions" in view.running.cue.text()


def test_spread_down_stops_that_exercise_for_today(qtbot: QtBot, setup) -> None:  # type: ignore[no-untyped-def]
    window, clock, _services = setup
    view = start_after_checks(window, 2, 2)
    view.setFocus()
    run_for(view, clock, 11)
    qtbot.keyClick(view, Qt.Key.Key_3)  # spread further down
    assert view.runner.status().paused  # type: ignore[union-attr]
    advice = view.running.symptom.advice.text()
    assert "leave it out for the rest of today" in advice
    assert "Lying face down" in view.running.symptom.headline.text()
    today = clock.now().date()
    assert stopped_today(window.ctx.repo, today) == {"prone-on-elbows"}
    qtbot.keyClick(view, Qt.Key.Key_Space)  # carry on
    assert not view.running.symptom.isVisible()
    # later today, the routine offers the gentler exercise in its place
    catalogue = load_catalogue()
    from sciatica_coach.services.routines import routine_for_today

    later = routine_for_today(window.ctx.repo, catalogue, today)
    assert [i.exercise_id for i in later.items] == ["prone-lying", "knee-to-chest"]


def test_it_hurts_pauses_and_ending_then_is_a_safety_stop(qtbot: QtBot, setup) -> None:  # type: ignore[no-untyped-def]
    window, clock, _services = setup
    view = start_after_checks(window, 2, 2)
    view.setFocus()
    run_for(view, clock, 6)
    qtbot.mouseClick(view.running.hurts, Qt.MouseButton.LeftButton)
    status = view.runner.status()  # type: ignore[union-attr]
    assert status.paused and status.pause_reason is PauseReason.HURTS
    assert "no need to push through pain" in view.running.cue.text()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    answer_pain(view.after, 3, 7)
    assert view.stop.heading.text() == "Please rest now"
    [record] = window.ctx.repo.sessions()
    assert record.outcome is Outcome.SAFETY_STOP and record.reason == "Stopped because it hurt."


def test_floor_mode_goes_full_screen_and_back(qtbot: QtBot, setup) -> None:  # type: ignore[no-untyped-def]
    window, _clock, _services = setup
    view = start_after_checks(window, 1, 1)
    view.setFocus()
    small = view.running.step_word.styleSheet()
    qtbot.keyClick(view, Qt.Key.Key_F)
    assert view.is_floor_mode()
    QApplication.processEvents()
    assert window.isFullScreen()
    assert view.running.step_word.styleSheet() != small, "type grows in floor mode"
    qtbot.keyClick(view, Qt.Key.Key_F)
    assert not view.is_floor_mode() and not window.isFullScreen()


def test_sleep_pauses_the_session_and_says_why(qtbot: QtBot, setup) -> None:  # type: ignore[no-untyped-def]
    window, clock, _services = setup
    view = start_after_checks(window, 1, 1)
    run_for(view, clock, 2)
    clock.sleep_machine(3600)
    view.runner.tick()  # type: ignore[union-attr]
    assert view.runner.status().pause_reason is PauseReason.SLEEP_OR_CLOCK_JUMP  # type: ignore[union-attr]
    assert "asleep" in view.running.cue.text()


def test_controls_have_accessible_names(qtbot: QtBot, setup) -> None:  # type: ignore[no-untyped-def]
    window, _clock, _services = setup
    window.start_session()
    view = view_of(window)
    r = view.running
    for button in (r.back, r.pause, r.skip, r.floor, r.end, r.hurts):
        assert button.accessibleName()


# --- what the voice says: counting and halfway (issue 15, point 5) ------------------------------------------

VOICED = Routine(
    Phase.MOBILITY,
    (
        RoutineItem("bridge", Dose(10, 2, 1, 2, 0), SideMode.BOTH),
        RoutineItem("cat-camel", Dose(3, 2, 1, 3, 0), SideMode.BOTH),  # a to-and-fro movement
    ),
)


def voiced_runner(data_dir: Path, **settings: object) -> tuple[SessionRunner, FakeClock, object]:
    """A runner over VOICED with `settings` stored, started (its timer stopped: the test ticks it)."""
    repo = Repository.open(data_dir)
    for key, value in settings.items():
        repo.set_setting(key, value)
    clock, services = FakeClock(), fake_services()
    runner = SessionRunner(AppContext(repo, clock, services), load_catalogue(), VOICED, None, "08:00")
    runner.start()
    runner.timer.stop()
    return runner, clock, services


def said_in_a_session(data_dir: Path, **settings: object) -> list[str]:
    """Everything the voice said through a whole VOICED session, each question answered "the same"."""
    runner, clock, services = voiced_runner(data_dir, **settings)
    for _ in range(4000):
        status = runner.status()
        if status.step is Step.DONE:
            break
        if status.awaiting_answer is not None:
            runner.answer(SymptomChange.SAME)
        clock.advance(0.25)
        runner.tick()
    assert runner.status().step is Step.DONE
    return list(services.fake_speech.said)  # type: ignore[attr-defined]


def test_counting_and_halfway_are_spoken_when_switched_on(qtbot: QtBot, data_dir: Path) -> None:
    said = said_in_a_session(data_dir, count_reps_aloud=True, halfway_cue=True)
    assert [s for s in said if "of 2" in s or s == "Halfway."] == [
        "Hold. 1 of 2.",
        "Halfway.",  # in each 10 s hold of the bridge, none in the movement's short moves
        "Hold. 2 of 2.",
        "Halfway.",
        "Move slowly. 1 of 2.",
        "Move slowly. 2 of 2.",
    ]


def test_no_counting_or_halfway_when_switched_off(qtbot: QtBot, data_dir: Path) -> None:
    said = said_in_a_session(data_dir)  # both off by default
    assert "Hold." in said and "Move slowly." in said
    assert not [s for s in said if " of " in s or "Halfway" in s]


def test_the_first_get_ready_follows_the_setting(qtbot: QtBot, data_dir: Path) -> None:
    runner, _clock, _services = voiced_runner(data_dir, get_ready_s=40)
    assert (runner.status().step, runner.status().remaining_s) == (Step.GET_READY, 40.0)


def test_a_broken_get_ready_setting_gives_the_default(qtbot: QtBot, data_dir: Path) -> None:
    runner, _clock, _services = voiced_runner(data_dir, get_ready_s="lots")
    assert runner.status().remaining_s == 15.0


def test_back_then_forward_keeps_a_finished_exercise_in_the_saved_record(qtbot: QtBot, setup) -> None:  # type: ignore[no-untyped-def]
    """Issue 15, point 6, as a person would do it: finish exercise 1, press Left, press Right."""
    window, clock, _services = setup
    view = start_after_checks(window, 1, 1)
    view.setFocus()
    run_for(view, clock, 11)  # the first exercise is done; the session waits for the question
    qtbot.keyClick(view, Qt.Key.Key_2)  # the same
    qtbot.keyClick(view, Qt.Key.Key_Left)  # back to it
    assert view.runner.status().exercise_index == 0  # type: ignore[union-attr]
    qtbot.keyClick(view, Qt.Key.Key_Right)  # and forward again (skip saves a checkpoint)
    assert view.runner.status().exercise_index == 1  # type: ignore[union-attr]
    [saved] = Repository.open(window.ctx.repo.folder).sessions()
    first = saved.exercises[0]
    assert (first.reps_done, first.skipped, first.symptom) == (2, False, SymptomChange.SAME)
