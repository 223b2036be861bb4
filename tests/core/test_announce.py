"""Screen-reader announcements in a session: every step change, then 10, 5, 3, 2, 1 seconds left, and nothing
else however often the view repaints."""

from __future__ import annotations

from sciatica_coach.core.announce import COUNTDOWN_MARKS_S, Announced, Due, announcement_due
from sciatica_coach.core.engine import SessionEngine, SessionStatus, Step
from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, SideMode
from tests.helpers import FakeClock


def run(hold_s: int, repaint_s: float, reps: int = 1) -> list[tuple[Due, SessionStatus]]:
    """A one-exercise session repainted every `repaint_s`; the announcements the policy asks for."""
    clock = FakeClock()
    item = RoutineItem("pelvic-tilt", Dose(hold_s, reps, 1, 3, 0), SideMode.BOTH)
    engine = SessionEngine(Routine(Phase.MOBILITY, (item,)), clock)
    engine.start()
    said: list[tuple[Due, SessionStatus]] = []
    last: Announced | None = None
    while not engine.done:
        engine.tick()
        status = engine.status()
        due, last = announcement_due(last, status)
        if due is not None:
            said.append((due, status))
        clock.advance(repaint_s)
    return said


def test_a_long_hold_is_announced_at_its_start_and_at_the_marks_only() -> None:
    said = run(hold_s=30, repaint_s=1 / 60)  # 60 repaints a second
    hold = [(due, round(s.remaining_s)) for due, s in said if s.step is Step.HOLD]
    assert hold == [(Due.STEP, 30), *((Due.SECONDS, mark) for mark in COUNTDOWN_MARKS_S)]


def test_repaint_rate_does_not_change_what_is_said() -> None:
    fast = [(due, s.step) for due, s in run(hold_s=12, repaint_s=1 / 60)]
    slow = [(due, s.step) for due, s in run(hold_s=12, repaint_s=0.5)]
    assert fast == slow
    assert len(fast) < 20, "a handful per step, not one per repaint"


def test_short_steps_skip_the_marks_above_their_length() -> None:
    said = run(hold_s=4, repaint_s=0.25)
    hold = [(due, round(s.remaining_s)) for due, s in said if s.step is Step.HOLD]
    assert hold == [(Due.STEP, 4), (Due.SECONDS, 3), (Due.SECONDS, 2), (Due.SECONDS, 1)]


def test_every_step_change_is_announced_once() -> None:
    said = run(hold_s=3, repaint_s=0.1, reps=2)
    steps = [s.step for due, s in said if due is Due.STEP]
    assert steps == [Step.GET_READY, Step.HOLD, Step.REST_REP, Step.HOLD, Step.DONE]


def test_pausing_is_a_change_and_a_paused_countdown_is_silent() -> None:
    clock = FakeClock()
    item = RoutineItem("pelvic-tilt", Dose(30, 1, 1, 0, 0), SideMode.BOTH)
    engine = SessionEngine(Routine(Phase.MOBILITY, (item,)), clock)
    engine.start()
    due, last = announcement_due(None, engine.status())
    assert due is Due.STEP
    engine.pause()
    due, last = announcement_due(last, engine.status())
    assert due is Due.STEP and engine.status().paused
    for _ in range(20):
        clock.advance(1)
        engine.tick()
        due, last = announcement_due(last, engine.status())
        assert due is None
