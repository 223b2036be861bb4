"""The exact words, field and position of every problem a reminder plan or a stored reminder state can have
(issue 18: the mutation run showed that wrong words, a problem pinned on the wrong reminder and the
Sunday-to-Monday gap went unnoticed)."""

from __future__ import annotations

from datetime import UTC, time

import pytest

from sciatica_coach.core.schedule import (
    DueKind,
    PlanError,
    Problem,
    Reminder,
    ReminderPlan,
    SchedulerState,
    StateError,
    parse_time,
    plan_from_dict,
    state_from_dict,
    state_to_dict,
    validate,
)

SUNDAY, MONDAY = frozenset({6}), frozenset({0})


def plan(*reminders: Reminder, snooze_min: object = 10, quiet_if_done: object = True) -> ReminderPlan:
    return ReminderPlan(reminders, snooze_min, quiet_if_done)  # type: ignore[arg-type]


def problems_reading(data: object) -> tuple[Problem, ...]:
    with pytest.raises(PlanError) as raised:
        plan_from_dict(data)
    return raised.value.problems


# --- times ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("7:5", '"7:5" needs two digits for the minutes, for example 07:05 or 07:50.'),
        (" ab ", '"ab" is not a time; write it as HH:MM, for example 07:30.'),
        ("24:00", '"24:00" is not a time of day; use a time from 00:00 to 23:59.'),
        ("12:60", '"12:60" is not a time of day; use a time from 00:00 to 23:59.'),
    ],
)
def test_a_time_that_cannot_be_read_says_why_in_plain_words(text: str, words: str) -> None:
    with pytest.raises(PlanError) as raised:
        parse_time(text)
    assert raised.value.problems == (Problem("time", None, words),)
    assert str(raised.value) == words


def test_a_plan_error_lists_every_problem_one_a_line() -> None:
    error = PlanError([Problem("time", 0, "First."), Problem("time", 1, "Second.")])
    assert str(error) == "First.\nSecond."


# --- spacing --------------------------------------------------------------------------------------------


def test_sunday_night_and_monday_morning_are_checked_across_midnight() -> None:
    problems = validate(plan(Reminder(time(23, 50), SUNDAY), Reminder(time(0, 10), MONDAY)))
    assert problems == [
        Problem(
            "time",
            1,
            "23:50 and 00:10 the next day are only 20 minutes apart; keep reminders at least 30 minutes apart.",
        )
    ]
    assert validate(plan(Reminder(time(0, 10), MONDAY), Reminder(time(23, 50), SUNDAY))) == [
        Problem(
            "time",
            1,
            "23:50 and 00:10 the next day are only 20 minutes apart; keep reminders at least 30 minutes apart.",
        )
    ]
    assert validate(plan(Reminder(time(23, 50), SUNDAY), Reminder(time(0, 20), MONDAY))) == []
    # Saturday night then Monday morning never follow each other.
    assert validate(plan(Reminder(time(23, 50), frozenset({5})), Reminder(time(0, 10), MONDAY))) == []


def test_one_minute_apart_is_said_in_the_singular() -> None:
    assert validate(plan(Reminder(time(23, 59), SUNDAY), Reminder(time(0, 0), MONDAY)))[0].message == (
        "23:59 and 00:00 the next day are only 1 minute apart; keep reminders at least 30 minutes apart."
    )
    assert validate(plan(Reminder(time(8, 1)), Reminder(time(8, 0))))[0] == Problem(
        "time", 1, "08:00 and 08:01 are only 1 minute apart; keep reminders at least 30 minutes apart."
    )


def test_the_closest_pair_is_named_earlier_time_first() -> None:
    # Same day 20 minutes apart: named in the order of the day, whichever was entered first.
    assert validate(plan(Reminder(time(8, 20)), Reminder(time(8, 0))))[0] == Problem(
        "time", 1, "08:00 and 08:20 are only 20 minutes apart; keep reminders at least 30 minutes apart."
    )
    # Every day at 23:45 and 00:05: 20 minutes apart across midnight, not 23 h 40 min on the same day.
    assert validate(plan(Reminder(time(0, 5)), Reminder(time(23, 45))))[0] == Problem(
        "time",
        1,
        "23:45 and 00:05 the next day are only 20 minutes apart; keep reminders at least 30 minutes apart.",
    )


def test_two_reminders_at_the_same_time() -> None:
    assert validate(plan(Reminder(time(8, 0)), Reminder(time(8, 0), MONDAY))) == [
        Problem(
            "time", 1, "Two reminders are both set for 08:00; remove one or move it at least 30 minutes away."
        )
    ]


# --- one reminder's own problems --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reminder", "problem"),
    [
        (Reminder("08:00"), Problem("time", 1, "Reminder 2 has no time; set one as HH:MM.")),  # type: ignore[arg-type]
        (
            Reminder(time(9, 0, tzinfo=UTC)),
            Problem("time", 1, "The 09:00 reminder must be a plain clock time, without a time zone."),
        ),
        (
            Reminder(time(9, 0, 30)),
            Problem("time", 1, "The 09:00 reminder must be on a whole minute, like 09:00."),
        ),
        (
            Reminder(time(9, 0), frozenset({3, 9})),
            Problem("weekdays", 1, "The 09:00 reminder has unknown days (9); days go from 0 (Monday) to 6."),
        ),
        (
            Reminder(time(9, 0), frozenset()),
            Problem("weekdays", 1, "The 09:00 reminder has no days chosen; pick at least one day."),
        ),
        (
            Reminder(time(9, 0), enabled=1),  # type: ignore[arg-type]
            Problem("enabled", 1, "The 09:00 reminder must be either on or off."),
        ),
    ],
)
def test_each_problem_of_a_reminder_is_pinned_on_it(reminder: Reminder, problem: Problem) -> None:
    assert validate(plan(Reminder(time(7, 0), enabled=False), reminder)) == [problem]


@pytest.mark.parametrize(
    ("snooze_min", "quiet_if_done", "problem"),
    [
        ("10", True, Problem("snooze_min", None, "Snooze must be a whole number of minutes.")),
        (True, True, Problem("snooze_min", None, "Snooze must be a whole number of minutes.")),
        (121, True, Problem("snooze_min", None, "Snooze must be between 1 and 120 minutes (it is 121).")),
        (10, "yes", Problem("quiet_if_done", None, "“Quiet if already done” must be on or off.")),
    ],
)
def test_plan_settings_problems(snooze_min: object, quiet_if_done: object, problem: Problem) -> None:
    assert validate(plan(Reminder(time(8, 0)), snooze_min=snooze_min, quiet_if_done=quiet_if_done)) == [
        problem
    ]


def test_too_many_reminders_says_how_many_to_remove() -> None:
    reminders = [Reminder(time(hour, 0)) for hour in range(10)]
    assert validate(plan(*reminders)) == [
        Problem("reminders", None, "You can have at most 8 reminders; remove 2.")
    ]


# --- reading a stored plan ---------------------------------------------------------------------------


def test_a_stored_plan_in_the_wrong_form() -> None:
    assert problems_reading(["08:00"]) == (
        Problem("plan", None, "The reminder settings are not in the expected form."),
    )
    assert problems_reading({"reminders": "08:00"}) == (
        Problem("reminders", None, "The reminder settings have no list of reminders."),
    )


def test_a_stored_reminder_without_a_time_or_with_days_as_words() -> None:
    data = {
        "reminders": [
            {"time": 800, "weekdays": [0]},
            {"time": "09:00", "weekdays": ["mon"]},
            {"time": "10:00", "weekdays": [True]},
            "11:00",
        ]
    }
    assert problems_reading(data) == (
        Problem("time", 0, "Reminder 1 has no time; set one as HH:MM."),
        Problem("weekdays", 1, "Reminder 2 needs its days as numbers from 0 (Monday) to 6 (Sunday)."),
        Problem("weekdays", 2, "Reminder 3 needs its days as numbers from 0 (Monday) to 6 (Sunday)."),
        Problem("reminders", 3, "Reminder 4 is not in the expected form."),
    )


def test_too_many_stored_reminders_is_said_once_and_other_problems_still_come() -> None:
    stored = [{"time": f"{hour:02d}:00", "weekdays": [0]} for hour in range(8)]
    stored.append({"time": "07:10", "weekdays": [0]})
    assert problems_reading({"reminders": stored}) == (
        Problem("reminders", None, "You can have at most 8 reminders; remove 1."),
        Problem(
            "time", 8, "07:00 and 07:10 are only 10 minutes apart; keep reminders at least 30 minutes apart."
        ),
    )


# --- stored scheduler state -----------------------------------------------------------------------------


def test_an_empty_state_is_written_as_nothing() -> None:
    assert state_to_dict(SchedulerState()) == {
        "fired": [],
        "snooze": None,
        "paused_on": None,
        "last_seen": None,
    }


SNOOZE = {
    "until": "2026-03-02T08:10:00+00:00",
    "slot": "08:00",
    "day": "2026-03-02",
    "scheduled_at": "2026-03-02T08:00:00+00:00",
}


@pytest.mark.parametrize("kind", list(DueKind))
def test_a_stored_snooze_keeps_its_kind(kind: DueKind) -> None:
    state = state_from_dict({"snooze": {**SNOOZE, "kind": kind.value}})
    assert state.snooze is not None and state.snooze.notice.kind is kind
    assert state_from_dict(state_to_dict(state)) == state


def test_a_stored_snooze_without_a_kind_was_on_time() -> None:
    state = state_from_dict({"snooze": SNOOZE})
    assert state.snooze is not None and state.snooze.notice.kind is DueKind.ON_TIME


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ([], "The reminder state is not in the expected form."),
        ({"snooze": "08:10"}, "The snooze in the reminder state is not in the expected form."),
        ({"fired": [["2026-03-02"]]}, "Unexpected entry in the reminder state: ['2026-03-02']."),
        ({"fired": [5]}, "Unexpected entry in the reminder state: 5."),
        ({"fired": [["2026-03-02", 8]]}, "Expected text in the reminder state, found 8."),
        (
            {"fired": [["0001-01-01", "08:00"]]},
            "A day in the reminder state is not a real one: '0001-01-01'.",
        ),
        (
            {"last_seen": "2026-03-02T08:00:00"},
            "A time in the reminder state has no time zone: '2026-03-02T08:00:00'.",
        ),
        (
            {"last_seen": "0001-01-01T00:00:00+00:00"},
            "A time in the reminder state is not a real one: '0001-01-01T00:00:00+00:00'.",
        ),
        (
            {"paused_on": "yesterday"},
            "The reminder state could not be read: Invalid isoformat string: 'yesterday'",
        ),
    ],
)
def test_a_broken_state_says_what_is_wrong(data: object, words: str) -> None:
    with pytest.raises(StateError) as raised:
        state_from_dict(data)
    assert str(raised.value) == words
