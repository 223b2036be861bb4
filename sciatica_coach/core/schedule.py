"""Reminders: the plan a person sets (times and days), its validation, and when each reminder fires.

Qt-free. The Qt adapter owns the timers; it asks `ReminderScheduler.due(now)` what to show, at the time
`next_wakeup(now)` gives it, and also at least once a minute, on resume and on clock or time-zone changes.
Nothing here reads the clock: every call takes `now` (an aware datetime from the injected Clock).

Decisions, in one place:

* **Times** are written "HH:MM" or "H:MM" (24-hour clock). The minutes always have two digits, so
  "7:05" is 07:05 but "7:5" is refused (it could mean 07:05 or 07:50). "24:00", "12:60", "ab", seconds,
  signs and non-ASCII digits are refused too.
* **Spacing.** Two *enabled* reminders must fire at least `MIN_GAP_MIN` minutes apart on any day they
  both fire, including across midnight (23:50 and 00:10 the next day are 20 minutes apart). Reminders
  that never share a day may be close (08:00 on weekdays and 08:15 at weekends is fine); disabled
  reminders are not checked. The check uses wall-clock minutes: on a daylight-saving change two
  reminders can end up closer (see below); that is accepted.
* **Time zones.** Reminder times are local wall-clock times in `tz` (a ZoneInfo for the person's zone);
  when `tz` is None the zone of the `now`/`after` datetime is used, which is only right across a
  daylight-saving change if that datetime carries a ZoneInfo. A time that does not exist on a
  spring-forward day fires at the first moment after the gap (02:30 in Berlin on the change day fires at
  03:00); several reminders in the same gap collapse into one notice. A time that happens twice on an
  autumn day fires once, at its first occurrence (fold=0).
* **Slots.** A session belongs to the enabled reminder of that day whose time is nearest to its start
  (by wall-clock time of day); a tie goes to the earlier reminder; "" when that day has no reminder.
* **Firing.** `due(now)` looks at the reminders whose time passed since the previous call and shows at
  most ONE notice: the most recent of them. It is ON_TIME when at most `ON_TIME_GRACE` late, otherwise
  MISSED (the app was closed, the machine asleep or the clock jumped). Earlier passed reminders are
  silently superseded, so a 10-hour sleep gives one notice, never a burst. MISSED is for today only: a
  reminder from a previous day is never reported late. Each (day, slot) is shown at most once, so the
  clock going back does not repeat a reminder. A reminder whose slot already has a session that day is
  quiet (when `quiet_if_done`). Reminders added at a time already passed today do not fire as missed.
* **Snooze** brings the notice back once, `snooze_min` minutes of wall time later; snoozing again
  replaces the pending snooze. A new reminder coming due replaces a pending snooze. A snooze that comes
  due on a later day than it was due, and more than the grace late, is dropped.
* **Pause for today** silences everything (including a pending snooze) until local midnight.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from sciatica_coach.core.plausible import plausible_day, plausible_moment
from sciatica_coach.i18n import _, ngettext

log = logging.getLogger(__name__)

MIN_GAP_MIN = 30  # enabled reminders must be at least this many minutes apart
MAX_REMINDERS = 8
SNOOZE_SHORTEST_MIN = 1
SNOOZE_LONGEST_MIN = 120
DEFAULT_SNOOZE_MIN = 10
ON_TIME_GRACE = timedelta(minutes=10)  # a reminder noticed later than this is reported as missed
MINUTES_PER_DAY = 24 * 60
EVERY_DAY: frozenset[int] = frozenset(range(7))
WEEKDAYS: frozenset[int] = frozenset(range(5))
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

JsonDict = dict[str, Any]


# --------------------------------------------------------------------------------------------------
# The plan


def format_time(at: time) -> str:
    """A reminder time as its slot name, "HH:MM"."""
    return f"{at.hour:02d}:{at.minute:02d}"


_TIME_RE = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_SHORT_MINUTES_RE = re.compile(r"[0-9]{1,2}:[0-9]")


def parse_time(text: str) -> time:
    """Read a reminder time written "HH:MM" or "H:MM" (24-hour). Raises PlanError with a plain message."""
    cleaned = text.strip()
    match = _TIME_RE.fullmatch(cleaned)
    if match is None:
        if _SHORT_MINUTES_RE.fullmatch(cleaned):
            message = _('"{text}" needs two digits for the minutes, for example 07:05 or 07:50.')
        else:
            message = _('"{text}" is not a time; write it as HH:MM, for example 07:30.')
        raise PlanError([Problem("time", None, message.format(text=cleaned))])
    hours, minutes = int(match[1]), int(match[2])
    if hours > 23 or minutes > 59:
        message = _('"{text}" is not a time of day; use a time from 00:00 to 23:59.').format(text=cleaned)
        raise PlanError([Problem("time", None, message)])
    return time(hours, minutes)


@dataclass(frozen=True, slots=True)
class Reminder:
    """One reminder: a local wall-clock time, the weekdays it fires on (0=Monday .. 6=Sunday), on or off."""

    time: dt.time
    weekdays: frozenset[int] = EVERY_DAY
    enabled: bool = True

    @property
    def slot(self) -> str:
        """The slot name sessions are filed under, "HH:MM"."""
        return format_time(self.time)


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    """The person's reminder settings."""

    reminders: tuple[Reminder, ...]
    snooze_min: int = DEFAULT_SNOOZE_MIN
    quiet_if_done: bool = True  # stay quiet when a session was already done in that slot

    def enabled_on(self, weekday: int) -> tuple[Reminder, ...]:
        """The enabled reminders that fire on `weekday` (0=Monday), earliest first."""
        chosen = (r for r in self.reminders if r.enabled and weekday in r.weekdays)
        return tuple(sorted(chosen, key=lambda r: r.time))


DEFAULT_PLAN = ReminderPlan(reminders=(Reminder(time(8, 0)), Reminder(time(19, 0))))


def default_plan() -> ReminderPlan:
    """08:00 and 19:00 every day, snooze 10 minutes, quiet when already done."""
    return DEFAULT_PLAN


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a plan. `index` is the reminder's position in the list, or None for the plan."""

    field: str  # "time", "weekdays", "enabled", "reminders", "snooze_min", "quiet_if_done" or "plan"
    index: int | None
    message: str


class PlanError(ValueError):
    """A plan (or a time) that cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(p.message for p in self.problems))


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def _spacing_problem(index: int, a: Reminder, b: Reminder) -> Problem | None:
    """Whether two enabled reminders fire closer than MIN_GAP_MIN on some day (or across midnight)."""
    days_a = a.weekdays & EVERY_DAY
    days_b = b.weekdays & EVERY_DAY
    ma, mb = _minutes(a.time), _minutes(b.time)
    pairs: list[tuple[int, Reminder, Reminder, bool]] = []  # gap, earlier, later, next day
    if days_a & days_b:
        earlier, later = sorted((a, b), key=lambda r: _minutes(r.time))
        pairs.append((abs(ma - mb), earlier, later, False))
    for first, second in ((a, b), (b, a)):
        if any((d + 1) % 7 in second.weekdays for d in first.weekdays & EVERY_DAY):
            gap = _minutes(second.time) + MINUTES_PER_DAY - _minutes(first.time)
            pairs.append((gap, first, second, True))
    if not pairs:
        return None
    gap, earlier, later, next_day = min(pairs, key=lambda pair: pair[0])
    if gap >= MIN_GAP_MIN:
        return None
    if gap == 0:
        message = _(
            "Two reminders are both set for {time}; remove one or move it at least {gap} minutes away."
        ).format(time=earlier.slot, gap=MIN_GAP_MIN)
    elif next_day:
        message = ngettext(
            "{first} and {second} the next day are only {n} minute apart; keep reminders at least {gap} "
            "minutes apart.",
            "{first} and {second} the next day are only {n} minutes apart; keep reminders at least {gap} "
            "minutes apart.",
            gap,
        ).format(first=earlier.slot, second=later.slot, n=gap, gap=MIN_GAP_MIN)
    else:
        message = ngettext(
            "{first} and {second} are only {n} minute apart; keep reminders at least {gap} minutes apart.",
            "{first} and {second} are only {n} minutes apart; keep reminders at least {gap} minutes apart.",
            gap,
        ).format(first=earlier.slot, second=later.slot, n=gap, gap=MIN_GAP_MIN)
    return Problem("time", index, message)


def validate(plan: ReminderPlan) -> list[Problem]:
    """Everything wrong with `plan`, in plain words; an empty list means it can be used."""
    problems: list[Problem] = []
    count_problem = _count_problem(len(plan.reminders))
    if count_problem is not None:
        problems.append(count_problem)
    for index, reminder in enumerate(plan.reminders):
        problems.extend(_reminder_problems(index, reminder))
    enabled = [(i, r) for i, r in enumerate(plan.reminders) if r.enabled]
    for pos, (_index, first) in enumerate(enabled):
        for j, second in enabled[pos + 1 :]:
            problem = _spacing_problem(j, first, second)
            if problem is not None:
                problems.append(problem)
    if isinstance(plan.snooze_min, bool) or not isinstance(plan.snooze_min, int):
        problems.append(Problem("snooze_min", None, "Snooze must be a whole number of minutes."))
    elif not SNOOZE_SHORTEST_MIN <= plan.snooze_min <= SNOOZE_LONGEST_MIN:
        problems.append(
            Problem(
                "snooze_min",
                None,
                _("Snooze must be between {low} and {high} minutes (it is {value}).").format(
                    low=SNOOZE_SHORTEST_MIN, high=SNOOZE_LONGEST_MIN, value=plan.snooze_min
                ),
            )
        )
    if not isinstance(plan.quiet_if_done, bool):
        problems.append(Problem("quiet_if_done", None, "“Quiet if already done” must be on or off."))
    return problems


def _count_problem(count: int) -> Problem | None:
    if count <= MAX_REMINDERS:
        return None
    message = _("You can have at most {most} reminders; remove {extra}.").format(
        most=MAX_REMINDERS, extra=count - MAX_REMINDERS
    )
    return Problem("reminders", None, message)


def _reminder_problems(index: int, reminder: Reminder) -> list[Problem]:
    problems: list[Problem] = []
    at = reminder.time
    if not isinstance(at, time):
        return [Problem("time", index, f"Reminder {index + 1} has no time; set one as HH:MM.")]
    name = f"The {format_time(at)} reminder"
    if at.tzinfo is not None:
        problems.append(Problem("time", index, f"{name} must be a plain clock time, without a time zone."))
    if at.second or at.microsecond:
        problems.append(Problem("time", index, f"{name} must be on a whole minute, like {format_time(at)}."))
    unknown = sorted(d for d in reminder.weekdays if isinstance(d, bool) or d not in EVERY_DAY)
    if unknown:
        listed = ", ".join(str(d) for d in unknown)
        problems.append(
            Problem("weekdays", index, f"{name} has unknown days ({listed}); days go from 0 (Monday) to 6.")
        )
    if not reminder.weekdays & EVERY_DAY:
        problems.append(
            Problem(
                "weekdays",
                index,
                _("The {time} reminder has no days chosen; pick at least one day.").format(
                    time=format_time(at)
                ),
            )
        )
    if not isinstance(reminder.enabled, bool):
        problems.append(Problem("enabled", index, f"{name} must be either on or off."))
    return problems


def check(plan: ReminderPlan) -> ReminderPlan:
    """`plan` itself when it is valid; raises PlanError listing every problem otherwise."""
    problems = validate(plan)
    if problems:
        raise PlanError(problems)
    return plan


def plan_to_dict(plan: ReminderPlan) -> JsonDict:
    """The plan as plain JSON-friendly data."""
    return {
        "reminders": [
            {"time": r.slot, "weekdays": sorted(r.weekdays), "enabled": r.enabled} for r in plan.reminders
        ],
        "snooze_min": plan.snooze_min,
        "quiet_if_done": plan.quiet_if_done,
    }


def plan_from_dict(data: object) -> ReminderPlan:
    """Read a plan written by `plan_to_dict`, validating it. Missing "snooze_min", "quiet_if_done" and a
    reminder's "enabled" take their defaults. Raises PlanError listing every problem found."""
    if not isinstance(data, Mapping):
        raise PlanError([Problem("plan", None, "The reminder settings are not in the expected form.")])
    problems: list[Problem] = []
    raw_reminders = data.get("reminders")
    reminders: list[tuple[int, Reminder]] = []
    if not isinstance(raw_reminders, list):
        problems.append(Problem("reminders", None, "The reminder settings have no list of reminders."))
        raw_reminders = []
    for index, raw in enumerate(raw_reminders):
        reminder, found = _reminder_from_dict(index, raw)
        problems.extend(found)
        if reminder is not None:
            reminders.append((index, reminder))
    snooze_min = data.get("snooze_min", DEFAULT_SNOOZE_MIN)
    quiet_if_done = data.get("quiet_if_done", True)
    plan = ReminderPlan(tuple(r for _, r in reminders), snooze_min, quiet_if_done)
    # Reminders that could not be read are left out of the plan: point problems back at the input list.
    source_index = [i for i, _ in reminders]
    for problem in validate(plan):
        if problem.field == "reminders" and problem.index is None:
            continue  # counted below, on the input list
        source = source_index[problem.index] if problem.index is not None else None
        problems.append(replace(problem, index=source))
    count_problem = _count_problem(len(raw_reminders))
    if count_problem is not None:
        problems.insert(0, count_problem)
    if problems:
        raise PlanError(problems)
    return plan


def _reminder_from_dict(index: int, raw: object) -> tuple[Reminder | None, list[Problem]]:
    label = f"Reminder {index + 1}"
    if not isinstance(raw, Mapping):
        return None, [Problem("reminders", index, f"{label} is not in the expected form.")]
    problems: list[Problem] = []
    at: time | None = None
    raw_time = raw.get("time")
    if not isinstance(raw_time, str):
        problems.append(Problem("time", index, f"{label} has no time; set one as HH:MM."))
    else:
        try:
            at = parse_time(raw_time)
        except PlanError as error:
            problems.extend(Problem("time", index, f"{label}: {p.message}") for p in error.problems)
    raw_days = raw.get("weekdays")
    days: frozenset[int] | None = None
    if not isinstance(raw_days, list) or not all(
        isinstance(d, int) and not isinstance(d, bool) for d in raw_days
    ):
        problems.append(
            Problem("weekdays", index, f"{label} needs its days as numbers from 0 (Monday) to 6 (Sunday).")
        )
    else:
        days = frozenset(raw_days)
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.append(Problem("enabled", index, f"{label} must be either on or off."))
    if at is None or days is None or not isinstance(enabled, bool):
        return None, problems
    return Reminder(at, days, enabled), problems


def sessions_planned_on(plan: ReminderPlan, day: date) -> int:
    """How many sessions the plan asks for on `day`: its enabled reminders on that weekday."""
    return len(plan.enabled_on(day.weekday()))


def slot_for(plan: ReminderPlan, when: datetime) -> str:
    """The reminder slot ("HH:MM") a session started at `when` belongs to: the enabled reminder of that
    weekday nearest to its wall-clock time of day, a tie going to the earlier one; "" if there is none."""
    reminders = plan.enabled_on(when.weekday())
    if not reminders:
        return ""
    at_s = when.hour * 3600 + when.minute * 60 + when.second
    nearest = min(reminders, key=lambda r: (abs(_minutes(r.time) * 60 - at_s), r.time))
    return nearest.slot


# --------------------------------------------------------------------------------------------------
# When reminders fire


def _zone(moment: datetime, tz: tzinfo | None) -> tzinfo:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Reminder times need an aware datetime (one with a time zone).")
    return tz if tz is not None else moment.tzinfo


def _utc(moment: datetime) -> datetime:
    """The same instant in UTC. Instants are compared and subtracted in UTC: two datetimes sharing a ZoneInfo
    compare by wall time, which ignores `fold` (the repeated hour of an autumn change)."""
    return moment.astimezone(UTC)


def _wall(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)  # naive datetimes compare without their fold


def fire_instant(day: date, at: time, tz: tzinfo) -> datetime:
    """The moment a reminder set for `at` fires on `day` in zone `tz` (an aware datetime in `tz`).

    A time that does not exist that day (spring forward) fires at the first moment after the gap; a time
    that happens twice (autumn back) fires at its first occurrence."""
    naive = datetime.combine(day, at.replace(tzinfo=None, second=0, microsecond=0))
    first = _utc(naive.replace(tzinfo=tz))  # fold 0: the first of a repeated time
    if _wall(first.astimezone(tz)) == naive:
        return first.astimezone(tz)
    # In a gap: fold=0 and fold=1 read the time with the offsets before and after the change, which
    # bracket the change itself; find the first second whose wall time is at or past `naive`.
    other = _utc(naive.replace(tzinfo=tz, fold=1))
    low = int(min(first, other).timestamp())
    high = int(max(first, other).timestamp())
    while low + 1 < high:
        middle = (low + high) // 2
        if _wall(datetime.fromtimestamp(middle, UTC).astimezone(tz)) >= naive:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC).astimezone(tz)


def next_fire(plan: ReminderPlan, after: datetime, tz: tzinfo | None = None) -> datetime | None:
    """The first moment strictly after `after` at which an enabled reminder fires, as an aware datetime in
    `tz` (or in `after`'s zone when `tz` is None); None when no reminder is enabled on any day.

    Days are looked at in order from `after`'s own: a day's reminders never fire before an earlier day's (a
    time in a gap fires when the gap ends, as does any later time in it), so the first day with a reminder
    still to come holds the answer."""
    zone = _zone(after, tz)
    if not any(plan.enabled_on(weekday) for weekday in EVERY_DAY):
        return None
    after_utc = _utc(after)
    day = after.astimezone(zone).date()
    while True:
        fires = (fire_instant(day, reminder.time, zone) for reminder in plan.enabled_on(day.weekday()))
        later = [fire for fire in fires if _utc(fire) > after_utc]
        if later:
            return min(later, key=_utc)
        day += timedelta(days=1)


def upcoming(plan: ReminderPlan, after: datetime, count: int, tz: tzinfo | None = None) -> list[datetime]:
    """The next `count` distinct fire moments after `after` (fewer only when no reminder is enabled)."""
    found: list[datetime] = []
    moment = after
    while len(found) < count:
        following = next_fire(plan, moment, tz)
        if following is None:
            break
        found.append(following)
        moment = following
    return found


# --------------------------------------------------------------------------------------------------
# The scheduler


class DueKind(StrEnum):
    ON_TIME = "on-time"  # the reminder time has just come
    SNOOZED = "snoozed"  # a snoozed reminder is back
    MISSED = "missed"  # the time passed while the app was closed, the machine asleep or the clock jumped


@dataclass(frozen=True, slots=True)
class Due:
    """A notice to show: which slot, the local day it belongs to, when it was meant to fire, and why."""

    slot: str
    day: date
    scheduled_at: datetime
    kind: DueKind
    # MISSED only: True when the app was running and the wall clock jumped past the reminder (the computer
    # slept, or its clock was set), False when the app was closed (`missed_on_start`). Not part of equality.
    app_was_running: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class Snooze:
    """A notice put off until `until`."""

    until: datetime
    notice: Due


@dataclass(frozen=True, slots=True)
class SchedulerState:
    """What the scheduler must remember across restarts (see `state_to_dict`)."""

    fired: frozenset[tuple[date, str]] = frozenset()  # (local day, slot) already shown or handled
    snooze: Snooze | None = None
    paused_on: date | None = None  # the local day reminders are paused for
    last_seen: datetime | None = None  # the last time the scheduler looked (app running and awake)


@dataclass(frozen=True, slots=True)
class ReminderStatus:
    """A snapshot for views: the next reminder, a pending snooze, and whether today is paused."""

    next_at: datetime | None
    snoozed_until: datetime | None
    paused_today: bool


DoneLookup = Callable[[date, str], bool]  # was a session already done on this day in this slot?


def _never_done(day: date, slot: str) -> bool:
    return False


class ReminderScheduler:
    """Decides which reminder notice to show and when; no timers, no clock of its own.

    `is_done(day, slot)` tells whether a session was already done in that slot that day (sessions carry
    the slot from `slot_for`). Persist `state` (via `state_to_dict`) whenever `due()` returns something,
    after snooze/pause/skip, and on quit; restore it with `state_from_dict` and call `missed_on_start`."""

    def __init__(
        self,
        plan: ReminderPlan,
        *,
        tz: tzinfo | None = None,
        is_done: DoneLookup | None = None,
        state: SchedulerState | None = None,
    ) -> None:
        self._plan = plan
        self._tz = tz
        self._is_done = is_done or _never_done
        state = state or SchedulerState()
        self._fired: set[tuple[date, str]] = set(state.fired)
        self._snooze = state.snooze
        self._paused_on = state.paused_on
        self._last_seen = state.last_seen
        self._last_notice: Due | None = None

    # -- settings ----------------------------------------------------------------------------------

    @property
    def plan(self) -> ReminderPlan:
        return self._plan

    def set_plan(self, plan: ReminderPlan) -> None:
        """Use a new plan. Reminders set for a time already passed today do not fire as missed."""
        self._plan = plan

    @property
    def tz(self) -> tzinfo | None:
        return self._tz

    def set_zone(self, tz: tzinfo | None) -> None:
        """The person's time zone changed (travel, or a system setting)."""
        self._tz = tz

    @property
    def state(self) -> SchedulerState:
        return SchedulerState(frozenset(self._fired), self._snooze, self._paused_on, self._last_seen)

    @property
    def last_seen(self) -> datetime | None:
        return self._last_seen

    # -- the questions the adapter asks --------------------------------------------------------------

    def due(self, now: datetime) -> list[Due]:
        """The notice to show now: an empty list or exactly one item. What it returns is recorded as shown,
        so calling again does not repeat it; call it as often and as late as you like."""
        zone = _zone(now, self._tz)
        today = now.astimezone(zone).date()
        previous, self._last_seen = self._last_seen, now
        self._forget_before(today - timedelta(days=1))
        if previous is None:  # first look ever: nothing can have been missed yet
            return []
        if self._paused_on == today:
            self._snooze = None
            return []
        picked = self._pick_scheduled(previous, now, today, zone)
        if picked is not None:
            self._snooze = None  # a fresh notice replaces a pending snooze
            if picked.kind is DueKind.MISSED:  # late although we were looking: the wall clock jumped
                picked = replace(picked, app_was_running=True)
            return self._show(picked)
        return self._snoozed_due(now, today, zone)

    def missed_on_start(self, last_seen: datetime | None, now: datetime) -> Due | None:
        """On start: the single MISSED notice for the latest reminder of today that passed while the app
        was closed (since `last_seen`), or None. Earlier missed reminders and previous days are not
        reported. With no `last_seen` (first run) nothing is missed. A reminder still within the grace
        period is left for the next `due()` call, which shows it on time."""
        if last_seen is None:
            self._last_seen = now
            return None
        zone = _zone(now, self._tz)
        today = now.astimezone(zone).date()
        self._last_seen = last_seen
        if self._paused_on == today:
            self._last_seen = now
            return None
        picked = self._pick_scheduled(last_seen, now, today, zone)
        if picked is None or picked.kind is not DueKind.MISSED:
            return None
        self._last_seen = now
        self._snooze = None
        shown = self._show(picked)
        return shown[0] if shown else None

    def snooze(self, now: datetime, notice: Due | None = None) -> datetime:
        """Put off `notice` (by default the last one shown) for the plan's snooze minutes; returns when it
        comes back. Snoozing again replaces the pending snooze."""
        zone = _zone(now, self._tz)
        if notice is None:
            notice = self._last_notice
        if notice is None:
            local = now.astimezone(zone)
            notice = Due(slot_for(self._plan, local), local.date(), local, DueKind.ON_TIME)
        until = (_utc(now) + timedelta(minutes=self._plan.snooze_min)).astimezone(zone)
        self._snooze = Snooze(until, notice)
        log.debug("snoozed %s until %s", notice.slot, until)  # pragma: no mutate
        return until

    def skip(self) -> None:
        """The person skipped the notice (or started the session): drop any pending snooze."""
        self._snooze = None

    def pause_today(self, now: datetime) -> None:
        """No reminders (and no pending snooze) until local midnight."""
        self._paused_on = now.astimezone(_zone(now, self._tz)).date()
        self._snooze = None

    def resume(self) -> None:
        """Undo `pause_today`."""
        self._paused_on = None

    def is_paused(self, now: datetime) -> bool:
        return self._paused_on == now.astimezone(_zone(now, self._tz)).date()

    def next_wakeup(self, now: datetime) -> datetime | None:
        """When the adapter should next call `due()`: the next reminder or snooze (now, if a snooze is
        overdue); None when nothing is scheduled. Calling `due()` more often is always fine."""
        zone = _zone(now, self._tz)
        candidates: list[datetime] = []
        upcoming_fire = self._next_unpaused_fire(now, zone)
        if upcoming_fire is not None:
            candidates.append(upcoming_fire)
        if self._snooze is not None:
            candidates.append(max(self._snooze.until, now, key=_utc).astimezone(zone))
        if not candidates:
            return None
        return min(candidates, key=_utc)

    def status(self, now: datetime) -> ReminderStatus:
        zone = _zone(now, self._tz)
        snoozed_until = self._snooze.until.astimezone(zone) if self._snooze is not None else None
        return ReminderStatus(self._next_unpaused_fire(now, zone), snoozed_until, self.is_paused(now))

    # -- internals ---------------------------------------------------------------------------------

    def _pick_scheduled(self, previous: datetime, now: datetime, today: date, zone: tzinfo) -> Due | None:
        """The most recent reminder that fired in (previous, now], if it is still to be shown."""
        previous_utc, now_utc = _utc(previous), _utc(now)
        latest: tuple[datetime, date, Reminder] | None = None
        for day in (today - timedelta(days=1), today):
            for reminder in self._plan.enabled_on(day.weekday()):
                fire_utc = _utc(fire_instant(day, reminder.time, zone))
                # ">=" so that of reminders collapsed into one moment by a DST gap the later slot wins
                if previous_utc < fire_utc <= now_utc and (latest is None or fire_utc >= latest[0]):
                    latest = (fire_utc, day, reminder)
        if latest is None:
            return None
        fire_utc, day, reminder = latest
        if (day, reminder.slot) in self._fired:
            return None  # already shown (the clock went back); anything earlier is superseded
        if now_utc - fire_utc <= ON_TIME_GRACE:
            kind = DueKind.ON_TIME
        elif day == today:
            kind = DueKind.MISSED
        else:
            return None  # yesterday's reminder, noticed too late to matter
        return Due(reminder.slot, day, fire_utc.astimezone(zone), kind)

    def _show(self, notice: Due) -> list[Due]:
        self._fired.add((notice.day, notice.slot))
        if self._plan.quiet_if_done and self._is_done(notice.day, notice.slot):
            log.debug("quiet: %s on %s already done", notice.slot, notice.day)  # pragma: no mutate
            return []
        self._last_notice = notice
        return [notice]

    def _snoozed_due(self, now: datetime, today: date, zone: tzinfo) -> list[Due]:
        if self._snooze is None:
            return []
        until_utc, now_utc = _utc(self._snooze.until), _utc(now)
        if until_utc > now_utc:
            return []
        notice = self._snooze.notice
        self._snooze = None
        if until_utc.astimezone(zone).date() < today and now_utc - until_utc > ON_TIME_GRACE:
            return []  # it came due on an earlier day, while nobody was looking
        if self._plan.quiet_if_done and self._is_done(notice.day, notice.slot):
            return []
        snoozed = replace(notice, kind=DueKind.SNOOZED)
        self._last_notice = snoozed
        return [snoozed]

    def _next_unpaused_fire(self, now: datetime, zone: tzinfo) -> datetime | None:
        moment = now
        while (fire := next_fire(self._plan, moment, zone)) is not None:  # steps over the paused day's few
            if fire.astimezone(zone).date() != self._paused_on:
                return fire.astimezone(zone)
            moment = fire
        return None

    def _forget_before(self, oldest: date) -> None:
        self._fired = {key for key in self._fired if key[0] >= oldest}


# --------------------------------------------------------------------------------------------------
# Scheduler state as plain data


class StateError(ValueError):
    """Stored scheduler state that cannot be read."""


def state_to_dict(state: SchedulerState) -> JsonDict:
    """The scheduler state as plain JSON-friendly data (dates and times as ISO 8601 strings)."""
    snooze: JsonDict | None = None
    if state.snooze is not None:
        notice = state.snooze.notice
        snooze = {
            "until": state.snooze.until.isoformat(),
            "slot": notice.slot,
            "day": notice.day.isoformat(),
            "scheduled_at": notice.scheduled_at.isoformat(),
            "kind": notice.kind.value,
        }
    return {
        "fired": [[day.isoformat(), slot] for day, slot in sorted(state.fired)],
        "snooze": snooze,
        "paused_on": state.paused_on.isoformat() if state.paused_on is not None else None,
        "last_seen": state.last_seen.isoformat() if state.last_seen is not None else None,
    }


def state_from_dict(data: object) -> SchedulerState:
    """Read state written by `state_to_dict`; missing keys mean "nothing". Raises StateError."""
    if not isinstance(data, Mapping):
        raise StateError("The reminder state is not in the expected form.")
    try:
        fired = frozenset(_fired_entry(entry) for entry in data.get("fired") or [])
        raw_snooze = data.get("snooze")
        snooze = None
        if raw_snooze is not None:
            if not isinstance(raw_snooze, Mapping):
                raise StateError("The snooze in the reminder state is not in the expected form.")
            notice = Due(
                slot=_text(raw_snooze.get("slot")),
                day=_day(raw_snooze.get("day")),
                scheduled_at=_aware(raw_snooze.get("scheduled_at")),
                kind=DueKind(raw_snooze.get("kind", DueKind.ON_TIME.value)),
            )
            snooze = Snooze(_aware(raw_snooze.get("until")), notice)
        raw_paused = data.get("paused_on")
        paused_on = _day(raw_paused) if raw_paused is not None else None
        raw_seen = data.get("last_seen")
        last_seen = _aware(raw_seen) if raw_seen is not None else None
    except (TypeError, ValueError) as error:
        if isinstance(error, StateError):
            raise
        raise StateError(f"The reminder state could not be read: {error}") from error
    return SchedulerState(fired, snooze, paused_on, last_seen)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise StateError(f"Expected text in the reminder state, found {value!r}.")
    return value


def _aware(value: object) -> datetime:
    moment = datetime.fromisoformat(_text(value))
    if moment.tzinfo is None:
        raise StateError(f"A time in the reminder state has no time zone: {value!r}.")
    if not plausible_moment(moment):
        raise StateError(f"A time in the reminder state is not a real one: {value!r}.")
    return moment


def _day(value: object) -> date:
    day = date.fromisoformat(_text(value))
    if not plausible_day(day):
        raise StateError(f"A day in the reminder state is not a real one: {value!r}.")
    return day


def _fired_entry(entry: object) -> tuple[date, str]:
    if not isinstance(entry, list | tuple) or len(entry) != 2:
        raise StateError(f"Unexpected entry in the reminder state: {entry!r}.")
    day, slot = entry
    return _day(day), _text(slot)
