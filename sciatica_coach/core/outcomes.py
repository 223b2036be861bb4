"""Measuring recovery the way clinicians do: the Sciatica Bothersomeness Index, the Patient-Specific
Functional Scale, and how long the person can sit and walk before the leg complains.

- SBI (Patrick et al. 1995): four questions about the last week, each 0 "not bothersome" to 6 "extremely
  bothersome"; the score is the total, 0-24. Asked weekly.
- PSFS (Stratford et al. 1995): up to three activities the person names, each rated 0 "unable" to 10 "as
  before the problem"; the score is the average. Asked every two weeks; later ratings reuse the same
  activities (one may be added or retired).
- Sitting and walking tolerance in whole minutes, asked with the SBI.

One check-in holds whichever of these the person answered that day. Here are the model, the scoring, the
range checks (with plain messages), reading a stored check-in tolerantly, and when each measure is next due.
Plain Python, no Qt. Licences and what a meaningful change is: docs/safety.md, "Outcome measures"."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sciatica_coach.core.plausible import clean_text, day_from_text
from sciatica_coach.i18n import N_, _

OUTCOMES_KEY = "outcome_checkins"  # the stored list of check-ins (repository state)

SBI_ITEMS = (
    N_("Leg pain"),
    N_("Numbness or tingling in the leg, foot or groin"),
    N_("Weakness in the leg or foot"),
    N_("Back or leg pain while sitting"),
)
SBI_ITEM_MAX = 6
SBI_TOTAL_MAX = SBI_ITEM_MAX * len(SBI_ITEMS)  # 24
PSFS_MAX = 10
PSFS_MAX_ACTIVITIES = 3
ACTIVITY_LONGEST = 60  # characters: "Putting on my socks", "Sitting through a film"
TOLERANCE_MAX_MIN = 600  # ten hours: more than anyone is asked to sit
SBI_EVERY_DAYS = 7
PSFS_EVERY_DAYS = 14
# A change in the PSFS average of about 2 points (3 for one activity) is meaningful (Stratford 1995).
PSFS_MEANINGFUL_CHANGE = 2.0


class OutcomeError(ValueError):
    """An answer outside what the question allows; str() is a plain sentence for the person."""


@dataclass(frozen=True)
class Activity:
    name: str
    rating: int  # 0 unable .. 10 as before the problem


@dataclass(frozen=True)
class CheckIn:
    day: date
    sbi: tuple[int, ...] | None = None  # four answers 0-6, in SBI_ITEMS order
    psfs: tuple[Activity, ...] | None = None
    sitting_min: int | None = None
    walking_min: int | None = None

    @property
    def sbi_total(self) -> int | None:
        return None if self.sbi is None else sum(self.sbi)

    @property
    def psfs_average(self) -> float | None:
        if not self.psfs:
            return None
        return sum(a.rating for a in self.psfs) / len(self.psfs)


def _whole_number(value: object, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise OutcomeError(
            _("{what} should be a whole number from {low} to {high}.").format(what=what, low=low, high=high)
        )
    if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
        raise OutcomeError(
            _("{what} should be a whole number from {low} to {high}.").format(what=what, low=low, high=high)
        )
    number = int(value)
    if not low <= number <= high:
        raise OutcomeError(
            _("{what} should be a whole number from {low} to {high}.").format(what=what, low=low, high=high)
        )
    return number


def check_sbi(answers: object) -> tuple[int, ...]:
    if not isinstance(answers, list | tuple) or len(answers) != len(SBI_ITEMS):
        raise OutcomeError(_("The bothersomeness questions need an answer to each of the four."))
    return tuple(
        _whole_number(value, 0, SBI_ITEM_MAX, _(item)) for value, item in zip(answers, SBI_ITEMS, strict=True)
    )


def check_activity_name(name: object) -> str:
    text = clean_text(name, ACTIVITY_LONGEST) if isinstance(name, str) else None
    text = " ".join(text.split()) if text is not None else None
    if not text:
        raise OutcomeError(
            _("Please name the activity in a few words (up to {longest} letters).").format(
                longest=ACTIVITY_LONGEST
            )
        )
    return text


def check_psfs(activities: object) -> tuple[Activity, ...]:
    if not isinstance(activities, list | tuple) or not 1 <= len(activities) <= PSFS_MAX_ACTIVITIES:
        raise OutcomeError(_("Rate one to three activities."))
    checked: list[Activity] = []
    for item in activities:
        name: object
        rating: object
        if isinstance(item, Activity):
            name, rating = item.name, item.rating
        elif isinstance(item, dict):
            name, rating = item.get("name"), item.get("rating")
        else:
            raise OutcomeError(_("Rate one to three activities."))
        clean = check_activity_name(name)
        if clean.casefold() in {a.name.casefold() for a in checked}:
            raise OutcomeError(_("Each activity can be named only once."))
        checked.append(Activity(clean, _whole_number(rating, 0, PSFS_MAX, clean)))
    return tuple(checked)


def check_minutes(value: object, what: str) -> int | None:
    if value is None:
        return None
    return _whole_number(value, 0, TOLERANCE_MAX_MIN, what)


def make_checkin(
    day: date,
    *,
    sbi: object = None,
    psfs: object = None,
    sitting_min: object = None,
    walking_min: object = None,
) -> CheckIn:
    """A checked check-in; raises OutcomeError with a plain message for anything out of range."""
    checkin = CheckIn(
        day=day,
        sbi=None if sbi is None else check_sbi(sbi),
        psfs=None if psfs is None else check_psfs(psfs),
        sitting_min=check_minutes(sitting_min, _("Sitting time")),
        walking_min=check_minutes(walking_min, _("Walking time")),
    )
    if (
        checkin.sbi is None
        and checkin.psfs is None
        and checkin.sitting_min is None
        and (checkin.walking_min is None)
    ):
        raise OutcomeError(_("There is nothing to save yet."))
    return checkin


def checkin_to_dict(checkin: CheckIn) -> dict[str, Any]:
    return {
        "day": checkin.day.isoformat(),
        "sbi": None if checkin.sbi is None else list(checkin.sbi),
        "psfs": None
        if checkin.psfs is None
        else [{"name": a.name, "rating": a.rating} for a in checkin.psfs],
        "sitting_min": checkin.sitting_min,
        "walking_min": checkin.walking_min,
    }


def checkin_from_dict(raw: object) -> CheckIn:
    """A stored check-in; raises OutcomeError with a plain message when it is damaged or hand-edited."""
    if not isinstance(raw, dict):
        raise OutcomeError(_("A saved check-in is not in a form the app can read."))
    day = day_from_text(raw.get("day"))
    if day is None:
        raise OutcomeError(_("A saved check-in has no readable date."))
    return make_checkin(
        day,
        sbi=raw.get("sbi"),
        psfs=raw.get("psfs"),
        sitting_min=raw.get("sitting_min"),
        walking_min=raw.get("walking_min"),
    )


def read_checkins(raw: object) -> tuple[list[CheckIn], list[str]]:
    """Every readable check-in, by day, and a plain sentence for each one that could not be read."""
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], [_("The saved check-ins are not in a form the app can read; they are left as they are.")]
    checkins: list[CheckIn] = []
    problems: list[str] = []
    for item in raw:
        try:
            checkins.append(checkin_from_dict(item))
        except OutcomeError as err:
            problems.append(str(err))
    checkins.sort(key=lambda c: c.day)
    return checkins, problems


def last_day(checkins: list[CheckIn], measure: str) -> date | None:
    days = [
        c.day
        for c in checkins
        if (measure == "sbi" and c.sbi is not None) or (measure == "psfs" and c.psfs is not None)
    ]
    return max(days) if days else None


@dataclass(frozen=True)
class Due:
    sbi: bool
    psfs: bool

    @property
    def any(self) -> bool:
        return self.sbi or self.psfs


def due(checkins: list[CheckIn], today: date) -> Due:
    """What to offer today: the SBI (with sitting and walking) a week after the last, the PSFS two weeks
    after the last; both at once when never answered. A check-in dated later than today (a clock that was
    wrong) counts as answered, so the app doesn't ask again and again."""
    last_sbi, last_psfs = last_day(checkins, "sbi"), last_day(checkins, "psfs")
    return Due(
        sbi=last_sbi is None or today - last_sbi >= timedelta(days=SBI_EVERY_DAYS),
        psfs=last_psfs is None or today - last_psfs >= timedelta(days=PSFS_EVERY_DAYS),
    )


def current_activities(checkins: list[CheckIn]) -> list[str]:
    """The activities rated last time, to be rated again (the person may retire one or add one)."""
    for checkin in reversed(checkins):
        if checkin.psfs:
            return [a.name for a in checkin.psfs]
    return []


def psfs_change(checkins: list[CheckIn]) -> float | None:
    """The PSFS average now minus the first one (positive is better); None with fewer than two."""
    averages = [c.psfs_average for c in checkins if c.psfs_average is not None]
    return None if len(averages) < 2 else averages[-1] - averages[0]


def sbi_change(checkins: list[CheckIn]) -> int | None:
    """The SBI total now minus the first one (negative is better); None with fewer than two."""
    totals = [c.sbi_total for c in checkins if c.sbi_total is not None]
    return None if len(totals) < 2 else totals[-1] - totals[0]
