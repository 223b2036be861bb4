"""Pictures of every main view with demo data, for the README and the AppStream metainfo, and of every stage
of one whole session, for reviewing the session screens as a person on the floor sees them.

    python -m sciatica_coach.views.screenshots -o docs/screenshots [--theme light|dark|both]
                                               [--set views|session|all]

The views: Today, a session mid-hold, floor mode, the red-flag (urgent care) screen, Progress (26 weeks of
demo history), Reminders, the routine editor, Settings and an exercise's own page (Today's "How to do
it") at 1280×800 into `<view>-<light|dark>.png`, plus
`today.png`, `session.png` and `progress.png` (light copies, which the metainfo points at).

The session set (`session/NN-<stage>-<light|dark>.png`, in the order a person meets them; SESSION_STAGES):
a first session on a fresh data folder, from the guidance note and the red-flag questions (all answered
"no") through the pain check, the cautions of new exercises, get-ready, a hold, a rest, a side switch, the
after-exercise question and the advice after "further down", floor mode, the "end the session?" question and
the "it hurts" pause to the pain check after and the summary; and, from a second run, the advice after an
urgent red-flag answer. `SessionWalk` drives the real SessionView through its public methods and buttons,
moving the ManualClock itself.

It runs offscreen, works in a temporary data folder (and a temporary HOME, so the autostart and config
folders of the real profile are never looked at) and uses a fixed "now" and a fixed demo story, so the
pictures only change when the views do."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sciatica_coach.core.clock import ManualClock

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from sciatica_coach.core.engine import SessionStatus
    from sciatica_coach.views.session_runner import SessionRunner
    from sciatica_coach.views.session_view import SessionView

log = logging.getLogger(__name__)

SIZE = (1280, 800)
NOW = datetime(2026, 6, 30, 10, 20, tzinfo=ZoneInfo("Europe/London"))  # a Tuesday morning
DEMO_WEEKS = 26
PROGRESS_WEEKS = 26
PROGRESS_SCROLL_MARGIN_PX = 16
HOLD_SECONDS_SHOWN = 3  # how far into the hold the "mid-hold" picture is taken
MAX_SESSION_STEPS_S = 600
THEMES = ("light", "dark")
VIEWS = (
    "today", "session", "floor", "red-flag", "progress", "reminders", "routine", "settings", "exercise-details",
)  # fmt: skip
METAINFO_COPIES = ("today", "session", "progress")  # light copies under their bare names
SETS = ("views", "session", "all")
SESSION_FOLDER = "session"
# Every stage of the session set, in the order a person meets them (the number in the file name).
SESSION_STAGES = (
    "guidance", "red-flags", "triage-urgent", "pain-before", "cautions", "get-ready", "hold",
    "rest-between-reps", "switch-side", "after-exercise-question", "further-down-advice", "floor-mode-hold",
    "end-confirm", "it-hurts", "pain-after", "summary",
)  # fmt: skip
URGENT_FLAG = "leg-weakness"  # a "yes" to it: see a doctor today (the urgent tier)
SECONDS_INTO_STEP = 2  # how far into a step (a hold, a rest) its picture is taken


def expected_files(themes: Sequence[str] = THEMES) -> list[str]:
    names = [f"{view}-{theme}.png" for theme in themes for view in VIEWS]
    if "light" in themes:
        names += [f"{view}.png" for view in METAINFO_COPIES]
    return names


def session_file(stage: str, theme: str) -> str:
    """The session set's file for a stage, relative to the output folder: `session/NN-<stage>-<theme>.png`."""
    return f"{SESSION_FOLDER}/{SESSION_STAGES.index(stage) + 1:02d}-{stage}-{theme}.png"


def expected_session_files(themes: Sequence[str] = THEMES) -> list[str]:
    return [session_file(stage, theme) for theme in themes for stage in SESSION_STAGES]


def _private_environment(home: Path) -> None:
    """Offscreen, and HOME/XDG folders inside our temp folder: nothing of the real profile is read."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["HOME"] = str(home)
    for name, sub in (("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                      ("XDG_STATE_HOME", ".local/state"), ("XDG_CACHE_HOME", ".cache")):  # fmt: skip
        os.environ[name] = str(home / sub)
    os.environ.pop("SCIATICA_COACH_DATA_DIR", None)


def _demo_folder(folder: Path, theme: str) -> None:
    """A data folder with the demo history, the theme chosen and the guidance note already read."""
    from sciatica_coach.core.demo import generate_demo_history
    from sciatica_coach.services import safety_state
    from sciatica_coach.storage.repository import Repository

    repo = Repository.open(folder)
    demo = generate_demo_history(DEMO_WEEKS, NOW)
    repo.add_sessions(list(demo.sessions))
    repo.add_safety_events(list(demo.safety_events))
    repo.add_excused_days(demo.excused_days)
    repo.add_sitting_breaks(list(demo.sitting_breaks))
    repo.set_setting(
        "sitting_breaks_on", True
    )  # on for the last weeks of the story (Today's introduction answered)
    repo.set_state("plan_start", demo.plan_start.isoformat())
    repo.set_setting("theme", theme)
    repo.set_setting("told_about_tray", True)
    repo.set_setting("country", "GB")  # the numbers in the pictures don't follow the machine's locale
    safety_state.accept_guidance(repo, NOW - timedelta(days=DEMO_WEEKS * 7))
    repo.close()


class Renderer:
    """Builds a main window on a demo data folder and saves pictures of it."""

    def __init__(self, folder: Path, out: Path, theme: str) -> None:
        from PySide6.QtWidgets import QApplication

        from sciatica_coach.platform.screen import NullScreenKeeper
        from sciatica_coach.platform.sound import NullSound
        from sciatica_coach.platform.speech import NullSpeech
        from sciatica_coach.storage.repository import Repository
        from sciatica_coach.views.context import AppContext, ServiceFactories
        from sciatica_coach.views.main_window import MainWindow

        self.app = QApplication.instance()
        self.out, self.theme = out, theme
        self.clock = ManualClock(NOW)  # the pictures must not depend on the hour
        self.repo = Repository.open(folder)
        services = ServiceFactories(
            sound=lambda _v: NullSound(), speech=lambda _v: NullSpeech(), screen=NullScreenKeeper
        )
        self.window = MainWindow(AppContext(self.repo, self.clock, services))
        self.window.apply_appearance()
        self.window.resize(*SIZE)
        self.window.show()
        self.settle()

    def settle(self) -> None:
        """Let queued layout, deferred loads and first paints happen (no waiting on the clock)."""
        assert self.app is not None
        for _ in range(5):
            self.app.processEvents()

    def save(self, view: str) -> Path:
        return self.save_as(self.out / f"{view}-{self.theme}.png")

    def save_as(self, path: Path) -> Path:
        self.settle()
        if self.window.size().width() != SIZE[0] or self.window.size().height() != SIZE[1]:
            self.window.resize(*SIZE)
            self.settle()
        if not self.window.grab().save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        log.info("wrote %s", path)
        return path

    def page(self, key: str) -> Path:
        self.window.show_page(key)
        return self.save(key)

    def exercise_details(self) -> Path:
        """The second exercise of today's routine on its own page (Today's "How to do it"), its preview a
        second into the move, at the window's size."""
        from sciatica_coach.core.motion import MOVE_IN_S
        from sciatica_coach.views.today_page import TodayPage

        self.window.show_page("today")
        self.settle()
        page = self.window.page("today")
        assert isinstance(page, TodayPage)
        items = page.routine_for_today().items
        item = items[min(1, len(items) - 1)]
        dialog = page.show_details(page.catalogue.get(item.exercise_id), item)
        try:
            dialog.resize(*SIZE)
            self.settle()
            dialog.show_at(MOVE_IN_S / 2)
            path = self.out / f"exercise-details-{self.theme}.png"
            if not dialog.grab().save(str(path), "PNG"):
                raise OSError(f"could not write {path}")
            log.info("wrote %s", path)
        finally:
            dialog.close()
            self.settle()
        return path

    def progress(self) -> Path:
        """Progress over 26 weeks, scrolled so the weekly chart is whole (the cards above are in Today's
        spirit; the chart is what the picture is for)."""
        from PySide6.QtCore import QPoint

        self.window.show_page("progress")
        page = self.window.page("progress")
        page.set_range(PROGRESS_WEEKS)  # type: ignore[attr-defined]
        self.settle()
        card = page.chart.parentWidget()  # type: ignore[attr-defined]
        top = card.mapTo(page.widget(), QPoint(0, 0)).y()  # type: ignore[attr-defined]
        page.verticalScrollBar().setValue(top - PROGRESS_SCROLL_MARGIN_PX)  # type: ignore[attr-defined]
        return self.save("progress")

    def session_to_mid_hold(self) -> None:
        from sciatica_coach.core.engine import Step
        from sciatica_coach.core.model import LegReach

        self.window.start_session()
        view = self.window.session_view
        assert view is not None
        if view.stack.currentWidget() is view.red_flags:
            for flag_id in view.red_flags.groups:
                view.red_flags.answer(flag_id, False)
            view.red_flags.continue_button.click()
        view.before.back.set_value(3)
        view.before.leg.set_value(2)
        view.before.set_reach(LegReach.NONE)
        view.before.continue_button.click()
        if view.stack.currentWidget() is view.cautions:  # new exercises' cautions come first
            view.cautions.read_button.click()
        self.run_until(lambda status: status.step is Step.HOLD, "a hold")
        self.run_for(HOLD_SECONDS_SHOWN)

    def runner(self) -> SessionRunner:
        """The running session's runner, its repaint timer stopped: time moves only when this module moves it."""
        view = self.window.session_view
        assert view is not None and view.runner is not None, "the session did not start"
        view.runner.timer.stop()
        return view.runner

    def run_for(self, seconds: int) -> None:
        runner = self.runner()
        for _ in range(seconds):
            self.clock.advance(1)
            runner.tick()

    def run_until(self, reached: Callable[[SessionStatus], bool], what: str) -> None:
        """Move the clock a second at a time until the session's status is `reached`."""
        runner = self.runner()
        for _ in range(MAX_SESSION_STEPS_S):
            if reached(runner.status()):
                return
            self.clock.advance(1)
            runner.tick()
        raise RuntimeError(f"the session never reached {what}")

    def floor_mode(self) -> None:
        view = self.window.session_view
        assert view is not None
        view.set_floor_mode(True)
        self.settle()
        # Offscreen "full screen" is the virtual screen's size; show it as a 1280×800 screen would.
        self.window.showNormal()
        self.window.resize(*SIZE)

    def red_flag(self) -> None:
        view = self.window.session_view
        assert view is not None
        for flag_id in view.red_flags.groups:
            view.red_flags.answer(flag_id, flag_id == "saddle-numbness")
        view.red_flags.continue_button.click()

    def close(self) -> None:
        view = self.window.session_view
        if view is not None and view.runner is not None:
            view.runner.timer.stop()
        self.window.hide()
        self.window.deleteLater()
        self.repo.close()
        self.settle()


def render_theme(work: Path, out: Path, theme: str) -> list[Path]:
    written: list[Path] = []
    folder = work / f"data-{theme}"
    _demo_folder(folder, theme)
    shutil.copytree(folder, work / f"data-{theme}-red-flag")

    r = Renderer(folder, out, theme)
    try:
        for key in ("today", "routine", "reminders", "settings"):
            written.append(r.page(key))
        written.append(r.exercise_details())
        written.append(r.progress())
        r.session_to_mid_hold()
        written.append(r.save("session"))
        r.floor_mode()
        written.append(r.save("floor"))
    finally:
        r.close()

    r = Renderer(work / f"data-{theme}-red-flag", out, theme)  # the questions were never answered there
    try:
        r.window.start_session()
        view = r.window.session_view
        assert view is not None
        if view.stack.currentWidget() is not view.red_flags:
            raise RuntimeError("the red-flag questions were not asked")
        r.red_flag()
        written.append(r.save("red-flag"))
    finally:
        r.close()
    return written


def _first_session_folder(folder: Path, theme: str) -> None:
    """A data folder as on the first day: nothing read or answered yet, the theme chosen, and a short routine
    of two exercises, the first done on one side then the other (so the session shows a side switch)."""
    from sciatica_coach.core.catalogue import load_catalogue
    from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, SideMode
    from sciatica_coach.services.plans import save_routine
    from sciatica_coach.storage.repository import Repository

    catalogue = load_catalogue()
    repo = Repository.open(folder)
    repo.set_setting("theme", theme)
    repo.set_setting("told_about_tray", True)
    repo.set_setting("country", "GB")
    knee_to_chest = RoutineItem("knee-to-chest", Dose(20, 2, 1, 10, 30), SideMode.LEFT_THEN_RIGHT)
    save_routine(repo, Routine(Phase.MOBILITY, (knee_to_chest, catalogue.default_item("pelvic-tilt"))))
    repo.close()


class SessionWalk:
    """One whole first session, stage by stage, saving a picture of each (SESSION_STAGES). Everything goes
    through the SessionView's public methods and buttons, as a click or key would; the clock moves only here."""

    def __init__(self, renderer: Renderer) -> None:
        self.r = renderer
        self.written: list[Path] = []

    @property
    def view(self) -> SessionView:
        view = self.r.window.session_view
        assert view is not None, "no session is open"
        return view

    def shot(self, stage: str) -> None:
        self.written.append(self.r.save_as(self.r.out / session_file(stage, self.r.theme)))

    def expect(self, page: QWidget, stage: str) -> None:
        if self.view.stack.currentWidget() is not page:
            raise RuntimeError(f"the session did not show the {stage} page")

    def to_red_flags(self, *, picture: bool = True) -> None:
        self.r.window.start_session()
        self.expect(self.view.guidance, "guidance")
        if picture:
            self.shot("guidance")
        self.view.guidance.accept_button.click()
        self.expect(self.view.red_flags, "red-flag")

    def walk(self) -> list[Path]:
        from sciatica_coach.core.engine import PauseReason, Step
        from sciatica_coach.core.model import LegReach, SymptomChange

        view, r = self.view, self.r
        for flag_id in view.red_flags.groups:
            view.red_flags.answer(flag_id, False)
        self.shot("red-flags")
        view.red_flags.continue_button.click()
        self.expect(view.before, "pain check")
        view.before.back.set_value(3)
        view.before.leg.set_value(3)
        view.before.set_reach(LegReach.THIGH)
        self.shot("pain-before")
        view.before.continue_button.click()
        self.expect(view.cautions, "cautions")
        self.shot("cautions")
        view.cautions.read_button.click()
        self.expect(view.running, "running")
        r.run_for(SECONDS_INTO_STEP)
        self.shot("get-ready")
        r.run_until(lambda status: status.step is Step.HOLD, "the first hold")
        r.run_for(SECONDS_INTO_STEP)
        self.shot("hold")
        r.run_until(lambda status: status.step is Step.REST_REP, "a rest between repetitions")
        r.run_for(SECONDS_INTO_STEP)
        self.shot("rest-between-reps")
        r.run_until(lambda status: status.step is Step.SWITCH_SIDE, "the side switch")
        r.run_for(SECONDS_INTO_STEP)
        self.shot("switch-side")
        r.run_until(lambda status: status.awaiting_answer is not None, "the after-exercise question")
        self.shot("after-exercise-question")
        view.running.symptom.buttons[SymptomChange.DOWN].click()
        self.shot("further-down-advice")
        view.toggle_pause()  # Space: carry on without the gentler exercise
        r.run_until(lambda status: status.step is Step.HOLD, "the second exercise's hold")
        r.run_for(SECONDS_INTO_STEP)
        view.set_floor_mode(True)
        r.settle()
        r.window.showNormal()  # offscreen "full screen" is the virtual screen: show it as a 1280×800 screen
        r.window.resize(*SIZE)
        self.shot("floor-mode-hold")
        view.set_floor_mode(False)
        view.ask_end()
        self.shot("end-confirm")
        view.cancel_end()
        view.hurts()
        if view.runner is None or view.runner.status().pause_reason is not PauseReason.HURTS:
            raise RuntimeError("'It hurts' did not pause the session")
        self.shot("it-hurts")
        view.toggle_pause()  # it eased: carry on
        r.run_until(lambda status: status.awaiting_answer is not None, "the last question")
        view.running.symptom.buttons[SymptomChange.SAME].click()
        self.expect(view.after, "pain check after")
        view.after.back.set_value(2)
        view.after.leg.set_value(2)
        view.after.set_reach(LegReach.BUTTOCK)
        self.shot("pain-after")
        view.after.continue_button.click()
        self.expect(view.stop, "summary")
        self.shot("summary")
        return self.written

    def triage(self) -> list[Path]:
        """The advice after a "yes" to an urgent question (a run of its own: it ends the session)."""
        view = self.view
        for flag_id in view.red_flags.groups:
            view.red_flags.answer(flag_id, flag_id == URGENT_FLAG)
        view.red_flags.continue_button.click()
        self.expect(view.triage, "triage")
        self.shot("triage-urgent")
        return self.written


def render_session_theme(work: Path, out: Path, theme: str) -> list[Path]:
    """The session set in one theme into `out`/session; returns the files written."""
    (out / SESSION_FOLDER).mkdir(parents=True, exist_ok=True)
    folder = work / f"first-session-{theme}"
    _first_session_folder(folder, theme)
    shutil.copytree(folder, work / f"first-session-{theme}-urgent")
    written: list[Path] = []
    for data, whole in ((folder, True), (work / f"first-session-{theme}-urgent", False)):
        r = Renderer(data, out, theme)
        try:
            walk = SessionWalk(r)
            walk.to_red_flags(picture=whole)
            written += walk.walk() if whole else walk.triage()
        finally:
            r.close()
    return written


def render_all(out: Path, themes: Sequence[str] = THEMES, which: str = "all") -> list[Path]:
    """Render every view (`which` "views"), the session set ("session") or both ("all") in each theme into
    `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="sciatica-coach-screenshots-") as temp:
        work = Path(temp)
        _private_environment(work / "home")
        from PySide6.QtWidgets import QApplication

        from sciatica_coach.views.theme import make_application

        app = QApplication.instance() or make_application(["sciatica-coach"])
        assert app is not None
        for theme in themes:
            if which in ("views", "all"):
                written += render_theme(work, out, theme)
            if which in ("session", "all"):
                written += render_session_theme(work, out, theme)
    if "light" in themes and which in ("views", "all"):
        for view in METAINFO_COPIES:
            target = out / f"{view}.png"
            shutil.copyfile(out / f"{view}-light.png", target)
            written.append(target)
    return written


def main(argv: Sequence[str] | None = None, render: Callable[..., list[Path]] = render_all) -> int:
    parser = argparse.ArgumentParser(prog="python -m sciatica_coach.views.screenshots", description=__doc__)
    parser.add_argument("-o", "--output", default="docs/screenshots", help="folder for the PNG files")
    parser.add_argument("--theme", choices=(*THEMES, "both"), default="both")
    parser.add_argument(
        "--set", choices=SETS, default="all", dest="which",
        help="the main views, the stages of a whole session (in <output>/session), or both",
    )  # fmt: skip
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    themes = THEMES if args.theme == "both" else (args.theme,)
    written = render(Path(args.output), themes, args.which)
    print(f"Wrote {len(written)} screenshots to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
