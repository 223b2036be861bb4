"""The app's own sounds, made here from sine waves so no recording needs a licence.

Run `python -m sciatica_coach.platform.sound_files assets/sounds` to (re)write the WAV files."""

from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

SAMPLE_RATE_HZ = 44_100

# name -> list of (frequency Hz, duration s); a frequency of 0 is silence. Soft, short, clearly different.
SOUNDS: dict[str, list[tuple[float, float]]] = {
    "hold-start": [(660.0, 0.16), (0.0, 0.04), (880.0, 0.22)],  # rising: "now hold"
    "hold-end": [(880.0, 0.16), (0.0, 0.04), (587.0, 0.26)],  # falling: "and relax"
    "tick": [(740.0, 0.07)],  # the 3-2-1 before a change
    "done": [(523.0, 0.16), (659.0, 0.16), (784.0, 0.32)],  # a small chord at the end
}


def synthesize(notes: list[tuple[float, float]], volume: float = 0.45) -> bytes:
    """16-bit mono PCM with a gentle attack and release on each note so nothing clicks."""
    frames = bytearray()
    for freq, duration in notes:
        count = int(SAMPLE_RATE_HZ * duration)
        ramp = max(1, int(SAMPLE_RATE_HZ * 0.012))
        for i in range(count):
            envelope = min(1.0, i / ramp, (count - i) / ramp)
            value = math.sin(2 * math.pi * freq * i / SAMPLE_RATE_HZ) if freq else 0.0
            frames += struct.pack("<h", int(32767 * volume * envelope * value))
    return bytes(frames)


def write_sounds(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, notes in SOUNDS.items():
        path = folder / f"{name}.wav"
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE_HZ)
            out.writeframes(synthesize(notes))
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_sounds(Path(sys.argv[1] if len(sys.argv) > 1 else "assets/sounds")):
        print(p)
