"""A fake idle service on the session bus ($DBUS_SESSION_BUS_ADDRESS), through libdbus: GNOME's
org.gnome.Mutter.IdleMonitor, org.freedesktop.ScreenSaver and/or org.gnome.ScreenSaver, as the real ones answer.

    python tests/platform/fake_idle_service.py MODE NAME [NAME ...]

MODE: "works" (answers as described below), "hangs" (owns the names and never reads a message, like a hung
service), "fails" (answers every call with an error). Prints "owned" once all the names are taken, then one
line per call or signal: "GetIdletime -> MS", "GetSessionIdleTime -> MS", "GetActive -> true|false",
"AddIdleWatch MS -> ID", "AddUserActiveWatch -> ID", "RemoveWatch ID", "WatchFired ID", "ActiveChanged true|false".

The fake's idle time is the real time since its last input (at start, or an "input" line). Lines it reads on
stdin: "input" (the person touched a key: user-active watches fire), "idle MS" (the last input was MS ago),
"lock" / "unlock" (ActiveChanged on each owned screen saver name), "fire ID" (WatchFired ID now). An idle watch
fires when the idle time reaches its interval, once per stretch of idleness, as Mutter's do."""

from __future__ import annotations

import ctypes
import os
import select
import sys
import time

MODES = ("works", "hangs", "fails")
MUTTER = "org.gnome.Mutter.IdleMonitor"
MUTTER_PATH = b"/org/gnome/Mutter/IdleMonitor/Core"
SCREENSAVER_PATHS = {"org.freedesktop.ScreenSaver": b"/org/freedesktop/ScreenSaver",
                     "org.gnome.ScreenSaver": b"/org/gnome/ScreenSaver"}  # fmt: skip
TICK_S = 0.01  # how often the fake looks at its idle watches


class Fake:
    def __init__(self, names: list[str]) -> None:
        lib = ctypes.CDLL("libdbus-1.so.3")
        vp, cp, i, u = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint
        for name, restype, argtypes in (
            ("dbus_connection_open_private", vp, [cp, vp]),
            ("dbus_bus_register", u, [vp, vp]),
            ("dbus_bus_request_name", i, [vp, cp, u, vp]),
            ("dbus_connection_read_write", u, [vp, i]),
            ("dbus_connection_pop_message", vp, [vp]),
            ("dbus_connection_get_unix_fd", u, [vp, ctypes.POINTER(i)]),
            ("dbus_message_is_method_call", u, [vp, cp, cp]),
            ("dbus_message_get_member", cp, [vp]),
            ("dbus_message_get_type", i, [vp]),
            ("dbus_message_new_method_return", vp, [vp]),
            ("dbus_message_new_error", vp, [vp, cp, cp]),
            ("dbus_message_new_signal", vp, [cp, cp, cp]),
            ("dbus_message_append_args", u, [vp, i, vp, i]),
            ("dbus_connection_send", u, [vp, vp, vp]),
            ("dbus_connection_flush", None, [vp]),
            ("dbus_message_unref", None, [vp]),
            ("dbus_error_init", None, [vp]),
        ):
            function = getattr(lib, name)
            function.restype, function.argtypes = restype, argtypes
        self.lib = lib
        self.conn = lib.dbus_connection_open_private(os.environ["DBUS_SESSION_BUS_ADDRESS"].encode(), None)
        assert self.conn and lib.dbus_bus_register(self.conn, None)
        for name in names:
            assert lib.dbus_bus_request_name(self.conn, name.encode(), 4, None) == 1  # do not queue
        self.names = names
        self.last_input = time.monotonic()
        self.locked = False
        self.next_id = 1
        self.idle_watches: dict[int, int] = {}  # id -> interval ms
        self.fired: set[int] = set()  # idle watches that fired in this stretch of idleness
        self.active_watches: set[int] = set()

    def idle_ms(self) -> int:
        return int((time.monotonic() - self.last_input) * 1000)

    def send(self, msg: int) -> None:
        self.lib.dbus_connection_send(self.conn, msg, None)
        self.lib.dbus_connection_flush(self.conn)
        self.lib.dbus_message_unref(msg)

    def reply(self, call: int, kind: str | None = None, value: int = 0) -> None:
        msg = self.lib.dbus_message_new_method_return(call)
        if kind is not None:
            box: ctypes.c_uint64 | ctypes.c_uint32 = (
                ctypes.c_uint64(value) if kind == "t" else ctypes.c_uint32(value)
            )
            self.lib.dbus_message_append_args(msg, ord(kind), ctypes.byref(box), 0)
        self.send(msg)

    def signal(self, path: bytes, interface: str, member: bytes, kind: str, value: int) -> None:
        msg = self.lib.dbus_message_new_signal(path, interface.encode(), member)
        box = ctypes.c_uint32(value)
        self.lib.dbus_message_append_args(msg, ord(kind), ctypes.byref(box), 0)
        self.send(msg)

    def fire(self, watch_id: int) -> None:
        print(f"WatchFired {watch_id}", flush=True)
        self.signal(MUTTER_PATH, MUTTER, b"WatchFired", "u", watch_id)

    def answer(self, call: int, mode: str) -> None:
        lib = self.lib
        member = (lib.dbus_message_get_member(call) or b"").decode()
        known = [
            name
            for name in self.names
            if lib.dbus_message_is_method_call(call, name.encode(), member.encode())
        ]
        if not known:
            return
        if mode == "fails":
            print(f"{member} -> error", flush=True)
            self.send(lib.dbus_message_new_error(call, b"org.freedesktop.DBus.Error.Failed", b"broken"))
            return
        if member in ("GetIdletime", "GetSessionIdleTime"):
            idle = self.idle_ms()
            print(f"{member} -> {idle}", flush=True)
            self.reply(call, "t" if member == "GetIdletime" else "u", idle)
        elif member == "GetActive":
            print(f"GetActive -> {str(self.locked).lower()}", flush=True)
            self.reply(call, "b", int(self.locked))
        elif member in ("AddIdleWatch", "AddUserActiveWatch"):
            watch_id, self.next_id = self.next_id, self.next_id + 1
            if member == "AddIdleWatch":
                interval = read_uint64(lib, call)
                self.idle_watches[watch_id] = interval
                print(f"AddIdleWatch {interval} -> {watch_id}", flush=True)
            else:
                self.active_watches.add(watch_id)
                print(f"AddUserActiveWatch -> {watch_id}", flush=True)
            self.reply(call, "u", watch_id)
        elif member == "RemoveWatch":
            watch_id = read_uint32(lib, call)
            self.idle_watches.pop(watch_id, None)
            self.active_watches.discard(watch_id)
            print(f"RemoveWatch {watch_id}", flush=True)
            self.reply(call)

    def command(self, line: str) -> None:
        words = line.split()
        if not words:
            return
        if words[0] == "input":
            self.last_input = time.monotonic()
            self.fired.clear()
            for watch_id in sorted(self.active_watches):
                self.fire(watch_id)
            self.active_watches.clear()
        elif words[0] == "idle":
            self.last_input = time.monotonic() - int(words[1]) / 1000
        elif words[0] in ("lock", "unlock"):
            self.locked = words[0] == "lock"
            for name in self.names:
                if name in SCREENSAVER_PATHS:
                    print(f"ActiveChanged {str(self.locked).lower()}", flush=True)
                    self.signal(SCREENSAVER_PATHS[name], name, b"ActiveChanged", "b", int(self.locked))
        elif words[0] == "fire":
            self.fire(int(words[1]))

    def run(self, mode: str) -> None:
        lib = self.lib
        fd = ctypes.c_int(-1)
        assert lib.dbus_connection_get_unix_fd(self.conn, ctypes.byref(fd))
        stdin, pending = sys.stdin.fileno(), b""
        while True:
            ready, _, _ = select.select([fd.value, stdin], [], [], TICK_S)
            if stdin in ready:  # raw reads: a buffered readline could hide a second line from select
                chunk = os.read(stdin, 4096)
                if not chunk:
                    return
                *lines, pending = (pending + chunk).split(b"\n")
                for line in lines:
                    self.command(line.decode())
            if not lib.dbus_connection_read_write(self.conn, 0):
                return
            while msg := lib.dbus_connection_pop_message(self.conn):
                if lib.dbus_message_get_type(msg) == 1:  # a method call
                    self.answer(msg, mode)
                lib.dbus_message_unref(msg)
            idle = self.idle_ms()
            for watch_id, interval in sorted(self.idle_watches.items()):
                if idle >= interval and watch_id not in self.fired:
                    self.fired.add(watch_id)
                    self.fire(watch_id)


def read_uint32(lib: ctypes.CDLL, msg: int) -> int:
    value = ctypes.c_uint32()
    get_args(lib, msg, "u", value)
    return value.value


def read_uint64(lib: ctypes.CDLL, msg: int) -> int:
    value = ctypes.c_uint64()
    get_args(lib, msg, "t", value)
    return value.value


def get_args(lib: ctypes.CDLL, msg: int, kind: str, value: ctypes.c_uint32 | ctypes.c_uint64) -> None:
    error = ctypes.create_string_buffer(64)  # a DBusError, larger than libdbus's
    lib.dbus_error_init(error)
    get = lib.dbus_message_get_args  # variadic: the message goes as a pointer, the types as ints
    get.restype = ctypes.c_uint
    get(ctypes.c_void_p(msg), error, ord(kind), ctypes.byref(value), 0)


def main() -> int:
    mode, names = sys.argv[1], sys.argv[2:]
    assert mode in MODES and names, sys.argv
    fake = Fake(names)
    print("owned", flush=True)
    if mode == "hangs":
        sys.stdin.read()  # never reads the bus again: callers wait for an answer that never comes
        return 0
    fake.run(mode)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
