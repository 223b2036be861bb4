"""A private desktop for a real window: Xvfb on the first free display and, where dbus-daemon is installed, a
session bus of its own. Standard library only.

Used by packaging/deb_check.py (the installed .deb in a real window) and the end-to-end tests that drive the
app under Xvfb with xdotool (tests/test_safety_e2e_xvfb.py):

    with private_desktop(env, first_display=700) as desktop_env:
        subprocess.Popen(["sciatica-coach"], env=desktop_env)   # DISPLAY (and DBUS_SESSION_BUS_ADDRESS) set
"""

from __future__ import annotations

import os
import select
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

DISPLAYS_TRIED = 20
WAIT_S = 15.0  # for Xvfb to name its display, the bus its address, a process to stop


def stop(process: subprocess.Popen[Any], timeout_s: float = WAIT_S) -> None:
    """End a process: SIGTERM, then SIGKILL if it has not gone within timeout_s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout_s)


def _read_line(fd: int) -> str:
    ready, _, _ = select.select([fd], [], [], WAIT_S)
    return os.read(fd, 200).decode().strip() if ready else ""


def _display_taken(number: int) -> bool:
    return Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists()


@contextmanager
def private_desktop(
    env: dict[str, str], first_display: int, screen: tuple[int, int] = (1280, 1024), bus: bool = True
) -> Iterator[dict[str, str]]:
    """Start Xvfb on the first free display from first_display (and a session bus when bus is set and
    dbus-daemon exists); yield env with DISPLAY (and DBUS_SESSION_BUS_ADDRESS) set; stop both afterwards."""
    env = dict(env)
    started: list[subprocess.Popen[Any]] = []
    pipes: list[int] = []
    try:
        number = ""
        for candidate in range(first_display, first_display + DISPLAYS_TRIED):
            if _display_taken(candidate):
                continue
            read_fd, write_fd = os.pipe()
            pipes.append(read_fd)  # kept open until the end: Xvfb dies if a later write to it fails
            xvfb = subprocess.Popen(
                ["Xvfb", f":{candidate}", "-displayfd", str(write_fd), "-nolisten", "tcp",
                 "-screen", "0", f"{screen[0]}x{screen[1]}x24"],
                pass_fds=(write_fd,), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            started.append(xvfb)
            os.close(write_fd)
            number = _read_line(read_fd)
            if number:
                break
            stop(xvfb)  # no answer in time, or it exited (the display was taken after all): try the next
        if not number:
            raise RuntimeError(f"Xvfb could not start on any display from :{first_display}")
        env["DISPLAY"] = f":{number}"
        if bus:
            daemon = subprocess.Popen(
                ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            )  # fmt: skip
            started.append(daemon)
            assert daemon.stdout is not None
            ready, _, _ = select.select([daemon.stdout.fileno()], [], [], WAIT_S)
            if not ready:
                raise RuntimeError("dbus-daemon did not print its address")
            env["DBUS_SESSION_BUS_ADDRESS"] = daemon.stdout.readline().strip()
        yield env
    finally:
        for process in reversed(started):
            stop(process)
            if process.stdout is not None:
                process.stdout.close()
        for fd in pipes:
            os.close(fd)
