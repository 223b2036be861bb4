"""Shared fakes for the tests: a clock that only moves when a test moves it, and a plain stored session; and
the real main window over a test's data, with the steps that take a session past its opening checks."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sciatica_coach
from sciatica_coach.core.clock import ManualClock
from sciatica_coach.core.model import (
    ExerciseRecord,
    LegReach,
    Outcome,
    PainReport,
    Phase,
    Routine,
    SessionRecord,
    SymptomChange,
)

# The folder child processes import sciatica_coach from: the checkout, or site-packages when the suite runs
# from an unpacked sdist against the installed package (packaging/sdist_check.py).
PACKAGE_HOME = Path(sciatica_coach.__file__).resolve().parent.parent
# PYTHONPATH for such a child: that copy of the app first, then the folder holding tests/ (for test helpers).
CHILD_PYTHONPATH = os.pathsep.join(
    dict.fromkeys([str(PACKAGE_HOME), str(Path(__file__).resolve().parent.parent)])
)

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from sciatica_coach.core.model import SafetyEvent, SafetyEventKind
    from sciatica_coach.storage.repository import Repository
    from sciatica_coach.views.context import ServiceFactories
    from sciatica_coach.views.main_window import MainWindow
    from sciatica_coach.views.pain_check import PainCheck
    from sciatica_coach.views.progress_page import ProgressPage
    from sciatica_coach.views.session_view import SessionView


class FakeClock(ManualClock):
    """The app's ManualClock, starting on a Monday morning, that can also move the wall clock alone:
    `jump_wall` (a clock change) and `sleep_machine` (suspend: the monotonic clock stands still)."""

    def __init__(self, start: datetime | None = None, zone: str = "Europe/London") -> None:
        super().__init__(start or datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo(zone)))

    def jump_wall(self, seconds: float) -> None:
        self._wall = self._wall + timedelta(seconds=seconds)

    def sleep_machine(self, seconds: float) -> None:
        self.jump_wall(seconds)


class FakeSound:
    available = True

    def __init__(self, _volume: int = 80) -> None:
        self.played: list[str] = []
        self.volume = _volume

    def play(self, name: str) -> None:
        self.played.append(name)

    def set_volume(self, percent: int) -> None:
        self.volume = percent


class FakeSpeech:
    available = True

    def __init__(self, _volume: int = 80) -> None:
        self.said: list[str] = []
        self.volume = _volume

    def say(self, text: str) -> None:
        self.said.append(text)

    def stop(self) -> None:
        pass

    def set_volume(self, percent: int) -> None:
        self.volume = percent


class FakeScreenKeeper:
    def __init__(self) -> None:
        self.awake = False

    def keep_awake(self, reason: str) -> None:
        self.awake = True

    def release(self) -> None:
        self.awake = False


class FakeListener:
    """The listening worker as the app sees it: `hear` is the worker telling a phrase it recognised.
    Modes: "works"; "hangs" (takes every request, never hears anything, never fails); "fails" (says at once, as
    a worker without a microphone does, that listening is off)."""

    FAILURE = "No microphone was found, so voice commands are off."

    def __init__(self, mode: str = "works") -> None:
        self.mode = mode
        self.available = mode != "fails"
        self.failure: str | None = None
        self.on_heard: Callable[[str, str], None] | None = None
        self.on_failure: Callable[[str], None] | None = None
        self.asked: list[str] = []  # "listen session", "quiet", "mute 2.3"
        self.closed = False

    def __call__(self, language: str, *, on_heard=None, on_failure=None, **_more):  # type: ignore[no-untyped-def]
        """As a ServiceFactories.listener: hands out this fake."""
        self.language, self.on_heard, self.on_failure = language, on_heard, on_failure
        if self.mode == "fails":
            self.failure = self.FAILURE
            if on_failure is not None:
                on_failure(self.FAILURE)
        return self

    def listen(self, asking) -> None:  # type: ignore[no-untyped-def]
        self.asked.append(f"listen {asking.value}")

    def quiet(self) -> None:
        self.asked.append("quiet")

    def mute(self, seconds: float) -> None:
        self.asked.append(f"mute {seconds:g}")

    def close(self) -> None:
        self.closed = True

    @property
    def asking(self) -> str | None:
        """What the app listens for now (None: not listening)."""
        last = self.asked_listening[-1] if self.asked_listening else "quiet"
        return None if last == "quiet" else last.removeprefix("listen ")

    @property
    def asked_listening(self) -> list[str]:
        return [line for line in self.asked if not line.startswith("mute")]

    def hear(self, words: str) -> None:
        """The worker recognised `words` on the screen it listens for (nothing while it hangs or is off)."""
        if self.mode == "works" and self.on_heard is not None and self.asking is not None:
            self.on_heard(self.asking, words)


def fake_services():  # type: ignore[no-untyped-def]
    """ServiceFactories that hand out recording fakes; the fakes are reachable as attributes."""
    from sciatica_coach.views.context import ServiceFactories

    sound, speech, screen, listener = FakeSound(), FakeSpeech(), FakeScreenKeeper(), FakeListener()
    factories = ServiceFactories(
        sound=lambda _v: sound, speech=lambda _v: speech, screen=lambda: screen, listener=listener
    )
    factories.fake_sound = sound  # type: ignore[attr-defined]
    factories.fake_speech = speech  # type: ignore[attr-defined]
    factories.fake_screen = screen  # type: ignore[attr-defined]
    factories.fake_listener = listener  # type: ignore[attr-defined]
    return factories


def session_record(session_id: str, start: datetime, **fields: object) -> SessionRecord:
    """A stored session of 12 minutes: one bridge answered "the same", leg symptoms to the thigh before and
    after; `fields` replace any of it."""
    record = SessionRecord(
        id=session_id,
        started_at=start,
        ended_at=start + timedelta(minutes=12),
        phase=Phase.MOBILITY,
        exercises=(ExerciseRecord("bridge", 10, 10, 1, 1, 5, symptom=SymptomChange.SAME),),
        outcome=Outcome.COMPLETED,
        pain_before=PainReport(3, 3, LegReach.THIGH),
        pain_after=PainReport(3, 3, LegReach.THIGH),
    )
    return replace(record, **fields)  # type: ignore[arg-type]


def progress_page(qtbot: QtBot, repo: Repository, now: datetime) -> ProgressPage:
    """The Progress page over `repo` on its own, shown at 1000 x 800, its clock standing at `now`."""
    from sciatica_coach.views.context import AppContext
    from sciatica_coach.views.progress_page import ProgressPage

    page = ProgressPage(AppContext(repo, FakeClock(now)))
    qtbot.addWidget(page)
    page.resize(1000, 800)
    page.show()
    return page


@contextmanager
def main_window(
    qtbot: QtBot, repo: Repository, clock: FakeClock | None = None, services: ServiceFactories | None = None
) -> Iterator[MainWindow]:
    """The real main window over `repo`, shown, with `clock` and `services` (by default a new FakeClock and
    fake_services()); a running session's timer is stopped afterwards."""
    from sciatica_coach.views.context import AppContext
    from sciatica_coach.views.main_window import MainWindow

    clock = FakeClock() if clock is None else clock
    services = fake_services() if services is None else services
    window = MainWindow(AppContext(repo, clock, services))
    qtbot.addWidget(window)
    window.show()
    yield window
    if window.session_view is not None and window.session_view.runner is not None:
        window.session_view.runner.timer.stop()


@contextmanager
def window_with_routine(qtbot: QtBot, data_dir: Path, routine: Routine) -> Iterator[MainWindow]:
    """The real main window over a fresh data folder whose routine is `routine` (country: GB)."""
    from sciatica_coach.services.plans import save_routine
    from sciatica_coach.storage.repository import Repository

    repo = Repository.open(data_dir)
    save_routine(repo, routine)
    repo.set_setting("country", "GB")
    with main_window(qtbot, repo) as window:
        yield window


def session_past_guidance(window: MainWindow) -> SessionView:
    """Start a session and accept the guidance note if it is shown."""
    window.start_session()
    view = window.session_view
    assert view is not None
    if view.stack.currentWidget() is view.guidance:
        view.guidance.accept_button.click()
    return view


def answer_red_flags(view: SessionView, yes: tuple[str, ...] = ()) -> None:
    """Answer every red-flag question on the page shown: "yes" to those in `yes`, "no" to the rest."""
    assert view.stack.currentWidget() is view.red_flags
    for flag_id in view.red_flags.groups:
        view.red_flags.answer(flag_id, flag_id in yes)
    view.red_flags.continue_button.click()


def session_past_red_flags(window: MainWindow) -> SessionView:
    """Start a session and get past the guidance note and the red-flag check (all "no") if they are asked."""
    view = session_past_guidance(window)
    if view.stack.currentWidget() is view.red_flags:
        answer_red_flags(view)
    return view


def session_running(window: MainWindow) -> SessionView:
    """Start a session and get past every opening check (all "no", pain 2 and 2, cautions read): the
    exercises are running."""
    view = session_past_red_flags(window)
    answer_pain(view.before, 2, 2)
    view.before.continue_button.click()
    if view.stack.currentWidget() is view.cautions:
        view.cautions.read_button.click()
    assert view.runner is not None
    return view


def answer_pain(check: PainCheck, back: int, leg: int, reach: LegReach = LegReach.NONE) -> None:
    """Answer a pain check (back and leg 0-10, how far down the leg) without submitting it."""
    check.back.set_value(back)
    check.leg.set_value(leg)
    check.set_reach(reach)


def safety_events(window: MainWindow, kind: SafetyEventKind) -> list[SafetyEvent]:
    """The stored safety events of one kind."""
    return [event for event in window.ctx.repo.safety_events() if event.kind is kind]
