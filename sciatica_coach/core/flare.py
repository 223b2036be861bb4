"""The flare plan: what the app does while the person's pain has flared up (issue 20, point 5).

Plain rules, no Qt, no files:

* the flare routine: the gentlest lying exercises of phase 1 that suit the person's direction
  (`flare_exercise_ids`), each at a cut dose (`flare_dose`), "short and often";
* how long the flare has lasted, which days it covers (they are recorded as flare days, excused from the plan),
  and the one prompt to see a doctor or physiotherapist once it has not settled after about a week
  (`should_prompt_not_settling`);
* when to offer "Feeling back to usual" (`offer_end`): after a few calmer days.

Which exercises are gentlest is read from the catalogue (phase, position, direction and each exercise's
`gentler` chain), not from a list of ids here. The words the flare card shows live here too, marked with N_,
so the view, the reminders and the tests use one wording.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sciatica_coach.core.model import Direction, Dose, Exercise, Phase, Position, Routine, RoutineItem
from sciatica_coach.i18n import N_

log = logging.getLogger(__name__)

NOT_SETTLING_DAYS = 7  # a flare not settling after about a week: see a doctor or physiotherapist (NHS)
CALM_DAYS_TO_OFFER_END = 3  # this many calmer days in a row, and "Feeling back to usual" is offered
CALM_PAIN_MAX = 3  # a calmer day: every pain report that day at this or below (the green zone)
MAX_CHAIN_DEPTH = 1  # an exercise at most one step above the gentlest of its chain (single knee hug, yes)
LYING = (Position.SUPINE, Position.PRONE)
DOSE_FRACTION = 0.5  # holds and repetitions halved during a flare
MIN_HOLD_S = 3  # never shorter than this: a hold too short to settle into is not gentler
MIN_REPS = 1
STEPS_PAUSED_AFTER_FLARE_DAYS = 7  # no step up (more reps, a harder exercise) until a week after a flare day

FLARE_BUTTON = N_("My pain has flared up")
FLARE_END_BUTTON = N_("Feeling back to usual")
FLARE_TITLE = N_("Flare plan")
FLARE_KEEP_MOVING = N_(
    "Keep gently active: staying in bed tends to slow recovery. Short walks, a few minutes at a time, and the "
    "short session below a few times a day usually help more than resting. Stop anything that makes your leg "
    "worse."
)
FLARE_ROUTINE_NOTE = N_(
    "Your sessions are shorter for now: only the gentlest exercises that suit you, with shorter holds and "
    "fewer repetitions. Your usual routine is kept for when you feel better."
)
FLARE_NO_EXERCISES = N_(
    "None of the gentle flare exercises suit the movements you avoid, so there is no exercise session for "
    "now. Keep moving with short, easy walks, and ask your physiotherapist which exercises suit you."
)
FLARE_PAINKILLERS = N_("If you take painkillers, take them as your pharmacist or doctor advises.")
FLARE_SEEK_HELP = N_(
    "Get help at once if you have any of the warning signs (the safety questions before a session ask about "
    "them), and see your doctor or physiotherapist if the flare is not settling after about a week."
)
FLARE_NOT_SETTLING = N_(
    "Your flare has lasted about a week now. Please see your doctor or physiotherapist so they can check "
    "how you are. Keep moving gently in the meantime."
)
FLARE_OFFER_END = N_("Your pain has been calmer for a few days. Feeling back to usual?")
FLARE_DAY = N_("Flare day {n}")
FLARE_TODAY_LINE = N_("Today is a flare day: no target. Short, gentle sessions and short walks help.")


@dataclass(frozen=True, slots=True)
class Flare:
    """A flare the person marked: the day it began, and whether the one "not settling" prompt was shown."""

    started: date
    not_settling_prompted: bool = False

    def day_number(self, today: date) -> int:
        """1 on the day it was marked, 2 the next day, ..."""
        return max(1, (today - self.started).days + 1)

    def days(self, today: date) -> list[date]:
        """Every day of the flare so far, from its first to `today` (none if `today` is before it began)."""
        return [self.started + timedelta(days=i) for i in range((today - self.started).days + 1)]


def _chain_depth(exercises: Mapping[str, Exercise], exercise: Exercise) -> int:
    """How many steps of `gentler` lead down from `exercise` to the gentlest of its chain."""
    depth, seen, current = 0, {exercise.id}, exercise
    while current.gentler is not None and current.gentler in exercises and current.gentler not in seen:
        current = exercises[current.gentler]
        seen.add(current.id)
        depth += 1
    return depth


def flare_exercise_ids(
    exercises: Mapping[str, Exercise], avoid: frozenset[Direction] | set[Direction]
) -> list[str]:
    """The exercises of the flare routine, in catalogue order: phase-1 exercises done lying down, moving the
    back one way only (or not at all), the gentlest of their chain or one step above it, and never the way
    the person avoids. Nothing that moves the back both ways (cat-camel) is included.

    With no direction avoided, only the gentlest of each chain (pelvic tilt, prone lying): whether bending or
    arching suits this person is not known, so the step above waits. With one direction avoided, the
    gentlest two of the direction that suits (flexion avoided: prone lying, prone on elbows; extension
    avoided: pelvic tilt, the single knee hug). With both avoided: none (see FLARE_NO_EXERCISES)."""
    kept = []
    for exercise in exercises.values():
        if exercise.phase is not Phase.MOBILITY or exercise.position not in LYING:
            continue
        if exercise.direction is Direction.BOTH or any(exercise.direction.includes(way) for way in avoid):
            continue
        depth_allowed = MAX_CHAIN_DEPTH if avoid else 0
        if _chain_depth(exercises, exercise) <= depth_allowed:
            kept.append(exercise.id)
    return kept


def flare_dose(dose: Dose) -> Dose:
    """The dose during a flare: holds and repetitions halved (rounded up), one set; a hold never below
    MIN_HOLD_S unless it was shorter already; rests kept."""
    hold = (
        dose.hold_s if dose.hold_s <= MIN_HOLD_S else max(MIN_HOLD_S, math.ceil(dose.hold_s * DOSE_FRACTION))
    )
    reps = max(MIN_REPS, math.ceil(dose.reps * DOSE_FRACTION))
    return replace(dose, hold_s=hold, reps=reps, sets=1)


def flare_routine(exercises: Mapping[str, Exercise], avoid: frozenset[Direction] | set[Direction]) -> Routine:
    """The routine a session walks through during a flare: the flare exercises at their cut dose."""
    items = tuple(
        RoutineItem(exercise_id, flare_dose(exercises[exercise_id].dose), exercises[exercise_id].side_mode)
        for exercise_id in flare_exercise_ids(exercises, avoid)
    )
    return Routine(Phase.MOBILITY, items)


def should_prompt_not_settling(flare: Flare, today: date) -> bool:
    """Whether to show the "see your doctor or physiotherapist" prompt: once per flare, from the day
    NOT_SETTLING_DAYS after the flare was marked (marked on a Monday: from the next Monday)."""
    return not flare.not_settling_prompted and (today - flare.started).days >= NOT_SETTLING_DAYS


def offer_end(flare: Flare, worst_pain_by_day: Mapping[date, int], today: date) -> bool:
    """Whether to offer "Feeling back to usual": the last CALM_DAYS_TO_OFFER_END days before today, all within
    the flare, each had a pain report and none above CALM_PAIN_MAX. A day without a report is not counted as
    calm (we don't know)."""
    days = [today - timedelta(days=i) for i in range(1, CALM_DAYS_TO_OFFER_END + 1)]
    if days[-1] < flare.started:
        return False
    return all(day in worst_pain_by_day and worst_pain_by_day[day] <= CALM_PAIN_MAX for day in days)


def worst_pain_by_day(reports: Sequence[tuple[date, int]]) -> dict[date, int]:
    """The highest pain reported on each day, from (day, pain) pairs."""
    worst: dict[date, int] = {}
    for day, pain in reports:
        worst[day] = max(pain, worst.get(day, pain))
    return worst


def steps_held_back(flare_days: Iterable[date], in_flare: bool, today: date) -> bool:
    """Whether a step up must wait: during a flare, and for STEPS_PAUSED_AFTER_FLARE_DAYS after its last day.
    Suggestions to ease off are never held back."""
    return in_flare or any(0 <= (today - day).days < STEPS_PAUSED_AFTER_FLARE_DAYS for day in flare_days)
