"""What a session shows at each timed step: the drawing, the big step word and the instruction lines.

This is the one place that pairs words with pictures. Each catalogue step names the moment it belongs to
(:class:`~sciatica_coach.core.model.Moment`): the setup lines are shown while getting ready, beside the start
drawing; the hold lines (and the feel) during the hold, beside the hold drawing; the return lines between
repetitions, beside the start drawing again, since that is where the return ends. A to-and-fro movement
(:class:`~sciatica_coach.core.model.ExerciseKind.MOVEMENT`) uses the same two steps for its two directions:
the "hold" is the move out and the rest between repetitions is the move back, so its step words say MOVE and
AND BACK instead of HOLD and RELAX. The view only renders a :class:`Cue`; a test checks every cue's words
against the geometry of its drawing. Qt-free.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sciatica_coach.core.engine import MOVEMENT_SPOKEN, Step
from sciatica_coach.core.model import Exercise, Moment, Side
from sciatica_coach.i18n import N_, _


class Pose(StrEnum):
    """Which of an exercise's two drawings is shown."""

    START = "start"
    HOLD = "hold"


# The big word for each step (marked only; translated where shown).
STEP_WORDS = {
    Step.GET_READY: N_("GET READY"),
    Step.HOLD: N_("HOLD"),
    Step.REST_REP: N_("RELAX"),
    Step.REST_SET: N_("REST"),
    Step.SWITCH_SIDE: N_("SWITCH SIDES"),
    Step.NEXT_EXERCISE: N_("NEXT UP"),
    Step.DONE: N_("DONE"),
}
MOVEMENT_STEP_WORDS = {Step.HOLD: N_("MOVE"), Step.REST_REP: N_("AND BACK")}
# What the voice says for each move (MOVEMENT_SPOKEN) lives with every other spoken phrase, in engine.cue_text.

# Which catalogue moment each step shows, and with which drawing.
STEP_MOMENTS = {
    Step.GET_READY: Moment.SETUP,
    Step.HOLD: Moment.HOLD,
    Step.REST_REP: Moment.RETURN,
    Step.REST_SET: Moment.RETURN,  # the last repetition of the set comes back before the rest
    Step.SWITCH_SIDE: Moment.RETURN,  # ... and before changing side
}
MOMENT_POSES = {Moment.SETUP: Pose.START, Moment.HOLD: Pose.HOLD, Moment.RETURN: Pose.START}

RELAX_TEXT = N_("Relax and breathe.")
REST_SET_TEXT = N_("Rest for a moment. Next: set {n} of {count}.")
SWITCH_TEXT = {
    Side.LEFT: N_("Switch to your left side, slowly."),
    Side.RIGHT: N_("Switch to your right side, slowly."),
    Side.NONE: N_("Switch sides, slowly."),
}
COMING_UP_TEXT = N_("Rest. Coming up: {name}. {summary}")


@dataclass(frozen=True, slots=True)
class Cue:
    """What to show for one timed step: the drawing, the step word and the lines, all translated."""

    pose: Pose
    illustration: str  # the illustration id of that drawing
    word: str
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def step_word(exercise: Exercise | None, step: Step) -> str:
    """The big word for ``step`` of ``exercise`` (a to-and-fro movement says MOVE and AND BACK), translated."""
    if is_movement(exercise) and step in MOVEMENT_STEP_WORDS:
        return _(MOVEMENT_STEP_WORDS[step])
    return _(STEP_WORDS[step])


def pose_for(step: Step) -> Pose:
    """The drawing a step shows: the hold drawing only during the hold (or the move out)."""
    moment = STEP_MOMENTS.get(step)
    return MOMENT_POSES[moment] if moment is not None else Pose.START


def cue_for(exercise: Exercise, step: Step, side: Side = Side.NONE, *, set_no: int = 0, sets: int = 0) -> Cue:
    """The drawing, word and lines for ``step`` of ``exercise``. ``side`` is the side the step is for (for
    SWITCH_SIDE: the side to switch to); ``set_no`` of ``sets`` is the set that comes next (for REST_SET)."""
    pose = pose_for(step)
    moment = STEP_MOMENTS.get(step)
    lines = list(exercise.steps_at(moment)) if moment is not None else []
    match step:
        case Step.HOLD:
            lines.append(exercise.feel)
        case Step.REST_REP if not lines:
            lines.append(_(RELAX_TEXT))
        case Step.REST_SET:
            lines.append(_(REST_SET_TEXT).format(n=set_no, count=sets))
        case Step.SWITCH_SIDE:
            lines.append(_(SWITCH_TEXT[side]))
        case Step.NEXT_EXERCISE:
            lines.append(_(COMING_UP_TEXT).format(name=exercise.name, summary=exercise.summary))
    illustration = exercise.hold_illustration if pose is Pose.HOLD else exercise.start_illustration
    return Cue(pose, illustration, step_word(exercise, step), tuple(lines))


def is_movement(exercise: Exercise | None) -> bool:
    return exercise is not None and exercise.is_movement


def movement_phrase(exercise: Exercise | None, step: Step) -> str | None:
    """What the voice says when ``step`` of a to-and-fro movement starts, without a repetition count; None
    for any other exercise or step. The session speaks `engine.cue_text(..., movement=True)`, which is where
    these words come from."""
    return _(MOVEMENT_SPOKEN[step]) if is_movement(exercise) and step in MOVEMENT_SPOKEN else None
