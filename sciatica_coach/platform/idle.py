"""How long the person has been away from the keyboard and mouse, and whether the screen is locked: one
`IdleMonitor` interface for the sitting breaks, a backend for each desktop, and a silent wall-clock fallback.

`create_idle_monitor()` picks one, in this order, and logs which and why not the others:

1. GNOME (Wayland or X11): org.gnome.Mutter.IdleMonitor on the session bus. It pushes: `watch()` sets a
   watch for the idle time and one for the next input, so nothing is polled. The lock comes from
   org.gnome.ScreenSaver (GetActive, ActiveChanged) when it is on the bus.
2. X11: the X server's MIT-SCREEN-SAVER extension (platform/idle_x11.py). Polled by `ask()`.
3. KDE and others: org.freedesktop.ScreenSaver GetSessionIdleTime, and GetActive/ActiveChanged for the lock.
   Polled by `ask()`. (GNOME has this name too, but answers GetSessionIdleTime with an error: it comes
   after Mutter, and a service that does not answer is `lost`.)
4. Windows (GetLastInputInfo) and macOS (HIDIdleTime): platform/idle_native.py. Polled.
5. None of these: the base `IdleMonitor` itself, which knows nothing (IdleReading(None, None)), so the
   breaks fall back to plain wall-clock intervals.

No call waits for another program in the window thread: D-Bus calls are sent and their answers come back
through the event loop (platform/idle_dbus.py); a service that errs, hangs (no answer within ASK_TIMEOUT_MS)
or leaves the bus makes the monitor emit `lost` once, and from then on it answers like the fallback. The X11
and native reads are one local round trip or system call (well under a millisecond), made from the event
loop too, so `ask()` always returns at once and `observed` never fires inside it.

`fullscreen_window_active()` (X11 only) says whether the active window is full screen (a film, a
presentation), when a break card should stay quiet."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from sciatica_coach.platform import idle_native, idle_x11
from sciatica_coach.platform.idle_dbus import IdleBus
from sciatica_coach.platform.libdbus import TYPE_UINT32, TYPE_UINT64, Answer

log = logging.getLogger(__name__)

ASK_TIMEOUT_MS = 1000  # a D-Bus idle service that has not answered by then is taken as hung

MUTTER_SERVICE = "org.gnome.Mutter.IdleMonitor"
MUTTER_PATH = "/org/gnome/Mutter/IdleMonitor/Core"
MUTTER_INTERFACE = "org.gnome.Mutter.IdleMonitor"
GNOME_SCREENSAVER = ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver")
FREEDESKTOP_SERVICE = "org.freedesktop.ScreenSaver"
FREEDESKTOP_PATHS = ("/org/freedesktop/ScreenSaver", "/ScreenSaver")  # KDE has both; some only the short one
FREEDESKTOP_INTERFACE = "org.freedesktop.ScreenSaver"
MS_PER_S = 1000


@dataclass(frozen=True)
class IdleReading:
    """What a backend can tell. `idle_s`: seconds since the last keyboard or mouse input (None: this backend
    cannot tell). `locked`: the screen is locked or its screen saver is on (None: unknown)."""

    idle_s: float | None
    locked: bool | None


UNKNOWN = IdleReading(None, None)


def fullscreen_window_active() -> bool:
    """X11: the active window is full screen. False when unknown, not on X11, or on any error; never raises."""
    return idle_x11.fullscreen_window_active()


class IdleMonitor(QObject):
    """The interface, and the silent wall-clock fallback: it can tell nothing, so `ask()` answers
    IdleReading(None, None) and the breaks count plain time.

    `observed(IdleReading)`: the answer to `ask()`, or pushed by the backend itself (a watch fired, the lock
    changed). `lost(str)`: the backend stopped working (why); the owner switches to the fallback. A lost or
    closed monitor goes on answering `ask()` like the fallback (and a closed one is never `lost`)."""

    observed = Signal(object)  # IdleReading
    lost = Signal(str)

    kind = "wall clock"
    pushes = False  # True: `watch()` makes the backend report idle and active by itself, without polling

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.failure: str | None = None  # why the backend was lost
        self.closed = False

    @property
    def off(self) -> bool:
        """Lost or closed: answers like the fallback from now on."""
        return self.failure is not None or self.closed

    def ask(self) -> None:
        """Ask for a reading; `observed` answers from the event loop, never inside this call."""
        QTimer.singleShot(0, self, lambda: self.observed.emit(UNKNOWN))

    def watch(self, idle_after_s: float) -> None:
        """Push backends: from now on emit `observed` when the idle time reaches `idle_after_s`, and again at
        the first input after that. Replaces an earlier watch. Polling backends: nothing."""

    def close(self) -> None:
        """Let go of the backend (connections, watches). Safe to call more than once."""
        if not self.off:
            self._release()
        self.closed = True

    def _release(self) -> None:
        """Backends: let go of connections and watches (once, when closed or lost)."""

    def _lose(self, why: str) -> None:
        if self.off:
            return
        self.failure = why
        log.info("Idle time from %s stops (%s); breaks count plain time from now on", self.kind, why)
        self._release()
        self.lost.emit(why)


class _PolledMonitor(IdleMonitor):
    """A backend read by a quick local call (X11, Windows, macOS): `read()` answers a reading or None."""

    def __init__(
        self, kind: str, read: Callable[[], IdleReading | None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self._read = read

    def ask(self) -> None:
        if self.off:
            super().ask()
            return
        QTimer.singleShot(0, self, self._answer)

    def _answer(self) -> None:
        if self.off:
            self.observed.emit(UNKNOWN)
            return
        reading = self._read()
        if reading is None:
            self._lose("no answer from the system")
            self.observed.emit(UNKNOWN)
            return
        self.observed.emit(reading)


def _x11_reading() -> IdleReading | None:
    info = idle_x11.query_idle()
    return IdleReading(info.idle_ms / MS_PER_S, info.saver_on) if info is not None else None


def _native_reading(read: Callable[[], float | None]) -> Callable[[], IdleReading | None]:
    def reading() -> IdleReading | None:
        seconds = read()
        return IdleReading(seconds, None) if seconds is not None else None

    return reading


class _DBusMonitor(IdleMonitor):
    """What the D-Bus backends share: the bus, `lost` when the idle service leaves it or the bus goes, and
    the lock state from a screen saver service (GetActive once, then its ActiveChanged signal, each change
    pushed as a fresh reading)."""

    service = ""

    def __init__(
        self, bus: IdleBus, lock: tuple[str, str, str] | None, timeout_ms: int, parent: QObject | None
    ) -> None:
        super().__init__(parent)
        bus.setParent(self)
        self._bus = bus
        self._timeout_ms = timeout_ms
        self._locked: bool | None = None
        self._lock_interface = lock[2] if lock is not None else ""
        bus.signal_received.connect(self._signal)
        bus.disconnected.connect(lambda: self._lose("the session bus went away"))
        bus.listen_for_name_lost(self.service)
        if lock is not None and bus.has_owner(lock[0]):
            service, path, interface = lock
            bus.listen(f"type='signal',sender='{service}',interface='{interface}',member='ActiveChanged'")
            bus.call(service, path, interface, "GetActive", timeout_ms=timeout_ms,
                     on_reply=self._lock_answered, on_error=lambda why: log.info("Lock state unknown: %s", why))  # fmt: skip

    def _lock_answered(self, args: Answer) -> None:
        if args and isinstance(args[0], bool):
            self._locked = args[0]

    def _signal(self, interface: str, member: str, args: list[object]) -> None:
        if interface == "org.freedesktop.DBus" and member == "NameOwnerChanged":
            if len(args) >= 3 and args[0] == self.service and args[2] == "":
                self._lose(f"{self.service} left the session bus")
        elif interface == self._lock_interface and member == "ActiveChanged":
            if args and isinstance(args[0], bool) and args[0] != self._locked:
                self._locked = args[0]
                self.ask()  # push a fresh reading with the new lock state
        else:
            self._other_signal(interface, member, args)

    def _other_signal(self, interface: str, member: str, args: list[object]) -> None:
        pass

    def _release(self) -> None:
        self._bus.close()


class MutterIdleMonitor(_DBusMonitor):
    """GNOME's org.gnome.Mutter.IdleMonitor: GetIdletime for `ask()`; idle and user-active watches for
    `watch()` (Mutter's idle watch fires every time the idle time reaches its interval; a user-active watch
    fires once, at the next input, and is set again after each idle watch)."""

    kind = "GNOME (Mutter IdleMonitor)"
    pushes = True
    service = MUTTER_SERVICE

    def __init__(self, bus: IdleBus, parent: QObject | None = None, timeout_ms: int = ASK_TIMEOUT_MS) -> None:
        super().__init__(bus, GNOME_SCREENSAVER, timeout_ms, parent)
        self._watch_s: float | None = None
        self._watch_number = 0  # counts watch() calls: an answer for an earlier one is removed, not kept
        self._idle_watch: int | None = None
        self._active_watch: int | None = None
        bus.listen(f"type='signal',interface='{MUTTER_INTERFACE}',member='WatchFired'")

    def _call(
        self, method: str, args: list[tuple[int, int]], on_reply: Callable[[Answer], None] | None
    ) -> None:
        self._bus.call(MUTTER_SERVICE, MUTTER_PATH, MUTTER_INTERFACE, method, args, timeout_ms=self._timeout_ms,
                       on_reply=on_reply, on_error=self._lose if on_reply is not None else None)  # fmt: skip

    def ask(self) -> None:
        if self.off:
            super().ask()
            return
        self._call("GetIdletime", [], self._idletime)

    def _idletime(self, args: Answer) -> None:
        if not args or isinstance(args[0], (str, bool)):
            self._lose("GetIdletime answered no number")
            return
        self.observed.emit(IdleReading(int(args[0]) / MS_PER_S, self._locked))

    def watch(self, idle_after_s: float) -> None:
        if self.off:
            return
        self._remove_watches()
        self._watch_number += 1
        self._watch_s = idle_after_s
        interval_ms = max(1, round(idle_after_s * MS_PER_S))
        number = self._watch_number
        self._call("AddIdleWatch", [(TYPE_UINT64, interval_ms)], lambda args: self._added(args, number, True))

    def _added(self, args: Answer, number: int, idle: bool) -> None:
        """A watch's id came back. If watch() was called again meanwhile, that watch is not wanted any more."""
        if not args or not isinstance(args[0], int) or isinstance(args[0], bool):
            self._lose("Mutter answered no watch id")
            return
        if number != self._watch_number or self.off:
            self._call("RemoveWatch", [(TYPE_UINT32, args[0])], None)
        elif idle:
            self._idle_watch = args[0]
        else:
            self._active_watch = args[0]

    def _other_signal(self, interface: str, member: str, args: list[object]) -> None:
        if interface != MUTTER_INTERFACE or member != "WatchFired" or not args or self.off:
            return
        fired = args[0]
        if fired == self._idle_watch and self._watch_s is not None:
            self.observed.emit(IdleReading(self._watch_s, self._locked))
            if self._active_watch is None:
                number = self._watch_number
                self._call("AddUserActiveWatch", [], lambda args: self._added(args, number, False))
        elif fired == self._active_watch:
            self._active_watch = None  # Mutter removes a user-active watch once it has fired
            self.observed.emit(IdleReading(0.0, self._locked))

    def _remove_watches(self) -> None:
        for watch_id in (self._idle_watch, self._active_watch):
            if watch_id is not None:
                self._call("RemoveWatch", [(TYPE_UINT32, watch_id)], None)
        self._idle_watch = self._active_watch = None

    def _release(self) -> None:
        if self._bus.connected and self.failure is None:  # closed while working: take our watches away
            self._remove_watches()
        super()._release()


class FreedesktopIdleMonitor(_DBusMonitor):
    """org.freedesktop.ScreenSaver (KDE and others): GetSessionIdleTime for `ask()`, polled; the lock from
    the same service. A service at neither known path, or one that refuses the call (GNOME's), is lost at
    the first `ask()`."""

    kind = "freedesktop ScreenSaver"
    service = FREEDESKTOP_SERVICE

    def __init__(self, bus: IdleBus, parent: QObject | None = None, timeout_ms: int = ASK_TIMEOUT_MS) -> None:
        super().__init__(
            bus, (FREEDESKTOP_SERVICE, FREEDESKTOP_PATHS[0], FREEDESKTOP_INTERFACE), timeout_ms, parent
        )
        self._paths = list(FREEDESKTOP_PATHS)

    def ask(self) -> None:
        if self.off:
            super().ask()
            return
        self._bus.call(FREEDESKTOP_SERVICE, self._paths[0], FREEDESKTOP_INTERFACE, "GetSessionIdleTime",
                       timeout_ms=self._timeout_ms, on_reply=self._idletime, on_error=self._refused)  # fmt: skip

    def _refused(self, why: str) -> None:
        if ("UnknownObject" in why or "UnknownMethod" in why) and len(self._paths) > 1:
            self._paths.pop(0)  # try the other path once
            self.ask()
            return
        self._lose(why)

    def _idletime(self, args: Answer) -> None:
        if not args or isinstance(args[0], (str, bool)):
            self._lose("GetSessionIdleTime answered no number")
            return
        self._paths = self._paths[:1]  # this path works: keep it
        self.observed.emit(IdleReading(int(args[0]) / MS_PER_S, self._locked))


def create_idle_monitor(parent: QObject | None = None) -> IdleMonitor:
    """The best idle backend this desktop has (see the module's docstring); the fallback when none works.
    Never raises; logs at info which one it chose and why not the ones before it."""
    passed_over: list[str] = []
    try:
        monitor = _choose(parent, passed_over)
    except Exception as err:  # never let a desktop quirk stop the app from starting
        log.warning("Looking for an idle-time backend failed: %s", err, exc_info=True)
        passed_over.append(f"error: {err}")
        monitor = None
    if monitor is None:
        monitor = IdleMonitor(parent)
    log.info("Idle time: %s%s", monitor.kind, f" (not: {'; '.join(passed_over)})" if passed_over else "")
    return monitor


def _choose(parent: QObject | None, passed_over: list[str]) -> IdleMonitor | None:
    if sys.platform == "win32":
        windows = idle_native.windows_idle_reader()
        return (
            _PolledMonitor("Windows (GetLastInputInfo)", _native_reading(windows), parent)
            if windows
            else None
        )
    if sys.platform == "darwin":
        mac = idle_native.macos_idle_reader()
        return _PolledMonitor("macOS (HIDIdleTime)", _native_reading(mac), parent) if mac else None
    bus: IdleBus | None = None
    try:
        bus = IdleBus()
    except OSError as err:
        passed_over.append(f"D-Bus: {err}")
    if bus is not None and bus.has_owner(MUTTER_SERVICE):
        return MutterIdleMonitor(bus, parent)
    passed_over.append(f"{MUTTER_SERVICE} is not on the session bus")
    if idle_x11.x11_display() is None:
        passed_over.append("X11: not an X11 session")
    else:
        conn = idle_x11.shared_connection()
        if conn is not None and conn.has_screensaver():
            if bus is not None:
                bus.close()
            return _PolledMonitor("X11 (MIT-SCREEN-SAVER)", _x11_reading, parent)
        passed_over.append("X11: no X server or no MIT-SCREEN-SAVER extension")
    if bus is not None and bus.has_owner(FREEDESKTOP_SERVICE):
        return FreedesktopIdleMonitor(bus, parent)
    passed_over.append(f"{FREEDESKTOP_SERVICE} is not on the session bus")
    if bus is not None:
        bus.close()
    return None
