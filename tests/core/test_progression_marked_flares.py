"""Days the person marked as a flare ("My pain has flared up") are reasons to ease off (core.progression
_ease_off, issue 20 point 5 follow-up): two in the last week, alone or with a next-morning flare, bring the
offer to ease off; one does not; older ones do not; a flare already asked about is not asked about again,
while a new one is; and the marked days reach the rule from the stored flare (services.routines)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from sciatica_coach.core.catalogue import Catalogue, load_catalogue
from sciatica_coach.core.model import Phase, Routine, SessionRecord
from sciatica_coach.core.progression import ChangeKind, Decision, Proposal, propose
from sciatica_coach.i18n import _, set_language
from sciatica_coach.services import flare, routines
from sciatica_coach.services.plans import active_routine
from sciatica_coach.storage.repository import Repository
from tests.core.test_progression import TODAY, TZ, at, p1, p2, session
from tests.helpers import FakeClock


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def eases(proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.easing


def days_ago(*numbers: int) -> set[date]:
    return {TODAY - timedelta(days=n) for n in numbers}


def comfortable(routine: Routine) -> list[SessionRecord]:
    """One comfortable session (pain 2) on each of the last two days: nothing else would ease off."""
    return [session(routine, 1, 9), session(routine, 0, 9)]


def run(
    catalogue: Catalogue, routine: Routine, marked: set[date], history: tuple[Decision, ...] = ()
) -> Proposal | None:
    return propose(comfortable(routine), routine, catalogue, TODAY, history, tz=TZ, marked_flares=marked)


def decision(kind: ChangeKind, n_days_ago: int, hour: int = 8) -> Decision:
    return Decision(at(n_days_ago, hour), False, kind, "t", "r", Phase.MOBILITY, Phase.MOBILITY)


def test_two_marked_days_in_the_last_week_ease_off_one_does_not(catalogue: Catalogue) -> None:
    routine = p1(catalogue)
    assert not eases(run(catalogue, routine, set()))
    assert not eases(run(catalogue, routine, days_ago(0))), "one marked day is not enough"
    halve = run(catalogue, routine, days_ago(1, 0))
    assert halve is not None and halve.kind is ChangeKind.HALVE_REPS
    assert halve.reason == "Your pain flared up recently."
    back = run(catalogue, p2(catalogue), days_ago(6, 5))  # the window's oldest day: 6 days ago
    assert back is not None and back.kind is ChangeKind.PHASE_DOWN
    assert not eases(run(catalogue, p2(catalogue), days_ago(8, 7))), "a week ago and more: no longer"


def test_a_marked_day_and_a_next_morning_flare_make_two(catalogue: Catalogue) -> None:
    routine = p1(catalogue)
    rise = [session(routine, 3, 18, before=1), session(routine, 2, 8, before=3)]  # a next-morning flare
    assert not eases(propose(rise, routine, catalogue, TODAY, (), tz=TZ))
    both = propose(rise, routine, catalogue, TODAY, (), tz=TZ, marked_flares=days_ago(0))
    assert both is not None and both.kind is ChangeKind.HALVE_REPS


def test_a_flare_already_asked_about_is_not_asked_about_again_a_new_one_is(catalogue: Catalogue) -> None:
    routine = p2(catalogue)
    flare_days = days_ago(4, 3, 2, 1, 0)  # one flare, going on since 4 days ago
    assert run(catalogue, routine, flare_days) is not None
    said_no = (decision(ChangeKind.PHASE_DOWN, 3),)  # asked on its second day, "not now"
    quiet = run(catalogue, routine, flare_days, said_no)
    assert not eases(quiet), "the same flare: not asked again every other day"
    new_flare = days_ago(4, 3) | days_ago(1, 0)  # ended, then a new one began yesterday
    again = run(catalogue, routine, new_flare, said_no)
    assert again is not None and again.kind is ChangeKind.PHASE_DOWN
    # A step taken the morning the flare began was not about it: the flare counts.
    stepped = (decision(ChangeKind.ADD_REPS, 1),)
    after_step = run(catalogue, routine, days_ago(1, 0), stepped)
    assert after_step is not None and after_step.kind is ChangeKind.PHASE_DOWN
    eased = (decision(ChangeKind.HALVE_REPS, 1),)
    assert not eases(run(catalogue, routine, days_ago(1, 0), eased)), "eased off the day it began"


def test_the_words_in_german(catalogue: Catalogue) -> None:
    set_language("de")
    proposal = run(catalogue, p1(catalogue), days_ago(1, 0))
    assert proposal is not None
    assert proposal.reason == _("Your pain flared up recently.") != "Your pain flared up recently."


def test_the_marked_flare_reaches_the_rule_from_storage(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    cat = load_catalogue()
    routine = active_routine(repo, cat)
    for record in comfortable(routine):
        repo.save_session(record)
    clock = FakeClock(at(0, 12))
    assert not eases(routines.current_proposal(repo, cat, clock))
    flare.start_flare(
        repo, TODAY - timedelta(days=1)
    )  # marked yesterday, still going on (today not recorded)
    assert TODAY not in repo.excused_days()
    proposal = routines.current_proposal(repo, cat, clock)
    assert proposal is not None and proposal.easing and proposal.reason == "Your pain flared up recently."
