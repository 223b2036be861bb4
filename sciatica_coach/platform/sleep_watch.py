"""Noticing that the machine woke from sleep: logind's PrepareForSleep signal on the system bus.

Timers run on a monotonic clock that stops during suspend, so after a wake the reminder service looks at
the wall clock at once instead of waiting for its next (up to one-minute) look. Where there is no system
bus or no logind (macOS, Windows, containers), a silent watch that never fires is used instead."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

LOGIN1_SERVICE = "org.freedesktop.login1"
LOGIN1_PATH = "/org/freedesktop/login1"
LOGIN1_MANAGER = "org.freedesktop.login1.Manager"


class SleepWatch(QObject):
    """`resumed` fires after the machine wakes. This base version never fires (no logind here)."""

    resumed = Signal()
    going_to_sleep = Signal()
    available = False


class LogindSleepWatch(SleepWatch):
    available = True

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtDBus import QDBusConnection

        bus = QDBusConnection.systemBus()
        if not bus.isConnected():
            raise OSError("no system bus")
        interface = bus.interface()
        owner = interface.isServiceRegistered(LOGIN1_SERVICE) if interface is not None else None
        if owner is None or not owner.value():
            raise OSError("logind is not on the system bus")
        ok = bus.connect(
            LOGIN1_SERVICE, LOGIN1_PATH, LOGIN1_MANAGER, "PrepareForSleep", self, b"1_prepare_for_sleep(bool)"
        )
        if not ok:
            raise OSError("could not listen to logind")

    @Slot(bool)
    def _prepare_for_sleep(self, going: bool) -> None:
        if going:
            self.going_to_sleep.emit()
        else:
            log.info("The machine woke up")
            self.resumed.emit()


def create_sleep_watch(parent: QObject | None = None) -> SleepWatch:
    """logind's watch on Linux when it is there; a silent one otherwise. Never raises."""
    if sys.platform.startswith("linux"):
        try:
            return LogindSleepWatch(parent)
        except (OSError, ImportError) as err:
            log.info("Not watching for sleep and wake (%s); the once-a-minute look covers it", err)
    return SleepWatch(parent)
