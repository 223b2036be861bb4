"""Keeping the habit once things have settled: the maintenance phase (issue 20, point 3).

Qt-free and pure. The guidance ("Frequency & progression", Maintenance and Down): once pain has stayed at 0-2
for about two weeks with nothing spreading further down the leg, offer a lighter routine, 2-3 sessions a week
of the strengthening plus one mobility exercise; back to the full plan if pain returns above 3 on two days in
a week. The person chooses each way, and the offer is worded as keeping the habit, never as stopping.

The state lives in the progression decisions (``progression_history``, stored by
:mod:`sciatica_coach.services.routines`, so it is in every backup): maintenance is on from the day after a
:attr:`ChangeKind.MAINTENANCE` decision was accepted until the day of an accepted
:attr:`ChangeKind.FULL_PLAN` or :attr:`ChangeKind.PHASE_DOWN`. The weekly target the person chose is kept in
that decision. Nothing here reads the clock or files.

Rules (constants below):

* **Offer** (:func:`offer`): not in maintenance; the routine holds at least one strengthening exercise; every
  pain report (back and leg, before and after sessions) on the last ``LOW_PAIN_DAYS`` local days is at
  ``LOW_PAIN_MAX`` or below, and the last report above it (if any) was before that window; there is a report
  on the window's first day or earlier (so the low run truly spans two weeks) and at least
  ``MIN_REPORT_DAYS`` days with a report in it; no new numbness or weakness and nothing spreading further down in the
  window; "Not now", or going back to the full routine, pauses the offer for ``DECLINE_PAUSE_DAYS`` days.
* **Way back** (:func:`way_back`): in maintenance, pain above ``BACK_PAIN_ABOVE`` on ``BACK_DAYS`` or more
  different days within the last ``BACK_WINDOW_DAYS`` days (only days since maintenance began, and since the
  last "Not now") -> offer the full routine again, never forced.
* **The lighter routine** (:func:`lighter_routine`): the current routine's strengthening exercises, at the
  doses the person has reached, plus one mobility exercise: the first other exercise of the routine (the
  routines open with their gentle warm-up), else the first of the phase-1 routine that suits the direction
  to avoid. Kept in the routine's own order and phase, so nothing about phases changes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import Final

from sciatica_coach.core.catalogue import Catalogue
from sciatica_coach.core.model import (
    Direction,
    Outcome,
    Phase,
    Routine,
    SessionRecord,
    SymptomChange,
)
from sciatica_coach.core.progression import (
    ChangeKind,
    Decision,
    Proposal,
    local_day,
    pain_reports,
    worst_pain,
)
from sciatica_coach.i18n import _, ngettext

log = logging.getLogger(__name__)

LOW_PAIN_MAX: Final = 2  # "pain has stayed at 0-2"
LOW_PAIN_DAYS: Final = 14  # "for about 2 weeks"
MIN_REPORT_DAYS: Final = 4  # days with a pain report in those two weeks: enough to speak of pain staying low
DECLINE_PAUSE_DAYS: Final = 14  # "Not now" to keeping the habit is not asked again for two weeks
BACK_PAIN_ABOVE: Final = 3  # "pain returns above 3"
BACK_DAYS: Final = 2  # "on two days"
BACK_WINDOW_DAYS: Final = 7  # "in a week"
WEEKLY_TARGETS: Final = (2, 3)  # "2-3 sessions a week": the person chooses
DEFAULT_WEEKLY_TARGET: Final = 3  # the higher one is offered first: closer to what they do now
WEEK_DAYS: Final = 7

# The phase-2/3 strengthening exercises of the guidance. The catalogue has no "strengthening" field; these
# are the exercises its phase 2/3 progression targets name (bridge, bird-dog, dead bug) and the ball work.
STRENGTHENING: Final = frozenset(
    {"bridge", "bird-dog", "dead-bug", "ball-marching", "ball-bridge", "ball-wall-squat"}
)


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of maintenance: from ``start`` (inclusive) to ``end`` (exclusive; None while it lasts)."""

    start: date
    end: date | None
    weekly_target: int

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class MaintenanceWeek:
    """One week of maintenance, counted from the period's first day: sessions done against the target."""

    start: date
    end: date  # inclusive (the period's last day when it ended within the week)
    completed: int
    target: int
    in_progress: bool  # the week holding today

    @property
    def met(self) -> bool:
        return self.completed >= self.target


# --- the state, read from the decisions ---------------------------------------------------------------------


def periods(history: Sequence[Decision], tz: tzinfo) -> list[Period]:
    """The maintenance periods, oldest first, from the accepted decisions. A period starts the day after
    keeping the habit was accepted (a routine change takes effect from the next day) and ends on the day
    the full routine, or an earlier phase, was taken back."""
    found: list[Period] = []
    current: Period | None = None
    for decision in sorted((d for d in history if d.accepted), key=lambda d: d.decided_at):
        day = local_day(decision.decided_at, tz)
        if decision.kind is ChangeKind.MAINTENANCE and current is None:
            target = decision.weekly_target or DEFAULT_WEEKLY_TARGET
            current = Period(day + timedelta(days=1), None, target)
        elif decision.kind in (ChangeKind.FULL_PLAN, ChangeKind.PHASE_DOWN) and current is not None:
            found.append(
                Period(current.start, max(current.start, day + timedelta(days=1)), current.weekly_target)
            )
            current = None
    if current is not None:
        found.append(current)
    return found


def active(history: Sequence[Decision], tz: tzinfo) -> Period | None:
    """The maintenance period going on now (accepted and not ended), or None."""
    found = periods(history, tz)
    return found[-1] if found and found[-1].end is None else None


# --- the lighter routine -------------------------------------------------------------------------------------


def lighter_routine(routine: Routine, catalogue: Catalogue, avoid: Direction | None = None) -> Routine | None:
    """The maintenance routine derived from ``routine`` (see the module docstring), or None when the routine
    holds no strengthening exercise (nothing to keep up)."""
    strength = [item for item in routine.items if item.exercise_id in STRENGTHENING]
    if not strength:
        return None
    others = [item for item in routine.items if item.exercise_id not in STRENGTHENING]
    if others:
        mobility = others[0]
    else:
        first = catalogue.default_routine(Phase.MOBILITY, avoid).items
        if not first:
            return Routine(routine.phase, tuple(strength))
        mobility = first[0]
    chosen = {mobility.exercise_id} | {item.exercise_id for item in strength}
    ordered = [item for item in routine.items if item.exercise_id in chosen]
    if mobility not in ordered:
        ordered.insert(0, mobility)
    return Routine(routine.phase, tuple(ordered))


# --- the offer -----------------------------------------------------------------------------------------------


def _last_decline(history: Sequence[Decision], kind: ChangeKind, tz: tzinfo) -> date | None:
    days = [local_day(d.decided_at, tz) for d in history if d.kind is kind and not d.accepted]
    return max(days) if days else None


def low_for_two_weeks(sessions: Sequence[SessionRecord], today: date, tz: tzinfo) -> bool:
    """Pain at 0-2 in every report of the last LOW_PAIN_DAYS days, reported over the whole span, on enough
    days, and no new numbness, weakness or spreading further down in it."""
    window_start = today - timedelta(days=LOW_PAIN_DAYS - 1)
    dated = [(local_day(s.started_at, tz), s) for s in sessions if local_day(s.started_at, tz) <= today]
    reported = [day for day, s in dated if pain_reports(s)]
    if not reported or min(reported) > window_start:
        return False  # the reports don't reach back two weeks
    window = [s for day, s in dated if day >= window_start]
    reports = [r for s in window for r in pain_reports(s)]
    if len({day for day in reported if day >= window_start}) < MIN_REPORT_DAYS:
        return False
    if any(worst_pain(r) > LOW_PAIN_MAX or r.new_numbness_or_weakness for r in reports):
        return False
    return not any(e.symptom is SymptomChange.DOWN for s in window for e in s.exercises)


def offer(
    sessions: Sequence[SessionRecord],
    routine: Routine,
    catalogue: Catalogue,
    today: date,
    history: Sequence[Decision],
    *,
    tz: tzinfo,
    avoid: Direction | None = None,
) -> Proposal | None:
    """The offer to keep the habit with a lighter routine, or None (see the module docstring)."""
    if active(history, tz) is not None:
        return None
    declined = _last_decline(history, ChangeKind.MAINTENANCE, tz)
    if declined is not None and (today - declined).days < DECLINE_PAUSE_DAYS:
        return None
    went_back = [
        local_day(d.decided_at, tz) for d in history if d.accepted and d.kind is ChangeKind.FULL_PLAN
    ]
    if went_back and (today - max(went_back)).days < DECLINE_PAUSE_DAYS:
        return None  # whoever went back to the full routine is not asked again straight away
    lighter = lighter_routine(routine, catalogue, avoid)
    if lighter is None or not low_for_two_weeks(sessions, today, tz):
        return None
    why = _("You've kept your pain low for two weeks, and your leg symptoms haven't spread further down.")
    return Proposal(
        kind=ChangeKind.MAINTENANCE,
        title=_("You've kept your pain low for two weeks. Keep the habit with a lighter routine?"),
        reason=why,
        question=_(
            "{why} Keeping your back moving and strong helps stop the pain coming back, so this isn't the "
            "end of your exercises: a lighter routine, two or three times a week, keeps the habit going. "
            "Your reminders stay as they are; on days you don't need one, it's fine to let it pass. If the "
            "pain comes back, you can return to your full routine at any time."
        ).format(why=why),
        from_phase=routine.phase,
        to_phase=routine.phase,
        new_routine=lighter,
        weekly_target=DEFAULT_WEEKLY_TARGET,
    )


# --- the way back --------------------------------------------------------------------------------------------


def high_pain_days(sessions: Sequence[SessionRecord], first: date, today: date, tz: tzinfo) -> list[date]:
    """The local days from ``first`` to ``today`` with a pain report above BACK_PAIN_ABOVE, oldest first."""
    days = {
        local_day(s.started_at, tz)
        for s in sessions
        if first <= local_day(s.started_at, tz) <= today
        and any(worst_pain(r) > BACK_PAIN_ABOVE for r in pain_reports(s))
    }
    return sorted(days)


def way_back(
    sessions: Sequence[SessionRecord],
    full_routine: Routine,
    today: date,
    history: Sequence[Decision],
    *,
    tz: tzinfo,
) -> Proposal | None:
    """In maintenance, the offer to go back to ``full_routine`` (the one in force before), or None."""
    period = active(history, tz)
    if period is None:
        return None
    first = max(period.start, today - timedelta(days=BACK_WINDOW_DAYS - 1))
    declined = _last_decline(history, ChangeKind.FULL_PLAN, tz)
    if declined is not None:
        first = max(first, declined + timedelta(days=1))
    days = high_pain_days(sessions, first, today, tz)
    if len(days) < BACK_DAYS:
        return None
    why = ngettext(
        "Your pain has been above 3 on {n} day this week.",
        "Your pain has been above 3 on {n} days this week.",
        len(days),
    ).format(n=len(days))
    return Proposal(
        kind=ChangeKind.FULL_PLAN,
        title=_("Go back to your full routine for a while?"),
        reason=why,
        question=_(
            "{why} That happens, and it doesn't undo the good work you've done. Going back to your full "
            "routine for a while often helps things settle again. Would you like to do that? If the pain is "
            "getting worse or spreading down your leg, please talk to your doctor or physiotherapist."
        ).format(why=why),
        from_phase=full_routine.phase,
        to_phase=full_routine.phase,
        new_routine=full_routine,
    )


def back_by_choice(full_routine: Routine) -> Proposal:
    """The person's own choice to go back to ``full_routine`` (from Progress), at any time."""
    why = _("You chose to go back to your full routine.")
    return Proposal(
        kind=ChangeKind.FULL_PLAN,
        title=_("Back to the full routine"),
        reason=why,
        question=why,
        from_phase=full_routine.phase,
        to_phase=full_routine.phase,
        new_routine=full_routine,
    )


# --- the weekly figures --------------------------------------------------------------------------------------


def weeks(
    period: Period, sessions: Sequence[SessionRecord], today: date, tz: tzinfo
) -> list[MaintenanceWeek]:
    """The period's weeks up to today (counted from its first day, so the first week is a whole one), each
    with the completed sessions against the weekly target, oldest first."""
    last = today if period.end is None else min(today, period.end - timedelta(days=1))
    if last < period.start:
        return []
    done: dict[date, int] = {}
    for session in sessions:
        if session.outcome is Outcome.COMPLETED:
            day = local_day(session.started_at, tz)
            done[day] = done.get(day, 0) + 1
    found = []
    start = period.start
    while start <= last:
        end = min(start + timedelta(days=WEEK_DAYS - 1), last)
        completed = sum(n for day, n in done.items() if start <= day <= end)
        in_progress = end == today and start + timedelta(days=WEEK_DAYS - 1) >= today
        found.append(MaintenanceWeek(start, end, completed, period.weekly_target, in_progress))
        start += timedelta(days=WEEK_DAYS)
    return found


def week_words(week: MaintenanceWeek) -> str:
    """The week's figure in words, e.g. "2 of 3 this week"."""
    if week.in_progress:
        return _("{done} of {n} this week").format(done=week.completed, n=week.target)
    return _("{done} of {n} that week").format(done=week.completed, n=week.target)
