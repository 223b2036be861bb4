#!/usr/bin/env python3
"""Check the source distribution as a distribution packager uses it, from scratch, with one command.

    python3 packaging/sdist_check.py [--work DIR] [--keep] [pytest arguments]

1. builds the sdist from this checkout with `python -m build` (the `build` package from PyPI, in a small
   venv of its own), then the wheel from the unpacked sdist (not from the checkout), as a packager would;
2. unpacks the sdist in a temp folder, makes a fresh venv there and installs that wheel with its [test]
   extra (not editable, not the checkout);
3. runs the whole test suite from the unpacked sdist, offscreen, against the installed package: the
   checkout is not on sys.path, and a small pytest plugin fails the run if any sciatica_coach module was
   imported from anywhere but the venv (it prints sciatica_coach.__file__);
4. runs the "Start at login" line for real for this wheel install: create_autostart(data_dir) in that
   venv with XDG_CONFIG_HOME in a temp folder, then the Exec= line written there, offscreen with HOME and
   the XDG folders in temp; the app must open that data folder and keep running (it is stopped then);
5. prints the sizes of the sdist and the wheel and the time of each step.

Needs only the standard library and network access to the package index (pip installs the dependencies).
Extra arguments go to pytest, e.g. `-x -q` or `--randomly-seed=1`. Exit status 0 when everything passed."""

from __future__ import annotations

import argparse
import configparser
import os
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import time
import venv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_REQUIREMENT = "build>=1.2"
PIP = ["-m", "pip", "install", "--disable-pip-version-check", "-q"]
APP_OPEN_TIMEOUT_S = 60  # the app must have opened its data folder by then
APP_KEEPS_RUNNING_S = 4  # and still be running this long after
DATA_FILE = "sciatica-coach.json"  # written when the app opens its data folder
KB = 1024

# A pytest plugin loaded into the suite's run: the tests must have run against the installed package.
PROBE = '''
"""sdist_check: fail the run if sciatica_coach came from anywhere but the venv, or the checkout is importable."""
import os
import sys
from pathlib import Path

import pytest

SITE = Path(os.environ["SDIST_CHECK_SITE"]).resolve()
CHECKOUT = Path(os.environ["SDIST_CHECK_CHECKOUT"]).resolve()


def _problems():
    import sciatica_coach

    print(f"\\nsdist check: sciatica_coach.__file__ = {sciatica_coach.__file__}")
    found = []
    for name, module in sorted(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if (name == "sciatica_coach" or name.startswith("sciatica_coach.")) and file:
            if not Path(file).resolve().is_relative_to(SITE):
                found.append(f"{name} was imported from {file}, not from the installed package in {SITE}")
    for entry in sys.path:
        if entry and Path(entry).resolve().is_relative_to(CHECKOUT):
            found.append(f"the checkout is on sys.path: {entry}")
    return found


def pytest_sessionfinish(session, exitstatus):
    problems = _problems()
    for problem in problems:
        print(f"sdist check: {problem}")
    if problems:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    else:
        print(f"sdist check: every sciatica_coach module came from {SITE}")
'''

# Run in the installed venv: write the login start as the app's setting does, print the file written.
ENABLE_AUTOSTART = """
import sys
from pathlib import Path
from sciatica_coach.platform.autostart import XdgAutostart, create_autostart
auto = create_autostart(Path(sys.argv[1]))
assert isinstance(auto, XdgAutostart), auto
auto.set_enabled(True)
print(auto.path)
"""


class CheckError(Exception):
    pass


timings: list[tuple[str, float]] = []


@contextmanager
def step(name: str) -> Iterator[None]:
    print(f"\n== {name}", flush=True)
    started = time.monotonic()
    try:
        yield
    finally:
        timings.append((name, time.monotonic() - started))
        print(f"   ({timings[-1][1]:.1f} s)", flush=True)


def run(command: list[str | Path], cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    shown = " ".join(shlex.quote(str(part)) for part in command)
    print(f"$ {shown}", flush=True)
    if subprocess.call([str(part) for part in command], cwd=cwd, env=env):
        raise CheckError(f"failed: {shown}")


def python_of(env_dir: Path) -> Path:
    return env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def make_venv(env_dir: Path) -> Path:
    try:
        venv.create(env_dir, with_pip=True, clear=True)
    except (OSError, subprocess.CalledProcessError) as error:
        raise CheckError(f"could not make a venv ({error}); on Debian: apt install python3-venv") from error
    return python_of(env_dir)


def unpack(sdist: Path, into: Path) -> Path:
    with tarfile.open(sdist) as archive:
        archive.extractall(into, filter="data")
    (top,) = into.iterdir()
    return top


def site_packages(python: Path) -> Path:
    out = subprocess.check_output(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
    )
    return Path(out.strip())


def private_environment(work: Path) -> dict[str, str]:
    """HOME, the XDG folders and the runtime folder in temp, offscreen: nothing of the real profile."""
    home = work / "home"
    runtime = work / "runtime"
    for folder in (home, runtime):
        folder.mkdir(mode=0o700, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XDG_", "SCIATICA_COACH_", "PYTHON", "VIRTUAL_ENV", "QT_"))
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_STATE_HOME=str(home / ".local/state"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_RUNTIME_DIR=str(runtime),
        QT_QPA_PLATFORM="offscreen",
    )
    return env


def build_sdist_and_wheel(work: Path) -> tuple[Path, Path]:
    with step("a venv with the build frontend"):
        tools = make_venv(work / "tools")
        run([tools, *PIP, BUILD_REQUIREMENT])
    dist = work / "dist"
    with step("build the sdist from the checkout"):
        run([tools, "-m", "build", "--sdist", "--outdir", dist, ROOT])
        (sdist,) = dist.glob("sciatica_coach-*.tar.gz")
    with step("build the wheel from the unpacked sdist"):
        source = unpack(sdist, work / "wheel-source")
        run([tools, "-m", "build", "--wheel", "--outdir", dist, source])
        (wheel,) = dist.glob("sciatica_coach-*.whl")
    return sdist, wheel


def install(work: Path, wheel: Path) -> Path:
    with step("a fresh venv with the wheel from the sdist and its [test] extra"):
        python = make_venv(work / "venv")
        run([python, *PIP, f"{wheel}[test]"], cwd=work)
    env = private_environment(work)
    probe = subprocess.run(
        [python, "-c", "import sciatica_coach; print(sciatica_coach.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    installed = Path(probe.stdout.strip())
    print(f"installed: sciatica_coach.__file__ = {installed}")
    if probe.returncode or not installed.is_relative_to(site_packages(python)):
        raise CheckError(f"sciatica_coach does not import from the venv: {probe.stdout}{probe.stderr}")
    return python


def run_suite(work: Path, python: Path, tree: Path, pytest_args: list[str]) -> None:
    plugin_dir = work / "plugin"
    plugin_dir.mkdir()
    (plugin_dir / "sdist_check_probe.py").write_text(textwrap.dedent(PROBE), encoding="utf-8")
    env = private_environment(work)
    env.update(
        PYTHONPATH=str(plugin_dir),
        SDIST_CHECK_SITE=str(site_packages(python)),
        SDIST_CHECK_CHECKOUT=str(ROOT),
    )
    # -P: `python -m` would put the current folder (the unpacked tree, which holds the sources too) first on
    # sys.path; --import-mode=append: pytest puts the tree's root after site-packages, so `tests` imports from
    # the tree and `sciatica_coach` from the venv.
    command: list[str | Path] = [
        python,
        "-P",
        "-m",
        "pytest",
        "-p",
        "sdist_check_probe",
        "-p",
        "no:cacheprovider",
        "--import-mode=append",
        *pytest_args,
    ]
    with step("the whole test suite from the unpacked sdist"):
        run(command, cwd=tree, env=env)


def check_login_start(work: Path, python: Path) -> None:
    """Start at login, for real, for this wheel install."""
    env = private_environment(work)
    data = work / "login data"  # a space, as in many real paths
    with step("Start at login: write the login line and run it"):
        written = subprocess.run(
            [python, "-c", ENABLE_AUTOSTART, str(data)], cwd=work, env=env, capture_output=True, text=True
        )
        if written.returncode:
            raise CheckError(f"create_autostart failed: {written.stderr}")
        desktop_file = Path(written.stdout.strip())
        if not desktop_file.is_relative_to(Path(env["XDG_CONFIG_HOME"])):
            raise CheckError(f"the login entry went outside XDG_CONFIG_HOME: {desktop_file}")
        entry = configparser.ConfigParser(interpolation=None)
        entry.read_string(desktop_file.read_text(encoding="utf-8"))
        exec_line = entry["Desktop Entry"]["Exec"]
        print(f"{desktop_file}: Exec={exec_line}")
        command = shlex.split(exec_line.replace("%%", "%"))
        script = python.with_name("sciatica-coach")
        expected = [str(script), "--data-dir", str(data), "--background"]
        if command != expected:
            raise CheckError(f"the login line is {command}, expected {expected}")
        process = subprocess.Popen(
            command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            deadline = time.monotonic() + APP_OPEN_TIMEOUT_S
            while not (data / DATA_FILE).exists():
                if process.poll() is not None:
                    raise CheckError(f"the app exited ({process.returncode}): {process.communicate()[1]}")
                if time.monotonic() > deadline:
                    raise CheckError(f"the app did not open {data} within {APP_OPEN_TIMEOUT_S} s")
                time.sleep(0.1)
            print(f"the app opened {data} after {time.monotonic() - deadline + APP_OPEN_TIMEOUT_S:.1f} s")
            time.sleep(APP_KEEPS_RUNNING_S)
            if process.poll() is not None:
                raise CheckError(f"the app stopped ({process.returncode}): {process.communicate()[1]}")
            print(f"still running {APP_KEEPS_RUNNING_S} s later, waiting in the background: stopping it")
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.communicate(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.communicate()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter, allow_abbrev=False
    )
    parser.add_argument("--work", type=Path, help="work folder (default: a new temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder afterwards")
    options, pytest_args = parser.parse_known_args(argv)
    work = options.work or Path(tempfile.mkdtemp(prefix="sciatica-coach-sdist-"))
    work.mkdir(parents=True, exist_ok=True)
    if any(work.iterdir()):
        parser.error(f"the work folder {work} is not empty")
    work = work.resolve()
    print(f"sdist check in {work}")
    started = time.monotonic()
    failure = None
    try:
        sdist, wheel = build_sdist_and_wheel(work)
        tree = unpack(sdist, work / "src")
        python = install(work, wheel)
        try:
            run_suite(work, python, tree, pytest_args)
        except CheckError as error:
            failure = error  # the login start is still worth knowing about
        check_login_start(work, python)
    except CheckError as error:
        failure = failure or error
    print("\n== summary")
    for name in ("sdist", "wheel"):
        for path in (work / "dist").glob("*.tar.gz" if name == "sdist" else "*.whl"):
            print(f"{name}: {path.name}  {path.stat().st_size / KB:,.0f} KB")
    for name, seconds in timings:
        print(f"{seconds:7.1f} s  {name}")
    print(f"{time.monotonic() - started:7.1f} s  in all")
    if not options.keep and options.work is None and failure is None:
        shutil.rmtree(work, ignore_errors=True)
    if failure:
        print(f"\nsdist check FAILED: {failure} (work folder kept: {work})", file=sys.stderr)
        return 1
    print("\nsdist check passed.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
