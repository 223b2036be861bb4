"""What the safety screens say and how large, found by looking at them: the question after the last exercise
says what it waits for (never the last exercise's "Hold."), Today's pause card puts the advice before the
note about reminders, and the red-flag answers show their keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sciatica_coach.core.engine import PauseReason, Step
from sciatica_coach.core.model import Dose, ExerciseKind, Phase, Routine, RoutineItem, SideMode, SymptomChange
from sciatica_coach.core.motion import move_seconds
from sciatica_coach.services.plans import save_routine
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.session_runner import SessionRunner
from sciatica_coach.views.session_view import SessionView
from tests.helpers import (
    FakeClock,
    answer_red_flags,
    fake_services,
    session_past_guidance,
    session_running,
    window_with_routine,
)

ONE = Routine(Phase.MOBILITY, (RoutineItem("pelvic-tilt", Dose(2, 1, 1, 1, 0), SideMode.BOTH),))


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[MainWindow]:
    with window_with_routine(qtbot, data_dir, ONE) as main:
        yield main


def running_session(window: MainWindow) -> tuple[SessionView, SessionRunner]:
    """Past the opening checks (all "no", pain 2 and 2, cautions read) to the running session, its repaint
    timer stopped so the test moves the clock."""
    view = session_running(window)
    runner = view.runner
    assert runner is not None
    runner.timer.stop()
    return view, runner


def question_in_floor_mode(qtbot: QtBot, repo: Repository) -> tuple[MainWindow, SessionView, SessionRunner]:
    """A 1280×800 window in floor mode, its session waiting for the first after-exercise answer."""
    main = MainWindow(AppContext(repo, FakeClock(), fake_services()))
    qtbot.addWidget(main)
    main.apply_appearance()
    main.resize(1280, 800)
    main.show()
    view, runner = running_session(main)
    view.set_floor_mode(True)
    main.showNormal()  # offscreen "full screen" is the virtual screen: show it as a 1280×800 one would
    main.resize(1280, 800)
    clock = main.ctx.clock
    assert isinstance(clock, FakeClock)
    for _ in range(60):
        if runner.status().awaiting_answer is not None:
            break
        clock.advance(1)
        runner.tick()
    return main, view, runner


def test_the_question_after_the_last_exercise_never_shows_its_hold_words(window: MainWindow) -> None:
    view, runner = running_session(window)
    clock = window.ctx.clock
    assert isinstance(clock, FakeClock)
    for _ in range(60):
        if runner.status().awaiting_answer is not None:
            break
        clock.advance(1)
        runner.tick()
    status = runner.status()
    assert status.step is Step.DONE and status.pause_reason is PauseReason.QUESTION
    cue = view.running.cue.text()
    assert "Waiting for your answer" in cue and "pain check" in cue and "Hold" not in cue
    assert "next exercise" not in cue, "there is none after the last one"
    assert view.running.pause.text() == "Resume (Space)"
    assert not view.running.pause.isEnabled(), "only an answer carries on: Resume would do nothing"
    assert not view.running.skip.isEnabled()
    view.running.symptom.buttons[SymptomChange.DOWN].click()
    assert runner.status().pause_reason is PauseReason.SPREAD
    assert view.running.pause.isEnabled(), "now Space carries on without the exercise"
    assert view.running.cue.text().startswith("Paused.") and "Hold" not in view.running.cue.text()


def test_todays_pause_card_puts_the_advice_first_and_larger_than_the_paused_note(window: MainWindow) -> None:
    view = session_past_guidance(window)
    answer_red_flags(view, yes=("bladder",))
    view.triage.back_button.click()
    today = window.page("today")
    QApplication.processEvents()
    card = today.pause_card  # type: ignore[attr-defined]
    advice, reason, number = today.pause_advice, today.pause_reason, today.pause_number  # type: ignore[attr-defined]
    assert "A&E" in advice.text() and "999" in number.text() and "paused" in reason.text()
    assert advice.fontInfo().pointSizeF() > reason.fontInfo().pointSizeF()
    layout = card.layout()
    assert layout.indexOf(advice) < layout.indexOf(number) < layout.indexOf(reason)


def test_the_result_page_gives_each_part_of_the_advice_its_own_paragraph(window: MainWindow) -> None:
    view = session_past_guidance(window)
    answer_red_flags(view, yes=("cancer",))
    first, second = view.triage.body.text().split("\n\n")
    assert "not an emergency" in first and "999" not in first
    assert second.startswith("If you notice numbness") and "call 999" in second


def test_the_yes_and_no_buttons_show_their_keys(window: MainWindow) -> None:
    view = session_past_guidance(window)
    question = view.red_flags.questions[0]
    assert [button.text() for button in question.buttons] == ["No (N)", "Yes (Y)"]
    assert question.buttons[1].accessibleName().startswith("Yes: ")


def test_it_hurts_shows_the_resting_pose_and_the_keys_to_skip_or_end(
    qtbot: QtBot, window: MainWindow
) -> None:
    from PySide6.QtCore import Qt

    view, runner = running_session(window)
    clock = window.ctx.clock
    assert isinstance(clock, FakeClock)
    while runner.status().step is not Step.HOLD:
        clock.advance(0.25)
        runner.tick()
    clock.advance(move_seconds(Step.HOLD, 2, ExerciseKind.HOLD))  # the figure has moved into the 2 s hold
    runner.tick()
    exercise = view.catalogue.get("pelvic-tilt")
    assert view.running.picture.illustration_id() == exercise.hold_illustration
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_H)
    cue = view.running.cue.text()
    assert "Ease out of the position" in cue and "(→)" in cue and "(Esc)" in cue
    assert view.running.picture.illustration_id() == exercise.start_illustration, (
        "not the hold it eases out of"
    )


def test_the_question_in_german_floor_mode_fits_without_a_sideways_scroll(
    qtbot: QtBot, data_dir: Path
) -> None:
    """The German answers were wider than a 1280-pixel screen in floor mode: the sideways scroll bar took
    height from the panel, whose type follows its height, and came and went until the stack overflowed."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtWidgets import QBoxLayout

    from sciatica_coach import i18n

    repo = Repository.open(data_dir)
    routine = Routine(
        Phase.BALL,
        (
            RoutineItem("ball-marching", Dose(1, 1, 1, 1, 0), SideMode.BOTH),
            RoutineItem("dead-bug", Dose(1, 1, 1, 1, 0), SideMode.BOTH),
        ),
    )
    save_routine(repo, routine)
    repo.set_setting("country", "DE")
    i18n.set_language("de")
    _main, view, runner = question_in_floor_mode(qtbot, repo)
    for _ in range(3):
        QApplication.processEvents()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert view.running.symptom.isVisible()
    policy = view.scroller.horizontalScrollBarPolicy()
    assert policy is Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert view.stack.width() <= view.scroller.viewport().width(), "the answers fit across the screen"
    view.running.symptom.buttons[SymptomChange.DOWN].click()  # "Beckenkippen auf dem Ball" instead
    for _ in range(3):
        QApplication.processEvents()
    assert view.running.symptom.instead.isVisible()
    assert view.running.symptom.choice_row.direction() is QBoxLayout.Direction.TopToBottom
    assert view.stack.width() <= view.scroller.viewport().width(), "the advice and its choices fit too"
    runner.timer.stop()


@pytest.mark.parametrize(
    ("language", "exercises"),
    [
        ("de", ("ball-marching", "dead-bug")),
        ("de", ("ball-marching", "prone-press-up")),  # the next exercise's long name takes two lines
        ("de", ("prone-press-up", "knee-to-chest")),  # "Bauchlage auf den Ellbogen" instead
        ("de", ("dead-bug", "bridge")),
        ("en", ("ball-marching", "dead-bug")),
    ],
)
def test_the_further_down_advice_in_floor_mode_fits_a_1280x800_screen(
    qtbot: QtBot, data_dir: Path, language: str, exercises: tuple[str, ...]
) -> None:
    """After "further down" in German floor mode, the gentler exercise, the advice and the two choices ran
    past the bottom of a 1280×800 screen: "Carry on" and the controls needed scrolling."""
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtWidgets import QPushButton

    from sciatica_coach import i18n

    repo = Repository.open(data_dir)
    items = tuple(RoutineItem(exercise, Dose(1, 1, 1, 1, 0), SideMode.BOTH) for exercise in exercises)
    save_routine(repo, Routine(Phase.BALL, items))
    repo.set_setting("country", "DE" if language == "de" else "GB")
    i18n.set_language(language)
    try:
        main, view, _runner = question_in_floor_mode(qtbot, repo)
        view.running.symptom.buttons[SymptomChange.DOWN].click()
        for _ in range(5):
            QApplication.processEvents()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        symptom, running = view.running.symptom, view.running
        assert main.size().width() == 1280 and main.size().height() == 800
        assert symptom.headline.isVisible() and symptom.instead.isVisible()
        assert view.scroller.verticalScrollBar().maximum() == 0, "no scrolling needed"
        viewport = view.scroller.viewport()
        buttons = [b for b in symptom.findChildren(QPushButton) if b.isVisible()]
        buttons += [running.back, running.pause, running.skip, running.floor, running.end]
        assert symptom.carry_on_button in buttons
        for button in buttons:
            top = button.mapTo(viewport, QPoint(0, 0)).y()
            assert top >= 0 and top + button.height() <= viewport.height(), (button.text(), top)
    finally:
        if main.session_view is not None and main.session_view.runner is not None:
            main.session_view.runner.timer.stop()
