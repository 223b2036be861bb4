"""What the PyInstaller bundle holds and leaves out: plain data shared by sciatica-coach.spec and the tests.

Kept small on purpose. Every exclusion here was measured against the app (tests/test_packaging.py imports
every sciatica_coach module and draws a pyqtgraph plot with these modules blocked), and every kept Qt plugin
has a reason beside it."""

from __future__ import annotations

import posixpath
import struct
from functools import cache
from pathlib import Path

# Imported lazily or by name at run time, so PyInstaller's import scan can't see them (all sciatica_coach
# submodules are added as well: CLI subcommands and window pages are imported by name).
HIDDEN_IMPORTS = (
    "PySide6.QtMultimedia",  # platform/sound.py
    "PySide6.QtTextToSpeech",  # platform/speech.py
    "PySide6.QtSvg",  # illustrations and the icon
    "PySide6.QtDBus",  # platform/screen.py (screen lock)
    "PySide6.QtNetwork",  # platform/single_instance.py: QLocalServer on Windows (a named pipe elsewhere)
    "pyqtgraph",  # views/charts.py, Progress page
    "pocketsphinx",  # platform/recogniser.py, voice commands (its model: RECOGNISER_MODEL below)
)

# Qt for Python modules the app never imports. PyInstaller's PySide6 and pyqtgraph hooks would otherwise
# pull several in (each with its Qt library, plugins and translations). pyqtgraph itself needs QtOpenGL and
# QtOpenGLWidgets at import time, so those two stay.
EXCLUDED_QT_MODULES = tuple(
    f"PySide6.{name}"
    for name in [
        "Qt3DAnimation",
        "Qt3DCore",
        "Qt3DExtras",
        "Qt3DInput",
        "Qt3DLogic",
        "Qt3DRender",
        "QtAxContainer",
        "QtBluetooth",
        "QtCharts",
        "QtDataVisualization",
        "QtDesigner",
        "QtGraphs",
        "QtGraphsWidgets",
        "QtHelp",
        "QtHttpServer",
        "QtLocation",
        "QtMultimediaWidgets",
        "QtNetworkAuth",
        "QtNfc",
        "QtPdf",
        "QtPdfWidgets",
        "QtPositioning",
        "QtPrintSupport",
        "QtQml",
        "QtQuick",
        "QtQuick3D",
        "QtQuickControls2",
        "QtQuickTest",
        "QtQuickWidgets",
        "QtRemoteObjects",
        "QtScxml",
        "QtSensors",
        "QtSerialBus",
        "QtSerialPort",
        "QtSpatialAudio",
        "QtSql",
        "QtStateMachine",
        "QtSvgWidgets",
        "QtTest",
        "QtUiTools",
        "QtWebChannel",
        "QtWebEngineCore",
        "QtWebEngineQuick",
        "QtWebEngineWidgets",
        "QtWebSockets",
        "QtWebView",
        "QtXml",
    ]
)

EXCLUDED_PYTHON_MODULES = (
    # other Qt bindings pyqtgraph could use
    "PyQt5",
    "PyQt6",
    "PySide2",
    # pyqtgraph's optional parts the charts don't use
    "pyqtgraph.opengl",
    "pyqtgraph.examples",
    "pyqtgraph.console",
    "pyqtgraph.jupyter",
    "pyqtgraph.canvas",
    "pyqtgraph.flowchart",
    "OpenGL",
    "matplotlib",
    "scipy",
    "pandas",
    "h5py",
    "IPython",
    "tkinter",
    "_tkinter",
    "pytest",
    "setuptools",
    # no network access at all: no TLS, so no OpenSSL (hashlib falls back to its built-in sha1/sha256)
    "ssl",
    "_ssl",
    "_hashlib",
    # pocketsphinx depends on sounddevice (and so cffi) for its LiveSpeech class only; the app hears the
    # microphone through Qt Multimedia (platform/listener.py) and imports neither
    "sounddevice",
    "_sounddevice",
    "_sounddevice_data",
    "cffi",
    "_cffi_backend",
    "pycparser",
)

# PocketSphinx's US English model (its wheel's pocketsphinx/model/en-us/), which PyInstaller does not collect
# by itself (there is no hook for pocketsphinx): the acoustic model folder, the pronunciation dictionary and
# the small phone language model go into the bundle. The 27 MB word language model en-us.lm.bin stays out:
# the app decodes against a grammar of the few phrases a screen listens for (platform/recogniser.py), never
# against that language model.
RECOGNISER_MODEL = "pocketsphinx/model"
RECOGNISER_MODEL_LEFT_OUT = ("pocketsphinx/model/en-us/en-us.lm.bin", "pocketsphinx/model/CMakeLists.txt")
# What the recogniser loads (platform/recogniser.find_model) and the model's licence (its README), checked
# in the bundle by packaging/build.py; the smoke test decodes a spoken command with them.
REQUIRED_IN_BUNDLE = (
    "pocketsphinx/model/en-us/en-us/mdef",
    "pocketsphinx/model/en-us/en-us/means",
    "pocketsphinx/model/en-us/en-us/README",
    "pocketsphinx/model/en-us/cmudict-en-us.dict",
    "pocketsphinx/model/en-us/en-us-phone.lm.bin",
)
# Files (by the start of their path in the bundle) and Python modules (in its PYZ archive) that must not be in
# the bundle (checked by packaging/build.py after building).
UNWANTED_FILES = (*RECOGNISER_MODEL_LEFT_OUT, "_cffi_backend", "_sounddevice_data/")
UNWANTED_MODULES = ("sounddevice", "_sounddevice", "cffi", "pycparser")

# Qt plugins (paths below PySide6/Qt/plugins) dropped after PyInstaller's Qt hooks collected them; the
# libraries only they linked against are pruned too. Kept: platforms xcb, wayland, offscreen, minimal
# (cocoa on macOS, windows on Windows), imageformats svg/ico/icns/jpeg/gif, iconengines svg, texttospeech,
# platforminputcontexts (compose key, IBus), platformthemes xdgdesktopportal, xcbglintegrations, wayland-*.
EXCLUDED_PLUGINS = (
    # QSoundEffect plays WAVs through Qt Multimedia's own PulseAudio/PipeWire (Linux), WASAPI or CoreAudio
    # code without any backend plugin (measured here: the sounds play with plugins/multimedia removed). The
    # FFmpeg backend is for media players; it costs ~20 MB of FFmpeg and links QtQuick and QtQml.
    "multimedia/",
    "tls/",  # no network access at all, so no TLS backends
    "networkinformation/",
    "networkaccess/",
    "egldeviceintegrations/",  # only for eglfs on kiosk hardware
    "generic/",  # evdev/tuio raw input for eglfs/linuxfb
    "platforms/libqeglfs",
    "platforms/libqlinuxfb",
    "platforms/libqminimalegl",
    "platforms/libqvnc",
    "platforms/libqvkkhrdisplay",
    "platforms/qdirect2d",
    "platformthemes/libqgtk3",  # would bundle the build machine's GTK stack; the portal theme stays
    "platforminputcontexts/libqtvirtualkeyboardplugin",  # needs QtQuick
    "wayland-graphics-integration-client/libdmabuf-server",  # these four: only inside a Qt-made compositor
    "wayland-graphics-integration-client/libdrm-egl-server",
    "wayland-graphics-integration-client/libshm-emulation-server",
    "wayland-graphics-integration-client/libvulkan-server",
    "wayland-shell-integration/libfullscreen-shell-v1",
    "wayland-shell-integration/libivi-shell",  # in-car shells
    "imageformats/libqpdf",  # needs QtPdf
    "imageformats/qpdf",
    "imageformats/libqtiff",
    "imageformats/qtiff",
    "imageformats/libqwebp",
    "imageformats/qwebp",
    "imageformats/libqtga",
    "imageformats/qtga",
    "imageformats/libqwbmp",
    "imageformats/qwbmp",
    "texttospeech/libqtexttospeech_mock",
    "texttospeech/qtexttospeech_mock",
)

# Shared libraries PyInstaller's QtNetwork hook adds for Qt's TLS plugin (which is dropped). Kept after all
# if anything that stays links against them.
EXCLUDED_LIBRARIES = ("libssl", "libcrypto")

# Big Qt parts that must never end up in the bundle (checked by packaging/build.py after building).
FORBIDDEN_IN_BUNDLE = (
    "WebEngine",
    "Quick",
    "Qml",
    "Qt63D",
    "Charts",
    "DataVisualization",
    "Graphs",
    "Pdf",
    "WebSockets",
    "Bluetooth",
    "Designer",
    "avcodec",
    "ffmpegmediaplugin",
    "opensslbackend",
)

# Plugins the bundle must keep, by folder and name start (checked by packaging/build.py after building).
REQUIRED_PLUGINS_BY_PLATFORM = {
    "linux": (
        "platforms/libqxcb",
        "platforms/libqwayland",
        "platforms/libqoffscreen",
        "imageformats/libqsvg",
        "iconengines/libqsvgicon",
        "texttospeech/libqtexttospeech_speechd",
    ),
    "win32": ("platforms/qwindows", "platforms/qoffscreen", "imageformats/qsvg", "iconengines/qsvgicon"),
    "darwin": (
        "platforms/libqcocoa",
        "platforms/libqoffscreen",
        "imageformats/libqsvg",
        "iconengines/libqsvgicon",
    ),
}


# Qt's own catalogues the app loads for its languages (platform/locale_support.py: the "qtbase" one, which
# translates the standard dialogs and buttons). qtbase_<lang>.qm depends on no other catalogue (the qt_<lang>.qm
# meta-catalogue, which the app does not load, would pull in qtmultimedia_<lang>.qm too); build.py checks that
# every kept catalogue's dependencies are kept.
QT_CATALOGUES = ("qtbase",)
APP_TRANSLATIONS = Path(__file__).resolve().parent.parent / "assets" / "translations"

QM_MAGIC = bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")
QM_DEPENDENCIES_TAG = 0x96


@cache
def app_languages(folder: Path = APP_TRANSLATIONS) -> tuple[str, ...]:
    """The languages the app is translated into, as its language setting lists them, without English (the
    source language, which loads no Qt catalogue)."""
    from sciatica_coach.i18n import SOURCE_LANGUAGE, available_languages

    return tuple(code for code, _name in available_languages(folder) if code != SOURCE_LANGUAGE)


def wanted_qt_catalogue(base: str, languages: tuple[str, ...]) -> bool:
    """Whether Qt's catalogue `base` (e.g. "qtbase_de.qm", "qtbase_pt_BR.qm") is one the app loads."""
    stem = base.removesuffix(".qm")
    return any(
        stem == f"{catalogue}_{language}" or stem.startswith(f"{catalogue}_{language}_")
        for catalogue in QT_CATALOGUES
        for language in languages
    )


def qm_dependencies(data: bytes) -> list[str]:
    """The catalogues (e.g. "qtbase_de") a Qt .qm file loads along with itself, read from its Dependencies
    block (Qt's qtranslator.cpp: magic, then blocks of a tag byte and a big-endian 32-bit length)."""
    if not data.startswith(QM_MAGIC):
        raise ValueError("not a Qt .qm catalogue")
    found: list[str] = []
    at = len(QM_MAGIC)
    while at + 5 <= len(data):
        tag, length = data[at], struct.unpack(">I", data[at + 1 : at + 5])[0]
        block = data[at + 5 : at + 5 + length]
        at += 5 + length
        if tag != QM_DEPENDENCIES_TAG:
            continue
        pos = 0
        while pos + 4 <= len(block):
            size = struct.unpack(">I", block[pos : pos + 4])[0]
            found.append(block[pos + 4 : pos + 4 + size].decode("utf-16-be"))
            pos += 4 + size
    return found


def normalised(path: str) -> str:
    return path.replace("\\", "/")


def dangling_links(entries: list[tuple[str, str, str]]) -> set[str]:
    """The symlink entries (PyInstaller's TOC: dest, target relative to dest's folder, "SYMLINK") whose target
    is not in `entries`: left pointing at a library the pruning took out. Links to links are followed; a link
    to a folder is fine if anything lies below it."""
    files = {normalised(dest) for dest, _src, kind in entries if kind != "SYMLINK"}
    links = {
        normalised(dest): posixpath.normpath(
            posixpath.join(posixpath.dirname(normalised(dest)), normalised(src))
        )
        for dest, src, kind in entries
        if kind == "SYMLINK"
    }

    def present(path: str) -> bool:
        return path in files or any(name.startswith(f"{path}/") for name in files)

    good: set[str] = set()
    changed = True
    while changed:  # a link is good once its target is a file, a folder or a good link
        changed = False
        for link, target in links.items():
            if link not in good and (present(target) or target in good):
                good.add(link)
                changed = True
    return {dest for dest, _src, kind in entries if kind == "SYMLINK" and normalised(dest) not in good}


def wanted(dest: str) -> bool:
    """Whether a file PyInstaller collected (by its path inside the bundle) belongs in the bundle."""
    dest = normalised(dest)
    if "/plugins/" in dest and dest.split("/plugins/", 1)[1].startswith(EXCLUDED_PLUGINS):
        return False
    if dest in RECOGNISER_MODEL_LEFT_OUT:
        return False
    base = dest.rsplit("/", 1)[-1]
    if "/" not in dest and base.lower().startswith(EXCLUDED_LIBRARIES):
        return False
    # Qt's own .qm catalogues: only those the app's languages load (see QT_CATALOGUES); 60 MB in all.
    if "/translations/" in dest and base.endswith(".qm"):
        return wanted_qt_catalogue(base, app_languages())
    return not base.startswith(".keep")
