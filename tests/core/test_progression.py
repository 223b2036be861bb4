"""Progression rules, table-driven: easing off (red, repeated amber, spreading down, next-morning flares),
phase 1 -> 2, phase 2 -> 3, small dose steps, borders of every threshold, empty history, apply, and the
stored decision history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

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
    DoseChange,
    Proposal,
    apply,
    decide,
    decision_from_dict,
    decision_to_dict,
    flare_days,
    propose,
)

TZ = ZoneInfo("Europe/London")
TODAY = date(2026, 3, 16)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def at(days_ago: int, hour: int = 9) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), time(hour), tzinfo=TZ)


def session(
    routine: Routine,
    days_ago: int,
    hour: int = 9,
    *,
    before: int | None = 2,
    after: int | None = None,
    numb: bool = False,
    down: Sequence[str] = (),
    outcome: Outcome = Outcome.COMPLETED,
    phase: Phase | None = None,
) -> SessionRecord:
    start = at(days_ago, hour)
    records = tuple(
        ExerciseRecord(
            exercise_id=item.exercise_id,
            reps_done=item.dose.reps * item.dose.sets,
            reps_planned=item.dose.reps * item.dose.sets,
            sets_done=item.dose.sets,
            sets_planned=item.dose.sets,
            hold_s=item.dose.hold_s,
            symptom=SymptomChange.DOWN if item.exercise_id in down else SymptomChange.SAME,
        )
        for item in routine.items
    )
    return SessionRecord(
        id=f"s-{days_ago}-{hour}",
        started_at=start,
        ended_at=start + timedelta(minutes=10),
        phase=phase or routine.phase,
        exercises=records,
        outcome=outcome,
        pain_before=PainReport(before, before, new_numbness_or_weakness=numb) if before is not None else None,
        pain_after=PainReport(after, after) if after is not None else None,
    )


def daily(routine: Routine, days: int, *, per_day: int = 2, before: int = 2) -> list[SessionRecord]:
    """`per_day` comfortable sessions on each of the last `days` days (today included)."""
    hours = (9, 18)[:per_day]
    return [session(routine, d, h, before=before) for d in range(days - 1, -1, -1) for h in hours]


def run(
    catalogue: Catalogue,
    routine: Routine,
    sessions: Sequence[SessionRecord],
    history: Sequence[Decision] = (),
    avoid: Direction | None = None,
) -> Proposal | None:
    return propose(sessions, routine, catalogue, TODAY, history, tz=TZ, avoid=avoid)


def declined(kind: ChangeKind, days_ago: int, hour: int = 23, accepted: bool = False) -> Decision:
    return Decision(at(days_ago, hour), accepted, kind, "t", "r", Phase.MOBILITY, Phase.MOBILITY)


def p1(catalogue: Catalogue) -> Routine:
    return catalogue.default_routine(Phase.MOBILITY)


def p2(catalogue: Catalogue) -> Routine:
    return catalogue.default_routine(Phase.STRENGTH)


# --- empty history ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("phase", list(Phase))
def test_no_sessions_means_no_proposal(catalogue: Catalogue, phase: Phase) -> None:
    assert run(catalogue, catalogue.default_routine(phase), []) is None


def test_a_few_comfortable_sessions_are_not_enough_for_anything(catalogue: Catalogue) -> None:
    routine = p1(catalogue)
    assert run(catalogue, routine, [session(routine, 1), session(routine, 0)]) is None


# --- easing off ------------------------------------------------------------------------------------------

EASE_CASES = [
    # id, phase, session kwargs list (days_ago, kwargs), expected kind, expected exercises changed / to phase
    ("red before, phase 1: halve all", 1, [(0, {"before": 6})], ChangeKind.HALVE_REPS, "all"),
    ("pain 5 once is only amber: nothing", 1, [(0, {"before": 5})], None, None),
    ("red after, phase 1", 1, [(0, {"before": 2, "after": 7})], ChangeKind.HALVE_REPS, "all"),
    ("new numbness is red", 1, [(0, {"before": 0, "numb": True})], ChangeKind.HALVE_REPS, "all"),
    ("red 2 days ago counts", 1, [(2, {"before": 6})], ChangeKind.HALVE_REPS, "all"),
    ("red 3 days ago is too old", 1, [(3, {"before": 6})], None, None),
    ("red, phase 2: back to phase 1", 2, [(0, {"before": 8})], ChangeKind.PHASE_DOWN, Phase.MOBILITY),
    ("amber twice: halve all", 1, [(1, {"before": 4}), (0, {"after": 5})], ChangeKind.HALVE_REPS, "all"),
    ("amber twice in phase 2 halves, no step back", 2, [(1, {"before": 4}), (0, {"before": 4})],
     ChangeKind.HALVE_REPS, "all"),
    ("amber once: nothing", 1, [(1, {"before": 4}), (0, {"before": 3})], None, None),
    ("amber twice but one is 3 days old", 1, [(3, {"before": 4}), (0, {"before": 4})], None, None),
    ("spread down, phase 1: halve that one", 1, [(0, {"down": ["knee-to-chest"]})], ChangeKind.HALVE_REPS,
     ["knee-to-chest"]),
    ("spread down on a phase-2 exercise in phase 2: back a phase", 2, [(0, {"down": ["bridge"]})],
     ChangeKind.PHASE_DOWN, Phase.MOBILITY),
    ("spread down on a phase-1 exercise in phase 2: halve it", 2, [(0, {"down": ["cat-camel"]})],
     ChangeKind.HALVE_REPS, ["cat-camel"]),
    ("spread down 3 days ago is too old", 1, [(3, {"down": ["knee-to-chest"]})], None, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("phase", "specs", "kind", "expected"), [case[1:] for case in EASE_CASES], ids=[c[0] for c in EASE_CASES]
)
def test_easing_off(
    catalogue: Catalogue,
    phase: int,
    specs: list[tuple[int, dict[str, object]]],
    kind: ChangeKind | None,
    expected: object,
) -> None:
    routine = catalogue.default_routine(Phase(phase))
    sessions = [session(routine, days_ago, **kwargs) for days_ago, kwargs in specs]  # type: ignore[arg-type]
    proposal = run(catalogue, routine, sessions)
    if kind is None:
        assert proposal is None
        return
    assert proposal is not None
    assert proposal.kind is kind
    assert proposal.easing
    assert proposal.reason and proposal.reason in proposal.question
    if kind is ChangeKind.PHASE_DOWN:
        assert proposal.to_phase is expected
        assert proposal.new_routine == catalogue.default_routine(Phase.MOBILITY)
    else:
        ids = [i.exercise_id for i in routine.items if i.dose.reps > 1] if expected == "all" else expected
        assert [c.exercise_id for c in proposal.changes] == ids
        for change in proposal.changes:
            assert change.field == "reps"
            assert change.new == max(1, change.old // 2)


def test_easing_off_ignores_sessions_before_the_last_decision(catalogue: Catalogue) -> None:
    routine = p1(catalogue)
    sessions = [session(routine, 0, 8, before=7)]
    assert run(catalogue, routine, sessions) is not None
    history = [declined(ChangeKind.HALVE_REPS, 0, hour=8)]
    history = [replace(history[0], decided_at=at(0, 8) + timedelta(minutes=30))]
    assert run(catalogue, routine, sessions, history) is None
    # but new red pain after the decision is asked about again
    sessions.append(session(routine, 0, 18, before=7))
    again = run(catalogue, routine, sessions, history)
    assert again is not None and again.kind is ChangeKind.HALVE_REPS


def test_halving_needs_something_to_halve(catalogue: Catalogue) -> None:
    routine = Routine(Phase.MOBILITY, (catalogue.default_item("prone-lying"),))  # 1 rep
    assert run(catalogue, routine, [session(routine, 0, before=7)]) is None


def test_step_back_honours_the_avoided_direction(catalogue: Catalogue) -> None:
    routine = p2(catalogue)
    proposal = run(catalogue, routine, [session(routine, 0, before=8)], avoid=Direction.EXTENSION)
    assert proposal is not None and proposal.new_routine is not None
    assert proposal.new_routine == catalogue.default_routine(Phase.MOBILITY, Direction.EXTENSION)


# --- next-morning flares ---------------------------------------------------------------------------------

FLARE_CASES = [
    # (evening pain, next morning pain) pairs on consecutive days; whether it is a flare
    ("rise of 2 is a flare", 2, 4, True),
    ("rise of 1 is not", 2, 3, False),
    ("no rise", 3, 3, False),
    ("going down", 5, 2, False),
]


@pytest.mark.parametrize(
    ("evening", "morning", "flare"), [c[1:] for c in FLARE_CASES], ids=[c[0] for c in FLARE_CASES]
)
def test_flare_days(catalogue: Catalogue, evening: int, morning: int, flare: bool) -> None:
    routine = p1(catalogue)
    sessions = [session(routine, 1, 18, before=evening), session(routine, 0, 8, before=morning)]
    assert flare_days(sessions, TZ) == ([TODAY] if flare else [])


def test_a_gap_day_is_not_a_flare(catalogue: Catalogue) -> None:
    routine = p1(catalogue)
    assert flare_days([session(routine, 2, 18, before=1), session(routine, 0, 8, before=3)], TZ) == []


def test_pain_after_the_evening_session_is_the_baseline(catalogue: Catalogue) -> None:
    routine = p1(catalogue)
    sessions = [session(routine, 1, 18, before=0, after=3), session(routine, 0, 8, before=3)]
    assert flare_days(sessions, TZ) == []


@pytest.mark.parametrize(("flares", "expected"), [(1, None), (2, ChangeKind.HALVE_REPS)])
def test_two_flare_days_ease_off(catalogue: Catalogue, flares: int, expected: ChangeKind | None) -> None:
    routine = p1(catalogue)
    sessions = []
    for n in range(flares):  # each flare: 1 in the evening, 3 next morning (green, so no other rule fires)
        sessions += [session(routine, 2 * n + 1, 18, before=1), session(routine, 2 * n, 8, before=3)]
    proposal = run(catalogue, routine, sessions)
    assert (proposal.kind if proposal else None) is expected


def test_two_flare_days_in_phase_2_step_back(catalogue: Catalogue) -> None:
    routine = p2(catalogue)
    sessions = [
        session(routine, 3, 18, before=1),
        session(routine, 2, 8, before=3),
        session(routine, 1, 18, before=1),
        session(routine, 0, 8, before=3),
    ]
    proposal = run(catalogue, routine, sessions)
    assert proposal is not None and proposal.kind is ChangeKind.PHASE_DOWN


# --- phase 1 -> 2 ----------------------------------------------------------------------------------------


def test_a_comfortable_week_suggests_phase_2(catalogue: Catalogue) -> None:
    routine = p1(catalogue)
    proposal = run(catalogue, routine, daily(routine, 7))
    assert proposal is not None
    assert proposal.kind is ChangeKind.PHASE_UP
    assert (proposal.from_phase, proposal.to_phase) == (Phase.MOBILITY, Phase.STRENGTH)
    assert proposal.new_routine == catalogue.default_routine(Phase.STRENGTH)
    assert "Would you like" in proposal.question
    assert apply(proposal, routine) == catalogue.default_routine(Phase.STRENGTH)


def _week_with_half_days(catalogue: Catalogue, half_days: int) -> list[SessionRecord]:
    """7 days, twice a day, except `half_days` days (the oldest) with one session (50 %)."""
    routine = p1(catalogue)
    sessions = []
    for days_ago in range(6, -1, -1):
        hours = (9,) if days_ago >= 7 - half_days else (9, 18)
        sessions += [session(routine, days_ago, h) for h in hours]
    return sessions


@pytest.mark.parametrize(("half_days", "moves_up"), [(0, True), (2, True), (3, False), (7, False)])
def test_phase_2_needs_5_good_days_of_the_last_7(
    catalogue: Catalogue, half_days: int, moves_up: bool
) -> None:
    proposal = run(catalogue, p1(catalogue), _week_with_half_days(catalogue, half_days))
    assert (proposal is not None and proposal.kind is ChangeKind.PHASE_UP) is moves_up


def test_ended_early_counts_half(catalogue: Catalogue) -> None:
    routine = p1(catalogue)
    sessions = daily(routine, 7)
    # one session ended early on three days: 1.5 of 2 = 75 % < 80 %, so only 4 good days remain
    for days_ago in (4, 5, 6):
        index = next(i for i, s in enumerate(sessions) if s.started_at == at(days_ago, 18))
        sessions[index] = replace(sessions[index], outcome=Outcome.ENDED_EARLY)
    proposal = run(catalogue, routine, sessions)
    assert proposal is None or proposal.kind is not ChangeKind.PHASE_UP


@pytest.mark.parametrize(("pain", "moves_up"), [(3, True), (4, False)])
def test_phase_2_needs_pain_3_or_below_before_sessions(
    catalogue: Catalogue, pain: int, moves_up: bool
) -> None:
    routine = p1(catalogue)
    sessions = daily(routine, 7)
    sessions[0] = replace(sessions[0], pain_before=PainReport(pain, 0))  # 6 days ago: not an easing trigger
    proposal = run(catalogue, routine, sessions)
    assert (proposal is not None and proposal.kind is ChangeKind.PHASE_UP) is moves_up


@pytest.mark.parametrize(("reports", "moves_up"), [(2, False), (3, True)])
def test_phase_2_needs_some_pain_reports(catalogue: Catalogue, reports: int, moves_up: bool) -> None:
    routine = p1(catalogue)
    sessions = [replace(s, pain_before=None) for s in daily(routine, 7)]
    for i in range(reports):
        sessions[i] = replace(sessions[i], pain_before=PainReport(1, 1))
    proposal = run(catalogue, routine, sessions)
    assert (proposal is not None and proposal.kind is ChangeKind.PHASE_UP) is moves_up


@pytest.mark.parametrize(("days_ago", "moves_up"), [(2, False), (3, True)])
def test_phase_2_needs_3_days_without_spreading_down(
    catalogue: Catalogue, days_ago: int, moves_up: bool
) -> None:
    routine = p1(catalogue)
    sessions = daily(routine, 7)
    index = next(i for i, s in enumerate(sessions) if s.started_at == at(days_ago, 9))
    sessions[index] = session(routine, days_ago, 9, down=["cat-camel"])
    # the person already said "not now" to easing off for it, so only the phase-up rule is in play
    history = [declined(ChangeKind.HALVE_REPS, days_ago, hour=10)]
    proposal = run(catalogue, routine, sessions, history)
    assert (proposal is not None and proposal.kind is ChangeKind.PHASE_UP) is moves_up


def test_a_flare_in_the_week_blocks_phase_2(catalogue: Catalogue) -> None:
    routine = p1(catalogue)
    sessions = daily(routine, 7, before=1)
    index = next(i for i, s in enumerate(sessions) if s.started_at == at(4, 9))
    sessions[index] = replace(sessions[index], pain_before=PainReport(3, 3))  # 1 -> 3 overnight
    proposal = run(catalogue, routine, sessions)
    assert proposal is None or proposal.kind is not ChangeKind.PHASE_UP


@pytest.mark.parametrize(("declined_days_ago", "asks_again"), [(2, False), (3, True)])
def test_a_declined_move_waits_3_days(catalogue: Catalogue, declined_days_ago: int, asks_again: bool) -> None:
    routine = p1(catalogue)
    history = [declined(ChangeKind.PHASE_UP, declined_days_ago, hour=0)]
    proposal = run(catalogue, routine, daily(routine, 7), history)
    assert (proposal is not None and proposal.kind is ChangeKind.PHASE_UP) is asks_again


def test_after_stepping_back_only_later_days_count(catalogue: Catalogue) -> None:
    routine = p1(catalogue)
    stepped = replace(declined(ChangeKind.PHASE_DOWN, 3, hour=23, accepted=True), from_phase=Phase.STRENGTH)
    proposal = run(catalogue, routine, daily(routine, 7), [stepped])
    assert proposal is None or proposal.kind is not ChangeKind.PHASE_UP


# --- phase 2 -> 3 ----------------------------------------------------------------------------------------


def strong_routine(catalogue: Catalogue, bridge_hold: int = 10) -> Routine:
    routine = p2(catalogue)
    targets = {"bridge": (10, bridge_hold), "bird-dog": (10, 10), "dead-bug": (10, 2)}
    items = tuple(
        replace(
            item,
            dose=item.dose.with_changes(
                reps=targets[item.exercise_id][0], hold_s=targets[item.exercise_id][1]
            ),
        )
        if item.exercise_id in targets
        else item
        for item in routine.items
    )
    return replace(routine, items=items)


@pytest.mark.parametrize(("days_in_phase", "moves_up"), [(14, False), (15, True)])
def test_phase_3_after_two_weeks_at_the_targets(
    catalogue: Catalogue, days_in_phase: int, moves_up: bool
) -> None:
    routine = strong_routine(catalogue)
    sessions = [session(p1(catalogue), 20, phase=Phase.MOBILITY), *daily(routine, days_in_phase)]
    proposal = run(catalogue, routine, sessions)
    assert (proposal is not None and proposal.kind is ChangeKind.PHASE_UP) is moves_up
    if moves_up:
        assert proposal is not None and proposal.to_phase is Phase.BALL


def test_phase_3_needs_the_bridge_held_10_seconds(catalogue: Catalogue) -> None:
    routine = strong_routine(catalogue, bridge_hold=9)
    proposal = run(catalogue, routine, daily(routine, 16))
    assert proposal is None or proposal.kind is not ChangeKind.PHASE_UP


def test_phase_3_needs_the_targets_done_in_full(catalogue: Catalogue) -> None:
    routine = strong_routine(catalogue)
    sessions = daily(routine, 16)
    last = sessions[-1]
    records = tuple(replace(r, skipped=True) if r.exercise_id == "bird-dog" else r for r in last.exercises)
    sessions[-1] = replace(last, exercises=records)
    proposal = run(catalogue, routine, sessions)
    assert proposal is None or proposal.kind is not ChangeKind.PHASE_UP


def test_phase_3_counts_from_the_accepted_move_to_phase_2(catalogue: Catalogue) -> None:
    routine = strong_routine(catalogue)
    moved = replace(declined(ChangeKind.PHASE_UP, 10, hour=0, accepted=True), to_phase=Phase.STRENGTH)
    proposal = run(catalogue, routine, daily(routine, 20), [moved])
    assert proposal is None or proposal.kind is not ChangeKind.PHASE_UP


def test_nothing_beyond_phase_3(catalogue: Catalogue) -> None:
    routine = catalogue.default_routine(Phase.BALL)
    proposal = run(catalogue, routine, daily(routine, 30))
    assert proposal is None or proposal.kind is not ChangeKind.PHASE_UP


# --- small dose steps ------------------------------------------------------------------------------------


def custom(catalogue: Catalogue, *entries: tuple[str, int, int]) -> Routine:
    """A phase-2 routine of (exercise, reps, hold_s)."""
    return Routine(
        Phase.STRENGTH,
        tuple(
            replace(
                catalogue.default_item(eid), dose=catalogue.get(eid).dose.with_changes(reps=reps, hold_s=hold)
            )
            for eid, reps, hold in entries
        ),
    )


def four_sessions(
    routine: Routine, days: Sequence[int] = (2, 1, 1, 0), **kwargs: object
) -> list[SessionRecord]:
    return [session(routine, d, 9 + 3 * n, **kwargs) for n, d in enumerate(days)]  # type: ignore[arg-type]


DOSE_CASES = [
    # id, routine entries, expected (exercise, field, old, new) or None
    ("reps first when further below the ceiling", [("bridge", 5, 8)], ("bridge", "reps", 5, 7)),
    ("hold when reps are nearer the ceiling", [("bridge", 13, 5)], ("bridge", "hold_s", 5, 7)),
    ("one rep left to the ceiling", [("bridge", 14, 10)], ("bridge", "reps", 14, 15)),
    ("one second left to the ceiling", [("bridge", 15, 9)], ("bridge", "hold_s", 9, 10)),
    ("at the ceiling: next exercise", [("bridge", 15, 10), ("bird-dog", 6, 6)], ("bird-dog", "reps", 6, 8)),
    ("long holds step by 5 s", [("figure-four", 3, 20)], ("figure-four", "hold_s", 20, 25)),
    ("everything at its ceiling: nothing", [("bridge", 15, 10), ("dead-bug", 10, 2)], None),
    ("a moving exercise gets no hold", [("cat-camel", 8, 0)], None),
]


@pytest.mark.parametrize(("entries", "expected"), [c[1:] for c in DOSE_CASES], ids=[c[0] for c in DOSE_CASES])
def test_dose_steps(
    catalogue: Catalogue, entries: list[tuple[str, int, int]], expected: tuple[str, str, int, int] | None
) -> None:
    routine = custom(catalogue, *entries)
    proposal = run(catalogue, routine, four_sessions(routine))
    if expected is None:
        assert proposal is None
        return
    assert proposal is not None
    assert proposal.kind is (ChangeKind.ADD_REPS if expected[1] == "reps" else ChangeKind.ADD_HOLD)
    assert proposal.changes == (DoseChange(*expected),)
    assert "comfortable" in proposal.reason
    new = apply(proposal, routine)
    changed = [i for i, j in zip(routine.items, new.items, strict=True) if i != j]
    assert len(changed) == 1  # one variable of one exercise


def test_the_bridge_question_reads_well(catalogue: Catalogue) -> None:
    routine = custom(catalogue, ("bridge", 5, 5))
    proposal = run(catalogue, routine, four_sessions(routine))
    assert proposal is not None
    assert proposal.title == "Add 2 repetitions to the bridge?"
    assert proposal.question.startswith("You've been comfortable for your last 4 sessions. Would you like")


@pytest.mark.parametrize(
    ("days", "kwargs", "steps"),
    [
        ((2, 1, 1, 0), {}, True),
        ((1, 1, 0), {}, False),  # only 3 sessions
        ((1, 1, 0, 0), {}, False),  # only 2 days
        ((2, 1, 1, 0), {"after": 4}, False),  # amber after: not comfortable (and not repeated: no easing)
        ((2, 1, 1, 0), {"before": None}, False),  # pain not asked: can't tell
        ((2, 1, 1, 0), {"outcome": Outcome.ENDED_EARLY}, False),
    ],
)
def test_dose_step_needs_several_comfortable_sessions(
    catalogue: Catalogue, days: tuple[int, ...], kwargs: dict[str, object], steps: bool
) -> None:
    routine = custom(catalogue, ("bridge", 5, 5))
    sessions = four_sessions(routine, days, **kwargs)
    if "after" in kwargs:  # keep it to one amber session
        sessions = [sessions[0], *four_sessions(routine, days)[1:]]
    proposal = run(catalogue, routine, sessions)
    assert (proposal is not None and proposal.kind is ChangeKind.ADD_REPS) is steps


def test_dose_step_counts_only_sessions_since_the_last_decision(catalogue: Catalogue) -> None:
    routine = custom(catalogue, ("bridge", 5, 5))
    history = [declined(ChangeKind.ADD_REPS, 1, hour=10)]
    assert run(catalogue, routine, four_sessions(routine), history) is None


def test_dose_step_prefers_the_exercise_changed_least_recently(catalogue: Catalogue) -> None:
    routine = custom(catalogue, ("bridge", 5, 5), ("bird-dog", 6, 6))
    bridge_step = replace(
        declined(ChangeKind.ADD_REPS, 3, hour=8, accepted=True), changes=(DoseChange("bridge", "reps", 3, 5),)
    )
    proposal = run(catalogue, routine, four_sessions(routine), [bridge_step])
    assert proposal is not None
    assert proposal.changes[0].exercise_id == "bird-dog"


def test_dose_step_skips_an_exercise_not_done_in_full_last_time(catalogue: Catalogue) -> None:
    routine = custom(catalogue, ("bridge", 5, 5), ("bird-dog", 6, 6))
    sessions = four_sessions(routine)
    last = sessions[-1]
    sessions[-1] = replace(
        last,
        exercises=tuple(replace(r, reps_done=1) if r.exercise_id == "bridge" else r for r in last.exercises),
    )
    proposal = run(catalogue, routine, sessions)
    assert proposal is not None and proposal.changes[0].exercise_id == "bird-dog"


def test_easing_off_wins_over_everything(catalogue: Catalogue) -> None:
    routine = p1(catalogue)
    sessions = [*daily(routine, 7), session(routine, 0, 20, before=7)]
    proposal = run(catalogue, routine, sessions)
    assert proposal is not None and proposal.kind is ChangeKind.HALVE_REPS


# --- apply and the history -------------------------------------------------------------------------------


def test_apply_leaves_other_exercises_and_a_removed_one_alone(catalogue: Catalogue) -> None:
    routine = custom(catalogue, ("bridge", 5, 5), ("bird-dog", 6, 6))
    proposal = Proposal(
        ChangeKind.ADD_REPS, "t", "r", "q", Phase.STRENGTH, Phase.STRENGTH,
        changes=(DoseChange("dead-bug", "reps", 8, 10),),
    )  # fmt: skip
    assert apply(proposal, routine) == routine


def test_apply_clamps_to_the_catalogue_bounds(catalogue: Catalogue) -> None:
    routine = custom(catalogue, ("bridge", 49, 5))
    proposal = Proposal(
        ChangeKind.ADD_REPS, "t", "r", "q", Phase.STRENGTH, Phase.STRENGTH,
        changes=(DoseChange("bridge", "reps", 49, 51),),
    )  # fmt: skip
    assert apply(proposal, routine).items[0].dose.reps == 50


def test_decisions_round_trip(catalogue: Catalogue) -> None:
    routine = custom(catalogue, ("bridge", 5, 5))
    proposal = run(catalogue, routine, four_sessions(routine))
    assert proposal is not None
    decision = decide(proposal, True, at(0, 20))
    assert decision_from_dict(decision_to_dict(decision)) == decision
    assert decision.describe() == "bridge: repetitions 5 -> 7"


@pytest.mark.parametrize(
    "bad", [None, [], {}, {"decided_at": "x"}, {"decided_at": "2026-03-01T08:00:00+00:00"}]
)
def test_damaged_decisions_are_refused(bad: object) -> None:
    with pytest.raises(ValueError, match=r"damaged|object"):
        decision_from_dict(bad)


# --- the stored glue: current_proposal / accept / decline ------------------------------------------------


def test_accept_and_decline_through_the_repository(catalogue: Catalogue, data_dir: Path) -> None:
    from sciatica_coach.services import plans, routines
    from sciatica_coach.storage.repository import Repository
    from tests.helpers import FakeClock

    clock = FakeClock(datetime.combine(TODAY, time(21), tzinfo=TZ))
    repo = Repository.open(data_dir)
    assert routines.current_proposal(repo, catalogue, clock) is None  # empty history
    routine = custom(catalogue, ("bridge", 5, 5))
    plans.save_routine(repo, routine)
    repo.add_sessions(four_sessions(routine))

    proposal = routines.current_proposal(repo, catalogue, clock)
    assert proposal is not None and proposal.changes == (DoseChange("bridge", "reps", 5, 7),)
    routines.decline(repo, clock, proposal)
    assert plans.active_routine(repo, catalogue) == routine
    assert routines.current_proposal(repo, catalogue, clock) is None  # not asked twice for the same sessions

    repo.set_state(routines.HISTORY_KEY, [])
    proposal = routines.current_proposal(repo, catalogue, clock)
    assert proposal is not None
    new = routines.accept(repo, catalogue, clock, proposal)
    assert new.items[0].dose.reps == 7
    assert plans.active_routine(repo, catalogue) == new
    history = routines.progression_history(repo)
    assert [(d.accepted, d.kind) for d in history] == [(True, ChangeKind.ADD_REPS)]
    assert history[0].decided_at == clock.now()
    assert routines.current_proposal(repo, catalogue, clock) is None
    repo.close()


def test_damaged_history_entries_are_skipped(catalogue: Catalogue, data_dir: Path) -> None:
    from sciatica_coach.services import routines
    from sciatica_coach.storage.repository import Repository

    repo = Repository.open(data_dir)
    good = decision_to_dict(declined(ChangeKind.PHASE_UP, 1))
    repo.set_state(routines.HISTORY_KEY, [{"kind": "nonsense"}, good])
    assert len(routines.progression_history(repo)) == 1
    repo.close()
