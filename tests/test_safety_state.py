"""Stored red-flag state (Qt-free): which tier pauses coaching and for how long, which questions are asked,
and the safety events a check and a doctor's clearance leave behind."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sciatica_coach.core.model import SafetyEventKind
from sciatica_coach.core.red_flags import RED_FLAGS, Tier
from sciatica_coach.services import safety_state
from sciatica_coach.storage.repository import Repository

NOW = datetime(2026, 3, 9, 8, 0, tzinfo=ZoneInfo("Europe/London"))
ALL_NO = {flag.id: False for flag in RED_FLAGS}


@pytest.fixture
def repo(data_dir: Path) -> Repository:
    return Repository.open(data_dir)


@pytest.mark.parametrize(
    ("yes", "today", "tomorrow"),
    [
        ((), Tier.NONE, Tier.NONE),
        (("bladder",), Tier.EMERGENCY, Tier.NONE),
        (("foot-drop",), Tier.URGENT, Tier.NONE),
        (("weight-loss",), Tier.SEE_DOCTOR_SOON, Tier.SEE_DOCTOR_SOON),  # until a doctor clears it
        (("weight-loss", "foot-drop"), Tier.URGENT, Tier.NONE),  # the highest wins; all asked again next day
    ],
)
def test_how_long_each_tier_pauses_coaching(
    repo: Repository, yes: tuple[str, ...], today: Tier, tomorrow: Tier
) -> None:
    answers = {**ALL_NO, **dict.fromkeys(yes, True)}
    assert safety_state.record_red_flag_answers(repo, NOW, answers) is today
    assert safety_state.coaching_pause(repo, NOW.date()) is today
    assert safety_state.coaching_pause(repo, NOW.date() + timedelta(days=1)) is tomorrow
    asked_again = safety_state.red_flag_check_due(repo, NOW + timedelta(hours=1))
    assert asked_again is (today >= Tier.URGENT), (
        "after an emergency or urgent answer, everything is asked again"
    )


def test_a_stop_day_from_older_data_counts_as_an_emergency(repo: Repository) -> None:
    repo.set_state(safety_state.RED_FLAG_STOP_KEY, NOW.date().isoformat())  # no tier stored then
    assert safety_state.coaching_pause(repo, NOW.date()) is Tier.EMERGENCY


def test_a_doctors_clearance_resumes_coaching_and_skips_those_questions_until_new_symptoms(
    repo: Repository,
) -> None:
    safety_state.record_red_flag_answers(repo, NOW, {**ALL_NO, "cancer": True, "age-onset": True})
    event = safety_state.record_doctor_cleared(repo, NOW + timedelta(days=2))
    assert event.kind is SafetyEventKind.DOCTOR_CLEARED and set(event.flags) == {"cancer", "age-onset"}
    assert safety_state.coaching_pause(repo, NOW.date() + timedelta(days=2)) is Tier.NONE
    weekly = {flag.id for flag in safety_state.questions_due(repo)}
    assert weekly == {flag.id for flag in RED_FLAGS} - {"cancer", "age-onset"}
    safety_state.report_new_symptoms(repo)
    assert len(safety_state.questions_due(repo)) == len(RED_FLAGS), "new symptoms: every question again"
    safety_state.record_red_flag_answers(repo, NOW + timedelta(days=3), ALL_NO)
    assert len(safety_state.questions_due(repo)) == len(RED_FLAGS), "earlier clearances no longer count"


def test_the_check_event_names_the_yes_answers_and_the_tier() -> None:
    event = safety_state.red_flag_event(NOW, {**ALL_NO, "bowel": True, "cancer": True}, Tier.EMERGENCY)
    assert event.kind is SafetyEventKind.RED_FLAG_ANSWERS
    assert event.flags == ("bowel", "cancer") and event.detail == "emergency"


def test_the_country_setting_wins_over_the_locale(repo: Repository) -> None:
    assert safety_state.emergency_country(repo, {"LANG": "de_DE.UTF-8"}).code == "DE"
    repo.set_setting(safety_state.COUNTRY_SETTING, "NZ")
    assert safety_state.emergency_country(repo, {"LANG": "de_DE.UTF-8"}).number == "111"
