"""The person's plan as stored: their routine, their reminder times, and the plan's history.

The one place each is saved: `save_routine` (every routine change: by hand, a prescription file, an accepted
suggestion) and `save_reminder_plan` (the reminder service, the Reminders page and `sciatica-coach reminders`).
Each save also records the whole plan in the plan's history (state key ``plan_history``, see
:mod:`sciatica_coach.core.plan_history`) with `record_plan_change`, so `progress_data.load_history` can measure
each day against the plan in force that day and a change never rewrites the past.

Decided: a change takes effect from the NEXT local day, so today is measured against the plan it started
with, except while the programme starts today (then today's plan is whatever was set today). Two changes
taking effect on the same day: the later wins; a save that changes nothing records nothing. Data kept before
there was a history is read once as today's plan from the programme start, and that reading is then kept."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from sciatica_coach.core.catalogue import Catalogue, CatalogueError, load_catalogue, parse_routine_items
from sciatica_coach.core.model import Direction, Phase, Routine
from sciatica_coach.core.plan_history import (
    PLAN_HISTORY_KEY,
    REASON_BY_HAND,
    REASON_FIRST_READ,
    REASON_REMINDERS,
    ChangeKind,
    PlanChange,
    PlanHistory,
    history_from_list,
    history_to_list,
    routine_record_from_dict,
    routine_to_dict,
)
from sciatica_coach.core.schedule import PlanError, ReminderPlan, default_plan, plan_from_dict, plan_to_dict
from sciatica_coach.storage.repository import REMINDER_PLAN_KEY, ROUTINE_KEY, DataError, Repository

log = logging.getLogger(__name__)


AVOID_SETTING = "avoid_direction"


def routine_from_dict(data: Any, catalogue: Catalogue, where: str = "routine") -> Routine:
    """A stored routine; CatalogueError listing every problem when it doesn't fit the catalogue. The items
    are checked by the same code as the catalogue's own routines and prescription files."""
    if not isinstance(data, dict):
        raise CatalogueError(f"{where}: not a routine")
    phase_value = data.get("phase", 1)
    if isinstance(phase_value, bool) or phase_value not in [int(p) for p in Phase]:
        raise CatalogueError(f"{where}: unknown phase {phase_value!r}")
    routine, problems = parse_routine_items(data.get("items"), Phase(phase_value), catalogue, where)
    if routine is None:
        raise CatalogueError(problems)
    return routine


def avoided_direction(repo: Repository) -> Direction | None:
    value = repo.setting(AVOID_SETTING)
    return Direction(value) if value in (Direction.FLEXION.value, Direction.EXTENSION.value) else None


def active_routine(repo: Repository, catalogue: Catalogue) -> Routine:
    """The stored routine, or the phase-1 default (honouring a direction to avoid)."""
    stored = repo.state(ROUTINE_KEY)
    if stored is not None:
        try:
            return routine_from_dict(stored, catalogue)
        except CatalogueError as err:
            log.warning("The stored routine can't be used, so the default is shown: %s", err)
    return catalogue.default_routine(Phase.MOBILITY, avoided_direction(repo))


def save_routine(repo: Repository, routine: Routine, now: datetime | None = None, reason: str = "") -> None:
    """Store the routine; it applies from the next session (past records keep what was actually done).

    The one place a routine is saved. With `now` (every change the person makes: by hand, a prescription
    file, an accepted suggestion) the change is also recorded in the plan's history with `reason`, plain
    English (see :mod:`sciatica_coach.core.plan_history`); without it (test and demo set-up) it is only
    stored."""
    if now is not None:
        plan_history(repo, now)  # data without a history keeps the plan it was measured against
    repo.set_state(ROUTINE_KEY, routine_to_dict(routine))
    if now is not None:
        record_plan_change(repo, now, ChangeKind.ROUTINE, reason or REASON_BY_HAND)


def set_avoided_direction(repo: Repository, direction: Direction | None) -> None:
    """Remember a direction to avoid (flexion or extension), or None for no preference."""
    if direction in (Direction.NEUTRAL, Direction.BOTH):
        raise ValueError("only flexion or extension can be avoided")
    repo.set_setting(AVOID_SETTING, direction.value if direction is not None else None)


PLAN_KEY = REMINDER_PLAN_KEY


ONE_DAY = timedelta(days=1)


REMINDER_STATE_KEY = "reminder_state"  # the scheduler's fired/snoozed/paused record


def reminder_plan(repo: Repository) -> ReminderPlan:
    """The stored plan, or the default (08:00 and 19:00 daily) when none is stored or it is damaged."""
    raw = repo.state(PLAN_KEY)
    if raw is None:
        return default_plan()
    try:
        return plan_from_dict(raw)
    except PlanError as err:
        log.warning("The stored reminder plan is damaged; using the default: %s", err)
        return default_plan()


def _stored_routine(repo: Repository) -> Routine:
    """The routine as stored now (the phase default when none is stored), for the plan's history."""
    try:
        return active_routine(repo, load_catalogue())
    except CatalogueError as err:  # no catalogue to check it against: keep what is stored, as it is
        log.warning("The exercise catalogue can't be read; the routine is recorded as stored: %s", err)
        try:
            return routine_record_from_dict(repo.state(ROUTINE_KEY))
        except ValueError:
            return Routine(Phase.MOBILITY, ())


def _programme_start(repo: Repository, now: datetime) -> date:
    """The stored programme start, or the local day of the first session, or today."""
    start = repo.plan_start()
    if start is not None:
        return start
    sessions = repo.sessions()
    if not sessions:
        return now.date()
    first = sessions[0].started_at
    local = first.astimezone(now.tzinfo) if first.utcoffset() is not None else first
    return min(local.date(), now.date())


def _store_history(repo: Repository, history: PlanHistory) -> None:
    try:
        repo.set_state(PLAN_HISTORY_KEY, history_to_list(history))
    except DataError as err:  # the figures can still be shown; the next save tries again
        log.warning("The plan history could not be saved: %s", err)


def plan_history(repo: Repository, now: datetime) -> PlanHistory:
    """The plan's history, never empty. Data without one (kept before there was a history, or damaged
    beyond reading) is read as today's routine and reminder plan from the programme start (the stored start,
    or the first session's local day, or today); that reading is stored at once and kept from then on."""
    raw = repo.state(PLAN_HISTORY_KEY)
    history = history_from_list(raw)
    if history:
        return history
    if raw:
        log.warning("No entry of the stored plan history could be read; it is read again from today's plan")
    start = PlanChange(
        on=_programme_start(repo, now),
        at=now,
        kind=ChangeKind.START,
        reason=REASON_FIRST_READ,
        reminders=reminder_plan(repo),
        routine=_stored_routine(repo),
    )
    history = PlanHistory([start])
    _store_history(repo, history)
    log.info("Plan history started: the plan as stored now, from %s", start.on)
    return history


def record_plan_change(repo: Repository, now: datetime, kind: ChangeKind, reason: str) -> PlanChange | None:
    """Note that the routine or the reminder plan was just saved: the plan as stored now is in force from
    the next local day (today stays measured against the plan it started with). While the programme starts
    today or later, it is in force from the programme's first day instead, replacing the plan first known.
    A change taking effect on the same day as an earlier one replaces it; a routine in another phase than
    the plan before makes it a PHASE change. Returns the change, or None when nothing differs.

    Callers store the new plan first and, for data that may have no history yet, call `plan_history`
    before storing it (the save helpers do both), so old data keeps the plan it was measured against."""
    assert now.tzinfo is not None
    history = history_from_list(repo.state(PLAN_HISTORY_KEY))
    reminders, routine = reminder_plan(repo), _stored_routine(repo)
    today = now.date()
    if not history:
        change = PlanChange(_programme_start(repo, now), now, kind, reason, reminders, routine)
        _store_history(repo, PlanHistory([change]))
        return change
    first = history.changes[0]
    on = first.on if first.on >= today else today + ONE_DAY
    kept = [c for c in history.changes if c.on < on]
    if kept:
        before = kept[-1]
        if before.reminders == reminders and before.routine == routine:
            if len(kept) != len(history.changes):  # a change pending for `on` was undone
                _store_history(repo, PlanHistory(kept))
            return None
        if routine.phase != before.routine.phase:
            kind = ChangeKind.PHASE
    else:  # replaces the plan first known, before the programme has begun
        if len(history.changes) == 1 and first.reminders == reminders and first.routine == routine:
            return None
        kind = ChangeKind.START
    change = PlanChange(on, now, kind, reason, reminders, routine)
    _store_history(repo, PlanHistory([*kept, change]))
    log.info("Plan change (%s) in force from %s: %s", change.kind, on, reason)
    return change


def save_reminder_plan(repo: Repository, plan: ReminderPlan, now: datetime) -> None:
    """Store the reminder plan (already checked) and record the change in the plan's history. The one place
    a reminder plan is saved: the reminder service, the Reminders page and `sciatica-coach reminders`."""
    plan_history(repo, now)  # data without a history keeps the plan it was measured against
    repo.set_state(PLAN_KEY, plan_to_dict(plan))
    record_plan_change(repo, now, ChangeKind.REMINDERS, REASON_REMINDERS)
