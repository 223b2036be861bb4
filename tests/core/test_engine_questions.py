"""The engine waits for the after-exercise answer (issue 14, point 6) and can bring a gentler exercise
forward (point 8). Time only moves when a test moves the FakeClock."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sciatica_coach.core.engine import (
    PauseReason,
    SessionEngine,
    SessionFinished,
    SessionPaused,
    Step,
    SymptomAnswered,
)
from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, SideMode, SymptomChange
from tests.helpers import FakeClock

TWO = Routine(
    Phase.MOBILITY,
    (
        RoutineItem("pelvic-tilt", Dose(2, 1, 1, 1, 0), SideMode.BOTH),
        RoutineItem("knee-to-chest", Dose(2, 1, 1, 1, 0), SideMode.BOTH),
    ),
)


def asking(routine: Routine = TWO) -> tuple[SessionEngine, FakeClock]:
    clock = FakeClock()
    engine = SessionEngine(routine, clock, ask_after_each_exercise=True)
    engine.start()
    return engine, clock


def run(engine: SessionEngine, clock: FakeClock, seconds: float) -> list[object]:
    events: list[object] = []
    for _ in range(int(seconds * 4)):
        clock.advance(0.25)
        events += engine.tick()
    return events


def test_the_session_waits_at_the_preview_until_the_question_is_answered() -> None:
    engine, clock = asking()
    run(engine, clock, 7)  # get ready 5 + hold 2: the first exercise is done
    status = engine.status()
    assert (status.step, status.awaiting_answer, status.paused) == (Step.NEXT_EXERCISE, 0, True)
    assert status.pause_reason is PauseReason.QUESTION
    run(engine, clock, 600)  # ten minutes on the floor: nothing runs on into the next exercise
    assert engine.status().step is Step.NEXT_EXERCISE and engine.status().remaining_s == 10.0
    assert engine.resume() == [] and engine.skip() == [], "Space and skip don't pass the question by"
    events = engine.answer(SymptomChange.UP)
    assert SymptomAnswered(0, "pelvic-tilt", SymptomChange.UP) in events
    assert not engine.status().paused and engine.status().awaiting_answer is None
    run(engine, clock, 10)
    assert engine.status().step is Step.GET_READY and engine.status().exercise_index == 1


def test_a_skipped_question_is_not_answered_never_same() -> None:
    engine, clock = asking()
    run(engine, clock, 7)
    events = engine.answer(None)
    assert SymptomAnswered(0, "pelvic-tilt", None) in events
    assert engine.exercise_records()[0].symptom is None
    assert not engine.status().paused


def test_the_last_question_holds_the_end_of_the_session() -> None:
    engine, clock = asking()
    run(engine, clock, 7)
    engine.answer(SymptomChange.SAME)
    events = run(engine, clock, 17)  # preview 10 + get ready 5 + hold 2
    assert engine.done and engine.status().awaiting_answer == 1
    assert not any(isinstance(e, SessionFinished) for e in events), "no end before the last answer"
    assert any(isinstance(e, SessionFinished) for e in engine.answer(SymptomChange.SAME))
    assert [r.symptom for r in engine.exercise_records()] == [SymptomChange.SAME, SymptomChange.SAME]


def test_down_keeps_the_session_paused_for_the_advice() -> None:
    engine, clock = asking()
    run(engine, clock, 7)
    events = engine.answer(SymptomChange.DOWN)
    assert SessionPaused(PauseReason.SPREAD) in events
    run(engine, clock, 60)
    assert engine.status().paused and engine.status().step is Step.NEXT_EXERCISE
    engine.resume()
    assert not engine.status().paused


def test_it_hurts_while_asked_stays_paused_after_the_answer() -> None:
    engine, clock = asking()
    run(engine, clock, 7)
    engine.pause(PauseReason.HURTS)
    engine.answer(SymptomChange.SAME)
    assert engine.status().paused and engine.status().pause_reason is PauseReason.HURTS


def test_ending_early_while_asked_leaves_the_question_unanswered() -> None:
    engine, clock = asking()
    run(engine, clock, 7)
    events = engine.end_early()
    assert SymptomAnswered(0, "pelvic-tilt", None) in events
    assert SessionFinished(ended_early=True) in events
    assert engine.exercise_records()[0].symptom is None


def test_back_while_asked_redoes_the_exercise_and_asks_again() -> None:
    engine, clock = asking()
    run(engine, clock, 7)
    engine.back()
    status = engine.status()
    assert (status.step, status.exercise_index, status.awaiting_answer) == (Step.GET_READY, 0, None)
    assert status.paused, "the clock never starts behind the person's back"
    engine.resume()
    run(engine, clock, 7)
    assert engine.status().awaiting_answer == 0


def test_bring_forward_puts_the_gentler_exercise_next() -> None:
    engine, clock = asking()
    run(engine, clock, 7)
    engine.answer(SymptomChange.DOWN)
    prone = RoutineItem("prone-lying", Dose(30, 1, 1, 0, 0), SideMode.BOTH)
    engine.bring_forward(prone)
    assert [i.exercise_id for i in engine.routine.items] == ["pelvic-tilt", "prone-lying", "knee-to-chest"]
    status = engine.status()
    assert status.step is Step.NEXT_EXERCISE and status.item == prone and status.paused


def test_bring_forward_after_the_last_exercise_adds_it_and_does_not_finish() -> None:
    engine, clock = asking()
    run(engine, clock, 7)
    engine.answer(SymptomChange.SAME)
    run(engine, clock, 17)
    engine.answer(SymptomChange.DOWN)
    assert engine.done and engine.status().paused
    prone = RoutineItem("prone-lying", Dose(3, 1, 1, 0, 0), SideMode.BOTH)
    engine.bring_forward(prone)
    assert not engine.done and engine.status().step is Step.GET_READY
    assert engine.status().remaining_s == 5.0
    engine.resume()
    run(engine, clock, 8)
    assert engine.done and engine.status().awaiting_answer == 2


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from([*SymptomChange, None]), min_size=2, max_size=2), st.integers(0, 900))
def test_every_finished_exercise_is_asked_and_the_answer_kept(answers: list, wait_s: int) -> None:  # type: ignore[type-arg]
    engine, clock = asking()
    finished = False
    for answer in answers:
        for _ in range(200):
            if engine.status().awaiting_answer is not None:
                break
            run(engine, clock, 1)
        run(engine, clock, wait_s / 4)  # however long the person takes
        events = engine.answer(answer)
        finished = finished or any(isinstance(e, SessionFinished) for e in events)
        if engine.status().paused:
            finished = finished or any(isinstance(e, SessionFinished) for e in engine.resume())
    assert [r.symptom for r in engine.exercise_records()] == answers
    assert finished and engine.done
