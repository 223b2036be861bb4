"""Spoken cues through QtTextToSpeech when a speech engine is present; silence otherwise.

The engine runs in a worker process (platform.worker_process): `create_speech` checks here only that Qt's
speech library is installed (cheap: nothing is loaded) and hands out a `SpeechProcess`; the worker makes the
`QtSpeech` with `engine_speech`, and that is where a machine without a speech engine is found out (it raises
ServiceMissingError): the app then says plainly that cues won't be spoken."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable
from typing import Any, Protocol

from sciatica_coach.i18n import _
from sciatica_coach.platform.worker_process import (
    ServiceMissingError,
    ServiceState,
    SpeechProcess,
    worker_command,
)

log = logging.getLogger(__name__)

TEST_ENGINE = "mock"  # Qt's own engine for tests: speaks nothing, reports states like a real one


class Speech(Protocol):
    available: bool

    def say(self, text: str) -> None: ...

    def stop(self) -> None: ...

    def set_volume(self, percent: int) -> None: ...


class NullSpeech:
    """Silence: used when Qt's speech library cannot load (then `failure` holds the words that say so, as a
    worker's would), or as a quiet stand-in that reports nothing (screenshots)."""

    available = False

    def __init__(self, failure: str | None = None) -> None:
        self.failure = failure
        self.state = ServiceState.MISSING if failure else None

    def say(self, text: str) -> None:
        pass

    def stop(self) -> None:
        pass

    def set_volume(self, percent: int) -> None:
        pass


class QtSpeech:
    available = True

    def __init__(self, engine: str, locale_name: str | None = None, volume_percent: int = 80) -> None:
        quiet_multimedia_probing()
        from PySide6.QtCore import QLocale
        from PySide6.QtTextToSpeech import QTextToSpeech

        self._tts = QTextToSpeech(engine)
        if locale_name:
            self._tts.setLocale(QLocale(locale_name))
        self._tts.setRate(-0.1)  # a touch slower than default: calm, clear
        self.set_volume(volume_percent)
        self.spoken: list[str] = []  # the last few phrases, for the screen reader echo and for tests

    @property
    def engine_name(self) -> str:
        return str(self._tts.engine())

    def say(self, text: str) -> None:
        self.spoken = [*self.spoken[-19:], text]
        self._tts.say(text)  # say() interrupts whatever is still being said: the newest cue matters most

    def stop(self) -> None:
        self._tts.stop()

    def set_volume(self, percent: int) -> None:
        self._tts.setVolume(max(0, min(100, percent)) / 100)

    def has_voices(self) -> bool:
        """Whether the engine has any voice, in any language (cheap: the engine lists them when it starts)."""
        return bool(self._tts.availableLocales())

    def problem(self) -> str:
        """Why the engine cannot speak ("" while it can)."""
        from PySide6.QtTextToSpeech import QTextToSpeech

        if self._tts.state() == QTextToSpeech.State.Error:
            return str(self._tts.errorString()) or "the engine reported an error"
        return ""


def available_engines(tts_class: Any) -> list[str]:
    """The speech engines Qt can load here (a seam for tests: Qt's own classes are not patched)."""
    return [str(name) for name in tts_class.availableEngines()]


def quiet_multimedia_probing() -> None:
    """Loading Qt's speech library loads QtMultimedia, which logs its backend probing ("Couldn't load
    pipewire-0.3 library"): not for users. Call before the first import of PySide6.QtTextToSpeech."""
    from PySide6.QtCore import QLoggingCategory

    QLoggingCategory.setFilterRules("qt.multimedia.*=false")


def real_engines() -> list[str]:
    """The real speech engines Qt can load here (never its test engine). Raises ImportError without Qt's
    speech library. Lists plugins only: no engine is started."""
    quiet_multimedia_probing()
    from PySide6.QtTextToSpeech import QTextToSpeech

    return [name for name in available_engines(QTextToSpeech) if name != TEST_ENGINE]


def engine_speech(locale_name: str | None = None, volume_percent: int = 80) -> QtSpeech:
    """The first real engine, in this process (the worker's side). Raises ServiceMissingError when there is
    none, it cannot start (speechd: no speech-dispatcher to talk to) or it has no voice at all
    (speech-dispatcher without espeak-ng); other errors as they come."""
    engines = real_engines()
    if not engines:
        raise ServiceMissingError("no speech engine is installed")
    speech = QtSpeech(engines[0], locale_name, volume_percent)
    problem = speech.problem()
    if problem:
        raise ServiceMissingError(f"the {engines[0]} engine could not start ({problem})")
    if not speech.has_voices():
        raise ServiceMissingError(f"the {engines[0]} engine has no voices")
    return speech


def create_speech(
    locale_name: str | None = None,
    volume_percent: int = 80,
    on_failure: Callable[[str], None] | None = None,
    on_ready: Callable[[], None] | None = None,
) -> Speech:
    """A speech engine in a worker process; silence without Qt's speech library. Never raises and never
    blocks: the worker finds out whether the system has an engine; one that is missing, hangs or fails is
    switched off then (`on_failure` hears of it once), one that works is told to `on_ready`."""
    if importlib.util.find_spec("PySide6.QtTextToSpeech") is None:
        log.warning("Spoken cues are off: Qt's speech library is not installed")
        return NullSpeech(_(SpeechProcess.missing_notice))
    command = worker_command("speech", locale_name, volume_percent)
    return SpeechProcess(command, on_failure=on_failure, on_ready=on_ready)
