"""Glue between stored data and the core maths: the reminder plan, the plan's history, the adherence history
and the safety overview of a data folder.

The Progress page, `sciatica-coach stats` and the clinician report all call `load_history` (and the page and
the report `safety_overview`), so they always agree.

The plan's history (state key ``plan_history``, see :mod:`sciatica_coach.core.plan_history`) is kept here:
every save of a routine or a reminder plan records the whole plan with `record_plan_change`, and
`load_history` measures each day against the plan in force that day, so a change never rewrites the past.
Decided: a change takes effect from the NEXT local day, so today is measured against the plan it started
with, except while the programme starts today (then today's plan is whatever was set today). Two changes
taking effect on the same day: the later wins; a save that changes nothing records nothing. Data kept before
there was a history is read once as today's plan from the programme start, and that reading is then kept."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from sciatica_coach.core.adherence import AdherenceHistory, build_history
from sciatica_coach.core.clock import Clock, SystemClock
from sciatica_coach.core.model import Outcome, Phase, Routine, SafetyEvent, SafetyEventKind, SymptomChange
from sciatica_coach.core.plan_history import (
    PLAN_HISTORY_KEY,
    REASON_FIRST_READ,
    REASON_REMINDERS,
    ChangeKind,
    PlanChange,
    PlanHistory,
    history_from_list,
    history_to_list,
    routine_record_from_dict,
)
from sciatica_coach.core.safety import session_reach_change
from sciatica_coach.core.schedule import (
    PlanError,
    ReminderPlan,
    default_plan,
    plan_from_dict,
    plan_to_dict,
)
from sciatica_coach.storage.repository import REMINDER_PLAN_KEY, DataError, Repository

log = logging.getLogger(__name__)

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
    from sciatica_coach.core.catalogue import CatalogueError, load_catalogue
    from sciatica_coach.routines import active_routine
    from sciatica_coach.storage.repository import ROUTINE_KEY

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


def load_history(repo: Repository, clock: Clock | None = None, since: date | None = None) -> AdherenceHistory:
    """The adherence numbers for everything stored (or, with `since`, for the sessions from that day on:
    enough for today's figures without reading years of history). Each day is measured against the plan in
    force that day (`plan_history`); excused (flare) days have target 0."""
    now = (clock or SystemClock()).now()
    assert now.tzinfo is not None
    history = plan_history(repo, now)
    return build_history(
        repo.sessions(since),
        tz=now.tzinfo,
        today=now.date(),
        excused=repo.excused_days(),
        target_for=history.target_for,
        plan_start=repo.plan_start(),
    )


# Events that say a session stopped: a safety-stopped session with none of these is shown as a stop of its own.
_STOP_KINDS = frozenset(
    {SafetyEventKind.PAIN_STOP, SafetyEventKind.NEW_NUMBNESS, SafetyEventKind.SESSION_STOPPED}
)


@dataclass(frozen=True)
class SafetyOverview:
    """What happened for safety between two days, for the Progress page and the clinician report.

    `events` are the moments worth showing, oldest first: every stored safety event except red-flag checks
    answered "no" to everything (those are only counted), plus a SESSION_STOPPED line for a session stopped
    for safety that has no event of its own (history from before events were kept). The leg-reach and
    after-exercise figures come from the sessions themselves, so older history counts too; an unanswered
    question is counted as unanswered, never as "same"."""

    start: date
    end: date
    events: tuple[SafetyEvent, ...]
    red_flag_checks: int  # red-flag checks answered in the period (all of them, "no" or "yes")
    reach_further: tuple[date, ...]  # sessions whose leg symptoms reached further down after than before
    reach_less: tuple[date, ...]  # ... less far down after than before (centralisation)
    answers: Mapping[SymptomChange, int]  # after-exercise answers: up, same, down
    not_answered: int  # exercises done whose after-exercise question was not answered

    @property
    def answered(self) -> int:
        return sum(self.answers.values())


def safety_overview(repo: Repository, start: date, end: date, tz: tzinfo | None = None) -> SafetyOverview:
    """The safety overview of the days `start` to `end` (inclusive), in the local time zone `tz`."""

    def day(moment: datetime) -> date:
        return moment.astimezone(tz).date() if tz is not None else moment.date()

    sessions = [s for s in repo.sessions(start - timedelta(days=1)) if start <= day(s.started_at) <= end]
    stored = [e for e in repo.safety_events(start - timedelta(days=1)) if start <= day(e.at) <= end]
    events = [e for e in stored if e.kind is not SafetyEventKind.RED_FLAG_ANSWERS or e.flags]
    covered = {e.session_id for e in stored if e.kind in _STOP_KINDS and e.session_id}
    events += [
        SafetyEvent(s.ended_at, SafetyEventKind.SESSION_STOPPED, s.reason, session_id=s.id)
        for s in sessions
        if s.outcome is Outcome.SAFETY_STOP and s.id not in covered
    ]
    events.sort(key=lambda e: e.at)
    answers: Counter[SymptomChange] = Counter()
    not_answered = 0
    for session in sessions:
        for record in session.exercises:
            if record.symptom is not None:
                answers[record.symptom] += 1
            elif not record.skipped and record.reps_done > 0:
                not_answered += 1
    changes = [(day(s.started_at), session_reach_change(s)) for s in sessions]
    return SafetyOverview(
        start=start,
        end=end,
        events=tuple(events),
        red_flag_checks=sum(1 for e in stored if e.kind is SafetyEventKind.RED_FLAG_ANSWERS),
        reach_further=tuple(d for d, change in changes if change is SymptomChange.DOWN),
        reach_less=tuple(d for d, change in changes if change is SymptomChange.UP),
        answers={change: answers[change] for change in SymptomChange},
        not_answered=not_answered,
    )
