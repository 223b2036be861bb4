"""The real listening worker with a real microphone: QtMultimedia's QAudioSource recording from a private
PulseAudio server (tests/pulse_server.py) whose microphone is fed espeak-ng's "pause" in real time. The worker
hears it while a session listens, keeps the microphone open only between "listen" and "quiet", and on a machine
with no sound server, or one that never answers, says so within its start timeout and never hangs.

Qt 6.11 on Linux records through PulseAudio (PipeWire only when QT_AUDIO_BACKEND=pipewire is asked for, which
the tests unset); PulseAudio's own compatibility layer on PipeWire desktops is the same protocol."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sciatica_coach.core.voice import Asking
from sciatica_coach.platform.listener import (
    LISTEN_FAILED,
    LISTEN_HUNG,
    LISTEN_MISSING,
    MICROPHONE_SILENT_S,
    ListenProcess,
    create_listener,
)
from sciatica_coach.platform.worker_process import START_TIMEOUT_S, ServiceState, worker_command
from tests import pulse_server
from tests.platform.test_worker_process import silent_sound_server, wait_for  # noqa: F401 (a fixture, used by name)
from tests.voice_audio import require_tools

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="QtMultimedia uses PulseAudio on Linux"),
    pytest.mark.slow,
]
HEAR_S = 30.0  # from the end of "pause" to its line: well under a second here; a loaded CI machine more


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[pulse_server.PulseServer]:
    reason = pulse_server.missing()
    if reason is not None:
        pytest.skip(reason)
    monkeypatch.delenv("QT_AUDIO_BACKEND", raising=False)
    # a short folder: the server's socket path must fit in 107 bytes
    with (
        tempfile.TemporaryDirectory(prefix="pulse-") as folder,
        pulse_server.pulse_server(Path(folder)) as running,
    ):
        for name, value in running.env.items():
            monkeypatch.setenv(name, value)
        yield running


@pytest.fixture
def no_sound_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No sound server at all, and none started on demand: libpulse looks in the private XDG_RUNTIME_DIR
    (conftest), finds nothing, and must not autospawn a daemon of the user's."""
    client = tmp_path / "client.conf"
    client.write_text("autospawn = no\n", encoding="utf-8")
    monkeypatch.setenv("PULSE_CLIENTCONFIG", str(client))
    monkeypatch.delenv("PULSE_SERVER", raising=False)
    monkeypatch.delenv("QT_AUDIO_BACKEND", raising=False)


def spoken_pcm(words: str) -> bytes:
    """`words` spoken by espeak-ng (US English), as raw 16 kHz mono 16-bit."""
    require_tools()
    wav = subprocess.run(
        ["espeak-ng", "-v", "en-us", "--stdout", words], check=True, capture_output=True, timeout=60
    ).stdout
    return subprocess.run(
        [
            "sox",
            "-t",
            "wav",
            "-",
            "-t",
            "raw",
            "-r",
            "16000",
            "-c",
            "1",
            "-b",
            "16",
            "-e",
            "signed-integer",
            "-",
        ],
        input=wav,
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout


class Worker:
    """The real listening worker as a plain process: requests in, its protocol lines out (read in a thread)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            worker_command("listen", "en_US", 0),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self._sent = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put("(ended)")

    def next_line(self, seconds: float) -> str:
        try:
            return self.lines.get(timeout=seconds)  # waits on the real process, up to a deadline
        except queue.Empty:
            return "(nothing)"

    def send(self, op: str, **fields: object) -> str:
        """Send a request and return its answer ("ok N"), or the first other line that came instead."""
        assert self.proc.stdin is not None
        self._sent += 1
        self.proc.stdin.write(json.dumps({"id": self._sent, "op": op, **fields}) + "\n")
        self.proc.stdin.flush()
        return self.next_line(HEAR_S)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()


@pytest.fixture
def start_worker() -> Iterator[type[Worker]]:
    """Starts workers (with the environment as the test has set it by then) and ends them after the test."""
    started: list[Worker] = []

    class Started(Worker):
        def __init__(self) -> None:
            super().__init__()
            started.append(self)

    yield Started
    for each in started:
        each.close()


def test_the_real_microphone_hears_pause_while_a_session_listens(server, start_worker) -> None:  # type: ignore[no-untyped-def]
    pause, three = spoken_pcm("pause"), spoken_pcm("three")
    worker = start_worker()
    assert worker.next_line(START_TIMEOUT_S) == "ready pocketsphinx"
    assert server.recording_streams() == 0, "the microphone is closed until a screen listens"
    assert worker.send("listen", asking="session") == "ok 1"
    wait_for(lambda: server.recording_streams() == 1)
    server.microphone.say(pause)
    assert worker.next_line(HEAR_S) == "heard session pause"
    assert worker.send("quiet") == "ok 2"
    wait_for(lambda: server.recording_streams() == 0)  # closed again: nothing is recorded between screens
    server.microphone.say(pause)  # said while nothing listens: gone
    assert worker.send("listen", asking="number") == "ok 3"
    wait_for(lambda: server.recording_streams() == 1)
    server.microphone.say(three)
    assert worker.next_line(HEAR_S) == "heard number three", (
        "the next thing heard is what was said after 'listen'"
    )
    assert worker.send("quiet") == "ok 4"
    assert worker.lines.empty()


def test_the_app_hears_pause_through_the_real_microphone(server) -> None:  # type: ignore[no-untyped-def]
    pause = spoken_pcm("pause")
    heard: list[tuple[str, str]] = []
    told: list[str] = []
    listener = create_listener("en_US", on_heard=lambda *words: heard.append(words), on_failure=told.append)
    assert isinstance(listener, ListenProcess)
    try:
        wait_for(lambda: listener.state is not ServiceState.CHECKING, START_TIMEOUT_S)
        listener.listen(Asking.SESSION)
        wait_for(lambda: server.recording_streams() == 1)
        server.microphone.say(pause)
        wait_for(lambda: heard != [] or told != [], HEAR_S)
    finally:
        listener.close()
    assert heard == [("session", "pause")] and told == []


def test_with_no_sound_server_the_worker_says_no_microphone_at_once(no_sound_server, start_worker) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    worker = start_worker()
    answer = worker.next_line(START_TIMEOUT_S)
    took = time.monotonic() - started
    assert answer == "missing no microphone"
    assert took < START_TIMEOUT_S
    wait_for(lambda: worker.proc.poll() is not None)  # and it ends


def test_with_no_sound_server_the_app_is_told_plainly(no_sound_server) -> None:  # type: ignore[no-untyped-def]
    told: list[str] = []
    listener = create_listener("en_US", on_failure=told.append)
    assert isinstance(listener, ListenProcess)
    try:
        listener.listen(Asking.SESSION)  # asked before the worker knows: returns at once all the same
        wait_for(lambda: told != [], START_TIMEOUT_S)
    finally:
        listener.close()
    assert told == [LISTEN_MISSING] and listener.state is ServiceState.MISSING


@pytest.mark.usefixtures("silent_sound_server")
def test_a_sound_server_that_never_answers_switches_listening_off() -> None:
    # QtMultimedia waits 30 s on such a server for the list of microphones; the worker's start watchdog is
    # sooner, and the caller never waits for either.
    told: list[str] = []
    listener = ListenProcess(worker_command("listen", "en_US", 0), on_failure=told.append, start_timeout=2.0)
    try:
        longest = 0.0
        deadline = time.monotonic() + 20
        while not told and time.monotonic() < deadline:
            started = time.perf_counter()
            listener.listen(Asking.SESSION)
            listener.quiet()
            longest = max(longest, time.perf_counter() - started)
            time.sleep(0.05)  # screens come and go while the worker hangs
        wait_for(lambda: told != [], 20)
        proc = listener._proc
        assert proc is not None
        wait_for(lambda: proc.poll() is not None)  # the hung worker was killed
    finally:
        listener.close()
    assert told == [LISTEN_HUNG] and listener.state is ServiceState.HUNG
    assert longest < 0.05, f"a call blocked for {longest * 1000:.0f} ms"


def test_a_microphone_that_goes_away_while_listening_switches_listening_off(server) -> None:  # type: ignore[no-untyped-def]
    # Qt reports no error when the sound server ends under an open QAudioSource: the sound just stops coming.
    told: list[str] = []
    listener = create_listener("en_US", on_failure=told.append)
    assert isinstance(listener, ListenProcess)
    try:
        wait_for(lambda: listener.state is not ServiceState.CHECKING, START_TIMEOUT_S)
        listener.listen(Asking.SESSION)
        wait_for(lambda: server.recording_streams() == 1)
        server.stop()  # the sound server ends: restarted, crashed, or the USB microphone was pulled out
        wait_for(lambda: told != [], MICROPHONE_SILENT_S + HEAR_S)
    finally:
        listener.close()
    assert told == [LISTEN_FAILED] and listener.state is ServiceState.FAILED
