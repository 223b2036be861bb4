"""Habit statistics over a chosen range of days, in the manner of Loop Habit Tracker: the habit score for
every day, the best streaks with their dates, and which weekdays and which reminder slots are missed most.

Qt-free. Everything is read from an :class:`~sciatica_coach.core.adherence.AdherenceHistory`'s public day
cells (target, completed, met, slots, score), so the rules stay in one place: how a day's target is set, what
"met the plan" means and the habit score's formula all live in :mod:`sciatica_coach.core.adherence`. This
module only groups and counts.

The rules it adds:

* **Score series.** The score of each day in the range, up to today, is the day cell's ``score_pct`` (the
  same number the summary shows for today). Days before the programme started have none and are left out.
* **Best streaks.** Runs of days that met the plan, by the streak rule of adherence: a day with target 0
  (excused, a flare day, or before the start) neither breaks nor extends a run; a day with a target that was
  not met breaks it, except today, which is still open. A run is named by its first and last met day and
  counts only the met days (an excused day inside it is within its dates but not in its length). Only the
  range is looked at, so a run that began before the range starts at the range's first day. The top
  ``BEST_STREAKS_SHOWN`` are kept: longest first, and of equal runs the more recent first.
* **Missed by weekday.** Finished days only (before today, in the range) with a target above 0: how many,
  and how many did not meet the plan.
* **Missed by slot.** The reminder slots planned on a day come from the caller (``slots_for(day)``: the
  "HH:MM" slots of the reminder plan in force that day, ``PlanHistory.reminders_on(day)``, the same plan the
  day's target comes from), counted only on finished days with a target whose number of slots equals the
  day's target (a day whose target came from elsewhere can't be split into slots). A slot was done when a *completed* session was filed under it; an older session filed only as
  "morning" or "evening" (before sessions carried their reminder slot) counts for one planned slot in that
  part of the day. Without ``slots_for`` there are no slot tallies.
* **Missed most.** The highest share missed, then the most missed, then the earliest weekday or slot;
  nothing when nothing was missed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, time

from sciatica_coach.core.adherence import (
    EVENING_SLOT,
    MORNING_ENDS_AT,
    MORNING_SLOT,
    AdherenceHistory,
    DayCell,
)

_log = logging.getLogger(__name__)

BEST_STREAKS_SHOWN = 5
DAYS_PER_WEEK = 7

SlotsFor = Callable[[date], Sequence[str]]


@dataclass(frozen=True, slots=True)
class ScorePoint:
    day: date
    score_pct: float  # 0..100, at the end of the day (today: so far)


@dataclass(frozen=True, slots=True)
class Streak:
    """A run of days that met the plan."""

    start: date  # the first met day
    end: date  # the last met day
    days: int  # met days in the run; excused days inside it are not counted
    ongoing: bool  # not broken up to today


@dataclass(frozen=True, slots=True)
class MissTally:
    """How often something planned was not done: a weekday (days that met the plan or not), a reminder slot,
    or a slot on one weekday (sessions done or not)."""

    weekday: int | None  # 0 = Monday .. 6 = Sunday; None for a slot over all weekdays
    slot: str | None  # "HH:MM", "morning" or "evening"; None for a weekday over all slots
    planned: int
    missed: int

    @property
    def done(self) -> int:
        return self.planned - self.missed

    @property
    def share(self) -> float:
        """Missed as a share of planned, 0..1 (0 when nothing was planned)."""
        return self.missed / self.planned if self.planned else 0.0


@dataclass(frozen=True, slots=True)
class HabitStats:
    start: date
    end: date  # the last day looked at (today at the latest)
    today: date
    scores: tuple[ScorePoint, ...]  # one per day with a score, oldest first
    best_streaks: tuple[Streak, ...]  # longest first
    by_weekday: tuple[MissTally, ...]  # seven, Monday first
    by_slot: tuple[MissTally, ...]  # one per planned slot, earliest first
    by_weekday_slot: tuple[MissTally, ...]  # per weekday and slot, Monday's earliest first

    @property
    def week_end_scores(self) -> tuple[ScorePoint, ...]:
        return week_end_scores(self.scores)

    @property
    def most_missed_weekday(self) -> MissTally | None:
        return most_missed(self.by_weekday)

    @property
    def most_missed_slot(self) -> MissTally | None:
        return most_missed(self.by_slot)

    @property
    def most_missed_weekday_slot(self) -> MissTally | None:
        return most_missed(self.by_weekday_slot)


def most_missed(tallies: Sequence[MissTally]) -> MissTally | None:
    """The tally with the highest share missed (then the most missed, then the first); None if none missed."""
    best: MissTally | None = None
    for tally in tallies:
        if tally.missed and (best is None or (tally.share, tally.missed) > (best.share, best.missed)):
            best = tally
    return best


def part_of_day(slot: str) -> str | None:
    """The part of the day, "morning" or "evening", of a slot: a reminder time before MORNING_ENDS_AT is in the
    morning (the rule adherence uses for sessions without a slot); None for a slot that is neither."""
    if slot in (MORNING_SLOT, EVENING_SLOT):
        return slot
    try:
        hours, minutes = slot.split(":")
        at = time(int(hours), int(minutes))
    except ValueError:
        return None
    return MORNING_SLOT if at < MORNING_ENDS_AT else EVENING_SLOT


def _slot_key(slot: str) -> tuple[int, str]:
    """Times in order of the day, then the parts of the day ("morning" before "evening"), then the rest."""
    if slot == MORNING_SLOT:
        return (1, "0")
    if slot == EVENING_SLOT:
        return (1, "1")
    return (0 if part_of_day(slot) else 2, slot.zfill(5))


def score_series(cells: Sequence[DayCell]) -> tuple[ScorePoint, ...]:
    """The habit score of each cell that has one (from the programme's start up to today)."""
    return tuple(ScorePoint(cell.day, cell.score_pct) for cell in cells if cell.score_pct is not None)


def week_end_scores(scores: Sequence[ScorePoint]) -> tuple[ScorePoint, ...]:
    """The last score of each ISO week (Sunday's, or today's in the current week), oldest first."""
    last: dict[tuple[int, int], ScorePoint] = {}
    for point in scores:
        iso = point.day.isocalendar()
        last[iso.year, iso.week] = point
    return tuple(last.values())


def streaks(cells: Sequence[DayCell], today: date) -> list[Streak]:
    """Every run of met days among `cells` (consecutive days, oldest first), oldest first."""
    runs: list[Streak] = []
    start: date | None = None
    end: date | None = None
    days = 0
    for cell in cells:
        if cell.day > today:
            break
        if cell.target <= 0:
            continue  # excused or before the start: neither breaks nor extends
        if cell.met:
            if start is None:
                start = cell.day
            end = cell.day
            days += 1
        elif cell.day < today and start is not None and end is not None:
            runs.append(Streak(start, end, days, ongoing=False))
            start = end = None
            days = 0
    if start is not None and end is not None:
        runs.append(Streak(start, end, days, ongoing=True))
    return runs


def best_streaks(cells: Sequence[DayCell], today: date, top: int = BEST_STREAKS_SHOWN) -> tuple[Streak, ...]:
    """The `top` longest runs, longest first; of runs of the same length the more recent first."""
    ranked = sorted(streaks(cells, today), key=lambda run: (run.days, run.end), reverse=True)
    return tuple(ranked[: max(0, top)])


def _finished(cells: Sequence[DayCell], today: date) -> list[DayCell]:
    return [cell for cell in cells if cell.day < today and cell.target > 0]


def missed_by_weekday(cells: Sequence[DayCell], today: date) -> tuple[MissTally, ...]:
    """For each weekday, Monday first: finished days with a target, and those that did not meet the plan."""
    planned = [0] * DAYS_PER_WEEK
    missed = [0] * DAYS_PER_WEEK
    for cell in _finished(cells, today):
        weekday = cell.day.weekday()
        planned[weekday] += 1
        missed[weekday] += not cell.met
    return tuple(MissTally(day, None, planned[day], missed[day]) for day in range(DAYS_PER_WEEK))


def _done_slots(planned: Sequence[str], cell: DayCell) -> set[str]:
    """Which of the day's planned slots had a completed session (an older session filed only as "morning" or
    "evening" stands for one planned slot in that part of the day)."""
    done = {slot for slot in planned if slot in cell.completed_slots}
    for part in (MORNING_SLOT, EVENING_SLOT):
        if part in cell.completed_slots and part not in planned:
            for slot in planned:
                if slot not in done and part_of_day(slot) == part:
                    done.add(slot)
                    break
    return done


def missed_by_slot(
    cells: Sequence[DayCell], today: date, slots_for: SlotsFor
) -> tuple[tuple[MissTally, ...], tuple[MissTally, ...]]:
    """(per slot over all weekdays, per weekday and slot): planned sessions and those not done."""
    planned: dict[tuple[int, str], int] = {}
    missed: dict[tuple[int, str], int] = {}
    skipped = 0
    for cell in _finished(cells, today):
        slots = list(dict.fromkeys(slots_for(cell.day)))
        if len(slots) != cell.target:
            skipped += 1
            continue
        done = _done_slots(slots, cell)
        weekday = cell.day.weekday()
        for slot in slots:
            key = (weekday, slot)
            planned[key] = planned.get(key, 0) + 1
            missed[key] = missed.get(key, 0) + (slot not in done)
    if skipped:
        _log.debug(
            "habit stats: %d days planned differently from today's reminders left out of slots", skipped
        )
    per_day = tuple(
        MissTally(weekday, slot, planned[weekday, slot], missed[weekday, slot])
        for weekday, slot in sorted(planned, key=lambda key: (key[0], _slot_key(key[1])))
    )
    per_slot: dict[str, tuple[int, int]] = {}
    for tally in per_day:
        assert tally.slot is not None
        total, lost = per_slot.get(tally.slot, (0, 0))
        per_slot[tally.slot] = (total + tally.planned, lost + tally.missed)
    return (
        tuple(
            MissTally(None, slot, total, lost)
            for slot, (total, lost) in sorted(per_slot.items(), key=lambda item: _slot_key(item[0]))
        ),
        per_day,
    )


def habit_stats(
    history: AdherenceHistory,
    start: date,
    end: date | None = None,
    *,
    slots_for: SlotsFor | None = None,
    top: int = BEST_STREAKS_SHOWN,
) -> HabitStats:
    """The statistics of the days `start` to `end` (both included; by default, and at the latest, today)."""
    today = history.today
    last = today if end is None else min(end, today)
    cells = history.calendar_days(start, last)
    by_slot, by_weekday_slot = missed_by_slot(cells, today, slots_for) if slots_for else ((), ())
    return HabitStats(
        start=start,
        end=last,
        today=today,
        scores=score_series(cells),
        best_streaks=best_streaks(cells, today, top),
        by_weekday=missed_by_weekday(cells, today),
        by_slot=by_slot,
        by_weekday_slot=by_weekday_slot,
    )
