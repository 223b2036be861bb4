"""Every phrase the session says, word for word, over whole sessions of each side mode (issue 18: the split of
`cue_text` into small helpers changed no word; a mutant that names the wrong side or the wrong exercise is
heard here). Time only moves when a test moves the FakeClock."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sciatica_coach.core import safety
from sciatica_coach.core.engine import (
    CountdownTick,
    Event,
    ExerciseFinished,
    HalfwayReached,
    PauseReason,
    SessionEngine,
    SessionFinished,
    SessionPaused,
    SessionResumed,
    Step,
    StepStarted,
    SymptomAnswered,
    cue_text,
)
from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, Side, SideMode, SymptomChange
from tests.helpers import FakeClock

TICK_S = 0.25
NAMES = {"bridge": "Bridge", "bird-dog": "Bird dog", "knee": "Knee to chest"}


def item(exercise_id: str, mode: SideMode, *, reps: int, sets: int = 1, hold: int = 4) -> RoutineItem:
    return RoutineItem(exercise_id, Dose(hold, reps, sets, 2, 3), mode)


def session_events(*items: RoutineItem) -> list[Event]:
    clock = FakeClock()
    engine = SessionEngine(Routine(Phase.MOBILITY, items), clock)
    events = engine.start()
    while not engine.done:
        clock.advance(TICK_S)
        events += engine.tick()
    return events


def spoken(events: list[Event], *, count_reps: bool = False, movement: bool = False) -> list[str]:
    """What the voice says, in order, naming each step's exercise as the session runner does."""
    said = []
    for event in events:
        name = NAMES.get(getattr(event, "exercise_id", None) or "", "")
        text = cue_text(event, name, count_reps=count_reps, movement=movement)
        if text is not None:
            said.append(text)
    return said


def first_step(step: Step) -> StepStarted:
    """A real StepStarted of `step` (from a one-sided exercise with two sets), to vary by hand."""
    events = session_events(
        item("knee", SideMode.LEFT_THEN_RIGHT, reps=2, sets=2), item("bridge", SideMode.BOTH, reps=1)
    )
    return next(e for e in events if isinstance(e, StepStarted) and e.step is step)


def test_a_whole_session_of_every_side_mode_word_for_word() -> None:
    events = session_events(
        item("bridge", SideMode.BOTH, reps=2, sets=2),
        item("bird-dog", SideMode.ALTERNATING, reps=1),
        item("knee", SideMode.LEFT_THEN_RIGHT, reps=1, sets=2),
    )
    countdown = ["3", "2", "1"]
    hold = [*countdown]  # every hold and rest of 4, 2 or 3 s counts down from 3 (a 2 s rest from 1)
    assert spoken(events) == [
        "Bridge. Get ready.", *countdown,  # both sides at once: no side named
        "Hold.", *hold, "Relax.", "1", "Hold.", *hold,
        "Relax and rest for a moment.", "2", "1",
        "Hold.", *hold, "Relax.", "1", "Hold.", *hold,
        "Rest now. Next: Bird dog.", *countdown,
        "Bird dog. Get ready. Start on your left side.", *countdown,
        "Left side. Hold.", *hold, "Relax.", "1", "Right side. Hold.", *hold,
        "Rest now. Next: Knee to chest.", *countdown,
        "Knee to chest. Get ready. Start on your left side.", *countdown,
        "Left side. Hold.", *hold, "Relax and rest for a moment.", "2", "1", "Left side. Hold.", *hold,
        "Switch to your right side.", *countdown,
        "Right side. Hold.", *hold, "Relax and rest for a moment.", "2", "1", "Right side. Hold.", *hold,
        "That's the end of the session. Well done.",
    ]  # fmt: skip


def test_counting_aloud_and_a_movement_change_only_the_hold_and_rest_words() -> None:
    events = session_events(item("bridge", SideMode.BOTH, reps=2, sets=1))
    said = [s for s in spoken(events, count_reps=True, movement=True) if not s.isdigit()]
    assert said == [
        "Bridge. Get ready.",
        "Move slowly. 1 of 2.",
        "And back.",
        "Move slowly. 2 of 2.",
        "That's the end of the session. Well done.",
    ]
    said = [s for s in spoken(events, count_reps=True) if not s.isdigit()]
    assert said == ["Bridge. Get ready.", "Hold. 1 of 2.", "Relax.", "Hold. 2 of 2.", said[-1]]


def test_a_movement_rests_between_sets_and_switches_sides_in_the_usual_words() -> None:
    events = session_events(item("knee", SideMode.LEFT_THEN_RIGHT, reps=1, sets=2))
    said = [s for s in spoken(events, movement=True) if not s.isdigit()]
    assert said == [
        "Knee to chest. Get ready. Start on your left side.",
        "Move slowly.",
        "Relax and rest for a moment.",
        "Move slowly.",
        "Switch to your right side.",
        "Move slowly.",
        "Relax and rest for a moment.",
        "Move slowly.",
        "That's the end of the session. Well done.",
    ]


@pytest.mark.parametrize(
    ("side", "words"),
    [
        (Side.LEFT, "Knee to chest. Get ready. Start on your left side."),
        (Side.RIGHT, "Knee to chest. Get ready. Start on your right side."),
        (Side.NONE, "Knee to chest. Get ready."),
    ],
)
def test_get_ready_names_the_side_to_start_on(side: Side, words: str) -> None:
    assert cue_text(replace(first_step(Step.GET_READY), side=side), "Knee to chest") == words


@pytest.mark.parametrize(
    ("side", "words"),
    [
        (Side.LEFT, "Switch to your left side."),
        (Side.RIGHT, "Switch to your right side."),
        (Side.NONE, "Switch sides."),
    ],
)
def test_switching_names_the_side_to_switch_to(side: Side, words: str) -> None:
    assert cue_text(replace(first_step(Step.SWITCH_SIDE), side=side), "") == words


@pytest.mark.parametrize(
    ("side", "words"),
    [(Side.LEFT, "Left side. Hold."), (Side.RIGHT, "Right side. Hold."), (Side.NONE, "Hold.")],
)
def test_a_hold_names_its_side(side: Side, words: str) -> None:
    assert cue_text(replace(first_step(Step.HOLD), side=side), "") == words
    assert cue_text(replace(first_step(Step.HOLD), side=side), "", movement=True) == "Move slowly."


def test_the_preview_names_the_next_exercise() -> None:
    assert cue_text(first_step(Step.NEXT_EXERCISE), "Bridge") == "Rest now. Next: Bridge."


def test_events_that_are_only_shown_are_not_said() -> None:
    done = replace(first_step(Step.HOLD), step=Step.DONE, exercise_id=None)
    assert cue_text(done, "x") is None  # SessionFinished says it
    assert cue_text(done, "x", movement=True, count_reps=True) is None
    assert cue_text(ExerciseFinished(0, "a"), "x") is None
    assert cue_text(SymptomAnswered(0, "a", SymptomChange.UP), "x") is None
    assert cue_text(SymptomAnswered(0, "a", None), "x", movement=True) is None


def test_session_events_are_said_calmly() -> None:
    assert cue_text(CountdownTick(2, Step.HOLD, 0), "x") == "2"
    assert cue_text(HalfwayReached(Step.HOLD, 0), "x") == "Halfway."
    assert cue_text(SessionPaused(PauseReason.USER), "") == "Paused."
    assert cue_text(SessionPaused(PauseReason.QUESTION), "") == "Paused."
    assert cue_text(SessionPaused(PauseReason.HURTS), "") == safety.HURTS_CUE
    assert cue_text(SessionResumed(), "") == "Carrying on."
    assert cue_text(SessionFinished(), "") == "That's the end of the session. Well done."
    assert cue_text(SessionFinished(ended_early=True), "") == "Session ended. Take it easy."
