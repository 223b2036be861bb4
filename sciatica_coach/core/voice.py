"""Voice commands: what can be said, when, and what it means. Qt-free and free of the recogniser.

The recogniser (platform.recogniser) never takes dictation: at any moment it listens for the few phrases
that make sense on the screen in view (`Asking`), from a fixed list per language (`Vocabulary`). So "next"
means nothing while a pain number is asked for, and a number means nothing while an exercise runs. That keeps
it accurate and keeps other talk in the room from turning into commands.

`PainByVoice` walks a person through the pain check by voice (back, leg, how far down, new numbness), and
asks for a yes before it sends the answers. "End" is asked again by the session itself (views.session_voice).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sciatica_coach.core.model import LegReach, PainReport, SymptomChange
from sciatica_coach.i18n import N_


class Asking(StrEnum):
    """What the screen in view asks for, and so which phrases are listened for."""

    SESSION = "session"  # an exercise is running: pause, next, back, end, repeat, it hurts
    NUMBER = "number"  # a pain number, 0 to 10
    REACH = "reach"  # how far down the leg symptoms reach
    YES_NO = "yes-no"  # a red-flag question, new numbness, a confirmation
    TREND = "trend"  # after an exercise: leg symptoms moved up, stayed the same, spread down


class Command(StrEnum):
    PAUSE = "pause"
    CONTINUE = "continue"
    NEXT = "next"
    BACK = "back"
    END = "end"
    REPEAT = "repeat"  # say the instruction (or the question) again
    HURTS = "hurts"
    YES = "yes"
    NO = "no"
    NUMBER = "number"
    REACH = "reach"
    TREND = "trend"


@dataclass(frozen=True, slots=True)
class Heard:
    """One recognised phrase, as the app understands it."""

    command: Command
    words: str  # what was recognised, as said ("go on")
    number: int | None = None  # Command.NUMBER: 0..10
    reach: LegReach | None = None  # Command.REACH
    trend: SymptomChange | None = None  # Command.TREND


# The phrases that may always be said while a question waits: hear it again, or the way out.
_ALWAYS = (Command.REPEAT,)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The phrases of one language, each with what it means, and which of them each screen listens for.

    A language is added by adding one of these and a recogniser model for it (platform.recogniser)."""

    language: str  # "en"
    phrases: dict[str, Heard]
    # Ways of saying a word that the recogniser's dictionary lacks, in its model's phone set: the word, then
    # each way, phones separated by spaces.
    pronunciations: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def listens_for(self, asking: Asking) -> tuple[str, ...]:
        """The phrases recognised while `asking` is on screen, in a stable order."""
        wanted = {
            Asking.SESSION: {Command.PAUSE, Command.CONTINUE, Command.NEXT, Command.BACK, Command.END,
                             Command.HURTS},
            Asking.NUMBER: {Command.NUMBER},
            Asking.REACH: {Command.REACH},
            Asking.YES_NO: {Command.YES, Command.NO},
            Asking.TREND: {Command.TREND},
        }[asking] | set(_ALWAYS)  # fmt: skip
        return tuple(words for words, heard in self.phrases.items() if heard.command in wanted)

    def understand(self, asking: Asking, words: str) -> Heard | None:
        """What `words` mean while `asking` is on screen; None for anything not listened for there."""
        words = " ".join(words.lower().split())
        if words not in self.listens_for(asking):
            return None
        return self.phrases[words]

    def grammar(self, asking: Asking) -> str:
        """A JSGF grammar of exactly the phrases listened for while `asking`."""
        choices = " | ".join(self.listens_for(asking))
        return f"#JSGF V1.0;\ngrammar {asking.name.lower()};\npublic <phrase> = {choices};\n"


def _numbers(names: tuple[str, ...]) -> dict[str, Heard]:
    return {name: Heard(Command.NUMBER, name, number=value) for value, name in enumerate(names)}


ENGLISH = Vocabulary(
    "en",
    {
        "pause": Heard(Command.PAUSE, "pause"),
        "continue": Heard(Command.CONTINUE, "continue"),
        "go on": Heard(Command.CONTINUE, "go on"),
        "next": Heard(Command.NEXT, "next"),
        "skip": Heard(Command.NEXT, "skip"),
        "back": Heard(Command.BACK, "back"),
        "stop": Heard(Command.END, "stop"),
        "end": Heard(Command.END, "end"),
        "repeat": Heard(Command.REPEAT, "repeat"),
        "it hurts": Heard(Command.HURTS, "it hurts"),
        "yes": Heard(Command.YES, "yes"),
        "no": Heard(Command.NO, "no"),
        **_numbers(("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")),
        "up": Heard(Command.TREND, "up", trend=SymptomChange.UP),
        "same": Heard(Command.TREND, "same", trend=SymptomChange.SAME),
        "down": Heard(Command.TREND, "down", trend=SymptomChange.DOWN),
        "none": Heard(Command.REACH, "none", reach=LegReach.NONE),
        "buttock": Heard(Command.REACH, "buttock", reach=LegReach.BUTTOCK),
        "thigh": Heard(Command.REACH, "thigh", reach=LegReach.THIGH),
        "knee": Heard(Command.REACH, "knee", reach=LegReach.KNEE),
        "calf": Heard(Command.REACH, "calf", reach=LegReach.CALF),
        "foot": Heard(Command.REACH, "foot", reach=LegReach.FOOT),
    },
    # PocketSphinx's dictionary is American: "calf" as said in Britain (with the vowel of "father") was heard
    # as "thigh" by the British voices.
    pronunciations={"calf": ("K AA F",)},
)
VOCABULARIES = {"en": ENGLISH}  # no German recogniser model can be had yet: see docs/voice.md


def vocabulary_for(language: str) -> Vocabulary:
    """The vocabulary for a language code ("de_DE" or "de"); English where there is none for it yet."""
    return VOCABULARIES.get(language.split("_", maxsplit=1)[0].lower(), ENGLISH)


# ---- the pain check by voice ---------------------------------------------------------------------------
class PainStep(StrEnum):
    BACK = "back"
    LEG = "leg"
    REACH = "reach"
    NUMBNESS = "numbness"
    CONFIRM = "confirm"
    DONE = "done"


ASKING_AT = {
    PainStep.BACK: Asking.NUMBER,
    PainStep.LEG: Asking.NUMBER,
    PainStep.REACH: Asking.REACH,
    PainStep.NUMBNESS: Asking.YES_NO,
    PainStep.CONFIRM: Asking.YES_NO,
}


class PainByVoice:
    """The pain check answered by voice, one question at a time, ending in "Shall I go on? Yes or no".

    `hear` takes what was understood and returns the step now asked (the same one when the answer did not
    fit it). Answers given by hand on screen are taken in with `set_*`, so voice and hands can be mixed;
    `report` is the finished answer once the person said yes at CONFIRM."""

    def __init__(self) -> None:
        self.back: int | None = None
        self.leg: int | None = None
        self.reach: LegReach | None = None
        self.numbness: bool | None = None
        self.step = PainStep.BACK

    @property
    def asking(self) -> Asking | None:
        return ASKING_AT.get(self.step)

    def hear(self, heard: Heard) -> PainStep:
        step = self.step
        if step in (PainStep.BACK, PainStep.LEG) and heard.command is Command.NUMBER:
            if step is PainStep.BACK:
                self.back = heard.number
            else:
                self.leg = heard.number
        elif step is PainStep.REACH and heard.reach is not None:
            self.reach = heard.reach
        elif step is PainStep.NUMBNESS and heard.command in (Command.YES, Command.NO):
            self.numbness = heard.command is Command.YES
        elif step is PainStep.CONFIRM and heard.command is Command.YES:
            self.step = PainStep.DONE
            return self.step
        elif step is PainStep.CONFIRM and heard.command is Command.NO:
            self.back = self.leg = self.reach = self.numbness = None  # start again from the first question
        else:
            return step
        self.step = self._first_open()
        return self.step

    def set_back(self, value: int) -> None:
        self.back = value
        self._follow_hands()

    def set_leg(self, value: int) -> None:
        self.leg = value
        self._follow_hands()

    def set_reach(self, reach: LegReach) -> None:
        self.reach = reach
        self._follow_hands()

    def _follow_hands(self) -> None:
        if self.step is not PainStep.DONE:
            self.step = self._first_open()

    def _first_open(self) -> PainStep:
        if self.back is None:
            return PainStep.BACK
        if self.leg is None:
            return PainStep.LEG
        if self.reach is None:
            return PainStep.REACH
        if self.numbness is None:
            return PainStep.NUMBNESS
        return PainStep.CONFIRM

    def report(self) -> PainReport | None:
        if self.step is not PainStep.DONE or self.back is None or self.leg is None or self.reach is None:
            return None
        return PainReport(
            back=self.back, leg=self.leg, reach=self.reach, new_numbness_or_weakness=bool(self.numbness)
        )


# ---- what the app says back -------------------------------------------------------------------------------
# A reply to each command, so a person on the floor knows they were heard. While spoken cues are on, the
# session's own cue answers the commands that change it ("Paused.", the next exercise's name).
REPLIES = {
    Command.PAUSE: N_("Paused."),
    Command.CONTINUE: N_("Carrying on."),
    Command.NEXT: N_("Next."),
    Command.BACK: N_("Going back."),
    Command.END: N_("Session ended. Take it easy."),
    Command.HURTS: N_(
        "Stop and rest. Ease out of the position slowly. When you are ready, say next to skip this "
        "exercise, or end to stop for today."
    ),
    Command.YES: N_("Yes."),
    Command.NO: N_("No."),
    Command.TREND: N_("Thank you."),
}
CONFIRM_END = N_("End the session now? Say yes to end, or no to carry on.")
PAIN_PROMPTS = {
    PainStep.BACK: N_("How is your back pain right now? Say a number from zero to ten."),
    PainStep.LEG: N_("And your leg pain right now, from zero to ten?"),
    PainStep.REACH: N_(
        "How far down the leg do your symptoms reach? Say none, buttock, thigh, knee, calf or foot."
    ),
    PainStep.NUMBNESS: N_("Do you have new numbness or weakness in your leg or foot? Say yes or no."),
    PainStep.CONFIRM: N_(
        "Back pain {back}, leg pain {leg}, symptoms reach: {reach}, {numbness}. "
        "Say yes to go on, or no to answer again."
    ),
}
NUMBNESS_WORDS = {True: N_("new numbness or weakness"), False: N_("no new numbness or weakness")}
RED_FLAG_PROMPT = N_("{question} Say yes or no.")
RED_FLAGS_CONFIRM = N_("Say yes to go on, or no to go through the questions again.")
SPOKEN_QUESTION_BY_VOICE = N_(
    "How are your leg symptoms after {name}? Say up if they moved up towards your back, same if they are "
    "about the same, or down if they spread further down your leg."
)
