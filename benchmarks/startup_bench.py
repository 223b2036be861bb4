"""Start-up time and resident memory, each as a ratio to a bare PySide6 window measured in the same run.

- start to first painted main window (goal <= 1.5x the bare window), median of several runs, offscreen;
- resident memory 5 s after start, Progress never opened (goal <= 1.25x the bare window), with a 26-week demo
  history in the data folder, measured twice: offscreen, and in a real X window (both processes side by side
  on one Xvfb server, QT_QPA_PLATFORM=xcb), which is where the issue's figures came from. The X server is
  skipped, with a line saying so, where Xvfb isn't installed.

All run in fresh processes with a temporary data folder. The two kinds of run alternate, so a busy moment on
the machine slows both alike. Python's bytecode cache is allowed (as in an installed app, whose installer
compiles it), even where PYTHONDONTWRITEBYTECODE is set for development. One start in the same data folder
comes first and isn't counted, as a person's very first start is once: it asks the system whether it is in
dark mode (about 20 ms in PySide6; later starts use the remembered answer). `--quick` takes fewer samples.
Benchmarks print figures; they don't assert.

Also printed, for information: how long until the app has finished its start-up work (Today's exercise list,
reminders, the single-instance server), which it does just after the first paint."""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HISTORY_WEEKS = 26  # the demo history in the data folder (the figures were taken with 26 weeks)
SETTLE_S = 5  # resident memory is read this long after start
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


def env(display: str | None = None) -> dict[str, str]:
    """Offscreen, or on the X server `display` (":N") when given."""
    platform = "offscreen" if display is None else "xcb"
    variables = dict(os.environ, QT_QPA_PLATFORM=platform, PYTHONPATH=str(ROOT))
    variables.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app has its bytecode compiled
    variables.pop("WAYLAND_DISPLAY", None)
    if display is not None:
        variables["DISPLAY"] = display
    return variables


@contextlib.contextmanager
def x_server() -> Iterator[str | None]:
    """A private Xvfb server for the duration: its display (":N", a free number chosen by Xvfb), or None
    where Xvfb isn't installed or doesn't start."""
    if shutil.which("Xvfb") is None:
        yield None
        return
    reader, writer = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(writer), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        pass_fds=(writer,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(writer)
    try:
        with os.fdopen(reader) as answer:
            number = answer.readline().strip()
        yield f":{number}" if number.isdigit() else None
    finally:
        server.terminate()
        server.wait(timeout=30)


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


def resident_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def rss_side_by_side(commands: list[list[str]], seconds: float, display: str | None) -> list[int]:
    """Resident memory of each command `seconds` after they were all started together."""
    processes = [
        subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env(display))
        for command in commands
    ]
    try:
        time.sleep(seconds)
        for process, command in zip(processes, commands, strict=True):
            if process.poll() is not None:
                raise RuntimeError(f"{command[:3]} ended early (exit {process.returncode})")
        return [resident_bytes(process.pid) for process in processes]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def print_rss(where: str, data_dir: str, samples: int, display: str | None) -> None:
    runs = [
        rss_side_by_side([bare_command(), app_command(data_dir)], SETTLE_S, display) for _ in range(samples)
    ]
    bare = statistics.median(bare for bare, _ours in runs)
    ours = statistics.median(ours for _bare, ours in runs)
    print(f"resident memory {SETTLE_S} s after start, {where}: {ours / bare:.2f} x bare PySide6 "
          f"({ours / 2**20:.1f} MB vs {bare / 2**20:.1f} MB) (goal <= 1.25 x)", flush=True)  # fmt: skip


def add_demo_history(data_dir: str) -> None:
    subprocess.run(
        app_command(data_dir, "demo-data", "--weeks", str(HISTORY_WEEKS)),
        env=env(), capture_output=True, timeout=120, check=True,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    quick = "--quick" in args
    runs = 5 if quick else 11
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = str(Path(tmp) / "data")
        add_demo_history(data_dir)
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
        print(f"start to first painted window, offscreen, {HISTORY_WEEKS}-week history: {ours / bare:.2f} x "
              f"bare PySide6 ({ours * 1000:.0f} ms vs {bare * 1000:.0f} ms) (goal <= 1.5 x)")  # fmt: skip
        print(f"start to ready (exercise list, reminders and single-instance server in place): "
              f"{ready * 1000:.0f} ms (goal none; for information)", flush=True)  # fmt: skip
        if not Path("/proc/self/status").exists():
            print("resident memory: not measured (no /proc on this system)")
            return
        samples = 1 if quick else 3
        print_rss("offscreen", data_dir, samples, None)
        with x_server() as display:
            if display is None:
                print(
                    "resident memory in a real X window: not measured (Xvfb isn't installed or didn't start)"
                )
            else:
                print_rss(f"real X window (Xvfb {display})", data_dir, samples, display)


if __name__ == "__main__":
    main()
