"""End to end, in the real window: one whole session driven by the keyboard only, in light, dark and floor mode
(issue 15).

The real app (`python -m sciatica_coach --data-dir …`) runs in its own X window on a private Xvfb, on the real
clock, over a data folder with a tiny routine (one exercise, one repetition, a 1 s hold, the shortest time to
get ready). xdotool presses the keys a person at the keyboard would: Enter on Start and on "I understand", N
for every red-flag question, the pain check with the arrows, Space and Tab, Enter on the cautions, F for floor
mode, Space to pause and Space to resume, 2 for the after-exercise question, the pain check after and Enter on
Finish. Every wait polls what the app stored in its data folder (the history file of the year), with a
deadline; a failing wait saves the screen beside the test's data. The window shows the right colours for the
mode (a second Qt client grabs the screen), the app never opens another window and its one window keeps its
name, and in the end the stored session is complete, with its repetition, answer and pain checks.

The app, Xvfb and the bus come from test_safety_e2e_xvfb.py (its `display` fixture and `App`); skipped with
the reason when Xvfb, xdotool or dbus-daemon is missing."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sciatica_coach import APP_NAME
from sciatica_coach.core import red_flags
from sciatica_coach.core.model import (
    Dose,
    LegReach,
    Outcome,
    Phase,
    Routine,
    RoutineItem,
    SafetyEventKind,
    SessionRecord,
    SideMode,
    SymptomChange,
)
from sciatica_coach.services import safety_state
from sciatica_coach.services.plans import save_routine
from sciatica_coach.storage.codec import session_from_dict
from sciatica_coach.storage.repository import HISTORY_FOLDER, Repository
from tests import test_safety_e2e_xvfb as xvfb

pytestmark = pytest.mark.xvfb

display = xvfb.display  # the private Xvfb and D-Bus of that file, one for this module's tests

ELBOWS = "prone-on-elbows"  # an exercise with cautions: their page comes before it
GET_READY_S = 5  # the "get_ready_s" setting's least
HOLD_S = 1
PAUSE_S = 3.0  # how long the session is held paused: the record shows it (the clock stood still meanwhile)
PLANNED_S = GET_READY_S + HOLD_S  # from Start to the end of the only hold, without a pause
DARK_MAX = 100  # the window's most common colour, 0-255 grey value: light themes are well above, dark below
LIGHT_MIN = 160

# Prints the most common grey value (0-255) in a 40×40 grid over the window's area.
BACKGROUND = """
import sys
from collections import Counter
from PySide6.QtGui import QGuiApplication, qGray
app = QGuiApplication(sys.argv)
image = app.primaryScreen().grabWindow(0).toImage()
x, y, w, h = (int(v) for v in sys.argv[1:5])
grid = [qGray(image.pixel(x + i * w // 40, y + j * h // 40)) for i in range(40) for j in range(40)]
print(Counter(grid).most_common(1)[0][0])
"""


class SessionApp(xvfb.App):
    """The app, plus what this test looks at: the stored session, the window's place and its colours."""

    def sessions(self) -> list[SessionRecord]:
        """The sessions stored so far (checkpoints too), read from the history files as the app leaves them."""
        found: list[SessionRecord] = []
        for path in sorted((self.data_dir / HISTORY_FOLDER).glob("sessions-*.json")):
            docs = json.loads(path.read_text(encoding="utf-8")).get("sessions", {}).values()
            found.extend(session_from_dict(doc) for doc in docs)
        return found

    def session(self) -> SessionRecord | None:
        stored = self.sessions()
        assert len(stored) <= 1, f"one session, not {len(stored)}"
        return stored[0] if stored else None

    def geometry(self) -> dict[str, int]:
        shell = self.xdotool("getwindowgeometry", "--shell", self.window)
        return {key: int(value) for key, value in (line.split("=", 1) for line in shell.split())}

    def windows(self) -> list[str]:
        """The app's visible top-level windows (a dialog or a second window would show here)."""
        assert self.process is not None
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--pid", str(self.process.pid)],
            env=self.env, capture_output=True, text=True, timeout=xvfb.WAIT_S,
        )  # fmt: skip
        return found.stdout.split()

    def assert_window_kept(self) -> None:
        """The same one window, still named after the app: the session never left it or opened another."""
        assert self.windows() == [self.window], f"windows {self.windows()}, not only {self.window}"
        assert self.xdotool("getwindowname", self.window).strip() == APP_NAME

    def background_grey(self) -> int:
        box = self.geometry()
        rect = [str(box[key]) for key in ("X", "Y", "WIDTH", "HEIGHT")]
        grab = subprocess.run(
            [sys.executable, "-c", BACKGROUND, *rect],
            env=self.env, capture_output=True, text=True, timeout=xvfb.WAIT_S,
        )  # fmt: skip
        assert grab.returncode == 0, grab.stderr
        return int(grab.stdout.strip())


def tiny_folder(data_dir: Path, theme: str) -> None:
    """The UK and English (N answers no whatever the machine's language), sound and voice off (no audio
    device here), the theme, the shortest time to get ready and a routine of one press-up on the elbows held
    1 s (an exercise with cautions, so their page comes first)."""
    repo = Repository.open(data_dir)
    try:
        repo.set_setting(safety_state.COUNTRY_SETTING, "GB")
        repo.set_setting("language", "en")
        repo.set_setting("sound_on", False)
        repo.set_setting("voice_on", False)
        repo.set_setting("told_about_tray", True)
        repo.set_setting("theme", theme)
        repo.set_setting("get_ready_s", GET_READY_S)
        elbows = RoutineItem(ELBOWS, Dose(HOLD_S, 1, 1, 0, 0), SideMode.BOTH)
        save_routine(repo, Routine(Phase.MOBILITY, (elbows,)))
    finally:
        repo.close()


@pytest.fixture(params=["light", "dark", "floor"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def app(display: xvfb.Display, tmp_path: Path, mode: str) -> Iterator[SessionApp]:
    data_dir = tmp_path / "e2e-data"
    tiny_folder(data_dir, "dark" if mode == "dark" else "light")
    running = SessionApp(display, data_dir, tmp_path)
    try:
        running.start()
        yield running
    finally:
        running.kill()


def test_a_whole_session_by_keyboard(app: SessionApp, mode: str) -> None:
    wait, keys = app.wait_for, app.keys
    keys("Return")  # Today: Start the session (it has the keyboard when the window opens)
    keys("Return")  # the guidance note: I understand
    wait(lambda: app.stored("settings", "disclaimer_accepted_at"), "the guidance note accepted")
    asked = len(red_flags.questions())
    keys(*["n"] * asked, "Return")  # every red-flag question: no; then Continue
    wait(lambda: app.has_event(SafetyEventKind.RED_FLAG_ANSWERS), "the red-flag answers stored")
    app.assert_window_kept()

    # The pain check before: the keyboard starts on back pain 0. Back 2, Tab, leg 3, Tab to how far down the
    # leg (nothing chosen beforehand), two along to Thigh, Tab past "new numbness", Tab to Start, Enter.
    keys("Right", "Right", "space", "Tab", *["Right"] * 3, "space", "Tab", "Right", "Right", "space")
    keys("Tab", "Tab", "Return")
    keys("Return")  # the cautions of an exercise not done before: I've read these (Enter)
    wait(lambda: app.stored("state", "cautions_seen"), "the cautions read")
    app.assert_window_kept()

    # While getting ready: F for floor mode, and Space to pause. (No window manager here, so floor mode
    # can't take the whole screen; its colours show it is on.)
    keys(*(["f"] if mode == "floor" else []), "space")
    paused_at = time.monotonic()
    if mode == "floor":
        wait(lambda: app.background_grey() <= DARK_MAX, "floor mode: white and yellow on black")
    # The app runs on the real clock: the pause has to last for the record to show it.
    time.sleep(max(0.0, PAUSE_S - (time.monotonic() - paused_at)))
    keys("space")  # carry on
    wait(lambda: app.session() is not None, "the exercise done (its checkpoint stored)")
    checkpoint = app.session()
    assert checkpoint is not None and checkpoint.exercises[0].reps_done == 1
    took = (checkpoint.ended_at - checkpoint.started_at).total_seconds()
    assert took >= PLANNED_S + PAUSE_S - 1, f"paused, then resumed: {took:.1f} s from Start to the hold's end"
    app.assert_window_kept()
    grey = app.background_grey()  # the after-exercise question waits: the page stands still
    if mode == "light":
        assert grey >= LIGHT_MIN, f"a light window, not grey {grey}"
    else:
        assert grey <= DARK_MAX, f"a dark ({mode}) window, not grey {grey}"

    keys("2")  # "About the same"
    wait(lambda: (s := app.session()) is not None and s.exercises[0].symptom is SymptomChange.SAME,
         "the answer stored")  # fmt: skip
    if mode == "floor":
        wait(lambda: app.background_grey() >= LIGHT_MIN, "floor mode over with the exercises")

    # The pain check after: back 1, leg 1, no leg symptoms, then Finish with Enter. Today the keyboard is still
    # on the session, not on the page's first answer as before the session: Tab goes to back pain 0 first.
    keys("Tab", "Right", "space", "Tab", "Right", "space", "Tab", "space", "Tab", "Tab", "Return")
    wait(lambda: (s := app.session()) is not None and s.outcome is Outcome.COMPLETED, "the session completed")
    app.assert_window_kept()
    keys("Return")  # the summary: Back to Today
    app.quit()

    repo = Repository.open(app.data_dir)
    try:
        [session] = repo.sessions()
    finally:
        repo.close()
    assert session.outcome is Outcome.COMPLETED
    [done] = session.exercises
    assert (done.exercise_id, done.reps_done, done.reps_planned, done.sets_done) == (ELBOWS, 1, 1, 1)
    assert not done.skipped
    assert done.symptom is SymptomChange.SAME
    before, after = session.pain_before, session.pain_after
    assert before is not None and (before.back, before.leg, before.reach) == (2, 3, LegReach.THIGH)
    assert after is not None and (after.back, after.leg, after.reach) == (1, 1, LegReach.NONE)
