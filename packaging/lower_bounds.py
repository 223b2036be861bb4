#!/usr/bin/env python3
"""Run the test suite against the oldest versions of the runtime dependencies that pyproject.toml allows.

    python3 packaging/lower_bounds.py                 # the whole suite, headless, in .venv-oldest
    python3 packaging/lower_bounds.py tests/views -x  # any pytest arguments instead of the whole suite
    python3 packaging/lower_bounds.py --lowest-test-tools [pytest args]  # the [test] extra at its lowest too

Each runtime dependency in [project] dependencies is pinned to the lowest release that satisfies its
specifier and has a wheel for this Python on this machine (e.g. PySide6-Essentials>=6.8,<6.12 -> 6.8.0), and
the app is installed with those pins into its own virtual environment, .venv-oldest at the top of the checkout
(git-ignored; rebuilt when pyproject.toml or the pins change). The test tools ([test] extra) are installed at
their newest allowed versions: this run asks "does the app work on the oldest libraries a user may have?", and
the test tools never reach a user; holding them low too would mix their old bugs into the answer.
--lowest-test-tools holds the [test] extra at its lower bounds as well, to check those bounds by hand.

The versions installed and the time the run took are printed; the exit code is pytest's. Any Python 3.11+ runs
it: the script makes the venv, then goes on inside it (where pip and `packaging` are at hand)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
import venv
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-oldest"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"
PIP = [str(PYTHON), "-m", "pip", "--disable-pip-version-check"]
INSIDE_FLAG = "--inside-venv"  # the second stage, run by the venv's own Python
LOWEST_TEST_TOOLS_FLAG = "--lowest-test-tools"


def say(message: str) -> None:
    print(f"lower_bounds: {message}", flush=True)


def fail(message: str) -> None:
    print(f"lower_bounds: {message}", file=sys.stderr, flush=True)
    raise SystemExit(2)


def make_venv() -> None:
    """The venv with a current pip (`pip index versions --json` needs pip 25+) and `packaging`."""
    if not PYTHON.exists():
        say(f"creating {VENV.name} ...")
        try:
            venv.create(VENV, with_pip=True)
        except (OSError, subprocess.CalledProcessError):
            fail("could not create a virtual environment. On Debian/Ubuntu: apt install python3-venv")
    if subprocess.call([*PIP, "install", "-q", "--upgrade", "pip", "packaging"]):
        fail("could not install pip and packaging into the venv (pip's message is above)")


def runtime_requirements() -> list[str]:
    return list(_project()["dependencies"])


def test_requirements() -> list[str]:
    return list(_project()["optional-dependencies"]["test"])


def _project() -> dict[str, Any]:
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as file:
        project: dict[str, Any] = tomllib.load(file)["project"]
    return project


def available_versions(name: str) -> list[str]:
    """Every release of ``name`` the index offers as a wheel this interpreter can install (no pre-releases)."""
    out = subprocess.run(
        [*PIP, "index", "versions", "--json", "--only-binary", ":all:", name],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        fail(f"pip could not list the versions of {name}:\n{out.stderr}")
    return list(json.loads(out.stdout)["versions"])


def lowest_pins(requirements: list[str]) -> list[str]:
    """``name==version`` for each requirement: its lowest allowed release with a wheel for this Python."""
    from packaging.requirements import Requirement
    from packaging.version import Version

    pins = []
    for text in requirements:
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue  # not for this platform
        allowed = [
            version
            for version in map(Version, available_versions(requirement.name))
            if version in requirement.specifier
        ]
        if not allowed:
            fail(f"no release of {requirement.name} satisfies {requirement.specifier} with a wheel here")
        extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
        pins.append(f"{requirement.name}{extras}=={min(allowed)}")
    return pins


def install(pins: list[str]) -> None:
    """The app (editable) with its [test] extra, its runtime dependencies held at ``pins``."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + " ".join(pins).encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    constraints = VENV / "lowest-constraints.txt"
    constraints.write_text("".join(f"{pin}\n" for pin in pins))
    say("installing the app with these pins: " + ", ".join(pins))
    # the pins go in as requirements too, so pip's resolver cannot move them (it must, or it fails); everything
    # else goes to its newest allowed, also in a venv left by a --lowest-test-tools run
    upgrade = ["--upgrade", "--upgrade-strategy", "eager"]
    command = [*PIP, "install", "-q", *upgrade, "-c", str(constraints), *pins, "-e", f"{ROOT}[test]"]
    if subprocess.call(command):
        fail("installing failed (pip's message is above)")
    STAMP.write_text(wanted)


def installed_versions(names: list[str]) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "(not installed)"
    return found


def inside(pytest_args: list[str]) -> int:
    """The second stage, run by .venv-oldest's Python."""
    from packaging.requirements import Requirement

    requirements = runtime_requirements()
    if LOWEST_TEST_TOOLS_FLAG in pytest_args:
        pytest_args = [arg for arg in pytest_args if arg != LOWEST_TEST_TOOLS_FLAG]
        requirements += test_requirements()
    pins = lowest_pins(requirements)
    install(pins)
    names = [Requirement(text).name for text in requirements] + ["shiboken6", "pytest", "pytest-qt"]
    say("versions in use:")
    for name, found in installed_versions(names).items():
        say(f"  {name:<20} {found}")
    for pin in pins:
        name, low = pin.split("==")
        if installed_versions([name.split("[")[0]])[name.split("[")[0]] != low:
            fail(f"{name} is not at its lower bound {low}: the pins did not hold")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    command = [str(PYTHON), "-m", "pytest", "-p", "no:cacheprovider", *pytest_args]
    say("running " + " ".join(command[1:]))
    start = time.monotonic()
    code = subprocess.call(command, cwd=ROOT, env=env)
    say(f"the run took {time.monotonic() - start:.0f} s (pytest exit code {code})")
    return code


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script must explain itself to old Pythons
        fail(f"needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if argv[:1] == [INSIDE_FLAG]:
        return inside(argv[1:])
    make_venv()
    return subprocess.call([str(PYTHON), str(Path(__file__).resolve()), INSIDE_FLAG, *argv])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
