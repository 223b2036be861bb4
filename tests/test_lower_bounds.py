"""packaging/lower_bounds.py: each dependency pinned to the lowest release its specifier allows (the index's
answer is faked here; the real run is CI's `python3 packaging/lower_bounds.py`)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "packaging" / "lower_bounds.py"

# what `pip index versions` answers: newest first, wheels for this Python only, no pre-releases
OFFERED = {
    "PySide6-Essentials": ["6.12.0", "6.11.3", "6.10.0", "6.8.1", "6.8.0.2", "6.8.0", "6.7.3", "6.4.0.1"],
    "numpy": ["2.4.6", "2.0.0", "1.26.4", "1.26.0", "1.25.2"],
    "tinydb": ["4.9.0", "4.8.2", "4.8.0", "4.7.1", "3.15.2"],
    "pywin32": ["311", "306"],
}


@pytest.fixture
def script(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("lower_bounds_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "available_versions", lambda name: OFFERED[name])
    return module


def test_each_dependency_gets_its_lowest_allowed_release(script: ModuleType) -> None:
    pins = script.lowest_pins(["PySide6-Essentials>=6.8,<6.12", "numpy>=1.26", "tinydb>=4.8,<5"])
    assert pins == ["PySide6-Essentials==6.8.0", "numpy==1.26.0", "tinydb==4.8.0"]


def test_an_upper_bound_or_exclusion_is_kept_and_extras_carried(script: ModuleType) -> None:
    assert script.lowest_pins(["numpy[dev]>1.26.0,!=1.26.4"]) == ["numpy[dev]==2.0.0"]


def test_a_dependency_for_another_platform_is_left_out(script: ModuleType) -> None:
    assert script.lowest_pins(['pywin32>=306; sys_platform == "nonesuch"']) == []


def test_no_allowed_release_is_said_and_stops(script: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        script.lowest_pins(["tinydb>=5"])
    assert "no release of tinydb satisfies >=5" in capsys.readouterr().err


def test_the_runtime_dependencies_come_from_pyproject(script: ModuleType) -> None:
    names = [requirement.split(">")[0].split("<")[0] for requirement in script.runtime_requirements()]
    assert {"PySide6-Essentials", "PySide6-Addons", "pyqtgraph", "numpy", "tinydb"} <= set(names)
    assert "pytest" in " ".join(script.test_requirements())
