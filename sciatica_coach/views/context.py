"""What every page is handed: the repository, the clock, platform services and the app-wide change signals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from sciatica_coach.core.clock import Clock, SystemClock
from sciatica_coach.core.model import SessionRecord
from sciatica_coach.platform.screen import ScreenKeeper, create_screen_keeper
from sciatica_coach.platform.sound import Sound, create_sound
from sciatica_coach.platform.speech import Speech, create_speech
from sciatica_coach.storage.repository import DataError, Repository

log = logging.getLogger(__name__)


def _speech_locale() -> str:
    """The voice speaks the app's language (chosen in Settings or following the system)."""
    from sciatica_coach.views.locale_support import app_locale

    return app_locale().name()


@dataclass
class ServiceFactories:
    """How platform services are made. Tests pass silent fakes; the app passes the real ones."""

    sound: Callable[[int], Sound] = create_sound
    speech: Callable[[int], Speech] = field(default=lambda volume: create_speech(_speech_locale(), volume))
    screen: Callable[[], ScreenKeeper] = create_screen_keeper


class AppContext(QObject):
    """Shared by all views. Pages listen to the signals to refresh themselves."""

    sessions_changed = Signal()
    settings_changed = Signal()
    routine_changed = Signal()
    start_session_requested = Signal()
    save_failed = Signal(str)  # a plain-words message; the main window shows it

    def __init__(
        self,
        repo: Repository,
        clock: Clock | None = None,
        services: ServiceFactories | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.repo = repo
        self.clock: Clock = clock or SystemClock()
        self._factories = services or ServiceFactories()
        self._sound: Sound | None = None
        self._speech: Speech | None = None
        self._screen: ScreenKeeper | None = None

    # Services are made on first use: a speech engine or audio device costs start-up time and memory.
    @property
    def sound(self) -> Sound:
        if self._sound is None:
            self._sound = self._factories.sound(int(self.repo.setting("volume")))
        return self._sound

    @property
    def speech(self) -> Speech:
        if self._speech is None:
            self._speech = self._factories.speech(int(self.repo.setting("volume")))
        return self._speech

    @property
    def screen(self) -> ScreenKeeper:
        if self._screen is None:
            self._screen = self._factories.screen()
        return self._screen

    def save_session(self, record: SessionRecord) -> bool:
        """Store a session record and tell the pages; a failed save is reported, never raised."""
        try:
            self.repo.save_session(record)
        except DataError as err:
            log.error("Could not save the session: %s", err)
            self.save_failed.emit(str(err))
            return False
        self.sessions_changed.emit()
        return True

    def set_setting(self, key: str, value: object) -> None:
        """Save a setting and tell every page; volume changes reach live services at once."""
        self.repo.set_setting(key, value)
        if key == "volume" and isinstance(value, int):
            if self._sound is not None:
                self._sound.set_volume(value)
            if self._speech is not None:
                self._speech.set_volume(value)
        self.settings_changed.emit()
