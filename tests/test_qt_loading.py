"""The desktop app loads PySide6 without its __feature__ import hook (it read every later module's source)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import builtins, linecache, sys
from sciatica_coach.qt_loading import load_pyside
removed = load_pyside()
import colorsys  # any module not imported yet
print(removed, builtins.__import__ is builtins.__orig_import__, colorsys.__file__ in linecache.cache)
"""

WITHOUT = """
import linecache
import PySide6.QtCore
import colorsys
print(colorsys.__file__ in linecache.cache)
"""


def run(code: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.split()


def test_pyside_reads_the_source_of_each_later_import_unless_its_hook_is_removed() -> None:
    assert run(WITHOUT) == ["True"], "PySide6 no longer reads sources: qt_loading can go"
    assert run(PROBE) == ["True", "True", "False"]


def test_a_second_call_leaves_the_import_function_alone() -> None:
    code = "from sciatica_coach.qt_loading import load_pyside\nprint(load_pyside(), load_pyside())"
    assert run(code) == ["True", "False"]
