"""The weekly Sciatica Bothersomeness Index in the "see your doctor if it isn't getting better" rule
(core.not_improving, issue 20 point 6 follow-up), at its boundaries: 13 against 14 days apart, a fall of
exactly 30 % or 5 points, a rise of exactly 4, the settled level, the pain agreeing or missing, and the
words naming the check-ins rather than the pain."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import pytest

from sciatica_coach.core import emergency
from sciatica_coach.core.not_improving import (
    Measure,
    Part,
    Verdict,
    assess,
    prompt_words,
)

START = date(2026, 3, 2)
NO_PAIN: dict[date, dict[Part, float]] = {}


def day(n: int) -> date:
    return START + timedelta(days=n)


def pain(first: float, last: float, until: int) -> dict[date, dict[Part, float]]:
    """Leg pain every day: `first` in the first week, `last` after it; the back at 0."""
    return {day(n): {Part.LEG: first if n < 7 else last, Part.BACK: 0} for n in range(until + 1)}


def sbi(*totals: tuple[int, int]) -> list[tuple[date, int]]:
    return [(day(n), total) for n, total in totals]


def verdict(
    days: Mapping[date, Mapping[Part, float]],
    today: int,
    totals: list[tuple[date, int]],
    prompt: int | None = None,
) -> Verdict:
    return assess(days, day(today), None if prompt is None else day(prompt), totals).verdict


def test_without_check_ins_the_pain_rule_is_unchanged() -> None:
    for first, last in ((6, 6), (6, 4), (6, 8), (2, 2)):
        with_nothing = assess(pain(first, last, 14), day(14))
        assert assess(pain(first, last, 14), day(14), None, []) == with_nothing
        assert assess(pain(first, last, 14), day(14), None, sbi((3, 12))) == with_nothing, (
            "one total: no trend"
        )


def test_no_pain_ratings_two_totals_13_days_apart_no_prompt_14_days_a_prompt() -> None:
    assert verdict(NO_PAIN, 13, sbi((0, 12), (13, 12))) is Verdict.NONE
    result = assess(NO_PAIN, day(14), None, sbi((0, 12), (7, 13), (14, 12)))
    assert result.verdict is Verdict.NOT_IMPROVING
    assert result.measures == frozenset({Measure.SBI})
    assert result.detail() == "Sciatica Bothersomeness Index 12 (2026-03-02) → 12 (2026-03-16) (0-24)."


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (10, 7, Verdict.NONE),  # exactly 30 % down: meaningful
        (10, 8, Verdict.NOT_IMPROVING),  # 20 %
        (20, 15, Verdict.NONE),  # exactly 5 points down (25 %): meaningful
        (20, 16, Verdict.NOT_IMPROVING),  # 4 points, 20 %
        (12, 15, Verdict.NOT_IMPROVING),  # 3 points worse: not "worsening", not improving either
        (12, 16, Verdict.WORSENING),  # exactly 4 points worse
        (0, 4, Verdict.WORSENING),  # new bother counts as worse
        (6, 5, Verdict.NOT_IMPROVING),  # 17 %, above the settled level
        (5, 4, Verdict.NONE),  # settled at 4 of 24
        (4, 4, Verdict.NONE),  # low all along
    ],
)
def test_sbi_boundaries_without_pain(first: int, last: int, expected: Verdict) -> None:
    assert verdict(NO_PAIN, 14, sbi((0, first), (14, last))) is expected


def test_a_rise_is_worsening_after_a_week_and_whatever_the_pain_says() -> None:
    assert verdict(NO_PAIN, 6, sbi((0, 8), (6, 14))) is Verdict.NONE, "6 days apart: the same week, nearly"
    assert verdict(NO_PAIN, 7, sbi((0, 8), (7, 14))) is Verdict.WORSENING
    eased = pain(6, 3, 14)  # the pain clearly better
    assert verdict(eased, 14, []) is Verdict.NONE
    result = assess(eased, day(14), None, sbi((0, 8), (14, 12)))
    assert result.verdict is Verdict.WORSENING and result.measures == frozenset({Measure.SBI})


def test_a_stuck_sbi_counts_only_when_the_pain_agrees() -> None:
    stuck = sbi((0, 12), (14, 12))
    assert verdict(pain(6, 3, 14), 14, stuck) is Verdict.NONE, "the pain has clearly eased: not overruled"
    # The pain not improving but settled at 2 or below says nothing by itself; with the SBI stuck, it agrees.
    low = pain(2, 2, 14)
    assert verdict(low, 14, []) is Verdict.NONE
    result = assess(low, day(14), None, stuck)
    assert result.verdict is Verdict.NOT_IMPROVING and result.measures == frozenset({Measure.SBI})
    # The pain stuck too: both named, and the pain words are used.
    both = assess(pain(6, 6, 14), day(14), None, stuck)
    assert both.verdict is Verdict.NOT_IMPROVING and both.measures == frozenset({Measure.PAIN, Measure.SBI})
    assert (
        both.detail().startswith("Median pain before sessions") and "Bothersomeness Index 12" in both.detail()
    )
    # Pain rated only until day 9 (too few days in the last week to compare): missing, so the SBI counts.
    assert verdict(pain(6, 6, 9), 9, []) is Verdict.NONE
    assert verdict(pain(6, 6, 9), 14, sbi((0, 12), (14, 12))) is Verdict.NOT_IMPROVING


def test_an_sbi_that_improved_does_not_hide_pain_that_has_not() -> None:
    result = assess(pain(6, 6, 14), day(14), None, sbi((0, 12), (14, 4)))
    assert result.verdict is Verdict.NOT_IMPROVING and result.measures == frozenset({Measure.PAIN})


def test_after_a_prompt_the_check_ins_start_again_and_need_four_weeks() -> None:
    totals = sbi(*((n, 12) for n in range(0, 70, 7)))
    assert verdict(NO_PAIN, 14, totals) is Verdict.NOT_IMPROVING
    # Seen on day 14: the new episode's first total is day 21; day 42 is 21 days on, day 49 is 28.
    assert verdict(NO_PAIN, 42, totals, prompt=14) is Verdict.NONE
    assert verdict(NO_PAIN, 49, totals, prompt=14) is Verdict.NOT_IMPROVING
    assert verdict(NO_PAIN, 49, totals, prompt=49) is Verdict.NONE, "not on the day it was seen"
    rising = [*sbi((21, 10)), *sbi((28, 14))]
    assert verdict(NO_PAIN, 28, rising, prompt=14) is Verdict.WORSENING, "new worsening is said again"


def test_check_ins_after_today_are_not_counted() -> None:
    assert verdict(NO_PAIN, 14, sbi((0, 12), (14, 12), (15, 2))) is Verdict.NOT_IMPROVING
    assert verdict(NO_PAIN, 13, sbi((0, 12), (14, 12))) is Verdict.NONE


def test_words_name_the_check_ins_when_the_pain_is_not_behind_the_verdict() -> None:
    sbi_only = frozenset({Measure.SBI})
    for place in (*emergency.COUNTRIES, emergency.OTHER):
        calm = prompt_words(Verdict.NOT_IMPROVING, place, sbi_only)
        firm = prompt_words(Verdict.WORSENING, place, sbi_only)
        assert calm.body.startswith("Your weekly check-ins show") and "pain hasn't eased" not in calm.body
        assert firm.body.startswith("Your weekly check-ins show") and place.same_day in firm.body
        assert "comfortable" in calm.body and "comfortable" in firm.body
        for text in (calm.body, firm.body):
            assert place.emergency not in text and place.number not in text
    assert prompt_words(Verdict.NOT_IMPROVING, emergency.OTHER).body.startswith("Your pain hasn't eased")
    both = frozenset({Measure.PAIN, Measure.SBI})
    assert prompt_words(Verdict.WORSENING, emergency.OTHER, both).body.startswith("Your pain has been higher")
