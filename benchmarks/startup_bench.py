"""Start-up time and resident memory, each as a ratio to a bare PySide6 window measured in the same run.

- start to first painted main window (goal <= 1.5x the bare window), median of several runs;
- resident memory 5 s after start, Progress never opened (goal <= 1.25x the bare window).

Both run offscreen in fresh processes with a temporary data folder. The two kinds of run alternate, so a busy
moment on the machine slows both alike. Python's bytecode cache is allowed (as in an installed app, whose
installer compiles it), even where PYTHONDONTWRITEBYTECODE is set for development. One start in the same data
folder comes first and isn't counted, as a person's very first start is once: it creates the data file and
asks the system whether it is in dark mode (about 20 ms in PySide6; later starts use the remembered answer).
`--quick` takes fewer samples.

Also printed, for information: how long until the app has finished its start-up work (Today's exercise list,
reminders, the single-instance server), which it does just after the first paint."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
quit_after = "--quit-after-shown" in sys.argv
class First(QObject):
    seen = False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            print("shown", flush=True)
            if quit_after:
                QTimer.singleShot(0, QApplication.quit)
        return False
app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("Hello"))
window.resize(1120, 740)
first = First()
window.installEventFilter(first)
window.show()
app.exec()
"""


def env() -> dict[str, str]:
    variables = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    variables.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app has its bytecode compiled
    return variables


def app_command(data_dir: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sciatica_coach", "--data-dir", data_dir, *extra]


def bare_command(*extra: str) -> list[str]:
    return [sys.executable, "-c", BARE_WINDOW, *extra]


def time_to_shown(command: list[str]) -> tuple[float, float]:
    """Seconds from launch to the first paint, and to "ready" (the app's start-up work just after the first
    paint; the bare window has none, so there the two are the same). The app prints its "shown after" and
    "ready after" lines only with --verbose (its log lines on stderr are dropped)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env()
    )
    assert process.stdout is not None
    shown = ready = None
    for line in process.stdout:
        if line.startswith("shown"):
            shown = time.perf_counter() - start
        elif line.startswith("ready"):
            ready = time.perf_counter() - start
    process.wait(timeout=30)
    if shown is None:
        raise RuntimeError(f"{command[:3]} never showed a window")
    return shown, ready or shown


def rss_after(command: list[str], seconds: float) -> int:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=env())
    try:
        time.sleep(seconds)
        for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS")
    finally:
        process.terminate()
        process.wait(timeout=30)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    runs = 5 if "--quick" in args else 11
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = str(Path(tmp) / "data")
        subprocess.run(
            app_command(data_dir, "--quit-after-shown"), env=env(), capture_output=True, timeout=60
        )
        bare_runs, our_runs = [], []
        for _ in range(runs):  # alternating, so the machine's busy moments fall on both
            bare_runs.append(time_to_shown(bare_command("--quit-after-shown")))
            our_runs.append(time_to_shown(app_command(data_dir, "--quit-after-shown", "--verbose")))
        bare = statistics.median(shown for shown, _ in bare_runs)
        ours = statistics.median(shown for shown, _ in our_runs)
        ready = statistics.median(ready for _, ready in our_runs)
        print(f"start to first painted window: {ours / bare:.2f} x bare PySide6 ({ours * 1000:.0f} ms vs "
              f"{bare * 1000:.0f} ms) (goal <= 1.5 x)")  # fmt: skip
        print(f"start to ready (exercise list, reminders and single-instance server in place): "
              f"{ready * 1000:.0f} ms (goal none; for information)")  # fmt: skip
        if Path("/proc/self/status").exists():
            bare_rss = rss_after(bare_command(), 5)
            our_rss = rss_after(app_command(data_dir), 5)
            print(f"resident memory 5 s after start: {our_rss / bare_rss:.2f} x bare PySide6 "
                  f"({our_rss / 2**20:.0f} MB vs {bare_rss / 2**20:.0f} MB) (goal <= 1.25 x)")  # fmt: skip


if __name__ == "__main__":
    main()
