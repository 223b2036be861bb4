"""packaging/dev.py: `test` runs everything as given (CI's command); `test --fast` is the edit loop."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

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
