"""Listening for voice commands: the microphone and the recogniser in a worker process.

The worker (`python -m sciatica_coach.platform.worker listen`) owns the microphone and PocketSphinx, so a
microphone that hangs, a sound server that never answers or a slow decode never touches the window thread
(see worker_process for why processes). The microphone is open only between "listen" and "quiet": the app
listens only while a session or one of its questions is on screen. Sound stays in that process's memory for
the length of one phrase; nothing is stored or sent.

The app's side is `ListenProcess` (created by `create_listener`); it hands over requests as the other workers
do (`listen` with what the screen asks for, `quiet`, `mute` while the app itself speaks) and gets back one
line per recognised phrase: `heard ASKING WORDS` (e.g. `heard session go on`). The worker's side is
`MicrophoneListener` (or `WavListener` for tests: the same pipeline fed from a WAV file)."""

from __future__ import annotations

import importlib.util
import logging
import time
import wave
from collections.abc import Callable, Sequence
from typing import Any

from sciatica_coach.core.voice import Asking, vocabulary_for
from sciatica_coach.i18n import N_, _
from sciatica_coach.platform.recogniser import (
    SAMPLE_BYTES,
    SAMPLE_RATE,
    Listening,
    ModelMissingError,
    Recogniser,
    find_model,
)
from sciatica_coach.platform.worker_process import (
    ServiceMissingError,
    ServiceState,
    WorkerProcess,
    worker_command,
)

log = logging.getLogger(__name__)

LISTEN_HUNG = N_("Voice commands are off: the microphone stopped answering. Use the buttons or keys.")
LISTEN_FAILED = N_(
    "Voice commands are off: listening does not work on this computer. Use the buttons or keys."
)
LISTEN_MISSING = N_(
    "No microphone was found, so voice commands are off. Everything works with the buttons and keys."
)
NO_MODEL = N_("Voice commands are off: the speech recogniser is not installed. Use the buttons or keys.")
# An open microphone sends sound every few tens of milliseconds, silence included. None for this long: it has
# gone (the sound server ended or the device was pulled out; Qt reports no error for either).
MICROPHONE_SILENT_S = 5.0
MICROPHONE_CHECK_MS = 1000  # how often the worker looks whether sound still comes while it is open


class NullListener:
    """Deaf: used when the recogniser or QtMultimedia cannot load (`failure` says why, as a worker's would)."""

    available = False

    def __init__(self, failure: str | None = None) -> None:
        self.failure = failure
        self.state = ServiceState.MISSING if failure else None
        self.on_heard: Callable[[str, str], None] | None = None

    def listen(self, asking: Asking) -> None:
        pass

    def quiet(self) -> None:
        pass

    def mute(self, seconds: float) -> None:
        pass

    def close(self) -> None:
        pass


class ListenProcess(WorkerProcess):
    """The app's side of the listening worker; never blocks and never raises."""

    label = "Listening"
    hung_notice, failed_notice, missing_notice = LISTEN_HUNG, LISTEN_FAILED, LISTEN_MISSING

    def __init__(
        self, command: Sequence[str], on_heard: Callable[[str, str], None] | None = None, **options: Any
    ) -> None:
        self.on_heard = on_heard  # called from a background thread with (asking, words)
        super().__init__(command, **options)

    def listen(self, asking: Asking) -> None:
        self._hand_over("listening", {"op": "listen", "asking": asking.value})

    def quiet(self) -> None:
        self._hand_over("listening", {"op": "quiet"})  # replaces a "listen" not yet handed over

    def mute(self, seconds: float) -> None:
        self._hand_over("mute", {"op": "mute", "seconds": round(max(0.0, seconds), 2)})

    def _other_answer(self, word: str, rest: str) -> None:
        if word == "heard" and self.on_heard is not None:
            asking, _sep, words = rest.partition(" ")
            self._tell(self.on_heard, asking, words)


def create_listener(
    language: str,
    *,
    on_heard: Callable[[str, str], None] | None = None,
    on_failure: Callable[[str], None] | None = None,
    on_ready: Callable[[], None] | None = None,
    wavs: Sequence[str] = (),
) -> ListenProcess | NullListener:
    """The listening worker; a deaf stand-in when the recogniser is not installed. `wavs` are fed instead of
    the microphone, one per "listen" (tests)."""
    if importlib.util.find_spec("pocketsphinx") is None:
        log.warning("Voice commands are off: PocketSphinx is not installed")
        return NullListener(_(NO_MODEL))
    command = worker_command("listen", language, 0)
    for wav in wavs:
        command += ["--wav", wav]
    return ListenProcess(command, on_heard=on_heard, on_failure=on_failure, on_ready=on_ready)


# ---- the worker's side ------------------------------------------------------------------------------------
class ListenerEngine:
    """What the worker runs: the pipeline, fed by a sound source, telling each phrase it recognised.

    `tell` is set by the worker (platform.worker.serve) to write a protocol line. Subclasses start and stop
    their source in `_open`/`_close` and pass sound to `_sound`."""

    engine_name = "pocketsphinx"

    def __init__(self, language: str, clock: Callable[[], float] = time.monotonic) -> None:
        vocabulary = vocabulary_for(language)  # English words where the language has none yet
        try:
            model = find_model(vocabulary.language)
        except ModelMissingError as err:
            raise ServiceMissingError(str(err)) from err
        self.listening = Listening(Recogniser(model, vocabulary))
        self._clock = clock
        self._deaf_until = 0.0
        self.open = False
        self.tell: Callable[[str], None] = lambda line: None

    def listen(self, asking: str) -> None:
        self.listening.listen_for(Asking(asking))
        if not self.open:
            self.open = True
            self._open()

    def quiet(self) -> None:
        if self.open:
            self.open = False
            self._close()
        self.listening.segmenter.reset()

    def mute(self, seconds: float) -> None:
        """The app is about to speak for about `seconds`: its own words are no commands."""
        self._deaf_until = max(self._deaf_until, self._clock() + seconds)
        self.listening.segmenter.reset()

    def set_volume(self, percent: int) -> None:
        pass

    def _sound(self, audio: bytes) -> None:
        if not self.open:
            return
        if self._clock() < self._deaf_until:
            self.listening.segmenter.reset()
            return
        for result in self.listening.feed(audio):
            if result.heard is not None:
                self.tell(f"heard {result.asking.value} {result.heard.words}")

    def _open(self) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError


class MicrophoneListener(ListenerEngine):
    """The default microphone through QtMultimedia, 16 kHz mono 16-bit, open only while listening."""

    def __init__(self, language: str) -> None:
        from PySide6.QtMultimedia import QAudioFormat, QMediaDevices

        from sciatica_coach.platform.speech import quiet_multimedia_probing

        quiet_multimedia_probing()
        device = QMediaDevices.defaultAudioInput()
        if device.isNull():
            raise ServiceMissingError("no microphone")
        super().__init__(language)
        self._device = device
        self._format = QAudioFormat()
        self._format.setSampleRate(SAMPLE_RATE)
        self._format.setChannelCount(1)
        self._format.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        self._source: Any = None
        self._io: Any = None
        self._watchdog: Any = None
        self._sound_at = 0.0  # when the open microphone last sent sound (or was opened)
        self._gone = ""  # why the microphone is known to have gone

    def _open(self) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtMultimedia import QAudioSource

        self._source = QAudioSource(self._device, self._format)
        self._io = self._source.start()
        if self._io is None:
            raise RuntimeError("the microphone could not be opened")
        self._io.readyRead.connect(self._read)
        self._sound_at = self._clock()
        self._watchdog = QTimer()
        self._watchdog.setInterval(MICROPHONE_CHECK_MS)
        self._watchdog.timeout.connect(self._check_sound)
        self._watchdog.start()

    def _read(self) -> None:
        if self._io is not None:
            self._sound(bytes(self._io.readAll().data()))
            self._sound_at = self._clock()  # after decoding: a slow decode is no silence of the microphone

    def _check_sound(self) -> None:
        """No sound for a while from a microphone that is open: it has gone. Tell the app (it switches listening
        off) rather than show "listening" while hearing nothing."""
        if self.open and not self._gone and self._clock() - self._sound_at > MICROPHONE_SILENT_S:
            self._gone = f"the microphone sent no sound for {MICROPHONE_SILENT_S:g} s"
            self.tell(f"off {self._gone}")

    def _close(self) -> None:
        if self._watchdog is not None:
            self._watchdog.stop()
        if self._source is not None:
            self._source.stop()
        self._source = self._io = self._watchdog = None

    def problem(self) -> str:
        if self._gone:
            return self._gone
        # By name: the enum is QtAudio.Error from PySide6 6.9 and QAudio.Error before (6.8 is supported)
        if self._source is not None and self._source.error().name != "NoError":
            return f"the microphone reported {self._source.error().name}"
        return ""


class WavListener(ListenerEngine):
    """Tests and checks: WAV files (16 kHz mono 16-bit) instead of the microphone. Each "listen" feeds the next
    file whole, at once; a file given as `ASKING=PATH` (e.g. `number=three.wav`) waits for a "listen" for that
    screen, so a test can say the right thing at the right moment of a real session."""

    def __init__(self, language: str, paths: Sequence[str]) -> None:
        super().__init__(language)
        self._waiting: list[tuple[str | None, bytes]] = []
        for given in paths:
            asking, sep, path = given.partition("=")
            if not sep or asking not in {a.value for a in Asking}:
                asking, path = "", given
            with wave.open(path, "rb") as wav:
                if (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) != (
                    SAMPLE_RATE, 1, SAMPLE_BYTES,
                ):  # fmt: skip
                    raise ValueError(f"{path} is not 16 kHz mono 16-bit")
                self._waiting.append((asking or None, wav.readframes(wav.getnframes())))

    def listen(self, asking: str) -> None:
        super().listen(asking)
        for index, (wanted, audio) in enumerate(self._waiting):
            if wanted in (None, asking):
                del self._waiting[index]
                self._feed_soon(audio)
                return

    def _feed_soon(self, audio: bytes) -> None:
        """Feed from the event loop, after "listen" has been answered (a long file takes a while to decode,
        as a microphone's sound would over its own time)."""
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: self._sound(audio))

    def _open(self) -> None:
        pass

    def _close(self) -> None:
        pass
