"""The source distribution carries everything a packager needs (MANIFEST.in): the package, its assets, the
freedesktop files and build scripts in packaging/, the documentation, every test with its fixtures and fakes,
the benchmarks, README, LICENSE and CI script; and never caches, virtual environments or build output. The
wheel built from that sdist holds the package and its assets only.

The sdist is built here offline with setuptools' own backend from a copy of the tree (a few seconds); the
whole round trip (build, install in a fresh venv, run the whole suite from the unpacked sdist, start the app
by its login line) is `python3 packaging/sdist_check.py`."""

from __future__ import annotations

import email.parser
import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUBPROCESS_TIMEOUT_S = 180

# Left out of the copy the sdist is built from: heavy, and never shipped anyway (the junk below stands in)
NOT_COPIED = {".git", ".venv", ".venv-oldest", "build", "dist", "mutants", ".hypothesis", ".mypy_cache"}
NOT_COPIED_ANYWHERE = ("__pycache__", "*.pyc", "*.egg-info", ".pytest_cache", ".ruff_cache")
# What a checkout in use holds and the sdist must never carry (made in the copy, so the test can fail on a
# fresh clone too)
JUNK = (
    "tests/__pycache__/conftest.cpython-311-pytest-8.3.0.pyc",
    "sciatica_coach/core/__pycache__/engine.cpython-311.pyc",
    "tests/.hypothesis/examples/0a/1b",
    "benchmarks/.pytest_cache/v/cache/lastfailed",
    "benchmarks/out/startup.json",
    ".venv/pyvenv.cfg",
    ".venv-oldest/pyvenv.cfg",
    "build/lib/sciatica_coach/__init__.py",
    "dist/sciatica_coach-0.0.0.tar.gz",
    "mutants/sciatica_coach/core/engine.py",
)
# Tracked files that are not shipped on purpose: placeholders that keep an empty folder in git (in the sdist
# their folders hold files; in the wheel they would be clutter)
PLACEHOLDER = ".keep"


@dataclass(frozen=True)
class Built:
    sdist: Path
    members: frozenset[str]  # paths inside the sdist, without the leading "name-version/"
    wheel_members: frozenset[str]
    metadata: email.message.Message


def required_files() -> list[str]:
    """What a packager needs, found in this tree (a checkout or an unpacked sdist alike)."""
    patterns = [
        "README.md",
        "LICENSE",
        "pyproject.toml",
        "MANIFEST.in",
        ".ci/run",
        "sciatica_coach/**/*.py",
        "assets/**/*.json",
        "assets/**/*.svg",
        "assets/**/*.png",
        "assets/**/*.wav",
        "packaging/*.py",
        "packaging/*.spec",
        "packaging/linux/*",
        "docs/**/*.md",
        "docs/**/*.png",
        "tests/**/*.py",
        "benchmarks/*.py",
    ]
    found = {
        path.relative_to(ROOT).as_posix()
        for pattern in patterns
        for path in ROOT.glob(pattern)
        if path.is_file() and "__pycache__" not in path.parts
    }
    return sorted(found)


def tracked_files() -> list[str] | None:
    """The files git tracks, in a git checkout; None elsewhere (an unpacked sdist)."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        return None
    result = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    return sorted(name for name in result.stdout.split("\0") if name and (ROOT / name).is_file())


def build_backend(call: str, source: Path, out: Path) -> Path:
    """Run setuptools' PEP 517 hook `call` in `source` (a process of its own, as a build frontend does)."""
    script = textwrap.dedent(
        f"""
        from setuptools import build_meta
        print(build_meta.{call}({str(out)!r}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT_S,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out / result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    pytest.importorskip("setuptools", reason="the [test] extra installs setuptools to build the sdist")
    work = tmp_path_factory.mktemp("sdist")
    source = work / "source"

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = set(shutil.ignore_patterns(*NOT_COPIED_ANYWHERE)(folder, names))
        if Path(folder) == ROOT:
            skipped |= NOT_COPIED & set(names)
        return skipped

    shutil.copytree(ROOT, source, ignore=ignore, symlinks=True)
    for junk in JUNK:
        (source / junk).parent.mkdir(parents=True, exist_ok=True)
        (source / junk).write_text("not for the sdist\n")

    sdist = build_backend("build_sdist", source, work / "dist")
    with tarfile.open(sdist) as archive:
        top = sdist.name.removesuffix(".tar.gz")
        names = [member.name for member in archive.getmembers() if member.isfile()]
        assert all(name.startswith(f"{top}/") for name in names), names[:5]
        archive.extractall(work / "unpacked", filter="data")
    members = frozenset(name.removeprefix(f"{top}/") for name in names)

    wheel = build_backend("build_wheel", work / "unpacked" / top, work / "wheel")
    with zipfile.ZipFile(wheel) as wheel_archive:
        wheel_members = frozenset(wheel_archive.namelist())
    metadata = email.parser.Parser().parsestr((work / "unpacked" / top / "PKG-INFO").read_text("utf-8"))
    yield Built(sdist, members, wheel_members, metadata)


@pytest.mark.slow
def test_the_sdist_carries_what_a_packager_needs(built: Built) -> None:
    required = required_files()
    for needed in (
        "tests/conftest.py",
        "tests/helpers.py",
        "packaging/linux/install_icons.py",
        "packaging/sciatica-coach.spec",
        ".ci/run",
    ):
        assert needed in required, f"{needed} is not in the tree this test runs from"
    assert any(name.endswith(".desktop") for name in required)
    assert any(name.endswith(".metainfo.xml") for name in required)
    missing = [name for name in required if name not in built.members]
    assert not missing, f"missing from the sdist: {missing}"


@pytest.mark.slow
def test_the_sdist_carries_every_file_in_git(built: Built) -> None:
    tracked = tracked_files()
    if tracked is None:
        pytest.skip("not a git checkout (an unpacked sdist): the test above checks the files found here")
    missing = [name for name in tracked if name not in built.members and Path(name).name != PLACEHOLDER]
    assert not missing, f"tracked in git but missing from the sdist: {missing}"


@pytest.mark.slow
def test_the_sdist_leaves_out_caches_venvs_and_build_output(built: Built) -> None:
    shipped_junk = [name for name in JUNK if name in built.members]
    assert not shipped_junk, f"the sdist carries: {shipped_junk}"
    cache_parts = {"__pycache__", ".hypothesis", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
    leaked = [
        name
        for name in built.members
        if cache_parts & set(name.split("/")) or name.endswith((".pyc", ".pyo", ".so"))
    ]
    assert not leaked, leaked
    assert not [name for name in built.members if Path(name).name == PLACEHOLDER]


@pytest.mark.slow
def test_the_wheel_from_the_sdist_holds_the_package_and_its_assets_only(built: Built) -> None:
    tops = {name.split("/")[0] for name in built.wheel_members}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"sciatica_coach"}
    assert "sciatica_coach/_assets/catalogue.json" in built.wheel_members
    assert "sciatica_coach/_assets/translations/de.json" in built.wheel_members
    assert not [name for name in built.wheel_members if Path(name).name == PLACEHOLDER]


@pytest.mark.slow
def test_the_sdist_metadata_names_the_project_home_and_classifiers(built: Built) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert built.metadata.get_all("Classifier") == project["classifiers"]
    urls = dict(line.split(", ", 1) for line in built.metadata.get_all("Project-URL") or [])
    assert urls == project["urls"]
    assert built.metadata["Keywords"] == ",".join(project["keywords"])
    # the long description is the README, whose pictures must show on a package index page too
    description = built.metadata.get_payload()
    assert isinstance(description, str)
    assert "](docs/screenshots/" not in description
    assert (
        "https://raw.githubusercontent.com/sciatica-coach/sciatica-coach/main/docs/screenshots/"
        in description
    )


# --- packaging/sdist_check.py's probe: the suite must run against the installed package --------------------------


def sdist_check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sdist_check", ROOT / "packaging" / "sdist_check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_probe_fails_a_run_that_imported_the_sources_instead_of_the_installed_package(
    tmp_path: Path,
) -> None:
    plugin = tmp_path / "plugin"
    plugin.mkdir()
    (plugin / "sdist_check_probe.py").write_text(textwrap.dedent(sdist_check().PROBE), encoding="utf-8")
    tree = tmp_path / "tree"  # an unpacked sdist: the sources beside the tests
    (tree / "sciatica_coach").mkdir(parents=True)
    (tree / "sciatica_coach" / "__init__.py").write_text("")
    (tree / "test_one.py").write_text("import sciatica_coach\n\n\ndef test_one():\n    pass\n")
    checkout = tmp_path / "checkout"
    (checkout / "lib").mkdir(parents=True)

    def probe_run(site: Path, *path: Path) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(str(p) for p in (plugin, *path)),
            "SDIST_CHECK_SITE": str(site),
            "SDIST_CHECK_CHECKOUT": str(checkout),
        }
        command = [sys.executable, "-m", "pytest", "-p", "sdist_check_probe", "-p", "no:cacheprovider"]
        return subprocess.run(
            [*command, "-p", "no:randomly", "-q", "test_one.py"],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
            timeout=SUBPROCESS_TIMEOUT_S,
        )

    # `python -m pytest` in the tree imports the tree's sources: not the installed package
    wrong = probe_run(tmp_path / "venv-site")
    assert wrong.returncode == 1, wrong.stdout + wrong.stderr
    assert "sciatica_coach was imported from" in wrong.stdout
    assert "1 passed" in wrong.stdout  # the tests themselves passed; the probe failed the run

    right = probe_run(tree)  # as if the tree were the venv's site-packages
    assert right.returncode == 0, right.stdout + right.stderr
    assert "every sciatica_coach module came from" in right.stdout

    on_path = probe_run(tree, checkout / "lib")
    assert on_path.returncode == 1, on_path.stdout + on_path.stderr
    assert "the checkout is on sys.path" in on_path.stdout
