"""Showing a reminder notice: one `Notifier` interface, chosen once at start for this desktop.

1. A system tray is available: a balloon from the tray icon (its menu has Start / Snooze / Pause).
2. No tray (e.g. GNOME without the AppIndicator extension) but a notification server on the session bus:
   a desktop notification (org.freedesktop.Notifications) with the actions "Start now" and "Snooze";
   the server's ActionInvoked signal comes back as `action_invoked`.
3. Neither: the window comes to the front with a banner at its top (Start now / Snooze / Not now).
4. No window either: silence (`NullNotifier`).

Why the D-Bus notifier talks to libdbus through ctypes rather than QtDBus: `Notify` takes its
`replaces_id` as a D-Bus uint32, and PySide6 cannot marshal one (a Python int goes out as int32, and
`QDBusArgument << int` as uint16; tested with PySide6 6.12), so strict servers such as dunst and GNOME Shell
(GDBus) refuse the call. Servers send ActionInvoked only to the connection that sent the notification,
so the same private libdbus connection listens for it, woken by a QSocketNotifier on its socket (no polling)."""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Callable
from datetime import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSocketNotifier, Qt, QTimer, Signal

from sciatica_coach.core.schedule import DueKind
from sciatica_coach.i18n import N_, _
from sciatica_coach.platform import libdbus
from sciatica_coach.platform.locale_support import about_minutes, clock_time

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow, QSystemTrayIcon, QWidget

    from sciatica_coach.core.schedule import Due

log = logging.getLogger(__name__)

APP_LABEL = "Sciatica Coach"
NOTIFY_SERVICE = "org.freedesktop.Notifications"
NOTIFY_PATH = "/org/freedesktop/Notifications"
NOTIFY_INTERFACE = "org.freedesktop.Notifications"
ICON_NAME = "io.github.sciatica_coach.SciaticaCoach"
# action key -> button label. "default" is clicking the notification itself (servers show no button for
# it); it starts the session like "Start now".
NOTIFICATION_ACTIONS = (("default", N_("Start now")), ("start", N_("Start now")), ("snooze", N_("Snooze")))
CALL_TIMEOUT_MS = 2000
BALLOON_MS = 30_000


NoticeWords = Callable[["Due"], tuple[str, str]]


def notice_text(
    notice: Due,
    length_s: int | None = None,
    flare: bool = False,
    keeping_habit: tuple[int, int] | None = None,
) -> tuple[str, str]:
    """The title and body a notice shows, in plain, unhurried words: the reminder's time as the person's
    locale writes it, and (given `length_s`, see `session_length_s`) how long today's session takes. During a
    flare (`flare`), an on-time notice asks only for a short, gentle session. While keeping the habit
    (`keeping_habit`: sessions done this week and the weekly aim, see core/maintenance.py) it offers the
    lighter routine, says two or three a week is the aim, and that letting this one pass is fine."""
    try:
        shown_time = clock_time(time.fromisoformat(notice.slot))
    except ValueError:
        shown_time = notice.slot
    if notice.kind is DueKind.MISSED:
        if notice.app_was_running:  # the wall clock jumped past it: a suspend, or the clock was set
            missed = _(
                "Your computer was asleep, or its clock was changed, when the {time} reminder was due. You can "
                "do the session now, a little later, or skip it today."
            )
        else:
            missed = _(
                "The {time} reminder came while Sciatica Coach wasn't running. You can do the session now, a "
                "little later, or skip it today."
            )
        return _("Your exercises are still there for today"), missed.format(time=shown_time)
    if flare:
        gentle = _("A short, gentle session at {time}, whenever you're ready.").format(time=shown_time)
        if length_s is not None:
            gentle = _("A short, gentle session at {time} — {length}, whenever you're ready.").format(
                time=shown_time, length=about_minutes(length_s)
            )
        body = (
            gentle + " " + _("Moving a little helps during a flare; stop anything that makes your leg worse.")
        )
        return _("Time for a short, gentle session"), body
    if keeping_habit is not None:
        done, aim = keeping_habit
        if length_s is None:
            offer = _("Your lighter routine at {time}, if you'd like to do it today.").format(time=shown_time)
        else:
            offer = _("Your lighter routine at {time} — {length}, if you'd like to do it today.").format(
                time=shown_time, length=about_minutes(length_s)
            )
        week = _("This week so far: {done} of {target}.").format(done=done, target=aim)
        aim_words = _("Two or three sessions a week is the aim now, so it's fine to let this one pass.")
        return _("Time for your lighter routine"), f"{offer} {week} {aim_words}"
    if length_s is None:
        body = _("Your {time} session, whenever you're ready.").format(time=shown_time)
    else:
        body = _("Your {time} session — {length}, whenever you're ready.").format(
            time=shown_time, length=about_minutes(length_s)
        )
    return _("Time for your exercises"), body


class Notifier(QObject):
    """Shows one reminder notice at a time. `action_invoked` carries "start", "snooze", "skip" or "open".

    Only the current notice ever shows: a new one replaces it, and `withdraw` takes it away once the person
    has acted on it (snoozed, started, skipped, or done the session). `words` gives a notice its title and
    body (the reminder service sets its own, which knows the session's length: see `set_words`)."""

    action_invoked = Signal(str)
    kind = "nothing"  # for the log: "tray", "desktop notifications", "window banner", "nothing"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.words: NoticeWords = notice_text

    def set_words(self, words: NoticeWords) -> None:
        self.words = words

    def notify(self, notice: Due) -> None:
        raise NotImplementedError

    def withdraw(self) -> None:
        """Take the notice away (the person acted on it elsewhere)."""


class NullNotifier(Notifier):
    """Used when there is nowhere to show a notice; silently does nothing."""

    def notify(self, notice: Due) -> None:
        log.info("No way to show a reminder here; %s passes quietly", notice.slot)


class TrayNotifier(Notifier):
    """A balloon from the tray icon; clicking it starts the session."""

    kind = "tray"

    def __init__(self, tray: Any, parent: QObject | None = None) -> None:
        """`tray` is a QSystemTrayIcon or platform.tray.Tray (anything with showMessage/messageClicked)."""
        super().__init__(parent)
        self._tray = tray
        tray.messageClicked.connect(lambda: self.action_invoked.emit("start"))

    def notify(self, notice: Due) -> None:
        from PySide6.QtWidgets import QSystemTrayIcon

        title, body = self.words(notice)
        self._tray.showMessage(
            title, f"{body}\nClick here to start.", QSystemTrayIcon.MessageIcon.Information, BALLOON_MS
        )


# --------------------------------------------------------------------------------------------------
# Desktop notifications over D-Bus (libdbus through ctypes)


class DBusNotifications(QObject):
    """A private session-bus connection for org.freedesktop.Notifications: `notify(...)` and the
    `action`/`closed` signals of notifications it sent. Raises OSError when there is no bus or no server.

    `notify` never waits for the server: its answer comes back through the socket watch as `shown(id)`, or
    `failed(reason)` when it is an error or has not come within `call_timeout_ms` (a hung server)."""

    action = Signal(int, str)  # notification id, action key
    closed = Signal(int, int)  # notification id, reason
    shown = Signal(int)  # the server's id for the notification just sent
    failed = Signal(str)  # the server refused it or did not answer in time

    def __init__(self, parent: QObject | None = None, call_timeout_ms: int = CALL_TIMEOUT_MS) -> None:
        super().__init__(parent)
        self._call_timeout_ms = call_timeout_ms
        self._waiting: set[int] = set()  # serials of Notify calls not answered yet
        lib, conn = libdbus.open_private()
        self._lib = lib
        self._conn: int | None = conn
        error = ctypes.create_string_buffer(libdbus.ERROR_BYTES)
        lib.dbus_error_init(error)
        if not lib.dbus_bus_name_has_owner(conn, NOTIFY_SERVICE.encode(), None):
            self.close()
            raise OSError("no notification server on the session bus")
        rule = f"type='signal',interface='{NOTIFY_INTERFACE}',path='{NOTIFY_PATH}'"
        lib.dbus_bus_add_match(conn, rule.encode(), error)
        if lib.dbus_error_is_set(error):
            lib.dbus_error_free(error)
            self.close()
            raise OSError("could not listen for notification actions")
        fd = ctypes.c_int(-1)
        if not lib.dbus_connection_get_unix_fd(conn, ctypes.byref(fd)):
            self.close()
            raise OSError("the session bus connection has no socket")
        self._watch = QSocketNotifier(fd.value, QSocketNotifier.Type.Read, self)
        self._watch.activated.connect(self._readable)

    def notify(
        self,
        title: str,
        body: str,
        actions: tuple[tuple[str, str], ...],
        timeout_ms: int = 0,
        replaces_id: int = 0,
    ) -> int:
        """Send a notification without waiting for the server (see `shown`/`failed`); returns 0, as its id
        is not known yet. A `replaces_id` (the server's id of one still shown) replaces that one in place.
        Raises OSError when the connection is gone."""
        lib, conn = self._lib, self._conn
        if conn is None:
            raise OSError("the notification connection is closed")
        msg = lib.dbus_message_new_method_call(
            NOTIFY_SERVICE.encode(), NOTIFY_PATH.encode(), NOTIFY_INTERFACE.encode(), b"Notify"
        )
        if not msg:
            raise OSError("out of memory")
        try:
            it = ctypes.create_string_buffer(libdbus.ITER_BYTES)
            lib.dbus_message_iter_init_append(msg, it)
            keep: list[Any] = []  # the C strings must live until the message is sent

            def string(text: str, target: Any = it) -> None:
                value = ctypes.c_char_p(text.encode("utf-8"))
                keep.append(value)
                lib.dbus_message_iter_append_basic(target, libdbus.TYPE_STRING, ctypes.byref(value))

            string(APP_LABEL)
            replaces = ctypes.c_uint32(replaces_id)
            lib.dbus_message_iter_append_basic(it, libdbus.TYPE_UINT32, ctypes.byref(replaces))
            string(ICON_NAME)
            string(title)
            string(body)
            sub = ctypes.create_string_buffer(libdbus.ITER_BYTES)
            lib.dbus_message_iter_open_container(it, libdbus.TYPE_ARRAY, b"s", sub)
            for key, label in actions:
                string(key, sub)
                string(label, sub)
            lib.dbus_message_iter_close_container(it, sub)
            hints = ctypes.create_string_buffer(libdbus.ITER_BYTES)
            lib.dbus_message_iter_open_container(it, libdbus.TYPE_ARRAY, b"{sv}", hints)
            lib.dbus_message_iter_close_container(it, hints)
            timeout = ctypes.c_int32(timeout_ms)
            lib.dbus_message_iter_append_basic(it, libdbus.TYPE_INT32, ctypes.byref(timeout))
            serial = ctypes.c_uint32(0)
            if not lib.dbus_connection_send(conn, msg, ctypes.byref(serial)):
                raise OSError("out of memory")
            lib.dbus_connection_flush(conn)
        finally:
            lib.dbus_message_unref(msg)
        self._waiting.add(serial.value)
        QTimer.singleShot(self._call_timeout_ms, self, lambda: self._expire(serial.value))
        return 0

    def close_notification(self, notification_id: int) -> None:
        """Ask the server to take notification `notification_id` away (CloseNotification), without waiting:
        no answer is asked for, so a hung server cannot hold us. Raises OSError when the connection is gone."""
        lib, conn = self._lib, self._conn
        if conn is None:
            raise OSError("the notification connection is closed")
        msg = lib.dbus_message_new_method_call(
            NOTIFY_SERVICE.encode(), NOTIFY_PATH.encode(), NOTIFY_INTERFACE.encode(), b"CloseNotification"
        )
        if not msg:
            raise OSError("out of memory")
        try:
            lib.dbus_message_set_no_reply(msg, 1)
            it = ctypes.create_string_buffer(libdbus.ITER_BYTES)
            lib.dbus_message_iter_init_append(msg, it)
            number = ctypes.c_uint32(notification_id)
            lib.dbus_message_iter_append_basic(it, libdbus.TYPE_UINT32, ctypes.byref(number))
            if not lib.dbus_connection_send(conn, msg, None):
                raise OSError("out of memory")
            lib.dbus_connection_flush(conn)
        finally:
            lib.dbus_message_unref(msg)

    def _expire(self, serial: int) -> None:
        if serial in self._waiting:
            self._waiting.discard(serial)
            self.failed.emit(f"the notification server did not answer within {self._call_timeout_ms} ms")

    def close(self) -> None:
        if self._conn is not None:
            if hasattr(self, "_watch"):
                self._watch.setEnabled(False)
            self._lib.dbus_connection_close(self._conn)
            self._lib.dbus_connection_unref(self._conn)
            self._conn = None

    def _readable(self) -> None:
        if self._conn is None:
            return
        if not self._lib.dbus_connection_read_write(self._conn, 0):
            log.info("The session bus went away; desktop notifications stop")
            self.close()
            return
        self._drain()

    def _drain(self) -> None:
        lib, conn = self._lib, self._conn
        while conn is not None:
            msg = lib.dbus_connection_pop_message(conn)
            if not msg:
                return
            try:
                kind = lib.dbus_message_get_type(msg)
                if kind in (libdbus.MESSAGE_TYPE_METHOD_RETURN, libdbus.MESSAGE_TYPE_ERROR):
                    self._answered(msg, kind)
                    continue
                if kind != libdbus.MESSAGE_TYPE_SIGNAL:
                    continue
                if lib.dbus_message_is_signal(msg, NOTIFY_INTERFACE.encode(), b"ActionInvoked"):
                    args = self._read_args(msg)
                    if len(args) >= 2:
                        self.action.emit(int(args[0]), str(args[1]))
                elif lib.dbus_message_is_signal(msg, NOTIFY_INTERFACE.encode(), b"NotificationClosed"):
                    args = self._read_args(msg)
                    if len(args) >= 2:
                        self.closed.emit(int(args[0]), int(args[1]))
            finally:
                lib.dbus_message_unref(msg)

    def _answered(self, msg: int, kind: int) -> None:
        serial = int(self._lib.dbus_message_get_reply_serial(msg))
        if serial not in self._waiting:
            return
        self._waiting.discard(serial)
        if kind == libdbus.MESSAGE_TYPE_ERROR:
            name = (self._lib.dbus_message_get_error_name(msg) or b"").decode(errors="replace")
            self.failed.emit(f"the notification was refused: {name}")
            return
        args = self._read_args(msg)
        self.shown.emit(int(args[0]) if args and isinstance(args[0], int) else 0)

    def _read_args(self, msg: int) -> libdbus.Answer:
        return libdbus.read_args(self._lib, msg)


class DBusNotifier(Notifier):
    """Desktop notifications with "Start now" and "Snooze" buttons.

    Only the current notice shows: a new notice replaces the one still on screen (Notify with its id as
    `replaces_id`), and `withdraw` takes it away (CloseNotification), also when its id comes back only
    after the withdrawal. Nothing here waits for the server.

    A server that refuses a notice or does not answer in time is logged once and not used again this run;
    that notice, and every later one, goes to `fallback` (the window banner) when there is one."""

    kind = "desktop notifications"

    def __init__(
        self,
        channel: DBusNotifications | None = None,
        parent: QObject | None = None,
        fallback: Notifier | None = None,
    ) -> None:
        super().__init__(parent)
        self.channel = channel or DBusNotifications(self)
        self.channel.action.connect(self._on_action)
        self.channel.closed.connect(self._on_closed)
        self.channel.shown.connect(self._on_shown)
        self.channel.failed.connect(self._on_failed)
        self.current_id: int | None = None  # the server's id of the notice on screen
        # One entry per Notify sent and not answered yet, oldest first (one server answers in order):
        # False once withdrawn, so that notice is closed as soon as its id is known.
        self._in_flight: list[bool] = []
        self.off = False  # the server failed us: the fallback shows the notices for the rest of the run
        self.fallback = fallback
        if fallback is not None:
            fallback.setParent(self)
            fallback.action_invoked.connect(self.action_invoked.emit)
        self._last: Due | None = None

    def set_words(self, words: NoticeWords) -> None:
        super().set_words(words)
        if self.fallback is not None:
            self.fallback.set_words(words)

    def notify(self, notice: Due) -> None:
        self._last = notice
        if self.off:
            if self.fallback is not None:
                self.fallback.notify(notice)
            return
        title, body = self.words(notice)
        try:
            actions = tuple((key, _(text)) for key, text in NOTIFICATION_ACTIONS)
            returned = self.channel.notify(title, body, actions, replaces_id=self.current_id or 0)
        except OSError as err:
            log.warning("Could not show a desktop notification: %s", err)
            return
        self._in_flight.append(True)
        if returned:  # a channel that knows the id at once (DBusNotifications tells it later, as `shown`)
            self._on_shown(returned)

    def withdraw(self) -> None:
        self._last = None
        if self.fallback is not None:
            self.fallback.withdraw()
        self._in_flight = [False] * len(self._in_flight)
        if self.current_id is not None:
            self._close(self.current_id)
            self.current_id = None

    def _close(self, notification_id: int) -> None:
        try:
            self.channel.close_notification(notification_id)
        except OSError as err:
            log.info("Could not take a desktop notification away: %s", err)

    def _on_shown(self, notification_id: int) -> None:
        wanted = self._in_flight.pop(0) if self._in_flight else True
        if not notification_id:
            return
        if not wanted:  # withdrawn before the server told us its id
            self._close(notification_id)
            return
        if self.current_id is not None and self.current_id != notification_id:
            self._close(self.current_id)  # a server that did not replace it in place: the old one goes
        self.current_id = notification_id

    def _on_failed(self, reason: str) -> None:
        if self._in_flight:
            self._in_flight.pop(0)
        if self.off:
            return
        self.off = True
        log.warning("Desktop notifications are off for this run: %s", reason)
        if self.fallback is not None and self._last is not None:
            self.fallback.notify(self._last)

    def _on_action(self, notification_id: int, key: str) -> None:
        if notification_id != self.current_id:
            return
        # current_id stays: the service's answer withdraws the notice, closing it on servers that keep it
        self.action_invoked.emit("start" if key == "default" else key)

    def _on_closed(self, notification_id: int, _reason: int) -> None:
        if notification_id == self.current_id:
            self.current_id = None


# --------------------------------------------------------------------------------------------------
# The window banner


class WindowNotifier(Notifier):
    """Brings the window to the front with a banner across its top."""

    kind = "window banner"

    def __init__(self, window: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self.banner: QWidget | None = None
        self._text: Any = None
        self._bar: Any = None

    def notify(self, notice: Due) -> None:
        title, body = self.words(notice)
        self._ensure_banner()
        assert self._text is not None
        self._text.setText(f"<b>{title}</b><br>{body}")
        if self._bar is not None:
            self._bar.setVisible(True)
        bring = getattr(self._window, "bring_to_front", None)
        if callable(bring):
            bring()
        else:
            self._window.show()
            self._window.raise_()
            self._window.activateWindow()

    def withdraw(self) -> None:
        if self._bar is not None:
            self._bar.setVisible(False)

    def _choose(self, action: str) -> None:
        self.withdraw()
        self.action_invoked.emit(action)

    def _ensure_banner(self) -> None:
        if self.banner is not None:
            return
        from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMainWindow, QPushButton, QToolBar

        frame = QFrame()
        frame.setProperty("role", "banner")
        frame.setAccessibleName(_("Reminder"))
        row = QHBoxLayout(frame)
        row.setContentsMargins(16, 10, 16, 10)
        text = QLabel()
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        row.addWidget(text, 1)
        for key, english in (("start", N_("Start now")), ("snooze", N_("Snooze")), ("skip", N_("Not now"))):
            label = _(english)
            button = QPushButton(label)
            button.setAccessibleName(label)
            if key == "start":
                button.setProperty("role", "primary")
            button.clicked.connect(lambda _=False, k=key: self._choose(k))
            row.addWidget(button)
        self.banner, self._text = frame, text
        if isinstance(self._window, QMainWindow):
            bar = QToolBar(_("Reminder"))
            bar.setObjectName("ReminderBanner")
            bar.setMovable(False)
            bar.setFloatable(False)
            bar.toggleViewAction().setEnabled(False)
            bar.addWidget(frame)
            window: QMainWindow = self._window
            window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
            self._bar = bar
        else:
            frame.setParent(self._window)
            self._bar = frame


def create_notifier(
    *,
    tray: QSystemTrayIcon | Any | None = None,
    window: QWidget | QMainWindow | None = None,
    use_dbus: bool | None = None,
) -> Notifier:
    """The best notifier for this desktop, chosen once: tray, desktop notifications, window banner, none.

    `use_dbus=False` skips the D-Bus probe (tests); None means "try it on Linux"."""
    if tray is not None and tray.isVisible():
        return TrayNotifier(tray)
    if use_dbus is None:
        use_dbus = os.name == "posix" and os.uname().sysname != "Darwin"
    if use_dbus:
        try:
            return DBusNotifier(fallback=WindowNotifier(window) if window is not None else None)
        except OSError as err:
            log.info("No desktop notifications (%s)", err)
    if window is not None:
        return WindowNotifier(window)
    return NullNotifier()
