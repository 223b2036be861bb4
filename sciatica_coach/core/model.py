"""The shared vocabulary of the core: exercises, doses and routines as typed, frozen values."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import IntEnum, StrEnum


class Phase(IntEnum):
    """Where a person is in their programme: gentle mobility, then strengthening, then ball work."""

    MOBILITY = 1
    STRENGTH = 2
    BALL = 3


class Position(StrEnum):
    SUPINE = "supine"
    PRONE = "prone"
    ALL_FOURS = "all-fours"
    SEATED = "seated"
    STANDING = "standing"
    ON_BALL = "on-ball"


class SideMode(StrEnum):
    """How an exercise treats the two sides of the body."""

    BOTH = "both"  # both sides together, or no side at all
    LEFT_THEN_RIGHT = "left-then-right"  # all reps on the left, then all on the right
    ALTERNATING = "alternating"  # left, right, left, right ... within each set


class Direction(StrEnum):
    """Which way an exercise moves the lower spine. Some people's leg symptoms worsen with one direction."""

    FLEXION = "flexion"
    EXTENSION = "extension"
    NEUTRAL = "neutral"
    BOTH = "both"  # moves the low back one way and then the other (cat-camel, ball pelvic tilt)

    def includes(self, way: Direction | None) -> bool:
        """Whether this moves the low back `way` (e.g. the direction a person avoids). "Both" counts for
        either way (cautious: it moves the back the avoided way for half of each repetition); None: False."""
        return way is not None and (self is way or self is Direction.BOTH)


class Side(StrEnum):
    NONE = "none"
    LEFT = "left"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class Dose:
    """How much of an exercise: hold time, repetitions, sets and the rests between them."""

    hold_s: int
    reps: int
    sets: int
    rest_between_reps_s: int
    rest_between_sets_s: int

    def with_changes(self, **changes: int) -> Dose:
        return replace(self, **changes)


class ExerciseKind(StrEnum):
    """How the timed steps of an exercise are used."""

    HOLD = "hold"  # get into position, hold still, release between repetitions
    MOVEMENT = "movement"  # a smooth to-and-fro: "hold" is the move out, the rest between reps the move back


class Moment(StrEnum):
    """When a step's words are shown during a session, and so which drawing they sit beside."""

    SETUP = "setup"  # while getting ready: the start drawing
    HOLD = "hold"  # during the hold (or the move out): the hold drawing
    RETURN = "return"  # between repetitions (or the move back): the start drawing


@dataclass(frozen=True, slots=True)
class ExerciseStep:
    """One line of instructions and the moment of the exercise it belongs to."""

    text: str
    moment: Moment


@dataclass(frozen=True, slots=True)
class Exercise:
    """One exercise from the catalogue, with its default dose and the words shown to the person."""

    id: str
    name: str
    phase: Phase
    position: Position
    side_mode: SideMode
    dose: Dose
    steps: tuple[ExerciseStep, ...]
    feel: str
    stop_if: str
    cautions: tuple[str, ...]  # plain sentences: who it may not suit, and how to do it safely
    direction: Direction
    start_illustration: str
    hold_illustration: str
    gentler: str | None = None  # the exercise to fall back to when this one sends symptoms down the leg
    summary: str = ""
    kind: ExerciseKind = ExerciseKind.HOLD
    affected_side_only: bool = False  # done on the person's affected side only, once they have said which
    not_soon_after_waking: bool = False  # left out of a session within two hours of getting up

    @property
    def is_movement(self) -> bool:
        """A smooth to-and-fro movement, timed as a move out and a move back, never held."""
        return self.kind is ExerciseKind.MOVEMENT

    def steps_at(self, moment: Moment) -> tuple[str, ...]:
        """The words of the steps that belong to ``moment``, in order."""
        return tuple(step.text for step in self.steps if step.moment is moment)


@dataclass(frozen=True, slots=True)
class RoutineItem:
    """One exercise in a person's routine with the dose they do it at."""

    exercise_id: str
    dose: Dose
    side_mode: SideMode
    # A one-sided exercise done on this side only (the person's affected side, see core/affected_side.py);
    # Side.NONE: on both sides as `side_mode` says. Set for a session only, never stored with the routine.
    only_side: Side = Side.NONE


@dataclass(frozen=True, slots=True)
class Routine:
    """An ordered list of exercises with their doses; what a session walks through."""

    phase: Phase
    items: tuple[RoutineItem, ...]


class LegReach(StrEnum):
    """How far down the leg symptoms reach, from none to the foot (the order matters)."""

    NONE = "none"
    BUTTOCK = "buttock"
    THIGH = "thigh"
    KNEE = "knee"
    CALF = "calf"
    FOOT = "foot"


class SymptomChange(StrEnum):
    """After an exercise: did leg symptoms move up towards the back, stay the same, or spread further down?"""

    UP = "up"
    SAME = "same"
    DOWN = "down"


class Outcome(StrEnum):
    COMPLETED = "completed"
    ENDED_EARLY = "ended-early"
    SAFETY_STOP = "safety-stop"


@dataclass(frozen=True, slots=True)
class PainReport:
    """Pain on the 0-10 scale for back and leg, and how far down the leg symptoms reach."""

    back: int
    leg: int
    reach: LegReach = LegReach.NONE
    new_numbness_or_weakness: bool = False


@dataclass(frozen=True, slots=True)
class ExerciseRecord:
    """What was actually done of one routine item in a session."""

    exercise_id: str
    reps_done: int  # repetitions completed, counted per side for one-sided exercises
    reps_planned: int
    sets_done: int
    sets_planned: int
    hold_s: int
    skipped: bool = False
    symptom: SymptomChange | None = None


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One session as stored: when, what was done, pain before and after, and how it ended."""

    id: str
    started_at: datetime  # timezone-aware local wall time
    ended_at: datetime
    phase: Phase
    exercises: tuple[ExerciseRecord, ...]
    outcome: Outcome
    pain_before: PainReport | None = None
    pain_after: PainReport | None = None
    reason: str = ""  # why it ended early or was stopped, in plain words
    slot: str = ""  # the reminder slot it belongs to, e.g. "08:00", when known


class SafetyEventKind(StrEnum):
    """What happened that matters for safety, kept in the history with its time (shown in the report)."""

    RED_FLAG_ANSWERS = "red-flag-answers"  # the red-flag check was answered; flags = the "yes" ids
    DOCTOR_CLEARED = "doctor-cleared"  # the person confirmed a doctor has seen a "see a doctor soon" answer
    IT_HURTS = "it-hurts"  # the "It hurts" button or key during a session
    PAIN_STOP = "pain-stop"  # pain 6+ before or after a session stopped coaching
    NEW_NUMBNESS = "new-numbness"  # new numbness or weakness ticked at a pain check
    SYMPTOM_SPREAD = "symptom-spread"  # after an exercise: leg symptoms spread further down
    PERIPHERALISATION = "peripheralisation"  # leg symptoms reached further down after a session than before
    UNANSWERED_QUESTION = "unanswered-question"  # the after-exercise question was skipped
    SESSION_STOPPED = "session-stopped"  # a session ended early; detail = the reason
    RED_STOP_OVERRIDE = "red-stop-override"  # a new session on the day of a red pain stop, after the wait
    NOT_IMPROVING = "not-improving"  # "Got it" to the advice to see a doctor: pain not easing, or worse


@dataclass(frozen=True, slots=True)
class SafetyEvent:
    """One safety-relevant moment, as stored. `detail` is plain English words for the report."""

    at: datetime  # timezone-aware local wall time
    kind: SafetyEventKind
    detail: str = ""
    exercise_id: str = ""
    session_id: str = ""
    flags: tuple[str, ...] = ()  # red-flag ids answered "yes", for RED_FLAG_ANSWERS
