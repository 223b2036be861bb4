"""Both knees to the chest (issue 20, point 1): the catalogue entry with the single hug's cautions, its two
drawings, and the progression rule that offers it in place of the single hug once that has been comfortable
in full (never with flexion avoided, never pushed), in English and German."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sciatica_coach import i18n
from sciatica_coach.assets import asset_path
from sciatica_coach.core.catalogue import Catalogue, load_catalogue
from sciatica_coach.core.model import (
    Direction,
    ExerciseRecord,
    Outcome,
    PainReport,
    Phase,
    Routine,
    SessionRecord,
    SideMode,
    SymptomChange,
)
from sciatica_coach.core.progression import (
    NEXT_EXERCISE_DECLINE_PAUSE_DAYS,
    ChangeKind,
    Decision,
    Proposal,
    apply,
    decide,
    decision_from_dict,
    decision_to_dict,
    propose,
)

TZ = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 4, 20)
SINGLE, DOUBLE = "knee-to-chest", "double-knee-to-chest"


@pytest.fixture
def catalogue() -> Catalogue:
    return load_catalogue()


def at(days_ago: int, hour: int) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), time(hour), tzinfo=TZ)


def session(
    routine: Routine,
    days_ago: int,
    hour: int,
    *,
    before: int = 2,
    after: int = 2,
    short: str = "",
    skipped: str = "",
    down: str = "",
) -> SessionRecord:
    """A completed session of the routine; ``short`` stops one exercise a repetition early."""
    records = tuple(
        ExerciseRecord(
            exercise_id=item.exercise_id,
            reps_done=item.dose.reps * item.dose.sets - (item.exercise_id == short),
            reps_planned=item.dose.reps * item.dose.sets,
            sets_done=item.dose.sets,
            sets_planned=item.dose.sets,
            hold_s=item.dose.hold_s,
            skipped=item.exercise_id == skipped,
            symptom=SymptomChange.DOWN if item.exercise_id == down else SymptomChange.SAME,
        )
        for item in routine.items
    )
    start = at(days_ago, hour)
    return SessionRecord(
        id=f"s-{days_ago}-{hour}",
        started_at=start,
        ended_at=start + timedelta(minutes=10),
        phase=routine.phase,
        exercises=records,
        outcome=Outcome.COMPLETED,
        pain_before=PainReport(before, before),
        pain_after=PainReport(after, after),
    )


def single_hug_routine(catalogue: Catalogue) -> Routine:
    """Phase 1, but no prone exercises: a phase move never gets in the way here (see the phase-up tests)."""
    return Routine(Phase.MOBILITY, (catalogue.default_item("pelvic-tilt"), catalogue.default_item(SINGLE)))


def comfortable(
    routine: Routine, days: tuple[int, ...] = (2, 1, 1, 0), **kwargs: object
) -> list[SessionRecord]:
    return [session(routine, d, 9 + 4 * n, **kwargs) for n, d in enumerate(days)]  # type: ignore[arg-type]


def run(
    catalogue: Catalogue,
    routine: Routine,
    sessions: list[SessionRecord],
    history: tuple[Decision, ...] = (),
    avoid: Direction | None = None,
) -> Proposal | None:
    return propose(sessions, routine, catalogue, TODAY, history, tz=TZ, avoid=avoid)


# --- the catalogue -------------------------------------------------------------------------------------------


def test_the_double_hug_is_a_gentle_phase_1_flexion_stretch_like_the_single(catalogue: Catalogue) -> None:
    single, double = catalogue.get(SINGLE), catalogue.get(DOUBLE)
    assert list(catalogue.exercises).index(DOUBLE) == list(catalogue.exercises).index(SINGLE) + 1
    assert (double.phase, double.position, double.direction) == (
        Phase.MOBILITY,
        single.position,
        Direction.FLEXION,
    )
    assert double.side_mode is SideMode.BOTH  # both knees at once: no sides
    assert (double.dose.hold_s, double.dose.reps, double.dose.sets, double.dose.rest_between_reps_s) == (
        20,
        3,
        1,
        10,
    )
    assert double.gentler == SINGLE  # if it sends symptoms down, back to one knee
    assert (double.start_illustration, double.hold_illustration) == (f"{DOUBLE}-start", f"{DOUBLE}-hold")


def test_the_double_hug_carries_every_caution_of_the_single_one(catalogue: Catalogue) -> None:
    single, double = catalogue.get(SINGLE), catalogue.get(DOUBLE)
    assert set(single.cautions) <= set(double.cautions)
    words = " ".join(double.cautions).lower()
    assert "osteoporosis" in words and "hip replacement" in words
    assert "one knee at a time" in words
    assert double.stop_if.startswith("Stop")


def test_it_is_not_in_any_default_routine(catalogue: Catalogue) -> None:
    """Offered as a next step or added by hand, never there from the start."""
    for phase in Phase:
        assert DOUBLE not in {item.exercise_id for item in catalogue.default_routine(phase).items}


@pytest.mark.parametrize("stage", ["start", "hold"])
def test_both_drawings_exist_and_parse_on_the_shared_canvas(stage: str) -> None:
    path = asset_path("illustrations") / f"{DOUBLE}-{stage}.svg"
    root = ET.parse(path).getroot()
    assert root.get("viewBox") == "0 0 400 300"
    assert root.findtext("{http://www.w3.org/2000/svg}title") == f"Both knees to chest: {stage}"


def test_the_hold_drawing_shows_both_knees_drawn_up_and_a_hand_at_each() -> None:
    from sciatica_coach.views import illustration_sources as src  # geometry only: no QApplication needed

    hold = src.POSES[DOUBLE](True)
    legs = [limb for limb in hold.limbs if limb.is_leg]
    arms = [limb for limb in hold.limbs if not limb.is_leg]
    assert len(legs) == 2 and all(leg.accent for leg in legs)
    for leg in legs:  # every knee well above its hip: no foot left on the floor
        hip, knee, _ankle, _toe = leg.points
        assert knee[1] < hip[1] - src.THIGH / 2
    knees = [leg.points[1] for leg in legs]
    assert abs(knees[0][0] - knees[1][0]) > src.LIMB_W  # far apart enough to read as two knees
    assert len(arms) == 2  # one hand behind each knee
    single = src.POSES[SINGLE](True)
    on_floor = [limb for limb in single.limbs if limb.is_leg and limb.points[1][1] > src.SUPINE_HIP[1] - 40]
    assert on_floor  # the one-knee hug keeps a foot on the floor: the two drawings differ at a glance


# --- the progression rule ------------------------------------------------------------------------------------


def test_comfortable_single_hugs_suggest_the_double_in_its_place(catalogue: Catalogue) -> None:
    routine = single_hug_routine(catalogue)
    proposal = run(catalogue, routine, comfortable(routine))
    assert proposal is not None and proposal.kind is ChangeKind.NEXT_EXERCISE
    assert not proposal.easing and proposal.changes == ()
    assert proposal.title == "Try hugging both knees to your chest?"
    assert proposal.reason == "You've done the knee to chest in full, comfortably, in your last 4 sessions."
    assert "staying with one knee is fine" in proposal.question
    new = apply(proposal, routine)
    assert [item.exercise_id for item in new.items] == ["pelvic-tilt", DOUBLE]  # in the same place
    assert new.items[1] == catalogue.default_item(DOUBLE)
    assert new.items[0] == routine.items[0]
    assert routine.items[1].exercise_id == SINGLE  # nothing changes until the person says yes


def test_the_default_phase_1_routine_gets_it_too(catalogue: Catalogue) -> None:
    routine = catalogue.default_routine(Phase.MOBILITY)
    proposal = run(catalogue, routine, comfortable(routine))
    assert proposal is not None and proposal.kind is ChangeKind.NEXT_EXERCISE


@pytest.mark.parametrize(
    ("days", "kwargs"),
    [
        ((1, 1, 0), {}),  # only 3 sessions
        ((1, 1, 0, 0), {}),  # only 2 days
        ((2, 1, 1, 0), {"before": 4}),  # amber pain: not comfortable
        ((2, 1, 1, 0), {"after": 4}),
        ((2, 1, 1, 0), {"short": SINGLE}),  # one repetition short
        ((2, 1, 1, 0), {"skipped": SINGLE}),
    ],
    ids=["3 sessions", "2 days", "amber before", "amber after", "not in full", "skipped"],
)
def test_not_before_the_single_hug_is_comfortable(
    catalogue: Catalogue, days: tuple[int, ...], kwargs: dict[str, object]
) -> None:
    routine = single_hug_routine(catalogue)
    sessions = comfortable(routine, days)
    sessions[-1] = comfortable(routine, days, **kwargs)[-1]  # one session falls short
    proposal = run(catalogue, routine, sessions)
    assert proposal is None or proposal.kind is not ChangeKind.NEXT_EXERCISE


def test_the_single_hug_must_be_in_every_session_counted(catalogue: Catalogue) -> None:
    routine = single_hug_routine(catalogue)
    without = Routine(Phase.MOBILITY, routine.items[:1])
    sessions = [*comfortable(routine, (2, 1, 1)), session(without, 0, 20)]
    proposal = run(catalogue, routine, sessions)
    assert proposal is None or proposal.kind is not ChangeKind.NEXT_EXERCISE


def test_symptoms_spreading_down_never_lead_to_the_double(catalogue: Catalogue) -> None:
    routine = single_hug_routine(catalogue)
    sessions = comfortable(routine)
    sessions[-1] = comfortable(routine, down=SINGLE)[-1]
    proposal = run(catalogue, routine, sessions)
    assert proposal is not None and proposal.easing  # easing off comes first


@pytest.mark.parametrize(("avoid", "offered"), [(Direction.FLEXION, False), (Direction.EXTENSION, True)])
def test_not_when_flexion_is_avoided(catalogue: Catalogue, avoid: Direction, offered: bool) -> None:
    """A physio may keep the single hug in a routine that avoids flexion; the app adds no more flexion."""
    routine = single_hug_routine(catalogue)
    proposal = run(catalogue, routine, comfortable(routine), avoid=avoid)
    assert proposal is not None  # with flexion avoided, the small dose step comes instead
    assert (proposal.kind is ChangeKind.NEXT_EXERCISE) is offered


def test_not_when_the_double_is_already_in_the_routine(catalogue: Catalogue) -> None:
    routine = Routine(Phase.MOBILITY, (catalogue.default_item(SINGLE), catalogue.default_item(DOUBLE)))
    proposal = run(catalogue, routine, comfortable(routine))
    assert proposal is None or proposal.kind is not ChangeKind.NEXT_EXERCISE


def earlier(accepted: bool, days_ago: int) -> Decision:
    """A decision about the double hug at 7:00, ``days_ago`` days before today."""
    return Decision(
        at(days_ago, 7), accepted, ChangeKind.NEXT_EXERCISE, "t", "r", Phase.MOBILITY, Phase.MOBILITY
    )


@pytest.mark.parametrize(
    ("declined_days_ago", "asks_again"),
    [(NEXT_EXERCISE_DECLINE_PAUSE_DAYS - 1, False), (NEXT_EXERCISE_DECLINE_PAUSE_DAYS, True)],
)
def test_not_now_waits_two_weeks_and_lets_dose_steps_through(
    catalogue: Catalogue, declined_days_ago: int, asks_again: bool
) -> None:
    routine = single_hug_routine(catalogue)
    proposal = run(catalogue, routine, comfortable(routine), (earlier(False, declined_days_ago),))
    assert proposal is not None
    assert (proposal.kind is ChangeKind.NEXT_EXERCISE) is asks_again
    if not asks_again:
        assert proposal.kind is ChangeKind.ADD_HOLD  # the single hug's hold, 20 -> 25 s


def test_once_taken_going_back_to_one_knee_is_respected(catalogue: Catalogue) -> None:
    routine = single_hug_routine(catalogue)
    proposal = run(catalogue, routine, comfortable(routine), (earlier(True, 30),))
    assert proposal is None or proposal.kind is not ChangeKind.NEXT_EXERCISE


def test_the_decision_is_kept_and_read_back(catalogue: Catalogue) -> None:
    routine = single_hug_routine(catalogue)
    proposal = run(catalogue, routine, comfortable(routine))
    assert proposal is not None
    decision = decide(proposal, True, at(0, 21))
    assert decision_from_dict(decision_to_dict(decision)) == decision
    assert decision.swap == (SINGLE, DOUBLE)
    assert decision.describe() == "double-knee-to-chest in place of knee-to-chest"


def test_accepting_through_the_repository_swaps_and_asks_for_the_cautions(
    catalogue: Catalogue, data_dir: Path
) -> None:
    from sciatica_coach.services import cautions, plans, routines
    from sciatica_coach.storage.repository import Repository
    from tests.helpers import FakeClock

    clock = FakeClock(datetime.combine(TODAY, time(21), tzinfo=TZ))
    repo = Repository.open(data_dir)
    try:
        routine = single_hug_routine(catalogue)
        plans.save_routine(repo, routine)
        repo.add_sessions(comfortable(routine))
        cautions.mark_seen(repo, [SINGLE])
        proposal = routines.current_proposal(repo, catalogue, clock)
        assert proposal is not None and proposal.kind is ChangeKind.NEXT_EXERCISE
        new = routines.accept(repo, catalogue, clock, proposal)
        assert plans.active_routine(repo, catalogue) == new
        assert [e.id for e in cautions.unseen(repo, new, catalogue)] == [DOUBLE]  # read before first use
        assert routines.current_proposal(repo, catalogue, clock) is None
    finally:
        repo.close()


# --- German ---------------------------------------------------------------------------------------------------


def test_german_words_for_the_exercise_and_the_offer() -> None:
    i18n.set_language("de")
    german = load_catalogue()
    double = german.get(DOUBLE)
    assert double.name == "Beide Knie zur Brust"
    assert any("Osteoporose" in caution for caution in double.cautions)
    assert all(len(step.text) <= 70 for step in double.steps)
    routine = single_hug_routine(german)
    proposal = run(german, routine, comfortable(routine))
    assert proposal is not None
    assert proposal.title == "Beide Knie zur Brust probieren?"
    assert (
        proposal.reason == "Sie haben „Knie zur Brust“ zuletzt 4-mal vollständig und beschwerdearm gemacht."
    )
    assert "bei einem Knie zu bleiben" in proposal.question
    assert "{" not in proposal.question


def test_the_swap_and_its_decision_come_back_from_a_backup(catalogue: Catalogue, tmp_path: Path) -> None:
    from sciatica_coach.services import plans, routines
    from sciatica_coach.storage.backup import read_backup, restore, write_backup
    from sciatica_coach.storage.repository import Repository
    from tests.helpers import FakeClock

    clock = FakeClock(datetime.combine(TODAY, time(21), tzinfo=TZ))
    source, target = tmp_path / "source", tmp_path / "restored"
    repo = Repository.open(source)
    try:
        routine = single_hug_routine(catalogue)
        plans.save_routine(repo, routine)
        repo.add_sessions(comfortable(routine))
        proposal = routines.current_proposal(repo, catalogue, clock)
        assert proposal is not None
        swapped = routines.accept(repo, catalogue, clock, proposal)
    finally:
        repo.close()
    write_backup(source, tmp_path / "backup.json", clock.now())
    Repository.open(target).close()  # a new computer's own (empty) data folder
    restore(target, read_backup(tmp_path / "backup.json"), clock.now())
    restored = Repository.open(target)
    try:
        assert plans.active_routine(restored, catalogue) == swapped
        (decision,) = routines.progression_history(restored)
        assert decision.swap == (SINGLE, DOUBLE) and decision.accepted
        assert routines.current_proposal(restored, catalogue, clock) is None  # not offered again
    finally:
        restored.close()
