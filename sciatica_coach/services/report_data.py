"""What the clinician report says, gathered before anything is drawn, and the long-format CSV beside it.

Qt-free. Every figure comes from the same snapshots the Progress page and `sciatica-coach stats` use
(:func:`sciatica_coach.services.progress_data.load_history` and ``safety_overview``); what they do not hold (pain
after sessions, leg reach, per-exercise completion, stop reasons) is read here from the same stored sessions
of the period, so the PDF, the CSV and the screen agree.

The period is the last ``weeks`` ISO weeks, ending with the current (unfinished) week. A session belongs to
the local day on which it started (core.adherence's rule)."""

from __future__ import annotations

import csv
import io
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sciatica_coach.core import maintenance
from sciatica_coach.core.adherence import (
    DEFAULT_TREND_WEEKS,
    AdherenceHistory,
    ChangeClaim,
    PainChange,
    Summary,
    WeekRow,
    change_claim,
)
from sciatica_coach.core.affected_side import AffectedSide
from sciatica_coach.core.clock import Clock, SystemClock
from sciatica_coach.core.model import (
    ExerciseRecord,
    LegReach,
    Outcome,
    Routine,
    RoutineItem,
    SafetyEvent,
    SafetyEventKind,
    SessionRecord,
    SymptomChange,
)
from sciatica_coach.core.outcomes import PSFS_MAX_ACTIVITIES, SBI_ITEMS, CheckIn
from sciatica_coach.core.plan_history import ChangeKind, PlanChange
from sciatica_coach.core.schedule import ReminderPlan
from sciatica_coach.core.sitting import DayBreaks, breaks_per_day
from sciatica_coach.i18n import ENGLISH_MONTHS
from sciatica_coach.services import flare, keeping_habit_text, outcomes
from sciatica_coach.services.affected_side import affected_side
from sciatica_coach.services.decisions import progression_history
from sciatica_coach.services.plans import plan_history
from sciatica_coach.services.progress_data import SafetyOverview, load_history, safety_overview
from sciatica_coach.storage.repository import Repository

log = logging.getLogger(__name__)

DEFAULT_REPORT_WEEKS = 12
MAX_NAME_CHARS = 80  # the optional name or identifier printed at the top
PHASE_NAMES = {1: "gentle mobility", 2: "strengthening", 3: "exercise-ball work"}
STEADY_SLOPE_PER_WEEK = 0.1  # |slope| below this (points a week) is "about steady"
REACH_ORDER = tuple(LegReach)  # none ... foot: the order matters


# ---- the pain trend in words (the rule: never "lower" while the recent trend rises) ---------------------------


def pain_trend_sentence(part: str, slope: float | None, change: PainChange | None, span: str) -> str:
    """One sentence on `part` ("Back" or "Leg") pain before sessions: the recent trend over `span` (e.g.
    "weeks 7–12 (19 Jan – 1 Mar)") and the change since the first 7 days of ratings.

    What the change since the start may be called follows `adherence.change_claim` (the rule every screen
    uses): never "lower" while the recent trend rises; both numbers are given instead."""
    if slope is None:
        trend = f"{part} pain before sessions: too few weekly ratings for a trend, computed over {span}."
    else:
        if slope >= STEADY_SLOPE_PER_WEEK:
            way = "rising"
        elif slope <= -STEADY_SLOPE_PER_WEEK:
            way = "falling"
        else:
            way = "about steady"
        trend = f"{part} pain before sessions was {way}: {slope:+.1f} points a week, computed over {span}."
    if change is None:
        return trend + " Since the start: too few ratings yet (two weeks are needed)."
    first, last = f"{change.first_mean:.1f}", f"{change.last_mean:.1f}"
    points = abs(change.change)
    rising = slope is not None and slope > 0
    claim = change_claim(change, slope)
    if claim is ChangeClaim.SAME:
        since = f" About the same as in the first 7 days of ratings ({last})."
    elif claim is ChangeClaim.LOWER:
        since = f" {points:.1f} points lower than in the first 7 days of ratings ({first} → {last})"
        since += ", a change that usually matters." if change.meaningful else "."
    elif claim is ChangeClaim.HIGHER:
        since = f" {points:.1f} points higher than in the first 7 days of ratings ({first} → {last})"
        since += ", a change worth discussing." if change.meaningful else "."
    else:  # lower than at the start but not falling lately, or higher but not rising lately
        assert slope is not None
        if abs(slope) >= STEADY_SLOPE_PER_WEEK:
            lately = "it has been rising" if rising else "it has been falling"
        else:
            lately = "it has not been falling" if rising else "it has not been rising"
        since = (
            f" Mean in the first 7 days of ratings {first}, in the last 7 days {last}; as {lately} lately, "
            "no overall change is claimed."
        )
    return trend + since


def trend_span(rows: Sequence[WeekRow], trend_weeks: int, today: date) -> str:
    """'weeks 7–12 of this report (9 Feb – 4 Mar)': which weeks a trend is computed over."""
    count = len(rows)
    first = max(0, count - trend_weeks)
    start, end = rows[first].start, min(rows[-1].end, today)
    return f"weeks {first + 1}–{count} of this report ({_day(start)} – {_day(end)})"


def _long_day(day: date) -> str:
    return f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"


def _day(day: date) -> str:
    return f"{day.day} {ENGLISH_MONTHS[day.month - 1]}"


# ---- per-exercise figures, stop reasons, plan changes ------------------------------------------------------


@dataclass(frozen=True)
class ExerciseFigures:
    """One exercise over the period: how often it was in a session and what happened."""

    exercise_id: str
    in_sessions: int  # sessions whose record lists it
    full: int  # all planned sets and repetitions done
    part: int  # some, not all
    skipped: int  # skipped, or not reached (a session ended before it)
    it_hurts: int  # "It hurts" pressed during it
    down: int  # after-exercise answer: spread further down
    same: int
    up: int
    unanswered: int  # done, question left unanswered

    @property
    def done_pct(self) -> float | None:
        return 100.0 * self.full / self.in_sessions if self.in_sessions else None


def exercise_figures(
    sessions: Iterable[SessionRecord], events: Iterable[SafetyEvent]
) -> list[ExerciseFigures]:
    """Per exercise, in the order first met (the routine's order)."""
    counts: dict[str, Counter[str]] = {}
    for session in sessions:
        for record in session.exercises:
            tally = counts.setdefault(record.exercise_id, Counter())
            tally["in"] += 1
            tally[_completion(record)] += 1
            if record.symptom is not None:
                tally[record.symptom.value] += 1
            elif not record.skipped and record.reps_done > 0:
                tally["unanswered"] += 1
    hurts = Counter(e.exercise_id for e in events if e.kind is SafetyEventKind.IT_HURTS and e.exercise_id)
    for exercise_id in hurts:
        counts.setdefault(exercise_id, Counter())
    return [
        ExerciseFigures(
            exercise_id,
            tally["in"],
            tally["full"],
            tally["part"],
            tally["skipped"],
            hurts[exercise_id],
            tally[SymptomChange.DOWN.value],
            tally[SymptomChange.SAME.value],
            tally[SymptomChange.UP.value],
            tally["unanswered"],
        )
        for exercise_id, tally in counts.items()
    ]


def _completion(record: ExerciseRecord) -> str:
    if record.skipped or (record.reps_done <= 0 and record.sets_done <= 0):
        return "skipped"
    if record.sets_done >= record.sets_planned and record.reps_done >= record.reps_planned:
        return "full"
    return "part"


@dataclass(frozen=True)
class StopReason:
    outcome: Outcome  # ENDED_EARLY or SAFETY_STOP
    reason: str
    times: int
    days: tuple[date, ...]  # oldest first


def stop_reasons(sessions: Iterable[tuple[date, SessionRecord]]) -> list[StopReason]:
    """Sessions not completed, grouped by outcome and reason: safety stops first, then the most frequent."""
    grouped: dict[tuple[Outcome, str], list[date]] = {}
    for day, session in sessions:
        if session.outcome is Outcome.COMPLETED:
            continue
        reason = session.reason.strip() or "No reason given"
        grouped.setdefault((session.outcome, reason), []).append(day)
    reasons = [StopReason(o, r, len(days), tuple(sorted(days))) for (o, r), days in grouped.items()]
    return sorted(reasons, key=lambda s: (s.outcome is not Outcome.SAFETY_STOP, -s.times, s.reason))


@dataclass(frozen=True)
class PlanChangeLine:
    """One change of the routine or the reminder plan, for the report's list."""

    on: date
    what: str
    reason: str
    is_change: bool = True  # False for the plan already in force when the period began


def plan_changes(repo: Repository, now: datetime, since: date) -> list[PlanChangeLine]:
    """The routine and reminder-plan changes in force from `since` on, oldest first, each said against the
    plan before it, with the reason kept with it (manual edit, imported prescription, accepted suggestion).
    When the period has changes and began under an earlier plan, that plan comes first (dated `since`)."""
    history = plan_history(repo, now)
    lines: list[PlanChangeLine] = []
    before: PlanChange | None = None
    for change in history.changes:
        if change.on >= since:
            if before is not None and not lines:  # the plan the period began with, for context
                lines.append(
                    PlanChangeLine(
                        since,
                        "In force when the period began: " + plan_words(before),
                        f"In force since {_long_day(before.on)}. {before.reason}",
                        is_change=False,
                    )
                )
            lines.append(PlanChangeLine(change.on, change_words(before, change), change.reason))
        before = change
    return lines


def plan_words(change: PlanChange) -> str:
    return f"{routine_text(change.routine)} Reminders: {reminders_text(change.reminders)}."


def change_words(before: PlanChange | None, change: PlanChange) -> str:
    """What changed from `before` to `change`, in a few plain words."""
    if before is None or change.kind is ChangeKind.START:
        return "Plan from the start: " + plan_words(change)
    parts = []
    if change.reminders != before.reminders:
        parts.append(f"Reminders: {reminders_text(before.reminders)} → {reminders_text(change.reminders)}")
    if change.routine.phase != before.routine.phase:
        items = routine_text(change.routine).split(": ", 1)[-1]
        name = PHASE_NAMES.get(int(change.routine.phase), "")
        parts.append(f"Phase {int(before.routine.phase)} → {int(change.routine.phase)} ({name}): {items}")
    elif change.routine != before.routine:
        parts.append(routine_diff(before.routine, change.routine))
    return " ".join(parts) or "Saved again, the same plan."


def routine_diff(old: Routine, new: Routine) -> str:
    """'Added bridge (2 × 10, hold 5 s). Removed cat and camel. Knee to chest: reps 3 → 5.'"""
    old_items = {item.exercise_id: item for item in old.items}
    new_items = {item.exercise_id: item for item in new.items}
    words = []
    added = [_item_text(_item_dict(i)) for i in new.items if i.exercise_id not in old_items]
    removed = [_exercise_title(i.exercise_id) for i in old.items if i.exercise_id not in new_items]
    if added:
        words.append("Added " + "; ".join(added) + ".")
    if removed:
        words.append("Removed " + "; ".join(removed) + ".")
    for item in new.items:
        was = old_items.get(item.exercise_id)
        if was is None or was.dose == item.dose:
            continue
        fields = [
            f"{label} {getattr(was.dose, name)} → {getattr(item.dose, name)}"
            for name, label in (("sets", "sets"), ("reps", "reps"), ("hold_s", "hold (s)"))
            if getattr(was.dose, name) != getattr(item.dose, name)
        ]
        if fields:
            words.append(f"{_exercise_title(item.exercise_id)}: {', '.join(fields)}.")
    return "Routine: " + (" ".join(words) or "the order or the rests changed.")


def reminders_text(plan: ReminderPlan) -> str:
    """A reminder plan in a few words: '08:00 and 19:00 daily (14 a week)'."""
    reminders = [r for r in plan.reminders if r.enabled]
    if not reminders:
        return "none (no sessions planned)"
    week = sum(len(r.weekdays) for r in reminders)
    times = " and ".join(sorted(f"{r.time:%H:%M}" for r in reminders))
    every = "daily" if all(len(r.weekdays) == 7 for r in reminders) else "on some days"
    return f"{times} {every} ({week} a week)"


def _item_dict(item: RoutineItem) -> dict[str, Any]:
    return {"exercise_id": item.exercise_id,
            "dose": {"reps": item.dose.reps, "sets": item.dose.sets, "hold_s": item.dose.hold_s}}  # fmt: skip


def routine_text(routine: Routine) -> str:
    """A Routine in one line: 'Phase 2 (strengthening): Bridge (2 × 10, hold 5 s); …'."""
    return routine_from_raw({"phase": int(routine.phase), "items": [_item_dict(i) for i in routine.items]})


def routine_from_raw(raw: object) -> str:
    """The stored routine in one line, read tolerantly; the default when there is none."""
    if not isinstance(raw, dict):
        return "Default phase 1 routine (gentle mobility)."
    phase = raw.get("phase")
    phase_text = (
        f"Phase {phase} ({PHASE_NAMES[phase]})"
        if isinstance(phase, int) and phase in PHASE_NAMES
        else "Routine"
    )
    items = raw.get("items")
    names: list[str] = []
    if isinstance(items, list):
        names = [_item_text(item) for item in items if isinstance(item, dict)]
        names = [name for name in names if name]
    if not names:
        return f"{phase_text}."
    return f"{phase_text}: " + "; ".join(names) + "."


def _item_text(item: dict[str, Any]) -> str:
    exercise_id = item.get("exercise_id") or item.get("exercise") or item.get("id")
    if not isinstance(exercise_id, str):
        return ""
    name = exercise_id.replace("-", " ").capitalize()
    try:
        from sciatica_coach.core.catalogue import load_catalogue

        name = load_catalogue().get(exercise_id).name
    except (KeyError, ValueError, OSError):
        pass
    nested = item.get("dose")
    dose: dict[str, Any] = nested if isinstance(nested, dict) else item
    reps, sets, hold = dose.get("reps"), dose.get("sets"), dose.get("hold_s")
    parts = []
    if isinstance(sets, int) and isinstance(reps, int):
        parts.append(f"{sets} × {reps}" if sets > 1 else f"{reps} rep" + ("" if reps == 1 else "s"))
    if isinstance(hold, int) and hold > 0:
        parts.append(f"hold {hold} s")
    return f"{name} ({', '.join(parts)})" if parts else name


def routine_at_end(repo: Repository, now: datetime) -> str:
    """The routine in force at the end of the period (today), from the plan's history."""
    return routine_text(plan_history(repo, now).routine_on(now.date()))


# ---- the week-by-week extras and the whole model ------------------------------------------------------------


@dataclass(frozen=True)
class WeekExtras:
    """What a week row of core.adherence does not hold: pain after sessions and leg reach."""

    back_after: float | None  # mean of pain_after reports
    leg_after: float | None
    reach_before: LegReach | None  # the median reach reported before sessions
    reach_after: LegReach | None


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _median_reach(values: Sequence[LegReach]) -> LegReach | None:
    if not values:
        return None
    ordered = sorted(values, key=REACH_ORDER.index)
    return ordered[(len(ordered) - 1) // 2]


@dataclass(frozen=True)
class WeekBreaks:
    """Sitting breaks in one week of the report: answers to the app's break cards, taken or skipped."""

    start: date  # the week's Monday
    taken: int
    skipped: int


def sitting_break_weeks(days: Sequence[DayBreaks], rows: Sequence[WeekRow]) -> tuple[WeekBreaks, ...]:
    """Breaks taken and skipped in each week of `rows`, from `days` (core.sitting.breaks_per_day); none at all
    when there were none in the period (the report then says nothing of them)."""
    weeks = tuple(
        WeekBreaks(
            row.start,
            sum(d.taken for d in days if row.start <= d.day <= row.end),
            sum(d.skipped for d in days if row.start <= d.day <= row.end),
        )
        for row in rows
    )
    return weeks if any(w.taken or w.skipped for w in weeks) else ()


# The report is in English for the clinician: the side as it reads in "Affected side: left".
REPORT_SIDE_WORDS = {AffectedSide.LEFT: "left", AffectedSide.RIGHT: "right", AffectedSide.BOTH: "both",
                     AffectedSide.NOT_SET: "not set"}  # fmt: skip


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, gathered before drawing."""

    made_on: date
    name: str
    rows: list[WeekRow]
    extras: list[WeekExtras]  # one per row
    summary: Summary
    routine: str  # the routine in force at the end of the period
    plan_start: date
    safety: SafetyOverview
    period_pct: float | None  # adherence over the days of the period up to today
    trend_weeks: int
    back_slope: float | None
    leg_slope: float | None
    pain_pairs: int  # sessions with pain rated both before and after
    back_after_change: float | None  # mean (after - before) over those sessions
    leg_after_change: float | None
    reach_before: dict[LegReach, int]
    reach_after: dict[LegReach, int]
    exercises: list[ExerciseFigures]
    stops: list[StopReason]
    flare_days: tuple[date, ...]
    changes: list[PlanChangeLine]
    affected_side: str = "not set"  # which leg has the sciatica, as the person said in Settings
    outcomes: tuple[
        CheckIn, ...
    ] = ()  # the SBI / PSFS / sitting and walking check-ins up to the report's day
    keeping_the_habit: tuple[str, ...] = ()  # the maintenance periods, one line each (keeping_habit_text)
    sitting_breaks: tuple[WeekBreaks, ...] = ()  # per week of the period; empty when there were none

    @property
    def period_start(self) -> date:
        return self.rows[0].start

    @property
    def done(self) -> int:
        return sum(row.completed for row in self.rows)

    @property
    def partial(self) -> int:
        return sum(row.partial for row in self.rows)

    @property
    def planned(self) -> int:
        return sum(row.target for row in self.rows)

    @property
    def span(self) -> str:
        return trend_span(self.rows, self.trend_weeks, self.made_on)

    def trend_sentences(self) -> list[str]:
        return [
            pain_trend_sentence("Leg", self.leg_slope, self.summary.leg_change, self.span),
            pain_trend_sentence("Back", self.back_slope, self.summary.back_change, self.span),
        ]

    @property
    def red_flag_yes(self) -> list[SafetyEvent]:
        return [e for e in self.safety.events if e.kind in (SafetyEventKind.RED_FLAG_ANSWERS,
                                                            SafetyEventKind.DOCTOR_CLEARED)]  # fmt: skip

    def count(self, kind: SafetyEventKind) -> int:
        return sum(1 for e in self.safety.events if e.kind is kind)


def clean_name(name: str) -> str:
    """The name or identifier as printed: one line, at most MAX_NAME_CHARS characters."""
    return " ".join(name.split())[:MAX_NAME_CHARS]


def period_sessions(
    repo: Repository, history: AdherenceHistory, start: date, end: date, tz: Any
) -> list[tuple[date, SessionRecord]]:
    """The stored sessions whose local start day is from `start` to `end`, oldest first, with that day."""
    out = []
    for session in repo.sessions(start - timedelta(days=1)):
        moment = session.started_at
        local = moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)
        if start <= local.date() <= end:
            out.append((local.date(), session))
    return sorted(out, key=lambda pair: pair[1].started_at)


def gather(
    repo: Repository, clock: Clock | None = None, weeks: int = DEFAULT_REPORT_WEEKS, name: str = ""
) -> ReportData:
    clock = clock or SystemClock()
    now = clock.now()
    history: AdherenceHistory = load_history(repo, clock)
    rows = history.weekly_table(max(1, weeks))
    start, today = rows[0].start, history.today
    tz = now.tzinfo
    sessions = period_sessions(repo, history, start, today, tz)
    safety = safety_overview(repo, start, today, tz)
    trend_weeks = min(DEFAULT_TREND_WEEKS, len(rows))
    trend = history.pain_trend(trend_weeks)

    by_week: dict[date, list[SessionRecord]] = {}
    for day, session in sessions:
        by_week.setdefault(day - timedelta(days=day.weekday()), []).append(session)
    extras = []
    for row in rows:
        week = by_week.get(row.start, [])
        after = [s.pain_after for s in week if s.pain_after is not None]
        before = [s.pain_before for s in week if s.pain_before is not None]
        extras.append(
            WeekExtras(
                back_after=_mean([p.back for p in after]),
                leg_after=_mean([p.leg for p in after]),
                reach_before=_median_reach([p.reach for p in before]),
                reach_after=_median_reach([p.reach for p in after]),
            )
        )
    pairs = [(s.pain_before, s.pain_after) for _, s in sessions if s.pain_before and s.pain_after]
    reach_before = Counter(s.pain_before.reach for _, s in sessions if s.pain_before)
    reach_after = Counter(s.pain_after.reach for _, s in sessions if s.pain_after)
    events = [
        e
        for e in repo.safety_events(start - timedelta(days=1))
        if start <= e.at.astimezone(tz).date() <= today
    ]
    break_days = breaks_per_day(repo.sitting_breaks(start), start, today)
    return ReportData(
        made_on=today,
        name=clean_name(name),
        rows=rows,
        extras=extras,
        summary=history.summary(),
        routine=routine_at_end(repo, now),
        plan_start=history.plan_start,
        safety=safety,
        period_pct=history.rolling_adherence_pct((today - start).days + 1),
        trend_weeks=trend_weeks,
        back_slope=trend.back_slope_per_week,
        leg_slope=trend.leg_slope_per_week,
        pain_pairs=len(pairs),
        back_after_change=_mean([a.back - b.back for b, a in pairs]),
        leg_after_change=_mean([a.leg - b.leg for b, a in pairs]),
        reach_before={reach: reach_before[reach] for reach in REACH_ORDER},
        reach_after={reach: reach_after[reach] for reach in REACH_ORDER},
        exercises=exercise_figures((s for _, s in sessions), events),
        stops=stop_reasons(sessions),
        flare_days=tuple(sorted(d for d in flare.flare_days_so_far(repo, today) if start <= d <= today)),
        changes=plan_changes(repo, now, start),
        affected_side=REPORT_SIDE_WORDS[affected_side(repo)],
        outcomes=tuple(c for c in outcomes.load(repo).checkins if c.day <= today),
        keeping_the_habit=keeping_habit_text.report_lines(repo, clock),
        sitting_breaks=sitting_break_weeks(break_days, rows),
    )


def day_ranges(days: Sequence[date]) -> list[tuple[date, date]]:
    """Consecutive days joined: [(first, last), ...]."""
    ranges: list[tuple[date, date]] = []
    for day in sorted(days):
        if ranges and day == ranges[-1][1] + timedelta(days=1):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


# ---- the long-format CSV: one row per exercise per session ---------------------------------------------------

LONG_CSV_COLUMNS = (
    "session_id", "date", "start_local", "slot", "phase", "outcome", "stop_reason", "exercise_id",
    "exercise_name", "reps_done", "reps_planned", "sets_done", "sets_planned", "skipped", "symptom_answer",
    "pain_before_back", "pain_before_leg", "pain_after_back", "pain_after_leg", "leg_reach_before",
    "leg_reach_after", "day_target", "flare_day", "maintenance_day", "weekly_aim", "record", "sbi_total",
    "sbi_leg_pain", "sbi_numbness_tingling", "sbi_weakness", "sbi_sitting_pain", "psfs_average",
    "psfs_activity_1", "psfs_rating_1", "psfs_activity_2", "psfs_rating_2", "psfs_activity_3", "psfs_rating_3",
    "sitting_min", "walking_min", "breaks_taken", "breaks_skipped",
)  # fmt: skip
SESSION_COLUMNS = LONG_CSV_COLUMNS.index("maintenance_day")  # the session cells, then the added columns
CHECKIN_CELLS = LONG_CSV_COLUMNS.index("walking_min") + 1 - LONG_CSV_COLUMNS.index("sbi_total")
BREAK_CELLS = len(LONG_CSV_COLUMNS) - LONG_CSV_COLUMNS.index("breaks_taken")


def long_csv(repo: Repository, clock: Clock | None = None, weeks: int = DEFAULT_REPORT_WEEKS) -> str:
    """The sessions of the report's period in long format: one row per exercise per session (a session with
    no exercise records, e.g. stopped at the pain check, gets one row with the exercise cells empty), so
    counting distinct session ids per date gives the same figures as the report and `stats`.

    `date` is the local day the session started on; `day_target` the sessions planned that day (0 on a flare
    day or before the programme); `symptom_answer` is up, same, down or "unanswered" (done, not answered),
    empty when the exercise was skipped. Text cells are made safe for spreadsheets and terminals
    (:func:`sciatica_coach.storage.exchange.spreadsheet_cell`).

    One file, one header, so it opens as one sheet: `record` says what a row is. "session" rows come first,
    as above; then one "check-in" row per outcome check-in up to today, oldest first (all of them, as the PDF's
    changes are "since the first answer"), with the SBI total and its four items (0-6 each, in the order of
    core.outcomes.SBI_ITEMS), the PSFS average and up to three activities with their ratings, and the sitting
    and walking minutes; a measure not answered that day is empty. A check-in row has no session cells and
    no day_target. `maintenance_day` is "yes" on a day of keeping the habit (a lighter routine, measured by
    the week: day_target is 0 and `weekly_aim` holds the sessions a week the person chose), on either kind of
    row. Last, one "sitting-breaks" row per day of the period on which the person answered a sitting-break
    card, with `breaks_taken` and `breaks_skipped` (empty on the other kinds of row). The added columns come
    after the old ones, so their places are unchanged."""
    from sciatica_coach.storage.exchange import spreadsheet_row

    clock = clock or SystemClock()
    now = clock.now()
    history = load_history(repo, clock)
    rows = history.weekly_table(max(1, weeks))
    assert now.tzinfo is not None
    kept = maintenance.periods(progression_history(repo), now.tzinfo)

    def habit(day: date) -> list[Any]:  # maintenance_day, weekly_aim
        period = next((p for p in kept if p.covers(day)), None)
        return ["no", ""] if period is None else ["yes", period.weekly_target]

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LONG_CSV_COLUMNS)
    for day, s in period_sessions(repo, history, rows[0].start, history.today, now.tzinfo):
        cell = history.cell(day)
        local = s.started_at.astimezone(now.tzinfo) if s.started_at.tzinfo else s.started_at
        before, after = s.pain_before, s.pain_after
        common = [s.id, day.isoformat(), f"{local:%H:%M}", s.slot, int(s.phase), s.outcome.value, s.reason]
        pain = [
            "" if before is None else before.back, "" if before is None else before.leg,
            "" if after is None else after.back, "" if after is None else after.leg,
            "" if before is None else before.reach.value, "" if after is None else after.reach.value,
            cell.target, "yes" if cell.excused else "no", *habit(day), "session", *[""] * CHECKIN_CELLS,
            *[""] * BREAK_CELLS,
        ]  # fmt: skip
        if not s.exercises:
            writer.writerow(spreadsheet_row([*common, *[""] * 8, *pain]))
        for e in s.exercises:
            answer = e.symptom.value if e.symptom else ("" if _completion(e) == "skipped" else "unanswered")
            writer.writerow(
                spreadsheet_row([*common, e.exercise_id, _exercise_title(e.exercise_id), e.reps_done,
                 e.reps_planned, e.sets_done, e.sets_planned, "yes" if e.skipped else "no", answer, *pain])
            )  # fmt: skip
    for checkin in outcomes.load(repo).checkins:
        if checkin.day <= history.today:
            flare_day = "yes" if history.cell(checkin.day).excused else "no"
            day_cells = ["", checkin.day.isoformat(), *[""] * (SESSION_COLUMNS - 3), flare_day]
            writer.writerow(
                spreadsheet_row(
                    [
                        *day_cells,
                        *habit(checkin.day),
                        "check-in",
                        *checkin_cells(checkin),
                        *[""] * BREAK_CELLS,
                    ]
                )
            )
    for breaks in breaks_per_day(repo.sitting_breaks(rows[0].start), rows[0].start, history.today):
        if breaks.taken or breaks.skipped:
            flare_day = "yes" if history.cell(breaks.day).excused else "no"
            day_cells = ["", breaks.day.isoformat(), *[""] * (SESSION_COLUMNS - 3), flare_day]
            writer.writerow(
                spreadsheet_row([*day_cells, *habit(breaks.day), "sitting-breaks", *[""] * CHECKIN_CELLS,
                                 breaks.taken, breaks.skipped])
            )  # fmt: skip
    return out.getvalue()


def checkin_cells(checkin: CheckIn) -> list[Any]:
    """A check-in's cells in the long CSV, from `sbi_total` on (empty where not answered that day)."""
    sbi = list(checkin.sbi) if checkin.sbi is not None else [""] * len(SBI_ITEMS)
    activities: list[Any] = []
    for activity in list(checkin.psfs or ())[:PSFS_MAX_ACTIVITIES]:
        activities += [activity.name, activity.rating]
    activities += [""] * (2 * PSFS_MAX_ACTIVITIES - len(activities))
    average = checkin.psfs_average
    return [
        "" if checkin.sbi_total is None else checkin.sbi_total, *sbi,
        "" if average is None else round(average, 2), *activities,
        "" if checkin.sitting_min is None else checkin.sitting_min,
        "" if checkin.walking_min is None else checkin.walking_min,
    ]  # fmt: skip


def _exercise_title(exercise_id: str) -> str:
    try:
        from sciatica_coach.core.catalogue import load_catalogue

        return load_catalogue().get(exercise_id).name
    except (KeyError, ValueError, OSError):
        return exercise_id.replace("-", " ").capitalize()
