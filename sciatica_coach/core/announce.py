"""When a screen reader should hear about the session: at each step change (HOLD, RELAX, a new side or
exercise, paused and resumed) and as a step's time runs out (10 s, 5 s, then 3-2-1), never on every repaint.

Qt-free: the view asks :func:`announcement_due` on every status it shows and sends an announcement only when
this says so (views/session_view.py, QAccessibleAnnouncementEvent)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from sciatica_coach.core.engine import SessionStatus, Step

# Seconds left at which a countdown is announced; 3-2-1 match the beeps. Steps shorter than a mark start
# below it, so a 5 s hold announces only 3-2-1 after its step change (the step change already says "5").
COUNTDOWN_MARKS_S: Final = (10, 5, 3, 2, 1)


class Due(StrEnum):
    STEP = "step"  # say the new step (and how long it lasts)
    SECONDS = "seconds"  # say the seconds left


@dataclass(frozen=True, slots=True)
class Announced:
    """What was last announced: the step (with its position in the session) and the seconds mark."""

    step_key: tuple[object, ...]
    seconds_left: int | None


def step_key(status: SessionStatus) -> tuple[object, ...]:
    """Identifies one step of the session: a change of any part is a new step to announce."""
    return (status.step, status.exercise_index, status.side, status.rep, status.set_no, status.paused)


def whole_seconds_left(status: SessionStatus) -> int:
    """Seconds left as the countdown ring shows them (rounded up)."""
    return max(0, math.ceil(status.remaining_s - 1e-9))


def announcement_due(last: Announced | None, status: SessionStatus) -> tuple[Due | None, Announced | None]:
    """Whether to announce now, and what then counts as last announced (unchanged when nothing is due)."""
    key = step_key(status)
    seconds = whole_seconds_left(status)
    if last is None or key != last.step_key:
        return Due.STEP, Announced(key, seconds)
    if status.paused or status.step is Step.DONE:
        return None, last
    if (
        seconds in COUNTDOWN_MARKS_S
        and seconds != last.seconds_left
        and (last.seconds_left is None or seconds < last.seconds_left)
    ):
        return Due.SECONDS, Announced(key, seconds)
    return None, last
