#!/usr/bin/env python3
"""THIRD-PARTY-NOTICES.txt for the PyInstaller bundle, and the check that it names every shared library.

The spec (sciatica-coach.spec) calls write_notices() with PyInstaller's lists of what goes into the bundle.
Each file's source path says where it came from:

- a Python distribution's file (its RECORD lists it): the distribution's licence and licence files, as
  sciatica_coach/services/licences.py reads them (the app shows the same texts when run from a wheel);
- a system library PyInstaller copied from the build machine: the Debian package `dpkg -S` names, its version
  and its /usr/share/doc/<package>/copyright;
- the Python interpreter's own files (libpython, lib-dynload): Python, under the PSF licence.

Each entry lists the bundle's files it covers, under "Files in this bundle:". packaging/build.py's
check_contents calls unattributed_libraries(), which fails the build when a shared library in the bundle is
in no such list (or the notices file is missing).

    python3 packaging/notices.py BUNDLE      # check a built bundle and print the notices' figures
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache
from importlib import metadata
from pathlib import Path

PACKAGING_DIR = Path(__file__).resolve().parent
ROOT = PACKAGING_DIR.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sciatica_coach.services.licences import (  # noqa: E402
    APP_DISTRIBUTION,
    FILES_HEADING,
    LICENSE_FILE,
    NO_TEXT,
    NOTICES_FILE,
    RULE,
    Component,
    LicenceText,
    canonical,
    distribution_component,
    format_notices,
    python_component,
)

CONTENTS_DIR = "_internal"  # PyInstaller's folder beside the executable; the notices and LICENSE go in it
BUNDLE_WHERE = (
    "This bundle holds Sciatica Coach together with the software it runs on, listed below, each under its own\n"
    "licence, with the files of this bundle each one covers."
)
PYINSTALLER_NOTE = (
    "The executable that starts the program is PyInstaller's bootloader, and PyInstaller's run-time modules are\n"
    "inside it: GPL-2.0-or-later with an exception that allows distributing the bundles it makes."
)
SHARED_LIBRARY = re.compile(r"\.so(\.\d+)*$|\.(dll|dylib|pyd)$", re.IGNORECASE)
# PyInstaller's TOC entries: (name in the bundle, source path or link target, kind)
TocEntry = tuple[str, str, str]


def _real(path: str | os.PathLike[str]) -> str:
    return os.path.realpath(path)


@cache
def distribution_files() -> dict[str, metadata.Distribution]:
    """Every installed distribution's files (absolute paths) → the distribution, from their RECORDs."""
    owners: dict[str, metadata.Distribution] = {}
    for dist in metadata.distributions():
        if canonical(dist.metadata["Name"] or "") == APP_DISTRIBUTION:
            continue
        for file in dist.files or ():
            owners.setdefault(os.path.abspath(str(dist.locate_file(file))), dist)
    return owners


def _owner(source: str, owners: dict[str, metadata.Distribution]) -> metadata.Distribution | None:
    return owners.get(os.path.abspath(source)) or owners.get(_real(source))


def _dpkg_candidates(path: str) -> list[str]:
    """The names dpkg may know a file by: as given and resolved, each with and without /usr (merged /usr)."""
    names = []
    for name in dict.fromkeys([path, _real(path)]):
        names.append(name)
        if name.startswith("/usr/lib/"):
            names.append(name[len("/usr") :])
        elif name.startswith("/lib/"):
            names.append("/usr" + name)
    return names


def dpkg_owners(paths: Iterable[str]) -> dict[str, str]:
    """The Debian package (without its architecture) each system file belongs to, by one `dpkg -S` call."""
    paths = list(dict.fromkeys(paths))
    if not paths or shutil.which("dpkg") is None:
        return {}
    candidates = {candidate: path for path in paths for candidate in _dpkg_candidates(path)}
    result = subprocess.run(
        ["dpkg", "-S", *candidates], capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"}
    )
    owners: dict[str, str] = {}
    for line in result.stdout.splitlines():
        packages, sep, name = line.partition(": ")
        if not sep or name not in candidates or packages.startswith("diversion by"):
            continue
        package = packages.split(", ")[0].split(":")[0]
        owners.setdefault(candidates[name], package)
    return owners


def _copyright_licence(text: str) -> str:
    """The main licence a machine-readable copyright file declares (its first License: field), and whether
    parts of the package are under others."""
    names: list[str] = list(
        dict.fromkeys(n.strip() for n in re.findall(r"^License:[ \t]*(\S[^\n]*)$", text, re.MULTILINE))
    )
    if not names:
        return "see the copyright file"
    return names[0] + (" and others (see the copyright file)" if len(names) > 1 else "")


def debian_component(package: str, files: Iterable[str]) -> Component:
    """A Debian package as a notices entry: its version and its copyright file."""
    result = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True)
    version = result.stdout.strip() or "(version unknown)"
    copyright_file = Path("/usr/share/doc") / package / "copyright"
    try:
        text = copyright_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    return Component(
        name=package,
        version=version,
        licence=_copyright_licence(text) if text else "unknown: no copyright file",
        origin=f"Debian package {package} {version}, copied from the machine that built this bundle",
        texts=(LicenceText(str(copyright_file), text),) if text else (),
        files=tuple(sorted(files)),
    )


def _under(path: str, folder: str | os.PathLike[str]) -> bool:
    folder = _real(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def pythons_own(path: str) -> bool:
    """Whether a file is the running Python's own: its standard library (lib-dynload included) or libpython.
    (Not all of sys.prefix: on Debian that is /usr, and a venv's holds site-packages.)"""
    libdir = sysconfig.get_config_var("LIBDIR") or ""
    names = {sysconfig.get_config_var("INSTSONAME"), sysconfig.get_config_var("LDLIBRARY")}
    libpython = {_real(os.path.join(libdir, name)) for name in names if name}
    return _under(_real(path), sysconfig.get_paths()["stdlib"]) or _real(path) in libpython


def bundle_components(
    binaries: Sequence[TocEntry],
    others: Sequence[TocEntry] = (),
    owners: dict[str, metadata.Distribution] | None = None,
) -> tuple[list[Component], list[str]]:
    """The notices' entries for a bundle, and the binaries that no entry could cover.

    binaries: PyInstaller's a.binaries; others: a.datas, a.pure and a.scripts (they bring in distributions
    too, e.g. tinydb is pure Python). Only binaries are listed file by file."""
    owners = distribution_files() if owners is None else owners
    dist_files: dict[str, list[str]] = defaultdict(list)
    dists: dict[str, metadata.Distribution] = {}
    system: dict[str, list[str]] = defaultdict(list)  # source path → its names in the bundle
    for listed_by_file, entries in ((True, binaries), (False, others)):
        for dest, source, kind in entries:
            if kind == "SYMLINK" or not source:  # a link: the check follows it to its target
                continue
            dist = _owner(source, owners)
            if dist is not None:
                key = canonical(dist.metadata["Name"])
                dists.setdefault(key, dist)
                if listed_by_file:
                    dist_files[key].append(dest)
            elif listed_by_file and not _under(_real(source), ROOT):
                system[source].append(dest)
    packages = dpkg_owners(system)
    debian_files: dict[str, list[str]] = defaultdict(list)
    python_files: list[str] = []
    unattributed: list[str] = []
    for source, dests in system.items():
        if source in packages:
            debian_files[packages[source]] += dests
        elif pythons_own(source):
            python_files += dests
        else:
            unattributed += dests
    components = [distribution_component(dists[key], dist_files.get(key, ())) for key in sorted(dists)]
    components = [
        replace(c, notes=(*c.notes, PYINSTALLER_NOTE)) if canonical(c.name) == "pyinstaller" else c
        for c in components
    ]
    components.append(python_component(python_files))
    components += [debian_component(package, files) for package, files in sorted(debian_files.items())]
    return components, sorted(unattributed)


def write_notices(
    path: Path, binaries: Sequence[TocEntry], others: Sequence[TocEntry] = ()
) -> tuple[Path, list[str]]:
    """Write the bundle's THIRD-PARTY-NOTICES.txt; return it and the binaries no entry covers."""
    components, unattributed = bundle_components(binaries, others)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(format_notices(components, BUNDLE_WHERE), encoding="utf-8")
    return path, unattributed


def attributed_files(notices: str) -> set[str]:
    """The bundle files the notices list under their entries' "Files in this bundle:" headings, leaving out
    an entry without a licence text (a Debian package whose copyright file was missing, say)."""
    files: set[str] = set()
    for entry in notices.split(f"\n{RULE}\n"):
        if NO_TEXT in entry:
            continue
        listing = False
        for line in entry.splitlines():
            if line == FILES_HEADING:
                listing = True
            elif listing and line.startswith("    "):
                files.add(line.strip())
            else:
                listing = False
    return files


def shared_libraries(contents: Path) -> list[str]:
    """The shared libraries in a bundle's contents folder (paths relative to it, '/' separated); a link
    counts as the library it points to, and a dangling link is left to the dangling-link check."""
    found = set()
    for path in contents.rglob("*"):
        if not SHARED_LIBRARY.search(path.name):
            continue
        target = path.resolve() if path.is_symlink() else path
        if target.is_file() and _under(str(target), contents.resolve()):
            found.add(target.relative_to(contents.resolve()).as_posix())
    return sorted(found)


def unattributed_libraries(bundle: Path) -> list[str]:
    """Problems for build.py's check_contents: no notices or LICENSE, or shared libraries they don't name."""
    contents = bundle / CONTENTS_DIR
    notices = contents / NOTICES_FILE
    problems = [
        f"{name} is missing from the bundle"
        for name in (NOTICES_FILE, LICENSE_FILE)
        if not (contents / name).is_file()
    ]
    if not notices.is_file():
        return problems
    named = attributed_files(notices.read_text(encoding="utf-8"))
    problems += [
        f"shared library not attributed in {NOTICES_FILE} (or its entry has no licence text): {name}"
        for name in shared_libraries(contents)
        if name not in named
    ]
    return problems


def figures(bundle: Path) -> str:
    """The notices' size, and how many libraries and entries (distributions, packages) it lists."""
    text = (bundle / CONTENTS_DIR / NOTICES_FILE).read_text(encoding="utf-8")
    entries = re.findall(r"^ +\d+\. (.+?) \S+: .* \((.+)\)$", text, re.MULTILINE)
    debian = sum(1 for _, origin in entries if origin.startswith("Debian package"))
    return (
        f"{NOTICES_FILE}: {len(text.encode()) / 1024:.0f} KiB, {len(entries)} entries "
        f"({debian} Debian packages), {len(attributed_files(text))} shared libraries listed, "
        f"{len(shared_libraries(bundle / CONTENTS_DIR))} in the bundle"
    )


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    bundle = Path(argv[0])
    problems = unattributed_libraries(bundle)
    for problem in problems:
        print(f"notices.py: {problem}", file=sys.stderr)
    if not problems:
        print(figures(bundle))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
