"""Start-up order: the window paints first; what it doesn't need for that comes just after, and does come.

Runs the real entry point in a fresh process (offscreen, private data folder) and looks at which modules are
loaded at the first paint and once the app reports "ready"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys
import sciatica_coach.app as app

seen = {}
watch = app._FirstPaint.eventFilter


def at_first_paint(self, watched, event):
    if not self._seen and event.type() == event.Type.Paint:
        seen["paint"] = sorted(sys.modules)
    return watch(self, watched, event)


ready = app._FirstPaint.report_ready


def when_ready(self):
    from PySide6.QtWidgets import QApplication
    from sciatica_coach.views.main_window import MainWindow

    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    today = window.page("today")
    seen["ready"] = sorted(sys.modules)
    seen["today"] = [today.sessions_line.text(), today.exercise_grid.count()]
    ready(self)


app._FirstPaint.eventFilter = at_first_paint
app._FirstPaint.report_ready = when_ready
from sciatica_coach.cli.main import main

code = main(["--data-dir", sys.argv[1], "--quit-after-shown"])
print(json.dumps(seen))
sys.exit(code)
"""

# Not needed to paint the window; each is loaded just after.
AFTER_FIRST_PAINT = [
    "sciatica_coach.reminders",  # the reminder service, tray and notifications
    "sciatica_coach.core.schedule",  # today's reminder slots
    "sciatica_coach.core.adherence",  # today's sessions
    "sciatica_coach.core.catalogue",  # the exercise list
    "sciatica_coach.views.illustrations",  # its drawings
    "PySide6.QtSvg",
]
NEVER_AT_START = [
    "PySide6.QtNetwork",  # single instance talks over a named pipe here
    "sciatica_coach.cli.export_cmd",  # subcommands load for their own command only
    "sciatica_coach.platform.sound",  # sound, speech and screen services load when a session starts
    "sciatica_coach.platform.speech",
    "pyqtgraph",  # with the Progress chart
]


def test_the_window_paints_before_the_rest_loads_and_the_rest_follows(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    at_paint, at_ready = set(seen["paint"]), set(seen["ready"])
    assert {m for m in AFTER_FIRST_PAINT + NEVER_AT_START if m in at_paint} == set()
    assert [m for m in AFTER_FIRST_PAINT if m not in at_ready] == []
    assert {m for m in NEVER_AT_START if m in at_ready} == set()
    sessions_line, grid_items = seen["today"]
    assert "session" in sessions_line, "today's figures are filled in by the time the app is ready"
    assert grid_items > 0, "and the exercise list"
    assert "Traceback" not in done.stderr
