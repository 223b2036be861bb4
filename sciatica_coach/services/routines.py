"""What today's session should hold, and how the routine changes over time.

Qt-free glue between storage and the core: exercises set aside for today because they sent symptoms further
down the leg, today's dose, progression suggestions and prescription files. The routine itself is stored by
:mod:`sciatica_coach.services.plans`."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, timedelta
from enum import Enum
from pathlib import Path

from sciatica_coach.core import maintenance, safety
from sciatica_coach.core.affected_side import affected_side_exercises, fit_to_side
from sciatica_coach.core.catalogue import Catalogue
from sciatica_coach.core.clock import Clock, SystemClock
from sciatica_coach.core.engine import planned_duration_s
from sciatica_coach.core.model import Direction, Exercise, Routine, RoutineItem
from sciatica_coach.core.plan_history import (
    REASON_PRESCRIPTION,
    REASON_SUGGESTION,
)
from sciatica_coach.core.plausible import names
from sciatica_coach.core.progression import (
    ChangeKind,
    Decision,
    Proposal,
    decide,
    decision_to_dict,
    propose,
)
from sciatica_coach.core.progression import apply as apply_proposal
from sciatica_coach.services import affected_side, flare
from sciatica_coach.services.decisions import HISTORY_KEY, progression_history
from sciatica_coach.services.plans import active_routine, avoided_direction, plan_history, save_routine
from sciatica_coach.storage.repository import Repository  # the key's home is storage

log = logging.getLogger(__name__)

STOPPED_TODAY_KEY = "stopped_today"
MAX_HISTORY = 500  # decisions kept; a few a week for years


def duration_words(seconds: int) -> str:
    """A session length as people say it: "9 min 40 s", "12 min", "45 s"."""
    minutes, secs = divmod(max(0, int(seconds)), 60)
    if minutes == 0:
        return f"{secs} s"
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"


def on_the_affected_side(repo: Repository, catalogue: Catalogue, routine: Routine) -> Routine:
    """`routine` as a session does it side-wise: an exercise for the leg with the sciatica (the nerve glide) on
    that leg only, once the person has said which (the same `fit_to_side` the session uses)."""
    return fit_to_side(routine, affected_side.affected_side(repo), affected_side_exercises(catalogue))


def planned_length_s(repo: Repository, catalogue: Catalogue, routine: Routine) -> int:
    """How long a session over the stored or edited `routine` takes: on the affected side only (as above) and
    with the "get_ready_s" setting before the first exercise; 0 for an empty routine. Not shortened for the
    nerve glide being left out soon after getting up: that depends on when the session starts, which a plan
    shown beforehand does not know (the session says so when it happens)."""
    if not routine.items:
        return 0
    fitted = on_the_affected_side(repo, catalogue, routine)
    return planned_duration_s(fitted, first_get_ready_s=repo.setting("get_ready_s"))


def avoided_items(routine: Routine, catalogue: Catalogue, avoid: Direction | None) -> list[str]:
    """The exercise ids in the routine that move the back in the avoided direction (e.g. from a physio's
    file): kept, because a clinician chose them, but worth pointing out."""
    if avoid is None:
        return []
    known = [item.exercise_id for item in routine.items if item.exercise_id in catalogue.exercises]
    return [exercise_id for exercise_id in known if catalogue.get(exercise_id).direction.includes(avoid)]


def without_avoided(routine: Routine, catalogue: Catalogue, avoid: Direction | None) -> Routine | None:
    """The routine with its exercises that move the back the avoided way taken out; None when there are none
    to take out, or when nothing would be left (a routine keeps at least one exercise)."""
    flagged = set(avoided_items(routine, catalogue, avoid))
    kept = tuple(item for item in routine.items if item.exercise_id not in flagged)
    return Routine(routine.phase, kept) if kept and flagged else None


def can_remove(routine: Routine) -> bool:
    """Whether an exercise may be taken out of the routine: never its last one."""
    return len(routine.items) > 1


class NotAddable(Enum):
    """Why an exercise of the catalogue can't be added to the routine now."""

    IN_ROUTINE = "in-routine"
    LATER_PHASE = "later-phase"  # it becomes available when the routine moves on to that phase


def why_not_addable(exercise: Exercise, routine: Routine) -> NotAddable | None:
    """None when the exercise can be added to the routine."""
    if any(item.exercise_id == exercise.id for item in routine.items):
        return NotAddable.IN_ROUTINE
    if exercise.phase > routine.phase:
        return NotAddable.LATER_PHASE
    return None


# --- prescription files -----------------------------------------------------------------------------------


def export_prescription(path: Path, routine: Routine) -> None:
    """Write the routine as a prescription file, atomically (never half a file). OSError on failure."""
    from sciatica_coach.core.prescription import dumps_prescription  # only for routine files
    from sciatica_coach.storage.atomic import atomic_write

    atomic_write(path, dumps_prescription(routine).encode("utf-8"), mode=0o600)


def import_prescription(
    repo: Repository, path: Path, catalogue: Catalogue, clock: Clock | None = None
) -> Routine:
    """Read, check and save a prescription file as the routine (recorded in the plan's history at the
    clock's time, the system clock by default). PrescriptionError (listing every problem) leaves the stored
    routine unchanged."""
    from sciatica_coach.core.prescription import read_prescription

    routine = read_prescription(path, catalogue)
    now = (clock or SystemClock()).now()
    save_routine(repo, routine, now, REASON_PRESCRIPTION.format(name=path.name))
    return routine


# --- progression --------------------------------------------------------------------------------------------


def current_proposal(repo: Repository, catalogue: Catalogue, clock: Clock) -> Proposal | None:
    """The one change suggested now, from the stored sessions, routine and decisions; None when there is
    nothing to suggest. Cheap enough to call after every session and whenever a page is shown."""
    from sciatica_coach.services.progress_data import load_history

    now = clock.now()
    assert now.tzinfo is not None
    sessions, routine, history = repo.sessions(), active_routine(repo, catalogue), progression_history(repo)
    avoid = avoided_direction(repo)
    proposal = propose(
        sessions,
        routine,
        catalogue,
        now.date(),
        history,
        tz=now.tzinfo,
        adherence=load_history(repo, clock),
        avoid=avoid,
        marked_flares=flare.flare_days_so_far(repo, now.date()),  # marked flare days: a reason to ease off
    )
    if flare.steps_held_back(repo, now.date()):  # during a flare and a week after: easing off only
        return proposal if proposal is not None and proposal.easing else None
    period = maintenance.active(history, now.tzinfo)
    if period is not None:  # keeping the habit: the way back first, then only easing off
        full = full_routine(repo, clock, period)
        back = maintenance.way_back(sessions, full, now.date(), history, tz=now.tzinfo)
        if back is not None:
            return back
        return proposal if proposal is not None and proposal.easing else None
    if proposal is None or proposal.kind in _SMALL_STEPS:  # keeping the habit outranks a small step
        lighter = maintenance.offer(
            sessions, routine, catalogue, now.date(), history, tz=now.tzinfo, avoid=avoid
        )
        if lighter is not None:
            return lighter
    return proposal


_SMALL_STEPS = frozenset({ChangeKind.ADD_REPS, ChangeKind.ADD_HOLD, ChangeKind.NEXT_EXERCISE})


def maintenance_period(repo: Repository, clock: Clock) -> maintenance.Period | None:
    """The maintenance period going on now (the person chose to keep the habit), or None."""
    tz = clock.now().tzinfo
    assert tz is not None
    return maintenance.active(progression_history(repo), tz)


def full_routine(repo: Repository, clock: Clock, period: maintenance.Period) -> Routine:
    """The routine in force on the day keeping the habit was chosen: the one to go back to."""
    return plan_history(repo, clock.now()).routine_on(period.start - timedelta(days=1))


def back_to_full_routine(repo: Repository, catalogue: Catalogue, clock: Clock) -> Routine | None:
    """End keeping the habit because the person chose to: the full routine is saved again (and the choice
    recorded). None when they were not keeping the habit."""
    period = maintenance_period(repo, clock)
    if period is None:
        return None
    return accept(repo, catalogue, clock, maintenance.back_by_choice(full_routine(repo, clock, period)))


def _record(repo: Repository, decision: Decision) -> None:
    raw = repo.state(HISTORY_KEY) or []
    entries = [*(raw if isinstance(raw, list) else []), decision_to_dict(decision)]
    repo.set_state(HISTORY_KEY, entries[-MAX_HISTORY:])


def accept(
    repo: Repository, catalogue: Catalogue, clock: Clock, proposal: Proposal, weekly_target: int | None = None
) -> Routine:
    """Apply the proposal to the active routine, save it, and note the decision. Returns the new routine.
    For keeping the habit, ``weekly_target`` is the number of sessions a week the person chose."""
    if weekly_target is not None:
        if weekly_target not in maintenance.WEEKLY_TARGETS:
            raise ValueError(f"a weekly target of {weekly_target} is not offered")
        proposal = replace(proposal, weekly_target=weekly_target)
    routine = apply_proposal(proposal, active_routine(repo, catalogue))
    summary = proposal.title.rstrip("?？ ")
    save_routine(repo, routine, clock.now(), REASON_SUGGESTION.format(summary=summary))
    _record(repo, decide(proposal, True, clock.now()))
    return routine


def decline(repo: Repository, clock: Clock, proposal: Proposal) -> None:
    """Note that the person said "not now"; the routine stays as it is."""
    _record(repo, decide(proposal, False, clock.now()))


def stopped_today(repo: Repository, today: date) -> set[str]:
    raw = repo.state(STOPPED_TODAY_KEY) or {}
    if not isinstance(raw, dict) or raw.get("day") != today.isoformat():
        return set()
    return names(raw.get("exercises"))


def stop_for_today(repo: Repository, today: date, exercise_id: str) -> None:
    ids = stopped_today(repo, today) | {exercise_id}
    repo.set_state(STOPPED_TODAY_KEY, {"day": today.isoformat(), "exercises": sorted(ids)})


def substitute_for(catalogue: Catalogue, exercise_id: str, avoid: Direction | None) -> str | None:
    """The gentler exercise to offer in place of `exercise_id`, respecting the avoided direction."""
    return safety.gentler_substitute(catalogue.exercises, exercise_id, avoid)


def todays_routine(
    routine: Routine, catalogue: Catalogue, stopped: set[str], avoid: Direction | None = None
) -> Routine:
    """The routine without the exercises set aside today; each is replaced by its gentler substitute (one
    that doesn't move the back the avoided way) when that one is not already in the routine (and not set
    aside itself)."""
    present = {item.exercise_id for item in routine.items}
    items: list[RoutineItem] = []
    for item in routine.items:
        if item.exercise_id not in stopped:
            items.append(item)
            continue
        gentler = substitute_for(catalogue, item.exercise_id, avoid)
        if gentler and gentler not in present and gentler not in stopped:
            items.append(catalogue.default_item(gentler))
            present.add(gentler)
    return Routine(routine.phase, tuple(items))


def flare_routine_today(repo: Repository, catalogue: Catalogue) -> Routine | None:
    """The flare routine (services/flare.py) while a flare lasts and it holds any exercise: what every session
    does then (the session says so). None otherwise: no flare, or none of its exercises suits the person."""
    if flare.current_flare(repo) is None:
        return None
    gentle = flare.flare_routine(repo, catalogue)
    return gentle if gentle.items else None


def routine_for_today(repo: Repository, catalogue: Catalogue, today: date) -> Routine:
    """What the next session holds: the active routine without today's set-aside exercises; during a flare,
    the flare routine (`flare_routine_today`) when it has any exercise. The nerve glide is on the affected side
    only (`on_the_affected_side`), so Today's list, its length and the reminder's length match the session."""
    avoid = avoided_direction(repo)
    routine = flare_routine_today(repo, catalogue) or active_routine(repo, catalogue)
    todays = todays_routine(routine, catalogue, stopped_today(repo, today), avoid)
    return on_the_affected_side(repo, catalogue, todays)
