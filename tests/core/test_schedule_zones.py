"""The scheduler works in the person's zone, whatever zone `now` comes in and whatever zone the machine has,
and its boundaries hold to the second (issue 18: the mutation run showed that the on-time/missed boundary,
the person's zone, `app_was_running` and what is remembered across restarts went unchecked).

The machine's own zone is set to Kiritimati (UTC+14) here: a time converted to the machine's zone instead
of the person's shows up as a different hour or day. Time only moves when a test says so."""

from __future__ import annotations

import time as time_module
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, tzinfo
from datetime import time as dt_time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sciatica_coach.core.schedule import (
    DEFAULT_PLAN,
    ON_TIME_GRACE,
    Due,
    DueKind,
    Reminder,
    ReminderPlan,
    ReminderScheduler,
    ReminderStatus,
    SchedulerState,
    fire_instant,
    next_fire,
    parse_time,
    plan_to_dict,
    state_to_dict,
    upcoming,
)

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 3, 2)  # New York is UTC-5 that week, London UTC+0
TUESDAY = MONDAY + timedelta(days=1)


@pytest.fixture(autouse=True)
def machine_far_east(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time_module.tzset()
    yield
    monkeypatch.undo()
    time_module.tzset()


def plan_of(*times: str, snooze_min: int = 10) -> ReminderPlan:
    return ReminderPlan(tuple(Reminder(parse_time(t)) for t in times), snooze_min=snooze_min)


def ny(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, parse_time(hhmm), tzinfo=NEW_YORK)


def utc(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, parse_time(hhmm), tzinfo=UTC)


def london(day: date, hhmm: str, second: int = 0) -> datetime:
    return datetime.combine(day, parse_time(hhmm), tzinfo=LONDON).replace(second=second)


def in_new_york(plan: ReminderPlan, first_look: datetime) -> ReminderScheduler:
    scheduler = ReminderScheduler(plan, tz=NEW_YORK)
    assert scheduler.missed_on_start(None, first_look) is None
    return scheduler


def test_the_machine_really_is_far_east() -> None:
    assert utc(MONDAY, "12:00").astimezone().utcoffset() == timedelta(hours=14)


# --- the person's zone ---------------------------------------------------------------------------------


def test_a_reminder_fires_at_the_persons_time_when_now_comes_in_utc() -> None:
    scheduler = in_new_york(plan_of("08:00"), utc(MONDAY, "12:59"))
    [notice] = scheduler.due(utc(MONDAY, "13:00"))
    assert notice == Due("08:00", MONDAY, ny(MONDAY, "08:00"), DueKind.ON_TIME)
    assert notice.scheduled_at.isoformat() == "2026-03-02T08:00:00-05:00"


def test_a_snooze_and_the_status_are_in_the_persons_time() -> None:
    scheduler = in_new_york(plan_of("08:00", "19:00"), utc(MONDAY, "12:59"))
    [notice] = scheduler.due(utc(MONDAY, "13:00"))
    until = scheduler.snooze(utc(MONDAY, "13:01"))
    assert until.isoformat() == "2026-03-02T08:11:00-05:00"
    status = scheduler.status(utc(MONDAY, "13:02"))
    assert status == ReminderStatus(ny(MONDAY, "19:00"), ny(MONDAY, "08:11"), paused_today=False)
    assert status.next_at is not None and status.next_at.isoformat() == "2026-03-02T19:00:00-05:00"
    assert status.snoozed_until is not None and status.snoozed_until.isoformat() == until.isoformat()
    wakeup = scheduler.next_wakeup(utc(MONDAY, "13:02"))
    assert wakeup is not None and wakeup.isoformat() == "2026-03-02T08:11:00-05:00"
    assert scheduler.due(utc(MONDAY, "13:10")) == []
    [back] = scheduler.due(utc(MONDAY, "13:11"))
    assert back == Due("08:00", MONDAY, ny(MONDAY, "08:00"), DueKind.SNOOZED)
    assert back.scheduled_at.isoformat() == notice.scheduled_at.isoformat()


def test_snoozing_with_nothing_shown_files_it_under_the_nearest_reminder_of_the_persons_day() -> None:
    scheduler = in_new_york(plan_of("08:00", "19:00"), utc(MONDAY, "14:30"))
    scheduler.snooze(utc(MONDAY, "14:40"))  # 09:40 in New York: nearest to 08:00 (in UTC it is 19:00)
    snooze = scheduler.state.snooze
    assert snooze is not None
    assert snooze.notice == Due("08:00", MONDAY, ny(MONDAY, "09:40"), DueKind.ON_TIME)
    assert snooze.notice.scheduled_at.isoformat() == "2026-03-02T09:40:00-05:00"


def test_pausing_for_today_means_the_persons_today() -> None:
    scheduler = in_new_york(plan_of("08:00", "21:00"), utc(MONDAY, "16:00"))
    scheduler.pause_today(utc(TUESDAY, "01:00"))  # 20:00 on Monday in New York, Tuesday in UTC
    assert scheduler.state.paused_on == MONDAY
    assert scheduler.is_paused(utc(TUESDAY, "04:59"))  # 23:59 on Monday in New York
    assert not scheduler.is_paused(utc(TUESDAY, "05:00"))
    next_at = scheduler.status(utc(TUESDAY, "01:00")).next_at
    assert next_at is not None and next_at.isoformat() == "2026-03-03T08:00:00-05:00"  # not Monday's 21:00
    assert scheduler.due(utc(TUESDAY, "02:00")) == []  # Monday's 21:00 is silenced
    scheduler.resume()
    assert scheduler.state.paused_on is None
    assert state_to_dict(scheduler.state)["paused_on"] is None


def test_a_missed_reminder_on_start_is_the_persons_today() -> None:
    scheduler = ReminderScheduler(plan_of("08:00", "10:20"), tz=NEW_YORK)
    missed = scheduler.missed_on_start(utc(MONDAY, "12:00"), utc(MONDAY, "14:00"))  # 07:00 -> 09:00
    assert missed == Due("08:00", MONDAY, ny(MONDAY, "08:00"), DueKind.MISSED)
    assert missed is not None and missed.app_was_running is False
    # It looked at 09:00 New York time: the 10:20 reminder is the next thing shown, on time.
    assert scheduler.due(utc(MONDAY, "15:20")) == [Due("10:20", MONDAY, ny(MONDAY, "10:20"), DueKind.ON_TIME)]


def test_a_snooze_that_came_due_on_the_persons_yesterday_is_dropped() -> None:
    scheduler = in_new_york(plan_of("22:00"), ny(MONDAY, "21:59"))
    assert scheduler.due(ny(MONDAY, "22:00"))
    scheduler.snooze(
        ny(MONDAY, "22:00")
    )  # back at 22:10 on Monday: Tuesday already in UTC and the machine's zone
    assert scheduler.due(ny(TUESDAY, "07:00")) == []
    assert scheduler.state.snooze is None


def test_upcoming_reminders_are_the_persons_times_when_asked_in_utc() -> None:
    found = upcoming(plan_of("08:00"), utc(MONDAY, "12:00"), 2, NEW_YORK)
    assert [moment.isoformat() for moment in found] == [
        "2026-03-02T08:00:00-05:00",
        "2026-03-03T08:00:00-05:00",
    ]


def test_the_next_wakeup_compares_instants_in_the_repeated_autumn_hour() -> None:
    # London, 25 October 2026: 01:00-01:59 happens twice. A 45-minute snooze at 01:25 (summer time) comes back
    # at 01:10 winter time, after the 01:30 reminder although its clock time reads earlier.
    now = datetime(2026, 10, 25, 0, 25, tzinfo=UTC).astimezone(LONDON)
    scheduler = ReminderScheduler(plan_of("01:30", snooze_min=45), tz=LONDON)
    assert scheduler.missed_on_start(None, now) is None
    until = scheduler.snooze(now)
    assert (until.strftime("%H:%M"), until.fold) == ("01:10", 1)
    wakeup = scheduler.next_wakeup(now)
    assert wakeup is not None and wakeup.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


# --- next_fire against every candidate -----------------------------------------------------------------

ZONES = [
    LONDON,
    NEW_YORK,
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("Australia/Lord_Howe"),
    ZoneInfo("Pacific/Apia"),
]


def every_candidate(plan: ReminderPlan, after: datetime, zone: ZoneInfo) -> datetime | None:
    """The earliest of all fires from the day before `after` to eight days after it (the old way)."""
    start = after.astimezone(zone).date()
    days = [start + timedelta(days=k) for k in range(-1, 9)]
    fires = [fire_instant(day, r.time, zone) for day in days for r in plan.enabled_on(day.weekday())]
    later = [fire for fire in fires if fire.astimezone(UTC) > after.astimezone(UTC)]
    return min(later, key=lambda fire: fire.astimezone(UTC)) if later else None


@settings(max_examples=300)
@given(
    st.lists(
        st.tuples(st.times(), st.frozensets(st.integers(0, 6), min_size=1), st.booleans()),
        min_size=0,
        max_size=4,
    ),
    st.datetimes(datetime(2011, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC)),
    st.sampled_from(ZONES),
)
def test_next_fire_is_the_earliest_fire_after(
    reminders: list[tuple[dt_time, frozenset[int], bool]], after: datetime, zone: ZoneInfo
) -> None:
    plan = ReminderPlan(tuple(Reminder(t.replace(second=0, microsecond=0), d, e) for t, d, e in reminders))
    found = next_fire(plan, after, zone)
    expected = every_candidate(plan, after, zone)
    assert (found and found.isoformat()) == (expected and expected.isoformat())


def test_samoa_skipping_a_whole_day_fires_its_reminders_when_the_day_is_over() -> None:
    apia = ZoneInfo("Pacific/Apia")  # 30 December 2011 never happened there
    before = datetime(2011, 12, 29, 23, 0, tzinfo=apia)
    fire = next_fire(ReminderPlan((Reminder(parse_time("08:00"), frozenset({4})),)), before)  # Fridays
    assert fire is not None and fire.isoformat() == "2011-12-31T00:00:00+14:00"


def test_a_time_with_seconds_or_a_zone_fires_on_its_minute() -> None:
    fire = fire_instant(MONDAY, dt_time(8, 0, 30, 5, tzinfo=UTC), NEW_YORK)
    assert fire.isoformat() == "2026-03-02T08:00:00-05:00"


# --- boundaries and what is remembered --------------------------------------------------------------------


@pytest.mark.parametrize(("second", "kind"), [(0, DueKind.ON_TIME), (1, DueKind.MISSED)])
def test_ten_minutes_late_is_still_on_time_and_a_second_more_is_missed(second: int, kind: DueKind) -> None:
    assert timedelta(minutes=10) == ON_TIME_GRACE
    scheduler = ReminderScheduler(DEFAULT_PLAN, state=SchedulerState(last_seen=london(MONDAY, "07:59")))
    [notice] = scheduler.due(london(MONDAY, "08:10", second))
    assert notice.kind is kind
    assert notice.app_was_running is (kind is DueKind.MISSED)  # the wall clock jumped while it ran


@pytest.mark.parametrize(("second", "shown"), [(0, True), (1, False)])
def test_a_snooze_due_before_midnight_is_kept_for_the_grace_and_no_longer(second: int, shown: bool) -> None:
    scheduler = ReminderScheduler(plan_of("23:45"), tz=LONDON)
    scheduler.missed_on_start(None, london(MONDAY, "23:44"))
    assert scheduler.due(london(MONDAY, "23:45"))
    scheduler.snooze(london(MONDAY, "23:45"))  # back at 23:55
    back = scheduler.due(london(TUESDAY, "00:05", second))
    assert [d.kind for d in back] == ([DueKind.SNOOZED] if shown else [])


def test_snoozing_a_snoozed_notice_again_keeps_the_reminder_it_was() -> None:
    scheduler = ReminderScheduler(DEFAULT_PLAN, tz=LONDON)
    scheduler.missed_on_start(None, london(MONDAY, "07:59"))
    [notice] = scheduler.due(london(MONDAY, "08:00"))
    scheduler.snooze(london(MONDAY, "08:01"))
    [back] = scheduler.due(london(MONDAY, "08:11"))
    scheduler.snooze(london(MONDAY, "12:00"))  # a time nearer no reminder in particular
    snooze = scheduler.state.snooze
    assert snooze is not None and snooze.notice == back
    assert (back.slot, back.scheduled_at) == (notice.slot, notice.scheduled_at)


def test_what_was_shown_is_remembered_for_today_and_yesterday_only() -> None:
    fired = frozenset({(MONDAY - timedelta(days=1), "08:00"), (MONDAY, "08:00"), (TUESDAY, "08:00")})
    scheduler = ReminderScheduler(DEFAULT_PLAN, tz=LONDON, state=SchedulerState(fired=fired))
    scheduler.due(london(TUESDAY, "12:00"))
    assert scheduler.state.fired == {(MONDAY, "08:00"), (TUESDAY, "08:00")}


def test_a_restored_scheduler_carries_on_from_when_it_last_looked() -> None:
    scheduler = ReminderScheduler(DEFAULT_PLAN, state=SchedulerState(last_seen=london(MONDAY, "07:55")))
    assert scheduler.last_seen == london(MONDAY, "07:55")
    assert scheduler.due(london(MONDAY, "08:00")) == [
        Due("08:00", MONDAY, london(MONDAY, "08:00"), DueKind.ON_TIME)
    ]


def test_after_a_paused_start_the_next_reminder_still_comes() -> None:
    scheduler = ReminderScheduler(plan_of("08:00", "10:20"), tz=LONDON)
    scheduler.pause_today(london(MONDAY, "07:00"))
    assert scheduler.missed_on_start(london(MONDAY, "07:00"), london(MONDAY, "09:00")) is None
    scheduler.resume()
    assert [d.slot for d in scheduler.due(london(MONDAY, "10:20"))] == ["10:20"]


def test_the_plan_is_written_as_plain_data() -> None:
    assert plan_to_dict(plan_of("08:00")) == {
        "reminders": [{"time": "08:00", "weekdays": [0, 1, 2, 3, 4, 5, 6], "enabled": True}],
        "snooze_min": 10,
        "quiet_if_done": True,
    }


def test_a_new_zone_moves_the_reminders_to_its_clock() -> None:
    scheduler = ReminderScheduler(plan_of("08:00"), tz=LONDON)
    scheduler.set_zone(NEW_YORK)
    assert scheduler.tz is NEW_YORK
    next_at = scheduler.status(utc(MONDAY, "12:00")).next_at
    assert next_at is not None and next_at.isoformat() == "2026-03-02T08:00:00-05:00"


def test_every_minute_of_the_spring_gap_fires_when_the_gap_ends() -> None:
    spring = date(2026, 3, 29)  # London: 01:00 GMT becomes 02:00 BST
    fires = {fire_instant(spring, dt_time(1, minute), LONDON).isoformat() for minute in range(60)}
    assert fires == {"2026-03-29T02:00:00+01:00"}
    with_zone = fire_instant(spring, dt_time(1, 7, tzinfo=UTC), LONDON)  # a stray zone on the time is ignored
    assert with_zone.isoformat() == "2026-03-29T02:00:00+01:00"


class _NoOffset(tzinfo):
    """A zone that does not know its offset: as good as none."""

    def utcoffset(self, moment: datetime | None) -> timedelta | None:
        return None

    def dst(self, moment: datetime | None) -> timedelta | None:
        return None

    def tzname(self, moment: datetime | None) -> str | None:
        return None


@pytest.mark.parametrize(
    "moment", [datetime(2026, 3, 2, 8, 0), datetime(2026, 3, 2, 8, 0, tzinfo=_NoOffset())]
)
def test_a_time_without_a_known_offset_is_refused_in_plain_words(moment: datetime) -> None:
    with pytest.raises(ValueError) as raised:
        next_fire(plan_of("08:00"), moment)
    assert str(raised.value) == "Reminder times need an aware datetime (one with a time zone)."
