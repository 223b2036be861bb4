#!/usr/bin/env python3
"""Make a Debian package (.deb) from the standalone bundle that packaging/build.py builds.

    python3 packaging/deb.py BUNDLE_DIR OUT_DIR     # e.g. dist/sciatica-coach dist
    python packaging/build.py --deb                 # build the bundle, then this, into dist/

The package installs the bundle under /opt/sciatica-coach/, a launcher /usr/bin/sciatica-coach (a symlink to the
bundle's executable, so the desktop file's `Exec=sciatica-coach` finds it on PATH), the desktop file, AppStream
metainfo and hicolor icons under /usr/share (laid out by packaging/linux/install_icons.py), a man page made from
the bundle's own --help, the machine-readable copyright file (packaging/debian/copyright) and
changelog.Debian.gz, and the lintian overrides in packaging/debian/lintian-overrides (each with its reason).
No maintainer scripts: Debian's dpkg triggers refresh the icon cache and the desktop database.

Depends is computed, not written by hand: every ELF file in the bundle is read for the shared libraries it
needs (its NEEDED entries); dpkg-shlibdeps maps those the bundle does not carry to the Debian packages that
provide them, with the version floors from their symbols and shlibs files. The bundle's own executable is
judged without the bundle's folders: it is loaded before it points the library path at _internal/, so even
the libraries it finds a copy of there (libz.so.1) must come from the system. Everything else is judged as it
runs: with _internal/ on the library path and its own RPATH.

Needs the Debian tools dpkg-deb, dpkg-shlibdeps (package dpkg-dev) and objdump (binutils); lintian for --lintian.
Only the standard library is used, so any Python 3.11 runs it."""

from __future__ import annotations

import argparse
import email.utils
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PACKAGING_DIR = Path(__file__).resolve().parent
ROOT = PACKAGING_DIR.parent
TEMPLATES_DIR = PACKAGING_DIR / "debian"
sys.path.insert(0, str(PACKAGING_DIR / "linux"))
import install_icons  # noqa: E402  (packaging/linux/install_icons.py: the icon and desktop-file layout)

PACKAGE = "sciatica-coach"
EXECUTABLE = "sciatica-coach"  # the bundle's executable, and the command on PATH
INSTALL_DIR = Path("opt") / PACKAGE  # in the package tree; installed as /opt/sciatica-coach
LIBRARY_PATH_DIR = "_internal"  # the bundle's bootloader puts this folder on LD_LIBRARY_PATH
LAUNCHER = Path("usr/bin") / EXECUTABLE
DOC_DIR = Path("usr/share/doc") / PACKAGE
MAN_PAGE = Path("usr/share/man/man1") / f"{EXECUTABLE}.1.gz"
OVERRIDES = Path("usr/share/lintian/overrides") / PACKAGE
NOTICES_FILE = "THIRD-PARTY-NOTICES.txt"  # written into the bundle by its build (packaging/notices.py)
DEBIAN_REVISION = "1"
SECTION = "misc"
# Whoever publishes the package signs it with their own name: DEBFULLNAME and DEBEMAIL, as dch reads them.
DEFAULT_MAINTAINER = ("Sciatica Coach developers", "sciatica-coach@users.noreply.github.com")
HELP_COLUMNS = "80"  # the man page shows --help as printed in an 80-column terminal
COMMAND_TIMEOUT_S = 60
BUILD_TIMEOUT_S = 900  # xz over the bundle's ~170 MB
SHLIBDEPS_TIMEOUT_S = 900  # dpkg-shlibdeps reads the symbols of each of the bundle's ~190 ELF files
MB = 1024 * 1024
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Metadata:
    """What the package says about itself, read from the project's own files (one place each)."""

    version: str  # the Debian version: upstream version and Debian revision
    architecture: str
    maintainer: str
    summary: str
    description: str  # the extended description, already in control-file form (lines starting with a space)
    homepage: str


def fail(message: str) -> SystemExit:
    return SystemExit(f"deb.py: {message}")


def require(program: str, debian_package: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise fail(f"needs {program} (Debian package {debian_package})")
    return path


def run(command: list[str], timeout_s: float = COMMAND_TIMEOUT_S, **kwargs: object) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, **kwargs)  # type: ignore[call-overload]
    if done.returncode:
        raise fail(f"{' '.join(command[:3])} ... failed ({done.returncode}):\n{done.stderr.strip()}")
    return str(done.stdout)


# ---- what the package says about itself ------------------------------------------------------------------
def upstream_version() -> str:
    text = (ROOT / "sciatica_coach" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise fail("no __version__ in sciatica_coach/__init__.py")
    return match.group(1)


def control_text(paragraphs: Iterable[str]) -> str:
    """Paragraphs (plain text; '- ' starts a list item) as a control file's extended description: lines
    starting with a space, " ." between paragraphs, list items one after another."""
    lines: list[str] = []
    previous_item = False
    for paragraph in paragraphs:
        item = paragraph.startswith("- ")
        if lines and not (item and previous_item):
            lines.append(" .")
        if item:
            wrapped = textwrap.wrap(paragraph[2:], 74)
            lines += [f"  - {wrapped[0]}", *(f"    {line}" for line in wrapped[1:])]
        else:
            lines += [f" {line}" for line in textwrap.wrap(paragraph, 78)]
        previous_item = item
    return "\n".join(lines)


def read_metadata(version: str | None = None) -> Metadata:
    identifier = install_icons.app_id()
    metainfo = ET.parse(PACKAGING_DIR / "linux" / f"{identifier}.metainfo.xml").getroot()

    def plain(element: ET.Element) -> str:
        return " ".join("".join(element.itertext()).split())

    def english(elements: Iterable[ET.Element]) -> list[ET.Element]:  # translations carry xml:lang
        return [element for element in elements if XML_LANG not in element.attrib]

    paragraphs = []
    for description in english(metainfo.findall("description"))[:1]:
        for child in english(description):
            if child.tag == "p":
                paragraphs.append(plain(child))
            elif child.tag in {"ul", "ol"}:
                paragraphs += [f"- {plain(item)}" for item in english(child.findall("li"))]
    homepage = metainfo.find("url[@type='homepage']")
    summaries = english(metainfo.findall("summary"))
    if not summaries or not plain(summaries[0]):
        raise fail(f"no <summary> in the metainfo of {identifier}")
    summary = summaries[0]
    name = os.environ.get("DEBFULLNAME", DEFAULT_MAINTAINER[0])
    address = os.environ.get("DEBEMAIL", DEFAULT_MAINTAINER[1])
    return Metadata(
        version=f"{version or upstream_version()}-{DEBIAN_REVISION}",
        architecture=run(["dpkg", "--print-architecture"]).strip(),
        maintainer=f"{name} <{address}>",
        summary=plain(summary),
        description=control_text(paragraphs),
        homepage=plain(homepage) if homepage is not None else "",
    )


# ---- the shared libraries the bundle needs from the system -------------------------------------------------
def is_elf(path: Path) -> bool:
    if not path.is_file() or path.is_symlink():
        return False
    with path.open("rb") as handle:
        return handle.read(4) == b"\x7fELF"


def elf_files(tree: Path) -> list[Path]:
    return sorted(path for path in tree.rglob("*") if is_elf(path))


def needed_libraries(files: list[Path]) -> dict[Path, list[str]]:
    """Each ELF file's NEEDED entries (objdump -p, a few hundred files per run)."""
    objdump = require("objdump", "binutils")
    needed: dict[Path, list[str]] = {path: [] for path in files}
    for start in range(0, len(files), 200):
        current: Path | None = None
        for line in run([objdump, "-p", *map(str, files[start : start + 200])]).splitlines():
            if ":     file format " in line:
                current = Path(line.split(":     file format ", 1)[0])
            elif current is not None and line.split()[:1] == ["NEEDED"]:
                needed[current].append(line.split()[1])
    return needed


def from_system(bundle: Path) -> dict[str, list[str]]:
    """The libraries the bundle needs that it does not carry where they would be found: soname -> the
    bundle's files (relative paths) that need it. The executable is judged without the bundle's folders;
    the rest find every library in the bundle (the library path and the RPATHs all point into it)."""
    carried = {path.name for path in bundle.rglob("*") if ".so" in path.name}
    wanted: dict[str, list[str]] = {}
    for path, sonames in needed_libraries(elf_files(bundle)).items():
        loaded_first = path == bundle / EXECUTABLE
        for soname in sonames:
            if loaded_first or soname not in carried:
                wanted.setdefault(soname, []).append(path.relative_to(bundle).as_posix())
    return dict(sorted(wanted.items()))


def relation_floor(relation: str) -> tuple[str, str]:
    """'libc6 (>= 2.34)' -> ('libc6', '2.34'); 'libgl1' -> ('libgl1', '')."""
    match = re.fullmatch(r"\s*(\S+)\s*(?:\(>=\s*([^)\s]+)\s*\))?\s*", relation)
    if match is None:
        raise fail(f"cannot read the dependency {relation!r}")
    return match.group(1), match.group(2) or ""


def newer(a: str, b: str) -> bool:
    return bool(a) and (not b or subprocess.call(["dpkg", "--compare-versions", a, "gt", b]) == 0)


def merge_depends(*fields: str) -> str:
    """Several Depends fields as one: each package once, with the highest version floor asked for.
    Alternatives ('a | b') are kept as they are."""
    floors: dict[str, str] = {}
    alternatives: list[str] = []
    for field in fields:
        for relation in (part.strip() for part in field.split(",") if part.strip()):
            if "|" in relation:
                if relation not in alternatives:
                    alternatives.append(relation)
                continue
            package, floor = relation_floor(relation)
            if package not in floors or newer(floor, floors[package]):
                floors[package] = floor
    relations = [f"{package} (>= {floor})" if floor else package for package, floor in floors.items()]
    return ", ".join(sorted([*relations, *alternatives]))


def shlibdeps(work: Path, files: list[Path], private_dirs: list[str]) -> str:
    """dpkg-shlibdeps' Depends for these files (in work/debian/PACKAGE/), with private_dirs (absolute paths
    as installed) searched for libraries first: those found inside the package add no dependency."""
    if not files:
        return ""
    command = [require("dpkg-shlibdeps", "dpkg-dev"), "-O", "--warnings=0"]
    command += [f"-l{folder}" for folder in private_dirs]
    command += [f"-e{path.relative_to(work)}" for path in files]
    done = subprocess.run(command, capture_output=True, text=True, timeout=SHLIBDEPS_TIMEOUT_S, cwd=work)
    if done.returncode:
        missing = sorted(set(re.findall(r"cannot find library (\S+)", done.stderr)))
        hint = (
            f"\nNot installed on this machine: {', '.join(missing)}. Install the Debian packages that provide"
            " them (apt-file search NAME) so their package and version floor can be read."
            if missing
            else ""
        )
        raise fail(f"dpkg-shlibdeps failed ({done.returncode}):\n{done.stderr.strip()[-3000:]}{hint}")
    output = done.stdout
    match = re.search(r"^shlibs:Depends=(.*)$", output, re.MULTILINE)
    return match.group(1).strip() if match else ""


def compute_depends(work: Path, package_root: Path) -> str:
    """Depends for the bundle staged at package_root/INSTALL_DIR (work/debian/PACKAGE is package_root)."""
    (work / "debian").mkdir(exist_ok=True)
    (work / "debian" / "control").write_text(
        f"Source: {PACKAGE}\n\nPackage: {PACKAGE}\nArchitecture: any\n", encoding="utf-8"
    )
    bundle = package_root / INSTALL_DIR
    files = elf_files(bundle)
    executable = bundle / EXECUTABLE
    library_path = "/" + (INSTALL_DIR / LIBRARY_PATH_DIR).as_posix()
    return merge_depends(
        shlibdeps(work, [path for path in files if path == executable], []),
        shlibdeps(work, [path for path in files if path != executable], [library_path]),
    )


# ---- the package tree --------------------------------------------------------------------------------------
def normalise_modes(tree: Path) -> None:
    """Folders 0755; programs (anything executable that is not a shared library) 0755; the rest 0644."""
    for folder, dirs, names in os.walk(tree):
        for name in dirs:
            path = Path(folder) / name
            if not path.is_symlink():
                path.chmod(0o755)
        for name in names:
            path = Path(folder) / name
            if path.is_symlink():
                continue
            program = path.stat().st_mode & 0o111 and ".so" not in name
            path.chmod(0o755 if program else 0o644)


def roff(text: str) -> str:
    """Plain text as roff: backslashes, hyphens, leading dots and quotes, and non-ASCII characters escaped."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    text = "".join(ch if ord(ch) < 128 else f"\\[u{ord(ch):04X}]" for ch in text)
    return "\n".join(f"\\&{line}" if line.startswith((".", "'")) else line for line in text.splitlines())


def man_page(executable: Path, meta: Metadata) -> str:
    """A short man page from the program's own --help (so it never disagrees with the program)."""
    env = {**os.environ, "COLUMNS": HELP_COLUMNS, "QT_QPA_PLATFORM": "offscreen", "LC_ALL": "C.UTF-8"}
    help_text = run([str(executable), "--help"], env=env)
    if "usage:" not in help_text:
        raise fail(f"{executable} --help printed no usage:\n{help_text}")
    upstream = meta.version.rsplit("-", 1)[0]
    summary = meta.summary[0].lower() + meta.summary[1:]
    return "\n".join([
        f'.TH {EXECUTABLE.upper()} 1 "" "{EXECUTABLE} {upstream}" "User Commands"',
        ".SH NAME",
        f"{EXECUTABLE} \\- {roff(summary)}",
        ".SH SYNOPSIS",
        f".B {EXECUTABLE}",
        "[\\fIOPTIONS\\fR] [\\fICOMMAND\\fR [\\fIARGS\\fR]]",
        ".SH DESCRIPTION",
        "Without a command it opens the window; each command's own",
        ".B \\-\\-help",
        "says more about it.",
        ".PP",
        ".nf",
        roff(help_text.rstrip()),
        ".fi",
        ".SH NOTE",
        "Sciatica Coach gives guidance, not a diagnosis. Stop any exercise that makes your leg symptoms",
        "spread further down, and ask your doctor or physiotherapist.",
        "",
    ])  # fmt: skip


def gzip_file(destination: Path, text: str) -> None:
    """gzip -9n: maximum compression, no name or time stamp in the header (as lintian asks)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    with (
        destination.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as packed,
    ):
        packed.write(text.encode("utf-8"))
    destination.chmod(0o644)


def changelog(meta: Metadata) -> str:
    when = float(os.environ.get("SOURCE_DATE_EPOCH") or time.time())
    return (
        f"{PACKAGE} ({meta.version}) unstable; urgency=medium\n\n"
        "  * Made from the standalone bundle by packaging/deb.py.\n\n"
        f" -- {meta.maintainer}  {email.utils.formatdate(when, usegmt=False)}\n"
    )


def notices_path(bundle: Path) -> str:
    """Where the bundle's third-party notices are, as installed (the expected place when not found)."""
    found = sorted(bundle.rglob(NOTICES_FILE), key=lambda path: len(path.parts))
    if not found:
        print(f"deb.py: warning: the bundle has no {NOTICES_FILE}; the copyright file names the usual place.")
        return "/" + (INSTALL_DIR / LIBRARY_PATH_DIR / NOTICES_FILE).as_posix()
    return "/" + (INSTALL_DIR / found[0].relative_to(bundle)).as_posix()


def install_text(destination: Path, text: str) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(text, encoding="utf-8")
    destination.chmod(0o644)


def stage(bundle: Path, package_root: Path, meta: Metadata) -> None:
    """Lay out everything the package installs under package_root (DEBIAN/ excepted)."""
    shutil.copytree(bundle, package_root / INSTALL_DIR, symlinks=True)
    normalise_modes(package_root / INSTALL_DIR)
    launcher = package_root / LAUNCHER
    launcher.parent.mkdir(parents=True)
    launcher.symlink_to("/" + (INSTALL_DIR / EXECUTABLE).as_posix())  # absolute: /usr to /opt
    share = package_root / "usr" / "share"
    identifier = install_icons.app_id()
    for source, destination in install_icons.icon_layout(share, identifier) + install_icons.desktop_layout(
        share, identifier
    ):
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        destination.chmod(0o644)
    gzip_file(package_root / MAN_PAGE, man_page(bundle / EXECUTABLE, meta))
    copyright_text = (TEMPLATES_DIR / "copyright").read_text(encoding="utf-8")
    install_text(
        package_root / DOC_DIR / "copyright", copyright_text.replace("@NOTICES@", notices_path(bundle))
    )
    gzip_file(package_root / DOC_DIR / "changelog.Debian.gz", changelog(meta))
    install_text(package_root / OVERRIDES, (TEMPLATES_DIR / "lintian-overrides").read_text(encoding="utf-8"))
    for folder, dirs, _ in os.walk(package_root):
        for name in dirs:
            if not (Path(folder) / name).is_symlink():
                (Path(folder) / name).chmod(0o755)


def installed_size_kib(package_root: Path) -> int:
    """As dpkg-gencontrol counts it: each file's size rounded up to KiB, one KiB per folder and symlink."""
    total = 0
    for path in package_root.rglob("*"):
        if path.is_symlink() or path.is_dir():
            total += 1
        else:
            total += -(-path.stat().st_size // 1024)
    return total


def write_control(package_root: Path, meta: Metadata, depends: str) -> None:
    control_dir = package_root / "DEBIAN"
    control_dir.mkdir(mode=0o755)
    fields = [
        ("Package", PACKAGE),
        ("Version", meta.version),
        ("Architecture", meta.architecture),
        ("Maintainer", meta.maintainer),
        ("Installed-Size", str(installed_size_kib(package_root))),
        ("Depends", depends),
        ("Section", SECTION),
        ("Priority", "optional"),
        ("Homepage", meta.homepage),
        ("Description", f"{meta.summary}\n{meta.description}"),
    ]
    install_text(control_dir / "control", "".join(f"{name}: {value}\n" for name, value in fields if value))
    sums = []
    for path in sorted(package_root.rglob("*")):
        if path.is_file() and not path.is_symlink() and control_dir not in path.parents:
            digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
            sums.append(f"{digest}  {path.relative_to(package_root).as_posix()}\n")
    install_text(control_dir / "md5sums", "".join(sums))


def build_deb(bundle: Path, out_dir: Path, version: str | None = None) -> Path:
    """Make OUT_DIR/sciatica-coach_<version>_<arch>.deb from the bundle folder; returns its path."""
    bundle = bundle.resolve()
    if not (bundle / EXECUTABLE).is_file():
        raise fail(f"{bundle} holds no {EXECUTABLE}: give the bundle folder (dist/{PACKAGE})")
    dpkg_deb = require("dpkg-deb", "dpkg")
    meta = read_metadata(version)
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir.resolve() / f"{PACKAGE}_{meta.version}_{meta.architecture}.deb"
    with tempfile.TemporaryDirectory(prefix="deb-") as temp:
        work = Path(temp)
        package_root = work / "debian" / PACKAGE
        started = time.monotonic()
        stage(bundle, package_root, meta)
        for soname, users in from_system(package_root / INSTALL_DIR).items():
            print(
                f"  needs {soname} from the system (e.g. for {users[0]}{f' and {len(users) - 1} more' if len(users) > 1 else ''})"
            )
        depends = compute_depends(work, package_root)
        print(f"Depends: {depends}")
        write_control(package_root, meta, depends)
        run([dpkg_deb, "--build", "--root-owner-group", "-Zxz", str(package_root), str(deb)], BUILD_TIMEOUT_S)
        print(f"Made {deb.name}: {deb.stat().st_size / MB:.1f} MB (in {time.monotonic() - started:.0f} s)")
    return deb


def lintian(deb: Path) -> int:
    """Run lintian on the package: 0 when it has no error or warning left (its overrides applied)."""
    command = [
        require("lintian", "lintian"),
        "--fail-on",
        "error,warning",
        "--tag-display-limit",
        "0",
        str(deb),
    ]
    print("Running:", " ".join(command), flush=True)
    return subprocess.call(command)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("bundle", type=Path, help=f"the bundle folder (e.g. dist/{PACKAGE})")
    parser.add_argument("out", type=Path, help="where the .deb goes (e.g. dist)")
    parser.add_argument("--version", help="the upstream version (default: sciatica_coach.__version__)")
    parser.add_argument("--lintian", action="store_true", help="run lintian on the package afterwards")
    args = parser.parse_args(argv)
    deb = build_deb(args.bundle, args.out, args.version)
    return lintian(deb) if args.lintian else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
