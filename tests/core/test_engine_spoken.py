"""Issue 15, point 5 in the engine: a settable get-ready time before the first exercise, the repetition said
with each hold when counting aloud, and one "Halfway." event in the middle of a long hold. Time only moves
when a test moves the FakeClock."""

from __future__ import annotations

import pytest

from sciatica_coach import i18n
from sciatica_coach.core.engine import (
    FIRST_GET_READY_S,
    GET_READY_S,
    CountdownTick,
    Event,
    HalfwayReached,
    SessionEngine,
    Step,
    StepStarted,
    build_plan,
    clamp_first_get_ready_s,
    cue_text,
    planned_duration_s,
)
from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, SideMode
from sciatica_coach.storage.repository import DEFAULT_SETTINGS
from tests.helpers import FakeClock

TICK_S = 0.25


def item(
    exercise_id: str = "bridge",
    mode: SideMode = SideMode.BOTH,
    *,
    hold: int = 2,
    reps: int = 3,
    sets: int = 1,
) -> RoutineItem:
    return RoutineItem(exercise_id, Dose(hold, reps, sets, 1, 2), mode)


def routine(*items: RoutineItem) -> Routine:
    return Routine(Phase.MOBILITY, items)


def run(engine: SessionEngine, clock: FakeClock) -> list[tuple[float, Event]]:
    """Start and tick until DONE; every event with the monotonic time it was seen."""
    start = clock.monotonic()
    seen = [(0.0, e) for e in engine.start()]
    while not engine.done:
        clock.advance(TICK_S)
        seen += [(clock.monotonic() - start, e) for e in engine.tick()]
    return seen


# --- get-ready before the first exercise ---------------------------------------------------------------


def test_only_the_first_exercise_gets_the_longer_get_ready() -> None:
    items = (item("a"), item("b"))
    plan = build_plan(items, first_get_ready_s=20)
    assert [p.duration_s for p in plan if p.step is Step.GET_READY] == [20, GET_READY_S]
    assert (
        planned_duration_s(routine(*items), first_get_ready_s=20) - planned_duration_s(routine(*items)) == 15
    )
    engine = SessionEngine(routine(*items), FakeClock(), first_get_ready_s=20)
    engine.start()
    assert (engine.status().step, engine.status().remaining_s) == (Step.GET_READY, 20.0)
    assert engine.status().total_remaining_s == planned_duration_s(routine(*items), first_get_ready_s=20)


def test_going_back_to_the_first_exercise_gives_its_longer_get_ready_again() -> None:
    clock = FakeClock()
    engine = SessionEngine(routine(item("a"), item("b")), clock, first_get_ready_s=30)
    engine.start()
    engine.skip()
    assert engine.status().remaining_s == GET_READY_S
    engine.back()
    assert engine.status().remaining_s == 30.0


@pytest.mark.parametrize(
    ("stored", "used"),
    [(15, 15), (5, 5), (60, 60), (2, 5), (0, 5), (-8, 5), (600, 60), (12.6, 13), ("20", 15), (None, 15),
     (True, 15), (float("nan"), 15), (float("inf"), 15), ([10], 15)],
)  # fmt: skip
def test_a_stored_get_ready_is_clamped_to_5_to_60_s_and_a_wrong_type_is_the_default(
    stored: object, used: int
) -> None:
    assert clamp_first_get_ready_s(stored) == used
    if stored is not None:  # None to build_plan means "as long as the others"
        plan = build_plan((item(),), first_get_ready_s=stored)  # type: ignore[arg-type]
        assert plan[0].duration_s == used


def test_the_default_is_the_settings_default() -> None:
    assert FIRST_GET_READY_S == DEFAULT_SETTINGS["get_ready_s"] == 15


# --- counting repetitions aloud -------------------------------------------------------------------------


def hold_phrases(*items: RoutineItem, count_reps: bool, movement: bool = False) -> list[str]:
    clock = FakeClock()
    engine = SessionEngine(routine(*items), clock)
    phrases = []
    for _, event in run(engine, clock):
        if isinstance(event, StepStarted) and event.step in (Step.HOLD, Step.REST_REP):
            phrases.append(cue_text(event, "x", count_reps=count_reps, movement=movement))
    return [p for p in phrases if p is not None]


def test_counting_says_which_repetition_each_hold_is() -> None:
    assert hold_phrases(item(reps=3, sets=2), count_reps=True) == [
        "Hold. 1 of 3.", "Relax.", "Hold. 2 of 3.", "Relax.", "Hold. 3 of 3.",
        "Hold. 1 of 3.", "Relax.", "Hold. 2 of 3.", "Relax.", "Hold. 3 of 3.",
    ]  # fmt: skip
    assert hold_phrases(item(reps=3), count_reps=False) == ["Hold.", "Relax.", "Hold.", "Relax.", "Hold."]


def test_counting_on_alternating_sides_counts_per_side() -> None:
    assert hold_phrases(item("bird-dog", SideMode.ALTERNATING, reps=2), count_reps=True) == [
        "Left side. Hold. 1 of 2.", "Relax.", "Right side. Hold. 1 of 2.", "Relax.",
        "Left side. Hold. 2 of 2.", "Relax.", "Right side. Hold. 2 of 2.",
    ]  # fmt: skip


def test_counting_a_movement_goes_with_move_slowly() -> None:
    assert hold_phrases(item("cat-camel", reps=2), count_reps=True, movement=True) == [
        "Move slowly. 1 of 2.",
        "And back.",
        "Move slowly. 2 of 2.",
    ]
    assert hold_phrases(item("cat-camel", reps=2), count_reps=False, movement=True) == [
        "Move slowly.",
        "And back.",
        "Move slowly.",
    ]


def test_a_single_repetition_is_not_counted() -> None:
    assert hold_phrases(item(reps=1), count_reps=True) == ["Hold."]


def test_the_count_is_translated_with_digits() -> None:
    i18n.set_language("de")
    assert hold_phrases(item(reps=2), count_reps=True) == ["Halten. 1 von 2.", "Lösen.", "Halten. 2 von 2."]
    assert cue_text(HalfwayReached(Step.HOLD, 0), "") == "Halbzeit."


# --- halfway through a long hold ------------------------------------------------------------------------


def engine_for_hold(hold: int, reps: int = 1) -> tuple[SessionEngine, FakeClock]:
    clock = FakeClock()
    engine = SessionEngine(routine(item(hold=hold, reps=reps)), clock, get_ready_s=1)
    return engine, clock


def go(engine: SessionEngine, clock: FakeClock, seconds: float) -> list[Event]:
    """Tick through `seconds` as the repaint timer would; every event seen."""
    events: list[Event] = []
    for _ in range(round(seconds / TICK_S)):
        clock.advance(TICK_S)
        events += engine.tick()
    return events


def test_a_long_hold_gets_one_halfway_in_its_middle_before_the_countdown() -> None:
    engine, clock = engine_for_hold(10)
    seen = [(t, e) for t, e in run(engine, clock) if isinstance(e, HalfwayReached | CountdownTick)]
    assert seen == [
        (6.0, HalfwayReached(Step.HOLD, 0)),  # 1 s get-ready, then 5 s into the 10 s hold
        (8.0, CountdownTick(3, Step.HOLD, 0)),
        (9.0, CountdownTick(2, Step.HOLD, 0)),
        (10.0, CountdownTick(1, Step.HOLD, 0)),
    ]
    assert cue_text(HalfwayReached(Step.HOLD, 0), "") == "Halfway."


def test_every_long_hold_gets_its_own_halfway() -> None:
    engine, clock = engine_for_hold(12, reps=3)
    assert sum(isinstance(e, HalfwayReached) for _, e in run(engine, clock)) == 3


@pytest.mark.parametrize("hold", [1, 5, 9])
def test_short_holds_get_no_halfway(hold: int) -> None:
    engine, clock = engine_for_hold(hold, reps=2)
    assert not any(isinstance(e, HalfwayReached) for _, e in run(engine, clock))


def test_paused_time_does_not_count_towards_halfway() -> None:
    engine, clock = engine_for_hold(20)
    engine.start()
    go(engine, clock, 1 + 8)  # get-ready, then 8 s of the 20 s hold
    assert engine.status().step is Step.HOLD
    engine.pause()
    assert go(engine, clock, 60) == [], "a long pause across the middle: nothing"
    engine.resume()
    assert go(engine, clock, 1.75) == []  # 9.75 s held
    assert go(engine, clock, 0.25) == [HalfwayReached(Step.HOLD, 0)]  # 10 s held: the middle
    assert go(engine, clock, 5) == [], "once only"


def test_a_late_tick_that_lands_in_the_countdown_drops_the_halfway() -> None:
    engine, clock = engine_for_hold(10)
    engine.start()
    go(engine, clock, 1 + 4.75)  # the hold has 5.25 s left
    clock.advance(2.5)  # a stalled repaint: 2.75 s left, the countdown's time
    events = engine.tick()
    assert events == [CountdownTick(3, Step.HOLD, 0)]
    clock.advance(0.25)
    assert not any(isinstance(e, HalfwayReached) for e in engine.tick())


def test_going_back_redoes_the_hold_with_its_own_halfway() -> None:
    engine, clock = engine_for_hold(10)
    engine.start()
    clock.advance(1)
    engine.tick()
    seen: list[Event] = []
    for _ in range(24):  # 6 s of the hold: past its middle
        clock.advance(TICK_S)
        seen += engine.tick()
    assert seen.count(HalfwayReached(Step.HOLD, 0)) == 1
    engine.back()  # restarts the only exercise
    seen = [e for _, e in run(engine, clock)]
    assert seen.count(HalfwayReached(Step.HOLD, 0)) == 1
