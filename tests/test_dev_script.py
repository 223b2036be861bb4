"""packaging/dev.py: `test` runs everything as given (CI's command); `test --fast` is the edit loop."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

DEV = Path(__file__).resolve().parents[1] / "packaging" / "dev.py"


def dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_script", DEV)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_plain_test_command_passes_its_arguments_as_they_are() -> None:
    assert dev().pytest_args(["-q", "--randomly-seed=7"]) == ["-q", "--randomly-seed=7"]


def test_fast_leaves_out_the_slow_tests_runs_fewer_examples_and_uses_every_core() -> None:
    args = dev().pytest_args(["-q", "--fast", "-k", "storage"])
    assert "--fast" not in args and args[-3:] == ["-q", "-k", "storage"]
    assert args[args.index("-m") + 1] == "not slow and not xvfb"
    assert "--hypothesis-profile=fast" in args
    assert args[args.index("-n") + 1] == "auto"


def test_fast_keeps_a_chosen_process_count_and_one_process_for_the_debugger() -> None:
    for own in (["-n", "0"], ["-n3"], ["--pdb"], ["-p", "no:xdist"]):
        args = dev().pytest_args(["--fast", *own])
        assert "auto" not in args and args[-len(own) :] == own, own


PROPERTY = """
from hypothesis import given, settings, strategies as st

RAN = []


@settings(max_examples=300, database=None)
@given(st.integers())
def test_property(n):
    RAN.append(n)


def test_count():
    print(f"ran {len(RAN)} examples")
"""


@pytest.mark.parametrize(("profile", "count"), [("default", 300), ("fast", 10)])
def test_the_fast_profile_lowers_a_propertys_own_count_too(tmp_path: Path, profile: str, count: int) -> None:
    (tmp_path / "test_property.py").write_text(PROPERTY)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:randomly", "-p", "no:cacheprovider", "-p",
         "tests.conftest", f"--hypothesis-profile={profile}", "--rootdir", str(tmp_path), str(tmp_path)],
        capture_output=True, text=True, cwd=DEV.parents[1], timeout=120, check=False,
    )  # fmt: skip
    assert f"ran {count} examples" in done.stdout, done.stdout + done.stderr
