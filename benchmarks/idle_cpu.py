"""Idle CPU of the running app with reminders armed (goal: at or below Safe Eyes, about 0.03 %).

Starts the real app (main window, reminder service, notifier) offscreen in a subprocess with a fresh
temporary data folder, lets it settle, then measures the CPU time it uses over a window of wall time, from
the kernel's per-process CPU clock (nanoseconds; else utime+stime from /proc/<pid>/stat). Linux only.

    python benchmarks/idle_cpu.py              # 60 s, as the issue asks
    python benchmarks/idle_cpu.py --seconds 10 # a quick check
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_PERCENT = 0.03
SETTLE_S = 5.0
ROOT = Path(__file__).resolve().parent.parent

# The child is the real app (`python -m sciatica_coach`), which arms its reminders at start and, with
# --verbose, prints "shown after N ms" when its window first paints.


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by the whole process `pid` (all threads, including finished ones).

    Reads the kernel's per-process CPU clock (nanoseconds; clock id MAKE_PROCESS_CPUCLOCK(pid, SCHED));
    falls back to utime+stime from /proc/<pid>/stat (clock ticks, usually 10 ms)."""
    try:
        return time.clock_gettime((~pid << 3) | 2)
    except OSError:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")


def context_switches(pid: int) -> int:
    total = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
            total += int(line.split()[1])
    return total


def measure(seconds: float, settle_s: float = SETTLE_S) -> tuple[float, int]:
    """(CPU percent of one core, context switches) of the idle app over `seconds`."""
    with tempfile.TemporaryDirectory(prefix="sc-idle-") as tmp:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": tmp,
            "XDG_CONFIG_HOME": str(Path(tmp) / "config"),
            "XDG_DATA_HOME": str(Path(tmp) / "data-home"),
            "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        }
        child = subprocess.Popen(
            [sys.executable, "-m", "sciatica_coach", "--data-dir", str(Path(tmp) / "data"), "--verbose"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert child.stdout is not None
            line = child.stdout.readline()
            if not line.startswith("shown"):
                raise SystemExit(f"idle_cpu: the app did not start (exit {child.poll()})")
            time.sleep(settle_s)  # start-up work (imports, first layout) is not idle time
            cpu_before, switches_before, wall_before = (
                cpu_seconds(child.pid),
                context_switches(child.pid),
                time.monotonic(),
            )
            time.sleep(seconds)
            cpu_after, switches_after, wall_after = (
                cpu_seconds(child.pid),
                context_switches(child.pid),
                time.monotonic(),
            )
        finally:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            if child.stdout is not None:
                child.stdout.close()
    percent = (cpu_after - cpu_before) / (wall_after - wall_before) * 100
    return percent, switches_after - switches_before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to measure (default 60)")
    parser.add_argument("--settle", type=float, default=SETTLE_S, help="wait this long after start first")
    args = parser.parse_args(argv)
    if not Path("/proc/self/stat").exists():
        print("idle_cpu: needs Linux's /proc", file=sys.stderr)
        return 2
    percent, switches = measure(args.seconds, args.settle)
    print(f"idle CPU with reminders armed: {percent:.3f} % (goal <= {GOAL_PERCENT} %)")
    print(f"  over {args.seconds:g} s; {switches} context switches ({switches / args.seconds:.1f}/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
