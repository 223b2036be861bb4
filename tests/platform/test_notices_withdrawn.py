"""Only the current reminder shows on the desktop: over a real session bus (dbus-run-session) with a fake
notification server that keeps ids (tests/platform/fake_notification_server.py), a new notice replaces the
one still shown (the same id via replaces_id), and snoozing, starting or doing the session takes it away
(CloseNotification). A hung or failing server never holds the window up."""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from sciatica_coach.core.schedule import DEFAULT_PLAN, Reminder
from sciatica_coach.platform.notifications import DBusNotifier, WindowNotifier
from sciatica_coach.services.reminders import ReminderService
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from tests.helpers import FakeClock
from tests.storage.test_repository import make_session

QUICK_S = 0.25  # "did not wait": a call that waited for the server would take its 300 ms timeout or more
BuildApp = Callable[[], tuple[ReminderService, DBusNotifier, FakeClock, AppContext]]
SERVER = Path(__file__).with_name("fake_notification_server.py")
BERLIN = ZoneInfo("Europe/Berlin")
pytestmark = pytest.mark.skipif(
    shutil.which("dbus-run-session") is None or not sys.platform.startswith("linux"),
    reason="needs dbus-run-session (Debian package dbus)",
)


class Server:
    """The fake server in its own session bus; `line()` reads what it was asked, `action()` clicks."""

    def __init__(self, mode: str) -> None:
        self.process = subprocess.Popen(
            ["dbus-run-session", "--", sys.executable, str(SERVER), mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group: the bus daemon goes with it
        )
        word, address = self.line().split(" ", 1)
        assert word == "owned"
        self.address = address

    def line(self, seconds: float = 10.0) -> str:
        """The server's next line; the app's event loop runs meanwhile (its D-Bus socket is read there)."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + seconds
        while not select.select([self.process.stdout], [], [], 0.01)[0]:
            assert time.monotonic() < deadline, "the server said nothing in time"
            QCoreApplication.processEvents()
        return self.process.stdout.readline().strip()

    def quiet(self, seconds: float = 0.3) -> bool:
        """Nothing more is sent within `seconds` (the app's event loop running meanwhile)."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if select.select([self.process.stdout], [], [], 0.01)[0]:
                return False
            QCoreApplication.processEvents()
        return True

    def action(self, notification_id: int, key: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"action {notification_id} {key}\n")
        self.process.stdin.flush()

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


StartServer = Callable[[str], Server]


@pytest.fixture
def server_for(monkeypatch: pytest.MonkeyPatch) -> Iterator[StartServer]:
    started: list[Server] = []

    def start(mode: str) -> Server:
        server = Server(mode)
        started.append(server)
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", server.address)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def app_with_reminders(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[BuildApp]:
    """The real install_reminders (no tray, so desktop notifications), at 07:59 on a Monday in Berlin."""
    from sciatica_coach.app import install_reminders
    from sciatica_coach.platform import sleep_watch as sleep_module
    from sciatica_coach.platform import tray as tray_module

    monkeypatch.setattr(tray_module, "create_tray", lambda *_a: None)
    monkeypatch.setattr(
        sleep_module, "create_sleep_watch", lambda parent=None: sleep_module.SleepWatch(parent)
    )
    made: list[tuple[ReminderService, AppContext]] = []  # the context owns the service: keep both

    def build() -> tuple[ReminderService, DBusNotifier, FakeClock, AppContext]:
        clock = FakeClock(datetime(2026, 3, 2, 7, 59, 30, tzinfo=BERLIN))
        ctx = AppContext(Repository.open(data_dir), clock=clock)
        window = QMainWindow()
        qtbot.addWidget(window)
        service = install_reminders(window, ctx)
        made.append((service, ctx))
        assert isinstance(service.notifier, DBusNotifier)
        service.notifier.channel._call_timeout_ms = 300
        return service, service.notifier, clock, ctx

    yield build
    for service, _ctx in made:
        service.stop()
        service.notifier.channel.close()


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def test_a_new_notice_replaces_the_shown_one_and_answers_take_it_away(
    qtbot: QtBot,
    server_for: StartServer,
    app_with_reminders: BuildApp,
) -> None:
    server = server_for("works")
    service, notifier, clock, _ctx = app_with_reminders()
    service.set_plan(
        replace(DEFAULT_PLAN, reminders=(*DEFAULT_PLAN.reminders, Reminder(datetime(1, 1, 1, 9).time())))
    )
    clock.advance(60)  # 08:00:30: the first reminder
    service.check()
    assert server.line() == "Notify replaces=0 id=1"
    qtbot.waitUntil(lambda: notifier.current_id == 1)

    clock.advance(3600)  # 09:00:30, the 08:00 one never answered: the new one takes its place
    service.check()
    assert server.line() == "Notify replaces=1 id=1"

    server.action(1, "snooze")  # the person presses Snooze on the notification
    assert server.line() == "CloseNotification id=1"
    qtbot.waitUntil(lambda: notifier.current_id is None)
    assert service.status().snoozed_until is not None

    clock.advance(10 * 60 + 1)  # the snooze is over: a fresh notice (nothing else is shown)
    service.check()
    assert server.line() == "Notify replaces=0 id=2"
    qtbot.waitUntil(lambda: notifier.current_id == 2)
    started: list[bool] = []
    service.start_requested.connect(lambda: started.append(True))
    server.action(2, "start")  # Start now
    assert server.line() == "CloseNotification id=2"
    qtbot.waitUntil(lambda: started == [True])
    assert server.quiet(), "nothing else was sent"


def test_doing_the_session_takes_its_notice_away(
    qtbot: QtBot,
    server_for: StartServer,
    app_with_reminders: BuildApp,
) -> None:
    server = server_for("works")
    service, notifier, clock, ctx = app_with_reminders()
    clock.advance(60)
    service.check()
    assert server.line() == "Notify replaces=0 id=1"
    qtbot.waitUntil(lambda: notifier.current_id == 1)
    # started from Today, not from the notice: the notice stays until the session is saved
    session = make_session(0)
    ctx.repo.save_session(
        replace(session, started_at=clock.now(), ended_at=clock.now() + timedelta(minutes=12))
    )
    assert server.quiet()
    ctx.sessions_changed.emit()
    assert server.line() == "CloseNotification id=1"
    assert service.pending is None


def test_withdrawn_before_the_server_answered_it_is_closed_when_its_id_comes(
    qtbot: QtBot,
    server_for: StartServer,
    app_with_reminders: BuildApp,
) -> None:
    server = server_for("works")
    service, notifier, clock, _ctx = app_with_reminders()
    clock.advance(60)
    service.check()
    service.skip()  # at once, before the id has come back
    assert server.line() == "Notify replaces=0 id=1"
    assert server.line() == "CloseNotification id=1"
    qtbot.waitUntil(lambda: not notifier._in_flight)
    assert notifier.current_id is None


@pytest.mark.parametrize("mode", ["hangs", "fails"])
def test_a_hung_or_failing_server_never_holds_the_window_up(
    qtbot: QtBot,
    server_for: StartServer,
    app_with_reminders: BuildApp,
    mode: str,
) -> None:
    server = server_for(mode)
    service, notifier, clock, _ctx = app_with_reminders()
    clock.advance(60)
    assert timed(service.check) < QUICK_S
    assert service.pending is not None
    assert timed(service.snooze) < QUICK_S  # withdrawing does not wait either
    qtbot.waitUntil(lambda: notifier.off, timeout=5000)  # then the window banner takes over
    clock.advance(10 * 60 + 1)
    assert timed(service.check) < QUICK_S
    banner = notifier.fallback
    assert isinstance(banner, WindowNotifier) and banner.banner is not None and banner.banner.isVisible()
    assert timed(service.start_now) < QUICK_S
    assert not banner.banner.isVisible(), "the banner goes when the notice is answered"
    if mode == "fails":
        assert server.line() == "Notify refused"
