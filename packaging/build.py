#!/usr/bin/env python3
"""Build the standalone Sciatica Coach bundle with one command.

    python packaging/build.py            # install PyInstaller if missing, build dist/sciatica-coach/, report size
    python packaging/build.py --smoke    # the same, then run packaging/smoke_test.py on the result
    python packaging/build.py --out DIR  # build into DIR/dist (work files in DIR/work) instead of dist/
    python packaging/build.py --deb      # also make dist/sciatica-coach_<version>_<arch>.deb (packaging/deb.py)

Run it with the Python that has the app's dependencies (e.g. .venv/bin/python after `packaging/dev.py run`).
The bundle is built from packaging/sciatica-coach.spec into dist/ (work files in build/pyinstaller/)."""

from __future__ import annotations

import argparse
import ast
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

PACKAGING_DIR = Path(__file__).resolve().parent
ROOT = PACKAGING_DIR.parent
SPEC = PACKAGING_DIR / "sciatica-coach.spec"
DIST_DIR = ROOT / "dist"
WORK_DIR = ROOT / "build" / "pyinstaller"
BUNDLE_NAME = "sciatica-coach"
CONTENTS_DIR = "_internal"  # PyInstaller's folder beside the executable
PYINSTALLER_REQUIREMENT = "pyinstaller>=6.10"
LARGEST_SHOWN = 15
MB = 1024 * 1024


def ensure_pyinstaller() -> None:
    if importlib.util.find_spec("PyInstaller") is not None:
        return
    print(f"Installing {PYINSTALLER_REQUIREMENT} into {sys.prefix} ...", flush=True)
    pip = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    if subprocess.call([*pip, PYINSTALLER_REQUIREMENT]):
        raise SystemExit("build.py: installing PyInstaller failed (pip's message is above).")


def bundle_dir(dist_dir: Path = DIST_DIR) -> Path:
    return dist_dir / BUNDLE_NAME


def executable(bundle: Path) -> Path:
    return bundle / (f"{BUNDLE_NAME}.exe" if os.name == "nt" else BUNDLE_NAME)


def tree_size(path: Path) -> int:
    if path.is_file() or path.is_symlink():
        return path.lstat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def components(bundle: Path) -> list[tuple[int, str]]:
    """Sizes of the bundle's parts: each top-level Qt library, plugin folder, Python package or file."""
    parts: list[tuple[int, str]] = []
    internal = bundle / "_internal"
    qt_dir = internal / "PySide6" / "Qt"
    for path in sorted(internal.iterdir()) if internal.is_dir() else []:
        if path == internal / "PySide6":
            for sub in sorted(path.iterdir()):
                if sub != qt_dir:
                    parts.append((tree_size(sub), str(sub.relative_to(bundle))))
            for sub in sorted(qt_dir.iterdir()):
                children = sorted(sub.iterdir()) if sub.name in {"lib", "plugins"} else [sub]
                parts.extend((tree_size(child), str(child.relative_to(bundle))) for child in children)
        else:
            parts.append((tree_size(path), str(path.relative_to(bundle))))
    return sorted(parts, reverse=True)


def check_contents(bundle: Path) -> list[str]:
    """Problems with what the bundle holds: a required Qt plugin missing, an unwanted Qt module present, a
    symlink to something that is not there (a pruned library), Qt catalogues other than the ones the
    app's languages load (or one of those missing), or the recogniser's model incomplete or with the parts
    it never uses."""
    sys.path[:0] = [str(PACKAGING_DIR), str(ROOT)]
    from bundle_contents import FORBIDDEN_IN_BUNDLE, REQUIRED_PLUGINS_BY_PLATFORM

    problems = [f"dangling symlink: {link} -> {target}" for link, target in dangling_symlinks(bundle)]
    problems += qt_catalogue_problems(bundle)
    from notices import unattributed_libraries

    problems += unattributed_libraries(bundle)  # LICENSE, the notices, and every shared library named in them
    files = [p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()]
    plugins = [f.split("/plugins/", 1)[1] for f in files if "/Qt/plugins/" in f]
    problems += [
        f"required Qt plugin {required}* is missing"
        for required in REQUIRED_PLUGINS_BY_PLATFORM.get(sys.platform, ())
        if not any(plugin.startswith(required) for plugin in plugins)
    ]
    for name in files:
        base = name.rsplit("/", 1)[-1]
        if not base.endswith((".py", ".pyi", ".pyc", ".qm", ".json", ".svg", ".png", ".wav")):
            problems.extend(
                f"unwanted Qt part in the bundle: {name}" for part in FORBIDDEN_IN_BUNDLE if part in base
            )
    return problems + recogniser_problems(files)


def recogniser_problems(files: list[str]) -> list[str]:
    """The recogniser's model files missing from the bundle's contents (paths relative to the bundle), or
    what it never uses there: the word language model, sounddevice and cffi."""
    from bundle_contents import REQUIRED_IN_BUNDLE, UNWANTED_FILES

    inside = {name.split("/", 1)[1] for name in files if name.startswith(f"{CONTENTS_DIR}/")}
    problems = [
        f"the recogniser needs {name}, which is missing" for name in REQUIRED_IN_BUNDLE if name not in inside
    ]
    return problems + [
        f"unused by the app, so not wanted in the bundle: {name}"
        for name in sorted(inside)
        if name.startswith(UNWANTED_FILES)
    ]


def module_problems(work_dir: Path) -> list[str]:
    """Python modules in the bundle's PYZ archive that the app never imports (bundle_contents.UNWANTED_MODULES),
    read from PyInstaller's table of it in the work folder; none when that table is not there."""
    from bundle_contents import UNWANTED_MODULES

    table = work_dir / BUNDLE_NAME / "PYZ-00.toc"
    if not table.is_file():
        return []
    entries = ast.literal_eval(table.read_text(encoding="utf-8"))[1]
    names = sorted({entry[0] for entry in entries if entry[0].split(".", 1)[0] in UNWANTED_MODULES})
    return [f"Python module the app never imports in the bundle: {name}" for name in names]


def dangling_symlinks(bundle: Path) -> list[tuple[str, str]]:
    """(link, target) for every symlink in the bundle whose target does not exist, links to links included."""
    found = []
    for folder, dirs, names in os.walk(bundle):
        for name in [*dirs, *names]:
            path = Path(folder) / name
            if path.is_symlink() and not path.exists():
                found.append((path.relative_to(bundle).as_posix(), os.readlink(path)))
    return sorted(found)


def qt_catalogue_problems(bundle: Path) -> list[str]:
    """Qt's .qm catalogues: exactly those the app's languages load (bundle_contents.QT_CATALOGUES), each
    language's present, and every catalogue a kept one depends on kept as well."""
    from bundle_contents import QT_CATALOGUES, app_languages, qm_dependencies, wanted_qt_catalogue

    folders = [p for p in bundle.rglob("translations") if p.parent.name == "Qt" and p.is_dir()]
    if not folders:
        return ["Qt's translations folder (PySide6/Qt/translations) is missing"]
    problems = []
    for folder in folders:
        kept = {p.name: p for p in folder.glob("*.qm")}
        problems += [
            f"Qt catalogue no language of the app loads: {name}"
            for name in sorted(kept)
            if not wanted_qt_catalogue(name, app_languages())
        ]
        problems += [
            f"Qt catalogue {catalogue}_{language}.qm missing: Qt's dialogs would stay English in {language}"
            for catalogue in QT_CATALOGUES
            for language in app_languages()
            if f"{catalogue}_{language}.qm" not in kept
        ]
        for name, path in sorted(kept.items()):
            try:
                needs = qm_dependencies(path.read_bytes())
            except ValueError:
                problems.append(f"not a Qt catalogue: {path.relative_to(bundle).as_posix()}")
                continue
            problems += [
                f"Qt catalogue {name} needs {dep}.qm, which is missing"
                for dep in needs
                if f"{dep}.qm" not in kept
            ]
    return problems


def glibc_floor(bundle: Path) -> tuple[tuple[int, ...], str] | None:
    """The newest glibc symbol version any binary in the bundle asks for (objdump -T: its undefined dynamic
    symbols), with one binary that asks for it; None where there is no objdump or no ELF binary (not Linux)."""
    objdump = shutil.which("objdump")
    if objdump is None:
        return None
    binaries = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    binaries.append(path)
    newest: tuple[tuple[int, ...], str] | None = None
    for start in range(0, len(binaries), 200):  # a few objdump runs, not one per file
        batch = binaries[start : start + 200]
        output = subprocess.run(
            [objdump, "-T", *map(str, batch)], capture_output=True, text=True, check=False
        ).stdout
        current = ""
        for line in output.splitlines():
            if ":     file format " in line:
                current = line.split(":     file format ", 1)[0]
            elif "*UND*" in line:
                for match in re.finditer(r"\bGLIBC_(\d+(?:\.\d+)+)\b", line):
                    version = tuple(int(part) for part in match.group(1).split("."))
                    if newest is None or version > newest[0]:
                        newest = (version, Path(current).relative_to(bundle).as_posix())
    return newest


def report_size(bundle: Path) -> int:
    total = tree_size(bundle)
    print(f"\nBundle: {bundle}  {total / MB:.1f} MB on disk (uncompressed)")
    print("Largest parts:")
    for size, name in components(bundle)[:LARGEST_SHOWN]:
        print(f"  {size / MB:7.1f} MB  {name}")
    floor = glibc_floor(bundle)
    if floor is not None:
        version, binary = floor
        print(
            f"Needs glibc {'.'.join(map(str, version))} or newer (the newest GLIBC_ version asked for, by {binary})"
        )
    return total


def build(dist_dir: Path = DIST_DIR, work_dir: Path = WORK_DIR) -> Path:
    if sys.platform.startswith("linux") and shutil.which("objdump") is None:
        raise SystemExit("build.py: PyInstaller needs objdump on Linux: sudo apt install binutils")
    ensure_pyinstaller()
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level=WARN",
        f"--distpath={dist_dir}",
        f"--workpath={work_dir}",
        str(SPEC),
    ]
    print("Building:", " ".join(command), flush=True)
    started = time.monotonic()
    if subprocess.call(command, cwd=ROOT):
        raise SystemExit("build.py: PyInstaller failed (its message is above).")
    print(f"Built in {time.monotonic() - started:.0f} s.")
    bundle = bundle_dir(dist_dir)
    if not executable(bundle).is_file():
        raise SystemExit(f"build.py: PyInstaller finished but {executable(bundle)} is missing.")
    return bundle


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="run the smoke test on the built bundle")
    parser.add_argument("--out", type=Path, help="build into OUT/dist, with work files in OUT/work")
    parser.add_argument("--deb", action="store_true", help="also make a Debian package (packaging/deb.py)")
    args = parser.parse_args(argv)
    work_dir = args.out / "work" if args.out else WORK_DIR
    bundle = build(args.out / "dist", work_dir) if args.out else build()
    report_size(bundle)
    problems = check_contents(bundle) + module_problems(work_dir)
    for problem in problems:
        print(f"build.py: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(
        "Contents check passed: required Qt plugins present, excluded Qt modules absent, every shared library"
        " in the notices, the recogniser's model complete without its word language model."
    )
    if args.smoke:
        smoke = [sys.executable, str(PACKAGING_DIR / "smoke_test.py"), str(executable(bundle))]
        if status := subprocess.call(smoke, cwd=ROOT):
            return status
    if args.deb:  # the .deb beside the bundle, checked with lintian where it is installed
        deb = [sys.executable, str(PACKAGING_DIR / "deb.py"), str(bundle), str(bundle.parent)]
        return subprocess.call([*deb, *(["--lintian"] if shutil.which("lintian") else [])], cwd=ROOT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
