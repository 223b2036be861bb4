"""The speech worker: a small process that owns the speech engine (see speech_process for why and the protocol).

Run as `python -m sciatica_coach.platform.speech_worker [--locale de_DE] [--volume 80]`, or as the bundle's
executable with `--speech-worker`. It reads requests on stdin and answers each on stdout; stdin closing ends
it. Qt's event loop runs here because some engines (Windows, macOS) speak only while it runs."""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import IO, Any

from sciatica_coach.platform.speech_process import parent_death_signal


def serve(make_engine: Callable[[], Any], protocol: IO[str], requests: IO[str]) -> int:
    """Make the engine, say "ready", then carry out each request from `requests` in Qt's event loop.

    `make_engine` returns an object with say/stop/set_volume and optionally `problem()` (a reason the engine
    cannot speak, or "") and `engine_name`; raising, or a problem, answers "off REASON" and ends."""
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    app = QCoreApplication.instance() or QCoreApplication(["sciatica-coach-speech"])

    def answer(line: str) -> None:
        protocol.write(line + "\n")
        protocol.flush()

    try:
        engine = make_engine()
    except Exception as err:  # a broken engine plugin: tell the app and end
        answer(f"off {err}")
        return 1
    problem = getattr(engine, "problem", lambda: "")()
    if problem:
        answer(f"off {problem}")
        return 1
    answer(f"ready {getattr(engine, 'engine_name', '')}")

    class Inbox(QObject):
        arrived = Signal(str)  # emitted from the reading thread, handled in the event loop

    inbox = Inbox()

    def handle(line: str) -> None:
        if not line:
            app.quit()
            return
        if not line.strip():
            return
        try:
            request = json.loads(line)
            op = request.get("op")
            if op == "say":
                engine.say(str(request["text"]))
            elif op == "stop":
                engine.stop()
            elif op == "volume":
                engine.set_volume(int(request["percent"]))
        except Exception as err:
            answer(f"off {err}")
            app.quit()
            return
        problem = getattr(engine, "problem", lambda: "")()
        answer(f"off {problem}" if problem else f"ok {request.get('id', 0)}")
        if problem:
            app.quit()

    inbox.arrived.connect(handle)

    def read() -> None:
        for line in requests:
            inbox.arrived.emit(line.strip() or " ")
        inbox.arrived.emit("")  # the app closed our stdin: end

    threading.Thread(target=read, name="speech-requests", daemon=True).start()
    app.exec()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parent_death_signal()
    parser = argparse.ArgumentParser(prog="sciatica-coach --speech-worker")
    parser.add_argument("--locale")
    parser.add_argument("--volume", type=int, default=80)
    args = parser.parse_args(argv)
    # Our answers go on a copy of stdout; whatever an engine prints goes to stderr instead.
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    from sciatica_coach.platform.speech import engine_speech

    return serve(lambda: engine_speech(args.locale, args.volume), protocol, sys.stdin)


if __name__ == "__main__":
    raise SystemExit(main())
