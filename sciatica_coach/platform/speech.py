"""Spoken cues through QtTextToSpeech when a speech engine is present; silence otherwise."""

from __future__ import annotations

import logging
from typing import Any, Protocol

log = logging.getLogger(__name__)

TEST_ENGINE = "mock"  # Qt's own engine for tests: speaks nothing, reports states like a real one


class Speech(Protocol):
    available: bool

    def say(self, text: str) -> None: ...

    def stop(self) -> None: ...

    def set_volume(self, percent: int) -> None: ...


class NullSpeech:
    available = False

    def say(self, text: str) -> None:
        pass

    def stop(self) -> None:
        pass

    def set_volume(self, percent: int) -> None:
        pass


class QtSpeech:
    available = True

    def __init__(self, engine: str, locale_name: str | None = None, volume_percent: int = 80) -> None:
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


def available_engines(tts_class: Any) -> list[str]:
    """The speech engines Qt can load here (a seam for tests: Qt's own classes are not patched)."""
    return [str(name) for name in tts_class.availableEngines()]


def create_speech(locale_name: str | None = None, volume_percent: int = 80) -> Speech:
    """A real speech engine if the system has one (never Qt's test engine); otherwise silence. Never raises."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as err:
        log.warning("Spoken cues are off: Qt's speech library could not load (%s)", err)
        return NullSpeech()
    engines = [name for name in available_engines(QTextToSpeech) if name != TEST_ENGINE]
    if not engines:
        log.warning("Spoken cues are off: no speech engine is installed")
        return NullSpeech()
    try:
        return QtSpeech(engines[0], locale_name, volume_percent)
    except Exception as err:  # a broken engine plugin must not stop a session
        log.warning("Spoken cues are off: the speech engine %s failed to start (%s)", engines[0], err)
        return NullSpeech()
