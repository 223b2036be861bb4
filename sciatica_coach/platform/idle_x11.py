"""The X server's own view of the person at the keyboard: idle time and screen saver state (the
MIT-SCREEN-SAVER extension), and whether the active window is full screen (_NET_WM_STATE_FULLSCREEN).

Talks to the X server through libxcb with ctypes, on a connection of its own (one per process, opened at first
use, closed at exit). No Qt and no extra program. Why libxcb and not libXss/libX11: Xlib ends the whole
process when the X server goes away or a request fails (its default I/O and error handlers call exit), and
changing those handlers would change them for every Xlib user in the process. libxcb reports both as values.
The screen saver request is sent with xcb_send_request, exactly as libxcb-screensaver's generated code does,
so that small library (not installed on most desktops) is not needed either.

Every function here answers None/False on any failure and never raises. `query_idle()` and
`fullscreen_window_active()` are one or two round trips to the local X server (well under a millisecond)."""

from __future__ import annotations

import atexit
import ctypes
import logging
import os
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

SCREENSAVER_EXTENSION = b"MIT-SCREEN-SAVER"
SCREENSAVER_QUERY_INFO = 1  # minor opcode of ScreenSaverQueryInfo
SCREENSAVER_ON, SCREENSAVER_CYCLE = 1, 2  # reply.state: Off 0, On 1, Cycle 2, Disabled 3
XCB_REQUEST_CHECKED = 1
ATOM_NONE = 0
ANY_PROPERTY_TYPE = 0
PROPERTY_LONGS = 64  # _NET_WM_STATE holds a handful of atoms


class _Cookie(ctypes.Structure):
    _fields_ = [("sequence", ctypes.c_uint)]


class _ScreenIterator(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("rem", ctypes.c_int), ("index", ctypes.c_int)]


class _Extension(ctypes.Structure):  # xcb_extension_t
    _fields_ = [("name", ctypes.c_char_p), ("global_id", ctypes.c_int)]


class _ProtocolRequest(ctypes.Structure):  # xcb_protocol_request_t
    _fields_ = [
        ("count", ctypes.c_size_t),
        ("ext", ctypes.POINTER(_Extension)),
        ("opcode", ctypes.c_uint8),
        ("isvoid", ctypes.c_uint8),
    ]


class _IoVec(ctypes.Structure):
    _fields_ = [("iov_base", ctypes.c_void_p), ("iov_len", ctypes.c_size_t)]


class _QueryInfoRequest(ctypes.Structure):  # xcb_screensaver_query_info_request_t
    _fields_ = [
        ("major_opcode", ctypes.c_uint8),
        ("minor_opcode", ctypes.c_uint8),
        ("length", ctypes.c_uint16),
        ("drawable", ctypes.c_uint32),
    ]


class _QueryInfoReply(ctypes.Structure):  # xcb_screensaver_query_info_reply_t
    _fields_ = [
        ("response_type", ctypes.c_uint8),
        ("state", ctypes.c_uint8),
        ("sequence", ctypes.c_uint16),
        ("length", ctypes.c_uint32),
        ("saver_window", ctypes.c_uint32),
        ("ms_until_server", ctypes.c_uint32),
        ("ms_since_user_input", ctypes.c_uint32),
        ("kind", ctypes.c_uint8),
    ]


class _ExtensionReply(ctypes.Structure):  # xcb_query_extension_reply_t
    _fields_ = [
        ("response_type", ctypes.c_uint8),
        ("pad0", ctypes.c_uint8),
        ("sequence", ctypes.c_uint16),
        ("length", ctypes.c_uint32),
        ("present", ctypes.c_uint8),
        ("major_opcode", ctypes.c_uint8),
        ("first_event", ctypes.c_uint8),
        ("first_error", ctypes.c_uint8),
    ]


class _AtomReply(ctypes.Structure):  # xcb_intern_atom_reply_t
    _fields_ = [
        ("response_type", ctypes.c_uint8),
        ("pad0", ctypes.c_uint8),
        ("sequence", ctypes.c_uint16),
        ("length", ctypes.c_uint32),
        ("atom", ctypes.c_uint32),
    ]


@dataclass(frozen=True)
class XIdle:
    """One answer of the X server: milliseconds since the last input, and whether its screen saver is on."""

    idle_ms: int
    saver_on: bool


def _load_xcb() -> Any | None:
    try:
        lib = ctypes.CDLL("libxcb.so.1")
        libc = ctypes.CDLL(None)
    except OSError:
        return None
    vp, cp, i, u = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint
    signatures: dict[str, tuple[Any, list[Any]]] = {
        "xcb_connect": (vp, [cp, ctypes.POINTER(i)]),
        "xcb_connection_has_error": (i, [vp]),
        "xcb_disconnect": (None, [vp]),
        "xcb_get_setup": (vp, [vp]),
        "xcb_setup_roots_iterator": (_ScreenIterator, [vp]),
        "xcb_screen_next": (None, [ctypes.POINTER(_ScreenIterator)]),
        "xcb_get_extension_data": (ctypes.POINTER(_ExtensionReply), [vp, ctypes.POINTER(_Extension)]),
        "xcb_send_request": (u, [vp, i, ctypes.POINTER(_IoVec), ctypes.POINTER(_ProtocolRequest)]),
        "xcb_wait_for_reply": (vp, [vp, u, ctypes.POINTER(vp)]),
        "xcb_intern_atom": (_Cookie, [vp, ctypes.c_uint8, ctypes.c_uint16, cp]),
        "xcb_intern_atom_reply": (ctypes.POINTER(_AtomReply), [vp, _Cookie, ctypes.POINTER(vp)]),
        "xcb_get_property": (
            _Cookie,
            [
                vp,
                ctypes.c_uint8,
                ctypes.c_uint32,
                ctypes.c_uint32,
                ctypes.c_uint32,
                ctypes.c_uint32,
                ctypes.c_uint32,
            ],
        ),
        "xcb_get_property_reply": (vp, [vp, _Cookie, ctypes.POINTER(vp)]),
        "xcb_get_property_value": (vp, [vp]),
        "xcb_get_property_value_length": (i, [vp]),
    }
    try:
        for name, (restype, argtypes) in signatures.items():
            function = getattr(lib, name)
            function.restype, function.argtypes = restype, argtypes
        libc.free.restype, libc.free.argtypes = None, [vp]
    except AttributeError:
        return None
    setattr(lib, "free", libc.free)  # noqa: B010 - replies are malloc'd by libxcb, freed with libc's free
    return lib


class XConnection:
    """A private connection to the X server named by $DISPLAY. Raises OSError when there is none."""

    def __init__(self, display: str) -> None:
        lib = _load_xcb()
        if lib is None:
            raise OSError("libxcb is not available")
        self._lib = lib
        self.display = display
        screen = ctypes.c_int(0)
        conn = lib.xcb_connect(display.encode(), ctypes.byref(screen))
        if not conn or lib.xcb_connection_has_error(conn):
            if conn:
                lib.xcb_disconnect(conn)
            raise OSError(f"could not connect to the X server {display!r}")
        self._conn: int | None = conn
        iterator = lib.xcb_setup_roots_iterator(lib.xcb_get_setup(conn))
        for _ in range(screen.value):
            lib.xcb_screen_next(ctypes.byref(iterator))
        if not iterator.data:
            self.close()
            raise OSError("the X server has no such screen")
        self.root = ctypes.c_uint32.from_address(iterator.data).value  # xcb_screen_t starts with root
        # The extension record must outlive the connection: libxcb keeps a pointer to it
        self._saver_ext = _Extension(SCREENSAVER_EXTENSION, 0)
        self._atoms: dict[bytes, int] = {}

    @property
    def broken(self) -> bool:
        return self._conn is None or bool(self._lib.xcb_connection_has_error(self._conn))

    def close(self) -> None:
        if self._conn is not None:
            self._lib.xcb_disconnect(self._conn)
            self._conn = None

    def has_screensaver(self) -> bool:
        if self._conn is None:
            return False
        data = self._lib.xcb_get_extension_data(self._conn, ctypes.byref(self._saver_ext))
        return bool(data) and bool(data.contents.present)

    def query_idle(self) -> XIdle | None:
        """ScreenSaverQueryInfo on the root window; None on any failure."""
        lib, conn = self._lib, self._conn
        if conn is None or not self.has_screensaver():
            return None
        request = _QueryInfoRequest(0, 0, 0, self.root)
        parts = (_IoVec * 4)()
        parts[2] = _IoVec(ctypes.cast(ctypes.pointer(request), ctypes.c_void_p), ctypes.sizeof(request))
        parts[3] = _IoVec(None, 0)
        protocol = _ProtocolRequest(2, ctypes.pointer(self._saver_ext), SCREENSAVER_QUERY_INFO, 0)
        # xcb_send_request needs parts[-2] and parts[-1] to be writable for its own header: pass parts + 2
        sequence = lib.xcb_send_request(
            conn,
            XCB_REQUEST_CHECKED,
            ctypes.cast(ctypes.byref(parts, 2 * ctypes.sizeof(_IoVec)), ctypes.POINTER(_IoVec)),
            ctypes.byref(protocol),
        )
        if not sequence:
            return None
        reply = self._wait(sequence)
        if reply is None:
            return None
        try:
            info = _QueryInfoReply.from_address(reply)
            return XIdle(int(info.ms_since_user_input), info.state in (SCREENSAVER_ON, SCREENSAVER_CYCLE))
        finally:
            lib.free(reply)

    def _wait(self, sequence: int) -> int | None:
        error = ctypes.c_void_p()
        reply = self._lib.xcb_wait_for_reply(self._conn, sequence, ctypes.byref(error))
        if error.value:
            self._lib.free(error)
        return int(reply) if reply and not error.value else None

    def atom(self, name: bytes) -> int:
        """The atom of `name` (asked once, then remembered); ATOM_NONE when the server has none by that name."""
        if name not in self._atoms:
            self._intern(name)
        return self._atoms.get(name, ATOM_NONE)

    def _intern(self, *names: bytes) -> None:
        lib, conn = self._lib, self._conn
        if conn is None:
            return
        # only_if_exists=0: an atom asked for before any window manager made it is made now, so it matches
        # once one uses it (with 1 the answer would be "none" and be kept as that)
        cookies = [(name, lib.xcb_intern_atom(conn, 0, len(name), name)) for name in names]  # pipelined
        for name, cookie in cookies:
            error = ctypes.c_void_p()
            reply = lib.xcb_intern_atom_reply(conn, cookie, ctypes.byref(error))
            if error.value:
                lib.free(error)
            if reply:
                if reply.contents.atom != ATOM_NONE:
                    self._atoms[name] = int(reply.contents.atom)
                lib.free(ctypes.cast(reply, ctypes.c_void_p))

    def property_words(self, window: int, prop: bytes) -> list[int] | None:
        """A 32-bit-format property of `window` (atoms, window ids), None when it is missing or on any error
        (a window that is gone answers an error, which libxcb hands back as a value)."""
        lib, conn = self._lib, self._conn
        atom = self.atom(prop)
        if conn is None or atom == ATOM_NONE:
            return None
        cookie = lib.xcb_get_property(conn, 0, window, atom, ANY_PROPERTY_TYPE, 0, PROPERTY_LONGS)
        error = ctypes.c_void_p()
        reply = lib.xcb_get_property_reply(conn, cookie, ctypes.byref(error))
        if error.value:
            lib.free(error)
        if not reply:
            return None
        try:
            if ctypes.c_uint8.from_address(reply + 1).value != 32:  # format: a missing property has 0
                return None
            count = lib.xcb_get_property_value_length(reply) // 4
            values = ctypes.cast(lib.xcb_get_property_value(reply), ctypes.POINTER(ctypes.c_uint32))
            return [int(values[index]) for index in range(count)]
        finally:
            lib.free(reply)

    def fullscreen_window_active(self) -> bool:
        if not self._atoms:  # the three atoms in one round trip
            self._intern(b"_NET_ACTIVE_WINDOW", b"_NET_WM_STATE", b"_NET_WM_STATE_FULLSCREEN")
        active = self.property_words(self.root, b"_NET_ACTIVE_WINDOW")
        if not active or active[0] == 0:
            return False
        fullscreen = self.atom(b"_NET_WM_STATE_FULLSCREEN")
        state = self.property_words(active[0], b"_NET_WM_STATE")
        return fullscreen != ATOM_NONE and state is not None and fullscreen in state


_shared: XConnection | None = None


def x11_display() -> str | None:
    """$DISPLAY when this is an X11 session (not Wayland, where X clients see only XWayland's input)."""
    display = os.environ.get("DISPLAY")
    if not display or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("XDG_SESSION_TYPE") == "wayland":
        return None
    return display


def shared_connection() -> XConnection | None:
    """This process's X connection, opened at first use (again if $DISPLAY changed or the server went away);
    None without an X server."""
    global _shared  # noqa: PLW0603 - one connection per process, as Xlib programs keep one Display
    display = x11_display()
    if _shared is not None and (_shared.broken or _shared.display != display):
        _shared.close()
        _shared = None
    if _shared is None and display is not None:
        try:
            _shared = XConnection(display)
        except OSError as err:
            log.debug("No X connection: %s", err)
    return _shared


@atexit.register
def close_shared_connection() -> None:
    global _shared  # noqa: PLW0603
    if _shared is not None:
        _shared.close()
        _shared = None


def query_idle() -> XIdle | None:
    """The X server's idle time and screen saver state; None when not on X11, without the extension, or on
    any error."""
    try:
        conn = shared_connection()
        return conn.query_idle() if conn is not None else None
    except (OSError, ValueError, ctypes.ArgumentError) as err:  # pragma: no cover - defensive
        log.debug("X idle query failed: %s", err)
        return None


def fullscreen_window_active() -> bool:
    """The active window (_NET_ACTIVE_WINDOW of the root window) is full screen (_NET_WM_STATE holds
    _NET_WM_STATE_FULLSCREEN). False when unknown, not on X11, or on any error; never raises."""
    try:
        conn = shared_connection()
        return conn.fullscreen_window_active() if conn is not None else False
    except (OSError, ValueError, ctypes.ArgumentError) as err:  # pragma: no cover - defensive
        log.debug("Full-screen check failed: %s", err)
        return False
