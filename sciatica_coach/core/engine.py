"""The guided-session engine: a Qt-free state machine that walks a person through a routine.

How it works
------------
`build_plan` turns a routine into a flat list of timed steps (`PlannedStep`). That list is the one source of
truth: the engine walks it, and `planned_duration_s` sums it, so the routine editor and the session agree.

For each routine item the steps are::

    [NEXT_EXERCISE preview]   (not before the first exercise; a short rest that shows this exercise)
    GET_READY                 (get into position)
    HOLD, REST_REP, HOLD ...  (REST_REP between the holds of a set)
    REST_SET                  (between sets)
    SWITCH_SIDE               (LEFT_THEN_RIGHT only, between the left block and the right block)

and one DONE step ends the plan. Steps with a zero duration are left out, except HOLD, which lasts at least
one second. The first exercise's GET_READY lasts `first_get_ready_s` (the "get_ready_s" setting: time to lie
down on the mat, clamped to 5-60 s by `clamp_first_get_ready_s`, here and nowhere else); later exercises
keep the short `get_ready_s` after their preview, which already gave them time.

Side modes and what "rep i/n" means
-----------------------------------
- BOTH: side NONE; rep i of n = the i-th hold of the current set.
- A one-sided item with `only_side` set (the person's affected side, core/affected_side.py): all sets on that
  side alone, no SWITCH_SIDE; reps count once per hold.
- LEFT_THEN_RIGHT: all sets on the LEFT, then SWITCH_SIDE, then all sets on the RIGHT. Rep i of n and
  set j of m count within the current side, so the right side starts again at rep 1, set 1.
- ALTERNATING: within a set the holds go left 1, right 1, left 2, right 2 ... with REST_REP between every two
  holds. Reps count per side: "rep i of n" is the i-th hold on the side shown, n = dose.reps per side.

In every step other than HOLD, rep, set and side describe the hold that comes next (what the person is
getting ready for). The NEXT_EXERCISE preview belongs to the exercise it previews: during it,
`exercise_index` and `item` are the upcoming exercise and `finished_index` is the one just finished (the
moment for the after-exercise symptom question). For the last exercise that moment is DONE.

Progress records count every hold, each side separately: reps_planned = reps x sets x (2 if one-sided).
sets_planned = dose.sets, and a set counts as done once it is finished on every side.

Moving about never loses what was done. Going back starts a new attempt at the target exercise (and at those
after it), counted from zero, but the earlier attempts are kept: the record an exercise ends with
(`exercise_records()`, what the runner saves) is the better of its attempts: the most reps done (a tie goes
to the later attempt); the later attempt's after-exercise answer, or the earlier one's if the later has none;
and `skipped` only if nothing of it was ever done (skip after some holds keeps those holds, not skipped). A
redo is not added to the first attempt, so reps_done never exceeds reps_planned, and from one moment to the
next no exercise's reps_done goes down. Earlier attempts move with their exercise when upcoming items are
removed, replaced or brought forward; an exercise dropped from what comes next that had been done before
(possible after going back) keeps its record, listed after the routine's own.

A HOLD of `HALFWAY_MIN_HOLD_S` or more sends one `HalfwayReached` at its middle (paused time does not count,
since the deadline moves on resume). It is never sent inside the 3-2-1 countdown: a late tick that lands
there drops it.

Time
----
Remaining time comes from a monotonic deadline on the injected clock; the UI's timer only calls `tick()` to
repaint. Deadlines chain (next deadline = previous deadline + duration), so a late tick never shifts later
steps: there is no cumulative drift. One late tick advances through every step whose deadline has passed.

If the wall clock and the monotonic clock disagree between two ticks by more than
`CLOCK_JUMP_TOLERANCE_S` (suspend, or a clock change), or two ticks are more than `MAX_TICK_GAP_S` apart
(the machine froze or slept), the session pauses itself (`PauseReason.SLEEP_OR_CLOCK_JUMP`) with the
remaining time it had at the last tick, instead of racing ahead. The view must therefore tick at least every
second or so while a session runs (a repaint interval of 100-250 ms is typical).

Controls (pause, resume, skip, back, end_early) return events too. Skip and back keep a paused session
paused: the clock never starts behind the person's back.

Waiting for the after-exercise answer
-------------------------------------
With ``ask_after_each_exercise=True`` the engine waits after each exercise's last hold: it moves on to the
NEXT_EXERCISE preview (or DONE) and pauses there (`PauseReason.QUESTION`, `awaiting_answer` = the finished
exercise), so the countdown never runs on into the next exercise unanswered. `answer(change)` records the
answer (None = skipped: the record's symptom stays None, "not answered", never SAME) and carries on with the
preview's full time; Space (`resume`) and skip do nothing while a question waits, back redoes the exercise
(asked again), and ending early leaves it unanswered. An answer of DOWN keeps the session paused
(`PauseReason.SPREAD`) so the advice can be read. At DONE, `SessionFinished` waits until nothing is held.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from sciatica_coach.core import safety
from sciatica_coach.core.clock import Clock
from sciatica_coach.core.model import (
    ExerciseRecord,
    Routine,
    RoutineItem,
    Side,
    SideMode,
    SymptomChange,
)
from sciatica_coach.i18n import N_, _

log = logging.getLogger(__name__)

GET_READY_S = 5  # before every exercise but the first (its preview came first)
FIRST_GET_READY_S = 15  # before the first exercise: time to lie down (the "get_ready_s" setting's default)
FIRST_GET_READY_MIN_S = 5
FIRST_GET_READY_MAX_S = 60
PREVIEW_S = 10
SWITCH_SIDE_S = 5
MIN_HOLD_S = 1
COUNTDOWN_FROM_S = 3  # CountdownTick 3, 2, 1 before each change
HALFWAY_MIN_HOLD_S = 10  # holds this long get a HalfwayReached at their middle (well before the countdown)
MAX_TICK_GAP_S = 5.0  # a longer monotonic gap between ticks means the machine froze or slept
CLOCK_JUMP_TOLERANCE_S = 3.0  # wall vs monotonic disagreement that counts as sleep or a clock change


class Step(StrEnum):
    GET_READY = "get-ready"
    HOLD = "hold"
    REST_REP = "rest-rep"
    SWITCH_SIDE = "switch-side"
    REST_SET = "rest-set"
    NEXT_EXERCISE = "next-exercise"
    DONE = "done"


class PauseReason(StrEnum):
    USER = "user"
    HURTS = "hurts"
    SLEEP_OR_CLOCK_JUMP = "sleep-or-clock-jump"
    QUESTION = "question"  # waiting for the after-exercise answer (or an explicit skip)
    SPREAD = "spread"  # symptoms spread further down: paused so the advice can be read


@dataclass(frozen=True, slots=True)
class PlannedStep:
    """One timed step of the session plan."""

    step: Step
    duration_s: int
    exercise_index: int  # == number of items for DONE
    side: Side = Side.NONE
    rep: int = 0  # 1-based; the hold itself, or the hold that comes next
    set_no: int = 0  # 1-based
    ends_set: bool = False  # HOLD only: completing it completes a set (on every side)
    ends_exercise: bool = False  # HOLD only: the last hold of the exercise


def _first_side(item: RoutineItem) -> Side:
    if item.side_mode is SideMode.BOTH:
        return Side.NONE
    return Side.LEFT if item.only_side is Side.NONE else item.only_side


def _exercise_steps(item: RoutineItem, index: int, get_ready_s: int, switch_side_s: int) -> list[PlannedStep]:
    """GET_READY, then holds and rests for one routine item (no preview)."""
    dose = item.dose
    hold_s = max(MIN_HOLD_S, dose.hold_s)
    reps, sets = max(1, dose.reps), max(1, dose.sets)
    first = _first_side(item)
    steps = [PlannedStep(Step.GET_READY, get_ready_s, index, first, 1, 1)]

    # Each set is a sequence of (side, rep) holds; blocks are run one after another.
    def one_set(side_order: Sequence[Side]) -> list[tuple[Side, int]]:
        return [(side, rep) for rep in range(1, reps + 1) for side in side_order]

    if item.side_mode is not SideMode.BOTH and item.only_side is not Side.NONE:
        blocks: list[tuple[Side, ...]] = [(item.only_side,)]  # the affected side only
    elif item.side_mode is SideMode.LEFT_THEN_RIGHT:
        blocks = [(Side.LEFT,), (Side.RIGHT,)]
    elif item.side_mode is SideMode.ALTERNATING:
        blocks = [(Side.LEFT, Side.RIGHT)]
    else:
        blocks = [(Side.NONE,)]

    for block_no, side_order in enumerate(blocks):
        last_block = block_no == len(blocks) - 1
        if block_no > 0:
            steps.append(PlannedStep(Step.SWITCH_SIDE, switch_side_s, index, side_order[0], 1, 1))
        for set_no in range(1, sets + 1):
            if set_no > 1:
                steps.append(
                    PlannedStep(Step.REST_SET, dose.rest_between_sets_s, index, side_order[0], 1, set_no)
                )
            holds = one_set(side_order)
            for k, (side, rep) in enumerate(holds):
                if k > 0:
                    steps.append(
                        PlannedStep(Step.REST_REP, dose.rest_between_reps_s, index, side, rep, set_no)
                    )
                last_in_set = k == len(holds) - 1
                steps.append(
                    PlannedStep(
                        Step.HOLD,
                        hold_s,
                        index,
                        side,
                        rep,
                        set_no,
                        ends_set=last_in_set and last_block,
                        ends_exercise=last_in_set and last_block and set_no == sets,
                    )
                )
    return steps


def clamp_first_get_ready_s(value: object) -> int:
    """The first exercise's get-ready time from a stored setting: whole seconds within 5-60, and the default
    (`FIRST_GET_READY_S`) for anything that is not a number (a hand-edited or broken settings file)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(value, float) and not math.isfinite(value))
    ):
        return FIRST_GET_READY_S
    return max(FIRST_GET_READY_MIN_S, min(FIRST_GET_READY_MAX_S, round(value)))


def build_plan(
    items: Sequence[RoutineItem],
    *,
    get_ready_s: int = GET_READY_S,
    first_get_ready_s: int | None = None,
    preview_s: int = PREVIEW_S,
    switch_side_s: int = SWITCH_SIDE_S,
) -> tuple[PlannedStep, ...]:
    """Every timed step of a session over `items`, ending with DONE. Zero-length steps are left out.

    `first_get_ready_s` is the stored "get_ready_s" setting as it comes (clamped here); None gives the first
    exercise the same `get_ready_s` as the others."""
    first_ready_s = get_ready_s if first_get_ready_s is None else clamp_first_get_ready_s(first_get_ready_s)
    steps: list[PlannedStep] = []
    for index, item in enumerate(items):
        if index > 0:
            steps.append(PlannedStep(Step.NEXT_EXERCISE, preview_s, index, _first_side(item), 1, 1))
        ready_s = first_ready_s if index == 0 else get_ready_s
        steps.extend(_exercise_steps(item, index, ready_s, switch_side_s))
    kept = [s for s in steps if s.step is Step.HOLD or s.duration_s > 0]
    kept.append(PlannedStep(Step.DONE, 0, len(items)))
    return tuple(kept)


def planned_duration_s(
    routine: Routine,
    get_ready_s: int = GET_READY_S,
    preview_s: int = PREVIEW_S,
    switch_side_s: int = SWITCH_SIDE_S,
    *,
    first_get_ready_s: int | None = None,
) -> int:
    """How long a session over `routine` takes if nothing is paused or skipped, in whole seconds. Pass the
    "get_ready_s" setting as `first_get_ready_s` to match what the session will run."""
    plan = build_plan(
        routine.items,
        get_ready_s=get_ready_s,
        first_get_ready_s=first_get_ready_s,
        preview_s=preview_s,
        switch_side_s=switch_side_s,
    )
    return sum(step.duration_s for step in plan)


def sides_of(mode: SideMode, only_side: Side = Side.NONE) -> int:
    """How many sides each hold is done on: 2 for one-sided exercises, else 1 (and 1 for a one-sided
    exercise done on the affected side only)."""
    return 1 if mode is SideMode.BOTH or only_side is not Side.NONE else 2


def _fresh_record(item: RoutineItem) -> ExerciseRecord:
    dose = item.dose
    return ExerciseRecord(
        exercise_id=item.exercise_id,
        reps_done=0,
        reps_planned=max(1, dose.reps) * max(1, dose.sets) * sides_of(item.side_mode, item.only_side),
        sets_done=0,
        sets_planned=max(1, dose.sets),
        hold_s=dose.hold_s,
    )


def _better(earlier: ExerciseRecord | None, later: ExerciseRecord) -> ExerciseRecord:
    """The record an exercise ends with after two attempts (or one, when `earlier` is None): the one with
    more reps done (a tie goes to the later), the later answer unless it has none, and skipped only if
    nothing of it was ever done."""
    best = later if earlier is None or later.reps_done >= earlier.reps_done else earlier
    symptom = later.symptom
    skipped = later.skipped
    if earlier is not None:
        symptom = earlier.symptom if symptom is None else symptom
        skipped = skipped or earlier.skipped
    return replace(best, symptom=symptom, skipped=skipped and best.reps_done == 0)


def _did_something(record: ExerciseRecord) -> bool:
    return record.reps_done > 0 or record.symptom is not None


# --- Snapshot and events -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionStatus:
    """An immutable snapshot of the session for the view to render."""

    step: Step
    remaining_s: float  # of the current step
    step_duration_s: int
    rep: int  # 1-based, see the module docstring; 0 at DONE
    reps: int  # per set, per side
    set_no: int
    sets: int
    side: Side
    exercise_index: int  # == exercise_count at DONE
    exercise_count: int
    item: RoutineItem | None  # None at DONE
    next_item: RoutineItem | None
    paused: bool
    pause_reason: PauseReason | None
    progress: float  # 0..1 of the planned time
    total_remaining_s: float
    started: bool
    ended_early: bool
    # During NEXT_EXERCISE: the exercise that just finished; at DONE: the last one, if its holds all ran.
    # This is the moment for the after-exercise symptom question.
    finished_index: int | None
    awaiting_answer: int | None = None  # the exercise whose after-exercise question waits for an answer


@dataclass(frozen=True, slots=True)
class StepStarted:
    step: Step
    exercise_index: int
    exercise_id: str | None  # None at DONE
    side: Side  # for SWITCH_SIDE: the side to switch to
    status: SessionStatus


@dataclass(frozen=True, slots=True)
class CountdownTick:
    """3, 2, 1 before a step ends; each number once per step."""

    seconds_left: int
    step: Step
    exercise_index: int


@dataclass(frozen=True, slots=True)
class HalfwayReached:
    """Half of a long hold (`HALFWAY_MIN_HOLD_S` or more) has gone by; once per hold, paused time not counted."""

    step: Step
    exercise_index: int


@dataclass(frozen=True, slots=True)
class ExerciseFinished:
    """The last hold of an exercise is done (not sent for skipped exercises)."""

    index: int
    exercise_id: str


@dataclass(frozen=True, slots=True)
class SessionFinished:
    ended_early: bool = False


@dataclass(frozen=True, slots=True)
class SessionPaused:
    reason: PauseReason


@dataclass(frozen=True, slots=True)
class SessionResumed:
    pass


@dataclass(frozen=True, slots=True)
class SymptomAnswered:
    """The after-exercise question was dealt with: `change` None means skipped (not answered)."""

    index: int
    exercise_id: str
    change: SymptomChange | None


Event = (
    StepStarted
    | CountdownTick
    | HalfwayReached
    | ExerciseFinished
    | SessionFinished
    | SessionPaused
    | SessionResumed
    | SymptomAnswered
)


# Spoken at the start of each move of a to-and-fro movement (instead of "Hold." and "Relax."); its short
# moves have no spoken countdown, which would talk over every second of the tempo.
MOVEMENT_SPOKEN = {Step.HOLD: N_("Move slowly."), Step.REST_REP: N_("And back.")}
# Which repetition a hold is, said after the hold phrase when counting aloud. Digits, not words: speech
# engines read "3 of 10" correctly in every language, and one string translates for every number.
REP_COUNT = N_("{rep} of {reps}.")


def cue_text(
    event: Event, exercise_name: str, *, count_reps: bool = False, movement: bool = False
) -> str | None:
    """The calm spoken phrase for an event, or None when nothing should be said.

    `exercise_name` is the display name of the event's exercise (for StepStarted, `event.exercise_id`).
    `count_reps` adds which repetition a hold is ("Hold. 3 of 10.", counted per set and per side as on the
    screen); `movement` says a to-and-fro movement's words ("Move slowly." / "And back.").
    A late tick can return several StepStarted events; a speech adapter may voice only the last one.

    A step starting says what to do now (`_step_cue`); every other event says what happened to the session
    (`_session_cue`).
    """
    if isinstance(event, StepStarted):
        return _step_cue(event, exercise_name, count_reps=count_reps, movement=movement)
    return _session_cue(event)


def _session_cue(event: Event) -> str | None:
    """The countdown, halfway, pause and resume, and the end; None for what is only shown on screen (an
    exercise finished, a question answered)."""
    if isinstance(event, CountdownTick):
        return str(event.seconds_left)
    if isinstance(event, HalfwayReached):
        return _("Halfway.")
    if isinstance(event, SessionFinished):
        if event.ended_early:
            return _("Session ended. Take it easy.")
        return _("That's the end of the session. Well done.")
    if isinstance(event, SessionPaused):
        return _(safety.HURTS_CUE) if event.reason is PauseReason.HURTS else _("Paused.")
    if isinstance(event, SessionResumed):
        return _("Carrying on.")
    return None


def _step_cue(event: StepStarted, exercise_name: str, *, count_reps: bool, movement: bool) -> str | None:
    """What to do in the step that starts: hold, relax, get ready, switch sides, rest before the next."""
    if event.step is Step.HOLD:
        return _hold_cue(event, count_reps=count_reps, movement=movement)
    if movement and event.step in MOVEMENT_SPOKEN:
        return _(MOVEMENT_SPOKEN[event.step])
    match event.step:
        case Step.GET_READY:
            item = event.status.item
            return _get_ready_cue(
                exercise_name, event.side, only=item is not None and item.only_side is not Side.NONE
            )
        case Step.REST_REP:
            return _("Relax.")
        case Step.REST_SET:
            return _("Relax and rest for a moment.")
        case Step.SWITCH_SIDE:
            return _switch_side_cue(event.side)
        case Step.NEXT_EXERCISE:
            return _("Rest now. Next: {name}.").format(name=exercise_name)
    return None  # DONE: SessionFinished says it


def _hold_cue(event: StepStarted, *, count_reps: bool, movement: bool) -> str:
    """ "Hold." (with the side) or "Move slowly.", then which repetition it is when counting aloud."""
    hold = _(MOVEMENT_SPOKEN[Step.HOLD]) if movement else _hold_phrase(event.side)
    if count_reps and event.status.reps > 1:
        count = _(REP_COUNT).format(rep=event.status.rep, reps=event.status.reps)
        return f"{hold} {count}"
    return hold


def _hold_phrase(side: Side) -> str:
    """ "Hold.", with the side for a one-sided exercise: heard from the mat, the side is never only on screen."""
    if side is Side.LEFT:
        return _("Left side. Hold.")
    if side is Side.RIGHT:
        return _("Right side. Hold.")
    return _("Hold.")


def _get_ready_cue(exercise_name: str, side: Side, *, only: bool = False) -> str:
    """The exercise's name, and the side to start on for a one-sided exercise (`only`: the one side it is done
    on, the person's affected side)."""
    text = _("{name}. Get ready.").format(name=exercise_name)
    if only and side is Side.LEFT:
        return f"{text} {_('Your left side only.')}"
    if only and side is Side.RIGHT:
        return f"{text} {_('Your right side only.')}"
    if side is Side.LEFT:
        return f"{text} {_('Start on your left side.')}"
    if side is Side.RIGHT:
        return f"{text} {_('Start on your right side.')}"
    return text


def _switch_side_cue(side: Side) -> str:
    """The side to switch to (for the switch between a one-sided exercise's left and right blocks)."""
    if side is Side.LEFT:
        return _("Switch to your left side.")
    if side is Side.RIGHT:
        return _("Switch to your right side.")
    return _("Switch sides.")


# --- The engine --------------------------------------------------------------------------------------------


class SessionEngine:
    """Runs one session over a routine. Call `start()`, then `tick()` on every repaint."""

    def __init__(
        self,
        routine: Routine,
        clock: Clock,
        *,
        get_ready_s: int = GET_READY_S,
        first_get_ready_s: int | None = None,
        preview_s: int = PREVIEW_S,
        switch_side_s: int = SWITCH_SIDE_S,
        max_tick_gap_s: float = MAX_TICK_GAP_S,
        clock_jump_tolerance_s: float = CLOCK_JUMP_TOLERANCE_S,
        ask_after_each_exercise: bool = False,
    ) -> None:
        self._phase = routine.phase
        self._clock = clock
        self._get_ready_s = get_ready_s
        self._first_get_ready_s = first_get_ready_s
        self._preview_s = preview_s
        self._switch_side_s = switch_side_s
        self._max_tick_gap_s = max_tick_gap_s
        self._jump_tolerance_s = clock_jump_tolerance_s
        self._items: list[RoutineItem] = list(routine.items)
        self._records: list[ExerciseRecord] = [_fresh_record(item) for item in self._items]  # this attempt
        self._earlier: list[ExerciseRecord | None] = [None] * len(self._items)  # the best of earlier attempts
        # Done before going back, then dropped from what comes next:
        self._set_aside: list[ExerciseRecord] = []
        self._plan: tuple[PlannedStep, ...]
        self._after_s: tuple[int, ...]  # planned seconds after each step
        self._rebuild_plan()
        self._pos = 0
        self._started = False
        self._ended_early = False
        self._deadline: float  # monotonic; set whenever the session runs
        self._paused_remaining: float | None = None
        self._pause_reason: PauseReason | None = None
        self._last_mono: float  # the last tick (or start, resume, jump) while running
        self._last_wall: datetime
        self._last_count: int | None = None  # the last CountdownTick number said in this step
        self._halfway_passed = False  # this step's HalfwayReached was sent (or dropped)
        self._finished_index: int | None = None
        self._ask_after_each = ask_after_each_exercise
        self._awaiting: int | None = None  # the finished exercise whose question waits for an answer

    # --- queries ---

    @property
    def routine(self) -> Routine:
        """The routine as it stands now (after any remove/replace of upcoming items)."""
        return Routine(self._phase, tuple(self._items))

    @property
    def plan(self) -> tuple[PlannedStep, ...]:
        return self._plan

    @property
    def deadline_monotonic(self) -> float | None:
        """The monotonic deadline of the current step while running (at DONE: when the plan ended)."""
        if not self._started or self._paused_remaining is not None:
            return None
        return self._deadline

    @property
    def done(self) -> bool:
        return self._current.step is Step.DONE

    @property
    def _current(self) -> PlannedStep:
        return self._plan[self._pos]

    @property
    def _running(self) -> bool:
        return self._started and self._paused_remaining is None and not self.done

    def exercise_records(self) -> tuple[ExerciseRecord, ...]:
        """What was done of each routine item so far: the better of its attempts (see the module docstring),
        then any exercise done before going back and since dropped from what comes next."""
        return (*map(_better, self._earlier, self._records), *self._set_aside)

    def status(self) -> SessionStatus:
        return self._status(self._clock.monotonic())

    def _remaining(self, now: float) -> float:
        current = self._current
        if current.step is Step.DONE:
            return 0.0
        if not self._started:
            return float(current.duration_s)
        if self._paused_remaining is not None:
            return self._paused_remaining
        return max(0.0, min(float(current.duration_s), self._deadline - now))

    def _status(self, now: float) -> SessionStatus:
        current = self._current
        index = current.exercise_index
        count = len(self._items)
        done = current.step is Step.DONE
        item = None if done else self._items[index]
        remaining = self._remaining(now)
        total_remaining = remaining + self._after_s[self._pos]
        total = self._after_s[0] + self._plan[0].duration_s
        if done:
            progress = 1.0
        elif not self._started:
            progress = 0.0
        else:  # total > 0: every hold lasts at least a second
            progress = max(0.0, 1.0 - total_remaining / total)
        finished = None
        if current.step is Step.NEXT_EXERCISE or (done and self._finished_index == count - 1):
            finished = self._finished_index
        return SessionStatus(
            step=current.step,
            remaining_s=remaining,
            step_duration_s=current.duration_s,
            rep=current.rep,
            reps=0 if item is None else max(1, item.dose.reps),
            set_no=current.set_no,
            sets=0 if item is None else max(1, item.dose.sets),
            side=current.side,
            exercise_index=index,
            exercise_count=count,
            item=item,
            next_item=self._items[index + 1] if index + 1 < count else None,
            paused=self._paused_remaining is not None,
            pause_reason=self._pause_reason,
            progress=progress,
            total_remaining_s=total_remaining,
            started=self._started,
            ended_early=self._ended_early,
            finished_index=finished,
            awaiting_answer=self._awaiting,
        )

    # --- running ---

    def start(self) -> list[Event]:
        """Begin the session with the first exercise's get-ready step."""
        if self._started:
            return []
        self._started = True
        now = self._clock.monotonic()
        self._remember_tick(now, self._clock.now())
        if self._paused_remaining is not None:  # paused before start: stays paused
            return [self._step_started(now)]
        self._deadline = now + self._current.duration_s
        events: list[Event] = [self._step_started(now)]
        if self.done:
            events.append(SessionFinished())
        return events

    def tick(self) -> list[Event]:
        """Advance to the clock's present: call it on every repaint. Returns what happened since last time."""
        now, wall = self._clock.monotonic(), self._clock.now()
        if not self._running:
            return []  # start and resume note the time they begin from
        if self._time_jumped(now, wall):
            remaining = max(0.0, self._deadline - self._last_mono)
            # pragma: no mutate start (what a log line says is not behaviour)
            log.info("clock jump or sleep detected; pausing with %.1f s left in %s", remaining, self._current)
            # pragma: no mutate end
            self._paused_remaining = remaining
            self._pause_reason = PauseReason.SLEEP_OR_CLOCK_JUMP
            return [SessionPaused(PauseReason.SLEEP_OR_CLOCK_JUMP)]
        events = self._advance(now)
        self._remember_tick(now, wall)
        return events

    def _remember_tick(self, now: float, wall: datetime) -> None:
        self._last_mono = now
        self._last_wall = wall

    def _time_jumped(self, now: float, wall: datetime) -> bool:
        mono_delta = now - self._last_mono
        if mono_delta > self._max_tick_gap_s:
            return True
        wall_delta = (wall - self._last_wall).total_seconds()
        return abs(wall_delta - mono_delta) > self._jump_tolerance_s

    def _advance(self, now: float) -> list[Event]:
        events: list[Event] = []
        while self._running and now >= self._deadline:
            finished = self._complete_current()
            events.extend(finished)
            self._pos += 1
            self._deadline += self._current.duration_s  # chained: no drift from late ticks
            self._last_count = None
            self._halfway_passed = False
            if finished and self._ask_after_each:
                self._awaiting = finished[0].index
                self._paused_remaining = float(self._current.duration_s)
                self._pause_reason = PauseReason.QUESTION
            events.append(self._step_started(now))
            if self.done and self._paused_remaining is None:
                events.append(SessionFinished())
        if self._running:
            events.extend(self._halfway(now))
            events.extend(self._countdown(now))
        return events

    def _halfway(self, now: float) -> list[Event]:
        current = self._current
        if self._halfway_passed or current.step is not Step.HOLD or current.duration_s < HALFWAY_MIN_HOLD_S:
            return []
        remaining = self._deadline - now
        if remaining > current.duration_s / 2:
            return []
        self._halfway_passed = True
        if remaining <= COUNTDOWN_FROM_S:  # a late tick: the countdown has the floor now
            return []
        return [HalfwayReached(current.step, current.exercise_index)]

    def _complete_current(self) -> list[ExerciseFinished]:
        current = self._current
        if current.step is not Step.HOLD:
            return []
        index = current.exercise_index
        record = self._records[index]
        record = replace(record, reps_done=record.reps_done + 1)
        if current.ends_set:
            record = replace(record, sets_done=record.sets_done + 1)
        self._records[index] = record
        if current.ends_exercise:
            self._finished_index = index
            return [ExerciseFinished(index, self._items[index].exercise_id)]
        return []

    def _countdown(self, now: float) -> list[Event]:
        current = self._current
        value = math.ceil(self._deadline - now)
        if value < 1 or value > COUNTDOWN_FROM_S or value >= current.duration_s:
            return []
        if self._last_count is not None and value >= self._last_count:
            return []
        self._last_count = value
        return [CountdownTick(value, current.step, current.exercise_index)]

    def _step_started(self, now: float) -> StepStarted:
        current = self._current
        done = current.step is Step.DONE
        return StepStarted(
            step=current.step,
            exercise_index=current.exercise_index,
            exercise_id=None if done else self._items[current.exercise_index].exercise_id,
            side=current.side,
            status=self._status(now),
        )

    # --- controls ---

    def pause(self, reason: PauseReason = PauseReason.USER) -> list[Event]:
        """Pause the countdown. Pausing an already paused session only updates the reason (e.g. to HURTS)."""
        if self._paused_remaining is not None:
            if reason is not self._pause_reason:
                self._pause_reason = reason
                return [SessionPaused(reason)]
            return []
        if self.done:
            return []
        if not self._started:
            self._paused_remaining = float(self._current.duration_s)
            self._pause_reason = reason
            return [SessionPaused(reason)]
        events = self.tick()
        if not self._running:  # it finished, or paused itself after a sleep
            return events
        now = self._clock.monotonic()
        self._paused_remaining = max(0.0, self._deadline - now)
        self._pause_reason = reason
        events.append(SessionPaused(reason))
        return events

    def resume(self) -> list[Event]:
        """Carry on from the remaining time the session had when it paused. Not while a question waits."""
        if self._paused_remaining is None or self._awaiting is not None:
            return []
        now = self._clock.monotonic()
        if self._started:
            self._deadline = now + self._paused_remaining
        self._paused_remaining = None
        self._pause_reason = None
        self._remember_tick(now, self._clock.now())
        if self.done:
            return [SessionResumed(), SessionFinished()]
        return [SessionResumed()]

    def skip(self) -> list[Event]:
        """Skip the current exercise (during a preview: the one previewed) and go to the next one's get-ready.

        It counts as skipped only if none of it was ever done: holds done before (in this attempt or an
        earlier one) are kept."""
        if self._awaiting is not None:
            return []  # the question about the finished exercise comes first
        events = self.tick()
        if self.done:
            return events
        index = self._current.exercise_index
        self._records[index] = replace(self._records[index], skipped=True)
        return events + self._enter(self._entry_pos(index + 1))

    def back(self) -> list[Event]:
        """Restart the previous exercise from its get-ready (the first exercise restarts itself).

        During a NEXT_EXERCISE preview the previous exercise is the one just finished. The restarted exercise
        and everything after it begin a new attempt, counted from zero; what the earlier attempts did is
        kept, and each exercise's record is the better of its attempts (`exercise_records`).
        """
        events = self.tick()
        if self.done and self._paused_remaining is None:
            return events
        target = max(0, self._current.exercise_index - 1)
        for k in range(target, len(self._items)):
            self._earlier[k] = _better(self._earlier[k], self._records[k])
            self._records[k] = _fresh_record(self._items[k])
        self._finished_index = None
        if self._awaiting is not None:  # redone, so asked again afterwards; still paused, never started
            self._awaiting = None
            self._pause_reason = PauseReason.USER
        return events + self._enter(self._entry_pos(target))

    def end_early(self) -> list[Event]:
        """Stop the session now. Exercises not done keep their partial counts (they are not marked skipped),
        and exercises redone after going back keep the better attempt.

        A question still waiting stays unanswered. At DONE (held by a question or advice) it just finishes.
        """
        events: list[Event] = self._close_question(None)
        if self.done:
            if self._paused_remaining is None:
                return events
            self._paused_remaining = None
            self._pause_reason = None
            return [*events, SessionFinished()]
        events += self.tick()
        if self.done:
            return events
        self._ended_early = True
        self._paused_remaining = None
        self._pause_reason = None
        self._pos = len(self._plan) - 1
        return [*events, self._step_started(self._clock.monotonic()), SessionFinished(ended_early=True)]

    def record_symptom(self, index: int, change: SymptomChange) -> None:
        """Attach the after-exercise symptom answer to exercise `index` (its current attempt)."""
        self._records[index] = replace(self._records[index], symptom=change)

    def answer(self, change: SymptomChange | None) -> list[Event]:
        """Answer the waiting after-exercise question (None = skip it). The session carries on with the
        preview's full time, except after DOWN: then it stays paused (SPREAD) until resumed."""
        events = self._close_question(change)
        if not events or self._pause_reason is not PauseReason.QUESTION:
            return events  # nothing was waiting, or paused for another reason (e.g. "it hurts") first
        if change is SymptomChange.DOWN:
            self._pause_reason = PauseReason.SPREAD
            return [*events, SessionPaused(PauseReason.SPREAD)]
        return events + self.resume()

    def _close_question(self, change: SymptomChange | None) -> list[Event]:
        index = self._awaiting
        if index is None:
            return []
        self._awaiting = None
        if change is not None:
            self.record_symptom(index, change)
        return [SymptomAnswered(index, self._items[index].exercise_id, change)]

    def _entry_pos(self, index: int) -> int:
        """Where exercise `index` starts when jumped to: its get-ready, past any preview (DONE past the end)."""
        return next(
            pos
            for pos, planned in enumerate(self._plan)
            if planned.exercise_index == index and planned.step is not Step.NEXT_EXERCISE
        )  # every exercise has a hold, and DONE's index is one past the last exercise

    def _enter(self, pos: int) -> list[Event]:
        """Jump to step `pos` with its full duration, keeping the paused/running state."""
        now = self._clock.monotonic()
        self._pos = pos
        self._last_count = None
        self._halfway_passed = False
        if self.done:
            self._paused_remaining = None
            self._pause_reason = None
            if not self._started:
                return []
            return [self._step_started(now), SessionFinished()]
        if self._paused_remaining is not None:
            self._paused_remaining = float(self._current.duration_s)
        elif self._started:
            self._deadline = now + self._current.duration_s
            self._remember_tick(now, self._clock.now())
        return [self._step_started(now)] if self._started else []

    # --- changing what comes next ---

    def _first_upcoming_index(self) -> int:
        """The first routine item not yet begun: a previewed exercise has not begun."""
        current = self._current
        if current.step is Step.DONE:
            return len(self._items)
        if not self._started or current.step is Step.NEXT_EXERCISE:
            return current.exercise_index
        return current.exercise_index + 1

    def remove_upcoming(self, exercise_id: str) -> list[Event]:
        """Drop every not-yet-begun occurrence of an exercise (stopped for today)."""
        return self._rewrite_upcoming(exercise_id, None)

    def replace_upcoming(self, exercise_id: str, item: RoutineItem) -> list[Event]:
        """Swap every not-yet-begun occurrence of an exercise for another item (e.g. the gentler one)."""
        return self._rewrite_upcoming(exercise_id, item)

    def bring_forward(self, item: RoutineItem) -> list[Event]:
        """Do `item` next (e.g. the gentler exercise in place of one that sent symptoms down the leg): it goes
        before everything not yet begun, and a later not-yet-begun occurrence of it is dropped."""
        first = self._first_upcoming_index()
        kept = [k for k in range(first, len(self._items)) if self._items[k].exercise_id != item.exercise_id]
        dropped = [k for k in range(first, len(self._items)) if k not in kept]
        items = [*self._items[:first], item, *(self._items[k] for k in kept)]
        records = [*self._records[:first], _fresh_record(item), *(self._records[k] for k in kept)]
        earlier = [*self._earlier[:first], None, *(self._earlier[k] for k in kept)]
        self._set_aside_work(dropped)
        return self._install(items, records, earlier, first)

    def _rewrite_upcoming(self, exercise_id: str, replacement: RoutineItem | None) -> list[Event]:
        first = self._first_upcoming_index()
        items: list[RoutineItem] = []
        records: list[ExerciseRecord] = []
        earlier: list[ExerciseRecord | None] = []
        dropped: list[int] = []
        for k, item in enumerate(self._items):
            if k < first or item.exercise_id != exercise_id:
                items.append(item)
                records.append(self._records[k])
                earlier.append(self._earlier[k])
                continue
            dropped.append(k)
            if replacement is not None:
                items.append(replacement)
                records.append(_fresh_record(replacement))
                earlier.append(None)
        if items == self._items:
            return []
        self._set_aside_work(dropped)
        return self._install(items, records, earlier, first)

    def _set_aside_work(self, dropped: Sequence[int]) -> None:
        """Keep the record of dropped upcoming items that were done before going back."""
        for k in dropped:
            record = _better(self._earlier[k], self._records[k])
            if _did_something(record):
                self._set_aside.append(record)

    def _install(
        self,
        items: list[RoutineItem],
        records: list[ExerciseRecord],
        earlier: list[ExerciseRecord | None],
        first: int,
    ) -> list[Event]:
        """Use new upcoming items (those before `first` unchanged, each with its records of this attempt and
        of earlier ones) and put the position where it belongs."""
        old = self._current
        old_id = None if old.step is Step.DONE else self._items[old.exercise_index].exercise_id
        self._items, self._records, self._earlier = items, records, earlier
        self._rebuild_plan()
        index = old.exercise_index
        if index < first:  # under way: the plan up to the end of this exercise, so the step, is unchanged
            return []
        if index >= len(self._items):
            return self._enter(len(self._plan) - 1)
        same_kind = [
            pos for pos, p in enumerate(self._plan) if p.exercise_index == index and p.step is old.step
        ]
        self._pos = same_kind[0] if same_kind else self._entry_pos(index)
        self._last_count = None
        self._halfway_passed = False
        if self._paused_remaining is not None and self._current.step is not old.step:
            self._paused_remaining = float(self._current.duration_s)  # e.g. from a held DONE to a get-ready
        if self._started and self._items[index].exercise_id != old_id:
            return [self._step_started(self._clock.monotonic())]
        return []

    def _rebuild_plan(self) -> None:
        self._plan = build_plan(
            self._items,
            get_ready_s=self._get_ready_s,
            first_get_ready_s=self._first_get_ready_s,
            preview_s=self._preview_s,
            switch_side_s=self._switch_side_s,
        )
        after: list[int] = []
        total = 0
        for planned in reversed(self._plan):
            after.append(total)
            total += planned.duration_s
        self._after_s = tuple(reversed(after))
