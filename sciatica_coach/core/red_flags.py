"""Red-flag screening: the questions asked before coaching, their triage tiers, and the advice each tier shows.

Three tiers, from the NHS sciatica and cauda equina pages, NICE CKS (sciatica; low back pain) and NHS Lothian's
red flags (see docs/safety.md, section 1):

* EMERGENCY, now, even at night (signs of cauda equina syndrome): go to an emergency department or call the
  emergency number;
* URGENT, the same day (a worsening nerve problem in one leg, or pain out of control): an urgent appointment
  today, the emergency number if it gets worse;
* SEE_DOCTOR_SOON, before going on with the exercises (the serious-pathology screen): see a doctor in the next
  few days; coaching stays paused until the person confirms a doctor has said they can exercise.

`triage(answers)` gives the highest tier answered "yes"; a "yes" under an id this module does not know counts
as EMERGENCY (cautious). Every advice text names the number to call (`core.emergency`), never reassures
("it is often nothing") and never alarms. Qt-free; the views only show what is here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from sciatica_coach.core.emergency import Country, advice_words
from sciatica_coach.i18n import N_, _

RED_FLAG_CHECK_INTERVAL = timedelta(days=7)


class Tier(IntEnum):
    """How soon a doctor should see the person; a higher value is more urgent (the highest answer wins)."""

    NONE = 0
    SEE_DOCTOR_SOON = 1
    URGENT = 2
    EMERGENCY = 3


@dataclass(frozen=True, slots=True)
class RedFlag:
    """One yes/no question and the tier a "yes" to it leads to. `question` is marked for translation."""

    id: str
    question: str
    tier: Tier


RED_FLAGS: tuple[RedFlag, ...] = (
    # EMERGENCY: signs of cauda equina syndrome (NHS sciatica "Go to A&E or call 999 if…", NHS CES cards)
    RedFlag(
        "saddle-numbness",
        N_(
            "Is there numbness, tingling or a changed feeling around your genitals, buttocks or back passage, "
            "or does it feel numb when you wipe after the toilet?"
        ),
        Tier.EMERGENCY,
    ),
    RedFlag(
        "bladder",
        N_(
            "Have you had new trouble starting, stopping or controlling when you pass urine, or do you no "
            "longer feel when your bladder is full?"
        ),
        Tier.EMERGENCY,
    ),
    RedFlag(
        "bowel",
        N_("Have you newly lost control of your bowels, or do you no longer feel when you need to go?"),
        Tier.EMERGENCY,
    ),
    RedFlag(
        "sexual-function",
        N_(
            "Have you noticed a new change in sexual function, such as less feeling in your genitals or "
            "trouble getting an erection?"
        ),
        Tier.EMERGENCY,
    ),
    RedFlag("both-legs", N_("Do you have sciatica in both legs, and is that new?"), Tier.EMERGENCY),
    RedFlag(
        "both-legs-weakness",
        N_("Is there weakness or numbness in both legs that is severe or getting worse?"),
        Tier.EMERGENCY,
    ),
    # URGENT, the same day (NHS sciatica; NICE CKS sciatica)
    RedFlag(
        "leg-weakness",
        N_("Is there weakness in one leg or foot that is getting worse?"),
        Tier.URGENT,
    ),
    RedFlag(
        "foot-drop",
        N_("Has one foot newly started to drop or drag, so that it catches or slaps when you walk?"),
        Tier.URGENT,
    ),
    RedFlag(
        "pain-worsening",
        N_("Is your pain getting much worse, or very bad even with painkillers?"),
        Tier.URGENT,
    ),
    # SEE A DOCTOR SOON: the serious-pathology screen (NICE CKS low back pain and sciatica)
    RedFlag(
        "fever-unwell",
        N_("Do you have a fever, or feel generally unwell, along with the back pain?"),
        Tier.SEE_DOCTOR_SOON,
    ),
    RedFlag("weight-loss", N_("Have you lost weight recently without trying to?"), Tier.SEE_DOCTOR_SOON),
    RedFlag("cancer", N_("Have you ever had cancer?"), Tier.SEE_DOCTOR_SOON),
    RedFlag(
        "fall-injury",
        N_(
            "Did the pain start after a recent bad fall or injury, or after a small one if you have "
            "osteoporosis (thin bones)?"
        ),
        Tier.SEE_DOCTOR_SOON,
    ),
    RedFlag(
        "night-pain",
        N_("Is the pain there all the time, worse at night, and not eased by rest or changing position?"),
        Tier.SEE_DOCTOR_SOON,
    ),
    RedFlag(
        "steroids-immunity",
        N_(
            "Do you take steroid tablets long-term, or is your immune system weakened (by an illness or a "
            "medicine)?"
        ),
        Tier.SEE_DOCTOR_SOON,
    ),
    RedFlag(
        "injecting-drugs",
        N_("Do you inject drugs, or have you done so in the past?"),
        Tier.SEE_DOCTOR_SOON,
    ),
    RedFlag(
        "age-onset",
        N_(
            "Did this back or leg pain first start when you were under 20 or over 50, with no clear cause "
            "such as a strain?"
        ),
        Tier.SEE_DOCTOR_SOON,
    ),
)
_TIER_OF: dict[str, Tier] = {flag.id: flag.tier for flag in RED_FLAGS}

RED_FLAG_INTRO = N_(
    "Before we start, a few quick questions. Most people answer no to all of them. "
    "They help make sure home exercises are the right thing for you right now."
)

# The question page groups the questions by tier under these calm headings (no tier names, no alarm).
GROUP_HEADINGS: dict[Tier, str] = {
    Tier.EMERGENCY: N_("Feeling and control"),
    Tier.URGENT: N_("Your leg and your pain"),
    Tier.SEE_DOCTOR_SOON: N_("Your general health"),
}

# One sentence, used in every tier's advice and in the guidance note: the signs that need help now.
EMERGENCY_SIGNS = N_(
    "If you notice numbness around your genitals or bottom, new trouble with your bladder or bowels, or "
    "weakness or numbness in both legs, go to {department} or call {emergency} straight away, even at night."
)

EMERGENCY_HEADING = N_("Please get medical help now")
EMERGENCY_ADVICE = N_(
    "Please don't do the exercises. What you have described needs a doctor to check it straight away, "
    "even at night: go to {department} now, or call {emergency}. Please don't wait to see whether it gets "
    "better. If you can, ask someone to go with you."
)
URGENT_HEADING = N_("Please see a doctor today")
URGENT_ADVICE = N_(
    "Please don't do the exercises today. What you have described should be checked by a doctor today: "
    "{same_day}."
)
URGENT_WORSE = N_(
    "If it gets worse before you are seen, or you notice numbness around your genitals or bottom, new trouble "
    "with your bladder or bowels, or weakness or numbness in both legs, go to {department} or call "
    "{emergency} straight away, even at night."
)
SOON_HEADING = N_("Please see a doctor before you go on")
SOON_ADVICE = N_(
    "Thank you for answering. This is not an emergency, but it is something a doctor should know about "
    "before you go on with the exercises. Please make an appointment with your doctor in the next few days "
    "and tell them what you answered. The exercises stay paused until a doctor has said you can exercise."
)
NUMBER_CAPTIONS: dict[Tier, str] = {
    Tier.EMERGENCY: N_("Emergency number"),
    Tier.URGENT: N_("Emergency number, if it gets worse"),
    Tier.SEE_DOCTOR_SOON: N_("Emergency number, if the signs above appear"),
}
# What Today says about the pause (the reminders are quiet too).
PAUSED_TODAY = N_(
    "Coaching and reminders are paused for today because of your answers to the safety questions."
)
PAUSED_UNTIL_CLEARED = N_(
    "Coaching and reminders are paused until a doctor has said you can exercise. When they have, press "
    "Start session to confirm it."
)
PAUSED_NOTES: dict[Tier, str] = {
    Tier.EMERGENCY: PAUSED_TODAY,
    Tier.URGENT: PAUSED_TODAY,
    Tier.SEE_DOCTOR_SOON: PAUSED_UNTIL_CLEARED,
}
DOCTOR_CLEARED_BUTTON = N_("A doctor has checked this and said I can exercise")


@dataclass(frozen=True, slots=True)
class TierAdvice:
    """What the result page shows for a tier: heading, advice (both translated, numbers filled in), and the
    emergency number for big type with its caption."""

    tier: Tier
    heading: str
    body: str
    number: str
    caption: str


_ADVICE: dict[Tier, tuple[str, tuple[str, ...]]] = {
    Tier.EMERGENCY: (EMERGENCY_HEADING, (EMERGENCY_ADVICE,)),
    Tier.URGENT: (URGENT_HEADING, (URGENT_ADVICE, URGENT_WORSE)),
    Tier.SEE_DOCTOR_SOON: (SOON_HEADING, (SOON_ADVICE, EMERGENCY_SIGNS)),
}


def tier_of(flag_id: str) -> Tier:
    """The tier a "yes" to this question leads to; EMERGENCY for an id not listed (cautious)."""
    return _TIER_OF.get(flag_id, Tier.EMERGENCY)


def triage(answers: Mapping[str, bool]) -> Tier:
    """The highest tier among the questions answered "yes"; NONE when every answer is "no"."""
    return max((tier_of(flag_id) for flag_id, yes in answers.items() if yes), default=Tier.NONE)


def yes_ids(answers: Mapping[str, bool]) -> tuple[str, ...]:
    """The ids answered "yes", in the order of the answers."""
    return tuple(flag_id for flag_id, yes in answers.items() if yes)


def advice(tier: Tier, place: Country) -> TierAdvice:
    """The heading and advice for a tier, naming `place`'s numbers. NONE has no advice (a ValueError)."""
    if tier is Tier.NONE:
        raise ValueError("no advice for answers that were all no")
    heading, parts = _ADVICE[tier]
    words = advice_words(place)
    body = "\n\n".join(_(part).format(**words) for part in parts)  # a paragraph each: easier to take in
    return TierAdvice(tier, _(heading), body, place.number, _(NUMBER_CAPTIONS[tier]))


def questions(skip: Collection[str] = ()) -> tuple[RedFlag, ...]:
    """The questions to ask, in order, without those in `skip` (answers a doctor has already checked)."""
    return tuple(flag for flag in RED_FLAGS if flag.id not in skip)


def check_due(last_check: datetime | None, now: datetime, new_symptoms: bool) -> bool:
    """Ask the questions at first run, then at least weekly, and whenever symptoms are new.

    A last check that lies in the future (the clock was changed) also makes the check due.
    """
    if last_check is None or new_symptoms:
        return True
    elapsed = now - last_check
    return elapsed >= RED_FLAG_CHECK_INTERVAL or elapsed < timedelta(0)
