"""The affected side and the nerve glide's timing (core/affected_side.py) and the engine running one side."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sciatica_coach.assets import asset_path
from sciatica_coach.core.affected_side import (
    AffectedSide,
    affected_side_exercises,
    fit_to_side,
    later_in_the_day_exercises,
    leave_out_soon_after_waking,
    needs_side_question,
    needs_up_by_question,
    parse_up_by,
    soon_after_waking,
)
from sciatica_coach.core.catalogue import CatalogueError, load_catalogue, parse_catalogue
from sciatica_coach.core.clock import ManualClock
from sciatica_coach.core.engine import SessionEngine, Step, StepStarted, build_plan, cue_text
from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, Side, SideMode

LONDON = ZoneInfo("Europe/London")
GLIDE = RoutineItem("nerve-glide", Dose(3, 2, 1, 2, 30), SideMode.LEFT_THEN_RIGHT)
FIGURE_FOUR = RoutineItem("figure-four", Dose(30, 2, 1, 10, 30), SideMode.LEFT_THEN_RIGHT)
BRIDGE = RoutineItem("bridge", Dose(5, 2, 1, 5, 30), SideMode.BOTH)
ROUTINE = Routine(Phase.STRENGTH, (FIGURE_FOUR, GLIDE, BRIDGE))
GLIDE_ONLY = frozenset({"nerve-glide"})


def at(hour: int, minute: int = 0, second: int = 0, day: int = 2, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=LONDON)


# ---- the setting ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("stored", "side"),
    [(None, AffectedSide.NOT_SET), ("left", AffectedSide.LEFT), ("right", AffectedSide.RIGHT),
     ("both", AffectedSide.BOTH), ("LEFT", AffectedSide.NOT_SET), (1, AffectedSide.NOT_SET)],
)  # fmt: skip
def test_the_stored_setting_reads_as_a_side(stored: object, side: AffectedSide) -> None:
    assert AffectedSide.from_setting(stored) is side
    if side is not AffectedSide.NOT_SET:
        assert AffectedSide.from_setting(side.setting) is side
    assert AffectedSide.NOT_SET.setting is None


@pytest.mark.parametrize(
    ("text", "up_by"),
    [("07:30", time(7, 30)), ("00:00", time(0, 0)), ("23:59", time(23, 59)), ("24:00", None), ("7:30", None),
     ("07:60", None), ("０７:３０", None), (None, None), (730, None), ("07-30", None)],
)  # fmt: skip
def test_usually_up_by_is_a_clock_time_or_not_set(text: object, up_by: time | None) -> None:
    assert parse_up_by(text) == up_by


# ---- the affected side --------------------------------------------------------------------------------
def test_one_side_limits_only_the_affected_side_exercise() -> None:
    fitted = fit_to_side(ROUTINE, AffectedSide.LEFT, GLIDE_ONLY)
    assert [item.only_side for item in fitted.items] == [Side.NONE, Side.LEFT, Side.NONE]
    assert fit_to_side(ROUTINE, AffectedSide.RIGHT, GLIDE_ONLY).items[1].only_side is Side.RIGHT


@pytest.mark.parametrize("side", [AffectedSide.BOTH, AffectedSide.NOT_SET])
def test_both_or_not_set_leaves_the_routine_as_it_was(side: AffectedSide) -> None:
    assert fit_to_side(ROUTINE, side, GLIDE_ONLY) == ROUTINE


def test_the_side_question_is_only_asked_while_not_set_and_the_glide_is_there() -> None:
    assert needs_side_question(ROUTINE, AffectedSide.NOT_SET, GLIDE_ONLY)
    assert not needs_side_question(ROUTINE, AffectedSide.BOTH, GLIDE_ONLY)
    assert not needs_side_question(
        Routine(Phase.STRENGTH, (FIGURE_FOUR, BRIDGE)), AffectedSide.NOT_SET, GLIDE_ONLY
    )


def _holds(item: RoutineItem) -> list[Side]:
    return [step.side for step in build_plan([item]) if step.step is Step.HOLD]


@pytest.mark.parametrize(
    ("affected", "side"), [(AffectedSide.LEFT, Side.LEFT), (AffectedSide.RIGHT, Side.RIGHT)]
)
def test_the_engine_runs_the_affected_side_only(affected: AffectedSide, side: Side) -> None:
    item = fit_to_side(Routine(Phase.STRENGTH, (GLIDE,)), affected, GLIDE_ONLY).items[0]
    plan = build_plan([item])
    assert _holds(item) == [side, side]
    assert Step.SWITCH_SIDE not in [step.step for step in plan]
    assert plan[0].step is Step.GET_READY and plan[0].side is side


def test_both_sides_run_as_before() -> None:
    assert _holds(fit_to_side(Routine(Phase.STRENGTH, (GLIDE,)), AffectedSide.BOTH, GLIDE_ONLY).items[0]) == [
        Side.LEFT, Side.LEFT, Side.RIGHT, Side.RIGHT,
    ]  # fmt: skip


def test_the_spoken_cues_and_the_record_name_and_count_one_side() -> None:
    routine = fit_to_side(Routine(Phase.STRENGTH, (GLIDE,)), AffectedSide.RIGHT, GLIDE_ONLY)
    clock = ManualClock(at(18))
    engine = SessionEngine(routine, clock)
    events = list(engine.start())
    spoken = [cue_text(e, "Seated nerve glide") for e in events if isinstance(e, StepStarted)]
    assert "Seated nerve glide. Get ready. Your right side only." in spoken
    for _ in range(200):
        clock.advance(1)
        events.extend(engine.tick())
    said = " ".join(filter(None, (cue_text(e, "Seated nerve glide") for e in events))).lower()
    assert "left" not in said
    assert engine.exercise_records()[0].reps_planned == 2  # two holds on one side, not four


# ---- not soon after getting up ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("now", "soon"),
    [
        (at(6, 59, 59), False),  # up by 09:00: the window is 07:00 (included) to 11:00 (left out)
        (at(7, 0), True),
        (at(9, 0), True),
        (at(10, 59, 59), True),
        (at(11, 0), False),  # exactly two hours after: outside
        (at(18, 0), False),
        (at(3, 0), False),
    ],
)
def test_the_two_hour_window_around_getting_up(now: datetime, soon: bool) -> None:
    assert soon_after_waking(now, time(9, 0)) is soon


def test_exactly_two_hours_after_is_outside_and_one_second_before_is_inside() -> None:
    assert not soon_after_waking(at(9, 0), time(7, 0))
    assert soon_after_waking(at(8, 59, 59), time(7, 0))
    assert soon_after_waking(at(5, 0), time(7, 0))  # up early: two hours before the usual time counts
    assert not soon_after_waking(at(4, 59, 59), time(7, 0))


def test_not_set_leaves_the_glide_in_and_asks_instead() -> None:
    assert not soon_after_waking(at(8, 0), None)
    assert leave_out_soon_after_waking(ROUTINE, at(8, 0), None, GLIDE_ONLY) == (ROUTINE, ())
    assert needs_up_by_question(ROUTINE, None, GLIDE_ONLY)
    assert not needs_up_by_question(ROUTINE, time(7, 0), GLIDE_ONLY)
    assert not needs_up_by_question(Routine(Phase.STRENGTH, (FIGURE_FOUR,)), None, GLIDE_ONLY)


def test_a_window_that_crosses_midnight() -> None:
    assert soon_after_waking(at(0, 30, day=3), time(23, 30))
    assert soon_after_waking(at(23, 0), time(0, 30))
    assert not soon_after_waking(at(22, 0), time(0, 30))  # up early, before midnight, for a 00:30 rising


def test_clocks_going_forward_do_not_shorten_the_window() -> None:
    # 29 March 2026: London goes from 01:00 to 02:00. Up by 00:30; at 02:45 only 1 h 15 min have passed.
    spring = at(2, 45, day=29, month=3)
    assert spring.utcoffset() == timedelta(hours=1)
    assert soon_after_waking(spring, time(0, 30))
    assert not soon_after_waking(at(3, 30, day=29, month=3), time(0, 30))  # 2 h in real time: outside


def test_clocks_going_back_do_not_shorten_the_window() -> None:
    # 25 October 2026: London goes from 02:00 back to 01:00. Up by 01:30 (the first one); 02:45 on the
    # wall is 1 h 15 min later on the clock face: still soon after getting up (cautious).
    autumn = at(2, 45, day=25, month=10)
    assert soon_after_waking(autumn, time(1, 30))
    assert not soon_after_waking(at(4, 0, day=25, month=10), time(1, 30))


def test_a_manual_clock_stepping_past_the_boundary() -> None:
    clock = ManualClock(at(8, 59, 58))
    assert soon_after_waking(clock.now(), time(7, 0))
    clock.advance(2)
    assert not soon_after_waking(clock.now(), time(7, 0))


def test_the_glide_is_left_out_soon_after_waking_and_kept_later() -> None:
    routine, left_out = leave_out_soon_after_waking(ROUTINE, at(8, 0), time(7, 0), GLIDE_ONLY)
    assert left_out == ("nerve-glide",)
    assert [item.exercise_id for item in routine.items] == ["figure-four", "bridge"]
    assert leave_out_soon_after_waking(ROUTINE, at(9, 0), time(7, 0), GLIDE_ONLY) == (ROUTINE, ())
    without = Routine(Phase.STRENGTH, (FIGURE_FOUR,))
    assert leave_out_soon_after_waking(without, at(8, 0), time(7, 0), GLIDE_ONLY) == (without, ())


# ---- the catalogue says which exercises ------------------------------------------------------------------
def test_the_catalogue_marks_the_nerve_glide_and_nothing_else() -> None:
    catalogue = load_catalogue()
    assert affected_side_exercises(catalogue) == GLIDE_ONLY
    assert later_in_the_day_exercises(catalogue) == GLIDE_ONLY


def _catalogue_with(**glide_fields: object) -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(asset_path("catalogue.json").read_text(encoding="utf-8"))
    glide = next(e for e in raw["exercises"] if e["id"] == "nerve-glide")
    glide.update(glide_fields)
    return raw


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"affected_side_only": "yes"}, 'field "affected_side_only" must be true or false'),
        ({"not_soon_after_waking": 1}, 'field "not_soon_after_waking" must be true or false'),
        ({"side_mode": "both"}, 'field "affected_side_only" is only for a one-sided exercise'),
    ],
)
def test_the_catalogue_fields_are_checked(fields: dict[str, object], problem: str) -> None:
    with pytest.raises(CatalogueError) as raised:
        parse_catalogue(_catalogue_with(**fields))
    assert any(problem in line for line in raised.value.problems)


def test_left_out_the_fields_are_false() -> None:
    raw = _catalogue_with()
    glide = next(e for e in raw["exercises"] if e["id"] == "nerve-glide")
    del glide["affected_side_only"], glide["not_soon_after_waking"]
    assert affected_side_exercises(parse_catalogue(raw)) == frozenset()


def test_a_manual_clock_stepping_through_the_spring_change() -> None:
    """Up by 00:30 on the day the clocks go forward (01:00 GMT → 02:00 BST): the window closes two real
    hours later, at 03:30 on the clock face, not at 02:30."""
    clock = ManualClock(at(0, 30, day=29).astimezone(UTC))
    clock.advance(2 * 3600 - 1)
    assert clock.now().astimezone(LONDON).strftime("%H:%M:%S") == "03:29:59"
    assert soon_after_waking(clock.now().astimezone(LONDON), time(0, 30))
    clock.advance(1)
    assert not soon_after_waking(clock.now().astimezone(LONDON), time(0, 30))
