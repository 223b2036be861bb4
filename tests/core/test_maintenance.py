"""Keeping the habit (core/maintenance.py): the offer at its borders (13 vs 14 days of low pain, pain exactly 2
and 3, a spread-down or new numbness in the window), the lighter routine, the way back (pain above 3 on two
days in a week), the periods read from the decisions, the weekly figures and their stored round trip."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sciatica_coach.core import maintenance
from sciatica_coach.core.catalogue import Catalogue, load_catalogue
from sciatica_coach.core.model import (
    Direction,
    ExerciseRecord,
    Outcome,
    PainReport,
    Phase,
    Routine,
    SessionRecord,
    SymptomChange,
)
from sciatica_coach.core.progression import (
    ChangeKind,
    Decision,
    Proposal,
    decide,
    decision_from_dict,
    decision_to_dict,
)

TZ = ZoneInfo("Europe/London")
TODAY = date(2026, 6, 15)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def routine(catalogue: Catalogue) -> Routine:
    return catalogue.default_routine(Phase.STRENGTH)


def at(days_ago: int, hour: int = 9) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), time(hour), tzinfo=TZ)


def session(
    routine: Routine,
    days_ago: int,
    pain: int = 1,
    *,
    hour: int = 9,
    down: bool = False,
    numb: bool = False,
    outcome: Outcome = Outcome.COMPLETED,
) -> SessionRecord:
    start = at(days_ago, hour)
    return SessionRecord(
        id=f"s-{days_ago}-{hour}",
        started_at=start,
        ended_at=start + timedelta(minutes=10),
        phase=routine.phase,
        exercises=tuple(
            ExerciseRecord(
                exercise_id=item.exercise_id,
                reps_done=item.dose.reps,
                reps_planned=item.dose.reps,
                sets_done=1,
                sets_planned=1,
                hold_s=item.dose.hold_s,
                symptom=SymptomChange.DOWN if down and n == 0 else SymptomChange.SAME,
            )
            for n, item in enumerate(routine.items)
        ),
        outcome=outcome,
        pain_before=PainReport(pain, pain, new_numbness_or_weakness=numb),
        pain_after=PainReport(pain, pain),
    )


def low_days(routine: Routine, days: int, pain: int = 1) -> list[SessionRecord]:
    """One session a day on each of the last ``days`` days, today included."""
    return [session(routine, d, pain) for d in range(days - 1, -1, -1)]


def offer(
    catalogue: Catalogue, routine: Routine, sessions: list[SessionRecord], history: Sequence[Decision] = ()
) -> Proposal | None:
    return maintenance.offer(sessions, routine, catalogue, TODAY, history, tz=TZ)


def accepted(kind: ChangeKind, days_ago: int, target: int | None = None, accepted: bool = True) -> Decision:
    return Decision(
        at(days_ago, 20), accepted, kind, "", "", Phase.STRENGTH, Phase.STRENGTH, weekly_target=target
    )


# --- the offer ---------------------------------------------------------------------------------------------


def test_thirteen_days_of_low_pain_are_not_enough_and_fourteen_are(
    catalogue: Catalogue, routine: Routine
) -> None:
    assert offer(catalogue, routine, low_days(routine, 13)) is None
    proposal = offer(catalogue, routine, low_days(routine, 14))
    assert proposal is not None
    assert proposal.kind is ChangeKind.MAINTENANCE
    assert proposal.weekly_target == maintenance.DEFAULT_WEEKLY_TARGET
    assert "two weeks" in proposal.title


@pytest.mark.parametrize(("pain", "offered"), [(0, True), (2, True), (3, False)])
def test_pain_exactly_two_still_counts_as_low_and_three_does_not(
    catalogue: Catalogue, routine: Routine, pain: int, offered: bool
) -> None:
    sessions = low_days(routine, 14)
    sessions[5] = session(routine, 8, pain)
    assert (offer(catalogue, routine, sessions) is not None) is offered


def test_higher_pain_only_before_the_window_does_not_block(catalogue: Catalogue, routine: Routine) -> None:
    sessions = [session(routine, 14, 6), *low_days(routine, 14)]
    assert offer(catalogue, routine, sessions) is not None
    sessions = [session(routine, 13, 6, hour=20), *low_days(routine, 14)]
    assert offer(catalogue, routine, sessions) is None


@pytest.mark.parametrize("days_ago", [0, 13])
def test_a_spread_down_in_the_window_blocks_it(catalogue: Catalogue, routine: Routine, days_ago: int) -> None:
    sessions = low_days(routine, 15)
    sessions = [s for s in sessions if s.id != f"s-{days_ago}-9"] + [session(routine, days_ago, down=True)]
    assert offer(catalogue, routine, sessions) is None
    sessions = [s for s in low_days(routine, 15) if s.id != "s-14-9"] + [session(routine, 14, down=True)]
    assert offer(catalogue, routine, sessions) is not None  # a day before the window


def test_new_numbness_blocks_it(catalogue: Catalogue, routine: Routine) -> None:
    sessions = low_days(routine, 14)
    sessions[3] = session(routine, 10, numb=True)
    assert offer(catalogue, routine, sessions) is None


def test_too_few_reports_over_the_two_weeks(catalogue: Catalogue, routine: Routine) -> None:
    sessions = [session(routine, d) for d in (13, 7, 0)]
    assert offer(catalogue, routine, sessions) is None
    sessions.append(session(routine, 3))
    assert offer(catalogue, routine, sessions) is not None


def test_not_offered_without_strengthening_in_the_routine(catalogue: Catalogue) -> None:
    mobility = catalogue.default_routine(Phase.MOBILITY)
    assert offer(catalogue, mobility, low_days(mobility, 20)) is None


def test_not_now_pauses_the_offer_for_two_weeks(catalogue: Catalogue, routine: Routine) -> None:
    sessions = low_days(routine, 40)
    assert offer(catalogue, routine, sessions, [accepted(ChangeKind.MAINTENANCE, 13, accepted=False)]) is None
    assert (
        offer(catalogue, routine, sessions, [accepted(ChangeKind.MAINTENANCE, 14, accepted=False)])
        is not None
    )


def test_not_offered_again_while_keeping_the_habit(catalogue: Catalogue, routine: Routine) -> None:
    sessions = low_days(routine, 40)
    assert offer(catalogue, routine, sessions, [accepted(ChangeKind.MAINTENANCE, 20, 2)]) is None
    back = [accepted(ChangeKind.MAINTENANCE, 30, 2), accepted(ChangeKind.FULL_PLAN, 14)]
    assert offer(catalogue, routine, sessions, back) is not None
    soon = [accepted(ChangeKind.MAINTENANCE, 30, 2), accepted(ChangeKind.FULL_PLAN, 13)]
    assert offer(catalogue, routine, sessions, soon) is None  # not asked again straight after going back


# --- the lighter routine -----------------------------------------------------------------------------------


def test_lighter_routine_keeps_the_strengthening_at_its_doses_and_one_mobility_exercise(
    catalogue: Catalogue, routine: Routine
) -> None:
    lighter = maintenance.lighter_routine(routine, catalogue)
    assert lighter is not None
    ids = [item.exercise_id for item in lighter.items]
    assert ids == ["cat-camel", "bridge", "bird-dog", "dead-bug"]
    assert lighter.phase is routine.phase
    assert {i.exercise_id: i.dose for i in lighter.items}["bridge"] == {
        i.exercise_id: i.dose for i in routine.items
    }["bridge"]


def test_lighter_routine_takes_a_phase_one_exercise_when_the_routine_has_no_other(
    catalogue: Catalogue,
) -> None:
    strength_only = Routine(
        Phase.STRENGTH,
        tuple(i for i in catalogue.default_routine(Phase.STRENGTH).items if i.exercise_id == "bridge"),
    )
    lighter = maintenance.lighter_routine(strength_only, catalogue, Direction.EXTENSION)
    assert lighter is not None
    first = catalogue.default_routine(Phase.MOBILITY, Direction.EXTENSION).items[0].exercise_id
    assert [i.exercise_id for i in lighter.items] == [first, "bridge"]


# --- the way back ------------------------------------------------------------------------------------------


def back(routine: Routine, sessions: list[SessionRecord], history: list[Decision]) -> Proposal | None:
    return maintenance.way_back(sessions, routine, TODAY, history, tz=TZ)


@pytest.mark.parametrize(
    ("pains", "offered"), [((4, 4), True), ((3, 3), False), ((4, 3), False), ((4,), False)]
)
def test_way_back_after_pain_above_three_on_two_days(
    routine: Routine, pains: tuple[int, ...], offered: bool
) -> None:
    history = [accepted(ChangeKind.MAINTENANCE, 30, 2)]
    sessions = low_days(routine, 10) + [
        session(routine, d, p, hour=18) for d, p in zip((5, 1), pains, strict=False)
    ]
    proposal = back(routine, sessions, history)
    assert (proposal is not None) is offered
    if proposal is not None:
        assert proposal.kind is ChangeKind.FULL_PLAN
        assert proposal.new_routine == routine
        assert "doctor or physiotherapist" in proposal.question


def test_way_back_counts_days_within_one_week_only(routine: Routine) -> None:
    history = [accepted(ChangeKind.MAINTENANCE, 30, 2)]
    two_same_day = [session(routine, 1, 5), session(routine, 1, 5, hour=18)]
    assert back(routine, two_same_day, history) is None
    week_apart = [session(routine, 7, 5), session(routine, 0, 5)]
    assert back(routine, week_apart, history) is None
    six_apart = [session(routine, 6, 5), session(routine, 0, 5)]
    assert back(routine, six_apart, history) is not None


def test_way_back_only_while_keeping_the_habit_and_after_not_now(routine: Routine) -> None:
    sessions = [session(routine, 3, 5), session(routine, 2, 5)]
    assert back(routine, sessions, []) is None
    history = [accepted(ChangeKind.MAINTENANCE, 30, 2), accepted(ChangeKind.FULL_PLAN, 2, accepted=False)]
    assert back(routine, sessions, history) is None
    assert back(routine, [*sessions, session(routine, 0, 5)], history) is None  # one new day
    assert back(routine, [*sessions, session(routine, 1, 5), session(routine, 0, 5)], history) is not None


# --- periods and weeks -------------------------------------------------------------------------------------


def test_periods_from_the_decisions() -> None:
    history = [
        accepted(ChangeKind.MAINTENANCE, 40, 2),
        accepted(ChangeKind.FULL_PLAN, 30),
        accepted(ChangeKind.MAINTENANCE, 10, accepted=False),
        accepted(ChangeKind.MAINTENANCE, 5, 3),
    ]
    found = maintenance.periods(history, TZ)
    assert found == [
        maintenance.Period(TODAY - timedelta(days=39), TODAY - timedelta(days=29), 2),
        maintenance.Period(TODAY - timedelta(days=4), None, 3),
    ]
    assert maintenance.active(history, TZ) == found[-1]
    assert maintenance.active(history[:2], TZ) is None


def test_weeks_count_completed_sessions_against_the_weekly_target(routine: Routine) -> None:
    period = maintenance.Period(TODAY - timedelta(days=9), None, 3)
    sessions = [
        session(routine, 9),
        session(routine, 7),
        session(routine, 4),
        session(routine, 3, outcome=Outcome.ENDED_EARLY),  # not counted
        session(routine, 2),
        session(routine, 0),
        session(routine, 12),  # before the period
    ]
    weeks = maintenance.weeks(period, sessions, TODAY, TZ)
    assert [(w.start, w.end, w.completed, w.target, w.in_progress) for w in weeks] == [
        (TODAY - timedelta(days=9), TODAY - timedelta(days=3), 3, 3, False),
        (TODAY - timedelta(days=2), TODAY, 2, 3, True),
    ]
    assert weeks[0].met and not weeks[1].met
    assert maintenance.week_words(weeks[1]) == "2 of 3 this week"
    assert maintenance.week_words(weeks[0]) == "3 of 3 that week"


@pytest.mark.parametrize("days_in", [0, 3, 6])
def test_the_current_week_is_this_week_to_its_last_day(routine: Routine, days_in: int) -> None:
    period = maintenance.Period(TODAY - timedelta(days=7 + days_in), None, 3)
    weeks = maintenance.weeks(period, [session(routine, 0)], TODAY, TZ)
    assert weeks[-1].start == TODAY - timedelta(days=days_in) and weeks[-1].end == TODAY
    assert weeks[-1].in_progress and not weeks[0].in_progress
    assert maintenance.week_words(weeks[-1]) == "1 of 3 this week"


def test_weeks_stop_at_the_end_of_the_period(routine: Routine) -> None:
    period = maintenance.Period(TODAY - timedelta(days=20), TODAY - timedelta(days=10), 2)
    weeks = maintenance.weeks(period, [session(routine, 5)], TODAY, TZ)
    assert [(w.start, w.end, w.completed) for w in weeks] == [
        (TODAY - timedelta(days=20), TODAY - timedelta(days=14), 0),
        (TODAY - timedelta(days=13), TODAY - timedelta(days=11), 0),
    ]
    assert not any(w.in_progress for w in weeks)


def test_the_chosen_weekly_target_survives_the_stored_decision(
    catalogue: Catalogue, routine: Routine
) -> None:
    proposal = offer(catalogue, routine, low_days(routine, 14))
    assert proposal is not None
    from dataclasses import replace

    decision = decide(replace(proposal, weekly_target=2), True, at(0, 20))
    again = decision_from_dict(decision_to_dict(decision))
    assert again == decision and again.weekly_target == 2 and again.kind is ChangeKind.MAINTENANCE
    plain = decision_to_dict(accepted(ChangeKind.ADD_REPS, 1))
    assert "weekly_target" not in plain  # other decisions are stored as before
