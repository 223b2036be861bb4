"""The flare plan's rules (core/flare.py): which exercises, the dose cut, the week prompt, the calmer days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sciatica_coach.core import flare
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.model import Direction, Dose, Phase

EXERCISES = load_catalogue().exercises
MONDAY = date(2026, 3, 2)
FLEXION, EXTENSION = Direction.FLEXION, Direction.EXTENSION


@pytest.mark.parametrize(
    ("avoid", "expected"),
    [
        (set(), ["pelvic-tilt", "prone-lying"]),  # direction unknown: the gentlest of each way only
        ({FLEXION}, ["prone-lying", "prone-on-elbows"]),  # no knee hugs, no pelvic tilt
        ({EXTENSION}, ["pelvic-tilt", "knee-to-chest"]),  # no prone lying
        ({FLEXION, EXTENSION}, []),  # both avoided: walking only, ask the physiotherapist
    ],
)
def test_flare_exercises_respect_the_avoided_direction(avoid: set[Direction], expected: list[str]) -> None:
    assert flare.flare_exercise_ids(EXERCISES, avoid) == expected


def test_nothing_that_moves_the_back_the_avoided_way_or_both_ways() -> None:
    for avoid in ({FLEXION}, {EXTENSION}, set()):
        for exercise_id in flare.flare_exercise_ids(EXERCISES, avoid):
            exercise = EXERCISES[exercise_id]
            assert exercise.phase is Phase.MOBILITY and exercise.position in flare.LYING
            assert exercise.direction is not Direction.BOTH
            assert not any(exercise.direction.includes(way) for way in avoid)
    assert "double-knee-to-chest" not in flare.flare_exercise_ids(EXERCISES, {EXTENSION})
    assert "cat-camel" not in flare.flare_exercise_ids(EXERCISES, set())


def test_dose_cut_halves_holds_and_reps_to_one_set() -> None:
    assert flare.flare_dose(Dose(120, 1, 1, 0, 0)) == Dose(60, 1, 1, 0, 0)  # prone lying: 2 min -> 1 min
    assert flare.flare_dose(Dose(5, 10, 2, 5, 30)) == Dose(3, 5, 1, 5, 30)  # pelvic tilt; rests kept
    assert flare.flare_dose(Dose(20, 3, 1, 10, 0)) == Dose(10, 2, 1, 10, 0)  # knee hug: reps rounded up
    assert flare.flare_dose(Dose(2, 1, 1, 0, 0)) == Dose(2, 1, 1, 0, 0)  # never longer, never below one rep
    assert flare.flare_dose(Dose(4, 3, 1, 0, 0)).hold_s == flare.MIN_HOLD_S


def test_flare_routine_is_shorter_than_the_usual_dose() -> None:
    routine = flare.flare_routine(EXERCISES, {EXTENSION})
    assert [item.exercise_id for item in routine.items] == ["pelvic-tilt", "knee-to-chest"]
    for item in routine.items:
        usual = EXERCISES[item.exercise_id].dose
        assert item.dose.hold_s <= usual.hold_s and item.dose.reps < usual.reps + (usual.reps == 1)
        assert item.dose.sets == 1


@pytest.mark.parametrize(("days_in", "prompt"), [(0, False), (6, False), (7, True), (12, True)])
def test_not_settling_prompt_from_the_seventh_day_after(days_in: int, prompt: bool) -> None:
    marked = flare.Flare(MONDAY)
    assert flare.should_prompt_not_settling(marked, MONDAY + timedelta(days=days_in)) is prompt


def test_not_settling_prompt_only_once_per_flare() -> None:
    shown = flare.Flare(MONDAY, not_settling_prompted=True)
    assert not flare.should_prompt_not_settling(shown, MONDAY + timedelta(days=7))
    assert flare.should_prompt_not_settling(
        flare.Flare(MONDAY + timedelta(days=10)), MONDAY + timedelta(days=17)
    )


def test_days_and_day_number() -> None:
    marked = flare.Flare(MONDAY)
    assert marked.days(MONDAY + timedelta(days=2)) == [MONDAY, MONDAY + timedelta(1), MONDAY + timedelta(2)]
    assert marked.day_number(MONDAY) == 1 and marked.day_number(MONDAY + timedelta(days=6)) == 7


def test_end_offered_after_three_calmer_days_within_the_flare() -> None:
    marked = flare.Flare(MONDAY)
    calm = {MONDAY + timedelta(days=i): 2 for i in range(4)}
    assert flare.offer_end(marked, calm, MONDAY + timedelta(days=3))
    assert not flare.offer_end(marked, calm, MONDAY + timedelta(days=2)), "only two days in the flare so far"
    assert not flare.offer_end(marked, {**calm, MONDAY + timedelta(days=1): 4}, MONDAY + timedelta(days=3))
    gap = {d: p for d, p in calm.items() if d != MONDAY + timedelta(days=2)}
    assert not flare.offer_end(marked, gap, MONDAY + timedelta(days=3)), "a day without a report is not calm"


def test_worst_pain_by_day() -> None:
    assert flare.worst_pain_by_day([(MONDAY, 2), (MONDAY, 5), (MONDAY, 3)]) == {MONDAY: 5}
