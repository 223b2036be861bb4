"""The package's layers hold (the contracts in pyproject.toml, checked by import-linter): each layer imports only
from the layers below it, and the core and storage never import Qt. See docs/architecture.md.

Each check runs import-linter in a child process on a copy of the package, so the same check is shown to fail
when a module reaches upwards (it reads imports inside functions and under TYPE_CHECKING too)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))"
)
# Every pair (a, b) where a imports b and b leads back to a, inside one layer too (the layers contract only
# orders the layers); grimp is the import graph import-linter itself reads.
CYCLES = """
import grimp
graph = grimp.build_graph("sciatica_coach", cache_dir=None)
for module in sorted(graph.modules):
    for imported in sorted(graph.find_modules_directly_imported_by(module)):
        if graph.chain_exists(importer=imported, imported=module):
            print("cycle:", module, "->", imported)
"""


def lint_copy(
    tmp_path: Path, change: tuple[str, str] | None = None, script: str = LINT
) -> subprocess.CompletedProcess[str]:
    """Run import-linter with the project's contracts (or another `script`) on a copy of the package, with
    `change` (a module's path inside the package and a line to add at its end) made first."""
    shutil.copytree(
        ROOT / "sciatica_coach", tmp_path / "sciatica_coach", ignore=shutil.ignore_patterns("_assets")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    if change is not None:
        module, line = change
        path = tmp_path / "sciatica_coach" / module
        path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_layers_and_the_qt_free_core_hold(tmp_path: Path) -> None:
    result = lint_copy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # a platform adapter reaching up into the services: the cycle the tray and notifications once had
        (
            "platform/tray.py",
            "from sciatica_coach.services import reminders",
            "sciatica_coach.platform is not allowed",
        ),
        # a service reaching up into the views, hidden inside a function
        (
            "services/progress_data.py",
            "def _late():\n    from sciatica_coach.views import context",
            "sciatica_coach.services is not allowed",
        ),
        # the safety rules importing Qt
        ("core/safety.py", "import PySide6.QtCore", "sciatica_coach.core is not allowed to import PySide6"),
    ],
)
def test_an_upward_import_breaks_the_check(tmp_path: Path, module: str, line: str, broken: str) -> None:
    result = lint_copy(tmp_path, (module, line))
    assert result.returncode != 0
    assert broken in result.stdout.replace("\n", " ")


def test_no_module_imports_one_that_leads_back_to_it(tmp_path: Path) -> None:
    result = lint_copy(tmp_path, script=CYCLES)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "", result.stdout


def test_a_cycle_inside_one_layer_is_found(tmp_path: Path) -> None:
    """plans is below routines inside the services layer: plans importing routines closes a circle."""
    change = ("services/plans.py", "def _late():\n    from sciatica_coach.services import routines")
    result = lint_copy(tmp_path, change, script=CYCLES)
    assert "cycle: sciatica_coach.services.plans -> sciatica_coach.services.routines" in result.stdout
