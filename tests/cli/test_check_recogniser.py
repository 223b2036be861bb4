"""The hidden --check-recogniser option the bundle's smoke tests use (packaging/smoke_test.py, wine_check.py):
it loads the real model, reports a spoken command as the real pipeline hears it, hears nothing in silence, says why when the model is missing,
and refuses sound it cannot decode with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from sciatica_coach.cli import check_recogniser
from sciatica_coach.core.voice import ENGLISH, Asking
from sciatica_coach.platform.recogniser import (
    SAMPLE_RATE,
    Listening,
    ModelMissingError,
    Recogniser,
    find_model,
)
from tests.voice_audio import SpokenSound, espeak, require_tools

pytest.importorskip("pocketsphinx")


def write_wav(path: Path, samples: np.ndarray, rate: int = SAMPLE_RATE, channels: int = 1) -> Path:
    with wave.open(str(path), "wb") as sound:
        sound.setnchannels(channels)
        sound.setsampwidth(2)
        sound.setframerate(rate)
        sound.writeframes(samples.astype("<i2").tobytes())
    return path


def report(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    result: dict[str, object] = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    return result


def test_silence_is_decoded_to_nothing_from_the_installed_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_recogniser.main([]) == 0
    out = report(capsys)
    assert out["heard"] == [] and out["asking"] == "session"
    assert Path(str(out["model"])).joinpath("mdef").is_file()


def test_a_spoken_command_is_one_phrase_reported_as_the_pipeline_hears_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the check prints is what the real pipeline hears on the screen named (whatever the recogniser's
    tuning makes of espeak-ng's voice: its accuracy is the voice tests' and the benchmark's business)."""
    require_tools()
    clip = SpokenSound(tmp_path / "clips").say("pause", espeak("en-us", 140))
    wav = write_wav(tmp_path / "pause.wav", clip)
    recogniser = Recogniser(find_model(), ENGLISH)
    for asking in (Asking.SESSION, Asking.NUMBER):
        listening = Listening(recogniser, asking)
        trailing = bytes(int(check_recogniser.TRAILING_SILENCE_S * SAMPLE_RATE) * 2)
        expected = [r.heard.words if r.heard else None for r in listening.feed(clip.tobytes() + trailing)]
        assert check_recogniser.main(["--asking", asking.value, str(wav)]) == 0
        out = report(capsys)
        assert out["asking"] == asking.value
        assert out["heard"] == expected and len(expected) == 1
    assert expected != ["pause"]  # not a phrase the pain-number screen listens for


def test_the_bundle_option_runs_it_from_the_command_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sciatica_coach", "--check-recogniser"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1])["heard"] == []


def test_sound_it_cannot_decode_is_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stereo = write_wav(tmp_path / "stereo.wav", np.zeros(2 * SAMPLE_RATE, dtype=np.int16), channels=2)
    cd_rate = write_wav(tmp_path / "cd.wav", np.zeros(44100, dtype=np.int16), rate=44100)
    for path in (stereo, cd_rate, tmp_path / "missing.wav"):
        assert check_recogniser.main([str(path)]) == 2
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in lines[0]


def test_a_missing_model_is_exit_1_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_model(language: str = "en") -> None:
        raise ModelMissingError("the recogniser model is incomplete (mdef is missing)")

    monkeypatch.setattr(check_recogniser, "find_model", no_model)
    assert check_recogniser.main([]) == 1
    assert report(capsys) == {
        "model": None,
        "problem": "the recogniser model is incomplete (mdef is missing)",
    }
