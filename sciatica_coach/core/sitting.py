"""Sitting breaks: when someone has sat at the computer long enough to need to get up, and what to offer them.

Time at the computer is counted from the desktop's idle readings (seconds since the last key press or mouse
move), not from the wall clock:

* A gap of `NATURAL_BREAK_S` without input is a break the person took by themselves: the count starts afresh
  at their next input.
* A locked screen, a sleep of the machine, a guided session (they are on the mat) and time outside the working
  hours they set all count as time away from the desk: they end the current stretch of sitting too.
* Where the desktop gives no idle readings (the wall-clock fallback), time counts while the app runs, and the
  events above still end a stretch.

Once a stretch reaches the person's interval, a break card is due. It is held back, without ending the stretch,
while the person paused breaks for an hour, while a window is full screen, and for the few minutes they chose
to postpone it.

The scheduler is stepped by `observe()` with each reading and by the person's answers. It reads time only
from the injected clock: monotonic seconds for durations, the wall clock for working hours and the pause
(compared as UTC instants, so a daylight-saving change neither adds nor loses an hour). It keeps nothing on
disk; the answers to break cards are stored by the service as `SittingBreak` records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from sciatica_coach.core.clock import Clock
from sciatica_coach.core.model import Direction

NATURAL_BREAK_S = 5 * 60  # this long without input is a break taken by oneself: the count starts afresh
SLEEP_GAP_S = 90.0  # wall time running ahead of monotonic time by more than this: the machine slept
LOOK_WHILE_AWAY_S = 60.0  # how often to look for the person coming back, when the desktop can't say so itself
HOLD_BACK_LOOK_S = 60.0  # how often to look again while a due card is held back (full screen)
LONGEST_LOOK_S = 15 * 60.0  # the longest wait between looks (Qt's timers stop while the machine sleeps)
PAUSE_S = 60 * 60  # "pause breaks for an hour"
INTERVAL_RANGE_MIN = (15, 120)  # the intervals a person can choose, in minutes


class Movement(StrEnum):
    """What a break card offers."""

    WALK = "walk"  # stand up and walk about
    BACK_BENDS = "back-bends"  # standing back bends, hands on the hips (only when extension suits the person)
    POSTURE = "posture-check"  # stand, reset, then sit back down well supported


MOVEMENT_SECONDS = {Movement.WALK: 60, Movement.BACK_BENDS: 30, Movement.POSTURE: 45}


def extension_suits(
    routine_directions: Iterable[Direction], avoided: Direction | None, in_flare: bool = False
) -> bool:
    """Whether standing back bends may be offered: the person's routine already has an exercise that bends
    the back backwards (so extension has been found to suit them), they have not said extension is the way
    to avoid, and they are not in a flare. Cautious: with no extension exercise in the routine, back bends are
    not offered at all (docs/safety.md, "Sitting breaks")."""
    if avoided is Direction.EXTENSION or in_flare:
        return False
    return any(direction is Direction.EXTENSION for direction in routine_directions)


def movements_for(extension_ok: bool) -> tuple[Movement, ...]:
    """The movements a break card takes turns with."""
    if extension_ok:
        return (Movement.WALK, Movement.BACK_BENDS, Movement.POSTURE)
    return (Movement.WALK, Movement.POSTURE)


class BreakOutcome(StrEnum):
    TAKEN = "taken"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class SittingBreak:
    """The person's answer to one break card: when (aware local time), taken or skipped, and what was offered.
    A postponed card is not an answer; a card withdrawn because the person got up by themselves is not one either."""

    at: datetime
    outcome: BreakOutcome
    movement: Movement


@dataclass(frozen=True, slots=True)
class DayBreaks:
    day: date
    taken: int
    skipped: int


def breaks_per_day(records: Iterable[SittingBreak], first: date, last: date) -> list[DayBreaks]:
    """Breaks taken and skipped on each day from `first` to `last` (both included), by the local date."""
    counts: Counter[tuple[date, BreakOutcome]] = Counter((r.at.date(), r.outcome) for r in records)
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [
        DayBreaks(day, counts[(day, BreakOutcome.TAKEN)], counts[(day, BreakOutcome.SKIPPED)]) for day in days
    ]


@dataclass(frozen=True, slots=True)
class BreakSettings:
    """The person's choices. `work_days` are weekdays (Monday is 0); the working hours run from `work_start`
    up to `work_end`, across midnight when the end is earlier than the start."""

    on: bool = False
    interval_min: int = 30
    work_days: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))
    work_start: time = time(8, 0)
    work_end: time = time(18, 0)

    def __post_init__(self) -> None:
        low, high = INTERVAL_RANGE_MIN
        if not low <= self.interval_min <= high:
            raise ValueError(f"the interval must be {low}-{high} minutes, not {self.interval_min}")
        if not self.work_days <= frozenset(range(7)):
            raise ValueError(f"weekdays are 0-6, not {sorted(self.work_days)}")

    def at_work(self, moment: datetime) -> bool:
        """Whether `moment` (local wall time) is within the working hours and days. A span across midnight
        belongs to the day it starts on."""
        clock = moment.time().replace(tzinfo=None)
        start, end = self.work_start, self.work_end
        if start == end:  # the whole day
            return moment.weekday() in self.work_days
        if start < end:
            return moment.weekday() in self.work_days and start <= clock < end
        if clock >= start:
            return moment.weekday() in self.work_days
        return clock < end and (moment.weekday() - 1) % 7 in self.work_days

    def next_start(self, after: datetime) -> datetime | None:
        """The next moment after `after` (aware local time) when the working hours begin; None with no
        working days."""
        for ahead in range(8):
            day = after.date() + timedelta(days=ahead)
            if day.weekday() in self.work_days:
                start = datetime.combine(day, self.work_start, tzinfo=after.tzinfo)
                if start.timestamp() > after.timestamp():
                    return start
        return None


class Quiet(StrEnum):
    """Why no card is shown now. The first four end the stretch of sitting; the last two only hold the card back."""

    OFF = "off"
    OUTSIDE_HOURS = "outside-hours"
    SESSION = "session"
    LOCKED = "locked"
    PAUSED = "paused"
    FULL_SCREEN = "full-screen"


ENDS_SITTING = frozenset({Quiet.OFF, Quiet.OUTSIDE_HOURS, Quiet.SESSION, Quiet.LOCKED})


class Phase(StrEnum):
    AWAY = "away"  # not sitting at the computer now (or not counted)
    SITTING = "sitting"  # counting towards the next card
    DUE = "due"  # a card is on screen, waiting for an answer
    TAKING = "taking"  # the person is taking the break; its timer runs


@dataclass(frozen=True, slots=True)
class BreakStatus:
    """A snapshot for the views: what is going on, and the figures to show."""

    phase: Phase
    quiet: Quiet | None  # why nothing is shown now, if that is so
    sitting_s: float  # this stretch at the computer so far
    due_in_s: float | None  # until the next card, when counting; 0 when one is due but held back
    movement: Movement | None  # the card's movement while DUE or TAKING
    taking_left_s: float | None  # while TAKING
    paused_until: datetime | None  # "pause for an hour", when set


class SittingBreakScheduler:
    """Counts time at the computer and says when a break card is due. See the module docstring."""

    def __init__(
        self,
        settings: BreakSettings,
        clock: Clock,
        movements: Sequence[Movement] = movements_for(False),
        natural_break_s: float = NATURAL_BREAK_S,  # shorter only in tests against a real X server
    ) -> None:
        self._clock = clock
        self._settings = settings
        self._natural_break_s = natural_break_s
        self._movements = tuple(movements) or (Movement.WALK,)
        self._turn = 0  # how many cards have been offered: they take turns through the movements
        self._since: float | None = None  # monotonic start of this stretch of sitting; None: away
        self._postponed_until: float | None = None  # monotonic
        self._paused_until: datetime | None = None  # wall
        self._offered: Movement | None = None
        self._taking_until: float | None = None  # monotonic
        self._quiet: Quiet | None = None if settings.on else Quiet.OFF
        self._idle_s: float | None = None  # at the last look
        self._last_look: tuple[float, float] | None = None  # (monotonic, wall UTC seconds) at the last look
        self._break_ended: float | None = (
            None  # monotonic end of the last break taken: older input is not sitting
        )

    # -- what the person chose -------------------------------------------------------------------------------

    @property
    def settings(self) -> BreakSettings:
        return self._settings

    def set_settings(self, settings: BreakSettings) -> None:
        """New choices; switching off (or on) starts afresh."""
        if settings.on != self._settings.on:
            self._away()
            self._paused_until = None
        self._settings = settings

    def set_movements(self, movements: Sequence[Movement]) -> None:
        """The movements that suit the person now (the turns go on where they were)."""
        self._movements = tuple(movements) or (Movement.WALK,)

    # -- answers to the card ---------------------------------------------------------------------------------

    def take(self) -> SittingBreak | None:
        """The person takes the break on the card: its timer starts. Returns the answer to store (None when no
        card is due)."""
        movement = self._offered
        if movement is None or self._taking_until is not None:
            return None
        self._taking_until = self._clock.monotonic() + MOVEMENT_SECONDS[movement]
        return SittingBreak(self._clock.now(), BreakOutcome.TAKEN, movement)

    def finished(self) -> None:
        """The break's timer ran out, or the person closed the card early: the next stretch starts with
        their next input."""
        if self._taking_until is not None:
            self._away()
            self._break_ended = self._clock.monotonic()

    def skip(self) -> SittingBreak | None:
        """No break this time: the card goes and a new interval starts now. Returns the answer to store."""
        movement = self._offered
        if movement is None or self._taking_until is not None:
            return None
        self._offered = None
        self._postponed_until = None
        self._since = self._clock.monotonic()
        return SittingBreak(self._clock.now(), BreakOutcome.SKIPPED, movement)

    def postpone(self, minutes: int) -> None:
        """The card goes and comes back after `minutes` more of sitting (sooner ends with a natural break)."""
        if self._offered is not None and self._taking_until is None:
            self._offered = None
            self._postponed_until = self._clock.monotonic() + minutes * 60

    def pause_for_hour(self) -> None:
        """No cards for an hour of clock time (time at the computer still counts)."""
        now = self._clock.now()  # an hour of real time, whatever the local clock does meanwhile
        self._paused_until = (now.astimezone(UTC) + timedelta(seconds=PAUSE_S)).astimezone(now.tzinfo)
        if self._taking_until is None:
            self._offered = None

    def resume(self) -> None:
        self._paused_until = None

    def slept(self) -> None:
        """The machine slept (or the desktop said it woke): time away from the desk."""
        self._away()

    # -- looking ---------------------------------------------------------------------------------------------

    def observe(
        self,
        idle_s: float | None,
        locked: bool | None = None,
        *,
        session_running: bool = False,
        full_screen: bool = False,
    ) -> BreakStatus:
        """Step with a reading of the desktop (idle_s None: it can't tell; locked None: unknown) and say what
        is going on now."""
        mono, wall = self._clock.monotonic(), self._clock.now()
        if self._last_look is not None:
            last_mono, last_wall = self._last_look
            if (wall.timestamp() - last_wall) - (mono - last_mono) > SLEEP_GAP_S:
                self._away()
        self._last_look = (mono, wall.timestamp())
        self._idle_s = idle_s
        if self._paused_until is not None and wall.timestamp() >= self._paused_until.timestamp():
            self._paused_until = None
        if self._taking_until is not None and mono >= self._taking_until:
            self._break_ended = self._taking_until
            self._away()
        self._quiet = self._ending_reason(wall, locked, session_running)
        if self._quiet is not None:
            self._away()
        elif self._taking_until is None:
            self._count(mono, idle_s)
            self._quiet = self._holding_reason(full_screen)
            self._offer(mono)
        return self.status()

    def _ending_reason(self, wall: datetime, locked: bool | None, session_running: bool) -> Quiet | None:
        if not self._settings.on:
            return Quiet.OFF
        if session_running:
            return Quiet.SESSION
        if locked:
            return Quiet.LOCKED
        if not self._settings.at_work(wall):
            return Quiet.OUTSIDE_HOURS
        return None

    def _holding_reason(self, full_screen: bool) -> Quiet | None:
        if self._paused_until is not None:
            return Quiet.PAUSED
        if full_screen and self._offered is None:  # a card already on screen stays
            return Quiet.FULL_SCREEN
        return None

    def _count(self, mono: float, idle_s: float | None) -> None:
        if idle_s is not None and idle_s >= self._natural_break_s:
            self._away()
        elif self._since is None:
            last_input = mono - (idle_s or 0.0)
            if idle_s is None or self._break_ended is None or last_input > self._break_ended:
                self._since = last_input

    def _offer(self, mono: float) -> None:
        if self._since is None or self._offered is not None or self._quiet is not None:
            return
        if self._postponed_until is not None and mono < self._postponed_until:
            return
        if mono - self._since >= self._settings.interval_min * 60:
            self._postponed_until = None
            self._offered = self._movements[self._turn % len(self._movements)]
            self._turn += 1

    def _away(self) -> None:
        self._since = None
        self._offered = None
        self._postponed_until = None
        self._taking_until = None

    def status(self) -> BreakStatus:
        mono = self._clock.monotonic()
        sitting_s = 0.0 if self._since is None else max(0.0, mono - self._since)
        if self._taking_until is not None:
            phase = Phase.TAKING
        elif self._offered is not None:
            phase = Phase.DUE
        else:
            phase = Phase.SITTING if self._since is not None else Phase.AWAY
        due_in_s = None
        if phase is Phase.SITTING:
            due_in_s = max(0.0, self._settings.interval_min * 60 - sitting_s)
            if self._postponed_until is not None:
                due_in_s = max(due_in_s, self._postponed_until - mono)
        return BreakStatus(
            phase=phase,
            quiet=self._quiet,
            sitting_s=sitting_s,
            due_in_s=due_in_s,
            movement=self._offered,
            taking_left_s=None if self._taking_until is None else max(0.0, self._taking_until - mono),
            paused_until=self._paused_until,
        )

    def next_look_s(self, pushes: bool = False) -> float | None:
        """Seconds until the scheduler should be stepped again: when the card may fall due, when a pause or a
        break's timer ends, and, for a desktop that can't tell of input by itself (`pushes` False), when a
        natural break would be complete and (while away) once a minute to see the person come back. None: no
        need at all (breaks are off; a change of settings steps it)."""
        if self._quiet is Quiet.OFF:
            return None
        wall = self._clock.now()
        waits = [LONGEST_LOOK_S]
        status = self.status()
        if status.taking_left_s is not None:
            waits.append(status.taking_left_s)
        if status.due_in_s is not None and self._quiet not in (Quiet.PAUSED, Quiet.FULL_SCREEN):
            waits.append(status.due_in_s)
        if self._paused_until is not None:
            waits.append(self._paused_until.timestamp() - wall.timestamp())
        if self._quiet is Quiet.FULL_SCREEN:
            waits.append(HOLD_BACK_LOOK_S)
        if self._quiet is Quiet.OUTSIDE_HOURS and (start := self._settings.next_start(wall)) is not None:
            waits.append(start.timestamp() - wall.timestamp())  # count from the first minute of work
        if not pushes:
            if status.phase is Phase.AWAY and self._quiet in (None, Quiet.LOCKED):
                waits.append(LOOK_WHILE_AWAY_S)
            elif self._idle_s is not None and status.phase in (Phase.SITTING, Phase.DUE):
                waits.append(self._natural_break_s - self._idle_s)
        return max(1.0, min(waits))
