"""Voice commands for the window: what the screen listens for, when the app is deaf, and what was heard.

`VoiceControl` wraps the listening worker (platform.listener). Views say what they ask for (`listen`) and
when nothing is asked (`quiet`); the app's own speech makes it deaf for as long as that takes (`speaking`),
so its cues are never taken as commands. What the worker recognised arrives as `heard(Heard)` in the window
thread, understood with the screen's vocabulary (core.voice). The worker is made on the first `listen`, never
at start-up, and only while the person has switched voice commands on."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from sciatica_coach.core.voice import Asking, Heard, Vocabulary, vocabulary_for
from sciatica_coach.platform.worker_process import ServiceState

log = logging.getLogger(__name__)

SECONDS_PER_WORD = 0.45  # the app's voice speaks a touch slower than 150 words a minute
SPEAKING_MARGIN_S = 1.0  # the engine takes a moment to start, and the room echoes


class Listener(Protocol):
    available: bool
    failure: str | None
    on_heard: Callable[[str, str], None] | None

    def listen(self, asking: Asking) -> None: ...

    def quiet(self) -> None: ...

    def mute(self, seconds: float) -> None: ...

    def close(self) -> None: ...


ListenerFactory = Callable[..., Listener]  # (language, on_heard=, on_failure=, on_ready=) -> Listener


def speaking_seconds(text: str) -> float:
    """About how long the app's voice takes to say `text`, with a margin."""
    return len(text.split()) * SECONDS_PER_WORD + SPEAKING_MARGIN_S


class VoiceControl(QObject):
    """The window's ear. Signals arrive in the window thread."""

    heard = Signal(object)  # Heard
    listening_changed = Signal(bool)  # the "listening" mark
    asking_changed = Signal(object)  # Asking | None: what the screen in view now listens for
    unavailable = Signal(str)  # plain words, once: no microphone, no recogniser, it stopped answering
    _from_worker = Signal(str, str)  # (asking, words) from the worker's reader thread
    _worker_off = Signal(str)

    def __init__(self, factory: ListenerFactory, language: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._factory = factory
        self.language = language
        self.vocabulary: Vocabulary = vocabulary_for(language)
        self._listener: Listener | None = None
        self.asking: Asking | None = None
        self.failure: str | None = None
        self._from_worker.connect(self._on_worker_heard)
        self._worker_off.connect(self._on_worker_off)

    @property
    def listening(self) -> bool:
        return self.asking is not None and self.failure is None

    @property
    def state(self) -> ServiceState | None:
        """What is known of listening: None before the first `listen`."""
        if self._listener is None:
            return None
        state = getattr(self._listener, "state", None)
        return state if isinstance(state, ServiceState) else None

    def listen(self, asking: Asking) -> None:
        """Listen for what `asking` expects (the microphone opens on the first call)."""
        if self.failure is not None or asking is self.asking:
            return
        was_listening = self.listening
        self.asking = asking
        self.asking_changed.emit(asking)
        listener = self._ensure_listener()
        if self.failure is None:
            listener.listen(asking)
        if self.listening != was_listening:
            self.listening_changed.emit(self.listening)

    def quiet(self) -> None:
        """Stop listening (the microphone closes)."""
        if self.asking is None:
            return
        self.asking = None
        self.asking_changed.emit(None)
        if self._listener is not None:
            self._listener.quiet()
        self.listening_changed.emit(False)

    def speaking(self, text: str) -> None:
        """The app is about to say `text`: its own words are no commands."""
        if self._listener is not None and self.listening:
            self._listener.mute(speaking_seconds(text))

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()

    def _ensure_listener(self) -> Listener:
        if self._listener is None:
            self._listener = self._factory(
                self.language, on_heard=self._from_worker.emit, on_failure=self._worker_off.emit
            )
            failure = getattr(self._listener, "failure", None)
            if failure:  # deaf from the start (no recogniser installed)
                self._on_worker_off(str(failure))
        return self._listener

    def _on_worker_heard(self, asking: str, words: str) -> None:
        if self.asking is None or asking != self.asking.value:
            return  # said to a screen that is gone
        heard: Heard | None = self.vocabulary.understand(self.asking, words)
        if heard is not None:
            log.debug("Heard %r while asking %s", words, asking)
            self.heard.emit(heard)

    def _on_worker_off(self, words: str) -> None:
        if self.failure is not None:
            return
        was_listening = self.listening
        self.failure = words
        self.unavailable.emit(words)
        if was_listening:
            self.listening_changed.emit(False)
