"""Sound and speech: real adapters where the machine has them, silence (and one log line) where not."""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
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
from tests.helpers import CHILD_PYTHONPATH
from tests.platform.test_worker_process import dispatchers_under


def wait_until(condition: Callable[[], bool], seconds: float) -> None:
    """Poll a real process's effect until a deadline (never a blind sleep)."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


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
    env = {
        **os.environ,
        "PYTHONPATH": CHILD_PYTHONPATH,
        "SPEECHD_ADDRESS": f"unix_socket:{tmp_path / 'none'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60, check=True
    )
    loaded, kind = done.stdout.split()
    if kind == "NullSpeech":
        pytest.skip("Qt's speech library is not installed here")
    assert loaded == "False" and kind == "SpeechProcess"


def test_qt_speech_adapter_keeps_the_last_phrases_and_clamps_the_volume(qtbot: QtBot) -> None:
    """Its own bookkeeping (the screen reader echo); that the words reach a real engine is tested below."""
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


# ---- a real speech-dispatcher whose voice writes what it is given to a file ---------------------------------

# speech-dispatcher's generic output module runs a command for each phrase: this one appends the phrase to a
# file instead of sounding it, so a test sees what really reached the engine. ALSA's null device stands in for
# the sound card the module still opens.
RECORDING_MODULE = r"""GenericExecuteSynth "printf '%s\\n' \'$DATA\' >> {said}"
GenericLanguage "en" "en" "utf-8"
GenericLanguage "de" "de" "utf-8"
AddVoice "en-GB" "FEMALE1" "recorder-gb"
AddVoice "en-US" "FEMALE1" "recorder-us"
AddVoice "de-DE" "FEMALE1" "recorder-de"
DefaultVoice "recorder-gb"
"""
GENERIC_MODULE = [
    "/usr/lib*/speech-dispatcher-modules/sd_generic",
    "/usr/lib*/*/speech-dispatcher-modules/sd_generic",
]
RECORDING_DISPATCHER = """AddModule "recorder" "sd_generic" "recorder.conf"
DefaultModule recorder
AudioOutputMethod "alsa"
LogDir "{logs}"
"""


@pytest.fixture
def recording_speech_dispatcher(tmp_path: Path) -> Iterator[Path]:
    """A real speech-dispatcher (started by Qt's speechd engine on first use, in this test's own runtime
    folder) with a voice that writes each phrase to the file yielded."""
    if shutil.which("speech-dispatcher") is None or not any(map(glob.glob, GENERIC_MODULE)):
        pytest.skip("needs speech-dispatcher and its generic module (apt-get install speech-dispatcher)")
    quiet_multimedia_probing()
    pytest.importorskip("PySide6.QtTextToSpeech", exc_type=ImportError)
    from PySide6.QtTextToSpeech import QTextToSpeech

    if "speechd" not in QTextToSpeech.availableEngines():
        pytest.skip("Qt has no speech-dispatcher plugin here")
    said, logs = tmp_path / "said.txt", tmp_path / "speechd-logs"
    logs.mkdir()
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "speech-dispatcher"  # private to this test (conftest)
    (config / "modules").mkdir(parents=True)
    (config / "speechd.conf").write_text(RECORDING_DISPATCHER.format(logs=logs))
    (config / "modules" / "recorder.conf").write_text(RECORDING_MODULE.format(said=said))
    (Path(os.environ["HOME"]) / ".asoundrc").write_text("pcm.!default { type null }\n")
    runtime = Path(os.environ["XDG_RUNTIME_DIR"])
    try:
        yield said
    finally:  # asked to end, the dispatcher ends its voice module too; one that hangs is killed
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in dispatchers_under(runtime):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)
            wait_until(lambda: not dispatchers_under(runtime), 3)


def phrases(said: Path) -> str:
    return said.read_text(encoding="utf-8") if said.exists() else ""


def test_qt_speech_adapter_hands_its_words_to_the_real_engine(
    qtbot: QtBot, recording_speech_dispatcher: Path
) -> None:
    adapter = QtSpeech("speechd", "en_GB", volume_percent=80)
    adapter.say("Hold for five seconds.")
    qtbot.waitUntil(lambda: "Hold for five seconds." in phrases(recording_speech_dispatcher), timeout=15000)
    adapter.stop()


def test_the_apps_speech_reaches_the_real_engine_through_its_worker(
    recording_speech_dispatcher: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole way a cue goes: create_speech, the worker process, Qt's speechd engine, speech-dispatcher."""
    # The worker's system locale must be one the recording voice speaks (under C, Qt's speechd engine fails to
    # set its default voice) and one the system has (speech-dispatcher does not start under another).
    installed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout.lower()
    if "en_us.utf8" not in installed.split():
        pytest.skip("needs the en_US.UTF-8 locale (CI generates it)")
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    monkeypatch.setenv("PYTHONPATH", CHILD_PYTHONPATH)
    ready = threading.Event()
    told: list[str] = []
    speech = create_speech("en_GB", 80, on_failure=told.append, on_ready=ready.set)
    assert isinstance(speech, SpeechProcess)
    try:
        assert ready.wait(30), f"the worker did not start the engine: {told}"
        speech.say("Relax.")
        wait_until(lambda: "Relax." in phrases(recording_speech_dispatcher) or bool(told), 15)
        assert told == [] and "Relax." in phrases(recording_speech_dispatcher)
    finally:
        speech.close()


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
