"""Speech and sound engines in their own processes: a hung or failing engine never blocks the caller, is
reported once and switched off for the run. With a fake engine (tests/platform/fake_engine.py); with the
real speech-dispatcher + espeak-ng on a machine without sound output, where it is installed; and with the
real QtMultimedia facing a sound server that accepts a connection and never answers."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sciatica_coach.platform import worker_process
from sciatica_coach.platform.worker_process import (
    SOUND_FAILED,
    SOUND_HUNG,
    SPEECH_FAILED,
    SPEECH_HUNG,
    SoundProcess,
    SpeechProcess,
    WorkerProcess,
    worker_command,
)
from tests.helpers import CHILD_PYTHONPATH

FAKE_ENGINE = Path(__file__).with_name("fake_engine.py")


def fake_command(mode: str) -> list[str]:
    return [sys.executable, str(FAKE_ENGINE), mode]


def wait_for(condition, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    """Poll a real process's effect until a deadline (never a blind sleep)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def speeches() -> Iterator[list[WorkerProcess]]:
    made: list[WorkerProcess] = []
    yield made
    for speech in made:
        speech.close()


def make(made: list[WorkerProcess], mode: str, kind: str = "speech", **timeouts: float):  # type: ignore[no-untyped-def]
    told: list[str] = []
    adapter = SoundProcess if kind == "sound" else SpeechProcess
    speech = adapter(fake_command(mode), on_failure=told.append, on_ready=None, **timeouts)
    made.append(speech)
    return speech, told


def use(adapter: WorkerProcess, n: int) -> None:
    """What a session asks of the adapter: a spoken cue or a beep."""
    if isinstance(adapter, SoundProcess):
        adapter.play(f"tick {n}")
    else:
        assert isinstance(adapter, SpeechProcess)
        adapter.say(f"Cue {n}.")


def test_a_working_engine_gets_the_phrases_and_sounds(speeches, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "said.txt"
    monkeypatch.setenv("FAKE_SPEECH_LOG", str(log))
    speech, told = make(speeches, "works")
    speech.set_volume(150)
    speech.say("Hold.")
    wait_for(lambda: log.exists() and "Hold." in log.read_text())
    speech.say("Relax.")
    wait_for(lambda: "Relax." in log.read_text())
    assert speech.available and told == [] and speech.engine_name == "fake"
    assert speech.spoken == ["Hold.", "Relax."]
    sound, told = make(speeches, "works", "sound")
    sound.play("hold-start")
    wait_for(lambda: "hold-start" in log.read_text())
    assert sound.available and told == []


@pytest.mark.parametrize("kind", ["speech", "sound"])
@pytest.mark.parametrize(
    ("mode", "timeouts"),
    [
        ("hangs", {"call_timeout": 0.3}),
        ("hangs-at-start", {"start_timeout": 0.5}),
        ("fails", {}),
        ("fails-at-start", {}),
    ],
)
def test_a_hung_or_failing_engine_is_reported_once_and_switched_off(  # type: ignore[no-untyped-def]
    speeches, caplog, kind: str, mode: str, timeouts: dict[str, float]
) -> None:
    notices = {"speech": (SPEECH_HUNG, SPEECH_FAILED), "sound": (SOUND_HUNG, SOUND_FAILED)}[kind]
    notice = notices[0] if mode.startswith("hangs") else notices[1]
    with caplog.at_level(logging.WARNING, logger=worker_process.__name__):
        speech, told = make(speeches, mode, kind, **timeouts)
        longest = 0.0
        for n in range(200):  # cues keep coming while the engine hangs: each returns at once
            started = time.perf_counter()
            use(speech, n)
            longest = max(longest, time.perf_counter() - started)
            if not speech.available:
                break
            time.sleep(0.02)
        wait_for(lambda: told != [])
        for n in range(5):  # and after it is off: silence, no second report
            use(speech, n)
        speech.set_volume(20)
    assert told == [notice] and speech.failure == notice and not speech.available
    assert len([r for r in caplog.records if "is off for this run" in r.getMessage()]) == 1
    assert longest < 0.05, f"say() blocked for {longest * 1000:.0f} ms"
    proc = speech._proc
    assert proc is not None
    wait_for(lambda: proc.poll() is not None)  # the hung worker was killed


def test_close_never_waits_for_a_hung_engine(speeches) -> None:  # type: ignore[no-untyped-def]
    speech, told = make(speeches, "hangs", call_timeout=60)
    speech.say("Hold.")
    proc = speech._proc
    assert proc is not None
    wait_for(lambda: proc.poll() is None and speech.engine_name == "fake")
    started = time.perf_counter()
    speech.close()
    assert time.perf_counter() - started < 0.5
    wait_for(lambda: proc.poll() is not None)
    assert told == [], "quitting is not a failure to report"


def test_a_missing_worker_program_means_silence(caplog) -> None:  # type: ignore[no-untyped-def]
    told: list[str] = []
    speech = SpeechProcess(["/nonexistent/speech-worker"], on_failure=told.append)
    speech.say("Hold.")
    assert not speech.available and told == [SPEECH_FAILED]


# ---- the real speech-dispatcher ---------------------------------------------------------------------------

# A window thread with a 100 ms repaint timer that says a cue on every tick through the app's own speech
# (create_speech): prints the longest say() and the longest gap between ticks, and the notice if any.
PROBE = """
import json, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sciatica_coach.platform.speech import create_speech

app = QApplication([])
told = []
speech = create_speech("en_GB", 80, on_failure=told.append)
result = {"kind": type(speech).__name__, "say_ms": 0.0, "gap_ms": 0.0, "cues": 0}
last = [time.perf_counter()]
end_at = [None]

def tick():
    now = time.perf_counter()
    result["gap_ms"] = max(result["gap_ms"], (now - last[0]) * 1000)
    started = time.perf_counter()
    speech.say("Hold. Three, two, one. Relax.")
    result["say_ms"] = max(result["say_ms"], (time.perf_counter() - started) * 1000)
    result["cues"] += 1
    last[0] = time.perf_counter()
    if told and end_at[0] is None:
        end_at[0] = result["cues"] + 10  # ten more cues after speech went off
    if result["cues"] >= (end_at[0] or 250):
        app.quit()

timer = QTimer()
timer.timeout.connect(tick)
timer.start(100)
app.exec()
result["told"] = told
close_started = time.perf_counter()
getattr(speech, "close", lambda: None)()
result["close_ms"] = (time.perf_counter() - close_started) * 1000
print(json.dumps(result), flush=True)
"""


def dispatchers_under(folder: Path) -> list[int]:
    """speech-dispatcher daemons (and their engine modules) this test's private runtime folder started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            environ = (entry / "environ").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if ("speech-dispatcher" in cmdline or "sd_" in cmdline) and str(folder) in cmdline + environ:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(
    shutil.which("speech-dispatcher") is None or not sys.platform.startswith("linux"),
    reason="speech-dispatcher is not installed (apt-get install speech-dispatcher espeak-ng)",
)
@pytest.mark.slow
def test_real_speech_dispatcher_without_sound_never_blocks_the_window(tmp_path: Path) -> None:
    runtime = Path(os.environ["XDG_RUNTIME_DIR"])  # private to this test (conftest): its own dispatcher
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": CHILD_PYTHONPATH}
    probe = subprocess.Popen(
        [sys.executable, "-c", PROBE], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
    )
    try:
        deadline = time.monotonic() + 90
        while probe.poll() is None:
            assert time.monotonic() < deadline, "the window thread hung on the speech engine"
            time.sleep(0.1)
        out = probe.stdout.read() if probe.stdout else ""
    finally:
        if probe.poll() is None:
            probe.kill()
        probe.wait()
        if probe.stdout is not None:
            probe.stdout.close()
        for pid in dispatchers_under(runtime):  # a hung dispatcher ignores SIGTERM
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    result = json.loads(out.strip().splitlines()[-1])
    if result["kind"] == "NullSpeech":
        pytest.skip("Qt has no speech-dispatcher plugin here")
    assert result["kind"] == "SpeechProcess"
    assert result["say_ms"] < 100, result
    assert result["gap_ms"] < 1000, result  # the 100 ms timer kept ticking (a loaded CI machine may lag)
    assert result["close_ms"] < 100, result
    # On a machine without sound the dispatcher stops answering after its first cue: reported once
    assert result["told"] in ([], [SPEECH_HUNG], [SPEECH_FAILED]), result


# ---- the real QtMultimedia facing a sound server that never answers -----------------------------------------


@pytest.fixture
def silent_sound_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A PulseAudio socket that accepts connections and never says a word (a hung sound server)."""
    import socket
    import threading

    path = tmp_path / "pulse.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.listen(8)
    held: list[socket.socket] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                held.append(server.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    monkeypatch.setenv("PULSE_SERVER", f"unix:{path}")
    yield path
    server.close()
    for connection in held:
        connection.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="QtMultimedia uses PulseAudio on Linux")
def test_a_sound_server_that_never_answers_costs_the_caller_nothing(speeches, silent_sound_server) -> None:  # type: ignore[no-untyped-def]
    told: list[str] = []
    # The real worker and QtMultimedia: asking for the audio outputs waits 30 s on this server (it used to
    # do that in the window thread as a session started); the worker's start watchdog gives up sooner.
    sound = SoundProcess(worker_command("sound", None, 80), start_timeout=2.0, on_failure=told.append)
    speeches.append(sound)
    longest = 0.0
    deadline = time.monotonic() + 20
    while not told and time.monotonic() < deadline:  # beeps keep coming: each returns at once
        started = time.perf_counter()
        sound.play("tick")
        longest = max(longest, time.perf_counter() - started)
        time.sleep(0.05)
    wait_for(lambda: told != [], 20)
    assert told == [SOUND_HUNG] and not sound.available
    assert longest < 0.05, f"play() blocked for {longest * 1000:.0f} ms"
    proc = sound._proc
    assert proc is not None
    wait_for(lambda: proc.poll() is not None)
