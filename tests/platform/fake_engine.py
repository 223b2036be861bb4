"""A platform worker with a fake engine, for tests: the real worker loop (`platform.worker.serve`) and
protocol around a speech or sound engine that works, hangs or fails, as a real one can.

    python tests/platform/fake_engine.py MODE

MODE: "works" (says nothing, answers at once), "hangs" (the first `say` never returns, like speech-dispatcher
with no sound output), "fails" (the first `say` leaves the engine in an error state), "hangs-at-start"
(making the engine never returns), "fails-at-start" (making the engine raises), "missing" (making the engine
finds no sound output or speech engine on this machine, as the real ones do). Each phrase or sound name
handed to the engine is appended to $FAKE_SPEECH_LOG, if set, so a test can see what reached the engine."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sciatica_coach.platform.worker import serve
from sciatica_coach.platform.worker_process import ServiceMissingError, parent_death_signal

MODES = ("works", "hangs", "fails", "hangs-at-start", "fails-at-start", "missing")


class FakeEngine:
    engine_name = "fake"

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.broken = ""
        if mode == "hangs-at-start":
            threading.Event().wait()
        if mode == "fails-at-start":
            raise RuntimeError("the fake engine could not start")
        if mode == "missing":
            raise ServiceMissingError("the fake machine has no such device")

    def play(self, name: str) -> None:
        self.say(name)

    def say(self, text: str) -> None:
        log = os.environ.get("FAKE_SPEECH_LOG")
        if log:
            with open(log, "a", encoding="utf-8") as out:
                out.write(text + "\n")
        if self.mode == "hangs":
            threading.Event().wait()  # a call into the engine that never comes back
        if self.mode == "fails":
            self.broken = "no sound output could be opened"

    def stop(self) -> None:
        pass

    def set_volume(self, percent: int) -> None:
        pass

    def problem(self) -> str:
        return self.broken


def main() -> int:
    parent_death_signal()
    mode = sys.argv[1]
    assert mode in MODES, mode
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    return serve(lambda: FakeEngine(mode), protocol, sys.stdin)


if __name__ == "__main__":
    raise SystemExit(main())
