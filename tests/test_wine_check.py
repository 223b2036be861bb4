"""packaging/wine_check.py, the Windows evidence under Wine: the parts that decide a verdict without Wine.

The check itself (about 95 s and 270 MB of downloads) runs as its own CI step; here: an unknown traceback in
the app's output fails it while the known Windows gaps and the stop's KeyboardInterrupt do not, every test the
check leaves out still exists (a renamed test must not leave a stale exception behind), and a missing tool
is named with its Debian package."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("wine_check", ROOT / "packaging" / "wine_check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("wine_check", module)
    spec.loader.exec_module(module)
    return module


wine_check = _load()

KNOWN_OUTPUT = """WARNING sciatica_coach.storage.repository: The data folder Z:\\tmp\\d can be written by every user
Traceback (most recent call last):
  File "Z:\\src\\sciatica_coach\\app.py", line 105, in quit_on_termination
    os.set_blocking(reader, False)
AttributeError: module 'os' has no attribute 'set_blocking'
Traceback (most recent call last):
  File "Z:\\src\\sciatica_coach\\services\\reminders.py", line 214, in _tick
KeyboardInterrupt
"""

UNKNOWN = """Traceback (most recent call last):
  File "Z:\\src\\sciatica_coach\\views\\main_window.py", line 1, in show
ImportError: DLL load failed while importing QtMultimedia: Module not found.
"""


def test_known_gaps_and_the_stop_are_not_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    # the gap this output shows is fixed (app.quit_on_termination uses a socket pair): named here as an example
    monkeypatch.setitem(wine_check.KNOWN_APP_GAPS, "has no attribute 'set_blocking'", "example gap")
    assert wine_check._unknown_tracebacks(KNOWN_OUTPUT) == []


def test_a_fixed_gap_is_no_longer_excused() -> None:
    found = wine_check._unknown_tracebacks(KNOWN_OUTPUT)
    assert len(found) == 1 and "set_blocking" in found[0]


def test_an_unknown_traceback_fails_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(wine_check.KNOWN_APP_GAPS, "has no attribute 'set_blocking'", "example gap")
    found = wine_check._unknown_tracebacks(KNOWN_OUTPUT + UNKNOWN)
    assert len(found) == 1
    assert "QtMultimedia" in found[0]


@pytest.mark.parametrize("node", sorted(wine_check.KNOWN_CORE_GAPS))
def test_every_left_out_core_test_still_exists(node: str) -> None:
    path, _, name = node.partition("::")
    file = ROOT / path
    assert file.is_file(), f"{path} is gone: remove it from KNOWN_CORE_GAPS"
    if name:
        assert f"def {name}(" in file.read_text(encoding="utf-8"), (
            f"{node} is gone: remove it from KNOWN_CORE_GAPS"
        )


def test_a_linux_path_is_seen_on_wines_z_drive(tmp_path: Path) -> None:
    assert wine_check._windows_path(tmp_path / "a b") == "Z:" + str(tmp_path / "a b").replace("/", "\\")


def test_a_missing_tool_is_named_with_its_debian_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        wine_check.shutil, "which", lambda tool: None if tool.startswith("x86_64-w64") else tool
    )
    assert wine_check.missing_tools() == ["x86_64-w64-mingw32-gcc (Debian: gcc-mingw-w64-x86-64-win32)"]
