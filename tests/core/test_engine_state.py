"""What the engine reports and keeps, field by field: the stored record of each exercise, the snapshot the
screen shows (pause reason, next exercise, sets, progress), the time boundaries of a sleep or a jump, and that
every control leaves the session in a state a person can see is right (issue 18: the mutation run showed these
unchecked). Time only moves when a test moves the FakeClock."""

from __future__ import annotations

import pytest

from sciatica_coach.core.engine import (
    CLOCK_JUMP_TOLERANCE_S,
    MAX_TICK_GAP_S,
    CountdownTick,
    Event,
    HalfwayReached,
    PauseReason,
    SessionEngine,
    SessionFinished,
    SessionPaused,
    Step,
    StepStarted,
    planned_duration_s,
)
from sciatica_coach.core.model import (
    Dose,
    ExerciseRecord,
    Phase,
    Routine,
    RoutineItem,
    SideMode,
    SymptomChange,
)
from tests.helpers import FakeClock

TICK_S = 0.25


def item(exercise_id: str, *, hold: int = 2, reps: int = 2, sets: int = 1) -> RoutineItem:
    return RoutineItem(exercise_id, Dose(hold, reps, sets, 1, 3), SideMode.BOTH)


def make(*items: RoutineItem, **kwargs: int | bool) -> tuple[SessionEngine, FakeClock]:
    clock = FakeClock()
    return SessionEngine(Routine(Phase.STRENGTH, items), clock, **kwargs), clock  # type: ignore[arg-type]


def until(engine: SessionEngine, clock: FakeClock, step: Step, index: int) -> list[Event]:
    events: list[Event] = []
    for _ in range(10_000):
        status = engine.status()
        if status.step is step and status.exercise_index == index:
            return events
        clock.advance(TICK_S)
        events += engine.tick()
    raise AssertionError(f"never reached {step} of {index}")


# --- the record of each exercise -----------------------------------------------------------------------


def test_a_fresh_record_holds_the_planned_dose() -> None:
    engine, _ = make(item("bridge", hold=7, reps=3, sets=1))
    assert engine.exercise_records() == (ExerciseRecord("bridge", 0, 3, 0, 1, 7),)


def test_a_finished_exercise_is_stored_with_its_hold_time() -> None:
    engine, clock = make(item("bridge", hold=7, reps=2, sets=1))
    engine.start()
    until(engine, clock, Step.DONE, 1)
    assert engine.exercise_records() == (ExerciseRecord("bridge", 2, 2, 1, 1, 7),)


def test_the_routine_keeps_its_phase() -> None:
    engine, _ = make(item("bridge"))
    assert engine.routine == Routine(Phase.STRENGTH, (item("bridge"),))
    engine.remove_upcoming("bridge")
    assert engine.routine == Routine(Phase.STRENGTH, ())


# --- the snapshot -----------------------------------------------------------------------------------------


def test_before_start_nothing_is_paused_ended_or_finished() -> None:
    engine, _ = make(item("a"), item("b"))
    status = engine.status()
    assert (status.paused, status.pause_reason, status.ended_early, status.finished_index) == (
        False,
        None,
        False,
        None,
    )
    assert status.ended_early is False and status.pause_reason is None and status.finished_index is None


def test_the_next_exercise_is_the_one_after() -> None:
    engine, clock = make(item("a"), item("b"), item("c"))
    engine.start()
    assert engine.status().next_item == item("b")
    until(engine, clock, Step.GET_READY, 1)
    assert engine.status().next_item == item("c")
    until(engine, clock, Step.GET_READY, 2)
    assert engine.status().next_item is None


def test_a_one_set_exercise_shows_one_set_and_done_shows_none() -> None:
    engine, clock = make(item("a", reps=1, sets=1))
    engine.start()
    status = engine.status()
    assert (status.rep, status.reps, status.set_no, status.sets) == (1, 1, 1, 1)
    until(engine, clock, Step.DONE, 1)
    status = engine.status()
    assert (status.rep, status.reps, status.set_no, status.sets, status.item) == (0, 0, 0, 0, None)


def test_progress_of_a_one_second_session() -> None:
    engine, clock = make(item("a", hold=1, reps=1), get_ready_s=0)
    assert engine.plan[0].step is Step.HOLD and planned_duration_s(engine.routine, get_ready_s=0) == 1
    engine.start()
    clock.advance(0.5)
    engine.tick()
    assert engine.status().progress == 0.5


def test_a_skipped_last_exercise_leaves_no_question_at_done() -> None:
    engine, clock = make(item("a"), item("b"))
    engine.start()
    until(engine, clock, Step.NEXT_EXERCISE, 1)
    assert engine.status().finished_index == 0
    until(engine, clock, Step.GET_READY, 1)
    engine.skip()
    assert engine.done and engine.status().finished_index is None


# --- pause reasons ------------------------------------------------------------------------------------------


def test_every_pause_shows_its_reason_and_resuming_clears_it() -> None:
    engine, _ = make(item("a", hold=5))
    engine.start()
    assert engine.pause(PauseReason.HURTS) == [SessionPaused(PauseReason.HURTS)]
    assert engine.status().pause_reason is PauseReason.HURTS
    engine.resume()
    assert engine.status().pause_reason is None
    engine.pause()
    assert engine.status().pause_reason is PauseReason.USER


def test_pausing_with_half_a_second_left_keeps_half_a_second() -> None:
    engine, clock = make(item("a", hold=5), get_ready_s=2)
    engine.start()
    clock.advance(1.5)
    engine.tick()
    engine.pause()
    assert engine.status().remaining_s == 0.5


def test_a_sleep_with_half_a_second_left_keeps_half_a_second() -> None:
    engine, clock = make(item("a", hold=5), get_ready_s=2)
    engine.start()
    clock.advance(1.5)
    engine.tick()
    clock.sleep_machine(600)
    assert engine.tick() == [SessionPaused(PauseReason.SLEEP_OR_CLOCK_JUMP)]
    assert engine.status().remaining_s == 0.5


def test_ending_a_paused_session_leaves_it_neither_paused_nor_held() -> None:
    engine, _ = make(item("a"), item("b"))
    engine.start()
    engine.pause()
    events = engine.end_early()
    assert events[-1] == SessionFinished(ended_early=True)
    status = engine.status()
    assert (status.paused, status.pause_reason, status.ended_early) == (False, None, True)


def test_ending_at_a_done_held_by_the_question_leaves_nothing_paused() -> None:
    engine, clock = make(item("a", reps=1), ask_after_each_exercise=True)
    engine.start()
    until(engine, clock, Step.DONE, 1)
    assert engine.status().pause_reason is PauseReason.QUESTION
    assert engine.end_early()[-1] == SessionFinished()  # after the unanswered question
    assert (engine.status().paused, engine.status().pause_reason) == (False, None)


def test_skipping_to_the_end_while_paused_is_not_left_paused() -> None:
    engine, _ = make(item("a"))
    engine.start()
    engine.pause()
    engine.skip()
    assert engine.done
    assert (engine.status().paused, engine.status().pause_reason) == (False, None)


def test_an_answer_that_symptoms_spread_shows_why_it_is_paused() -> None:
    engine, clock = make(item("a", reps=1), item("b"), ask_after_each_exercise=True)
    engine.start()
    until(engine, clock, Step.NEXT_EXERCISE, 1)
    engine.answer(SymptomChange.DOWN)
    assert (engine.status().paused, engine.status().pause_reason) == (True, PauseReason.SPREAD)


def test_going_back_from_the_question_is_a_plain_pause() -> None:
    engine, clock = make(item("a", reps=1), item("b"), ask_after_each_exercise=True)
    engine.start()
    until(engine, clock, Step.NEXT_EXERCISE, 1)
    engine.back()
    status = engine.status()
    assert (status.step, status.exercise_index, status.paused, status.pause_reason) == (
        Step.GET_READY,
        0,
        True,
        PauseReason.USER,
    )


def test_back_after_the_session_finished_does_nothing() -> None:
    engine, clock = make(item("a"), item("b"))
    engine.start()
    until(engine, clock, Step.DONE, 2)
    assert engine.back() == []
    assert engine.done


# --- before start, controls say nothing ------------------------------------------------------------------


def test_before_start_skipping_or_changing_what_comes_next_says_nothing() -> None:
    engine, _ = make(item("a"), item("b"), item("c"))
    assert engine.skip() == []
    assert engine.status().exercise_index == 1
    assert engine.remove_upcoming("b") == []
    assert engine.status().exercise_index == 1 and engine.status().item == item("c")


def test_a_new_dose_of_the_previewed_exercise_is_not_a_new_step() -> None:
    engine, clock = make(item("a"), item("b"))
    engine.start()
    until(engine, clock, Step.NEXT_EXERCISE, 1)
    assert engine.bring_forward(item("b", reps=1)) == []
    assert engine.status().item == item("b", reps=1)


# --- settings survive a change of plan ------------------------------------------------------------------


def test_custom_step_times_survive_removing_an_exercise() -> None:
    engine, _ = make(
        RoutineItem("a", Dose(2, 1, 1, 0, 0), SideMode.LEFT_THEN_RIGHT),
        item("b"),
        item("c"),
        preview_s=7,
        switch_side_s=9,
        get_ready_s=4,
    )
    before = engine.plan
    engine.remove_upcoming("b")
    durations = {p.step: p.duration_s for p in engine.plan}
    assert (durations[Step.NEXT_EXERCISE], durations[Step.SWITCH_SIDE], durations[Step.GET_READY]) == (
        7,
        9,
        4,
    )
    assert [p for p in before if p.exercise_index == 0] == [p for p in engine.plan if p.exercise_index == 0]


def test_planned_duration_counts_the_given_step_times() -> None:
    one_sided = Routine(Phase.MOBILITY, (RoutineItem("a", Dose(2, 1, 1, 0, 0), SideMode.LEFT_THEN_RIGHT),))
    assert planned_duration_s(one_sided, get_ready_s=4, switch_side_s=9) == 4 + 2 + 9 + 2
    assert planned_duration_s(one_sided, 4, 10, 9) == 4 + 2 + 9 + 2


# --- halfway and time boundaries -------------------------------------------------------------------------


def test_a_first_hold_with_no_get_ready_gets_its_halfway() -> None:
    engine, clock = make(item("a", hold=10, reps=1), get_ready_s=0)
    engine.start()
    assert engine.status().step is Step.HOLD
    events: list[Event] = []
    for _ in range(20):
        clock.advance(TICK_S)
        events += engine.tick()
    assert events == [HalfwayReached(Step.HOLD, 0)]


def test_a_late_tick_landing_exactly_three_seconds_before_the_end_drops_the_halfway() -> None:
    engine, clock = make(item("a", hold=10, reps=1), get_ready_s=0)
    engine.start()
    clock.advance(4.75)
    assert engine.tick() == []
    clock.advance(2.25)  # 3.0 s left: the countdown's moment
    assert engine.tick() == [CountdownTick(3, Step.HOLD, 0)]


def test_a_gap_of_exactly_the_limit_still_advances() -> None:
    engine, clock = make(item("a", hold=20, reps=1), get_ready_s=0)
    engine.start()
    clock.advance(MAX_TICK_GAP_S)
    engine.tick()
    assert not engine.status().paused


def test_a_wall_clock_wobble_of_exactly_the_tolerance_does_not_pause() -> None:
    engine, clock = make(item("a", hold=20, reps=1), get_ready_s=0)
    engine.start()
    clock.advance(1)
    clock.jump_wall(CLOCK_JUMP_TOLERANCE_S)
    engine.tick()
    assert not engine.status().paused


def _slept(engine: SessionEngine, clock: FakeClock) -> list[Event]:
    clock.sleep_machine(600)
    return engine.tick()


@pytest.mark.parametrize("control", ["start", "resume", "skip", "back"])
def test_a_sleep_right_after_a_control_still_pauses(control: str) -> None:
    engine, clock = make(item("a", hold=20), item("b", hold=20))
    if control == "start":
        engine.start()
    elif control == "resume":
        engine.start()
        engine.pause()
        clock.advance(30)
        engine.resume()
    elif control == "skip":
        engine.start()
        clock.advance(3)
        engine.tick()
        clock.advance(1)
        engine.skip()
    else:
        engine.start()
        engine.skip()
        clock.advance(3)
        engine.tick()
        clock.advance(1)
        engine.back()
    assert _slept(engine, clock) == [SessionPaused(PauseReason.SLEEP_OR_CLOCK_JUMP)]


def test_steps_started_by_a_control_report_the_full_step() -> None:
    engine, clock = make(item("a"), item("b"))
    engine.start()
    clock.advance(1)
    engine.tick()
    [started] = [e for e in engine.skip() if isinstance(e, StepStarted)]
    assert (started.step, started.exercise_index, started.status.remaining_s) == (Step.GET_READY, 1, 5.0)


def _halfways(engine: SessionEngine, clock: FakeClock, seconds: float) -> list[Event]:
    events: list[Event] = []
    for _ in range(round(seconds / TICK_S)):
        clock.advance(TICK_S)
        events += [e for e in engine.tick() if isinstance(e, HalfwayReached)]
    return events


def test_going_back_straight_into_a_long_hold_still_says_halfway() -> None:
    engine, clock = make(item("a", hold=10, reps=1), item("b", hold=10, reps=1), get_ready_s=0, preview_s=0)
    engine.start()
    assert _halfways(engine, clock, 10) == [HalfwayReached(Step.HOLD, 0)]
    assert engine.status().exercise_index == 1
    engine.back()  # straight into a's hold again: no get-ready
    assert engine.status().step is Step.HOLD
    assert _halfways(engine, clock, 6) == [HalfwayReached(Step.HOLD, 0)]


def test_a_hold_that_takes_the_place_of_another_before_start_says_halfway() -> None:
    engine, clock = make(item("a", hold=10, reps=1), item("b", hold=10, reps=1), get_ready_s=0)
    engine.remove_upcoming("a")
    engine.start()
    assert _halfways(engine, clock, 6) == [HalfwayReached(Step.HOLD, 0)]


def test_a_pause_before_start_keeps_its_reason() -> None:
    engine, _ = make(item("a"))
    assert engine.pause(PauseReason.HURTS) == [SessionPaused(PauseReason.HURTS)]
    assert engine.status().pause_reason is PauseReason.HURTS
