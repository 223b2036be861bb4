"""Short beeps for the session: real ones through QtMultimedia, or silence when there is no audio device.

Sounds are preloaded when the adapter is made, so a beep plays on time rather than after a file load."""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import QLoggingCategory, QUrl

from sciatica_coach.assets import asset_path
from sciatica_coach.platform.sound_files import SOUNDS

log = logging.getLogger(__name__)


class Sound(Protocol):
    available: bool

    def play(self, name: str) -> None: ...

    def set_volume(self, percent: int) -> None: ...


class NullSound:
    """Used when there is no audio device or QtMultimedia cannot load: the session runs silently."""

    available = False

    def play(self, name: str) -> None:
        pass

    def set_volume(self, percent: int) -> None:
        pass


class QtSound:
    available = True

    def __init__(self, volume_percent: int = 80) -> None:
        from PySide6.QtMultimedia import QSoundEffect

        self._effects: dict[str, QSoundEffect] = {}
        for name in SOUNDS:
            effect = QSoundEffect()
            effect.setSource(QUrl.fromLocalFile(str(asset_path("sounds", f"{name}.wav"))))
            self._effects[name] = effect
        self.set_volume(volume_percent)

    def play(self, name: str) -> None:
        effect = self._effects.get(name)
        if effect is not None:
            effect.play()

    def set_volume(self, percent: int) -> None:
        for effect in self._effects.values():
            effect.setVolume(max(0, min(100, percent)) / 100)


def create_sound(volume_percent: int = 80) -> Sound:
    """The best sound adapter this machine allows; never raises."""
    QLoggingCategory.setFilterRules("qt.multimedia.*=false")  # backend probing noise is not for users
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError as err:
        log.warning("Sound is off: Qt's multimedia library could not load (%s)", err)
        return NullSound()
    if not QMediaDevices.audioOutputs():
        log.warning("Sound is off: no audio output device was found")
        return NullSound()
    return QtSound(volume_percent)
