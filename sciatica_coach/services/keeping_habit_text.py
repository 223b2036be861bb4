"""The words for keeping the habit (the maintenance phase, :mod:`sciatica_coach.core.maintenance`) that
Progress and the clinician report share: this week against the weekly target ("2 of 3 this week"), what the
reminders mean now, and each maintenance period as one line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sciatica_coach.core import maintenance
from sciatica_coach.core.clock import Clock
from sciatica_coach.i18n import _, ngettext, source_language
from sciatica_coach.services.progress_data import KeepingTheHabit, keeping_the_habit
from sciatica_coach.services.progress_text import long_date
from sciatica_coach.storage.repository import Repository


def current(kept: Sequence[KeepingTheHabit]) -> KeepingTheHabit | None:
    """The period going on now, or None."""
    return kept[-1] if kept and kept[-1].period.end is None else None


def this_week(kept: KeepingTheHabit) -> maintenance.MaintenanceWeek | None:
    return kept.weeks[-1] if kept.weeks and kept.weeks[-1].in_progress else None


def headline(kept: KeepingTheHabit) -> str:
    """The first lines of the Progress card while keeping the habit."""
    target = kept.period.weekly_target
    return ngettext(
        "Since {date} you've been keeping the habit with a lighter routine, aiming for {n} session a week.",
        "Since {date} you've been keeping the habit with a lighter routine, aiming for {n} sessions a week.",
        target,
    ).format(date=long_date(kept.period.start), n=target)


def reminders_note() -> str:
    """Why the reminders are unchanged while keeping the habit."""
    return _(
        "Your reminders stay as they are, so the times you're used to are still there. Two or three sessions "
        "a week is the aim now: when a reminder comes on a day you don't need it, it's fine to let it pass. "
        "Days are not counted one by one while you keep the habit; the week is."
    )


def week_lines(kept: KeepingTheHabit, shown: int = 6) -> list[str]:
    """The latest weeks, newest first: "Week from 2 June: 3 of 3 that week"."""
    return [
        _("Week from {date}: {figure}").format(
            date=long_date(week.start), figure=maintenance.week_words(week)
        )
        for week in reversed(kept.weeks[-shown:])
    ]


def period_line(kept: KeepingTheHabit) -> str:
    """One maintenance period for the report: its days, its target, and how many weeks reached it."""
    weeks = kept.weeks
    met = sum(1 for week in weeks if week.met)
    target = kept.period.weekly_target
    if kept.period.end is None:
        when = _("since {start}").format(start=long_date(kept.period.start))
    else:
        last = max(kept.period.start, kept.period.end - timedelta(days=1))
        when = _("{start} to {end}").format(start=long_date(kept.period.start), end=long_date(last))
    aim = ngettext("aiming for {n} session a week", "aiming for {n} sessions a week", target).format(n=target)
    reached = ngettext(
        "the aim was reached in {met} of {n} week", "the aim was reached in {met} of {n} weeks", len(weeks)
    ).format(met=met, n=len(weeks))
    return _("Keeping the habit with a lighter routine {when}, {aim}; {reached}.").format(
        when=when, aim=aim, reached=reached
    )


def report_lines(repo: Repository, clock: Clock | None = None) -> tuple[str, ...]:
    """The maintenance periods for the clinician report (in English, as the report is), one line each, and
    how they are measured; nothing when the person never chose to keep the habit."""
    with source_language():
        lines = [period_line(kept) for kept in keeping_the_habit(repo, clock)]
    if not lines:
        return ()
    return (
        *lines,
        "While keeping the habit, days have no day target (0 planned); each week is measured against the "
        "weekly aim the person chose instead.",
    )
