"""Run every benchmark and print one line per figure: `<figure>: <value> <unit> (goal <goal>)`.

    python benchmarks/run.py            # everything (about six minutes: it includes real-clock runs)
    python benchmarks/run.py --quick    # skip the slow real-clock measurements

Each benchmark module in this folder has a `main(argv)`; this runs them one after another, each in its own
process so one's imports (pyqtgraph, numpy) never colour another's start-up or memory figures."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# file, its arguments for the full run, and for --quick
BENCHMARKS = [
    ("startup_bench.py", [], ["--quick"]),
    ("session_bench.py", [], ["--skip-real"]),
    ("progress_bench.py", [], []),
    ("idle_cpu.py", ["--seconds", "60"], ["--seconds", "10"]),
    # sitting breaks on and off beside Safe Eyes on a private Xvfb (needs Xvfb, dbus-daemon; safeeyes, xdotool)
    (
        "idle_cpu.py",
        ["--sitting-breaks", "--beside-safe-eyes", "--seconds", "120"],
        ["--sitting-breaks", "--beside-safe-eyes", "--seconds", "10", "--active-seconds", "0"],
    ),
    ("crash_bench.py", [], ["--kills", "100"]),
    ("speech_bench.py", [], ["--cues", "20"]),
]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        cores = len(
            [line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("processor")]
        )
    except OSError:
        cores = 0
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {cores} cores, Python {platform.python_version()}"
    )


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    print(f"machine: {machine()}")
    failed = 0
    for name, full_args, quick_args in BENCHMARKS:
        path = HERE / name
        if not path.exists():
            print(f"# {name}: not present", flush=True)
            continue
        args = quick_args if quick else full_args
        result = subprocess.run([sys.executable, str(path), *args], text=True, capture_output=True)
        sys.stdout.write(result.stdout)
        if result.returncode != 0:
            failed += 1
            print(f"# {name} failed: {result.stderr.strip().splitlines()[-1:]}")
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
