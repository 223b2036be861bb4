"""The speech engine in a process of its own, so that a hung or slow engine never blocks the window.

Why a process and not a thread: PySide6 keeps Python's lock while QTextToSpeech starts and speaks, so an
engine that hangs in another thread hangs the window thread with it (seen with speech-dispatcher and no sound
output: its first cue fails, and every later call waits forever). A process can also be killed.

`SpeechProcess` is Qt-free. The window thread only hands over the newest request (`say`, `stop`,
`set_volume` return at once); a sender thread passes one request at a time to the worker
(`sciatica_coach.platform.speech_worker`) and waits for its answer. No answer within `call_timeout` seconds
(or no "ready" within `start_timeout`), an error from the engine, or the worker's end: the worker is killed,
the problem is logged once, `on_failure` gets plain words to show once, and speech stays off for the run.

The protocol, one line each way: to the worker `{"id": 1, "op": "say", "text": "Hold."}` (ops: say, stop,
volume with "percent"); from it `ready ENGINE`, `ok ID`, or `off REASON` (the engine cannot speak)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import IO, Any

from sciatica_coach.i18n import N_, _

log = logging.getLogger(__name__)

START_TIMEOUT_S = 20.0  # starting speech-dispatcher and an engine takes ~2 s here; a slow disk more
CALL_TIMEOUT_S = 5.0  # a say() returns in milliseconds when the engine is well
WORKER_FLAG = "--speech-worker"  # how the frozen bundle starts the worker (sciatica_coach.cli.main)
HUNG_NOTICE = N_("Spoken cues are off: the speech engine stopped answering.")
FAILED_NOTICE = N_("Spoken cues are off: the speech engine does not work on this computer.")


def worker_command(locale_name: str | None, volume_percent: int) -> list[str]:
    """How to start the worker: the bundle's own executable with a flag, or this Python with the module."""
    if getattr(sys, "frozen", False):
        command = [sys.executable, WORKER_FLAG]
    else:
        command = [sys.executable, "-m", "sciatica_coach.platform.speech_worker"]
    command += ["--volume", str(volume_percent)]
    if locale_name:
        command += ["--locale", locale_name]
    return command


class SpeechProcess:
    """The `Speech` interface over a worker process; never blocks the caller and never raises."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        start_timeout: float = START_TIMEOUT_S,
        call_timeout: float = CALL_TIMEOUT_S,
        on_failure: Callable[[str], None] | None = None,
    ) -> None:
        self.available = True
        self.on_failure = on_failure  # called once, from a background thread, with the words to show
        self.failure: str | None = None  # those words, once speech has been switched off
        self.engine_name = ""
        self.spoken: list[str] = []  # the last few phrases handed over, for the screen reader echo and tests
        self._start_timeout, self._call_timeout = start_timeout, call_timeout
        self._cond = threading.Condition()
        self._say: str | None = None
        self._stop = False
        self._volume: int | None = None
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
            self._fail(FAILED_NOTICE, f"the speech worker could not start ({err})")
            return
        self._proc_to_reap = self._proc
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._to_worker: IO[bytes] = self._proc.stdin
        threading.Thread(
            target=self._read, args=(self._proc.stdout,), name="speech-reader", daemon=True
        ).start()
        threading.Thread(target=self._send, name="speech-sender", daemon=True).start()

    # ---- the Speech interface (window thread): hand over and return ----------------------------------
    def say(self, text: str) -> None:
        if not self.available:
            return
        self.spoken = [*self.spoken[-19:], text]
        with self._cond:
            self._say, self._stop = text, False  # the newest cue replaces one not yet handed over
            self._cond.notify_all()

    def stop(self) -> None:
        if not self.available:
            return
        with self._cond:
            self._say, self._stop = None, True
            self._cond.notify_all()

    def set_volume(self, percent: int) -> None:
        if not self.available:
            return
        with self._cond:
            self._volume = max(0, min(100, percent))
            self._cond.notify_all()

    def close(self) -> None:
        """Stop the worker without waiting for it (it may be hung): speech ends with the app."""
        with self._cond:
            self._closed = True
            self.available = False
            self._cond.notify_all()
        self._kill()

    # ---- background threads --------------------------------------------------------------------------
    def _read(self, stream: IO[bytes]) -> None:
        with stream:
            self._read_answers(stream)

    def _read_answers(self, stream: IO[bytes]) -> None:
        for raw in stream:
            word, _sep, rest = raw.decode("utf-8", errors="replace").strip().partition(" ")
            with self._cond:
                if word == "ready":
                    self._ready, self.engine_name = True, rest
                elif word == "ok" and rest.isdigit():
                    self._answered = max(self._answered, int(rest))
                self._cond.notify_all()
            if word == "off":
                self._fail(FAILED_NOTICE, f"the speech engine cannot speak ({rest})")
                return
        self._fail(FAILED_NOTICE, "the speech worker ended")

    def _send(self) -> None:
        deadline = time.monotonic() + self._start_timeout
        with self._cond:
            while not (self._ready or self._closed or self.failure):
                if not self._cond.wait(deadline - time.monotonic()) and time.monotonic() >= deadline:
                    break
            started = self._ready
        if not started:
            self._fail(HUNG_NOTICE, f"the speech engine did not start within {self._start_timeout:g} s")
            return
        sent = 0
        while True:
            with self._cond:
                while not (self._closed or self.failure or self._work_waiting()):
                    self._cond.wait()
                if self._closed or self.failure:
                    return
                request = self._take()
            sent += 1
            request["id"] = sent
            try:
                self._to_worker.write((json.dumps(request) + "\n").encode("utf-8"))
                self._to_worker.flush()
            except (OSError, ValueError) as err:
                self._fail(FAILED_NOTICE, f"the speech worker stopped reading ({err})")
                return
            deadline = time.monotonic() + self._call_timeout
            with self._cond:
                while self._answered < sent and not (self._closed or self.failure):
                    if not self._cond.wait(deadline - time.monotonic()) and time.monotonic() >= deadline:
                        break
                answered = self._answered >= sent
            if not answered and not (self._closed or self.failure):
                self._fail(
                    HUNG_NOTICE, f"a {request['op']} call got no answer within {self._call_timeout:g} s"
                )
                return

    def _work_waiting(self) -> bool:
        return self._volume is not None or self._stop or self._say is not None

    def _take(self) -> dict[str, Any]:
        """The next request: a volume change first, then stop, then the newest phrase."""
        if self._volume is not None:
            request: dict[str, Any] = {"op": "volume", "percent": self._volume}
            self._volume = None
        elif self._stop:
            request, self._stop = {"op": "stop"}, False
        else:
            request, self._say = {"op": "say", "text": self._say}, None
        return request

    def _fail(self, notice: str, detail: str) -> None:
        """Switch speech off for the run: once, with one log line and one notice."""
        with self._cond:
            if self.failure is not None or self._closed:
                return
            self.failure = _(notice)
            self.available = False
            self._cond.notify_all()
        log.warning("Spoken cues are off for this run: %s", detail)
        self._kill()
        if self.on_failure is not None:
            try:
                self.on_failure(self.failure)
            except Exception:  # a notice that cannot be shown must not break anything else
                log.exception("Could not report that spoken cues are off")

    def _kill(self) -> None:
        with self._cond:
            proc, self._proc_to_reap = self._proc_to_reap, None
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(OSError):
                proc.kill()  # a signal: returns at once, even when the worker is hung in the engine
        threading.Thread(target=_reap, args=(proc,), name="speech-reaper", daemon=True).start()


def _reap(proc: subprocess.Popen[bytes]) -> None:
    """Wait for the killed worker and close our end of its stdin (the reader closes its stdout)."""
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        log.warning("The speech worker (pid %s) did not end after being killed", proc.pid)
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
