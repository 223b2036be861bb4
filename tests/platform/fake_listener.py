"""A listening worker with a fake engine, for tests: the real worker loop (`platform.worker.serve`) and protocol
around a listener that hears, hangs or fails, as a real microphone and recogniser can.

    python tests/platform/fake_listener.py MODE

MODE: "works" (each "listen" is answered with one phrase heard on that screen, as `heard ASKING WORDS`, before
its "ok"), "hangs" (the first "listen" never returns, like a sound server that stops answering), "fails" (the
first "listen" leaves the microphone in an error state), "hangs-at-start" (making the engine never returns),
"missing" (making the engine finds no microphone, as the real one does). Each request handed to the engine is
appended to $FAKE_LISTEN_LOG, if set (`listen session`, `quiet`, `mute 5.0`), so a test can see what reached it.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sciatica_coach.platform.worker import serve
from sciatica_coach.platform.worker_process import ServiceMissingError, parent_death_signal

MODES = ("works", "hangs", "fails", "hangs-at-start", "missing")
# What the fake hears on each screen (words the real vocabulary has there)
HEARS = {"session": "pause", "number": "three", "reach": "knee", "yes-no": "yes", "trend": "same"}


class FakeListener:
    engine_name = "fake"

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.broken = ""
        self.tell: Callable[[str], None] = lambda line: None  # set by serve()
        if mode == "hangs-at-start":
            threading.Event().wait()
        if mode == "missing":
            raise ServiceMissingError("no microphone")

    def _log(self, line: str) -> None:
        log = os.environ.get("FAKE_LISTEN_LOG")
        if log:
            with open(log, "a", encoding="utf-8") as out:
                out.write(line + "\n")

    def listen(self, asking: str) -> None:
        self._log(f"listen {asking}")
        if self.mode == "hangs":
            threading.Event().wait()  # the microphone never opens and never says why
        if self.mode == "fails":
            self.broken = "the microphone reported OpenError"
            return
        self.tell(f"heard {asking} {HEARS.get(asking, 'repeat')}")

    def quiet(self) -> None:
        self._log("quiet")

    def mute(self, seconds: float) -> None:
        self._log(f"mute {seconds}")

    def set_volume(self, percent: int) -> None:
        pass

    def problem(self) -> str:
        return self.broken


def main() -> int:
    parent_death_signal()
    mode = sys.argv[1]
    assert mode in MODES, mode
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    return serve(lambda: FakeListener(mode), protocol, sys.stdin)


if __name__ == "__main__":
    raise SystemExit(main())
