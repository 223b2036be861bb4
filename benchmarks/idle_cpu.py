"""Idle CPU of the running app with reminders armed (goal: at or below Safe Eyes, about 0.03 %).

Starts the real app (main window, reminder service, notifier) offscreen in a subprocess with a fresh
temporary data folder, lets it settle, then measures the CPU time it uses over a window of wall time, from
the kernel's per-process CPU clock (nanoseconds; else utime+stime from /proc/<pid>/stat). Linux only.

    python benchmarks/idle_cpu.py              # 60 s, as the issue asks
    python benchmarks/idle_cpu.py --seconds 10 # a quick check

With sitting breaks (issue 21: "idle CPU with sitting breaks on stays at or below Safe Eyes'"):

    python benchmarks/idle_cpu.py --sitting-breaks --beside-safe-eyes --seconds 120

starts one private desktop (Xvfb and a session bus, packaging/private_desktop.py, plus a private bus standing
in for the system bus, which Safe Eyes needs to start) and in it, side by side, with QT_QPA_PLATFORM=xcb so
the real X11 idle backend is used: the app with sitting breaks off, the app with them on (every day, the
whole day, each in its own data folder), and Safe Eyes (`safeeyes --debug`, its stock settings in a
temporary HOME, smart pause on, which polls `xprintidle` every 2 s; its RPC server off so it holds no port).
All are measured over the same window of wall time with no input at all; then (--active-seconds, default
60) again while xdotool moves the mouse every 10 s, so the person is "at the computer". Wake-ups are the
voluntary context switches of all the process's threads (/proc/<pid>/task/*/status): each is a thread going
to sleep, which it does once per wake-up. Exit status 1 when the app with breaks on uses more CPU than Safe
Eyes. Without Safe Eyes installed it says so and measures the app alone.

The app with breaks on looks at the idle time when a natural break (5 minutes without input) could be
complete, and once a minute while the person is away; it is away only after 5 minutes without input, so
`--settle 310` measures that state (the X server's idle time counts from its start).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

GOAL_PERCENT = 0.03
SETTLE_S = 5.0
SIDE_BY_SIDE_SETTLE_S = 10.0  # Safe Eyes' smart pause first pauses it ~7 s after the last input
ACTIVE_S = 60.0  # the window with the mouse moving
MOUSE_EVERY_S = 10.0
MOUSE_SPOTS = ((1270, 1010), (1250, 990))  # a corner no window covers (no window manager: windows at 0,0)
FIRST_DISPLAY = 720
LOOK_EVERY_S = 0.5  # how often the benchmark reads each process's thread counts
START_WAIT_S = 60.0  # for an app or Safe Eyes to come up on a busy machine
ROOT = Path(__file__).resolve().parent.parent
SAFE_EYES_PACKAGE = Path("/usr/lib/python3/dist-packages/safeeyes")  # its stock settings and style sheet
BACKEND_LINE = re.compile(r"Sitting breaks count computer use through: (.+)")
SAFE_EYES_SCHEDULED = "until next break"  # its log line "Waiting for N minutes until next break"

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "packaging"))  # private_desktop (not importable as packaging.*: the PyPI name)

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


# -- side by side with Safe Eyes, sitting breaks on and off -------------------------------------------------


def children_cpu_seconds(pid: int) -> float:
    """CPU time of the children `pid` has waited for (cutime+cstime: Safe Eyes' `xprintidle` runs)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


def thread_wakeups(pid: int) -> dict[int, int]:
    """Voluntary context switches of each thread of `pid` now alive (thread id: count). Each is a thread
    going to sleep (on a timer, a socket, a lock), so each stands for one wake-up."""
    counts: dict[int, int] = {}
    for status in Path(f"/proc/{pid}/task").glob("*/status"):
        try:
            text = status.read_text()
        except OSError:  # the thread ended just now
            continue
        for line in text.splitlines():
            if line.startswith("voluntary_ctxt_switches"):
                counts[int(status.parent.name)] = int(line.split()[1])
    return counts


class WakeupCounter:
    """Wake-ups of a whole process over a window, thread by thread: a thread that starts in the window counts
    from zero; one that ends keeps what it had at the last look (so look often: a thread's count goes with
    it when it ends, and the leader's /proc/<pid>/status counts the main thread only)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._first: dict[int, int] = {}
        self._last: dict[int, int] = {}
        self._looked = False

    def look(self) -> None:
        for tid, count in thread_wakeups(self.pid).items():
            if tid not in self._first:
                self._first[tid] = count if not self._looked else 0
            self._last[tid] = count
        self._looked = True

    @property
    def total(self) -> int:
        return sum(self._last[tid] - first for tid, first in self._first.items())


@dataclass(frozen=True)
class Sample:
    cpu_s: float
    children_s: float
    at_s: float  # monotonic


def sample(pid: int) -> Sample:
    return Sample(cpu_seconds(pid), children_cpu_seconds(pid), time.monotonic())


@dataclass(frozen=True)
class Figures:
    """What one process used over one window: CPU as a percentage of one core (its own threads; and with the
    children it waited for), and wake-ups per minute."""

    cpu_percent: float
    with_children_percent: float
    wakeups_per_min: float

    @classmethod
    def between(cls, before: Sample, after: Sample, wakeups: int) -> Figures:
        wall_s = after.at_s - before.at_s
        own = (after.cpu_s - before.cpu_s) / wall_s * 100
        children = (after.children_s - before.children_s) / wall_s * 100
        return cls(own, own + children, wakeups / wall_s * 60)


@dataclass
class Contender:
    name: str
    process: subprocess.Popen[str]
    log: Path


def measure_together(
    contenders: list[Contender], seconds: float, act: tuple[float, Callable[[], None]] | None = None
) -> dict[str, Figures]:
    """Figures of every contender over the same `seconds` of wall time. `act`: (every_s, callable) run at the
    start of the window and then every every_s seconds (the mouse moves). The threads are looked at every
    LOOK_EVERY_S (reading /proc wakes nobody)."""
    counters = {c.name: WakeupCounter(c.process.pid) for c in contenders}
    before = {c.name: sample(c.process.pid) for c in contenders}
    for counter in counters.values():
        counter.look()
    start = time.monotonic()
    end = start + seconds
    next_act = start if act is not None else end
    while (now := time.monotonic()) < end:
        if act is not None and now >= next_act:
            act[1]()
            next_act += act[0]
        time.sleep(max(0.0, min(end, next_act, time.monotonic() + LOOK_EVERY_S) - time.monotonic()))
        for counter in counters.values():
            counter.look()
    after = {c.name: sample(c.process.pid) for c in contenders}
    for counter in counters.values():
        counter.look()
    return {name: Figures.between(before[name], after[name], counters[name].total) for name in before}


def write_break_settings(data_dir: Path, on: bool) -> None:
    """Sitting breaks on or off in a fresh data folder, through the app's own repository: offered every day,
    the whole day (start == end), so the figures don't depend on when the benchmark runs; the Today
    introduction answered, so both apps show the same page."""
    from sciatica_coach.storage.repository import Repository

    repo = Repository.open(data_dir)
    try:
        repo.set_setting("sitting_breaks_on", on)
        repo.set_setting("sitting_work_days", list(range(7)))
        repo.set_setting("sitting_work_start", "00:00")
        repo.set_setting("sitting_work_end", "00:00")
        repo.set_state("sitting_intro_answered", True)
    finally:
        repo.close()


def _wait_for_line(stream: IO[str], timeout_s: float) -> str:
    ready, _, _ = select.select([stream.fileno()], [], [], timeout_s)
    return stream.readline() if ready else ""


def start_app(name: str, folder: Path, desktop_env: dict[str, str], breaks_on: bool) -> Contender:
    """The real app on the private X server (xcb), its data and HOME in `folder`, its log (--verbose: debug)
    in folder/app.log; returns once its window has painted."""
    data = folder / "data"
    write_break_settings(data, breaks_on)
    env = {
        **desktop_env,
        "QT_QPA_PLATFORM": "xcb",
        "HOME": str(folder),
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_DATA_HOME": str(folder / "data-home"),
        "PYTHONPATH": str(ROOT) + os.pathsep + desktop_env.get("PYTHONPATH", ""),
    }
    env.pop("WAYLAND_DISPLAY", None)
    log = folder / "app.log"
    with log.open("w") as log_file:
        child = subprocess.Popen(
            [sys.executable, "-m", "sciatica_coach", "--data-dir", str(data), "--verbose"],
            env=env, stdout=subprocess.PIPE, stderr=log_file, text=True,
        )  # fmt: skip
    assert child.stdout is not None
    if not _wait_for_line(child.stdout, START_WAIT_S).startswith("shown"):
        end_process(child)
        raise SystemExit(f"idle_cpu: {name} did not start (exit {child.poll()}); see {tail(log)}")
    return Contender(name, child, log)


def tail(log: Path, lines: int = 5) -> str:
    try:
        return " | ".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def idle_backend(log: Path) -> str | None:
    """The idle backend the sitting-break service chose, from its log line; None if it has not said."""
    try:
        found = BACKEND_LINE.search(log.read_text(errors="replace"))
    except OSError:
        return None
    return found.group(1).strip() if found else None


def safe_eyes_version(command: str) -> str:
    try:
        result = subprocess.run([command, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return result.stdout.strip().rsplit(" ", 1)[-1] or "?"


def safe_eyes_settings(stock: dict[str, Any]) -> dict[str, Any]:
    """Safe Eyes' stock settings as a new user has them, but without its RPC server (it would hold TCP port
    7200 on a shared machine; nothing here talks to it)."""
    return {**stock, "use_rpc_server": False}


def prepare_safe_eyes_home(home: Path, package: Path = SAFE_EYES_PACKAGE) -> dict[str, str]:
    """A temporary HOME with Safe Eyes' stock settings and style sheet in place; the environment for it.
    Where the stock files are elsewhere, Safe Eyes makes its own at first start (RPC server on)."""
    config_home = home / ".config"  # Safe Eyes puts its style sheet under HOME/.config whatever XDG says
    settings = package / "config" / "safeeyes.json"
    style = package / "config" / "style" / "safeeyes_style.css"
    if settings.exists() and style.exists():
        (config_home / "safeeyes" / "style").mkdir(parents=True, exist_ok=True)
        stock = json.loads(settings.read_text())
        (config_home / "safeeyes" / "safeeyes.json").write_text(json.dumps(safe_eyes_settings(stock)))
        shutil.copy(style, config_home / "safeeyes" / "style" / "safeeyes_style.css")
    return {"HOME": str(home), "XDG_CONFIG_HOME": str(config_home)}


def start_safe_eyes(command: str, folder: Path, desktop_env: dict[str, str]) -> Contender:
    """Safe Eyes (--debug, to see that its breaks are scheduled) on the private desktop; returns once it
    logs its first "Waiting for N minutes until next break"."""
    env = {**desktop_env, **prepare_safe_eyes_home(folder)}
    for name in ("WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "XDG_SESSION_TYPE"):
        env.pop(name, None)  # plain X11: its smart pause asks xprintidle
    log = folder / "safeeyes.log"
    with log.open("w") as log_file:
        child = subprocess.Popen(
            [command, "--debug"], env=env, stdout=log_file, stderr=subprocess.STDOUT, text=True
        )
    deadline = time.monotonic() + START_WAIT_S
    while time.monotonic() < deadline and child.poll() is None:
        if SAFE_EYES_SCHEDULED in log.read_text(errors="replace"):
            return Contender("Safe Eyes", child, log)
        time.sleep(0.2)
    end_process(child)
    raise SystemExit(f"idle_cpu: Safe Eyes did not start or schedule a break: {tail(log)}")


@contextlib.contextmanager
def stand_in_system_bus(env: dict[str, str]) -> Iterator[str]:
    """A private bus to stand for the system bus (DBUS_SYSTEM_BUS_ADDRESS): Safe Eyes stops starting
    without one (it listens there for suspend). Its address."""
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert daemon.stdout is not None
        address = _wait_for_line(daemon.stdout, START_WAIT_S).strip()
        if not address:
            raise SystemExit("idle_cpu: dbus-daemon did not print its address")
        yield address
    finally:
        end_process(daemon)
        if daemon.stdout is not None:
            daemon.stdout.close()


def end_process(process: subprocess.Popen[Any]) -> None:
    from private_desktop import stop

    stop(process)
    if process.stdout is not None:
        process.stdout.close()


def mouse_mover(env: dict[str, str]) -> Callable[[], None]:
    """A callable that moves the pointer (xdotool) to the next of two spots outside every window."""
    spots = list(MOUSE_SPOTS)

    def move() -> None:
        spots.reverse()
        x, y = spots[0]
        subprocess.run(["xdotool", "mousemove", str(x), str(y)], env=env, check=False)

    return move


def table(rows: list[tuple[str, Figures, Figures | None]], seconds: float, active_s: float) -> list[str]:
    """The figures as a small text table: each process, with no input, then with the mouse moving."""
    head = f"{'':34} {'no input, ' + format(seconds, 'g') + ' s':^34}"
    sub = f"{'process':34} {'CPU %':>9} {'+children':>10} {'wake-ups/min':>13}"
    if active_s > 0:
        head += f"  {'mouse every ' + format(MOUSE_EVERY_S, 'g') + ' s, ' + format(active_s, 'g') + ' s':^34}"
        sub += f"  {'CPU %':>9} {'+children':>10} {'wake-ups/min':>13}"
    lines = [head.rstrip(), sub]
    for name, idle, active in rows:
        line = f"{name:34} {idle.cpu_percent:9.3f} {idle.with_children_percent:10.3f} {idle.wakeups_per_min:13.1f}"
        if active is not None:
            line += f"  {active.cpu_percent:9.3f} {active.with_children_percent:10.3f} {active.wakeups_per_min:13.1f}"
        lines.append(line)
    return lines


def verdict(app_on: Figures, safe_eyes: Figures | None) -> tuple[str, int]:
    """The line to print and the exit status: 1 when the app with sitting breaks on uses more CPU than Safe
    Eyes over the same window; 0 otherwise, and without Safe Eyes to compare with."""
    if safe_eyes is None:
        return f"idle CPU with sitting breaks on: {app_on.cpu_percent:.3f} % (Safe Eyes not measured)", 0
    over = app_on.cpu_percent > safe_eyes.cpu_percent
    return (
        f"idle CPU with sitting breaks on, beside Safe Eyes: {app_on.cpu_percent:.3f} % vs "
        f"{safe_eyes.cpu_percent:.3f} % (goal: at or below Safe Eyes) - {'OVER' if over else 'ok'}",
        1 if over else 0,
    )


def side_by_side(seconds: float, settle_s: float, active_s: float, beside_safe_eyes: bool) -> int:
    """The sitting-break measurement (see the module's docstring); the exit status."""
    from private_desktop import private_desktop

    missing = [tool for tool in ("Xvfb", "dbus-daemon") if shutil.which(tool) is None]
    if missing:
        print(f"idle_cpu: the side-by-side run needs {' and '.join(missing)}", file=sys.stderr)
        return 2
    safe_eyes = shutil.which("safeeyes") if beside_safe_eyes else None
    if beside_safe_eyes and safe_eyes is None:
        print("Safe Eyes is not installed (apt-get install safeeyes): measuring the app alone")
    if active_s > 0 and shutil.which("xdotool") is None:
        print("xdotool is not installed: no window with the mouse moving")
        active_s = 0.0
    contenders: list[Contender] = []
    with tempfile.TemporaryDirectory(prefix="sc-idle-breaks-") as tmp:
        root = Path(tmp)
        with (
            private_desktop(dict(os.environ), first_display=FIRST_DISPLAY) as desktop_env,
            stand_in_system_bus(desktop_env) as system_bus,
        ):
            desktop_env["DBUS_SYSTEM_BUS_ADDRESS"] = system_bus
            try:
                if safe_eyes is not None:
                    (root / "safeeyes").mkdir()
                    contenders.append(start_safe_eyes(safe_eyes, root / "safeeyes", desktop_env))
                for name, on in (("app, sitting breaks off", False), ("app, sitting breaks on", True)):
                    folder = root / ("breaks-on" if on else "breaks-off")
                    folder.mkdir()
                    contenders.append(start_app(name, folder, desktop_env, on))
                time.sleep(settle_s)  # start-up work (imports, first layout, Safe Eyes' first pause)
                app_on = contenders[-1]
                backend = idle_backend(app_on.log)
                idle = measure_together(contenders, seconds)
                active = (
                    measure_together(contenders, active_s, (MOUSE_EVERY_S, mouse_mover(desktop_env)))
                    if active_s > 0
                    else None
                )
                gone = [c.name for c in contenders if c.process.poll() is not None]
                resumes = (
                    contenders[0]
                    .log.read_text(errors="replace")
                    .count("Resume Safe Eyes due to user activity")
                    if safe_eyes is not None
                    else 0
                )
            finally:
                for contender in contenders:
                    end_process(contender.process)
        print(
            f"sitting breaks, side by side on one private Xvfb {desktop_env['DISPLAY']} (xcb) with its own "
            f"session bus; settled {settle_s:g} s"
        )
        if backend is None:
            print(f"  the app with breaks on did not log its idle backend: {tail(app_on.log)}")
        else:
            print(f"  the app's idle backend: {backend}{'' if backend.startswith('X11') else ' (NOT X11)'}")
        if safe_eyes is not None:
            seen = f"; its smart pause saw the input {resumes} time(s)" if active_s > 0 else ""
            if active_s > 0 and resumes == 0:
                seen += " (NOT SEEN)"
            print(
                f"  Safe Eyes {safe_eyes_version(safe_eyes)}: stock settings, breaks scheduled; its smart pause "
                f"polls xprintidle every 2 s and pauses it after 5 s without input{seen}"
            )
        print(
            "  the app with breaks on counts the person as sitting until 5 min without input (it looks again then;"
            " --settle 310 measures it away, when it looks once a minute)"
        )
        print("  wake-ups: voluntary context switches of all the process's threads, per minute")
        print("  +children: with the CPU of the child processes it waited for (Safe Eyes' xprintidle);")
        print("  the X server's own work for each is in none of these")
        if gone:
            print(f"  ENDED during the measurement: {', '.join(gone)}")
        names = [c.name for c in contenders]
        order = [n for n in ("app, sitting breaks off", "app, sitting breaks on", "Safe Eyes") if n in names]
        rows = [
            (
                f"Safe Eyes {safe_eyes_version(safe_eyes)}" if name == "Safe Eyes" and safe_eyes else name,
                idle[name],
                active[name] if active else None,
            )
            for name in order
        ]
        for line in table(rows, seconds, active_s):
            print("  " + line)
        line, status = verdict(idle["app, sitting breaks on"], idle.get("Safe Eyes"))
        print(line)
        return 1 if gone else status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to measure (default 60)")
    parser.add_argument(
        "--settle",
        type=float,
        help=f"wait this long after start first (default {SETTLE_S:g}; side by side {SIDE_BY_SIDE_SETTLE_S:g})",
    )
    parser.add_argument(
        "--sitting-breaks",
        action="store_true",
        help="on a private X server: the app with sitting breaks off and on",
    )
    parser.add_argument(
        "--beside-safe-eyes", action="store_true", help="and Safe Eyes beside them, over the same window"
    )
    parser.add_argument(
        "--active-seconds",
        type=float,
        default=ACTIVE_S,
        help=f"side by side: then this long with the mouse moved every {MOUSE_EVERY_S:g} s (0: skip)",
    )
    args = parser.parse_args(argv)
    if not Path("/proc/self/stat").exists():
        print("idle_cpu: needs Linux's /proc", file=sys.stderr)
        return 2
    if args.sitting_breaks or args.beside_safe_eyes:
        settle = SIDE_BY_SIDE_SETTLE_S if args.settle is None else args.settle
        return side_by_side(args.seconds, settle, args.active_seconds, args.beside_safe_eyes)
    args.settle = SETTLE_S if args.settle is None else args.settle
    percent, switches = measure(args.seconds, args.settle)
    print(f"idle CPU with reminders armed: {percent:.3f} % (goal <= {GOAL_PERCENT} %)")
    print(f"  over {args.seconds:g} s; {switches} context switches ({switches / args.seconds:.1f}/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
