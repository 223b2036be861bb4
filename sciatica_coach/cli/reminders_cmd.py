"""`sciatica-coach reminders list | set HH:MM [HH:MM ...] | next [--count N]`: the reminder plan on the command line.

The same rules as the Reminders page (core/schedule.py `check`): bad input exits 2 with one plain line and the
stored plan is left exactly as it was."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from sciatica_coach.cli.args import whole_number
from sciatica_coach.i18n import ENGLISH_DAYS, ENGLISH_MONTHS

MAX_COUNT = 50
DEFAULT_COUNT = 5


count_arg = whole_number("--count", 1, MAX_COUNT)


def register(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    actions.required = True
    actions.add_parser("list", help="show your reminder times, days and snooze length")
    setter = actions.add_parser(
        "set",
        help="set your reminder times, e.g. 'set 08:00 19:00' (days and on/off of unchanged times are kept)",
    )
    setter.add_argument("times", nargs="+", metavar="HH:MM", help="reminder times, 24-hour clock")
    upcoming = actions.add_parser("next", help="show when the next reminders come")
    upcoming.add_argument(
        "--count",
        type=count_arg,
        default=DEFAULT_COUNT,
        metavar="N",
        help=f"how many (default {DEFAULT_COUNT})",
    )


def describe_days(days: frozenset[int]) -> str:
    """Weekdays in plain words: "every day", "weekdays", "weekends" or "Mon, Wed, Fri"."""
    from sciatica_coach.core.schedule import DAY_NAMES, EVERY_DAY, WEEKDAYS

    chosen = days & EVERY_DAY
    if chosen == EVERY_DAY:
        return "every day"
    if chosen == WEEKDAYS:
        return "weekdays"
    if chosen == frozenset({5, 6}):
        return "weekends"
    return ", ".join(DAY_NAMES[d][:3] for d in sorted(chosen))


def format_moment(moment: datetime, now: datetime) -> str:
    """ "today 19:00", "tomorrow 08:00" or "Wed 4 Mar 08:00"."""
    clock = f"{moment.hour:02d}:{moment.minute:02d}"
    days_ahead = (moment.date() - now.date()).days
    if days_ahead == 0:
        return f"today {clock}"
    if days_ahead == 1:
        return f"tomorrow {clock}"
    return f"{ENGLISH_DAYS[moment.weekday()]} {moment.day} {ENGLISH_MONTHS[moment.month - 1]} {clock}"


def run(args: argparse.Namespace, data_dir: Path) -> int:
    if args.action == "set":
        return _set(args.times, data_dir)
    if args.action == "next":
        return _next(args.count, data_dir)
    return _list(data_dir)


def _list(data_dir: Path) -> int:
    from sciatica_coach.cli.common import open_repository
    from sciatica_coach.services.plans import reminder_plan

    with open_repository(data_dir) as repo:
        plan = reminder_plan(repo)
    if not plan.reminders:
        print("No reminders are set. Add one with: sciatica-coach reminders set 08:00")
    for reminder in sorted(plan.reminders, key=lambda r: r.time):
        state = "on" if reminder.enabled else "off"
        print(f"{reminder.slot}  {describe_days(reminder.weekdays):<28} {state}")
    print(f"Snooze: {plan.snooze_min} minutes.")
    quiet = "yes" if plan.quiet_if_done else "no"
    print(f"Quiet when a session is already done: {quiet}.")
    return 0


def _set(texts: list[str], data_dir: Path) -> int:
    from sciatica_coach.cli.common import open_repository
    from sciatica_coach.cli.main import UsageError
    from sciatica_coach.core.clock import SystemClock
    from sciatica_coach.core.schedule import (
        PlanError,
        Reminder,
        ReminderPlan,
        check,
        parse_time,
    )
    from sciatica_coach.services.plans import reminder_plan, save_reminder_plan

    times = []
    for text in texts:
        try:
            times.append(parse_time(text))
        except PlanError as err:
            raise UsageError(err.problems[0].message) from None
    with open_repository(data_dir, write=True) as repo:
        old = reminder_plan(repo)
        kept = {r.time: r for r in old.reminders}
        reminders = tuple(kept.get(at, Reminder(at)) for at in times)
        plan = ReminderPlan(reminders, old.snooze_min, old.quiet_if_done)
        try:
            check(plan)
        except PlanError as err:
            raise UsageError(" ".join(p.message for p in err.problems)) from None
        save_reminder_plan(repo, plan, SystemClock().now())
    shown = ", ".join(r.slot for r in sorted(plan.reminders, key=lambda r: r.time))
    print(f"Reminders set for {shown}.")
    return 0


def _next(count: int, data_dir: Path) -> int:
    from sciatica_coach.cli.common import open_repository
    from sciatica_coach.core.clock import SystemClock
    from sciatica_coach.core.schedule import StateError, state_from_dict, upcoming
    from sciatica_coach.services.plans import REMINDER_STATE_KEY, reminder_plan

    now = SystemClock().now()
    with open_repository(data_dir) as repo:
        plan = reminder_plan(repo)
        raw_state = repo.state(REMINDER_STATE_KEY)
    paused_on = None
    if raw_state is not None:
        try:
            paused_on = state_from_dict(raw_state).paused_on
        except StateError:
            paused_on = None
    # a few extra so that a day paused from the tray can be stepped over
    moments = [m for m in upcoming(plan, now, count + 8) if m.date() != paused_on][:count]
    if not moments:
        print("No reminders are switched on.")
        return 0
    if paused_on == now.date():
        print("Reminders are paused for the rest of today.")
    for moment in moments:
        print(format_moment(moment, now))
    return 0
