#!/usr/bin/env python3
"""Smoke test for the built bundle: it answers --version, starts offscreen, opens its data and window, and stops;
the line "Start at login" writes for it starts it too; its offline recogniser hears a spoken "pause".

    python packaging/smoke_test.py [dist/sciatica-coach/sciatica-coach]

Driven from outside, since the app has no test hook: the bundle is started with QT_QPA_PLATFORM=offscreen
and a fresh temporary data folder; once its data file exists and it is still running after a settling
pause, a second start with the same folder must find it and ask it to come to the front (so its event loop
is answering); then it is sent SIGTERM (terminate() on Windows) and must be gone within a few seconds,
leaving a readable data file, no Python traceback and no single-instance pipe in the runtime folder.

Qt's own strings (standard buttons and dialogs) in the app's languages: the bundle is started once per language
the app is translated into (LANGUAGE and LANG set to it) and once in English, and the Qt catalogues the running
app has loaded are read from /proc/PID/maps (Qt maps a .qm file into memory when it loads it; Linux only): in
German, the bundle's own translations/qtbase_de.qm; in English, none. So the check sees the frozen app itself
find and load the catalogue, without a diagnostic switch in the app. That the catalogue turns "Cancel" into
"Abbrechen" is checked on the build machine by tests/test_bundle.py.

The recogniser: the bundle has no Python to run a script with, so its hidden `--check-recogniser` option
(sciatica_coach/cli/check_recogniser.py) loads PocketSphinx and the US English model from the bundle and
decodes two seconds of silence (nothing heard, no error) and "pause" spoken by espeak-ng and resampled to
16 kHz by sox: one phrase, heard exactly as the source tree's recogniser (this Python) hears the same file, so
the check proves the bundle's recogniser is the real one whatever the recogniser's tuning makes of espeak-ng's
voice (the accuracy is measured by benchmarks/, not here). Without espeak-ng or sox, only the silence is checked.

Only the standard library is used, plus the source tree's packaging/bundle_contents.py (and the Qt-free
sciatica_coach.i18n) for the list of the app's languages.
Exit code 0 when every check passed, 1 otherwise."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "packaging"), str(ROOT)]
from bundle_contents import QT_CATALOGUES, app_languages  # noqa: E402
from private_desktop import stop as end_process  # noqa: E402

DEFAULT_EXECUTABLE = (
    ROOT / "dist" / "sciatica-coach" / ("sciatica-coach.exe" if os.name == "nt" else "sciatica-coach")
)
DATA_FILE = "sciatica-coach.json"
START_TIMEOUT_S = 60.0
SETTLE_S = 3.0
STOP_TIMEOUT_S = 15.0
COMMAND_TIMEOUT_S = 60.0
POLL_S = 0.1
SPOKEN_COMMAND = "pause"
RECOGNISER_FLAG = "--check-recogniser"


def recogniser_report(stdout: str) -> dict[str, object]:
    """The JSON line --check-recogniser printed last ({} when there is none)."""
    for line in reversed(stdout.strip().splitlines()):
        try:
            report = json.loads(line)
        except ValueError:
            continue
        if isinstance(report, dict):
            return report
    return {}


def source_hears(wav: Path) -> object:
    """What the source tree's recogniser, run by this Python, hears in `wav` (its "heard" list), or None when
    it cannot run here (no PocketSphinx in this Python)."""
    result = subprocess.run(
        [sys.executable, "-m", "sciatica_coach", RECOGNISER_FLAG, str(wav)],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_S,
    )
    return recogniser_report(result.stdout).get("heard") if result.returncode == 0 else None


def speak_to_wav(text: str, path: Path) -> bool:
    """`text` spoken by espeak-ng (US English) into `path` as 16 kHz mono 16-bit, the recogniser's input;
    False when espeak-ng or sox is missing here."""
    espeak, sox = shutil.which("espeak-ng"), shutil.which("sox")
    if espeak is None or sox is None:
        return False
    raw = path.with_suffix(".espeak.wav")
    subprocess.run([espeak, "-v", "en-us", "-s", "140", "-w", str(raw), text], check=True, timeout=60)
    convert = [sox, str(raw), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", str(path)]
    subprocess.run(convert, check=True, timeout=60)
    raw.unlink()
    return True


def source_version() -> str:
    text = (ROOT / "sciatica_coach" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise SystemExit("smoke_test.py: no __version__ in sciatica_coach/__init__.py")
    return match.group(1)


class Smoke:
    def __init__(self, executable: Path) -> None:
        self.executable = executable
        self.failures: list[str] = []

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        print(f"{'ok  ' if ok else 'FAIL'}  {what}{f'  ({detail})' if detail and not ok else ''}", flush=True)
        if not ok:
            self.failures.append(what)
        return ok

    def env(self, runtime_dir: Path) -> dict[str, str]:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(runtime_dir))
        env.pop("SCIATICA_COACH_DATA_DIR", None)
        return env

    def run(self, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.executable), *args], env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S
        )

    def version(self, env: dict[str, str]) -> None:
        started = time.monotonic()
        result = self.run(["--version"], env)
        expected = f"sciatica-coach {source_version()}"
        self.check(
            result.returncode == 0 and result.stdout.strip() == expected,
            f"--version prints '{expected}' ({time.monotonic() - started:.1f} s)",
            f"exit {result.returncode}, stdout {result.stdout!r}, stderr {result.stderr[-500:]!r}",
        )

    def recogniser(self, env: dict[str, str], folder: Path) -> None:
        """The bundle's PocketSphinx and model: silence gives nothing; a spoken command is one phrase, heard
        as the source tree hears it."""
        bundle = str(self.executable.parent)
        runs: list[tuple[str, list[str], object]] = [("two seconds of silence: nothing heard", [], [])]
        wav = folder / f"{SPOKEN_COMMAND}.wav"
        if speak_to_wav(SPOKEN_COMMAND, wav):
            expected = source_hears(wav)
            what = f'"{SPOKEN_COMMAND}" spoken by espeak-ng: one phrase, heard as the source tree hears it'
            runs.append((f"{what} ({expected})" if expected is not None else what, [str(wav)], expected))
        else:
            print(f'skip  the recogniser on "{SPOKEN_COMMAND}" spoken (no espeak-ng or sox here)')
        for what, args, expected in runs:
            started = time.monotonic()
            result = self.run([RECOGNISER_FLAG, *args], env)
            report = recogniser_report(result.stdout)
            heard = report.get("heard")
            model = str(report.get("model") or "")
            as_expected = heard == [] if not args else isinstance(heard, list) and len(heard) == 1
            if args and expected is not None:
                as_expected = as_expected and heard == expected
            self.check(
                result.returncode == 0 and model.startswith(bundle) and as_expected,
                f"the bundle's recogniser and model, {what} ({time.monotonic() - started:.1f} s)",
                f"exit {result.returncode}, stdout {result.stdout[-300:]!r}, stderr {result.stderr[-500:]!r}",
            )

    def window(self, env: dict[str, str], data_dir: Path, log_path: Path) -> None:
        data_file = data_dir / DATA_FILE
        with log_path.open("w+", encoding="utf-8", errors="replace") as log:
            started = time.monotonic()
            app = subprocess.Popen(
                [str(self.executable), "--data-dir", str(data_dir)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                while not data_file.exists() and app.poll() is None:
                    if time.monotonic() - started > START_TIMEOUT_S:
                        break
                    time.sleep(POLL_S)
                opened_s = time.monotonic() - started
                if not self.check(data_file.exists(), f"starts and creates its data file ({opened_s:.1f} s)"):
                    return
                time.sleep(SETTLE_S)
                if not self.check(app.poll() is None, f"still running {SETTLE_S:.0f} s later (window open)"):
                    return
                second = self.run(["--data-dir", str(data_dir)], env)
                self.check(
                    second.returncode == 0 and "already open" in second.stdout,
                    "a second start finds the running window and brings it to the front",
                    f"exit {second.returncode}, stdout {second.stdout!r}, stderr {second.stderr[-300:]!r}",
                )
                self.stop(app)
                left = sorted(p.name for p in Path(env["XDG_RUNTIME_DIR"]).glob("*.pipe"))
                self.check(not left, "removes its single-instance pipe when it stops", ", ".join(left))
            finally:
                if app.poll() is None:
                    app.kill()
                    app.wait()
            log.seek(0)
            output = log.read()
        self.check("Traceback" not in output, "no Python traceback in its output", output[-2000:])
        try:
            json.loads(data_file.read_text(encoding="utf-8"))
            readable = True
        except (OSError, ValueError):
            readable = False
        self.check(readable, "leaves a readable data file")

    def login_start(self, env: dict[str, str], data_dir: Path) -> None:
        """The line "Start at login" writes for the bundle (platform/autostart.launch_command when frozen):
        the executable itself, the data folder, --background. It must start and keep waiting."""
        started = time.monotonic()
        app = subprocess.Popen(
            [str(self.executable), "--data-dir", str(data_dir), "--background"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            while not (data_dir / DATA_FILE).exists() and app.poll() is None:
                if time.monotonic() - started > START_TIMEOUT_S:
                    break
                time.sleep(POLL_S)
            time.sleep(SETTLE_S)
            running = app.poll() is None
            detail = "" if running else (app.stderr.read() if app.stderr else "")[-500:]
            self.check(
                running and (data_dir / DATA_FILE).exists(),
                "the login start line (--data-dir DIR --background) opens DIR and keeps running",
                f"exit {app.returncode}, stderr {detail!r}",
            )
        finally:
            end_process(app, STOP_TIMEOUT_S)

    def qt_catalogues(self, env: dict[str, str], data_dir: Path, language: str) -> None:
        """Started in `language`, the running bundle has loaded Qt's own catalogue for it from the bundle (for
        English: no Qt catalogue at all)."""
        maps_of = Path("/proc/self/maps")
        if not maps_of.exists():
            print(f"skip  Qt's own strings in {language} (no /proc/PID/maps to read here)")
            return
        env = dict(env, LANGUAGE=language, LANG=language)
        env.pop("LC_ALL", None)
        env.pop("LC_MESSAGES", None)
        app = subprocess.Popen(
            [str(self.executable), "--data-dir", str(data_dir)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            started = time.monotonic()
            while not (data_dir / DATA_FILE).exists() and app.poll() is None:
                if time.monotonic() - started > START_TIMEOUT_S:
                    break
                time.sleep(POLL_S)
            time.sleep(SETTLE_S / 3)  # the window is up: the stored language setting has been applied
            try:
                maps = Path(f"/proc/{app.pid}/maps").read_text(encoding="utf-8", errors="replace")
            except OSError:
                maps = ""
            bundle = str(self.executable.parent)
            loaded = sorted(
                {line.split(None, 5)[-1] for line in maps.splitlines() if line.rstrip().endswith(".qm")}
            )
            if language == "en":
                self.check(
                    bool(maps) and not loaded,
                    "Qt's own strings in English: no Qt catalogue loaded",
                    f"loaded: {loaded}" if maps else "the app was not running",
                )
                return
            expected = [f"{catalogue}_{language}.qm" for catalogue in QT_CATALOGUES]
            found = [
                name
                for name in expected
                if any(path.startswith(bundle) and path.endswith(f"/translations/{name}") for path in loaded)
            ]
            self.check(
                found == expected,
                f"Qt's own strings in {language}: the bundle's {', '.join(expected)} loaded",
                f"loaded: {loaded}" if maps else "the app was not running",
            )
        finally:
            end_process(app, STOP_TIMEOUT_S)

    def stop(self, app: subprocess.Popen[bytes]) -> None:
        started = time.monotonic()
        app.terminate()  # SIGTERM on POSIX
        try:
            code = app.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.check(False, f"exits within {STOP_TIMEOUT_S:.0f} s of SIGTERM")
            return
        # The app quits its event loop on SIGTERM once it is up (app.quit_on_termination): exit code 0; a
        # SIGTERM during start-up still ends it by the signal.
        clean_codes = {0} if os.name == "nt" else {0, -signal.SIGTERM}
        self.check(
            code in clean_codes,
            f"exits on SIGTERM ({time.monotonic() - started:.1f} s, exit code {code})",
            f"exit code {code}",
        )


def main(argv: list[str]) -> int:
    executable = Path(argv[0]).resolve() if argv else DEFAULT_EXECUTABLE
    if not executable.is_file():
        print(f"smoke_test.py: no bundle at {executable}; build it with: python packaging/build.py")
        return 1
    print(f"Smoke test of {executable}")
    smoke = Smoke(executable)
    with tempfile.TemporaryDirectory(prefix="sciatica-smoke-") as tmp:
        runtime_dir = Path(tmp) / "runtime"
        runtime_dir.mkdir(mode=0o700)
        env = smoke.env(runtime_dir)
        smoke.version(env)
        smoke.recogniser(env, Path(tmp))
        smoke.window(env, Path(tmp) / "data", Path(tmp) / "app.log")
        smoke.login_start(env, Path(tmp) / "login data")
        for language in ("en", *app_languages()):
            smoke.qt_catalogues(env, Path(tmp) / f"data {language}", language)
    if smoke.failures:
        print(f"Smoke test FAILED: {len(smoke.failures)} check(s) failed.")
        return 1
    print("Smoke test passed.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
