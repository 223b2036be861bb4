"""packaging/deb.py: the .deb made from a bundle, checked with dpkg-deb and lintian.

A tiny fake bundle stands in for the PyInstaller one: a shell script as its executable, a real ELF program
(a copy of tar) in _internal/, and a copy of one of the libraries that program needs beside it, as a
bundle carries them. The package must hold the documented layout, a Depends that names the packages of the
libraries taken from the system (found here independently, with dpkg -S) and not the one the bundle carries,
a machine-readable copyright file, and pass lintian. The real bundle is installed, started and purged by
packaging/deb_check.py in CI.

Skips with the reason where a Debian tool is missing (CI installs them: dpkg-dev binutils lintian)."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sciatica_coach import APP_ID, __version__

PACKAGING = Path(__file__).resolve().parent.parent / "packaging"
sys.path.insert(0, str(PACKAGING))
import deb  # noqa: E402
import deb_check  # noqa: E402

sys.path.remove(str(PACKAGING))

TOOLS = {"dpkg-deb": "dpkg", "dpkg-shlibdeps": "dpkg-dev", "objdump": "binutils"}  # program: Debian package
FAKE_HELP = """usage: sciatica-coach [-h] [--version] [--data-dir DIR]

A calm coach for your home sciatica exercises.

options:
  --data-dir DIR  where your data lives (default: your user data folder)
  --background    start quietly for reminders…
"""

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in TOOLS),
    reason="needs "
    + ", ".join(f"{tool} (Debian package {pkg})" for tool, pkg in TOOLS.items() if not shutil.which(tool)),
)


def system_library(soname: str) -> Path:
    """Where the dynamic loader finds soname for HELPER on this machine (ldd)."""
    output = subprocess.run(["ldd", str(HELPER)], capture_output=True, text=True, check=True).stdout
    match = re.search(rf"^\s*{re.escape(soname)} => (\S+)", output, re.MULTILINE)
    if match is None:
        raise LookupError(soname)
    return Path(match.group(1))


def package_of(path: Path) -> str:
    """The Debian package that installed a library file (dpkg -S), without its :arch."""
    resolved = path.resolve()
    candidates = {str(path), str(resolved)}
    candidates |= {c.removeprefix("/usr") if c.startswith("/usr/") else "/usr" + c for c in list(candidates)}
    for candidate in sorted(candidates):
        found = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if found.returncode == 0:
            return found.stdout.split(":", 1)[0].split(",")[0].strip()
    raise LookupError(path)


def needed(binary: Path) -> list[str]:
    output = subprocess.run(["objdump", "-p", str(binary)], capture_output=True, text=True, check=True).stdout
    return re.findall(r"^\s*NEEDED\s+(\S+)$", output, re.MULTILINE)


HELPER = Path(shutil.which("tar") or "/usr/bin/tar")  # a real ELF program that every Debian has (Essential)


def bundled_library() -> str:
    """One library of HELPER's that is not glibc's (the bundle carries a copy of it)."""
    return next(name for name in needed(HELPER) if not name.startswith(("libc.", "libm.", "ld-linux")))


def make_fake_bundle(folder: Path, executable_elf: bool = False) -> Path:
    bundle = folder / "sciatica-coach"
    internal = bundle / "_internal"
    internal.mkdir(parents=True)
    executable = bundle / "sciatica-coach"
    if executable_elf:
        shutil.copyfile(HELPER, executable)
    else:
        executable.write_text(
            "#!/bin/sh\n"
            f'case "$1" in --version) echo "sciatica-coach {__version__}";; --help) cat <<"EOF"\n{FAKE_HELP}EOF\n;; esac\n',
            encoding="utf-8",
        )
    executable.chmod(0o755)
    shutil.copyfile(HELPER, internal / "helper")
    (internal / "helper").chmod(0o755)
    library = bundled_library()
    shutil.copyfile(system_library(library), internal / library)
    (internal / "notes.txt").write_text("bundled data\n", encoding="utf-8")
    return bundle


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("deb")
    return Path(deb.build_deb(make_fake_bundle(folder), folder / "out"))


def contents(package: Path) -> dict[str, str]:
    """path -> 'mode owner' (and ' -> target' for symlinks), from dpkg-deb -c."""
    listing = subprocess.run(
        ["dpkg-deb", "-c", str(package)], capture_output=True, text=True, check=True
    ).stdout
    found = {}
    for line in listing.splitlines():
        mode, owner, _size, _date, _time, name = line.split(None, 5)
        path, _, target = name.partition(" -> ")
        found["/" + path.removeprefix("./").rstrip("/")] = f"{mode} {owner}" + (
            f" -> {target}" if target else ""
        )
    return found


def field(package: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "-f", str(package), name], capture_output=True, text=True, check=True
    ).stdout.strip()


def member(package: Path, path: str, folder: Path) -> bytes:
    subprocess.run(["dpkg-deb", "-x", str(package), str(folder)], check=True)
    return (folder / path.lstrip("/")).read_bytes()


@pytest.mark.slow
def test_the_package_installs_the_bundle_under_opt_with_a_launcher_and_the_desktop_files(built: Path) -> None:
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
    assert built.name == f"sciatica-coach_{__version__}-1_{arch}.deb"
    files = contents(built)
    assert files["/opt/sciatica-coach/sciatica-coach"].startswith("-rwxr-xr-x root/root")
    assert files["/opt/sciatica-coach/_internal/helper"].startswith("-rwxr-xr-x")
    assert files[f"/opt/sciatica-coach/_internal/{bundled_library()}"].startswith("-rw-r--r--")  # a library
    assert files["/usr/bin/sciatica-coach"].endswith("-> /opt/sciatica-coach/sciatica-coach")
    for path in (
        f"/usr/share/applications/{APP_ID}.desktop",
        f"/usr/share/metainfo/{APP_ID}.metainfo.xml",
        f"/usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg",
        f"/usr/share/icons/hicolor/48x48/apps/{APP_ID}.png",
        "/usr/share/man/man1/sciatica-coach.1.gz",
        "/usr/share/doc/sciatica-coach/copyright",
        "/usr/share/doc/sciatica-coach/changelog.Debian.gz",
        "/usr/share/lintian/overrides/sciatica-coach",
    ):
        assert files.get(path, "").startswith("-rw-r--r-- root/root"), path
    assert all(" root/root" in entry for entry in files.values())
    assert field(built, "Package") == "sciatica-coach"
    assert field(built, "Version") == f"{__version__}-1"
    assert field(built, "Homepage").startswith("https://")
    assert "guidance, not a diagnosis" in field(built, "Description")


@pytest.mark.slow
def test_depends_names_the_packages_of_the_libraries_taken_from_the_system_not_the_bundled_one(
    built: Path,
) -> None:
    depends = {relation.split()[0]: relation for relation in field(built, "Depends").split(", ")}
    library = bundled_library()
    from_system = {package_of(system_library(name)) for name in needed(HELPER) if name != library}
    assert set(depends) == from_system
    assert package_of(system_library(library)) not in depends
    assert re.fullmatch(r"libc6 \(>= 2\.\d+\)", depends["libc6"])  # a version floor from the symbols file


@pytest.mark.slow
def test_the_executable_takes_even_a_bundled_library_from_the_system(tmp_path: Path) -> None:
    """The bundle's executable is loaded before it puts _internal/ on the library path (libz.so.1)."""
    bundle = make_fake_bundle(tmp_path / "in", executable_elf=True)
    library = bundled_library()
    assert library in deb.from_system(bundle)
    package_root = tmp_path / "work" / "debian" / deb.PACKAGE
    shutil.copytree(bundle, package_root / deb.INSTALL_DIR, symlinks=True)
    (package_root / "DEBIAN").mkdir()
    depends = deb.compute_depends(tmp_path / "work", package_root)
    assert package_of(system_library(library)) in {relation.split()[0] for relation in depends.split(", ")}


@pytest.mark.slow
def test_copyright_changelog_and_man_page(built: Path, tmp_path: Path) -> None:
    copyright_text = member(built, "/usr/share/doc/sciatica-coach/copyright", tmp_path).decode()
    assert copyright_text.startswith(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
    )
    assert "License: GPL-3+" in copyright_text
    assert "/usr/share/common-licenses/GPL-3" in copyright_text
    assert "/opt/sciatica-coach/_internal/THIRD-PARTY-NOTICES.txt" in copyright_text
    assert "@NOTICES@" not in copyright_text
    changelog = gzip.decompress(member(built, "/usr/share/doc/sciatica-coach/changelog.Debian.gz", tmp_path))
    assert changelog.decode().startswith(f"sciatica-coach ({__version__}-1) unstable; urgency=medium")
    page = gzip.decompress(member(built, "/usr/share/man/man1/sciatica-coach.1.gz", tmp_path)).decode()
    assert "\\-\\-data\\-dir DIR" in page  # the program's own --help, with roff's minus signs
    assert "\\[u2026]" in page and page.isascii()
    if shutil.which("man"):
        rendered = subprocess.run(
            ["man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", str(tmp_path / "usr/share/man/man1/sciatica-coach.1.gz")],
            capture_output=True, text=True, env={**os.environ, "MANROFFSEQ": "", "MANWIDTH": "80"},
        )  # fmt: skip
        assert rendered.returncode == 0 and not rendered.stderr.strip(), rendered.stderr


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("lintian") is None, reason="needs lintian (Debian package lintian)")
def test_lintian_has_no_error_or_warning_on_the_package(built: Path) -> None:
    done = subprocess.run(
        ["lintian", "--fail-on", "error,warning", "--no-tag-display-limit", str(built)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert not re.search(r"^[EW]: ", done.stdout, re.MULTILINE), done.stdout


@pytest.mark.slow
def test_the_ci_check_reads_the_paths_it_must_find_gone_after_purging(built: Path) -> None:
    paths = deb_check.deb_paths(built)
    assert sorted(paths) == sorted(set(contents(built)) - {"/"})
    assert "/opt/sciatica-coach" in paths and "/usr/bin/sciatica-coach" in paths and "/" not in paths


def test_depends_fields_merge_keeping_the_highest_floor() -> None:
    merged = deb.merge_depends("libc6 (>= 2.34), libgl1", "libc6 (>= 2.36), zlib1g (>= 1:1.1.4)", "libgl1")
    assert merged == "libc6 (>= 2.36), libgl1, zlib1g (>= 1:1.1.4)"
    assert deb.merge_depends("a (>= 1.10)", "a (>= 1.9)") == "a (>= 1.10)"  # Debian's order, not the text's


def test_the_extended_description_is_control_file_text() -> None:
    text = deb.control_text(
        ["A calm coach " * 10, "- one item", "- another item", "Guidance, not a diagnosis."]
    )
    lines = text.split("\n")
    assert all(line.startswith(" ") and len(line) <= 80 for line in lines)
    assert "  - one item\n  - another item" in text  # list items follow each other
    assert lines.count(" .") == 2


def test_roff_escapes_what_groff_would_misread() -> None:
    assert (
        deb.roff(".start\n'quote\n--data-dir a\\b …")
        == "\\&.start\n\\&'quote\n\\-\\-data\\-dir a\\eb \\[u2026]"
    )
