"""A whole session through the real main window while the speech or sound engine hangs or fails (issue 15,
point 1): the session goes on and ends normally, its record is saved, the person is told once in plain
words that spoken cues (or sounds) are off, and closing the window returns at once. The engine is the fake
in tests/platform/fake_engine.py, run by the app's real worker loop in its own process."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.engine import Step
from sciatica_coach.core.model import Dose, Outcome, Phase, Routine, RoutineItem, SideMode
from sciatica_coach.platform.worker_process import (
    SOUND_FAILED,
    SOUND_HUNG,
    SPEECH_FAILED,
    SPEECH_HUNG,
    SoundProcess,
    SpeechProcess,
    WorkerProcess,
)
from sciatica_coach.services import cautions
from sciatica_coach.services.plans import save_routine
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.session_view import SessionView
from tests.helpers import (
    FakeClock,
    answer_pain,
    answer_red_flags,
    fake_services,
    session_past_guidance,
)

FAKE_ENGINE = Path(__file__).resolve().parents[1] / "platform" / "fake_engine.py"
SHORT = Routine(
    Phase.MOBILITY,
    (
        RoutineItem("prone-on-elbows", Dose(2, 2, 1, 1, 0), SideMode.BOTH),
        RoutineItem("knee-to-chest", Dose(2, 1, 1, 1, 0), SideMode.LEFT_THEN_RIGHT),
    ),
)


@pytest.fixture
def speeches() -> Iterator[list[WorkerProcess]]:
    made: list[WorkerProcess] = []
    yield made
    for speech in made:
        speech.close()


def window_with_engine(
    qtbot: QtBot, data_dir: Path, kind: str, mode: str, made: list[WorkerProcess]
) -> tuple[MainWindow, FakeClock]:
    repo = Repository.open(data_dir)
    repo.set_setting("get_ready_s", 5)  # the times below count from a 5 s get-ready
    save_routine(repo, SHORT)
    cautions.mark_seen(repo, load_catalogue().exercises)
    services = fake_services()

    def speech(_volume: int) -> SpeechProcess:
        made.append(SpeechProcess([sys.executable, str(FAKE_ENGINE), mode], call_timeout=0.5))
        return made[-1]  # type: ignore[return-value]

    def sound(_volume: int) -> SoundProcess:
        made.append(SoundProcess([sys.executable, str(FAKE_ENGINE), mode], call_timeout=0.5))
        return made[-1]  # type: ignore[return-value]

    if kind == "speech":
        services.speech = speech
    else:
        services.sound = sound
    clock = FakeClock()
    window = MainWindow(AppContext(repo, clock, services))
    qtbot.addWidget(window)
    window.show()
    return window, clock


def run_for(view: SessionView, clock: FakeClock, seconds: int) -> None:
    assert view.runner is not None
    for _ in range(seconds):
        clock.advance(1)
        view.runner.tick()


@pytest.mark.parametrize(
    ("kind", "mode", "notice"),
    [
        ("speech", "hangs", SPEECH_HUNG),
        ("speech", "fails", SPEECH_FAILED),
        ("sound", "hangs", SOUND_HUNG),
        ("sound", "fails", SOUND_FAILED),
    ],
)
def test_session_goes_on_and_ends_normally_when_an_engine_hangs_or_fails(  # type: ignore[no-untyped-def]
    qtbot: QtBot, data_dir: Path, speeches, kind: str, mode: str, notice: str
) -> None:
    window, clock = window_with_engine(qtbot, data_dir, kind, mode, speeches)
    view = session_past_guidance(window)
    answer_red_flags(view)
    answer_pain(view.before, 2, 3)
    view.before.continue_button.click()  # the session starts: "Get ready" is the first spoken cue
    assert view.stack.currentWidget() is view.running and view.runner is not None
    run_for(view, clock, 5)  # the get-ready countdown, then "Hold" with its rising beep
    assert view.runner.status().step is Step.HOLD, "the cues did not hold the session up"
    [speech] = speeches  # made when first used
    # The worker is a real process: wait (with a deadline) until its silence or its error is noticed
    qtbot.waitUntil(lambda: not speech.available, timeout=20_000)
    qtbot.waitUntil(view.running.service_note.isVisible, timeout=5_000)
    assert view.running.service_note.text() == notice

    run_for(view, clock, 6)
    qtbot.keyClick(view, Qt.Key.Key_1)  # moved up
    run_for(view, clock, 40)
    qtbot.keyClick(view, Qt.Key.Key_2)  # the same
    assert view.stack.currentWidget() is view.after
    answer_pain(view.after, 1, 2)
    view.after.continue_button.click()
    [record] = window.ctx.repo.sessions()
    assert record.outcome is Outcome.COMPLETED
    assert [e.reps_done for e in record.exercises] == [2, 2]
    assert view.running.service_note.text() == notice, "reported once"

    started = time.perf_counter()
    window.close()
    window.ctx.close_services()  # what the app does as it quits
    assert time.perf_counter() - started < 1.0, "closing waited on the speech engine"
    proc = speech._proc
    assert proc is not None
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=5_000)


def test_a_later_session_says_speech_is_off_from_the_start(qtbot: QtBot, data_dir: Path, speeches) -> None:  # type: ignore[no-untyped-def]
    window, _clock = window_with_engine(qtbot, data_dir, "speech", "fails", speeches)
    window.ctx.speech.say("Hold.")
    qtbot.waitUntil(lambda: window.ctx.services_off() == [SPEECH_FAILED], timeout=20_000)
    view = session_past_guidance(window)
    assert view.running.service_note.text() == SPEECH_FAILED
