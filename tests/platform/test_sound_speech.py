"""Sound and speech: real adapters where the machine has them, silence (and one log line) where not."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

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
    engine_speech,
    quiet_multimedia_probing,
)
from sciatica_coach.platform.worker_process import (
    SOUND_MISSING,
    SPEECH_MISSING_LINUX,
    ServiceMissingError,
    ServiceState,
    SpeechProcess,
)

REPO = Path(__file__).resolve().parents[2]


def test_no_multimedia_library_means_silence_one_log_line_and_plain_words(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)
    with caplog.at_level(logging.WARNING, logger=sound_module.__name__):
        adapter = create_sound()
    assert isinstance(adapter, NullSound)
    assert len(caplog.records) == 1 and "Sound is off" in caplog.records[0].getMessage()
    adapter.play("hold-start")  # silently nothing
    assert adapter.state is ServiceState.MISSING and adapter.failure == SOUND_MISSING


def test_no_speech_library_means_silence_and_plain_words(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "PySide6.QtTextToSpeech", None)
    with caplog.at_level(logging.WARNING, logger=speech_module.__name__):
        adapter = create_speech()
    assert isinstance(adapter, NullSpeech)
    assert len(caplog.records) == 1 and "Spoken cues are off" in caplog.records[0].getMessage()
    assert adapter.state is ServiceState.MISSING and adapter.failure == SpeechProcess.missing_notice
    assert "speech-dispatcher" in SPEECH_MISSING_LINUX, "says what to install, where that is the way"


def test_a_quiet_stand_in_reports_nothing() -> None:
    for adapter in (NullSound(), NullSpeech()):  # the screenshots' services: no notice, no state to show
        assert adapter.failure is None and adapter.state is None


def test_only_the_test_engine_counts_as_no_engine(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    quiet_multimedia_probing()  # its import logs QtMultimedia's backend probing when speech-dispatcher is here
    pytest.importorskip("PySide6.QtTextToSpeech", exc_type=ImportError)
    monkeypatch.setattr(speech_module, "available_engines", lambda _cls: [TEST_ENGINE])
    with pytest.raises(ServiceMissingError):  # in the worker: it answers "missing", the app says so
        engine_speech()


def test_an_engine_without_voices_counts_as_missing(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """speech-dispatcher without espeak-ng: an engine that starts, with nothing to speak with."""
    quiet_multimedia_probing()
    pytest.importorskip("PySide6.QtTextToSpeech", exc_type=ImportError)
    from PySide6.QtTextToSpeech import QTextToSpeech

    if TEST_ENGINE not in QTextToSpeech.availableEngines():
        pytest.skip("Qt's mock speech engine is not shipped with this Qt")
    monkeypatch.setattr(speech_module, "real_engines", lambda: [TEST_ENGINE])
    assert engine_speech().has_voices(), "the mock engine has voices"
    monkeypatch.setattr(QtSpeech, "has_voices", lambda _self: False)
    with pytest.raises(ServiceMissingError, match="no voices"):
        engine_speech()


def test_creating_speech_loads_no_speech_library_in_the_window_process(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Whether there is an engine is found out by the worker: the window's process never loads Qt's speech
    library (its import and plugin listing take the window thread's time)."""
    probe = (
        "import sys\n"
        "from sciatica_coach.platform.speech import create_speech\n"
        "speech = create_speech('en_GB', 80)\n"
        "print('PySide6.QtTextToSpeech' in sys.modules, type(speech).__name__)\n"
        "getattr(speech, 'close', lambda: None)()\n"
    )
    # No speech-dispatcher is started for this: the worker finds none at this address and ends
    env = {**os.environ, "PYTHONPATH": str(REPO), "SPEECHD_ADDRESS": f"unix_socket:{tmp_path / 'none'}"}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60, check=True
    )
    loaded, kind = done.stdout.split()
    if kind == "NullSpeech":
        pytest.skip("Qt's speech library is not installed here")
    assert loaded == "False" and kind == "SpeechProcess"


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
