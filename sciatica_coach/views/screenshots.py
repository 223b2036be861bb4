"""Pictures of every main view with demo data, for the README and the AppStream metainfo.

    python -m sciatica_coach.views.screenshots -o docs/screenshots [--theme light|dark|both]

Renders Today, a session mid-hold, floor mode, the red-flag (urgent care) screen, Progress (26 weeks of demo
history), Reminders, the routine editor and Settings at 1280×800 into `<view>-<light|dark>.png`, plus
`today.png`, `session.png` and `progress.png` (light copies, which the metainfo points at).

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
from zoneinfo import ZoneInfo

from sciatica_coach.core.clock import ManualClock

log = logging.getLogger(__name__)

SIZE = (1280, 800)
NOW = datetime(2026, 6, 30, 10, 20, tzinfo=ZoneInfo("Europe/London"))  # a Tuesday morning
DEMO_WEEKS = 26
PROGRESS_WEEKS = 26
PROGRESS_SCROLL_MARGIN_PX = 16
HOLD_SECONDS_SHOWN = 3  # how far into the hold the "mid-hold" picture is taken
MAX_SESSION_STEPS_S = 600
THEMES = ("light", "dark")
VIEWS = ("today", "session", "floor", "red-flag", "progress", "reminders", "routine", "settings")
METAINFO_COPIES = ("today", "session", "progress")  # light copies under their bare names


def expected_files(themes: Sequence[str] = THEMES) -> list[str]:
    names = [f"{view}-{theme}.png" for theme in themes for view in VIEWS]
    if "light" in themes:
        names += [f"{view}.png" for view in METAINFO_COPIES]
    return names


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
    from sciatica_coach import safety_state
    from sciatica_coach.core.demo import generate_demo_history
    from sciatica_coach.storage.repository import Repository

    repo = Repository.open(folder)
    demo = generate_demo_history(DEMO_WEEKS, NOW)
    repo.add_sessions(list(demo.sessions))
    repo.add_safety_events(list(demo.safety_events))
    repo.add_excused_days(demo.excused_days)
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
        self.settle()
        if self.window.size().width() != SIZE[0] or self.window.size().height() != SIZE[1]:
            self.window.resize(*SIZE)
            self.settle()
        path = self.out / f"{view}-{self.theme}.png"
        if not self.window.grab().save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        log.info("wrote %s", path)
        return path

    def page(self, key: str) -> Path:
        self.window.show_page(key)
        return self.save(key)

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
        runner = view.runner
        assert runner is not None, "the session did not start"
        runner.timer.stop()  # time moves only when this module moves it
        for _ in range(MAX_SESSION_STEPS_S):
            if runner.status().step is Step.HOLD:
                break
            self.clock.advance(1)
            runner.tick()
        else:
            raise RuntimeError("the session never reached a hold")
        for _ in range(HOLD_SECONDS_SHOWN):
            self.clock.advance(1)
            runner.tick()

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


def render_all(out: Path, themes: Sequence[str] = THEMES) -> list[Path]:
    """Render every view in each theme into `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="sciatica-coach-screenshots-") as temp:
        work = Path(temp)
        _private_environment(work / "home")
        from PySide6.QtWidgets import QApplication

        from sciatica_coach.app import make_application

        app = QApplication.instance() or make_application(["sciatica-coach"])
        assert app is not None
        for theme in themes:
            written += render_theme(work, out, theme)
    if "light" in themes:
        for view in METAINFO_COPIES:
            target = out / f"{view}.png"
            shutil.copyfile(out / f"{view}-light.png", target)
            written.append(target)
    return written


def main(argv: Sequence[str] | None = None, render: Callable[..., list[Path]] = render_all) -> int:
    parser = argparse.ArgumentParser(prog="python -m sciatica_coach.views.screenshots", description=__doc__)
    parser.add_argument("-o", "--output", default="docs/screenshots", help="folder for the PNG files")
    parser.add_argument("--theme", choices=(*THEMES, "both"), default="both")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    themes = THEMES if args.theme == "both" else (args.theme,)
    written = render(Path(args.output), themes)
    print(f"Wrote {len(written)} screenshots to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
