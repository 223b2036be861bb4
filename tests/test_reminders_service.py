"""The reminder service with a fake clock and a fake timer: nothing here sleeps or waits on real time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sciatica_coach.core.model import Outcome, Phase, SessionRecord
from sciatica_coach.core.schedule import (
    Due,
    DueKind,
    PlanError,
    Reminder,
    ReminderPlan,
    parse_time,
    plan_to_dict,
)
from sciatica_coach.platform.locale_support import clock_time
from sciatica_coach.platform.notifications import notice_text
from sciatica_coach.services.plans import PLAN_KEY, reminder_plan
from sciatica_coach.services.reminders import MAX_WAIT_MS, STATE_KEY, ReminderService
from sciatica_coach.storage.repository import Repository
from tests.helpers import FakeClock

BERLIN = ZoneInfo("Europe/Berlin")


class FakeTimer:
    """A single-shot timer the test fires by hand after moving the clock."""

    def __init__(self, callback: Callable[[], None]) -> None:
        self.callback = callback
        self.armed_ms: int | None = None
        self.history: list[int] = []

    def start(self, msec: int) -> None:
        self.armed_ms = msec
        self.history.append(msec)

    def stop(self) -> None:
        self.armed_ms = None

    def fire(self) -> None:
        self.armed_ms = None
        self.callback()


class Rig:
    """A service on a fake clock; `run_for` lets the timer fire as the real one would."""

    def __init__(self, data_dir: Path, start: datetime, plan: ReminderPlan | None = None) -> None:
        self.repo = Repository.open(data_dir)
        if plan is not None:
            self.repo.set_state(PLAN_KEY, plan_to_dict(plan))
        self.clock = FakeClock(start)
        self.zone = ["Europe/Berlin"]
        self.timers: list[FakeTimer] = []
        self.due: list[Due] = []
        self.missed: list[Due] = []
        self.service = self.make_service()

    def make_service(self) -> ReminderService:
        def factory(callback: Callable[[], None]) -> FakeTimer:
            timer = FakeTimer(callback)
            self.timers.append(timer)
            return timer

        service = ReminderService(
            self.repo, self.clock, timer_factory=factory, zone_fingerprint=lambda: tuple(self.zone)
        )
        service.reminder_due.connect(self.due.append)
        service.missed_notice.connect(self.missed.append)
        return service

    @property
    def timer(self) -> FakeTimer:
        return self.timers[-1]

    def run_for(self, seconds: float) -> int:
        """Let `seconds` of awake time pass, firing the timer whenever it is due. Returns the wakeups."""
        wakeups = 0
        left = seconds
        while True:
            armed = self.timer.armed_ms
            assert armed is not None, "the service must always keep its timer armed"
            step = armed / 1000
            if step > left:
                self.clock.advance(left)
                return wakeups
            self.clock.advance(step)
            left -= step
            wakeups += 1
            self.timer.fire()

    def restart(self) -> ReminderService:
        self.service.stop()
        self.service = self.make_service()
        return self.service


def at(hour: int, minute: int = 0, day: int = 2, month: int = 3, tz: ZoneInfo = BERLIN) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=tz)


def plan_of(*times: str, snooze: int = 10) -> ReminderPlan:
    return ReminderPlan(tuple(Reminder(parse_time(t)) for t in times), snooze_min=snooze)


def test_several_times_a_day_each_fires_once_on_time(data_dir: Path) -> None:
    rig = Rig(data_dir, at(7, 0), plan_of("08:00", "13:00", "19:00"))
    rig.service.start()
    rig.run_for(24 * 3600)
    assert [(d.slot, d.kind) for d in rig.due] == [
        ("08:00", DueKind.ON_TIME),
        ("13:00", DueKind.ON_TIME),
        ("19:00", DueKind.ON_TIME),
    ]
    assert rig.missed == []


def test_the_timer_is_coarse_and_never_longer_than_a_minute(data_dir: Path) -> None:
    rig = Rig(data_dir, at(7, 0), plan_of("08:00", "19:00"))
    rig.service.start()
    wakeups = rig.run_for(3600)
    assert all(0 <= ms <= MAX_WAIT_MS for ms in rig.timer.history)
    # about one look a minute, not one a second
    assert 59 <= wakeups <= 62
    assert len(rig.due) == 1


def test_the_timer_aims_at_the_reminder_when_it_is_close(data_dir: Path) -> None:
    rig = Rig(data_dir, at(7, 59) + timedelta(seconds=30), plan_of("08:00"))
    rig.service.start()
    assert rig.timer.armed_ms is not None and 30_000 <= rig.timer.armed_ms <= 31_000


def test_weekdays_only(data_dir: Path) -> None:
    plan = ReminderPlan((Reminder(parse_time("08:00"), frozenset(range(5))),))
    rig = Rig(data_dir, at(7, 0, day=2), plan)  # Monday 2 March 2026
    rig.service.start()
    rig.run_for(7 * 24 * 3600)
    assert [d.day.isoformat() for d in rig.due] == [f"2026-03-{n:02d}" for n in range(2, 7)]


def test_a_ten_hour_sleep_gives_one_missed_notice_after_resume(data_dir: Path) -> None:
    rig = Rig(data_dir, at(7, 0), plan_of("08:00", "10:00", "13:00"))
    rig.service.start()
    rig.run_for(1800)
    rig.clock.sleep_machine(10 * 3600)  # 07:30 -> 17:30, the monotonic timer stood still
    rig.service.resumed()
    assert rig.due == []
    assert [(d.slot, d.kind) for d in rig.missed] == [("13:00", DueKind.MISSED)]
    rig.run_for(3600)
    assert len(rig.missed) == 1 and rig.due == []


def test_sleep_without_a_resume_signal_is_caught_by_the_next_minute_look(data_dir: Path) -> None:
    rig = Rig(data_dir, at(7, 0), plan_of("08:00"))
    rig.service.start()
    rig.clock.sleep_machine(3 * 3600 + 5 * 60)  # no logind here; the 60 s timer fires after waking
    rig.timer.fire()
    assert [(d.slot, d.kind) for d in rig.missed] == [("08:00", DueKind.MISSED)]


def test_dst_spring_forward_fires_after_the_gap(data_dir: Path) -> None:
    rig = Rig(data_dir, at(1, 0, day=29), plan_of("02:30"))  # 29 March 2026: Berlin 02:00 -> 03:00
    rig.service.start()
    rig.run_for(3 * 3600)
    assert len(rig.due) == 1
    assert rig.due[0].scheduled_at.hour == 3 and rig.due[0].scheduled_at.minute == 0


def test_dst_autumn_repeated_hour_fires_once(data_dir: Path) -> None:
    rig = Rig(data_dir, at(1, 0, day=25, month=10), plan_of("02:30"))
    rig.service.start()
    rig.run_for(4 * 3600)
    assert [d.slot for d in rig.due] == ["02:30"]


def test_clock_jumping_back_does_not_repeat_and_forward_reports_once(data_dir: Path) -> None:
    rig = Rig(data_dir, at(7, 55), plan_of("08:00", "12:00"))
    rig.service.start()
    rig.run_for(600)
    assert [d.slot for d in rig.due] == ["08:00"]
    rig.clock.jump_wall(-3600)  # back to 07:05
    rig.service.clock_changed()
    rig.run_for(3600)
    assert [d.slot for d in rig.due] == ["08:00"]
    rig.clock.jump_wall(5 * 3600)  # forward past 12:00
    rig.service.clock_changed()
    assert [d.slot for d in rig.missed] == ["12:00"]


def test_snooze_brings_the_notice_back_once(data_dir: Path) -> None:
    rig = Rig(data_dir, at(7, 59), plan_of("08:00", snooze=10))
    rig.service.start()
    rig.run_for(120)
    assert len(rig.due) == 1
    until = rig.service.snooze()
    assert until == at(8, 11) or (until - at(8, 0)).total_seconds() < 12 * 60
    assert rig.service.status().snoozed_until == until
    rig.run_for(9 * 60)
    assert len(rig.due) == 1
    rig.run_for(3 * 60)
    assert [(d.slot, d.kind) for d in rig.due] == [("08:00", DueKind.ON_TIME), ("08:00", DueKind.SNOOZED)]
    rig.run_for(3600)
    assert len(rig.due) == 2


def make_session(started: datetime, slot: str = "") -> SessionRecord:
    return SessionRecord(
        id=f"s-{started:%H%M}",
        started_at=started,
        ended_at=started + timedelta(minutes=12),
        phase=Phase.MOBILITY,
        exercises=(),
        outcome=Outcome.COMPLETED,
        slot=slot,
    )


def test_quiet_when_the_slot_is_already_done(data_dir: Path) -> None:
    rig = Rig(data_dir, at(6, 0), plan_of("08:00", "19:00"))
    rig.repo.save_session(make_session(at(7, 10), slot="08:00"))
    rig.service.start()
    rig.run_for(14 * 3600)
    assert [d.slot for d in rig.due] == ["19:00"]


def test_already_done_uses_the_nearest_reminder_when_a_session_has_no_slot(data_dir: Path) -> None:
    rig = Rig(data_dir, at(6, 0), plan_of("08:00", "19:00"))
    rig.repo.save_session(make_session(at(17, 45)))
    rig.service.start()
    rig.run_for(14 * 3600)
    assert [d.slot for d in rig.due] == ["08:00"]


def test_snooze_is_quiet_when_the_session_was_done_meanwhile(data_dir: Path) -> None:
    rig = Rig(data_dir, at(7, 59), plan_of("08:00"))
    rig.service.start()
    rig.run_for(120)
    rig.service.snooze()
    rig.repo.save_session(make_session(at(8, 5), slot="08:00"))
    rig.run_for(3600)
    assert len(rig.due) == 1


def test_missed_on_start_is_a_single_notice(data_dir: Path) -> None:
    rig = Rig(data_dir, at(7, 0), plan_of("08:00", "12:00", "16:00"))
    rig.service.start()
    rig.service.stop()  # the app is closed at 07:00
    rig.clock.advance(10 * 3600)  # ... and opened again at 17:00
    service = rig.make_service()
    missed = service.start()
    assert missed is not None and missed.slot == "16:00"
    assert [(d.slot, d.kind) for d in rig.missed] == [("16:00", DueKind.MISSED)]
    title, body = notice_text(missed)
    assert clock_time(time(16, 0)) in body and "missed" not in (title + body).lower()


def test_restart_does_not_repeat_a_notice_already_shown(data_dir: Path) -> None:
    rig = Rig(data_dir, at(7, 59), plan_of("08:00"))
    rig.service.start()
    rig.run_for(120)
    assert len(rig.due) == 1
    rig.restart()
    rig.clock.advance(60)
    rig.service.start()
    rig.run_for(600)
    assert len(rig.due) == 1 and rig.missed == []


def test_pause_today_and_resume(data_dir: Path) -> None:
    rig = Rig(data_dir, at(7, 0), plan_of("08:00", "19:00"))
    rig.service.start()
    rig.service.pause_today()
    assert rig.service.status().paused_today
    rig.run_for(13 * 3600)
    assert rig.due == []
    rig.run_for(12 * 3600)  # the next morning
    assert [d.day.isoformat() for d in rig.due] == ["2026-03-03"]


def test_pause_survives_a_restart(data_dir: Path) -> None:
    rig = Rig(data_dir, at(7, 0), plan_of("08:00"))
    rig.service.start()
    rig.service.pause_today()
    rig.restart()
    rig.service.start()
    rig.run_for(3 * 3600)
    assert rig.due == [] and rig.missed == []
    assert rig.repo.state(STATE_KEY)["paused_on"] == "2026-03-02"


def test_start_now_clears_the_notice_and_asks_for_a_session(data_dir: Path) -> None:
    rig = Rig(data_dir, at(7, 59), plan_of("08:00"))
    rig.service.start()
    asked: list[bool] = []
    rig.service.start_requested.connect(lambda: asked.append(True))
    rig.run_for(120)
    assert rig.service.pending is not None
    rig.service.start_now()
    assert asked == [True] and rig.service.pending is None


def test_set_plan_validates_stores_and_rearms(data_dir: Path) -> None:
    rig = Rig(data_dir, at(7, 0))
    rig.service.start()
    with pytest.raises(PlanError):
        rig.service.set_plan(plan_of("09:00", "09:10"))
    assert rig.repo.state(PLAN_KEY) is None  # nothing stored
    rig.service.set_plan(plan_of("07:30"))
    assert reminder_plan(rig.repo) == plan_of("07:30")
    assert rig.timer.armed_ms is not None and rig.timer.armed_ms <= MAX_WAIT_MS
    rig.run_for(3600)
    assert [d.slot for d in rig.due] == ["07:30"]


def test_time_zone_change_is_noticed_and_clears_the_zone_cache(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cleared: list[bool] = []
    import sciatica_coach.services.reminders as module

    class Zone:
        @staticmethod
        def cache_clear() -> None:
            cleared.append(True)

    monkeypatch.setattr(module, "local_zone", Zone)
    rig = Rig(data_dir, at(7, 0), plan_of("08:00"))
    rig.service.start()
    rig.run_for(120)
    assert cleared == []
    rig.zone[0] = "America/New_York"
    rig.run_for(60)
    assert cleared == [True]
    rig.service.time_zone_changed()
    assert cleared == [True, True]


def test_new_york_spring_forward_day(data_dir: Path) -> None:
    new_york = ZoneInfo("America/New_York")
    rig = Rig(data_dir, datetime(2026, 3, 7, 6, 0, tzinfo=new_york), plan_of("08:00"))
    rig.service.start()
    rig.run_for(27 * 3600)  # 8 March 2026 is the US spring-forward day
    assert [d.day.isoformat() for d in rig.due] == ["2026-03-07", "2026-03-08"]
    assert rig.due[1].scheduled_at.utcoffset() == timedelta(hours=-4)


def test_damaged_state_starts_afresh(data_dir: Path) -> None:
    rig = Rig(data_dir, at(7, 0), plan_of("08:00"))
    rig.repo.set_state(STATE_KEY, {"fired": "nonsense"})
    assert rig.service.start() is None
    rig.run_for(3600)
    assert len(rig.due) == 1


def test_state_is_not_written_every_minute(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rig = Rig(data_dir, at(9, 0), plan_of("08:00"))
    rig.service.start()
    writes: list[str] = []
    original = rig.repo.set_state
    monkeypatch.setattr(rig.repo, "set_state", lambda k, v: (writes.append(k), original(k, v)))
    rig.run_for(3600)
    assert 1 <= len(writes) <= 5


# ---- quiet while coaching is paused by a red-flag answer -----------------------------------------------


def test_no_notice_on_a_red_flag_day_and_notices_again_the_next_day(data_dir: Path) -> None:
    from sciatica_coach.services import safety_state

    rig = Rig(data_dir, at(7, 0), plan_of("08:00", "19:00"))
    rig.service.start()
    safety_state.record_red_flag_answers(rig.repo, rig.clock.now(), {"bladder": True})  # an emergency
    rig.run_for(12 * 3600)  # 08:00 and 19:00 fall due
    assert rig.due == [] and rig.missed == [], "nothing calls the person to exercise that day"
    assert rig.service.quiet_notices == 2
    rig.run_for(14 * 3600)  # the next morning, 09:00
    assert [(d.day.day, d.slot) for d in rig.due] == [(3, "08:00")]


def test_no_notice_until_a_doctor_has_cleared_a_see_a_doctor_soon_answer(data_dir: Path) -> None:
    from sciatica_coach.services import safety_state

    rig = Rig(data_dir, at(7, 0), plan_of("08:00"))
    rig.service.start()
    safety_state.record_red_flag_answers(rig.repo, rig.clock.now(), {"cancer": True})
    rig.run_for(3 * 24 * 3600)  # three days without a doctor's say-so
    assert rig.due == []
    safety_state.record_doctor_cleared(rig.repo, rig.clock.now())  # day 5, 07:00
    rig.run_for(2 * 3600)
    assert [(d.day.day, d.slot) for d in rig.due] == [(5, "08:00")]


def test_a_missed_notice_is_not_shown_on_start_while_paused(data_dir: Path) -> None:
    from sciatica_coach.services import safety_state

    rig = Rig(data_dir, at(7, 0), plan_of("08:00"))
    rig.service.start()
    rig.service.stop()
    safety_state.record_red_flag_answers(rig.repo, rig.clock.now(), {"foot-drop": True})  # urgent
    rig.clock.advance(3 * 3600)  # the app was closed at 08:00
    rig.restart().start()
    assert rig.missed == [] and rig.due == []
