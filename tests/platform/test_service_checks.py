"""Whether this machine has a sound output and a speech engine, found out by the worker as it starts (never
in the window thread): a missing one is told once in plain words and is off for the run; a working one is
told as ready. With the fake engine (tests/platform/fake_engine.py) in each mode, so the tests never depend
on what the machine has; then with the real QtMultimedia and speech-dispatcher where they are installed."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sciatica_coach.platform.worker_process import (
    SOUND_FAILED,
    SOUND_HUNG,
    SOUND_MISSING,
    SPEECH_FAILED,
    SPEECH_HUNG,
    ServiceState,
    SoundProcess,
    SpeechProcess,
    WorkerProcess,
    worker_command,
)
from tests.platform.test_worker_process import dispatchers_under, fake_command, use, wait_for

NOTICES = {
    "sound": {
        ServiceState.MISSING: SOUND_MISSING,
        ServiceState.FAILED: SOUND_FAILED,
        ServiceState.HUNG: SOUND_HUNG,
    },
    "speech": {
        ServiceState.MISSING: SpeechProcess.missing_notice,
        ServiceState.FAILED: SPEECH_FAILED,
        ServiceState.HUNG: SPEECH_HUNG,
    },
}


class Heard:
    """What a service told: each failure's words, and how often it said it is ready."""

    def __init__(self) -> None:
        self.failures: list[str] = []
        self.ready = 0

    def on_ready(self) -> None:
        self.ready += 1

    def told(self) -> bool:
        """Whether the service has told what its check found (its state is set just before)."""
        return bool(self.failures or self.ready)


@pytest.fixture
def services() -> Iterator[list[WorkerProcess]]:
    made: list[WorkerProcess] = []
    yield made
    for service in made:
        service.close()


def start(
    made: list[WorkerProcess], kind: str, command: list[str], **timeouts: float
) -> tuple[WorkerProcess, Heard]:
    heard = Heard()
    adapter = SoundProcess if kind == "sound" else SpeechProcess
    service = adapter(command, on_failure=heard.failures.append, on_ready=heard.on_ready, **timeouts)
    made.append(service)
    return service, heard


@pytest.mark.parametrize("kind", ["sound", "speech"])
@pytest.mark.parametrize(
    ("mode", "state", "timeouts"),
    [
        ("works", ServiceState.WORKING, {}),
        ("missing", ServiceState.MISSING, {}),
        ("hangs-at-start", ServiceState.HUNG, {"start_timeout": 0.5}),
        ("fails-at-start", ServiceState.FAILED, {}),
    ],
)
def test_the_start_tells_whether_the_machine_has_the_service(  # type: ignore[no-untyped-def]
    services, kind: str, mode: str, state: ServiceState, timeouts: dict[str, float]
) -> None:
    started = time.perf_counter()
    service, heard = start(services, kind, fake_command(mode), **timeouts)
    assert time.perf_counter() - started < 0.5, "making the service waited for the check"
    assert (service.state, service.available) == (ServiceState.CHECKING, True)
    wait_for(heard.told)
    assert service.state is state
    if state is ServiceState.WORKING:
        assert heard.ready == 1 and heard.failures == [] and service.failure is None and service.available
        return
    notice = NOTICES[kind][state]
    assert heard.failures == [notice] and service.failure == notice and heard.ready == 0
    assert not service.available
    for n in range(3):  # asked again and again: nothing more is told
        use(service, n)
    assert heard.failures == [notice]


@pytest.mark.parametrize("kind", ["sound", "speech"])
def test_an_engine_that_hangs_after_a_good_start_goes_from_working_to_hung(services, kind: str) -> None:  # type: ignore[no-untyped-def]
    service, heard = start(services, kind, fake_command("hangs"), call_timeout=0.3)
    wait_for(lambda: service.state is ServiceState.WORKING)
    use(service, 1)
    wait_for(lambda: heard.failures != [])
    assert service.state is ServiceState.HUNG and heard.failures == [NOTICES[kind][ServiceState.HUNG]]
    assert heard.ready == 1


def test_the_words_for_a_missing_service_are_plain_and_kind() -> None:
    assert SOUND_MISSING.startswith("No sound device was found") and "on screen" in SOUND_MISSING
    words = SpeechProcess.missing_notice
    assert words.startswith("No speech engine was found") and "on screen" in words
    if sys.platform.startswith("linux"):
        assert "install speech-dispatcher and espeak-ng" in words


# ---- the real services -----------------------------------------------------------------------------------

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PulseAudio and speechd: Linux")


@linux_only
def test_real_sound_with_no_sound_server_is_missing(services, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """QtMultimedia finds no output when no sound server answers at all (as on a machine without sound)."""
    if importlib.util.find_spec("PySide6.QtMultimedia") is None:  # not imported here: the worker does
        pytest.skip("Qt's multimedia library is not installed")
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'no-server'}")
    service, heard = start(services, "sound", worker_command("sound", None, 80), start_timeout=30)
    wait_for(heard.told, 30)
    assert service.state is ServiceState.MISSING and heard.failures == [SOUND_MISSING]


@linux_only
def test_real_sound_where_the_machine_has_a_device(services) -> None:  # type: ignore[no-untyped-def]
    if importlib.util.find_spec("PySide6.QtMultimedia") is None:  # not imported here: the worker does
        pytest.skip("Qt's multimedia library is not installed")
    service, heard = start(services, "sound", worker_command("sound", None, 80), start_timeout=30)
    wait_for(heard.told, 40)
    if service.state is ServiceState.MISSING:
        pytest.skip("this machine has no sound device")
    assert service.state is ServiceState.WORKING and heard.ready == 1
    assert isinstance(service, SoundProcess)
    service.set_volume(0)  # the test makes no noise
    service.play("tick")
    time.sleep(0.5)  # a real device: give the beep's answer time to come (or the watchdog to fire)
    assert service.state is ServiceState.WORKING, heard.failures


@pytest.fixture
def private_dispatcher() -> Iterator[Path]:
    """speech-dispatcher started by a test lives under the test's own runtime folder; killed after it."""
    runtime = Path(os.environ["XDG_RUNTIME_DIR"])  # private to this test (conftest)
    yield runtime
    for pid in dispatchers_under(runtime):  # a hung dispatcher ignores SIGTERM
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def speechd_plugin() -> bool:
    try:
        from sciatica_coach.platform.speech import real_engines

        return "speechd" in real_engines()
    except ImportError:
        return False


@linux_only
@pytest.mark.slow
def test_real_speech_with_no_speech_dispatcher_is_missing(services, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Qt's speechd engine with no speech-dispatcher to talk to (not installed, or here: none at this address)."""
    if not speechd_plugin():
        pytest.skip("Qt has no speechd plugin here")
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{tmp_path / 'no-dispatcher.sock'}")
    service, heard = start(services, "speech", worker_command("speech", "en_GB", 80), start_timeout=30)
    wait_for(heard.told, 30)
    assert service.state is ServiceState.MISSING and heard.failures == [SpeechProcess.missing_notice]


@linux_only
@pytest.mark.skipif(shutil.which("speech-dispatcher") is None, reason="speech-dispatcher is not installed")
@pytest.mark.slow
def test_real_speech_dispatcher_is_found(services, private_dispatcher: Path) -> None:  # type: ignore[no-untyped-def]
    if not speechd_plugin():
        pytest.skip("Qt has no speechd plugin here")
    service, heard = start(services, "speech", worker_command("speech", "en_GB", 80), start_timeout=30)
    wait_for(heard.told, 40)
    if service.state is ServiceState.MISSING and shutil.which("espeak-ng") is None:
        pytest.skip("speech-dispatcher has no voice here (espeak-ng is not installed)")
    assert service.state is ServiceState.WORKING and heard.ready == 1, heard.failures
    assert service.engine_name == "speechd"
