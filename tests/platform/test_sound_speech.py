"""Sound and speech: real adapters where the machine has them, silence (and one log line) where not."""

from __future__ import annotations

import logging
import sys

import pytest
from pytestqt.qtbot import QtBot

from sciatica_coach.platform import sound as sound_module
from sciatica_coach.platform import speech as speech_module
from sciatica_coach.platform.sound import NullSound, create_sound
from sciatica_coach.platform.sound_files import SOUNDS, synthesize, write_sounds
from sciatica_coach.platform.speech import (
    TEST_ENGINE,
    NullSpeech,
    QtSpeech,
    create_speech,
    quiet_multimedia_probing,
)


def test_no_multimedia_library_means_silence_and_one_log_line(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)
    with caplog.at_level(logging.WARNING, logger=sound_module.__name__):
        adapter = create_sound()
    assert isinstance(adapter, NullSound)
    assert len(caplog.records) == 1 and "Sound is off" in caplog.records[0].getMessage()
    adapter.play("hold-start")  # silently nothing


def test_no_speech_library_means_silence(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "PySide6.QtTextToSpeech", None)
    with caplog.at_level(logging.WARNING, logger=speech_module.__name__):
        adapter = create_speech()
    assert isinstance(adapter, NullSpeech)
    assert len(caplog.records) == 1 and "Spoken cues are off" in caplog.records[0].getMessage()


def test_only_the_test_engine_counts_as_no_engine(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    quiet_multimedia_probing()  # its import logs QtMultimedia's backend probing when speech-dispatcher is here
    pytest.importorskip("PySide6.QtTextToSpeech", exc_type=ImportError)
    monkeypatch.setattr(speech_module, "available_engines", lambda _cls: [TEST_ENGINE])
    assert isinstance(create_speech(), NullSpeech)


def test_qt_speech_adapter_speaks_through_the_test_engine(qtbot: QtBot) -> None:
    quiet_multimedia_probing()  # its import logs QtMultimedia's backend probing when speech-dispatcher is here
    pytest.importorskip("PySide6.QtTextToSpeech", exc_type=ImportError)
    from PySide6.QtTextToSpeech import QTextToSpeech

    if TEST_ENGINE not in QTextToSpeech.availableEngines():
        pytest.skip("Qt's mock speech engine is not shipped with this Qt")
    adapter = QtSpeech(TEST_ENGINE, volume_percent=50)
    adapter.say("Hold.")
    adapter.say("Relax.")
    assert adapter.spoken == ["Hold.", "Relax."]
    assert adapter.engine_name == TEST_ENGINE
    adapter.set_volume(150)  # clamped, never raises
    adapter.stop()


def test_sound_files_are_the_generated_ones(tmp_path) -> None:  # type: ignore[no-untyped-def]
    written = write_sounds(tmp_path)
    assert sorted(p.stem for p in written) == sorted(SOUNDS)
    from sciatica_coach.assets import asset_path

    for path in written:
        assert path.read_bytes() == asset_path("sounds", path.name).read_bytes(), f"{path.name} is stale"


def test_synthesized_notes_fade_in_and_out() -> None:
    pcm = synthesize([(440.0, 0.1)])
    first, last = (
        int.from_bytes(pcm[:2], "little", signed=True),
        int.from_bytes(pcm[-2:], "little", signed=True),
    )
    assert first == 0 and abs(last) < 200, "no click at the start or end"
    assert (
        max(abs(int.from_bytes(pcm[i : i + 2], "little", signed=True)) for i in range(0, len(pcm), 2)) > 10000
    )
