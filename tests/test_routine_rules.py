"""The editing rules the Routine page follows, Qt-free in services/routines.py: the last exercise stays, an
exercise is added once and only from the routine's phase or earlier, and taking out the exercises that move
the back the avoided way never empties the routine (issue 18, point 3: moved out of the view)."""

from __future__ import annotations

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.model import Direction, Phase, Routine
from sciatica_coach.services.routines import NotAddable, can_remove, why_not_addable, without_avoided


def test_the_last_exercise_cannot_be_removed() -> None:
    routine = load_catalogue().default_routine(Phase.MOBILITY)
    assert can_remove(routine)
    assert can_remove(Routine(Phase.MOBILITY, routine.items[:2]))
    assert not can_remove(Routine(Phase.MOBILITY, routine.items[:1]))


def test_an_exercise_is_added_once_and_not_before_its_phase() -> None:
    catalogue = load_catalogue()
    mobility = catalogue.default_routine(Phase.MOBILITY)
    assert why_not_addable(catalogue.get("pelvic-tilt"), mobility) is NotAddable.IN_ROUTINE
    assert why_not_addable(catalogue.get("bridge"), mobility) is NotAddable.LATER_PHASE
    strength = catalogue.default_routine(Phase.STRENGTH)
    assert why_not_addable(catalogue.get("bridge"), strength) is NotAddable.IN_ROUTINE
    without_tilt = Routine(Phase.STRENGTH, tuple(i for i in strength.items if i.exercise_id != "pelvic-tilt"))
    assert why_not_addable(catalogue.get("pelvic-tilt"), without_tilt) is None  # an earlier phase's: fine


def test_taking_out_the_avoided_exercises_keeps_the_rest_in_order() -> None:
    catalogue = load_catalogue()
    routine = catalogue.default_routine(Phase.MOBILITY)
    kept = without_avoided(routine, catalogue, Direction.EXTENSION)
    assert kept is not None and kept.phase is routine.phase
    assert [i for i in routine.items if catalogue.get(i.exercise_id).direction.includes(Direction.EXTENSION)]
    assert list(kept.items) == [
        i for i in routine.items if not catalogue.get(i.exercise_id).direction.includes(Direction.EXTENSION)
    ]
    assert without_avoided(routine, catalogue, None) is None  # nothing avoided: nothing to take out
    assert without_avoided(kept, catalogue, Direction.EXTENSION) is None  # nothing left to take out


def test_taking_out_the_avoided_exercises_never_empties_the_routine() -> None:
    catalogue = load_catalogue()
    routine = catalogue.default_routine(Phase.MOBILITY)
    only_extension = Routine(
        Phase.MOBILITY,
        tuple(
            i for i in routine.items if catalogue.get(i.exercise_id).direction.includes(Direction.EXTENSION)
        ),
    )
    assert only_extension.items
    assert without_avoided(only_extension, catalogue, Direction.EXTENSION) is None
