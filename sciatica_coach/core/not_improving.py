"""When to suggest seeing a doctor or physiotherapist because the pain is not getting better (issue 20, point 6).

The NHS expects sciatica to ease within a few weeks and home exercise to help within about two; a change of 2
points on the 0-10 scale, or about 30 %, is the smallest change that matters to a person (Childs 2005,
Ostelo 2008). So, from the pain rated *before* sessions (comparable from day to day; pain after a session
follows the exercise itself), for back and leg each:

* **Worsening**: once the first week is over, the typical pain since then is 2 or more points above the
  first week's.
* **Not improving**: 14 days or more after the first day of the first week, the last 7 days' typical pain is
  neither 2 points nor 30 % below the first week's, and is above 2 (a pain that has settled to 0-2 needs no
  visit for this reason).

Either one, for back or leg, is enough (the cautious side: sciatica is mostly leg pain, and a back that eases
does not make a stuck leg all right). "Typical" is the median: first each day's median (two sessions a day
count once), then the median of the days. A median is not moved by one bad or one good day, nor by a slip of
the finger, and suits a 0-10 rating, whose steps are not equal; a mean would let a single flare day start a
prompt, or hide one. Each week needs ratings on at least 3 different days; with fewer there is no prompt.

The "first week" is the first 7 days, from a day with a rating, that hold ratings on 3 days or more (a lone
early session followed by a long gap does not become the baseline). Once the person has seen the prompt (the
"Got it" recorded as a NOT_IMPROVING safety event), a new episode begins the day after: a new first week, and
"not improving" again only after 28 days (4 weeks) of it, so the advice is repeated when it still holds but
never nags; worsening in the new episode is said again after its first week (it is news).

The weekly Sciatica Bothersomeness Index (SBI, 0-24, core/outcomes.py) counts too (the issue: "no meaningful
improvement (pain or SBI), or with worsening"), first SBI total of the episode against the latest:

* **Worsening**: a rise of SBI_WORSE_POINTS or more, once the two totals are a week or more apart, whatever
  the pain says (the cautious side: a score that measures numbness and weakness too may rise while pain
  does not).
* **Not improving**: two totals 14 days or more apart (28 after a prompt), the later neither 30 % (the figure
  used for pain) nor SBI_MEANINGFUL_POINTS below the first, and above SBI_SETTLED; it counts *only when the
  pain agrees* (no part of the pain has improved meaningfully) *or there is no pain to compare*. There is
  no agreed minimal important change for the SBI (docs/safety.md, "Outcome measures"), so a pain that has
  clearly eased is not overruled by one questionnaire.

Without check-ins the rule is the pain rule above, unchanged.

Qt-free and pure: the caller passes the sessions, the local time zone, today, the day of the last prompt and
the SBI totals by day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from enum import StrEnum
from statistics import median

from sciatica_coach.core.emergency import Country, advice_words
from sciatica_coach.core.model import SessionRecord
from sciatica_coach.i18n import N_, _

WEEK_DAYS = 7
FIRST_CHECK_DAYS = 14  # "no improvement after 2 weeks of home exercise"
REPEAT_CHECK_DAYS = 28  # after a prompt: "not improving" again only after 4 more weeks
MIN_DAYS_PER_WEEK = 3  # days with a rating needed in each week compared
MEANINGFUL_POINTS = 2  # on the 0-10 scale
MEANINGFUL_PERCENT = 30
SETTLED_PAIN = 2  # a typical pain of 0-2 in the last week: no "not improving" prompt
# The SBI (0-24) has no agreed meaningful change; these mirror the pain rule, each rounded the cautious way.
SBI_MEANINGFUL_PERCENT = MEANINGFUL_PERCENT  # a fall of 30 % of the first total is an improvement
SBI_MEANINGFUL_POINTS = 5  # or a fall of 5 (2 of 10 is a fifth of the pain scale: 4.8 of 24, rounded up)
SBI_WORSE_POINTS = 4  # a rise of 4 or more is worsening (a sixth of the scale, below the pain rule's fifth)
SBI_SETTLED = 4  # a last total of 0-4 (under a fifth of 24, as 0-2 of 10 is for pain): not "not improving"
SBI_WORSE_AFTER_DAYS = WEEK_DAYS  # two weekly totals a week apart cover two different weeks


class Verdict(StrEnum):
    NONE = "none"
    NOT_IMPROVING = "not-improving"
    WORSENING = "worsening"


class Part(StrEnum):
    LEG = "leg"
    BACK = "back"


class Measure(StrEnum):
    """What a verdict rests on: the pain ratings, the SBI check-ins, or both."""

    PAIN = "pain"
    SBI = "sbi"


PAIN_ONLY = frozenset({Measure.PAIN})


@dataclass(frozen=True, slots=True)
class PartChange:
    """One part's typical pain (median, 0-10) in the first week and in the last."""

    part: Part
    first: float
    last: float

    @property
    def worse(self) -> bool:
        return self.last - self.first >= MEANINGFUL_POINTS

    @property
    def improved(self) -> bool:
        drop = self.first - self.last
        return drop >= MEANINGFUL_POINTS or (self.first > 0 and drop * 100 >= self.first * MEANINGFUL_PERCENT)

    @property
    def stuck(self) -> bool:
        return not self.improved and self.last > SETTLED_PAIN


@dataclass(frozen=True, slots=True)
class SbiChange:
    """The first SBI total of the episode and the latest (0-24, lower is better), with their days."""

    first_day: date
    first: int
    last_day: date
    last: int

    @property
    def days_apart(self) -> int:
        return (self.last_day - self.first_day).days

    @property
    def worse(self) -> bool:
        return self.days_apart >= SBI_WORSE_AFTER_DAYS and self.last - self.first >= SBI_WORSE_POINTS

    @property
    def improved(self) -> bool:
        drop = self.first - self.last
        return drop >= SBI_MEANINGFUL_POINTS or (
            self.first > 0 and drop * 100 >= self.first * SBI_MEANINGFUL_PERCENT
        )

    def stuck(self, needed_days: int) -> bool:
        return self.days_apart >= needed_days and not self.improved and self.last > SBI_SETTLED


def sbi_change(totals: Iterable[tuple[date, int]], today: date, last_prompt: date | None) -> SbiChange | None:
    """The episode's first and latest SBI totals (days after `last_prompt`, up to today); None with fewer
    than two days."""
    by_day = dict(sorted(t for t in totals if t[0] <= today and (last_prompt is None or t[0] > last_prompt)))
    if len(by_day) < 2:
        return None
    (first_day, first), *_middle, (last_day, last) = by_day.items()
    return SbiChange(first_day, first, last_day, last)


@dataclass(frozen=True, slots=True)
class Assessment:
    """Whether to suggest seeing a doctor now, what it rests on, and the figures behind it (for the report)."""

    verdict: Verdict
    first_week: tuple[date, date] | None = None
    last_week: tuple[date, date] | None = None
    changes: tuple[PartChange, ...] = ()
    sbi: SbiChange | None = None
    measures: frozenset[Measure] = PAIN_ONLY

    @property
    def prompt(self) -> bool:
        return self.verdict is not Verdict.NONE

    def detail(self) -> str:
        """Plain English for the clinician report: the medians of each part and the weeks compared, and the
        SBI totals compared when the verdict rests on them."""
        lines = []
        if self.first_week is not None and self.last_week is not None and self.changes:
            parts = "; ".join(
                f"{change.part.value} pain {_num(change.first)} → {_num(change.last)}"
                for change in self.changes
            )
            lines.append(
                f"Median pain before sessions, {_span(self.first_week)} against {_span(self.last_week)}: "
                f"{parts} (0-10)."
            )
        if self.sbi is not None and Measure.SBI in self.measures:
            lines.append(
                f"Sciatica Bothersomeness Index {self.sbi.first} ({self.sbi.first_day.isoformat()}) → "
                f"{self.sbi.last} ({self.sbi.last_day.isoformat()}) (0-24)."
            )
        return " ".join(lines)


def _num(value: float) -> str:
    return f"{value:g}"


def _span(days: tuple[date, date]) -> str:
    return f"{days[0].isoformat()} to {days[1].isoformat()}"


DayPain = Mapping[Part, float]


def daily_pain(sessions: Iterable[SessionRecord], tz: tzinfo) -> dict[date, dict[Part, float]]:
    """Each local day's median pain before sessions, back and leg; days without a rating are left out."""
    ratings: defaultdict[date, list[tuple[int, int]]] = defaultdict(list)
    for session in sessions:
        if session.pain_before is not None:
            day = session.started_at.astimezone(tz).date()
            ratings[day].append((session.pain_before.leg, session.pain_before.back))
    return {
        day: {Part.LEG: median(leg for leg, _back in pairs), Part.BACK: median(back for _leg, back in pairs)}
        for day, pairs in ratings.items()
    }


def _in(days: Mapping[date, DayPain], start: date, end: date) -> list[date]:
    return [day for day in days if start <= day <= end]


def _typical(days: Mapping[date, DayPain], chosen: list[date], part: Part) -> float:
    return median(days[day][part] for day in chosen)


def assess(
    days: Mapping[date, DayPain],
    today: date,
    last_prompt: date | None = None,
    sbi: Iterable[tuple[date, int]] = (),
) -> Assessment:
    """Whether to suggest seeing a doctor today, from each day's pain before sessions (`daily_pain`), the
    day the person last saw this suggestion (None: never) and the SBI totals by day (none: pain only)."""
    pain = _assess_pain(days, today, last_prompt)
    change = sbi_change(sbi, today, last_prompt)
    if change is None:
        return pain if pain.prompt else Assessment(Verdict.NONE)
    needed = FIRST_CHECK_DAYS if last_prompt is None else REPEAT_CHECK_DAYS
    pain_agrees = not any(part.improved for part in pain.changes)  # no pain to compare agrees too
    if pain.verdict is Verdict.WORSENING or change.worse:
        verdict = Verdict.WORSENING
        by_pain, by_sbi = pain.verdict is Verdict.WORSENING, change.worse
    elif pain.verdict is Verdict.NOT_IMPROVING or (change.stuck(needed) and pain_agrees):
        verdict = Verdict.NOT_IMPROVING
        by_pain, by_sbi = pain.prompt, change.stuck(needed) and pain_agrees
    else:
        return Assessment(Verdict.NONE)
    measures = frozenset(m for m, yes in ((Measure.PAIN, by_pain), (Measure.SBI, by_sbi)) if yes)
    return Assessment(verdict, pain.first_week, pain.last_week, pain.changes, change, measures)


def _assess_pain(days: Mapping[date, DayPain], today: date, last_prompt: date | None) -> Assessment:
    """The pain-only rule (see the module docstring). A NONE verdict still carries the weeks and medians
    compared, when there are any, so the SBI rule can tell whether the pain agrees."""
    episode = sorted(day for day in days if day <= today and (last_prompt is None or day > last_prompt))
    start = next(
        (
            day
            for day in episode
            if len(_in(days, day, day + timedelta(days=WEEK_DAYS - 1))) >= MIN_DAYS_PER_WEEK
        ),
        None,
    )
    if start is None:
        return Assessment(Verdict.NONE)
    first_end = start + timedelta(days=WEEK_DAYS - 1)
    last_start = max(first_end + timedelta(days=1), today - timedelta(days=WEEK_DAYS - 1))
    first_days = _in(days, start, first_end)
    last_days = _in(days, last_start, today)
    if len(last_days) < MIN_DAYS_PER_WEEK:
        return Assessment(Verdict.NONE)
    changes = tuple(
        PartChange(part, _typical(days, first_days, part), _typical(days, last_days, part)) for part in Part
    )
    needed = FIRST_CHECK_DAYS if last_prompt is None else REPEAT_CHECK_DAYS
    if any(change.worse for change in changes):
        verdict = Verdict.WORSENING
    elif (today - start).days >= needed and any(change.stuck for change in changes):
        verdict = Verdict.NOT_IMPROVING
    else:
        verdict = Verdict.NONE
    return Assessment(verdict, (start, first_end), (last_start, today), changes)


# ---- what Today says (the route to a doctor is the country's non-emergency one, never the emergency number) ----
_HEADINGS = {
    Verdict.NOT_IMPROVING: N_("Worth a check with your doctor"),
    Verdict.WORSENING: N_("Please get your pain checked"),
}
_TEXTS = {
    Verdict.NOT_IMPROVING: (
        N_(
            "Your pain hasn't eased much since your first week of exercises. It's worth seeing your doctor or "
            "physiotherapist, so they can check the plan is right for you."
        ),
        N_("You can keep doing the exercises that feel comfortable. Leave out any that hurt."),
    ),
    Verdict.WORSENING: (
        N_(
            "Your pain has been higher lately than in your first week of exercises. Please arrange to see your "
            "doctor or physiotherapist soon, so they can look at what is happening."
        ),
        N_("If it is getting much worse, or is very bad even with painkillers, {same_day}."),
        N_("Until then, do only the exercises that feel comfortable, and stop any that make the pain worse."),
    ),
}


# When only the weekly check-ins show it (no pain ratings to compare, or the pain agrees without saying so
# itself): the same advice, naming what was measured. The paragraphs after the first are the pain texts'.
_SBI_FIRST = {
    Verdict.NOT_IMPROVING: N_(
        "Your weekly check-ins show that your sciatica is bothering you about as much as when you started "
        "them. It's worth seeing your doctor or physiotherapist, so they can check the plan is right for you."
    ),
    Verdict.WORSENING: N_(
        "Your weekly check-ins show that your sciatica is bothering you more than when you started them. "
        "Please arrange to see your doctor or physiotherapist soon, so they can look at what is happening."
    ),
}


@dataclass(frozen=True, slots=True)
class Prompt:
    """The card's words, in the current language."""

    verdict: Verdict
    heading: str
    body: str


def prompt_words(verdict: Verdict, place: Country, measures: frozenset[Measure] = PAIN_ONLY) -> Prompt:
    """The heading and the paragraphs for a verdict, naming `place`'s non-emergency route; `measures` is what
    the verdict rests on (`Assessment.measures`): the pain is named when it is among them, otherwise the
    weekly check-ins. NONE: ValueError."""
    if verdict is Verdict.NONE:
        raise ValueError("nothing to say when the pain is getting better")
    words = advice_words(place)
    texts = _TEXTS[verdict] if Measure.PAIN in measures else (_SBI_FIRST[verdict], *_TEXTS[verdict][1:])
    body = "\n\n".join(_(part).format(**words) for part in texts)
    return Prompt(verdict, _(_HEADINGS[verdict]), body)
