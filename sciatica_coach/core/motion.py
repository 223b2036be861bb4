"""How far the exercise figure is between its start pose and its hold pose at any moment of a session.

Qt-free. The answer is a pure function of the engine's snapshot (`SessionStatus`: the step, its length and the
time left, which come from the engine's chained deadlines), so the picture can never drift from the timers,
and pause, back and skip move it exactly as they move the countdown. A view asks `blend(status, kind)` on
each frame and paints the pose that far between the two (0 = start pose, 1 = hold pose), and asks
`moving(...)` whether to keep a frame timer running at all: while the figure stands still, nothing ticks.

What moves when:

- A held exercise (`ExerciseKind.HOLD`): as the hold begins the figure moves into the hold pose over
  `MOVE_IN_S` (or the first third of a short hold), holds still, and moves back over `MOVE_OUT_S` (or half of
  a short rest) as the rest between repetitions or sets begins. Getting ready, the preview of the next
  exercise and switching sides show the start pose, still.
- A to-and-fro movement (`ExerciseKind.MOVEMENT`, the nerve glide): the whole "hold" step is the move out
  and the whole rest between repetitions is the move back, so it glides to and fro at the tempo of its dose;
  the rest between sets brings it back as a held exercise's rest does.
- Reduced motion: no movement at all; the hold pose during a hold, the start pose otherwise (the still
  pictures the app always had).

Moves start and end gently (`ease`): a body never jerks into a position, and the guidance asks for slow,
controlled movement.
"""

from __future__ import annotations

from sciatica_coach.core.engine import SessionStatus, Step
from sciatica_coach.core.model import ExerciseKind

MOVE_IN_S = 2.0  # into the hold pose as a hold begins
MOVE_OUT_S = 2.0  # back to the start pose as the rest begins
SHORT_HOLD_SHARE = 1 / 3  # a short hold spends at most this share of itself moving in
SHORT_REST_SHARE = 1 / 2  # a short rest spends at most this share of itself moving back

_RETURNING = (Step.REST_REP, Step.REST_SET)  # the steps that follow a hold and bring the body back


def ease(t: float) -> float:
    """0 to 1 with no jolt at either end (smoothstep); `t` outside 0..1 is held at the nearer end."""
    t = min(1.0, max(0.0, t))
    return t * t * (3.0 - 2.0 * t)


def move_seconds(step: Step, duration_s: float, kind: ExerciseKind) -> float:
    """How long the figure moves at the start of `step` (0: it stands still all through it)."""
    if duration_s <= 0:
        return 0.0
    if kind is ExerciseKind.MOVEMENT and step in (Step.HOLD, Step.REST_REP):
        return float(duration_s)
    if step is Step.HOLD:
        return min(MOVE_IN_S, duration_s * SHORT_HOLD_SHARE)
    if step in _RETURNING:
        return min(MOVE_OUT_S, duration_s * SHORT_REST_SHARE)
    return 0.0


def blend_at(
    step: Step, elapsed_s: float, duration_s: float, kind: ExerciseKind, *, reduced: bool = False
) -> float:
    """The pose at `elapsed_s` into `step`: 0 = the start pose, 1 = the hold pose."""
    target = 1.0 if step is Step.HOLD else 0.0
    move_s = 0.0 if reduced else move_seconds(step, duration_s, kind)
    if move_s <= 0:
        return target
    if step is Step.HOLD:
        return ease(elapsed_s / move_s)
    return 1.0 - ease(elapsed_s / move_s)  # a rest after a hold (the only other steps that move)


def elapsed_s(status: SessionStatus) -> float:
    """Time gone in the current step, from the engine's deadline (frozen while paused)."""
    return max(0.0, float(status.step_duration_s) - status.remaining_s)


def blend(status: SessionStatus, kind: ExerciseKind, *, reduced: bool = False) -> float:
    """The pose to paint for the engine's snapshot `status`."""
    return blend_at(status.step, elapsed_s(status), status.step_duration_s, kind, reduced=reduced)


def moving(status: SessionStatus, kind: ExerciseKind, *, reduced: bool = False) -> bool:
    """Whether the pose changes as time goes on: the frame timer runs only while this is true."""
    if reduced or status.paused or not status.started:
        return False
    return elapsed_s(status) < move_seconds(status.step, status.step_duration_s, kind)
