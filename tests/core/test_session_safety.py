"""Session safety rules of issue 14: leg reach before and after (centralisation / peripheralisation), the
gentler substitute that respects an avoided direction, and the wait after a red pain stop."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciatica_coach.core import safety
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.model import Direction, LegReach, Phase, SymptomChange

REACHES = st.sampled_from(list(LegReach))


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
