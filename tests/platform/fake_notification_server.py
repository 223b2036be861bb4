"""A fake org.freedesktop.Notifications server that keeps ids, run inside its own session bus:

    dbus-run-session -- python tests/platform/fake_notification_server.py MODE

It prints "owned ADDRESS" once it holds the name, then one line per call: "Notify replaces=R id=I" and
"CloseNotification id=I". A line "action ID KEY" on its stdin sends ActionInvoked(ID, KEY).
MODE: "works" (Notify answers with `replaces_id`, or a new id counting from 1; CloseNotification answers
if asked and sends NotificationClosed(id, 3)), "hangs" (holds the name and never reads the bus, like a
hung server), "fails" (answers every call with an error)."""

from __future__ import annotations

import ctypes
import os
import select
import sys

NAME = b"org.freedesktop.Notifications"
PATH = b"/org/freedesktop/Notifications"
ITER_BYTES = 128


def main() -> int:
    mode = sys.argv[1]
    assert mode in ("works", "hangs", "fails"), mode
    lib = ctypes.CDLL("libdbus-1.so.3")
    vp, cp, i, u = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint
    for name, restype, argtypes in (
        ("dbus_connection_open_private", vp, [cp, vp]),
        ("dbus_bus_register", u, [vp, vp]),
        ("dbus_bus_request_name", i, [vp, cp, u, vp]),
        ("dbus_connection_read_write", u, [vp, i]),
        ("dbus_connection_get_unix_fd", u, [vp, ctypes.POINTER(i)]),
        ("dbus_connection_pop_message", vp, [vp]),
        ("dbus_message_is_method_call", u, [vp, cp, cp]),
        ("dbus_message_get_no_reply", u, [vp]),
        ("dbus_message_new_method_return", vp, [vp]),
        ("dbus_message_new_error", vp, [vp, cp, cp]),
        ("dbus_message_new_signal", vp, [cp, cp, cp]),
        ("dbus_message_iter_init", u, [vp, vp]),
        ("dbus_message_iter_next", u, [vp]),
        ("dbus_message_iter_get_arg_type", i, [vp]),
        ("dbus_message_iter_get_basic", None, [vp, vp]),
        ("dbus_message_iter_init_append", None, [vp, vp]),
        ("dbus_message_iter_append_basic", u, [vp, i, vp]),
        ("dbus_connection_send", u, [vp, vp, vp]),
        ("dbus_connection_flush", None, [vp]),
        ("dbus_message_unref", None, [vp]),
    ):
        function = getattr(lib, name)
        function.restype, function.argtypes = restype, argtypes
    address = os.environ["DBUS_SESSION_BUS_ADDRESS"]
    conn = lib.dbus_connection_open_private(address.encode(), None)
    assert conn and lib.dbus_bus_register(conn, None)
    assert lib.dbus_bus_request_name(conn, NAME, 4, None) == 1  # do not queue
    print("owned", address, flush=True)
    if mode == "hangs":
        sys.stdin.read()  # never reads the bus again: callers wait for an answer that never comes
        return 0

    def uint_arg(msg: int, index: int) -> int:
        it = ctypes.create_string_buffer(ITER_BYTES)
        lib.dbus_message_iter_init(msg, it)
        for _ in range(index):
            lib.dbus_message_iter_next(it)
        assert lib.dbus_message_iter_get_arg_type(it) == ord("u")
        value = ctypes.c_uint32()
        lib.dbus_message_iter_get_basic(it, ctypes.byref(value))
        return value.value

    def send(msg: int, *args: int | str) -> None:
        it = ctypes.create_string_buffer(ITER_BYTES)
        lib.dbus_message_iter_init_append(msg, it)
        keep = []
        for arg in args:
            value: ctypes.c_uint32 | ctypes.c_char_p
            if isinstance(arg, int):
                value = ctypes.c_uint32(arg)
                lib.dbus_message_iter_append_basic(it, ord("u"), ctypes.byref(value))
            else:
                value = ctypes.c_char_p(arg.encode())
                lib.dbus_message_iter_append_basic(it, ord("s"), ctypes.byref(value))
            keep.append(value)
        lib.dbus_connection_send(conn, msg, None)
        lib.dbus_connection_flush(conn)
        lib.dbus_message_unref(msg)

    last_id = 0
    fd = ctypes.c_int(-1)
    lib.dbus_connection_get_unix_fd(conn, ctypes.byref(fd))
    while True:
        ready, _, _ = select.select([sys.stdin, fd.value], [], [], 0.05)
        if sys.stdin in ready:
            line = sys.stdin.readline()
            if not line:
                return 0
            _word, number, key = line.split()
            signal = lib.dbus_message_new_signal(PATH, NAME, b"ActionInvoked")
            send(signal, int(number), key)
        if not lib.dbus_connection_read_write(conn, 0):
            return 0
        while msg := lib.dbus_connection_pop_message(conn):
            for method in (b"Notify", b"CloseNotification"):
                if not lib.dbus_message_is_method_call(msg, NAME, method):
                    continue
                if mode == "fails":
                    print(method.decode(), "refused", flush=True)
                    send(lib.dbus_message_new_error(msg, b"org.freedesktop.DBus.Error.Failed", b"broken"))
                elif method == b"Notify":
                    replaces = uint_arg(msg, 1)
                    if not replaces:
                        last_id += 1
                    shown = replaces or last_id
                    print(f"Notify replaces={replaces} id={shown}", flush=True)
                    send(lib.dbus_message_new_method_return(msg), shown)
                else:
                    closed = uint_arg(msg, 0)
                    print(f"CloseNotification id={closed}", flush=True)
                    if not lib.dbus_message_get_no_reply(msg):
                        send(lib.dbus_message_new_method_return(msg))
                    send(lib.dbus_message_new_signal(PATH, NAME, b"NotificationClosed"), closed, 3)
            lib.dbus_message_unref(msg)


if __name__ == "__main__":
    raise SystemExit(main())
