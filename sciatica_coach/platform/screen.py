"""Keeping the screen awake during a session, where the platform allows it.

Linux desktops: org.freedesktop.ScreenSaver.Inhibit over the session bus. Windows: SetThreadExecutionState.
Elsewhere, or with no session bus, a silent no-op (the person can still tap a key to wake the screen)."""

from __future__ import annotations

import logging
import sys
from typing import Any, Protocol

log = logging.getLogger(__name__)

SCREENSAVER_SERVICE = "org.freedesktop.ScreenSaver"
SCREENSAVER_PATH = "/org/freedesktop/ScreenSaver"


class ScreenKeeper(Protocol):
    def keep_awake(self, reason: str) -> None: ...

    def release(self) -> None: ...


class NullScreenKeeper:
    def keep_awake(self, reason: str) -> None:
        pass

    def release(self) -> None:
        pass


class DBusScreenKeeper:
    def __init__(self) -> None:
        self._cookie: int | None = None

    def _iface(self) -> Any:
        from PySide6.QtDBus import QDBusConnection, QDBusInterface

        bus = QDBusConnection.sessionBus()
        if not bus.isConnected():
            return None
        iface = QDBusInterface(SCREENSAVER_SERVICE, SCREENSAVER_PATH, SCREENSAVER_SERVICE, bus)
        return iface if iface.isValid() else None

    def keep_awake(self, reason: str) -> None:
        if self._cookie is not None:
            return
        iface = self._iface()
        if iface is None:
            log.info("No screen saver service on the session bus; the screen may blank during a session")
            return
        reply = iface.call("Inhibit", "Sciatica Coach", reason)
        args = reply.arguments()
        if args:
            self._cookie = int(args[0])

    def release(self) -> None:
        if self._cookie is None:
            return
        iface = self._iface()
        if iface is not None:
            iface.call("UnInhibit", self._cookie)
        self._cookie = None


class WindowsScreenKeeper:  # pragma: no cover - Windows only
    ES_CONTINUOUS = 0x80000000
    ES_DISPLAY_REQUIRED = 0x00000002

    def keep_awake(self, reason: str) -> None:
        import ctypes

        ctypes.windll.kernel32.SetThreadExecutionState(self.ES_CONTINUOUS | self.ES_DISPLAY_REQUIRED)  # type: ignore[attr-defined]

    def release(self) -> None:
        import ctypes

        ctypes.windll.kernel32.SetThreadExecutionState(self.ES_CONTINUOUS)  # type: ignore[attr-defined]


def create_screen_keeper() -> ScreenKeeper:
    if sys.platform == "win32":
        return WindowsScreenKeeper()
    if sys.platform.startswith("linux"):
        return DBusScreenKeeper()
    return NullScreenKeeper()
