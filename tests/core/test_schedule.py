"""Reminder plan, validation and schedule: checked with a fake clock, never by waiting."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sciatica_coach.core.schedule import (
    DEFAULT_PLAN,
    EVERY_DAY,
    MIN_GAP_MIN,
    WEEKDAYS,
    Due,
    DueKind,
    PlanError,
    Problem,
    Reminder,
    ReminderPlan,
    ReminderScheduler,
    SchedulerState,
    StateError,
    check,
    fire_instant,
    next_fire,
    parse_time,
    plan_from_dict,
    plan_to_dict,
    sessions_planned_on,
    slot_for,
    state_from_dict,
    state_to_dict,
    upcoming,
    validate,
)
from sciatica_coach.i18n import ENGLISH_DAYS
from tests.helpers import FakeClock

LONDON = ZoneInfo("Europe/London")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")  # half-hour daylight saving
KOLKATA = ZoneInfo("Asia/Kolkata")  # no daylight saving
MONDAY = date(2026, 3, 2)


def plan_of(*times: str, weekdays: frozenset[int] = EVERY_DAY, snooze_min: int = 10) -> ReminderPlan:
    return ReminderPlan(tuple(Reminder(parse_time(t), weekdays) for t in times), snooze_min=snooze_min)


def at(day: date, hhmm: str, zone: ZoneInfo = LONDON) -> datetime:
    return datetime.combine(day, parse_time(hhmm), tzinfo=zone)


def messages(plan: ReminderPlan) -> list[str]:
    return [p.message for p in validate(plan)]


def run(
    scheduler: ReminderScheduler, start: datetime, minutes: int, step_min: int = 1
) -> list[tuple[datetime, Due]]:
    """Call due() every `step_min` minutes of real (UTC) time, the way the adapter's coarse timer does,
    so daylight-saving changes pass as they do in life. FakeClock.advance adds wall-clock time instead,
    which is not the same across a change, hence this helper for the DST tests."""
    zone = start.tzinfo
    assert zone is not None
    start_utc = start.astimezone(UTC)
    shown: list[tuple[datetime, Due]] = []
    for k in range(0, minutes + 1, step_min):
        now = (start_utc + timedelta(minutes=k)).astimezone(zone)
        shown.extend((now, notice) for notice in scheduler.due(now))
    return shown


def started(plan: ReminderPlan, now: datetime, **kwargs: object) -> ReminderScheduler:
    """A scheduler that has already looked once at `now` (as after missed_on_start on a first run)."""
    scheduler = ReminderScheduler(plan, **kwargs)  # type: ignore[arg-type]
    assert scheduler.missed_on_start(None, now) is None
    return scheduler


# --------------------------------------------------------------------------------------------------
# Times


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08:00", time(8)),
        ("7:05", time(7, 5)),
        (" 19:30 ", time(19, 30)),
        ("00:00", time(0)),
        ("23:59", time(23, 59)),
    ],
)
def test_parse_time_accepts_hh_mm_and_h_mm(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("24:00", "not a time of day"),
        ("12:60", "not a time of day"),
        ("ab", "not a time"),
        ("", "not a time"),
        ("7:5", "two digits for the minutes"),
        ("12:00:00", "not a time"),
        ("12.30", "not a time"),
        ("-1:00", "not a time"),
        ("123:00", "not a time"),
        ("１２:００", "not a time"),  # full-width digits
    ],
)
def test_parse_time_refuses_with_a_plain_message(text: str, words: str) -> None:
    with pytest.raises(PlanError) as caught:
        parse_time(text)
    assert words in str(caught.value)
    assert caught.value.problems[0].field == "time"


# --------------------------------------------------------------------------------------------------
# Validation


def test_default_plan_is_twice_a_day_and_valid() -> None:
    assert [r.slot for r in DEFAULT_PLAN.reminders] == ["08:00", "19:00"]
    assert all(r.weekdays == EVERY_DAY and r.enabled for r in DEFAULT_PLAN.reminders)
    assert DEFAULT_PLAN.snooze_min == 10
    assert DEFAULT_PLAN.quiet_if_done
    assert validate(DEFAULT_PLAN) == []
    assert check(DEFAULT_PLAN) is DEFAULT_PLAN


def test_two_close_reminders_are_named() -> None:
    assert messages(plan_of("08:00", "08:20")) == [
        "08:00 and 08:20 are only 20 minutes apart; keep reminders at least 30 minutes apart."
    ]
    # whichever order they are listed in, the earlier time is named first; the later entry is flagged
    problems = validate(plan_of("19:00", "08:29", "08:00"))
    assert problems == [
        Problem(
            "time", 2, "08:00 and 08:29 are only 29 minutes apart; keep reminders at least 30 minutes apart."
        )
    ]


def test_exactly_thirty_minutes_apart_is_fine() -> None:
    assert validate(plan_of("08:00", "08:30")) == []


def test_same_time_twice() -> None:
    assert messages(plan_of("08:00", "08:00")) == [
        "Two reminders are both set for 08:00; remove one or move it at least 30 minutes away."
    ]


def test_close_across_midnight() -> None:
    assert messages(plan_of("23:50", "00:10")) == [
        "23:50 and 00:10 the next day are only 20 minutes apart; keep reminders at least 30 minutes apart."
    ]
    # Friday-only 23:50 and Saturday-only 00:10 still meet at midnight
    friday_late = Reminder(time(23, 50), frozenset({4}))
    saturday_early = Reminder(time(0, 10), frozenset({5}))
    assert len(validate(ReminderPlan((friday_late, saturday_early)))) == 1
    # but Monday 23:50 and Saturday 00:10 never do
    monday_late = Reminder(time(23, 50), frozenset({0}))
    assert validate(ReminderPlan((monday_late, saturday_early))) == []


def test_close_reminders_on_different_days_are_allowed() -> None:
    weekdays = Reminder(time(8, 0), WEEKDAYS)
    weekend = Reminder(time(8, 15), frozenset({5, 6}))
    assert validate(ReminderPlan((weekdays, weekend))) == []
    overlapping = Reminder(time(8, 15), frozenset({4, 5}))
    assert len(validate(ReminderPlan((weekdays, overlapping)))) == 1


def test_disabled_reminders_may_be_close() -> None:
    plan = ReminderPlan((Reminder(time(8, 0)), Reminder(time(8, 5), enabled=False)))
    assert validate(plan) == []


def test_each_reminder_needs_a_day() -> None:
    plan = ReminderPlan((Reminder(time(8, 0), frozenset()), Reminder(time(19, 0), frozenset({7, 9}))))
    assert validate(plan) == [
        Problem("weekdays", 0, "The 08:00 reminder has no days chosen; pick at least one day."),
        Problem("weekdays", 1, "The 19:00 reminder has unknown days (7, 9); days go from 0 (Monday) to 6."),
        Problem("weekdays", 1, "The 19:00 reminder has no days chosen; pick at least one day."),
    ]


def test_times_must_be_whole_minutes() -> None:
    plan = ReminderPlan((Reminder(time(8, 0, 30)), Reminder(time(19, 0, tzinfo=UTC))))
    assert messages(plan) == [
        "The 08:00 reminder must be on a whole minute, like 08:00.",
        "The 19:00 reminder must be a plain clock time, without a time zone.",
    ]


@pytest.mark.parametrize("snooze_min", [0, -5, 121, 1000])
def test_snooze_out_of_range(snooze_min: int) -> None:
    assert messages(plan_of("08:00", snooze_min=snooze_min)) == [
        f"Snooze must be between 1 and 120 minutes (it is {snooze_min})."
    ]


@pytest.mark.parametrize("snooze_min", [1, 10, 120])
def test_snooze_in_range(snooze_min: int) -> None:
    assert validate(plan_of("08:00", snooze_min=snooze_min)) == []


def test_snooze_must_be_a_whole_number() -> None:
    plan = ReminderPlan((Reminder(time(8)),), snooze_min=True)
    assert messages(plan) == ["Snooze must be a whole number of minutes."]


def test_at_most_eight_reminders() -> None:
    nine = plan_of(*(f"{h:02d}:00" for h in range(6, 24, 2)))
    assert len(nine.reminders) == 9
    assert messages(nine) == ["You can have at most 8 reminders; remove 1."]
    assert validate(ReminderPlan(nine.reminders[:8])) == []


def test_every_problem_is_reported_at_once() -> None:
    plan = ReminderPlan(
        (Reminder(time(8, 0)), Reminder(time(8, 10)), Reminder(time(12, 0), frozenset())), snooze_min=0
    )
    fields = [(p.field, p.index) for p in validate(plan)]
    assert fields == [("weekdays", 2), ("time", 1), ("snooze_min", None)]
    with pytest.raises(PlanError) as caught:
        check(plan)
    assert len(caught.value.problems) == 3
    assert str(caught.value).count("\n") == 2


# --------------------------------------------------------------------------------------------------
# Plain data


def test_plan_round_trip_through_json() -> None:
    plan = ReminderPlan(
        (Reminder(time(7, 30), WEEKDAYS), Reminder(time(20, 15), frozenset({5, 6}), enabled=False)),
        snooze_min=25,
        quiet_if_done=False,
    )
    data = json.loads(json.dumps(plan_to_dict(plan)))
    assert data == {
        "reminders": [
            {"time": "07:30", "weekdays": [0, 1, 2, 3, 4], "enabled": True},
            {"time": "20:15", "weekdays": [5, 6], "enabled": False},
        ],
        "snooze_min": 25,
        "quiet_if_done": False,
    }
    assert plan_from_dict(data) == plan


def test_plan_from_dict_fills_defaults() -> None:
    plan = plan_from_dict({"reminders": [{"time": "9:00", "weekdays": [0]}]})
    assert plan == ReminderPlan((Reminder(time(9), frozenset({0})),), snooze_min=10, quiet_if_done=True)


def test_plan_from_dict_reports_every_problem_against_the_input() -> None:
    data = {
        "reminders": [
            {"time": "24:00", "weekdays": [0]},
            {"time": "08:00", "weekdays": [0, 1]},
            {"time": "08:20", "weekdays": [1]},
            {"time": "12:00", "weekdays": "Mon"},
            {"time": "13:00", "weekdays": [0], "enabled": "yes"},
            "14:00",
        ],
        "snooze_min": 500,
    }
    with pytest.raises(PlanError) as caught:
        plan_from_dict(data)
    assert [(p.field, p.index) for p in caught.value.problems] == [
        ("time", 0),
        ("weekdays", 3),
        ("enabled", 4),
        ("reminders", 5),
        ("time", 2),
        ("snooze_min", None),
    ]
    text = str(caught.value)
    assert 'Reminder 1: "24:00" is not a time of day' in text
    assert "08:00 and 08:20 are only 20 minutes apart" in text


@pytest.mark.parametrize("data", [None, [], "plan", {"snooze_min": 10}, {"reminders": {}}])
def test_plan_from_dict_refuses_the_wrong_shape(data: object) -> None:
    with pytest.raises(PlanError):
        plan_from_dict(data)


def test_plan_from_dict_counts_unreadable_reminders_too() -> None:
    data = {"reminders": [{"time": f"{h:02d}:00", "weekdays": [0]} for h in range(8)] + [{"time": "x"}]}
    with pytest.raises(PlanError) as caught:
        plan_from_dict(data)
    assert caught.value.problems[0].message == "You can have at most 8 reminders; remove 1."


# --------------------------------------------------------------------------------------------------
# Sessions per day and slots


def test_sessions_planned_on() -> None:
    assert sessions_planned_on(DEFAULT_PLAN, MONDAY) == 2
    plan = ReminderPlan(
        (
            Reminder(time(8), WEEKDAYS),
            Reminder(time(13), WEEKDAYS, enabled=False),
            Reminder(time(19), EVERY_DAY),
        )
    )
    assert sessions_planned_on(plan, MONDAY) == 2
    assert sessions_planned_on(plan, date(2026, 3, 7)) == 1  # Saturday
    assert sessions_planned_on(ReminderPlan(()), MONDAY) == 0


@pytest.mark.parametrize(
    ("hhmm", "slot"),
    [
        ("05:00", "08:00"),
        ("08:40", "08:00"),
        ("13:30", "08:00"),  # exactly half-way between 08:00 and 19:00: the earlier
        ("13:31", "19:00"),
        ("23:59", "19:00"),
    ],
)
def test_slot_for_is_the_nearest_reminder(hhmm: str, slot: str) -> None:
    assert slot_for(DEFAULT_PLAN, at(MONDAY, hhmm)) == slot


def test_slot_for_ties_go_to_the_earlier_reminder() -> None:
    assert slot_for(plan_of("08:00", "10:00"), at(MONDAY, "09:00")) == "08:00"
    assert slot_for(plan_of("08:00", "10:00"), at(MONDAY, "09:00") + timedelta(seconds=1)) == "10:00"


def test_slot_for_uses_that_days_reminders() -> None:
    plan = ReminderPlan((Reminder(time(8), WEEKDAYS), Reminder(time(19), frozenset({5, 6}))))
    assert slot_for(plan, at(MONDAY, "18:00")) == "08:00"
    assert slot_for(plan, at(date(2026, 3, 7), "09:00")) == "19:00"
    assert slot_for(ReminderPlan(()), at(MONDAY, "09:00")) == ""


# --------------------------------------------------------------------------------------------------
# next_fire and upcoming


def test_next_fire_several_times_a_day() -> None:
    plan = plan_of("08:00", "12:30", "19:00")
    assert next_fire(plan, at(MONDAY, "07:00")) == at(MONDAY, "08:00")
    assert next_fire(plan, at(MONDAY, "08:00")) == at(MONDAY, "12:30")  # strictly after
    assert next_fire(plan, at(MONDAY, "19:00")) == at(MONDAY + timedelta(days=1), "08:00")


def test_next_fire_weekdays_only_skips_the_weekend() -> None:
    plan = plan_of("08:00", "19:00", weekdays=WEEKDAYS)
    friday = date(2026, 3, 6)
    assert next_fire(plan, at(friday, "19:30")) == at(date(2026, 3, 9), "08:00")
    assert [f"{ENGLISH_DAYS[d.weekday()]} {d:%H:%M}" for d in upcoming(plan, at(friday, "07:00"), 4)] == [
        "Fri 08:00",
        "Fri 19:00",
        "Mon 08:00",
        "Mon 19:00",
    ]


def test_next_fire_with_nothing_enabled() -> None:
    plan = ReminderPlan((Reminder(time(8), enabled=False),))
    assert next_fire(plan, at(MONDAY, "07:00")) is None
    assert upcoming(plan, at(MONDAY, "07:00"), 3) == []


def test_next_fire_needs_an_aware_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_fire(DEFAULT_PLAN, datetime(2026, 3, 2, 7))


def test_next_fire_converts_into_the_given_zone() -> None:
    after = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 07:00 in Berlin
    fire = next_fire(DEFAULT_PLAN, after, BERLIN)
    assert fire == datetime(2026, 3, 2, 8, 0, tzinfo=BERLIN)
    assert fire is not None and fire.tzinfo is BERLIN


@pytest.mark.parametrize(
    ("zone", "day", "utc_fire"),
    [
        (BERLIN, date(2026, 3, 29), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),  # 03:00 CEST
        (NEW_YORK, date(2026, 3, 8), datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),  # 03:00 EDT
    ],
)
def test_spring_forward_gap_fires_at_the_first_minute_after(
    zone: ZoneInfo, day: date, utc_fire: datetime
) -> None:
    plan = plan_of("02:30")
    fire = next_fire(plan, datetime.combine(day, time(0), tzinfo=zone))
    assert fire is not None
    assert fire.astimezone(UTC) == utc_fire
    assert (fire.hour, fire.minute) == (3, 0)
    # the day before and the day after, 02:30 is 02:30
    assert fire_instant(day - timedelta(days=1), time(2, 30), zone).hour == 2
    assert fire_instant(day + timedelta(days=1), time(2, 30), zone).hour == 2


@pytest.mark.parametrize(
    ("zone", "day", "hhmm", "first_utc"),
    [
        (BERLIN, date(2026, 10, 25), "02:30", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # CEST, not CET
        (NEW_YORK, date(2026, 11, 1), "01:30", datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),  # EDT, not EST
    ],
)
def test_autumn_repeated_time_fires_once_at_the_first_occurrence(
    zone: ZoneInfo, day: date, hhmm: str, first_utc: datetime
) -> None:
    plan = plan_of(hhmm)
    fires = upcoming(plan, datetime.combine(day, time(0), tzinfo=zone), 2)
    assert fires[0].astimezone(UTC) == first_utc
    assert fires[0].fold == 0
    assert fires[1].date() == day + timedelta(days=1)  # the second occurrence is not a fire
    # right after the first occurrence, during the repeated hour, the next fire is tomorrow
    during_repeat = (first_utc + timedelta(hours=1)).astimezone(zone)
    assert during_repeat.fold == 1
    following = next_fire(plan, during_repeat)
    assert following is not None and following.date() == day + timedelta(days=1)


def test_two_reminders_in_the_gap_become_one_moment() -> None:
    plan = plan_of("02:00", "02:30")
    day = date(2026, 3, 29)
    fires = upcoming(plan, datetime.combine(day, time(0), tzinfo=BERLIN), 2)
    assert fires[0].astimezone(UTC) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert fires[1].date() == day + timedelta(days=1)


# --------------------------------------------------------------------------------------------------
# The scheduler: firing


def test_fires_each_reminder_once_a_day_on_time() -> None:
    plan = plan_of("08:00", "12:30", "19:00")
    scheduler = started(plan, at(MONDAY, "00:00"))
    shown = run(scheduler, at(MONDAY, "00:00"), 2 * 24 * 60)
    assert [(f"{ENGLISH_DAYS[now.weekday()]} {now:%H:%M}", d.slot, d.kind) for now, d in shown] == [
        ("Mon 08:00", "08:00", DueKind.ON_TIME),
        ("Mon 12:30", "12:30", DueKind.ON_TIME),
        ("Mon 19:00", "19:00", DueKind.ON_TIME),
        ("Tue 08:00", "08:00", DueKind.ON_TIME),
        ("Tue 12:30", "12:30", DueKind.ON_TIME),
        ("Tue 19:00", "19:00", DueKind.ON_TIME),
    ]
    assert shown[0][1] == Due("08:00", MONDAY, at(MONDAY, "08:00"), DueKind.ON_TIME)


def test_weekdays_only_over_a_week() -> None:
    plan = plan_of("08:00", "19:00", weekdays=WEEKDAYS)
    scheduler = started(plan, at(MONDAY, "00:00"))
    shown = run(scheduler, at(MONDAY, "00:00"), 7 * 24 * 60, step_min=1)
    days = [ENGLISH_DAYS[d.day.weekday()] for _, d in shown]
    assert days == [day for day in ("Mon", "Tue", "Wed", "Thu", "Fri") for _ in range(2)]


def test_a_late_check_within_the_grace_is_still_on_time() -> None:
    clock = FakeClock(at(MONDAY, "07:59"))
    scheduler = started(DEFAULT_PLAN, clock.now())
    clock.advance(6 * 60)  # the coarse timer was late: 08:05
    assert [d.kind for d in scheduler.due(clock.now())] == [DueKind.ON_TIME]
    assert scheduler.due(clock.now()) == []  # asking again does not repeat it


def test_first_look_without_history_shows_nothing() -> None:
    scheduler = ReminderScheduler(DEFAULT_PLAN)
    assert scheduler.due(at(MONDAY, "08:00")) == []
    assert scheduler.due(at(MONDAY, "19:00")) == [Due("19:00", MONDAY, at(MONDAY, "19:00"), DueKind.ON_TIME)]


def test_a_ten_hour_sleep_gives_one_missed_notice() -> None:
    plan = plan_of("08:00", "11:00", "14:00", "16:00", "19:00")
    clock = FakeClock(at(MONDAY, "07:00"))
    scheduler = started(plan, clock.now())
    clock.sleep_machine(10 * 3600)  # wakes at 17:00
    shown = scheduler.due(clock.now())
    assert shown == [Due("16:00", MONDAY, at(MONDAY, "16:00"), DueKind.MISSED)]
    rest = run(scheduler, clock.now(), 7 * 60)  # until midnight
    assert [(d.slot, d.kind) for _, d in rest] == [("19:00", DueKind.ON_TIME)]


def test_sleeping_overnight_does_not_report_yesterday() -> None:
    plan = plan_of("08:00", "21:00")
    clock = FakeClock(at(MONDAY, "20:00"))
    scheduler = started(plan, clock.now())
    clock.sleep_machine(10 * 3600)  # slept through 21:00, wakes Tuesday 06:00
    assert scheduler.due(clock.now()) == []
    clock.advance(2 * 3600)
    assert [(d.day, d.slot, d.kind) for d in scheduler.due(clock.now())] == [
        (MONDAY + timedelta(days=1), "08:00", DueKind.ON_TIME)
    ]


def test_a_reminder_just_before_midnight_is_still_shown_just_after() -> None:
    plan = plan_of("23:58")
    clock = FakeClock(at(MONDAY, "23:57"))
    scheduler = started(plan, clock.now())
    clock.advance(4 * 60)  # the check came at 00:01 the next day
    assert [(d.day, d.kind) for d in scheduler.due(clock.now())] == [(MONDAY, DueKind.ON_TIME)]


def test_wall_clock_jumping_back_does_not_fire_twice() -> None:
    clock = FakeClock(at(MONDAY, "07:58"))
    scheduler = started(DEFAULT_PLAN, clock.now())
    fired = run(scheduler, clock.now(), 62)  # to 09:00
    assert [d.slot for _, d in fired] == ["08:00"]
    clock.jump_wall(62 * 60)
    clock.jump_wall(-90 * 60)  # the clock is put back to 07:30
    again = run(scheduler, clock.now(), 120)  # 07:30 .. 09:30
    assert again == []


def test_wall_clock_jumping_forward_reports_one_missed_once() -> None:
    plan = plan_of("08:00", "12:00", "19:00")
    clock = FakeClock(at(MONDAY, "07:00"))
    scheduler = started(plan, clock.now())
    clock.jump_wall(6 * 3600)  # 13:00
    assert [(d.slot, d.kind) for d in scheduler.due(clock.now())] == [("12:00", DueKind.MISSED)]
    rest = run(scheduler, clock.now(), 11 * 60)
    assert [(d.slot, d.kind) for _, d in rest] == [("19:00", DueKind.ON_TIME)]


@pytest.mark.parametrize(
    ("zone", "spring", "autumn"),
    [
        (BERLIN, date(2026, 3, 29), date(2026, 10, 25)),
        (NEW_YORK, date(2026, 3, 8), date(2026, 11, 1)),
    ],
)
def test_daylight_saving_days_fire_each_reminder_once(zone: ZoneInfo, spring: date, autumn: date) -> None:
    # 01:30 is repeated in New York's autumn, 02:30 in Berlin's; 02:30 is skipped in both in spring.
    plan = plan_of("01:30", "02:30", "08:00")
    for day in (spring, autumn):
        start = datetime.combine(day - timedelta(days=1), time(23, 0), tzinfo=zone)
        scheduler = started(plan, start)
        shown = run(scheduler, start, 26 * 60)  # 26 real hours: the whole change day and then some
        local = [(now.astimezone(zone).strftime("%H:%M"), d.slot) for now, d in shown if d.day == day]
        if day == spring:
            assert local == [("01:30", "01:30"), ("03:00", "02:30"), ("08:00", "08:00")]
        else:
            assert local == [("01:30", "01:30"), ("02:30", "02:30"), ("08:00", "08:00")]
            utc_times = [now.astimezone(UTC) for now, d in shown if d.day == day]
            assert utc_times[:2] == [
                fire_instant(day, time(1, 30), zone).astimezone(UTC),
                fire_instant(day, time(2, 30), zone).astimezone(UTC),
            ]
        assert all(d.kind is DueKind.ON_TIME for _, d in shown)


def test_the_two_zones_change_on_different_dates() -> None:
    plan = plan_of("02:30")
    # 8 March: New York skips 02:30, Berlin does not
    assert next_fire(plan, datetime(2026, 3, 8, 0, 0, tzinfo=NEW_YORK)) == datetime(
        2026, 3, 8, 3, 0, tzinfo=NEW_YORK
    )
    assert next_fire(plan, datetime(2026, 3, 8, 0, 0, tzinfo=BERLIN)) == datetime(
        2026, 3, 8, 2, 30, tzinfo=BERLIN
    )
    # 29 March: the other way round
    assert next_fire(plan, datetime(2026, 3, 29, 0, 0, tzinfo=NEW_YORK)) == datetime(
        2026, 3, 29, 2, 30, tzinfo=NEW_YORK
    )
    berlin = next_fire(plan, datetime(2026, 3, 29, 0, 0, tzinfo=BERLIN))
    assert berlin is not None and (berlin.hour, berlin.minute) == (3, 0)


def test_reminders_in_one_gap_give_one_notice() -> None:
    plan = plan_of("02:00", "02:30")
    start = datetime(2026, 3, 29, 0, 0, tzinfo=BERLIN)
    scheduler = started(plan, start)
    shown = run(scheduler, start, 6 * 60)
    assert [d.slot for _, d in shown] == ["02:30"]


def test_a_fixed_offset_clock_with_a_zone_given() -> None:
    # SystemClock.now() carries a fixed offset; passing the ZoneInfo gets DST right on the change day.
    plan = plan_of("08:00")
    before_change = datetime(2026, 3, 28, 23, 0, tzinfo=BERLIN).astimezone()  # some fixed offset
    scheduler = ReminderScheduler(plan, tz=BERLIN)
    assert scheduler.next_wakeup(before_change) == datetime(2026, 3, 29, 8, 0, tzinfo=BERLIN)


# --------------------------------------------------------------------------------------------------
# Snooze


def test_snooze_fires_once_after_the_snooze_minutes() -> None:
    clock = FakeClock(at(MONDAY, "07:59"))
    scheduler = started(plan_of("08:00", "19:00", snooze_min=15), clock.now())
    clock.advance(60)
    [first] = scheduler.due(clock.now())
    clock.advance(60)
    until = scheduler.snooze(clock.now())
    assert until == at(MONDAY, "08:16")
    shown = run(scheduler, clock.now(), 60)
    assert [(now.strftime("%H:%M"), d.kind, d.slot, d.day) for now, d in shown] == [
        ("08:16", DueKind.SNOOZED, "08:00", MONDAY)
    ]
    assert shown[0][1].scheduled_at == first.scheduled_at


def test_snoozing_again_replaces_the_pending_snooze() -> None:
    clock = FakeClock(at(MONDAY, "07:59"))
    scheduler = started(DEFAULT_PLAN, clock.now())
    clock.advance(60)
    assert scheduler.due(clock.now())
    scheduler.snooze(clock.now())  # until 08:10
    clock.advance(5 * 60)
    assert scheduler.snooze(clock.now()) == at(MONDAY, "08:15")
    shown = run(scheduler, clock.now(), 60)
    assert [now.strftime("%H:%M") for now, _ in shown] == ["08:15"]
    # snoozing the snoozed notice brings it back once more
    assert scheduler.snooze(shown[0][0]) == at(MONDAY, "08:25")
    again = run(scheduler, shown[0][0], 60)
    assert [(now.strftime("%H:%M"), d.kind) for now, d in again] == [("08:25", DueKind.SNOOZED)]


def test_skip_drops_the_snooze() -> None:
    clock = FakeClock(at(MONDAY, "08:00"))
    scheduler = started(DEFAULT_PLAN, clock.now())
    scheduler.snooze(clock.now(), Due("08:00", MONDAY, clock.now(), DueKind.ON_TIME))
    scheduler.skip()
    assert run(scheduler, clock.now(), 60) == []


def test_next_reminder_replaces_a_pending_snooze() -> None:
    plan = plan_of("08:00", "08:30", snooze_min=30)
    clock = FakeClock(at(MONDAY, "07:59"))
    scheduler = started(plan, clock.now())
    clock.advance(60)
    assert scheduler.due(clock.now())
    scheduler.snooze(clock.now())  # back at 08:30, just when the next reminder is due
    shown = run(scheduler, clock.now(), 120)
    assert [(d.slot, d.kind) for _, d in shown] == [("08:30", DueKind.ON_TIME)]


def test_a_snooze_slept_through_overnight_is_dropped() -> None:
    plan = plan_of("08:00", "23:00")
    clock = FakeClock(at(MONDAY, "22:59"))
    scheduler = started(plan, clock.now())
    clock.advance(60)
    assert scheduler.due(clock.now())
    scheduler.snooze(clock.now())  # 23:10
    clock.sleep_machine(7 * 3600)  # Tuesday 06:00
    assert scheduler.due(clock.now()) == []


def test_a_snooze_slept_through_the_same_day_comes_back_once() -> None:
    clock = FakeClock(at(MONDAY, "07:59"))
    scheduler = started(DEFAULT_PLAN, clock.now())
    clock.advance(60)
    assert scheduler.due(clock.now())
    scheduler.snooze(clock.now())
    clock.sleep_machine(2 * 3600)
    assert [d.kind for d in scheduler.due(clock.now())] == [DueKind.SNOOZED]
    assert run(scheduler, clock.now(), 60) == []


# --------------------------------------------------------------------------------------------------
# Already done, pause


def test_quiet_when_the_slot_was_already_done() -> None:
    done: set[tuple[date, str]] = set()
    clock = FakeClock(at(MONDAY, "07:00"))
    scheduler = started(DEFAULT_PLAN, clock.now(), is_done=lambda day, slot: (day, slot) in done)
    clock.advance(45 * 60)  # a session at 07:45 belongs to the 08:00 slot
    done.add((clock.now().date(), slot_for(DEFAULT_PLAN, clock.now())))
    shown = run(scheduler, clock.now(), 14 * 60)
    assert [d.slot for _, d in shown] == ["19:00"]


def test_not_quiet_when_quiet_if_done_is_off() -> None:
    plan = ReminderPlan(DEFAULT_PLAN.reminders, quiet_if_done=False)
    clock = FakeClock(at(MONDAY, "07:00"))
    scheduler = started(plan, clock.now(), is_done=lambda day, slot: True)
    assert [d.slot for _, d in run(scheduler, clock.now(), 14 * 60)] == ["08:00", "19:00"]


def test_done_while_snoozed_keeps_the_snooze_quiet() -> None:
    done: set[tuple[date, str]] = set()
    clock = FakeClock(at(MONDAY, "07:59"))
    scheduler = started(DEFAULT_PLAN, clock.now(), is_done=lambda day, slot: (day, slot) in done)
    clock.advance(60)
    assert scheduler.due(clock.now())
    scheduler.snooze(clock.now())
    done.add((MONDAY, "08:00"))
    assert run(scheduler, clock.now(), 60) == []


def test_pause_for_today_until_midnight() -> None:
    clock = FakeClock(at(MONDAY, "07:00"))
    scheduler = started(DEFAULT_PLAN, clock.now())
    scheduler.pause_today(clock.now())
    assert scheduler.is_paused(clock.now())
    assert scheduler.next_wakeup(clock.now()) == at(MONDAY + timedelta(days=1), "08:00")
    assert scheduler.status(clock.now()).paused_today
    shown = run(scheduler, clock.now(), 25 * 60)
    assert [(d.day, d.slot) for _, d in shown] == [(MONDAY + timedelta(days=1), "08:00")]
    assert not scheduler.is_paused(at(MONDAY + timedelta(days=1), "09:00"))


def test_pause_drops_a_pending_snooze_and_resume_undoes_it() -> None:
    clock = FakeClock(at(MONDAY, "07:59"))
    scheduler = started(DEFAULT_PLAN, clock.now())
    clock.advance(60)
    assert scheduler.due(clock.now())
    scheduler.snooze(clock.now())
    scheduler.pause_today(clock.now())
    assert scheduler.status(clock.now()).snoozed_until is None
    scheduler.resume()
    shown = run(scheduler, clock.now(), 12 * 60)
    assert [(d.slot, d.kind) for _, d in shown] == [("19:00", DueKind.ON_TIME)]


# --------------------------------------------------------------------------------------------------
# Missed while the app was closed


def test_app_closed_over_the_reminder_gives_one_notice() -> None:
    scheduler = ReminderScheduler(plan_of("08:00", "12:00", "19:00"))
    notice = scheduler.missed_on_start(at(MONDAY, "07:00"), at(MONDAY, "13:00"))
    assert notice == Due("12:00", MONDAY, at(MONDAY, "12:00"), DueKind.MISSED)
    assert run(scheduler, at(MONDAY, "13:00"), 5 * 60) == []


def test_app_closed_since_yesterday_reports_only_today() -> None:
    plan = plan_of("08:00", "19:00")
    tuesday = MONDAY + timedelta(days=1)
    # closed before Monday 19:00, opened Tuesday before 08:00: nothing stale
    early = ReminderScheduler(plan)
    assert early.missed_on_start(at(MONDAY, "12:00"), at(tuesday, "07:00")) is None
    assert [(d.day, d.slot) for _, d in run(early, at(tuesday, "07:00"), 120)] == [(tuesday, "08:00")]
    # opened Tuesday after 08:00: one notice, for today's 08:00
    later = ReminderScheduler(plan)
    notice = later.missed_on_start(at(MONDAY, "12:00"), at(tuesday, "09:00"))
    assert notice is not None and (notice.day, notice.slot, notice.kind) == (tuesday, "08:00", DueKind.MISSED)


def test_app_opened_within_the_grace_fires_on_time_instead() -> None:
    scheduler = ReminderScheduler(DEFAULT_PLAN)
    assert scheduler.missed_on_start(at(MONDAY, "07:50"), at(MONDAY, "08:03")) is None
    assert [d.kind for d in scheduler.due(at(MONDAY, "08:03"))] == [DueKind.ON_TIME]


def test_nothing_missed_on_first_run_or_when_paused_or_done() -> None:
    assert ReminderScheduler(DEFAULT_PLAN).missed_on_start(None, at(MONDAY, "20:00")) is None
    paused = ReminderScheduler(DEFAULT_PLAN, state=SchedulerState(paused_on=MONDAY))
    assert paused.missed_on_start(at(MONDAY, "07:00"), at(MONDAY, "20:00")) is None
    done = ReminderScheduler(DEFAULT_PLAN, is_done=lambda day, slot: slot == "19:00")
    assert done.missed_on_start(at(MONDAY, "07:00"), at(MONDAY, "20:00")) is None


def test_a_reminder_added_for_an_earlier_time_today_is_not_missed() -> None:
    clock = FakeClock(at(MONDAY, "10:00"))
    scheduler = started(DEFAULT_PLAN, clock.now())
    scheduler.set_plan(plan_of("08:00", "09:00", "19:00"))
    clock.advance(60)
    assert scheduler.due(clock.now()) == []


# --------------------------------------------------------------------------------------------------
# Wake-ups and state


def test_next_wakeup() -> None:
    scheduler = started(DEFAULT_PLAN, at(MONDAY, "07:00"))
    assert scheduler.next_wakeup(at(MONDAY, "07:00")) == at(MONDAY, "08:00")
    scheduler.snooze(at(MONDAY, "07:00"))
    assert scheduler.next_wakeup(at(MONDAY, "07:00")) == at(MONDAY, "07:10")
    assert scheduler.next_wakeup(at(MONDAY, "07:30")) == at(MONDAY, "07:30")  # overdue snooze: now
    empty = ReminderScheduler(ReminderPlan(()))
    assert empty.next_wakeup(at(MONDAY, "07:00")) is None
    assert empty.status(at(MONDAY, "07:00")).next_at is None


def test_state_round_trip_and_restart_does_not_repeat() -> None:
    clock = FakeClock(at(MONDAY, "07:59"))
    scheduler = started(DEFAULT_PLAN, clock.now())
    clock.advance(60)
    assert scheduler.due(clock.now())
    scheduler.snooze(clock.now())
    data = json.loads(json.dumps(state_to_dict(scheduler.state)))
    restored_state = state_from_dict(data)
    assert restored_state == scheduler.state
    # restarted five minutes later: no missed notice, no second 08:00, the snooze still comes back
    clock.advance(5 * 60)
    restarted = ReminderScheduler(DEFAULT_PLAN, state=restored_state)
    assert restarted.missed_on_start(restored_state.last_seen, clock.now()) is None
    shown = run(restarted, clock.now(), 60)
    assert [(now.strftime("%H:%M"), d.kind) for now, d in shown] == [("08:10", DueKind.SNOOZED)]


def test_state_keeps_pause_and_forgets_old_days() -> None:
    state = SchedulerState(
        fired=frozenset({(MONDAY - timedelta(days=5), "08:00"), (MONDAY, "08:00")}),
        paused_on=MONDAY,
        last_seen=at(MONDAY, "09:00"),
    )
    assert state_from_dict(state_to_dict(state)) == state
    scheduler = ReminderScheduler(DEFAULT_PLAN, state=state)
    scheduler.due(at(MONDAY, "09:01"))
    assert scheduler.state.fired == frozenset({(MONDAY, "08:00")})
    assert scheduler.state.paused_on == MONDAY


def test_empty_state_reads_as_nothing() -> None:
    assert state_from_dict({}) == SchedulerState()


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"fired": [["2026-03-02"]]},
        {"fired": [[20260302, "08:00"]]},
        {"last_seen": "2026-03-02T08:00"},  # no time zone
        {"last_seen": "yesterday"},
        {"paused_on": "2026-13-01"},
        {"snooze": {"until": "2026-03-02T08:00+00:00"}},
        {"snooze": "soon"},
    ],
)
def test_bad_state_is_refused(data: object) -> None:
    with pytest.raises(StateError):
        state_from_dict(data)


# --------------------------------------------------------------------------------------------------
# Properties

ZONES = st.sampled_from([BERLIN, NEW_YORK, LORD_HOWE, KOLKATA, LONDON])
reminder_strategy = st.builds(
    Reminder,
    time=st.builds(time, st.integers(0, 23), st.integers(0, 59)),
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
    enabled=st.booleans(),
)
plan_strategy = st.builds(
    ReminderPlan,
    reminders=st.lists(reminder_strategy, min_size=1, max_size=5).map(tuple),
    snooze_min=st.integers(1, 120),
    quiet_if_done=st.booleans(),
)
valid_plans = plan_strategy.filter(lambda plan: not validate(plan))
instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


def _fires_at(plan: ReminderPlan, moment: datetime, zone: ZoneInfo) -> bool:
    """Brute-force oracle: does some enabled reminder's wall time get reached at exactly `moment`?
    It does when the local wall clock passes the reminder time between one second before and now, on the
    first pass only (fold=0); this covers plain minutes and the jump at the end of a DST gap."""
    local = moment.astimezone(zone)
    before = (moment - timedelta(seconds=1)).astimezone(zone)
    if local.fold:
        return False
    wall_now, wall_before = local.replace(tzinfo=None), before.replace(tzinfo=None)
    return any(
        wall_before < datetime.combine(local.date(), r.time) <= wall_now
        for r in plan.enabled_on(local.weekday())
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(plan=valid_plans, after=instants, zone=ZONES)
def test_next_fire_is_the_next_reminder(plan: ReminderPlan, after: datetime, zone: ZoneInfo) -> None:
    local_after = after.astimezone(zone)
    fire = next_fire(plan, local_after)
    if not any(r.enabled for r in plan.reminders):
        assert fire is None
        return
    assert fire is not None
    assert fire > local_after
    assert fire.weekday() in {d for r in plan.reminders if r.enabled for d in r.weekdays}
    assert _fires_at(plan, fire.astimezone(UTC), zone)
    # no reminder is reached strictly between: walk every minute in between
    minute = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
    while minute < fire:
        assert not _fires_at(plan, minute, zone), minute.astimezone(zone)
        minute += timedelta(minutes=1)


@settings(max_examples=40, deadline=None)
@given(plan=plan_strategy, zone=ZONES)
def test_a_valid_plan_never_fires_closer_than_the_gap(plan: ReminderPlan, zone: ZoneInfo) -> None:
    assume(not validate(plan))
    # over a fortnight of wall-clock reminder minutes (ignoring DST), any two are >= MIN_GAP_MIN apart
    wall = sorted(
        datetime.combine(MONDAY + timedelta(days=n), r.time)
        for n in range(14)
        for r in plan.enabled_on((MONDAY + timedelta(days=n)).weekday())
    )
    assert all(b - a >= timedelta(minutes=MIN_GAP_MIN) for a, b in pairwise(wall))


@given(
    first=st.integers(0, 24 * 60 - MIN_GAP_MIN),  # no wrap past midnight: that is another day's reminder
    gap=st.integers(0, MIN_GAP_MIN - 1),
    days=st.frozensets(st.integers(0, 6), min_size=1),
    other_days=st.frozensets(st.integers(0, 6)),
)
def test_validation_never_accepts_two_close_reminders_on_a_shared_day(
    first: int, gap: int, days: frozenset[int], other_days: frozenset[int]
) -> None:
    second = first + gap
    a = Reminder(time(first // 60, first % 60), days)
    b = Reminder(time(second // 60, second % 60), days | other_days)
    problems = validate(ReminderPlan((a, b)))
    assert any(p.field == "time" and p.index == 1 for p in problems)


@given(plan=valid_plans)
@settings(suppress_health_check=[HealthCheck.filter_too_much])
def test_plan_dict_round_trip(plan: ReminderPlan) -> None:
    assert plan_from_dict(json.loads(json.dumps(plan_to_dict(plan)))) == plan


@given(plan=valid_plans, after=instants, zone=ZONES)
@settings(suppress_health_check=[HealthCheck.filter_too_much])
def test_slot_for_names_a_reminder_of_that_day(plan: ReminderPlan, after: datetime, zone: ZoneInfo) -> None:
    local = after.astimezone(zone)
    slot = slot_for(plan, local)
    slots_today = {r.slot for r in plan.enabled_on(local.weekday())}
    assert slot in slots_today if slots_today else slot == ""


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(plan=valid_plans, start=instants, zone=ZONES, hours=st.integers(1, 72))
def test_scheduler_never_shows_a_reminder_twice_a_day_and_never_in_a_burst(
    plan: ReminderPlan, start: datetime, zone: ZoneInfo, hours: int
) -> None:
    local = start.astimezone(zone)
    scheduler = started(plan, local)
    # one long gap (sleep) followed by normal minute-by-minute checking
    woke = local + timedelta(hours=hours)
    shown = [(woke, d) for d in scheduler.due(woke)]
    assert len(shown) <= 1
    shown += run(scheduler, woke, 24 * 60, step_min=5)
    keys = [(d.day, d.slot) for _, d in shown]
    assert len(keys) == len(set(keys))
    assert sum(d.kind is DueKind.MISSED for _, d in shown) <= 1
