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
from contextlib import contextmanager
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


@contextmanager
def private_session_bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[subprocess.Popen[str]]]:
    """A private session bus (DBUS_SESSION_BUS_ADDRESS set); the list takes the fake services to stop after."""
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


@pytest.fixture
def bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[subprocess.Popen[str]]]:
    """A private session bus for this test; the processes list takes the fake services to stop after."""
    with private_session_bus(monkeypatch) as started:
        yield started


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
    fake = service(bus, "works")  # hands out cookie 4001, then 4002
    keeper = DBusScreenKeeper()
    for cookie in (4001, 4002):  # each release gives back the cookie of its own Inhibit
        assert timed(lambda: keeper.keep_awake("A session is running")) < 0.05
        assert read_line(fake.stdout) == f"Inhibit Sciatica Coach|A session is running -> {cookie}"
        wait_for(lambda: keeper.inhibited and not keeper.busy)
        assert timed(keeper.release) < 0.05
        assert read_line(fake.stdout) == f"UnInhibit {cookie}"
        wait_for(lambda: not keeper.inhibited and not keeper.busy)
    assert keeper.failure is None


def session_runner(data_dir: Path, keeper: DBusScreenKeeper):  # type: ignore[no-untyped-def]
    """The app's session runner over a real screen keeper (sound and speech are silent fakes; the test's
    FakeClock is `runner.ctx.clock`)."""
    from sciatica_coach.core.catalogue import load_catalogue
    from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, SideMode
    from sciatica_coach.storage.repository import Repository
    from sciatica_coach.views.context import AppContext
    from sciatica_coach.views.session_runner import SessionRunner
    from tests.helpers import FakeClock, fake_services

    services = fake_services()  # type: ignore[no-untyped-call]
    services.screen = lambda: keeper
    routine = Routine(Phase.MOBILITY, (RoutineItem("bridge", Dose(5, 1, 1, 2, 0), SideMode.BOTH),))
    ctx = AppContext(Repository.open(data_dir), FakeClock(), services)
    return SessionRunner(ctx, load_catalogue(), routine, None, "08:00")


def test_a_running_session_keeps_the_screen_awake_and_ending_it_lets_go(  # type: ignore[no-untyped-def]
    qtbot, bus, data_dir: Path
) -> None:
    from sciatica_coach.core.model import Outcome

    fake = service(bus, "works")
    keeper = DBusScreenKeeper()
    runner = session_runner(data_dir, keeper)
    assert timed(runner.start) < 0.5
    assert read_line(fake.stdout) == "Inhibit Sciatica Coach|A guided exercise session is running -> 4001"
    wait_for(lambda: keeper.inhibited and not keeper.busy)
    runner.end_early()
    runner.finish(Outcome.ENDED_EARLY, "test")
    assert read_line(fake.stdout) == "UnInhibit 4001"
    wait_for(lambda: not keeper.inhibited and not keeper.busy)
    assert keeper.failure is None


@pytest.mark.parametrize("mode", ["hangs", "fails"])
def test_a_session_goes_on_when_the_screen_saver_hangs_or_fails(  # type: ignore[no-untyped-def]
    qtbot, bus, data_dir: Path, mode: str
) -> None:
    from sciatica_coach.core.model import Outcome

    service(bus, mode)
    keeper = DBusScreenKeeper(timeout_ms=300)
    runner = session_runner(data_dir, keeper)
    assert timed(runner.start) < 0.5
    runner.timer.stop()  # the test steps the session itself
    left = runner.status().total_remaining_s
    for _ in range(20):  # the window thread keeps stepping the session while the call waits or fails
        runner.ctx.clock.advance(0.5)
        assert timed(runner.tick) < 0.05
        time.sleep(0.05)  # real time for the real service to hang or fail meanwhile
    assert runner.status().total_remaining_s == pytest.approx(left - 10, abs=0.6)
    wait_for(lambda: keeper.failure is not None)
    assert timed(lambda: runner.finish(Outcome.ENDED_EARLY, "test")) < 0.5
    assert not keeper.inhibited


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
