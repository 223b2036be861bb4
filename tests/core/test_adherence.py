"""Adherence, streaks, habit score and pain numbers: local days, DST weeks, edge cases and properties."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sciatica_coach.core.adherence import (
    EVENING_SLOT,
    MORNING_SLOT,
    SCORE_MULTIPLIER_PER_DAY,
    AdherenceHistory,
    build_history,
    format_weekly_table,
)
from sciatica_coach.core.model import (
    ExerciseRecord,
    Outcome,
    PainReport,
    Phase,
    SessionRecord,
    SymptomChange,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
_ids = itertools.count()


def session(
    start: datetime,
    outcome: Outcome = Outcome.COMPLETED,
    *,
    minutes: int = 20,
    slot: str = "",
    back: int | None = None,
    leg: int = 0,
    numbness: bool = False,
    spread_down: tuple[str, ...] = (),
) -> SessionRecord:
    exercises = tuple(ExerciseRecord(eid, 5, 10, 1, 1, 5, symptom=SymptomChange.DOWN) for eid in spread_down)
    pain = None if back is None else PainReport(back=back, leg=leg, new_numbness_or_weakness=numbness)
    return SessionRecord(
        id=f"s{next(_ids)}",
        started_at=start,
        ended_at=start + timedelta(minutes=minutes),
        phase=Phase.MOBILITY,
        exercises=exercises,
        outcome=outcome,
        pain_before=pain,
        slot=slot,
    )


def at(day: date, hour: int, minute: int = 0, tz: ZoneInfo = LONDON) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def twice_daily(first: date, days: int, tz: ZoneInfo = LONDON) -> list[SessionRecord]:
    return [session(at(first + timedelta(days=i), hour, tz=tz)) for i in range(days) for hour in (8, 19)]


# --- local days and DST weeks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "dst_sunday"),
    [
        (LONDON, date(2026, 3, 29)),  # clocks go forward at 01:00 GMT
        (LONDON, date(2026, 10, 25)),  # clocks go back at 02:00 BST
        (NEW_YORK, date(2026, 3, 8)),  # forward at 02:00 EST
        (NEW_YORK, date(2026, 11, 1)),  # back at 02:00 EDT
    ],
    ids=["london-spring", "london-autumn", "new-york-spring", "new-york-autumn"],
)
def test_dst_week_keeps_local_days_and_seven_day_weeks(tz: ZoneInfo, dst_sunday: date) -> None:
    monday = dst_sunday - timedelta(days=6)
    # Sessions at the very edges of each local day, handed over in UTC as storage might.
    sessions = [
        session(at(monday + timedelta(days=i), hour, minute, tz).astimezone(UTC))
        for i in range(7)
        for hour, minute in ((0, 20), (23, 40))
    ]
    sessions.append(session(at(monday - timedelta(days=1), 23, 50, tz).astimezone(UTC)))  # previous week
    sessions.append(session(at(dst_sunday + timedelta(days=1), 0, 10, tz).astimezone(UTC)))  # next week
    history = build_history(sessions, tz=tz, today=dst_sunday + timedelta(days=14))

    row = history.week_row(monday)
    assert (row.start, row.end, row.completed, row.target) == (monday, dst_sunday, 14, 14)
    assert row.adherence_pct == 100.0
    assert row.days_met == 7
    assert [cell.completed for cell in history.calendar_days(monday, dst_sunday)] == [2] * 7
    assert history.week_row(monday - timedelta(days=1)).completed == 1
    assert history.week_row(dst_sunday + timedelta(days=1)).completed == 1


def test_session_crossing_midnight_counts_for_its_start_day() -> None:
    tuesday = date(2026, 3, 3)
    late = session(at(tuesday, 23, 50), minutes=40)
    cells = build_history([late], tz=LONDON, today=date(2026, 3, 5)).calendar_days(
        tuesday, tuesday + timedelta(1)
    )
    assert [(c.day, c.completed) for c in cells] == [(tuesday, 1), (tuesday + timedelta(1), 0)]


def test_sunday_night_session_crossing_into_monday_stays_in_its_week() -> None:
    sunday = date(2026, 3, 8)
    rows = build_history(
        [session(at(sunday, 23, 45), minutes=30)], tz=LONDON, today=sunday + timedelta(days=1)
    ).weekly_table(2)
    assert [(r.label, r.completed, r.in_progress) for r in rows] == [
        ("2026-W10", 1, False),
        ("2026-W11", 0, True),
    ]


@pytest.mark.parametrize(
    ("stored", "local_day"),
    [
        (datetime(2026, 3, 4, 23, 30, tzinfo=UTC), date(2026, 3, 4)),  # London is on GMT
        (datetime(2026, 3, 5, 8, 0, tzinfo=timezone(timedelta(hours=9))), date(2026, 3, 4)),  # Tokyo morning
        (datetime(2026, 3, 4, 19, 30, tzinfo=timezone(timedelta(hours=-5))), date(2026, 3, 5)),  # NY evening
        (datetime(2026, 3, 4, 23, 30), date(2026, 3, 4)),  # naive: wall time in the user's zone
    ],
    ids=["utc", "plus-nine", "minus-five", "naive"],
)
def test_sessions_in_other_offsets_land_on_the_users_local_day(stored: datetime, local_day: date) -> None:
    history = build_history([session(stored)], tz=LONDON, today=date(2026, 3, 8))
    assert history.cell(local_day).completed == 1
    assert history.week_row(local_day).completed == 1


@pytest.mark.parametrize(
    ("start", "slot", "expected"),
    [
        (at(date(2026, 3, 4), 13, 59), "", MORNING_SLOT),
        (at(date(2026, 3, 4), 14, 0), "", EVENING_SLOT),
        (datetime(2026, 3, 4, 13, 30, tzinfo=UTC).astimezone(NEW_YORK), "", MORNING_SLOT),  # 13:30 London
        (at(date(2026, 3, 4), 7, 0), "08:00", "08:00"),
    ],
)
def test_slot_falls_back_to_morning_or_evening_by_local_start(
    start: datetime, slot: str, expected: str
) -> None:
    history = build_history([session(start, slot=slot)], tz=LONDON, today=date(2026, 3, 8))
    assert dict(history.cell(date(2026, 3, 4)).slots) == {expected: 1}


# --- empty, one, many ---------------------------------------------------------------------------------


def test_empty_history_gives_zeros_and_nones() -> None:
    wednesday = date(2026, 3, 4)
    summary = build_history([], tz=LONDON, today=wednesday).summary()
    assert summary.total_sessions == 0
    assert (summary.this_week_completed, summary.this_week_target) == (0, 10)  # the plan starts today
    assert summary.adherence_4w_pct is None
    assert (summary.current_streak, summary.best_streak, summary.score_pct) == (0, 0, 0.0)
    assert summary.back_change is None and summary.leg_change is None
    assert summary.safety_stops == 0 and summary.safety_stop_days == ()
    rows = build_history([], tz=LONDON, today=wednesday).weekly_table(3)
    assert [r.completed for r in rows] == [0, 0, 0]
    assert [r.adherence_pct for r in rows] == [None, None, 0.0]
    assert "2026-W10*" in format_weekly_table(rows)
    trend = build_history([], tz=LONDON, today=wednesday).pain_trend()
    assert trend.back_slope_per_week is None and trend.back_change is None
    assert format_weekly_table([]).splitlines()[-1] == "(no weeks)"


def test_one_session() -> None:
    wednesday = date(2026, 3, 4)
    history = build_history([session(at(wednesday, 9), back=5, leg=3)], tz=LONDON, today=wednesday)
    summary = history.summary()
    assert (summary.this_week_completed, summary.this_week_target) == (1, 10)
    assert summary.adherence_4w_pct == 100.0  # today half done, and today can't count against you
    assert (summary.current_streak, summary.best_streak) == (0, 0)
    assert summary.score_pct == pytest.approx(50.0 * (1 - SCORE_MULTIPLIER_PER_DAY))
    row = history.week_row(wednesday)
    assert (row.back_pain_mean, row.leg_pain_mean, row.pain_reports) == (5.0, 3.0, 1)
    assert row.adherence_pct == pytest.approx(10.0)
    assert row.in_progress


def test_ten_years_twice_daily() -> None:
    first = date(2016, 1, 1)
    days = 3653
    today = first + timedelta(days=days - 1)
    summary = build_history(twice_daily(first, days), tz=LONDON, today=today).summary()
    assert summary.total_sessions == 2 * days
    assert (summary.current_streak, summary.best_streak) == (days, days)
    assert summary.adherence_4w_pct == 100.0
    assert summary.score_pct == pytest.approx(100.0)


# --- adherence ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("completed", "ended_early", "safety_stops", "expected_pct"),
    [
        (14, 0, 0, 100.0),
        (7, 0, 0, 50.0),
        (7, 2, 1, 100.0 * (7 + 1.5) / 14),  # a safety stop counts as partial
        (0, 4, 0, 100.0 * 2 / 14),
        (30, 0, 0, 100.0),  # capped
        (13, 6, 0, 100.0),  # capped with partials
        (0, 0, 0, 0.0),
    ],
)
def test_week_adherence(completed: int, ended_early: int, safety_stops: int, expected_pct: float) -> None:
    monday = date(2026, 3, 2)
    outcomes = (
        [Outcome.COMPLETED] * completed
        + [Outcome.ENDED_EARLY] * ended_early
        + [Outcome.SAFETY_STOP] * safety_stops
    )
    sessions = [session(at(monday + timedelta(days=i % 7), 9), outcome) for i, outcome in enumerate(outcomes)]
    row = build_history(sessions, tz=LONDON, today=date(2026, 3, 20), plan_start=monday).week_row(monday)
    assert row.adherence_pct == pytest.approx(expected_pct)
    assert (row.completed, row.partial, row.safety_stops) == (
        completed,
        ended_early + safety_stops,
        safety_stops,
    )


def test_excused_days_and_days_before_the_start_have_no_target() -> None:
    monday = date(2026, 3, 2)
    thursday = monday + timedelta(days=3)
    sessions = twice_daily(thursday, 4)  # Thursday to Sunday, fully done
    history = build_history(
        sessions, tz=LONDON, today=date(2026, 3, 20), excused={monday + timedelta(days=5)}
    )
    row = history.week_row(monday)
    assert (row.target, row.excused_days, row.days_met, row.adherence_pct) == (6, 1, 3, 100.0)
    # With an earlier programme start the missed days count.
    early = build_history(sessions, tz=LONDON, today=date(2026, 3, 20), plan_start=monday).week_row(monday)
    assert (early.target, early.completed) == (14, 8)


def test_target_comes_from_the_plan() -> None:
    monday = date(2026, 3, 2)

    def three_on_weekdays(day: date) -> int:
        return 3 if day.weekday() < 5 else 0

    row = build_history(
        twice_daily(monday, 7), tz=LONDON, today=date(2026, 3, 20), target_for=three_on_weekdays
    ).weekly_table(3)[0]
    assert (row.target, row.completed, row.days_met) == (15, 14, 0)  # 2 a day does not meet a plan of 3
    assert row.adherence_pct == pytest.approx(100.0 * 14 / 15)


def test_four_week_adherence_covers_28_days_and_does_not_punish_an_unfinished_today() -> None:
    first = date(2026, 2, 1)
    today = date(2026, 3, 31)
    sessions = [s for s in twice_daily(first, (today - first).days) if s.started_at.day % 2 == 0]
    sessions.append(session(at(today, 8)))
    summary = build_history(sessions, tz=LONDON, today=today).summary()
    # Mar 4..30: 27 days, 14 of them even -> 28 sessions of 54; today: 1 done, counts 1 of 1.
    assert summary.adherence_4w_pct == pytest.approx(100.0 * 29 / 55)


# --- streaks --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "current", "best"),
    [
        ("2 2 2", 3, 3),
        ("2 2 1", 2, 2),  # today in progress
        ("2 2 0", 2, 2),  # today not started
        ("2 2 0 2", 1, 2),
        ("2 2 2 0 1", 0, 3),  # yesterday missed
        ("2 2 E 2 2 0", 4, 4),  # an excused day neither breaks nor extends
        ("2 E E 2 1", 2, 2),
        ("E 2 E", 1, 1),
        ("3 2 2 0 2", 1, 3),
        ("p 2 2", 2, 2),  # partial sessions do not meet the plan
        ("0 0 0", 0, 0),
    ],
)
def test_streaks(days: str, current: int, best: int) -> None:
    tokens = days.split()
    first = date(2026, 3, 1)
    today = first + timedelta(days=len(tokens) - 1)
    sessions: list[SessionRecord] = []
    excused: set[date] = set()
    for i, token in enumerate(tokens):
        day = first + timedelta(days=i)
        if token == "E":
            excused.add(day)
        elif token == "p":
            sessions += [session(at(day, 8), Outcome.ENDED_EARLY), session(at(day, 19), Outcome.SAFETY_STOP)]
        else:
            sessions += [session(at(day, 8 + hour)) for hour in range(int(token))]
    summary = build_history(sessions, tz=LONDON, today=today, excused=excused, plan_start=first).summary()
    assert (summary.current_streak, summary.best_streak) == (current, best)


def test_days_with_no_target_neither_break_nor_extend_a_streak() -> None:
    monday = date(2026, 3, 2)

    def weekdays_only(day: date) -> int:
        return 2 if day.weekday() < 5 else 0

    sessions = twice_daily(monday, 5) + twice_daily(monday + timedelta(days=7), 2)  # weekend rest, Mon, Tue
    summary = build_history(sessions, tz=LONDON, today=date(2026, 3, 10), target_for=weekdays_only).summary()
    assert (summary.current_streak, summary.best_streak) == (7, 7)


# --- habit score ----------------------------------------------------------------------------------------


def test_score_rises_with_consistency_and_decays_with_misses() -> None:
    first = date(2026, 1, 1)
    history = build_history(twice_daily(first, 30), tz=LONDON, today=first + timedelta(days=59))
    scores = [cell.score_pct for cell in history.calendar_days(first, first + timedelta(days=59))]
    assert all(score is not None for score in scores)
    rising = [s for s in scores[:30] if s is not None]
    falling = [s for s in scores[29:-1] if s is not None]
    assert all(a < b for a, b in itertools.pairwise(rising))
    assert all(a > b for a, b in itertools.pairwise(falling))
    assert scores[-1] == scores[-2]  # today not started yet: no decay until it is over
    assert rising[-1] == pytest.approx(100.0 * (1 - SCORE_MULTIPLIER_PER_DAY**30))
    assert history.cell(first - timedelta(days=1)).score_pct is None
    assert history.cell(first + timedelta(days=60)).score_pct is None  # the future


def test_score_counts_half_done_days_half_and_holds_over_excused_days() -> None:
    first = date(2026, 1, 1)
    sessions = [session(at(first + timedelta(days=i), 8)) for i in range(10)]  # 1 of 2 each day
    excused = {first + timedelta(days=10), first + timedelta(days=11)}
    history = build_history(sessions, tz=LONDON, today=first + timedelta(days=11), excused=excused)
    assert history.cell(first + timedelta(days=9)).score_pct == pytest.approx(
        50.0 * (1 - SCORE_MULTIPLIER_PER_DAY**10)
    )
    assert history.score_pct == history.cell(first + timedelta(days=9)).score_pct


def test_an_unfinished_today_never_lowers_the_score() -> None:
    first = date(2026, 1, 1)
    today = first + timedelta(days=20)
    sessions = twice_daily(first, 20)
    before = build_history(sessions, tz=LONDON, today=today)
    yesterday = before.cell(today - timedelta(days=1)).score_pct
    assert before.score_pct == yesterday
    after = build_history([*sessions, session(at(today, 8)), session(at(today, 19))], tz=LONDON, today=today)
    assert yesterday is not None and after.score_pct > yesterday


# --- pain -----------------------------------------------------------------------------------------------


def pain_sessions(first_window: list[int], last_window: list[int], start: date) -> list[SessionRecord]:
    """Back-pain reports spread over days 0..6 and days 14..20 (a few days get two)."""
    sessions = [
        session(at(start + timedelta(days=i % 7), 8 + i // 7), back=v) for i, v in enumerate(first_window)
    ]
    sessions += [
        session(at(start + timedelta(days=14 + i % 7), 8 + i // 7), back=v) for i, v in enumerate(last_window)
    ]
    return sessions


@pytest.mark.parametrize(
    ("first_window", "last_window", "change", "meaningful"),
    [
        ([6] * 7, [4] * 7, -2.0, True),
        ([6] * 7, [4] * 9 + [5], -1.9, False),
        ([6] * 7, [8] * 7, 2.0, True),  # worse by 2 is meaningful too
        ([6] * 9 + [7], [4] * 9 + [5], -2.0, True),  # 6.1 -> 4.1 is exactly 2 (floats would say 1.99...)
        ([5, 5, 5, 5, 5, 5, 6], [3, 3, 3, 3, 3, 3, 5], -13 / 7, False),
        ([5] * 7, [5] * 7, 0.0, False),
    ],
)
def test_pain_change_since_start(
    first_window: list[int], last_window: list[int], change: float, meaningful: bool
) -> None:
    start = date(2026, 3, 2)
    trend = build_history(
        pain_sessions(first_window, last_window, start), tz=LONDON, today=start + timedelta(days=21)
    ).pain_trend()
    assert trend.back_change is not None
    assert trend.back_change.change == pytest.approx(change)
    assert trend.back_change.meaningful is meaningful
    assert trend.back_change.first_window == (start, start + timedelta(days=6))
    assert trend.back_change.last_window == (start + timedelta(days=14), start + timedelta(days=20))


def test_pain_change_needs_two_separate_weeks_of_reports() -> None:
    start = date(2026, 3, 2)
    sessions = [session(at(start + timedelta(days=i), 8), back=6 - i // 2) for i in range(13)]
    assert (
        build_history(sessions, tz=LONDON, today=start + timedelta(days=13)).pain_trend().back_change is None
    )
    sessions.append(session(at(start + timedelta(days=13), 8), back=0))
    assert (
        build_history(sessions, tz=LONDON, today=start + timedelta(days=13)).pain_trend().back_change
        is not None
    )


def test_weekly_pain_means_and_slope() -> None:
    monday = date(2026, 3, 2)
    sessions = [
        session(at(monday + timedelta(weeks=week, days=day), 8), back=back, leg=leg)
        for week, (back, leg) in enumerate([(6, 4), (5, 4), (4, 4)])
        for day in range(3)
    ]
    sessions.append(session(at(monday + timedelta(weeks=1), 19)))  # no pain report: ignored
    trend = build_history(sessions, tz=LONDON, today=monday + timedelta(weeks=3)).pain_trend(weeks=6)
    assert trend.weeks == 6
    assert trend.back_slope_per_week == pytest.approx(-1.0)
    assert trend.leg_slope_per_week == pytest.approx(0.0)
    rows = build_history(sessions, tz=LONDON, today=monday + timedelta(weeks=3)).weekly_table(4)
    assert [r.back_pain_mean for r in rows] == [6.0, 5.0, 4.0, None]
    assert [r.pain_reports for r in rows] == [3, 3, 3, 0]


# --- summary notes and the table ------------------------------------------------------------------------


def test_summary_lists_safety_stops_spreading_symptoms_and_numbness() -> None:
    monday = date(2026, 3, 2)
    sessions = [
        session(at(monday, 8), Outcome.SAFETY_STOP, back=7, numbness=True),
        session(at(monday + timedelta(days=2), 20), Outcome.SAFETY_STOP, spread_down=("prone-press-up",)),
        session(at(monday + timedelta(days=1), 8), spread_down=("prone-press-up", "nerve-glide")),
        session(at(monday + timedelta(days=3), 8)),
    ]
    summary = build_history(sessions, tz=LONDON, today=monday + timedelta(days=3)).summary()
    assert summary.safety_stops == 2
    assert summary.safety_stop_days == (monday, monday + timedelta(days=2))
    assert [(n.exercise_id, n.times, n.last_day) for n in summary.spread_down] == [
        ("prone-press-up", 2, monday + timedelta(days=2)),
        ("nerve-glide", 1, monday + timedelta(days=1)),
    ]
    assert summary.numbness_or_weakness_days == (monday,)
    assert (summary.this_week_completed, summary.this_week_partial, summary.this_week_target) == (2, 2, 14)


def test_format_weekly_table_shows_the_numbers() -> None:
    monday = date(2026, 3, 2)
    sessions = [*twice_daily(monday, 6), session(at(monday, 12), Outcome.SAFETY_STOP, back=5, leg=3)]
    sessions.append(session(at(monday + timedelta(days=7), 9), Outcome.COMPLETED, back=4, leg=2))
    rows = build_history(
        sessions, tz=LONDON, today=monday + timedelta(days=8), plan_start=monday
    ).weekly_table(2)
    text = format_weekly_table(rows)
    lines = text.splitlines()
    assert lines[0].split() == [
        "Week",
        "From",
        "Done",
        "Partial",
        "Target",
        "Adherence",
        "Back",
        "Leg",
        "Safety",
    ]
    assert lines[1].split() == ["2026-W10", "2026-03-02", "12", "1", "14", "89%", "5.0", "3.0", "1"]
    assert lines[2].split() == ["2026-W11*", "2026-03-09", "1", "0", "14", "7%", "4.0", "2.0", "0"]
    assert lines[3] == "* week in progress"
    assert text.endswith("\n")


# --- properties -----------------------------------------------------------------------------------------

BASE_DAY = date(2026, 3, 2)
SPAN_DAYS = 42
offsets = st.sampled_from([timezone(timedelta(hours=h)) for h in (-10, -5, 0, 1, 5, 9, 14)])
raw_sessions = st.lists(
    st.tuples(
        st.integers(0, SPAN_DAYS - 1),
        st.integers(0, 24 * 60 - 1),
        st.sampled_from(list(Outcome)),
        offsets,
    ),
    max_size=60,
)
plans = st.lists(st.integers(0, 3), min_size=7, max_size=7)
excused_days = st.sets(st.integers(0, SPAN_DAYS - 1), max_size=10)


def make_sessions(raw: list[tuple[int, int, Outcome, timezone]]) -> list[SessionRecord]:
    return [
        session(
            datetime.combine(BASE_DAY + timedelta(days=d), time(m // 60, m % 60), tzinfo=LONDON).astimezone(
                off
            ),
            outcome,
        )
        for d, m, outcome, off in raw
    ]


def make_history(
    sessions: list[SessionRecord], plan: list[int], excused: set[int], today: int, plan_start: date | None
) -> AdherenceHistory:
    return build_history(
        sessions,
        tz=LONDON,
        today=BASE_DAY + timedelta(days=today),
        excused={BASE_DAY + timedelta(days=d) for d in excused},
        target_for=lambda day: plan[day.weekday()],
        plan_start=plan_start,
    )


@settings(max_examples=150, deadline=None)
@given(raw_sessions, plans, excused_days, st.integers(0, SPAN_DAYS - 1))
def test_property_adherence_and_score_stay_within_0_and_100(
    raw: list[tuple[int, int, Outcome, timezone]], plan: list[int], excused: set[int], today: int
) -> None:
    history = make_history(make_sessions(raw), plan, excused, today, None)
    for row in history.weekly_table(8):
        assert row.adherence_pct is None or 0.0 <= row.adherence_pct <= 100.0
    for cell in history.calendar_days(BASE_DAY - timedelta(days=3), BASE_DAY + timedelta(days=SPAN_DAYS + 3)):
        assert cell.score_pct is None or 0.0 <= cell.score_pct <= 100.0
    summary = history.summary()
    assert 0.0 <= summary.score_pct <= 100.0
    assert summary.adherence_4w_pct is None or 0.0 <= summary.adherence_4w_pct <= 100.0
    cells = history.calendar_days(BASE_DAY, BASE_DAY + timedelta(days=SPAN_DAYS - 1))
    assert sum(cell.completed + cell.partial for cell in cells) == len(raw)
    assert all(cell.met == (cell.target > 0 and cell.completed >= cell.target) for cell in cells)


@settings(max_examples=150, deadline=None)
@given(
    st.tuples(raw_sessions, plans, excused_days, st.integers(0, SPAN_DAYS - 1)),
    st.integers(0, SPAN_DAYS - 1),
    st.integers(0, 24 * 60 - 1),
    st.booleans(),
)
def test_property_adding_a_completed_session_never_lowers_its_weeks_adherence(
    world: tuple[list[tuple[int, int, Outcome, timezone]], list[int], set[int], int],
    added_day: int,
    added_minute: int,
    fixed_start: bool,
) -> None:
    raw, plan, excused, today = world
    sessions = make_sessions(raw)
    # Without a programme start the first session's day is the start, so the added session must not be
    # earlier than the first one (an earlier session moves the start and rightly adds days to the plan).
    if not fixed_start and raw:
        added_day = max(added_day, min(d for d, *_ in raw))
    plan_start = BASE_DAY if fixed_start else None
    added = session(at(BASE_DAY + timedelta(days=added_day), added_minute // 60, added_minute % 60))
    before = make_history(sessions, plan, excused, today, plan_start)
    after = make_history([*sessions, added], plan, excused, today, plan_start)
    week_before, week_after = (
        before.week_row(added.started_at.date()),
        after.week_row(added.started_at.date()),
    )
    assert week_after.completed == week_before.completed + 1
    if fixed_start or raw:  # otherwise the added session is the first and starts the programme
        if week_before.adherence_pct is not None:
            assert week_after.adherence_pct is not None
            assert week_after.adherence_pct >= week_before.adherence_pct
        assert after.score_pct >= before.score_pct  # and the habit score never drops either
        assert after.best_streak >= before.best_streak


def test_day_cells_are_hashable_and_read_only() -> None:
    history = build_history([session(at(date(2026, 3, 4), 9))], tz=LONDON, today=date(2026, 3, 4))
    cell = history.cell(date(2026, 3, 4))
    assert hash(cell) == hash(history.cell(date(2026, 3, 4)))
    with pytest.raises(TypeError):
        cell.slots[MORNING_SLOT] = 5  # type: ignore[index]
