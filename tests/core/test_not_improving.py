"""The rule that suggests seeing a doctor when the pain is not getting better (core.not_improving), at its
boundaries: 13 against 14 days, exactly 2 points, 30 %, worsening, too few ratings, gaps in use, the episode
after a prompt, and the words (never the emergency number)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sciatica_coach.core import emergency
from sciatica_coach.core.model import Outcome, PainReport, Phase, SessionRecord
from sciatica_coach.core.not_improving import (
    Assessment,
    Part,
    Verdict,
    assess,
    daily_pain,
    prompt_words,
)

START = date(2026, 3, 2)
TZ = ZoneInfo("Europe/London")


def days_of(leg: Mapping[int, float], back: float = 0) -> dict[date, dict[Part, float]]:
    """Ratings by day number from START: {day: leg pain}; the back at `back` every day."""
    return {START + timedelta(days=n): {Part.LEG: pain, Part.BACK: back} for n, pain in leg.items()}


def steady(first: float, last: float, until: int) -> dict[date, dict[Part, float]]:
    """Every day of the first week at `first`, every later day up to `until` at `last`."""
    return days_of({n: first if n < 7 else last for n in range(until + 1)})


def on(day: int, days: Mapping[date, Mapping[Part, float]], last_prompt: int | None = None) -> Assessment:
    prompt = None if last_prompt is None else START + timedelta(days=last_prompt)
    return assess(days, START + timedelta(days=day), prompt)


def test_no_prompt_on_day_13_and_a_prompt_on_day_14() -> None:
    assert on(13, steady(6, 6, 13)).verdict is Verdict.NONE
    result = on(14, steady(6, 6, 14))
    assert result.verdict is Verdict.NOT_IMPROVING
    assert result.first_week == (START, START + timedelta(days=6))
    assert result.last_week == (START + timedelta(days=8), START + timedelta(days=14))


@pytest.mark.parametrize(
    ("first", "last", "verdict"),
    [
        (8, 6, Verdict.NONE),  # exactly 2 points down (25 %): meaningful
        (8, 6.5, Verdict.NOT_IMPROVING),  # 1.5 points, 19 %: not yet
        (5, 3.5, Verdict.NONE),  # exactly 30 % down (1.5 points): meaningful
        (10, 7.5, Verdict.NONE),  # 2.5 points
        (5, 4, Verdict.NOT_IMPROVING),  # 20 %, 1 point
        (3, 2.5, Verdict.NOT_IMPROVING),  # 17 %: stuck above 2
        (3, 2, Verdict.NONE),  # settled at 2 (and 33 % down)
        (2, 2, Verdict.NONE),  # low all along: nothing to see a doctor about for this reason
        (6, 7.5, Verdict.NOT_IMPROVING),  # 1.5 points worse: not "worsening" yet, not improving either
        (6, 8, Verdict.WORSENING),  # exactly 2 points worse
        (0, 2, Verdict.WORSENING),  # new pain of 2 counts as worse
    ],
)
def test_meaningful_change_boundaries(first: float, last: float, verdict: Verdict) -> None:
    assert on(14, steady(first, last, 14)).verdict is verdict


def test_worsening_is_said_once_the_first_week_is_over_with_three_days_since() -> None:
    assert on(8, steady(4, 6, 8)).verdict is Verdict.NONE  # two days since the first week: too few
    assert on(9, steady(4, 6, 9)).verdict is Verdict.WORSENING
    assert on(9, steady(4, 5.5, 9)).verdict is Verdict.NONE  # 1.5 worse, and not yet two weeks


def test_medians_resist_one_bad_day() -> None:
    pain = dict.fromkeys(range(15), 6) | {10: 10, 11: 10}  # a two-day flare in the last week
    assert on(14, days_of(pain)).verdict is Verdict.NOT_IMPROVING  # the flare does not make it "worse"
    pain = dict.fromkeys(range(7), 6) | dict.fromkeys(range(7, 15), 3) | {12: 10}
    assert on(14, days_of(pain)).verdict is Verdict.NONE  # one bad day does not hide an improvement


def test_either_part_stuck_or_worse_is_enough() -> None:
    back_eases = {START + timedelta(days=n): {Part.LEG: 6, Part.BACK: 7 if n < 7 else 2} for n in range(15)}
    assert on(14, back_eases).verdict is Verdict.NOT_IMPROVING, "a stuck leg still counts"
    back_worse = {START + timedelta(days=n): {Part.LEG: 6 if n < 7 else 3, Part.BACK: 2 if n < 7 else 4}
                  for n in range(15)}  # fmt: skip
    assert on(14, back_worse).verdict is Verdict.WORSENING


def test_too_few_ratings_no_prompt() -> None:
    few_first = days_of({0: 6, 3: 6} | dict.fromkeys(range(8, 15), 6))  # only 2 days in the first 7
    result = on(14, few_first)
    assert result.verdict is Verdict.NONE, "its first week with 3 days starts on day 8: too recent"
    few_last = days_of(dict.fromkeys(range(7), 6) | {10: 6, 14: 6})  # only 2 days in the last 7
    assert on(14, few_last).verdict is Verdict.NONE
    assert on(14, {}).verdict is Verdict.NONE
    three_each = days_of({0: 6, 2: 6, 4: 6, 8: 6, 11: 6, 14: 6})  # exactly 3 rated days in each week: enough
    assert on(14, three_each).verdict is Verdict.NOT_IMPROVING


def test_gaps_in_use() -> None:
    # A lone early rating, a month away, then a steady fortnight: the fortnight is compared, not the lone day.
    pain = {0: 9} | dict.fromkeys(range(30, 45), 5)
    assert on(43, days_of(pain)).verdict is Verdict.NONE  # 13 days into the real start
    result = on(44, days_of(pain))
    assert result.verdict is Verdict.NOT_IMPROVING and result.first_week is not None
    assert result.first_week[0] == START + timedelta(days=30)
    # Away for the last week: nothing recent to judge by.
    assert on(20, steady(6, 6, 12)).verdict is Verdict.NONE
    # A gap in the middle is fine: the first week against the last.
    pain = dict.fromkeys(range(7), 6) | dict.fromkeys(range(20, 27), 6)
    assert on(26, days_of(pain)).verdict is Verdict.NOT_IMPROVING


def test_after_a_prompt_a_new_episode_and_four_weeks_before_not_improving_again() -> None:
    pain = steady(6, 6, 60)
    assert on(15, pain, last_prompt=14).verdict is Verdict.NONE
    assert on(42, pain, last_prompt=14).verdict is Verdict.NONE  # 27 days into the new episode
    assert on(43, pain, last_prompt=14).verdict is Verdict.NOT_IMPROVING  # 28 days
    worse = days_of(dict.fromkeys(range(23), 6) | dict.fromkeys(range(23, 30), 8))
    assert on(27, worse, last_prompt=14).verdict is Verdict.WORSENING, "new worsening is said again"
    assert on(27, worse, last_prompt=27).verdict is Verdict.NONE, "not on the day it was seen"


def test_daily_pain_takes_each_days_median_of_the_pain_before() -> None:
    def record(hour: int, leg: int, back: int, day: int = 0, before: bool = True) -> SessionRecord:
        at = datetime(2026, 3, 2 + day, hour, tzinfo=TZ)
        report = PainReport(back=back, leg=leg)
        return SessionRecord(
            id=f"{day}-{hour}", started_at=at, ended_at=at + timedelta(minutes=10), phase=Phase.MOBILITY,
            exercises=(), outcome=Outcome.COMPLETED, pain_before=report if before else None,
            pain_after=PainReport(back=9, leg=9),
        )  # fmt: skip

    sessions = [record(8, 4, 2), record(19, 7, 3), record(9, 5, 5, day=1, before=False)]
    assert daily_pain(sessions, TZ) == {date(2026, 3, 2): {Part.LEG: 5.5, Part.BACK: 2.5}}


def test_detail_for_the_report() -> None:
    result = on(14, steady(6, 5.5, 14))
    assert result.detail() == (
        "Median pain before sessions, 2026-03-02 to 2026-03-08 against 2026-03-10 to 2026-03-16: "
        "leg pain 6 → 5.5; back pain 0 → 0 (0-10)."
    )


def test_words_name_the_non_emergency_route_never_the_emergency_number() -> None:
    for place in (*emergency.COUNTRIES, emergency.OTHER):
        calm = prompt_words(Verdict.NOT_IMPROVING, place)
        firm = prompt_words(Verdict.WORSENING, place)
        assert "doctor or physiotherapist" in calm.body and "comfortable" in calm.body
        assert place.same_day in firm.body and place.same_day not in calm.body
        for text in (calm.body, firm.body):
            assert place.emergency not in text and place.number not in text
            assert "999" not in text and "911" not in text and "emergency" not in text.lower()
    with pytest.raises(ValueError):
        prompt_words(Verdict.NONE, emergency.OTHER)
