"""Glue between stored data and the core maths: the adherence history and the safety overview of a data folder.

The Progress page, `sciatica-coach stats` and the clinician report all call `load_history` (and the page and
the report `safety_overview`), so they always agree. `load_history` measures each day against the plan in
force that day, from the plan's history kept by :mod:`sciatica_coach.services.plans`."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from sciatica_coach.core import maintenance
from sciatica_coach.core.adherence import AdherenceHistory, build_history
from sciatica_coach.core.clock import Clock, SystemClock
from sciatica_coach.core.model import Outcome, SafetyEvent, SafetyEventKind, SymptomChange
from sciatica_coach.core.safety import session_reach_change
from sciatica_coach.core.sitting import DayBreaks, breaks_per_day
from sciatica_coach.services.decisions import progression_history
from sciatica_coach.services.plans import plan_history
from sciatica_coach.storage.repository import Repository

log = logging.getLogger(__name__)

SITTING_CHART_WEEKS = 4  # Progress's sitting-breaks chart: this week and the three before it


def load_history(repo: Repository, clock: Clock | None = None, since: date | None = None) -> AdherenceHistory:
    """The adherence numbers for everything stored (or, with `since`, for the sessions from that day on:
    enough for today's figures without reading years of history). Each day is measured against the plan in
    force that day (`plan_history`); excused (flare) days have target 0."""
    now = (clock or SystemClock()).now()
    assert now.tzinfo is not None
    history = plan_history(repo, now)
    kept = maintenance.periods(progression_history(repo), now.tzinfo)

    def target_for(day: date) -> int:  # keeping the habit is measured by the week (keeping_the_habit)
        return 0 if any(period.covers(day) for period in kept) else history.target_for(day)

    return build_history(
        repo.sessions(since),
        tz=now.tzinfo,
        today=now.date(),
        excused=repo.excused_days(),
        target_for=target_for,
        plan_start=repo.plan_start(),
    )


@dataclass(frozen=True)
class KeepingTheHabit:
    """A maintenance period (the person chose to keep the habit with a lighter routine) and its weeks, each
    measured against the weekly target they chose, for Progress and the report."""

    period: maintenance.Period
    weeks: tuple[maintenance.MaintenanceWeek, ...]


def keeping_the_habit(repo: Repository, clock: Clock | None = None) -> list[KeepingTheHabit]:
    """Every maintenance period, oldest first, with its weeks up to today. In those days the day-by-day
    figures have no target (as on a flare day): the week is what counts."""
    now = (clock or SystemClock()).now()
    assert now.tzinfo is not None
    found = maintenance.periods(progression_history(repo), now.tzinfo)
    if not found:
        return []
    sessions = repo.sessions(found[0].start - timedelta(days=1))
    return [
        KeepingTheHabit(period, tuple(maintenance.weeks(period, sessions, now.date(), now.tzinfo)))
        for period in found
    ]


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


@dataclass(frozen=True)
class SittingBreaksOverview:
    """The answers to sitting-break cards for Progress: taken and skipped on each day from the Monday
    `weeks` - 1 weeks before this week's up to today (a day belongs to the local date of the answer)."""

    days: tuple[DayBreaks, ...]
    today: date
    ever: bool  # any answer stored at all, in any week
    on: bool  # sitting breaks are turned on in Settings

    @property
    def first(self) -> date:
        return self.days[0].day

    @property
    def taken(self) -> int:
        return sum(d.taken for d in self.days)

    @property
    def skipped(self) -> int:
        return sum(d.skipped for d in self.days)

    def this_week(self) -> tuple[int, int]:
        """(taken, skipped) from this week's Monday up to today."""
        monday = self.today - timedelta(days=self.today.weekday())
        week = [d for d in self.days if d.day >= monday]
        return sum(d.taken for d in week), sum(d.skipped for d in week)


def sitting_breaks_overview(
    repo: Repository, clock: Clock | None = None, weeks: int = SITTING_CHART_WEEKS
) -> SittingBreaksOverview:
    today = (clock or SystemClock()).now().date()
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=max(1, weeks) - 1)
    recent = repo.sitting_breaks(first)
    return SittingBreaksOverview(
        days=tuple(breaks_per_day(recent, first, today)),
        today=today,
        ever=bool(recent) or bool(repo.sitting_breaks()),
        on=bool(repo.setting("sitting_breaks_on")),
    )
