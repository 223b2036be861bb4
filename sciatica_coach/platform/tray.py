"""The tray icon: a menu to start a session, see the next reminder, open the window, pause for today, pause
sitting breaks for an hour (while they are on) or quit.

Made only when the desktop has a system tray (`create_tray` returns None otherwise). When the window is
closed while the tray icon is there, the app keeps running in the tray (`keeps_app_running`); the main window
decides that and tells the person once (`explain_still_here`).

The tray knows the reminders only through `TrayReminders`, and the sitting breaks only through `TrayBreaks`,
the few things its menu needs: a platform adapter depends on nothing above it."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon, QWidget

from sciatica_coach.core.schedule import ReminderStatus
from sciatica_coach.i18n import N_, _
from sciatica_coach.platform.locale_support import clock_time

log = logging.getLogger(__name__)

TRAY_MESSAGE = N_(
    "Sciatica Coach is still here in the tray, so your reminders keep coming. "
    "Choose Quit from this icon's menu to close it completely."
)


def _clock(moment: datetime) -> str:
    """The locale's clock (8:00 AM or 08:00), as every page and notice writes a time of day."""
    return clock_time(moment)


class TrayReminders(Protocol):
    """What the tray's menu needs of the reminders (services.reminders.ReminderService has it all)."""

    status_changed: Any  # a Qt signal: the next reminder, a snooze or a pause changed
    open_requested: Any  # a Qt signal the tray emits when the person clicks the icon or "Open"

    def status(self) -> ReminderStatus: ...
    def coaching_paused(self) -> bool: ...
    def start_now(self) -> None: ...
    def pause_today(self) -> None: ...
    def resume_today(self) -> None: ...


class TrayBreaks(Protocol):
    """What the tray's menu needs of the sitting breaks (services.sitting_breaks.SittingBreakService has it)."""

    status_changed: Any  # a Qt signal: breaks switched on or off, a pause started or ended

    def breaks_on(self) -> bool: ...
    def paused(self) -> bool: ...
    def pause_for_hour(self) -> None: ...
    def resume(self) -> None: ...


class Tray(QObject):
    """The tray icon and its menu, kept in step with the reminder service's status."""

    def __init__(self, service: TrayReminders, window: QWidget | None = None, parent: QObject | None = None):
        super().__init__(parent if parent is not None else service if isinstance(service, QObject) else None)
        self._service = service
        self._window = window
        self.quitting = False
        app = QApplication.instance()
        icon = app.windowIcon() if isinstance(app, QApplication) else QIcon()
        self.icon = QSystemTrayIcon(icon, self)
        self.icon.setToolTip("Sciatica Coach")
        self.menu = QMenu()
        self.start_action = self._add(_("Start a session now"), service.start_now)
        self.next_action = self._add(_("No reminders set"), None)
        self.next_action.setEnabled(False)
        self.menu.addSeparator()
        self.open_action = self._add(_("Open Sciatica Coach"), service.open_requested.emit)
        self.pause_action = self._add(_("Pause reminders for today"), self._toggle_pause)
        self.breaks_action = self._add(_("Pause sitting breaks for an hour"), self._toggle_breaks)
        self.breaks_action.setVisible(False)  # only while sitting breaks are on (set_breaks)
        self._breaks: TrayBreaks | None = None
        self.menu.addSeparator()
        self.quit_action = self._add(_("Quit"), self.quit)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        service.status_changed.connect(self.refresh)
        self.refresh()
        self.icon.show()

    def set_window(self, window: QWidget) -> None:
        """The main window, once it exists (an app started in the background builds it when needed)."""
        self._window = window

    def set_breaks(self, breaks: TrayBreaks) -> None:
        """The sitting breaks, once they run: the menu offers an hour's pause (or Resume) while they are on."""
        if self._breaks is not None:
            self._breaks.status_changed.disconnect(self.refresh_breaks)
        self._breaks = breaks
        breaks.status_changed.connect(self.refresh_breaks)
        self.refresh_breaks()

    def refresh_breaks(self) -> None:
        breaks = self._breaks
        on = breaks is not None and breaks.breaks_on()
        self.breaks_action.setVisible(on)
        if breaks is not None and on:
            paused = breaks.paused()
            self.breaks_action.setText(
                _("Resume sitting breaks") if paused else _("Pause sitting breaks for an hour")
            )

    def _toggle_breaks(self) -> None:
        breaks = self._breaks
        if breaks is None or not breaks.breaks_on():
            return
        try:
            if breaks.paused():
                breaks.resume()
            else:
                breaks.pause_for_hour()
        except Exception:  # a menu entry must never take the app down; the menu shows what is true
            log.exception("Could not pause or resume sitting breaks")
        self.refresh_breaks()  # (the service says so too; the menu is right even if it doesn't)

    def _add(self, text: str, slot: object) -> QAction:
        action = QAction(text, self.menu)
        if callable(slot):
            action.triggered.connect(lambda _=False, fn=slot: fn())
        self.menu.addAction(action)
        return action

    def refresh(self) -> None:
        status = self._service.status()
        if status.paused_today:
            self.pause_action.setText(_("Resume reminders today"))
        else:
            self.pause_action.setText(_("Pause reminders for today"))
        if self._service.coaching_paused():  # after a red-flag answer: no reminder time to promise
            text = _("Reminders are paused for your safety")
            tip = _("Sciatica Coach — reminders are paused for your safety")
        elif status.snoozed_until is not None:
            text = _("Snoozed until {time}").format(time=_clock(status.snoozed_until))
            tip = _("Sciatica Coach — snoozed until {time}").format(time=_clock(status.snoozed_until))
        elif status.next_at is not None:
            text = _("Next reminder at {time}").format(time=_clock(status.next_at))
            tip = _("Sciatica Coach — next reminder at {time}").format(time=_clock(status.next_at))
        else:
            text = _("No reminders set")
            tip = _("Sciatica Coach — no reminders set")
        self.next_action.setText(text)
        self.icon.setToolTip(tip)

    def isVisible(self) -> bool:  # the notifier asks this
        return self.icon.isVisible()

    def keeps_app_running(self) -> bool:
        """Whether closing the window should leave the app running here: the icon shows and the person has
        not chosen Quit."""
        return not self.quitting and self.isVisible()

    def explain_still_here(self) -> None:
        """The balloon saying the app is still in the tray, shown the first time the window is closed."""
        self.showMessage(_("Still here"), _(TRAY_MESSAGE), QSystemTrayIcon.MessageIcon.Information, 10_000)

    def showMessage(self, title: str, body: str, icon: QSystemTrayIcon.MessageIcon, msecs: int) -> None:
        self.icon.showMessage(title, body, icon, msecs)

    @property
    def messageClicked(self):  # type: ignore[no-untyped-def]
        return self.icon.messageClicked

    def _toggle_pause(self) -> None:
        if self._service.status().paused_today:
            self._service.resume_today()
        else:
            self._service.pause_today()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self._service.open_requested.emit()

    def quit(self) -> None:
        """Really quit: close the window (so it saves its size) and leave the event loop."""
        self.quitting = True
        if self._window is not None:
            self._window.close()
        self.icon.hide()
        app = QApplication.instance()
        if app is not None:
            app.quit()


def create_tray(service: TrayReminders, window: QWidget | None = None) -> Tray | None:
    """A tray icon when the desktop has a tray; None otherwise (the caller then uses notifications)."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        log.info("No system tray on this desktop")
        return None
    tray = Tray(service, window)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.setQuitOnLastWindowClosed(False)  # closing the window leaves the app in the tray
    return tray
