"""A hidden check that the offline recogniser works where the app is installed, for the bundle's smoke tests.

    sciatica-coach --check-recogniser [--asking session] [WAV]

Loads the recogniser model (platform.recogniser.find_model) and the English phrases, feeds the WAV file
(16 kHz, mono, 16-bit), or two seconds of silence without one, through the real pipeline (voice-activity
detector, then the grammar of the screen `--asking`) and prints one JSON line: the model's folder and what was
heard, phrase by phrase. A frozen bundle has no Python to run a script with, so packaging/smoke_test.py and
packaging/wine_check.py prove through this that the bundle carries a working PocketSphinx and its model.

Exit 0 when the model loaded and the sound was decoded, 1 when the model or PocketSphinx is missing (the
reason is printed), 2 on bad input. Hidden from --help: it is for packagers, not for the people using the app."""

from __future__ import annotations

import argparse
import json
import sys
import wave
from collections.abc import Sequence

from sciatica_coach.core.voice import ENGLISH, Asking
from sciatica_coach.platform.recogniser import (
    SAMPLE_BYTES,
    SAMPLE_RATE,
    Listening,
    ModelMissingError,
    Recogniser,
    find_model,
)

FLAG = "--check-recogniser"
SILENCE_S = 2.0
TRAILING_SILENCE_S = 1.0  # so a phrase at the very end of the file is ended and decoded


def read_pcm(path: str) -> bytes:
    """The samples of a 16 kHz mono 16-bit WAV file; ValueError for any other kind."""
    with wave.open(path, "rb") as sound:
        kind = (sound.getframerate(), sound.getnchannels(), sound.getsampwidth())
        if kind != (SAMPLE_RATE, 1, SAMPLE_BYTES):
            raise ValueError(
                f"{path}: {kind[0]} Hz, {kind[1]} channel(s), {8 * kind[2]}-bit; "
                f"needs {SAMPLE_RATE} Hz mono {8 * SAMPLE_BYTES}-bit"
            )
        return sound.readframes(sound.getnframes())


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog=f"sciatica-coach {FLAG}")
    parser.add_argument("wav", nargs="?", help="16 kHz mono 16-bit WAV (default: two seconds of silence)")
    parser.add_argument("--asking", choices=[a.value for a in Asking], default=Asking.SESSION.value)
    args = parser.parse_args(argv)
    try:
        pcm = read_pcm(args.wav) if args.wav else bytes(int(SILENCE_S * SAMPLE_RATE) * SAMPLE_BYTES)
    except (OSError, EOFError, ValueError, wave.Error) as err:
        print(f"sciatica-coach: {err}", file=sys.stderr)
        return 2
    try:
        model = find_model("en")
        listening = Listening(Recogniser(model, ENGLISH), Asking(args.asking))
    except (ModelMissingError, ImportError, RuntimeError) as err:
        print(json.dumps({"model": None, "problem": str(err)}))
        return 1
    silence = bytes(int(TRAILING_SILENCE_S * SAMPLE_RATE) * SAMPLE_BYTES)
    results = list(listening.feed(pcm + silence))
    report = {
        "model": model.acoustic,
        "asking": args.asking,
        "heard": [result.heard.words if result.heard else None for result in results],
        "phrases_s": [round(result.seconds, 2) for result in results],
    }
    # The same frozen run also proves numpy loads (the Progress charts need it): a stripped copy of the
    # OpenBLAS that numpy's wheel vendors did not, and nothing else in the smoke test imports numpy.
    try:
        import numpy

        report["numpy"] = numpy.__version__
    except ImportError as err:
        report["numpy"] = None
        report["problem"] = f"numpy does not load: {str(err).strip().splitlines()[-1]}"
        print(json.dumps(report))
        return 1
    print(json.dumps(report))
    return 0
