"""The safety flow of one guided session, as a small state machine stepped by the session view.

guidance note → red-flag check → (triage) → red-stop gate → pain check before → cautions → running →
pain check after → summary. Each method takes one answer of the person's and returns `Next`: the stage to
show, the words for it, and what to keep (safety events, a session record, "new symptoms"). The rules are
those of `core.safety` and `core.red_flags`; this module only puts them in order, so the safety rules of a
session have one home and are tested without Qt (tests/core/test_session_flow.py).

What is stored (the guidance accepted, the red-flag check, a red pain stop, the cautions read, earlier sessions)
is read through `SafetyFacts`, at the moment a decision needs it; storing and showing stay with the caller
(views/session_view.py over services/safety_state.py and services/cautions.py). An answer the current stage does
not ask for changes nothing (`Next.ignored`): a second press of "Start the session" never starts a second
session, and nothing after a stop starts the exercises.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from sciatica_coach.core import red_flags, safety
from sciatica_coach.core.clock import Clock
from sciatica_coach.core.emergency import Country
from sciatica_coach.core.model import (
    Exercise,
    Outcome,
    PainReport,
    Routine,
    RoutineItem,
    SafetyEvent,
    SafetyEventKind,
    SessionRecord,
    SymptomChange,
)
from sciatica_coach.core.red_flags import Tier, TierAdvice
from sciatica_coach.core.safety import RedStopGate, RedStopState
from sciatica_coach.i18n import N_, _, ngettext

# Reasons kept in the session record (plain English for the report, like every stored detail).
HURTS_REASON = "Stopped because it hurt."
CHOICE_REASON = "Ended early by choice."
PRE_STOP_REASON = "Pain was high before starting, so no exercises were done."
HURTS_DETAIL = 'Pressed "It hurts".'

UNANSWERED_DETAIL = (
    "The question after the exercise (did leg symptoms move up, stay or spread down?) was not answered."
)
SPREAD_DETAIL = "Leg symptoms spread further down after this exercise."

REST_TODAY_TITLE = N_("Let's rest today")
RED_STOP_WAIT_TITLE = N_("Let's give your pain time to settle")
NOTHING_LEFT_TITLE = N_("Nothing left for today")
NOTHING_LEFT_TEXT = N_(
    "You've left out every exercise in today's session. That's fine. Ask your doctor or physiotherapist "
    "which exercises suit you, and change your routine in Routine."
)
REST_NOW_TITLE = N_("Please rest now")
SAVED_TITLE = N_("Session saved")
WELL_DONE_TITLE = N_("Well done")
EARLY_CLOSING = N_("Rest, and come back to it when you're ready.")
DONE_CLOSING = N_("Take a moment to rest before you get up, slowly.")


class Stage(StrEnum):
    """What the session shows now."""

    START = "start"  # nothing decided yet: `begin`
    GUIDANCE = "guidance"  # the guidance note, until it is accepted once
    RED_FLAGS = "red-flags"  # the red-flag questions, when the check is due
    TRIAGE = "triage"  # the advice for a red-flag "yes"; no exercises
    RED_STOP_WAIT = "red-stop-wait"  # too soon after a red pain stop; no exercises
    RED_STOP_CONFIRM = "red-stop-confirm"  # later that day: "has your pain settled?"
    PAIN_BEFORE = "pain-before"  # the pain check before the session
    CAUTIONS = "cautions"  # the cautions of exercises not done before
    RUNNING = "running"  # the exercises
    PAIN_AFTER = "pain-after"  # the pain check after the exercises
    STOPPED = "stopped"  # no exercises today: high pain before, or every exercise left out
    DONE = "done"  # the session is kept; the summary


PRE_SESSION = frozenset(
    {
        Stage.START, Stage.GUIDANCE, Stage.RED_FLAGS, Stage.TRIAGE, Stage.RED_STOP_WAIT,
        Stage.RED_STOP_CONFIRM, Stage.PAIN_BEFORE,
    }
)  # fmt: skip


class SafetyFacts(Protocol):
    """What the flow reads from storage, each time at the moment it decides."""

    def coaching_pause(self) -> Tier:
        """Why coaching is paused today (NONE: it is not)."""
        ...

    def guidance_accepted(self) -> bool: ...

    def red_flag_check_due(self) -> bool: ...

    def red_stop(self) -> RedStopState:
        """Whether a session may start now after a red pain stop."""
        ...

    def country(self) -> Country:
        """Whose numbers the advice names."""
        ...

    def routine_today(self, routine: Routine) -> Routine:
        """The routine without the exercises the person left out for today (it may be empty)."""
        ...

    def unseen_cautions(self, routine: Routine) -> Sequence[Exercise]:
        """The routine's exercises whose cautions the person has not read yet."""
        ...

    def last_session(self) -> SessionRecord | None: ...


@dataclass(frozen=True, slots=True)
class Next:
    """What to show after an answer, and what to keep. Words are translated; stored details are English."""

    stage: Stage
    ignored: bool = False  # the answer did not fit the stage: nothing changes, nothing is kept
    heading: str = ""  # STOPPED, DONE
    message: str = ""  # STOPPED, DONE
    urgent: bool = False  # STOPPED, DONE: the message asks for action (an amber-edged card)
    note: str = ""  # DONE: a paragraph about leg reach; RUNNING: what to say first (e.g. the dose easing)
    note_urgent: bool = False  # DONE: the leg-reach paragraph is a warning
    advice: TierAdvice | None = None  # TRIAGE
    red_stop: RedStopState | None = None  # RED_STOP_WAIT, RED_STOP_CONFIRM: the times to name
    cautions: tuple[Exercise, ...] = ()  # CAUTIONS
    routine: Routine | None = None  # RUNNING: today's routine at today's dose
    outcome: Outcome | None = None  # after the pain check after: how the session record ends
    reason: str = ""  # with `outcome`
    new_symptoms: bool = False  # new numbness or weakness: every red-flag question before the next session
    events: tuple[SafetyEvent, ...] = ()  # safety events to keep, in order
    session: SessionRecord | None = None  # a session record to keep (high pain before: a safety stop)


def answer_event(
    at: datetime, exercise_id: str, change: SymptomChange | None, session_id: str
) -> SafetyEvent | None:
    """What an after-exercise answer keeps besides the record: "further down" as SYMPTOM_SPREAD, a question
    skipped (or left waiting when the session ended) as UNANSWERED_QUESTION, never as "the same"."""
    if change is None:
        return SafetyEvent(
            at, SafetyEventKind.UNANSWERED_QUESTION, UNANSWERED_DETAIL, exercise_id, session_id
        )
    if change is SymptomChange.DOWN:
        return SafetyEvent(at, SafetyEventKind.SYMPTOM_SPREAD, SPREAD_DETAIL, exercise_id, session_id)
    return None


class SessionFlow:
    """One session's safety flow. `session_id` names the session record and its safety events."""

    def __init__(
        self, facts: SafetyFacts, clock: Clock, routine: Routine, *, dose_note: str = "",
        session_id: str | None = None,
    ) -> None:  # fmt: skip
        self.facts = facts
        self.clock = clock
        self.routine = routine  # as planned; without the exercises left out today once the pain check is in
        self.dose_note = dose_note  # said at the start when today's dose is as usual (e.g. the progression)
        self.session_id = session_id or uuid.uuid4().hex
        self.stage = Stage.START
        self.adjustment = safety.NO_ADJUSTMENT  # today's dose, once the session runs
        self.end_reason = ""  # why the session ended early (HURTS_REASON while "it hurts" stands)
        self.red_stop_confirmed = False  # "my pain has settled" after a red pain stop today
        self.pain_before_report: PainReport | None = None
        self._check_after: safety.PainCheck | None = None

    def _go(self, next_: Next) -> Next:
        self.stage = next_.stage
        return next_

    def _ignore(self) -> Next:
        return Next(self.stage, ignored=True)

    def _event(
        self, kind: SafetyEventKind, detail: str = "", exercise_id: str = "", session_id: str = ""
    ) -> SafetyEvent:
        return SafetyEvent(self.clock.now(), kind, detail, exercise_id, session_id)

    # ---- before the session ------------------------------------------------------------------------
    def begin(self) -> Next:
        """The first stage that applies: a coaching pause, the guidance note, the red-flag check (when due),
        then the red-stop gate before the pain check."""
        if self.stage not in PRE_SESSION:
            return self._ignore()
        pause = self.facts.coaching_pause()
        if pause is not Tier.NONE:
            return self._triage(pause)
        if not self.facts.guidance_accepted():
            return self._go(Next(Stage.GUIDANCE))
        if self.facts.red_flag_check_due():
            return self._go(Next(Stage.RED_FLAGS))
        return self._gate()

    def guidance_accepted(self) -> Next:
        """The note was accepted (and stored): on to what comes next."""
        return self.begin() if self.stage is Stage.GUIDANCE else self._ignore()

    def red_flags_answered(self, answers: Mapping[str, bool]) -> Next:
        """The red-flag answers (stored by the caller): any "yes" shows its tier's advice, no exercises."""
        if self.stage is not Stage.RED_FLAGS:
            return self._ignore()
        tier = red_flags.triage(answers)
        return self._gate() if tier is Tier.NONE else self._triage(tier)

    def doctor_cleared(self) -> Next:
        """A doctor has checked the "see a doctor soon" answers (stored by the caller): start again."""
        return self.begin() if self.stage is Stage.TRIAGE else self._ignore()

    def _triage(self, tier: Tier) -> Next:
        return self._go(Next(Stage.TRIAGE, advice=red_flags.advice(tier, self.facts.country())))

    def _gate(self) -> Next:
        """The pain check, unless a red pain stop today asks for a wait or a confirmation first."""
        state = self.facts.red_stop()
        if state.gate is RedStopGate.NONE or self.red_stop_confirmed:
            return self._go(Next(Stage.PAIN_BEFORE))
        if state.gate is RedStopGate.WAIT:
            return self._go(
                Next(Stage.RED_STOP_WAIT, heading=_(RED_STOP_WAIT_TITLE), red_stop=state, urgent=True)
            )
        return self._go(Next(Stage.RED_STOP_CONFIRM, red_stop=state))

    def red_stop_confirmed_now(self) -> Next:
        """ "My pain has settled and I want to try gently": the pain check, then half the repetitions."""
        if self.stage is not Stage.RED_STOP_CONFIRM:
            return self._ignore()
        self.red_stop_confirmed = True
        state = self.facts.red_stop()
        when = state.stopped_at.strftime("%H:%M") if state.stopped_at else "earlier"
        detail = (
            f"After the red pain stop at {when}, confirmed the pain had settled; "
            "session at half the repetitions."
        )
        return self._go(
            Next(Stage.PAIN_BEFORE, events=(self._event(SafetyEventKind.RED_STOP_OVERRIDE, detail),))
        )

    def pain_before(self, report: PainReport) -> Next:
        """The pain check before: red stops for today (kept as a safety-stop session); else the cautions of
        new exercises first, then the session at today's dose."""
        if self.stage is not Stage.PAIN_BEFORE:
            return self._ignore()
        check, events, new_symptoms = self._check(report)
        if check.stop_session:
            events += self._pain_stop(report, "before")
            now = self.clock.now()
            record = SessionRecord(
                id=self.session_id, started_at=now, ended_at=now, phase=self.routine.phase, exercises=(),
                outcome=Outcome.SAFETY_STOP, pain_before=report, reason=PRE_STOP_REASON,
            )  # fmt: skip
            stop = Next(
                Stage.STOPPED, heading=_(REST_TODAY_TITLE), message=check.message, urgent=True,
                events=events, new_symptoms=new_symptoms, session=record,
            )  # fmt: skip
            return self._go(stop)
        self.pain_before_report = report
        return replace(self._cautions_or_run(), events=events, new_symptoms=new_symptoms)

    def cautions_read(self) -> Next:
        """The cautions were read (and what was left out stored): on to the session, or nothing left."""
        if self.stage is not Stage.CAUTIONS:
            return self._ignore()
        return self._cautions_or_run()

    def _cautions_or_run(self) -> Next:
        self.routine = self.facts.routine_today(self.routine)
        if not self.routine.items:
            return self._go(Next(Stage.STOPPED, heading=_(NOTHING_LEFT_TITLE), message=_(NOTHING_LEFT_TEXT)))
        unseen = tuple(self.facts.unseen_cautions(self.routine))
        if unseen:
            return self._go(Next(Stage.CAUTIONS, cautions=unseen))
        adjustment = safety.next_session_adjustment(self.facts.last_session(), self.pain_before_report)
        if self.red_stop_confirmed:
            adjustment = safety.DoseAdjustment(safety.RED_STOP_REPS_FACTOR, _(safety.REASON_AFTER_RED_STOP))
        self.adjustment = adjustment
        note = adjustment.reason if adjustment.changes_anything else self.dose_note
        return self._go(
            Next(Stage.RUNNING, routine=safety.apply_adjustment(self.routine, adjustment), note=note)
        )

    def _check(self, report: PainReport) -> tuple[safety.PainCheck, tuple[SafetyEvent, ...], bool]:
        """The verdict on a pain check; new numbness or weakness brings the red-flag questions back before the
        next session and is kept as a safety event."""
        numb = report.new_numbness_or_weakness
        events = (SafetyEvent(at=self.clock.now(), kind=SafetyEventKind.NEW_NUMBNESS),) if numb else ()
        return safety.pain_check(report, self.facts.country()), events, numb

    def _pain_stop(self, report: PainReport, when: str) -> tuple[SafetyEvent, ...]:
        """A red pain stop (6+) as a safety event; new numbness is kept by `_check`."""
        if max(report.back, report.leg) <= safety.AMBER_MAX_PAIN:
            return ()
        detail = f"Pain {when} the session: back {report.back}, leg {report.leg} out of 10."
        return (self._event(SafetyEventKind.PAIN_STOP, detail, session_id=self.session_id),)

    # ---- while it runs -----------------------------------------------------------------------------
    def symptom_answered(
        self, change: SymptomChange, exercise_id: str, gentler_id: str | None
    ) -> safety.Advice:
        """The after-exercise answer: what to say, and whether the exercise is set aside for today (with the
        gentler one to offer). The answer itself is kept by the session runner (see `answer_event`)."""
        return safety.symptom_advice(change, exercise_id, gentler_id)

    def substitute(self, item: RoutineItem) -> RoutineItem:
        """The gentler exercise at this session's dose easing."""
        [dosed] = safety.apply_adjustment(Routine(self.routine.phase, (item,)), self.adjustment).items
        return dosed

    def hurts(self, exercise_id: str) -> SafetyEvent:
        """ "It hurts": kept with the exercise; ending now ends for that reason."""
        self.end_reason = HURTS_REASON
        return self._event(SafetyEventKind.IT_HURTS, HURTS_DETAIL, exercise_id, self.session_id)

    def carried_on(self) -> None:
        """Resumed from a pause: "it hurts" has eased, so it is no longer why the session would end."""
        if self.end_reason == HURTS_REASON:
            self.end_reason = ""

    @property
    def held_by_hurts(self) -> bool:
        """The session stays paused after "keep going" while "it hurts" stands (only Space resumes it)."""
        return self.end_reason == HURTS_REASON

    def end_early(self, exercise_id: str) -> SafetyEvent:
        """The person ends the session: kept as SESSION_STOPPED with the reason."""
        if not self.end_reason:
            self.end_reason = CHOICE_REASON
        return self._event(SafetyEventKind.SESSION_STOPPED, self.end_reason, exercise_id, self.session_id)

    def finished(self) -> Next:
        """The exercises are over (or ended early): the pain check after."""
        return self._go(Next(Stage.PAIN_AFTER)) if self.stage is Stage.RUNNING else self._ignore()

    # ---- after the session -------------------------------------------------------------------------
    def unchecked_end(self, ended_early: bool) -> tuple[Outcome, str]:
        """How the record ends without the pain check after (the app is closing): finished or ended early."""
        if ended_early:
            return Outcome.ENDED_EARLY, self.end_reason
        return Outcome.COMPLETED, ""

    def pain_after(self, report: PainReport, ended_early: bool) -> Next:
        """The pain check after: how the record ends (a red check after "it hurts" is a safety stop). The
        caller keeps the record, then asks for the `summary`."""
        if self.stage is not Stage.PAIN_AFTER:
            return self._ignore()
        check, events, new_symptoms = self._check(report)
        self._check_after = check
        outcome, reason = self.unchecked_end(ended_early)
        if check.stop_session and outcome is Outcome.ENDED_EARLY and self.end_reason == HURTS_REASON:
            outcome = Outcome.SAFETY_STOP
        return self._go(
            Next(Stage.DONE, outcome=outcome, reason=reason, events=events, new_symptoms=new_symptoms)
        )

    def summary(self, record: SessionRecord) -> Next:
        """What the kept session means: rest after red pain, a kind word otherwise, and how leg reach moved
        over the session (further down: kept as PERIPHERALISATION)."""
        check = self._check_after
        if self.stage is not Stage.DONE or check is None or record.pain_after is None:
            return self._ignore()
        self._check_after = None  # said once: asking again keeps nothing twice
        events = self._pain_stop(record.pain_after, "after") if check.stop_session else ()
        reach = safety.session_reach_change(record)
        if reach is SymptomChange.DOWN:
            before = record.pain_before.reach if record.pain_before is not None else ""
            detail = (
                f"Leg symptoms reached the {before} before the session and the {record.pain_after.reach} "
                "after it."
            )
            events += (self._event(SafetyEventKind.PERIPHERALISATION, detail, session_id=self.session_id),)
        done = sum(1 for e in record.exercises if e.reps_done > 0 and not e.skipped)
        count = len(record.exercises)
        if check.stop_session:
            heading, message = _(REST_NOW_TITLE), check.message
        elif record.outcome is not Outcome.COMPLETED:
            heading = _(SAVED_TITLE)
            message = (
                ngettext(
                    "You did {done} of {count} exercise. Every bit counts.",
                    "You did {done} of {count} exercises. Every bit counts.",
                    count,
                ).format(done=done, count=count)
                + " "
                + (check.message or _(EARLY_CLOSING))
            )
        else:
            heading = _(WELL_DONE_TITLE)
            message = (
                ngettext(
                    "That's the whole session: {n} exercise.",
                    "That's the whole session: {n} exercises.",
                    done,
                ).format(n=done)
                + " "
                + (check.message or _(DONE_CLOSING))
            )
        return Next(
            Stage.DONE, heading=heading, message=message, urgent=check.stop_session,
            note=safety.reach_advice(reach), note_urgent=reach is SymptomChange.DOWN, events=events,
        )  # fmt: skip
