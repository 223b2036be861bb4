"""End to end, in the real window with a real window manager: leaving a running session by Ctrl+2 and by
Alt+F4 asks first, like Esc, and what was done is kept either way (issue 15, points 4 and 7), in light, dark
and floor mode.

The real app runs on a private Xvfb with openbox managing its window, so Alt+F4 is what a desktop does with
it: the window manager asks the window to close. Keys only (xdotool); every wait polls the data folder.
Skipped with the reason when Xvfb, xdotool, dbus-daemon or openbox is missing."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sciatica_coach.core import red_flags
from sciatica_coach.core.model import Dose, Outcome, Phase, Routine, RoutineItem, SideMode
from sciatica_coach.services.plans import save_routine
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.session_runner import CHECKPOINT_REASON
from tests import test_safety_e2e_xvfb as xvfb
from tests.test_session_e2e_xvfb import ELBOWS, SessionApp, tiny_folder

pytestmark = pytest.mark.xvfb

display = xvfb.display  # the private Xvfb and D-Bus of that file, one for this module's tests
HOLD_S = 4  # long enough to press keys in, short enough for a quick test


@pytest.fixture(scope="module")
def window_manager(display: xvfb.Display) -> Iterator[None]:
    if shutil.which("openbox") is None:
        pytest.skip("needs openbox (Debian package openbox): Alt+F4 is the window manager's key")
    manager = subprocess.Popen(
        ["openbox", "--sm-disable"], env={**xvfb.os.environ, **display.env},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(0.5)  # openbox takes the screen before the app's window is mapped (a real wait on a process)
    try:
        yield
    finally:
        manager.terminate()
        manager.wait(timeout=xvfb.WAIT_S)


@pytest.fixture(params=["light", "dark", "floor"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def app(display: xvfb.Display, window_manager: None, tmp_path: Path, mode: str) -> Iterator[SessionApp]:
    data_dir = tmp_path / "e2e-data"
    tiny_folder(data_dir, "dark" if mode == "dark" else "light")
    repo = Repository.open(data_dir)
    try:
        save_routine(
            repo, Routine(Phase.MOBILITY, (RoutineItem(ELBOWS, Dose(HOLD_S, 1, 1, 0, 0), SideMode.BOTH),))
        )
    finally:
        repo.close()
    running = SessionApp(display, data_dir, tmp_path)
    try:
        running.start()
        yield running
    finally:
        running.kill()


def into_the_session(app: SessionApp) -> None:
    """Start, the guidance note, no to every red-flag question, a pain check, the cautions: by keys only."""
    app.keys("Return", "Return")
    app.wait_for(lambda: app.stored("settings", "disclaimer_accepted_at"), "the guidance note accepted")
    app.keys(*["n"] * len(red_flags.questions()), "Return")
    app.keys("Right", "space", "Tab", "Right", "space", "Tab", "space", "Tab", "Tab", "Return")  # 1, 1, none
    app.keys("Return")  # the cautions read
    app.wait_for(lambda: app.stored("state", "cautions_seen"), "the cautions read")


def alive(app: SessionApp) -> bool:
    return app.process is not None and app.process.poll() is None


def test_ctrl_2_and_alt_f4_in_a_running_session_ask_and_keep_what_was_done(
    app: SessionApp, mode: str
) -> None:
    into_the_session(app)
    if mode == "floor":
        app.keys("f")  # floor mode: full screen, white and yellow on black
    app.keys("ctrl+2")  # Progress, in the middle of getting ready: the session asks instead
    app.wait_for(lambda: app.session() is not None, "what was done kept at once")
    kept = app.session()
    assert kept is not None and kept.outcome is Outcome.ENDED_EARLY and kept.reason == CHECKPOINT_REASON
    app.assert_window_kept()
    app.keys("Escape")  # keep going
    app.wait_for(lambda: (s := app.session()) is not None and s.exercises[0].reps_done == 1, "the hold done")

    app.keys("alt+F4")  # the window manager asks the window to close: the session asks first
    time.sleep(1.0)  # a real close would have ended the process by now
    assert alive(app), f"the app closed mid-session\n{app.log()}"
    app.assert_window_kept()
    app.keys("Return")  # yes, end the session: the pain check after
    app.keys("alt+F4")  # closing there keeps the whole session, without the pain after
    app.wait_for(lambda: not alive(app), "the app to close")
    assert "Traceback" not in app.log(), app.log()

    repo = Repository.open(app.data_dir)
    try:
        [session] = repo.sessions()
    finally:
        repo.close()
    # Its only exercise was done, so ending at its question finishes the session; the question stays unanswered.
    assert session.outcome is Outcome.COMPLETED and session.pain_after is None
    assert session.exercises[0].reps_done == 1 and session.exercises[0].symptom is None
