"""Start-up order: the window paints first; what it doesn't need for that comes just after, and does come.

Runs the real entry point in a fresh process (offscreen, private data folder) and looks at which modules are
loaded at the first paint and once the app reports "ready"."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.theme import SYSTEM_DARK_STATE

PROBE = """
import json, sys
import sciatica_coach.app as app

seen = {}
watch = app._FirstPaint.eventFilter


def at_first_paint(self, watched, event):
    if not self._seen and event.type() == event.Type.Paint:
        import PySide6.QtCore, PySide6.QtWidgets

        seen["paint"] = sorted(sys.modules)
        # PySide6 makes a class's Python enums when the class is first used (Qt: ~100 enums, ~20 ms)
        seen["qt classes"] = [
            name for module, name in ((PySide6.QtCore, "Qt"), (PySide6.QtWidgets, "QStyle")) if name in vars(module)
        ]
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
    "sciatica_coach.services.reminders",  # the reminder service, tray and notifications
    "sciatica_coach.services.sitting_breaks",  # the sitting breaks (off: nothing more runs)
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
    "sciatica_coach.platform.idle",  # only while sitting breaks are on
    "sciatica_coach.views.break_card",  # when the first sitting break falls due
]


def run_app(probe: str, data_dir: Path) -> dict[str, Any]:
    """Run the app's entry point with `probe`'s patches in a fresh process; what the probe printed as JSON."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", probe, str(data_dir)], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    return cast(
        dict[str, Any], json.loads(next(line for line in done.stdout.splitlines() if line[:1] == "{"))
    )


def test_the_window_paints_before_the_rest_loads_and_the_rest_follows(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path / "data")
    repo.set_state(SYSTEM_DARK_STATE, False)  # as after a first start, which asks Qt before painting
    repo.set_setting("language", "en")  # the figures checked below are English whatever the system's language
    repo.close()
    seen = run_app(PROBE, tmp_path / "data")
    at_paint, at_ready = set(seen["paint"]), set(seen["ready"])
    assert {m for m in AFTER_FIRST_PAINT + NEVER_AT_START if m in at_paint} == set()
    assert [m for m in AFTER_FIRST_PAINT if m not in at_ready] == []
    assert {m for m in NEVER_AT_START if m in at_ready} == set()
    assert seen["qt classes"] == [], "PySide6's Qt namespace and QStyle wait until after the first paint"
    sessions_line, grid_items = seen["today"]
    assert "session" in sessions_line, "today's figures are filled in by the time the app is ready"
    assert grid_items > 0, "and the exercise list"


NEVER_PAINTED = """
import json, sys
import sciatica_coach.app as app

app._FirstPaint.eventFilter = lambda *_a: False  # as if the window manager never shows the window
app.START_WITHOUT_PAINT_MS = 0
installed = []
original = app.install_reminders
app.install_reminders = lambda *a: installed.append(1) or original(*a)
ready = app._FirstPaint.report_ready


def when_ready(self):
    from PySide6.QtWidgets import QApplication
    from sciatica_coach.views.main_window import MainWindow

    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    print(json.dumps({"reminders": len(installed), "exercises": window.page("today").exercise_grid.count()}))
    ready(self)


app._FirstPaint.report_ready = when_ready
from sciatica_coach.cli.main import main

sys.exit(main(["--data-dir", sys.argv[1], "--quit-after-shown"]))
"""


def test_start_up_work_runs_even_if_the_window_is_never_painted(tmp_path: Path) -> None:
    """A window manager may start the window minimized or on another workspace (no paint): the reminders and
    Today's list must come all the same, after START_WITHOUT_PAINT_MS."""
    seen = run_app(NEVER_PAINTED, tmp_path / "data")
    assert seen["reminders"] == 1
    assert seen["exercises"] > 0


def start_and_quit(data_dir: Path, *args: str) -> str:
    """What the real app prints on its terminal (stdout) from start to its first paint and start-up work."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    command = [
        sys.executable,
        "-m",
        "sciatica_coach",
        "--data-dir",
        str(data_dir),
        "--quit-after-shown",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_start_up_timings_are_printed_only_with_verbose(tmp_path: Path) -> None:
    assert start_and_quit(tmp_path / "data") == "", "a normal start prints nothing on the terminal"
    lines = start_and_quit(tmp_path / "data", "--verbose").splitlines()
    assert [line.split()[0] for line in lines] == ["shown", "ready"], lines
    assert all(re.fullmatch(r"(shown|ready) after \d+ ms", line) for line in lines), lines
