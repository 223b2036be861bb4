"""Today's routine after an exercise was set aside (its substitute respects the avoided direction), and the
wait after a red pain stop as stored sessions decide it (issue 14, points 8 and 9)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.model import Direction, Outcome, PainReport, Phase, Routine, SessionRecord
from sciatica_coach.core.safety import RedStopGate
from sciatica_coach.services import safety_state
from sciatica_coach.services.plans import save_routine, set_avoided_direction
from sciatica_coach.services.routines import avoided_items, routine_for_today, stop_for_today
from sciatica_coach.storage.repository import Repository
from tests.helpers import FakeClock


def test_a_set_aside_bridge_is_not_replaced_by_a_flexion_exercise_when_flexion_is_avoided(
    data_dir: Path,
) -> None:
    repo, catalogue, today = Repository.open(data_dir), load_catalogue(), FakeClock().now().date()
    phase2 = catalogue.default_routine(Phase.STRENGTH)
    save_routine(repo, Routine(Phase.STRENGTH, tuple(i for i in phase2.items if i.exercise_id == "bridge")))
    stop_for_today(repo, today, "bridge")
    assert [i.exercise_id for i in routine_for_today(repo, catalogue, today).items] == ["pelvic-tilt"]
    set_avoided_direction(repo, Direction.FLEXION)
    assert [i.exercise_id for i in routine_for_today(repo, catalogue, today).items] == ["prone-lying"]


def test_exercises_that_move_both_ways_are_pointed_out_whichever_way_is_avoided() -> None:
    catalogue = load_catalogue()
    routine = catalogue.default_routine(Phase.MOBILITY)
    assert "cat-camel" in avoided_items(routine, catalogue, Direction.FLEXION)
    assert "cat-camel" in avoided_items(routine, catalogue, Direction.EXTENSION)
    assert avoided_items(routine, catalogue, None) == []


def test_red_stop_state_comes_from_the_stored_sessions(data_dir: Path) -> None:
    repo, clock = Repository.open(data_dir), FakeClock()
    now = clock.now()
    assert safety_state.red_stop_state(repo, now).gate is RedStopGate.NONE
    repo.save_session(
        SessionRecord("r", now, now, Phase.MOBILITY, (), Outcome.SAFETY_STOP, PainReport(3, 7), None)
    )
    assert safety_state.red_stop_state(repo, now + timedelta(minutes=5)).gate is RedStopGate.WAIT
    assert safety_state.red_stop_state(repo, now + timedelta(hours=2)).gate is RedStopGate.CONFIRM
