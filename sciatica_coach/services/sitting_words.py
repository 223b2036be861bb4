"""The words of a sitting break (issue 21): what the break card says for each movement it offers.

One place for them, so the card, a notification or the README say the same thing. Plain, warm and medically
careful: each movement is gentle and done only as far as is comfortable, and the back bends say when to stop.
The facts follow the project's clinical notes on posture and body mechanics (sitting: feet flat, knees level
with or a little below the hips, the low back supported, the screen at eye level; back bends only when
extension suits the person, which the scheduler decides: core.sitting.extension_suits). The strings are marked with N_() and
translated when asked for, so a change of language shows at the next card."""

from __future__ import annotations

from dataclasses import dataclass

from sciatica_coach.core.sitting import MOVEMENT_SECONDS, Movement
from sciatica_coach.i18n import N_, _, ngettext

HEADING = N_("Time to get up for a minute")  # the card's first line, whatever the movement
CARD_NAME = N_("Sitting break")  # what a screen reader calls the card
WELL_DONE = N_("Well done. Back to your day, gently.")


@dataclass(frozen=True)
class MovementWords:
    """One movement's words, translated: a short title, two or three steps, and what its drawing shows."""

    title: str
    steps: tuple[str, ...]
    drawing_description: str


_TITLES = {
    Movement.WALK: N_("Stand up and walk about"),
    Movement.BACK_BENDS: N_("Standing back bends"),
    Movement.POSTURE: N_("Posture check"),
}

_STEPS = {
    Movement.WALK: (
        N_("Stand up slowly, using the desk or chair if that helps."),
        N_("Walk about at an easy pace, standing tall, until the timer ends."),
        N_("A glass of water or a look out of the window counts too."),
    ),
    Movement.BACK_BENDS: (
        N_("Stand with your feet apart and your hands on your hips or the small of your back."),
        N_("Lean back gently, only as far as is comfortable, then come back up. 5 to 10 times."),
        N_("Stop if pain spreads down your leg or gets worse."),
    ),
    Movement.POSTURE: (
        N_("Stand up and roll your shoulders back a few times."),
        N_("Sit back down with your feet flat and your knees level with or a little below your hips."),
        N_("Let a cushion or rolled towel support your low back, with the screen at eye level."),
    ),
}

_DRAWINGS = {
    Movement.WALK: N_("A person walking upright, arms swinging."),
    Movement.BACK_BENDS: N_("A person standing, hands on the hips, leaning back a little."),
    Movement.POSTURE: N_(
        "A person sitting at a desk: feet flat, a cushion behind the low back, the screen at eye level."
    ),
}


def movement_words(movement: Movement) -> MovementWords:
    """The words for `movement` in the current language."""
    return MovementWords(
        title=_(_TITLES[movement]),
        steps=tuple(_(step) for step in _STEPS[movement]),
        drawing_description=_(_DRAWINGS[movement]),
    )


def duration_text(movement: Movement) -> str:
    """How long the break's timer runs, in words: "1 minute", "30 seconds"."""
    seconds = MOVEMENT_SECONDS[movement]
    if seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)
    return ngettext("{n} second", "{n} seconds", seconds).format(n=seconds)


def heading() -> str:
    return _(HEADING)


def card_name() -> str:
    return _(CARD_NAME)


def well_done() -> str:
    return _(WELL_DONE)
