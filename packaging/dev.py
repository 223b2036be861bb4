#!/usr/bin/env python3
"""Set up and run Sciatica Coach from a source checkout with one command.

    python3 packaging/dev.py run [app arguments]   # create .venv if needed, install, start the app
    python3 packaging/dev.py test [pytest args]    # same venv plus test tools, run the whole suite headless
    python3 packaging/dev.py test --fast [args]    # the edit loop: no slow tests, fewer examples, all cores
    python3 packaging/dev.py lint                  # ruff (lint + format check), mypy, import layers

The virtual environment lives in .venv at the top of the checkout and is reinstalled only when
pyproject.toml changes. Only the standard library is used here, so any Python 3.11+ can run it."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
EXTRAS = {"run": "", "test": "[test]", "lint": "[dev]"}


def fail(message: str) -> None:
    print(f"dev.py: {message}", file=sys.stderr)
    raise SystemExit(2)


def ensure_venv(extra: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script must explain itself to old Pythons
        fail(f"Sciatica Coach needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    stamp = VENV / ".installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extra.encode()).hexdigest()
    have = stamp.read_text().split() if stamp.exists() else []
    if wanted in have:
        return
    if not PYTHON.exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        try:
            venv.create(VENV, with_pip=True)
        except (OSError, subprocess.CalledProcessError):
            fail("could not create a virtual environment. On Debian/Ubuntu: sudo apt install python3-venv")
    print(f"Installing Sciatica Coach{extra} and its dependencies into .venv ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    if subprocess.call([*pip, "--upgrade", "pip"]) or subprocess.call([*pip, "-e", f"{ROOT}{extra}"]):
        fail("installing the dependencies failed (pip's message is above); nothing else was changed.")
    stamp.write_text(" ".join([*have, wanted]))


# `test --fast`, for the edit-test loop (CI and the plain command run everything): leaves out the tests marked
# slow or xvfb, runs each Hypothesis property with the "fast" profile's examples (tests/conftest.py) and
# spreads the tests over the machine's cores (pytest-xdist) unless the arguments choose otherwise.
FAST_ARGS = ["-m", "not slow and not xvfb", "--hypothesis-profile=fast"]
OWN_SPREAD = ("-n", "--numprocesses", "--dist", "--pdb", "--trace", "no:xdist")  # one process, or your own -n


def pytest_args(rest: list[str]) -> list[str]:
    """The pytest arguments for `test [--fast] [args]`."""
    if "--fast" not in rest:
        return rest
    rest = [arg for arg in rest if arg != "--fast"]
    spread = [] if any(arg.startswith(OWN_SPREAD) for arg in rest) else ["-n", "auto"]
    return [*FAST_ARGS, *spread, *rest]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in EXTRAS:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_venv(EXTRAS[command])
    if command == "run":
        return subprocess.call([str(BIN / "sciatica-coach"), *rest])
    if command == "test":
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        return subprocess.call([str(PYTHON), "-m", "pytest", *pytest_args(rest)], cwd=ROOT, env=env)
    targets = ["sciatica_coach", "tests", "benchmarks", "packaging"]
    code = subprocess.call([str(BIN / "ruff"), "check", *targets], cwd=ROOT)
    code |= subprocess.call([str(BIN / "ruff"), "format", "--check", *targets], cwd=ROOT)
    code |= subprocess.call([str(BIN / "mypy"), "sciatica_coach"], cwd=ROOT)
    # the import layers and the Qt-free core (the contracts in pyproject.toml)
    code |= subprocess.call([str(BIN / "lint-imports"), "--no-cache", "--no-logo"], cwd=ROOT)
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
