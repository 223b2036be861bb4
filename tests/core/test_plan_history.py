"""The plan's history in the core: which plan was in force on a day, the targets it gives, the tolerant
codec, and (Hypothesis) that adding a change never moves the weeks before it."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sciatica_coach.core.adherence import build_history
from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, SideMode
from sciatica_coach.core.plan_history import (
    ChangeKind,
    PlanChange,
    PlanHistory,
    change_to_dict,
    history_from_list,
    history_to_list,
    routine_record_from_dict,
)
from sciatica_coach.core.schedule import DEFAULT_PLAN, WEEKDAYS, Reminder, ReminderPlan
from tests.helpers import session_record

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 3, 2)
ROUTINE = Routine(Phase.MOBILITY, (RoutineItem("pelvic-tilt", Dose(5, 10, 1, 3, 30), SideMode.BOTH),))
STRONGER = Routine(Phase.STRENGTH, (RoutineItem("bridge", Dose(5, 8, 2, 3, 45), SideMode.BOTH),))
THREE = ReminderPlan((Reminder(time(8, 0)), Reminder(time(13, 0)), Reminder(time(19, 0))))
WEEKDAYS_ONLY = ReminderPlan((Reminder(time(7, 30), WEEKDAYS),))


def change(on: date, reminders: ReminderPlan = DEFAULT_PLAN, *, kind: ChangeKind = ChangeKind.REMINDERS,
           routine: Routine = ROUTINE, hour: int = 9, reason: str = "Reminders changed") -> PlanChange:  # fmt: skip
    made = datetime.combine(on - timedelta(days=1), time(hour, 0), LONDON)
    return PlanChange(on, made, kind, reason, reminders, routine)


START = change(MONDAY, kind=ChangeKind.START, reason="Read as today's plan from the start")


def test_plan_on_is_the_last_change_in_force_and_the_first_before_it() -> None:
    later = change(MONDAY + timedelta(days=10), THREE)
    history = PlanHistory([later, START])  # any order in, oldest first out
    assert history.changes == (START, later)
    assert history.plan_on(MONDAY - timedelta(days=30)) is START
    assert history.plan_on(MONDAY + timedelta(days=9)) is START
    assert history.plan_on(MONDAY + timedelta(days=10)) is later
    assert history.plan_on(MONDAY + timedelta(days=400)) is later
    assert history.reminders_on(MONDAY) == DEFAULT_PLAN and history.routine_on(MONDAY) == ROUTINE
    assert history.between(MONDAY + timedelta(days=1), MONDAY + timedelta(days=10)) == (later,)


def test_two_changes_for_the_same_day_the_later_wins() -> None:
    morning = change(MONDAY + timedelta(days=3), THREE, hour=8)
    evening = change(MONDAY + timedelta(days=3), WEEKDAYS_ONLY, hour=20)
    history = PlanHistory([START, evening, morning])
    assert history.plan_on(MONDAY + timedelta(days=3)) is evening


def test_target_for_counts_the_reminders_of_that_day_in_force_then() -> None:
    history = PlanHistory([START, change(MONDAY + timedelta(days=7), WEEKDAYS_ONLY)])
    assert [history.target_for(MONDAY + timedelta(days=i)) for i in range(14)] == [2] * 7 + [1] * 5 + [0, 0]


def test_an_empty_history_has_no_plan() -> None:
    assert not PlanHistory()
    with pytest.raises(LookupError):
        PlanHistory().plan_on(MONDAY)


def test_the_codec_round_trips_and_keeps_a_past_routine_as_recorded() -> None:
    retired = Routine(
        Phase.BALL, (RoutineItem("an-exercise-no-longer-offered", Dose(0, 1, 1, 0, 0), SideMode.ALTERNATING),)
    )
    history = PlanHistory(
        [START, change(MONDAY + timedelta(days=5), THREE, kind=ChangeKind.PHASE, routine=retired)]
    )
    data = history_to_list(history)
    assert data[1]["on"] == "2026-03-07" and data[1]["kind"] == "phase"
    assert history_from_list(data) == history


@pytest.mark.parametrize(
    "damage",
    [
        {"kind": None},  # None: the field is missing
        {"at": "2026-03-04T09:00:00"},  # no UTC offset
        {"on": "the fifth"},
        {"kind": "sideways"},
        {"reason": 7},
        {"reminders": {"reminders": [{"time": "25:00"}]}},
        {"routine": {"phase": 9, "items": []}},
        {"routine": {"phase": 1, "items": [{"exercise": "bridge", "reps": -1}]}},
    ],
)
def test_a_damaged_entry_is_skipped_with_a_log_line(
    damage: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    good = change(MONDAY + timedelta(days=8), THREE)
    bad = {**change_to_dict(change(MONDAY + timedelta(days=4), THREE)), **damage}
    bad = {key: value for key, value in bad.items() if value is not None}
    with caplog.at_level(logging.WARNING):
        history = history_from_list([change_to_dict(START), bad, "junk", change_to_dict(good)])
    assert history.changes == (START, good)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert messages[0].startswith("Skipping plan change 2: a damaged plan change")
    assert messages[1].startswith("Skipping plan change 3:")


@pytest.mark.parametrize("data", [None, "a list?", 42, {"changes": []}])
def test_data_that_is_not_a_list_reads_as_empty(data: object) -> None:
    assert history_from_list(data) == PlanHistory()


def test_a_routine_record_needs_no_catalogue_but_a_sound_shape() -> None:
    assert routine_record_from_dict({"phase": 2, "items": []}) == Routine(Phase.STRENGTH, ())
    with pytest.raises(ValueError):
        routine_record_from_dict({"phase": 2, "items": [{"exercise": "bridge", "hold_s": True}]})


# --- the property: a change never rewrites the weeks before it --------------------------------------------

PLANS = st.sampled_from([DEFAULT_PLAN, THREE, WEEKDAYS_ONLY, ReminderPlan(())])
TODAY = MONDAY + timedelta(weeks=10)


@st.composite
def histories(draw: st.DrawFn) -> list[PlanChange]:
    offsets = sorted(draw(st.lists(st.integers(1, 69), max_size=6)))
    first = change(MONDAY, draw(PLANS), kind=ChangeKind.START)
    return [first, *(change(MONDAY + timedelta(days=d), draw(PLANS)) for d in offsets)]


@settings(max_examples=80, deadline=None)
@given(histories(), st.integers(1, 69), PLANS, st.lists(st.integers(0, 2), min_size=70, max_size=70))
def test_adding_a_change_never_moves_the_weekly_targets_before_it(
    changes: list[PlanChange], offset: int, plan: ReminderPlan, per_day: list[int]
) -> None:
    sessions = []
    for day, count in enumerate(per_day):
        for k in range(count):
            started = datetime.combine(MONDAY + timedelta(days=day), time(8 + 11 * k), LONDON)
            sessions.append(session_record(f"{day}-{k}", started))
    new_on = max(c.on for c in changes) + timedelta(days=offset)  # changes only ever come after the last
    before = PlanHistory(changes)
    after = PlanHistory([*changes, change(new_on, plan)])

    def weeks(history: PlanHistory) -> list[tuple[date, int, float | None]]:
        built = build_history(
            sessions, tz=LONDON, today=TODAY, target_for=history.target_for, plan_start=MONDAY
        )
        return [(row.start, row.target, row.adherence_pct) for row in built.weekly_table(20)]

    untouched = [
        (w, a) for w, a in zip(weeks(before), weeks(after), strict=True) if w[0] + timedelta(days=6) < new_on
    ]
    assert all(w == a for w, a in untouched)
    first_change = changes[1].on if len(changes) > 1 else new_on
    for day in range((first_change - MONDAY).days):  # before the first change: the START plan, always
        assert after.target_for(MONDAY + timedelta(days=day)) == before.target_for(
            MONDAY + timedelta(days=day)
        )
