"""Offline recognition of the app's few spoken commands with PocketSphinx, from 16 kHz mono 16-bit sound.

No Qt here, and no microphone: `Listening` takes bytes from any source (the microphone in the listening
worker, a WAV file in tests and the benchmark) and gives back what was said, phrase by phrase. Nothing is
stored or sent anywhere: sound lives in memory for the length of one phrase.

How: a voice-activity detector, together with a noise floor, cuts the sound into phrases (`Segmenter`); a
phrase that is too long to be a command, or that follows the one before without a real pause, is other talk
and is dropped unheard; the rest is decoded against a grammar of exactly the phrases the screen listens for
(core.voice), and kept only when the decoder reached the end of one of them. Figures: docs/voice.md.
"""

from __future__ import annotations

import array
import importlib.util
import logging
import math
import os
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sciatica_coach.core.voice import Asking, Heard, Vocabulary

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
SAMPLE_BYTES = 2  # 16-bit signed, little-endian, mono
FRAME_S = 0.03  # the voice-activity detector judges 30 ms at a time
START_FRAMES = 3  # a phrase starts when 3 of the last 5 frames are speech ...
START_WINDOW = 5
BEFORE_FRAMES = 10  # ... and keeps the 0.3 s before that (the first sound is often quiet)
END_FRAMES = 12  # it ends after 0.36 s without speech
LONGEST_COMMAND_S = 1.6  # anything longer is other talk, not a command: dropped without decoding
# A command is said on its own: a phrase that follows the one before after less quiet than this is part of
# other talk (a sentence going on after a pause for breath) and is dropped without decoding.
QUIET_BEFORE_COMMAND_S = 0.6
VAD_MODE = 0  # PocketSphinx's voice-activity detector, 0 (lets most through) to 3 (the most strict)
# Steady noise (a fan, traffic) is "speech" to that detector and would make one endless phrase: a frame counts
# only when it is also this much louder than the noise floor, which follows the quietest recent frames.
ABOVE_FLOOR_DB = 4.0
FLOOR_RISE_DB_PER_S = 3.0  # how fast the floor follows the noise getting louder


class ModelMissingError(RuntimeError):
    """The recogniser or its model for the language is not installed: say so and carry on without voice."""


@dataclass(frozen=True, slots=True)
class SpeechModel:
    """The files of one language's acoustic model and pronunciation dictionary."""

    language: str
    acoustic: str  # a folder
    dictionary: str  # a file


def find_model(language: str = "en", models: str | None = None) -> SpeechModel:
    """The model that recognises `language`; raises ModelMissingError when there is none here.

    `models` is the folder holding the models (PocketSphinx's own when None). Only US English comes with
    PocketSphinx; no German model can be had from the package registries (docs/voice.md)."""
    if importlib.util.find_spec("pocketsphinx") is None:
        raise ModelMissingError("PocketSphinx is not installed")
    if language != "en":
        raise ModelMissingError(f"there is no recogniser model for '{language}'")
    if models is None:
        from pocketsphinx import get_model_path

        models = get_model_path()
    root = os.path.join(models, "en-us")
    model = SpeechModel("en", os.path.join(root, "en-us"), os.path.join(root, "cmudict-en-us.dict"))
    for path in (os.path.join(model.acoustic, "mdef"), model.dictionary):
        if not os.path.isfile(path):
            raise ModelMissingError(
                f"the recogniser model is incomplete ({os.path.basename(path)} is missing)"
            )
    return model


@dataclass(frozen=True, slots=True)
class Phrase:
    """A stretch of speech, with where it ended in the sound (seconds from the start of listening)."""

    audio: bytes
    end_s: float
    quiet_before_s: float = float("inf")  # how long it was quiet before it began (since the last phrase)

    @property
    def seconds(self) -> float:
        return len(self.audio) / (SAMPLE_RATE * SAMPLE_BYTES)


class Segmenter:
    """Cuts a stream of sound into phrases with PocketSphinx's voice-activity detector."""

    def __init__(self, vad_mode: int = VAD_MODE) -> None:
        from pocketsphinx import Vad

        self._vad = Vad(vad_mode, SAMPLE_RATE, FRAME_S)
        self.frame_bytes: int = self._vad.frame_bytes
        self._pending = b""
        self._frames_seen = 0
        self._before: deque[bytes] = deque(maxlen=BEFORE_FRAMES)
        self._recent: deque[bool] = deque(maxlen=START_WINDOW)
        self._phrase: list[bytes] | None = None
        self._quiet = 0
        self._floor_db: float | None = None
        self._last_speech = -(10**9)  # the frame where the phrase before ended (none yet: long ago)
        self._began = 0
        self._rise_db = FLOOR_RISE_DB_PER_S * FRAME_S

    def feed(self, audio: bytes) -> Iterator[Phrase]:
        """Take more sound; yield each phrase that ended in it."""
        data = self._pending + audio
        whole = len(data) - len(data) % self.frame_bytes
        self._pending = data[whole:]
        for start in range(0, whole, self.frame_bytes):
            phrase = self._frame(data[start : start + self.frame_bytes])
            if phrase is not None:
                yield phrase

    def reset(self) -> None:
        """Forget a phrase under way (the app began to speak, or listening stopped)."""
        self._pending = b""
        self._before.clear()
        self._recent.clear()
        self._phrase = None
        self._quiet = 0

    def _above_floor(self, frame: bytes) -> bool:
        samples = array.array("h", frame)  # 16-bit little-endian (numpy is left out: not needed at start)
        if sys.byteorder == "big":
            samples.byteswap()
        level_db = 10 * math.log10(sum(x * x for x in samples) / max(1, len(samples)) + 1.0)
        floor = self._floor_db
        floor = level_db if floor is None or level_db < floor else floor + self._rise_db
        self._floor_db = floor
        return level_db >= floor + ABOVE_FLOOR_DB

    def _frame(self, frame: bytes) -> Phrase | None:
        self._frames_seen += 1
        speech = bool(self._vad.is_speech(frame)) and self._above_floor(frame)
        self._recent.append(speech)
        if self._phrase is None:
            self._before.append(frame)
            if sum(self._recent) >= START_FRAMES:
                self._began = self._frames_seen - len(self._before)
                self._phrase, self._quiet = list(self._before), 0
                self._before.clear()
            return None
        self._phrase.append(frame)
        self._quiet = 0 if speech else self._quiet + 1
        if self._quiet < END_FRAMES:
            return None
        audio, self._phrase = b"".join(self._phrase), None
        self._recent.clear()
        quiet_before_s = max(0, self._began - self._last_speech) * FRAME_S
        self._last_speech = self._frames_seen - END_FRAMES
        return Phrase(audio, self._frames_seen * FRAME_S, quiet_before_s)


class Recogniser:
    """PocketSphinx with one grammar search per `Asking`; decodes one phrase at a time."""

    def __init__(self, model: SpeechModel, vocabulary: Vocabulary) -> None:
        from pocketsphinx import Config, Decoder

        self.vocabulary = vocabulary
        config = Config(hmm=model.acoustic, dict=model.dictionary, lm=None, loglevel="FATAL", topn=16)
        self._decoder: Any = Decoder(config)
        for word, ways in vocabulary.pronunciations.items():
            for phones in ways:
                self._add_way(word, phones)
        for asking in Asking:
            self._decoder.add_jsgf_string(asking.value, vocabulary.grammar(asking))
        self._active: Asking | None = None

    def _add_way(self, word: str, phones: str) -> None:
        """One more way of saying `word`, as the dictionary's next alternative ("calf(2)")."""
        number = 2
        while self._decoder.lookup_word(f"{word}({number})") is not None:
            number += 1
        self._decoder.add_word(f"{word}({number})", phones, False)

    def decode(self, audio: bytes, asking: Asking) -> Heard | None:
        """What the phrase says among those listened for while `asking`; None when it is none of them."""
        if self._active is not asking:
            self._decoder.activate_search(asking.value)
            self._active = asking
        self._decoder.start_utt()
        self._decoder.process_raw(audio, full_utt=True)
        self._decoder.end_utt()
        hypothesis = self._decoder.hyp()
        if hypothesis is None:
            return None
        # A decoder that did not reach the end of a phrase gives its best partial guess ("go" for "go on"):
        # only a whole phrase that is listened for counts.
        return self.vocabulary.understand(asking, hypothesis.hypstr)


@dataclass(frozen=True, slots=True)
class Result:
    """What one phrase turned out to be: `heard` is None for talk that is no command here."""

    heard: Heard | None
    end_s: float  # where the phrase ended in the sound
    seconds: float  # how long it was
    asking: Asking


class Listening:
    """Sound in, results out: the segmenter and the recogniser together, for one screen's `asking` at a time."""

    def __init__(self, recogniser: Recogniser, asking: Asking = Asking.SESSION) -> None:
        self.recogniser = recogniser
        self.segmenter = Segmenter(VAD_MODE)
        self.asking = asking

    def feed(self, audio: bytes) -> Iterator[Result]:
        for phrase in self.segmenter.feed(audio):
            heard = None
            if phrase.seconds <= LONGEST_COMMAND_S and phrase.quiet_before_s >= QUIET_BEFORE_COMMAND_S:
                heard = self.recogniser.decode(phrase.audio, self.asking)
            yield Result(heard, phrase.end_s, phrase.seconds, self.asking)

    def listen_for(self, asking: Asking) -> None:
        if asking is not self.asking:
            self.asking = asking
            self.segmenter.reset()  # a phrase begun on the screen before is not an answer here
