"""The moving figure's timing (core/motion.py): where between its start and hold poses the figure is, from the
engine's own snapshot, so it follows the countdown through late frames, pause, back and skip.

The engine runs on a FakeClock; nothing sleeps on the real clock."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciatica_coach.core.engine import SessionEngine, SessionStatus, Step, build_plan
from sciatica_coach.core.model import Dose, ExerciseKind, Phase, Routine, RoutineItem, SideMode
from sciatica_coach.core.motion import (
    MOVE_IN_S,
    MOVE_OUT_S,
    blend,
    blend_at,
    ease,
    elapsed_s,
    move_seconds,
    moving,
)
from tests.helpers import FakeClock

HOLD, MOVEMENT = ExerciseKind.HOLD, ExerciseKind.MOVEMENT
FRAME_S = 1 / 30


def items_for(*doses: Dose) -> tuple[RoutineItem, ...]:
    return tuple(RoutineItem("pelvic-tilt", dose, SideMode.BOTH) for dose in doses)


def engine_for(*doses: Dose) -> tuple[SessionEngine, FakeClock]:
    clock = FakeClock()
    return SessionEngine(Routine(Phase.MOBILITY, items_for(*doses)), clock), clock


# --- the shape of a move -----------------------------------------------------------------------------------
def test_ease_starts_and_ends_at_rest_and_is_half_way_in_the_middle() -> None:
    assert (ease(0.0), ease(0.5), ease(1.0)) == (0.0, 0.5, 1.0)
    step = 1e-4  # the slope at both ends is (nearly) zero: no jolt into or out of a move
    assert ease(step) < 1e-6 and 1.0 - ease(1.0 - step) < 1e-6


@given(st.floats(allow_nan=False, allow_infinity=False), st.floats(allow_nan=False, allow_infinity=False))
def test_ease_stays_within_the_two_poses_and_never_turns_back(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert 0.0 <= ease(low) <= ease(high) <= 1.0


@given(
    st.sampled_from(list(Step)),
    st.floats(min_value=-5, max_value=500, allow_nan=False),
    st.integers(min_value=0, max_value=300),
    st.sampled_from(list(ExerciseKind)),
    st.booleans(),
)
def test_a_pose_is_always_between_start_and_hold(
    step: Step, elapsed: float, duration: int, kind: ExerciseKind, reduced: bool
) -> None:
    assert 0.0 <= blend_at(step, elapsed, duration, kind, reduced=reduced) <= 1.0


# --- a held exercise ---------------------------------------------------------------------------------------
def test_a_hold_moves_in_over_two_seconds_then_stands_still() -> None:
    assert blend_at(Step.HOLD, 0.0, 10, HOLD) == 0.0
    assert blend_at(Step.HOLD, MOVE_IN_S / 2, 10, HOLD) == pytest.approx(0.5)
    assert blend_at(Step.HOLD, MOVE_IN_S, 10, HOLD) == 1.0
    assert blend_at(Step.HOLD, 9.9, 10, HOLD) == 1.0


def test_the_rest_after_a_hold_brings_the_body_back() -> None:
    for step in (Step.REST_REP, Step.REST_SET):
        assert blend_at(step, 0.0, 10, HOLD) == 1.0
        assert blend_at(step, MOVE_OUT_S / 2, 10, HOLD) == pytest.approx(0.5)
        assert blend_at(step, MOVE_OUT_S, 10, HOLD) == 0.0


def test_short_holds_and_rests_move_in_part_of_their_time() -> None:
    assert move_seconds(Step.HOLD, 3, HOLD) == pytest.approx(1.0)  # a third of a 3 s hold
    assert move_seconds(Step.REST_REP, 2, HOLD) == pytest.approx(1.0)  # half of a 2 s rest
    assert blend_at(Step.HOLD, 1.0, 3, HOLD) == 1.0
    assert blend_at(Step.REST_REP, 1.0, 2, HOLD) == 0.0


@pytest.mark.parametrize("step", [Step.GET_READY, Step.NEXT_EXERCISE, Step.SWITCH_SIDE, Step.DONE])
def test_getting_ready_previews_and_switching_sides_show_the_start_pose_still(step: Step) -> None:
    assert {blend_at(step, t, 10, kind) for t in (0.0, 1.0, 5.0) for kind in ExerciseKind} == {0.0}
    assert move_seconds(step, 10, HOLD) == 0.0


# --- a to-and-fro movement ---------------------------------------------------------------------------------
def test_a_movement_glides_out_over_the_whole_move_and_back_over_the_whole_rest() -> None:
    out = [blend_at(Step.HOLD, t / 10, 4, MOVEMENT) for t in range(41)]
    back = [blend_at(Step.REST_REP, t / 10, 4, MOVEMENT) for t in range(41)]
    assert out[0] == 0.0 and out[-1] == 1.0 and out == sorted(out)
    assert back[0] == 1.0 and back[-1] == 0.0 and back == sorted(back, reverse=True)
    assert 0.2 < out[15] < 0.8  # still on its way well into the move: it never stops half way
    assert blend_at(Step.REST_SET, 0.0, 10, MOVEMENT) == 1.0  # the last move out of a set comes back too
    assert blend_at(Step.REST_SET, MOVE_OUT_S, 10, MOVEMENT) == 0.0


# --- reduced motion ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", list(ExerciseKind))
def test_reduced_motion_shows_the_still_pictures(kind: ExerciseKind) -> None:
    assert {blend_at(Step.HOLD, t, 10, kind, reduced=True) for t in (0.0, 0.5, 9.0)} == {1.0}
    assert {blend_at(Step.REST_REP, t, 10, kind, reduced=True) for t in (0.0, 0.5, 9.0)} == {0.0}


# --- with the real engine ----------------------------------------------------------------------------------
def frames(engine: SessionEngine, clock: FakeClock, seed: int = 1) -> list[tuple[float, SessionStatus]]:
    """The session from start to end at about 30 frames a second, with late frames now and then."""
    jitter = random.Random(seed)
    began = clock.monotonic()
    engine.start()
    seen = [(0.0, engine.status())]
    while not engine.done:
        clock.advance(FRAME_S * jitter.choice((1, 1, 1, 2, 5)))
        engine.tick()
        seen.append((clock.monotonic() - began, engine.status()))
    return seen


def test_the_figure_follows_the_engine_s_deadlines_without_drift() -> None:
    """Late frames never shift the pose: at every frame it is exactly what the planned step times give."""
    dose = Dose(hold_s=5, reps=3, sets=2, rest_between_reps_s=3, rest_between_sets_s=4)
    engine, clock = engine_for(dose, Dose(3, 2, 1, 2, 2))
    plan = build_plan(items_for(dose, Dose(3, 2, 1, 2, 2)))  # the engine's plan: the same defaults
    starts, total = [], 0.0
    for planned in plan:
        starts.append(total)
        total += planned.duration_s
    for at, status in frames(engine, clock):
        index = max(i for i, start in enumerate(starts) if start <= at + 1e-9 and plan[i].step is status.step)
        expected = blend_at(status.step, at - starts[index], plan[index].duration_s, HOLD)
        assert blend(status, HOLD) == pytest.approx(expected, abs=1e-9), (at, status.step)


@pytest.mark.parametrize("kind", list(ExerciseKind))
def test_within_an_exercise_the_figure_never_jumps(kind: ExerciseKind) -> None:
    """From one frame to the next the pose moves at most as far as a move's fastest pace allows, across every
    step change of the exercise: hold to rest, rest to hold, set to set."""
    engine, clock = engine_for(Dose(4, 3, 2, 2, 3))
    seen = frames(engine, clock)
    fastest = 1.5 / 1.0  # ease's steepest slope (1.5) over the shortest move here (1 s)
    for (at_a, a), (at_b, b) in itertools.pairwise(seen):
        if a.exercise_index == b.exercise_index and Step.GET_READY not in (a.step, b.step):
            assert abs(blend(b, kind) - blend(a, kind)) <= fastest * (at_b - at_a) + 1e-9, (a.step, b.step)


def test_a_pause_freezes_the_figure_and_resume_carries_on_from_there() -> None:
    engine, clock = engine_for(Dose(10, 2, 1, 3, 3))
    engine.start()
    while engine.status().step is not Step.HOLD:
        clock.advance(0.25)
        engine.tick()
    clock.advance(1.0)
    engine.tick()
    before = blend(engine.status(), HOLD)
    assert 0.0 < before < 1.0 and moving(engine.status(), HOLD)
    engine.pause()
    clock.advance(60.0)
    engine.tick()
    assert blend(engine.status(), HOLD) == before
    assert not moving(engine.status(), HOLD)  # no frame timer while paused
    engine.resume()
    assert blend(engine.status(), HOLD) == before
    clock.advance(MOVE_IN_S)
    engine.tick()
    assert blend(engine.status(), HOLD) == 1.0


def test_skip_and_back_show_the_pose_of_the_step_they_land_on() -> None:
    engine, clock = engine_for(Dose(10, 2, 1, 3, 3), Dose(10, 2, 1, 3, 3))
    engine.start()
    while engine.status().step is not Step.HOLD:
        clock.advance(0.25)
        engine.tick()
    clock.advance(5.0)
    engine.tick()
    assert blend(engine.status(), HOLD) == 1.0
    engine.skip()
    landed = engine.status()
    assert blend(landed, HOLD) == blend_at(landed.step, elapsed_s(landed), landed.step_duration_s, HOLD)
    assert landed.step is not Step.HOLD and blend(landed, HOLD) == 0.0
    engine.back()
    assert blend(engine.status(), HOLD) == 0.0


def test_nothing_moves_during_the_still_part_of_a_hold() -> None:
    engine, clock = engine_for(Dose(10, 2, 1, 3, 3))
    engine.start()
    assert not moving(engine.status(), HOLD)  # getting ready: the start pose, still
    while engine.status().step is not Step.HOLD:
        clock.advance(0.25)
        engine.tick()
    assert moving(engine.status(), HOLD)
    clock.advance(MOVE_IN_S + 0.1)
    engine.tick()
    assert not moving(engine.status(), HOLD)
    assert moving(engine.status(), MOVEMENT)  # a glide is on the move all through its "hold"
    assert not moving(engine.status(), MOVEMENT, reduced=True)
