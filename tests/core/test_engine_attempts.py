"""Moving about in a session never loses what was done (issue 15, point 6): going back starts a new attempt,
and each exercise's record is the better of its attempts. Time only moves when a test moves the FakeClock."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sciatica_coach.core.engine import SessionEngine, Step
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


def item(exercise_id: str, mode: SideMode = SideMode.BOTH, reps: int = 2, sets: int = 1) -> RoutineItem:
    return RoutineItem(exercise_id, Dose(2, reps, sets, 1, 2), mode)


def engine_over(*items: RoutineItem, asking: bool = False) -> tuple[SessionEngine, FakeClock]:
    clock = FakeClock()
    engine = SessionEngine(Routine(Phase.MOBILITY, items), clock, ask_after_each_exercise=asking)
    engine.start()
    return engine, clock


def advance_until(engine: SessionEngine, clock: FakeClock, step: Step, index: int) -> None:
    for _ in range(10_000):
        status = engine.status()
        if status.step is step and status.exercise_index == index:
            return
        clock.advance(TICK_S)
        engine.tick()
    raise AssertionError(f"never reached {step} of {index}")


def done(engine: SessionEngine) -> list[tuple[int, bool]]:
    return [(r.reps_done, r.skipped) for r in engine.exercise_records()]


def test_finish_back_then_forward_keeps_the_finished_exercise() -> None:
    """The issue's own steps: finish exercise 1, press back, press forward."""
    engine, clock = engine_over(item("a"), item("b"), asking=True)
    advance_until(engine, clock, Step.NEXT_EXERCISE, 1)
    engine.answer(SymptomChange.SAME)
    engine.back()
    assert engine.status().exercise_index == 0
    engine.skip()
    assert engine.status().exercise_index == 1
    first = engine.exercise_records()[0]
    assert (first.reps_done, first.sets_done, first.skipped, first.symptom) == (
        2,
        1,
        False,
        SymptomChange.SAME,
    )


def test_partial_work_then_back_then_end_early_keeps_it() -> None:
    engine, clock = engine_over(item("a"), item("b"), item("c"))
    advance_until(engine, clock, Step.REST_REP, 1)  # a done, one hold of b
    engine.back()  # to a
    engine.end_early()
    assert done(engine) == [(2, False), (1, False), (0, False)]


def test_back_on_the_first_exercise_after_some_holds_keeps_them_until_the_redo_does_better() -> None:
    engine, clock = engine_over(item("a", reps=3), item("b"))
    advance_until(engine, clock, Step.REST_REP, 0)
    advance_until(engine, clock, Step.HOLD, 0)  # one hold done, the second under way
    engine.back()  # restarts itself
    assert done(engine)[0] == (1, False)
    advance_until(engine, clock, Step.NEXT_EXERCISE, 1)
    assert done(engine)[0] == (3, False), "a redo is not added on top: never more than planned"


def test_a_later_answer_wins_but_no_answer_keeps_the_earlier_one() -> None:
    engine, clock = engine_over(item("a"), item("b"), asking=True)
    advance_until(engine, clock, Step.NEXT_EXERCISE, 1)
    engine.answer(SymptomChange.UP)
    engine.back()
    engine.resume()
    advance_until(engine, clock, Step.NEXT_EXERCISE, 1)  # asked again
    engine.answer(SymptomChange.DOWN)
    assert engine.exercise_records()[0].symptom is SymptomChange.DOWN
    engine.back()
    engine.resume()
    advance_until(engine, clock, Step.NEXT_EXERCISE, 1)
    engine.answer(None)  # skipped the question this time
    assert engine.exercise_records()[0].symptom is SymptomChange.DOWN


def test_skipped_only_if_nothing_was_ever_done() -> None:
    engine, clock = engine_over(item("a"), item("b"), item("c"))
    engine.skip()  # a: nothing done
    assert done(engine)[0] == (0, True)
    engine.back()  # to a again, and this time do it
    assert done(engine)[0] == (0, True), "still nothing done"
    advance_until(engine, clock, Step.NEXT_EXERCISE, 1)
    assert done(engine)[0] == (2, False)
    engine.skip()  # b skipped without a hold
    engine.back()  # back to b
    engine.end_early()
    assert done(engine) == [(2, False), (0, True), (0, False)]


def test_earlier_attempts_move_with_their_exercise_when_something_is_brought_forward() -> None:
    engine, clock = engine_over(item("a"), item("b"), item("c"))
    advance_until(engine, clock, Step.REST_REP, 2)  # a, b done, one hold of c
    engine.back()  # to b: c is upcoming again, with its earlier hold
    assert engine.status().exercise_index == 1
    engine.bring_forward(item("d", reps=1))
    assert [r.exercise_id for r in engine.exercise_records()] == ["a", "b", "d", "c"]
    assert done(engine) == [(2, False), (2, False), (0, False), (1, False)]


def test_an_exercise_done_before_and_then_dropped_keeps_its_record() -> None:
    engine, clock = engine_over(item("a"), item("b"), item("c"), item("e"))
    advance_until(engine, clock, Step.REST_REP, 3)  # a, b, c done, one hold of e
    engine.back()  # to c: e upcoming
    engine.back()  # to b: c and e upcoming
    engine.remove_upcoming("c")
    assert [i.exercise_id for i in engine.routine.items] == ["a", "b", "e"]
    records = engine.exercise_records()
    assert [(r.exercise_id, r.reps_done) for r in records] == [("a", 2), ("b", 2), ("e", 1), ("c", 2)]
    engine.replace_upcoming("e", item("f"))
    records = engine.exercise_records()
    assert [(r.exercise_id, r.reps_done) for r in records] == [
        ("a", 2),
        ("b", 2),
        ("f", 0),
        ("c", 2),
        ("e", 1),
    ]


def test_a_dropped_exercise_never_begun_leaves_no_record() -> None:
    engine, clock = engine_over(item("a"), item("b"), item("c"))
    advance_until(engine, clock, Step.HOLD, 0)
    engine.remove_upcoming("c")
    assert [r.exercise_id for r in engine.exercise_records()] == ["a", "b"]


# --- any sequence of controls ---------------------------------------------------------------------------

CONTROLS = st.one_of(
    st.tuples(st.just("tick"), st.sampled_from([0.25, 0.5, 1.0, 2.0, 4.75, 7.0])),
    st.tuples(st.sampled_from(["pause", "resume", "skip", "back", "end_early"]), st.none()),
    st.tuples(st.just("answer"), st.sampled_from([None, *SymptomChange])),
)
ROUTINE = Routine(
    Phase.MOBILITY,
    (
        item("a", reps=2, sets=2),
        item("b", SideMode.LEFT_THEN_RIGHT, reps=1),
        item("c", SideMode.ALTERNATING, reps=2),
    ),
)


def apply(engine: SessionEngine, clock: FakeClock, control: str, value: object) -> None:
    if control == "tick":
        assert isinstance(value, float)
        for _ in range(int(value / TICK_S)):  # ticks no further apart than the repaint timer's
            clock.advance(TICK_S)
            engine.tick()
        if value > 5:  # and now and then a machine that slept: the engine pauses itself
            clock.advance(value)
            engine.tick()
    elif control == "answer":
        engine.answer(value if isinstance(value, SymptomChange) else None)
    else:
        getattr(engine, control)()


def check_bounds(records: tuple[ExerciseRecord, ...]) -> None:
    for record in records:
        assert 0 <= record.reps_done <= record.reps_planned
        assert 0 <= record.sets_done <= record.sets_planned
        assert not (record.skipped and record.reps_done > 0), "skipped only if nothing was done"


@settings(max_examples=150, deadline=None)
@given(asking=st.booleans(), controls=st.lists(CONTROLS, max_size=40))
def test_no_control_ever_loses_a_repetition(asking: bool, controls: list[tuple[str, object]]) -> None:
    clock = FakeClock()
    engine = SessionEngine(ROUTINE, clock, ask_after_each_exercise=asking)
    engine.start()
    before = engine.exercise_records()
    for control, value in controls:
        apply(engine, clock, control, value)
        after = engine.exercise_records()
        assert [r.exercise_id for r in after] == [r.exercise_id for r in before]
        check_bounds(after)
        for old, new in zip(before, after, strict=True):
            assert new.reps_done >= old.reps_done, f"{control} lost a repetition of {new.exercise_id}"
        before = after
