"""How well the voice commands are understood (issue 22): accuracy, false commands, latency and CPU.

Everything goes through the real pipeline (platform.recogniser.Listening: the voice-activity segmenter, the
"too long to be a command" rule and PocketSphinx with the screen's grammar), fed from synthetic speech made by
espeak-ng and flite with sox (tests/voice_audio.py), in 30 ms chunks as the microphone would give it.

1. Accuracy: every phrase of every screen (core.voice.ENGLISH.listens_for) spoken by each voice, one continuous
   stream per voice and screen (1.2 s between phrases), with sox's pink noise mixed in at 20 dB and 10 dB below
   the speech level. A phrase is right when exactly its words (and nothing else) were heard in its stretch.
   The reported espeak-ng voices are never used to tune: tuning uses TUNING_VOICES (`--voices tuning`).
   flite's voices are a second, separately labelled figure.
2. False commands: a few minutes of ordinary talk (OTHER_TALK), and the app's own spoken cues and questions,
   spoken by the same voices, fed while each screen listens: commands per ten minutes, each reported apart.
3. Latency: from the end of the spoken word in the stream to its Result, feeding at real-time pace.
4. CPU: process CPU time / wall time while feeding 60 s of speech, talk and noise at real-time pace.

Run: .venv/bin/python benchmarks/voice_accuracy.py [--quick] [--voices reported|tuning|flite] [--cache DIR]
Prints figures; no verdict, no exit status (docs/voice.md keeps them).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from sciatica_coach.core.voice import ENGLISH, Asking
from sciatica_coach.platform.recogniser import (
    FRAME_S,
    SAMPLE_RATE,
    Listening,
    Recogniser,
    Result,
    find_model,
)
from tests.voice_audio import (
    FLITE,
    SpokenSound,
    Stream,
    Voice,
    espeak,
    flite,
    missing_tools,
    stream,
    with_noise,
)

REPORTED_VOICES = tuple(
    espeak(name, wpm) for name in ("en-us", "en-gb", "en-us+f3", "en-gb-scotland+m3") for wpm in (140, 190)
)
# Tuning (VAD, segment lengths, decoder settings, pronunciations) looks only at these: other voices, other pace.
TUNING_VOICES = (espeak("en-gb-x-rp", 165), espeak("en-us-nyc+f2", 165), espeak("en-029+m2", 165))
FLITE_VOICES = tuple(flite(name) for name in ("slt", "awb", "rms"))
QUICK_VOICES = (espeak("en-us", 140), espeak("en-gb-scotland+m3", 190))
SNRS_DB = (20.0, 10.0)
NOISE = "pinknoise"
CHUNK_BYTES = round(FRAME_S * SAMPLE_RATE) * 2  # the microphone's 30 ms chunks

# Ordinary talk in the room while the app listens: a phone call, the radio, someone reading aloud.
OTHER_TALK = (
    "Hello, yes, it's me. I'm just doing my exercises on the floor, so I can't talk for long. "
    "No, the back is a bit better this week, thank you for asking. I walked to the shops on Tuesday and "
    "back again without stopping, which I haven't done since March.",
    "Could you pass me the cushion? The blue one, next to the lamp. Thanks. Is the kettle on? "
    "I'll have a cup of tea when I've finished, and then we can go out for a walk if it stays dry.",
    "And now the weather. A cold start this morning with some fog in the valleys, clearing by late "
    "morning to leave a bright and mostly sunny afternoon. Tonight stays dry with a touch of frost, and "
    "tomorrow cloud spreads in from the west with rain reaching the coast by the evening.",
    "The train now arriving at platform two is the ten fifteen service to the city centre, calling at "
    "all stations. Please stand back from the edge of the platform and mind the gap.",
    "Once upon a time there was a little house at the edge of a wood, and in the house lived an old "
    "woman with her cat. Every morning she opened the window, looked at the sky and said what kind of "
    "day it would be, and she was nearly always right.",
    "Right, so the plan for Saturday is that we meet at the station at ten, take the bus up to the lake, "
    "and have lunch in the cafe by the water. If anyone is late, just ring me and we'll wait.",
    "I think the football was on at eight, but I might have got that wrong. Did you record it? "
    "Never mind, we can watch the highlights later.",
    "Mum, where are my shoes? I've looked everywhere. Oh, found them, they were under the sofa. See you later.",
)


def app_cues() -> list[str]:
    """What the app itself says in a session (engine.cue_text and the spoken questions), in English."""
    from sciatica_coach.core import engine, safety
    from sciatica_coach.core.catalogue import load_catalogue
    from sciatica_coach.core.model import Side
    from sciatica_coach.views.session_view import SPOKEN_QUESTION

    cues = [
        "Halfway.",
        "Session ended. Take it easy.",
        "That's the end of the session. Well done.",
        safety.HURTS_CUE,
        "Paused.",
        "Carrying on.",
        "Hold.",
        "Left side. Hold.",
        "Right side. Hold.",
        "Relax.",
        "Relax and rest for a moment.",
        "Hold. 3 of 10.",
        "Move slowly.",
        "And back.",
        "Hold. Three, two, one. Relax.",  # the settings page's test of the voice
    ]
    # The countdown's bare numbers ("3", "2", "1") are left out: they are spoken only while an exercise runs,
    # where numbers are not listened for, and listening pauses while the app speaks.
    for side in (Side.LEFT, Side.RIGHT):
        cues.append(engine._switch_side_cue(side))
    for exercise in load_catalogue().exercises.values():
        cues.append(engine._get_ready_cue(exercise.name, Side.NONE))
        cues.append(f"Rest now. Next: {exercise.name}.")
        cues.append(SPOKEN_QUESTION.format(name=exercise.name))
    return list(dict.fromkeys(cues))


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, good: bool) -> None:
        self.right += good
        self.total += 1

    def __str__(self) -> str:
        share = 100 * self.right / self.total if self.total else float("nan")
        return f"{share:5.1f} % ({self.right}/{self.total})"


@dataclass
class Accuracy:
    by_snr: dict[float, Tally] = field(default_factory=dict)
    by_voice: dict[tuple[float, str], Tally] = field(default_factory=dict)
    by_phrase: dict[tuple[float, str], Tally] = field(default_factory=dict)
    mistakes: Counter[tuple[float, str, str]] = field(default_factory=Counter)


def feed(listening: Listening, pcm: bytes) -> list[Result]:
    results: list[Result] = []
    for start in range(0, len(pcm), CHUNK_BYTES):
        results.extend(listening.feed(pcm[start : start + CHUNK_BYTES]))
    return results


def heard_per_span(results: Iterable[Result], spoken: Stream) -> list[list[str]]:
    """The words heard in each clip's stretch: from its start to the start of the next clip."""
    starts = [start for start, _end in spoken.spans] + [float("inf")]
    heard: list[list[str]] = [[] for _ in spoken.spans]
    for result in results:
        if result.heard is None:
            continue
        for index in range(len(spoken.spans)):
            if starts[index] <= result.end_s < starts[index + 1]:
                heard[index].append(result.heard.words)
    return heard


def measure_accuracy(
    sound: SpokenSound, recogniser: Recogniser, voices: Sequence[Voice], snrs: Sequence[float]
) -> Accuracy:
    accuracy = Accuracy()
    for seed, voice in enumerate(voices):
        for asking in Asking:
            phrases = ENGLISH.listens_for(asking)
            spoken = stream([sound.say(phrase, voice) for phrase in phrases])
            noise = sound.noise(spoken.seconds, NOISE, seed=seed)
            for snr in snrs:
                listening = Listening(recogniser, asking)
                results = feed(listening, with_noise(spoken.pcm, noise, spoken.level, snr))
                for phrase, heard in zip(phrases, heard_per_span(results, spoken), strict=True):
                    good = heard == [phrase]
                    accuracy.by_snr.setdefault(snr, Tally()).add(good)
                    accuracy.by_voice.setdefault((snr, voice.label), Tally()).add(good)
                    accuracy.by_phrase.setdefault((snr, phrase), Tally()).add(good)
                    if not good:
                        accuracy.mistakes[(snr, phrase, " + ".join(heard) or "nothing")] += 1
    return accuracy


def print_accuracy(title: str, accuracy: Accuracy) -> None:
    print(f"\n== {title}")
    for snr, tally in accuracy.by_snr.items():
        print(f"  {snr:4.0f} dB SNR: {tally} right")
    for (snr, label), tally in accuracy.by_voice.items():
        print(f"    {snr:4.0f} dB  {label:28} {tally}")
    for snr in accuracy.by_snr:
        worst = sorted(
            (
                (tally.right / tally.total, phrase, tally)
                for (s, phrase), tally in accuracy.by_phrase.items()
                if s == snr
            ),
        )[:6]
        print(
            f"  worst phrases at {snr:.0f} dB: "
            + ", ".join(f"{p!r} {t}" for _share, p, t in worst if _share < 1)
        )
        heard_instead = [
            (n, phrase, got) for (s, phrase, got), n in accuracy.mistakes.most_common() if s == snr
        ][:8]
        print("    heard instead: " + "; ".join(f"{p!r} -> {g!r} x{n}" for n, p, g in heard_instead))


def false_commands(
    sound: SpokenSound, recogniser: Recogniser, voices: Sequence[Voice], talk: Sequence[str], snr: float
) -> None:
    """Commands heard in talk that holds none (per screen, per ten minutes of sound)."""
    streams = []
    for seed, voice in enumerate(voices):
        spoken = stream([sound.say(text, voice) for text in talk], pause_s=1.0)
        streams.append(
            with_noise(spoken.pcm, sound.noise(spoken.seconds, NOISE, seed=seed + 50), spoken.level, snr)
        )
    minutes = sum(len(pcm) for pcm in streams) / 2 / SAMPLE_RATE / 60
    print(f"  {minutes:.1f} min of sound per screen, {len(voices)} voices, {snr:.0f} dB SNR")
    for asking in Asking:
        heard: Counter[str] = Counter()
        for pcm in streams:
            heard.update(
                r.heard.words for r in feed(Listening(recogniser, asking), pcm) if r.heard is not None
            )
        count = sum(heard.values())
        said = ", ".join(f"{w!r} x{n}" for w, n in heard.most_common(6))
        print(f"    {asking.value:8} {10 * count / minutes:5.1f} per 10 min ({count}) {said}")


def latency(sound: SpokenSound, recogniser: Recogniser, voices: Sequence[Voice], snr: float) -> list[float]:
    """Seconds from the end of each spoken phrase to its Result, fed at real-time pace."""
    delays: list[float] = []
    for seed, voice in enumerate(voices):
        for asking in (Asking.SESSION, Asking.NUMBER):
            spoken = stream([sound.say(p, voice) for p in ENGLISH.listens_for(asking)])
            pcm = with_noise(
                spoken.pcm, sound.noise(spoken.seconds, NOISE, seed=seed + 90), spoken.level, snr
            )
            listening = Listening(recogniser, asking)
            began = time.perf_counter()
            for index, start in enumerate(range(0, len(pcm), CHUNK_BYTES)):
                due = began + (index + 1) * FRAME_S  # a chunk is there once its 30 ms have been spoken
                time.sleep(max(0.0, due - time.perf_counter()))
                for result in listening.feed(pcm[start : start + CHUNK_BYTES]):
                    now = time.perf_counter() - began
                    ended = [end for start, end in spoken.spans if start <= result.end_s]
                    if result.heard is not None and ended and result.end_s >= ended[-1]:
                        delays.append(now - ended[-1])
    return delays


def cpu_share(sound: SpokenSound, recogniser: Recogniser, voice: Voice, seconds: float, snr: float) -> float:
    """Process CPU time over wall time while feeding speech, talk and quiet with noise at real-time pace."""
    clips = [sound.say(p, voice) for p in ENGLISH.listens_for(Asking.SESSION)] + [
        sound.say(OTHER_TALK[1], voice)
    ]
    spoken = stream(clips, pause_s=3.0)
    pcm_array = np.resize(spoken.pcm, round(seconds * SAMPLE_RATE))
    pcm = with_noise(pcm_array, sound.noise(seconds, NOISE, seed=7), spoken.level, snr)
    listening = Listening(recogniser, Asking.SESSION)
    began_wall, began_cpu = time.perf_counter(), time.process_time()
    for index, start in enumerate(range(0, len(pcm), CHUNK_BYTES)):
        time.sleep(max(0.0, began_wall + (index + 1) * FRAME_S - time.perf_counter()))
        for _result in listening.feed(pcm[start : start + CHUNK_BYTES]):
            pass
    return (time.process_time() - began_cpu) / (time.perf_counter() - began_wall)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="two voices, 20 dB only, short talk: about a minute"
    )
    parser.add_argument("--voices", choices=("reported", "tuning", "flite", "all"), default="all")
    parser.add_argument("--cache", type=Path, default=Path(__file__).parent / "out" / "voice-cache")
    args = parser.parse_args(argv)
    reason = missing_tools()
    if reason:
        sys.exit(reason)
    sound = SpokenSound(args.cache)
    recogniser = Recogniser(find_model(), ENGLISH)
    snrs = SNRS_DB[:1] if args.quick else SNRS_DB
    started = time.perf_counter()
    voices = QUICK_VOICES if args.quick else REPORTED_VOICES
    if args.voices in ("reported", "all"):
        title = f"espeak-ng, reported voices ({', '.join(v.label for v in voices)}), {NOISE}"
        print_accuracy(title, measure_accuracy(sound, recogniser, voices, snrs))
    if args.voices == "tuning":
        title = f"espeak-ng, TUNING voices ({', '.join(v.label for v in TUNING_VOICES)}), {NOISE}"
        print_accuracy(title, measure_accuracy(sound, recogniser, TUNING_VOICES, snrs))
        print("\n== False commands (TUNING voices)")
        false_commands(sound, recogniser, TUNING_VOICES, list(OTHER_TALK) + app_cues(), 20.0)
        return
    if args.voices in ("flite", "all") and missing_tools(FLITE) is None:
        flites = FLITE_VOICES[:1] if args.quick else FLITE_VOICES
        title = (
            f"flite (a second figure, not the issue's measure: {', '.join(v.label for v in flites)}), {NOISE}"
        )
        print_accuracy(title, measure_accuracy(sound, recogniser, flites, snrs))
    if args.voices == "flite":
        return
    talk, cues = (list(OTHER_TALK[:3]), app_cues()[:10]) if args.quick else (list(OTHER_TALK), app_cues())
    print("\n== False commands: other talk, per screen listening")
    false_commands(sound, recogniser, voices, talk, 20.0)
    print(
        "\n== False commands: the app's own cues fed straight in (in the app, listening pauses while it speaks)"
    )
    false_commands(sound, recogniser, voices, cues, 20.0)
    delays = latency(sound, recogniser, voices[:1] if args.quick else voices[:2], 20.0)
    print(
        f"\n== Latency, end of word to result, real-time pace: median {1000 * statistics.median(delays):.0f} ms, "
        f"worst {1000 * max(delays):.0f} ms ({len(delays)} phrases)"
    )
    seconds = 15.0 if args.quick else 60.0
    share = cpu_share(sound, recogniser, voices[0], seconds, 20.0)
    print(f"\n== CPU while listening ({seconds:.0f} s, real-time pace): {100 * share:.1f} % of one core")
    print(f"\n(whole run {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
