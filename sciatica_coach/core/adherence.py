"""Adherence and pain numbers: one source of truth for the Progress view, `sciatica-coach stats` and the
clinician report.

Everything is computed from the stored session records in one pass over the sessions and one pass over the
local days they cover (O(sessions + days)); views and the CLI only format what this module returns.
Nothing here reads the clock: callers pass the user's time zone and "today".

The rules, so every screen shows the same thing:

* **Local days and ISO weeks.** A session belongs to the local calendar day, in the user's time zone, on
  which it *started*; a session that crosses midnight counts for its start day. Weeks are ISO weeks
  (Monday to Sunday) of local dates, so a week that contains a clock change is still seven days long.
  Timestamps stored in other UTC offsets are converted to the user's zone first; a naive timestamp is taken
  to be wall time in the user's zone.
* **Completed and partial.** A session with outcome COMPLETED is *completed*. ENDED_EARLY and SAFETY_STOP
  are both *partial*: the person did some of the routine, and stopping for safety is the right thing to do,
  so it must not count as nothing. Safety stops are also counted separately.
* **Targets.** The plan's target for a day comes from ``target_for(day)`` (default 2 a day). The app passes
  :meth:`sciatica_coach.core.plan_history.PlanHistory.target_for`: each day is measured against the reminder
  plan *in force that day*, so changing the reminders (or the routine, or the phase) never rewrites earlier
  weeks, streaks or the score; a change takes effect from the next local day. A day has target 0 when it is
  excused (a flare day, kept as the repository's excused days, whatever the plan said) or before the
  programme started. The programme starts on ``plan_start`` when given, otherwise on the local day of the
  first session (or today, with no history), so a person who starts on a Thursday is not marked down for
  Monday to Wednesday.
* **Adherence %.** ``100 * (completed + 0.5 * partial) / target``, capped at 100; ``None`` when the target
  is 0. Sessions on excused days still count as credit. The row for the current week is marked
  ``in_progress`` and uses the whole week's target ("3 of 14 so far").
  The four-week figure in the :class:`Summary` covers the 28 days ending today; today's target counts only
  as far as today's sessions cover it, so an unfinished today never lowers it.
* **Met the plan / streaks.** A day met the plan when its target is above 0 and *completed* sessions reach
  it (partial sessions do not). Excused days and days with target 0 neither break nor extend a streak.
  Today, while it is not yet met, does not break the current streak; once met it extends it.
* **Habit score.** Like Loop Habit Tracker: each day with a target, ``score = score * m + c * (1 - m)`` with
  ``m = 0.5 ** (sqrt(1) / 13)`` (a daily habit) and ``c = min(1, credit / target)``, so a half-done day
  counts half. Days with target 0 leave the score unchanged. An unfinished today can only raise the score.
  The score starts at 0 on the programme's first day and is reported as 0..100 %.
* **Pain.** Only ``pain_before`` reports are used (pain before exercising, comparable day to day).
  Weekly means of back and leg pain; a least-squares slope in points per week over the last N weeks
  (weeks with no report are left out; at least two weeks are needed); and the change since the start:
  the mean of the 7 local days from the first report against the mean of the 7 days ending on the latest
  report. The two windows must not overlap (at least 14 days of reports), otherwise the change is
  ``None``. ``change = last - first``, so a negative change means less pain. A change is clinically
  meaningful when ``abs(change) >= 2`` points (Childs 2005); this is decided on exact fractions.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

from sciatica_coach.core.model import Outcome, SessionRecord, SymptomChange

if TYPE_CHECKING:
    from fractions import Fraction

_log = logging.getLogger(__name__)

DEFAULT_SESSIONS_PER_DAY = 2
PARTIAL_CREDIT = 0.5  # a session ended early or stopped for safety counts as half a session
MEANINGFUL_PAIN_CHANGE_POINTS = 2  # on the 0-10 scale (Childs 2005)
SCORE_FREQUENCY_PER_DAY = 1.0  # the habit is "do today's sessions", once per day
SCORE_MULTIPLIER_PER_DAY = 0.5 ** (math.sqrt(SCORE_FREQUENCY_PER_DAY) / 13)  # Loop Habit Tracker's decay
MORNING_SLOT = "morning"
EVENING_SLOT = "evening"
MORNING_ENDS_AT = time(14, 0)  # local start time; a session starting at or after this is "evening"
PAIN_WINDOW_DAYS = 7
ROLLING_ADHERENCE_DAYS = 28
DEFAULT_TREND_WEEKS = 6
ONE_DAY = timedelta(days=1)

TargetFor = Callable[[date], int]

_NO_SLOTS: Mapping[str, int] = MappingProxyType({})


def default_target(day: date) -> int:
    """The plan when the user has set none: twice a day, every day (14 a week)."""
    return DEFAULT_SESSIONS_PER_DAY


@dataclass(frozen=True, slots=True)
class DayCell:
    """One local day, for the heatmap and the day list."""

    day: date
    completed: int
    partial: int  # ended early or stopped for safety
    safety_stops: int  # included in partial
    target: int  # 0 when excused or before the programme started
    excused: bool
    met: bool  # target > 0 and completed >= target
    slots: Mapping[str, int] = field(hash=False)  # sessions (completed or partial) by slot, read-only
    completed_slots: frozenset[str]  # the slots with a completed session (not only a stopped one)
    score_pct: float | None  # habit score at the end of this day; None before the start and after today

    @property
    def credit(self) -> float:
        return self.completed + PARTIAL_CREDIT * self.partial


@dataclass(frozen=True, slots=True)
class WeekRow:
    """One ISO week of local days."""

    iso_year: int
    iso_week: int
    start: date  # Monday
    completed: int
    partial: int
    safety_stops: int
    target: int
    excused_days: int
    days_met: int
    adherence_pct: float | None  # None when the week's target is 0
    back_pain_mean: float | None  # from pain_before reports
    leg_pain_mean: float | None
    pain_reports: int
    in_progress: bool  # the week containing today

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def label(self) -> str:
        return f"{self.iso_year}-W{self.iso_week:02d}"


@dataclass(frozen=True, slots=True)
class PainChange:
    """Mean pain in the first 7 days of reports against the 7 days ending on the latest report."""

    first_mean: float
    last_mean: float
    change: float  # last - first; negative means less pain
    meaningful: bool  # abs(change) >= 2 points
    first_window: tuple[date, date]  # inclusive
    last_window: tuple[date, date]  # inclusive


class ChangeClaim(StrEnum):
    """What may be said of a pain change since the start, in the light of the recent trend."""

    SAME = "same"  # less than 0.05 points either way
    LOWER = "lower"
    HIGHER = "higher"
    MIXED = "mixed"  # the change and the recent trend disagree: give both numbers, claim neither


def change_claim(change: PainChange, recent_slope: float | None) -> ChangeClaim:
    """The one rule for every screen and the report: a change is called "lower" only while the recent trend
    is not rising (slope <= 0), and "higher" only while it is not falling (slope >= 0). A person whose pain
    has been climbing for weeks is never told it is "x points lower", even if it is still below where it
    began. With no trend yet (None) the change speaks for itself."""
    if abs(change.change) < 0.05:
        return ChangeClaim.SAME
    if change.change < 0:
        return ChangeClaim.LOWER if recent_slope is None or recent_slope <= 0 else ChangeClaim.MIXED
    return ChangeClaim.HIGHER if recent_slope is None or recent_slope >= 0 else ChangeClaim.MIXED


@dataclass(frozen=True, slots=True)
class PainTrend:
    weeks: int  # how many recent weeks the slopes cover, including the current one
    back_slope_per_week: float | None  # least-squares points per week; None with fewer than 2 weeks of data
    leg_slope_per_week: float | None
    back_change: PainChange | None  # None until there are 14 days of reports
    leg_change: PainChange | None


@dataclass(frozen=True, slots=True)
class SymptomNote:
    """An exercise after which leg symptoms spread further down the leg."""

    exercise_id: str
    times: int
    last_day: date


@dataclass(frozen=True, slots=True)
class Summary:
    """The numbers on the headline cards."""

    today: date
    this_week_completed: int
    this_week_partial: int
    this_week_target: int
    adherence_4w_pct: float | None
    current_streak: int
    best_streak: int
    score_pct: float
    back_change: PainChange | None
    leg_change: PainChange | None
    safety_stops: int
    safety_stop_days: tuple[date, ...]  # local days, oldest first, one entry per stop
    spread_down: tuple[SymptomNote, ...]  # most frequent first
    numbness_or_weakness_days: tuple[date, ...]  # days a pain report noted new numbness or weakness
    total_sessions: int
    back_slope_per_week: float | None = None  # the recent trend (DEFAULT_TREND_WEEKS), for `change_claim`
    leg_slope_per_week: float | None = None


class _DayTally:
    """Mutable per-day accumulator used while reading the sessions."""

    __slots__ = (
        "back_sum", "completed", "completed_slots", "leg_sum", "pain_reports", "partial", "safety_stops", "slots"
    )  # fmt: skip

    def __init__(self) -> None:
        self.completed = 0
        self.partial = 0
        self.safety_stops = 0
        self.slots: dict[str, int] = {}
        self.completed_slots: set[str] = set()
        self.back_sum = 0
        self.leg_sum = 0
        self.pain_reports = 0


def _local(moment: datetime, tz: tzinfo) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


def _slot_of(session: SessionRecord, local_start: datetime) -> str:
    if session.slot:
        return session.slot
    return MORNING_SLOT if local_start.time() < MORNING_ENDS_AT else EVENING_SLOT


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _least_squares_slope(points: Sequence[tuple[float, float]]) -> float | None:
    if len(points) < 2:
        return None
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return sxy / sxx


def _adherence_pct(credit: float, target: float) -> float | None:
    if target <= 0:
        return None
    return min(100.0, 100.0 * credit / target)


class AdherenceHistory:
    """Everything computed from one set of inputs. Build it with :func:`build_history`, then ask it for
    day cells, week rows, the pain trend and the summary; all answers come from the same pass."""

    def __init__(
        self,
        sessions: Iterable[SessionRecord],
        *,
        tz: tzinfo,
        today: date,
        excused: AbstractSet[date],
        target_for: TargetFor,
        plan_start: date | None,
    ) -> None:
        self.today = today
        self._tz = tz
        self._excused = excused
        self._target_for = target_for

        tallies: dict[date, _DayTally] = {}
        safety_days: list[date] = []
        numbness_days: set[date] = set()
        spread: dict[str, tuple[int, date]] = {}
        total = 0
        for session in sessions:
            total += 1
            local_start = _local(session.started_at, tz)
            day = local_start.date()
            tally = tallies.get(day)
            if tally is None:
                tally = tallies[day] = _DayTally()
            if session.outcome is Outcome.COMPLETED:
                tally.completed += 1
            else:
                tally.partial += 1
                if session.outcome is Outcome.SAFETY_STOP:
                    tally.safety_stops += 1
                    safety_days.append(day)
            slot = _slot_of(session, local_start)
            tally.slots[slot] = tally.slots.get(slot, 0) + 1
            if session.outcome is Outcome.COMPLETED:
                tally.completed_slots.add(slot)
            before = session.pain_before
            if before is not None:
                tally.back_sum += before.back
                tally.leg_sum += before.leg
                tally.pain_reports += 1
            for report in (before, session.pain_after):
                if report is not None and report.new_numbness_or_weakness:
                    numbness_days.add(day)
            for item in session.exercises:
                if item.symptom is SymptomChange.DOWN:
                    times, last = spread.get(item.exercise_id, (0, day))
                    spread[item.exercise_id] = (times + 1, max(last, day))

        self._tallies = tallies
        self.total_sessions = total
        self.safety_stop_days = tuple(sorted(safety_days))
        self.numbness_or_weakness_days = tuple(sorted(numbness_days))
        self.spread_down = tuple(
            sorted(
                (SymptomNote(eid, times, last) for eid, (times, last) in spread.items()),
                key=lambda note: (-note.times, note.exercise_id),
            )
        )

        first_session_day = min(tallies) if tallies else None
        last_session_day = max(tallies) if tallies else None
        if plan_start is not None:
            self.plan_start = plan_start
        elif first_session_day is not None:
            self.plan_start = min(first_session_day, today)
        else:
            self.plan_start = today
        self._first = min(self.plan_start, first_session_day or self.plan_start)
        self._last = max(today, last_session_day or today)

        self._cells: list[DayCell] = []
        self.current_streak = 0
        self.best_streak = 0
        self.score_pct = 0.0
        self._walk_days()
        _log.debug(
            "adherence: %d sessions over %d days, streak %d (best %d), score %.1f",
            total,
            len(self._cells),
            self.current_streak,
            self.best_streak,
            self.score_pct,
        )

    def _target(self, day: date, excused: bool) -> int:
        if excused or day < self.plan_start:
            return 0
        return max(0, self._target_for(day))

    def _walk_days(self) -> None:
        multiplier = SCORE_MULTIPLIER_PER_DAY
        score = 0.0
        run = best = 0
        today = self.today
        day = self._first
        while day <= self._last:
            tally = self._tallies.get(day)
            excused = day in self._excused
            target = self._target(day, excused)
            completed = tally.completed if tally else 0
            partial = tally.partial if tally else 0
            met = target > 0 and completed >= target
            score_pct: float | None = None
            if day <= today:
                if target > 0:
                    check = min(1.0, (completed + PARTIAL_CREDIT * partial) / target)
                    updated = score * multiplier + check * (1.0 - multiplier)
                    score = min(1.0, max(score, updated) if day == today else updated)
                    if met:
                        run += 1
                        best = max(best, run)
                    elif day < today:
                        run = 0
                if day >= self.plan_start:
                    score_pct = 100.0 * score
            self._cells.append(
                DayCell(
                    day=day,
                    completed=completed,
                    partial=partial,
                    safety_stops=tally.safety_stops if tally else 0,
                    target=target,
                    excused=excused,
                    met=met,
                    slots=MappingProxyType(dict(tally.slots)) if tally else _NO_SLOTS,
                    completed_slots=frozenset(tally.completed_slots) if tally else frozenset(),
                    score_pct=score_pct,
                )
            )
            day += ONE_DAY
        self.current_streak = run
        self.best_streak = best
        self.score_pct = 100.0 * score

    # --- days -----------------------------------------------------------------------------------------

    def cell(self, day: date) -> DayCell:
        """The cell for any local day; days outside the history have no sessions."""
        if self._first <= day <= self._last:
            return self._cells[(day - self._first).days]
        excused = day in self._excused
        return DayCell(
            day=day,
            completed=0,
            partial=0,
            safety_stops=0,
            target=self._target(day, excused),
            excused=excused,
            met=False,
            slots=_NO_SLOTS,
            completed_slots=frozenset(),
            score_pct=None,
        )

    def calendar_days(self, start: date, end: date) -> list[DayCell]:
        """Cells from start to end, both included; empty when end is before start."""
        days = (end - start).days + 1
        return [self.cell(start + timedelta(days=i)) for i in range(max(0, days))]

    # --- weeks ----------------------------------------------------------------------------------------

    def week_row(self, day: date) -> WeekRow:
        """The ISO week (of local dates) containing day."""
        monday = _week_start(day)
        completed = partial = safety = target = excused_days = days_met = 0
        credit = 0.0
        back_sum = leg_sum = reports = 0
        for offset in range(7):
            this_day = monday + timedelta(days=offset)
            cell = self.cell(this_day)
            completed += cell.completed
            partial += cell.partial
            safety += cell.safety_stops
            target += cell.target
            excused_days += cell.excused
            days_met += cell.met
            credit += cell.credit
            tally = self._tallies.get(this_day)
            if tally is not None and tally.pain_reports:
                back_sum += tally.back_sum
                leg_sum += tally.leg_sum
                reports += tally.pain_reports
        iso = monday.isocalendar()
        return WeekRow(
            iso_year=iso.year,
            iso_week=iso.week,
            start=monday,
            completed=completed,
            partial=partial,
            safety_stops=safety,
            target=target,
            excused_days=excused_days,
            days_met=days_met,
            adherence_pct=_adherence_pct(credit, target),
            back_pain_mean=back_sum / reports if reports else None,
            leg_pain_mean=leg_sum / reports if reports else None,
            pain_reports=reports,
            in_progress=monday <= self.today <= monday + timedelta(days=6),
        )

    def weekly_table(self, weeks: int) -> list[WeekRow]:
        """The last `weeks` ISO weeks, oldest first, ending with the current (in-progress) week."""
        this_monday = _week_start(self.today)
        return [
            self.week_row(this_monday - timedelta(weeks=back)) for back in range(max(0, weeks) - 1, -1, -1)
        ]

    # --- pain -----------------------------------------------------------------------------------------

    def _pain_change(self, part: str) -> PainChange | None:
        pain_days = [day for day, tally in self._tallies.items() if tally.pain_reports]
        if not pain_days:
            return None
        first_day, last_day = min(pain_days), max(pain_days)
        first_window = (first_day, first_day + timedelta(days=PAIN_WINDOW_DAYS - 1))
        last_window = (last_day - timedelta(days=PAIN_WINDOW_DAYS - 1), last_day)
        if last_window[0] <= first_window[1]:
            return None
        first_mean = self._window_mean(first_window, part)
        last_mean = self._window_mean(last_window, part)
        change = last_mean - first_mean
        return PainChange(
            first_mean=float(first_mean),
            last_mean=float(last_mean),
            change=float(change),
            meaningful=abs(change) >= MEANINGFUL_PAIN_CHANGE_POINTS,
            first_window=first_window,
            last_window=last_window,
        )

    def _window_mean(self, window: tuple[date, date], part: str) -> Fraction:
        from fractions import Fraction  # exact means; only the pain trend needs them (not Today)

        total = reports = 0
        for offset in range(PAIN_WINDOW_DAYS):
            tally = self._tallies.get(window[0] + timedelta(days=offset))
            if tally is not None:
                total += tally.back_sum if part == "back" else tally.leg_sum
                reports += tally.pain_reports
        return Fraction(total, reports)  # both windows hold at least the first/last report day

    def pain_trend(self, weeks: int = DEFAULT_TREND_WEEKS) -> PainTrend:
        rows = self.weekly_table(weeks)
        back = [
            (float(i), row.back_pain_mean) for i, row in enumerate(rows) if row.back_pain_mean is not None
        ]
        leg = [(float(i), row.leg_pain_mean) for i, row in enumerate(rows) if row.leg_pain_mean is not None]
        return PainTrend(
            weeks=len(rows),
            back_slope_per_week=_least_squares_slope(back),
            leg_slope_per_week=_least_squares_slope(leg),
            back_change=self._pain_change("back"),
            leg_change=self._pain_change("leg"),
        )

    # --- headline -------------------------------------------------------------------------------------

    def rolling_adherence_pct(self, days: int = ROLLING_ADHERENCE_DAYS) -> float | None:
        """Adherence over the `days` local days ending today; today's target counts only as far as today's
        sessions cover it."""
        credit = 0.0
        target = 0.0
        for offset in range(days - 1, -1, -1):
            cell = self.cell(self.today - timedelta(days=offset))
            credit += cell.credit
            target += min(float(cell.target), cell.credit) if offset == 0 else cell.target
        return _adherence_pct(credit, target)

    def summary(self) -> Summary:
        this_week = self.week_row(self.today)
        trend = self.pain_trend()
        return Summary(
            today=self.today,
            this_week_completed=this_week.completed,
            this_week_partial=this_week.partial,
            this_week_target=this_week.target,
            adherence_4w_pct=self.rolling_adherence_pct(),
            current_streak=self.current_streak,
            best_streak=self.best_streak,
            score_pct=self.score_pct,
            back_change=trend.back_change,
            leg_change=trend.leg_change,
            safety_stops=len(self.safety_stop_days),
            safety_stop_days=self.safety_stop_days,
            spread_down=self.spread_down,
            numbness_or_weakness_days=self.numbness_or_weakness_days,
            total_sessions=self.total_sessions,
            back_slope_per_week=trend.back_slope_per_week,
            leg_slope_per_week=trend.leg_slope_per_week,
        )


def build_history(
    sessions: Iterable[SessionRecord],
    *,
    tz: tzinfo,
    today: date,
    excused: AbstractSet[date] = frozenset(),
    target_for: TargetFor = default_target,
    plan_start: date | None = None,
) -> AdherenceHistory:
    """Read the sessions once and compute every number. Sessions may come in any order and any UTC offset.

    `plan_start` is the day the programme began; without it, the first session's local day (or today)."""
    return AdherenceHistory(
        sessions, tz=tz, today=today, excused=excused, target_for=target_for, plan_start=plan_start
    )


def _fmt_pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}%"


def _fmt_pain(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def format_weekly_table(rows: Sequence[WeekRow]) -> str:
    """A plain-text table for `sciatica-coach stats`. The in-progress week is marked with '*'."""
    header = ("Week", "From", "Done", "Partial", "Target", "Adherence", "Back", "Leg", "Safety")
    body = [
        (
            row.label + ("*" if row.in_progress else ""),
            row.start.isoformat(),
            str(row.completed),
            str(row.partial),
            str(row.target),
            _fmt_pct(row.adherence_pct),
            _fmt_pain(row.back_pain_mean),
            _fmt_pain(row.leg_pain_mean),
            str(row.safety_stops),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in (header, *body)) for i in range(len(header))]

    def render(line: Sequence[str]) -> str:
        cells = [line[0].ljust(widths[0]), line[1].ljust(widths[1])]
        cells += [text.rjust(width) for text, width in zip(line[2:], widths[2:], strict=True)]
        return "  ".join(cells).rstrip()

    lines = [render(header), *(render(line) for line in body)]
    if not body:
        lines.append("(no weeks)")
    elif any(row.in_progress for row in rows):
        lines.append("* week in progress")
    return "\n".join(lines) + "\n"
