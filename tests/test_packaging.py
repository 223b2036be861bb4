"""Packaging: the freedesktop files validate, the wheel carries every asset and runs installed without the
source tree, and the PyInstaller bundle's exclusions leave everything the app imports.

The PyInstaller build itself is not run here (it takes a minute): `python packaging/build.py --smoke`."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import textwrap
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from configparser import ConfigParser
from pathlib import Path
from typing import Any

import pytest

from sciatica_coach import APP_ID, __version__
from tests.helpers import CHILD_PYTHONPATH

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"
DESKTOP_FILE = LINUX / f"{APP_ID}.desktop"
METAINFO_FILE = LINUX / f"{APP_ID}.metainfo.xml"
ASSETS = ROOT / "assets"
# pyproject.toml's `license = "GPL-3.0-or-later"` (a PEP 639 expression) needs setuptools 77 or newer.
SETUPTOOLS_MIN = (77, 0)
SUBPROCESS_TIMEOUT_S = 120

sys.path.insert(0, str(PACKAGING))
import bundle_contents  # noqa: E402
import platform_icons  # noqa: E402

sys.path.remove(str(PACKAGING))


def shipped_assets() -> list[str]:
    """Every file under assets/ that must ship, relative to assets/ (dotfiles such as .keep don't)."""
    return sorted(
        path.relative_to(ASSETS).as_posix()
        for path in ASSETS.rglob("*")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(ASSETS).parts)
    )


def run(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT_S
    )


# --- freedesktop files ---------------------------------------------------------------------------------------


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def desktop_entry() -> ConfigParser:
    entry = ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str  # type: ignore[assignment, method-assign]  # keys are case-sensitive
    entry.read(DESKTOP_FILE, encoding="utf-8")
    return entry


def test_desktop_file_validates() -> None:
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate is missing (Debian package desktop-file-utils)")
    result = run(["desktop-file-validate", str(DESKTOP_FILE)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout + result.stderr


def test_metainfo_validates() -> None:
    if shutil.which("appstreamcli") is None:
        pytest.skip("appstreamcli is missing (Debian package appstream)")
    result = run(["appstreamcli", "validate", "--no-net", str(METAINFO_FILE)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_file_launches_the_app_and_offers_start_session() -> None:
    entry = desktop_entry()
    main = entry["Desktop Entry"]
    script = next(iter(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]))
    assert main["Exec"].split()[0] == script
    assert main["Icon"] == APP_ID
    assert "start-session" in main["Actions"].split(";")
    assert entry["Desktop Action start-session"]["Exec"] == f"{script} --start-session"


def test_metainfo_shares_the_app_id_and_names_this_release() -> None:
    component = ET.parse(METAINFO_FILE).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP_FILE.name
    assert component.findtext("provides/binary") == "sciatica-coach"
    assert component.find("content_rating[@type='oars-1.1']") is not None
    releases = [release.get("version") for release in component.iterfind("releases/release")]
    assert releases[0] == __version__
    for image in component.iterfind("screenshots/screenshot/image"):
        assert re.fullmatch(
            r"https://raw\.githubusercontent\.com/sciatica-coach/sciatica-coach/main/docs/screenshots/[\w-]+\.png",
            image.text or "",
        )


def test_hicolor_layout_uses_the_app_id(tmp_path: Path) -> None:
    share = tmp_path / "share"
    result = run(
        [sys.executable, str(LINUX / "install_icons.py"), str(share), "--desktop-files", "--no-cache-update"]
    )
    assert result.returncode == 0, result.stderr
    installed = sorted(path.relative_to(share).as_posix() for path in share.rglob("*") if path.is_file())
    sizes = sorted(
        int(m.group(1))
        for p in (ASSETS / "icons" / "png").glob("*.png")
        if (m := re.search(r"-(\d+)\.png$", p.name))
    )
    assert sizes, "no app icon PNGs in assets/icons/png"
    expected = [f"icons/hicolor/{n}x{n}/apps/{APP_ID}.png" for n in sizes]
    expected += [f"icons/hicolor/scalable/apps/{APP_ID}.svg"]
    expected += [f"applications/{APP_ID}.desktop", f"metainfo/{APP_ID}.metainfo.xml"]
    assert installed == sorted(expected)


def test_desktop_file_speaks_german() -> None:
    entry = desktop_entry()
    main = entry["Desktop Entry"]
    for key in ("Name", "GenericName", "Comment", "Keywords"):
        assert main.get(f"{key}[de]"), f"{key}[de] is missing"
    assert main["Name[de]"] == main["Name"]  # the app keeps its name in German, as the app itself does
    assert main["Keywords[de]"].endswith(";") and "Ischias" in main["Keywords[de]"].split(";")
    assert entry["Desktop Action start-session"]["Name[de]"] == "Einheit beginnen"  # the button's German


def test_metainfo_speaks_german_wherever_it_speaks_english() -> None:
    component = ET.parse(METAINFO_FILE).getroot()
    for tag in ("name", "summary"):
        assert component.find(f"{tag}[@{XML_LANG}='de']") is not None, f"no German {tag}"
    description = component.find("description")
    assert description is not None
    for tag in ("p", "ul/li"):
        english = [e for e in description.iterfind(tag) if e.get(XML_LANG) is None]
        german = [e for e in description.iterfind(tag) if e.get(XML_LANG) == "de"]
        assert english and len(german) == len(english), f"{len(german)} German <{tag}> for {len(english)}"
    for screenshot in component.iterfind("screenshots/screenshot"):
        assert screenshot.find(f"caption[@{XML_LANG}='de']") is not None


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of #rrggbb."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_metainfo_branding_takes_the_apps_colours_and_sets_off_the_icon() -> None:
    from sciatica_coach.views.theme import DARK, LIGHT

    component = ET.parse(METAINFO_FILE).getroot()
    colours = {
        c.get("scheme_preference"): c.text for c in component.iterfind("branding/color[@type='primary']")
    }
    assert set(colours) == {"light", "dark"}
    theme_colours = {
        value for palette in (LIGHT, DARK) for value in vars(palette).values() if isinstance(value, str)
    }
    assert set(colours.values()) <= theme_colours, "branding colours come from sciatica_coach/views/theme.py"
    light, dark = colours["light"] or "", colours["dark"] or ""
    assert relative_luminance(light) > 0.3 and relative_luminance(dark) < 0.05  # each suits its scheme
    # The icon is a rounded tile in the app's accent: a banner of that same colour would swallow it
    tile = re.search(
        r'<rect[^>]*fill="(#[0-9a-fA-F]{6})"', (ASSETS / "icons" / "sciatica-coach.svg").read_text()
    )
    assert tile is not None
    for banner in (light, dark):
        assert contrast(banner, tile.group(1)) >= 2.5, banner


# --- package index metadata ------------------------------------------------------------------------------------

HOME = "https://github.com/sciatica-coach/sciatica-coach"
TREE_FILES = "https://github.com/sciatica-coach/sciatica-coach/blob/main/"
RAW_FILES = "https://raw.githubusercontent.com/sciatica-coach/sciatica-coach/main/"


def project_table() -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return project


def test_classifiers_are_real_trove_classifiers() -> None:
    from trove_classifiers import classifiers, deprecated_classifiers

    project = project_table()
    chosen = project["classifiers"]
    unknown = [c for c in chosen if c not in classifiers]
    assert not unknown, f"not in the trove list: {unknown}"
    assert not [c for c in chosen if c in deprecated_classifiers]
    assert len(chosen) == len(set(chosen))
    # PEP 639: the licence is the `license` expression alone; a License :: classifier beside it is refused
    assert not [c for c in chosen if c.startswith("License ::")]
    lowest = tuple(int(n) for n in re.findall(r"\d+", project["requires-python"]))
    versions = [
        tuple(int(n) for n in m.group(1).split("."))
        for c in chosen
        if (m := re.fullmatch(r"Programming Language :: Python :: (3\.\d+)", c))
    ]
    assert versions and min(versions) == lowest, "the Python classifiers start at requires-python"
    for wanted in ("Environment :: X11 Applications :: Qt", "Natural Language :: German"):
        assert wanted in chosen


def test_project_urls_and_keywords() -> None:
    project = project_table()
    urls = project["urls"]
    assert set(urls) == {"Homepage", "Source", "Issues", "Documentation"}
    assert all(url == HOME or url.startswith(f"{HOME}/") for url in urls.values())
    component = ET.parse(METAINFO_FILE).getroot()
    assert component.findtext("url[@type='homepage']") == urls["Homepage"]
    assert component.findtext("url[@type='bugtracker']") == urls["Issues"]
    assert "sciatica" in project["keywords"]


def test_readme_pictures_show_on_a_package_index_page() -> None:
    """The README is the long description on a package index, where a relative picture path shows nothing:
    each picture is an absolute link to a file that is in this tree."""
    pictures = re.findall(r"!\[[^\]]*\]\(([^)\s]+)", (ROOT / "README.md").read_text("utf-8"))
    assert pictures
    for url in pictures:
        assert url.startswith(RAW_FILES), url
        assert (ROOT / url.removeprefix(RAW_FILES)).is_file(), url


def test_readme_links_work_on_a_package_index_page() -> None:
    """Links to the project's documents are absolute too, and each points at a file that is in this tree."""
    links = re.findall(r"(?<!!)\[[^\]]*\]\(([^)\s]+)", (ROOT / "README.md").read_text("utf-8"))
    assert links
    for url in links:
        assert url.startswith(("https://", "http://", "#")), url
        if url.startswith(TREE_FILES):
            assert (ROOT / url.removeprefix(TREE_FILES)).exists(), url


# --- Windows and macOS icons -----------------------------------------------------------------------------------


def test_ico_and_icns_wrap_the_icon_pngs(tmp_path: Path) -> None:
    ico, icns = platform_icons.write_platform_icons(tmp_path)
    pngs = platform_icons.available_pngs()

    data = ico.read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    assert count == len([size for size in platform_icons.ICO_SIZES_PX if size in pngs])
    for index in range(count):
        side, _, _, _, _, _, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index : 22 + 16 * index]
        )
        width, _ = platform_icons.png_size(data[offset : offset + length])
        assert width == (side or 256)

    data = icns.read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    position, kinds = 8, []
    while position < len(data):
        kind, length = (
            data[position : position + 4],
            struct.unpack(">I", data[position + 4 : position + 8])[0],
        )
        width, _ = platform_icons.png_size(data[position + 8 : position + length])
        assert width == platform_icons.ICNS_TYPES_PX[kind]
        kinds.append(kind)
        position += length
    assert b"ic07" in kinds  # 128 px, the size the Finder needs at least


# --- the bundle's exclusions -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_bundle_exclusions_leave_everything_the_app_imports(tmp_path: Path) -> None:
    """Import every sciatica_coach module, decode with the recogniser and draw a pyqtgraph plot with the
    excluded modules unimportable, as they are inside the PyInstaller bundle (pyqtgraph, for one, needs
    QtOpenGL at import time)."""
    blocked = [*bundle_contents.EXCLUDED_QT_MODULES, *bundle_contents.EXCLUDED_PYTHON_MODULES]
    script = textwrap.dedent(
        f"""
        import importlib, importlib.abc, pkgutil, sys
        BLOCKED = {blocked!r}

        class Blocker(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if any(name == b or name.startswith(b + ".") for b in BLOCKED):
                    raise ImportError(f"{{name}} is left out of the bundle")
                return None

        sys.meta_path.insert(0, Blocker())
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        import sciatica_coach
        for module in pkgutil.walk_packages(sciatica_coach.__path__, "sciatica_coach."):
            if module.name != "sciatica_coach.__main__":
                importlib.import_module(module.name)
        for name in {list(bundle_contents.HIDDEN_IMPORTS)!r}:
            importlib.import_module(name)
        # the recogniser decodes without sounddevice and cffi (pocketsphinx depends on them, the bundle not)
        from sciatica_coach.cli.check_recogniser import main as check_recogniser
        assert check_recogniser([]) == 0
        import pyqtgraph
        plot = pyqtgraph.PlotWidget()
        plot.plot([1, 2, 3], [3, 1, 2])
        plot.show()
        app.processEvents()
        print("ok")
        """
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=CHILD_PYTHONPATH)
    result = run([sys.executable, "-c", script], cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")


def test_bundle_keeps_the_plugins_it_needs() -> None:
    for required in bundle_contents.REQUIRED_PLUGINS_BY_PLATFORM["linux"]:
        assert bundle_contents.wanted(f"PySide6/Qt/plugins/{required}.so")
    for dropped in (
        "multimedia/libffmpegmediaplugin.so",
        "tls/libqopensslbackend.so",
        "imageformats/libqpdf.so",
    ):
        assert not bundle_contents.wanted(f"PySide6/Qt/plugins/{dropped}")
    assert bundle_contents.wanted("sciatica_coach/_assets/illustrations/bridge-hold.svg")
    assert not bundle_contents.wanted("sciatica_coach/_assets/translations/.keep")


# --- the wheel -------------------------------------------------------------------------------------------------


def setuptools_problem() -> str | None:
    try:
        version = importlib.metadata.version("setuptools")
    except importlib.metadata.PackageNotFoundError:
        return "setuptools is not installed in this environment, so no wheel can be built offline"
    numbers = tuple(int(part) for part in re.findall(r"\d+", version)[:2])
    if numbers < SETUPTOOLS_MIN:
        return (
            f"setuptools {version} is too old to build the wheel offline (pyproject's license expression "
            f"needs setuptools>={'.'.join(map(str, SETUPTOOLS_MIN))})"
        )
    return None


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    problem = setuptools_problem()
    if problem:
        pytest.skip(problem)
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a copy, so the build's egg-info and build/ never land in the checkout
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in ("sciatica_coach", "assets"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, source / name)
    out = work / "dist"
    result = run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-cache-dir",
            "--disable-pip-version-check",
            "-q",
            "-w",
            str(out),
            str(source),
        ],
        cwd=work,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    (built,) = out.glob("sciatica_coach-*.whl")
    yield built


@pytest.mark.slow
def test_wheel_contains_every_asset(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    missing = [name for name in shipped_assets() if f"sciatica_coach/_assets/{name}" not in names]
    assert not missing, f"assets missing from the wheel: {missing}"


@pytest.mark.slow
def test_installed_wheel_runs_with_all_assets(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    result = run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--no-cache-dir",
            "--disable-pip-version-check",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ]
    )
    assert result.returncode == 0, result.stderr[-2000:]
    env = dict(os.environ, PYTHONPATH=str(target), QT_QPA_PLATFORM="offscreen")
    check = textwrap.dedent(
        """
        import json, sys
        from sciatica_coach.assets import assets_dir
        from sciatica_coach.platform.sound_files import SOUNDS
        root = assets_dir()
        print(json.dumps({
            "assets": str(root.resolve()),
            "illustrations": sorted(p.name for p in (root / "illustrations").glob("*.svg")),
            "sounds": sorted(p.stem for p in (root / "sounds").glob("*.wav")),
            "expected_sounds": sorted(SOUNDS),
            "catalogue": (root / "catalogue.json").is_file(),
        }))
        """
    )
    # cwd is the temp folder, so the checkout is not importable: only the installed copy is.
    result = run([sys.executable, "-c", check], cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(result.stdout)
    assert Path(found["assets"]).is_relative_to(target.resolve())
    assert found["catalogue"]
    shipped = shipped_assets()
    assert found["illustrations"] == sorted(
        n.split("/", 1)[1] for n in shipped if n.startswith("illustrations/")
    )
    assert found["illustrations"], "no illustrations installed"
    assert set(found["expected_sounds"]) <= set(found["sounds"])

    result = run([sys.executable, "-m", "sciatica_coach", "--version"], cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == f"sciatica-coach {__version__}"
