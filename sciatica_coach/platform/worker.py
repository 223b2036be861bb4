"""A platform worker: a small process that owns one engine, speech, sound or listening (see worker_process for why and
for the protocol).

Run as `python -m sciatica_coach.platform.worker speech|sound|listen [--locale de_DE] [--volume 80]`, or as the
bundle's executable with `--platform-worker` first. It reads requests on stdin and answers each on stdout;
stdin closing ends it. Qt's event loop runs here: some engines (Windows, macOS) work only while it runs."""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import IO, Any

from sciatica_coach.platform.worker_process import ServiceMissingError, parent_death_signal


def serve(make_engine: Callable[[], Any], protocol: IO[str], requests: IO[str]) -> int:
    """Make the engine, say "ready", then carry out each request from `requests` in Qt's event loop.

    `make_engine` returns an object with set_volume and say/stop (speech), play (sound) or listen/quiet/mute
    (listening; it gets `tell`, to send lines of its own), optionally
    `problem()` (why the engine cannot work, or "") and `engine_name`; raising ServiceMissingError (the machine has
    no sound output or speech engine) answers "missing REASON", raising otherwise, or a problem, answers
    "off REASON"; either ends it."""
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    app = QCoreApplication.instance() or QCoreApplication(["sciatica-coach-worker"])

    def answer(line: str) -> None:
        protocol.write(line + "\n")
        protocol.flush()

    try:
        engine = make_engine()
    except ServiceMissingError as err:  # nothing to play or speak with on this machine: tell the app and end
        answer(f"missing {err}")
        return 1
    except Exception as err:  # a broken engine plugin: tell the app and end
        answer(f"off {err}")
        return 1
    problem = getattr(engine, "problem", lambda: "")()
    if problem:
        answer(f"off {problem}")
        return 1
    if hasattr(engine, "tell"):
        engine.tell = answer  # the listening worker tells what it heard, unasked
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
            elif op == "play":
                engine.play(str(request["name"]))
            elif op == "volume":
                engine.set_volume(int(request["percent"]))
            elif op == "listen":
                engine.listen(str(request["asking"]))
            elif op == "quiet":
                engine.quiet()
            elif op == "mute":
                engine.mute(float(request["seconds"]))
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

    threading.Thread(target=read, name="worker-requests", daemon=True).start()
    app.exec()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parent_death_signal()
    parser = argparse.ArgumentParser(prog="sciatica-coach --platform-worker")
    parser.add_argument("kind", choices=("speech", "sound", "listen"))
    parser.add_argument(
        "--wav", action="append", default=[], help="listen: WAV files instead of the microphone"
    )
    parser.add_argument("--locale")
    parser.add_argument("--volume", type=int, default=80)
    args = parser.parse_args(argv)
    # Our answers go on a copy of stdout; whatever an engine prints goes to stderr instead.
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    if args.kind == "listen":
        from sciatica_coach.platform import listener

        language = args.locale or "en"
        if args.wav:
            return serve(lambda: listener.WavListener(language, args.wav), protocol, sys.stdin)
        return serve(lambda: listener.MicrophoneListener(language), protocol, sys.stdin)
    if args.kind == "sound":
        from sciatica_coach.platform.sound import engine_sound

        return serve(lambda: engine_sound(args.volume), protocol, sys.stdin)
    from sciatica_coach.platform.speech import engine_speech

    return serve(lambda: engine_speech(args.locale, args.volume), protocol, sys.stdin)


if __name__ == "__main__":
    raise SystemExit(main())
