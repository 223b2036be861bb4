"""The reminder service: drives the Qt-free `ReminderScheduler` with one coarse timer and tells the UI.

How it keeps time without polling every second and without misfiring after a suspend:

* One single-shot timer is armed for the next wakeup the scheduler reports, but never for longer than
  `MAX_WAIT_MS` (60 s). Qt timers run on a monotonic clock that stops while the machine sleeps, so a long
  timer would fire late after a suspend; comparing the wall clock at least once a minute bounds that.
* After every fire, on resume (logind's PrepareForSleep, see platform/sleep_watch.py), on a clock change and
  on a time-zone change it re-asks `due(now)` and re-arms. A time-zone change is also noticed by itself
  once a minute: the zone's fingerprint (the TZ variable and /etc/localtime) is compared, and on a change
  `local_zone.cache_clear()` is called so the clock reads the new zone.
* The scheduler state (what was shown, a pending snooze, a paused day, when we last looked) is kept in
  `repo.state("reminder_state")`, so a restart shows one "missed" notice rather than none or a burst.
* While coaching is paused by a red-flag answer (that day, or until a doctor has said the person can
  exercise; see `safety_state.coaching_pause`) notices that fall due are let go without being shown, and
  Today says why. Reminders come back by themselves once coaching resumes.

The clock and the timer are injected; tests pass a fake clock and a fake timer and never sleep.
`install_reminders(window, ctx)` wires the service to the tray, the desktop notifications and logind."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from sciatica_coach.core.clock import Clock, local_zone
from sciatica_coach.core.schedule import (
    Due,
    DueKind,
    PlanError,
    ReminderPlan,
    ReminderScheduler,
    ReminderStatus,
    StateError,
    check,
    slot_for,
    state_from_dict,
    state_to_dict,
)
from sciatica_coach.platform.notifications import notice_text
from sciatica_coach.services import safety_state
from sciatica_coach.services.flare import current_flare
from sciatica_coach.services.keeping_habit_text import current, this_week
from sciatica_coach.services.plans import REMINDER_STATE_KEY, reminder_plan, save_reminder_plan
from sciatica_coach.services.progress_data import keeping_the_habit
from sciatica_coach.storage.repository import DataError, Repository

if TYPE_CHECKING:
    from datetime import tzinfo

    from sciatica_coach.core.model import SessionRecord

log = logging.getLogger(__name__)

STATE_KEY = REMINDER_STATE_KEY
MAX_WAIT_MS = 60_000  # look at the wall clock at least once a minute
WAKE_SLACK_MS = 250  # wake a little after the fire time; a coarse timer may fire slightly early
SEEN_SAVE_EVERY = timedelta(minutes=15)  # how often "last looked at" is saved when nothing else changes
JUMP_TOLERANCE_S = 90.0  # wall and monotonic time disagreeing by more than this: a clock jump or a sleep


class WakeTimer(Protocol):
    """A single-shot timer. `start(ms)` (re)arms it; the factory that made it was given its callback."""

    def start(self, msec: int) -> None: ...

    def stop(self) -> None: ...


TimerFactory = Callable[[Callable[[], None]], WakeTimer]


def qt_timer_factory(parent: QObject) -> TimerFactory:
    """Real timers: coarse single-shot QTimers owned by `parent` (so none outlives it)."""

    def make(callback: Callable[[], None]) -> WakeTimer:
        timer = QTimer(parent)
        timer.setSingleShot(True)
        timer.setTimerType(Qt.TimerType.CoarseTimer)
        timer.timeout.connect(callback)
        return timer

    return make


def system_zone_fingerprint() -> tuple[str, str]:
    """What the machine's time zone is read from: the TZ variable and where /etc/localtime points."""
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:
        target = ""
    return os.environ.get("TZ", ""), target


def session_length_s(repo: Repository, today: date) -> int:
    """How long today's session takes, as Today shows it: the planned duration of today's routine with the
    "get_ready_s" setting before the first exercise."""
    from sciatica_coach.core.catalogue import load_catalogue
    from sciatica_coach.core.engine import planned_duration_s
    from sciatica_coach.services.routines import routine_for_today

    routine = routine_for_today(repo, load_catalogue(), today)
    return planned_duration_s(routine, first_get_ready_s=repo.setting("get_ready_s"))


def counted_slot(plan: ReminderPlan, session: SessionRecord, zone: tzinfo) -> str:
    """The reminder slot a session counts for on its day: the slot it was started for when that day's
    reminders still include it, else the nearest of that day's reminders (`slot_for`), so a session from
    before a change of reminder times, or without a slot, still counts; "" when the day has no reminder.
    The one rule for "is this slot done": the reminders (`ReminderService.is_done`) and Today use it."""
    started = session.started_at.astimezone(zone)
    if session.slot and any(r.slot == session.slot for r in plan.enabled_on(started.weekday())):
        return session.slot
    return slot_for(plan, started)


class ReminderService(QObject):
    """Owns the scheduler, its timer and its stored state; tells the UI when a notice is due.

    Signals carry a `core.schedule.Due`. `reminder_due` is for on-time and snoozed notices, `missed_notice`
    for one missed while the app was closed or the machine asleep (one at most, never a burst)."""

    reminder_due = Signal(object)
    missed_notice = Signal(object)
    status_changed = Signal()  # next reminder, snooze or pause changed: views re-read `status()`
    start_requested = Signal()  # the person chose "Start now" on a notice or in the tray
    notice_withdrawn = Signal()  # the notice on screen was answered (or its session done): take it away
    open_requested = Signal()  # the person asked to see the window

    def __init__(
        self,
        repo: Repository,
        clock: Clock,
        *,
        timer_factory: TimerFactory | None = None,
        zone_fingerprint: Callable[[], object] = system_zone_fingerprint,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._repo = repo
        self.repo = repo
        self._clock = clock
        self._zone_fingerprint = zone_fingerprint
        self._zone_seen = zone_fingerprint()
        self._timer = (timer_factory or qt_timer_factory(self))(self._tick)
        self._scheduler = ReminderScheduler(reminder_plan(repo), is_done=self.is_done)
        self._saved: dict[str, object] | None = None
        self._saved_seen: datetime | None = None
        self._checked_at: tuple[datetime, float] | None = None
        self._started = False
        self.quiet_notices = 0  # notices let go unseen while coaching was paused (for the log and tests)
        self._paused_seen: bool | None = None  # coaching paused at the last look (views follow its changes)
        self.pending: Due | None = None  # the notice on screen, if any
        # set by app.install_reminders: how notices are shown, the tray icon (None without a tray), logind
        self.notifier: Any = None
        self.tray: Any = None
        self.sleep_watch: Any = None

    # -- life cycle ---------------------------------------------------------------------------------

    def start(self) -> Due | None:
        """Restore the saved state, report a reminder missed while the app was closed, and arm the timer."""
        state = None
        raw = self._repo.state(STATE_KEY)
        if raw is not None:
            try:
                state = state_from_dict(raw)
            except StateError as err:
                log.warning("Starting the reminders afresh: %s", err)
        self._scheduler = ReminderScheduler(reminder_plan(self._repo), is_done=self.is_done, state=state)
        self._started = True
        now = self._clock.now()
        missed = self._scheduler.missed_on_start(state.last_seen if state else None, now)
        self._save(force=True)
        if missed is not None:
            self._show(missed)
        self.check()
        return missed

    def stop(self) -> None:
        """Stop the timer and save the state (on quit)."""
        self._timer.stop()
        if self._started:
            self._save(force=True)
        self._started = False

    @property
    def scheduler(self) -> ReminderScheduler:
        return self._scheduler

    @property
    def plan(self) -> ReminderPlan:
        return self._scheduler.plan

    # -- the timer and the re-checks ----------------------------------------------------------------

    def check(self) -> list[Due]:
        """Look at the wall clock now: show what is due, save, and arm the timer for the next look."""
        if not self._started:
            return []
        self._notice_zone_change()
        now = self._clock.now()
        self._notice_jump(now)
        self.notice_coaching_pause()
        notices = self._scheduler.due(now)
        for notice in notices:
            self._show(notice)
        self._save()
        self._arm(now)
        return notices

    def _tick(self) -> None:
        self.check()

    def resumed(self) -> None:
        """The machine woke from sleep: look again at once."""
        log.info("Resumed from sleep; checking the reminders")
        self.check()

    def clock_changed(self) -> None:
        """The system clock was set: look again at once."""
        self.check()
        self.status_changed.emit()

    def time_zone_changed(self) -> None:
        """The time zone changed (travel or a system setting): re-read it and look again."""
        local_zone.cache_clear()
        self._zone_seen = self._zone_fingerprint()
        self.check()
        self.status_changed.emit()

    def next_wait_ms(self, now: datetime | None = None) -> int:
        """How long the timer waits from `now`: until the next wakeup, capped at `MAX_WAIT_MS`."""
        now = now or self._clock.now()
        wake = self._scheduler.next_wakeup(now)
        if wake is None:
            return MAX_WAIT_MS
        wait_ms = int((wake - now).total_seconds() * 1000) + WAKE_SLACK_MS
        return max(0, min(MAX_WAIT_MS, wait_ms))

    def _arm(self, now: datetime) -> None:
        self._timer.start(self.next_wait_ms(now))

    def _notice_zone_change(self) -> None:
        seen = self._zone_fingerprint()
        if seen != self._zone_seen:
            log.info("The time zone changed; reading it again")
            self._zone_seen = seen
            local_zone.cache_clear()
            self.status_changed.emit()

    def _notice_jump(self, now: datetime) -> None:
        mono = self._clock.monotonic()
        if self._checked_at is not None:
            then, then_mono = self._checked_at
            drift = (now - then).total_seconds() - (mono - then_mono)
            if abs(drift) > JUMP_TOLERANCE_S:
                log.info(
                    "The wall clock moved %+.0f s more than the monotonic clock (sleep or clock change)",
                    drift,
                )
                self.status_changed.emit()
        self._checked_at = (now, mono)

    # -- what the person does -----------------------------------------------------------------------

    def snooze(self) -> datetime:
        """Put the current notice off for the plan's snooze minutes; returns when it comes back."""
        now = self._clock.now()
        until = self._scheduler.snooze(now, self.pending)
        self._let_go()
        self._after_action(now)
        return until

    def skip(self) -> None:
        """Not this time: the notice goes away and nothing comes back for it."""
        self._scheduler.skip()
        self._let_go()
        self._after_action(self._clock.now())

    def start_now(self) -> None:
        """Start a session now (from a notice or the tray)."""
        self._scheduler.skip()
        self._let_go()
        self._after_action(self._clock.now())
        self.start_requested.emit()

    def pause_today(self) -> None:
        """No reminders until midnight."""
        now = self._clock.now()
        self._scheduler.pause_today(now)
        self._let_go()
        self._after_action(now)

    def resume_today(self) -> None:
        """Undo `pause_today`."""
        self._scheduler.resume()
        self._after_action(self._clock.now())

    def set_plan(self, plan: ReminderPlan) -> None:
        """Check, store and use a new plan. Raises PlanError (and stores nothing) when it is not valid."""
        check(plan)
        save_reminder_plan(self._repo, plan, self._clock.now())
        self._scheduler.set_plan(plan)
        if self._started:
            self._arm(self._clock.now())
        self.status_changed.emit()

    def status(self) -> ReminderStatus:
        return self._scheduler.status(self._clock.now())

    def act(self, action: str) -> None:
        """What the person chose on a notice: "start" (or clicking it), "snooze", "skip" or "open"."""
        if action == "start":
            self.start_now()
        elif action == "snooze":
            self.snooze()
        elif action == "skip":
            self.skip()
        elif action == "open":
            self.open_requested.emit()

    def _let_go(self) -> None:
        """The person has answered the notice on screen (or made it pointless): it is taken away."""
        self.pending = None
        self.notice_withdrawn.emit()

    def sessions_changed(self) -> None:
        """A session was saved, or safety answers given: a notice whose slot is now done, or that coaching
        paused since, is taken away; and the views hear of a coaching pause at once."""
        pending = self.pending
        if pending is not None and (self.is_done(pending.day, pending.slot) or self.coaching_paused()):
            log.info("Reminder %s taken away: its session is done or coaching is paused", pending.slot)
            self._let_go()
        self.notice_coaching_pause()

    def notice_words(self, notice: Due) -> tuple[str, str]:
        """The title and body of a notice, with how long today's session takes (see `session_length_s`)."""
        try:
            length_s: int | None = session_length_s(self._repo, self._clock.now().date())
        except (DataError, ValueError, OSError):  # the notice shows even when the routine can't be read
            log.exception("Could not work out the session's length for a reminder")
            length_s = None
        return notice_text(
            notice, length_s, flare=current_flare(self._repo) is not None, keeping_habit=self._habit_week()
        )

    def _habit_week(self) -> tuple[int, int] | None:
        """While keeping the habit: the sessions done this week (counted from the period's first day, as
        Progress counts them) and the weekly aim the person chose; None otherwise."""
        try:
            kept = current(keeping_the_habit(self._repo, self._clock))
        except (DataError, ValueError, OSError):  # the notice shows with the usual words
            log.exception("Could not read keeping the habit for a reminder")
            return None
        if kept is None:
            return None
        week = this_week(kept)
        return (0 if week is None else week.completed), kept.period.weekly_target

    def _after_action(self, now: datetime) -> None:
        self._save(force=True)
        if self._started:
            self._arm(now)
        self.status_changed.emit()

    # -- "already done" ------------------------------------------------------------------------------

    def is_done(self, day: date, slot: str) -> bool:
        """Whether a stored session that day counts for `slot` (see `counted_slot`; Today uses it too)."""
        zone = self._clock.now().tzinfo
        assert zone is not None
        for session in self._repo.sessions(since=day - timedelta(days=1)):  # a day early: any zone
            if session.started_at.astimezone(zone).date() != day:
                continue
            if counted_slot(self._scheduler.plan, session, zone) == slot:
                return True
        return False

    # -- internals ----------------------------------------------------------------------------------

    def coaching_paused(self) -> bool:
        """A red-flag answer has paused coaching (today, or until a doctor says so): no notices then."""
        return safety_state.coaching_paused_today(self._repo, self._clock.now().date())

    def notice_coaching_pause(self) -> None:
        """Tell the views (the tray) when coaching has been paused or resumed since the last look: after the
        red-flag answers (the app's sessions_changed), a doctor's clearance, or on the next day's checks."""
        paused = self.coaching_paused()
        if paused != self._paused_seen:
            self._paused_seen = paused
            self.status_changed.emit()

    def _show(self, notice: Due) -> None:
        if self.coaching_paused():
            self.quiet_notices += 1
            log.info("Reminder %s for %s not shown: coaching is paused after the safety questions", notice.slot,
                     notice.day)  # fmt: skip
            return
        self.pending = notice
        log.info("Reminder %s (%s) for %s", notice.slot, notice.kind.value, notice.day)
        if notice.kind is DueKind.MISSED:
            self.missed_notice.emit(notice)
        else:
            self.reminder_due.emit(notice)
        self.status_changed.emit()

    def _save(self, *, force: bool = False) -> None:
        state = self._scheduler.state
        data = state_to_dict(state)
        without_seen = {k: v for k, v in data.items() if k != "last_seen"}
        seen = state.last_seen
        stale = seen is not None and (
            self._saved_seen is None or abs(seen - self._saved_seen) >= SEEN_SAVE_EVERY
        )
        if not force and without_seen == self._saved and not stale:
            return
        try:
            self._repo.set_state(STATE_KEY, data)
        except DataError:
            log.exception("Could not save the reminder state")
            return
        self._saved, self._saved_seen = without_seen, seen


__all__ = [
    "MAX_WAIT_MS",
    "STATE_KEY",
    "PlanError",
    "ReminderService",
    "qt_timer_factory",
]
