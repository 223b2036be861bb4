"""The voice commands' core (core/voice.py), without Qt or a recogniser: which phrases each screen listens for
and what they mean, the grammar, the pain check answered by voice (mixed with answers by hand) and the spoken
confirmation of final commands."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciatica_coach.core.model import LegReach, PainReport, SymptomChange
from sciatica_coach.core.voice import (
    ENGLISH,
    Asking,
    Command,
    Heard,
    PainByVoice,
    PainStep,
    vocabulary_for,
)

PHRASES = sorted(ENGLISH.phrases)
ALL_HEARD = [ENGLISH.phrases[p] for p in PHRASES]


def heard(words: str) -> Heard:
    return ENGLISH.phrases[words]


def step_of(check: PainByVoice) -> PainStep:  # read afresh (mypy would keep the value an assert saw before)
    return check.step


def asking_of(check: PainByVoice) -> Asking | None:
    return check.asking


@pytest.mark.parametrize(
    ("asking", "expected"),
    [
        (Asking.SESSION, {"pause", "continue", "go on", "next", "skip", "back", "stop", "end", "it hurts", "repeat"}),
        (Asking.NUMBER, {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                         "repeat"}),
        (Asking.REACH, {"none", "buttock", "thigh", "knee", "calf", "foot", "repeat"}),
        (Asking.YES_NO, {"yes", "no", "repeat"}),
        (Asking.TREND, {"up", "same", "down", "repeat"}),
    ],
)  # fmt: skip
def test_each_screen_listens_for_its_own_phrases(asking: Asking, expected: set[str]) -> None:
    assert set(ENGLISH.listens_for(asking)) == expected
    assert ENGLISH.listens_for(asking) == ENGLISH.listens_for(asking)  # a stable order


def test_the_issue_s_phrases_mean_what_they_say() -> None:
    assert heard("go on").command is Command.CONTINUE
    assert heard("skip").command is Command.NEXT
    assert heard("stop").command is heard("end").command is Command.END
    assert [heard(n).number for n in ("zero", "five", "ten")] == [0, 5, 10]
    assert heard("calf").reach is LegReach.CALF
    assert heard("down").trend is SymptomChange.DOWN


@pytest.mark.parametrize("spoken", ["  Go   ON ", "go on", "GO ON"])
def test_understand_forgives_case_and_spaces(spoken: str) -> None:
    assert ENGLISH.understand(Asking.SESSION, spoken) == heard("go on")


def test_grammar_holds_exactly_the_phrases_listened_for() -> None:
    grammar = ENGLISH.grammar(Asking.YES_NO)
    assert grammar.startswith("#JSGF V1.0;")
    rule = grammar.rstrip().split("public <phrase> = ")[1]
    assert sorted(rule.rstrip(";").split(" | ")) == ["no", "repeat", "yes"]


def test_a_language_without_a_vocabulary_falls_back_to_english() -> None:
    assert vocabulary_for("de_DE") is ENGLISH
    assert vocabulary_for("en_GB") is ENGLISH


@given(asking=st.sampled_from(Asking), words=st.one_of(st.sampled_from(PHRASES), st.text(max_size=20)))
def test_understand_never_returns_a_command_not_listened_for(asking: Asking, words: str) -> None:
    result = ENGLISH.understand(asking, words)
    if result is not None:
        assert result.words in ENGLISH.listens_for(asking)
        assert result == ENGLISH.phrases[result.words]


def test_a_number_means_nothing_while_an_exercise_runs_and_next_nothing_at_a_question() -> None:
    assert ENGLISH.understand(Asking.SESSION, "six") is None
    assert ENGLISH.understand(Asking.NUMBER, "next") is None
    assert ENGLISH.understand(Asking.YES_NO, "it hurts") is None


# ---- the pain check by voice ---------------------------------------------------------------------------
def test_pain_check_by_voice_from_first_question_to_yes() -> None:
    check = PainByVoice()
    assert check.asking is Asking.NUMBER
    assert check.hear(heard("three")) is PainStep.LEG
    assert check.hear(heard("five")) is PainStep.REACH
    assert asking_of(check) is Asking.REACH
    assert check.hear(heard("knee")) is PainStep.NUMBNESS
    assert check.hear(heard("no")) is PainStep.CONFIRM
    assert check.report() is None  # not before the yes
    assert check.hear(heard("yes")) is PainStep.DONE
    assert check.asking is None
    assert check.report() == PainReport(back=3, leg=5, reach=LegReach.KNEE, new_numbness_or_weakness=False)


def test_an_answer_that_does_not_fit_leaves_the_question_open() -> None:
    check = PainByVoice()
    assert check.hear(heard("knee")) is PainStep.BACK
    assert check.hear(heard("yes")) is PainStep.BACK
    assert check.back is None


def test_no_at_the_confirmation_starts_again() -> None:
    check = PainByVoice()
    for words in ("one", "two", "foot", "yes"):
        check.hear(heard(words))
    assert check.step is PainStep.CONFIRM
    assert check.hear(heard("no")) is PainStep.BACK
    assert (check.back, check.leg, check.reach, check.numbness) == (None, None, None, None)


def test_hands_and_voice_mixed() -> None:
    check = PainByVoice()
    check.set_back(4)  # a button on screen
    assert check.step is PainStep.LEG
    check.hear(heard("six"))
    check.set_reach(LegReach.THIGH)
    assert step_of(check) is PainStep.NUMBNESS
    check.hear(heard("yes"))
    check.hear(heard("yes"))
    assert check.report() == PainReport(back=4, leg=6, reach=LegReach.THIGH, new_numbness_or_weakness=True)
    check.set_leg(2)  # after the yes the answer is kept as confirmed
    assert step_of(check) is PainStep.DONE


@given(st.lists(st.one_of(st.sampled_from(ALL_HEARD), st.tuples(st.sampled_from(("back", "leg", "reach")),
                                                                    st.integers(0, 10))), max_size=30))  # fmt: skip
def test_pain_by_voice_never_reports_before_a_yes_at_confirm(steps: list[Heard | tuple[str, int]]) -> None:
    check = PainByVoice()
    for step in steps:
        before = check.step
        if isinstance(step, Heard):
            check.hear(step)
            said_yes_at_confirm = before is PainStep.CONFIRM and step.command is Command.YES
        else:
            field, value = step
            if field == "back":
                check.set_back(value)
            elif field == "leg":
                check.set_leg(value)
            else:
                check.set_reach(list(LegReach)[value % len(LegReach)])
            said_yes_at_confirm = False
        if before is not PainStep.DONE:
            assert (check.report() is not None) == said_yes_at_confirm
        # each question listens only for its own kind of answer
        if check.asking is not None:
            assert check.asking in (Asking.NUMBER, Asking.REACH, Asking.YES_NO)
