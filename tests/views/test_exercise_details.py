"""The exercise details page (issue 23, point 4): opened from Today and from the routine editor for the chosen
exercise; every step's words beside the picture of its moment; the cautions and the stop rule; a looping preview
of one repetition whose frame timer runs only while the page is shown; still pictures with reduced motion;
Esc closes and Enter starts nothing."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from sciatica_coach import i18n
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.model import Exercise, ExerciseKind, Moment
from sciatica_coach.core.motion import MOVE_IN_S, MOVE_OUT_S
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.dose_on_side import dose_on_side
from sciatica_coach.views.exercise_details import (
    PREVIEW_HOLD_S,
    PREVIEW_REST_S,
    ExerciseDetails,
    open_exercise_details,
    preview_pose,
)
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.routine_page import RoutinePage
from sciatica_coach.views.today_page import TodayPage
from tests.helpers import FakeClock, fake_services

CHOSEN = "knee-to-chest"  # in the default routine; held, with cautions, and a step at every moment


def make_window(qtbot: QtBot, data_dir: Path, clock: FakeClock | None = None) -> MainWindow:
    window = MainWindow(AppContext(Repository.open(data_dir), clock or FakeClock(), fake_services()))
    qtbot.addWidget(window)
    window.show()
    QApplication.processEvents()  # Today's exercise list is filled just after the first paint
    return window


def details_of(window: MainWindow) -> list[ExerciseDetails]:
    return [d for d in window.findChildren(ExerciseDetails) if d.isVisible()]


def open_chosen(qtbot: QtBot, data_dir: Path, clock: FakeClock | None = None) -> ExerciseDetails:
    window = make_window(qtbot, data_dir, clock)
    exercise = load_catalogue().get(CHOSEN)
    return open_exercise_details(window.ctx, exercise, None, window)


def test_opens_from_today_for_the_chosen_exercise(qtbot: QtBot, data_dir: Path) -> None:
    window = make_window(qtbot, data_dir)
    page = window.page("today")
    assert isinstance(page, TodayPage)
    names = [load_catalogue().get(item.exercise_id).name for item in page.routine_for_today().items]
    buttons = [b for b in page.findChildren(QPushButton) if b.text() == "How to do it"]
    assert len(buttons) == len(names)  # one for each exercise of today's routine
    chosen = names.index(load_catalogue().get(CHOSEN).name)
    button = next(b for b in buttons if b.accessibleName() == f"How to do {names[chosen]}")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    (dialog,) = details_of(window)
    assert dialog.exercise.id == CHOSEN
    assert dialog.name.text() == names[chosen]


def test_opens_from_the_routine_editor_for_the_selected_exercise(qtbot: QtBot, data_dir: Path) -> None:
    window = make_window(qtbot, data_dir)
    window.show_page("routine")
    page = window.page("routine")
    assert isinstance(page, RoutinePage)
    exercises = page.exercises
    row = [item.exercise_id for item in exercises.draft().items].index(CHOSEN)
    exercises.list.setCurrentRow(row)
    qtbot.mouseClick(exercises.details_button, Qt.MouseButton.LeftButton)
    (dialog,) = details_of(window)
    assert dialog.exercise.id == CHOSEN
    item = exercises.draft().items[row]
    assert dialog.dose.text() == dose_on_side(item, moving=dialog.exercise.is_movement)  # the draft's dose
    dialog.reject()
    exercises.list.setCurrentRow(0)  # a double click on a row opens that one
    first = exercises.list.item(0)
    rect = exercises.list.visualItemRect(first)
    qtbot.mouseClick(exercises.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(exercises.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    opened = details_of(window)
    assert [d.exercise.id for d in opened] == [exercises.draft().items[0].exercise_id]


def test_every_step_beside_the_picture_of_its_moment(qtbot: QtBot, data_dir: Path) -> None:
    dialog = open_chosen(qtbot, data_dir)
    exercise: Exercise = dialog.exercise
    assert {step.moment for step in exercise.steps} == set(Moment)  # the chosen one tests all three
    assert len(dialog.step_rows) == len(exercise.steps)
    for number, (row, step) in enumerate(zip(dialog.step_rows, exercise.steps, strict=True), 1):
        assert row.words.text() == f"{number}. {step.text}"
        wanted = exercise.hold_illustration if step.moment is Moment.HOLD else exercise.start_illustration
        assert row.picture.illustration_id() == wanted, step.text
        assert row.picture.isVisible()


def test_shows_the_feel_the_cautions_and_the_stop_rule(qtbot: QtBot, data_dir: Path) -> None:
    dialog = open_chosen(qtbot, data_dir)
    exercise = dialog.exercise
    assert exercise.cautions
    assert [line.text() for line in dialog.caution_labels] == [f"•  {c}" for c in exercise.cautions]
    assert dialog.stop_rule.text() == exercise.stop_if and dialog.stop_rule.isVisible()
    assert "solid" in dialog.stop_rule.styleSheet()  # on its amber-edged band, as in the session
    assert dialog.stop_rule.font().pointSizeF() > dialog.feel.font().pointSizeF()  # larger than the words
    assert dialog.name.font().pointSizeF() > dialog.stop_rule.font().pointSizeF()
    assert dialog.feel.text() == exercise.feel
    assert dialog.summary.text() == exercise.summary


def test_the_preview_loops_one_repetition_as_the_clock_moves(qtbot: QtBot, data_dir: Path) -> None:
    clock = FakeClock()
    dialog = open_chosen(qtbot, data_dir, clock)
    assert dialog.exercise.kind is ExerciseKind.HOLD
    assert dialog.frames.isActive() and dialog.preview.isVisible()
    start, hold = dialog.exercise.start_illustration, dialog.exercise.hold_illustration
    cycle = PREVIEW_HOLD_S + PREVIEW_REST_S
    seen: list[tuple[float | None, str | None]] = []
    now = 0.0
    for at in (0.0, MOVE_IN_S / 2, PREVIEW_HOLD_S - 0.5, PREVIEW_HOLD_S + MOVE_OUT_S / 2, cycle - 0.5,
               cycle + MOVE_IN_S / 2):  # fmt: skip
        clock.advance(at - now)
        now = at
        dialog.frames.timeout.emit()
        seen.append((dialog.preview.moving_pose(), dialog.preview.illustration_id()))
    (p0, d0), (p1, _d1), (p2, d2), (p3, _d3), (p4, d4), (p5, _d5) = seen
    assert (p0, d0) == (None, start)  # the start pose, still
    assert p1 is not None and 0 < p1 < 1  # moving into the hold
    assert (p2, d2) == (None, hold)  # held
    assert p3 is not None and 0 < p3 < 1  # moving back
    assert (p4, d4) == (None, start)  # resting
    assert p5 == pytest.approx(p1)  # and again


def test_no_frame_timer_while_the_preview_stands_still(qtbot: QtBot, data_dir: Path) -> None:
    """Held in the hold pose, the figure needs no frames: a single wake-up brings the timer back for the move
    back, when the still part is over."""
    clock = FakeClock()
    dialog = open_chosen(qtbot, data_dir, clock)
    clock.advance(MOVE_IN_S + 0.5)  # in the hold, still
    dialog.frames.timeout.emit()
    assert not dialog.frames.isActive()
    assert dialog.wake.isActive()
    assert dialog.wake.interval() == pytest.approx(1000 * (PREVIEW_HOLD_S - MOVE_IN_S - 0.5), abs=2)
    clock.advance(PREVIEW_HOLD_S - MOVE_IN_S - 0.5 + 0.1)  # the move back has begun
    dialog.wake.timeout.emit()
    assert dialog.frames.isActive() and dialog.preview.moving_pose() is not None
    dialog.hide()
    assert not dialog.frames.isActive() and not dialog.wake.isActive()


def test_preview_pose_goes_0_to_1_to_0() -> None:
    hold, rest = PREVIEW_HOLD_S, PREVIEW_REST_S
    poses = [preview_pose(t / 10, hold, rest, ExerciseKind.HOLD) for t in range(int((hold + rest) * 10) + 1)]
    top = poses.index(1.0)
    assert poses[0] == 0.0 and poses[-1] == 0.0
    assert all(a <= b for a, b in pairwise(poses[: top + 1]))  # only forwards
    assert all(a >= b for a, b in pairwise(poses[top:]))  # only back
    assert max(abs(a - b) for a, b in pairwise(poses)) < 0.2  # no jumps
    assert preview_pose(MOVE_IN_S, hold, rest, ExerciseKind.HOLD) == 1.0  # in after MOVE_IN_S


def test_the_timer_runs_only_while_the_page_is_shown(qtbot: QtBot, data_dir: Path) -> None:
    dialog = open_chosen(qtbot, data_dir)
    assert dialog.frames.isActive()
    dialog.hide()
    assert not dialog.frames.isActive()
    dialog.show()
    assert dialog.frames.isActive()


def test_still_pictures_show_both_poses_and_run_no_timer(qtbot: QtBot, data_dir: Path) -> None:
    clock = FakeClock()
    window = make_window(qtbot, data_dir, clock)
    window.ctx.set_setting("still_pictures", True)
    dialog = open_exercise_details(window.ctx, load_catalogue().get(CHOSEN), None, window)
    assert not dialog.frames.isActive()
    assert not dialog.preview.isVisible()
    exercise = dialog.exercise
    assert [p.illustration_id() for p in dialog.still_pictures] == [
        exercise.start_illustration,
        exercise.hold_illustration,
    ]
    assert all(p.isVisible() and p.moving_pose() is None for p in dialog.still_pictures)
    clock.advance(MOVE_IN_S)
    assert not dialog.frames.isActive()


def test_esc_closes_and_enter_starts_nothing(qtbot: QtBot, data_dir: Path) -> None:
    window = make_window(qtbot, data_dir)
    dialog = open_exercise_details(window.ctx, load_catalogue().get(CHOSEN), None, window)
    started: list[bool] = []
    window.ctx.start_session_requested.connect(lambda: started.append(True))
    qtbot.keyClick(dialog.close_button, Qt.Key.Key_Return)
    qtbot.keyClick(dialog, Qt.Key.Key_Enter)
    assert dialog.isVisible() and not started and window.session_view is None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert not dialog.frames.isActive()


def test_in_german(qtbot: QtBot, data_dir: Path) -> None:
    i18n.set_language("de")
    dialog = open_chosen(qtbot, data_dir)
    assert dialog.close_button.text() == "Schließen (Esc)"
    assert dialog.stop_rule.text() == load_catalogue().get(CHOSEN).stop_if  # the catalogue's German
    assert dialog.stop_rule.text() != ""
