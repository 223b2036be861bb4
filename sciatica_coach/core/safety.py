"""Safety rules for the guided session: pain zones, symptom advice and dose easing (the red-flag
questions and their triage are in `core.red_flags`, the numbers to call in `core.emergency`).

All safety wording lives here, as module constants, so it can be reviewed and translated in one place.
The words are plain, warm guidance: never a diagnosis, never alarming, never "push through the pain".

The rules follow the physio traffic-light pain model (0-3 green, 4-5 amber, above 5 or new numbness or
weakness red) and the advice to stop an exercise that sends symptoms
further down the leg (NHS, NICE NG59,
the pain monitoring model; May & Aina 2012 on centralisation).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from sciatica_coach.core.emergency import OTHER, Country, advice_words
from sciatica_coach.core.model import (
    Direction,
    Exercise,
    LegReach,
    Outcome,
    PainReport,
    Phase,
    Routine,
    SessionRecord,
    SymptomChange,
)
from sciatica_coach.core.red_flags import EMERGENCY_SIGNS
from sciatica_coach.i18n import N_, _

log = logging.getLogger(__name__)

# --- Thresholds (the pain scale is 0-10) -------------------------------------------------------------------

GREEN_MAX_PAIN = 3  # 0-3: fine to carry on
AMBER_MAX_PAIN = 5  # 4-5: ease off (halve reps next time); above 5: stop
AMBER_REPS_FACTOR = 0.5


class Zone(StrEnum):
    """The pain traffic light."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"


# --- Wording -----------------------------------------------------------------------------------------------

RED_PAIN_ADVICE = N_(
    "Your pain is quite high right now, so let's stop the exercises for today. "
    "Rest in whatever position feels most comfortable, and move around gently when you can. "
    "If the pain doesn't settle over the next day or two, or keeps getting worse, please contact your "
    "doctor or physiotherapist."
)

NEW_NUMBNESS_ADVICE = N_(
    "You've noticed new numbness or weakness, so let's stop the exercises for now. "
    "Rest in a comfortable position, and please get advice promptly: {same_day}. "
    "The safety questions will come back before your next session."
)

AMBER_PAIN_ADVICE = N_(
    "Your pain is in the middle range (4 or 5 out of 10). That's okay, but let's go gently: "
    "the next session will use half the usual repetitions, to give things a chance to settle."
)

GREEN_PAIN_ADVICE = ""

SYMPTOM_DOWN_ADVICE = N_(
    "Thank you for telling us. When symptoms spread further down the leg, it's a sign that this "
    "exercise doesn't suit you at the moment, so we'll leave it out for the rest of today. "
    "If this keeps happening, it's worth talking to your physiotherapist or doctor."
)

SYMPTOM_DOWN_GENTLER_ADVICE = N_(
    "Thank you for telling us. When symptoms spread further down the leg, it's a sign that this "
    "exercise doesn't suit you at the moment, so we'll leave it out for the rest of today and offer a "
    "gentler one instead. If this keeps happening, it's worth talking to your physiotherapist or doctor."
)

SYMPTOM_UP_ADVICE = N_(
    "That's encouraging. When leg symptoms move up towards your back during an exercise, "
    "it's generally a good sign that the exercise suits you."
)

SYMPTOM_SAME_ADVICE = ""

HURTS_ADVICE = N_(
    "Let's stop here. Ease out of the position slowly and rest in whatever way feels most comfortable. "
    "There's no need to push through pain. When you're ready, skip this exercise (→) or end for today (Esc)."
)

HURTS_CUE = N_("Stop and rest. Ease out of the position slowly.")

SEE_GP_ADVICE = N_(
    "It's a good idea to see your GP or a physiotherapist if things aren't improving after a couple of "
    "weeks of exercises, if they're getting worse, or if the exercises are very painful."
)

REASON_PAIN_NOW_AMBER = N_(
    "Your pain today is 4 or 5 out of 10, so this session uses half the usual repetitions."
)
REASON_PAIN_NOW_RED = N_("Your pain today is high, so any session today uses half the usual repetitions.")
REASON_LAST_AFTER_AMBER = N_(
    "Your pain after the last session was 4 or 5 out of 10, so this session uses half the usual repetitions."
)
REASON_LAST_AFTER_RED = N_(
    "Your pain after the last session was high, so this session uses half the usual repetitions."
)
REASON_LAST_SAFETY_STOP = N_(
    "The last session was stopped to be safe, so this session uses half the usual repetitions."
)
REASON_LAST_SPREAD_DOWN = N_(
    "Last time an exercise sent symptoms further down your leg, so this session uses half the usual "
    "repetitions."
)


# --- Types -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Advice:
    """What to tell the person after an exercise, and what the session should do about it."""

    message: str  # "" when there is nothing to say
    stop_exercise_today: bool = False  # drop this exercise from the rest of today's session
    exercise_id: str = ""
    suggested_exercise_id: str | None = None  # a gentler exercise to offer instead, if any
    encouraging: bool = False


@dataclass(frozen=True, slots=True)
class PainCheck:
    """The verdict on a pain report taken before or after a session."""

    zone: Zone
    stop_session: bool
    message: str  # "" for green


@dataclass(frozen=True, slots=True)
class DoseAdjustment:
    """Scale the repetitions of a session. factor 1.0 with an empty reason means no change."""

    factor: float
    reason: str = ""

    @property
    def changes_anything(self) -> bool:
        return self.factor < 1.0


NO_ADJUSTMENT = DoseAdjustment(1.0, "")


# --- Rules -------------------------------------------------------------------------------------------------


def pain_zone(report: PainReport) -> Zone:
    """The traffic-light zone of a report, from the worse of back and leg pain.

    GREEN 0-3, AMBER 4-5, RED above 5 or any new numbness or weakness.
    """
    worst = max(report.back, report.leg)
    if report.new_numbness_or_weakness or worst > AMBER_MAX_PAIN:
        return Zone.RED
    if worst > GREEN_MAX_PAIN:
        return Zone.AMBER
    return Zone.GREEN


def pain_check(report: PainReport, place: Country = OTHER) -> PainCheck:
    """Before or after a session: RED stops the session with advice; AMBER means a lighter next session.

    New numbness or weakness gets the same-day advice and the emergency signs, with `place`'s numbers."""
    zone = pain_zone(report)
    if zone is Zone.RED:
        if report.new_numbness_or_weakness:
            words = advice_words(place)
            message = f"{_(NEW_NUMBNESS_ADVICE).format(**words)}\n\n{_(EMERGENCY_SIGNS).format(**words)}"
        else:
            message = _(RED_PAIN_ADVICE)
        return PainCheck(zone, stop_session=True, message=message)
    if zone is Zone.AMBER:
        return PainCheck(zone, stop_session=False, message=_(AMBER_PAIN_ADVICE))
    return PainCheck(zone, stop_session=False, message=GREEN_PAIN_ADVICE)


def symptom_advice(change: SymptomChange, exercise_id: str, gentler_id: str | None) -> Advice:
    """After an exercise: DOWN (spreading further down the leg) stops it for today and offers the gentler
    one; UP (moving towards the back) is a good sign; SAME needs no comment."""
    if change is SymptomChange.DOWN:
        suggestion = gentler_id if gentler_id and gentler_id != exercise_id else None
        return Advice(
            message=_(SYMPTOM_DOWN_GENTLER_ADVICE if suggestion else SYMPTOM_DOWN_ADVICE),
            stop_exercise_today=True,
            exercise_id=exercise_id,
            suggested_exercise_id=suggestion,
        )
    if change is SymptomChange.UP:
        return Advice(message=_(SYMPTOM_UP_ADVICE), exercise_id=exercise_id, encouraging=True)
    return Advice(message=SYMPTOM_SAME_ADVICE, exercise_id=exercise_id)


REACH_ORDER: tuple[LegReach, ...] = tuple(LegReach)  # none, buttock, thigh, knee, calf, foot


def reach_change(before: LegReach | None, after: LegReach | None) -> SymptomChange | None:
    """How far down the leg symptoms reach after a session compared with before it.

    DOWN: further down after than before (peripheralisation, treated like "spread further down" after an
    exercise); UP: less far down (centralisation, a good sign); SAME: unchanged; None when either is unknown.
    Any one step along buttock, thigh, knee, calf, foot counts (cautious: no threshold).
    """
    if before is None or after is None:
        return None
    step = REACH_ORDER.index(after) - REACH_ORDER.index(before)
    if step > 0:
        return SymptomChange.DOWN
    if step < 0:
        return SymptomChange.UP
    return SymptomChange.SAME


def session_reach_change(session: SessionRecord) -> SymptomChange | None:
    """`reach_change` between a session's pain check before and after (None when either was not given)."""
    before = session.pain_before.reach if session.pain_before is not None else None
    after = session.pain_after.reach if session.pain_after is not None else None
    return reach_change(before, after)


def next_session_adjustment(
    last_session: SessionRecord | None, pain_now: PainReport | None = None
) -> DoseAdjustment:
    """How much to do in the coming session, given the most recent session and today's pain (if asked).

    Any of these halves the repetitions, and the reason says which: today's pain is amber (or red: that
    session should not start at all, see `pain_check`); the pain after the last session was amber or red;
    the last session was stopped for safety; an exercise sent symptoms further down the leg last time.
    """
    zone_now = pain_zone(pain_now) if pain_now is not None else Zone.GREEN
    if zone_now is Zone.RED:
        return DoseAdjustment(AMBER_REPS_FACTOR, _(REASON_PAIN_NOW_RED))
    if zone_now is Zone.AMBER:
        return DoseAdjustment(AMBER_REPS_FACTOR, _(REASON_PAIN_NOW_AMBER))
    if last_session is None:
        return NO_ADJUSTMENT
    if last_session.pain_after is not None:
        after = pain_zone(last_session.pain_after)
        if after is Zone.RED:
            return DoseAdjustment(AMBER_REPS_FACTOR, _(REASON_LAST_AFTER_RED))
        if after is Zone.AMBER:
            return DoseAdjustment(AMBER_REPS_FACTOR, _(REASON_LAST_AFTER_AMBER))
    if last_session.outcome is Outcome.SAFETY_STOP:
        return DoseAdjustment(AMBER_REPS_FACTOR, _(REASON_LAST_SAFETY_STOP))
    if session_reach_change(last_session) is SymptomChange.DOWN:
        return DoseAdjustment(AMBER_REPS_FACTOR, _(REASON_LAST_REACH_DOWN))
    if any(record.symptom is SymptomChange.DOWN for record in last_session.exercises):
        return DoseAdjustment(AMBER_REPS_FACTOR, _(REASON_LAST_SPREAD_DOWN))
    return NO_ADJUSTMENT


def scaled_reps(reps: int, factor: float) -> int:
    """Repetitions scaled by factor, rounded DOWN (the gentler choice), never below 1.

    Halving: 10 -> 5, 9 -> 4, 3 -> 1, 2 -> 1, 1 -> 1.
    """
    if not 0.0 < factor <= 1.0:
        raise ValueError(f"a dose factor must be in (0, 1], not {factor}")
    return max(1, int(reps * factor))


def apply_adjustment(routine: Routine, adjustment: DoseAdjustment) -> Routine:
    """The routine with every item's repetitions scaled (see `scaled_reps`). Sets, holds and rests stay."""
    if not adjustment.changes_anything:
        return routine
    items = tuple(
        replace(item, dose=item.dose.with_changes(reps=scaled_reps(item.dose.reps, adjustment.factor)))
        for item in routine.items
    )
    log.info("dose adjusted by %s: %s", adjustment.factor, adjustment.reason)  # pragma: no mutate
    return replace(routine, items=items)


# --- Leg reach over a session: peripheralisation and centralisation -----------------------------------------

PERIPHERALISATION_ADVICE = N_(
    "Your leg symptoms now reach further down your leg than before the session. That's a sign to go more "
    "gently: the next session will use half the usual repetitions. If this keeps happening, it's worth "
    "talking to your physiotherapist or doctor."
)
CENTRALISATION_NOTE = N_(
    "Your leg symptoms reach less far down your leg than before the session. That's generally a good sign "
    "that the exercises suit you."
)
REASON_LAST_REACH_DOWN = N_(
    "After the last session your leg symptoms reached further down your leg than before, so this session "
    "uses half the usual repetitions."
)


def reach_advice(change: SymptomChange | None) -> str:
    """What the summary says about leg reach over the session ("" when unchanged or unknown)."""
    if change is SymptomChange.DOWN:
        return _(PERIPHERALISATION_ADVICE)
    if change is SymptomChange.UP:
        return _(CENTRALISATION_NOTE)
    return ""


# --- The gentler exercise to offer instead --------------------------------------------------------------


def gentler_substitute(
    exercises: Mapping[str, Exercise], exercise_id: str, avoid: Direction | None
) -> str | None:
    """The exercise to offer in place of one that sent symptoms further down the leg.

    Follow the catalogue's "gentler" chain and take the first exercise that doesn't move the back the
    avoided way ("both" counts as the avoided way). If the chain holds none that suits, offer the gentlest
    exercise that does: a phase-1 exercise with nothing gentler (prone lying when flexion is avoided, the
    pelvic tilt when extension is). An exercise without a gentler one gets no substitute.
    """
    exercise = exercises.get(exercise_id)
    if exercise is None or exercise.gentler is None:
        return None
    seen = {exercise_id}
    current: str | None = exercise.gentler
    while current is not None and current in exercises and current not in seen:
        if not exercises[current].direction.includes(avoid):
            return current
        seen.add(current)
        current = exercises[current].gentler
    gentlest = (
        candidate.id
        for candidate in exercises.values()
        if candidate.phase == Phase.MOBILITY
        and candidate.gentler is None
        and candidate.id != exercise_id
        and not candidate.direction.includes(avoid)
    )
    return next(gentlest, None)


# --- After a red pain stop ----------------------------------------------------------------------------------

RED_STOP_WAIT = timedelta(hours=2)  # pain should settle before trying again (pain monitoring model)
RED_STOP_REPS_FACTOR = 0.5

RED_STOP_WAIT_TEXT = N_(
    "Earlier today your pain was high ({time}), so the exercises stopped. To give it time to settle, a "
    "new session is possible from {until}. Rest in a comfortable position meanwhile, and move gently when "
    "you can."
)
RED_STOP_CONFIRM_TEXT = N_(
    "Earlier today your pain was high ({time}), so the exercises stopped. If it has settled, you can try a "
    "gentle session now: it uses half the usual repetitions. If the pain is still high, please rest "
    "today instead."
)
RED_STOP_CONFIRM = N_("My pain has settled and I want to try gently")
RED_STOP_TODAY_WAIT = N_(
    "Your pain was high at {time}. To let it settle, the next session is possible from {until}."
)
RED_STOP_TODAY_CONFIRM = N_(
    "Your pain was high at {time}. If it has settled, you can try a gentle session: you'll be asked to "
    "confirm first, and it uses half the usual repetitions."
)
REASON_AFTER_RED_STOP = N_(
    "Your pain was high earlier today, so this session uses half the usual repetitions."
)


class RedStopGate(StrEnum):
    """Whether a session may start after a red pain stop."""

    NONE = "none"  # no red stop today: start as usual
    WAIT = "wait"  # too soon after the stop: no session until `open_at`
    CONFIRM = "confirm"  # the wait is over: start only after "my pain has settled", at half the reps


@dataclass(frozen=True, slots=True)
class RedStopState:
    gate: RedStopGate
    stopped_at: datetime | None = None
    open_at: datetime | None = None


def is_red_stop(session: SessionRecord) -> bool:
    """A session whose pain before or after was red (above 5, or new numbness or weakness)."""
    reports = (session.pain_before, session.pain_after)
    return any(report is not None and pain_zone(report) is Zone.RED for report in reports)


def last_red_stop(sessions: Iterable[SessionRecord]) -> datetime | None:
    """When the most recent red pain stop happened (the end of that session), or None."""
    return max((s.ended_at for s in sessions if is_red_stop(s)), default=None)


def red_stop_state(
    last_stop: datetime | None, now: datetime, wait: timedelta = RED_STOP_WAIT
) -> RedStopState:
    """After a red stop: no new session for `wait`; later the same day, only after a deliberate
    confirmation (and at half the repetitions). A wait that runs past midnight still holds; a stop that lies
    in the future (the clock was changed) counts as just now (cautious)."""
    if last_stop is None:
        return RedStopState(RedStopGate.NONE)
    open_at = last_stop + wait
    if now < open_at:
        return RedStopState(RedStopGate.WAIT, last_stop, open_at)
    if last_stop.date() == now.date():
        return RedStopState(RedStopGate.CONFIRM, last_stop, open_at)
    return RedStopState(RedStopGate.NONE)


# --- The guidance note shown before the first session (and again from Settings) --------------------------

GUIDANCE_NOTE_TITLE = N_("Before you begin")
GUIDANCE_NOTE = (
    N_(
        "Sciatica Coach helps you do the home exercises that are commonly given for sciatica. "
        "It offers guidance, not a diagnosis, and it can't examine you."
    ),
    N_(
        "Please check with your doctor or physiotherapist that these exercises suit you before you start, "
        "especially if you have another health condition, are pregnant, or have had back surgery."
    ),
    N_(
        "Move only to the point of comfort. A mild stretch is fine; sharp pain is not. "
        "If an exercise makes pain spread further down your leg, stop it: the app will ask you about this "
        "after each exercise."
    ),
    EMERGENCY_SIGNS,  # names the numbers: show with .format(**core.emergency.advice_words(country))
)
GUIDANCE_NOTE_ACCEPT = N_("I understand")
