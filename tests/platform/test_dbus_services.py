"""Keeping the screen awake and showing a reminder over D-Bus never block the caller: against a private
session bus (dbus-daemon) with a fake org.freedesktop.ScreenSaver or org.freedesktop.Notifications
(tests/platform/fake_dbus_service.py) that works, hangs or fails."""

from __future__ import annotations

import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sciatica_coach.platform.screen import DBusScreenKeeper

FAKE = Path(__file__).with_name("fake_dbus_service.py")
pytestmark = pytest.mark.skipif(
    shutil.which("dbus-daemon") is None or not sys.platform.startswith("linux"),
    reason="needs dbus-daemon (Debian package dbus)",
)


def wait_for(condition, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def read_line(stream, seconds: float = 10.0) -> str:  # type: ignore[no-untyped-def]
    ready, _, _ = select.select([stream], [], [], seconds)
    assert ready, "no line in time"
    return str(stream.readline().strip())


@pytest.fixture
def bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[subprocess.Popen[str]]]:
    """A private session bus for this test; the processes list takes the fake services to stop after."""
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    started = [daemon]
    try:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", read_line(daemon.stdout))
        yield started
    finally:
        for process in reversed(started):
            process.kill()
            process.wait()
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()


def service(
    started: list[subprocess.Popen[str]], mode: str, name: str = "org.freedesktop.ScreenSaver"
) -> subprocess.Popen[str]:
    fake = subprocess.Popen(
        [sys.executable, str(FAKE), mode, name], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    started.append(fake)
    assert read_line(fake.stdout) == "owned"
    return fake


def timed(call) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def test_inhibits_and_releases_through_a_working_service(bus) -> None:  # type: ignore[no-untyped-def]
    fake = service(bus, "works")
    keeper = DBusScreenKeeper()
    assert timed(lambda: keeper.keep_awake("A session is running")) < 0.05
    assert read_line(fake.stdout) == "Inhibit"
    wait_for(lambda: keeper.inhibited and not keeper.busy)
    assert timed(keeper.release) < 0.05
    assert read_line(fake.stdout) == "UnInhibit"
    wait_for(lambda: not keeper.inhibited and not keeper.busy)
    assert keeper.failure is None


@pytest.mark.parametrize(
    ("mode", "words"), [("hangs", "did not answer"), ("fails", "Error.Failed"), (None, "")]
)
def test_a_hung_failing_or_missing_service_never_blocks_and_switches_the_keeper_off(  # type: ignore[no-untyped-def]
    bus, mode: str | None, words: str
) -> None:
    if mode is not None:
        service(bus, mode)
    keeper = DBusScreenKeeper(timeout_ms=500)
    longest = 0.0
    deadline = time.monotonic() + 10
    while keeper.failure is None and time.monotonic() < deadline:  # the session asks again as it goes on
        longest = max(longest, timed(lambda: keeper.keep_awake("A session is running")))
        time.sleep(0.05)
    longest = max(longest, timed(keeper.release))
    assert keeper.failure is not None and words in keeper.failure
    assert longest < 0.05, f"the window thread waited {longest * 1000:.0f} ms"
    assert timed(lambda: keeper.keep_awake("again")) < 0.01 and not keeper.inhibited  # off for the run


# ---- reminders: desktop notifications ---------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["works", "hangs", "fails"])
def test_a_reminder_never_waits_for_the_notification_server(qtbot, bus, mode: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMainWindow, QPushButton

    from sciatica_coach.platform.notifications import DBusNotifications, DBusNotifier, WindowNotifier
    from tests.platform.test_notifications import NOTICE

    fake = service(bus, mode, "org.freedesktop.Notifications")
    window = QMainWindow()
    qtbot.addWidget(window)
    banner = WindowNotifier(window)
    notifier = DBusNotifier(DBusNotifications(call_timeout_ms=300), fallback=banner)
    try:
        assert timed(lambda: notifier.notify(NOTICE)) < 0.05
        if mode == "works":
            qtbot.waitUntil(lambda: notifier.current_id == 7)
            assert read_line(fake.stdout) == "Notify" and not notifier.off and banner.banner is None
            return
        # no answer in time, or an error: the reminder shows in the window instead, and later ones too
        qtbot.waitUntil(lambda: notifier.off, timeout=5000)
        assert banner.banner is not None and banner.banner.isVisibleTo(window)
        banner.withdraw()
        assert timed(lambda: notifier.notify(NOTICE)) < 0.05
        assert banner.banner.isVisibleTo(window)
        got: list[str] = []
        notifier.action_invoked.connect(got.append)
        start = banner.banner.findChildren(QPushButton)[0]
        start.click()
        assert got == ["start"], "the banner's answers reach the reminders like the notification's"
    finally:
        notifier.channel.close()
