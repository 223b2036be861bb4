"""The sitting-break scheduler, stepped by a fake clock: counting, natural breaks, sleep, lock, working hours,
postponing, skipping, taking, the hour's pause, full screen, daylight-saving changes, and its wake-ups."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sciatica_coach.core.model import Direction
from sciatica_coach.core.sitting import (
    ENDS_SITTING,
    LONGEST_LOOK_S,
    LOOK_WHILE_AWAY_S,
    MOVEMENT_SECONDS,
    NATURAL_BREAK_S,
    PAUSE_S,
    SLEEP_GAP_S,
    BreakOutcome,
    BreakSettings,
    DayBreaks,
    Movement,
    Phase,
    Quiet,
    SittingBreak,
    SittingBreakScheduler,
    breaks_per_day,
    extension_suits,
    movements_for,
)

LONDON = ZoneInfo("Europe/London")


class TrueClock:
    """Real elapsed time: the wall clock is an instant shown in a zone (as the system clock reads it), so
    a daylight-saving change moves the local hour but not the instant. `sleep` moves the wall clock alone."""

    def __init__(self, start: datetime) -> None:
        self._instant = start.astimezone(UTC)
        self._zone = start.tzinfo
        self._mono = 5000.0

    def now(self) -> datetime:
        return self._instant.astimezone(self._zone)

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        self._instant += timedelta(seconds=seconds)
        self._mono += seconds

    def sleep(self, seconds: float) -> None:
        self._instant += timedelta(seconds=seconds)


MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)
ON = BreakSettings(on=True)


def make(settings: BreakSettings = ON, start: datetime = MONDAY_9) -> tuple[SittingBreakScheduler, TrueClock]:
    clock = TrueClock(start)
    return SittingBreakScheduler(settings, clock), clock


def work(scheduler: SittingBreakScheduler, clock: TrueClock, minutes: float, step_s: float = 60.0, **kw):  # type: ignore[no-untyped-def]
    """Type away for `minutes`: a reading with a little idle time every `step_s`."""
    status = scheduler.observe(2.0, **kw)
    for _ in range(round(minutes * 60 / step_s)):
        clock.advance(step_s)
        status = scheduler.observe(2.0, **kw)
    return status


def test_a_card_is_due_after_the_interval_of_computer_use_and_not_before() -> None:
    scheduler, clock = make()
    status = work(scheduler, clock, 29)
    assert status.phase is Phase.SITTING
    assert status.due_in_s == pytest.approx(60 - 2)  # the first input was 2 s before the first look
    status = work(scheduler, clock, 1)
    assert status.phase is Phase.DUE
    assert status.movement is Movement.WALK


def test_the_stretch_starts_at_the_last_input_not_at_the_first_look() -> None:
    scheduler, _ = make()
    status = scheduler.observe(240.0)  # first look: the last input was four minutes ago
    assert status.sitting_s == pytest.approx(240)


def test_five_minutes_without_input_is_a_natural_break_and_a_little_less_is_not() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 20)
    clock.advance(NATURAL_BREAK_S - 1)
    assert scheduler.observe(NATURAL_BREAK_S - 1).phase is Phase.SITTING
    clock.advance(1)
    assert scheduler.observe(NATURAL_BREAK_S).phase is Phase.AWAY
    clock.advance(30)
    assert scheduler.observe(0.0).sitting_s == 0  # back: a fresh stretch
    assert work(scheduler, clock, 20).phase is Phase.SITTING  # 20 minutes, not 40


def test_a_natural_break_takes_a_card_off_the_screen() -> None:
    scheduler, clock = make()
    assert work(scheduler, clock, 30).phase is Phase.DUE
    clock.advance(NATURAL_BREAK_S)
    status = scheduler.observe(NATURAL_BREAK_S)
    assert (status.phase, status.movement) == (Phase.AWAY, None)


def test_a_sleep_of_the_machine_ends_the_stretch_whether_or_not_anyone_says_so() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 25)
    clock.sleep(20 * 60)  # the monotonic clock stood still; X11's idle counter may not have grown
    assert scheduler.observe(1.0).sitting_s == pytest.approx(1.0)
    work(scheduler, clock, 25)
    scheduler.slept()  # logind said so
    assert scheduler.observe(1.0).sitting_s == pytest.approx(1.0)


def test_a_short_wall_clock_wobble_is_not_a_sleep() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 25)
    clock.sleep(60)
    assert scheduler.observe(1.0).sitting_s > 24 * 60


def test_a_locked_screen_ends_the_stretch() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 25)
    clock.advance(60)
    status = scheduler.observe(60.0, locked=True)
    assert (status.phase, status.quiet) == (Phase.AWAY, Quiet.LOCKED)
    clock.advance(60)
    assert scheduler.observe(0.0, locked=False).sitting_s == 0


def test_a_guided_session_ends_the_stretch_and_takes_a_card_away() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 30)
    status = scheduler.observe(1.0, session_running=True)
    assert (status.phase, status.quiet, status.movement) == (Phase.AWAY, Quiet.SESSION, None)


def test_outside_working_hours_and_days_nothing_counts() -> None:
    scheduler, clock = make(start=datetime(2026, 3, 2, 17, 40, tzinfo=LONDON))
    status = work(scheduler, clock, 30)  # 17:40 to 18:10: the day ends at 18:00
    assert (status.phase, status.quiet) == (Phase.AWAY, Quiet.OUTSIDE_HOURS)
    saturday, _ = make(start=datetime(2026, 3, 7, 10, 0, tzinfo=LONDON))
    assert saturday.observe(1.0).quiet is Quiet.OUTSIDE_HOURS


@pytest.mark.parametrize(
    ("moment", "at_work"),
    [
        (datetime(2026, 3, 2, 22, 30), True),  # Monday evening
        (datetime(2026, 3, 3, 5, 59), True),  # the Monday shift, early Tuesday
        (datetime(2026, 3, 3, 6, 0), False),
        (datetime(2026, 3, 2, 21, 59), False),
        (datetime(2026, 3, 7, 23, 0), False),  # Saturday evening: not a working day
        (datetime(2026, 3, 2, 3, 0), False),  # early Monday belongs to Sunday's shift
    ],
)
def test_working_hours_can_run_across_midnight(moment: datetime, at_work: bool) -> None:
    nights = BreakSettings(on=True, work_days=frozenset(range(5)), work_start=time(22), work_end=time(6))
    assert nights.at_work(moment.replace(tzinfo=LONDON)) is at_work


def test_postponing_brings_the_card_back_after_that_much_more_sitting() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 30)
    scheduler.postpone(5)
    assert work(scheduler, clock, 4).phase is Phase.SITTING
    assert work(scheduler, clock, 1).phase is Phase.DUE
    scheduler.postpone(15)
    status = work(scheduler, clock, 14)
    assert status.phase is Phase.SITTING and status.due_in_s == pytest.approx(60)
    assert work(scheduler, clock, 1).phase is Phase.DUE


def test_a_natural_break_while_postponed_starts_afresh() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 30)
    scheduler.postpone(15)
    clock.advance(NATURAL_BREAK_S)
    scheduler.observe(NATURAL_BREAK_S)
    assert work(scheduler, clock, 20).phase is Phase.SITTING  # not due 15 minutes after the postponement


def test_skipping_records_the_answer_and_starts_a_whole_new_interval() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 30)
    answer = scheduler.skip()
    assert answer == SittingBreak(clock.now(), BreakOutcome.SKIPPED, Movement.WALK)
    assert scheduler.skip() is None  # nothing on screen to answer
    assert work(scheduler, clock, 29).phase is Phase.SITTING
    assert work(scheduler, clock, 1).phase is Phase.DUE


def test_taking_runs_the_movements_timer_then_the_next_stretch_starts_with_the_next_input() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 30)
    answer = scheduler.take()
    assert answer == SittingBreak(clock.now(), BreakOutcome.TAKEN, Movement.WALK)
    assert scheduler.take() is None  # taken once only
    status = scheduler.status()
    assert (status.phase, status.taking_left_s) == (Phase.TAKING, MOVEMENT_SECONDS[Movement.WALK])
    assert scheduler.next_look_s() == MOVEMENT_SECONDS[Movement.WALK]
    clock.advance(MOVEMENT_SECONDS[Movement.WALK])
    assert scheduler.observe(40.0).phase is Phase.AWAY
    clock.advance(10)
    assert scheduler.observe(0.0).sitting_s == 0


def test_closing_a_break_early_counts_as_finished() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 30)
    scheduler.take()
    clock.advance(10)
    scheduler.finished()
    assert scheduler.status().phase is Phase.AWAY


def test_cards_take_turns_between_the_movements_that_suit() -> None:
    scheduler, clock = make()
    scheduler.set_movements(movements_for(True))
    seen = []
    for _ in range(4):
        seen.append(work(scheduler, clock, 30).movement)
        scheduler.skip()
    assert seen == [Movement.WALK, Movement.BACK_BENDS, Movement.POSTURE, Movement.WALK]
    assert Movement.BACK_BENDS not in movements_for(False)


@pytest.mark.parametrize(
    ("directions", "avoided", "suits"),
    [
        ([Direction.FLEXION, Direction.EXTENSION], None, True),
        ([Direction.EXTENSION], Direction.EXTENSION, False),  # the avoided direction wins
        ([Direction.FLEXION, Direction.NEUTRAL], None, False),  # nothing shows extension suits them
        ([Direction.BOTH], None, False),  # cat-camel alone is not enough
        ([], Direction.FLEXION, False),
    ],
)
def test_back_bends_only_when_extension_suits_the_person(directions, avoided, suits) -> None:  # type: ignore[no-untyped-def]
    assert extension_suits(directions, avoided) is suits
    assert extension_suits(directions, avoided, in_flare=True) is False  # never during a flare


def test_the_hours_pause_holds_cards_back_while_sitting_still_counts() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 30)
    scheduler.pause_for_hour()
    status = scheduler.observe(1.0)
    assert (status.phase, status.quiet, status.movement) == (Phase.SITTING, Quiet.PAUSED, None)
    assert scheduler.next_look_s() == NATURAL_BREAK_S - 1  # the due time is not a reason to look while paused
    status = work(scheduler, clock, 59)
    assert status.quiet is Quiet.PAUSED
    status = work(scheduler, clock, 1)
    assert (status.phase, status.quiet) == (Phase.DUE, None)  # an hour and a half of sitting: due at once


def test_resume_lifts_the_pause() -> None:
    scheduler, clock = make()
    scheduler.pause_for_hour()
    scheduler.resume()
    assert work(scheduler, clock, 30).phase is Phase.DUE


def test_a_full_screen_window_holds_a_new_card_back_but_not_one_already_shown() -> None:
    scheduler, clock = make()
    status = work(scheduler, clock, 30, full_screen=True)
    assert (status.phase, status.quiet, status.due_in_s) == (Phase.SITTING, Quiet.FULL_SCREEN, 0)
    assert scheduler.next_look_s() == 60
    status = work(scheduler, clock, 1)
    assert status.phase is Phase.DUE
    assert scheduler.observe(1.0, full_screen=True).phase is Phase.DUE


def test_switching_off_ends_everything_and_needs_no_wake_ups() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 30)
    scheduler.set_settings(BreakSettings(on=False))
    status = scheduler.observe(1.0)
    assert (status.phase, status.quiet) == (Phase.AWAY, Quiet.OFF)
    assert scheduler.next_look_s() is None
    off, clock2 = make(BreakSettings())
    assert work(off, clock2, 120).phase is Phase.AWAY


def test_a_daylight_saving_change_neither_adds_nor_loses_an_hour() -> None:
    # London's clocks go back at 02:00 BST on Sunday 25 October 2026; a working day across the change.
    every_day = BreakSettings(on=True, work_days=frozenset(range(7)), work_start=time(0), work_end=time(0))
    scheduler, clock = make(every_day, start=datetime(2026, 10, 25, 0, 50, tzinfo=LONDON))
    status = work(scheduler, clock, 29)  # across 01:00-01:59 twice
    assert (status.phase, round(status.sitting_s / 60)) == (Phase.SITTING, 29)
    scheduler.pause_for_hour()
    pause_end = scheduler.status().paused_until
    assert pause_end is not None
    assert pause_end.timestamp() - clock.now().timestamp() == PAUSE_S  # one real hour, not two or none
    assert work(scheduler, clock, 59).quiet is Quiet.PAUSED
    assert work(scheduler, clock, 1).phase is Phase.DUE


def test_spring_forward_keeps_the_working_hours_in_local_time() -> None:
    # 29 March 2026: 01:00 GMT becomes 02:00 BST. A day from 02:30: counting starts at 02:30 local time.
    settings = BreakSettings(
        on=True, work_days=frozenset(range(7)), work_start=time(2, 30), work_end=time(18)
    )
    scheduler, clock = make(settings, start=datetime(2026, 3, 29, 0, 40, tzinfo=LONDON))
    assert scheduler.observe(1.0).quiet is Quiet.OUTSIDE_HOURS
    clock.advance(50 * 60)  # 01:30 GMT = 02:30 BST
    assert scheduler.observe(1.0).quiet is None


def test_wake_ups_follow_what_the_desktop_can_tell() -> None:
    scheduler, clock = make()
    scheduler.observe(0.0)
    assert scheduler.next_look_s() == NATURAL_BREAK_S  # polling: when a natural break would be complete
    assert scheduler.next_look_s(pushes=True) == LONGEST_LOOK_S  # told by the desktop: only the due time
    clock.advance(100)
    scheduler.observe(100.0)
    assert scheduler.next_look_s() == NATURAL_BREAK_S - 100
    work(scheduler, clock, 27)  # to 28 min 40 s
    clock.advance(60)
    scheduler.observe(0.0)
    assert scheduler.next_look_s(pushes=True) == 20  # the card falls due at 30 minutes
    clock.advance(NATURAL_BREAK_S)
    scheduler.observe(NATURAL_BREAK_S)
    assert scheduler.next_look_s() == LOOK_WHILE_AWAY_S  # away: look once a minute for the return
    assert scheduler.next_look_s(pushes=True) == LONGEST_LOOK_S


def test_without_idle_readings_the_wall_clock_counts_and_a_sleep_still_resets() -> None:
    scheduler, clock = make()
    scheduler.observe(None)
    clock.advance(30 * 60)
    assert scheduler.observe(None).phase is Phase.DUE
    scheduler.skip()
    clock.sleep(3600)
    assert scheduler.observe(None).sitting_s == 0


def test_settings_refuse_impossible_values() -> None:
    with pytest.raises(ValueError, match="15-120"):
        BreakSettings(interval_min=5)
    with pytest.raises(ValueError, match="weekdays"):
        BreakSettings(work_days=frozenset({7}))


def test_breaks_are_counted_per_local_day() -> None:
    at = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)
    records = [
        SittingBreak(at, BreakOutcome.TAKEN, Movement.WALK),
        SittingBreak(at + timedelta(hours=1), BreakOutcome.SKIPPED, Movement.POSTURE),
        SittingBreak(at + timedelta(hours=2), BreakOutcome.TAKEN, Movement.WALK),
        SittingBreak(at + timedelta(days=2), BreakOutcome.SKIPPED, Movement.WALK),
        SittingBreak(at - timedelta(days=9), BreakOutcome.TAKEN, Movement.WALK),  # before the range
    ]
    assert breaks_per_day(records, date(2026, 3, 2), date(2026, 3, 4)) == [
        DayBreaks(date(2026, 3, 2), 2, 1),
        DayBreaks(date(2026, 3, 3), 0, 0),
        DayBreaks(date(2026, 3, 4), 0, 1),
    ]


STEP = st.one_of(
    st.tuples(
        st.just("look"),
        st.floats(0, 3 * 3600),  # advance
        st.one_of(st.none(), st.floats(0, 2 * NATURAL_BREAK_S)),  # idle
        st.sampled_from([None, False, True]),  # locked
        st.booleans(),  # session
        st.booleans(),  # full screen
    ),
    st.tuples(st.sampled_from(["take", "skip", "postpone", "pause", "resume", "finished", "slept"])),
    st.tuples(st.just("sleep"), st.floats(0, 8 * 3600)),
)


@settings(max_examples=150, deadline=None)
@given(steps=st.lists(STEP, max_size=40), interval=st.integers(15, 120))
def test_whatever_happens_the_rules_hold(steps, interval: int) -> None:  # type: ignore[no-untyped-def]
    scheduler, clock = make(BreakSettings(on=True, interval_min=interval))
    for step in steps:
        kind = step[0]
        if kind == "look":
            _, advance, idle, locked, session, full = step
            clock.advance(advance)
            status = scheduler.observe(idle, locked, session_running=session, full_screen=full)
            if status.quiet in ENDS_SITTING:
                assert status.phase is Phase.AWAY and status.sitting_s == 0
            if status.phase is Phase.DUE:
                assert status.movement is not None
                assert scheduler.settings.at_work(clock.now()) and not session and not locked
            if status.phase is Phase.SITTING and idle is not None:
                assert idle < NATURAL_BREAK_S
        elif kind == "sleep":
            clock.sleep(step[1])
        elif kind == "postpone":
            scheduler.postpone(5)
        elif kind == "pause":
            scheduler.pause_for_hour()
        else:
            getattr(scheduler, kind)()
        status = scheduler.status()
        assert status.sitting_s >= 0
        assert (status.movement is not None) == (status.phase in (Phase.DUE, Phase.TAKING))
        look = scheduler.next_look_s()
        assert look is not None and 1.0 <= look <= LONGEST_LOOK_S


# --- edges found by mutation testing (benchmarks/mutation.py sitting) ------------------------------------


@pytest.mark.parametrize(
    ("clock_time", "at_work"),
    [(time(8, 0), True), (time(7, 59), False), (time(17, 59), True), (time(18, 0), False)],
)
def test_working_hours_include_the_start_and_not_the_end(clock_time: time, at_work: bool) -> None:
    moment = datetime.combine(date(2026, 3, 2), clock_time, tzinfo=LONDON)
    assert BreakSettings(on=True).at_work(moment) is at_work


def test_a_span_across_midnight_starts_on_the_minute_and_belongs_to_the_day_it_starts() -> None:
    sundays = BreakSettings(on=True, work_days=frozenset({6}), work_start=time(22), work_end=time(6))
    assert sundays.at_work(datetime(2026, 3, 1, 22, 0, tzinfo=LONDON))  # Sunday 22:00
    assert sundays.at_work(datetime(2026, 3, 2, 5, 0, tzinfo=LONDON))  # Monday 05:00: Sunday's night
    assert not sundays.at_work(datetime(2026, 3, 1, 21, 59, tzinfo=LONDON))
    whole_day = BreakSettings(on=True, work_days=frozenset({0}), work_start=time(9), work_end=time(9))
    assert whole_day.at_work(datetime(2026, 3, 2, 3, 0, tzinfo=LONDON))
    assert not whole_day.at_work(datetime(2026, 3, 3, 3, 0, tzinfo=LONDON))


def test_switched_off_from_the_start_it_asks_for_no_looks() -> None:
    scheduler, _ = make(BreakSettings())
    assert scheduler.next_look_s() is None


def test_the_movements_given_at_the_start_take_turns() -> None:
    clock = TrueClock(MONDAY_9)
    scheduler = SittingBreakScheduler(ON, clock, movements_for(True))
    seen = []
    for _ in range(3):
        seen.append(work(scheduler, clock, 30).movement)
        scheduler.skip()
    assert seen == [Movement.WALK, Movement.BACK_BENDS, Movement.POSTURE]


def test_input_from_before_a_break_closed_early_does_not_start_a_stretch() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 30)
    scheduler.take()
    clock.advance(20)
    scheduler.finished()  # "Done" pressed at the card, 20 s in
    clock.advance(30)
    assert scheduler.observe(40.0).phase is Phase.AWAY  # the last input was before the break ended
    assert scheduler.observe(10.0).phase is Phase.SITTING


def test_looks_while_paused_follow_the_end_of_the_pause() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 10)
    scheduler.pause_for_hour()
    work(scheduler, clock, 55)
    assert scheduler.next_look_s(pushes=True) == pytest.approx(5 * 60)


def test_a_look_is_never_sooner_than_a_second() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 30)
    scheduler.take()
    clock.advance(MOVEMENT_SECONDS[Movement.WALK] - 0.5)
    assert scheduler.next_look_s() == 1.0
    clock.advance(5)
    assert scheduler.status().taking_left_s == 0  # never below zero, before the next look ends it


def test_a_wall_clock_exactly_the_sleep_gap_ahead_is_not_yet_a_sleep() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 25)
    clock.sleep(SLEEP_GAP_S)
    assert scheduler.observe(1.0).sitting_s > 24 * 60


def test_the_pause_ends_in_the_persons_own_time_zone() -> None:
    scheduler, _ = make(start=datetime(2026, 7, 6, 9, 0, tzinfo=LONDON))
    scheduler.pause_for_hour()
    until = scheduler.status().paused_until
    assert until is not None and until.tzinfo is LONDON and (until.hour, until.minute) == (10, 0)


def test_postponing_does_nothing_to_a_break_being_taken() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 30)
    scheduler.take()
    scheduler.postpone(5)
    status = scheduler.status()
    assert (status.phase, status.movement) == (Phase.TAKING, Movement.WALK)


def test_changing_the_interval_keeps_the_stretch_so_far() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 20)
    scheduler.set_settings(BreakSettings(on=True, interval_min=25))
    status = scheduler.observe(1.0)
    assert status.sitting_s > 19 * 60 and status.due_in_s is not None and status.due_in_s < 6 * 60


def test_after_a_skip_the_new_stretch_starts_at_once() -> None:
    scheduler, clock = make()
    work(scheduler, clock, 30)
    scheduler.skip()
    status = scheduler.status()
    assert (status.phase, status.sitting_s) == (Phase.SITTING, 0)


def test_outside_working_hours_the_next_look_is_when_they_begin() -> None:
    scheduler, clock = make(start=datetime(2026, 3, 2, 7, 50, tzinfo=LONDON))
    assert scheduler.observe(1.0).quiet is Quiet.OUTSIDE_HOURS
    assert scheduler.next_look_s() == 10 * 60  # at 08:00, not up to a quarter of an hour later
    clock.advance(10 * 60)
    assert scheduler.observe(1.0).phase is Phase.SITTING


@pytest.mark.parametrize(
    ("after", "start"),
    [
        (datetime(2026, 3, 2, 7, 0), datetime(2026, 3, 2, 8, 0)),  # Monday morning: today
        (datetime(2026, 3, 2, 8, 0), datetime(2026, 3, 3, 8, 0)),  # on the minute: the next day's
        (datetime(2026, 3, 6, 19, 0), datetime(2026, 3, 9, 8, 0)),  # Friday evening: Monday
        (datetime(2026, 3, 28, 12, 0), datetime(2026, 3, 30, 8, 0)),  # across the spring change
    ],
)
def test_the_next_start_of_work(after: datetime, start: datetime) -> None:
    found = BreakSettings(on=True).next_start(after.replace(tzinfo=LONDON))
    assert found == start.replace(tzinfo=LONDON)
    assert BreakSettings(on=True, work_days=frozenset()).next_start(after.replace(tzinfo=LONDON)) is None
