"""The session's safety flow without Qt (core/session_flow.py): guidance → red flags → red-stop gate → pain
check → cautions → running → pain check after → summary, each branch, and what each step keeps. Storage is a
fake (`Facts`) that changes as the app's storage would after each answer."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciatica_coach.core import red_flags, safety
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.clock import ManualClock
from sciatica_coach.core.emergency import Country, country
from sciatica_coach.core.model import (
    Dose,
    Exercise,
    ExerciseRecord,
    LegReach,
    Outcome,
    PainReport,
    Phase,
    Routine,
    RoutineItem,
    SafetyEventKind,
    SessionRecord,
    SideMode,
    SymptomChange,
)
from sciatica_coach.core.red_flags import Tier
from sciatica_coach.core.safety import RedStopGate, RedStopState
from sciatica_coach.core.session_flow import (
    CHOICE_REASON,
    EARLY_CLOSING,
    HURTS_REASON,
    NOTHING_LEFT_TEXT,
    PRE_STOP_REASON,
    SPREAD_DETAIL,
    UNANSWERED_DETAIL,
    SessionFlow,
    Stage,
    answer_event,
)
from sciatica_coach.i18n import _

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=ZoneInfo("Europe/London"))
UK = country("GB")
ROUTINE = Routine(
    Phase.MOBILITY,
    (
        RoutineItem("prone-on-elbows", Dose(2, 10, 1, 1, 0), SideMode.BOTH),
        RoutineItem("knee-to-chest", Dose(2, 6, 1, 1, 0), SideMode.LEFT_THEN_RIGHT),
    ),
)
GREEN = PainReport(back=2, leg=3, reach=LegReach.THIGH)
AMBER = PainReport(back=1, leg=5, reach=LegReach.THIGH)
RED = PainReport(back=0, leg=6)
NUMB = PainReport(back=5, leg=1, new_numbness_or_weakness=True)  # 5: no PAIN_STOP, numbness alone
FLAG_OF_TIER = {Tier.EMERGENCY: "bladder", Tier.URGENT: "foot-drop", Tier.SEE_DOCTOR_SOON: "cancer"}


@dataclass
class Facts:
    """Stored safety state as the flow reads it; the tests change it as the app's storage would."""

    pause: Tier = Tier.NONE
    accepted: bool = True
    check_due: bool = False
    stop: RedStopState = field(default_factory=lambda: RedStopState(RedStopGate.NONE))
    place: Country = UK
    left_out: frozenset[str] = frozenset()
    unseen: tuple[Exercise, ...] = ()
    last: SessionRecord | None = None

    def coaching_pause(self) -> Tier:
        return self.pause

    def guidance_accepted(self) -> bool:
        return self.accepted

    def red_flag_check_due(self) -> bool:
        return self.check_due

    def red_stop(self) -> RedStopState:
        return self.stop

    def country(self) -> Country:
        return self.place

    def routine_today(self, routine: Routine) -> Routine:
        return replace(routine, items=tuple(i for i in routine.items if i.exercise_id not in self.left_out))

    def unseen_cautions(self, routine: Routine) -> tuple[Exercise, ...]:
        return self.unseen

    def last_session(self) -> SessionRecord | None:
        return self.last


def flow_with(facts: Facts, routine: Routine = ROUTINE, note: str = "") -> SessionFlow:
    return SessionFlow(facts, ManualClock(NOW), routine, dose_note=note, session_id="s1")


def running(facts: Facts | None = None, report: PainReport = GREEN) -> SessionFlow:
    flow = flow_with(facts or Facts())
    assert flow.begin().stage is Stage.PAIN_BEFORE
    assert flow.pain_before(report).stage is Stage.RUNNING
    return flow


def record_of(flow: SessionFlow, outcome: Outcome, after: PainReport, done: int = 2) -> SessionRecord:
    exercises = tuple(
        ExerciseRecord(item.exercise_id, 2 if n < done else 0, 2, 1, 1, 2, skipped=n >= done)
        for n, item in enumerate(ROUTINE.items)
    )
    return SessionRecord(
        id=flow.session_id, started_at=NOW, ended_at=NOW + timedelta(minutes=5), phase=Phase.MOBILITY,
        exercises=exercises, outcome=outcome, pain_before=flow.pain_before_report, pain_after=after,
    )  # fmt: skip


# --- before the session ----------------------------------------------------------------------------------


def test_first_run_shows_the_guidance_note_then_the_red_flag_questions() -> None:
    facts = Facts(accepted=False, check_due=True)
    flow = flow_with(facts)
    assert flow.begin().stage is Stage.GUIDANCE
    assert flow.red_flags_answered({}).ignored  # not asked yet
    facts.accepted = True
    assert flow.guidance_accepted().stage is Stage.RED_FLAGS
    assert flow.pain_before(GREEN).ignored  # the questions come first on a due day
    facts.check_due = False
    assert flow.red_flags_answered({"bladder": False}).stage is Stage.PAIN_BEFORE


def test_no_due_check_goes_straight_to_the_pain_check() -> None:
    next_ = flow_with(Facts()).begin()
    assert next_.stage is Stage.PAIN_BEFORE and not next_.events and next_.session is None


@pytest.mark.parametrize("tier", [Tier.EMERGENCY, Tier.URGENT, Tier.SEE_DOCTOR_SOON])
def test_a_red_flag_yes_shows_its_tiers_advice_with_the_countrys_numbers(tier: Tier) -> None:
    flow = flow_with(Facts(check_due=True))
    flow.begin()
    next_ = flow.red_flags_answered({FLAG_OF_TIER[tier]: True, "cancer": tier is Tier.SEE_DOCTOR_SOON})
    assert next_.stage is Stage.TRIAGE
    assert next_.advice == red_flags.advice(tier, UK) and "999" in next_.advice.body + next_.advice.number
    assert flow.pain_before(GREEN).ignored and flow.stage is Stage.TRIAGE


def test_an_unknown_question_answered_yes_counts_as_an_emergency() -> None:
    flow = flow_with(Facts(check_due=True))
    flow.begin()
    next_ = flow.red_flags_answered({"from-a-newer-version": True})
    assert next_.advice is not None and next_.advice.tier is Tier.EMERGENCY


@pytest.mark.parametrize("tier", [Tier.EMERGENCY, Tier.URGENT, Tier.SEE_DOCTOR_SOON])
def test_a_coaching_pause_shows_the_advice_again_instead_of_a_session(tier: Tier) -> None:
    next_ = flow_with(Facts(pause=tier, accepted=False, check_due=True)).begin()
    assert next_.stage is Stage.TRIAGE and next_.advice is not None and next_.advice.tier is tier


def test_doctor_cleared_starts_again_from_the_top() -> None:
    facts = Facts(pause=Tier.SEE_DOCTOR_SOON)
    flow = flow_with(facts)
    assert flow.begin().stage is Stage.TRIAGE
    facts.pause = Tier.NONE  # the caller stored the clearance
    assert flow.doctor_cleared().stage is Stage.PAIN_BEFORE
    assert flow.doctor_cleared().ignored  # only from the advice page


def test_red_stop_wait_shows_the_times_and_no_exercises() -> None:
    stop = RedStopState(RedStopGate.WAIT, NOW - timedelta(hours=1), NOW + timedelta(hours=1))
    flow = flow_with(Facts(stop=stop))
    next_ = flow.begin()
    assert next_.stage is Stage.RED_STOP_WAIT and next_.red_stop == stop and next_.urgent
    assert next_.heading == _("Let's give your pain time to settle")
    assert flow.pain_before(GREEN).ignored and flow.red_stop_confirmed_now().ignored


def test_red_stop_wait_also_follows_the_red_flag_check() -> None:
    stop = RedStopState(RedStopGate.WAIT, NOW - timedelta(hours=1), NOW + timedelta(hours=1))
    flow = flow_with(Facts(check_due=True, stop=stop))
    flow.begin()
    assert flow.red_flags_answered({}).stage is Stage.RED_STOP_WAIT


def test_red_stop_confirmed_runs_at_half_the_repetitions_and_is_kept() -> None:
    stop = RedStopState(RedStopGate.CONFIRM, NOW.replace(hour=10, minute=15), NOW.replace(hour=12, minute=15))
    flow = flow_with(Facts(stop=stop))
    assert flow.begin().stage is Stage.RED_STOP_CONFIRM
    confirmed = flow.red_stop_confirmed_now()
    assert confirmed.stage is Stage.PAIN_BEFORE
    [event] = confirmed.events
    assert event.kind is SafetyEventKind.RED_STOP_OVERRIDE and event.at == NOW and event.session_id == ""
    assert "at 10:15" in event.detail
    started = flow.pain_before(GREEN)
    assert started.stage is Stage.RUNNING and started.note == _(safety.REASON_AFTER_RED_STOP)
    assert started.routine is not None and [i.dose.reps for i in started.routine.items] == [5, 3]


def test_red_stop_confirmed_then_red_pain_stops_again() -> None:
    stop = RedStopState(RedStopGate.CONFIRM, NOW - timedelta(hours=3), NOW - timedelta(hours=1))
    flow = flow_with(Facts(stop=stop))
    flow.begin()
    flow.red_stop_confirmed_now()
    assert flow.pain_before(RED).stage is Stage.STOPPED


def test_red_pain_before_stops_for_today_kept_as_a_safety_stop() -> None:
    flow = flow_with(Facts())
    flow.begin()
    next_ = flow.pain_before(RED)
    assert next_.stage is Stage.STOPPED and next_.urgent
    assert next_.heading == _("Let's rest today") and next_.message == _(safety.RED_PAIN_ADVICE)
    [event] = next_.events
    assert event.kind is SafetyEventKind.PAIN_STOP and event.session_id == "s1"
    assert event.detail == "Pain before the session: back 0, leg 6 out of 10."
    assert next_.session == SessionRecord(
        id="s1", started_at=NOW, ended_at=NOW, phase=Phase.MOBILITY, exercises=(),
        outcome=Outcome.SAFETY_STOP, pain_before=RED, reason=PRE_STOP_REASON,
    )  # fmt: skip
    assert not next_.new_symptoms
    for again in (flow.pain_before(GREEN), flow.begin(), flow.cautions_read(), flow.finished()):
        assert again.ignored and flow.stage is Stage.STOPPED


def test_pain_of_five_still_runs_at_half_the_repetitions() -> None:
    flow = running(report=AMBER)
    assert flow.adjustment == safety.DoseAdjustment(0.5, _(safety.REASON_PAIN_NOW_AMBER))


def test_new_numbness_stops_brings_the_questions_back_and_is_kept() -> None:
    flow = flow_with(Facts())
    flow.begin()
    next_ = flow.pain_before(NUMB)
    assert next_.stage is Stage.STOPPED and next_.new_symptoms
    assert [e.kind for e in next_.events] == [SafetyEventKind.NEW_NUMBNESS]  # low numbers: no PAIN_STOP
    assert next_.events[0].session_id == "" and "999" in next_.message
    assert next_.session is not None and next_.session.outcome is Outcome.SAFETY_STOP


def test_the_usual_dose_says_the_note_it_was_given() -> None:
    flow = flow_with(Facts(), note="Well done: the holds are a little longer now.")
    flow.begin()
    next_ = flow.pain_before(GREEN)
    assert next_.note == "Well done: the holds are a little longer now." and next_.routine == ROUTINE
    assert flow.pain_before(GREEN).ignored  # a second press never starts a second session


def test_last_session_stopped_for_safety_halves_this_one() -> None:
    last = SessionRecord("old", NOW, NOW, Phase.MOBILITY, (), Outcome.SAFETY_STOP, pain_before=RED)
    flow = flow_with(Facts(last=last))
    flow.begin()
    started = flow.pain_before(GREEN)
    assert started.note == _(safety.REASON_LAST_SAFETY_STOP)
    assert started.routine is not None and started.routine.items[0].dose.reps == 5


def test_cautions_come_first_then_the_session() -> None:
    knee = load_catalogue().get("knee-to-chest")
    facts = Facts(unseen=(knee,))
    flow = flow_with(facts)
    flow.begin()
    shown = flow.pain_before(GREEN)
    assert shown.stage is Stage.CAUTIONS and shown.cautions == (knee,)
    facts.unseen, facts.left_out = (), frozenset({"knee-to-chest"})  # read; left out for today
    started = flow.cautions_read()
    assert started.stage is Stage.RUNNING and started.routine is not None
    assert [i.exercise_id for i in started.routine.items] == ["prone-on-elbows"]


def test_every_exercise_left_out_leaves_nothing_for_today() -> None:
    flow = flow_with(Facts(left_out=frozenset(i.exercise_id for i in ROUTINE.items)))
    flow.begin()
    next_ = flow.pain_before(GREEN)
    assert next_.stage is Stage.STOPPED and next_.message == _(NOTHING_LEFT_TEXT) and not next_.urgent
    assert next_.session is None and not next_.events


# --- while it runs ---------------------------------------------------------------------------------------


def test_symptoms_spreading_set_the_exercise_aside_and_offer_the_gentler_one_at_todays_dose() -> None:
    flow = running(report=AMBER)
    advice = flow.symptom_answered(SymptomChange.DOWN, "prone-on-elbows", "prone-lying")
    assert advice.stop_exercise_today and advice.suggested_exercise_id == "prone-lying"
    gentler = RoutineItem("prone-lying", Dose(30, 4, 1, 10, 0), SideMode.BOTH)
    assert flow.substitute(gentler).dose.reps == 2  # halved like the rest of the session
    no_gentler = flow.symptom_answered(SymptomChange.DOWN, "prone-on-elbows", None)
    assert no_gentler.stop_exercise_today and no_gentler.suggested_exercise_id is None
    assert not flow.symptom_answered(SymptomChange.UP, "prone-on-elbows", None).stop_exercise_today


def test_after_exercise_answers_keep_spread_and_unanswered_never_as_the_same() -> None:
    spread = answer_event(NOW, "bridge", SymptomChange.DOWN, "s1")
    assert spread is not None and (spread.kind, spread.detail, spread.exercise_id, spread.session_id) == (
        SafetyEventKind.SYMPTOM_SPREAD, SPREAD_DETAIL, "bridge", "s1",
    )  # fmt: skip
    skipped = answer_event(NOW, "bridge", None, "s1")
    assert skipped is not None and (skipped.kind, skipped.detail) == (
        SafetyEventKind.UNANSWERED_QUESTION, UNANSWERED_DETAIL,
    )  # fmt: skip
    assert answer_event(NOW, "bridge", SymptomChange.SAME, "s1") is None
    assert answer_event(NOW, "bridge", SymptomChange.UP, "s1") is None


def test_it_hurts_is_kept_and_ending_then_is_the_reason() -> None:
    flow = running()
    hurts = flow.hurts("knee-to-chest")
    assert (hurts.kind, hurts.exercise_id, hurts.session_id) == (
        SafetyEventKind.IT_HURTS,
        "knee-to-chest",
        "s1",
    )
    assert flow.held_by_hurts
    ended = flow.end_early("knee-to-chest")
    assert (ended.kind, ended.detail) == (SafetyEventKind.SESSION_STOPPED, HURTS_REASON)


def test_carrying_on_after_it_hurts_then_ending_is_by_choice() -> None:
    flow = running()
    flow.hurts("knee-to-chest")
    flow.carried_on()
    assert not flow.held_by_hurts
    assert flow.end_early("knee-to-chest").detail == CHOICE_REASON


# --- after the session -----------------------------------------------------------------------------------


def test_ended_early_is_saved_with_its_reason_and_a_kind_word() -> None:
    flow = running()
    flow.end_early("knee-to-chest")
    assert flow.finished().stage is Stage.PAIN_AFTER
    ended = flow.pain_after(GREEN, ended_early=True)
    assert (ended.outcome, ended.reason, ended.events) == (Outcome.ENDED_EARLY, CHOICE_REASON, ())
    summary = flow.summary(record_of(flow, Outcome.ENDED_EARLY, GREEN, done=1))
    assert summary.stage is Stage.DONE and summary.heading == _("Session saved") and not summary.urgent
    assert summary.message.endswith(_(EARLY_CLOSING)) and "1" in summary.message and "2" in summary.message
    assert not summary.events


def test_completed_session_says_well_done() -> None:
    flow = running()
    flow.finished()
    done = flow.pain_after(GREEN, ended_early=False)
    assert (done.outcome, done.reason) == (Outcome.COMPLETED, "")
    summary = flow.summary(record_of(flow, Outcome.COMPLETED, GREEN))
    assert summary.heading == _("Well done") and summary.note == ""  # reach the same: nothing extra


def test_red_pain_after_it_hurts_is_a_safety_stop() -> None:
    flow = running()
    flow.hurts("knee-to-chest")
    flow.end_early("knee-to-chest")
    flow.finished()
    after = PainReport(back=7, leg=2, reach=LegReach.THIGH)
    ended = flow.pain_after(after, ended_early=True)
    assert (ended.outcome, ended.reason) == (Outcome.SAFETY_STOP, HURTS_REASON)
    summary = flow.summary(record_of(flow, Outcome.SAFETY_STOP, after, done=1))
    assert summary.heading == _("Please rest now") and summary.urgent
    assert [(e.kind, e.detail) for e in summary.events] == [
        (SafetyEventKind.PAIN_STOP, "Pain after the session: back 7, leg 2 out of 10.")
    ]


def test_red_pain_after_a_whole_session_is_completed_but_says_rest() -> None:
    flow = running()
    flow.finished()
    ended = flow.pain_after(RED, ended_early=False)
    assert ended.outcome is Outcome.COMPLETED
    assert flow.summary(record_of(flow, Outcome.COMPLETED, RED)).heading == _("Please rest now")


def test_symptoms_further_down_after_the_session_are_kept_and_said() -> None:
    flow = running()  # thigh before
    flow.finished()
    worse = PainReport(back=2, leg=3, reach=LegReach.CALF)
    flow.pain_after(worse, ended_early=False)
    summary = flow.summary(record_of(flow, Outcome.COMPLETED, worse))
    [event] = summary.events
    assert event.kind is SafetyEventKind.PERIPHERALISATION and event.session_id == "s1"
    assert event.detail == "Leg symptoms reached the thigh before the session and the calf after it."
    assert summary.note == _(safety.PERIPHERALISATION_ADVICE) and summary.note_urgent
    assert flow.summary(record_of(flow, Outcome.COMPLETED, worse)).ignored  # kept once


def test_symptoms_less_far_down_get_the_encouraging_note() -> None:
    flow = running()
    flow.finished()
    better = PainReport(back=2, leg=3, reach=LegReach.BUTTOCK)
    flow.pain_after(better, ended_early=False)
    summary = flow.summary(record_of(flow, Outcome.COMPLETED, better))
    assert summary.note == _(safety.CENTRALISATION_NOTE) and not summary.note_urgent and not summary.events


def test_new_numbness_after_is_kept_without_the_session_id() -> None:
    flow = running()
    flow.finished()
    ended = flow.pain_after(NUMB, ended_early=False)
    assert ended.new_symptoms and [(e.kind, e.session_id) for e in ended.events] == [
        (SafetyEventKind.NEW_NUMBNESS, "")
    ]


def test_without_the_pain_check_after_the_record_still_ends() -> None:
    flow = running()
    assert flow.unchecked_end(ended_early=False) == (Outcome.COMPLETED, "")
    flow.end_early("prone-on-elbows")
    assert flow.unchecked_end(ended_early=True) == (Outcome.ENDED_EARLY, CHOICE_REASON)


def test_answers_out_of_turn_change_nothing() -> None:
    flow = running()
    for answer in (
        flow.begin(),
        flow.pain_before(GREEN),
        flow.pain_after(GREEN, False),
        flow.cautions_read(),
    ):
        assert answer.ignored and not answer.events and answer.session is None
    assert flow.summary(record_of(flow, Outcome.COMPLETED, GREEN)).ignored
    assert flow.stage is Stage.RUNNING


# --- any answers ---------------------------------------------------------------------------------------

REPORTS = st.builds(
    PainReport,
    back=st.integers(0, 10),
    leg=st.integers(0, 10),
    reach=st.sampled_from(list(LegReach)),
    new_numbness_or_weakness=st.booleans(),
)
ANSWERS = st.dictionaries(
    st.sampled_from([flag.id for flag in red_flags.RED_FLAGS] + ["unknown"]), st.booleans(), max_size=6
)
ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(["begin", "guidance", "cleared", "confirm", "cautions", "finished"])),
        st.tuples(st.just("flags"), ANSWERS),
        st.tuples(st.just("pain"), REPORTS),
    ),
    max_size=14,
)
GATES = st.sampled_from(list(RedStopGate))


@given(
    actions=ACTIONS, pause=st.sampled_from(list(Tier)), accepted=st.booleans(), due=st.booleans(),
    gate=GATES, unseen=st.booleans(),
)  # fmt: skip
def test_no_answers_skip_the_checks_or_start_exercise_after_a_stop(
    actions: list[tuple[object, ...]], pause: Tier, accepted: bool, due: bool, gate: RedStopGate, unseen: bool
) -> None:
    """Whatever the person answers, in whatever order: the exercises start only past the guidance note, a due
    red-flag check answered all "no" (or a doctor's clearance), no pause, the red-stop gate, and a pain check
    that was not red; and nothing starts them after a stop."""
    stop = RedStopState(gate, NOW - timedelta(hours=1), NOW + timedelta(hours=1))
    facts = Facts(
        pause, accepted, due, stop, unseen=(load_catalogue().get("knee-to-chest"),) if unseen else ()
    )
    flow = flow_with(facts)
    confirmed = False
    last_report: PainReport | None = None
    stopped = False
    for action, *args in actions:
        stage_before = flow.stage
        if action == "begin":
            next_ = flow.begin()
        elif action == "guidance":
            if flow.stage is Stage.GUIDANCE:
                facts.accepted = True  # as the view stores it
            next_ = flow.guidance_accepted()
        elif action == "cleared":
            if flow.stage is Stage.TRIAGE and facts.pause is Tier.SEE_DOCTOR_SOON:
                facts.pause = Tier.NONE  # a clearance lifts only "see a doctor soon"
            next_ = flow.doctor_cleared()
        elif action == "confirm":
            next_ = flow.red_stop_confirmed_now()
            confirmed = confirmed or not next_.ignored
        elif action == "cautions":
            facts.unseen = () if flow.stage is Stage.CAUTIONS else facts.unseen
            next_ = flow.cautions_read()
        elif action == "finished":
            next_ = flow.finished()
        elif action == "flags":
            answers = args[0]
            assert isinstance(answers, dict)
            next_ = flow.red_flags_answered(answers)
            if not next_.ignored:
                facts.check_due = False
                tier = red_flags.triage(answers)
                facts.pause = max(facts.pause, tier)
        else:
            report = args[0]
            assert isinstance(report, PainReport)
            next_ = flow.pain_before(report)
            last_report = report if not next_.ignored else last_report
        if next_.ignored:
            assert flow.stage is stage_before and not next_.events and next_.session is None
        if stage_before is Stage.START and not next_.ignored and facts.accepted and facts.pause is Tier.NONE:
            assert (next_.stage is Stage.RED_FLAGS) is facts.check_due  # a due check is never skipped
        if flow.stage is Stage.RUNNING and stage_before is not Stage.RUNNING:
            assert not stopped and facts.accepted and not facts.check_due and facts.pause is Tier.NONE
            assert gate is RedStopGate.NONE or (gate is RedStopGate.CONFIRM and confirmed)
            assert last_report is not None and safety.pain_zone(last_report) is not safety.Zone.RED
        stopped = stopped or flow.stage in (Stage.STOPPED, Stage.RED_STOP_WAIT)
        stopped = stopped or (flow.stage is Stage.TRIAGE and facts.pause >= Tier.URGENT)  # not cleared today
        if flow.stage is Stage.TRIAGE:
            assert next_.ignored or (next_.advice is not None and next_.advice.tier is not Tier.NONE)
        if stopped and flow.stage is Stage.RUNNING:
            raise AssertionError("exercise started after a stop")
        if next_.session is not None:  # only a red pain check before keeps a session here
            assert next_.session.outcome is Outcome.SAFETY_STOP and last_report is not None
            assert safety.pain_zone(last_report) is safety.Zone.RED
