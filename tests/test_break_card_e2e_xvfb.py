"""End to end under a real X server: the sitting-break card never takes the keyboard from what the person is
typing, and a real click on "Take the break" reaches it (issue 21 point 2).

A little Qt program with one text field has the keyboard and gets `xdotool type` text. A second program shows
the real `BreakCard` over a fake service (works, hangs or fails) in the corner of the screen. The text typed
after the card appears still all lands in the text field, `xdotool getwindowfocus` is unchanged, and a real
`xdotool click` on "Take the break" reaches the card (its fake service records the call, and the card turns
into its countdown). Run bare (no window manager: Qt itself must not move the focus) and under openbox (a
window manager that gives new windows the focus unless they ask not to be activated).

Every wait polls a condition with a deadline; every process started is stopped. Skips with the reason when
Xvfb or xdotool (or, for its case, openbox) is missing (Debian: xvfb xdotool openbox)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import CHILD_PYTHONPATH

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "packaging"))
from private_desktop import private_desktop, stop

sys.path.pop(0)

pytestmark = pytest.mark.xvfb

WAIT_S = 15.0
POLL_S = 0.05
FIRST_DISPLAY = 820  # away from the other end-to-end tests' displays
SCREEN = (1280, 1024)
TYPING_TITLE = "Typing target"

# The window the person types in: its text goes to a file on every change.
TYPING_PROGRAM = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication, QLineEdit
app = QApplication(sys.argv)
out = Path(sys.argv[1])
field = QLineEdit()
field.setWindowTitle(sys.argv[2])
field.resize(500, 60)
field.move(80, 80)
field.textChanged.connect(lambda text: out.write_text(text, encoding="utf-8"))
field.show()
field.activateWindow()
print("ready", flush=True)
app.exec()
"""

# The card over a fake service. Each call to the service is written to a file, one a line; once shown, the
# card's window id and the middle of its "Take the break" button (pixels from the card's top left) go to stdout.
CARD_PROGRAM = """
import sys
from datetime import datetime, timezone
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sciatica_coach.core.clock import SystemClock
from sciatica_coach.core.sitting import MOVEMENT_SECONDS, BreakStatus, Movement, Phase
from sciatica_coach.views.break_card import BreakCard
from sciatica_coach.views.theme import apply_theme

mode, calls = sys.argv[1], Path(sys.argv[2])
clock = SystemClock()


class FakeService:
    # works: answers like the real service; hangs: takes every call and never moves; fails: every call raises
    def __init__(self):
        self.taking_until = None

    def _called(self, name):
        with calls.open("a", encoding="utf-8") as f:
            f.write(name + "\\n")
        if mode == "fails":
            raise RuntimeError("the service failed: " + name)

    def take(self):
        self._called("take")
        if mode == "works":
            self.taking_until = clock.monotonic() + MOVEMENT_SECONDS[Movement.WALK]

    def finished(self):
        self._called("finished")

    def postpone(self, minutes):
        self._called(f"postpone {minutes}")

    def skip(self):
        self._called("skip")

    def pause_for_hour(self):
        self._called("pause_for_hour")

    def status(self):
        if mode == "fails":
            raise RuntimeError("the service failed: status")
        taking = self.taking_until is not None
        left = max(0.0, self.taking_until - clock.monotonic()) if taking else None
        return BreakStatus(Phase.TAKING if taking else Phase.DUE, None, 0.0, None, Movement.WALK, left, None)


app = QApplication(sys.argv)
app.setQuitOnLastWindowClosed(False)
apply_theme(app, "light")
card = BreakCard(FakeService(), clock)


def show():
    card.offer(Movement.WALK)
    QTimer.singleShot(300, report)


def report():
    centre = card.take_button.mapTo(card, card.take_button.rect().center())
    print(f"shown {int(card.winId())} {centre.x()} {centre.y()}", flush=True)


QTimer.singleShot(0, show)
app.exec()
"""


class Desktop:
    """A private X display, maybe with openbox, and the programs started on it."""

    def __init__(self, env: dict[str, str], work: Path) -> None:
        self.env = env
        self.work = work
        self.started: list[subprocess.Popen[Any]] = []

    def run(self, name: str, program: str, *args: str) -> subprocess.Popen[str]:
        script = (
            self.work / f"{name}.py"
        )  # (never a standard module's name: the folder comes first on the path)
        script.write_text(program, encoding="utf-8")
        log = (self.work / f"{name}.err").open("w", encoding="utf-8")
        process = subprocess.Popen(
            [sys.executable, str(script), *args],
            env=self.env, stdout=subprocess.PIPE, stderr=log, text=True,
        )  # fmt: skip
        log.close()
        self.started.append(process)
        return process

    def xdotool(self, *args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=WAIT_S
        )
        assert done.returncode == 0, f"xdotool {' '.join(args)}: {done.stderr}"
        return done.stdout.strip()

    def wait_for(self, condition: Callable[[], object], what: str) -> None:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(POLL_S)
        errors = "\n".join(path.read_text(errors="replace") for path in self.work.glob("*.err"))
        raise AssertionError(f"waited {WAIT_S} s for {what}\n{errors}")

    def stop_all(self) -> None:
        for process in reversed(self.started):
            stop(process)
            if process.stdout is not None:
                process.stdout.close()


def read_line(process: subprocess.Popen[str], desktop: Desktop, what: str) -> str:
    assert process.stdout is not None
    lines: list[str] = []
    desktop.wait_for(lambda: _line_ready(process, lines), what)
    return lines[0]


def _line_ready(process: subprocess.Popen[str], lines: list[str]) -> bool:
    import select

    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 0)
    if ready:
        line = process.stdout.readline()
        if not line:  # the program ended
            raise AssertionError(
                f"the program ended with {process.wait(timeout=WAIT_S)} before saying anything"
            )
        lines.append(line.strip())
    return bool(lines)


@pytest.fixture(params=["no window manager", "openbox"])
def desktop(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Desktop]:
    needed = ["Xvfb", "xdotool"] + (["openbox"] if request.param == "openbox" else [])
    missing = [program for program in needed if shutil.which(program) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "xcb",
        "PYTHONPATH": CHILD_PYTHONPATH,
    }  # HOME, XDG_*: conftest's tmp
    for name in ("WAYLAND_DISPLAY", "QT_SCALE_FACTOR", "SESSION_MANAGER"):
        env.pop(name, None)
    first = FIRST_DISPLAY + os.getpid() % 150
    with private_desktop(env, first, SCREEN, bus=False) as desktop_env:
        desk = Desktop(desktop_env, tmp_path)
        try:
            if request.param == "openbox":
                _start_openbox(desk, desktop_env)
            yield desk
        finally:
            desk.stop_all()


def _start_openbox(desk: Desktop, env: dict[str, str]) -> None:
    """Start openbox and wait until it manages the screen; once more if it ended at once (seen once in CI
    under load, with nothing said: its errors now go where a failure shows them)."""
    for attempt in range(2):
        with (desk.work / f"openbox-{attempt}.err").open("w") as errors:
            wm = subprocess.Popen(
                ["openbox", "--sm-disable"], env=env, stdout=subprocess.DEVNULL, stderr=errors, text=True
            )
        desk.started.append(wm)
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline and wm.poll() is None:
            if _wm_running(env):
                return
            time.sleep(POLL_S)
        if wm.poll() is None:
            break  # running but not managing the screen: starting it again would not help
    desk.wait_for(lambda: _wm_running(env), "openbox to manage the screen")


def _wm_running(env: dict[str, str]) -> bool:
    done = subprocess.run(
        ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=env, capture_output=True, text=True
    )
    return "window id" in done.stdout


@pytest.mark.parametrize("mode", ["works", "hangs", "fails"])
def test_the_card_leaves_the_keyboard_where_the_person_types_and_takes_a_real_click(
    desktop: Desktop, tmp_path: Path, mode: str
) -> None:
    typed = tmp_path / "typed.txt"
    calls = tmp_path / "calls.txt"
    typing = desktop.run("typing_window", TYPING_PROGRAM, str(typed), TYPING_TITLE)
    assert read_line(typing, desktop, "the typing window") == "ready"
    window = ""

    def found_typing_window() -> bool:
        nonlocal window
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", f"^{TYPING_TITLE}$"],
            env=desktop.env, capture_output=True, text=True,
        )  # fmt: skip
        window = found.stdout.split()[0] if found.stdout.split() else ""
        return bool(window)

    desktop.wait_for(found_typing_window, "the typing window on the display")
    desktop.xdotool("windowfocus", "--sync", window)
    desktop.wait_for(
        lambda: desktop.xdotool("getwindowfocus") == window, "the typing window to have the keyboard"
    )
    desktop.xdotool("type", "--delay", "20", "before ")
    desktop.wait_for(lambda: typed.is_file() and typed.read_text() == "before ", "the first words to arrive")
    focus_before = desktop.xdotool("getwindowfocus")

    card = desktop.run("card_window", CARD_PROGRAM, mode, str(calls))
    shown = read_line(card, desktop, "the card to show")
    word, card_window, x, y = shown.split()
    assert word == "shown"
    desktop.wait_for(
        lambda: "IsViewable" in subprocess.run(
            ["xwininfo", "-id", card_window], env=desktop.env, capture_output=True, text=True
        ).stdout,
        "the card to be on the screen",
    )  # fmt: skip

    desktop.xdotool("type", "--delay", "20", "and after the card")
    desktop.wait_for(
        lambda: typed.read_text() == "before and after the card",
        "every word typed to land in the typing window",
    )
    assert desktop.xdotool("getwindowfocus") == focus_before
    assert not calls.exists()  # the typing reached no button on the card

    # where the card really is on the screen, as X says (a window manager may have placed it)
    geometry = dict(
        line.split("=", 1)
        for line in desktop.xdotool("getwindowgeometry", "--shell", card_window).splitlines()
    )
    right = SCREEN[0] - int(geometry["X"]) - int(geometry["WIDTH"])
    bottom = SCREEN[1] - int(geometry["Y"]) - int(geometry["HEIGHT"])
    assert 0 <= right <= 40 and 0 <= bottom <= 40, f"the card is not in the bottom right corner: {geometry}"
    x_px, y_px = int(geometry["X"]) + int(x), int(geometry["Y"]) + int(y)
    desktop.xdotool("mousemove", "--sync", str(x_px), str(y_px))
    desktop.xdotool("click", "1")
    desktop.wait_for(
        lambda: calls.is_file() and "take" in calls.read_text().split(), "the click to reach the card"
    )
    assert calls.read_text().split() == ["take"]
    assert card.poll() is None  # a failing service did not bring the card's program down
