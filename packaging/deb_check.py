#!/usr/bin/env python3
"""Install the .deb with apt, run it in a real X window, check its menu entry and icon, purge it, and check
that nothing it installed is left. For CI, as root, on Debian 12 (it really installs and removes the package):

    python3 packaging/deb_check.py dist/sciatica-coach_0.1.0-1_amd64.deb [--screenshot shot.png]

1. `apt-get install -y ./DEB`: apt resolves the Depends that packaging/deb.py computed.
2. `sciatica-coach --version` from PATH (the /usr/bin launcher) prints the package's version, and
   `sciatica-coach --check-recogniser` loads PocketSphinx and its model from /opt/sciatica-coach and hears
   nothing in silence (the smoke test also decodes a spoken command with the same bundle).
3. The desktop file is in /usr/share/applications and passes desktop-file-validate; its Icon resolves in
   /usr/share/icons/hicolor/*/apps/; the program of every Exec and TryExec line is on PATH; the metainfo is in
   /usr/share/metainfo.
4. `sciatica-coach --data-dir TMP` starts on a private Xvfb (with a private D-Bus and HOME): its window
   "Sciatica Coach" appears (xdotool search) and is not blank; it is saved as a PNG when a Python with PySide6
   is at hand (the checkout's .venv); SIGTERM ends it with exit code 0 and its data file in TMP.
5. `apt-get purge -y sciatica-coach`: every path `dpkg -L` listed that was not there before is gone,
   /opt/sciatica-coach too, and dpkg no longer knows the package.

The package is purged at the end whatever happened. Refuses to start when the package is already installed
(it would remove someone's install). Prints the sizes and times it measured. Exit code 0 when every check
passed, 1 otherwise. Needs root, apt-get, Xvfb, xdotool and desktop-file-validate (Debian packages xvfb
xdotool desktop-file-utils; dbus for a private session bus). Only the standard library is used."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from private_desktop import private_desktop, stop

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "sciatica-coach"
COMMAND = "sciatica-coach"
INSTALL_DIR = Path("/opt/sciatica-coach")
APPLICATIONS = Path("/usr/share/applications")
HICOLOR = Path("/usr/share/icons/hicolor")
METAINFO = Path("/usr/share/metainfo")
WINDOW_NAME = "Sciatica Coach"
DATA_FILE = "sciatica-coach.json"
APT_TIMEOUT_S = 600.0
WINDOW_TIMEOUT_S = 60.0  # a cold start from a fresh install on a slow CI machine
STOP_TIMEOUT_S = 15.0
POLL_S = 0.1
FIRST_DISPLAY = 700  # away from desktops (:0-:9) and the test suite's private displays
SCREEN = (1280, 1024)
NEEDED = {
    "apt-get": "apt",
    "Xvfb": "xvfb",
    "xdotool": "xdotool",
    "desktop-file-validate": "desktop-file-utils",
}
MB = 1024 * 1024

# A second Qt client on the same display saves the screen and counts the colours over the window's area (a
# window that never painted is one flat colour). Run with a Python that has PySide6, when there is one.
GRAB = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv)
image = app.primaryScreen().grabWindow(0).toImage()
image.save(sys.argv[1])
x, y, w, h = (int(v) for v in sys.argv[2:6])
print(len({image.pixel(x + i * w // 40, y + j * h // 40) for i in range(40) for j in range(40)}))
"""


class Checks:
    """Prints each check as it goes ("ok" or "FAIL") and remembers whether any failed."""

    def __init__(self) -> None:
        self.failed = 0

    def check(self, passed: bool, what: str, detail: str = "") -> bool:
        print(f"{'ok  ' if passed else 'FAIL'}  {what}{f'  ({detail})' if detail else ''}", flush=True)
        self.failed += not passed
        return passed


def apt(*args: str) -> tuple[int, str, float]:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    started = time.monotonic()
    done = subprocess.run(
        ["apt-get", *args], env=env, capture_output=True, text=True, timeout=APT_TIMEOUT_S, check=False
    )
    return done.returncode, done.stdout + done.stderr, time.monotonic() - started


def installed_version() -> str:
    done = subprocess.run(
        ["dpkg-query", "-W", "-f=${db:Status-Status} ${Version}", PACKAGE], capture_output=True, text=True
    )
    status, _, version = done.stdout.partition(" ")
    return version if done.returncode == 0 and status == "installed" else ""


def known_to_dpkg() -> bool:
    """True while dpkg still has any record of the package (installed, or removed with its config kept)."""
    done = subprocess.run(
        ["dpkg-query", "-W", "-f=${db:Status-Status}", PACKAGE], capture_output=True, text=True
    )
    return done.returncode == 0 and done.stdout.strip() not in {"", "not-installed"}


def deb_paths(deb: Path) -> list[str]:
    """The paths a .deb holds, as installed (dpkg-deb -c), without the trailing slash of folders."""
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    paths = []
    for line in listing.splitlines():
        name = line.split(None, 5)[5].split(" -> ", 1)[0]
        path = "/" + name.removeprefix("./").rstrip("/")
        if path != "/":
            paths.append(path)
    return paths


def tree_size(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


# ---- the menu entry ----------------------------------------------------------------------------------------
def desktop_checks(checks: Checks, paths: list[str]) -> None:
    desktops = [Path(p) for p in paths if p.startswith(f"{APPLICATIONS}/") and p.endswith(".desktop")]
    if not checks.check(
        len(desktops) == 1, f"one desktop file in {APPLICATIONS}", ", ".join(map(str, desktops))
    ):
        return
    desktop = desktops[0]
    validated = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
    checks.check(validated.returncode == 0 and not validated.stdout.strip(), "desktop-file-validate on it",
                 validated.stdout.strip() or "no complaint")  # fmt: skip
    text = desktop.read_text(encoding="utf-8")
    icons = re.findall(r"^Icon=(.+)$", text, re.MULTILINE)
    found = [str(p) for icon in icons for p in HICOLOR.glob(f"*/apps/{icon}.*")]
    checks.check(bool(icons) and bool(found), f"its Icon={icons[0] if icons else '?'} is in {HICOLOR}/*/apps",
                 f"{len(found)} sizes")  # fmt: skip
    for key, command in re.findall(r"^(Exec|TryExec)=(.+)$", text, re.MULTILINE):
        program = command.split()[0]
        where = shutil.which(program)
        checks.check(where is not None, f"{key}={command}: {program} is on PATH", where or "not found")
    metainfo = METAINFO / f"{desktop.stem}.metainfo.xml"
    checks.check(metainfo.is_file(), f"the AppStream metainfo is in {METAINFO}", metainfo.name)


# ---- the real window ---------------------------------------------------------------------------------------
@contextmanager
def desktop_for(home: Path) -> Iterator[dict[str, str]]:
    """A private desktop (packaging/private_desktop.py) with HOME and the XDG folders in home."""
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "share"),
           "XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache"),
           "XDG_RUNTIME_DIR": str(home), "QT_QPA_PLATFORM": "xcb"}  # fmt: skip
    for name in ("WAYLAND_DISPLAY", "SCIATICA_COACH_DATA_DIR", "QT_SCALE_FACTOR", "DBUS_SESSION_BUS_ADDRESS"):
        env.pop(name, None)
    home.chmod(0o700)
    with private_desktop(env, FIRST_DISPLAY, SCREEN, bus=shutil.which("dbus-daemon") is not None) as desktop:
        yield desktop


def wait_for(condition: Callable[[], object], timeout_s: float, process: subprocess.Popen[Any]) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if process.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(POLL_S)
    return True


def find_window(env: dict[str, str]) -> str:
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{WINDOW_NAME}$"],
                           env=env, capture_output=True, text=True, timeout=STOP_TIMEOUT_S)  # fmt: skip
    return (found.stdout.split() or [""])[0]


def python_with_pyside() -> str | None:
    for candidate in (ROOT / ".venv" / "bin" / "python", Path(sys.executable)):
        if (
            candidate.is_file()
            and subprocess.call(
                [str(candidate), "-c", "import PySide6.QtGui"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            == 0
        ):
            return str(candidate)
    return None


def screenshot(env: dict[str, str], window: str, path: Path) -> int | None:
    """Save the screen to path; the number of colours over the window (None: no Python with PySide6)."""
    python = python_with_pyside()
    if python is None:
        return None
    geometry = subprocess.run(["xdotool", "getwindowgeometry", "--shell", window], env=env,
                              capture_output=True, text=True, timeout=STOP_TIMEOUT_S).stdout  # fmt: skip
    box = dict(line.split("=", 1) for line in geometry.split() if "=" in line)
    rect = [box.get(k, d) for k, d in (("X", "0"), ("Y", "0"), ("WIDTH", "400"), ("HEIGHT", "300"))]
    grab = subprocess.run([python, "-c", GRAB, str(path), *rect], env={**env, "QT_QPA_PLATFORM": "xcb"},
                          capture_output=True, text=True, timeout=WINDOW_TIMEOUT_S)  # fmt: skip
    return int(grab.stdout.strip() or 0)


def window_checks(checks: Checks, work: Path, shot: Path) -> float | None:
    """Start the installed program in a real X window; the seconds its window took to appear."""
    data = work / "data"
    home = work / "home"
    home.mkdir()
    with desktop_for(home) as env:
        log_path = work / "app.log"
        with log_path.open("wb") as log:
            started = time.monotonic()
            app = subprocess.Popen(
                [COMMAND, "--data-dir", str(data)], env=env, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            window = ""

            def shown() -> bool:
                nonlocal window
                window = find_window(env)
                return bool(window)

            appeared = wait_for(shown, WINDOW_TIMEOUT_S, app)
            took = time.monotonic() - started

            def log_text() -> str:
                return log_path.read_text(encoding="utf-8", errors="replace")

            if not checks.check(appeared, f'its window "{WINDOW_NAME}" appears on {env["DISPLAY"]} (xdotool)',
                                f"{took:.1f} s" if appeared else f"not within {WINDOW_TIMEOUT_S:.0f} s\n{log_text()}"):  # fmt: skip
                return None
            time.sleep(2.0)  # let it paint before the picture (only the screenshot waits on the clock)
            colours = screenshot(env, window, shot)
            if colours is None:
                print("skip  screenshot: no Python with PySide6 here (the checkout's .venv)")
            else:
                checks.check(colours > 1, f"the window is painted (screenshot {shot})", f"{colours} colours")
            app.send_signal(signal.SIGTERM)
            code = app.wait(timeout=STOP_TIMEOUT_S)
            checks.check(code == 0, "SIGTERM ends it", f"exit code {code}")
            checks.check("Traceback" not in log_text(), "no Python traceback in its output")
            checks.check((data / DATA_FILE).is_file(), f"its data file is in --data-dir ({data / DATA_FILE})")
            return took
        finally:
            stop(app)


# ---- the whole check ---------------------------------------------------------------------------------------
def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("deb", type=Path, help="the .deb made by packaging/deb.py")
    parser.add_argument(
        "--screenshot", type=Path, help="where to save the window's picture (default: a temp folder)"
    )
    args = parser.parse_args(argv)
    deb = args.deb.resolve()
    missing = [
        f"{program} (Debian package {package})"
        for program, package in NEEDED.items()
        if not shutil.which(program)
    ]
    if os.geteuid() != 0 or missing or not deb.is_file():
        problems = [*(["must run as root: it installs and purges the package"] if os.geteuid() else []),
                    *(f"needs {m}" for m in missing), *([] if deb.is_file() else [f"no such file: {deb}"])]  # fmt: skip
        print("deb_check.py: " + "; ".join(problems), file=sys.stderr)
        return 2
    if known_to_dpkg():
        print(f"deb_check.py: {PACKAGE} is installed already; this check installs and purges it, so remove it"
              f" first (apt-get purge {PACKAGE})", file=sys.stderr)  # fmt: skip
        return 2
    checks = Checks()
    figures = [f".deb {deb.stat().st_size / MB:.1f} MB ({deb.name})"]
    paths = deb_paths(deb)
    existed = {
        p for p in paths if os.path.lexists(p)
    }  # shared folders such as /usr/share/icons/hicolor/48x48/apps
    with tempfile.TemporaryDirectory(prefix="deb-check-") as temp:
        work = Path(temp)
        try:
            code, output, took = apt("install", "-y", "--no-install-recommends", str(deb))
            if not checks.check(
                code == 0, f"apt-get install -y {deb.name}", f"{took:.0f} s" if code == 0 else output[-3000:]
            ):
                return 1
            figures.append(f"apt-get install {took:.0f} s")
            version = installed_version()
            listed = subprocess.run(["dpkg", "-L", PACKAGE], capture_output=True, text=True).stdout.split(
                "\n"
            )
            listed = [p for p in listed if p and p != "/."]
            checks.check(
                set(listed) == set(paths), "dpkg -L lists what the .deb holds", f"{len(listed)} paths"
            )
            figures.append(f"installed {tree_size(INSTALL_DIR) / MB:.1f} MB in {INSTALL_DIR}")
            done = subprocess.run([COMMAND, "--version"], capture_output=True, text=True, timeout=STOP_TIMEOUT_S,
                                  env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})  # fmt: skip
            upstream = version.rsplit("-", 1)[0]
            checks.check(done.returncode == 0 and upstream in done.stdout, f"{shutil.which(COMMAND)} --version",
                         (done.stdout + done.stderr).strip())  # fmt: skip
            heard = subprocess.run([COMMAND, "--check-recogniser"], capture_output=True, text=True,
                                   timeout=STOP_TIMEOUT_S)  # fmt: skip
            checks.check(
                heard.returncode == 0
                and f'"model": "{INSTALL_DIR}/' in heard.stdout
                and '"heard": []' in heard.stdout,
                f"{shutil.which(COMMAND)} --check-recogniser: the model from {INSTALL_DIR}, nothing in silence",
                (heard.stdout + heard.stderr).strip()[-1000:],
            )
            desktop_checks(checks, listed)
            shot = args.screenshot.resolve() if args.screenshot else work / "window.png"
            shown = window_checks(checks, work, shot)
            if shown is not None:
                figures.append(f"window shown {shown:.1f} s after starting")
        finally:
            if known_to_dpkg():
                code, output, took = apt("purge", "-y", PACKAGE)
                checks.check(
                    code == 0, f"apt-get purge -y {PACKAGE}", f"{took:.0f} s" if code == 0 else output[-3000:]
                )
                figures.append(f"apt-get purge {took:.0f} s")
        left = sorted(p for p in paths if p not in existed and os.path.lexists(p))
        checks.check(
            not left,
            "nothing the package installed is left",
            ", ".join(left[:10]) or f"{len(paths)} paths gone",
        )
        checks.check(not INSTALL_DIR.exists(), f"{INSTALL_DIR} is gone")
        checks.check(not known_to_dpkg(), "dpkg no longer knows the package")
    print("Measured: " + "; ".join(figures))
    print("deb check passed." if not checks.failed else f"deb check FAILED: {checks.failed} check(s).")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    with suppress(KeyboardInterrupt):
        raise SystemExit(main(sys.argv[1:]))
