"""The bundle's content rules without building it: Qt's own catalogues for the app's languages (and only
those), symlinks left pointing at pruned libraries, and the glibc floor build.py reports.

packaging/build.py's content check runs here on small fake bundle folders; the real build is checked by
`python packaging/build.py --smoke` (packaging/smoke_test.py)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import struct
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sciatica_coach.i18n import SOURCE_LANGUAGE, available_languages

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"

sys.path.insert(0, str(PACKAGING))
import bundle_contents  # noqa: E402

sys.path.remove(str(PACKAGING))
# packaging/build.py by its path: "build" is also the name of PyPA's build frontend
_spec = importlib.util.spec_from_file_location("packaging_build", PACKAGING / "build.py")
assert _spec is not None and _spec.loader is not None
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

QT_DIR = "_internal/PySide6/Qt"
LANGUAGES = tuple(code for code, _name in available_languages() if code != SOURCE_LANGUAGE)


def qm_file(dependencies: tuple[str, ...] = ()) -> bytes:
    """A minimal Qt catalogue: the magic, then a Dependencies block (Qt's qtranslator.cpp layout)."""
    block = b"".join(
        struct.pack(">I", len(name.encode("utf-16-be"))) + name.encode("utf-16-be") for name in dependencies
    )
    magic: bytes = bundle_contents.QM_MAGIC
    tag: int = bundle_contents.QM_DEPENDENCIES_TAG
    return magic + bytes([tag]) + struct.pack(">I", len(block)) + block


@pytest.fixture
def fake_bundle(tmp_path: Path) -> Iterator[Path]:
    """A bundle folder that passes the content check: the required plugins, a library with a symlink to it
    beside the executable (as PyInstaller lays them out), and qtbase_<lang>.qm for each app language."""
    bundle = tmp_path / "sciatica-coach"
    for plugin in bundle_contents.REQUIRED_PLUGINS_BY_PLATFORM.get(sys.platform, ()):
        path = bundle / QT_DIR / "plugins" / f"{plugin}.so"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
    lib = bundle / QT_DIR / "lib" / "libQt6Core.so.6"
    lib.parent.mkdir(parents=True)
    lib.write_bytes(b"")
    os.symlink("PySide6/Qt/lib/libQt6Core.so.6", bundle / "_internal" / "libQt6Core.so.6")
    translations = bundle / QT_DIR / "translations"
    translations.mkdir()
    for language in LANGUAGES:
        (translations / f"qtbase_{language}.qm").write_bytes(qm_file())
    yield bundle


def mine(problems: list[str]) -> list[str]:
    """The content check's findings about symlinks and Qt catalogues (it checks other things as well)."""
    return [problem for problem in problems if "symlink" in problem or "catalogue" in problem.lower()]


def test_the_fake_bundle_passes(fake_bundle: Path) -> None:
    assert LANGUAGES, "the app has a translation (assets/translations/de.json)"
    assert build.dangling_symlinks(fake_bundle) == []
    assert build.qt_catalogue_problems(fake_bundle) == []
    assert mine(build.check_contents(fake_bundle)) == []


def test_a_symlink_to_a_pruned_library_fails_the_check(fake_bundle: Path) -> None:
    internal = fake_bundle / "_internal"
    os.symlink("PySide6/Qt/lib/libQt6Qml.so.6", internal / "libQt6Qml.so.6")  # the library was pruned
    os.symlink("libQt6Qml.so.6", internal / "libQt6Qml.so")  # a link to that link
    assert mine(build.check_contents(fake_bundle)) == [
        "dangling symlink: _internal/libQt6Qml.so -> libQt6Qml.so.6",
        "dangling symlink: _internal/libQt6Qml.so.6 -> PySide6/Qt/lib/libQt6Qml.so.6",
    ]


def test_a_symlink_to_a_missing_folder_fails_the_check(fake_bundle: Path) -> None:
    os.symlink("PySide6/Qt/qml", fake_bundle / "_internal" / "qml")
    assert mine(build.check_contents(fake_bundle)) == ["dangling symlink: _internal/qml -> PySide6/Qt/qml"]


def test_qt_catalogues_no_app_language_loads_fail_the_check(fake_bundle: Path) -> None:
    translations = fake_bundle / QT_DIR / "translations"
    (translations / "qtbase_xx.qm").write_bytes(qm_file())  # no app translation for "xx"
    (translations / "qtmultimedia_de.qm").write_bytes(qm_file())
    assert mine(build.check_contents(fake_bundle)) == [
        "Qt catalogue no language of the app loads: qtbase_xx.qm",
        "Qt catalogue no language of the app loads: qtmultimedia_de.qm",
    ]


def test_a_missing_qt_catalogue_or_its_dependency_fails_the_check(fake_bundle: Path) -> None:
    translations = fake_bundle / QT_DIR / "translations"
    (translations / "qtbase_de.qm").unlink()
    assert mine(build.check_contents(fake_bundle)) == [
        "Qt catalogue qtbase_de.qm missing: Qt's dialogs would stay English in de"
    ]
    (translations / "qtbase_de.qm").write_bytes(qm_file(("qtbase_de_extra",)))
    assert mine(build.check_contents(fake_bundle)) == [
        "Qt catalogue qtbase_de.qm needs qtbase_de_extra.qm, which is missing"
    ]


def test_the_bundle_keeps_exactly_the_qt_catalogues_the_app_languages_load() -> None:
    for language in LANGUAGES:
        assert bundle_contents.wanted(f"PySide6/Qt/translations/qtbase_{language}.qm")
        for other in (
            f"qt_{language}",
            f"qtmultimedia_{language}",
            f"assistant_{language}",
            f"qtwebengine_{language}",
        ):
            assert not bundle_contents.wanted(f"PySide6/Qt/translations/{other}.qm")
    assert not bundle_contents.wanted("PySide6/Qt/translations/qtbase_en.qm")  # English loads none
    assert not bundle_contents.wanted("PySide6/Qt/translations/qtbase_fr.qm")
    assert bundle_contents.wanted("sciatica_coach/_assets/translations/de.json")  # the app's own


def test_the_kept_catalogues_follow_the_app_translations(tmp_path: Path) -> None:
    """A new translation (assets/translations/pt.json) brings Qt's catalogues for it: qtbase_pt and
    qtbase_pt_BR (Qt picks the regional one for a Brazilian system)."""
    for code, name in (("de", "Deutsch"), ("pt", "Português")):
        (tmp_path / f"{code}.json").write_text(json.dumps({"language": code, "name": name, "messages": {}}))
    languages = bundle_contents.app_languages(tmp_path)
    assert languages == ("de", "pt")
    assert bundle_contents.wanted_qt_catalogue("qtbase_pt_BR.qm", languages)
    assert bundle_contents.wanted_qt_catalogue("qtbase_pt.qm", languages)
    assert not bundle_contents.wanted_qt_catalogue("qtbase_ptx.qm", languages)
    assert not bundle_contents.wanted_qt_catalogue("qtbase_fr.qm", languages)


def qt_translations() -> Path:
    from PySide6.QtCore import QLibraryInfo

    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def test_qt_catalogue_dependencies_are_read_from_the_real_files() -> None:
    folder = qt_translations()
    meta = bundle_contents.qm_dependencies((folder / "qt_de.qm").read_bytes())  # the meta-catalogue
    assert meta[:1] == ["qtbase_de"] and len(meta) > 1, meta
    with pytest.raises(ValueError):
        bundle_contents.qm_dependencies(b"not a catalogue")


def test_the_kept_catalogue_translates_qt_s_standard_buttons() -> None:
    """What the bundle keeps is what turns a standard "Cancel" button into "Abbrechen", and needs nothing
    else: the catalogue the app loads (platform/locale_support.py), read with Qt itself."""
    from PySide6.QtCore import QTranslator

    folder = qt_translations()
    for language in LANGUAGES:
        for catalogue in bundle_contents.QT_CATALOGUES:
            path = folder / f"{catalogue}_{language}.qm"
            assert bundle_contents.qm_dependencies(path.read_bytes()) == []
            translator = QTranslator()
            assert translator.load(str(path))
            assert translator.translate("QPlatformTheme", "Cancel") not in ("", "Cancel")
    if "de" in LANGUAGES:
        translator = QTranslator()
        assert translator.load(str(folder / "qtbase_de.qm"))
        assert translator.translate("QPlatformTheme", "Cancel") == "Abbrechen"


def test_dangling_links_drops_links_to_pruned_entries() -> None:
    """The spec drops PyInstaller's symlink entries whose target the pruning took out."""
    entries = [
        ("PySide6/Qt/lib/libQt6Core.so.6", "/venv/libQt6Core.so.6", "BINARY"),
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt6Qml.so.6", "PySide6/Qt/lib/libQt6Qml.so.6", "SYMLINK"),  # libQt6Qml was pruned
        ("libQt6Qml.so", "libQt6Qml.so.6", "SYMLINK"),  # a link to that link
        ("PySide6/Qt/lib/libQt6Core.so", "libQt6Core.so.6", "SYMLINK"),  # relative to its own folder
        ("PySide6/Qt/libs", "lib", "SYMLINK"),  # a folder with something in it
        ("PySide6/Qt/qml", "../../qml", "SYMLINK"),  # a folder with nothing in it
    ]
    assert bundle_contents.dangling_links(entries) == {"libQt6Qml.so.6", "libQt6Qml.so", "PySide6/Qt/qml"}


@pytest.mark.skipif(
    shutil.which("objdump") is None, reason="needs objdump (Debian: binutils, installed by .ci/run)"
)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc: Linux only")
def test_the_glibc_floor_is_the_newest_glibc_version_a_binary_asks_for(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    (bundle / "_internal").mkdir(parents=True)
    python = Path(sys.executable).resolve()
    shutil.copy(python, bundle / "_internal" / "python3")
    (bundle / "_internal" / "notes.txt").write_text("not a binary")
    floor = build.glibc_floor(bundle)
    assert floor is not None
    version, binary = floor
    assert binary == "_internal/python3"
    running = tuple(int(part) for part in os.confstr("CS_GNU_LIBC_VERSION").split()[1].split("."))  # type: ignore[union-attr]
    assert (2, 2) <= version <= running


def _recogniser(problems: list[str]) -> list[str]:
    return [problem for problem in problems if "recogniser" in problem or "not wanted" in problem]


def _lay_model(bundle: Path) -> None:
    for name in bundle_contents.REQUIRED_IN_BUNDLE:
        path = bundle / build.CONTENTS_DIR / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")


def test_the_recogniser_model_goes_in_without_the_word_language_model() -> None:
    """Every file of the installed model the spec collects is kept but the 27 MB word language model (and a
    build file); everything the recogniser loads is among the kept ones."""
    pocketsphinx = pytest.importorskip("pocketsphinx")
    package = Path(pocketsphinx.__file__).parent
    installed = sorted(
        path.relative_to(package.parent).as_posix()
        for path in (package / "model").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )
    kept = [name for name in installed if bundle_contents.wanted(name)]
    left_out = sorted(set(installed) - set(kept))
    assert left_out == sorted(bundle_contents.RECOGNISER_MODEL_LEFT_OUT)
    assert set(bundle_contents.REQUIRED_IN_BUNDLE) <= set(kept)
    assert "pocketsphinx/model/en-us/en-us-phone.lm.bin" in kept  # the small phone model stays
    assert bundle_contents.wanted("pocketsphinx\\model\\en-us\\en-us\\mdef")  # as Windows names it
    assert not bundle_contents.wanted("pocketsphinx\\model\\en-us\\en-us.lm.bin")


def test_a_missing_or_oversized_recogniser_model_fails_the_check(fake_bundle: Path) -> None:
    problems = _recogniser(build.check_contents(fake_bundle))
    assert problems == [
        f"the recogniser needs {name}, which is missing" for name in bundle_contents.REQUIRED_IN_BUNDLE
    ]
    _lay_model(fake_bundle)
    assert _recogniser(build.check_contents(fake_bundle)) == []
    internal = fake_bundle / build.CONTENTS_DIR
    (internal / "pocketsphinx/model/en-us/en-us.lm.bin").write_bytes(b"")
    (internal / "_cffi_backend.cpython-311-x86_64-linux-gnu.so").write_bytes(b"")
    assert _recogniser(build.check_contents(fake_bundle)) == [
        "unused by the app, so not wanted in the bundle: _cffi_backend.cpython-311-x86_64-linux-gnu.so",
        "unused by the app, so not wanted in the bundle: pocketsphinx/model/en-us/en-us.lm.bin",
    ]


def test_sounddevice_and_cffi_in_the_python_archive_fail_the_check(tmp_path: Path) -> None:
    """PyInstaller's table of the PYZ archive (work folder) names every bundled module; the ones pocketsphinx
    pulls in for its LiveSpeech class only must not be among them."""
    table = tmp_path / build.BUNDLE_NAME / "PYZ-00.toc"
    table.parent.mkdir()
    entries = [
        ("pocketsphinx", "/site/pocketsphinx/__init__.py", "PYMODULE"),
        ("sciatica_coach.platform.recogniser", "/src/recogniser.py", "PYMODULE"),
    ]
    table.write_text(repr(("/w/PYZ-00.pyz", entries)), encoding="utf-8")
    assert build.module_problems(tmp_path) == []
    entries += [
        ("sounddevice", "/site/sounddevice.py", "PYMODULE"),
        ("cffi.api", "/site/cffi/api.py", "PYMODULE"),
    ]
    table.write_text(repr(("/w/PYZ-00.pyz", entries)), encoding="utf-8")
    assert build.module_problems(tmp_path) == [
        "Python module the app never imports in the bundle: cffi.api",
        "Python module the app never imports in the bundle: sounddevice",
    ]
    assert build.module_problems(tmp_path / "no build here") == []
