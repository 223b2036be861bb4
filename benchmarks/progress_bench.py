"""Progress benchmarks with ten years of twice-daily demo history (~7,300 sessions).

Prints one line per figure, `<figure>: <value> <unit> (goal <goal>)`:

* recording one more session: the repository write, atomic and fsynced (goal < 30 ms); also shown, for
  information, that plus rebuilding the Progress numbers, which an open Progress page does afterwards;
* opening Progress: building the page from the stored history and showing it, the first time (which
  includes importing pyqtgraph and numpy) and again with them loaded (goal < 250 ms).

Run as `python benchmarks/progress_bench.py` (headless: it uses Qt's offscreen platform)."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

YEARS_WEEKS = 522  # ten years
RECORD_GOAL_MS = 30.0
OPEN_GOAL_MS = 250.0
RECORD_REPEATS = 15
OPEN_REPEATS = 5


def _figure(name: str, value_ms: float, goal_ms: float) -> str:
    return f"{name}: {value_ms:.1f} ms (goal < {goal_ms:.0f} ms)"


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from sciatica_coach.core.adherence import build_history
    from sciatica_coach.core.clock import ManualClock
    from sciatica_coach.core.demo import generate_demo_history
    from sciatica_coach.core.model import ExerciseRecord, Outcome, PainReport, Phase, SessionRecord
    from sciatica_coach.services.progress_data import load_history
    from sciatica_coach.storage.repository import Repository
    from sciatica_coach.views.context import AppContext

    app = QApplication.instance() or QApplication([])
    now = datetime(2026, 3, 4, 12, 30, tzinfo=ZoneInfo("Europe/London"))
    clock = ManualClock(now)
    with tempfile.TemporaryDirectory(prefix="sc-bench-") as folder:
        repo = Repository.open(Path(folder))
        demo = generate_demo_history(YEARS_WEEKS, now, keenness=1.0)
        repo.add_sessions(list(demo.sessions))
        repo.add_excused_days(demo.excused_days)
        repo.set_state("plan_start", demo.plan_start.isoformat())
        print(f"history: {repo.session_count()} sessions over {YEARS_WEEKS} weeks")

        record_write: list[float] = []
        record_total: list[float] = []
        for n in range(RECORD_REPEATS):
            start = now - timedelta(minutes=20 - n)
            record = SessionRecord(
                id=f"bench-{n}", started_at=start, ended_at=start + timedelta(minutes=12),
                phase=Phase.MOBILITY, exercises=(ExerciseRecord("pelvic-tilt", 10, 10, 1, 1, 5),),
                outcome=Outcome.COMPLETED, pain_before=PainReport(3, 2), slot="08:00",
            )  # fmt: skip
            t0 = time.perf_counter()
            repo.save_session(record)
            t1 = time.perf_counter()
            load_history(repo, clock).summary()
            t2 = time.perf_counter()
            record_write.append((t1 - t0) * 1000)
            record_total.append((t2 - t0) * 1000)
        print(_figure("record one more session (save only)", statistics.median(record_write), RECORD_GOAL_MS))
        print(  # what an open Progress page then redoes; the goal above is for recording the session
            f"  and rebuilding the Progress numbers after it (when that page is open): "
            f"{statistics.median(record_total):.1f} ms in all"
        )

        # where the time goes (not goals; to point at the slow part)
        t0 = time.perf_counter()
        sessions = repo.sessions()
        t1 = time.perf_counter()
        build_history(sessions, tz=now.tzinfo, today=now.date(), excused=repo.excused_days())
        t2 = time.perf_counter()
        print(f"  of which: decode stored sessions (repo.sessions()): {(t1 - t0) * 1000:.1f} ms")
        print(f"  of which: adherence numbers (build_history): {(t2 - t1) * 1000:.1f} ms")

        ctx = AppContext(repo, clock)
        opens: list[float] = []
        charts: list[float] = []
        for attempt in range(OPEN_REPEATS + 1):
            t0 = time.perf_counter()
            from sciatica_coach.views.progress_page import ProgressPage

            page = ProgressPage(ctx)
            page.resize(1000, 800)
            page.show()
            page.repaint()  # shown: headline figures, calendar and the chart in words
            elapsed = (time.perf_counter() - t0) * 1000
            page.chart.repaint()  # the weekly chart, built just after (it loads pyqtgraph the first time)
            with_chart = (time.perf_counter() - t0) * 1000
            page.close()
            page.deleteLater()
            app.processEvents()
            if attempt == 0:
                print(_figure("open Progress, first time", elapsed, OPEN_GOAL_MS))
                print(f"  with the weekly chart drawn (loads pyqtgraph and numpy once): {with_chart:.0f} ms")
            else:
                opens.append(elapsed)
                charts.append(with_chart)
        print(_figure("open Progress", statistics.median(opens), OPEN_GOAL_MS))
        print(f"  with the weekly chart drawn: {statistics.median(charts):.0f} ms")
        repo.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
