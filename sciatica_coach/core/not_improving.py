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

Qt-free and pure: the caller passes the sessions, the local time zone, today and the day of the last prompt.
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


class Verdict(StrEnum):
    NONE = "none"
    NOT_IMPROVING = "not-improving"
    WORSENING = "worsening"


class Part(StrEnum):
    LEG = "leg"
    BACK = "back"


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
class Assessment:
    """Whether to suggest seeing a doctor now, and the figures behind it (for the report)."""

    verdict: Verdict
    first_week: tuple[date, date] | None = None
    last_week: tuple[date, date] | None = None
    changes: tuple[PartChange, ...] = ()

    @property
    def prompt(self) -> bool:
        return self.verdict is not Verdict.NONE

    def detail(self) -> str:
        """Plain English for the clinician report: the medians of each part, and the weeks compared."""
        if self.first_week is None or self.last_week is None:
            return ""
        parts = "; ".join(
            f"{change.part.value} pain {_num(change.first)} → {_num(change.last)}" for change in self.changes
        )
        return (
            f"Median pain before sessions, {_span(self.first_week)} against {_span(self.last_week)}: {parts} "
            "(0-10)."
        )


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


def assess(days: Mapping[date, DayPain], today: date, last_prompt: date | None = None) -> Assessment:
    """Whether to suggest seeing a doctor today, from each day's pain before sessions (`daily_pain`) and the
    day the person last saw this suggestion (None: never)."""
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
        return Assessment(Verdict.NONE)
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


@dataclass(frozen=True, slots=True)
class Prompt:
    """The card's words, in the current language."""

    verdict: Verdict
    heading: str
    body: str


def prompt_words(verdict: Verdict, place: Country) -> Prompt:
    """The heading and the paragraphs for a verdict, naming `place`'s non-emergency route. NONE: ValueError."""
    if verdict is Verdict.NONE:
        raise ValueError("nothing to say when the pain is getting better")
    words = advice_words(place)
    body = "\n\n".join(_(part).format(**words) for part in _TEXTS[verdict])
    return Prompt(verdict, _(_HEADINGS[verdict]), body)
