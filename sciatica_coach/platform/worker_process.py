"""Speech and sound engines in worker processes, so that a hung or slow engine never blocks the window.

Why processes and not threads: PySide6 keeps Python's lock while Qt starts an engine or waits on it, so an
engine that hangs in another thread hangs the window thread with it. Seen here: speech-dispatcher with no
sound output fails its first cue, and every later call waits forever; a sound server that accepts a
connection and never answers holds QtMultimedia's device check for 30 s. A process can also be killed.

`WorkerProcess` is Qt-free. The window thread only hands a request over (`say`, `play`, `stop`,
`set_volume` return at once); a sender thread passes one request at a time to the worker
(`sciatica_coach.platform.worker`) and waits for its answer. No answer within `call_timeout` seconds (or no
"ready" within `start_timeout`), an error from the engine, or the worker's end: the worker is killed, the
problem is logged once, `on_failure` gets plain words to show once, and the service stays off for the run.
The worker's start is also the check whether the machine has the service at all (a sound output, a speech
engine): `state` tells what is known (ServiceState), `on_ready` hears when it works.

The protocol, one line each way: to the worker `{"id": 1, "op": "say", "text": "Hold."}` (ops: say, stop,
play with "name", volume with "percent"); from it `ready ENGINE`, `ok ID`, `missing REASON` (this machine
has no sound output or speech engine: the engine raised ServiceMissingError) or `off REASON` (the engine cannot
work here)."""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from enum import Enum
from typing import IO, Any

from sciatica_coach.i18n import N_, _

log = logging.getLogger(__name__)

START_TIMEOUT_S = 20.0  # starting speech-dispatcher and an engine takes ~2 s here; a slow disk more
CALL_TIMEOUT_S = 5.0  # a say() or play() returns in milliseconds when the engine is well
WORKER_FLAG = "--platform-worker"  # how the frozen bundle starts a worker (sciatica_coach.cli.main)
SPEECH_HUNG = N_("Spoken cues are off: the speech engine stopped answering.")
SPEECH_FAILED = N_("Spoken cues are off: the speech engine does not work on this computer.")
SOUND_HUNG = N_("Sounds are off: the sound system stopped answering.")
SOUND_FAILED = N_("Sounds are off: no working sound output was found.")
SOUND_MISSING = N_(
    "No sound device was found, so there will be no beeps. The session shows everything on screen."
)
SPEECH_MISSING = N_(
    "No speech engine was found, so cues won't be spoken. The session shows everything on screen."
)
SPEECH_MISSING_LINUX = N_(
    "No speech engine was found, so cues won't be spoken. The session shows everything on screen. "
    "To hear them, install speech-dispatcher and espeak-ng."
)
MAX_WAITING_SOUNDS = 3  # beeps asked for while the worker is busy; older ones are dropped (they'd be late)


class ServiceState(Enum):
    """What is known of a sound or speech service in this run."""

    CHECKING = "checking"  # its worker is starting: it finds out whether the machine has the service
    WORKING = "working"
    MISSING = "missing"  # no sound output or no speech engine on this machine
    FAILED = "failed"  # there, but it does not work here
    HUNG = "hung"  # it stopped answering


class ServiceMissingError(RuntimeError):
    """Raised on the worker's side when the machine has no such service (no sound output, no speech engine):
    the app says so plainly, unlike a service that is there and fails."""


def worker_command(kind: str, locale_name: str | None, volume_percent: int) -> list[str]:
    """How to start a worker: the bundle's own executable with a flag, or this Python with the module."""
    if getattr(sys, "frozen", False):
        command = [sys.executable, WORKER_FLAG]
    else:
        command = [sys.executable, "-m", "sciatica_coach.platform.worker"]
    command += [kind, "--volume", str(volume_percent)]
    if locale_name:
        command += ["--locale", locale_name]
    return command


class WorkerProcess:
    """One engine in a worker process; its methods never block the caller and never raise."""

    label = "The worker"  # for the log
    hung_notice = failed_notice = missing_notice = ""

    def __init__(
        self,
        command: Sequence[str],
        *,
        start_timeout: float = START_TIMEOUT_S,
        call_timeout: float = CALL_TIMEOUT_S,
        on_failure: Callable[[str], None] | None = None,
        on_ready: Callable[[], None] | None = None,
    ) -> None:
        self.available = True  # until the engine is known not to work: then False for the run
        self.state = ServiceState.CHECKING
        self.on_failure = on_failure  # called once, from a background thread, with the words to show
        self.on_ready = on_ready  # called once, from a background thread, when the engine has started
        self.failure: str | None = None  # those words, once the service has been switched off
        self.engine_name = ""
        self._start_timeout, self._call_timeout = start_timeout, call_timeout
        self._cond = threading.Condition()
        self._waiting: dict[str, dict[str, Any]] = {}  # slot -> request, in the order they are sent
        self._plays = 0
        self._ready = False
        self._closed = False
        self._answered = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._proc_to_reap: subprocess.Popen[bytes] | None = None  # until killed, once
        try:
            self._proc = subprocess.Popen(
                list(command),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            )
        except OSError as err:
            self._fail(self.failed_notice, f"the worker could not start ({err})", ServiceState.FAILED)
            return
        self._proc_to_reap = self._proc
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._to_worker: IO[bytes] = self._proc.stdin
        reader = threading.Thread(
            target=self._read, args=(self._proc.stdout,), name="worker-reader", daemon=True
        )
        reader.start()
        threading.Thread(target=self._send, name="worker-sender", daemon=True).start()

    # ---- from the window thread: hand over and return -------------------------------------------------
    def set_volume(self, percent: int) -> None:
        self._hand_over("volume", {"op": "volume", "percent": max(0, min(100, percent))})

    def close(self) -> None:
        """Stop the worker without waiting for it (it may be hung): the service ends with the app."""
        with self._cond:
            self._closed = True
            self.available = False
            self._cond.notify_all()
        self._kill()

    def _hand_over(self, slot: str, request: dict[str, Any]) -> None:
        """Queue a request; one waiting in the same slot is replaced (the newest matters most)."""
        if not self.available:
            return
        with self._cond:
            self._waiting[slot] = request
            self._cond.notify_all()

    # ---- background threads --------------------------------------------------------------------------
    def _read(self, stream: IO[bytes]) -> None:
        with stream:
            self._read_answers(stream)

    def _read_answers(self, stream: IO[bytes]) -> None:
        for raw in stream:
            word, _sep, rest = raw.decode("utf-8", errors="replace").strip().partition(" ")
            started = False
            with self._cond:
                if word == "ready" and not self._ready:
                    self._ready, self.engine_name = True, rest
                    if self.failure is None and not self._closed:
                        self.state, started = ServiceState.WORKING, True
                elif word == "ok" and rest.isdigit():
                    self._answered = max(self._answered, int(rest))
                self._cond.notify_all()
            if started:
                self._tell(self.on_ready)
            if word not in ("ready", "ok", "missing", "off"):
                self._other_answer(word, rest)
            if word == "missing":
                self._fail(self.missing_notice, f"this computer has none ({rest})", ServiceState.MISSING)
                return
            if word == "off":
                self._fail(self.failed_notice, f"the engine cannot work here ({rest})", ServiceState.FAILED)
                return
        self._fail(self.failed_notice, "the worker ended", ServiceState.FAILED)

    def _other_answer(self, word: str, rest: str) -> None:
        """A line the worker sent of its own accord (the listening worker's "heard ..."): ignored here."""

    def _send(self) -> None:
        if not self._wait_for(lambda: self._ready, self._start_timeout):
            self._fail(
                self.hung_notice,
                f"the engine did not start within {self._start_timeout:g} s",
                ServiceState.HUNG,
            )
            return
        sent = 0
        while True:
            with self._cond:
                while not (self._closed or self.failure or self._waiting):
                    self._cond.wait()
                if self._closed or self.failure:
                    return
                slot = next(iter(self._waiting))
                request = self._waiting.pop(slot)
            sent += 1
            request["id"] = sent
            try:
                self._to_worker.write((json.dumps(request) + "\n").encode("utf-8"))
                self._to_worker.flush()
            except (OSError, ValueError) as err:
                self._fail(self.failed_notice, f"the worker stopped reading ({err})", ServiceState.FAILED)
                return
            if not self._wait_for(functools.partial(self._answered_up_to, sent), self._call_timeout):
                self._fail(
                    self.hung_notice,
                    f"a {request['op']} call got no answer within {self._call_timeout:g} s",
                    ServiceState.HUNG,
                )
                return

    def _answered_up_to(self, number: int) -> bool:
        return self._answered >= number

    def _wait_for(self, condition: Callable[[], bool], seconds: float) -> bool:
        """Wait until `condition` (True), or the deadline, closing or a failure (False)."""
        deadline = time.monotonic() + seconds
        with self._cond:
            while not condition():
                if self._closed or self.failure:
                    return False
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def _fail(self, notice: str, detail: str, state: ServiceState) -> None:
        """Switch the service off for the run: once, with one log line and one notice."""
        with self._cond:
            if self.failure is not None or self._closed:
                return
            self.failure = _(notice)
            self.available = False
            self.state = state
            self._cond.notify_all()
        log.warning("%s is off for this run: %s", self.label, detail)
        self._kill()
        self._tell(self.on_failure, self.failure)

    def _tell(self, callback: Callable[..., None] | None, *words: str) -> None:
        if callback is None:
            return
        try:
            callback(*words)
        except Exception:  # a notice that cannot be shown must not break anything else
            log.exception("Could not report how %s is doing", self.label)

    def _kill(self) -> None:
        with self._cond:
            proc, self._proc_to_reap = self._proc_to_reap, None
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(OSError):
                proc.kill()  # a signal: returns at once, even when the worker is hung in the engine
        threading.Thread(target=_reap, args=(proc,), name="worker-reaper", daemon=True).start()


class SpeechProcess(WorkerProcess):
    """The `Speech` interface over a worker process."""

    label = "Speech"
    hung_notice, failed_notice = SPEECH_HUNG, SPEECH_FAILED
    missing_notice = SPEECH_MISSING_LINUX if sys.platform.startswith("linux") else SPEECH_MISSING

    def __init__(self, command: Sequence[str], **options: Any) -> None:
        self.spoken: list[str] = []  # the last few phrases handed over, for the screen reader echo and tests
        super().__init__(command, **options)

    def say(self, text: str) -> None:
        if self.available:
            self.spoken = [*self.spoken[-19:], text]
        self._hand_over("speech", {"op": "say", "text": text})  # replaces a cue not yet handed over

    def stop(self) -> None:
        self._hand_over("speech", {"op": "stop"})


class SoundProcess(WorkerProcess):
    """The `Sound` interface over a worker process."""

    label = "Sound"
    hung_notice, failed_notice, missing_notice = SOUND_HUNG, SOUND_FAILED, SOUND_MISSING

    def play(self, name: str) -> None:
        if not self.available:
            return
        with self._cond:
            self._plays += 1
            self._waiting[f"play {self._plays}"] = {"op": "play", "name": name}
            plays = [slot for slot in self._waiting if slot.startswith("play ")]
            for slot in plays[:-MAX_WAITING_SOUNDS]:
                del self._waiting[slot]
            self._cond.notify_all()


def _reap(proc: subprocess.Popen[bytes]) -> None:
    """Wait for the killed worker and close our end of its stdin (the reader closes its stdout)."""
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        log.warning("A worker process (pid %s) did not end after being killed", proc.pid)
    if proc.stdin is not None:
        with contextlib.suppress(OSError):
            proc.stdin.close()


def parent_death_signal() -> None:
    """Linux: the worker is killed when the app dies, even by kill -9, so a hung engine is never left behind."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() == 1:  # the app had already gone before the line above
        raise SystemExit(0)
