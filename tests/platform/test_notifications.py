"""Choosing and using the notifier without a real desktop: the window banner, the D-Bus notifier's action
handling with a stand-in channel, the tray balloon with a stand-in tray, and install_reminders wiring."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow, QPushButton
from pytestqt.qtbot import QtBot

from sciatica_coach.core.schedule import Due, DueKind
from sciatica_coach.platform import notifications
from sciatica_coach.platform.locale_support import clock_time
from sciatica_coach.platform.notifications import (
    NOTIFICATION_ACTIONS,
    DBusNotifier,
    NullNotifier,
    TrayNotifier,
    WindowNotifier,
    create_notifier,
)

BERLIN = ZoneInfo("Europe/Berlin")
NOTICE = Due("08:00", date(2026, 3, 2), datetime(2026, 3, 2, 8, 0, tzinfo=BERLIN), DueKind.ON_TIME)
MISSED = Due("08:00", date(2026, 3, 2), datetime(2026, 3, 2, 8, 0, tzinfo=BERLIN), DueKind.MISSED)


class FakeChannel(QObject):
    action = Signal(int, str)
    closed = Signal(int, int)
    shown = Signal(int)
    failed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, str, tuple[tuple[str, str], ...]]] = []
        self.replaced: list[int] = []
        self.closed_ids: list[int] = []
        self.fail = False

    def notify(
        self,
        title: str,
        body: str,
        actions: tuple[tuple[str, str], ...],
        timeout_ms: int = 0,
        replaces_id: int = 0,
    ) -> int:
        if self.fail:
            raise OSError("server gone")
        self.sent.append((title, body, actions))
        self.replaced.append(replaces_id)
        return replaces_id or len(self.sent)

    def close_notification(self, notification_id: int) -> None:
        self.closed_ids.append(notification_id)


def test_dbus_notifier_sends_actions_and_maps_them() -> None:
    channel = FakeChannel()
    notifier = DBusNotifier(channel)  # type: ignore[arg-type]
    got: list[str] = []
    notifier.action_invoked.connect(got.append)
    notifier.notify(NOTICE)
    title, body, actions = channel.sent[0]
    assert title == "Time for your exercises"
    assert "8:00" in body and "minute" not in body  # no length without a reminder service to know it
    assert ("start", "Start now") in actions and ("snooze", "Snooze") in actions
    channel.action.emit(99, "start")  # another notification: ignored
    assert got == []
    channel.action.emit(1, "snooze")
    assert got == ["snooze"]
    notifier.withdraw()
    notifier.notify(NOTICE)
    channel.action.emit(2, "default")  # clicking the notification itself
    assert got == ["snooze", "start"]


def test_dbus_notifier_survives_a_vanished_server(caplog: pytest.LogCaptureFixture) -> None:
    channel = FakeChannel()
    channel.fail = True
    notifier = DBusNotifier(channel)  # type: ignore[arg-type]
    notifier.notify(NOTICE)
    assert "Could not show a desktop notification" in caplog.text


def test_missed_notice_words_are_kind() -> None:
    channel = FakeChannel()
    DBusNotifier(channel).notify(MISSED)  # type: ignore[arg-type]
    title, body, _ = channel.sent[0]
    words = (title + body).lower()
    assert "missed" not in words and "!" not in words
    assert "skip it today" in body


def test_window_banner_raises_the_window_and_offers_three_choices(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    notifier = WindowNotifier(window)
    got: list[str] = []
    notifier.action_invoked.connect(got.append)
    notifier.notify(NOTICE)
    assert window.isVisible()
    assert notifier.banner is not None
    buttons = {b.text(): b for b in notifier.banner.findChildren(QPushButton)}
    assert set(buttons) == {"Start now", "Snooze", "Not now"}
    buttons["Snooze"].click()
    assert got == ["snooze"]
    assert not notifier.banner.isVisibleTo(window)
    notifier.notify(NOTICE)
    assert notifier.banner.isVisibleTo(window)
    buttons["Start now"].click()
    assert got == ["snooze", "start"]


class FakeTray(QObject):
    messageClicked = Signal()  # noqa: N815 - the name QSystemTrayIcon uses

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[tuple[str, str]] = []

    def isVisible(self) -> bool:
        return True

    def showMessage(self, title: str, body: str, *_args: object) -> None:
        self.messages.append((title, body))


def test_tray_is_preferred_and_its_balloon_starts_a_session() -> None:
    tray = FakeTray()
    notifier = create_notifier(tray=tray, window=None, use_dbus=True)
    assert isinstance(notifier, TrayNotifier)
    got: list[str] = []
    notifier.action_invoked.connect(got.append)
    notifier.notify(NOTICE)
    assert tray.messages[0][0] == "Time for your exercises"
    tray.messageClicked.emit()
    assert got == ["start"]


def test_choice_without_tray(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    assert isinstance(create_notifier(window=window, use_dbus=False), WindowNotifier)
    assert isinstance(create_notifier(use_dbus=False), NullNotifier)

    def no_bus(*_a: object, **_k: object) -> None:
        raise OSError("no session bus")

    monkeypatch.setattr(notifications, "DBusNotifications", no_bus)
    assert isinstance(create_notifier(window=window, use_dbus=True), WindowNotifier)
    channel = FakeChannel()
    monkeypatch.setattr(notifications, "DBusNotifications", lambda *_a: channel)
    assert isinstance(create_notifier(window=window, use_dbus=True), DBusNotifier)


def test_no_session_bus_is_a_quiet_oserror(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    with pytest.raises(OSError):
        notifications.DBusNotifications()


def test_actions_include_start_and_snooze() -> None:
    keys = [key for key, _ in NOTIFICATION_ACTIONS]
    assert "start" in keys and "snooze" in keys


def test_install_reminders_wires_notices_to_the_window(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sciatica_coach.app import install_reminders
    from sciatica_coach.platform import tray as tray_module
    from sciatica_coach.storage.repository import Repository
    from sciatica_coach.views.context import AppContext
    from tests.helpers import FakeClock

    monkeypatch.setattr(tray_module, "create_tray", lambda *_a: None)
    monkeypatch.setattr(notifications, "DBusNotifications", lambda *_a: (_ for _ in ()).throw(OSError("no")))
    clock = FakeClock(datetime(2026, 3, 2, 7, 59, 30, tzinfo=BERLIN))
    ctx = AppContext(Repository.open(data_dir), clock=clock)
    window = QMainWindow()
    qtbot.addWidget(window)
    started: list[bool] = []
    ctx.start_session_requested.connect(lambda: started.append(True))
    service = install_reminders(window, ctx)
    assert ctx.reminders is service
    assert isinstance(service.notifier, WindowNotifier)
    clock.advance(60)
    service.check()
    assert window.isVisible() and service.pending is not None
    service.notifier.action_invoked.emit("start")
    assert started == [True] and service.pending is None
    service.stop()


# the offscreen platform has no tray; showing the icon there only logs that
@pytest.mark.qt_log_ignore(
    "QObject::connect: No such signal QPlatformNativeInterface::systemTrayWindowChanged.*"
)
def test_tray_menu_follows_the_service_and_close_keeps_the_app(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QIcon, QPixmap

    from sciatica_coach.platform.tray import TRAY_MESSAGE, Tray
    from sciatica_coach.services.reminders import ReminderService
    from sciatica_coach.storage.repository import Repository
    from sciatica_coach.views.context import AppContext
    from sciatica_coach.views.main_window import MainWindow
    from tests.helpers import FakeClock, fake_services
    from tests.test_reminders_service import FakeTimer

    pixmap = QPixmap(16, 16)
    pixmap.fill()
    monkeypatch.setattr("PySide6.QtWidgets.QApplication.windowIcon", lambda *_a: QIcon(pixmap))
    clock = FakeClock(datetime(2026, 3, 2, 7, 0, tzinfo=BERLIN))
    ctx = AppContext(Repository.open(data_dir), clock=clock, services=fake_services())
    service = ReminderService(ctx.repo, clock, timer_factory=FakeTimer, parent=ctx)
    service.start()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    tray = Tray(service, window)
    assert tray.next_action.text() == f"Next reminder at {clock_time(time(8, 0))}"
    tray.pause_action.trigger()
    assert service.status().paused_today
    assert tray.pause_action.text() == "Resume reminders today"
    assert tray.next_action.text() == f"Next reminder at {clock_time(time(8, 0))}"  # tomorrow's
    tray.pause_action.trigger()
    assert tray.pause_action.text() == "Pause reminders for today"
    started: list[bool] = []
    service.start_requested.connect(lambda: started.append(True))
    tray.start_action.trigger()
    assert started == [True]

    # closing the window: kept in the tray, told once
    service.tray = tray
    ctx.reminders = service
    messages: list[str] = []
    monkeypatch.setattr(tray, "showMessage", lambda title, body, *_a: messages.append(body))
    monkeypatch.setattr(tray, "isVisible", lambda: True)
    window.show()
    assert not window.close()  # the close is refused: the window hides, the app runs on
    assert not window.isVisible()
    assert ctx.repo.setting("told_about_tray") is True and messages == [TRAY_MESSAGE]
    window.show()
    assert not window.close() and not window.isVisible()
    assert len(messages) == 1  # told once
    window.show()
    tray.quitting = True  # Quit from the tray's menu: the window really closes
    assert window.close()
    tray.icon.hide()
    service.stop()


def test_close_without_a_tray_closes(qtbot: QtBot, data_dir: Path) -> None:
    from sciatica_coach.storage.repository import Repository
    from sciatica_coach.views.context import AppContext
    from sciatica_coach.views.main_window import MainWindow
    from tests.helpers import fake_services

    ctx = AppContext(Repository.open(data_dir), services=fake_services())
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.close() and not window.isVisible()
    assert not ctx.repo.setting("told_about_tray")  # nothing to explain without a tray


@pytest.mark.qt_log_ignore(
    "QObject::connect: No such signal QPlatformNativeInterface::systemTrayWindowChanged.*"
)
@pytest.mark.parametrize("language", ["en", "de"])
def test_the_tray_says_reminders_are_paused_while_coaching_is(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    """After a red-flag answer the reminders are quiet, but the tray's tooltip still promised the next one."""
    from PySide6.QtGui import QIcon, QPixmap

    from sciatica_coach.app import install_reminders
    from sciatica_coach.platform import locale_support
    from sciatica_coach.platform import tray as tray_module
    from sciatica_coach.platform.tray import Tray
    from sciatica_coach.services import safety_state
    from sciatica_coach.storage.repository import Repository
    from sciatica_coach.views.context import AppContext
    from tests.helpers import FakeClock

    pixmap = QPixmap(16, 16)
    pixmap.fill()
    monkeypatch.setattr("PySide6.QtWidgets.QApplication.windowIcon", lambda *_a: QIcon(pixmap))
    monkeypatch.setattr(tray_module, "create_tray", lambda service, window=None: Tray(service, window))
    monkeypatch.setattr(notifications, "DBusNotifications", lambda *_a: (_ for _ in ()).throw(OSError("no")))
    locale_support.apply_language(language)  # as the app starts: German times under an en_US system too
    clock = FakeClock(datetime(2026, 3, 2, 7, 0, tzinfo=BERLIN))
    ctx = AppContext(Repository.open(data_dir), clock=clock)
    window = QMainWindow()
    qtbot.addWidget(window)
    service = install_reminders(window, ctx)
    try:
        tray = service.tray
        assert isinstance(tray, Tray)
        expected = {
            "en": (f"Sciatica Coach — next reminder at {locale_support.clock_time(time(8, 0))}", "Sciatica Coach — reminders are paused for your safety",
                   "Reminders are paused for your safety"),
            "de": ("Sciatica Coach – nächste Erinnerung um 08:00",
                   "Sciatica Coach – Erinnerungen sind zu Ihrer Sicherheit pausiert",
                   "Erinnerungen sind zu Ihrer Sicherheit pausiert"),
        }[language]  # fmt: skip
        next_tip, paused_tip, paused_item = expected
        assert tray.icon.toolTip() == next_tip

        # An emergency answer, as the session view records it and then tells the app.
        safety_state.record_red_flag_answers(ctx.repo, clock.now(), {"bladder": True})
        ctx.sessions_changed.emit()
        assert tray.icon.toolTip() == paused_tip and "8:00" not in tray.icon.toolTip()
        assert tray.next_action.text() == paused_item

        clock.advance(24 * 3600)  # the next day coaching resumes (after the questions): the time is back
        service.check()
        assert tray.icon.toolTip() == next_tip
        assert "paused" not in tray.icon.toolTip() and "pausiert" not in tray.icon.toolTip()
    finally:
        if service.tray is not None:
            service.tray.icon.hide()
        service.stop()
