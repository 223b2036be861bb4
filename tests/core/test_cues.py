"""core.cues: the one place that pairs each timed step with its drawing, step word and lines (Qt-free)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.cues import Pose, cue_for, movement_phrase, step_word
from sciatica_coach.core.engine import Step
from sciatica_coach.core.model import Moment, Side

CATALOGUE = load_catalogue()
TIMED_STEPS = [step for step in Step if step is not Step.DONE]


def test_a_held_exercise_shows_setup_hold_and_return_at_their_moments() -> None:
    knee = CATALOGUE.get("knee-to-chest")
    ready = cue_for(knee, Step.GET_READY, Side.LEFT)
    hold = cue_for(knee, Step.HOLD, Side.LEFT)
    relax = cue_for(knee, Step.REST_REP, Side.LEFT)
    assert (ready.pose, hold.pose, relax.pose) == (Pose.START, Pose.HOLD, Pose.START)
    assert ready.lines == knee.steps_at(Moment.SETUP)
    assert hold.lines == (*knee.steps_at(Moment.HOLD), knee.feel)
    assert relax.lines == ("Lower the leg slowly and relax.",)
    assert (ready.word, hold.word, relax.word) == ("GET READY", "HOLD", "RELAX")
    assert hold.illustration == "knee-to-chest-hold" and relax.illustration == "knee-to-chest-start"


def test_the_return_is_shown_before_a_rest_between_sets_and_before_changing_side() -> None:
    knee = CATALOGUE.get("knee-to-chest")
    rest = cue_for(knee, Step.REST_SET, Side.LEFT, set_no=2, sets=2)
    assert rest.lines == ("Lower the leg slowly and relax.", "Rest for a moment. Next: set 2 of 2.")
    switch = cue_for(knee, Step.SWITCH_SIDE, Side.RIGHT)
    assert switch.lines[-1] == "Switch to your right side, slowly." and switch.pose is Pose.START


def test_a_movement_says_move_and_back_never_hold() -> None:
    for exercise_id in ("nerve-glide", "cat-camel", "ball-pelvic-tilt"):
        exercise = CATALOGUE.get(exercise_id)
        assert exercise.is_movement
        assert cue_for(exercise, Step.HOLD).word == "MOVE"
        assert cue_for(exercise, Step.REST_REP).word == "AND BACK"
        assert movement_phrase(exercise, Step.HOLD) == "Move slowly."
        assert movement_phrase(exercise, Step.REST_REP) == "And back."
    assert movement_phrase(CATALOGUE.get("bridge"), Step.HOLD) is None
    assert step_word(CATALOGUE.get("bridge"), Step.HOLD) == "HOLD"


@given(
    exercise_id=st.sampled_from(list(CATALOGUE.exercises)),
    step=st.sampled_from(TIMED_STEPS),
    side=st.sampled_from(list(Side)),
)
def test_only_the_hold_shows_the_hold_drawing_and_every_cue_has_words(
    exercise_id: str, step: Step, side: Side
) -> None:
    exercise = CATALOGUE.get(exercise_id)
    cue = cue_for(exercise, step, side, set_no=1, sets=2)
    assert (cue.pose is Pose.HOLD) == (step is Step.HOLD)
    assert cue.illustration == f"{exercise_id}-{cue.pose.value}"
    assert cue.lines and all(cue.lines) and cue.word
