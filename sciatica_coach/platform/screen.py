"""Keeping the screen awake during a session, where the platform allows it.

Linux desktops: org.freedesktop.ScreenSaver.Inhibit over the session bus, from a background thread so that
a service that never answers costs the window nothing. Windows: SetThreadExecutionState. Elsewhere, or with
no session bus or no service, a silent no-op (the person can still tap a key to wake the screen)."""

from __future__ import annotations

import ctypes
import logging
import sys
import threading
from typing import Any, Protocol

log = logging.getLogger(__name__)

SCREENSAVER_SERVICE = "org.freedesktop.ScreenSaver"
SCREENSAVER_PATH = "/org/freedesktop/ScreenSaver"
CALL_TIMEOUT_MS = 5000


class ScreenKeeper(Protocol):
    def keep_awake(self, reason: str) -> None: ...

    def release(self) -> None: ...


class NullScreenKeeper:
    def keep_awake(self, reason: str) -> None:
        pass

    def release(self) -> None:
        pass


class DBusScreenKeeper:
    """org.freedesktop.ScreenSaver.Inhibit from a background thread, over a private session-bus connection
    (libdbus through ctypes, which lets go of Python's lock while it waits). `keep_awake` and `release` only
    say what is wanted and return: a screen saver service that never answers costs the window nothing. A call
    that gets no answer within `timeout_ms`, or no service at all, is logged once and the keeper is off for
    the run (the screen may then blank; a key press wakes it)."""

    def __init__(self, timeout_ms: int = CALL_TIMEOUT_MS) -> None:
        self._timeout_ms = timeout_ms
        self._cond = threading.Condition()
        self._wanted: str | None = None  # the reason, while the screen should stay awake
        self._cookie: int | None = None
        self.failure: str | None = None  # why the keeper is off for the run (for the log and tests)
        self.busy = False  # a call is on its way (tests wait for this to settle)
        self._thread: threading.Thread | None = None

    def keep_awake(self, reason: str) -> None:
        self._want(reason)

    def release(self) -> None:
        self._want(None)

    @property
    def inhibited(self) -> bool:
        return self._cookie is not None

    def _want(self, reason: str | None) -> None:
        with self._cond:
            if self.failure is not None:
                return
            self._wanted = reason
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="screen-keeper", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _run(self) -> None:
        bus = None
        try:
            bus = _PrivateBus()
            while True:
                with self._cond:
                    while (self._wanted is not None) == (self._cookie is not None):
                        self.busy = False
                        self._cond.notify_all()
                        self._cond.wait()
                    self.busy = True
                    wanted, cookie = self._wanted, self._cookie
                if wanted is not None:
                    got = bus.call("Inhibit", ["Sciatica Coach", wanted], self._timeout_ms)
                    with self._cond:
                        self._cookie = int(got[0]) if got and isinstance(got[0], int) else 0
                elif cookie is not None:
                    bus.call("UnInhibit", [_Uint32(cookie)], self._timeout_ms)
                    with self._cond:
                        self._cookie = None
        except OSError as err:
            with self._cond:
                self.failure = str(err)
                self.busy = False
                self._cond.notify_all()
            log.info("The screen may blank during a session: %s", err)
        finally:
            if bus is not None:
                bus.close()


class _Uint32(int):
    """An argument sent as a D-Bus uint32 (the cookie)."""


class _PrivateBus:
    """A private, blocking session-bus connection (only ever used from the keeper's thread)."""

    def __init__(self) -> None:
        from sciatica_coach.platform import libdbus

        self._dbus = libdbus
        self._lib, conn = libdbus.open_private()
        self._conn: int | None = conn

    def call(self, method: str, args: list[str | int], timeout_ms: int) -> list[int | str]:
        """Call a ScreenSaver method and wait for its answer; OSError when there is none or it is an error."""
        lib, conn, dbus = self._lib, self._conn, self._dbus
        msg = lib.dbus_message_new_method_call(
            SCREENSAVER_SERVICE.encode(),
            SCREENSAVER_PATH.encode(),
            SCREENSAVER_SERVICE.encode(),
            method.encode(),
        )
        if not msg or conn is None:
            raise OSError("out of memory")
        error = ctypes.create_string_buffer(dbus.ERROR_BYTES)
        lib.dbus_error_init(error)
        try:
            it = ctypes.create_string_buffer(dbus.ITER_BYTES)
            lib.dbus_message_iter_init_append(msg, it)
            keep: list[Any] = []
            for arg in args:
                if isinstance(arg, _Uint32):
                    number = ctypes.c_uint32(arg)
                    keep.append(number)
                    lib.dbus_message_iter_append_basic(it, dbus.TYPE_UINT32, ctypes.byref(number))
                else:
                    text = ctypes.c_char_p(str(arg).encode("utf-8"))
                    keep.append(text)
                    lib.dbus_message_iter_append_basic(it, dbus.TYPE_STRING, ctypes.byref(text))
            reply = lib.dbus_connection_send_with_reply_and_block(conn, msg, timeout_ms, error)
        finally:
            lib.dbus_message_unref(msg)
        if not reply or lib.dbus_error_is_set(error):
            name = ctypes.c_char_p.from_buffer(error, 0).value or b""  # DBusError.name
            lib.dbus_error_free(error)
            if name.endswith(b"NoReply") or name.endswith(b"Timeout"):
                raise OSError(f"the screen saver service did not answer within {timeout_ms} ms")
            raise OSError(f"no screen saver service answered {method} ({name.decode(errors='replace')})")
        try:
            return [
                arg for arg in dbus.read_args(lib, reply)[:1] if isinstance(arg, int)
            ]  # the cookie, if any
        finally:
            lib.dbus_message_unref(reply)

    def close(self) -> None:
        if self._conn is not None:
            self._lib.dbus_connection_close(self._conn)
            self._lib.dbus_connection_unref(self._conn)
            self._conn = None


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
