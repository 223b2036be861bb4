"""Licences: LICENSE ships everywhere, packaging/notices.py attributes every bundled library (a Python
distribution's, a Debian package's via a real `dpkg -S`, Python's own), its check fails on one it can't
attribute, and services/licences.py finds the texts in a bundle and from the installed metadata."""

from __future__ import annotations

import glob
import importlib.metadata
import re
import shutil
import sys
import sysconfig
import zipfile
from dataclasses import replace
from pathlib import Path

import PySide6
import pytest

from sciatica_coach.services import licences
from tests.test_packaging import wheel  # noqa: F401 - the module's wheel fixture

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))
import notices  # noqa: E402

sys.path.remove(str(ROOT / "packaging"))

GPL3_TITLE = "GNU GENERAL PUBLIC LICENSE"
QT_CORE = Path(PySide6.__file__).parent / "Qt" / "lib" / "libQt6Core.so.6"
# A system library PyInstaller copies from the build machine, as its loader names it (/usr/lib/…: dpkg knows
# it as /lib/… on a merged-/usr Debian, so the lookup has to try both).
SYSTEM_ZLIB = next(iter(sorted(glob.glob("/usr/lib/*-linux-gnu/libz.so.1"))), None)
needs_dpkg = pytest.mark.skipif(
    shutil.which("dpkg") is None or SYSTEM_ZLIB is None,
    reason="needs Debian's dpkg and the system zlib (CI runs on Debian 12, which has both)",
)


def test_license_is_the_gpl_3_and_pyproject_ships_it() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert GPL3_TITLE in text and "Version 3, 29 June 2007" in text
    assert "END OF TERMS AND CONDITIONS" in text  # the whole text, not a stub
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license-files = ["LICENSE"]' in pyproject


@pytest.mark.slow
def test_wheel_carries_the_licence_and_the_texts_the_qt_wheels_lack(wheel: Path) -> None:  # noqa: F811
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (licence,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
        assert GPL3_TITLE in archive.read(licence).decode()
    for name in ("LGPL-3.0.txt", "LGPL-2.1.txt", "ICU.txt"):
        assert f"sciatica_coach/_assets/licences/{name}" in names


def fake_bundle(tmp_path: Path, binaries: list[tuple[str, str, str]]) -> tuple[Path, list[str]]:
    """A bundle folder as PyInstaller lays it out: the binaries copied into _internal, the notices written
    for them, and LICENSE beside them. Returns the bundle and what the generator could not attribute."""
    bundle = tmp_path / "sciatica-coach"
    contents = bundle / notices.CONTENTS_DIR
    for dest, source, _kind in binaries:
        (contents / dest).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, contents / dest)
    _path, unattributed = notices.write_notices(contents / licences.NOTICES_FILE, binaries)
    shutil.copy(ROOT / "LICENSE", contents / licences.LICENSE_FILE)
    return bundle, unattributed


@needs_dpkg
def test_system_library_is_attributed_to_its_debian_package_with_its_copyright(tmp_path: Path) -> None:
    assert SYSTEM_ZLIB is not None
    assert notices.dpkg_owners([SYSTEM_ZLIB]) == {SYSTEM_ZLIB: "zlib1g"}
    binaries = [
        ("libz.so.1", SYSTEM_ZLIB, "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", str(QT_CORE), "BINARY"),
    ]
    bundle, unattributed = fake_bundle(tmp_path, binaries)
    assert unattributed == []
    text = (bundle / "_internal" / licences.NOTICES_FILE).read_text(encoding="utf-8")
    zlib = text[text.index("zlib1g ") :]
    assert zlib.startswith("zlib1g ") and "Debian package zlib1g" in zlib
    assert "----- /usr/share/doc/zlib1g/copyright -----" in zlib
    assert "Jean-loup Gailly" in zlib  # the copyright file's own words
    assert "libz.so.1" in notices.attributed_files(text)
    # Qt: the wheel's distribution, the LGPL text (the wheel has none), and the relinking note up front
    assert "PySide6/Qt/lib/libQt6Core.so.6" in notices.attributed_files(text)
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text
    assert text.index("replace them with your own build") < text.index("Contents:")
    assert notices.unattributed_libraries(bundle) == []


def test_check_fails_on_a_library_the_notices_do_not_name(tmp_path: Path) -> None:
    stray = tmp_path / "libmystery.so.2"  # from nowhere: no distribution, no package, not Python's
    stray.write_bytes(b"\x7fELF not really")
    binaries = [
        ("PySide6/Qt/lib/libQt6Core.so.6", str(QT_CORE), "BINARY"),
        ("libmystery.so.2", str(stray), "BINARY"),
    ]
    bundle, unattributed = fake_bundle(tmp_path, binaries)
    assert unattributed == ["libmystery.so.2"]
    contents = bundle / "_internal"
    # a link to an attributed library counts as that library (PyInstaller links libQt6Core.so.6 at the top)
    (contents / "libQt6Core.so.6").symlink_to("PySide6/Qt/lib/libQt6Core.so.6")
    assert notices.unattributed_libraries(bundle) == [
        f"shared library not attributed in {licences.NOTICES_FILE} (or its entry has no licence text): "
        "libmystery.so.2"
    ]
    (contents / "libmystery.so.2").unlink()
    assert notices.unattributed_libraries(bundle) == []
    (contents / licences.NOTICES_FILE).unlink()
    assert notices.unattributed_libraries(bundle) == [f"{licences.NOTICES_FILE} is missing from the bundle"]


def test_the_interpreters_own_library_is_attributed_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Python no package manager installed (pyenv, python.org): its lib-dynload modules are Python's."""
    (module,) = glob.glob(str(Path(sysconfig.get_paths()["stdlib"], "lib-dynload", "_json*")))
    monkeypatch.setattr(notices, "dpkg_owners", lambda paths: {})
    dest = f"python3/lib-dynload/{Path(module).name}"
    components, unattributed = notices.bundle_components([(dest, module, "EXTENSION")])
    assert unattributed == []
    (python,) = [c for c in components if c.name == "Python"]
    assert python.files == (dest,) and "PSF" in python.licence
    assert python.texts and "PYTHON SOFTWARE FOUNDATION LICENSE" in python.texts[0].text
    # …but not anything else under its prefix (/usr on Debian, and a venv's site-packages)
    assert not notices.pythons_own(str(SYSTEM_ZLIB or "/usr/lib/libnothing.so"))
    assert not notices.pythons_own(str(Path(sys.prefix, "lib", "libmystery.so")))


def test_a_pure_python_distribution_is_named_without_files() -> None:
    import tinydb

    components, _ = notices.bundle_components([], [("tinydb", tinydb.__file__, "PYMODULE")])
    (entry,) = [c for c in components if c.name == "tinydb"]
    assert (
        entry.licence == "MIT" and entry.files == () and "Permission is hereby granted" in entry.texts[0].text
    )


def test_runtime_notices_name_every_dependency_with_its_licence_text() -> None:
    text = licences.third_party_notices()  # not frozen: from the installed distributions' metadata
    names = (
        "PySide6[-_]Essentials",
        "PySide6[-_]Addons",
        "shiboken6",
        "pyqtgraph",
        "numpy",
        "tinydb",
        "pocketsphinx",
        "Python",
    )
    for name in names:  # each in the contents, whichever spelling its wheel's metadata uses
        assert re.search(rf"^ +\d+\. {name} \S+: ", text, re.MULTILINE | re.IGNORECASE), name
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text  # the Qt wheels' licence, which they don't carry
    assert "OpenBLAS" in text  # numpy's LICENSE.txt carries its bundled libraries' notices
    assert "Alpha Cephei" in text  # the recogniser's US English model, README in the model's folder
    assert licences.NO_TEXT not in text
    assert GPL3_TITLE in licences.app_licence_text()


def test_a_bundle_reads_its_own_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / licences.LICENSE_FILE).write_text("the bundle's licence", encoding="utf-8")
    (tmp_path / licences.NOTICES_FILE).write_text("the bundle's notices", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert licences.app_licence_text() == "the bundle's licence"
    assert licences.third_party_notices() == "the bundle's notices"


def test_reflowed_joins_hand_wrapped_paragraphs_and_keeps_lists() -> None:
    text = (
        "                    GNU GENERAL PUBLIC LICENSE\n"
        "\n"
        "  The licenses for most software and other practical works are designed\n"
        "to take away your freedom to share and change the works.\n"
        "\n"
        "Files in this bundle:\n"
        "    PySide6/Qt/lib/libQt6Core.so.6\n"
        "    libz.so.1\n"
        "Licence: MIT\n"
        "  1. Redistributions of source code must retain the above copyright notice,\n"
        "  2. Redistributions in binary form must reproduce the above copyright\n"
        "     notice.\n" + "=" * 78 + "\n"
    )
    assert licences.reflowed(text).splitlines() == [
        "                    GNU GENERAL PUBLIC LICENSE",
        "",
        "  The licenses for most software and other practical works are designed to take away your freedom "
        "to share and change the works.",
        "",
        "Files in this bundle:",
        "    PySide6/Qt/lib/libQt6Core.so.6",
        "    libz.so.1",
        "Licence: MIT",
        "  1. Redistributions of source code must retain the above copyright notice,",
        "  2. Redistributions in binary form must reproduce the above copyright notice.",
        "=" * licences.RULE_SHOWN_CHARS,
    ]


def test_ffmpeg_is_named_only_when_the_bundle_holds_it() -> None:
    addons = importlib.metadata.distribution("PySide6-Addons")
    without = licences.distribution_component(addons, ["PySide6/Qt/lib/libQt6Multimedia.so.6"])
    with_it = licences.distribution_component(addons, ["PySide6/Qt/lib/libavcodec.so.61"])
    installed = licences.distribution_component(addons)  # run from the wheel, which has FFmpeg
    assert not any("FFmpeg" in note for note in without.notes)
    assert [t.title for t in without.texts] == ["GNU Lesser General Public License, version 3"]
    for component in (with_it, installed):
        assert any("FFmpeg" in note for note in component.notes)
        assert "GNU Lesser General Public License, version 2.1 (FFmpeg)" in [t.title for t in component.texts]


def test_an_entry_without_licence_text_does_not_count() -> None:
    """A Debian package whose copyright file is missing (a trimmed image) names its files but no licence."""
    with_text = licences.Component(
        "libfoo1", "1.0", "MIT", "Debian package", (licences.LicenceText("c", "MIT"),)
    )
    bare = licences.Component("libbar1", "1.0", "unknown", "Debian package", files=("libbar.so.1",))
    text = licences.format_notices([replace(with_text, files=("libfoo.so.1",)), bare], "Test.")
    assert notices.attributed_files(text) == {"libfoo.so.1"}


def test_pocketsphinx_is_named_with_its_licence_and_its_models() -> None:
    """The recogniser (issue 22): its LICENSE from the .dist-info and the acoustic model's README from the
    model's folder (the model is Alpha Cephei's, not CMU's), under a precise licence, in a bundle too."""
    import pocketsphinx

    extension = next(Path(pocketsphinx.__file__).parent.glob("_pocketsphinx*"))
    readme = Path(pocketsphinx.get_model_path()) / "en-us" / "en-us" / "README"
    binaries = [(f"pocketsphinx/{extension.name}", str(extension), "EXTENSION")]
    components, unattributed = notices.bundle_components(
        binaries, [("pocketsphinx/model/en-us/en-us/README", str(readme), "DATA")]
    )
    (entry,) = [c for c in components if licences.canonical(c.name) == "pocketsphinx"]
    assert unattributed == []
    assert entry.licence == "BSD-2-Clause AND BSD-3-Clause AND MIT"
    assert entry.files == (f"pocketsphinx/{extension.name}",)
    titles = {t.title: t.text for t in entry.texts}
    assert "Carnegie Mellon University" in titles["LICENSE"] and "WebRTC" in titles["LICENSE"]
    (model,) = [text for title, text in titles.items() if "acoustic model" in title]
    assert "Alpha Cephei" in model and "Redistribution and use" in model
    assert any("CMU Pronouncing Dictionary" in " ".join(note.split()) for note in entry.notes)
    text = licences.format_notices(components, "Test.")
    assert f"pocketsphinx/{extension.name}" in notices.attributed_files(text)
