"""Short beeps for the session: real ones through QtMultimedia, or silence when there is no audio device.

The sounds play in a worker process (platform.worker_process): a sound server that hangs costs the window
nothing. There, they are preloaded when the engine is made, so a beep plays on time, not after a file load.
The worker's start is where a machine without a sound output is found out (`engine_sound` raises
ServiceMissingError): the app then says plainly that there will be no beeps."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QLoggingCategory, QUrl

from sciatica_coach.assets import asset_path
from sciatica_coach.i18n import _
from sciatica_coach.platform.sound_files import SOUNDS
from sciatica_coach.platform.worker_process import (
    SOUND_MISSING,
    ServiceMissingError,
    ServiceState,
    SoundProcess,
    worker_command,
)

log = logging.getLogger(__name__)


class Sound(Protocol):
    available: bool

    def play(self, name: str) -> None: ...

    def set_volume(self, percent: int) -> None: ...


class NullSound:
    """Silence: used when QtMultimedia cannot load (then `failure` holds the words that say so, as a worker's
    would), or as a quiet stand-in that reports nothing (screenshots)."""

    available = False

    def __init__(self, failure: str | None = None) -> None:
        self.failure = failure
        self.state = ServiceState.MISSING if failure else None

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


def engine_sound(volume_percent: int = 80) -> QtSound:
    """Sound in this process (the worker's side): raises ServiceMissingError when there is no audio output, and
    ImportError when Qt's multimedia library cannot load. Asking for the outputs can wait 30 s on a sound
    server that doesn't answer (the worker's start watchdog gives up sooner)."""
    QLoggingCategory.setFilterRules("qt.multimedia.*=false")  # backend probing noise is not for users
    from PySide6.QtMultimedia import QMediaDevices

    if not QMediaDevices.audioOutputs():
        raise ServiceMissingError("no audio output device was found")
    return QtSound(volume_percent)


def create_sound(
    volume_percent: int = 80,
    on_failure: Callable[[str], None] | None = None,
    on_ready: Callable[[], None] | None = None,
) -> Sound:
    """Sound played by a worker process (a hung sound server never blocks the window); never raises and
    never blocks. A machine without sound is found out there and reported once through `on_failure`, then it
    is silent; `on_ready` hears when it works."""
    if importlib.util.find_spec("PySide6.QtMultimedia") is None:
        log.warning("Sound is off: Qt's multimedia library is not installed")
        return NullSound(_(SOUND_MISSING))
    command = worker_command("sound", None, volume_percent)
    return SoundProcess(command, on_failure=on_failure, on_ready=on_ready)
