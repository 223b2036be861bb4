"""A fake org.freedesktop.ScreenSaver or org.freedesktop.Notifications on the session bus
($DBUS_SESSION_BUS_ADDRESS), through libdbus.

    python tests/platform/fake_dbus_service.py MODE [NAME]

MODE: "works" (each Inhibit answers a new cookie, 4001 then 4002..., Notify answers 7, UnInhibit answers;
each call is printed as a line with what it was given: "Inhibit APP|REASON -> COOKIE", "UnInhibit COOKIE",
"Notify"), "hangs"
(owns the name and never reads a message, like a hung service), "fails" (answers every call with an
error). NAME: org.freedesktop.ScreenSaver (the default) or org.freedesktop.Notifications, which is also the
interface. Prints "owned" once the name is taken."""

from __future__ import annotations

import ctypes
import os
import sys

MODES = ("works", "hangs", "fails")


def main() -> int:
    mode = sys.argv[1]
    assert mode in MODES, mode
    lib = ctypes.CDLL("libdbus-1.so.3")
    vp, cp, i, u = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint
    for name, restype, argtypes in (
        ("dbus_connection_open_private", vp, [cp, vp]),
        ("dbus_bus_register", u, [vp, vp]),
        ("dbus_bus_request_name", i, [vp, cp, u, vp]),
        ("dbus_connection_read_write", u, [vp, i]),
        ("dbus_connection_pop_message", vp, [vp]),
        ("dbus_message_is_method_call", u, [vp, cp, cp]),
        ("dbus_message_new_method_return", vp, [vp]),
        ("dbus_message_new_error", vp, [vp, cp, cp]),
        ("dbus_message_append_args", u, [vp, i, vp, i]),
        ("dbus_connection_send", u, [vp, vp, vp]),
        ("dbus_connection_flush", None, [vp]),
        ("dbus_message_unref", None, [vp]),
        ("dbus_error_init", None, [vp]),
    ):
        function = getattr(lib, name)
        function.restype, function.argtypes = restype, argtypes
    conn = lib.dbus_connection_open_private(os.environ["DBUS_SESSION_BUS_ADDRESS"].encode(), None)
    assert conn and lib.dbus_bus_register(conn, None)
    interface = (sys.argv[2] if len(sys.argv) > 2 else "org.freedesktop.ScreenSaver").encode()
    assert lib.dbus_bus_request_name(conn, interface, 4, None) == 1  # do not queue
    print("owned", flush=True)
    cookies = iter(range(4001, 2**32))
    if mode == "hangs":
        sys.stdin.read()  # never reads the bus again: callers wait for an answer that never comes
        return 0
    while lib.dbus_connection_read_write(conn, -1):
        while msg := lib.dbus_connection_pop_message(conn):
            for method in (b"Inhibit", b"UnInhibit", b"Notify"):
                if lib.dbus_message_is_method_call(msg, interface, method):
                    cookie = ctypes.c_uint32(next(cookies) if method == b"Inhibit" else 7)
                    print(method.decode() + arguments(lib, msg, method, cookie.value), flush=True)
                    if mode == "fails":
                        reply = lib.dbus_message_new_error(
                            msg, b"org.freedesktop.DBus.Error.Failed", b"broken"
                        )
                    else:
                        reply = lib.dbus_message_new_method_return(msg)
                        if method in (b"Inhibit", b"Notify"):
                            lib.dbus_message_append_args(reply, ord("u"), ctypes.byref(cookie), 0)
                    lib.dbus_connection_send(conn, reply, None)
                    lib.dbus_connection_flush(conn)
                    lib.dbus_message_unref(reply)
            lib.dbus_message_unref(msg)
    return 0


def arguments(lib: ctypes.CDLL, msg: int, method: bytes, cookie: int) -> str:
    """What a ScreenSaver call was given, as printed: " APP|REASON -> COOKIE" or " COOKIE"; "" for Notify."""
    error = ctypes.create_string_buffer(64)  # a DBusError, larger than libdbus's
    lib.dbus_error_init(error)
    get_args = lib.dbus_message_get_args  # variadic: the message goes as a pointer, the types as ints
    get_args.restype = ctypes.c_uint
    if method == b"Inhibit":
        app, reason = ctypes.c_char_p(), ctypes.c_char_p()
        if get_args(
            ctypes.c_void_p(msg), error, ord("s"), ctypes.byref(app), ord("s"), ctypes.byref(reason), 0
        ):
            return f" {(app.value or b'').decode()}|{(reason.value or b'').decode()} -> {cookie}"
        return " (not two strings)"
    if method == b"UnInhibit":
        given = ctypes.c_uint32()
        if get_args(ctypes.c_void_p(msg), error, ord("u"), ctypes.byref(given), 0):
            return f" {given.value}"
        return " (not a uint32)"
    return ""


if __name__ == "__main__":
    raise SystemExit(main())
