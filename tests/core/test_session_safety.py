"""Session safety rules of issue 14: leg reach before and after (centralisation / peripheralisation), the
gentler substitute that respects an avoided direction, and the wait after a red pain stop."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sciatica_coach.core import safety
from sciatica_coach.core.model import LegReach, SymptomChange

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
