"""Session safety rules of issue 14: leg reach before and after (centralisation / peripheralisation), the
gentler substitute that respects an avoided direction, and the wait after a red pain stop."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciatica_coach.core import safety
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.model import (
    Direction,
    LegReach,
    Outcome,
    PainReport,
    Phase,
    SessionRecord,
    SymptomChange,
)
from sciatica_coach.core.safety import RedStopGate

REACHES = st.sampled_from(list(LegReach))
AVOIDABLE = (Direction.FLEXION, Direction.EXTENSION)


def test_reach_further_down_is_peripheralisation_and_further_up_centralisation() -> None:
    assert safety.reach_change(LegReach.THIGH, LegReach.CALF) is SymptomChange.DOWN
    assert safety.reach_change(LegReach.NONE, LegReach.BUTTOCK) is SymptomChange.DOWN
    assert safety.reach_change(LegReach.FOOT, LegReach.KNEE) is SymptomChange.UP
    assert safety.reach_change(LegReach.KNEE, LegReach.KNEE) is SymptomChange.SAME
    assert safety.reach_change(None, LegReach.FOOT) is None
    assert safety.reach_change(LegReach.FOOT, None) is None


@given(REACHES, REACHES)
def test_reach_change_follows_the_order_down_the_leg(before: LegReach, after: LegReach) -> None:
    order = list(LegReach)
    change = safety.reach_change(before, after)
    expected = (
        SymptomChange.DOWN
        if order.index(after) > order.index(before)
        else SymptomChange.UP
        if order.index(after) < order.index(before)
        else SymptomChange.SAME
    )
    assert change is expected
    # swapping before and after swaps DOWN and UP
    mirrored = {SymptomChange.DOWN: SymptomChange.UP, SymptomChange.UP: SymptomChange.DOWN}
    assert safety.reach_change(after, before) is mirrored.get(expected, expected)


# --- directions: "both" counts for either avoided direction -------------------------------------------------


def test_both_ways_matches_either_avoided_direction() -> None:
    assert Direction.BOTH.includes(Direction.FLEXION) and Direction.BOTH.includes(Direction.EXTENSION)
    assert Direction.FLEXION.includes(Direction.FLEXION)
    assert not Direction.FLEXION.includes(Direction.EXTENSION)
    assert not Direction.NEUTRAL.includes(Direction.FLEXION)
    assert not Direction.BOTH.includes(None)


def test_cat_camel_and_ball_pelvic_tilt_move_both_ways() -> None:
    catalogue = load_catalogue()
    assert catalogue.get("cat-camel").direction is Direction.BOTH
    assert catalogue.get("ball-pelvic-tilt").direction is Direction.BOTH
    for avoid in (Direction.FLEXION, Direction.EXTENSION):
        ids = [i.exercise_id for i in catalogue.default_routine(Phase.MOBILITY, avoid).items]
        assert "cat-camel" not in ids
    with pytest.raises(ValueError, match="flexion or extension"):
        catalogue.default_routine(Phase.MOBILITY, Direction.BOTH)


# --- the gentler substitute respects the avoided direction ------------------------------------------------


@pytest.mark.parametrize(
    ("exercise_id", "avoid", "expected"),
    [
        ("bridge", None, "pelvic-tilt"),
        ("bridge", Direction.FLEXION, "prone-lying"),  # pelvic tilt bends the back forward
        ("dead-bug", Direction.FLEXION, "prone-lying"),
        ("ball-pelvic-tilt", Direction.FLEXION, "prone-lying"),
        ("ball-pelvic-tilt", Direction.EXTENSION, "pelvic-tilt"),
        ("ball-marching", Direction.EXTENSION, "pelvic-tilt"),  # skips ball pelvic tilt (both ways)
        ("ball-marching", None, "ball-pelvic-tilt"),
        ("prone-press-up", Direction.EXTENSION, "pelvic-tilt"),
        ("knee-to-chest", Direction.FLEXION, "prone-lying"),
        ("prone-on-elbows", None, "prone-lying"),
        ("cat-camel", Direction.FLEXION, None),  # nothing gentler in the catalogue
    ],
)
def test_gentler_substitute_respects_the_avoided_direction(
    exercise_id: str, avoid: Direction | None, expected: str | None
) -> None:
    assert safety.gentler_substitute(load_catalogue().exercises, exercise_id, avoid) == expected


@given(st.sampled_from(sorted(load_catalogue().exercises)), st.sampled_from([None, *AVOIDABLE]))
def test_a_substitute_never_moves_the_back_the_avoided_way(exercise_id: str, avoid: Direction | None) -> None:
    exercises = load_catalogue().exercises
    substitute = safety.gentler_substitute(exercises, exercise_id, avoid)
    if substitute is not None:
        assert substitute != exercise_id
        assert not exercises[substitute].direction.includes(avoid)


# --- after a red pain stop -----------------------------------------------------------------------------------

STOP = datetime(2026, 3, 9, 10, 15, tzinfo=ZoneInfo("Europe/London"))


def _session(pain_before: PainReport | None, pain_after: PainReport | None, ended: datetime) -> SessionRecord:
    outcome = Outcome.SAFETY_STOP if pain_after is None else Outcome.COMPLETED
    return SessionRecord("s", ended, ended, Phase.MOBILITY, (), outcome, pain_before, pain_after)


def test_a_red_stop_waits_two_hours_then_asks_to_confirm_the_same_day() -> None:
    state = safety.red_stop_state(STOP, STOP + timedelta(minutes=1))
    assert state.gate is RedStopGate.WAIT and state.open_at == STOP + timedelta(hours=2)
    assert safety.red_stop_state(STOP, STOP + timedelta(hours=1, minutes=59)).gate is RedStopGate.WAIT
    assert safety.red_stop_state(STOP, STOP + timedelta(hours=2)).gate is RedStopGate.CONFIRM
    assert safety.red_stop_state(STOP, STOP.replace(hour=23, minute=59)).gate is RedStopGate.CONFIRM
    assert safety.red_stop_state(STOP, STOP + timedelta(days=1)).gate is RedStopGate.NONE
    assert safety.red_stop_state(None, STOP).gate is RedStopGate.NONE


def test_a_late_red_stop_still_waits_past_midnight() -> None:
    late = STOP.replace(hour=23, minute=30)
    assert safety.red_stop_state(late, late + timedelta(hours=1)).gate is RedStopGate.WAIT
    assert safety.red_stop_state(late, late + timedelta(hours=3)).gate is RedStopGate.NONE


def test_red_stops_are_red_pain_before_or_after() -> None:
    red, green = PainReport(2, 6), PainReport(2, 3)
    numb = PainReport(1, 1, new_numbness_or_weakness=True)
    sessions = [
        _session(red, None, STOP - timedelta(hours=3)),
        _session(green, red, STOP),
        _session(green, green, STOP + timedelta(hours=3)),
    ]
    assert safety.last_red_stop(sessions) == STOP
    assert safety.last_red_stop([_session(numb, None, STOP)]) == STOP
    assert safety.last_red_stop([_session(PainReport(5, 5), PainReport(5, 5), STOP)]) is None


def test_peripheralisation_halves_the_next_session_and_says_why() -> None:
    last = _session(PainReport(2, 2, LegReach.THIGH), PainReport(2, 2, LegReach.CALF), STOP)
    adjustment = safety.next_session_adjustment(last)
    assert adjustment.factor == 0.5 and "reached further down" in adjustment.reason
    centralised = _session(PainReport(2, 2, LegReach.CALF), PainReport(2, 2, LegReach.THIGH), STOP)
    assert not safety.next_session_adjustment(centralised).changes_anything
    assert "good sign" in safety.reach_advice(SymptomChange.UP)
    assert "half the usual" in safety.reach_advice(SymptomChange.DOWN)
    assert safety.reach_advice(SymptomChange.SAME) == safety.reach_advice(None) == ""
