"""A private session-bus connection for the idle monitors: calls that never wait, and the signals they listen to.

libdbus through ctypes (platform/libdbus.py, shared with the notifications and the screen keeper):
`call()` sends and returns at once; the answer comes back through a QSocketNotifier on the connection's socket
(no polling) and goes to the caller's `on_reply`, or to `on_error` when it is an error or has not come within the
call's timeout. Signals matching the rules given to `listen()` come out as `signal_received`. Only the
arguments the idle services use are read and written: uint32, uint64, boolean and string."""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from sciatica_coach.platform.libdbus import (
    ITER_BYTES,
    MESSAGE_TYPE_ERROR,
    MESSAGE_TYPE_METHOD_RETURN,
    MESSAGE_TYPE_SIGNAL,
    TYPE_UINT64,
    Answer,
    open_private,
    read_args,
)

log = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.DBus"

Arg = tuple[int, int]  # (D-Bus type code, value): only numbers are ever sent
OnReply = Callable[[Answer], None]
OnError = Callable[[str], None]


class IdleBus(QObject):
    """A private connection to the session bus. Raises OSError when there is no bus or libdbus.

    `disconnected` fires once if the bus goes away; every call still waiting then gets its `on_error`."""

    signal_received = Signal(str, str, list)  # interface, member, arguments
    disconnected = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: dict[int, tuple[OnReply, OnError]] = {}
        lib, conn = open_private()
        self._lib = lib
        self._conn: int | None = conn
        fd = ctypes.c_int(-1)
        if not lib.dbus_connection_get_unix_fd(conn, ctypes.byref(fd)):
            self.close()
            raise OSError("the session bus connection has no socket")
        self._watch = QSocketNotifier(fd.value, QSocketNotifier.Type.Read, self)
        self._watch.activated.connect(self._readable)

    @property
    def connected(self) -> bool:
        return self._conn is not None

    def has_owner(self, name: str) -> bool:
        """Whether `name` is on the bus now. Asks the bus daemon itself (one quick round trip to it, never to
        the service, so a hung service cannot hold this up)."""
        if self._conn is None:
            return False
        owned = bool(self._lib.dbus_bus_name_has_owner(self._conn, name.encode(), None))
        self._drain_soon()  # the wait may have queued messages the socket watch will not see
        return owned

    def listen(self, rule: str) -> None:
        """Receive the signals matching `rule` (a D-Bus match rule). Does not wait for the bus daemon."""
        if self._conn is not None:
            self._lib.dbus_bus_add_match(self._conn, rule.encode(), None)
            self._lib.dbus_connection_flush(self._conn)
            self._drain_soon()

    def listen_for_name_lost(self, name: str) -> None:
        """NameOwnerChanged of `name` comes out as signal_received (interface org.freedesktop.DBus)."""
        self.listen(
            f"type='signal',sender='{BUS_NAME}',interface='{BUS_NAME}',member='NameOwnerChanged',arg0='{name}'"
        )

    def call(
        self,
        service: str,
        path: str,
        interface: str,
        method: str,
        args: Sequence[Arg] = (),
        *,
        timeout_ms: int,
        on_reply: OnReply | None = None,
        on_error: OnError | None = None,
    ) -> None:
        """Send a method call and return at once. Its answer goes to `on_reply` (the arguments), an error or
        no answer within `timeout_ms` to `on_error` (why). Without either callback no answer is asked for."""
        lib, conn = self._lib, self._conn
        if conn is None:
            if on_error is not None:
                QTimer.singleShot(0, self, lambda: on_error("the session bus connection is closed"))
            return
        msg = lib.dbus_message_new_method_call(
            service.encode(), path.encode(), interface.encode(), method.encode()
        )
        if not msg:
            raise OSError("out of memory")
        serial = ctypes.c_uint32(0)
        try:
            wants_answer = on_reply is not None or on_error is not None
            if not wants_answer:
                lib.dbus_message_set_no_reply(msg, 1)
            it = ctypes.create_string_buffer(ITER_BYTES)
            lib.dbus_message_iter_init_append(msg, it)
            for kind, value in args:
                number: Any = ctypes.c_uint64(value) if kind == TYPE_UINT64 else ctypes.c_uint32(value)
                lib.dbus_message_iter_append_basic(it, kind, ctypes.byref(number))
            if not lib.dbus_connection_send(conn, msg, ctypes.byref(serial)):
                raise OSError("out of memory")
            lib.dbus_connection_flush(conn)
        finally:
            lib.dbus_message_unref(msg)
        self._drain_soon()
        if not wants_answer:
            return
        self._pending[serial.value] = (on_reply or _ignore, on_error or _ignore)
        QTimer.singleShot(
            timeout_ms,
            self,
            lambda: self._fail(serial.value, f"{service} did not answer {method} within {timeout_ms} ms"),
        )

    def close(self) -> None:
        if self._conn is not None:
            if hasattr(self, "_watch"):
                self._watch.setEnabled(False)
            self._lib.dbus_connection_close(self._conn)
            self._lib.dbus_connection_unref(self._conn)
            self._conn = None

    # ---- incoming -----------------------------------------------------------------------------------------
    def _fail(self, serial: int, why: str) -> None:
        waiting = self._pending.pop(serial, None)
        if waiting is not None:
            waiting[1](why)

    def _drain_soon(self) -> None:
        QTimer.singleShot(0, self, self._drain)

    def _readable(self) -> None:
        if self._conn is None:
            return
        if not self._lib.dbus_connection_read_write(self._conn, 0):
            self._gone()
            return
        self._drain()

    def _gone(self) -> None:
        log.info("The session bus went away")
        self.close()
        for serial in list(self._pending):
            self._fail(serial, "the session bus went away")
        self.disconnected.emit()

    def _drain(self) -> None:
        lib = self._lib
        while self._conn is not None:
            msg = lib.dbus_connection_pop_message(self._conn)
            if not msg:
                return
            try:
                kind = lib.dbus_message_get_type(msg)
                if kind in (MESSAGE_TYPE_METHOD_RETURN, MESSAGE_TYPE_ERROR):
                    waiting = self._pending.pop(int(lib.dbus_message_get_reply_serial(msg)), None)
                    if waiting is None:
                        continue
                    if kind == MESSAGE_TYPE_ERROR:
                        name = (lib.dbus_message_get_error_name(msg) or b"").decode(errors="replace")
                        waiting[1](f"the call was refused: {name}")
                    else:
                        waiting[0](read_args(lib, msg))
                elif kind == MESSAGE_TYPE_SIGNAL:
                    interface = (lib.dbus_message_get_interface(msg) or b"").decode(errors="replace")
                    member = (lib.dbus_message_get_member(msg) or b"").decode(errors="replace")
                    if interface == "org.freedesktop.DBus.Local" and member == "Disconnected":
                        self._gone()
                        return
                    self.signal_received.emit(interface, member, read_args(lib, msg))
            finally:
                lib.dbus_message_unref(msg)


def _ignore(_value: object) -> None:
    pass
