"""The licence texts the app shows in Settings → About: its own (GPL-3.0-or-later) and the third-party notices.

Qt-free, so the bundle's notices generator (packaging/notices.py) and the app build the notices from the same
code. In a PyInstaller bundle both texts are files beside the bundled code (LICENSE and THIRD-PARTY-NOTICES.txt,
written when the bundle was built); run from a wheel or a checkout, they are read from the installed
distributions' metadata (their .dist-info licence files), with the texts their wheels lack from
assets/licences/ (Qt for Python's wheels carry no licence file at all).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from sciatica_coach import APP_NAME, __version__
from sciatica_coach.assets import asset_path

log = logging.getLogger(__name__)

APP_DISTRIBUTION = "sciatica-coach"
APP_LICENCE = "GPL-3.0-or-later"
LICENSE_FILE = "LICENSE"
NOTICES_FILE = "THIRD-PARTY-NOTICES.txt"
LICENCES_FOLDER = "licences"  # in assets/: texts the wheels leave out
# The Python distributions the app runs on (its dependencies in pyproject.toml, the Qt ones split as installed).
RUNTIME_DISTRIBUTIONS = (
    "PySide6-Essentials",
    "PySide6-Addons",
    "shiboken6",
    "pyqtgraph",
    "numpy",
    "tinydb",
    "pocketsphinx",
)
FILES_HEADING = "Files in this bundle:"  # packaging/notices.py reads the lists under it back
NO_TEXT = "(No licence text was found on the machine that built this.)"  # its files count as unattributed
RULE = "=" * 78
# Reflowing for reading on screen: a line this long (or longer) was wrapped by hand, so the next line continues
# its paragraph, unless that one starts a list item, is in a list of files, or is blank.
HARD_WRAPPED_MIN_CHARS = 55
RULE_SHOWN_CHARS = 30
_STARTS_ITEM = re.compile(r"\s*(\d+[.)]|\(?[a-z]\)|[*•-]|[A-Z][\w-]*:\s)\s*")

QT_NOTE = (
    "Qt and Qt for Python (PySide6, shiboken6) are used under the GNU Lesser General Public License, version 3\n"
    "(LGPL-3.0: its text is under PySide6-Essentials below; it builds on the GNU GPL version 3 in LICENSE).\n"
    "This program ships Qt as separate shared libraries (PySide6/Qt/lib/libQt6*.so.6, and the Qt plugins\n"
    "under PySide6/Qt/plugins/). You may replace them with your own build of the same Qt version, or a\n"
    "compatible one, by swapping those files; the program will use them. The source code of Qt is at\n"
    "https://download.qt.io/official_releases/qt/ and of Qt for Python at\n"
    "https://download.qt.io/official_releases/QtForPython/ (or https://code.qt.io/). Qt's own libraries\n"
    'contain further third-party code, listed in "Licenses Used in Qt": https://doc.qt.io/qt-6/licenses-used-in-qt.html'
)
FFMPEG_NOTE = (
    "The Qt Multimedia wheel (PySide6-Addons) also carries FFmpeg's libraries (libavcodec, libavformat,\n"
    "libavutil, libswresample, libswscale), built by the Qt Company under the GNU LGPL version 2.1 or later\n"
    "(text below). FFmpeg's source code: https://ffmpeg.org/download.html"
)
POCKETSPHINX_NOTE = (
    "PocketSphinx recognises the spoken commands, on this computer. Its LICENSE below covers CMU's code\n"
    "(BSD-2-Clause) and the code it includes: WebRTC's voice-activity detector (BSD-3-Clause), the Python\n"
    "WebRTC VAD code and the JSON parser jsmn (MIT), json-builder (BSD-2-Clause). It ships the US English acoustic\n"
    "model by Alpha Cephei Inc. under a BSD-2-Clause licence (the model's README, below) and the CMU\n"
    "Pronouncing Dictionary (cmudict-en-us.dict) by Carnegie Mellon University under a BSD-2-Clause licence."
)
POCKETSPHINX_MODEL_README = "pocketsphinx/model/en-us/en-us/README"
ICU_NOTE = (
    "The Qt wheel (PySide6-Essentials) also carries ICU's libraries (libicuuc, libicui18n, libicudata)\n"
    "under the ICU licence (text below)."
)


@dataclass(frozen=True)
class LicenceText:
    """One licence or notice text, with where it came from."""

    title: str
    text: str


@dataclass(frozen=True)
class Component:
    """One piece of third-party software: its name, version, licence, texts and (in a bundle) its files."""

    name: str
    version: str
    licence: str
    origin: str  # "Python distribution", "Debian package", …
    texts: tuple[LicenceText, ...] = ()
    notes: tuple[str, ...] = ()
    files: tuple[str, ...] = ()  # paths inside the bundle's _internal folder


@dataclass(frozen=True)
class Extra:
    """A note and texts a distribution's wheel lacks (files in assets/licences/), or carries outside its
    .dist-info (`own_texts`: a file of the distribution, as its RECORD names it). With `only_with`, only when a
    bundle holds such a file of it (the bundle leaves FFmpeg out); run from the wheel, always. `licence`
    replaces a licence the metadata names only vaguely ("BSD License")."""

    note: str = ""
    texts: tuple[tuple[str, str], ...] = field(default=())  # (title, file in assets/licences/)
    only_with: str = ""  # part of a file name, e.g. "libavcodec"
    own_texts: tuple[tuple[str, str], ...] = field(default=())  # (title, file of the distribution)
    licence: str = ""


_QT = Extra(texts=(("GNU Lesser General Public License, version 3", "LGPL-3.0.txt"),))
EXTRAS: dict[str, tuple[Extra, ...]] = {
    "pyside6-essentials": (_QT, Extra(ICU_NOTE, (("ICU licence", "ICU.txt"),), only_with="libicu")),
    "pyside6-addons": (
        _QT,
        Extra(
            FFMPEG_NOTE,
            (("GNU Lesser General Public License, version 2.1 (FFmpeg)", "LGPL-2.1.txt"),),
            only_with="libavcodec",
        ),
    ),
    "shiboken6": (_QT,),
    "pocketsphinx": (
        Extra(
            POCKETSPHINX_NOTE,
            own_texts=(("US English acoustic model (Alpha Cephei Inc.): README", POCKETSPHINX_MODEL_README),),
            licence="BSD-2-Clause AND BSD-3-Clause AND MIT",
        ),
    ),
}


def canonical(name: str) -> str:
    """A distribution name as the index compares them (PySide6_Essentials == pyside6-essentials)."""
    return name.lower().replace("_", "-").replace(".", "-")


def bundle_folder() -> Path | None:
    """The bundle's _internal folder when running from a PyInstaller bundle, else None."""
    root = getattr(sys, "_MEIPASS", None)
    return Path(root) if getattr(sys, "frozen", False) and root else None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def app_licence_text() -> str:
    """The app's own licence (the GPL version 3): the bundle's copy, the installed wheel's, or the checkout's."""
    candidates: list[Path] = []
    bundle = bundle_folder()
    if bundle is not None:
        candidates.append(bundle / LICENSE_FILE)
    try:
        dist = metadata.distribution(APP_DISTRIBUTION)
        candidates += [Path(str(dist.locate_file(f))) for f in dist.files or () if f.name == LICENSE_FILE]
    except metadata.PackageNotFoundError:
        pass
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file():
        candidates.append(checkout / LICENSE_FILE)
    for path in candidates:
        text = _read(path)
        if text:
            return text
    log.warning("The licence file was not found (looked in %s)", ", ".join(map(str, candidates)))
    return (
        f"{APP_NAME} is free software under the GNU General Public License, version 3 or later "
        "(https://www.gnu.org/licenses/gpl-3.0.html). The licence file was not found on this computer."
    )


def _field(meta: metadata.PackageMetadata, name: str) -> str:
    values = meta.get_all(name) or []
    return str(values[0]).strip() if values else ""


def _licence_name(meta: metadata.PackageMetadata) -> str:
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    declared = _field(meta, "License")
    if declared and "\n" not in declared and len(declared) <= 120:
        return declared
    classifiers = [
        c.rsplit(" :: ", 1)[-1] for c in meta.get_all("Classifier") or () if c.startswith("License ::")
    ]
    return " / ".join(classifiers) or "see the licence text"


def _licence_files(dist: metadata.Distribution) -> list[LicenceText]:
    """The licence files a distribution's metadata names (License-File), or any LICENSE/COPYING in its .dist-info."""
    named = list(dict.fromkeys(dist.metadata.get_all("License-File") or ()))
    texts: list[LicenceText] = []
    for name in named:
        text = dist.read_text(f"licenses/{name}") or dist.read_text(name)
        if text:
            texts.append(LicenceText(name, text))
    if texts:
        return texts
    for file in dist.files or ():
        in_info = file.parts and file.parts[0].endswith((".dist-info", ".egg-info"))
        if in_info and file.name.upper().startswith(("LICEN", "COPYING", "NOTICE")):
            text = _read(Path(str(dist.locate_file(file))))
            if text:
                texts.append(LicenceText(file.name, text))
    return texts


def distribution_component(dist: metadata.Distribution, files: Iterable[str] = ()) -> Component:
    """A Python distribution as a notices entry: its metadata's licence, its licence files and our extras."""
    name = dist.metadata["Name"]
    listed = tuple(sorted(files))
    extras = [
        extra
        for extra in EXTRAS.get(canonical(name), ())
        if not extra.only_with or not listed or any(extra.only_with in f for f in listed)
    ]
    texts = _licence_files(dist)
    for extra in extras:
        for title, file_name in extra.texts:
            text = _read(asset_path(LICENCES_FOLDER, file_name))
            if text:
                texts.append(LicenceText(title, text))
            else:
                log.warning("%s is missing from assets/%s", file_name, LICENCES_FOLDER)
        for title, own_file in extra.own_texts:
            text = _read(Path(str(dist.locate_file(own_file))))
            if text:
                texts.append(LicenceText(title, text))
            else:
                log.warning("%s is missing from the installed %s", own_file, name)
    licence = next((extra.licence for extra in extras if extra.licence), "") or _licence_name(dist.metadata)
    return Component(
        name=name,
        version=dist.version,
        licence=licence,
        origin="Python distribution (wheel)",
        texts=tuple(texts),
        notes=tuple(extra.note for extra in extras if extra.note),
        files=listed,
    )


def python_component(files: Iterable[str] = ()) -> Component:
    """The Python interpreter and its standard library (under the PSF licence), as this one ships it."""
    import sysconfig

    version = ".".join(map(str, sys.version_info[:3]))
    texts = []
    for folder in (sysconfig.get_paths()["stdlib"], Path(sys.base_prefix) / "lib"):
        text = _read(Path(folder) / "LICENSE.txt")
        if text:
            texts.append(LicenceText("LICENSE.txt", text))
            break
    return Component(
        name="Python",
        version=version,
        licence="PSF-2.0 (Python Software Foundation License)",
        origin="the Python interpreter this program was built with",
        texts=tuple(texts),
        notes=("The full licence history of Python is at https://docs.python.org/3/license.html",),
        files=tuple(sorted(files)),
    )


def runtime_components() -> list[Component]:
    """The distributions the app runs on, as installed here (run from a wheel or a checkout), and Python."""
    components = []
    for name in RUNTIME_DISTRIBUTIONS:
        try:
            components.append(distribution_component(metadata.distribution(name)))
        except metadata.PackageNotFoundError:
            log.info("%s is not installed; left out of the notices", name)
    components.append(python_component())
    return components


def format_notices(components: Sequence[Component], where: str) -> str:
    """The notices as one plain text: a header, a table of contents, then each component with its texts."""
    lines = [
        f"Third-party notices for {APP_NAME} {__version__}",
        RULE,
        "",
        f"{APP_NAME} is free software under the GNU General Public License, version 3 or later",
        f"({APP_LICENCE}); its text is in the file LICENSE. It comes with no warranty.",
        "",
        where,
        "",
        QT_NOTE,
        "",
        "Contents:",
    ]
    lines += [
        f"  {number:>2}. {c.name} {c.version}: {c.licence} ({c.origin})"
        for number, c in enumerate(components, 1)
    ]
    for number, component in enumerate(components, 1):
        lines += ["", "", RULE, f"{number}. {component.name} {component.version}", RULE]
        lines += [f"Licence: {component.licence}", f"From: {component.origin}"]
        for note in component.notes:
            lines += ["", note]
        if component.files:
            lines += ["", FILES_HEADING, *(f"    {path}" for path in component.files)]
        for text in component.texts:
            lines += ["", f"----- {text.title} -----", "", text.text.rstrip("\n")]
        if not component.texts:
            lines += ["", NO_TEXT]
    return "\n".join(lines) + "\n"


def third_party_notices() -> str:
    """The notices: the bundle's file when frozen, else built from the installed distributions' metadata."""
    bundle = bundle_folder()
    if bundle is not None:
        text = _read(bundle / NOTICES_FILE)
        if text:
            return text
        log.warning("%s is missing from the bundle", NOTICES_FILE)
    return format_notices(
        runtime_components(),
        f"{APP_NAME} is running from a Python installation. It uses the software below, each under its own "
        "licence.",
    )


def reflowed(text: str) -> str:
    """A licence text with its hand-wrapped paragraphs joined into single lines, so a window of any width
    (and large text) wraps them at its own edge instead of breaking each line in two. Blank lines, short
    lines (titles, addresses), list items and the bundle's file lists stay as they are."""
    lines: list[str] = []
    previous = ""  # the previous line as it was, before joining
    in_file_list = False  # the lines under FILES_HEADING, one file each
    for raw in text.splitlines():
        # a rule under a heading, drawn for 80 fixed-width columns, would wrap in two in the app's type
        line = raw.strip()[:RULE_SHOWN_CHARS] if raw.strip() and not set(raw.strip()) - set("=-") else raw
        in_file_list = line == FILES_HEADING or (in_file_list and line.startswith("    "))
        continues = (
            len(previous.rstrip()) >= HARD_WRAPPED_MIN_CHARS
            and line.strip()
            and not in_file_list
            and not _STARTS_ITEM.match(line)
            and set(previous.strip()) - set("=-")  # not under a rule line
        )
        if continues and lines:
            lines[-1] = lines[-1].rstrip() + " " + line.strip()
        else:
            lines.append(line)
        previous = raw
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")
