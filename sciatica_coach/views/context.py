"""What every page is handed: the repository, the clock, platform services and the app-wide change signals."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from sciatica_coach.core.clock import Clock, SystemClock
from sciatica_coach.storage.repository import DataError, Repository

if TYPE_CHECKING:
    from sciatica_coach.core.model import SafetyEvent, SessionRecord
    from sciatica_coach.platform.screen import ScreenKeeper
    from sciatica_coach.platform.sound import Sound
    from sciatica_coach.platform.speech import Speech
    from sciatica_coach.platform.worker_process import ServiceState
    from sciatica_coach.services.reminders import ReminderService
    from sciatica_coach.services.sitting_breaks import SittingBreakService
    from sciatica_coach.services.voice_control import Listener, VoiceControl
    from sciatica_coach.views.break_card import BreakCard

log = logging.getLogger(__name__)


# The real services, imported when first made: the window shows without loading audio, speech or D-Bus code.
def create_sound(volume: int) -> Sound:
    """Beeps from a worker process, which also finds out whether there is a sound output at all."""
    from sciatica_coach.platform.sound import create_sound

    return create_sound(volume)


def create_speech(volume: int) -> Speech:
    """The voice speaks the app's language (chosen in Settings or following the system). The engine runs in
    a worker process: a missing, hung or failing engine is switched off and reported (AppContext.service_off);
    so do the sounds (create_sound)."""
    from sciatica_coach.platform.locale_support import app_locale
    from sciatica_coach.platform.speech import create_speech

    return create_speech(app_locale().name(), volume)


def create_listener(
    language: str,
    *,
    on_heard: Callable[[str, str], None] | None = None,
    on_failure: Callable[[str], None] | None = None,
) -> Listener:
    """The listening worker for voice commands (microphone and recogniser in their own process)."""
    from sciatica_coach.platform.listener import create_listener

    return create_listener(language, on_heard=on_heard, on_failure=on_failure)


def create_screen_keeper() -> ScreenKeeper:
    from sciatica_coach.platform.screen import create_screen_keeper

    return create_screen_keeper()


@dataclass
class ServiceFactories:
    """How platform services are made. Tests pass silent fakes; the app passes the real ones."""

    sound: Callable[[int], Sound] = create_sound
    speech: Callable[[int], Speech] = create_speech
    screen: Callable[[], ScreenKeeper] = create_screen_keeper
    listener: Callable[..., Listener] = create_listener


class AppContext(QObject):
    """Shared by all views. Pages listen to the signals to refresh themselves."""

    sessions_changed = Signal()
    settings_changed = Signal()
    appearance_changed = Signal()  # colours or text size applied anew (a setting, or the system's light/dark)
    routine_changed = Signal()
    start_session_requested = Signal()
    session_open_changed = Signal(bool)  # a guided session opened (True) or closed (False) in the window
    save_failed = Signal(str)  # a plain-words message; the main window shows it
    # A platform service the person has switched on is missing, stopped answering or failed, and is off for
    # the run: plain words for the person. Emitted from a background thread (delivered queued to the window
    # thread), at most once per service and run.
    service_off = Signal(str)
    # What is known of sound or speech changed (found working, missing or off; see service_state), whether
    # switched on or not. Also from a background thread.
    services_changed = Signal()
    _heard = Signal(str, str)  # (kind, words: "" when it works) from a service's thread, to the window thread

    def __init__(
        self,
        repo: Repository,
        clock: Clock | None = None,
        services: ServiceFactories | None = None,
        parent: QObject | None = None,
        *,
        starting: bool = False,
    ) -> None:
        super().__init__(parent)
        self.repo = repo
        self.clock: Clock = clock or SystemClock()
        self._factories = services or ServiceFactories()
        self._sound: Sound | None = None
        self._speech: Speech | None = None
        self._screen: ScreenKeeper | None = None
        self._voice: VoiceControl | None = None
        self.reminders: ReminderService | None = None  # set by app.install_reminders once they run
        self.sitting_breaks: SittingBreakService | None = None  # set by the app once sitting breaks run
        self.break_card: BreakCard | None = (
            None  # the sitting-break card, made when the first break falls due
        )
        self._told_off: set[str] = set()  # the services whose service_off has been emitted
        self._heard.connect(self._on_heard)
        # While the app starts, work the first picture doesn't need waits here until the window has appeared.
        self._after_start: list[tuple[Callable[[], object], QObject]] | None = [] if starting else None

    def after_start(self, work: Callable[[], object], owner: QObject) -> None:
        """Run `work` from the event loop once the main window has first appeared (straight away if it has),
        unless `owner` is gone by then. Start-up work the first picture doesn't need waits, so the window
        shows sooner: Today's exercise list, the reminders, the single-instance server."""
        if self._after_start is None:
            QTimer.singleShot(0, owner, work)
        else:
            self._after_start.append((work, owner))

    def finish_start(self) -> None:
        """The window has appeared: run the waiting start-up work, in the order it was asked for."""
        waiting, self._after_start = self._after_start or [], None
        for work, owner in waiting:
            QTimer.singleShot(0, owner, work)

    # Services are made on first use: a speech engine or audio device costs start-up time and memory.
    @property
    def sound(self) -> Sound:
        if self._sound is None:
            self._sound = self._factories.sound(
                self.repo.setting("volume")
            )  # 0-100: the repository checks it
            self._watch("sound", self._sound)
        return self._sound

    @property
    def speech(self) -> Speech:
        if self._speech is None:
            self._speech = self._factories.speech(self.repo.setting("volume"))
            self._watch("speech", self._speech)
        return self._speech

    @property
    def voice(self) -> VoiceControl | None:
        """Voice commands, while the person has them switched on (Settings); made on first use."""
        if not self.repo.setting("voice_commands_on"):
            return None
        if self._voice is None:
            from sciatica_coach.platform.locale_support import app_locale
            from sciatica_coach.services.voice_control import VoiceControl

            self._voice = VoiceControl(self._factories.listener, app_locale().name(), self)
        return self._voice

    def say(self, text: str) -> None:
        """Speak `text` with the app's voice; voice commands don't take it for a command."""
        if self._voice is not None:
            self._voice.speaking(text)
        self.speech.say(text)

    @property
    def screen(self) -> ScreenKeeper:
        if self._screen is None:
            self._screen = self._factories.screen()
        return self._screen

    def check_services(self, *, switched_on_only: bool = False) -> None:
        """Make sound and speech now (only those switched on in Settings, if asked), so that their workers
        find out in the background whether this machine has them; never blocks. The answers come as
        `services_changed` (and `service_off` for one that is off)."""
        settings = self.repo.settings()
        if not switched_on_only or settings["sound_on"]:
            _ = self.sound
        if not switched_on_only or settings["voice_on"]:
            _ = self.speech

    def service_state(self, kind: str) -> ServiceState | None:
        """What is known of "sound" or "speech": checking, working, missing, failed or hung; None before it
        is first made, or for a quiet stand-in that reports nothing."""
        from sciatica_coach.platform.worker_process import ServiceState

        service = {"sound": self._sound, "speech": self._speech}[kind]
        if service is None:
            return None
        state = getattr(service, "state", service)
        if state is service:  # a simple service without a state (a test's fake): as available as it says
            return ServiceState.WORKING if getattr(service, "available", False) else None
        return state if isinstance(state, ServiceState) else None

    def _switched_on(self, kind: str) -> bool:
        return bool(self.repo.setting("sound_on" if kind == "sound" else "voice_on"))

    def _watch(self, kind: str, service: object) -> None:
        """Hear from a service that finds out in the background whether it works (has `on_failure`,
        `on_ready`, `failure`). Its callbacks run in its own thread: they only pass the news on (_heard)."""
        if hasattr(service, "on_failure"):
            service.on_failure = functools.partial(self._heard.emit, kind)
        if hasattr(service, "on_ready"):
            service.on_ready = functools.partial(self._heard.emit, kind, "")
        failure = getattr(service, "failure", None)  # it may have failed, or started, before we listened
        self._heard.emit(kind, str(failure) if failure else "")

    def _on_heard(self, kind: str, words: str) -> None:
        """In the window thread: `services_changed` each time; `service_off` once per service and run, if
        the person has it switched on (a switched-off one comes up in services_off once switched on)."""
        self.services_changed.emit()
        if words and kind not in self._told_off and self._switched_on(kind):
            self._told_off.add(kind)
            self.service_off.emit(words)

    def services_off(self) -> list[str]:
        """The plain words of each service switched on in Settings and already off for the run (missing,
        hung or failed; see `service_off`)."""
        services = [("sound", self._sound), ("speech", self._speech)]
        on = [service for kind, service in services if service is not None and self._switched_on(kind)]
        return [str(failure) for service in on if (failure := getattr(service, "failure", None))]

    def close_services(self) -> None:
        """At quit: end the services' background workers without waiting for them (they may be hung)."""
        for service in (self._speech, self._sound, self._voice):
            close = getattr(service, "close", None)
            if callable(close):
                close()

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

    def record_safety_event(self, event: SafetyEvent) -> bool:
        """Keep a safety moment in the history; a failed save is reported, never raised, so recording can
        never get in the way of the safety advice itself."""
        try:
            self.repo.add_safety_event(event)
        except DataError as err:
            log.error("Could not save a safety event: %s", err)
            self.save_failed.emit(str(err))
            return False
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
