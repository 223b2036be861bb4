"""The exercise figure moving in a real session (core/motion.py, views/figure_motion.py, the session view):
it moves into the hold as the hold begins, stands still through it, moves back in the rest, and the frame
timer runs only while it moves (the countdown's own repaint stays at its slow pace). Reduced motion keeps the still pictures. The fake clock
moves; nothing sleeps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sciatica_coach.core.engine import Step
from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, SideMode
from sciatica_coach.core.motion import MOVE_IN_S, MOVE_OUT_S
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.session_runner import FRAME_INTERVAL_MS, REPAINT_INTERVAL_MS, SessionRunner
from sciatica_coach.views.session_view import SessionView
from tests.helpers import FakeClock, session_running, window_with_routine

BRIDGE = Routine(Phase.STRENGTH, (RoutineItem("bridge", Dose(8, 2, 1, 5, 0), SideMode.BOTH),))


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[MainWindow]:
    with window_with_routine(qtbot, data_dir, BRIDGE) as main:
        yield main


def running(window: MainWindow) -> tuple[SessionView, SessionRunner, FakeClock]:
    view = session_running(window)
    runner = view.runner
    assert runner is not None
    clock = window.ctx.clock
    assert isinstance(clock, FakeClock)
    return view, runner, clock


def until(runner: SessionRunner, clock: FakeClock, step: Step) -> None:
    while runner.status().step is not step:
        clock.advance(0.25)
        runner.tick()


def advance(runner: SessionRunner, clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    runner.tick()


def test_the_figure_moves_into_the_hold_holds_still_and_moves_back(window: MainWindow) -> None:
    view, runner, clock = running(window)
    picture = view.running.picture
    assert picture.illustration_id() == "bridge-start" and not view.frames.isActive()
    until(runner, clock, Step.HOLD)
    advance(runner, clock, MOVE_IN_S / 2)
    assert picture.moving_pose() is not None and 0.0 < picture.moving_pose() < 1.0  # type: ignore[operator]
    assert view.frames.isActive() and view.frames.interval() == FRAME_INTERVAL_MS  # ~30 frames a second
    assert runner.timer.interval() == REPAINT_INTERVAL_MS  # the countdown's repaint never speeds up
    before = picture.grab().toImage()
    advance(runner, clock, MOVE_IN_S / 4)
    assert picture.grab().toImage() != before  # a new frame painted
    advance(runner, clock, MOVE_IN_S)
    assert picture.moving_pose() is None and picture.illustration_id() == "bridge-hold"
    assert not view.frames.isActive()  # still: no frame timer
    until(runner, clock, Step.REST_REP)
    advance(runner, clock, MOVE_OUT_S / 2)
    assert 0.0 < picture.moving_pose() < 1.0  # type: ignore[operator]
    advance(runner, clock, MOVE_OUT_S)
    assert picture.illustration_id() == "bridge-start" and picture.moving_pose() is None


def test_pause_stops_the_frames_and_the_figure(qtbot: QtBot, window: MainWindow) -> None:
    view, runner, clock = running(window)
    until(runner, clock, Step.HOLD)
    advance(runner, clock, MOVE_IN_S / 2)
    pose = view.running.picture.moving_pose()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Space)
    advance(runner, clock, 30)
    assert view.running.picture.moving_pose() == pose
    assert not view.frames.isActive()


def test_it_hurts_shows_the_start_pose_at_once(qtbot: QtBot, window: MainWindow) -> None:
    view, runner, clock = running(window)
    until(runner, clock, Step.HOLD)
    advance(runner, clock, MOVE_IN_S * 0.9)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_H)
    assert view.running.picture.illustration_id() == "bridge-start"
    assert view.running.picture.moving_pose() is None


def test_reduced_motion_shows_the_still_pictures_and_never_ticks_faster(window: MainWindow) -> None:
    window.ctx.set_setting("still_pictures", True)
    view, runner, clock = running(window)
    until(runner, clock, Step.HOLD)
    advance(runner, clock, 0.25)
    assert view.running.picture.illustration_id() == "bridge-hold"
    assert view.running.picture.moving_pose() is None
    assert not view.frames.isActive()


def test_the_frame_timer_paints_the_figure_between_the_countdown_s_repaints(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The frames come from the view's own timer, reading the engine's snapshot: no runner tick needed."""
    view, runner, clock = running(window)
    runner.timer.stop()  # only the frame timer runs now
    until(runner, clock, Step.HOLD)
    clock.advance(MOVE_IN_S / 4)
    runner.tick()
    first = view.running.picture.moving_pose()
    clock.advance(MOVE_IN_S / 4)
    qtbot.waitUntil(lambda: view.running.picture.moving_pose() != first, timeout=2000)
    assert first is not None and view.running.picture.moving_pose() > first  # type: ignore[operator]
    clock.advance(MOVE_IN_S)
    qtbot.waitUntil(lambda: not view.frames.isActive(), timeout=2000)
    assert view.running.picture.illustration_id() == "bridge-hold"


def test_focus_moving_about_the_screen_never_starts_the_figure(qtbot: QtBot, window: MainWindow) -> None:
    """A screen reader moving the focus (Tab through the controls) changes nothing: only the steps move it."""
    view, runner, clock = running(window)
    until(runner, clock, Step.HOLD)
    advance(runner, clock, MOVE_IN_S + 0.5)
    picture = view.running.picture
    for _ in range(6):
        qtbot.keyClick(view.focusWidget() or view, Qt.Key.Key_Tab)
        assert picture.moving_pose() is None and not view.frames.isActive()
