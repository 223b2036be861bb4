"""The words of the Progress page and the clinician report, in one place so both say the same thing.

Plain functions that turn the core's numbers (:mod:`sciatica_coach.core.adherence`) into short, careful
sentences. Guidance, never diagnosis: a pain change of 2 points or more is described as one that "usually
matters", nothing stronger.

The sentences are translated (sciatica_coach.i18n); the PDF report renders them with English forced
(``i18n.source_language``). In English the module needs no Qt and writes dates as "3 Mar"; in another
language dates and decimals come from the locale (platform.locale_support), imported only then."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from sciatica_coach.core.adherence import (
    EVENING_SLOT,
    MORNING_SLOT,
    ChangeClaim,
    DayCell,
    PainChange,
    Summary,
    WeekRow,
    change_claim,
)
from sciatica_coach.core.habit_stats import HabitStats, MissTally, Streak, part_of_day
from sciatica_coach.core.model import SafetyEvent, SafetyEventKind, SymptomChange
from sciatica_coach.i18n import (
    ENGLISH_DAYS,
    ENGLISH_MONTHS,
    N_,
    SOURCE_LANGUAGE,
    _,
    current_language,
    ngettext,
)

if TYPE_CHECKING:
    from sciatica_coach.services.progress_data import SafetyOverview, SittingBreaksOverview

RANGES_WEEKS = (4, 12, 26, 52)
DEFAULT_RANGE_WEEKS = 12


def _english() -> bool:
    return current_language() == SOURCE_LANGUAGE


def short_date(day: date) -> str:
    """'3 Mar' — day and short month, no leading zero ('3. März' in German)."""
    if _english():
        return f"{day.day} {ENGLISH_MONTHS[day.month - 1]}"
    from sciatica_coach.platform.locale_support import day_month

    return day_month(day)


def long_date(day: date) -> str:
    """'Tue 3 Mar 2026' ('Di., 3. März 2026' in German)."""
    if _english():
        return f"{ENGLISH_DAYS[day.weekday()]} {day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"
    from sciatica_coach.platform.locale_support import weekday_date

    return weekday_date(day)


def decimal(value: float, places: int = 1) -> str:
    """'2.5' ('2,5' in German)."""
    if _english():
        return f"{value:.{places}f}"
    from sciatica_coach.platform.locale_support import decimal as locale_decimal

    return locale_decimal(value, places)


def plural(count: int, word: str, many: str | None = None) -> str:
    """English only (the PDF report); translated text uses ``ngettext``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def days_text(count: int) -> str:
    return ngettext("{n} day", "{n} days", count).format(n=count)


def fmt_pct(value: float | None) -> str:
    return "–" if value is None else _("{percent}%").format(percent=f"{value:.0f}")


def fmt_pain(value: float | None) -> str:
    return "–" if value is None else decimal(value)


def this_week_text(summary: Summary) -> str:
    done, target = summary.this_week_completed, summary.this_week_target
    if summary.this_week_partial:
        return _("{done} of {target} (+{partial} partial)").format(
            done=done, target=target, partial=summary.this_week_partial
        )
    return _("{done} of {target}").format(done=done, target=target)


def streak_text(summary: Summary) -> str:
    n = summary.current_streak
    return ngettext("{n} day (best {best})", "{n} days (best {best})", n).format(
        n=n, best=summary.best_streak
    )


# Whole sentences for each part of the body (word order and grammar differ between languages).
_PAIN_SENTENCES = {
    ("leg", "none"): N_("Leg pain: not enough reports yet (two weeks of pain ratings are needed)."),
    ("back", "none"): N_("Back pain: not enough reports yet (two weeks of pain ratings are needed)."),
    ("leg", "same"): N_("Leg pain is about the same as when you started ({value} out of 10)."),
    ("back", "same"): N_("Back pain is about the same as when you started ({value} out of 10)."),
    ("leg", "lower"): N_("Leg pain is {points} points lower than when you started."),
    ("back", "lower"): N_("Back pain is {points} points lower than when you started."),
    ("leg", "lower, matters"): N_(
        "Leg pain is {points} points lower than when you started — a change that usually matters."
    ),
    ("back", "lower, matters"): N_(
        "Back pain is {points} points lower than when you started — a change that usually matters."
    ),
    ("leg", "higher"): N_("Leg pain is {points} points higher than when you started."),
    ("back", "higher"): N_("Back pain is {points} points higher than when you started."),
    ("leg", "mixed, rising"): N_(
        "Leg pain: {first} out of 10 in your first week of ratings, {last} lately. It has been rising over the "
        "last few weeks; if it keeps rising, mention it to your physiotherapist or doctor."
    ),
    ("back", "mixed, rising"): N_(
        "Back pain: {first} out of 10 in your first week of ratings, {last} lately. It has been rising over the "
        "last few weeks; if it keeps rising, mention it to your physiotherapist or doctor."
    ),
    ("leg", "mixed, easing"): N_(
        "Leg pain: {first} out of 10 in your first week of ratings, {last} lately. It has been easing over the "
        "last few weeks."
    ),
    ("back", "mixed, easing"): N_(
        "Back pain: {first} out of 10 in your first week of ratings, {last} lately. It has been easing over the "
        "last few weeks."
    ),
    ("leg", "higher, matters"): N_(
        "Leg pain is {points} points higher than when you started. A change this size is worth mentioning "
        "to your physiotherapist or doctor."
    ),
    ("back", "higher, matters"): N_(
        "Back pain is {points} points higher than when you started. A change this size is worth mentioning "
        "to your physiotherapist or doctor."
    ),
}
_WEEKLY_PAIN = {
    ("leg", "same"): N_("Weekly leg pain stayed at about {value}."),
    ("back", "same"): N_("Weekly back pain stayed at about {value}."),
    ("leg", "went"): N_("Weekly leg pain went from {first} to {last}."),
    ("back", "went"): N_("Weekly back pain went from {first} to {last}."),
}


def pain_change_sentence(part: str, change: PainChange | None, recent_slope: float | None = None) -> str:
    """e.g. 'Leg pain is 2.5 points lower than when you started — a change that usually matters.'
    ``part`` is "leg" or "back". Never "lower" while the recent trend rises (`adherence.change_claim`)."""
    if change is None:
        return _(_PAIN_SENTENCES[(part, "none")])
    claim = change_claim(change, recent_slope)
    if claim is ChangeClaim.SAME:
        return _(_PAIN_SENTENCES[(part, "same")]).format(value=decimal(change.last_mean))
    if claim is ChangeClaim.MIXED:
        kind = "mixed, rising" if change.change < 0 else "mixed, easing"
        return _(_PAIN_SENTENCES[(part, kind)]).format(
            first=decimal(change.first_mean), last=decimal(change.last_mean)
        )
    kind = "lower" if claim is ChangeClaim.LOWER else "higher"
    if change.meaningful:
        kind += ", matters"
    return _(_PAIN_SENTENCES[(part, kind)]).format(points=decimal(abs(change.change)))


def pain_change_short(change: PainChange | None) -> str:
    if change is None:
        return "–"
    sign = "−" if change.change < 0 else "+"
    return f"{decimal(change.first_mean)} → {decimal(change.last_mean)} ({sign}{decimal(abs(change.change))})"


def headline_pain_text(summary: Summary) -> str:
    """The pain card: the more meaningful of leg and back first."""
    changes = [
        ("leg", summary.leg_change, summary.leg_slope_per_week),
        ("back", summary.back_change, summary.back_slope_per_week),
    ]
    if all(change is None for _, change, _slope in changes):
        return _("Not enough pain ratings yet. After two weeks of ratings, the change will show here.")
    return " ".join(
        pain_change_sentence(part, change, slope) for part, change, slope in changes if change is not None
    )


def _went(part: str, values: Sequence[float]) -> str:
    first, last = values[0], values[-1]
    if abs(last - first) < 0.3:
        return _(_WEEKLY_PAIN[(part, "same")]).format(value=decimal(last))
    return _(_WEEKLY_PAIN[(part, "went")]).format(first=decimal(first), last=decimal(last))


def weeks_summary(rows: Sequence[WeekRow], today: date | None = None) -> str:
    """A text version of the weekly chart, for screen readers and anyone who prefers words."""
    if not rows:
        return _("No weeks to show yet.")
    done = sum(row.completed for row in rows)
    partial = sum(row.partial for row in rows)
    target = sum(row.target for row in rows)
    finished = [row for row in rows if not row.in_progress and row.adherence_pct is not None]
    end = today if today is not None and rows[0].start <= today <= rows[-1].end else rows[-1].end
    parts = [
        ngettext(
            "From {start} to {end}: {n} session done and {partial} partial, of {target} planned.",
            "From {start} to {end}: {n} sessions done and {partial} partial, of {target} planned.",
            done,
        ).format(start=short_date(rows[0].start), end=short_date(end), n=done, partial=partial, target=target)
    ]
    if finished:
        best = max(finished, key=lambda row: (row.adherence_pct or 0, row.start))
        parts.append(
            _("Best week: {week} ({percent}).").format(
                week=short_date(best.start), percent=fmt_pct(best.adherence_pct)
            )
        )
    current = rows[-1]
    if current.in_progress:
        parts.append(
            _("This week so far: {done} of {target}.").format(done=current.completed, target=current.target)
        )
    backs = [row.back_pain_mean for row in rows if row.back_pain_mean is not None]
    legs = [row.leg_pain_mean for row in rows if row.leg_pain_mean is not None]
    if len(legs) >= 2:
        parts.append(_went("leg", legs))
    if len(backs) >= 2:
        parts.append(_went("back", backs))
    return " ".join(parts)


def week_tooltip(row: WeekRow) -> str:
    """Exact numbers for one week of the chart."""
    heading = _("Week of {start} – {end} (so far)") if row.in_progress else _("Week of {start} – {end}")
    lines = [
        heading.format(start=short_date(row.start), end=short_date(row.end)),
        _("Done: {done} of {target} planned").format(done=row.completed, target=row.target),
    ]
    if row.partial:
        lines.append(_("Partial (ended early): {n}").format(n=row.partial))
    if row.safety_stops:
        lines.append(_("Stopped for safety: {n}").format(n=row.safety_stops))
    if row.excused_days:
        lines.append(_("Flare days (excused): {n}").format(n=row.excused_days))
    lines.append(_("Adherence: {percent}").format(percent=fmt_pct(row.adherence_pct)))
    if row.pain_reports:
        lines.append(
            _("Pain before exercise: back {back}, leg {leg}").format(
                back=fmt_pain(row.back_pain_mean), leg=fmt_pain(row.leg_pain_mean)
            )
        )
    else:
        lines.append(_("No pain ratings this week"))
    return "\n".join(lines)


def slot_text(slots: Mapping[str, int]) -> str:
    if not slots:
        return _("no sessions")
    return ", ".join(f"{slot} ×{count}" if count > 1 else slot for slot, count in sorted(slots.items()))


def day_tooltip(cell: DayCell, today: date) -> str:
    """Exact detail for one calendar day."""
    day = long_date(cell.day)
    lines = [_("{date} (today)").format(date=day) if cell.day == today else day]
    if cell.day > today:
        lines.append(_("Still to come"))
        return "\n".join(lines)
    lines.append(_("Sessions: {slots}").format(slots=slot_text(cell.slots)))
    if cell.excused:
        lines.append(_("Flare day — excused, it doesn't break your streak"))
    elif cell.target == 0:
        lines.append(_("Before your programme started"))
    else:
        done = (
            _("Done {done} of {target} planned — plan met")
            if cell.met
            else _("Done {done} of {target} planned")
        )
        lines.append(done.format(done=cell.completed, target=cell.target))
    if cell.partial:
        lines.append(_("Partial (ended early): {n}").format(n=cell.partial))
    if cell.safety_stops:
        lines.append(_("Stopped for safety: {n}").format(n=cell.safety_stops))
    return "\n".join(lines)


def calendar_summary(cells: Sequence[DayCell], today: date) -> str:
    past = [cell for cell in cells if cell.day <= today]
    planned = [cell for cell in past if cell.target > 0]
    met = sum(1 for cell in planned if cell.met)
    excused = sum(1 for cell in past if cell.excused)
    text = ngettext(
        "{met} of {n} planned day met the plan.", "{met} of {n} planned days met the plan.", len(planned)
    ).format(met=met, n=len(planned))
    if excused:
        text += " " + ngettext("{n} flare day excused.", "{n} flare days excused.", excused).format(n=excused)
    return text


def exercise_name(exercise_id: str) -> str:
    """An exercise's name from the catalogue, to run into a sentence (lower case in English; German nouns keep
    their capital); the id in words when the catalogue does not know it."""
    try:
        from sciatica_coach.core.catalogue import load_catalogue

        name = load_catalogue().get(exercise_id).name
        return name.lower() if _english() else name
    except (KeyError, ValueError, OSError):
        return exercise_id.replace("-", " ")


# ---- safety events (the Progress page's "What happened for your safety" and the report's "Safety events") ----
# What each kind of event says: (with an exercise, without one). Whole sentences, for translators.
_EVENT_SENTENCES: dict[SafetyEventKind, tuple[str, str]] = {
    SafetyEventKind.DOCTOR_CLEARED: (
        N_("Confirmed that a doctor has said the exercises can go on."),
        N_("Confirmed that a doctor has said the exercises can go on."),
    ),
    SafetyEventKind.IT_HURTS: (N_("“It hurts” pressed during {exercise}."), N_("“It hurts” pressed.")),
    SafetyEventKind.PAIN_STOP: (
        N_("Pain of 6 or more out of 10: coaching stopped for the day."),
        N_("Pain of 6 or more out of 10: coaching stopped for the day."),
    ),
    SafetyEventKind.NEW_NUMBNESS: (
        N_("New numbness or weakness noted at a pain check; the session stopped."),
        N_("New numbness or weakness noted at a pain check; the session stopped."),
    ),
    SafetyEventKind.SYMPTOM_SPREAD: (
        N_("Leg symptoms spread further down after {exercise}."),
        N_("Leg symptoms spread further down after an exercise."),
    ),
    SafetyEventKind.PERIPHERALISATION: (
        N_("Leg symptoms reached further down the leg after the session than before it."),
        N_("Leg symptoms reached further down the leg after the session than before it."),
    ),
    SafetyEventKind.UNANSWERED_QUESTION: (
        N_("Not answered: whether leg symptoms changed after {exercise}."),
        N_("Not answered: whether leg symptoms changed after an exercise."),
    ),
    SafetyEventKind.SESSION_STOPPED: (N_("Session ended early."), N_("Session ended early.")),
    SafetyEventKind.RED_STOP_OVERRIDE: (
        N_("A new session was started on the day of a red pain stop, after the waiting time."),
        N_("A new session was started on the day of a red pain stop, after the waiting time."),
    ),
    SafetyEventKind.NOT_IMPROVING: (
        N_(
            "Advised to see a doctor or physiotherapist, as the pain or the weekly check-ins were not getting better (“Got it”)."
        ),
        N_(
            "Advised to see a doctor or physiotherapist, as the pain or the weekly check-ins were not getting better (“Got it”)."
        ),
    ),
}
# What a "yes" to a red-flag question of each tier led to (core.red_flags.Tier names).
_TIER_WORDS: dict[str, str] = {
    "EMERGENCY": N_("emergency: advised to go to an emergency department now"),
    "URGENT": N_("urgent: advised to see a doctor the same day"),
    "SEE_DOCTOR_SOON": N_("see a doctor soon: exercises paused until a doctor says they can go on"),
}


def red_flag_yes_lines(flags: Sequence[str]) -> list[str]:
    """Each red-flag question answered "yes", named by its question, with its tier."""
    from sciatica_coach.core.red_flags import RED_FLAGS

    known = {flag.id: flag for flag in RED_FLAGS}
    lines = []
    for flag_id in flags:
        flag = known.get(flag_id)
        if flag is None:  # asked by another version of the app
            lines.append(_("Yes to a question this version does not know ({name}).").format(name=flag_id))
            continue
        lines.append(
            _("Yes: “{question}” ({tier}).").format(
                question=_(flag.question), tier=_(_TIER_WORDS[flag.tier.name])
            )
        )
    return lines


# Kinds whose stored detail adds to the sentence (the pain numbers, how far the leg symptoms reached, the stop
# reason); for the others the sentence already says it all.
_DETAIL_KINDS = frozenset(
    {
        SafetyEventKind.PAIN_STOP,
        SafetyEventKind.PERIPHERALISATION,
        SafetyEventKind.SESSION_STOPPED,
        SafetyEventKind.RED_STOP_OVERRIDE,
        SafetyEventKind.NOT_IMPROVING,
    }
)


def safety_event_text(event: SafetyEvent) -> str:
    """What happened, in plain words (without the time). A red-flag check names each "yes" on its own line.

    The stored detail is English (it is written for the report), so it is added only when the text is English:
    the report always, the app in English."""
    if event.kind is SafetyEventKind.RED_FLAG_ANSWERS:
        n = len(event.flags)
        head = ngettext(
            "Red-flag questions: {n} answered “yes”.", "Red-flag questions: {n} answered “yes”.", n
        ).format(n=n)
        return "\n".join([head, *red_flag_yes_lines(event.flags)])
    with_exercise, without = _EVENT_SENTENCES[event.kind]
    text = (
        _(with_exercise).format(exercise=exercise_name(event.exercise_id))
        if event.exercise_id
        else _(without)
    )
    detail = event.detail.strip()
    if not detail or event.kind not in _DETAIL_KINDS or not _english():
        return text
    return f"{text} {detail}" + ("" if detail.endswith((".", "!", "?")) else ".")


def event_time(moment: datetime, tz: tzinfo | None = None, long: bool = False) -> str:
    """'3 Mar, 08:05' (or 'Tue 3 Mar 2026, 08:05' with `long`), in the local time zone `tz`."""
    local = moment.astimezone(tz) if tz is not None else moment
    day = long_date(local.date()) if long else short_date(local.date())
    from sciatica_coach.platform.locale_support import clock_time

    return _("{date}, {time}").format(date=day, time=clock_time(local))


MAX_WEEKS_COUNTED = 16  # beyond this many weeks with events, they are counted per month (one line, not four)


def _month(day: date, with_year: bool) -> str:
    """'Mar' or 'Mar 2026' ('März 2026' in German)."""
    if _english():
        name = ENGLISH_MONTHS[day.month - 1]
    else:
        from sciatica_coach.platform.locale_support import month_name

        name = month_name(day.month, short=True)
    return f"{name} {day.year}" if with_year else name


def event_counts_text(events: Sequence[SafetyEvent], tz: tzinfo | None = None) -> str:
    """'Per week (week starting): 2 Nov 2 · 9 Nov 1.' (weeks start on Monday; only weeks with events), or per
    month when more than MAX_WEEKS_COUNTED weeks had events."""
    days = [(event.at.astimezone(tz) if tz is not None else event.at).date() for event in events]
    weeks = Counter(day - timedelta(days=day.weekday()) for day in days)
    if len(weeks) <= MAX_WEEKS_COUNTED:
        counts = " · ".join(f"{short_date(week)} {n}" for week, n in sorted(weeks.items()))
        return _("Per week (week starting): {counts}.").format(counts=counts)
    months = Counter(day.replace(day=1) for day in days)
    ordered = sorted(months.items())
    counts = " · ".join(
        f"{_month(month, i == 0 or month.year != ordered[i - 1][0].year)} {n}"
        for i, (month, n) in enumerate(ordered)
    )  # the year on the first month and where it changes
    return _("Per month: {counts}.").format(counts=counts)


def reach_sentence(overview: SafetyOverview) -> str:
    """Leg reach after a session against before it: further down (peripheralisation) and less far
    (centralisation), each with how often; empty when neither happened."""
    parts = []
    if overview.reach_further:
        n = len(overview.reach_further)
        parts.append(
            ngettext(
                "further down {n} time, last on {day}", "further down {n} times, last on {day}", n
            ).format(n=n, day=short_date(overview.reach_further[-1]))
        )
    if overview.reach_less:
        n = len(overview.reach_less)
        parts.append(
            ngettext(
                "less far down {n} time (usually a good sign)",
                "less far down {n} times (usually a good sign)",
                n,
            ).format(n=n)
        )
    if not parts:
        return ""
    return _(
        "How far down the leg symptoms reached after a session, compared with before it: {parts}."
    ).format(parts="; ".join(parts))


def answers_sentence(overview: SafetyOverview) -> str:
    """The after-exercise answers as given; unanswered questions are counted apart, never as "the same"."""
    if not overview.answered and not overview.not_answered:
        return ""
    answers = overview.answers
    return _(
        "After-exercise answers: {down} further down, {same} the same, {up} moved up, {missing} not answered."
    ).format(
        down=answers[SymptomChange.DOWN], same=answers[SymptomChange.SAME], up=answers[SymptomChange.UP],
        missing=overview.not_answered,
    )  # fmt: skip


def red_flag_checks_sentence(overview: SafetyOverview) -> str:
    checks = overview.red_flag_checks
    if not checks:
        return ""
    yes = sum(1 for e in overview.events if e.kind is SafetyEventKind.RED_FLAG_ANSWERS)
    return ngettext(
        "Red-flag questions answered {n} time; {yes} with a “yes”.",
        "Red-flag questions answered {n} times; {yes} with a “yes”.",
        checks,
    ).format(n=checks, yes=yes)


# ---- the habit over time (Progress: the habit score chart, best streaks, what is missed most) ----
SCORE_EXPLANATION = N_(
    "How the score works: each day you do your planned sessions lifts it a little, and a day without them "
    "lowers it a little, so one missed day never undoes your work. A session ended early counts half; flare "
    "days don't count."
)
# Weekdays in the plural, Monday first, to run into "… are missed most".
_WEEKDAYS_PLURAL = (N_("Mondays"), N_("Tuesdays"), N_("Wednesdays"), N_("Thursdays"), N_("Fridays"),
                    N_("Saturdays"), N_("Sundays"))  # fmt: skip
# A weekday and a part of the day, Monday first: (mornings, evenings).
_WEEKDAY_PARTS = (
    (N_("Monday mornings"), N_("Monday evenings")), (N_("Tuesday mornings"), N_("Tuesday evenings")),
    (N_("Wednesday mornings"), N_("Wednesday evenings")), (N_("Thursday mornings"), N_("Thursday evenings")),
    (N_("Friday mornings"), N_("Friday evenings")), (N_("Saturday mornings"), N_("Saturday evenings")),
    (N_("Sunday mornings"), N_("Sunday evenings")),
)  # fmt: skip


MISSES_TO_NAME = 2  # a weekday or a reminder time is named as missed most only once it was missed this often


def score_explanation() -> str:
    return _(SCORE_EXPLANATION)


def score_summary(stats: HabitStats) -> str:
    """The habit score chart in words, for screen readers and anyone who prefers words."""
    if not stats.scores:
        return _("No habit score yet: it starts on the first day of your programme.")
    first, last = stats.scores[0], stats.scores[-1]
    high = max(stats.scores, key=lambda point: (point.score_pct, point.day))
    template = (
        _("Habit score: {first} on {start}, {last} today. Highest: {high} on {day}.")
        if last.day == stats.today
        else _("Habit score: {first} on {start}, {last} on {end}. Highest: {high} on {day}.")
    )
    return template.format(
        first=fmt_pct(first.score_pct), start=short_date(first.day), last=fmt_pct(last.score_pct),
        end=short_date(last.day), high=fmt_pct(high.score_pct), day=short_date(high.day),
    )  # fmt: skip


def score_tooltip(day: date, score_pct: float, today: date) -> str:
    when = _("{date} (today)").format(date=long_date(day)) if day == today else long_date(day)
    return _("{date}: habit score {percent}").format(date=when, percent=fmt_pct(score_pct))


def streak_line(streak: Streak, today: date) -> str:
    """'8 days: 23 Feb – 2 Mar' (', still going' while it is not broken)."""
    dates = (
        short_date(streak.start)
        if streak.start == streak.end
        else _("{start} – {end}").format(start=short_date(streak.start), end=short_date(streak.end))
    )
    line = _("{days}: {dates}").format(days=days_text(streak.days), dates=dates)
    if streak.ongoing and streak.end >= today - timedelta(days=1):
        line = _("{streak} (still going)").format(streak=line)
    return line


def best_streaks_text(stats: HabitStats) -> str:
    if not stats.best_streaks:
        return _("No streak in these weeks yet. Any day that meets your plan starts one.")
    return "\n".join(streak_line(streak, stats.today) for streak in stats.best_streaks)


def _slot_words(slot: str) -> str:
    """A reminder slot's time ("19:00"); "" for a session filed only by part of the day."""
    return "" if slot in (MORNING_SLOT, EVENING_SLOT) else slot


def weekday_missed_sentence(tally: MissTally) -> str:
    assert tally.weekday is not None
    return ngettext(
        "{days} are missed most: {missed} of {planned} day.",
        "{days} are missed most: {missed} of {planned} days.",
        tally.planned,
    ).format(days=_(_WEEKDAYS_PLURAL[tally.weekday]), missed=tally.missed, planned=tally.planned)


def slot_missed_sentence(tally: MissTally) -> str:
    """'The 19:00 session is missed most: 4 of 27 sessions.' (for a slot over all weekdays), or 'Sunday
    evenings (19:00) are missed most: 4 of 4 sessions.' (for a slot on one weekday)."""
    assert tally.slot is not None
    part = part_of_day(tally.slot)
    at = _slot_words(tally.slot)
    if tally.weekday is not None:
        when = _(_WEEKDAY_PARTS[tally.weekday][part == EVENING_SLOT])
        if at:
            when = _("{when} ({time})").format(when=when, time=at)
        return ngettext(
            "{when} are missed most: {missed} of {planned} session.",
            "{when} are missed most: {missed} of {planned} sessions.",
            tally.planned,
        ).format(when=when, missed=tally.missed, planned=tally.planned)
    if at:
        template = _("The {time} session is missed most: {missed} of {planned}.")
    elif part == MORNING_SLOT:
        template = _("The morning session is missed most: {missed} of {planned}.")
    else:
        template = _("The evening session is missed most: {missed} of {planned}.")
    return template.format(time=at, missed=tally.missed, planned=tally.planned)


def missed_most_text(stats: HabitStats) -> str:
    """Which weekday, which weekday's slot and which slot are missed most, and a kind word about it."""
    if not any(tally.planned for tally in stats.by_weekday):
        return _("Not enough finished days in these weeks to see a pattern yet.")
    missed_days = sum(tally.missed for tally in stats.by_weekday)
    if not missed_days:
        return _("No day or time stands out: every planned day in these weeks met the plan.")
    lines = []
    both = stats.most_missed_weekday_slot
    if both is not None and both.missed >= MISSES_TO_NAME:
        lines.append(slot_missed_sentence(both))
    weekday = stats.most_missed_weekday
    if (
        weekday is not None
        and weekday.missed >= MISSES_TO_NAME
        and (both is None or both.missed < MISSES_TO_NAME or both.weekday != weekday.weekday)
    ):
        lines.append(weekday_missed_sentence(weekday))  # unless the line above already names that day
    if (slot := stats.most_missed_slot) is not None and slot.missed >= MISSES_TO_NAME:
        lines.append(slot_missed_sentence(slot))
    if not lines:
        return ngettext(
            "Nothing stands out: only {n} planned day in these weeks fell short of the plan.",
            "Nothing stands out: only {n} planned days in these weeks fell short of the plan, each on a "
            "different day of the week.",
            missed_days,
        ).format(n=missed_days)
    lines.append(
        _("Good to know, not a fault: a different reminder time may suit those days better (see Reminders).")
    )
    return "\n".join(lines)


# ---- sitting breaks (Progress's small chart) ---------------------------------------------------------------


def sitting_breaks_text(overview: SittingBreaksOverview) -> str:
    """The line under the sitting-breaks chart: this week's breaks taken and skipped; before the first one,
    where to turn them on (or, when they are on, that they will show here)."""
    if not overview.ever:
        if overview.on:
            return _("No sitting breaks yet. They will show here after your first one.")
        return _("No sitting breaks yet. Turn them on in Settings.")
    taken, skipped = overview.this_week()
    return ngettext(
        "This week: {taken} break taken, {skipped} skipped.",
        "This week: {taken} breaks taken, {skipped} skipped.",
        taken,
    ).format(taken=taken, skipped=skipped)


def sitting_breaks_description(overview: SittingBreaksOverview) -> str:
    """The chart's figures in words, for screen readers: the weeks shown, then this week."""
    weeks = (overview.today - overview.first).days // 7 + 1
    taken, skipped = overview.taken, overview.skipped
    total = ngettext(
        "Sitting breaks in the last {weeks} week: {taken} taken, {skipped} skipped.",
        "Sitting breaks in the last {weeks} weeks: {taken} taken, {skipped} skipped.",
        weeks,
    ).format(weeks=weeks, taken=taken, skipped=skipped)
    return f"{total} {sitting_breaks_text(overview)}"
