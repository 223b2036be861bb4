"""A private PulseAudio server with one microphone, for tests of the real listening worker (QtMultimedia's
QAudioSource talks to PulseAudio on Linux).

The server runs with its own runtime and home folders under a folder of the test's and only the modules needed:
a null sink (a room nobody hears, 16 kHz mono 16-bit) whose monitor is the default and only source, and the
native protocol on a socket of its own (anonymous, no cookie). The null sink runs on the server's clock, so its
monitor behaves as a real microphone: silence in real time, and whatever `Microphone.say` plays into the room
at its real pace (playback through pacat). A client reaches it through `env` (PULSE_SERVER).

    with pulse_server(tmp_path) as server:
        worker = subprocess.Popen(..., env={**os.environ, **server.env})
        server.microphone.say(pcm)

`missing()` says in a plain sentence why no server can run here (CI installs pulseaudio, and pulseaudio-utils
for pacat and pactl: .ci/run). The server is stopped whatever the test did; should the test process die, the
server ends by itself once no client has been connected for EXIT_IDLE_S.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

SAMPLE_RATE = 16000
START_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 5.0
EXIT_IDLE_S = 60  # a server left behind by a killed test run ends this long after its last client

SPEAKER, MICROPHONE = "test-room", "test-microphone"
CONFIG = """\
load-module module-null-sink sink_name={speaker} format=s16le rate={rate} channels=1
load-module module-remap-source source_name={microphone} master={speaker}.monitor channels=1 master_channel_map=mono channel_map=mono
set-default-source {microphone}
load-module module-native-protocol-unix socket={socket} auth-anonymous=1
"""


def missing() -> str | None:
    """Why no private sound server can be run here (a plain sentence), or None when it can."""
    tools = [tool for tool in ("pulseaudio", "pacat", "pactl") if shutil.which(tool) is None]
    if tools:
        return f"{' and '.join(tools)} not installed (apt-get install pulseaudio pulseaudio-utils)"
    return None


class Microphone:
    """What the microphone picks up: `say` plays sound into the server's null sink, whose monitor is the default
    source. The sink runs on the server's clock, so the microphone delivers silence in real time while nothing
    plays, the sound at its real pace while it plays, and nothing is kept for later while no one records."""

    def __init__(self, env: dict[str, str]) -> None:
        self._env = env

    def say(self, pcm: bytes, silence_after_s: float = 1.0) -> None:
        """Play `pcm` (16 kHz mono 16-bit), then `silence_after_s` of quiet; returns once it has been played."""
        audio = pcm + bytes(round(silence_after_s * SAMPLE_RATE) * 2)
        subprocess.run(
            [
                "pacat",
                "--playback",
                "--raw",
                f"--device={SPEAKER}",
                "--format=s16le",
                f"--rate={SAMPLE_RATE}",
                "--channels=1",
                "--latency-msec=20",
            ],
            input=audio,
            env={**os.environ, **self._env},
            capture_output=True,
            check=True,
            timeout=len(audio) / (SAMPLE_RATE * 2) + START_TIMEOUT_S,
        )


class PulseServer:
    """One private PulseAudio server process (see the module's docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.runtime = folder / "runtime"
        self.socket = self.runtime / "native"
        self.log = folder / "pulseaudio.log"
        self.microphone = Microphone(self.env)
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def env(self) -> dict[str, str]:
        """What a client needs in its environment to use this server and nothing else."""
        return {"PULSE_SERVER": f"unix:{self.socket}"}

    def start(self) -> None:
        self.runtime.mkdir(parents=True, mode=0o700)
        home = self.folder / "home"
        home.mkdir()
        config = self.folder / "default.pa"
        config.write_text(
            CONFIG.format(socket=self.socket, speaker=SPEAKER, microphone=MICROPHONE, rate=SAMPLE_RATE),
            encoding="utf-8",
        )
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "XDG_RUNTIME_DIR": str(self.runtime),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "LANG": "C.UTF-8",
        }
        command = [
            "pulseaudio",
            "-n",  # no default.pa of the system: only the modules above
            "--file",
            str(config),
            "--daemonize=no",
            "--use-pid-file=no",
            "--system=no",
            "--disable-shm=yes",
            "--high-priority=no",
            "--realtime=no",
            f"--exit-idle-time={EXIT_IDLE_S}",
            "--log-target=stderr",
        ]
        with open(self.log, "wb") as log:
            self._proc = subprocess.Popen(
                command, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._accepts():
            if self._proc.poll() is not None:
                raise RuntimeError(
                    f"pulseaudio ended at start: {self.log.read_text(errors='replace')[-2000:]}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(f"pulseaudio did not start within {START_TIMEOUT_S:g} s")
            time.sleep(0.05)  # polling the real process until its socket answers

    def _accepts(self) -> bool:
        if not self.socket.exists():
            return False
        with socket.socket(socket.AF_UNIX) as probe:
            try:
                probe.connect(str(self.socket))
            except OSError:
                return False
        return True

    def recording_streams(self) -> int:
        """How many clients are recording from the microphone now (its source outputs; the remapping's own
        stream records from the room's monitor, not from the microphone)."""
        sources = self._pactl("sources")
        microphone = next(fields[0] for fields in sources if fields[1] == MICROPHONE)
        return len([fields for fields in self._pactl("source-outputs") if fields[1] == microphone])

    def _pactl(self, kind: str) -> list[list[str]]:
        listed = subprocess.run(
            ["pactl", "list", "short", kind],
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        return [line.split("\t") for line in listed.stdout.splitlines() if line.strip()]

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=STOP_TIMEOUT_S)


@contextlib.contextmanager
def pulse_server(folder: Path) -> Iterator[PulseServer]:
    """A running private server with its microphone hearing silence; stopped on the way out, whatever happened.

    The folder's path must be short: a unix socket's path has at most 107 bytes."""
    server = PulseServer(folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()
