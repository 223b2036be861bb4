"""The sitting-break service: steps the Qt-free `SittingBreakScheduler` (core/sitting.py) with the desktop's idle
readings, on one coarse timer, and tells the break card when a break is due.

How it keeps its wake-ups few:

* The idle monitor (platform/idle.py) is made only while breaks are on; switched off, nothing runs at all.
* After each look the timer is armed for the scheduler's `next_look_s`: when the card may fall due, when a
  natural break would be complete (polling desktops: X11, KDE), or once a minute while the person is away.
  A desktop that tells of input by itself (GNOME's Mutter watches) needs no looks but the due time.
* A backend that stops answering (`lost`) is swapped for the wall-clock fallback, which never fails.

The answers to cards (taken, skipped) are saved as `SittingBreak` records through the repository; a failed save
is reported through `save_failed` in plain words and never gets in the way of the break itself."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from sciatica_coach.core.affected_side import parse_up_by
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.sitting import (
    NATURAL_BREAK_S,
    BreakSettings,
    BreakStatus,
    Movement,
    Phase,
    SittingBreak,
    SittingBreakScheduler,
    extension_suits,
    movements_for,
)
from sciatica_coach.services.flare import current_flare
from sciatica_coach.services.plans import active_routine, avoided_direction
from sciatica_coach.services.reminders import TimerFactory, qt_timer_factory
from sciatica_coach.storage.repository import DataError, Repository

if TYPE_CHECKING:
    from sciatica_coach.core.clock import Clock
    from sciatica_coach.platform.idle import IdleMonitor, IdleReading

log = logging.getLogger(__name__)

WAKE_SLACK_MS = 250  # wake a little after the wanted time; a coarse timer may fire slightly early
WALL_CLOCK = "wall clock"  # the fallback monitor's kind: it cannot tell when the person types


def break_settings(repo: Repository) -> BreakSettings:
    """The person's sitting-break choices as stored (each value already checked by the repository)."""
    defaults = BreakSettings()
    days = repo.setting("sitting_work_days")
    return BreakSettings(
        on=bool(repo.setting("sitting_breaks_on")),
        interval_min=int(repo.setting("sitting_interval_min")),
        work_days=frozenset(day for day in days if isinstance(day, int) and 0 <= day <= 6),
        work_start=parse_up_by(repo.setting("sitting_work_start")) or defaults.work_start,
        work_end=parse_up_by(repo.setting("sitting_work_end")) or defaults.work_end,
    )


def break_movements(repo: Repository) -> tuple[Movement, ...]:
    """The movements cards take turns with: standing back bends only when the person's routine shows that
    extension suits them, they have not said to avoid it and no flare is going on (core.sitting.extension_suits)."""
    catalogue = load_catalogue()
    routine = active_routine(repo, catalogue)  # its exercises are all in the catalogue (routine_from_dict)
    directions = [catalogue.get(item.exercise_id).direction for item in routine.items]
    in_flare = current_flare(repo) is not None
    return movements_for(extension_suits(directions, avoided_direction(repo), in_flare))


def _idle_monitor(parent: QObject) -> IdleMonitor:
    from sciatica_coach.platform.idle import create_idle_monitor

    return create_idle_monitor(parent)


def _full_screen_now() -> bool:
    from sciatica_coach.platform.idle import fullscreen_window_active

    return fullscreen_window_active()


class SittingBreakService(QObject):
    """Owns the scheduler, the idle monitor and the timer. `break_due` carries the card's `Movement`;
    `break_withdrawn` says the card on screen is no longer wanted (the person got up by themselves, locked the
    screen, started a session); `status_changed` says what the views show changed."""

    break_due = Signal(object)
    break_withdrawn = Signal()
    status_changed = Signal()
    save_failed = Signal(str)

    def __init__(
        self,
        repo: Repository,
        clock: Clock,
        *,
        monitor_factory: Callable[[QObject], IdleMonitor] | None = None,
        full_screen: Callable[[], bool] | None = None,
        timer_factory: TimerFactory | None = None,
        natural_break_s: float = NATURAL_BREAK_S,  # shorter only in tests against a real X server
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._repo = repo
        self._natural_break_s = natural_break_s
        self._scheduler = SittingBreakScheduler(
            break_settings(repo), clock, break_movements(repo), natural_break_s=natural_break_s
        )
        self._monitor_factory = monitor_factory or _idle_monitor
        self._full_screen = full_screen or _full_screen_now
        self._monitor: IdleMonitor | None = None
        self._timer = (timer_factory or qt_timer_factory(self))(self.look)
        self._session_running = False
        self._shown = self._scheduler.status()
        self._running = False

    # -- running ---------------------------------------------------------------------------------------------

    def start(self) -> None:
        self._running = True
        self.settings_changed()

    def stop(self) -> None:
        self._running = False
        self._timer.stop()
        self._drop_monitor()

    def settings_changed(self) -> None:
        """Read the settings (and the routine, for the movements) again, and look at once."""
        settings = break_settings(self._repo)
        self._scheduler.set_settings(settings)
        self._scheduler.set_movements(break_movements(self._repo))
        if settings.on and self._running:
            self._ensure_monitor()
        else:
            self._drop_monitor()
        self.look()

    def look(self) -> None:
        """Ask the desktop for a reading; the scheduler steps when it comes (`_on_reading`)."""
        if self._monitor is None:
            self._step(None, None)
        else:
            self._monitor.ask()

    def resumed(self) -> None:
        """The machine woke from sleep: time away from the desk."""
        self._scheduler.slept()
        self.look()

    def set_session_running(self, running: bool) -> None:
        """A guided session opened or closed: the person is on the mat, not at the desk."""
        self._session_running = running
        self.look()

    # -- what the views read ---------------------------------------------------------------------------------

    def status(self) -> BreakStatus:
        return self._scheduler.status()

    def breaks_on(self) -> bool:
        return self._scheduler.settings.on

    def paused(self) -> bool:
        return self._scheduler.status().paused_until is not None

    @property
    def monitor_kind(self) -> str | None:
        """Which desktop service tells the app about input ("X11", "GNOME"…, or "wall clock"); None while off."""
        return None if self._monitor is None else str(self._monitor.kind)

    @property
    def counts_input(self) -> bool | None:
        """Whether computer use is measured from the keyboard and mouse (else by the clock); None while off."""
        kind = self.monitor_kind
        return None if kind is None else kind != WALL_CLOCK

    # -- the person's answers --------------------------------------------------------------------------------

    def take(self) -> None:
        self._answered(self._scheduler.take())

    def skip(self) -> None:
        self._answered(self._scheduler.skip())

    def finished(self) -> None:
        self._scheduler.finished()
        self._after_change()

    def postpone(self, minutes: int) -> None:
        self._scheduler.postpone(minutes)
        self._after_change()

    def pause_for_hour(self) -> None:
        had_card = self._shown.phase is Phase.DUE
        self._scheduler.pause_for_hour()
        if had_card:
            self.break_withdrawn.emit()
        self._after_change()

    def resume(self) -> None:
        self._scheduler.resume()
        self.look()

    # -- inside ----------------------------------------------------------------------------------------------

    def _answered(self, record: SittingBreak | None) -> None:
        if record is not None:
            try:
                self._repo.add_sitting_break(record)
            except DataError as err:
                log.error("Could not save a sitting break: %s", err)
                self.save_failed.emit(str(err))
        self._after_change()

    def _after_change(self) -> None:
        """An answer changed the scheduler: what is shown follows it without a card being offered or taken away
        (the card itself already shows the answer)."""
        self._shown = self._scheduler.status()
        self.status_changed.emit()
        self._arm()

    def _ensure_monitor(self) -> None:
        if self._monitor is not None:
            return
        monitor = self._monitor_factory(self)
        monitor.observed.connect(self._on_reading)
        monitor.lost.connect(self._on_lost)
        if monitor.pushes:
            monitor.watch(self._natural_break_s)
        self._monitor = monitor
        log.info("Sitting breaks count computer use through: %s", monitor.kind)

    def _drop_monitor(self) -> None:
        monitor, self._monitor = self._monitor, None
        if monitor is not None:
            monitor.observed.disconnect(self._on_reading)
            monitor.lost.disconnect(self._on_lost)
            monitor.close()

    def _on_lost(self, why: str) -> None:
        """The desktop service stopped answering: go on with the wall clock (never fails)."""
        from sciatica_coach.platform.idle import IdleMonitor

        log.warning("The desktop stopped telling about input (%s); sitting breaks follow the clock now", why)
        self._drop_monitor()
        fallback = IdleMonitor(self)
        fallback.observed.connect(self._on_reading)
        self._monitor = fallback
        self.status_changed.emit()
        self.look()

    def _on_reading(self, reading: IdleReading) -> None:
        self._step(reading.idle_s, reading.locked)

    def _step(self, idle_s: float | None, locked: bool | None) -> None:
        full_screen = False
        if self._scheduler.settings.on and self._shown.phase is Phase.SITTING:
            due_in = self._shown.due_in_s
            if due_in is not None and due_in <= self._shown_age_s():  # a card may fall due now
                self._scheduler.set_movements(break_movements(self._repo))  # a flare may have begun
                full_screen = self._full_screen()
        before = self._shown
        now = self._scheduler.observe(
            idle_s, locked, session_running=self._session_running, full_screen=full_screen
        )
        self._shown = now
        if now.phase is Phase.DUE and before.phase is not Phase.DUE:
            log.info("A sitting break is due: %s", now.movement)
            self.break_due.emit(now.movement)
        elif before.phase is Phase.DUE and now.phase in (Phase.AWAY, Phase.SITTING):
            self.break_withdrawn.emit()  # (a break being taken ends on its card, which counts it down)
        if (now.phase, now.quiet, now.movement, now.paused_until) != (
            before.phase,
            before.quiet,
            before.movement,
            before.paused_until,
        ):
            self.status_changed.emit()
        self._arm()

    def _shown_age_s(self) -> float:
        """How long since the last look, in the scheduler's terms (its sitting time has grown by that much)."""
        return max(0.0, self._scheduler.status().sitting_s - self._shown.sitting_s)

    def _arm(self) -> None:
        pushes = bool(self._monitor is not None and self._monitor.pushes)
        wait_s = self._scheduler.next_look_s(pushes)
        if wait_s is None or not self._running:
            self._timer.stop()
        else:
            self._timer.start(int(wait_s * 1000) + WAKE_SLACK_MS)
