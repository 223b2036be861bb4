"""What the moving exercise figure costs (issue 23: smooth at 30 frames a second or more, at most 10 % of one
core during a hold, no timer while nothing moves).

1. Per frame, for every exercise: making the in-between pose and its SVG (views/figure_motion; done once
   per exercise and kept), and painting it as the session does (views/illustrations.render_illustration)
   at two picture sizes. The CPU share at 30 frames a second follows from the painting.
2. A real session, offscreen, on the real clock and the real repaint timer: the process's CPU time over wall
   time while the figure moves into a hold (its first 2 s), while it holds still, and the timer's interval in
   each. Linux or not: CPU time is Python's process_time.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/figure_motion_bench.py [--hold-s 12]
Prints figures; no verdict.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSize, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

SIZES = (QSize(640, 360), QSize(1280, 720))  # a session picture at 100 % and at 200 % (or a large window)
FRAMES = 60


def frame_costs() -> None:
    from sciatica_coach.views.figure_motion import between, can_blend
    from sciatica_coach.views.illustration_sources import POSES
    from sciatica_coach.views.illustrations import render_illustration

    ink, accent = QColor("#202020"), QColor("#d9480f")
    print(f"== One frame (median of {FRAMES} in-between poses per exercise), milliseconds")
    print(
        "  the pose and its SVG are made once per exercise and kept (figure_motion.prepare, while the figure"
    )
    print("  stands still); each moving frame only paints one")
    print(
        f"  {'exercise':22} {'made once':>9}  " + "  ".join(f"paint {s.width()}x{s.height()}" for s in SIZES)
    )
    worst: dict[int, float] = {s.width(): 0.0 for s in SIZES}
    for name, pose in POSES.items():
        start, hold = pose(False), pose(True)
        if not can_blend(start, hold):
            continue
        made, painted = [], {s.width(): [] for s in SIZES}
        for index in range(1, FRAMES + 1):
            t = index / (FRAMES + 1)
            began = time.perf_counter()
            svg = between(start, hold, t).svg()
            made.append(time.perf_counter() - began)
            for size in SIZES:
                began = time.perf_counter()
                render_illustration(f"{name}-hold", size, ink, accent, svg_text=svg)
                painted[size.width()].append(time.perf_counter() - began)
        cells = []
        for size in SIZES:
            paint = statistics.median(painted[size.width()])
            worst[size.width()] = max(worst[size.width()], paint)
            cells.append(f"{1000 * paint:14.2f}")
        print(f"  {name:22} {1000 * statistics.median(made):9.2f}  " + "  ".join(cells))
    for size in SIZES:
        paint = worst[size.width()]
        print(
            f"  painted at {size.width()}x{size.height()}: worst exercise {1000 * paint:.2f} ms a frame = "
            f"{100 * paint * 30:.1f} % of one core at 30 frames a second while moving"
        )


def session_cpu(hold_s: int, exercise_id: str) -> None:
    from sciatica_coach.core.clock import SystemClock
    from sciatica_coach.core.engine import Step
    from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, SideMode
    from sciatica_coach.core.motion import MOVE_IN_S
    from sciatica_coach.services.plans import save_routine
    from sciatica_coach.storage.repository import Repository
    from sciatica_coach.views.context import AppContext
    from sciatica_coach.views.main_window import MainWindow
    from tests.helpers import fake_services, session_running

    app = QApplication.instance()
    with tempfile.TemporaryDirectory() as folder:
        repo = Repository.open(Path(folder))
        save_routine(
            repo, Routine(Phase.BALL, (RoutineItem(exercise_id, Dose(hold_s, 1, 1, 5, 0), SideMode.BOTH),))
        )
        repo.set_setting("country", "GB")
        repo.set_setting("get_ready_s", 5)
        window = MainWindow(AppContext(repo, SystemClock(), fake_services()))
        window.resize(1280, 800)
        window.show()
        view = session_running(window)
        runner = view.runner
        assert runner is not None and app is not None
        deadline = time.monotonic() + 120
        while runner.status().step is not Step.HOLD and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.002)
        phases = (("moving into the hold", MOVE_IN_S), ("holding still", hold_s - MOVE_IN_S - 0.5))
        print(f"\n== A real session offscreen (1280x800 window), real clock: a {hold_s} s {exercise_id} hold")
        for label, seconds in phases:
            frames: list[float] = []

            def painted(times: list[float] = frames) -> None:
                times.append(time.perf_counter())

            view.frames.timeout.connect(painted)
            loop = QEventLoop()
            QTimer.singleShot(round(seconds * 1000), loop.quit)
            began_wall, began_cpu = time.perf_counter(), time.process_time()
            loop.exec()  # the app's own event loop: only its timers wake it
            wall = time.perf_counter() - began_wall
            share = (time.process_time() - began_cpu) / wall
            view.frames.timeout.disconnect(painted)
            rate = (len(frames) - 1) / (frames[-1] - frames[0]) if len(frames) > 2 else 0.0
            print(
                f"  {label:22} {100 * share:5.1f} % of one core over {wall:.1f} s; frame timer: "
                f"{len(frames)} frames" + (f", {rate:.1f} a second while it ran" if rate else "")
            )
        runner.timer.stop()
        window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hold-s", type=int, default=12)
    parser.add_argument("--exercise", default="ball-marching", help="the costliest to paint, by default")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    assert app is not None
    frame_costs()
    session_cpu(args.hold_s, args.exercise)


if __name__ == "__main__":
    main()
