"""Spoken sound for the voice tests and the voice benchmark: espeak-ng (or flite) speaks, sox turns it into what
the recogniser hears (16 kHz, mono, 16-bit) and makes the background noise; numpy lays clips into one stream and
mixes the noise in at a chosen signal-to-noise ratio.

Each clip is made once and kept in a folder (a test session's temp folder, or the benchmark's cache), so a test
run speaks each phrase once. Without espeak-ng or sox the tests that need them skip with a plain reason
(`require_tools`); CI installs both (.ci/run).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sciatica_coach.platform.recogniser import FRAME_S, SAMPLE_RATE

ESPEAK, FLITE, SOX = "espeak-ng", "flite", "sox"
TO_PCM = ["-t", "raw", "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", "-e", "signed-integer"]
FRAME_SAMPLES = round(FRAME_S * SAMPLE_RATE)
ACTIVE_BELOW_PEAK_DB = 30.0  # a 30 ms frame is speech for the speech level when within 30 dB of the loudest


def missing_tools(*tools: str) -> str | None:
    """Why spoken sound cannot be made here (a plain sentence), or None when it can."""
    missing = [tool for tool in (tools or (ESPEAK, SOX)) if shutil.which(tool) is None]
    if not missing:
        return None
    return f"{' and '.join(missing)} not installed: no spoken sound to test the recogniser with"


def require_tools(*tools: str) -> None:
    """Skip the calling test when espeak-ng or sox (or the given tools) are missing."""
    import pytest

    reason = missing_tools(*tools)
    if reason is not None:
        pytest.skip(reason)


@dataclass(frozen=True, slots=True)
class Voice:
    """A synthetic speaker: the engine ("espeak-ng" or "flite"), its voice name and, for espeak-ng, words a
    minute (flite speaks at its own pace)."""

    engine: str
    name: str
    wpm: int = 0

    @property
    def label(self) -> str:
        return f"{self.name} {self.wpm} wpm" if self.wpm else f"{self.name} (flite)"


def espeak(name: str, wpm: int) -> Voice:
    return Voice(ESPEAK, name, wpm)


def flite(name: str) -> Voice:
    return Voice(FLITE, name)


class SpokenSound:
    """Makes and keeps spoken clips and noise as int16 arrays at SAMPLE_RATE."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def say(self, text: str, voice: Voice) -> np.ndarray:
        """`text` spoken by `voice`, trimmed of nothing (espeak-ng leaves a short silence at each end)."""
        key = hashlib.sha1(f"{voice.engine}|{voice.name}|{voice.wpm}|{text}".encode()).hexdigest()[:16]
        path = self.folder / f"{key}.raw"
        if not path.exists():
            wav = self.folder / f"{key}.wav"
            if voice.engine == ESPEAK:
                command = [ESPEAK, "-v", voice.name, "-s", str(voice.wpm), "-w", str(wav), text]
            else:
                command = [FLITE, "-voice", voice.name, "-t", text, "-o", str(wav)]
            subprocess.run(command, check=True, capture_output=True, timeout=60)
            subprocess.run(
                [SOX, "-R", str(wav), *TO_PCM, str(path)], check=True, capture_output=True, timeout=60
            )
            wav.unlink()
        return trimmed(np.fromfile(path, dtype="<i2"))

    def noise(self, seconds: float, colour: str = "pinknoise", seed: int = 0) -> np.ndarray:
        """`seconds` of sox's pink (or "whitenoise") noise at full scale; a different `seed` gives other noise."""
        path = self.folder / f"{colour}-{seconds:.2f}-{seed}.raw"
        if not path.exists():
            # sox -R seeds its generator with a fixed number: the offset into a longer stretch varies the seed
            total = seconds + seed * 0.37
            subprocess.run(
                [
                    SOX,
                    "-R",
                    "-n",
                    *TO_PCM,
                    str(path),
                    "synth",
                    f"{total:.3f}",
                    colour,
                    "trim",
                    f"{seed * 0.37:.3f}",
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
        return np.fromfile(path, dtype="<i2")


def trimmed(clip: np.ndarray, quiet: int = 64) -> np.ndarray:
    """`clip` without the near-silence the speech engines leave before and after the words."""
    loud = np.flatnonzero(np.abs(clip.astype(np.int32)) > quiet)
    return clip[loud[0] : loud[-1] + 1] if len(loud) else clip[:0]


def silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * SAMPLE_RATE), dtype=np.int16)


def speech_level(clips: Sequence[np.ndarray]) -> float:
    """The RMS of the speech in `clips`: over the 30 ms frames within 30 dB of the loudest (pauses left out)."""
    frames = [
        clip[: len(clip) - len(clip) % FRAME_SAMPLES].astype(np.float64).reshape(-1, FRAME_SAMPLES)
        for clip in clips
        if len(clip) >= FRAME_SAMPLES
    ]
    power = np.concatenate([np.mean(f**2, axis=1) for f in frames])
    active = power[power >= power.max() * 10 ** (-ACTIVE_BELOW_PEAK_DB / 10)]
    return float(np.sqrt(np.mean(active)))


def with_noise(signal: np.ndarray, noise: np.ndarray, level: float, snr_db: float | None) -> bytes:
    """`signal` with `noise` mixed in `snr_db` below the speech `level` (None: no noise), as PCM bytes."""
    mixed = signal.astype(np.float64)
    if snr_db is not None:
        if len(noise) < len(mixed):
            noise = np.resize(noise, len(mixed))
        noise = noise[: len(mixed)].astype(np.float64)
        noise_rms = float(np.sqrt(np.mean(noise**2))) or 1.0
        mixed += noise * (level / 10 ** (snr_db / 20) / noise_rms)
    return np.clip(np.round(mixed), -32768, 32767).astype("<i2").tobytes()


@dataclass(frozen=True, slots=True)
class Stream:
    """Clips one after another with pauses between, and where each clip is (seconds from the start)."""

    pcm: np.ndarray
    spans: tuple[tuple[float, float], ...]  # (start, end) of each clip
    level: float  # the speech level of the clips

    @property
    def seconds(self) -> float:
        return len(self.pcm) / SAMPLE_RATE


def stream(clips: Sequence[np.ndarray], pause_s: float = 1.2, lead_s: float = 0.6) -> Stream:
    """The clips in order, `lead_s` of quiet first and `pause_s` after each."""
    parts, spans, at = [silence(lead_s)], [], lead_s
    for clip in clips:
        parts += [clip, silence(pause_s)]
        spans.append((at, at + len(clip) / SAMPLE_RATE))
        at += len(clip) / SAMPLE_RATE + pause_s
    return Stream(np.concatenate(parts), tuple(spans), speech_level(clips))
