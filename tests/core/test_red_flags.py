"""Red-flag triage: each question's tier, the highest "yes" wins, unknown ids count as emergencies, the advice
of each tier names the country's numbers and never reassures, and when the questions are asked."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciatica_coach.core import red_flags
from sciatica_coach.core.emergency import OTHER, country
from sciatica_coach.core.red_flags import RED_FLAGS, Tier, advice, check_due, questions, triage
from sciatica_coach.i18n import _

NOW = datetime(2026, 3, 9, 8, 0, tzinfo=ZoneInfo("Europe/London"))
UK = country("GB")

# Written out here, not read from the module: moving a question to a lower tier must fail a test.
EXPECTED_TIERS = {
    "saddle-numbness": Tier.EMERGENCY,
    "bladder": Tier.EMERGENCY,
    "bowel": Tier.EMERGENCY,
    "sexual-function": Tier.EMERGENCY,
    "both-legs": Tier.EMERGENCY,
    "both-legs-weakness": Tier.EMERGENCY,
    "leg-weakness": Tier.URGENT,
    "foot-drop": Tier.URGENT,
    "pain-worsening": Tier.URGENT,
    "fever-unwell": Tier.SEE_DOCTOR_SOON,
    "weight-loss": Tier.SEE_DOCTOR_SOON,
    "cancer": Tier.SEE_DOCTOR_SOON,
    "fall-injury": Tier.SEE_DOCTOR_SOON,
    "night-pain": Tier.SEE_DOCTOR_SOON,
    "steroids-immunity": Tier.SEE_DOCTOR_SOON,
    "injecting-drugs": Tier.SEE_DOCTOR_SOON,
    "age-onset": Tier.SEE_DOCTOR_SOON,
}
ALL_NO = {flag.id: False for flag in RED_FLAGS}
REASSURING = ("simple cause", "often nothing", "nothing to worry", "harmless", "usually fine")


def test_every_question_has_its_expected_tier_and_is_a_question() -> None:
    assert [flag.id for flag in RED_FLAGS] == list(EXPECTED_TIERS)
    assert all(flag.question.endswith("?") for flag in RED_FLAGS)


@pytest.mark.parametrize("flag_id", list(EXPECTED_TIERS))
def test_a_yes_to_one_question_gives_its_tier_and_advice(flag_id: str) -> None:
    tier = triage({**ALL_NO, flag_id: True})
    assert tier is EXPECTED_TIERS[flag_id]
    shown = advice(tier, UK)
    assert shown.number == "999"
    assert "999" in shown.body, "the advice names the number"
    lowered = shown.body.lower()
    assert not any(words in lowered for words in REASSURING)
    if tier is Tier.EMERGENCY:
        assert shown.heading == "Please get medical help now"
        assert "A&E" in shown.body and "even at night" in shown.body
        assert "111" not in shown.body, "an emergency is never sent to the non-emergency line"
    elif tier is Tier.URGENT:
        assert shown.heading == "Please see a doctor today"
        assert "today" in shown.body and "NHS 111" in shown.body
    else:
        assert shown.heading == "Please see a doctor before you go on"
        assert "next few days" in shown.body and "not an emergency" in shown.body


def test_all_no_is_no_tier_and_has_no_advice() -> None:
    assert triage(ALL_NO) is Tier.NONE
    assert triage({}) is Tier.NONE
    with pytest.raises(ValueError):
        advice(Tier.NONE, UK)


@given(st.dictionaries(st.sampled_from(list(EXPECTED_TIERS)), st.booleans()))
def test_the_highest_yes_wins(answers: dict[str, bool]) -> None:
    expected = max((EXPECTED_TIERS[k] for k, yes in answers.items() if yes), default=Tier.NONE)
    assert triage(answers) is expected
    assert triage(dict(reversed(list(answers.items())))) is expected, "order never matters"


@given(
    st.text(min_size=1).filter(lambda text: text not in EXPECTED_TIERS),
    st.dictionaries(st.sampled_from(list(EXPECTED_TIERS)), st.booleans()),
)
def test_an_unknown_question_answered_yes_counts_as_an_emergency(
    unknown: str, others: dict[str, bool]
) -> None:
    assert triage({**others, unknown: True}) is Tier.EMERGENCY
    assert red_flags.tier_of(unknown) is Tier.EMERGENCY


def test_germany_names_112_and_never_116_117_for_an_emergency() -> None:
    germany = country("DE")
    emergency = advice(Tier.EMERGENCY, germany)
    assert emergency.number == "112" and "call 112" in emergency.body and "116 117" not in emergency.body
    urgent = advice(Tier.URGENT, germany)
    assert "116 117" in urgent.body and "call 112" in urgent.body


def test_another_country_still_names_numbers() -> None:
    body = advice(Tier.EMERGENCY, OTHER).body
    for number in ("112", "911", "999"):
        assert number in body


def test_questions_leave_out_the_skipped_ones_in_order() -> None:
    assert questions() == RED_FLAGS
    asked = [flag.id for flag in questions({"cancer", "age-onset"})]
    assert "cancer" not in asked and "age-onset" not in asked and len(asked) == len(RED_FLAGS) - 2


@pytest.mark.parametrize(
    ("last", "new_symptoms", "due"),
    [
        (None, False, True),  # first run
        (NOW, False, False),  # answered a moment ago: not asked again in the next session
        (NOW - timedelta(seconds=1), False, False),
        (NOW - timedelta(days=6, hours=23, minutes=59), False, False),
        (NOW - timedelta(days=6), False, False),
        (NOW - timedelta(days=7), False, True),  # weekly
        (NOW - timedelta(days=30), False, True),
        (NOW - timedelta(hours=1), True, True),  # new symptoms
        (NOW + timedelta(days=2), False, True),  # clock went back: ask again
    ],
)
def test_check_due(last: datetime | None, new_symptoms: bool, due: bool) -> None:
    assert check_due(last, NOW, new_symptoms) is due


def _texts() -> list[str]:
    constants = [v for k, v in vars(red_flags).items() if k.isupper() and isinstance(v, str) and v]
    return constants + [flag.question for flag in RED_FLAGS] + list(red_flags.GROUP_HEADINGS.values())


def test_wording_is_calm_never_diagnoses_and_never_reassures() -> None:
    for text in _texts():
        assert "!" not in text, text
        assert not re.search(r"\b[A-Z]{4,}\b", text), text  # no shouting
        lowered = text.lower()
        for banned in ("diagnos", "cauda equina", *REASSURING):
            assert banned not in lowered, (banned, text)


def test_every_tier_advice_is_translated_with_the_numbers(german: None) -> None:
    germany = country("DE")
    emergency = advice(Tier.EMERGENCY, germany)
    assert "Notaufnahme" in emergency.body and "112" in emergency.body
    assert emergency.heading == _(red_flags.EMERGENCY_HEADING) != red_flags.EMERGENCY_HEADING
    assert "116 117" not in emergency.body
    assert "116 117" in advice(Tier.URGENT, germany).body


@pytest.fixture
def german():  # type: ignore[no-untyped-def]
    """German for one test (the autouse fresh_ui_state puts English back)."""
    from sciatica_coach import i18n

    i18n.set_language("de")
