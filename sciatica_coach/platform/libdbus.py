"""libdbus through ctypes, shared by the app's D-Bus clients (desktop notifications, the screen keeper, the idle
monitors): loading the library, the session bus's address, a private connection to it, and reading a message's
arguments. Standard library only; each client keeps its own connection and its own way of waiting."""

from __future__ import annotations

import ctypes
import os
from typing import Any

TYPE_STRING = ord("s")
TYPE_UINT32 = ord("u")
TYPE_UINT64 = ord("t")
TYPE_INT32 = ord("i")
TYPE_BOOLEAN = ord("b")
TYPE_ARRAY = ord("a")
MESSAGE_TYPE_METHOD_RETURN = 2
MESSAGE_TYPE_ERROR = 3
MESSAGE_TYPE_SIGNAL = 4
ITER_BYTES = 128  # sizeof(DBusMessageIter) is 72 on 64-bit; leave room
ERROR_BYTES = 64  # sizeof(DBusError) is 32 on 64-bit

Answer = list[int | str | bool]


def session_bus_address() -> str | None:
    """The desktop's session bus: $DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus; None without one."""
    address = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    if address:
        return address
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.exists(os.path.join(runtime, "bus")):
        return f"unix:path={os.path.join(runtime, 'bus')}"
    return None


def load_libdbus() -> Any | None:
    """libdbus-1 with the signatures of the functions used here; None when it is not installed."""
    lib: ctypes.CDLL | None
    try:  # by its soname on Linux; find_library runs ldconfig (slow, and memory), so only if that fails
        lib = ctypes.CDLL("libdbus-1.so.3")
    except OSError:
        from ctypes.util import find_library

        name = find_library("dbus-1")
        try:
            lib = ctypes.CDLL(name) if name else None
        except OSError:
            lib = None
    if lib is None:
        return None
    vp, cp, i, u = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint
    signatures: dict[str, tuple[Any, list[Any]]] = {
        "dbus_error_init": (None, [vp]),
        "dbus_error_free": (None, [vp]),
        "dbus_error_is_set": (u, [vp]),
        "dbus_connection_open_private": (vp, [cp, vp]),
        "dbus_bus_register": (u, [vp, vp]),
        "dbus_connection_set_exit_on_disconnect": (None, [vp, u]),
        "dbus_connection_close": (None, [vp]),
        "dbus_connection_unref": (None, [vp]),
        "dbus_connection_get_unix_fd": (u, [vp, ctypes.POINTER(i)]),
        "dbus_connection_read_write": (u, [vp, i]),
        "dbus_connection_pop_message": (vp, [vp]),
        "dbus_connection_send_with_reply_and_block": (vp, [vp, vp, i, vp]),
        "dbus_connection_flush": (None, [vp]),
        "dbus_bus_add_match": (None, [vp, cp, vp]),
        "dbus_bus_name_has_owner": (u, [vp, cp, vp]),
        "dbus_message_new_method_call": (vp, [cp, cp, cp, cp]),
        "dbus_message_unref": (None, [vp]),
        "dbus_message_set_no_reply": (None, [vp, u]),
        "dbus_message_get_type": (i, [vp]),
        "dbus_message_get_reply_serial": (u, [vp]),
        "dbus_message_get_error_name": (cp, [vp]),
        "dbus_connection_send": (u, [vp, vp, ctypes.POINTER(ctypes.c_uint32)]),
        "dbus_message_is_signal": (u, [vp, cp, cp]),
        "dbus_message_iter_init_append": (None, [vp, vp]),
        "dbus_message_iter_append_basic": (u, [vp, i, vp]),
        "dbus_message_iter_open_container": (u, [vp, i, cp, vp]),
        "dbus_message_iter_close_container": (u, [vp, vp]),
        "dbus_message_iter_init": (u, [vp, vp]),
        "dbus_message_iter_get_arg_type": (i, [vp]),
        "dbus_message_iter_get_basic": (None, [vp, vp]),
        "dbus_message_iter_next": (u, [vp]),
        "dbus_message_get_interface": (cp, [vp]),
        "dbus_message_get_member": (cp, [vp]),
    }
    try:
        for fn_name, (restype, argtypes) in signatures.items():
            fn = getattr(lib, fn_name)
            fn.restype = restype
            fn.argtypes = argtypes
    except AttributeError:
        return None
    return lib


def open_private() -> tuple[Any, int]:
    """(libdbus, a new private connection to the session bus, registered). OSError when there is no bus, no
    libdbus, or the bus refuses. The address is read each time: libdbus's own dbus_bus_get* remember the first
    one they saw. The connection never ends the process when the bus goes away."""
    address = session_bus_address()
    if address is None:
        # without an address libdbus would "autolaunch" a bus of its own; we want the desktop's or none
        raise OSError("there is no session bus")
    lib = load_libdbus()
    if lib is None:
        raise OSError("libdbus-1 is not available")
    error = ctypes.create_string_buffer(ERROR_BYTES)
    lib.dbus_error_init(error)
    conn = lib.dbus_connection_open_private(address.encode(), error)
    if not conn or lib.dbus_error_is_set(error):
        lib.dbus_error_free(error)
        raise OSError("could not connect to the session bus")
    lib.dbus_connection_set_exit_on_disconnect(conn, 0)
    if not lib.dbus_bus_register(conn, error):
        lib.dbus_error_free(error)
        lib.dbus_connection_close(conn)
        lib.dbus_connection_unref(conn)
        raise OSError("the session bus did not accept us")
    return lib, conn


def read_args(lib: Any, msg: int) -> Answer:
    """A message's arguments up to the first of a kind not read here (uint32, uint64, boolean, string)."""
    it = ctypes.create_string_buffer(ITER_BYTES)
    out: Answer = []
    if not lib.dbus_message_iter_init(msg, it):
        return out
    while True:
        kind = lib.dbus_message_iter_get_arg_type(it)
        if kind in (TYPE_UINT32, TYPE_BOOLEAN):
            number = ctypes.c_uint32()
            lib.dbus_message_iter_get_basic(it, ctypes.byref(number))
            out.append(bool(number.value) if kind == TYPE_BOOLEAN else number.value)
        elif kind == TYPE_UINT64:
            wide = ctypes.c_uint64()
            lib.dbus_message_iter_get_basic(it, ctypes.byref(wide))
            out.append(wide.value)
        elif kind == TYPE_STRING:
            text = ctypes.c_char_p()
            lib.dbus_message_iter_get_basic(it, ctypes.byref(text))
            out.append((text.value or b"").decode("utf-8", errors="replace"))
        else:
            break
        if not lib.dbus_message_iter_next(it):
            break
    return out
