"""Safety rules: pain zones at the borders, red flags, when to ask them, symptom advice and dose easing."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sciatica_coach.core import safety
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.emergency import OTHER, advice_words, country
from sciatica_coach.core.model import (
    Direction,
    Dose,
    Exercise,
    ExerciseRecord,
    LegReach,
    Outcome,
    PainReport,
    Phase,
    Routine,
    RoutineItem,
    SessionRecord,
    SideMode,
    SymptomChange,
)
from sciatica_coach.core.red_flags import EMERGENCY_SIGNS
from sciatica_coach.core.safety import (
    DoseAdjustment,
    RedStopGate,
    RedStopState,
    Zone,
    apply_adjustment,
    next_session_adjustment,
    pain_check,
    pain_zone,
    scaled_reps,
    symptom_advice,
)

NOW = datetime(2026, 3, 9, 8, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.mark.parametrize(
    ("back", "leg", "numb", "zone"),
    [
        (0, 0, False, Zone.GREEN),
        (3, 3, False, Zone.GREEN),
        (3, 0, False, Zone.GREEN),
        (4, 0, False, Zone.AMBER),  # 3/4 border, back
        (0, 4, False, Zone.AMBER),  # 3/4 border, leg
        (5, 5, False, Zone.AMBER),
        (5, 6, False, Zone.RED),  # 5/6 border: the worse one counts
        (6, 0, False, Zone.RED),
        (10, 10, False, Zone.RED),
        (0, 0, True, Zone.RED),  # new numbness/weakness is red whatever the score
        (2, 1, True, Zone.RED),
    ],
)
def test_pain_zone(back: int, leg: int, numb: bool, zone: Zone) -> None:
    assert pain_zone(PainReport(back, leg, new_numbness_or_weakness=numb)) is zone


@pytest.mark.parametrize(
    ("report", "stop", "message"),
    [
        (PainReport(3, 2), False, safety.GREEN_PAIN_ADVICE),
        (PainReport(4, 2), False, safety.AMBER_PAIN_ADVICE),
        (PainReport(2, 6), True, safety.RED_PAIN_ADVICE),
    ],
)
def test_pain_check_stops_on_red_with_the_right_advice(report: PainReport, stop: bool, message: str) -> None:
    check = pain_check(report)
    assert (check.stop_session, check.message) == (stop, message)


def test_red_pain_advice_says_what_to_do() -> None:
    assert "comfortable" in safety.RED_PAIN_ADVICE
    assert "doctor or physiotherapist" in safety.RED_PAIN_ADVICE
    assert "promptly" in safety.NEW_NUMBNESS_ADVICE


def test_symptom_down_stops_the_exercise_and_suggests_the_gentler_one() -> None:
    advice = symptom_advice(SymptomChange.DOWN, "press-up", "prone-lying")
    assert advice.stop_exercise_today
    assert advice.suggested_exercise_id == "prone-lying"
    assert advice.exercise_id == "press-up"
    assert advice.message == safety.SYMPTOM_DOWN_GENTLER_ADVICE


def test_symptom_down_without_a_gentler_one() -> None:
    advice = symptom_advice(SymptomChange.DOWN, "prone-lying", None)
    assert (advice.stop_exercise_today, advice.suggested_exercise_id) == (True, None)
    assert advice.message == safety.SYMPTOM_DOWN_ADVICE
    # An exercise never suggests itself.
    assert symptom_advice(SymptomChange.DOWN, "prone-lying", "prone-lying").suggested_exercise_id is None


def test_symptom_up_is_a_good_sign_and_same_says_nothing() -> None:
    up = symptom_advice(SymptomChange.UP, "press-up", "prone-lying")
    assert (up.stop_exercise_today, up.encouraging, up.suggested_exercise_id) == (False, True, None)
    assert "good sign" in up.message
    same = symptom_advice(SymptomChange.SAME, "press-up", "prone-lying")
    assert (same.stop_exercise_today, same.message) == (False, "")


def session(
    *,
    after: PainReport | None = None,
    outcome: Outcome = Outcome.COMPLETED,
    symptom: SymptomChange | None = None,
) -> SessionRecord:
    record = ExerciseRecord("bridge", 10, 10, 2, 2, 5, symptom=symptom)
    return SessionRecord("s1", NOW, NOW, Phase.MOBILITY, (record,), outcome, PainReport(1, 1), after)


@pytest.mark.parametrize(
    ("last", "pain_now", "factor", "reason"),
    [
        (None, None, 1.0, ""),
        (session(after=PainReport(3, 3)), PainReport(2, 2), 1.0, ""),
        (session(after=PainReport(4, 0)), None, 0.5, safety.REASON_LAST_AFTER_AMBER),
        (session(after=PainReport(7, 0)), None, 0.5, safety.REASON_LAST_AFTER_RED),
        (session(after=PainReport(2, 2)), PainReport(5, 3), 0.5, safety.REASON_PAIN_NOW_AMBER),
        (None, PainReport(3, 4), 0.5, safety.REASON_PAIN_NOW_AMBER),
        (None, PainReport(8, 4), 0.5, safety.REASON_PAIN_NOW_RED),
        (session(outcome=Outcome.SAFETY_STOP), None, 0.5, safety.REASON_LAST_SAFETY_STOP),
        (session(symptom=SymptomChange.DOWN), None, 0.5, safety.REASON_LAST_SPREAD_DOWN),
        (session(symptom=SymptomChange.UP), None, 1.0, ""),
    ],
)
def test_next_session_adjustment(
    last: SessionRecord | None, pain_now: PainReport | None, factor: float, reason: str
) -> None:
    assert next_session_adjustment(last, pain_now) == DoseAdjustment(factor, reason)


@pytest.mark.parametrize(
    ("reps", "halved"),
    [(1, 1), (2, 1), (3, 1), (4, 2), (5, 2), (9, 4), (10, 5), (15, 7)],  # odd numbers round down
)
def test_halving_rounds_down_and_never_below_one(reps: int, halved: int) -> None:
    assert scaled_reps(reps, 0.5) == halved


@pytest.mark.parametrize("factor", [0.0, -0.5, 1.5])
def test_scaled_reps_refuses_nonsense_factors(factor: float) -> None:
    with pytest.raises(ValueError, match="factor"):
        scaled_reps(10, factor)


def test_apply_adjustment_halves_reps_only() -> None:
    routine = Routine(
        Phase.STRENGTH,
        (
            RoutineItem("bridge", Dose(5, 9, 2, 3, 30), SideMode.BOTH),
            RoutineItem("figure-four", Dose(30, 1, 1, 10, 0), SideMode.LEFT_THEN_RIGHT),
        ),
    )
    halved = apply_adjustment(routine, DoseAdjustment(0.5, safety.REASON_PAIN_NOW_AMBER))
    assert [i.dose for i in halved.items] == [Dose(5, 4, 2, 3, 30), Dose(30, 1, 1, 10, 0)]
    assert [(i.exercise_id, i.side_mode) for i in halved.items] == [
        ("bridge", SideMode.BOTH),
        ("figure-four", SideMode.LEFT_THEN_RIGHT),
    ]
    assert halved.phase is Phase.STRENGTH
    assert apply_adjustment(routine, safety.NO_ADJUSTMENT) is routine


def _all_messages() -> list[str]:
    return [
        value for name, value in vars(safety).items() if name.isupper() and isinstance(value, str) and value
    ]


def test_wording_is_calm_and_never_diagnoses_or_urges_pushing_on() -> None:
    messages = _all_messages()
    assert len(messages) > 15
    for text in messages:
        assert "!" not in text, text
        assert not re.search(r"\b[A-Z]{4,}\b", text.replace("NHS", "")), text  # no shouting
        lowered = text.lower()
        diagnosis = r"(?<!do )\byou (have|may have|might have|'ve got) (a |an )?(sciatica|slipped|herniat|disc|stenosis|nerve)"
        assert not re.search(diagnosis, lowered), text
        for banned in ("diagnos", "cauda equina", "emergency!", "push through the pain", "no pain, no gain"):
            assert banned not in lowered, (banned, text)
    assert "no need to push through pain" in safety.HURTS_ADVICE.lower()


# --- issue 18: what the mutation run showed no test looked at ---------------------------------------------


@pytest.mark.parametrize(
    ("report", "zone"),
    [(PainReport(3, 2), Zone.GREEN), (PainReport(4, 2), Zone.AMBER), (PainReport(2, 6), Zone.RED)],
)
def test_pain_check_names_its_zone(report: PainReport, zone: Zone) -> None:
    assert pain_check(report).zone is zone


def test_new_numbness_stops_with_same_day_advice_and_the_emergency_signs_of_the_country() -> None:
    place = country("GB")
    words = advice_words(place)
    check = pain_check(PainReport(1, 1, new_numbness_or_weakness=True), place)
    assert (check.zone, check.stop_session) == (Zone.RED, True)
    assert check.message == (
        f"{safety.NEW_NUMBNESS_ADVICE.format(**words)}\n\n{EMERGENCY_SIGNS.format(**words)}"
    )
    assert "NHS 111" in check.message  # the British same-day route, not the generic words
    assert pain_check(PainReport(1, 1, new_numbness_or_weakness=True)).message.startswith(
        safety.NEW_NUMBNESS_ADVICE.format(**advice_words(OTHER))
    )


def test_every_symptom_answer_keeps_the_exercise_it_is_about() -> None:
    for change in SymptomChange:
        assert symptom_advice(change, "press-up", "prone-lying").exercise_id == "press-up"
        assert symptom_advice(change, "press-up", None).exercise_id == "press-up"


def test_a_full_dose_factor_keeps_the_repetitions() -> None:
    assert scaled_reps(7, 1.0) == 7
    assert scaled_reps(7, 0.999) == 6  # any easing rounds down


def test_reach_change_is_unknown_when_the_check_before_was_not_given() -> None:
    after_only = SessionRecord(
        "s2", NOW, NOW, Phase.MOBILITY, (), Outcome.COMPLETED, None, PainReport(1, 1, LegReach.FOOT)
    )
    assert safety.session_reach_change(after_only) is None
    before_only = replace(after_only, pain_before=PainReport(1, 1, LegReach.FOOT), pain_after=None)
    assert safety.session_reach_change(before_only) is None


def test_the_red_stop_gate_tells_when_the_stop_was_and_when_it_opens() -> None:
    stop = datetime(2026, 3, 9, 10, 15, tzinfo=ZoneInfo("Europe/London"))
    waiting = safety.red_stop_state(stop, stop + timedelta(minutes=30))
    assert waiting == RedStopState(RedStopGate.WAIT, stop, stop + timedelta(hours=2))
    confirming = safety.red_stop_state(stop, stop + timedelta(hours=3))
    assert confirming == RedStopState(RedStopGate.CONFIRM, stop, stop + timedelta(hours=2))


# A small made-up catalogue for the gentler chain: "a" -> "b" -> "c" ...
def _exercise(
    exercise_id: str, gentler: str | None, direction: Direction, phase: Phase = Phase.STRENGTH
) -> Exercise:
    template = next(iter(load_catalogue().exercises.values()))
    return replace(template, id=exercise_id, gentler=gentler, direction=direction, phase=phase)


def _catalogue(*exercises: Exercise) -> dict[str, Exercise]:
    return {e.id: e for e in exercises}


def test_the_gentler_chain_is_followed_past_an_avoided_exercise() -> None:
    exercises = _catalogue(
        _exercise("a", "b", Direction.FLEXION),
        _exercise("b", "c", Direction.FLEXION),
        _exercise("c", None, Direction.NEUTRAL),
        _exercise("tilt", None, Direction.NEUTRAL, Phase.MOBILITY),
    )
    assert safety.gentler_substitute(exercises, "a", Direction.FLEXION) == "c"
    assert safety.gentler_substitute(exercises, "a", None) == "b"


def test_a_gentler_chain_that_loops_or_leads_nowhere_falls_back_to_the_gentlest() -> None:
    looping = _catalogue(
        _exercise("a", "b", Direction.FLEXION),
        _exercise("b", "c", Direction.FLEXION),
        _exercise("c", "b", Direction.BOTH),
        _exercise("tilt", None, Direction.NEUTRAL, Phase.MOBILITY),
    )
    assert safety.gentler_substitute(looping, "a", Direction.FLEXION) == "tilt"
    broken = _catalogue(
        _exercise("a", "gone", Direction.FLEXION),
        _exercise("tilt", None, Direction.NEUTRAL, Phase.MOBILITY),
    )
    assert safety.gentler_substitute(broken, "a", Direction.FLEXION) == "tilt"


def test_no_substitute_when_nothing_suits() -> None:
    exercises = _catalogue(
        _exercise("a", "b", Direction.FLEXION),
        _exercise("b", None, Direction.FLEXION, Phase.MOBILITY),
        _exercise("c", None, Direction.BOTH, Phase.MOBILITY),
    )
    assert safety.gentler_substitute(exercises, "a", Direction.FLEXION) is None
