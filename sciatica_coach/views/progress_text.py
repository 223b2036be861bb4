"""The words of the Progress page and the clinician report, in one place so both say the same thing.

Qt-free: plain functions that turn the core's numbers (:mod:`sciatica_coach.core.adherence`) into short,
careful sentences. Guidance, never diagnosis: a pain change of 2 points or more is described as one that
"usually matters", nothing stronger."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sciatica_coach.core.adherence import DayCell, PainChange, Summary, WeekRow

RANGES_WEEKS = (4, 12, 26, 52)
DEFAULT_RANGE_WEEKS = 12


def short_date(day: date) -> str:
    """'3 Mar' — day and short month, no leading zero."""
    return f"{day.day} {day.strftime('%b')}"


def long_date(day: date) -> str:
    """'Tue 3 Mar 2026'."""
    return f"{day.strftime('%a')} {day.day} {day.strftime('%b')} {day.year}"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def fmt_pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def fmt_pain(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def this_week_text(summary: Summary) -> str:
    done = f"{summary.this_week_completed} of {summary.this_week_target}"
    if summary.this_week_partial:
        done += f" (+{summary.this_week_partial} partial)"
    return done


def streak_text(summary: Summary) -> str:
    return f"{plural(summary.current_streak, 'day')} (best {summary.best_streak})"


def pain_change_sentence(part: str, change: PainChange | None) -> str:
    """e.g. 'Leg pain is 2.5 points lower than when you started — a change that usually matters.'"""
    name = part.capitalize()
    if change is None:
        return f"{name} pain: not enough reports yet (two weeks of pain ratings are needed)."
    points = abs(change.change)
    if points < 0.05:
        return f"{name} pain is about the same as when you started ({change.last_mean:.1f} out of 10)."
    direction = "lower" if change.change < 0 else "higher"
    sentence = f"{name} pain is {points:.1f} points {direction} than when you started"
    if change.meaningful:
        if change.change < 0:
            return sentence + " — a change that usually matters."
        return sentence + ". A change this size is worth mentioning to your physiotherapist or doctor."
    return sentence + "."


def pain_change_short(change: PainChange | None) -> str:
    if change is None:
        return "–"
    sign = "−" if change.change < 0 else "+"
    return f"{change.first_mean:.1f} → {change.last_mean:.1f} ({sign}{abs(change.change):.1f})"


def headline_pain_text(summary: Summary) -> str:
    """The pain card: the more meaningful of leg and back first."""
    changes = [("leg", summary.leg_change), ("back", summary.back_change)]
    if all(change is None for _, change in changes):
        return "Not enough pain ratings yet. After two weeks of ratings, the change will show here."
    return " ".join(pain_change_sentence(part, change) for part, change in changes if change is not None)


def _went(part: str, values: Sequence[float]) -> str:
    first, last = values[0], values[-1]
    if abs(last - first) < 0.3:
        return f"Weekly {part} pain stayed at about {last:.1f}."
    return f"Weekly {part} pain went from {first:.1f} to {last:.1f}."


def weeks_summary(rows: Sequence[WeekRow], today: date | None = None) -> str:
    """A text version of the weekly chart, for screen readers and anyone who prefers words."""
    if not rows:
        return "No weeks to show yet."
    done = sum(row.completed for row in rows)
    partial = sum(row.partial for row in rows)
    target = sum(row.target for row in rows)
    finished = [row for row in rows if not row.in_progress and row.adherence_pct is not None]
    end = today if today is not None and rows[0].start <= today <= rows[-1].end else rows[-1].end
    parts = [
        f"From {short_date(rows[0].start)} to {short_date(end)}: "
        f"{plural(done, 'session')} done and {partial} partial, of {target} planned."
    ]
    if finished:
        best = max(finished, key=lambda row: (row.adherence_pct or 0, row.start))
        parts.append(f"Best week: {short_date(best.start)} ({fmt_pct(best.adherence_pct)}).")
    current = rows[-1]
    if current.in_progress:
        parts.append(f"This week so far: {current.completed} of {current.target}.")
    backs = [row.back_pain_mean for row in rows if row.back_pain_mean is not None]
    legs = [row.leg_pain_mean for row in rows if row.leg_pain_mean is not None]
    if len(legs) >= 2:
        parts.append(_went("leg", legs))
    if len(backs) >= 2:
        parts.append(_went("back", backs))
    return " ".join(parts)


def week_tooltip(row: WeekRow) -> str:
    """Exact numbers for one week of the chart."""
    heading = f"Week of {short_date(row.start)} – {short_date(row.end)}"
    if row.in_progress:
        heading += " (so far)"
    lines = [heading, f"Done: {row.completed} of {row.target} planned"]
    if row.partial:
        lines.append(f"Partial (ended early): {row.partial}")
    if row.safety_stops:
        lines.append(f"Stopped for safety: {row.safety_stops}")
    if row.excused_days:
        lines.append(f"Flare days (excused): {row.excused_days}")
    lines.append(f"Adherence: {fmt_pct(row.adherence_pct)}")
    if row.pain_reports:
        lines.append(
            f"Pain before exercise: back {fmt_pain(row.back_pain_mean)}, leg {fmt_pain(row.leg_pain_mean)}"
        )
    else:
        lines.append("No pain ratings this week")
    return "\n".join(lines)


def slot_text(slots: Mapping[str, int]) -> str:
    if not slots:
        return "no sessions"
    return ", ".join(f"{slot} ×{count}" if count > 1 else slot for slot, count in sorted(slots.items()))


def day_tooltip(cell: DayCell, today: date) -> str:
    """Exact detail for one calendar day."""
    lines = [long_date(cell.day) + (" (today)" if cell.day == today else "")]
    if cell.day > today:
        lines.append("Still to come")
        return "\n".join(lines)
    lines.append(f"Sessions: {slot_text(cell.slots)}")
    if cell.excused:
        lines.append("Flare day — excused, it doesn't break your streak")
    elif cell.target == 0:
        lines.append("Before your programme started")
    else:
        lines.append(f"Done {cell.completed} of {cell.target} planned" + (" — plan met" if cell.met else ""))
    if cell.partial:
        lines.append(f"Partial (ended early): {cell.partial}")
    if cell.safety_stops:
        lines.append(f"Stopped for safety: {cell.safety_stops}")
    return "\n".join(lines)


def calendar_summary(cells: Sequence[DayCell], today: date) -> str:
    past = [cell for cell in cells if cell.day <= today]
    planned = [cell for cell in past if cell.target > 0]
    met = sum(1 for cell in planned if cell.met)
    excused = sum(1 for cell in past if cell.excused)
    text = f"{met} of {plural(len(planned), 'planned day')} met the plan"
    if excused:
        text += f"; {plural(excused, 'flare day')} excused"
    return text + "."
