"""What a hung speech or sound engine costs the window (issue 15: speech used to freeze it for good).

For each cue: say() on the app's speech adapter, ask the shown window to repaint, and time until its next
paint. The figure is the slowest of the cues (and the median), with:

1. a speech engine, then a sound engine, that hangs (a worker that answers "ready" and then never again:
   every cue goes to a hung engine; the watchdog is set long so the whole run is spent hung), and
2. the real speech-dispatcher + espeak-ng where installed, on a machine without sound output (it stops
   answering after its first cue; the watchdog then switches speech off), in a private runtime folder whose
   daemon is killed afterwards.

Run: python benchmarks/speech_bench.py [--cues N]"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HUNG_WORKER = "import sys; print('ready hung', flush=True); sys.stdin.readline(); sys.stdin.read()"


def cue_to_repaint_ms(speech, cues: int) -> list[float]:  # type: ignore[no-untyped-def]
    """`speech` has say() (a spoken cue) or play() (a beep)."""
    from PySide6.QtWidgets import QApplication, QWidget

    class Window(QWidget):
        painted = 0

        def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]
            self.painted += 1

    app = QApplication.instance() or QApplication([])
    window = Window()
    window.resize(400, 300)
    window.show()
    for _ in range(20):
        app.processEvents()
    figures = []
    for n in range(cues):
        seen = window.painted
        started = time.perf_counter()
        if hasattr(speech, "play"):
            speech.play("tick")
        else:
            speech.say(f"Hold. Three, two, one. Cue {n}.")
        window.update()
        deadline = started + 30
        while window.painted == seen and time.perf_counter() < deadline:
            app.processEvents()
        figures.append((time.perf_counter() - started) * 1000)
        pause = time.perf_counter() + 0.1  # cues come at most every repaint (200 ms); 100 ms here
        while time.perf_counter() < pause:
            app.processEvents()
    window.close()
    return figures


def report(label: str, figures: list[float], extra: str = "") -> None:
    print(
        f"{label}: slowest {max(figures):.1f} ms, median {statistics.median(figures):.1f} ms over "
        f"{len(figures)} cues (goal <= 100 ms){extra}"
    )


def hung_engine(cues: int) -> None:
    from sciatica_coach.platform.worker_process import SoundProcess, SpeechProcess

    for label, adapter in (("speech engine: cue", SpeechProcess), ("sound engine: beep", SoundProcess)):
        engine = adapter([sys.executable, "-c", HUNG_WORKER], call_timeout=3600)
        try:
            figures = cue_to_repaint_ms(engine, cues)
            hung = engine.available and engine.engine_name == "hung"
        finally:
            engine.close()
        report(f"hung {label} to next repaint", figures, "" if hung else " (engine was not hung?)")


def real_dispatcher(cues: int) -> None:
    if shutil.which("speech-dispatcher") is None:
        print("# real speech-dispatcher: not installed (apt-get install speech-dispatcher espeak-ng)")
        return
    from sciatica_coach.platform.speech import create_speech

    with tempfile.TemporaryDirectory() as tmp:
        runtime = Path(tmp) / "run"
        runtime.mkdir(mode=0o700)
        os.environ.update(HOME=tmp, XDG_RUNTIME_DIR=str(runtime), XDG_CACHE_HOME=str(Path(tmp) / "cache"))
        told: list[str] = []
        speech = create_speech("en_GB", 80, on_failure=told.append)
        try:
            figures = cue_to_repaint_ms(speech, cues * 2)  # 2 s to start, 5 s to give up on a silent engine
        finally:
            getattr(speech, "close", lambda: None)()
            for pid in _dispatchers_under(tmp):
                os.kill(pid, signal.SIGKILL)
    note = f" ({type(speech).__name__}; {'switched off: ' + told[0] if told else 'still on'})"
    report("real speech-dispatcher, no sound output: cue to next repaint", figures, note)


def _dispatchers_under(folder: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                text = (entry / "cmdline").read_bytes() + (entry / "environ").read_bytes()
            except OSError:
                continue
            if (b"speech-dispatcher" in text or b"sd_" in text) and folder.encode() in text:
                found.append(int(entry.name))
    return found


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    cues = int(args[args.index("--cues") + 1]) if "--cues" in args else 50
    hung_engine(cues)
    real_dispatcher(cues)


if __name__ == "__main__":
    main()
