"""A deterministic demo history, for trying the app and for screenshots (`sciatica-coach demo-data`).

Qt-free. Given a seed, the same weeks and the same "now", it always makes the same sessions, so tests and
screenshots are repeatable. The story it tells is a realistic one:

* twice-daily sessions in the reminder slots "08:00" and "19:00", with adherence that drifts from week to
  week (a keen start, busy weeks, a summer dip) and more morning than evening sessions;
* back and leg pain (reported before each session) that start high and fall over the first months, with
  day-to-day noise and small bumps;
* a flare part-way through: a few excused days with higher pain and little exercise;
* one session stopped for safety because leg symptoms spread further down, and a handful of
  "spread further down" answers after extension exercises, which is what a physiotherapist wants to see;
* some sessions ended early, and the phase moving on from gentle mobility to strengthening to ball work;
* the safety events the app keeps: weekly red-flag checks (one, late in the history, answered "yes" to night
  pain, which pauses coaching until a doctor has been seen two days later), "It hurts" presses, the spread
  and the stop above, after-exercise questions left unanswered (stored as unanswered) and early ends.

Session ids start with ``demo-`` so demo sessions can be told apart from real ones.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cache

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.model import (
    Direction,
    ExerciseRecord,
    LegReach,
    Outcome,
    PainReport,
    Phase,
    SafetyEvent,
    SafetyEventKind,
    SessionRecord,
    SymptomChange,
)
from sciatica_coach.core.safety import session_reach_change
from sciatica_coach.core.sitting import BreakOutcome, SittingBreak, movements_for

DEMO_ID_PREFIX = "demo-"
DEFAULT_SEED = 7
DEFAULT_KEENNESS = 0.86  # typical share of planned sessions done; weeks drift around it
MORNING_SLOT = "08:00"
EVENING_SLOT = "19:00"
IMPROVEMENT_DAYS = 112  # pain falls over the first 16 weeks (or the whole history, when shorter)
FLARE_DAYS = 4
START_BACK_PAIN = 6.0
START_LEG_PAIN = 6.5
SETTLED_BACK_PAIN = 2.5
SETTLED_LEG_PAIN = 2.0
FLARE_EXTRA_PAIN = 2.5

_EARLY_REASONS = (
    "Ran out of time",
    "Interrupted",
    "Felt too tired today",
    "Back felt stiff, stopped early",
)
SAFETY_REASON = "Leg symptoms spread further down, so the session was stopped"
RED_FLAG_CHECK_DAYS = 7  # the red-flag questions come back once a week
RED_FLAG_YES_SHARE = 0.8  # how far into the history the night-pain question is answered "yes" ...
RED_FLAG_YES_ID = "night-pain"  # core.red_flags: a "see a doctor soon" question
DOCTOR_SEEN_AFTER = timedelta(days=2)  # ... and a doctor has been seen and said exercise can go on
IT_HURTS_CHANCE = 0.025  # per session with an extension exercise
UNANSWERED_CHANCE = 0.02  # per session: one after-exercise question left unanswered


@dataclass(frozen=True)
class DemoHistory:
    sessions: tuple[SessionRecord, ...]
    excused_days: frozenset[date]
    plan_start: date
    flare: tuple[date, date] | None  # first and last excused day of the flare, inclusive
    safety_stop_day: date | None
    safety_events: tuple[SafetyEvent, ...] = ()  # oldest first
    sitting_breaks: tuple[SittingBreak, ...] = ()  # the answers to sitting-break cards, oldest first


def _clamp_pain(value: float) -> int:
    return max(0, min(10, round(value)))


def _reach_for(leg: int) -> LegReach:
    if leg <= 1:
        return LegReach.NONE
    if leg <= 3:
        return LegReach.BUTTOCK
    if leg <= 5:
        return LegReach.THIGH
    if leg <= 7:
        return LegReach.KNEE
    return LegReach.CALF


def _further(reach: LegReach) -> LegReach:
    order = list(LegReach)
    return order[min(len(order) - 1, order.index(reach) + 1)]


def _phase_for(day_index: int, total_days: int) -> Phase:
    if total_days < 6 * 7:
        return Phase.MOBILITY
    fraction = day_index / total_days
    if day_index < 28 or fraction < 0.3:
        return Phase.MOBILITY
    if fraction < 0.7:
        return Phase.STRENGTH
    return Phase.BALL


@dataclass(frozen=True)
class _Span:
    """The period the story covers, and its two fixed moments: the flare and the safety stop."""

    start: date
    total_days: int
    flare: tuple[date, date] | None  # first and last excused day, inclusive
    safety_day: date  # the evening session of this day is stopped for safety

    def in_flare(self, day: date) -> bool:
        return self.flare is not None and self.flare[0] <= day <= self.flare[1]


@dataclass(frozen=True)
class _Day:
    """One day of the story: what any session on it starts from."""

    day: date
    phase: Phase
    back_level: float  # the day's pain before noise, 0..10 (may go past 10 in the flare)
    leg_level: float
    in_flare: bool
    safety_day: bool


def generate_demo_history(
    weeks: int,
    now: datetime,
    *,
    tz: tzinfo | None = None,
    seed: int = DEFAULT_SEED,
    keenness: float = DEFAULT_KEENNESS,
) -> DemoHistory:
    """`weeks` weeks of history ending at `now` (sessions later than `now` are left out).

    `tz` is the person's zone (default: the zone of `now`); session times are local wall times in it.
    `keenness` (0..1) is the typical share of planned sessions done; 1.0 does nearly every session (the
    benchmark uses it for the largest realistic history)."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    now = _local_now(now, tz)
    rng = random.Random(seed)  # one stream, drawn from in a fixed order: the same seed, the same story
    span = _span(now.date(), weeks)
    keenness = min(1.0, max(0.0, keenness))
    sessions: list[SessionRecord] = []
    week_will = keenness  # how keen this week is; drifts week to week
    for day_index in range(span.total_days):
        day = span.start + timedelta(days=day_index)
        if day.weekday() == 0 or day_index == 0:
            week_will = _next_week_will(rng, day, week_will, keenness)
        sessions += _day_sessions(rng, _story_day(span, day_index), week_will, now)
    sessions, events = _safety_story(sessions, span.start, span.total_days, seed)
    return DemoHistory(
        sessions=tuple(sessions),
        excused_days=frozenset(d for d in _days(span) if span.in_flare(d)),
        plan_start=span.start,
        flare=span.flare,
        safety_stop_day=span.safety_day if any(s.outcome is Outcome.SAFETY_STOP for s in sessions) else None,
        safety_events=tuple(events),
        sitting_breaks=_sitting_breaks(now, seed),
    )


SITTING_BREAK_WEEKS = 4  # the demo has sitting breaks for its last four weeks (they were turned on then)
WORK_HOURS = (9, 17)  # the demo person's working day: cards from 09:30 on, about every 40-70 minutes
BREAK_TAKEN_CHANCE = 0.7


def _sitting_breaks(now: datetime, seed: int) -> tuple[SittingBreak, ...]:
    """Break answers on the working days of the last weeks up to `now`: a few a day, most taken. From a
    stream of their own, so the sessions' story is the same with or without them."""
    rng = random.Random(seed * 1000 + 21)
    movements = movements_for(False)
    answers: list[SittingBreak] = []
    for back in range(SITTING_BREAK_WEEKS * 7 - 1, -1, -1):
        day = now.date() - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        minute = (WORK_HOURS[0] * 60) + 30 + rng.randrange(0, 30)
        while minute < WORK_HOURS[1] * 60:
            at = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=now.tzinfo)
            if at > now:
                break
            outcome = BreakOutcome.TAKEN if rng.random() < BREAK_TAKEN_CHANCE else BreakOutcome.SKIPPED
            answers.append(SittingBreak(at, outcome, movements[len(answers) % len(movements)]))
            minute += rng.randrange(40, 71)
    return tuple(answers)


def _local_now(now: datetime, tz: tzinfo | None) -> datetime:
    """`now` as a wall time in the person's zone (`tz`, else the zone of `now`, which must have one)."""
    zone = tz or now.tzinfo
    if zone is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(zone)


def _span(today: date, weeks: int) -> _Span:
    """The days of the story: the flare a little before halfway (from three weeks), the safety stop the day
    before it (or early on, in a short history)."""
    total_days = weeks * 7
    start = today - timedelta(days=total_days - 1)
    flare: tuple[date, date] | None = None
    if weeks >= 3:
        flare_first = start + timedelta(days=max(10, int(total_days * 0.45)))
        flare = (flare_first, flare_first + timedelta(days=FLARE_DAYS - 1))
    safety_day = flare[0] - timedelta(days=1) if flare else start + timedelta(days=min(total_days - 1, 3))
    return _Span(start, total_days, flare, safety_day)


def _days(span: _Span) -> list[date]:
    return [span.start + timedelta(days=i) for i in range(span.total_days)]


def _next_week_will(rng: random.Random, day: date, week_will: float, keenness: float) -> float:
    """A new week's keenness: a random drift (down more often than up, lower in the summer holidays), pulled
    back towards the person's usual keenness."""
    drift = rng.uniform(-0.16, 0.12) * (1.0 - keenness + 0.2)
    if day.month in (7, 8) and rng.random() < 0.5:
        drift -= 0.12 * (1.0 - keenness + 0.1)  # summer holidays
    return min(1.0, max(0.35, week_will + drift + 0.4 * (keenness - week_will)))


def _story_day(span: _Span, day_index: int) -> _Day:
    day = span.start + timedelta(days=day_index)
    back_level, leg_level = _pain_levels(span, day_index)
    return _Day(
        day=day,
        phase=_phase_for(day_index, span.total_days),
        back_level=back_level,
        leg_level=leg_level,
        in_flare=span.in_flare(day),
        safety_day=day == span.safety_day,
    )


def _pain_levels(span: _Span, day_index: int) -> tuple[float, float]:
    """The day's back and leg pain before noise: quick early gains that level off, the flare's bump and how
    it fades, and slow ups and downs of the back."""
    improvement = min(1.0, day_index / min(IMPROVEMENT_DAYS, max(1, span.total_days - 8)))
    eased = 1 - (1 - improvement) ** 1.6  # quick early gains that level off
    back_level = START_BACK_PAIN + (SETTLED_BACK_PAIN - START_BACK_PAIN) * eased
    leg_level = START_LEG_PAIN + (SETTLED_LEG_PAIN - START_LEG_PAIN) * eased
    if span.flare is not None:
        since_flare = day_index - (span.flare[0] - span.start).days
        if 0 <= since_flare < FLARE_DAYS + 5:
            bump = FLARE_EXTRA_PAIN * (1.0 if since_flare < FLARE_DAYS else 0.5 ** (since_flare - 3))
            back_level += bump
            leg_level += bump
    back_level += 0.6 * math.sin(day_index / 9.0)  # slow ups and downs
    return back_level, leg_level


# The reminder slots: when each session is planned, and how many minutes around it it may start.
_SLOTS = ((MORNING_SLOT, time(8, 0), 40), (EVENING_SLOT, time(19, 0), 70))


def _slot_chance(slot: str, week_will: float, day: _Day) -> float:
    """How likely the session of `slot` is done: mornings more than evenings, weekends less, and in the flare
    only the odd gentle morning."""
    if day.in_flare:
        return 0.25 if slot == MORNING_SLOT else 0.0
    chance = week_will + 0.04 if slot == MORNING_SLOT else week_will - 0.06
    if day.day.weekday() >= 5:
        chance -= 0.06
    return chance


def _day_sessions(rng: random.Random, day: _Day, week_will: float, now: datetime) -> list[SessionRecord]:
    """The sessions done on `day` (none later than `now`); the safety day's evening session always happens."""
    sessions = []
    zone = now.tzinfo
    for slot, base, spread_min in _SLOTS:
        safety_stop = day.safety_day and slot == EVENING_SLOT
        if not safety_stop and rng.random() >= _slot_chance(slot, week_will, day):
            continue
        offset = rng.randint(-spread_min // 2, spread_min)
        started = datetime.combine(day.day, base, tzinfo=zone) + timedelta(minutes=offset)
        if started <= now:
            sessions.append(_session(rng, day, slot, started, safety_stop=safety_stop))
    return sessions


def _session(
    rng: random.Random, day: _Day, slot: str, started: datetime, *, safety_stop: bool
) -> SessionRecord:
    """One session: its pain before and after, how it ended and why, and its exercises."""
    back = _clamp_pain(day.back_level + rng.gauss(0, 0.7))
    leg = _clamp_pain(day.leg_level + rng.gauss(0, 0.8))
    if safety_stop:
        outcome = Outcome.SAFETY_STOP
    elif day.in_flare or rng.random() < 0.07:
        outcome = Outcome.ENDED_EARLY
    else:
        outcome = Outcome.COMPLETED
    exercises, minutes = _exercises(rng, day.phase, outcome, leg)
    reason = ""
    if outcome is Outcome.SAFETY_STOP:
        reason = SAFETY_REASON
    elif outcome is Outcome.ENDED_EARLY:
        reason = "Pain flared up" if day.in_flare else rng.choice(_EARLY_REASONS)
    pain_before, pain_after = _pain_reports(rng, back, leg, safety_stop=safety_stop)
    return SessionRecord(
        id=f"{DEMO_ID_PREFIX}{day.day.isoformat()}-{slot.replace(':', '')}",
        started_at=started,
        ended_at=started + timedelta(minutes=minutes),
        phase=day.phase,
        exercises=exercises,
        outcome=outcome,
        pain_before=pain_before,
        pain_after=pain_after,
        reason=reason,
        slot=slot,
    )


def _pain_reports(
    rng: random.Random, back: int, leg: int, *, safety_stop: bool
) -> tuple[PainReport | None, PainReport]:
    """The pain check before (now and then skipped, never before the safety stop) and after: a little better
    after most sessions; after the safety stop the leg is worse and the symptoms reach further down."""
    pain_before = None
    if rng.random() < 0.93 or safety_stop:
        pain_before = PainReport(back=back, leg=leg, reach=_reach_for(leg))
    after_leg = leg + (1 if safety_stop else -rng.choice((0, 1, 1)))
    after_reach = _reach_for(_clamp_pain(after_leg))
    if safety_stop:  # the symptoms that stopped it reached further down the leg than before
        after_reach = _further(pain_before.reach if pain_before else LegReach.NONE)
    pain_after = PainReport(
        back=max(0, back - rng.choice((0, 1, 1))),
        leg=_clamp_pain(after_leg),
        reach=after_reach,
    )
    return pain_before, pain_after


def _safety_story(
    sessions: list[SessionRecord], start: date, total_days: int, seed: int
) -> tuple[list[SessionRecord], list[SafetyEvent]]:
    """The safety events of the story, and the sessions adjusted to match them (none while coaching was
    paused for a doctor; a few after-exercise questions left unanswered). A separate random stream, so the
    sessions themselves stay as they were."""
    rng = random.Random(seed * 7919 + 1)
    sessions, events = _doctor_pause(sessions, start, total_days)
    out: list[SessionRecord] = []
    planned_checks = [e.at for e in events if e.kind is SafetyEventKind.RED_FLAG_ANSWERS]
    last_check: datetime | None = None
    for session in sessions:
        while planned_checks and planned_checks[0] <= session.started_at:
            last_check = planned_checks.pop(0)
        if _check_due(last_check, session):
            last_check = session.started_at - timedelta(minutes=1)
            events.append(SafetyEvent(last_check, SafetyEventKind.RED_FLAG_ANSWERS))
        adjusted, session_events = _session_events(rng, session)
        out.append(adjusted)
        events.extend(session_events)
    events.sort(key=lambda e: e.at)
    return out, events


def _doctor_pause(
    sessions: list[SessionRecord], start: date, total_days: int
) -> tuple[list[SessionRecord], list[SafetyEvent]]:
    """From four weeks of history: late on, the night-pain question answered "yes" just before a session,
    no sessions until a doctor has been seen two days later, and the doctor's all-clear."""
    if total_days < 4 * 7:
        return sessions, []
    yes_day = start + timedelta(days=int(total_days * RED_FLAG_YES_SHARE))
    first = next((s for s in sessions if s.started_at.date() >= yes_day), None)
    if first is None:
        return sessions, []
    asked = first.started_at - timedelta(minutes=1)
    cleared = datetime.combine(asked.date() + DOCTOR_SEEN_AFTER, time(10, 0), tzinfo=asked.tzinfo)
    kept = [s for s in sessions if not asked <= s.started_at < cleared]
    return kept, [
        SafetyEvent(asked, SafetyEventKind.RED_FLAG_ANSWERS, flags=(RED_FLAG_YES_ID,)),
        SafetyEvent(cleared, SafetyEventKind.DOCTOR_CLEARED, flags=(RED_FLAG_YES_ID,)),
    ]


def _check_due(last_check: datetime | None, session: SessionRecord) -> bool:
    """The red-flag questions come before the first session, then once a week."""
    return last_check is None or session.started_at - last_check >= timedelta(days=RED_FLAG_CHECK_DAYS)


def _session_events(rng: random.Random, session: SessionRecord) -> tuple[SessionRecord, list[SafetyEvent]]:
    """What one session adds to the safety record: "It hurts", spreads, an unanswered question, its end."""
    events: list[SafetyEvent] = []
    records = list(session.exercises)
    length = session.ended_at - session.started_at

    def event(kind: SafetyEventKind, index: int | None = None, detail: str = "") -> SafetyEvent:
        """At the end of the session, or part-way through for the exercise at `index`."""
        if index is None:
            return SafetyEvent(session.ended_at, kind, detail, session_id=session.id)
        moment = session.started_at + length * (index + 1) / (len(records) + 1)
        return SafetyEvent(
            moment, kind, detail, exercise_id=records[index].exercise_id, session_id=session.id
        )

    done = [i for i, r in enumerate(records) if not r.skipped]
    hurt = _maybe_it_hurts(rng, records, done)
    if hurt is not None:
        events.append(event(SafetyEventKind.IT_HURTS, hurt))
    unanswered = _maybe_unanswered(rng, records, done)
    if unanswered is not None:
        records[unanswered] = replace(records[unanswered], symptom=None)
        events.append(event(SafetyEventKind.UNANSWERED_QUESTION, unanswered))
    events += [
        event(SafetyEventKind.SYMPTOM_SPREAD, i) for i in done if records[i].symptom is SymptomChange.DOWN
    ]
    if session_reach_change(session) is SymptomChange.DOWN:
        events.append(event(SafetyEventKind.PERIPHERALISATION))
    if session.outcome is not Outcome.COMPLETED:
        events.append(event(SafetyEventKind.SESSION_STOPPED, detail=session.reason))
    return replace(session, exercises=tuple(records)), events


def _maybe_it_hurts(rng: random.Random, records: list[ExerciseRecord], done: list[int]) -> int | None:
    """Now and then "It hurts" is pressed during an extension exercise: the index of that exercise."""
    extension = [i for i in done if records[i].exercise_id in _extension_exercises()]
    if extension and rng.random() < IT_HURTS_CHANCE:
        return rng.choice(extension)
    return None


def _maybe_unanswered(rng: random.Random, records: list[ExerciseRecord], done: list[int]) -> int | None:
    """Now and then an after-exercise question (one answered "the same") is left unanswered: its index."""
    same = [i for i in done if records[i].symptom is SymptomChange.SAME]
    if same and rng.random() < UNANSWERED_CHANCE:
        return rng.choice(same)
    return None


def _routine(phase: Phase) -> tuple[tuple[str, int, int, int], ...]:
    """The catalogue's default routine of `phase` as (exercise id, reps, sets, hold seconds)."""
    items = load_catalogue().default_routine(phase).items
    return tuple((i.exercise_id, i.dose.reps, i.dose.sets, i.dose.hold_s) for i in items)


@cache
def _extension_exercises() -> frozenset[str]:
    """Exercises that arch the low back: the ones that can send symptoms down the leg in the demo story."""
    return frozenset(e.id for e in load_catalogue().exercises.values() if e.direction is Direction.EXTENSION)


def _exercises(
    rng: random.Random, phase: Phase, outcome: Outcome, leg: int
) -> tuple[tuple[ExerciseRecord, ...], int]:
    """The exercise records of one session, and its length in minutes."""
    routine = _routine(phase)
    stop_at = _exercises_done(rng, routine, outcome)
    records = []
    minutes = 2
    for index, (exercise_id, reps, sets, hold_s) in enumerate(routine):
        done = index < stop_at
        symptom: SymptomChange | None = None
        if done:
            stopped_here = outcome is Outcome.SAFETY_STOP and index == stop_at - 1
            symptom = _symptom_after(rng, exercise_id, leg, stopped_here=stopped_here)
            minutes += max(1, round(reps * sets * (hold_s + 4) / 60))
        records.append(
            ExerciseRecord(
                exercise_id=exercise_id,
                reps_done=reps if done else 0,
                reps_planned=reps,
                sets_done=sets if done else 0,
                sets_planned=sets,
                hold_s=hold_s,
                skipped=not done,
                symptom=symptom,
            )
        )
    return tuple(records), minutes


def _exercises_done(
    rng: random.Random, routine: tuple[tuple[str, int, int, int], ...], outcome: Outcome
) -> int:
    """How many of the routine's exercises were done: all, some (ended early), or up to and including the
    first extension exercise (the safety stop)."""
    if outcome is Outcome.ENDED_EARLY:
        return rng.randint(1, len(routine) - 1)
    if outcome is Outcome.SAFETY_STOP:
        return next(
            (i + 1 for i, item in enumerate(routine) if item[0] in _extension_exercises()), len(routine)
        )
    return len(routine)


def _symptom_after(rng: random.Random, exercise_id: str, leg: int, *, stopped_here: bool) -> SymptomChange:
    """The answer after an exercise: further down the leg where the safety stop came, and now and then after
    an extension exercise when leg pain is high; otherwise mostly the same, sometimes up towards the back."""
    spread = (
        exercise_id in _extension_exercises() and leg >= 4 and rng.random() < 0.04
    )  # drawn even when stopped
    if stopped_here or spread:
        return SymptomChange.DOWN
    return SymptomChange.UP if rng.random() < 0.25 else SymptomChange.SAME


def is_demo_session(record: SessionRecord) -> bool:
    return record.id.startswith(DEMO_ID_PREFIX)
