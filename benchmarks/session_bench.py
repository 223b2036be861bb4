"""Session timer figures.

1. A simulated 30-minute session on a stepped clock, with a 500 ms event-loop stall injected every few
   repaints: how far the real step boundaries drift from the planned ones (goal <= 20 ms; by design 0).
2. A real-clock 60-second session run offscreen through the same runner the app uses: how far its end
   lands from the planned end on the wall clock (one repaint interval of lateness is expected).

Run: python benchmarks/session_bench.py [--skip-real]"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sciatica_coach.core.clock import ManualClock
from sciatica_coach.core.engine import SessionEngine, StepStarted, build_plan, planned_duration_s
from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, SideMode

REPAINT_S = 0.2
STALL_S = 0.5
STALL_EVERY_TICKS = 7


def thirty_minute_routine() -> Routine:
    items = [
        RoutineItem("pelvic-tilt", Dose(5, 10, 2, 5, 30), SideMode.BOTH),
        RoutineItem("knee-to-chest", Dose(20, 3, 2, 10, 30), SideMode.LEFT_THEN_RIGHT),
        RoutineItem("bird-dog", Dose(8, 8, 2, 4, 45), SideMode.ALTERNATING),
        RoutineItem("prone-lying", Dose(120, 1, 1, 0, 0), SideMode.BOTH),
        RoutineItem("bridge", Dose(10, 10, 2, 6, 45), SideMode.BOTH),
        RoutineItem("dead-bug", Dose(3, 10, 2, 3, 45), SideMode.ALTERNATING),
        RoutineItem("figure-four", Dose(30, 3, 1, 10, 0), SideMode.LEFT_THEN_RIGHT),
    ]
    return Routine(Phase.STRENGTH, tuple(items))


def simulated_drift_ms() -> tuple[float, float]:
    """Worst gap between a step's deadline as the engine set it and its planned end, over a session
    ticked every 200 ms with a 500 ms stall every 7th tick."""
    routine = thirty_minute_routine()
    plan = build_plan(routine.items)
    planned_ends = list(accumulate(step.duration_s for step in plan))
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC), monotonic_start=0.0)
    engine = SessionEngine(routine, clock)
    index = -1
    worst = 0.0
    ticks = 0
    events = engine.start()
    while True:
        for event in events:
            if isinstance(event, StepStarted):
                index += 1
        deadline = engine.deadline_monotonic
        if engine.done or deadline is None:
            break
        worst = max(worst, abs(deadline - planned_ends[index]))
        ticks += 1
        clock.advance(REPAINT_S + (STALL_S if ticks % STALL_EVERY_TICKS == 0 else 0.0))
        events = engine.tick()
    return worst * 1000, planned_duration_s(routine) / 60


def real_clock_deviation_ms() -> float:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from sciatica_coach.core.clock import SystemClock

    app = QApplication.instance() or QApplication([])
    routine = Routine(Phase.MOBILITY, (RoutineItem("pelvic-tilt", Dose(5, 5, 1, 5, 0), SideMode.BOTH),
                                       RoutineItem("bridge", Dose(5, 2, 1, 3, 0), SideMode.BOTH)))  # fmt: skip
    planned = planned_duration_s(routine)
    engine = SessionEngine(routine, SystemClock())
    start = time.monotonic()
    finished_at: list[float] = []

    def tick() -> None:
        engine.tick()
        if engine.done and not finished_at:
            finished_at.append(time.monotonic())
            app.quit()

    timer = QTimer()
    timer.setInterval(200)
    timer.timeout.connect(tick)
    engine.start()
    timer.start()
    app.exec()
    return ((finished_at[0] - start) - planned) * 1000


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    drift, minutes = simulated_drift_ms()
    print(f"session timer drift ({minutes:.0f}-min session, 500 ms stalls): {drift:.1f} ms (goal <= 20 ms)")
    if "--skip-real" not in args:
        deviation = real_clock_deviation_ms()
        print(f"real-clock 60 s session, end vs wall clock: {deviation:+.0f} ms (goal <= one 200 ms repaint)")


if __name__ == "__main__":
    main()
