"""End to end: a real notification reaches a real notification server, with its actions, and an action
invoked there comes back to the app.

The test starts its own Xvfb, a private D-Bus session bus (dbus-daemon --session) and dunst on it, plus
dbus-monitor as a second connection that records the Notify call. It skips with the reason when one of
these programs is missing (Debian: xvfb dbus dunst), and stops every process it started."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as time_of_day
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from sciatica_coach.core.schedule import Due, DueKind
from sciatica_coach.platform.locale_support import clock_time
from sciatica_coach.platform.notifications import DBusNotifier

pytestmark = pytest.mark.xvfb

NEEDED = ("Xvfb", "dbus-daemon", "dunst", "dunstctl", "dbus-monitor", "gdbus")
START_TIMEOUT_S = 15.0
FIRST_DISPLAY = 300
DUNST_WAIT_S = 15
NOTICE = Due(
    "08:00", date(2026, 3, 2), datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo("Europe/Berlin")), DueKind.ON_TIME
)


@dataclass
class Desktop:
    env: dict[str, str]
    monitor: subprocess.Popen[str]
    pending: str = ""

    def run(self, *args: str) -> str:
        done = subprocess.run(args, env=self.env, capture_output=True, text=True, timeout=START_TIMEOUT_S)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def monitor_lines_until(self, wanted: str) -> list[str]:
        """Lines dbus-monitor printed, up to and including one containing `wanted` (bounded wait).
        Reads the pipe's file descriptor directly: a buffered reader would hide lines from select()."""
        assert self.monitor.stdout is not None
        fd = self.monitor.stdout.fileno()
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            lines = self.pending.splitlines(keepends=True)
            for index, line in enumerate(lines):
                if wanted in line and line.endswith("\n"):
                    self.pending = "".join(lines[index + 1 :])
                    return lines[: index + 1]
            left = deadline - time.monotonic()
            ready, _, _ = select.select([fd], [], [], max(0.0, left))
            chunk = os.read(fd, 65536).decode(errors="replace") if ready else ""
            if not chunk:
                raise AssertionError(f"dbus-monitor never showed {wanted!r}; it showed:\n{self.pending}")
            self.pending += chunk


def _read_line(fd: int, timeout_s: float) -> str:
    ready, _, _ = select.select([fd], [], [], timeout_s)
    if not ready:
        raise RuntimeError("no answer in time")
    return os.read(fd, 100).decode().strip()


def _stop(process: subprocess.Popen[str] | subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _start_xvfb(started: list[subprocess.Popen[str] | subprocess.Popen[bytes]], pipes: list[int]) -> str:
    """Start Xvfb on a free display away from :0-:9 (which desktops and other tools use); its number.
    The pipe Xvfb reports on stays open until the end: Xvfb dies if a later write to it fails."""
    first = FIRST_DISPLAY + os.getpid() % 200
    for number in range(first, first + 20):
        if Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
            continue
        read_fd, write_fd = os.pipe()
        xvfb = subprocess.Popen(
            [
                "Xvfb",
                f":{number}",
                "-displayfd",
                str(write_fd),
                "-nolisten",
                "tcp",
                "-screen",
                "0",
                "1024x768x24",
            ],
            pass_fds=(write_fd,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(xvfb)
        os.close(write_fd)
        pipes.append(read_fd)
        try:
            return _read_line(read_fd, START_TIMEOUT_S)
        except RuntimeError:
            _stop(xvfb)  # that display was taken after all: try the next
    raise RuntimeError("Xvfb could not start on any display")


@pytest.fixture
def desktop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desktop]:
    missing = [name for name in NEEDED if shutil.which(name) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (Debian packages xvfb, dbus, dunst, libglib2.0-bin)")
    started: list[subprocess.Popen[str] | subprocess.Popen[bytes]] = []
    pipes: list[int] = []
    try:
        display = _start_xvfb(started, pipes)
        bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        started.append(bus)
        assert bus.stdout is not None
        ready, _, _ = select.select([bus.stdout], [], [], START_TIMEOUT_S)
        assert ready, "dbus-daemon did not print its address"
        address = bus.stdout.readline().strip()
        env = {
            **os.environ,
            "DISPLAY": f":{display}",
            "DBUS_SESSION_BUS_ADDRESS": address,
            "XDG_CONFIG_HOME": str(tmp_path / "config"),  # no user dunstrc
        }
        env.pop("WAYLAND_DISPLAY", None)
        dunst_log = tmp_path / "dunst.log"
        with dunst_log.open("w") as log_file:
            dunst = subprocess.Popen(["dunst"], env=env, stdout=subprocess.DEVNULL, stderr=log_file)
        started.append(dunst)
        wait = ["gdbus", "wait", "--session", "--timeout", str(DUNST_WAIT_S), "org.freedesktop.Notifications"]
        waited = subprocess.run(wait, env=env, capture_output=True, timeout=DUNST_WAIT_S + 5)
        assert waited.returncode == 0, (
            f"dunst did not take org.freedesktop.Notifications on {env['DISPLAY']} "
            f"(Xvfb running: {started[0].poll() is None}): {dunst_log.read_text()}"
        )
        monitor = subprocess.Popen(
            [
                "dbus-monitor",
                "--address",
                address,
                "type='method_call',interface='org.freedesktop.Notifications'",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        started.append(monitor)
        desk = Desktop(env, monitor)
        desk.monitor_lines_until("NameAcquired")  # the monitor is listening
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield desk
    finally:
        for process in reversed(started):
            _stop(process)
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()
        for fd in pipes:
            os.close(fd)


def test_a_real_notification_arrives_with_its_actions(qtbot: QtBot, desktop: Desktop) -> None:
    notifier = DBusNotifier()
    try:
        notifier.notify(NOTICE)  # returns at once: the server's id comes back through the socket watch
        qtbot.waitUntil(lambda: bool(notifier.current_id), timeout=int(START_TIMEOUT_S * 1000))

        # a second connection saw the call: our text and both buttons
        call = "".join(desktop.monitor_lines_until(" int32 "))  # the last argument, the timeout
        assert "member=Notify" in call
        for text in ('"Sciatica Coach"', "uint32 0", '"Time for your exercises"', '"start"', '"Start now"',
                     '"snooze"', '"Snooze"'):  # fmt: skip
            assert text in call, call

        # dunst shows it
        assert desktop.run("dunstctl", "count", "displayed").strip() == "1"

        # invoking its default action in dunst comes back to the app as "start"
        with qtbot.waitSignal(notifier.action_invoked, timeout=int(START_TIMEOUT_S * 1000)) as signal:
            desktop.run("dunstctl", "action", "0")
        assert signal.args == ["start"]

        # and it is in dunst's history with our app name and words
        desktop.run("dunstctl", "close-all")
        history = json.loads(desktop.run("dunstctl", "history"))
        shown = [{k: v["data"] for k, v in item.items()} for item in history["data"][0]]
        ours = [n for n in shown if n["appname"] == "Sciatica Coach"]
        assert ours and ours[0]["summary"] == "Time for your exercises"
        assert clock_time(time_of_day(8, 0)) in ours[0]["body"]  # "08:00", or "8:00 AM" under en_US
    finally:
        notifier.channel.close()
