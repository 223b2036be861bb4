"""Habit statistics: the score series, best streaks with excused days and ties, and weekday and slot misses,
on hand-built histories; and their invariants on generated ones."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sciatica_coach.core.adherence import AdherenceHistory, build_history
from sciatica_coach.core.habit_stats import (
    MissTally,
    Streak,
    best_streaks,
    habit_stats,
    most_missed,
    part_of_day,
)
from sciatica_coach.core.model import Outcome, Phase, SessionRecord

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 2, 2)
_ids = itertools.count()


def session(day: date, hour: int, outcome: Outcome = Outcome.COMPLETED, slot: str = "") -> SessionRecord:
    start = datetime.combine(day, time(hour, 0), tzinfo=LONDON)
    return SessionRecord(
        id=f"h{next(_ids)}", started_at=start, ended_at=start + timedelta(minutes=15), phase=Phase.MOBILITY,
        exercises=(), outcome=outcome, slot=slot,
    )  # fmt: skip


def both(day: date) -> list[SessionRecord]:
    return [session(day, 8, slot="08:00"), session(day, 19, slot="19:00")]


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def history(
    sessions: Sequence[SessionRecord], today: date, excused: Sequence[date] = (), start: date = MONDAY
) -> AdherenceHistory:
    return build_history(sessions, tz=LONDON, today=today, excused=frozenset(excused), plan_start=start)


def plan_slots(_day: date) -> tuple[str, ...]:
    return ("08:00", "19:00")


# --- streaks ---------------------------------------------------------------------------------------------


def test_an_excused_day_neither_breaks_nor_extends_a_streak() -> None:
    # days 0-2 met, day 3 a flare day, days 4-5 met, day 6 only one session, days 7-8 met; today is day 9
    sessions = [s for n in (0, 1, 2, 4, 5, 7, 8) for s in both(day(n))] + [session(day(6), 8, slot="08:00")]
    h = history(sessions, day(9), excused=[day(3)])
    stats = habit_stats(h, MONDAY)
    assert stats.best_streaks == (
        Streak(day(0), day(5), 5, ongoing=False),  # the flare day is inside the dates, not in the length
        Streak(day(7), day(8), 2, ongoing=True),  # today (day 9) is not done yet: the run goes on
    )
    assert max(run.days for run in stats.best_streaks) == h.best_streak
    assert stats.best_streaks[-1].days == h.current_streak


def test_a_flare_day_at_the_edge_is_not_inside_the_dates() -> None:
    sessions = [s for n in (1, 2) for s in both(day(n))]
    stats = habit_stats(history(sessions, day(4), excused=[day(0), day(3)]), MONDAY)
    assert stats.best_streaks == (Streak(day(1), day(2), 2, ongoing=True),)


def test_a_missed_day_breaks_and_a_met_today_extends() -> None:
    sessions = [s for n in (0, 1, 3, 4) for s in both(day(n))]
    stats = habit_stats(history(sessions, day(4)), MONDAY)
    assert stats.best_streaks == (
        Streak(day(3), day(4), 2, ongoing=True),  # ties: the more recent first
        Streak(day(0), day(1), 2, ongoing=False),
    )


def test_partial_sessions_do_not_meet_the_plan() -> None:
    sessions = [*both(day(0)), session(day(1), 8, slot="08:00"),
                session(day(1), 19, Outcome.ENDED_EARLY, slot="19:00"), *both(day(2))]  # fmt: skip
    stats = habit_stats(history(sessions, day(3)), MONDAY)
    assert [(run.start, run.days) for run in stats.best_streaks] == [(day(2), 1), (day(0), 1)]


def test_only_the_five_longest_are_kept_longest_first() -> None:
    # runs of 1, 2, 3, 1, 2, 1 met days, each followed by a missed day
    lengths = [1, 2, 3, 1, 2, 1]
    sessions, n = [], 0
    for length in lengths:
        for _ in range(length):
            sessions += both(day(n))
            n += 1
        n += 1  # missed
    stats = habit_stats(history(sessions, day(n)), MONDAY)
    assert [run.days for run in stats.best_streaks] == [3, 2, 2, 1, 1]
    assert stats.best_streaks[1].start > stats.best_streaks[2].start  # of the two 2s, the later first
    assert stats.best_streaks[3].start == day(n - 2)  # of the 1s, the latest two
    assert not any(run.ongoing for run in stats.best_streaks)  # every run ended with a missed day
    cells = history(sessions, day(n)).calendar_days(MONDAY, day(n))
    assert best_streaks(cells, day(n), top=0) == ()
    assert len(best_streaks(cells, day(n), top=10)) == len(lengths)


def test_a_range_starting_mid_run_cuts_the_run_at_its_first_day() -> None:
    sessions = [s for n in range(10) for s in both(day(n))]
    stats = habit_stats(history(sessions, day(10)), day(6))
    assert stats.best_streaks == (Streak(day(6), day(9), 4, ongoing=True),)


# --- the score ---------------------------------------------------------------------------------------------


def test_the_score_series_ends_with_the_summarys_score() -> None:
    sessions = [s for n in range(0, 20, 2) for s in both(day(n))] + [session(day(20), 8, Outcome.ENDED_EARLY)]
    h = history(sessions, day(20))
    stats = habit_stats(h, MONDAY - timedelta(days=5), day(40))
    assert stats.scores[0].day == MONDAY  # nothing before the programme started
    assert stats.scores[-1].day == day(20)  # nothing after today
    assert len(stats.scores) == 21
    assert stats.scores[-1].score_pct == pytest.approx(h.summary().score_pct)
    assert stats.end == day(20)
    ups = [b.score_pct > a.score_pct for a, b in itertools.pairwise(stats.scores[:20])]
    assert ups == [n % 2 == 1 for n in range(19)]  # rises after a met day, eases after a missed one


def test_an_empty_history_has_a_single_score_and_nothing_missed() -> None:
    stats = habit_stats(history([], MONDAY), MONDAY, slots_for=plan_slots)
    assert [p.score_pct for p in stats.scores] == [0.0]
    assert stats.best_streaks == ()
    assert stats.most_missed_weekday is None and stats.most_missed_slot is None
    assert all(t.planned == 0 and t.share == 0.0 for t in stats.by_weekday)


# --- misses by weekday and slot -------------------------------------------------------------------------------


def four_weeks_missing_sunday_evenings() -> AdherenceHistory:
    """Four weeks, both sessions every day, except: Sunday evenings never; one Wednesday morning missed;
    one Saturday a flare day. Today is the fifth Monday (not counted: it is not over yet)."""
    sessions = []
    for n in range(28):
        this = day(n)
        if this.weekday() == 6:
            sessions.append(session(this, 8, slot="08:00"))
        elif n == 9:
            sessions.append(session(this, 19, slot="19:00"))
        elif n != 12:
            sessions += both(this)
    return history(sessions, day(28), excused=[day(12)])


def test_weekday_tallies_count_finished_planned_days() -> None:
    stats = habit_stats(four_weeks_missing_sunday_evenings(), MONDAY, slots_for=plan_slots)
    by_day = {t.weekday: (t.planned, t.missed) for t in stats.by_weekday}
    assert by_day == {0: (4, 0), 1: (4, 0), 2: (4, 1), 3: (4, 0), 4: (4, 0), 5: (3, 0), 6: (4, 4)}
    worst = stats.most_missed_weekday
    assert worst is not None and (worst.weekday, worst.share) == (6, 1.0)


def test_slot_tallies_planned_against_done() -> None:
    stats = habit_stats(four_weeks_missing_sunday_evenings(), MONDAY, slots_for=plan_slots)
    assert [(t.slot, t.planned, t.done, t.missed) for t in stats.by_slot] == [
        ("08:00", 27, 26, 1),
        ("19:00", 27, 23, 4),
    ]
    worst = stats.most_missed_weekday_slot
    assert worst == MissTally(6, "19:00", 4, 4)
    assert stats.most_missed_slot == MissTally(None, "19:00", 27, 4)
    wednesday = [t for t in stats.by_weekday_slot if t.weekday == 2]
    assert [(t.slot, t.missed) for t in wednesday] == [("08:00", 1), ("19:00", 0)]


def test_sessions_filed_by_part_of_day_count_for_a_planned_slot() -> None:
    # older sessions carry no reminder slot: adherence files them as "morning"/"evening" by start time
    sessions = [session(day(0), 9), session(day(0), 20), session(day(1), 9), session(day(1), 10)]
    stats = habit_stats(history(sessions, day(2)), MONDAY, slots_for=plan_slots)
    assert [(t.slot, t.planned, t.missed) for t in stats.by_slot] == [("08:00", 2, 0), ("19:00", 2, 1)]


def test_days_planned_with_another_number_of_reminders_are_left_out_of_slots() -> None:
    sessions = [s for n in range(4) for s in both(day(n))]
    stats = habit_stats(history(sessions, day(4)), MONDAY, slots_for=lambda d: ("08:00",) if d < day(2) else
                        ("08:00", "19:00"))  # fmt: skip
    assert [(t.slot, t.planned) for t in stats.by_slot] == [("08:00", 2), ("19:00", 2)]
    assert habit_stats(history(sessions, day(4)), MONDAY).by_slot == ()  # no plan given: no slot tallies


def test_most_missed_prefers_the_share_then_the_count_then_the_first() -> None:
    a, b, c = MissTally(0, None, 4, 2), MissTally(1, None, 8, 4), MissTally(2, None, 10, 4)
    assert most_missed([a, b, c]) is b  # same share as a but more missed
    assert most_missed([a, MissTally(3, None, 4, 2)]) is a
    assert most_missed([MissTally(0, None, 5, 0)]) is None


@pytest.mark.parametrize(
    ("slot", "part"),
    [("08:00", "morning"), ("13:59", "morning"), ("14:00", "evening"), ("19:00", "evening"),
     ("morning", "morning"), ("evening", "evening"), ("", None), ("later", None), ("25:00", None)],
)  # fmt: skip
def test_part_of_day(slot: str, part: str | None) -> None:
    assert part_of_day(slot) == part


# --- invariants -----------------------------------------------------------------------------------------------

SPAN = 60


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, SPAN - 1), st.sampled_from([8, 19]), st.sampled_from(list(Outcome))),
        max_size=120,
    ),
    st.lists(st.integers(0, 3), min_size=7, max_size=7),
    st.sets(st.integers(0, SPAN - 1), max_size=12),
    st.integers(0, SPAN - 1),
    st.integers(0, SPAN - 1),
)
def test_property_scores_streaks_and_tallies_hold_together(
    raw: list[tuple[int, int, Outcome]], plan: list[int], excused: set[int], today: int, start: int
) -> None:
    sessions = [session(day(n), hour, outcome, slot=f"{hour:02d}:00") for n, hour, outcome in raw]
    h = build_history(
        sessions, tz=LONDON, today=day(today), excused={day(n) for n in excused},
        target_for=lambda d: plan[d.weekday()], plan_start=MONDAY,
    )  # fmt: skip
    stats = habit_stats(h, day(start), slots_for=lambda d: ("08:00", "19:00")[: plan[d.weekday()]])
    cells = h.calendar_days(day(start), day(today))
    assert all(0.0 <= p.score_pct <= 100.0 for p in stats.scores)
    if start <= today:
        assert stats.scores[-1].score_pct == pytest.approx(h.summary().score_pct)
    met_days = sum(cell.met for cell in cells)
    assert sum(run.days for run in stats.best_streaks) <= met_days
    spans = sorted((run.start, run.end) for run in stats.best_streaks)
    assert all(first[1] < second[0] for first, second in itertools.pairwise(spans)), "runs overlap"
    assert all(run.start <= run.end and 1 <= run.days <= (run.end - run.start).days + 1
               for run in stats.best_streaks)  # fmt: skip
    assert len(stats.best_streaks) <= 5
    assert [run.days for run in stats.best_streaks] == sorted(
        (r.days for r in stats.best_streaks), reverse=True
    )
    if start == 0:  # the whole history: the longest run is the summary's best streak
        assert max((run.days for run in stats.best_streaks), default=0) == h.best_streak
    for tally in (*stats.by_weekday, *stats.by_slot, *stats.by_weekday_slot):
        assert 0 <= tally.missed <= tally.planned and 0.0 <= tally.share <= 1.0
    assert sum(t.planned for t in stats.by_weekday) == sum(
        1 for c in cells if c.day < day(today) and c.target
    )
    assert sum(t.planned for t in stats.by_slot) == sum(t.planned for t in stats.by_weekday_slot)


def test_week_end_scores_are_each_weeks_last_day_and_today() -> None:
    sessions = [s for n in range(17) for s in both(day(n))]
    stats = habit_stats(history(sessions, day(16)), MONDAY - timedelta(days=7))
    assert [p.day for p in stats.week_end_scores] == [day(6), day(13), day(16)]
    assert [p.score_pct for p in stats.week_end_scores] == [
        h.score_pct for h in stats.scores if h.day in (day(6), day(13), day(16))
    ]
