"""Session engine: every transition for each side mode, time handling (drift, sleep, jumps) and controls.

Time only moves when a test moves the FakeClock; nothing sleeps on the real clock.
"""

from __future__ import annotations

import pytest

from sciatica_coach.core.engine import (
    CountdownTick,
    Event,
    ExerciseFinished,
    PauseReason,
    PlannedStep,
    SessionEngine,
    SessionFinished,
    SessionPaused,
    SessionResumed,
    Step,
    StepStarted,
    build_plan,
    cue_text,
    planned_duration_s,
)
from sciatica_coach.core.model import (
    Dose,
    Phase,
    Routine,
    RoutineItem,
    Side,
    SideMode,
    SymptomChange,
)
from tests.helpers import FakeClock

TICK_S = 0.25  # exact in binary, so simulated times add up exactly


def item(
    exercise_id: str = "pelvic-tilt",
    mode: SideMode = SideMode.BOTH,
    *,
    hold: int = 2,
    reps: int = 2,
    sets: int = 1,
    rest_rep: int = 1,
    rest_set: int = 3,
) -> RoutineItem:
    return RoutineItem(exercise_id, Dose(hold, reps, sets, rest_rep, rest_set), mode)


def routine(*items: RoutineItem) -> Routine:
    return Routine(Phase.MOBILITY, tuple(items))


def make(*items: RoutineItem, **kwargs: int) -> tuple[SessionEngine, FakeClock]:
    clock = FakeClock()
    return SessionEngine(routine(*items), clock, **kwargs), clock


Row = tuple[Step, int, Side, int, int]  # step, exercise index, side, rep, set


def row(event: StepStarted) -> Row:
    s = event.status
    return (event.step, event.exercise_index, event.side, s.rep, s.set_no)


def run(engine: SessionEngine, clock: FakeClock, step_s: float = TICK_S) -> list[tuple[float, Event]]:
    """Start (if needed) and tick until DONE; every event with the monotonic time it was seen."""
    start = clock.monotonic()
    seen = [(0.0, e) for e in engine.start()]
    for _ in range(100_000):
        if engine.done:
            return seen
        clock.advance(step_s)
        seen += [(clock.monotonic() - start, e) for e in engine.tick()]
    raise AssertionError("session never finished")


def started_rows(seen: list[tuple[float, Event]]) -> list[Row]:
    return [row(e) for _, e in seen if isinstance(e, StepStarted)]


G, H, RR, RS, SW, NX, D = (
    Step.GET_READY,
    Step.HOLD,
    Step.REST_REP,
    Step.REST_SET,
    Step.SWITCH_SIDE,
    Step.NEXT_EXERCISE,
    Step.DONE,
)
N, L, R = Side.NONE, Side.LEFT, Side.RIGHT


# --- sequences per side mode ------------------------------------------------------------------------------


def test_both_sides_sequence_and_timing() -> None:
    engine, clock = make(item(reps=2, sets=2))
    seen = run(engine, clock)
    assert started_rows(seen) == [
        (G, 0, N, 1, 1),
        (H, 0, N, 1, 1),
        (RR, 0, N, 2, 1),
        (H, 0, N, 2, 1),
        (RS, 0, N, 1, 2),
        (H, 0, N, 1, 2),
        (RR, 0, N, 2, 2),
        (H, 0, N, 2, 2),
        (D, 1, N, 0, 0),
    ]
    # Each step starts exactly when the previous planned durations add up: 5 get-ready, 2 hold, 1 rest, 3 set rest.
    times = [t for t, e in seen if isinstance(e, StepStarted)]
    assert times == [0, 5, 7, 8, 10, 13, 15, 16, 18]
    assert planned_duration_s(routine(item(reps=2, sets=2))) == 18


def test_left_then_right_does_every_set_on_the_left_then_switches() -> None:
    engine, clock = make(item("knee-to-chest", SideMode.LEFT_THEN_RIGHT, reps=2, sets=2))
    assert started_rows(run(engine, clock)) == [
        (G, 0, L, 1, 1),
        (H, 0, L, 1, 1),
        (RR, 0, L, 2, 1),
        (H, 0, L, 2, 1),
        (RS, 0, L, 1, 2),
        (H, 0, L, 1, 2),
        (RR, 0, L, 2, 2),
        (H, 0, L, 2, 2),
        (SW, 0, R, 1, 1),
        (H, 0, R, 1, 1),
        (RR, 0, R, 2, 1),
        (H, 0, R, 2, 1),
        (RS, 0, R, 1, 2),
        (H, 0, R, 1, 2),
        (RR, 0, R, 2, 2),
        (H, 0, R, 2, 2),
        (D, 1, N, 0, 0),
    ]
    record = engine.exercise_records()[0]
    assert (record.reps_done, record.reps_planned, record.sets_done, record.sets_planned) == (8, 8, 2, 2)


def test_alternating_counts_reps_per_side() -> None:
    engine, clock = make(item("bird-dog", SideMode.ALTERNATING, reps=2, sets=2))
    assert started_rows(run(engine, clock)) == [
        (G, 0, L, 1, 1),
        (H, 0, L, 1, 1),
        (RR, 0, R, 1, 1),
        (H, 0, R, 1, 1),
        (RR, 0, L, 2, 1),
        (H, 0, L, 2, 1),
        (RR, 0, R, 2, 1),
        (H, 0, R, 2, 1),
        (RS, 0, L, 1, 2),
        (H, 0, L, 1, 2),
        (RR, 0, R, 1, 2),
        (H, 0, R, 1, 2),
        (RR, 0, L, 2, 2),
        (H, 0, L, 2, 2),
        (RR, 0, R, 2, 2),
        (H, 0, R, 2, 2),
        (D, 1, N, 0, 0),
    ]
    record = engine.exercise_records()[0]
    assert (record.reps_done, record.reps_planned, record.sets_done, record.sets_planned) == (8, 8, 2, 2)


def test_next_exercise_preview_between_exercises_and_status_during_it() -> None:
    first, second = item("a", reps=1), item("b", reps=1)
    engine, clock = make(first, second, preview_s=10)
    seen = run(engine, clock)
    assert started_rows(seen) == [
        (G, 0, N, 1, 1),
        (H, 0, N, 1, 1),
        (NX, 1, N, 1, 1),
        (G, 1, N, 1, 1),
        (H, 1, N, 1, 1),
        (D, 2, N, 0, 0),
    ]
    preview = next(e for _, e in seen if isinstance(e, StepStarted) and e.step is NX)
    assert preview.exercise_id == "b"
    assert preview.status.item == second
    assert preview.status.next_item is None
    assert preview.status.finished_index == 0  # the moment to ask about exercise 0
    assert preview.status.step_duration_s == 10
    finished = [(t, e) for t, e in seen if isinstance(e, (ExerciseFinished, SessionFinished))]
    assert finished == [
        (7, ExerciseFinished(0, "a")),
        (24, ExerciseFinished(1, "b")),
        (24, SessionFinished()),
    ]
    assert engine.status().finished_index == 1  # DONE: ask about the last one
    assert engine.status().progress == 1.0


def test_zero_length_rests_and_get_ready_are_left_out_but_holds_stay() -> None:
    plan = build_plan([item(hold=0, reps=2, rest_rep=0)], get_ready_s=0)
    assert [(p.step, p.duration_s) for p in plan] == [(H, 1), (H, 1), (D, 0)]


def test_status_before_start_and_at_start() -> None:
    engine, clock = make(item("a"), item("b"))
    before = engine.status()
    assert (before.started, before.step, before.remaining_s, before.progress) == (False, G, 5.0, 0.0)
    assert engine.tick() == []  # nothing runs before start
    engine.start()
    status = engine.status()
    assert status.total_remaining_s == planned_duration_s(engine.routine)
    assert (status.exercise_index, status.exercise_count, status.next_item) == (0, 2, item("b"))
    for _ in range(22):  # 5.5 s
        clock.advance(TICK_S)
        engine.tick()
    mid = engine.status()
    assert mid.step is H
    assert mid.remaining_s == pytest.approx(1.5)
    assert 0.0 < mid.progress < 1.0
    assert mid.total_remaining_s == pytest.approx(planned_duration_s(engine.routine) - 5.5)


def test_empty_routine_is_done_at_once() -> None:
    engine, _ = make()
    events = engine.start()
    assert [type(e) for e in events] == [StepStarted, SessionFinished]
    assert engine.done
    assert engine.status().item is None


# --- time: drift, late ticks, countdown ------------------------------------------------------------------


def long_routine() -> Routine:
    return routine(
        item("pelvic-tilt", hold=5, reps=10, sets=2, rest_rep=2, rest_set=30),
        item("knee-to-chest", SideMode.LEFT_THEN_RIGHT, hold=20, reps=3, sets=1, rest_rep=10),
        item("bird-dog", SideMode.ALTERNATING, hold=6, reps=6, sets=2, rest_rep=3, rest_set=30),
        item("prone-lying", hold=120, reps=1, sets=1),
    )


def test_stalls_do_not_drift_later_deadlines() -> None:
    clock = FakeClock()
    r = long_routine()
    engine = SessionEngine(r, clock)
    start = clock.monotonic()
    engine.start()
    plan = engine.plan
    elapsed_plan = [sum(p.duration_s for p in plan[: i + 1]) for i in range(len(plan))]
    n = 0
    while not engine.done:
        n += 1
        clock.advance(TICK_S + (0.5 if n % 3 == 0 else 0.0))  # a 500 ms event-loop stall every third tick
        engine.tick()
        # The current step's deadline is always exactly the planned offset of its end.
        deadline = engine.deadline_monotonic
        assert deadline is not None
        current = plan.index(_current_planned(engine))
        assert deadline - start == elapsed_plan[current]
    assert engine.deadline_monotonic == start + planned_duration_s(r)
    assert clock.monotonic() - start < planned_duration_s(r) + 0.75 + 1e-9  # finished within one stalled tick
    assert all(rec.reps_done == rec.reps_planned for rec in engine.exercise_records())


def _current_planned(engine: SessionEngine) -> PlannedStep:
    """The PlannedStep the engine is on, found through its public status (step, exercise, side, rep, set)."""
    s = engine.status()
    matches = [
        p
        for p in engine.plan
        if (p.step, p.exercise_index, p.side, p.rep, p.set_no)
        == (s.step, s.exercise_index, s.side, s.rep, s.set_no)
    ]
    assert len(matches) == 1
    return matches[0]


def test_planned_duration_equals_simulated_run_time() -> None:
    r = long_routine()
    clock = FakeClock()
    seen = run(SessionEngine(r, clock, preview_s=10), clock)
    end_time = next(t for t, e in seen if isinstance(e, SessionFinished))
    assert end_time == planned_duration_s(r, preview_s=10)
    assert planned_duration_s(r, preview_s=10) - planned_duration_s(r, preview_s=0) == 30  # 3 previews


def test_one_late_tick_crosses_several_short_steps() -> None:
    engine, clock = make(item(hold=1, reps=3, rest_rep=1), get_ready_s=1)
    engine.start()
    clock.advance(4.5)  # get-ready 1, hold 1, rest 1, hold 1 -> now 0.5 s into the second rest
    events = engine.tick()
    assert [row(e) for e in events if isinstance(e, StepStarted)] == [
        (H, 0, N, 1, 1),
        (RR, 0, N, 2, 1),
        (H, 0, N, 2, 1),
        (RR, 0, N, 3, 1),
    ]
    assert engine.status().remaining_s == pytest.approx(0.5)
    assert engine.exercise_records()[0].reps_done == 2
    assert engine.deadline_monotonic == 1000.0 + 5


def test_countdown_says_3_2_1_once_each_however_often_it_repaints() -> None:
    engine, clock = make(item(hold=5, reps=1), get_ready_s=2)
    engine.start()
    counts: list[tuple[Step, int]] = []
    while not engine.done:
        clock.advance(0.125)
        counts += [(e.step, e.seconds_left) for e in engine.tick() if isinstance(e, CountdownTick)]
    # A 2 s get-ready only counts "1"; the 5 s hold counts 3, 2, 1.
    assert counts == [(G, 1), (H, 3), (H, 2), (H, 1)]


def test_countdown_after_a_late_tick_says_only_the_current_number() -> None:
    engine, clock = make(item(hold=6, reps=1), get_ready_s=1)
    engine.start()
    clock.advance(1)
    engine.tick()  # hold starts, 6 s left
    clock.advance(4.5)  # 1.5 s left: "3" is stale
    assert [e for e in engine.tick() if isinstance(e, CountdownTick)] == [CountdownTick(2, H, 0)]
    clock.advance(0.25)
    assert [e for e in engine.tick() if isinstance(e, CountdownTick)] == []
    clock.advance(0.5)
    assert [e for e in engine.tick() if isinstance(e, CountdownTick)] == [CountdownTick(1, H, 0)]


# --- sleep and clock jumps -------------------------------------------------------------------------------


def _into_hold(engine: SessionEngine, clock: FakeClock) -> float:
    engine.start()
    for _ in range(26):  # 6.5 s: 1.5 s into the first (5 s) hold
        clock.advance(TICK_S)
        engine.tick()
    status = engine.status()
    assert status.step is H
    return status.remaining_s


def test_machine_sleep_pauses_with_remaining_unchanged() -> None:
    engine, clock = make(item(hold=5, reps=3))
    remaining = _into_hold(engine, clock)
    clock.sleep_machine(600)  # wall moves, monotonic stands still
    assert engine.tick() == [SessionPaused(PauseReason.SLEEP_OR_CLOCK_JUMP)]
    status = engine.status()
    assert (status.paused, status.pause_reason, status.step) == (True, PauseReason.SLEEP_OR_CLOCK_JUMP, H)
    assert status.remaining_s == remaining
    clock.advance(60)
    assert engine.tick() == []  # stays paused
    assert engine.status().remaining_s == remaining
    assert engine.resume() == [SessionResumed()]
    clock.advance(remaining)
    events = engine.tick()
    assert [row(e) for e in events if isinstance(e, StepStarted)] == [(RR, 0, N, 2, 1)]


@pytest.mark.parametrize("jump_s", [3600.0, -3600.0, 10.0, -10.0])
def test_wall_clock_jump_either_way_pauses(jump_s: float) -> None:
    engine, clock = make(item(hold=5, reps=3))
    remaining = _into_hold(engine, clock)
    clock.advance(TICK_S)
    clock.jump_wall(jump_s)
    assert engine.tick() == [SessionPaused(PauseReason.SLEEP_OR_CLOCK_JUMP)]
    assert engine.status().remaining_s == remaining  # as of the last good tick


def test_small_wall_wobble_does_not_pause() -> None:
    engine, clock = make(item(hold=5, reps=3))
    _into_hold(engine, clock)
    clock.advance(TICK_S)
    clock.jump_wall(2.0)  # within tolerance (e.g. an NTP nudge)
    engine.tick()
    assert not engine.status().paused


def test_long_monotonic_gap_pauses_instead_of_racing_ahead() -> None:
    engine, clock = make(item(hold=5, reps=3))
    remaining = _into_hold(engine, clock)
    clock.advance(30)  # machine froze, or monotonic kept running during sleep
    assert engine.tick() == [SessionPaused(PauseReason.SLEEP_OR_CLOCK_JUMP)]
    status = engine.status()
    assert (status.step, status.rep, status.remaining_s) == (H, 1, remaining)
    assert engine.exercise_records()[0].reps_done == 0


def test_gap_just_under_the_limit_still_advances() -> None:
    engine, clock = make(item(hold=1, reps=3, rest_rep=1), get_ready_s=1)
    engine.start()
    clock.advance(4.75)
    engine.tick()
    assert not engine.status().paused
    assert engine.status().rep == 3


# --- controls --------------------------------------------------------------------------------------------


def test_pause_and_resume_keep_the_remaining_time() -> None:
    engine, clock = make(item(hold=5, reps=2))
    remaining = _into_hold(engine, clock)
    assert engine.pause() == [SessionPaused(PauseReason.USER)]
    clock.advance(TICK_S)
    engine.tick()
    clock.advance(TICK_S)
    engine.tick()  # ticks while paused (and short gaps) change nothing
    assert engine.status().remaining_s == remaining
    assert engine.deadline_monotonic is None
    assert engine.pause(PauseReason.HURTS) == [SessionPaused(PauseReason.HURTS)]  # reason updated
    assert engine.status().pause_reason is PauseReason.HURTS
    engine.resume()
    assert not engine.status().paused
    assert engine.status().remaining_s == remaining
    clock.advance(remaining - TICK_S)
    engine.tick()
    assert engine.status().step is H
    clock.advance(TICK_S)
    engine.tick()
    assert engine.status().step is RR


def test_pause_after_sleep_keeps_the_sleep_reason_and_last_tick_remaining() -> None:
    engine, clock = make(item(hold=5, reps=2))
    remaining = _into_hold(engine, clock)
    clock.sleep_machine(300)
    events = engine.pause()
    assert events == [SessionPaused(PauseReason.SLEEP_OR_CLOCK_JUMP)]
    assert engine.status().remaining_s == remaining


def three() -> tuple[RoutineItem, RoutineItem, RoutineItem]:
    return item("a", reps=2), item("b", reps=2), item("c", reps=2)


def _advance_until(engine: SessionEngine, clock: FakeClock, step: Step, index: int) -> None:
    for _ in range(10_000):
        s = engine.status()
        if s.step is step and s.exercise_index == index:
            return
        clock.advance(TICK_S)
        engine.tick()
    raise AssertionError(f"never reached {step} of {index}")


def test_skip_goes_to_next_get_ready_and_marks_skipped() -> None:
    engine, _ = make(*three())
    engine.start()
    events = engine.skip()  # nothing of it done
    assert [row(e) for e in events if isinstance(e, StepStarted)] == [(G, 1, N, 1, 1)]  # no preview
    assert engine.status().remaining_s == 5.0
    records = engine.exercise_records()
    assert (records[0].skipped, records[0].reps_done, records[1].skipped) == (True, 0, False)


def test_skip_after_some_holds_keeps_them_and_is_not_skipped() -> None:
    engine, clock = make(*three())
    engine.start()
    _advance_until(engine, clock, RR, 0)  # one hold done
    engine.skip()
    records = engine.exercise_records()
    assert (records[0].skipped, records[0].reps_done, records[1].skipped) == (False, 1, False)


def test_skip_during_a_preview_skips_the_previewed_exercise() -> None:
    engine, clock = make(*three())
    engine.start()
    _advance_until(engine, clock, NX, 1)
    engine.skip()
    status = engine.status()
    assert (status.step, status.exercise_index) == (G, 2)
    assert [r.skipped for r in engine.exercise_records()] == [False, True, False]


def test_skip_the_last_exercise_finishes() -> None:
    engine, clock = make(*three())
    engine.start()
    _advance_until(engine, clock, H, 2)
    events = engine.skip()
    assert events[-1] == SessionFinished(ended_early=False)
    assert engine.done
    assert engine.skip() == []


def test_skip_while_paused_stays_paused_with_a_full_step() -> None:
    engine, clock = make(*three())
    engine.start()
    _advance_until(engine, clock, H, 0)
    engine.pause(PauseReason.HURTS)
    engine.skip()
    status = engine.status()
    assert (status.step, status.exercise_index, status.paused, status.remaining_s) == (G, 1, True, 5.0)
    clock.advance(20)
    engine.tick()
    assert engine.status().step is G


def test_back_restarts_previous_exercise_from_get_ready() -> None:
    engine, clock = make(*three())
    engine.start()
    _advance_until(engine, clock, RR, 1)
    events = engine.back()
    assert [row(e) for e in events if isinstance(e, StepStarted)] == [(G, 0, N, 1, 1)]
    assert engine.status().remaining_s == 5.0
    assert [r.reps_done for r in engine.exercise_records()] == [2, 1, 0], "what was done is kept"
    # Running through again counts the redo from zero, not on top of the first attempt.
    _advance_until(engine, clock, NX, 1)
    assert [r.reps_done for r in engine.exercise_records()] == [2, 1, 0]
    assert engine.status().finished_index == 0


def test_back_during_preview_restarts_the_exercise_just_finished() -> None:
    engine, clock = make(*three())
    engine.start()
    _advance_until(engine, clock, NX, 2)
    engine.back()
    status = engine.status()
    assert (status.step, status.exercise_index) == (G, 1)


def test_back_on_the_first_exercise_restarts_it() -> None:
    engine, clock = make(*three())
    engine.start()
    _advance_until(engine, clock, H, 0)
    clock.advance(1)
    engine.tick()
    engine.back()
    status = engine.status()
    assert (status.step, status.exercise_index, status.remaining_s) == (G, 0, 5.0)


def test_end_early() -> None:
    engine, clock = make(*three())
    engine.start()
    _advance_until(engine, clock, H, 1)
    events = engine.end_early()
    assert events[-1] == SessionFinished(ended_early=True)
    status = engine.status()
    assert (status.step, status.ended_early, status.paused, status.total_remaining_s) == (D, True, False, 0.0)
    assert [r.reps_done for r in engine.exercise_records()] == [2, 0, 0]
    assert not any(r.skipped for r in engine.exercise_records())
    clock.advance(100)
    assert engine.tick() == []
    assert engine.end_early() == []


def test_end_early_while_paused() -> None:
    engine, _ = make(*three())
    engine.start()
    engine.pause()
    assert engine.end_early()[-1] == SessionFinished(ended_early=True)
    assert not engine.status().paused


# --- records and upcoming changes -----------------------------------------------------------------------


def test_record_symptom_attaches_to_the_record() -> None:
    engine, clock = make(*three())
    engine.start()
    _advance_until(engine, clock, NX, 1)
    engine.record_symptom(engine.status().finished_index or 0, SymptomChange.DOWN)
    assert [r.symptom for r in engine.exercise_records()] == [SymptomChange.DOWN, None, None]
    with pytest.raises(IndexError):
        engine.record_symptom(7, SymptomChange.UP)


def test_remove_upcoming_keeps_the_current_step_and_its_deadline() -> None:
    engine, clock = make(item("a"), item("b"), item("a"), item("c"))
    engine.start()
    _advance_until(engine, clock, H, 0)
    before = engine.status()
    deadline = engine.deadline_monotonic
    assert engine.remove_upcoming("a") == []
    after = engine.status()
    assert [i.exercise_id for i in engine.routine.items] == ["a", "b", "c"]
    assert [r.exercise_id for r in engine.exercise_records()] == ["a", "b", "c"]
    assert (after.step, after.exercise_index, after.remaining_s) == (before.step, 0, before.remaining_s)
    assert engine.deadline_monotonic == deadline
    assert after.total_remaining_s < before.total_remaining_s
    seen = run(engine, clock)
    assert [e.exercise_id for _, e in seen if isinstance(e, ExerciseFinished)] == ["a", "b", "c"]


def test_remove_upcoming_during_preview_drops_the_previewed_one() -> None:
    engine, clock = make(item("a"), item("b"), item("c"))
    engine.start()
    _advance_until(engine, clock, NX, 1)
    remaining = engine.status().remaining_s
    events = engine.remove_upcoming("b")
    assert [e.exercise_id for e in events if isinstance(e, StepStarted)] == ["c"]
    status = engine.status()
    assert (status.step, status.exercise_index, status.remaining_s) == (NX, 1, remaining)
    assert status.item is not None and status.item.exercise_id == "c"


def test_remove_the_last_upcoming_exercise_finishes_the_session() -> None:
    engine, clock = make(item("a"), item("b"))
    engine.start()
    _advance_until(engine, clock, NX, 1)
    events = engine.remove_upcoming("b")
    assert events[-1] == SessionFinished()
    assert engine.done


def test_replace_upcoming_swaps_in_the_gentler_item() -> None:
    gentler = item("prone-lying", hold=30, reps=1)
    engine, clock = make(item("press-up"), item("bridge"), item("press-up"))
    engine.start()
    _advance_until(engine, clock, H, 0)
    engine.replace_upcoming("press-up", gentler)
    assert [i.exercise_id for i in engine.routine.items] == ["press-up", "bridge", "prone-lying"]
    assert engine.exercise_records()[2].reps_planned == 1
    assert engine.status().exercise_index == 0  # the current one is under way and stays


def test_remove_something_absent_changes_nothing() -> None:
    engine, _ = make(item("a"))
    engine.start()
    assert engine.remove_upcoming("zzz") == []
    assert len(engine.routine.items) == 1


# --- cues ------------------------------------------------------------------------------------------------


def test_cue_texts_are_calm_and_carry_name_and_side() -> None:
    engine, clock = make(
        item("bird-dog", SideMode.ALTERNATING, reps=1), item("knee", SideMode.LEFT_THEN_RIGHT, reps=1)
    )
    seen = run(engine, clock)
    names = {"bird-dog": "Bird dog", "knee": "Knee to chest"}
    spoken = [
        text
        for _, e in seen
        if (text := cue_text(e, names.get(getattr(e, "exercise_id", "") or "", ""))) is not None
        and not isinstance(e, CountdownTick)
    ]
    assert spoken == [
        "Bird dog. Get ready. Start on your left side.",
        "Left side. Hold.",
        "Relax.",
        "Right side. Hold.",
        "Rest now. Next: Knee to chest.",
        "Knee to chest. Get ready. Start on your left side.",
        "Left side. Hold.",  # the side is said for every one-sided hold, not only when alternating
        "Switch to your right side.",
        "Right side. Hold.",
        "That's the end of the session. Well done.",
    ]
    assert cue_text(CountdownTick(3, H, 0), "x") == "3"
    assert cue_text(ExerciseFinished(0, "a"), "x") is None
    assert cue_text(SessionFinished(ended_early=True), "") == "Session ended. Take it easy."
    assert cue_text(SessionPaused(PauseReason.USER), "") == "Paused."
    hurts = cue_text(SessionPaused(PauseReason.HURTS), "")
    assert hurts is not None and "rest" in hurts.lower()


def test_pause_before_start_then_start_stays_paused_until_resumed() -> None:
    engine, clock = make(item(hold=5, reps=1))
    assert engine.pause() == [SessionPaused(PauseReason.USER)]
    engine.start()
    clock.advance(TICK_S)
    assert engine.tick() == []
    assert (engine.status().paused, engine.status().remaining_s) == (True, 5.0)
    engine.resume()
    assert engine.deadline_monotonic == clock.monotonic() + 5


def test_alternating_status_shows_rep_of_reps_per_side() -> None:
    engine, clock = make(item("dead-bug", SideMode.ALTERNATING, reps=3, sets=2))
    holds = [e.status for _, e in run(engine, clock) if isinstance(e, StepStarted) and e.step is H]
    assert len(holds) == 12  # 3 per side x 2 sides x 2 sets
    assert {(s.reps, s.sets) for s in holds} == {(3, 2)}
    assert [(s.side, s.rep) for s in holds[:6]] == [(L, 1), (R, 1), (L, 2), (R, 2), (L, 3), (R, 3)]
