"""The D-Bus idle backends (platform/idle.py) against a fake GNOME Mutter IdleMonitor, org.freedesktop.ScreenSaver
and org.gnome.ScreenSaver (tests/platform/fake_idle_service.py) on a private session bus: real round trips,
Mutter's watches, the lock, and a service that vanishes, hangs or fails. Also the silent fallback."""

from __future__ import annotations

import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sciatica_coach.platform.idle import (
    FREEDESKTOP_SERVICE,
    MUTTER_SERVICE,
    FreedesktopIdleMonitor,
    IdleMonitor,
    IdleReading,
    MutterIdleMonitor,
    create_idle_monitor,
)
from sciatica_coach.platform.idle_dbus import IdleBus
from tests.platform.test_dbus_services import private_session_bus, timed

FAKE = Path(__file__).with_name("fake_idle_service.py")
GNOME_SCREENSAVER = "org.gnome.ScreenSaver"
SHORT_TIMEOUT_MS = 300
pytestmark = pytest.mark.skipif(
    shutil.which("dbus-daemon") is None or not sys.platform.startswith("linux"),
    reason="needs dbus-daemon (Debian package dbus)",
)


@pytest.fixture
def bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[subprocess.Popen[str]]]:
    """A private session bus for this test and no X display (so no X11 backend is picked); the list takes
    the fake services to stop after."""
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with private_session_bus(monkeypatch) as started:
        yield started


class Fake:
    """A fake idle service process; its printed lines are read by a thread into a queue (a select() on a
    buffered pipe would miss a second line already read into the buffer)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        try:
            for line in self.process.stdout:
                self.lines.put(line.strip())
        except (ValueError, OSError):  # the fixture closed the pipe at the end of the test
            pass

    def line(self, seconds: float = 10.0) -> str:
        return self.lines.get(timeout=seconds)

    def tell(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def rest(self) -> list[str]:
        """The lines printed so far, once the fake has stopped (closing its stdin stops it)."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)
        self._reader.join(timeout=10)  # it has read up to the end of the pipe
        return list(self.lines.queue)


def fake(started: list[subprocess.Popen[str]], mode: str, *names: str) -> Fake:
    process = subprocess.Popen(
        [sys.executable, str(FAKE), mode, *names], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    started.append(process)
    service = Fake(process)
    assert service.line() == "owned"
    return service


def collect(qtbot, monitor: IdleMonitor) -> tuple[list[IdleReading], list[str]]:  # type: ignore[no-untyped-def]
    readings: list[IdleReading] = []
    lost: list[str] = []
    monitor.observed.connect(readings.append)
    monitor.lost.connect(lost.append)
    return readings, lost


def ask(qtbot, monitor: IdleMonitor, readings: list[IdleReading]) -> tuple[IdleReading, float]:  # type: ignore[no-untyped-def]
    """ask() once: the reading and how long ask() itself took. The answer never comes inside ask()."""
    before = len(readings)
    took = timed(monitor.ask)
    assert len(readings) == before, "observed was emitted inside ask()"
    qtbot.waitUntil(lambda: len(readings) > before, timeout=5000)
    return readings[before], took


# ---- Mutter (GNOME) -----------------------------------------------------------------------------------------


def test_mutter_is_chosen_and_answers_with_a_real_round_trip(qtbot, bus) -> None:  # type: ignore[no-untyped-def]
    service = fake(bus, "works", MUTTER_SERVICE)
    fake(bus, "works", FREEDESKTOP_SERVICE)  # GNOME has this name too: Mutter comes first
    monitor = create_idle_monitor()
    try:
        assert isinstance(monitor, MutterIdleMonitor) and monitor.kind == "GNOME (Mutter IdleMonitor)"
        assert monitor.pushes
        readings, lost = collect(qtbot, monitor)
        service.tell("idle 5000")
        started = time.perf_counter()
        reading, took = ask(qtbot, monitor, readings)
        round_trip = time.perf_counter() - started
        answered_ms = int(service.line().removeprefix("GetIdletime -> "))
        assert reading == IdleReading(answered_ms / 1000, None)  # no org.gnome.ScreenSaver: lock unknown
        assert 5.0 <= reading.idle_s < 7.0  # type: ignore[operator]
        assert took < 0.05 and not lost
        print(f"Mutter: ask() {took * 1000:.2f} ms, answer after {round_trip * 1000:.1f} ms")
    finally:
        monitor.close()


def test_mutter_watches_report_idle_and_the_next_input_without_polling(qtbot, bus) -> None:  # type: ignore[no-untyped-def]
    service = fake(bus, "works", MUTTER_SERVICE)
    monitor = MutterIdleMonitor(IdleBus())
    try:
        readings, lost = collect(qtbot, monitor)
        service.tell("input")
        monitor.watch(0.3)
        assert service.line() == "AddIdleWatch 300 -> 1"
        # the fake fires the watch once its idle time reaches 300 ms; the monitor then waits for input
        qtbot.waitUntil(lambda: len(readings) == 1, timeout=5000)
        assert readings == [IdleReading(0.3, None)]
        assert service.line() == "WatchFired 1"
        assert service.line() == "AddUserActiveWatch -> 2"
        service.tell("input")
        qtbot.waitUntil(lambda: len(readings) == 2, timeout=5000)
        assert readings[1] == IdleReading(0.0, None)
        assert service.line() == "WatchFired 2"
        # a new watch replaces the old one
        monitor.watch(60)
        assert service.line() == "RemoveWatch 1"
        assert service.line() == "AddIdleWatch 60000 -> 3"
        service.tell("fire 1")  # the old watch is not ours any more
        assert service.line() == "WatchFired 1"
        service.tell("fire 3")
        qtbot.waitUntil(lambda: len(readings) == 3, timeout=5000)
        assert readings[2] == IdleReading(60, None) and not lost
        assert not any(line.startswith("GetIdletime") for line in service.rest()), "no polling"
    finally:
        monitor.close()


def test_a_watch_replaced_before_mutter_answered_is_removed_and_close_removes_ours(qtbot, bus) -> None:  # type: ignore[no-untyped-def]
    service = fake(bus, "works", MUTTER_SERVICE)
    monitor = MutterIdleMonitor(IdleBus())
    readings, lost = collect(qtbot, monitor)
    monitor.watch(10)
    monitor.watch(20)  # before the first id came back
    assert [service.line() for _ in range(2)] == ["AddIdleWatch 10000 -> 1", "AddIdleWatch 20000 -> 2"]
    qtbot.waitUntil(lambda: not service.lines.empty(), timeout=5000)  # the answers reach the monitor
    assert service.line() == "RemoveWatch 1"
    service.tell("fire 1")
    assert service.line() == "WatchFired 1"
    service.tell("fire 2")
    qtbot.waitUntil(lambda: bool(readings), timeout=5000)
    assert readings == [IdleReading(20, None)]
    assert service.line() == "WatchFired 2"
    assert service.line() == "AddUserActiveWatch -> 3"
    monitor.close()
    assert sorted(service.line() for _ in range(2)) == ["RemoveWatch 2", "RemoveWatch 3"]
    reading, took = ask(qtbot, monitor, readings)  # closed: answers like the fallback, and is never lost
    assert reading == IdleReading(None, None) and took < 0.01 and not lost
    qtbot.wait(50)
    assert not lost


def test_mutter_reads_the_lock_from_gnome_screensaver(qtbot, bus) -> None:  # type: ignore[no-untyped-def]
    service = fake(bus, "works", MUTTER_SERVICE, GNOME_SCREENSAVER)
    monitor = create_idle_monitor()
    try:
        readings, _lost = collect(qtbot, monitor)
        assert service.line() == "GetActive -> false"
        qtbot.waitUntil(lambda: monitor._locked is False, timeout=5000)  # type: ignore[attr-defined]
        service.tell("lock")  # ActiveChanged(true): a fresh reading is pushed, nobody asked
        qtbot.waitUntil(lambda: len(readings) == 1, timeout=5000)
        assert readings[0].locked is True and readings[0].idle_s is not None
        service.tell("unlock")
        qtbot.waitUntil(lambda: len(readings) == 2, timeout=5000)
        assert readings[1].locked is False
        reading, _took = ask(qtbot, monitor, readings)
        assert reading.locked is False
    finally:
        monitor.close()


# ---- org.freedesktop.ScreenSaver (KDE and others) ------------------------------------------------------------


def test_freedesktop_screensaver_is_chosen_when_only_it_is_there(qtbot, bus) -> None:  # type: ignore[no-untyped-def]
    service = fake(bus, "works", FREEDESKTOP_SERVICE)
    monitor = create_idle_monitor()
    try:
        assert isinstance(monitor, FreedesktopIdleMonitor) and not monitor.pushes
        readings, lost = collect(qtbot, monitor)
        assert service.line() == "GetActive -> false"
        service.tell("idle 2500")
        started = time.perf_counter()
        reading, took = ask(qtbot, monitor, readings)
        round_trip = time.perf_counter() - started
        answered_ms = int(service.line().removeprefix("GetSessionIdleTime -> "))
        assert reading == IdleReading(answered_ms / 1000, False)
        assert 2.5 <= reading.idle_s < 4.5  # type: ignore[operator]
        service.tell("lock")
        qtbot.waitUntil(lambda: len(readings) == 2, timeout=5000)
        assert readings[1].locked is True
        monitor.watch(10)  # polling backend: a no-op
        assert took < 0.05 and not lost
        print(f"freedesktop: ask() {took * 1000:.2f} ms, answer after {round_trip * 1000:.1f} ms")
    finally:
        monitor.close()


# ---- vanishing, hanging, failing -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", [MUTTER_SERVICE, FREEDESKTOP_SERVICE])
def test_the_service_leaving_the_bus_is_lost(qtbot, bus, name: str) -> None:  # type: ignore[no-untyped-def]
    service = fake(bus, "works", name)
    monitor = create_idle_monitor()
    try:
        assert monitor.kind != "wall clock"
        readings, lost = collect(qtbot, monitor)
        ask(qtbot, monitor, readings)
        service.kill()

        qtbot.waitUntil(lambda: bool(lost), timeout=5000)
        assert lost == [f"{name} left the session bus"]
        # a lost monitor answers like the fallback, at once and never inside ask()
        reading, took = ask(qtbot, monitor, readings)
        assert reading == IdleReading(None, None) and took < 0.05 and len(lost) == 1
    finally:
        monitor.close()


@pytest.mark.parametrize("monitor_class", [MutterIdleMonitor, FreedesktopIdleMonitor])
def test_a_hung_service_never_blocks_ask_and_is_lost_after_the_timeout(qtbot, bus, monitor_class) -> None:  # type: ignore[no-untyped-def]
    name = monitor_class.service
    fake(bus, "hangs", name, GNOME_SCREENSAVER)
    monitor = monitor_class(IdleBus(), timeout_ms=SHORT_TIMEOUT_MS)
    try:
        readings, lost = collect(qtbot, monitor)
        started = time.perf_counter()
        assert timed(monitor.ask) < 0.05
        monitor.watch(30)
        qtbot.waitUntil(lambda: bool(lost), timeout=5000)
        waited = time.perf_counter() - started
        assert SHORT_TIMEOUT_MS / 1000 - 0.05 <= waited < 3
        assert len(lost) == 1 and "did not answer" in lost[0] and f"{SHORT_TIMEOUT_MS} ms" in lost[0]
        assert not readings
    finally:
        monitor.close()


@pytest.mark.parametrize("name", [MUTTER_SERVICE, FREEDESKTOP_SERVICE])
def test_a_failing_service_is_lost(qtbot, bus, name: str) -> None:  # type: ignore[no-untyped-def]
    service = fake(bus, "fails", name)
    monitor = create_idle_monitor()
    try:
        readings, lost = collect(qtbot, monitor)
        assert timed(monitor.ask) < 0.05
        qtbot.waitUntil(lambda: bool(lost), timeout=5000)
        assert "org.freedesktop.DBus.Error.Failed" in lost[0]
        assert service.line().endswith("-> error")
        assert not readings
    finally:
        monitor.close()


def test_the_session_bus_going_away_is_lost(qtbot, bus) -> None:  # type: ignore[no-untyped-def]
    fake(bus, "works", MUTTER_SERVICE)
    monitor = create_idle_monitor()
    try:
        assert isinstance(monitor, MutterIdleMonitor)
        _readings, lost = collect(qtbot, monitor)
        bus[0].kill()  # the dbus-daemon
        qtbot.waitUntil(lambda: bool(lost), timeout=5000)
        assert lost == ["the session bus went away"]
    finally:
        monitor.close()


# ---- the fallback --------------------------------------------------------------------------------------------


def test_without_display_or_bus_the_fallback_counts_wall_clock_time(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))  # no "bus" socket in it
    monitor = create_idle_monitor()
    assert type(monitor) is IdleMonitor
    assert monitor.kind == "wall clock" and not monitor.pushes
    readings, lost = collect(qtbot, monitor)
    monitor.watch(30)
    reading, took = ask(qtbot, monitor, readings)
    assert reading == IdleReading(None, None) and took < 0.01 and not lost
    monitor.close()
