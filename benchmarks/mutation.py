"""Mutation score of the core rules: mutmut 3 on each module against its own tests (issue 18, point 5).

    python benchmarks/mutation.py                     # engine, safety and schedule (about an hour on 2 cores)
    python benchmarks/mutation.py schedule --min 95   # one module; exit code 1 if below 95 %
    python benchmarks/mutation.py --jobs 2            # two mutant workers (default 1: the machine is shared)

For each module this builds a scratch project in benchmarks/out/mutation/<module>/ (git ignores it): a copy
of the package and its assets, of tests/conftest.py and tests/helpers.py, and of that module's own tests only, with a
pyproject.toml holding the project's pytest settings and a [tool.mutmut] section that mutates that one file.
mutmut runs there (`mutmut run`), so a mutant is only ever judged by the tests written for its module, and
the real tree (where other people work) is never touched. Each run starts from a fresh copy: no cached
results from an older run can hide a change.

Inside the copy, tests run in file order (`-p no:randomly`) and Hypothesis is derandomized with no deadline
(the trampolines mutmut adds make every call slower), so a score does not depend on luck.

Per module it prints the mutants, killed, survived, timeouts, no-test mutants and the score, then lists
the survivors (`mutmut show NAME` in the scratch folder prints a survivor's diff). The score counts a
timeout as killed (the mutant made the tests hang: it was noticed) and a mutant no test reaches as
survived: score = (killed + timeout) / mutants.

Not part of the test run: see docs/mutation.md for the figures and the survivors judged equivalent."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "mutation"

# module name -> (the file mutated, the tests that judge it)
MODULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "engine": (
        "sciatica_coach/core/engine.py",
        ("tests/core/test_engine*.py",),
    ),
    # test_session_safety.py holds the safety rules of issue 14 (leg reach, gentler substitute, red stop);
    # test_red_flags.py is left out: the red-flag questions are core/red_flags.py's, not safety.py's.
    "safety": (
        "sciatica_coach/core/safety.py",
        ("tests/core/test_safety*.py", "tests/core/test_session_safety.py"),
    ),
    "schedule": (
        "sciatica_coach/core/schedule.py",
        ("tests/core/test_schedule*.py",),
    ),
    "sitting": (
        "sciatica_coach/core/sitting.py",
        ("tests/core/test_sitting.py",),
    ),
}

# Appended to the copied tests/conftest.py: the same examples on every run, and no deadline.
HYPOTHESIS_PROFILE = """

# --- added by benchmarks/mutation.py: a mutation run must not depend on luck or on speed ---
from hypothesis import settings as _mutation_settings

_mutation_settings.register_profile("mutation", deadline=None, derandomize=True, database=None)
_mutation_settings.load_profile("mutation")
"""

DETECTED = {"killed", "timeout", "caught by type check"}


@dataclass
class Score:
    module: str
    by_status: dict[str, list[str]] = field(default_factory=dict)

    def count(self, *statuses: str) -> int:
        return sum(len(self.by_status.get(status, [])) for status in statuses)

    @property
    def total(self) -> int:
        return sum(len(names) for status, names in self.by_status.items() if status != "skipped")

    @property
    def survivors(self) -> list[str]:
        return sorted(self.by_status.get("survived", []) + self.by_status.get("no tests", []))

    @property
    def percent(self) -> float:
        return 100.0 * self.count(*DETECTED) / self.total if self.total else 100.0


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def _toml_table(name: str, table: dict[str, object]) -> str:
    lines = [f"[{name}]"] + [f"{key} = {_toml_value(value)}" for key, value in table.items()]
    return "\n".join(lines) + "\n"


def prepare(module: str, workdir: Path) -> None:
    """A fresh scratch project in `workdir` whose tests are `module`'s own."""
    source, patterns = MODULES[module]
    if workdir.exists():
        shutil.rmtree(workdir)
    (workdir / "tests" / "core").mkdir(parents=True)
    shutil.copytree(
        ROOT / "sciatica_coach", workdir / "sciatica_coach", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "assets", workdir / "assets")  # the catalogue and translations the tests load
    for name in ("tests/__init__.py", "tests/helpers.py", "tests/core/__init__.py"):
        shutil.copy2(ROOT / name, workdir / name)
    conftest = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    (workdir / "tests" / "conftest.py").write_text(conftest + HYPOTHESIS_PROFILE, encoding="utf-8")
    tests = sorted({path for pattern in patterns for path in ROOT.glob(pattern)})
    for path in tests:
        shutil.copy2(path, workdir / path.relative_to(ROOT))

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_options = dict(project["tool"]["pytest"]["ini_options"])
    mutmut_options: dict[str, object] = {
        "source_paths": ["sciatica_coach/"],
        "only_mutate": [source],
        "also_copy": ["assets/"],
        "pytest_add_cli_args": ["-p", "no:randomly", "-p", "no:cacheprovider", "-q"],
        "pytest_add_cli_args_test_selection": [str(p.relative_to(ROOT)) for p in tests],
        "use_git_change_detection": False,
        "use_setproctitle": False,
    }
    (workdir / "pyproject.toml").write_text(
        _toml_table("tool.pytest.ini_options", pytest_options)
        + "\n"
        + _toml_table("tool.mutmut", mutmut_options),
        encoding="utf-8",
    )


def run(module: str, jobs: int) -> Score:
    workdir = OUT / module
    prepare(module, workdir)
    mutmut = [sys.executable, "-m", "mutmut"]
    print(f"== {module}: mutmut run in {workdir.relative_to(ROOT)} ({jobs} worker(s))", flush=True)
    log = workdir / "mutmut-run.log"
    with log.open("w", encoding="utf-8") as out:
        subprocess.run([*mutmut, "run", "--max-children", str(jobs)], cwd=workdir, stdout=out, stderr=out)
    listed = subprocess.run(
        [*mutmut, "results", "--all", "true"], cwd=workdir, capture_output=True, text=True, check=True
    )
    score = Score(module)
    for line in listed.stdout.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep:
            score.by_status.setdefault(status, []).append(name)
    if not score.total:
        print(f"   no results: see {log.relative_to(ROOT)}", flush=True)
    return score


def report(score: Score) -> None:
    print(
        f"{score.module}: {score.total} mutants, {score.count('killed')} killed, "
        f"{score.count('survived')} survived, {score.count('timeout')} timeout, "
        f"{score.count('no tests')} no tests, {score.count('suspicious', 'segfault')} suspicious/segfault: "
        f"score {score.percent:.1f} %",
        flush=True,
    )
    for name in score.survivors:
        print(f"   survived: {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help=f"any of {', '.join(MODULES)} (default: all)")
    parser.add_argument("--jobs", type=int, default=1, help="mutant workers at a time (default 1)")
    parser.add_argument("--min", type=float, default=0.0, help="exit 1 if any module scores below this %%")
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown module(s): {', '.join(unknown)}")
    scores = [run(module, args.jobs) for module in (args.modules or list(MODULES))]
    print()
    for score in scores:
        report(score)
    below = [s.module for s in scores if s.percent < args.min or not s.total]
    if below:
        print(f"below {args.min:.1f} %: {', '.join(below)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
