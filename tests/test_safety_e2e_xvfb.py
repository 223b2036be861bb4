"""End to end, in the real window: the red-flag triage and the pain stops of issue 14, driven by keys.

Each test starts the real app (`python -m sciatica_coach --data-dir …`) in its own X window on a private
Xvfb with a private D-Bus session bus, presses keys with xdotool as a person at the keyboard would (no test
hook, no widget calls), and checks what the app stored in its data folder: the safety events in
history/sessions-<year>.json and the pause state, read with `Repository.open` once the app has quit on
SIGTERM. Every wait polls a condition with a deadline; the app, the bus and Xvfb are always stopped.

When a step fails, the screen is saved as a PNG beside the test's data (the path is in the message): a
second Qt process on the same display grabs the root window, since Xvfb has no screenshot tool of its own.

Skips with the reason when Xvfb, xdotool or dbus-daemon is missing (Debian: xvfb xdotool dbus)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sciatica_coach import APP_NAME
from sciatica_coach.core import red_flags
from sciatica_coach.core.model import Outcome, SafetyEventKind
from sciatica_coach.core.red_flags import Tier
from sciatica_coach.services import safety_state
from sciatica_coach.storage.repository import DATA_FILE, EVENTS_TABLE, HISTORY_FOLDER, Repository

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "packaging"))
from private_desktop import private_desktop

sys.path.pop(0)

pytestmark = pytest.mark.xvfb

NEEDED = {"Xvfb": "xvfb", "xdotool": "xdotool", "dbus-daemon": "dbus"}  # program: Debian package
WAIT_S = 15.0  # the longest any one step may take (starting the app on a slow CI machine included)
POLL_S = 0.05
FIRST_DISPLAY = 600  # away from :0-:9 (desktops) and the notification test's :300-:519
SCREEN = (1280, 1024)
YES = "saddle-numbness"  # an emergency question: numbness around the genitals or back passage

# A second Qt client on the same display saves the whole screen and says how many colours the window area
# has (a window that never painted is one flat colour).
GRAB = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv)
image = app.primaryScreen().grabWindow(0).toImage()
image.save(sys.argv[1])
x, y, w, h = (int(v) for v in sys.argv[2:6])
colours = {image.pixel(x + i * w // 40, y + j * h // 40) for i in range(40) for j in range(40)}
print(len(colours))
"""


@dataclass
class Display:
    env: dict[str, str]  # DISPLAY and DBUS_SESSION_BUS_ADDRESS


@pytest.fixture(scope="module")
def display(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Display]:
    """A private Xvfb screen and D-Bus session bus for this file's tests (with a private HOME too: the
    function-scoped private profile of conftest.py is not set up yet at module scope)."""
    missing = [f"{program} (Debian package {package})" for program, package in NEEDED.items()
               if shutil.which(program) is None]  # fmt: skip
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")
    home = tmp_path_factory.mktemp("desktop-home")
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "share"),
           "XDG_CONFIG_HOME": str(home / "config"), "XDG_RUNTIME_DIR": str(home)}  # fmt: skip
    home.chmod(0o700)
    first = FIRST_DISPLAY + os.getpid() % 200
    with private_desktop(env, first, SCREEN) as desktop:
        yield Display({name: desktop[name] for name in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS")})


class App:
    """The real app in a real window, driven only through X keyboard events and its data folder."""

    def __init__(self, display: Display, data_dir: Path, work: Path) -> None:
        self.data_dir = data_dir
        self.work = work
        self.env = {**os.environ, **display.env, "QT_QPA_PLATFORM": "xcb"}  # HOME, XDG_*: conftest's tmp
        for name in ("WAYLAND_DISPLAY", "SCIATICA_COACH_DATA_DIR", "QT_SCALE_FACTOR"):
            self.env.pop(name, None)
        self.log_path = work / "app.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.window = ""
        self.shots = 0

    # ---- starting and stopping ---------------------------------------------------------------------
    def start(self) -> None:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "sciatica_coach", "--data-dir", str(self.data_dir), "--verbose"],
                env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        # With --verbose, "ready after" is printed once the start-up work is done, SIGTERM handling included
        # (app.py).
        self.wait_for(lambda: "ready after" in self.log(), "the app to say it is ready")
        self.wait_for(self._find_window, "the main window on the X display")
        assert self.xdotool("getwindowname", self.window).strip() == APP_NAME
        self.xdotool("windowfocus", "--sync", self.window)  # no window manager: give it the keyboard

    def _find_window(self) -> bool:
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", f"^{APP_NAME}$"],
            env=self.env, capture_output=True, text=True, timeout=WAIT_S,
        )  # fmt: skip
        windows = found.stdout.split()
        self.window = windows[0] if windows else ""
        return bool(self.window)

    def quit(self) -> None:
        """SIGTERM, as a session logout sends: the app saves and exits with 0 (app.quit_on_termination)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=WAIT_S)
        assert code == 0, f"exit code {code} after SIGTERM\n{self.log()}"
        assert "Traceback" not in self.log(), self.log()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=WAIT_S)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    # ---- the keyboard ------------------------------------------------------------------------------
    def xdotool(self, *args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=WAIT_S
        )
        assert done.returncode == 0, f"xdotool {' '.join(args)}: {done.stderr}"
        return done.stdout

    def keys(self, *names: str) -> None:
        """Press keys one after another (X keysym names: "space", "Return", "ctrl+Return", "n"…)."""
        self.xdotool("key", "--delay", "30", *names)

    # ---- waiting and looking -----------------------------------------------------------------------
    def wait_for(self, condition: Callable[[], object], what: str) -> None:
        deadline = time.monotonic() + WAIT_S
        while not condition():
            if self.process is not None and self.process.poll() is not None:
                code = self.process.returncode
                raise AssertionError(f"the app exited ({code}) waiting for {what}\n{self.log()}")
            if time.monotonic() > deadline:
                screen, _ = self.screenshot()
                raise AssertionError(f"not within {WAIT_S:.0f} s: {what}; screen: {screen}\n{self.log()}")
            time.sleep(POLL_S)

    def screenshot(self) -> tuple[Path, int]:
        """The whole screen as a PNG, and how many colours a 40×40 grid over the window area has."""
        self.shots += 1
        path = self.work / f"screen-{self.shots}.png"
        geometry = self.xdotool("getwindowgeometry", "--shell", self.window) if self.window else ""
        box = dict(line.split("=", 1) for line in geometry.split())
        rect = [box.get(k, d) for k, d in (("X", "0"), ("Y", "0"), ("WIDTH", "400"), ("HEIGHT", "300"))]
        grab = subprocess.run(
            [sys.executable, "-c", GRAB, str(path), *rect],
            env=self.env, capture_output=True, text=True, timeout=WAIT_S,
        )  # fmt: skip
        return path, int(grab.stdout.strip() or 0)

    # ---- the stored data, while the app runs (its files are replaced atomically) ------------------
    def events(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for path in sorted((self.data_dir / HISTORY_FOLDER).glob("sessions-*.json")):
            found.extend(json.loads(path.read_text(encoding="utf-8")).get(EVENTS_TABLE, {}).values())
        return found

    def has_event(self, kind: SafetyEventKind) -> bool:
        return any(event["kind"] == kind.value for event in self.events())

    def stored(self, table: str, key: str) -> object:
        raw = json.loads((self.data_dir / DATA_FILE).read_text(encoding="utf-8"))
        return next((doc["value"] for doc in raw.get(table, {}).values() if doc.get("key") == key), None)


@pytest.fixture
def app(display: Display, tmp_path: Path) -> Iterator[App]:
    """A fresh data folder set to the UK and English (the keys Y/N whatever the machine's language; sound
    and voice off: no audio device here), and the app on it."""
    data_dir = tmp_path / "e2e-data"
    repo = Repository.open(data_dir)
    repo.set_setting(safety_state.COUNTRY_SETTING, "GB")
    repo.set_setting("language", "en")
    repo.set_setting("sound_on", False)
    repo.set_setting("voice_on", False)
    repo.close()
    running = App(display, data_dir, tmp_path)
    try:
        running.start()
        yield running
    finally:
        running.kill()


def answer_red_flags(app: App, yes: frozenset[str]) -> None:
    """Open a session from Today (Ctrl+Return), accept the guidance note (Space on "I understand", which
    has the focus), then answer every red-flag question in the order shown (Y or N, each moving to the next)
    and press Enter to continue."""
    app.keys("ctrl+Return", "space")
    app.wait_for(lambda: app.stored("settings", "disclaimer_accepted_at"), "guidance note accepted")
    shown = [flag.id for tier in (Tier.EMERGENCY, Tier.URGENT, Tier.SEE_DOCTOR_SOON)
             for flag in red_flags.questions() if flag.tier is tier]  # fmt: skip
    app.keys(*("y" if flag_id in yes else "n" for flag_id in shown), "Return")
    app.wait_for(lambda: app.has_event(SafetyEventKind.RED_FLAG_ANSWERS), "red-flag answers stored")


def test_a_yes_to_saddle_numbness_is_an_emergency_and_pauses_coaching_today(app: App) -> None:
    answer_red_flags(app, frozenset({YES}))
    shot, colours = app.screenshot()  # the advice page, for a person to look at
    assert colours > 2, f"the window shows one flat colour: {shot}"
    app.quit()

    repo = Repository.open(app.data_dir)
    try:
        [event] = repo.safety_events()
        assert event.kind is SafetyEventKind.RED_FLAG_ANSWERS
        assert event.detail == safety_state.TIER_DETAIL[Tier.EMERGENCY] == "emergency"
        assert event.flags == (YES,)
        day = event.at.date()
        assert repo.state(safety_state.RED_FLAG_STOP_KEY) == day.isoformat()
        assert safety_state.coaching_pause(repo, day) is Tier.EMERGENCY
        assert safety_state.coaching_paused_today(repo, day)
        assert repo.sessions() == []  # no session was started
    finally:
        repo.close()


def test_it_hurts_during_the_first_exercise_then_ending_keeps_both_and_a_pain_stop(app: App) -> None:
    answer_red_flags(app, frozenset())
    # The pain check: focus starts on back pain 0; arrows move along the row, Space chooses, Tab moves on
    # (leg pain, how far down, new numbness, Start). Back 2, leg 3, no leg symptoms (nothing is chosen
    # beforehand: Tab lands on the first answer, Space chooses it): green, the session may start. Then the
    # cautions of exercises new to this person, where "I've read these" has the focus (nothing is stored
    # between the two pages, so both go in one go: X delivers the keys in order).
    app.keys("Right", "Right", "space", "Tab", *["Right"] * 3, "space", "Tab", "space", "Tab", "Tab", "space")
    app.keys("space")
    app.wait_for(lambda: app.stored("state", "cautions_seen"), "the cautions to be read")
    app.keys("h")  # "It hurts" while the first exercise runs
    app.wait_for(lambda: app.has_event(SafetyEventKind.IT_HURTS), "the It hurts press stored")
    app.keys("Escape", "Return")  # End, then confirm
    app.wait_for(lambda: app.has_event(SafetyEventKind.SESSION_STOPPED), "the stop stored")
    # The pain check after: back 7 (red), leg 0, no leg symptoms, then Finish.
    app.keys(*["Right"] * 7, "space", "Tab", "space", "Tab", "space", "Tab", "Tab", "space")
    app.wait_for(lambda: app.has_event(SafetyEventKind.PAIN_STOP), "the red pain stop stored")
    app.quit()

    repo = Repository.open(app.data_dir)
    try:
        [session] = repo.sessions()
        stored = repo.safety_events()
        events = {event.kind: event for event in stored}
        assert [event.kind for event in stored] == [
            SafetyEventKind.RED_FLAG_ANSWERS, SafetyEventKind.IT_HURTS,
            SafetyEventKind.SESSION_STOPPED, SafetyEventKind.PAIN_STOP,
        ]  # fmt: skip
        assert events[SafetyEventKind.RED_FLAG_ANSWERS].detail == "none"
        first = session.exercises[0].exercise_id
        for kind in (SafetyEventKind.IT_HURTS, SafetyEventKind.SESSION_STOPPED):
            assert events[kind].session_id == session.id
            assert events[kind].exercise_id == first  # pressed during the first exercise
        assert events[SafetyEventKind.SESSION_STOPPED].detail == "Stopped because it hurt."
        assert events[SafetyEventKind.PAIN_STOP].detail == "Pain after the session: back 7, leg 0 out of 10."
        assert session.outcome is Outcome.SAFETY_STOP
        before, after = session.pain_before, session.pain_after
        assert before is not None and (before.back, before.leg) == (2, 3)
        assert after is not None and (after.back, after.leg) == (7, 0)
        # a pain stop is not a red flag: coaching is not paused for the day (a wait applies instead)
        assert not safety_state.coaching_paused_today(repo, session.started_at.date())
    finally:
        repo.close()
